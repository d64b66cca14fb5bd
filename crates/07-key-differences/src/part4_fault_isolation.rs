//! Row 4, Fault isolation: lesson 04's faults, each in a child so that the
//! table itself survives them. A panic in a thread, a real crash (SIGSEGV)
//! in a thread, the same crash in a child process: what each destroyed.

use support::error::Result;

use crate::report::Fault;

// ANCHOR: faults
/// The three faults, as lesson 04 saw them end.
pub fn faults() -> Result<Vec<Fault>> {
    let report = fault_isolation::run(&fault_isolation::Options::default())?;
    let seen = report.outcomes().into_iter().map(|outcome| Fault {
        fault: outcome.fault.to_string(),
        signal: outcome
            .ending
            .and_then(|ending| ending.signal())
            .map(|s| s.as_str().to_string()),
        results_delivered: outcome.results_delivered,
        workers: outcome.workers,
        parent_survived: outcome.parent_survived,
    });
    Ok(seen.collect())
}
// ANCHOR_END: faults

/// The first line of each cell, from what happened: a crash in a thread
/// "ended them all" only if a signal ended that process and no result came
/// out of it; a crash in a child "stayed put" only if that child died, the
/// others delivered and the parent carried on.
pub fn claims(faults: &[Fault]) -> (String, String) {
    let thread_crash = faults
        .iter()
        .find(|f| f.fault.contains("crash") && f.fault.contains("thread"));
    let child_crash = faults.iter().find(|f| f.fault.contains("child"));
    let threads = match thread_crash {
        Some(f) if f.signal.is_some() && f.results_delivered == 0 => "a crash ended them all",
        Some(_) => "a crash spared some !",
        None => "no crash was run",
    };
    let processes = match child_crash {
        Some(f)
            if f.signal.is_some() && f.parent_survived && f.results_delivered + 1 == f.workers =>
        {
            "a crash stayed put"
        }
        Some(_) => "a crash spread !",
        None => "no crash was run",
    };
    (threads.to_string(), processes.to_string())
}

// ANCHOR: fault_lines
/// What one fault ended, then the results that still came back: `panic:
/// its thread ended` (no signal: the other threads carried on), `SIGSEGV:
/// process ended` (the signal ended the process that held every thread),
/// `SIGSEGV: 1 child ended`; then `  3/4 results`.
pub fn fault_lines(fault: &Fault) -> [String; 2] {
    let (delivered, workers) = (fault.results_delivered, fault.workers);
    let lost = workers.saturating_sub(delivered);
    let cause = if fault.fault.contains("panic") {
        "panic"
    } else {
        "crash"
    };
    let in_child = fault.fault.contains("child");
    let ended = match (&fault.signal, in_child) {
        (Some(signal), false) => format!("{signal}: process ended"),
        (Some(signal), true) => format!("{signal}: 1 child ended"),
        (None, false) if lost == 1 => format!("{cause}: its thread ended"),
        (None, false) => format!("{cause}: {lost} threads ended"),
        (None, true) => format!("{cause}: no signal !"),
    };
    [ended, format!("  {delivered}/{workers} results")]
}
// ANCHOR_END: fault_lines

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(fault: &str, signal: Option<&str>, delivered: u32) -> Fault {
        Fault {
            fault: fault.to_string(),
            signal: signal.map(str::to_string),
            results_delivered: delivered,
            workers: 4,
            parent_survived: true,
        }
    }

    #[test]
    fn each_fault_says_what_it_ended() {
        let panic = fault("panic in a thread", None, 3);
        let crash = fault("crash in a thread", Some("SIGSEGV"), 0);
        let child = fault("crash in a child process", Some("SIGSEGV"), 3);
        assert_eq!(
            fault_lines(&panic),
            ["panic: its thread ended", "  3/4 results"]
        );
        assert_eq!(
            fault_lines(&crash),
            ["SIGSEGV: process ended", "  0/4 results"]
        );
        assert_eq!(fault_lines(&child)[0], "SIGSEGV: 1 child ended");
        let faults = [panic, crash, child];
        assert_eq!(
            claims(&faults),
            ("a crash ended them all".into(), "a crash stayed put".into())
        );
        let spared = [fault("crash in a thread", Some("SIGSEGV"), 2)];
        assert_eq!(claims(&spared).0, "a crash spared some !");
    }
}
