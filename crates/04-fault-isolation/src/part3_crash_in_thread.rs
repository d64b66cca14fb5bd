//! Scenario 3: four threads in one process; worker-2 makes a real fault.
//! A crash would take this demo down too, so it happens in a throw-away
//! child: this same program, started again in a hidden role
//! (`part3_crashing_threads.rs` is the child's side). The parent reads the
//! child's progress lines through a pipe, then `waitpid` says how it ended.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use support::error::{Context, Error, Result};
use support::{ChildGuard, say};

use crate::report::{CrashInThreadReport, Outcome};
use crate::work::{others_than, reap, units_before_fault};
use crate::{CRASHING_THREADS_ROLE, FAULTY_WORKER, Options, WORKERS};

/// Scenario 3: four threads in one (child) process; one crashes.
pub fn crash_in_thread(options: &Options) -> Result<CrashInThreadReport> {
    let (units, fail_at) = (options.units, units_before_fault(options.units));
    say!("a crash would end this demo too, so it runs in a throw-away child:");
    say!("(this program again, in the role {CRASHING_THREADS_ROLE})");
    // ANCHOR: crash_in_thread_parent
    let mut command = support::role::command(CRASHING_THREADS_ROLE).context("current_exe()")?;
    let how = options.crash.name().to_string();
    command.args([units.to_string(), fail_at.to_string(), how]);
    command.args(options.fail_to_start.map(|worker| worker.to_string())); // a test hook
    let mut child = command
        .stdout(Stdio::piped()) // the child's stdout comes to us through a pipe
        .spawn() // posix_spawn(3): clone3(CLONE_VM|CLONE_VFORK), then execve(2)
        .context("spawn of the crashing-threads child")?;
    let child_stdout = child.stdout.take().ok_or_else(|| Error::msg("no pipe"))?;
    let guard = ChildGuard::adopt(child); // killed and reaped if we bail out
    let child_pid = guard.pid();
    // ANCHOR_END: crash_in_thread_parent
    // ANCHOR: read_progress
    // Read to end of file: EOF comes when the last writer, the child, is gone.
    // Every wait in the child is bounded, so it always ends.
    let (mut units_reported, mut arrived) =
        (vec![0u32; WORKERS as usize], vec![false; WORKERS as usize]);
    for line in BufReader::new(child_stdout).lines() {
        let line = line.context("read(2) from the child's stdout pipe")?;
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            ["progress", worker, done] => {
                if let Some(slot) = slot_of(worker).and_then(|s| units_reported.get_mut(s)) {
                    *slot = done.parse().unwrap_or(*slot);
                }
            }
            ["result", worker, _] => {
                if let Some(slot) = slot_of(worker).and_then(|s| arrived.get_mut(s)) {
                    *slot = true; // this worker's result came back
                }
            }
            _ => support::speaker::print_line(format_args!("{line}")), // its own [child …] lines
        }
    }
    let ending = reap(guard)?; // waitpid(2) by pid: how did it end?
    // ANCHOR_END: read_progress
    say!("child pid={child_pid}: {}", crate::work::short(ending));
    Ok(tell(
        child_pid.as_raw(),
        ending,
        units_reported,
        &arrived,
        units,
    ))
}

/// "2" (a worker's number) -> 1 (its index).
fn slot_of(worker: &str) -> Option<usize> {
    worker.parse::<usize>().ok()?.checked_sub(1)
}

/// Prints what arrived and the died / survived / lost lines, as this run saw them.
fn tell(
    child_pid: i32,
    ending: support::Ending,
    units_reported: Vec<u32>,
    arrived: &[bool],
    units: u32,
) -> CrashInThreadReport {
    let results_arrived = arrived.iter().filter(|&&a| a).count() as u32;
    // Units already done by the workers whose result never came back.
    let lost_done: u32 = (units_reported.iter().zip(arrived))
        .filter(|&(_, &arrived)| !arrived)
        .map(|(&done, _)| done)
        .sum();
    let done: Vec<String> = units_reported.iter().map(u32::to_string).collect();
    say!(
        "units done by workers 1 to {WORKERS} at the end: {} (of {units})",
        done.join(", ")
    );
    say!("results that reached the parent: {results_arrived} of {WORKERS}");
    explain(ending);
    if let Some(signal) = ending.signal() {
        say!("died:     the whole child, by {signal}: worker-{FAULTY_WORKER}, the innocent");
        say!("          {}, and main", others_than(FAULTY_WORKER));
    } else {
        say!("died:     no process: the child {ending}");
    }
    say!("survived: this parent, a separate process");
    let lost = WORKERS.saturating_sub(results_arrived);
    say!(
        "lost:     {lost} of {WORKERS} results ({} units), {lost_done} already done",
        lost * units
    );
    CrashInThreadReport {
        child_pid,
        ending,
        results_arrived,
        outcome: Outcome::new(
            "crash in a thread",
            units,
            results_arrived,
            lost_done,
            Some(ending),
        ),
        units_reported,
    }
}

/// How the kernel ended the child, for the signal this run saw.
fn explain(ending: support::Ending) {
    use nix::sys::signal::Signal;
    match ending.signal() {
        Some(Signal::SIGSEGV) => {
            say!("how: the kernel sent SIGSEGV to worker-2's thread alone. std's");
            say!("  handler found no stack overflow, restored the default action and");
            say!("  returned; the store ran again and faulted again, and the default");
            say!("  action ended the process: the kernel killed every other thread");
            say!("  too: each gets SIGKILL and exits in the kernel, not mid-instruction");
        }
        Some(Signal::SIGABRT) => {
            say!("how: abort() unblocked SIGABRT and sent it to worker-2's own thread");
            say!("  (tgkill); its default action ended the process, every thread in it");
        }
        _ => {}
    }
}
