//! `just demo-program-vs-process`: a program on disk, the process running
//! it, and more processes from the same file. The lesson is in `lib.rs`.

use std::process::ExitCode;

use clap::Parser;

/// A program is a file; a process is that file running. Shows both, then
/// starts more processes from the same file, each with its own memory.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 01: a program is a file on disk; a process is that file running",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// More processes to start from this same program file [range: 1..=16]
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..=16))]
    children: u32,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

fn main() -> ExitCode {
    // First: if started in a hidden role (as one of the children), be that.
    support::role::dispatch(&[program_vs_process::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[program_vs_process::LESSON]);
    let options = program_vs_process::Options {
        children: cli.children,
    };
    let lesson = &program_vs_process::LESSON; // whole, or only the part --part N names
    let result = support::classroom::whole_or_part(
        lesson,
        || program_vs_process::run(&options),
        |n| program_vs_process::run_part(n, &options),
    );
    support::error::exit_code(result)
}
