//! The lines under the table: every figure with its spread and the noise
//! around it (the references and the verdict are in `references.rs`).
//! Each function returns its lines (the Markdown file and the tests reuse
//! them); every line fits in 70 columns, so 100 with the speaker tag.

pub use crate::references::{reference_lines, verdict_lines};
use crate::report::{Figure, Saved};
use crate::rules::{MARK, OTHERS_BUSY_LIMIT, disturbance, disturbed_by_others};
use crate::spread::RUNS_FOR_QUARTILES;

/// The key prefix of each numeric row (row 4, Fault isolation, has none).
const ROW_PREFIXES: [(u32, &str); 4] = [
    (1, "memory."),
    (2, "communication."),
    (3, "creation."),
    (5, "best_for."),
];

/// Figures in the table's row order, whatever order they were measured in.
pub fn in_row_order(saved: &Saved) -> Vec<&Figure> {
    (1..=5).flat_map(|row| row_figures(saved, row)).collect()
}

/// The figures of row `row` (1 to 5).
pub fn row_figures(saved: &Saved, row: u32) -> Vec<&Figure> {
    let prefix = ROW_PREFIXES.iter().find(|(n, _)| *n == row);
    let Some((_, prefix)) = prefix else {
        return Vec::new();
    };
    let of_row = |f: &&Figure| f.key.starts_with(prefix);
    saved.figures.iter().filter(of_row).collect()
}

/// Every figure's line, in row order; see [`lines_for`].
pub fn figure_lines(saved: &Saved) -> Vec<String> {
    lines_for(saved, &in_row_order(saved))
}

/// `pipe round trip, 1 CPU       9.51 µs  9.32 µs–9.80 µs ×3`, a noise
/// line after each group measured together, and why each `!` is there.
pub fn lines_for(saved: &Saved, figures: &[&Figure]) -> Vec<String> {
    let mut lines = vec![format!("{:<26} {:>10}  spread (runs)", "figure", "median")];
    let mut reasons = Vec::new();
    // ANCHOR: figure_lines
    for (i, figure) in figures.iter().enumerate() {
        let (low, high) = figure.spread();
        let (unit, runs) = (figure.unit, figure.runs.len());
        let why = disturbance(figure);
        let mark = if why.is_some() { MARK } else { "" };
        let spread = format!("{}–{}", unit.format(low), unit.format(high));
        lines.push(format!(
            "{:<26} {:>10}  {spread} ×{runs} {mark}",
            figure.label,
            figure.text()
        ));
        reasons.extend(why.map(|why| format!("{MARK} {}: {why}", figure.label)));
        if figures
            .get(i + 1)
            .is_none_or(|next| next.noise != figure.noise)
        {
            lines.push(format!("  noise: {}", figure.noise.text()));
            lines.extend(many_waits_note(saved, figure));
        }
    }
    // ANCHOR_END: figure_lines
    lines.push(format!(
        "spread: lowest–highest run (under {RUNS_FOR_QUARTILES} runs), else first–third quartile"
    ));
    lines.extend(load_note(saved, figures));
    lines.extend(reasons);
    lines.extend(advice_for_marks(figures));
    lines
}

/// What to do about the marks: a rerun helps a figure other programs
/// disturbed, and may not help one that varies from run to run on a quiet
/// machine (the cell words already follow its spread).
fn advice_for_marks(figures: &[&Figure]) -> Vec<String> {
    let marked: Vec<&&Figure> = figures
        .iter()
        .filter(|f| disturbance(f).is_some())
        .collect();
    let mut lines = Vec::new();
    if marked.iter().any(|f| disturbed_by_others(f)) {
        lines.push(format!("{MARK} disturbed: rerun on a quiet machine"));
    }
    if marked.iter().any(|f| !disturbed_by_others(f)) {
        let bound = crate::spread::SPREAD_BOUND;
        lines.push(format!(
            "{MARK} varies: runs spread wider than {bound:.2}× with nobody else busy:"
        ));
        lines.push(
            "  it may vary from run to run; a rerun may not narrow it, and the cell".to_string(),
        );
        lines.push("  words follow the spreads".to_string());
    }
    lines
}

/// After lesson 08's group: how many tasks, and what the figures count.
fn many_waits_note(saved: &Saved, figure: &Figure) -> Option<String> {
    let tasks = many_waits::grouped(saved.facts.many_waits_tasks);
    figure
        .key
        .starts_with("best_for.many_")
        .then(|| format!("  ({tasks} waiting tasks each way: memory per task, time for all)"))
}

/// Where the load average was above the cores while other programs took
/// little CPU time: why the two disagree, once.
fn load_note(saved: &Saved, figures: &[&Figure]) -> Vec<String> {
    let cores = saved.environment.cores_online as f64;
    let disagree = figures
        .iter()
        .map(|f| f.noise)
        .filter(|n| n.load() > cores && n.others_cores_busy() <= OTHERS_BUSY_LIMIT);
    let Some(noise) = disagree.max_by(|a, b| a.load().total_cmp(&b.load())) else {
        return Vec::new();
    };
    vec![
        format!(
            "load {:.2} while others kept {:.1} cores busy: the load average",
            noise.load(),
            noise.others_cores_busy()
        ),
        "  counts this program's own tasks too, and tasks in uninterruptible".to_string(),
        "  sleep (D state), which use no CPU, over the last minute; a figure".to_string(),
        "  is disturbed only by the CPU time other programs took".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::advice_for_marks;
    use crate::rules_tests::{busy, figure, quiet};
    use crate::{Side, Unit};

    #[test]
    fn a_rerun_is_advised_only_for_what_others_disturbed() {
        let wide = [100.0, 190.0, 101.0];
        let varies = figure(Side::Thread, Unit::Nanoseconds, &wide, quiet());
        let crowded = figure(Side::Thread, Unit::Nanoseconds, &wide, busy());
        let steady = figure(Side::Thread, Unit::Nanoseconds, &[100.0; 3], quiet());
        assert!(advice_for_marks(&[&steady]).is_empty());
        let quiet_advice = advice_for_marks(&[&steady, &varies]).join("\n");
        assert!(quiet_advice.starts_with("! varies") && !quiet_advice.contains("rerun on"));
        let busy_advice = advice_for_marks(&[&crowded]);
        assert_eq!(busy_advice, ["! disturbed: rerun on a quiet machine"]);
    }
}
