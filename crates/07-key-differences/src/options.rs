//! What a run measures, and how long it may keep repeating a figure.

use std::path::PathBuf;
use std::time::Duration;

use crate::baseline::Baseline;
use crate::report::Saved;

/// How long to measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Depth {
    /// A few seconds: the tour, CI and `just compare` use it.
    #[default]
    Quick,
    /// More runs per figure and bigger transfers: steadier figures.
    Thorough,
}

/// What the lesson does, and where it writes its files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub depth: Depth,
    /// Where `key-differences.md` and `.svg` go; `None`: `target/key-differences/`.
    pub out_dir: Option<PathBuf>,
    /// Where to save every sample and the environment as JSON, if asked.
    pub json: Option<PathBuf>,
    /// An earlier run to compare with (`--diff`), read before measuring.
    pub diff: Option<Saved>,
    /// The C baseline, built, to run beside the Rust figures.
    pub baseline: Option<Baseline>,
}

impl Depth {
    pub fn name(self) -> &'static str {
        match self {
            Depth::Quick => "quick",
            Depth::Thorough => "thorough",
        }
    }
}

/// Runs per figure: at least `min_runs`; then more, while the spread is
/// wider than the bound, up to `max_runs` or until `time` has passed.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub min_runs: usize,
    pub max_runs: usize,
    pub time: Duration,
}

/// The sizes behind each depth.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Timed batches per creation row in each fresh process (lesson 05).
    pub creation_repeats: usize,
    /// Idle workers per fresh process whose memory is counted (lesson 05).
    pub idle_workers: usize,
    /// Bytes through each pipe and the ring in each run (lesson 03).
    pub transfer_bytes: u64,
    /// 1-byte round trips through a pipe in each run (lesson 03).
    pub round_trips: usize,
    /// Round trips per batch on the shared word (lesson 03).
    pub spin_batch: usize,
    /// Lesson 06's options for the Best For row.
    pub workloads: when_to_use_which::Options,
    /// Lesson 08's waiting tasks for the Best For row, and its wait.
    pub many_tasks: usize,
    pub many_wait: Duration,
    /// Runs for the cheap groups and for the dear ones (fresh processes,
    /// whole lessons).
    pub cheap: Budget,
    pub dear: Budget,
    /// Runs of lesson 08's many waits (each run starts N threads).
    pub many: Budget,
}

impl Plan {
    pub fn for_depth(depth: Depth) -> Plan {
        let budget = |min_runs, max_runs, seconds| Budget {
            min_runs,
            max_runs,
            time: Duration::from_secs_f64(seconds),
        };
        let workloads = when_to_use_which::Options {
            size: 300_000,
            ..when_to_use_which::Options::quick()
        };
        let many_wait = many_waits::Options::quick().wait; // 20 ms
        match depth {
            Depth::Quick => Plan {
                creation_repeats: 3,
                idle_workers: 16,
                transfer_bytes: 64 << 20,
                round_trips: 1_000,
                spin_batch: 2_000,
                workloads,
                many_tasks: 1_000,
                many_wait,
                cheap: budget(3, 9, 0.5),
                dear: budget(2, 7, 0.5),
                many: budget(2, 5, 1.0),
            },
            Depth::Thorough => Plan {
                creation_repeats: 7,
                idle_workers: 64,
                transfer_bytes: 256 << 20,
                round_trips: 5_000,
                spin_batch: 2_000,
                workloads: when_to_use_which::Options {
                    size: 1_000_000,
                    ..workloads
                },
                many_tasks: 10_000,
                many_wait,
                cheap: budget(7, 21, 3.0),
                dear: budget(5, 11, 5.0),
                many: budget(3, 3, 0.0),
            },
        }
    }
}
