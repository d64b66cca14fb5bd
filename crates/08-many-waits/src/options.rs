//! The demo's settings: which numbers of tasks, and how long each wait.

use std::path::PathBuf;
use std::time::Duration;

/// The most `--tasks` (the descriptor limit may allow fewer).
pub const MAX_TASKS: u32 = 100_000;
/// The longest `--wait-ms`.
pub const MAX_WAIT_MS: u32 = 1_000;
/// The default ladder's top, and the default wait.
pub const DEFAULT_TOP: u32 = 10_000;
pub const DEFAULT_WAIT_MS: u32 = 100;

/// What `run` measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The numbers of tasks, smallest first: each model runs at each.
    pub ladder: Vec<usize>,
    /// How long the driver sleeps before each round's questions.
    pub wait: Duration,
    /// Where the SVG chart goes; `None`: `target/many-waits/` beside the
    /// running program.
    pub out_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ladder: ladder(DEFAULT_TOP as usize),
            wait: Duration::from_millis(DEFAULT_WAIT_MS as u64),
            out_dir: None,
        }
    }
}

impl Options {
    /// The quick form (the tour, CI): 10, 100, 1_000 tasks, 20 ms waits.
    pub fn quick() -> Options {
        Options {
            ladder: ladder(1_000),
            wait: Duration::from_millis(20),
            out_dir: None,
        }
    }
}

/// 10, 100, 1_000, … below `top`, then `top` itself.
pub fn ladder(top: usize) -> Vec<usize> {
    let mut steps: Vec<usize> = std::iter::successors(Some(10), |n: &usize| n.checked_mul(10))
        .take_while(|n| *n < top)
        .collect();
    steps.push(top.max(1));
    steps
}

#[cfg(test)]
mod tests {
    use super::ladder;

    #[test]
    fn the_ladder_climbs_by_tens_and_ends_at_its_top() {
        assert_eq!(ladder(10_000), [10, 100, 1_000, 10_000]);
        assert_eq!(ladder(5_000), [10, 100, 1_000, 5_000]);
        assert_eq!(ladder(10), [10]);
        assert_eq!(ladder(3), [3]);
    }
}
