//! Rust against C: every figure whose workload the C baseline runs too,
//! side by side, as the ratio of their costs. A ratio far from 1 says the
//! lesson measures itself as well as the primitive; where std adds work of
//! its own (a thread's set-up), the table shows it as a row of its own.

use crate::report::{Figure, Saved};
use crate::rules::MARK;
use crate::spread::{is_steady, median, spread};

/// A Rust/C ratio further from 1 than this, spreads apart, is marked.
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

/// Rust and C apart: further than [`AGREEMENT`] and their spreads apart too
/// (as `rules::compare` decides), so that a pair whose runs vary from one
/// process to the next as much as they differ is not called far apart.
pub fn far_apart(figure: &Figure) -> bool {
    let ((r_low, r_high), (c_low, c_high)) = (figure.spread(), spread(&figure.c_runs));
    let spreads_apart = r_low > c_high || r_high < c_low;
    let beyond = cost_ratio(figure).is_some_and(|r| !(1.0 / AGREEMENT..=AGREEMENT).contains(&r));
    spreads_apart && beyond
}
// ANCHOR_END: against_c

/// Figures whose C workload is not the same code: marked `≠`, left out of
/// the count of rows far apart, with the reason printed under them.
pub const UNLIKE: [(&str, &str); 1] = [(
    "communication.condvar",
    "Rust's is parking_lot's Condvar, C's glibc's pthread_cond_t",
)];

/// One line per figure the C baseline measured too: `*` far apart, `!`
/// disturbed (both when both), `≠` not the same implementation.
pub fn lines(saved: &Saved) -> Vec<String> {
    let mut lines = vec![format!(
        "{:<26} {:>10} {:>10} {:>7}",
        "same workload", "Rust", "C", "Rust/C"
    )];
    let (mut apart, mut unlike) = (0, Vec::new());
    for figure in crate::print::in_row_order(saved) {
        let Some(ratio) = cost_ratio(figure) else {
            continue;
        };
        let c = figure.unit.format(median(&figure.c_runs));
        let why_unlike = UNLIKE.iter().find(|(key, _)| *key == figure.key);
        let far = why_unlike.is_none() && far_apart(figure);
        let unsteady = crate::rules::disturbance(figure).is_some() || !is_steady(&figure.c_runs);
        apart += usize::from(far);
        let mut mark = String::new();
        for (on, sign) in [(why_unlike.is_some(), "≠"), (far, "*"), (unsteady, MARK)] {
            if on {
                mark.push_str(sign);
            }
        }
        if let Some((_, why)) = why_unlike {
            unlike.push(format!("≠ {}: not the same code:", figure.label));
            unlike.push(format!("  {why}"));
        }
        lines.push(format!(
            "{:<26} {:>10} {c:>10} {ratio:>6.2}× {mark}",
            figure.label,
            figure.text()
        ));
    }
    lines.push("Rust/C: Rust's time over C's, or C's rate over Rust's;".to_string());
    lines.push(format!("  above 1, Rust was slower. * far apart: {apart}"));
    lines.push(format!(
        "  (medians over {AGREEMENT}× apart, and the two spreads apart too)"
    ));
    lines.push(format!("{MARK}: Rust's or C's runs disturbed or varying"));
    lines.extend(unlike);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules_tests::{busy, figure, quiet};
    use crate::{Side, Unit};

    #[test]
    fn a_row_far_from_c_and_disturbed_shows_both_marks() {
        let mut far = figure(Side::Process, Unit::Nanoseconds, &[200.0; 3], busy());
        far.key = "communication.spin".into();
        far.c_runs = vec![100.0; 3];
        let mut condvar = figure(Side::Thread, Unit::Nanoseconds, &[5e3; 3], quiet());
        condvar.key = "communication.condvar".into();
        condvar.c_runs = vec![10e3; 3];
        let saved = Saved {
            depth: "quick".into(),
            environment: crate::environment::Environment::read(),
            figures: vec![condvar, far],
            facts: Default::default(),
        };
        let lines = lines(&saved);
        assert!(lines[1].ends_with(" 0.50× ≠"), "{lines:#?}");
        assert!(lines[2].ends_with(" 2.00× *!"), "{lines:#?}");
        assert!(
            lines.iter().any(|l| l.ends_with("far apart: 1")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("parking_lot")),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_rate_is_compared_as_c_over_rust() {
        let mut slow = figure(Side::Process, Unit::BytesPerSecond, &[1e9; 3], quiet());
        slow.c_runs = vec![2e9; 3];
        assert_eq!(cost_ratio(&slow), Some(2.0), "half C's rate costs twice");
        let mut fast = figure(Side::Process, Unit::Nanoseconds, &[100.0; 3], quiet());
        fast.c_runs = vec![400.0; 3];
        assert_eq!(cost_ratio(&fast), Some(0.25));
        assert!(far_apart(&slow) && far_apart(&fast));
    }

    #[test]
    fn far_apart_needs_the_medians_and_the_spreads_apart() {
        let mut wide = figure(
            Side::Process,
            Unit::Nanoseconds,
            &[100.0, 130.0, 160.0],
            quiet(),
        );
        wide.c_runs = vec![80.0, 100.0, 120.0];
        assert!((cost_ratio(&wide).unwrap() - 1.3).abs() < 1e-9);
        assert!(!far_apart(&wide));
        let mut near = figure(Side::Process, Unit::Nanoseconds, &[110.0; 3], quiet());
        near.c_runs = vec![100.0; 3];
        assert!(!far_apart(&near));
    }
}
