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
/// "took every thread" only if a signal ended that process and no result
/// came out of it; a crash in a child "stayed in the child" only if that
/// child died, the others delivered and the parent carried on.
pub fn claims(faults: &[Fault]) -> (String, String) {
    let thread_crash = faults
        .iter()
        .find(|f| f.fault.contains("crash") && f.fault.contains("thread"));
    let child_crash = faults.iter().find(|f| f.fault.contains("child"));
    let threads = match thread_crash {
        Some(f) if f.signal.is_some() && f.results_delivered == 0 => "a crash took them all",
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

/// `panic: 3/4 results` or `SIGSEGV: 0/4 results`.
pub fn fault_line(fault: &Fault) -> String {
    let cause = fault.signal.clone().unwrap_or_else(|| "panic".to_string());
    format!(
        "{cause}: {}/{} results",
        fault.results_delivered, fault.workers
    )
}
