//! Scenario 4: four worker *processes*, forked from this one; worker-2
//! crashes. Each has an address space of its own, so the fault ends only
//! worker-2: the parent reaps each by pid, and three results arrive intact
//! through their pipes.

use std::fs::File;
use std::io::Read;

use support::error::{Context, Result};
use support::say;

use crate::report::{CrashInChildReport, Outcome, ProcessResult};
use crate::work::{decode_record, fault_free_result, others_than, reap, short, units_before_fault};
use crate::worker_process::start_worker_process;
use crate::{FAULTY_WORKER, Options, WORKERS};

/// Scenario 4: four worker processes, one crashes.
pub fn crash_in_child(options: &Options) -> Result<CrashInChildReport> {
    options.check()?;
    support::forking::prepare_to_fork()?; // it forks: refuse before printing anything
    let (units, fail_at) = (options.units, units_before_fault(options.units));
    say!(
        "{WORKERS} worker processes, forked, {units} units each; worker-{FAULTY_WORKER} crashes after {fail_at}"
    );
    // ANCHOR: crash_in_child
    let mut started = Vec::new();
    for worker in 1..=WORKERS {
        let crash_after = (worker == FAULTY_WORKER).then_some(fail_at);
        let (guard, read_end) = start_worker_process(worker, units, crash_after, options.crash)?;
        say!("forked worker-{worker}: pid={}", guard.pid());
        started.push((worker, guard, read_end));
    }
    // ANCHOR_END: crash_in_child
    // ANCHOR: reap_each
    let mut workers = Vec::new();
    for (worker, guard, read_end) in started {
        let (pid, mut bytes) = (guard.pid().as_raw(), Vec::new());
        // EOF once the child has exited or died: no write end is left open.
        File::from(read_end)
            .read_to_end(&mut bytes)
            .context("read(2) from a pipe")?;
        let ending = reap(guard)?; // waitpid(2) for this pid: how did it end?
        let value = decode_record(&bytes, worker, units);
        let correct = value
            .as_ref()
            .is_ok_and(|&v| v == fault_free_result(worker, units));
        let (how, check) = (short(ending), if correct { "as expected" } else { "WRONG" });
        match &value {
            Ok(v) => say!("worker-{worker} pid={pid}: {how}; {v:#018x}, {check}"),
            Err(why) => say!("worker-{worker} pid={pid}: {how}; no result ({why})"),
        }
        workers.push(ProcessResult {
            worker,
            pid,
            ending,
            value: value.ok(),
            correct,
        });
    }
    // ANCHOR_END: reap_each
    Ok(tell(workers, units, fail_at))
}

/// The died / survived / lost lines, from what the parent reaped and read.
fn tell(workers: Vec<ProcessResult>, units: u32, fail_at: u32) -> CrashInChildReport {
    let delivered = workers.iter().filter(|w| w.correct).count() as u32;
    let crashed: Vec<&ProcessResult> = workers
        .iter()
        .filter(|w| w.ending.signal().is_some())
        .collect();
    say!(
        "this parent, pid={}, is untouched: it holds {delivered} checked results",
        std::process::id()
    );
    let died: Vec<String> = crashed
        .iter()
        .map(|w| format!("worker-{} (pid={})", w.worker, w.pid))
        .collect();
    say!(
        "died:     {}, alone",
        if died.is_empty() {
            "no worker".to_string()
        } else {
            died.join(", ")
        }
    );
    say!("survived: {} and this parent", others_than(FAULTY_WORKER));
    say!(
        "lost:     worker-{FAULTY_WORKER}'s result: {units} units, {fail_at} of them already done"
    );
    let ending = crashed.first().map(|w| w.ending);
    CrashInChildReport {
        outcome: Outcome::new(
            "crash in a child process",
            units,
            delivered,
            fail_at,
            ending,
        ),
        workers,
    }
}
