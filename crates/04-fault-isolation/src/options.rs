//! The demo's knobs, bounded the same way in the library as on the command
//! line: a program that embeds the lesson cannot ask for a run that never ends.

use support::error::{Error, Result};

use crate::crash::Crash;

/// Units of work per worker that the lesson accepts.
pub const UNITS: std::ops::RangeInclusive<u32> = 2..=1000;
/// The most restarts the supervisor may be asked for, per worker.
pub const MAX_RESTARTS: u32 = 10;

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// Units of work per worker (in [`UNITS`]); the faulty worker fails after half.
    pub units: u32,
    /// How the faulty worker crashes in scenarios 3 to 5.
    pub crash: Crash,
    /// The supervisor's crash plan (0 to `u32::MAX`): the same number, the same faults.
    pub fault_plan: u64,
    /// Chance that one attempt of a supervised worker crashes (0 to 1).
    pub crash_probability: f64,
    /// Restarts per worker before the supervisor gives up (0 to [`MAX_RESTARTS`]).
    pub max_restarts: u32,
    /// Test hook: in scenario 3, this worker thread does not start.
    #[doc(hidden)]
    pub fail_to_start: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        let (units, crash, fault_plan) = (20, Crash::Segv, 8);
        let (crash_probability, max_restarts) = (0.35, 3);
        Options {
            units,
            crash,
            fault_plan,
            crash_probability,
            max_restarts,
            fail_to_start: None,
        }
    }
}

impl Options {
    /// The same bounds as the command line's: an error names the one broken.
    pub fn check(&self) -> Result<()> {
        let bad = |what: String| Err(Error::msg(format!("invalid option: {what}")));
        match self {
            o if !UNITS.contains(&o.units) => bad(format!("units {} is not in 2..=1000", o.units)),
            o if o.max_restarts > MAX_RESTARTS => {
                bad(format!("max_restarts {} > 10", o.max_restarts))
            }
            o if !(0.0..=1.0).contains(&o.crash_probability) => bad(format!(
                "crash_probability {} is not in 0..=1",
                o.crash_probability
            )),
            o if o.fault_plan > u64::from(u32::MAX) => {
                bad(format!("fault_plan {} is over u32::MAX", o.fault_plan))
            }
            _ => Ok(()),
        }
    }
}
