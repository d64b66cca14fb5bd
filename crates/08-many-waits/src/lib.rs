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
//! 2. then, at each N, every model, each in a fresh copy of this program
//!    (`fresh.rs`, `model.rs`), measured the same way (`meter.rs`,
//!    `readings.rs`):
//!    one thread per task (`part1_threads.rs`), one process per task
//!    (`part2_processes.rs`), one thread and one epoll instance
//!    (`part3_epoll.rs`), async tasks on tokio (`part4_tokio.rs`);
//! 3. memory and creation time against N (`summary.rs`, `chart.rs`);
//! 4. the verdict (`verdict.rs`), tied to the table's Best For row.
//!
//! `figures_for_table` (`for_table.rs`) returns the figures the Best For
//! row needs, for lesson 07 (`crates/07-key-differences`) to use.

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
mod part1_threads;
mod part2_processes;
mod part3_epoll;
mod part4_tokio;
mod print;
mod readings;
mod report;
mod sockets;
mod summary;
mod text;
mod verdict;
pub mod work;

use support::error::Result;
use support::{heading, say};

pub use for_table::{TableFigures, TableRow, figures_for_table};
pub use fresh::{MODEL_ROLE, in_fresh_process};
pub use limits::Limits;
pub use model::run_model_here;
pub use options::*;
pub use report::*;
pub use text::grouped;
pub use verdict::verdict_lines;

/// The roles this lesson starts its own program in: a model, fresh.
pub const ROLES: &[support::role::Role] = fresh::ROLES;

// ANCHOR: run
/// Runs the lesson: prints the story as it goes, returns the figures.
pub fn run(options: &Options) -> Result<Report> {
    let (cores, busy_before) = (model::workers(), machine::cpus_busy_now());
    heading("1. The work, and the limits that could stop it");
    summary::work(options, cores, busy_before);
    let limits = Limits::read();
    let ladder = summary::limits(options, &limits); // as far as descriptors allow
    let mut steps = Vec::new();
    for (index, &tasks) in ladder.iter().enumerate() {
        heading(&format!("{}. {} tasks", index + 2, grouped(tasks)));
        steps.push(every_model(tasks, options));
    }
    let last = ladder.len() + 2;
    heading(&format!("{last}. Against the number of tasks"));
    let chart = summary::against_n(&steps, options.out_dir.as_deref()); // and the chart
    heading("Verdict");
    let wait = options.wait;
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
// ANCHOR_END: run

// ANCHOR: every_model
/// Every model at one N, each in a fresh process, one after another.
fn every_model(tasks: usize, options: &Options) -> Step {
    print::time_header();
    let mut runs = Vec::new();
    for model in Model::ALL {
        print::limit_warning(model, tasks, &Limits::read()); // read before each model
        let run = in_fresh_process(model, tasks, options.wait);
        print::time_row(&run, options.wait);
        runs.push(run);
    }
    print::memory_table(&runs);
    print::answers(&runs);
    Step { tasks, runs }
}
// ANCHOR_END: every_model
