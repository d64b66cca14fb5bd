//! Runs every row's measurements, one lesson after another, quietly. Every
//! lesson joins its threads before it returns, so this process has one
//! thread whenever the next one forks. (The progress bar draws only when
//! told to: it starts no thread of its own.)

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use support::error::Result;

use crate::baseline::Baseline;
use crate::environment::Environment;
use crate::options::{Options, Plan};
use crate::report::{Facts, Figure, Saved};
use crate::{
    part1_memory, part2_bulk, part2_round_trips, part3_creation, part4_fault_isolation,
    part5_best_for,
};

/// The rows in the order they are measured: creation first, in fresh
/// processes; the Key Differences table's order is 1 to 5.
pub const MEASURING_ORDER: [u32; 5] = [3, 1, 2, 4, 5];

/// Measures `rows` (table row numbers, 1 to 5) with the lessons' own
/// stories silenced: every figure, the facts the lessons checked, the machine.
pub fn measure_quietly(options: &Options, rows: &[u32]) -> Result<Saved> {
    let plan = Plan::for_depth(options.depth);
    let (environment, depth) = (Environment::read(), options.depth.name());
    support::say!("measuring ({depth} run); the lessons run quietly, progress on stderr");
    support::speaker::set_quiet(true);
    let measured = measure(&plan, options.baseline.as_ref(), rows);
    support::speaker::set_quiet(false);
    let (figures, facts) = measured?;
    let depth = depth.to_string();
    Ok(Saved {
        depth,
        environment,
        figures,
        facts,
    })
}

/// The figures of `rows`, and the facts the lessons checked for them.
pub fn measure(
    plan: &Plan,
    baseline: Option<&Baseline>,
    rows: &[u32],
) -> Result<(Vec<Figure>, Facts)> {
    let progress = progress_bar(rows.len() as u64);
    let (mut figures, mut facts) = (Vec::new(), Facts::default());
    for row in MEASURING_ORDER.iter().filter(|row| rows.contains(row)) {
        figures.extend(measure_row(*row, plan, baseline, &mut facts, &progress)?);
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok((figures, facts))
}

/// One row of the table: its figures, and its facts set in `facts`.
fn measure_row(
    row: u32,
    plan: &Plan,
    baseline: Option<&Baseline>,
    facts: &mut Facts,
    progress: &ProgressBar,
) -> Result<Vec<Figure>> {
    let names = [
        "memory",
        "communication",
        "creation",
        "fault isolation",
        "best for",
    ];
    progress.set_message(names[row as usize - 1]);
    // ANCHOR: measure
    let figures = match row {
        1 => {
            facts.threads_share_memory = part1_memory::threads_share_memory()?;
            facts.processes_separate = part1_memory::processes_separate()?;
            part1_memory::idle_memory(plan)?
        }
        2 => {
            (facts.read_in_place, facts.transfers_verified) = (part2_bulk::read_in_place()?, true);
            let mut figures = part2_round_trips::round_trips(plan, baseline)?;
            figures.extend(part2_bulk::bulk(
                plan,
                baseline,
                &mut facts.transfers_verified,
            )?);
            figures
        }
        3 => part3_creation::creation(plan, baseline)?, // fresh processes
        4 => {
            facts.faults = part4_fault_isolation::faults()?;
            Vec::new() // no figures: what each fault ended
        }
        _ => {
            facts.answers_agree = true; // lesson 06, then lesson 08
            let mut figures = part5_best_for::speedups(plan, &mut facts.answers_agree)?;
            let (tasks, many) = part5_best_for::many_waits(plan)?;
            facts.many_waits_tasks = tasks;
            figures.extend(many);
            figures
        }
    };
    // ANCHOR_END: measure
    Ok(figures)
}

/// Progress on stderr while measuring; nothing at all when stderr is not a
/// terminal (a log file, CI).
fn progress_bar(steps: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps);
    if let Ok(style) = ProgressStyle::with_template("  [{bar:28}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
