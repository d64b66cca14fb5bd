//! Row 3, Creation: what it costs to start a worker and wait for it to
//! end. Lesson 05's own measurement, in a fresh copy of this program each
//! run (a fork in a process that has run threads costs more), and with
//! `--against-c` the C baseline's same batches in a fresh process too.

use support::error::{Error, Result};

use crate::baseline::Baseline;
use crate::options::Plan;
use crate::repeat::{CRound, repeat};
use crate::report::{Figure, Side, Spec, Unit};

const fn spec(key: &'static str, label: &'static str, side: Side) -> Spec {
    Spec {
        key,
        label,
        side,
        unit: Unit::Nanoseconds,
    }
}

pub const SPECS: [Spec; 5] = [
    spec(
        "creation.std_thread",
        "std thread spawn + join",
        Side::Thread,
    ),
    spec("creation.pthread", "pthread_create + join", Side::Thread),
    spec(
        "creation.fork_exit",
        "fork + _exit + waitpid",
        Side::Process,
    ),
    spec("creation.fork_exec", "fork + exec + waitpid", Side::Process),
    spec("creation.spawn", "posix_spawn + waitpid", Side::Process),
];

// ANCHOR: creation
/// Every creation row, one fresh process per run.
pub fn creation(plan: &Plan, baseline: Option<&Baseline>) -> Result<Vec<Figure>> {
    let repeats = plan.creation_repeats;
    let mut rust = || -> Result<Vec<f64>> {
        let costs = creation_cost::measure_creation(repeats)?; // a fresh process
        let rows = [costs.thread_spawn, costs.pthread_create, costs.fork_exit];
        let rows = rows.into_iter().chain([costs.fork_exec, costs.command]);
        Ok(rows.map(|stats| stats.median.as_nanos() as f64).collect())
    };
    let mut c = baseline.map(|baseline| {
        move || -> Result<Vec<Option<f64>>> {
            let printed = baseline.run(&["creation", &repeats.to_string()])?;
            let fork = printed
                .median("fork")
                .ok_or_else(|| Error::msg("no C fork figure"))?;
            // std's own set-up has no C counterpart: its row stands alone.
            let names = ["pthread", "exec", "spawn"].map(|name| printed.median(name));
            Ok(vec![None, names[0], Some(fork), names[1], names[2]])
        }
    });
    let c = c.as_mut().map(|c| c as &mut CRound);
    repeat(&plan.dear, &SPECS, &mut rust, c)
}
// ANCHOR_END: creation
