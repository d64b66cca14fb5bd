//! `just demo-threads`: lesson 02 from the command line. The lesson itself
//! is in `src/lib.rs`.

use clap::Parser;
use shared_memory_threads::{DEFAULT_INCREMENTS, DEFAULT_THREADS, Options};

/// Lesson 02: threads share one address space, so sharing needs
/// synchronisation; a forked child gets copies of private memory.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 02: threads share one address space, and sharing needs synchronisation",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// Worker threads in parts 1 and 3 [range: 1..=64]
    #[arg(long, value_name = "N", default_value_t = DEFAULT_THREADS as u64,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    threads: u64,

    /// Increments per thread in parts 3 and 4 [range: 1..=10000000]
    #[arg(long, value_name = "N", default_value_t = DEFAULT_INCREMENTS,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    increments: u64,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

fn main() -> std::process::ExitCode {
    // First, before options or threads: a lesson may start this binary
    // again in a hidden role.
    support::role::dispatch(&[shared_memory_threads::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[shared_memory_threads::LESSON]);
    let options = Options {
        threads: cli.threads as usize, // at most 64: fits any usize
        increments: cli.increments,
    };
    let lesson = &shared_memory_threads::LESSON; // whole, or only the part --part N names
    let result = support::classroom::whole_or_part(
        lesson,
        || shared_memory_threads::run(&options),
        |n| shared_memory_threads::run_part(n, &options),
    );
    support::error::exit_code(result)
}
