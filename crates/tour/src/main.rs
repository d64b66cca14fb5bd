//! The tour: every lesson in reading order, each with its default options,
//! then the Key Differences table measured on this machine.
//!
//! Run it with `cargo run --release -p tour` (or `just tour`). It calls the
//! lesson libraries directly, the same code `just demo-…` runs, so what you
//! see here is what each lesson's `src/lib.rs` says.

use std::process::ExitCode;

use clap::Parser;
use support::error::Result;

/// Every lesson in order, then the table of threads vs processes, measured.
#[derive(Parser)]
#[command(
    version,
    about = "The tour: every lesson in order, then the Key Differences table measured here",
    long_about = None,
    next_line_help = true
)]
struct Cli {}

fn main() -> ExitCode {
    // First thing, before options or threads: some lessons start this same
    // binary again in a hidden role (a child that crashes, say).
    // Every lesson's roles, listed once by the table's lesson, which runs
    // them all.
    // Lesson 08 runs each of its models in this binary started again, too.
    support::role::dispatch(&[key_differences::ROLES, &[many_waits::ROLES]].concat());
    Cli::parse();
    support::error::exit_code(tour())
}

/// The lessons, one after another, on this (the main) thread. Nothing here
/// starts a thread of its own: the lessons fork, and each refuses to unless
/// this process has exactly one thread.
fn tour() -> Result<()> {
    banner("Lesson 01: program vs process", "demo-program-vs-process");
    program_vs_process::run(&program_vs_process::Options::default())?;

    banner("Lesson 02: shared-memory threads", "demo-threads");
    shared_memory_threads::run(&shared_memory_threads::Options::default())?;

    banner("Lesson 03: how processes talk: pipes", "demo-pipes");
    ipc::pipes::run(&ipc::pipes::Options::default())?;

    banner(
        "Lesson 03: how processes talk: shared memory",
        "demo-shared-memory",
    );
    ipc::shared_memory::run(&ipc::shared_memory::Options::default())?;

    banner("Lesson 04: fault isolation", "demo-fault-isolation");
    fault_isolation::run(&fault_isolation::Options::default())?;

    banner("Lesson 05: creation cost", "demo-creation-cost");
    creation_cost::run(&creation_cost::Options::default())?;

    banner("Lesson 06: when to use which", "demo-workloads");
    when_to_use_which::run(&when_to_use_which::Options::default())?;

    // Lesson 08 on its quick ladder (10 to 1_000 tasks): its default one
    // (to 10_000) takes about 20 seconds on its own.
    banner("Lesson 08: many waits", "demo-many-waits");
    many_waits::run(&many_waits::Options::quick())?;

    banner(
        "Lesson 07: the Key Differences table, measured on this machine",
        "compare",
    );
    key_differences::run(&key_differences::Options::default())?;

    Ok(())
}

/// A lesson's title, and the recipe that runs it on its own.
fn banner(title: &str, recipe: &str) {
    let rule = "#".repeat(72);
    support::speaker::print_line(format_args!(
        "\n{rule}\n#  {title}\n#  (on its own: just {recipe})\n{rule}"
    ));
}
