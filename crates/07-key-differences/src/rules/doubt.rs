//! Whether a figure is to be doubted, and why: disturbed by others, maybe
//! disturbed, or varying with nobody else seen busy.

use crate::report::{Figure, Unit};
use crate::spread::{SPREAD_BOUND, is_steady, spread_ratio};

/// Other programs keeping more CPUs than this busy disturb a figure.
pub const OTHERS_BUSY_LIMIT: f64 = 0.5;
/// So does a hypervisor that stole more than this share of CPU time.
pub const STEAL_LIMIT: f64 = 0.10;
/// The mark beside a figure to doubt (disturbed, or varying from run to
/// run: see [`disturbance`]) or a word decided from one.
pub const MARK: &str = "!";

/// Others' CPU time below this is within what the counters resolve over a
/// short group (about a tenth of a core): nobody else was seen busy.
pub const OTHERS_SEEN: f64 = 0.1;
/// Steal up to this share (a few ticks of a short group) is nobody else
/// either.
pub const STEAL_SEEN: f64 = 0.05;

/// Why a figure is doubted: see [`doubt`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Doubt {
    /// Other programs kept this many cores busy, over the limit.
    Others(f64),
    /// The hypervisor stole this share of CPU time, over the limit.
    Steal(f64),
    /// Runs spread this wide while others kept some cores busy (or the
    /// hypervisor stole some time), under the limits but above what the
    /// counters resolve: they may have caused it.
    Busy {
        spread: f64,
        others: f64,
        steal: f64,
    },
    /// Runs spread this wide with nobody else busy.
    Varies(f64),
}

// ANCHOR: disturbance
/// Why `figure` should not be trusted, or `None`. Disturbed: other
/// programs (or the hypervisor) took CPU time while it was measured, and a
/// rerun on a quiet machine may do better; a wide spread while others
/// took less than that but still some time may be their doing too. Or,
/// with nobody else seen busy, its runs stayed spread wider than the
/// bound: it may vary from run to run (a round trip's speed, for one, is
/// set anew in each process), and a rerun may not narrow it. A size in
/// bytes does not depend on who else had the CPU, so only its spread can
/// mark it.
pub fn doubt(figure: &Figure) -> Option<Doubt> {
    let noise = &figure.noise;
    let timed = figure.unit != Unit::Bytes;
    let (others, steal) = (noise.others_cores_busy(), noise.steal_share());
    // Rounded up, so that a ratio just over the bound never prints as it.
    let spread = (spread_ratio(&figure.runs) * 100.0).ceil() / 100.0;
    if timed && others > OTHERS_BUSY_LIMIT {
        Some(Doubt::Others(others))
    } else if timed && steal > STEAL_LIMIT {
        Some(Doubt::Steal(steal))
    } else if is_steady(&figure.runs) {
        None
    } else if timed && (others > OTHERS_SEEN || steal > STEAL_SEEN) {
        Some(Doubt::Busy {
            spread,
            others,
            steal,
        })
    } else {
        Some(Doubt::Varies(spread))
    }
}
// ANCHOR_END: disturbance

impl Doubt {
    /// The reason printed after the figure's label.
    pub fn reason(&self) -> String {
        match *self {
            Doubt::Others(others) => format!("other programs kept {others:.1} cores busy"),
            Doubt::Steal(steal) => format!("the hypervisor stole {:.0}%", 100.0 * steal),
            Doubt::Busy {
                spread,
                others,
                steal,
            } => {
                // Short: it follows the figure's label on a line of 100 columns.
                let who = if others > OTHERS_SEEN {
                    format!("others at {others:.1} cores")
                } else {
                    format!("{:.0}% stolen", 100.0 * steal)
                };
                format!("spread {spread:.2}× with {who}")
            }
            Doubt::Varies(spread) => {
                format!("{VARIES}, spread {spread:.2}× > {SPREAD_BOUND:.2}×")
            }
        }
    }
}

/// Why `figure` should not be trusted, in words, or `None`: see [`doubt`].
pub fn disturbance(figure: &Figure) -> Option<String> {
    doubt(figure).map(|doubt| doubt.reason())
}

/// How the reason for a wide spread with nobody else busy starts: the
/// figure may vary from run to run.
pub const VARIES: &str = "varies";

/// Other programs or the hypervisor took (or may have taken) the CPU
/// time: a rerun on a quiet machine may give a steadier figure (a wide
/// spread with nobody else busy is not this).
pub fn disturbed_by_others(figure: &Figure) -> bool {
    doubt(figure).is_some_and(|doubt| !matches!(doubt, Doubt::Varies(_)))
}
