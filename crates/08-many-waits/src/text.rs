//! Numbers and sentences printed one way: counts as `9_545_128`, byte
//! counts that may be negative, and text wrapped to fit beside the tag.

use support::say;
use support::timing::{format_bytes, three_figures};

/// `9545128` as `9_545_128`: every count in the lesson is printed this way.
pub fn grouped(number: usize) -> String {
    let digits = number.to_string();
    let groups: Vec<_> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(String::from_utf8_lossy)
        .collect();
    groups.join("_")
}

/// A byte count that may be negative (a whole-machine figure that fell).
pub fn bytes(bytes: Option<i64>) -> String {
    match bytes {
        Some(b) if b < 0 => format!("-{}", format_bytes(b.unsigned_abs())),
        Some(b) => format_bytes(b as u64),
        None => "?".to_string(),
    }
}

/// Prints `first` then `text`, in lines of at most 70 columns (a tag with
/// a 7-digit pid takes the other 30); the lines after the first are
/// indented as far as `first` reaches. A number is never parted from its
/// unit.
pub fn wrapped(first: &str, text: &str) {
    const UNITS: [&str; 7] = ["ns", "µs", "ms", "s", "B", "KiB", "MiB"];
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(number) if UNITS.contains(&word.trim_end_matches([',', '.', ';'])) => {
                number.push(' ');
                number.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    let (mut line, indent) = (first.to_string(), " ".repeat(first.chars().count()));
    for word in words {
        let fits = line.chars().count() + 1 + word.chars().count() <= 70;
        if !fits && !line.trim().is_empty() {
            say!("{line}");
            line = indent.clone();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    say!("{line}");
}

/// `10, 100 and 1_000 tasks`, or `no N of this run`.
pub fn listed(tasks: &[usize]) -> String {
    let mut words: Vec<String> = tasks.iter().map(|&n| grouped(n)).collect();
    match (words.pop(), words.is_empty()) {
        (None, _) => "no N of this run".to_string(),
        (Some(last), true) => format!("{last} tasks"),
        (Some(last), false) => format!("{} and {last} tasks", words.join(", ")),
    }
}

/// `a / b` as a ratio (see [`times`]).
pub fn ratio(a: std::time::Duration, b: std::time::Duration) -> String {
    times(a.as_secs_f64(), b.as_secs_f64())
}

/// `a / b` as `19.9×` (or `1_778×`), or `?` when `b` is not above zero.
pub fn times(a: f64, b: f64) -> String {
    let small = |r: f64| (r < 1e3).then(|| three_figures(r));
    let figures = |r: f64| small(r).unwrap_or_else(|| grouped(r as usize));
    let ratio = (b > 0.0).then(|| format!("{}×", figures(a / b)));
    ratio.unwrap_or_else(|| "?".into())
}

/// `text` indented by two, in lines of at most 100 columns.
pub fn in_lines(text: &str) -> String {
    let mut lines = vec![String::from(" ")];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.chars().count() + 1 + word.chars().count() > 100 && line.len() > 2 {
            lines.push(String::from(" "));
        }
        let line = lines.last_mut().expect("one line at least");
        line.push(' ');
        line.push_str(word);
    }
    lines.join("\n")
}
