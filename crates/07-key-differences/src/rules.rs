//! The rules that turn this run's figures into the words in the table's
//! cells. Every word ("cheaper", "dearer", the Best For advice) comes from
//! one of the small functions here, and a figure the noise made
//! untrustworthy is marked, never silently used.

use crate::report::Figure;

mod doubt;
pub use doubt::{
    Doubt, MARK, OTHERS_BUSY_LIMIT, OTHERS_SEEN, STEAL_LIMIT, STEAL_SEEN, VARIES, disturbance,
    disturbed_by_others, doubt,
};

/// How the thread figure compares with the process figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Cheaper,
    Dearer,
    /// Their spreads overlap: this run cannot tell them apart.
    NoClearDifference,
}

/// A word, how many times apart the medians are, and whether either
/// figure was disturbed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub word: Word,
    pub times: f64,
    pub disturbed: bool,
}

// ANCHOR: compare
/// Threads against processes on one measure: "cheaper" only when the
/// thread figure's spread (see `spread`: all runs, or from five runs the
/// middle half) is wholly better than the process figure's, "dearer" when
/// it is wholly worse, and otherwise no word at all.
pub fn compare(thread: &Figure, process: &Figure) -> Verdict {
    let ((t_low, t_high), (p_low, p_high)) = (thread.spread(), process.spread());
    let (t, p) = (thread.median(), process.median());
    let higher_is_better = thread.unit.higher_is_better();
    let (better, worse) = match higher_is_better {
        false => (t_high < p_low, t_low > p_high),
        true => (t_low > p_high, t_high < p_low),
    };
    let word = match (better, worse) {
        (true, _) => Word::Cheaper,
        (_, true) => Word::Dearer,
        _ => Word::NoClearDifference,
    };
    let times = if t.min(p) > 0.0 {
        t.max(p) / t.min(p)
    } else {
        1.0
    };
    let disturbed = disturbance(thread).is_some() || disturbance(process).is_some();
    Verdict {
        word,
        times,
        disturbed,
    }
}
// ANCHOR_END: compare

impl Verdict {
    /// The words for the threads' cell and the processes' cell.
    pub fn cells(&self) -> (String, String) {
        let times = support::timing::three_figures(self.times);
        let (thread, process) = match self.word {
            Word::Cheaper => (
                format!("cheaper: {times}× less"),
                format!("dearer: {times}×"),
            ),
            Word::Dearer => (
                format!("dearer: {times}×"),
                format!("cheaper: {times}× less"),
            ),
            Word::NoClearDifference => ("no clear difference".into(), "no clear difference".into()),
        };
        (self.marked(thread), self.marked(process))
    }

    fn marked(&self, text: String) -> String {
        if self.disturbed {
            format!("{text} {MARK}")
        } else {
            text
        }
    }
}

/// The figure's median, marked when it is disturbed: `238 µs` or `238 µs !`.
pub fn marked_value(figure: &Figure) -> String {
    match disturbance(figure) {
        Some(_) => format!("{} {MARK}", figure.text()),
        None => figure.text(),
    }
}
