//! `--diff OLD.json`: this run against an earlier one (another machine,
//! another day), figure by figure, as ratios, with both runs' noise marks.

use crate::report::Saved;
use crate::rules::{MARK, disturbance};

/// `fork + _exit + waitpid   238 µs   226 µs  1.05× slower`
pub fn lines(now: &Saved, old: &Saved) -> Vec<String> {
    let mut lines = vec![
        format!("earlier run: {}, {}", old.environment.date, old.depth),
        format!(
            "  {} of {} cores, {}",
            old.environment.cores_allowed, old.environment.cores_online, old.environment.kernel
        ),
        format!(
            "{:<26} {:>10} {:>10}  this ÷ earlier",
            "figure", "this run", "earlier"
        ),
    ];
    for figure in crate::print::in_row_order(now) {
        let Some(before) = old.figure(&figure.key) else {
            lines.push(format!(
                "{:<26} {:>10} {:>10}",
                figure.label,
                figure.text(),
                "-"
            ));
            continue;
        };
        // ANCHOR: diff
        let ratio = figure.median() / before.median().max(f64::MIN_POSITIVE);
        let better = (ratio > 1.0) == figure.unit.higher_is_better();
        let word = if (ratio - 1.0).abs() < 0.005 {
            "same"
        } else if better {
            "better"
        } else {
            "worse"
        };
        let marks: String = [disturbance(figure), disturbance(before)]
            .iter()
            .map(|why| if why.is_some() { MARK } else { "-" })
            .collect::<Vec<_>>()
            .join("/");
        let (this, then) = (figure.text(), before.text());
        lines.push(format!(
            "{:<26} {this:>10} {then:>10}  {ratio:.2}× {word} {marks}",
            figure.label
        ));
        // ANCHOR_END: diff
    }
    lines.push(format!(
        "marks: this run/earlier run; {MARK} disturbed, - steady"
    ));
    lines
}
