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
struct Cli {
    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

/// The lessons whose parts `--list-parts` and `--part L.N` name.
const LESSONS: &[support::classroom::Lesson] = &[
    program_vs_process::LESSON,
    shared_memory_threads::LESSON,
    ipc::pipes::LESSON,
    ipc::shared_memory::LESSON,
    fault_isolation::LESSON,
    creation_cost::LESSON,
    when_to_use_which::LESSON,
];

fn main() -> ExitCode {
    // First thing, before options or threads: some lessons start this same
    // binary again in a hidden role (a child that crashes, say).
    // Every lesson's roles, listed once by the table's lesson, which runs
    // them all.
    // Lesson 08 runs each of its models in this binary started again, too.
    support::role::dispatch(&[key_differences::ROLES, &[many_waits::ROLES]].concat());
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, LESSONS);
    support::error::exit_code(tour())
}

/// The lessons, one after another, on this (the main) thread. Nothing here
/// starts a thread of its own: the lessons fork, and each refuses to unless
/// this process has exactly one thread.
fn tour() -> Result<()> {
    if shows(Some(&program_vs_process::LESSON)) {
        banner("Lesson 01: program vs process", "demo-program-vs-process");
        program_vs_process::run(&program_vs_process::Options::default())?;
    }
    if shows(Some(&shared_memory_threads::LESSON)) {
        banner("Lesson 02: shared-memory threads", "demo-threads");
        shared_memory_threads::run(&shared_memory_threads::Options::default())?;
    }
    if shows(Some(&ipc::pipes::LESSON)) {
        banner("Lesson 03: how processes talk: pipes", "demo-pipes");
        ipc::pipes::run(&ipc::pipes::Options::default())?;
    }
    if shows(Some(&ipc::shared_memory::LESSON)) {
        banner(
            "Lesson 03: how processes talk: shared memory",
            "demo-shared-memory",
        );
        ipc::shared_memory::run(&ipc::shared_memory::Options::default())?;
    }
    if shows(Some(&fault_isolation::LESSON)) {
        banner("Lesson 04: fault isolation", "demo-fault-isolation");
        fault_isolation::run(&fault_isolation::Options::default())?;
    }
    if shows(Some(&creation_cost::LESSON)) {
        banner("Lesson 05: creation cost", "demo-creation-cost");
        creation_cost::run(&creation_cost::Options::default())?;
    }
    if shows(Some(&when_to_use_which::LESSON)) {
        banner("Lesson 06: when to use which", "demo-workloads");
        when_to_use_which::run(&when_to_use_which::Options::default())?;
    }
    // Lesson 08 on its quick ladder (10 to 1_000 tasks): its default one
    // (to 10_000) takes about 20 seconds on its own.
    if shows(None) {
        banner("Lesson 08: many waits", "demo-many-waits");
        many_waits::run(&many_waits::Options::quick())?;
    }
    if shows(None) {
        banner(
            "Lesson 07: the Key Differences table, measured on this machine",
            "compare",
        );
        key_differences::run(&key_differences::Options::default())?;
    }

    Ok(())
}

/// Whether this tour shows a lesson: all do, unless `--part L.N` chose one
/// (lessons 07 and 08, `None` here, declare no parts yet).
fn shows(lesson: Option<&support::classroom::Lesson>) -> bool {
    let chosen = support::classroom::options().1.is_some();
    lesson.map_or(!chosen, support::classroom::runs_lesson)
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
