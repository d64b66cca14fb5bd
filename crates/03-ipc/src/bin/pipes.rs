//! `just demo-pipes`: lesson 03's pipes, from the raw calls to a measured
//! stream. The lesson itself is `crates/03-ipc/src/pipes/`.

use std::process::ExitCode;

use clap::Parser;
use ipc::pipes::{DEFAULT_MIB, Options};

/// How processes talk through pipes: the raw calls, a checksummed stream
/// with two buffer sizes, round trips, PIPE_BUF atomicity, a dying peer.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 03: processes talk through pipes: the raw calls, a measured stream, round trips",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// MiB through the pipe per run, 5 runs per buffer size [range: 1..=4096]
    #[arg(long, default_value_t = DEFAULT_MIB, value_parser = clap::value_parser!(u64).range(1..=4096))]
    mib: u64,
    /// 1-byte round trips to time [range: 1..=1000000]
    #[arg(long, value_name = "N", default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    round_trips: u64,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

fn main() -> ExitCode {
    // First, before options or threads: the lesson may start this binary
    // again in a hidden role.
    support::role::dispatch(&[ipc::pipes::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[ipc::pipes::LESSON]);
    let options = Options {
        mib: cli.mib,
        round_trips: cli.round_trips as usize,
    };
    let lesson = &ipc::pipes::LESSON; // whole, or only the part --part N names
    let result = support::classroom::whole_or_part(
        lesson,
        || ipc::pipes::run(&options),
        |n| ipc::pipes::run_part(n, &options),
    );
    support::error::exit_code(result)
}
