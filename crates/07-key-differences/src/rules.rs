//! The rules that turn this run's figures into the words in the table's
//! cells. Every word ("cheaper", "dearer", the Best For advice) comes from
//! one of the small functions here, and a figure the noise made
//! untrustworthy is marked, never silently used.

use crate::report::{Figure, Unit};
use crate::spread::{SPREAD_BOUND, is_steady, spread_ratio};

/// Other programs keeping more CPUs than this busy disturb a figure.
pub const OTHERS_BUSY_LIMIT: f64 = 0.5;
/// So does a hypervisor that stole more than this share of CPU time.
pub const STEAL_LIMIT: f64 = 0.10;
/// The mark beside a figure to doubt (disturbed, or varying from run to
/// run: see [`disturbance`]) or a word decided from one.
pub const MARK: &str = "!";

// ANCHOR: disturbance
/// Why `figure` should not be trusted, or `None`. Disturbed: other
/// programs (or the hypervisor) took CPU time while it was measured, and a
/// rerun on a quiet machine may do better. Or, with nobody else busy, its
/// runs stayed spread wider than the bound: it varies from run to run
/// (a round trip's speed, for one, is set anew in each process), and a
/// quiet machine will not narrow it. A size in bytes does not depend on
/// who else had the CPU, so only its spread can mark it.
pub fn disturbance(figure: &Figure) -> Option<String> {
    let noise = &figure.noise;
    let timed = figure.unit != Unit::Bytes;
    if timed && noise.others_cores_busy() > OTHERS_BUSY_LIMIT {
        let others = noise.others_cores_busy();
        Some(format!("other programs kept {others:.1} cores busy"))
    } else if timed && noise.steal_share() > STEAL_LIMIT {
        Some(format!(
            "the hypervisor stole {:.0}%",
            100.0 * noise.steal_share()
        ))
    } else if !is_steady(&figure.runs) {
        // Rounded up, so that a ratio just over the bound never prints as it.
        let ratio = (spread_ratio(&figure.runs) * 100.0).ceil() / 100.0;
        Some(format!("{VARIES}, spread {ratio:.2}× > {SPREAD_BOUND:.2}×"))
    } else {
        None
    }
}
// ANCHOR_END: disturbance

/// How [`disturbance`] starts the reason for a wide spread with nobody else
/// busy: the figure varies from run to run.
pub const VARIES: &str = "varies";

/// Other programs or the hypervisor took the CPU time: a quiet machine
/// may give a steadier figure (a wide spread alone is not this).
pub fn disturbed_by_others(figure: &Figure) -> bool {
    disturbance(figure).is_some_and(|why| !why.starts_with(VARIES))
}

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
