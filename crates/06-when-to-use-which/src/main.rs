//! `when-to-use-which`: lesson 06's demo. The lesson itself is `src/lib.rs`.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use when_to_use_which::{MAX_SIZE, MAX_TASKS, MAX_WAIT_MS, MAX_WORKERS, Options};

/// I/O-bound and CPU-bound work, one after another, on threads and on
/// processes, measured on this machine.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// I/O-bound: tasks that each wait for one answer from a slow service
    #[arg(long, default_value_t = Options::default().tasks,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TASKS))]
    tasks: u64,
    /// I/O-bound: milliseconds the service takes to answer each request
    #[arg(long, default_value_t = Options::default().wait.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WAIT_MS))]
    wait_ms: u64,
    /// CPU-bound: parts the job is split into, one thread or process each
    /// (default: the cores this process may use)
    #[arg(long, default_value_t = Options::default().workers,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    workers: u64,
    /// CPU-bound: count the primes below this number
    #[arg(long, default_value_t = Options::default().size,
          value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    size: u64,
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
        ..Options::default()
    };
    support::error::exit_code(when_to_use_which::run(&options))
}
