//! `when-to-use-which`: lesson 06's demo. The lesson itself is `src/lib.rs`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use when_to_use_which::{MAX_SIZE, MAX_WAIT_MS, MAX_WORKERS, Options, max_tasks, parse_tasks};

/// Work that waits and work that computes, one after another, on threads
/// and on processes, measured on this machine; and where threads lose.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 06: I/O-bound and CPU-bound work on threads and on processes; when to use which",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    // The most tasks is this machine's limit, read now: see `tasks_help`.
    #[arg(long, value_name = "N", default_value_t = Options::default().tasks,
          value_parser = parse_tasks, help = tasks_help())]
    tasks: u64,
    /// Part 1: milliseconds the service takes to answer a request [range: 1..=1000]
    #[arg(long, value_name = "MS", default_value_t = Options::default().wait.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WAIT_MS))]
    wait_ms: u64,
    /// Parts 2 and 5: threads or processes the job is split into [range: 1..=64]
    #[arg(long, value_name = "N", default_value_t = Options::default().workers,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    workers: u64,
    /// Parts 2 and 3: count the primes below this number [range: 1..=20000000]
    #[arg(long, value_name = "N", default_value_t = Options::default().size,
          value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    size: u64,
    /// Runs of each mode, taken in turns; the median is shown [range: 1..=21]
    #[arg(long, value_name = "N", default_value_t = Options::default().repeats,
          value_parser = clap::value_parser!(u64).range(1..=21))]
    repeats: u64,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

/// `--tasks`' help, with the most tasks this machine allows (threads-max,
/// RLIMIT_NPROC, RLIMIT_NOFILE, memory), the bound `parse_tasks` enforces.
fn tasks_help() -> String {
    let most = max_tasks();
    format!("Part 1: tasks that each wait for a slow service's answer [range: 1..={most}]")
}

fn main() -> ExitCode {
    // First thing, before options or threads.
    support::role::dispatch(&[when_to_use_which::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[when_to_use_which::LESSON]);
    let options = Options {
        tasks: cli.tasks,
        wait: Duration::from_millis(cli.wait_ms),
        workers: cli.workers,
        size: cli.size,
        repeats: cli.repeats,
    };
    if let Err(message) = options.check_waiting_time() {
        // clap prints it like any other bad option, and exits with code 2.
        let kind = clap::error::ErrorKind::ValueValidation;
        Cli::command().error(kind, message).exit();
    }
    support::error::exit_code(support::classroom::whole_or_part(
        &when_to_use_which::LESSON,
        || when_to_use_which::run(&options),
        |n| when_to_use_which::run_part(n, &options),
    ))
}
