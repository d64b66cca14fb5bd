//! Scenario 1: four worker threads; worker-2 panics part way. A panic in a
//! *spawned* thread unwinds that thread's stack and ends it: `join()` hands
//! the panic back as `Err`, and the other threads and this process carry
//! on. (On the main thread a panic ends the process, exit 101; a panic
//! during unwinding aborts; with `panic = "abort"` every panic is scenario 3.)

use std::thread;

use support::error::{Context, Result};
use support::say;

use crate::panics::{SaysWhenUnwound, payload_text, with_panics_told_by_say};
use crate::report::{Outcome, PanicReport, WorkerResult};
use crate::work::{fault_free_result, fold, others_than, units_before_fault, work_unit};
use crate::{FAULTY_WORKER, Options, WORKERS};

/// Scenario 1: four worker threads, one panics part way.
pub fn panic_in_thread(options: &Options) -> Result<PanicReport> {
    let units = options.units;
    let fail_at = units_before_fault(units);
    say!(
        "{WORKERS} worker threads, {units} units each; worker-{FAULTY_WORKER} panics after {fail_at}"
    );
    // ANCHOR: panic_in_thread
    let joined: Vec<(u32, thread::Result<u64>)> = with_panics_told_by_say(|| {
        thread::scope(|scope| {
            let mut handles = Vec::new();
            for worker in 1..=WORKERS {
                let handle = thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn_scoped(scope, move || {
                        let _partial = SaysWhenUnwound("my partial result");
                        let mut result = 0;
                        for unit in 0..units {
                            if worker == FAULTY_WORKER && unit == fail_at {
                                panic!("worker-{worker} met a bad input in unit {unit}");
                            }
                            result = fold(result, work_unit(worker, unit));
                        }
                        result
                    })
                    .context("spawn of a worker thread")?;
                handles.push((worker, handle));
            }
            // join() returns Err(payload) for a thread that panicked.
            Ok(handles.into_iter().map(|(w, h)| (w, h.join())).collect())
        })
    })?;
    // ANCHOR_END: panic_in_thread
    Ok(tell(joined, units, fail_at))
}

/// Prints what each `join()` returned and the died / survived / lost lines.
fn tell(joined: Vec<(u32, thread::Result<u64>)>, units: u32, fail_at: u32) -> PanicReport {
    let (mut survivors, mut payload, mut panicked) = (Vec::new(), String::new(), Vec::new());
    for (worker, joined) in joined {
        match joined {
            Ok(value) => {
                let correct = value == fault_free_result(worker, units);
                let check = if correct { "as expected" } else { "WRONG" };
                say!("worker-{worker}: join() = Ok({value:#018x}): {units} units, {check}");
                survivors.push(WorkerResult {
                    worker,
                    value,
                    correct,
                });
            }
            Err(panic_payload) => {
                payload = payload_text(panic_payload.as_ref());
                say!("worker-{worker}: join() = Err({payload:?})");
                panicked.push(worker);
            }
        }
    }
    let delivered = survivors.iter().filter(|s| s.correct).count() as u32;
    say!(
        "the process carries on: still pid {}, main thread running",
        std::process::id()
    );
    let died: Vec<String> = panicked
        .iter()
        .map(|w| format!("worker-{w}'s thread"))
        .collect();
    say!(
        "died:     {}, its stack unwound; nothing else",
        died.join(", ")
    );
    say!(
        "survived: {} ({delivered} results) and this process",
        others_than(FAULTY_WORKER)
    );
    say!(
        "lost:     worker-{FAULTY_WORKER}'s result: {units} units, {fail_at} of them already done"
    );
    PanicReport {
        join_was_err: !panicked.is_empty(),
        payload,
        survivors,
        outcome: Outcome::new("panic in a thread", units, delivered, fail_at, None),
    }
}
