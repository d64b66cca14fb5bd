//! The supervisor's died / survived / lost lines, and the verdict: the
//! three faults side by side, in sentences that follow this run's figures.

use support::{Ending, say};

use crate::report::{Outcome, Report, SupervisorReport};
use crate::work::plural;

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
        None => {
            let whom = plural(gave_up.len() as u32, "worker");
            say!("job incomplete: gave up on {whom} {gave_up:?}");
        }
    }
    let (crashes, thrown, restarts) = (
        report.crashes.len() as u32,
        plural(report.units_thrown_away, "unit"),
        plural(report.restarts, "restart"),
    );
    if crashes == 0 {
        say!("died:     no process: no attempt crashed");
    } else {
        let attempts = plural(crashes, "crashed attempt");
        say!("died:     {attempts}, each alone in its process");
    }
    say!("survived: the supervisor and every result already delivered");
    if crashes == 0 {
        say!("lost:     no attempt crashed: nothing lost");
    } else if gave_up.is_empty() {
        say!("lost:     {thrown} of crashed attempts, redone after {restarts}");
    } else {
        say!("lost:     {thrown} of crashed attempts, and results of {gave_up:?}");
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
    let crashes = plural(supervised.crashes.len() as u32, "crashed attempt");
    let (restarts, gave_up) = (plural(supervised.restarts, "restart"), &supervised.gave_up);
    let equal = supervised.result == Some(supervised.fault_free);
    if !gave_up.is_empty() {
        format!("supervisor: {restarts}; gave up on {gave_up:?}: job incomplete")
    } else if !equal {
        format!("supervisor: {restarts}; its result DIFFERS from the fault-free one")
    } else if supervised.crashes.is_empty() {
        "supervisor: no attempt crashed this run, so nothing to redo".to_string()
    } else {
        format!("supervisor: redid {crashes}; result = the fault-free one")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished job whose result, altered by hand, no longer matches.
    #[test]
    fn a_result_that_differs_is_said_to_differ() {
        let mut report = SupervisorReport {
            crashes: vec![(2, 1, Ending::Exited(1))],
            restarts: 1,
            result: Some(7),
            fault_free: 7,
            ..SupervisorReport::default()
        };
        let expected = "supervisor: redid 1 crashed attempt; result = the fault-free one";
        assert_eq!(supervisor_sentence(&report), expected);
        report.result = Some(8);
        let expected = "supervisor: 1 restart; its result DIFFERS from the fault-free one";
        assert_eq!(supervisor_sentence(&report), expected);
    }
}
