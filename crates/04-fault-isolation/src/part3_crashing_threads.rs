//! Scenario 3, the child's side: four worker threads share this process;
//! worker-2 crashes once the others are under way. Every wait is bounded:
//! if a worker never starts, worker-2 crashes anyway after two seconds.

use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use support::say;

use crate::crash::{Crash, catches, crash_this_process, lowest_mapping, mmap_min_addr};
use crate::work::{fold, plural, work_unit};
use crate::{CRASHING_THREADS_ROLE, FAULTY_WORKER, WORKERS};

/// How long worker-2 waits for the other workers before it crashes anyway.
const START_WAIT: Duration = Duration::from_secs(2);

/// The role's entry point: `<units> <fail-at> <segv|abort> [worker that fails to start]`.
pub(crate) fn crashing_threads_role(args: &[String]) -> i32 {
    let number = |text: &String| text.parse::<u32>().ok();
    let (units, fail_at, how) = match args {
        [units, fail_at, how] | [units, fail_at, how, _] => {
            (number(units), number(fail_at), Crash::from_name(how))
        }
        _ => (None, None, None),
    };
    let fail_to_start = args.get(3).map(number); // the test hook, if given
    let (Some(units), Some(fail_at), Some(how), None | Some(Some(_))) =
        (units, fail_at, how, fail_to_start)
    else {
        eprintln!("error: {CRASHING_THREADS_ROLE} wants <units> <fail-at> <segv|abort> [N]");
        return 2;
    };
    if let Err(e) = support::crash::disable_core_dumps() {
        eprintln!("error: turning core dumps off (setrlimit, prctl) failed: {e}");
        return 1;
    }
    crashing_threads(units, fail_at, how, fail_to_start.flatten())
}

/// In the child: four worker threads share this process; worker-2 crashes.
fn crashing_threads(units: u32, fail_at: u32, how: Crash, fail_to_start: Option<u32>) -> i32 {
    tell_what_will_happen(fail_at, how);
    let units_done: Vec<AtomicU32> = (0..WORKERS).map(|_| AtomicU32::new(0)).collect();
    let others_at_least = fail_at / 2; // so the crash lands in everyone's work
    let all_started = || {
        units_done
            .iter()
            .all(|d| d.load(Ordering::Acquire) >= others_at_least)
    };
    let results: Vec<Option<u64>> = thread::scope(|scope| {
        let handles: Vec<_> = (1..=WORKERS)
            .map(|worker| {
                let (units_done, all_started) = (&units_done, &all_started);
                // ANCHOR: crashing_worker
                let body = move || {
                    let mut result = 0;
                    for unit in 0..units {
                        if worker == FAULTY_WORKER && unit == fail_at {
                            let deadline = Instant::now() + START_WAIT; // a bounded wait
                            while !all_started() && Instant::now() < deadline {
                                thread::sleep(Duration::from_micros(200));
                            }
                            say!("{} done; now I {}", plural(unit, "unit"), how.describe());
                            crash_this_process(how); // every thread dies, not only this one
                        }
                        result = fold(result, work_unit(worker, unit));
                        println!("progress {worker} {}", unit + 1); // for the parent to count
                        units_done[worker as usize - 1].store(unit + 1, Ordering::Release);
                    }
                    result // kept in this process's memory until main collects it
                };
                // ANCHOR_END: crashing_worker
                let builder = thread::Builder::new().name(format!("worker-{worker}"));
                let refused = fail_to_start == Some(worker); // the test hook: as if spawn failed
                (!refused)
                    .then(|| builder.spawn_scoped(scope, body).ok())
                    .flatten()
            })
            .collect();
        handles.into_iter().map(|h| h?.join().ok()).collect()
    });
    for (worker, result) in (1..).zip(results) {
        match result {
            Some(value) => println!("result {worker} {value:#x}"), // only if nothing crashed
            None => say!("worker-{worker} did not start, or panicked: no result"),
        }
    }
    0
}

/// What the child is about to do, and what it checked of its own state.
fn tell_what_will_happen(fail_at: u32, how: Crash) {
    say!(
        "{WORKERS} threads in this one process; after {} worker-{FAULTY_WORKER} will:",
        plural(fail_at, "unit")
    );
    say!("  {}", how.describe());
    if how == Crash::Segv {
        let min = mmap_min_addr().map_or("unreadable".to_string(), |m| m.to_string());
        let lowest = lowest_mapping().map_or("unreadable".to_string(), |a| format!("{a:#x}"));
        say!("  vm.mmap_min_addr = {min}; our lowest mapping starts at {lowest}");
        let handler = match catches(Signal::SIGSEGV) {
            Some(true) => "has a SIGSEGV handler (std's, for stack overflows)",
            Some(false) => "has no SIGSEGV handler",
            None => "has a SigCgt mask we cannot read",
        };
        say!("  this process {handler}");
    }
}
