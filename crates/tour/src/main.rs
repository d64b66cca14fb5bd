//! The tour: every lesson in reading order, each with its default options,
//! then the Key Differences table measured on this machine.
//!
//! Run it with `cargo run --release -p tour` (or `just tour`). It calls the
//! lesson libraries directly, the same code `just demo-…` runs, so what you
//! see here is what each lesson's `src/lib.rs` says.

use std::process::ExitCode;

use clap::Parser;
use support::classroom::Lesson;
use support::error::Result;

/// Every lesson in order, then the table of threads vs processes, measured.
#[derive(Parser)]
#[command(
    version,
    about = "The tour: every lesson in order, then the Key Differences table measured here",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

/// One lesson in the tour: its parts, its title, the recipe that runs it on
/// its own, and how to run it whole or one part of it (`--part L.N`).
struct Stop {
    lesson: Lesson,
    title: &'static str,
    recipe: &'static str,
    whole: fn() -> Result<()>,
    part: fn(u32) -> Result<()>,
}

/// The lessons in reading order, each with its default options; lesson 08
/// on its quick ladder (10 to 1_000 tasks: its own default, to 10_000,
/// takes about 20 seconds), before the table that draws on it.
const TOUR: &[Stop] = &[
    Stop {
        lesson: program_vs_process::LESSON,
        title: "Lesson 01: program vs process",
        recipe: "demo-program-vs-process",
        whole: || program_vs_process::run(&Default::default()).map(drop),
        part: |n| program_vs_process::run_part(n, &Default::default()),
    },
    Stop {
        lesson: shared_memory_threads::LESSON,
        title: "Lesson 02: shared-memory threads",
        recipe: "demo-threads",
        whole: || shared_memory_threads::run(&Default::default()).map(drop),
        part: |n| shared_memory_threads::run_part(n, &Default::default()),
    },
    Stop {
        lesson: ipc::pipes::LESSON,
        title: "Lesson 03: how processes talk: pipes",
        recipe: "demo-pipes",
        whole: || ipc::pipes::run(&Default::default()).map(drop),
        part: |n| ipc::pipes::run_part(n, &Default::default()),
    },
    Stop {
        lesson: ipc::shared_memory::LESSON,
        title: "Lesson 03: how processes talk: shared memory",
        recipe: "demo-shared-memory",
        whole: || ipc::shared_memory::run(&Default::default()).map(drop),
        part: |n| ipc::shared_memory::run_part(n, &Default::default()),
    },
    Stop {
        lesson: fault_isolation::LESSON,
        title: "Lesson 04: fault isolation",
        recipe: "demo-fault-isolation",
        whole: || fault_isolation::run(&Default::default()).map(drop),
        part: |n| fault_isolation::run_part(n, &Default::default()),
    },
    Stop {
        lesson: creation_cost::LESSON,
        title: "Lesson 05: creation cost",
        recipe: "demo-creation-cost",
        whole: || creation_cost::run(&Default::default()).map(drop),
        part: |n| creation_cost::run_part(n, &Default::default()),
    },
    Stop {
        lesson: when_to_use_which::LESSON,
        title: "Lesson 06: when to use which",
        recipe: "demo-workloads",
        whole: || when_to_use_which::run(&Default::default()).map(drop),
        part: |n| when_to_use_which::run_part(n, &Default::default()),
    },
    Stop {
        lesson: many_waits::LESSON,
        title: "Lesson 08: many waits",
        recipe: "demo-many-waits",
        whole: || many_waits::run(&many_waits::Options::quick()).map(drop),
        part: |n| many_waits::run_part(n, &many_waits::Options::quick()),
    },
    Stop {
        lesson: key_differences::LESSON,
        title: "Lesson 07: the Key Differences table, measured on this machine",
        recipe: "compare",
        whole: || key_differences::run(&Default::default()).map(drop),
        part: |n| key_differences::run_part(n, &Default::default()),
    },
];

fn main() -> ExitCode {
    // First thing, before options or threads: some lessons start this same
    // binary again in a hidden role (a child that crashes, say).
    // Every lesson's roles (lesson 08's too), listed once by the table's
    // lesson, which runs them all.
    support::role::dispatch(key_differences::ROLES);
    let cli = Cli::parse();
    let lessons: Vec<Lesson> = TOUR.iter().map(|stop| stop.lesson).collect();
    support::classroom::start(&cli.classroom, &lessons);
    support::error::exit_code(tour())
}

/// The lessons, one after another, on this (the main) thread. Nothing here
/// starts a thread of its own: the lessons fork, and each refuses to unless
/// this process has exactly one thread.
fn tour() -> Result<()> {
    for stop in TOUR {
        if support::classroom::runs_lesson(&stop.lesson) {
            banner(stop.title, stop.recipe);
            support::classroom::whole_or_part(&stop.lesson, stop.whole, stop.part)?;
        }
    }
    Ok(())
}

/// A lesson's title, and the recipe that runs it on its own; under
/// `--pause`, first waits for Enter after the lesson before.
fn banner(title: &str, recipe: &str) {
    static FIRST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
    if !FIRST.swap(false, std::sync::atomic::Ordering::Relaxed) {
        support::classroom::pause("the next lesson");
    }
    let rule = "#".repeat(72);
    support::speaker::print_line(format_args!(
        "\n{rule}\n#  {title}\n#  (on its own: just {recipe})\n{rule}"
    ));
}
