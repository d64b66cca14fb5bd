fn main() {
    support::role::dispatch(&[program_vs_process::ROLES]);
    let _ = program_vs_process::run(&program_vs_process::Options::default());
}
