//! Repeating a group of figures until they are steady: each round runs
//! every figure of the group once (and, with `--against-c`, the C
//! baseline's same workloads right after), and rounds go on while any
//! figure's spread is wider than the bound, within the budget. The machine
//! is looked at before and after the group.

use std::time::Instant;

use support::error::Result;

use crate::noise::{Noise, look};
use crate::options::Budget;
use crate::report::{Figure, Spec};
use crate::spread::is_steady;

/// One round of the Rust figures, in the order of the specs.
pub type RustRound<'a> = dyn FnMut() -> Result<Vec<f64>> + 'a;
/// One round of the C baseline: `None` where C has no same workload.
pub type CRound<'a> = dyn FnMut() -> Result<Vec<Option<f64>>> + 'a;

/// Runs rounds until every figure is steady after `min_runs`, or
/// `max_runs` rounds, or the budget's time is spent.
pub fn repeat(
    budget: &Budget,
    specs: &[Spec],
    rust: &mut RustRound,
    mut c: Option<&mut CRound>,
) -> Result<Vec<Figure>> {
    let before = look();
    let started = Instant::now();
    // The C baseline's runs take about as long again: so may the group.
    let time = budget.time * if c.is_some() { 2 } else { 1 };
    let mut runs: Vec<Vec<f64>> = vec![Vec::new(); specs.len()];
    let mut c_runs: Vec<Vec<f64>> = vec![Vec::new(); specs.len()];
    // ANCHOR: repeat
    for round in 1..=budget.max_runs {
        for (series, value) in runs.iter_mut().zip(rust()?) {
            series.push(value);
        }
        if let Some(c) = c.as_mut() {
            for (series, value) in c_runs.iter_mut().zip(c()?) {
                series.extend(value);
            }
        }
        let steady = runs
            .iter()
            .chain(&c_runs)
            .all(|series| series.is_empty() || is_steady(series));
        if round >= budget.min_runs && (steady || started.elapsed() > time) {
            break;
        }
    }
    // ANCHOR_END: repeat
    let noise = Noise {
        before,
        after: look(),
    };
    let figures = specs.iter().zip(runs).zip(c_runs);
    Ok(figures
        .map(|((spec, runs), c_runs)| Figure::new(spec, runs, c_runs, noise))
        .collect())
}
