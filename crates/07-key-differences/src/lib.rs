//! # Lesson 07: the table, measured on this machine
//!
//! The source material sums up threads against processes in the Key
//! Differences table: Memory, Communication, Creation, Fault Isolation,
//! Best For, each a claim in words. This lesson runs the other lessons'
//! own measurements and fills every cell with figures from this machine,
//! and every word in a cell ("cheaper", "dearer", the advice) is decided
//! from those figures by a rule you can read (`rules.rs`, `advice.rs`).
//!
//! Read the listings first (`examples/07a…07c`): a median and its spread,
//! the noise read from /proc, and why creation is measured in a fresh
//! process. Then `run` below is the table of contents:
//! 1. measure every row (`measure.rs`, then `part1_memory.rs` …
//!    `part5_best_for.rs`), each group of figures repeated until its runs
//!    agree (`repeat.rs`), the machine looked at around it (`noise.rs`);
//! 2. build the cells by the rules (`table.rs`), then show each row with
//!    the figures behind it, one part per row (`parts.rs`, `print.rs`);
//! 3. the whole table, the references (`references.rs`); with
//!    `--against-c` the C baseline's same workloads (`against_c.rs`), with
//!    `--diff` an earlier run as ratios (`diff.rs`);
//! 4. the verdict, then the files: Markdown, SVG (`chart.rs`), JSON.
//!
//! Run it: `just compare` (`--help` for options); also the tour's end.

pub mod advice;
#[cfg(test)]
mod advice_tests;
pub mod against_c;
pub mod baseline;
pub mod chart;
mod chart_panel;
pub mod date;
pub mod diff;
pub mod environment;
pub mod files;
pub mod json;
mod measure;
pub mod noise;
pub mod options;
mod part1_memory;
mod part2_bulk;
mod part2_round_trips;
mod part3_creation;
pub mod part4_fault_isolation;
pub mod part5_best_for;
mod parts;
pub mod print;
mod references;
pub mod render;
#[cfg(test)]
mod render_tests;
pub mod repeat;
pub mod report;
pub mod rules;
#[cfg(test)]
mod rules_tests;
pub mod spread;
pub mod table;
mod table_last_rows;

pub use options::{Budget, Depth, Options, Plan};
pub use parts::{row_lines, run_part};
pub use report::{Facts, Fault, Figure, Report, Saved, Side, Spec, Unit};

use support::{classroom::Lesson, error::Result, forking::prepare_to_fork, role::Role};
use support::{heading, say};

/// The parts, one per row of the table, and their questions (`--predict`).
pub const LESSON: Lesson = Lesson::new("7", include_str!("../questions.md"));

/// No role of its own, but the lessons it runs have: a binary dispatches these.
pub const ROLES: &[&[Role]] = &[
    program_vs_process::ROLES,
    shared_memory_threads::ROLES,
    ipc::pipes::ROLES,
    ipc::shared_memory::ROLES,
    fault_isolation::ROLES,
    creation_cost::ROLES,
    when_to_use_which::ROLES,
    many_waits::ROLES,
    part2_round_trips::ROLES,
];

// ANCHOR: run
/// Measures every row quietly, shows them one by one (a part each), then the
/// table, what stands behind it, the verdict, and writes the files. The
/// lessons fork: with a second thread this returns "refusing to fork" first.
pub fn run(options: &Options) -> Result<Report> {
    prepare_to_fork()?;
    heading("The Key Differences table, measured on this machine");
    let saved = measure::measure_quietly(options, &[1, 2, 3, 4, 5])?;
    let rows = table::rows(&saved)?; // every word, decided by the rules
    let mut class = LESSON.session(); // --part, --predict, --pause
    for (n, row) in (1..).zip(&rows) {
        class.part(n); // Memory, Communication, Creation, Fault isolation, Best for
        say_all(parts::row_lines(&saved, row, n)); // the row, the figures behind it
        class.outcome(parts::outcome(&saved, n));
    }
    class.verdict("Verdict: the table, every word decided by this run's figures");
    say_all(render::text_table(&rows));
    heading("The references behind the figures");
    say_all(print::reference_lines(&saved));
    if options.baseline.is_some() {
        heading("Checked against plain C, the same workloads");
        say_all(against_c::lines(&saved));
    }
    if let Some(earlier) = &options.diff {
        heading("This run against the earlier one");
        say_all(diff::lines(&saved, earlier));
    }
    heading("In words");
    say_all(print::verdict_lines(&saved));
    files::write_all(saved, rows, options) // Markdown, SVG, and JSON if asked
}
// ANCHOR_END: run

/// Prints each line, said by this process.
pub(crate) fn say_all(lines: Vec<String>) {
    lines.iter().for_each(|line| say!("{line}"));
}
