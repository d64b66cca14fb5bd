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

/// Measures every row with the lessons' own stories silenced.
pub fn measure_quietly(options: &Options) -> Result<Saved> {
    let plan = Plan::for_depth(options.depth);
    let (environment, depth) = (Environment::read(), options.depth.name());
    support::say!("measuring ({depth} run); the lessons run quietly, progress on stderr");
    support::speaker::set_quiet(true);
    let measured = measure(&plan, options.baseline.as_ref());
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

/// Every figure of the table, and the facts the lessons checked.
pub fn measure(plan: &Plan, baseline: Option<&Baseline>) -> Result<(Vec<Figure>, Facts)> {
    let progress = progress_bar(6);
    // ANCHOR: measure
    progress.set_message("creation (fresh processes)");
    let mut figures = part3_creation::creation(plan, baseline)?;
    progress.inc(1);
    progress.set_message("memory");
    let threads_share_memory = part1_memory::threads_share_memory()?;
    let processes_separate = part1_memory::processes_separate()?;
    figures.extend(part1_memory::idle_memory(plan)?);
    progress.inc(1);
    progress.set_message("communication: round trips");
    let read_in_place = part2_bulk::read_in_place()?;
    figures.extend(part2_round_trips::round_trips(plan, baseline)?);
    progress.inc(1);
    progress.set_message("communication: bulk data");
    let mut transfers_verified = true;
    figures.extend(part2_bulk::bulk(plan, baseline, &mut transfers_verified)?);
    progress.inc(1);
    progress.set_message("fault isolation");
    let faults = part4_fault_isolation::faults()?;
    progress.inc(1);
    progress.set_message("best for");
    let mut answers_agree = true;
    figures.extend(part5_best_for::speedups(plan, &mut answers_agree)?);
    figures.extend(part5_best_for::many_waits(plan)?);
    // ANCHOR_END: measure
    progress.finish_and_clear();
    let facts = Facts {
        threads_share_memory,
        processes_separate,
        read_in_place,
        transfers_verified,
        answers_agree,
        faults,
    };
    Ok((figures, facts))
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
