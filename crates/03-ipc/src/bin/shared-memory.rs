//! `just demo-shared-memory`: lesson 03's shared memory, from a page shared
//! across fork to a measured ring buffer. The lesson itself is
//! `crates/03-ipc/src/shared_memory/`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use ipc::shared_memory::{KillPoint, Options, TestHooks};

/// How processes talk through shared memory: private vs shared mappings,
/// a ring buffer between two processes, round trips, a named shm object.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 03: processes talk through shared memory: mappings, a ring, a named object",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// MiB per ring run (5 runs), and through the named object [range: 1..=4096]
    #[arg(long, default_value_t = ipc::shared_memory::DEFAULT_MIB, value_parser = clap::value_parser!(u64).range(1..=4096))]
    mib: u64,
    /// Test only: the named-object reader waits this many ms before opening
    #[arg(long, hide = true, default_value_t = 0)]
    test_hold_named_ms: u64,
    /// Test only: this process kills itself after its first MiB
    #[arg(long, hide = true, value_enum)]
    test_kill: Option<Victim>,
    /// Test only: print the report as `report KEY=VALUE` lines at the end
    #[arg(long, hide = true)]
    print_report: bool,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

#[derive(Clone, Copy, ValueEnum)]
enum Victim {
    RingConsumer,
    NamedWriter,
    NamedReader,
}

fn main() -> ExitCode {
    // First, before options or threads: the lesson starts this binary again
    // in its writer and reader roles.
    support::role::dispatch(&[ipc::shared_memory::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[ipc::shared_memory::LESSON]);
    let test = TestHooks {
        kill: cli.test_kill.map(|victim| match victim {
            Victim::RingConsumer => KillPoint::RingConsumer,
            Victim::NamedWriter => KillPoint::NamedWriter,
            Victim::NamedReader => KillPoint::NamedReader,
        }),
        hold_named: Duration::from_millis(cli.test_hold_named_ms),
        ..TestHooks::default()
    };
    let options = Options { mib: cli.mib, test };
    let lesson = &ipc::shared_memory::LESSON; // whole, or only the part --part N names
    let result = support::classroom::whole_or_part(
        lesson,
        || {
            let report = ipc::shared_memory::run(&options)?;
            if cli.print_report {
                print!("{}", report.key_values());
            }
            Ok(report)
        },
        |n| ipc::shared_memory::run_part(n, &options),
    );
    support::error::exit_code(result)
}
