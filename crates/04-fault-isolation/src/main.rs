//! `just demo-fault-isolation`: options in, the lesson in `src/lib.rs` out.

use std::process::ExitCode;

use clap::{Parser, ValueEnum, value_parser};
use fault_isolation::{Crash, Options};

/// Lesson 04: a panicking thread, a crashing thread, a crashed child process,
/// and a supervisor that restarts what crashed.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 04: a panicking thread, a crashing thread, a crashed child: what each takes down",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// Units of work per worker; the faulty one fails halfway [range: 2..=1000]
    #[arg(long, default_value_t = Options::default().units,
          value_parser = value_parser!(u32).range(2..=1000))] // fault_isolation::UNITS
    units: u32,

    /// How the faulty worker crashes: segv (SIGSEGV) or abort (SIGABRT)
    // The values are named in the line above: listed by clap with their own
    // help, they would make `--help` longer than `-h`.
    #[arg(long, value_enum, default_value_t = CrashArg::Segv, hide_possible_values = true)]
    crash: CrashArg,

    /// The supervisor's crash plan: same plan, same faults [range: 0..=4294967295]
    #[arg(long, default_value_t = Options::default().fault_plan,
          value_parser = value_parser!(u64).range(0..=u64::from(u32::MAX)))]
    fault_plan: u64,

    /// Chance that one attempt of a supervised worker crashes [range: 0..=1]
    #[arg(long, default_value_t = Options::default().crash_probability,
          value_parser = probability)]
    crash_probability: f64,

    /// Restarts of one worker before the supervisor gives up [range: 0..=10]
    #[arg(long, default_value_t = Options::default().max_restarts,
          value_parser = value_parser!(u32).range(0..=10))] // fault_isolation::MAX_RESTARTS
    max_restarts: u32,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

#[derive(Clone, Copy, ValueEnum)]
enum CrashArg {
    /// Write to an unmapped address: SIGSEGV
    Segv,
    /// Call abort(): SIGABRT
    Abort,
}

fn probability(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

fn main() -> ExitCode {
    // First thing: if this process was started in one of the lesson's
    // hidden roles (the crashing-threads child), run that role and exit.
    support::role::dispatch(&[fault_isolation::ROLES]);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[fault_isolation::LESSON]);
    let options = Options {
        units: cli.units,
        crash: match cli.crash {
            CrashArg::Segv => Crash::Segv,
            CrashArg::Abort => Crash::Abort,
        },
        fault_plan: cli.fault_plan,
        crash_probability: cli.crash_probability,
        max_restarts: cli.max_restarts,
        ..Options::default()
    };
    support::error::exit_code(support::classroom::whole_or_part(
        &fault_isolation::LESSON,
        || fault_isolation::run(&options),
        |n| fault_isolation::run_part(n, &options),
    ))
}
