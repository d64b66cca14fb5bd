//! The five rows of the Key Differences table, each cell built from this
//! run's figures by the rules in `rules.rs` and `advice.rs`: a claim, then
//! the figures behind it. Cells are kept short (23 columns) so that the
//! table fits a projector, speaker tag included.

use support::error::{Error, Result};

use crate::render::Row;
use crate::report::{Figure, Saved};
use crate::rules::{MARK, Verdict, compare, marked_value};
use crate::table_last_rows::{best_for_row, faults};

/// The five rows, in the Key Differences table's order.
pub fn rows(saved: &Saved) -> Result<Vec<Row>> {
    (1..=5).map(|n| row(saved, n)).collect()
}

/// Row `n` (1 to 5) of the table, from the figures it needs.
pub fn row(saved: &Saved, n: u32) -> Result<Row> {
    let run = Run(saved);
    match n {
        1 => memory(&run),
        2 => communication(&run),
        3 => creation(&run),
        4 => Ok(faults(saved)),
        _ => best_for_row(&run),
    }
}

/// The run's figures, looked up by key.
pub(crate) struct Run<'a>(pub &'a Saved);

impl Run<'_> {
    pub fn figure(&self, key: &str) -> Result<&Figure> {
        let missing = || Error::msg(format!("no figure {key} was measured"));
        self.0.figure(key).ok_or_else(missing)
    }

    /// `238 µs`, or `238 µs !` for a disturbed figure.
    fn value(&self, key: &str) -> Result<String> {
        self.figure(key).map(marked_value)
    }

    fn compare(&self, thread: &str, process: &str) -> Result<(String, String)> {
        let verdict: Verdict = compare(self.figure(thread)?, self.figure(process)?);
        Ok(verdict.cells())
    }
}

/// `yes` when the lesson saw it, else `no` with the mark.
pub(crate) fn seen(ok: bool, yes: &str, no: &str) -> String {
    if ok {
        yes.to_string()
    } else {
        format!("{no} {MARK}")
    }
}

// ANCHOR: creation_row
fn creation(run: &Run) -> Result<Row> {
    let (threads, processes) = run.compare("creation.std_thread", "creation.fork_exit")?;
    Ok(Row::new("Creation")
        .threads(threads)
        .threads(format!("spawn {}", run.value("creation.std_thread")?))
        .threads(format!("pthread {}", run.value("creation.pthread")?))
        .processes(processes)
        .processes(format!("fork {}", run.value("creation.fork_exit")?))
        .processes(format!("fork+exec {}", run.value("creation.fork_exec")?))
        .processes(format!("posix_spawn {}", run.value("creation.spawn")?)))
}
// ANCHOR_END: creation_row

fn memory(run: &Run) -> Result<Row> {
    let facts = &run.0.facts;
    let (threads, processes) = run.compare("memory.thread", "memory.process")?;
    Ok(Row::new("Memory")
        .threads(seen(
            facts.threads_share_memory,
            "shared (verified)",
            "shared: NOT seen",
        ))
        .threads(format!("per thread {}", run.value("memory.thread")?))
        .threads(threads)
        .processes(seen(
            facts.processes_separate,
            "separate (verified)",
            "separate: NOT seen",
        ))
        .processes(format!("per process {}", run.value("memory.process")?))
        .processes(processes))
}

fn communication(run: &Run) -> Result<Row> {
    let facts = &run.0.facts;
    let trip = run.compare("communication.condvar", "communication.pipe_one_cpu")?;
    let (copied, sums) = ("copies (checksums ok)", "copies: sums FAILED");
    Ok(Row::new("Communication")
        .threads(seen(
            facts.read_in_place,
            "no copy (verified)",
            "no copy: NOT seen",
        ))
        .threads(format!("Condvar {}", run.value("communication.condvar")?))
        .threads(trip.0)
        .processes(seen(facts.transfers_verified, copied, sums))
        .processes(format!(
            "pipe trip {}",
            run.value("communication.pipe_one_cpu")?
        ))
        .processes(trip.1)
        .processes(format!("pipe {}", run.value("communication.pipe")?))
        .processes(format!("ring {}", run.value("communication.ring")?)))
}
