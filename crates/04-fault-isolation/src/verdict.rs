//! The supervisor's died / survived / lost lines, and the verdict: the
//! three faults side by side, in sentences that follow this run's figures.

use support::{Ending, say};

use crate::report::{Outcome, Report, SupervisorReport};

/// Scenario 5's closing lines, as the supervisor's run went.
pub(crate) fn tell_supervisor(report: &SupervisorReport) {
    let (fault_free, gave_up) = (report.fault_free, &report.gave_up);
    match report.result {
        Some(value) => {
            let same = if value == fault_free {
                "equal"
            } else {
                "DIFFERENT"
            };
            say!("result {value:#018x}, fault-free {fault_free:#018x}: {same}");
        }
        None => say!("job incomplete: gave up on worker(s) {gave_up:?}"),
    }
    let (crashes, thrown, restarts) = (
        report.crashes.len(),
        report.units_thrown_away,
        report.restarts,
    );
    say!("died:     {crashes} crashed attempt(s), each alone in its process");
    say!("survived: the supervisor and every result already delivered");
    if gave_up.is_empty() {
        say!("lost:     {thrown} units of crashed attempts, redone after {restarts} restart(s)");
    } else {
        say!("lost:     {thrown} units of crashed attempts, and results of {gave_up:?}");
    }
}

/// How the process holding the fault ended, in a few words.
fn fate(ending: Option<Ending>) -> String {
    ending.map_or("it lived on".to_string(), crate::work::short)
}

/// The verdict: a table of the three faults, then what this run showed.
pub(crate) fn verdict(report: &Report) {
    say!(
        "{:<24} | {:<17} | {:>7} | lost (done)",
        "fault",
        "its process",
        "results"
    );
    for outcome in report.outcomes() {
        let results = format!("{} of {}", outcome.results_delivered, outcome.workers);
        let lost = format!("{} ({})", outcome.units_lost, outcome.units_done_then_lost);
        say!(
            "{:<24} | {:<17} | {results:>7} | {lost}",
            outcome.fault,
            fate(outcome.ending)
        );
    }
    say!("lost (done): units whose result never arrived (of them, already done)");
    let [panic, thread_crash, child_crash] = report.outcomes();
    say!("{}", panic_sentence(panic));
    say!(
        "{}",
        crash_sentence("one thread", "whole process died", thread_crash)
    );
    say!(
        "{}",
        crash_sentence("one worker process", "only it died", child_crash)
    );
    say!("{}", supervisor_sentence(&report.supervisor));
    say!("not run here (listing 04b): a panic on the main thread (exit 101),");
    say!("  a panic during unwinding (abort), any panic under panic = \"abort\":");
    say!("  each ends the whole process, like a crash");
}

fn panic_sentence(panic: &Outcome) -> String {
    let lived = if panic.ending.is_none() {
        "process lived on"
    } else {
        "process died"
    };
    let (arrived, workers) = (panic.results_delivered, panic.workers);
    format!("panic in a spawned thread: {lived}; {arrived} of {workers} results arrived")
}

fn crash_sentence(place: &str, died: &str, outcome: &Outcome) -> String {
    let (arrived, workers) = (outcome.results_delivered, outcome.workers);
    let results = format!("{arrived} of {workers} results arrived");
    match outcome.ending.and_then(Ending::signal) {
        Some(signal) if arrived < workers => format!("{signal} in {place}: {died}; {results}"),
        _ => format!("no crash in {place} this run; {results}"),
    }
}

fn supervisor_sentence(supervised: &SupervisorReport) -> String {
    let (crashes, restarts) = (supervised.crashes.len(), supervised.restarts);
    if crashes == 0 {
        "supervisor: no attempt crashed this run, so nothing to redo".to_string()
    } else if supervised.gave_up.is_empty() && supervised.result == Some(supervised.fault_free) {
        format!("supervisor: redid {crashes} crashed attempt(s); result = the fault-free one")
    } else {
        let gave_up = &supervised.gave_up;
        format!("supervisor: {restarts} restart(s); gave up on {gave_up:?}: job incomplete")
    }
}
