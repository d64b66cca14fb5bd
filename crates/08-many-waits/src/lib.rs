//! # Lesson 08: many waits, on threads, processes, one epoll loop and async tasks
//!
//! The Key Differences table says threads are best for I/O-bound work. So
//! they are while the waits are few. Past a few thousand, a thread (or a
//! process) per wait costs memory, creation time and scheduler work that
//! one thread waiting on all of them at once does not: the C10K problem,
//! and the reason event loops and async runtimes exist. This lesson runs
//! the same N waiting tasks four ways (the fourth, async tasks, on two
//! tokio runtimes), for N = 10 to 10_000, and measures each.
//!
//! Read the listings first (`examples/08a…08d`), then run the demo,
//! `just demo-many-waits`. `run` below is its table of contents:
//! 1. the work (`work.rs`, `driver.rs`, `sockets.rs`) and the limits
//!    that could stop a model (`limits.rs`);
//! 2. to 5. one model at each N, each run in a fresh copy of this program
//!    (`fresh.rs`, `model.rs`) and measured the same way (`meter.rs`,
//!    `readings.rs`): one thread per task (`part2_threads.rs`), one process
//!    per task (`part3_processes.rs`), one thread and one epoll instance
//!    (`part4_epoll.rs`), async tasks on two tokio runtimes (`part5_tokio.rs`);
//! 6. memory and time against N, every model side by side (`summary.rs`,
//!    `chart.rs`);
//!
//! then the verdict (`verdict.rs`), tied to the table's Best For row.
//! `run_part` and `every_n` are in `parts.rs`. `figures_for_table`
//! (`for_table.rs`) returns the figures the Best For row needs, for
//! lesson 07 (`crates/07-key-differences`) to use.

mod chart;
mod driver;
pub mod faults;
mod figures_text;
mod for_table;
mod fresh;
pub mod limits;
mod machine;
mod meter;
mod model;
mod options;
mod outcomes;
mod part2_threads;
mod part3_processes;
mod part4_epoll;
mod part5_tokio;
mod parts;
mod print;
mod readings;
mod report;
mod sockets;
mod summary;
mod text;
mod verdict;
pub mod work;

use support::classroom::Lesson;
use support::error::Result;
use support::say;

pub use for_table::{TableFigures, TableRow, figures_for_table};
pub use fresh::{MODEL_ROLE, in_fresh_process};
pub use limits::Limits;
pub use model::run_model_here;
pub use options::*;
pub use parts::{no_failures, run_part};
pub use report::*;
pub use text::grouped;
pub use verdict::verdict_lines;

pub const LESSON: Lesson = Lesson::new("8", include_str!("../questions.md")); // parts, questions
/// The roles this lesson starts its own program in: a model, fresh.
pub const ROLES: &[support::role::Role] = fresh::ROLES;

// ANCHOR: run
/// Runs the lesson: prints the story as it goes, returns the figures.
pub fn run(options: &Options) -> Result<Report> {
    let (mut class, wait) = (LESSON.session(), options.wait); // --part, --predict, --pause
    class.part(1); // The work, and the limits that could stop it
    let (ladder, limits, cores, busy_before) = parts::work_and_limits(options);
    class.part(2); // One thread per task, at every N of the ladder
    let threads = parts::every_n(Model::Threads, &ladder, wait);
    class.outcome(outcomes::thread_memory(&threads));
    class.part(3); // One process per task
    let processes = parts::every_n(Model::Processes, &ladder, wait);
    class.outcome(outcomes::thread_or_process(&threads, &processes));
    class.part(4); // One thread, one epoll instance
    let epoll = parts::every_n(Model::Epoll, &ladder, wait);
    class.outcome(outcomes::kept_up_at_100(&threads, &epoll));
    // ANCHOR_END: run
    // ANCHOR: run_rest
    class.part(5); // Async tasks on tokio: one thread, then a worker per CPU
    let tokio = parts::every_n(Model::TokioOneThread, &ladder, wait);
    let workers = parts::every_n(Model::TokioWorkers, &ladder, wait);
    class.outcome(outcomes::tokio_against_epoll(&tokio, &epoll));
    class.part(6); // Against the number of tasks: every model side by side
    let steps = parts::by_n(&ladder, [threads, processes, epoll, tokio, workers]);
    let chart = summary::against_n(&steps, options.out_dir.as_deref()); // and the chart
    class.outcome(outcomes::least_memory(&steps));
    class.verdict("Verdict");
    let report = Report {
        wait,
        limits,
        steps,
        chart,
        cores,
        busy_before,
    };
    verdict_lines(&report)
        .iter()
        .for_each(|line| say!("{line}"));
    Ok(report)
}
// ANCHOR_END: run_rest
