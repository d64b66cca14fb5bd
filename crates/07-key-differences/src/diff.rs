//! `--diff OLD.json`: this run against an earlier one (another machine,
//! another day), figure by figure, as ratios, with both runs' noise marks.

use crate::report::Saved;
use crate::rules::{MARK, disturbance};

/// Which run this is compared with, and a warning when their depths differ.
fn header(now: &Saved, old: &Saved) -> Vec<String> {
    let mut lines = vec![
        format!("earlier run: {}, {}", old.environment.date, old.depth),
        format!(
            "  {} of {} cores, {}",
            old.environment.cores_allowed, old.environment.cores_online, old.environment.kernel
        ),
    ];
    if old.depth != now.depth {
        // A quick run counts 16 idle workers, a thorough one 64, and more
        // runs make the spreads the middle half rather than all the runs.
        lines.push(format!(
            "warning: the earlier run was {}, this one {}:",
            old.depth, now.depth
        ));
        lines.push("  memory per worker and the spreads are not like for like".into());
    }
    lines.push(format!(
        "{:<26} {:>10} {:>10}  this ÷ earlier",
        "figure", "this run", "earlier"
    ));
    lines
}

/// This run against an earlier one, a line per figure:
/// `fork + _exit + waitpid      238 µs     226 µs  1.05× worse -/-`
pub fn lines(now: &Saved, old: &Saved) -> Vec<String> {
    let mut lines = header(now, old);
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
        "marks: this run/earlier run; {MARK} disturbed or varying, - steady"
    ));
    lines
}

#[cfg(test)]
mod tests {
    use crate::environment::Environment;
    use crate::noise::Noise;
    use crate::report::{Facts, Figure, Saved, Side, Spec, Unit};

    fn run(depth: &str, time: f64, rate: f64) -> Saved {
        let figure = |key, unit, x: f64| {
            let spec = Spec {
                key,
                label: key,
                side: Side::Thread,
                unit,
            };
            Figure::new(&spec, vec![x, x, x], Vec::new(), Noise::default())
        };
        Saved {
            depth: depth.into(),
            environment: Environment::read(),
            figures: vec![
                figure("creation.made_up", Unit::Nanoseconds, time),
                figure("communication.made_up", Unit::BytesPerSecond, rate),
            ],
            facts: Facts::default(),
        }
    }

    /// The line of `key` in `lines`, from its ratio on.
    fn verdict<'a>(lines: &'a [String], key: &str) -> &'a str {
        let line = lines.iter().find(|line| line.starts_with(key)).expect(key);
        line.split("  ").last().unwrap()
    }

    #[test]
    fn a_slower_time_is_worse_and_a_faster_rate_better() {
        let (earlier, now) = (run("quick", 100.0, 1e9), run("quick", 200.0, 3e9));
        let lines = super::lines(&now, &earlier);
        assert_eq!(verdict(&lines, "creation.made_up"), "2.00× worse -/-");
        assert_eq!(verdict(&lines, "communication.made_up"), "3.00× better -/-");
        let back = super::lines(&earlier, &now);
        assert_eq!(verdict(&back, "creation.made_up"), "0.50× better -/-");
        assert_eq!(verdict(&back, "communication.made_up"), "0.33× worse -/-");
        assert!(!lines.iter().any(|line| line.starts_with("warning")));
    }

    #[test]
    fn runs_of_different_depths_are_flagged() {
        let lines = super::lines(&run("quick", 1.0, 1.0), &run("thorough", 1.0, 1.0));
        let warning = "warning: the earlier run was thorough, this one quick:";
        assert!(lines.iter().any(|line| line == warning), "{lines:#?}");
    }
}
