//! What the lesson measured, as data: every figure with every run, the
//! facts the lessons checked, the machine. The same types are written by
//! `--json` and read back by `--diff`.

use serde::{Deserialize, Serialize};
use support::timing::{format_bytes, format_duration, three_figures};

use crate::environment::Environment;
use crate::noise::Noise;

/// Which column of the table a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Thread,
    Process,
    /// A reference: the same work with no second party at all.
    Reference,
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Nanoseconds,
    BytesPerSecond,
    Bytes,
    /// A speed-up: one worker's time over this way's time.
    Times,
}

impl Unit {
    /// A rate or a speed-up is better high; a time or a size, low.
    pub fn higher_is_better(self) -> bool {
        matches!(self, Unit::BytesPerSecond | Unit::Times)
    }

    /// `238 µs`, `1.73 GiB/s`, `43.6 KiB`, `1.91×`.
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Nanoseconds => format_duration(std::time::Duration::from_nanos(value as u64)),
            Unit::BytesPerSecond => format!("{}/s", format_bytes(value.max(0.0) as u64)),
            Unit::Bytes => format_bytes(value.max(0.0) as u64),
            Unit::Times => format!("{}×", three_figures(value)),
        }
    }
}

/// What a figure is, before it is measured.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Stable name, for `--json` and `--diff`: `creation.fork_exit`.
    pub key: &'static str,
    pub label: &'static str,
    pub side: Side,
    pub unit: Unit,
}

/// One figure: the value of every run, the noise around the runs, and the
/// C baseline's runs of the same workload (with `--against-c`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub side: Side,
    pub unit: Unit,
    pub runs: Vec<f64>,
    pub c_runs: Vec<f64>,
    pub noise: Noise,
}

impl Figure {
    pub fn new(spec: &Spec, runs: Vec<f64>, c_runs: Vec<f64>, noise: Noise) -> Figure {
        Figure {
            key: spec.key.to_string(),
            label: spec.label.to_string(),
            side: spec.side,
            unit: spec.unit,
            runs,
            c_runs,
            noise,
        }
    }

    /// The figure as printed: its median run.
    pub fn median(&self) -> f64 {
        crate::spread::median(&self.runs)
    }

    /// The spread shown beside the median, low and high.
    pub fn spread(&self) -> (f64, f64) {
        crate::spread::spread(&self.runs)
    }

    pub fn text(&self) -> String {
        self.unit.format(self.median())
    }
}

/// How a fault ended, as lesson 04 saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// "panic in a thread", "crash in a thread", "crash in a child process".
    pub fault: String,
    /// The signal that ended the process that held the fault, if one did.
    pub signal: Option<String>,
    pub results_delivered: u32,
    pub workers: u32,
    pub parent_survived: bool,
}

/// What the lessons checked, yes or no, in this run (all `false` for a
/// row that was not measured: `--part`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Lesson 02: every thread saw one value at one address.
    pub threads_share_memory: bool,
    /// Lesson 01: children changed their copies, the parent's stayed.
    pub processes_separate: bool,
    /// Lesson 02: a thread read another's buffer in place.
    pub read_in_place: bool,
    /// Lesson 03: every transfer's checksum matched.
    pub transfers_verified: bool,
    /// Lesson 06: serial, threads and processes gave the same answers.
    pub answers_agree: bool,
    pub faults: Vec<Fault>,
    /// Lesson 08: waiting tasks per model in the many-waits figures (0: none).
    #[serde(default)]
    pub many_waits_tasks: usize,
}

/// A whole run: what `--json` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// "quick" or "thorough".
    pub depth: String,
    pub environment: Environment,
    pub figures: Vec<Figure>,
    pub facts: Facts,
}

impl Saved {
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|figure| figure.key == key)
    }
}

/// What `run` returns (in `files.rs`, which writes its files).
pub use crate::files::Report;
