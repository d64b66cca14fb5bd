//! Rust against C: every figure whose workload the C baseline runs too,
//! side by side, as the ratio of their costs. A ratio far from 1 says the
//! lesson measures itself as well as the primitive; where std adds work of
//! its own (a thread's set-up), the table shows it as a row of its own.

use crate::report::{Figure, Saved};
use crate::rules::MARK;
use crate::spread::{is_steady, median};

/// A Rust/C ratio further from 1 than this is marked.
pub const AGREEMENT: f64 = 1.25;

// ANCHOR: against_c
/// Rust's cost over C's: time over time, or C's rate over Rust's. Above 1:
/// the Rust figure was slower.
pub fn cost_ratio(figure: &Figure) -> Option<f64> {
    let (rust, c) = (figure.median(), median(&figure.c_runs));
    if figure.c_runs.is_empty() || rust <= 0.0 || c <= 0.0 {
        return None;
    }
    Some(if figure.unit.higher_is_better() {
        c / rust
    } else {
        rust / c
    })
}
// ANCHOR_END: against_c

/// One line per figure the C baseline measured too.
pub fn lines(saved: &Saved) -> Vec<String> {
    let mut lines = vec![format!(
        "{:<26} {:>10} {:>10} {:>7}",
        "same workload", "Rust", "C", "Rust/C"
    )];
    let mut apart = 0;
    for figure in crate::print::in_row_order(saved) {
        let Some(ratio) = cost_ratio(figure) else {
            continue;
        };
        let c = figure.unit.format(median(&figure.c_runs));
        let far = !(1.0 / AGREEMENT..=AGREEMENT).contains(&ratio);
        let unsteady = crate::rules::disturbance(figure).is_some() || !is_steady(&figure.c_runs);
        apart += usize::from(far);
        let mark = match (far, unsteady) {
            (_, true) => MARK,
            (true, false) => "*",
            (false, false) => "",
        };
        lines.push(format!(
            "{:<26} {:>10} {c:>10} {ratio:>6.2}× {mark}",
            figure.label,
            figure.text()
        ));
    }
    lines.push("Rust/C: Rust's time over C's, or C's rate over Rust's;".to_string());
    lines.push(format!(
        "  above 1, Rust was slower. * more than {AGREEMENT}× apart: {apart}"
    ));
    lines.push(format!(
        "{MARK}: Rust's or C's runs disturbed (see the figures above)"
    ));
    lines
}
