//! `when-to-use-which`: lesson 06's demo. The lesson itself is `src/lib.rs`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use when_to_use_which::{MAX_SIZE, MAX_WAIT_MS, MAX_WORKERS, Options, parse_tasks};

/// Work that waits and work that computes, one after another, on threads
/// and on processes, measured on this machine; and where threads lose.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Part 1: tasks that each wait for one answer from a slow service
    /// (at most what this machine allows: see the error for the limit)
    #[arg(long, default_value_t = Options::default().tasks, value_parser = parse_tasks)]
    tasks: u64,
    /// Part 1: milliseconds the service takes to answer each request
    #[arg(long, default_value_t = Options::default().wait.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WAIT_MS))]
    wait_ms: u64,
    /// Parts 2 and 5: parts the job is split into, one thread or process
    /// each (default: the cores this process may use)
    #[arg(long, default_value_t = Options::default().workers,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    workers: u64,
    /// Parts 2 and 3: count the primes below this number
    #[arg(long, default_value_t = Options::default().size,
          value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    size: u64,
    /// Runs of each mode, taken in turns; the median is shown
    #[arg(long, default_value_t = Options::default().repeats,
          value_parser = clap::value_parser!(u64).range(1..=21))]
    repeats: u64,
}

fn main() -> ExitCode {
    // First thing, before options or threads.
    support::role::dispatch(&[when_to_use_which::ROLES]);
    let cli = Cli::parse();
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
    support::error::exit_code(when_to_use_which::run(&options))
}
