//! `creation-cost`: lesson 05's demo. The lesson itself is `src/lib.rs`.

use std::process::ExitCode;

use clap::Parser;
use creation_cost::{MAX_JOBS, MAX_REPEATS, MAX_WORKERS, Options};

/// What a thread and a process cost to start and finish, and what an idle
/// one costs in memory, measured on this machine.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 05: what it costs to start a thread or a process, in time and in memory, measured",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// Timed batches per figure; each figure is their median [range: 1..=1000]
    #[arg(long, default_value_t = Options::default().repeats,
          value_parser = clap::value_parser!(u64).range(1..=MAX_REPEATS))]
    repeats: u64,
    /// Idle threads, then idle processes, whose memory is counted [range: 1..=200]
    #[arg(long, default_value_t = Options::default().workers,
          value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    workers: u64,
    /// Tiny jobs run each of four ways in part 5 [range: 1..=100000]
    #[arg(long, default_value_t = Options::default().jobs,
          value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS))]
    jobs: u64,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

fn main() -> ExitCode {
    // First thing, before options or threads: a fresh copy of this program
    // started in one of the lesson's roles measures and exits here.
    support::role::dispatch(&[creation_cost::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[creation_cost::LESSON]);
    let options = Options {
        repeats: cli.repeats,
        workers: cli.workers,
        jobs: cli.jobs,
    };
    support::error::exit_code(support::classroom::whole_or_part(
        &creation_cost::LESSON,
        || creation_cost::run(&options),
        |n| creation_cost::run_part(n, &options),
    ))
}
