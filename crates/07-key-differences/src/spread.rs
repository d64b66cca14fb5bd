//! A figure's median and its spread over runs, and the rule that says when
//! the spread is too wide to trust. With fewer than five runs the spread is
//! the lowest to the highest run; from five on, the middle half of them
//! (the interquartile range), so one run that met a busy moment does not
//! hide four that agree.

/// A figure whose spread (high over low) is wider than this is not steady:
/// it is run again while time allows, and marked disturbed if it stays so.
pub const SPREAD_BOUND: f64 = 1.20;

/// From this many runs on, the spread is the middle half of the runs.
pub const RUNS_FOR_QUARTILES: usize = 5;

fn sorted(runs: &[f64]) -> Vec<f64> {
    let mut sorted = runs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// The median run (the mean of the two middle ones for an even count); 0
/// for no runs.
pub fn median(runs: &[f64]) -> f64 {
    let sorted = sorted(runs);
    match sorted.len() {
        0 => 0.0,
        n => (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0,
    }
}

/// The spread shown beside the median: (lowest, highest) run, or the first
/// and third quartile (nearest run) from five runs on.
pub fn spread(runs: &[f64]) -> (f64, f64) {
    let sorted = sorted(runs);
    let n = sorted.len();
    match n {
        0 => (0.0, 0.0),
        _ if n < RUNS_FOR_QUARTILES => (sorted[0], sorted[n - 1]),
        _ => (sorted[n / 4], sorted[(3 * n) / 4]),
    }
}

/// High over low: 1.0 for runs that all agree.
pub fn spread_ratio(runs: &[f64]) -> f64 {
    let (low, high) = spread(runs);
    if low > 0.0 { high / low } else { f64::INFINITY }
}

/// The runs agree within [`SPREAD_BOUND`].
pub fn is_steady(runs: &[f64]) -> bool {
    spread_ratio(runs) <= SPREAD_BOUND
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_spread_of_few_and_many_runs() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(spread(&[3.0, 1.0, 2.0]), (1.0, 3.0));
        // Five runs: one wild run falls outside the middle half.
        let runs = [100.0, 101.0, 99.0, 102.0, 300.0];
        assert_eq!(spread(&runs), (100.0, 102.0));
        assert!(is_steady(&runs));
        assert!(!is_steady(&[100.0, 300.0, 101.0]));
    }
}
