//! Scenario 5, beyond the table: a supervisor (Erlang/OTP's idea) restarts
//! a worker process that crashed, after a backoff, up to `max_restarts`
//! times. It waits for its own children by pid (`part5_attempts.rs`), and a
//! worker that is backing off delays no other worker: nobody sleeps it out.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use support::error::{Error, Result};
use support::forking::prepare_to_fork;
use support::{Ending, say};

use crate::part5_attempts::{Attempt, collect, first_ended};
use crate::report::SupervisorReport;
use crate::work::{fault_free_result, fold, plural, short, splitmix64};
use crate::{Options, WORKERS};

// ANCHOR: plan
/// Whether attempt `attempt` of `worker` crashes, and after how many units:
/// drawn from the plan number alone, so the same plan replays the same faults.
pub fn planned_crash(plan: u64, worker: u32, attempt: u32, units: u32, p: f64) -> Option<u32> {
    let mut state = plan ^ (u64::from(worker) << 40) ^ (u64::from(attempt) << 20);
    let uniform = (splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64; // in [0, 1)
    (uniform < p).then(|| (splitmix64(&mut state) % u64::from(units)) as u32)
}
// ANCHOR_END: plan

/// The supervisor's state: who runs, who waits out a backoff, what arrived.
struct Supervisor<'a> {
    options: &'a Options,
    running: BTreeMap<u32, Attempt>, // worker -> its current attempt
    backing_off: Vec<(Instant, u32, u32)>, // (when, worker, next attempt)
    results: BTreeMap<u32, u64>,     // worker -> its delivered result
    report: SupervisorReport,
}

/// Scenario 5: a supervisor restarts crashed workers until the job is done
/// or it gives up.
pub fn supervisor(options: &Options) -> Result<SupervisorReport> {
    options.check()?;
    prepare_to_fork()?; // it forks: refuse before printing anything if it may not
    let (units, most) = (options.units, options.max_restarts);
    let p = options.crash_probability;
    say!("{WORKERS} worker processes × {units} units; an attempt crashes with probability");
    let plan = options.fault_plan;
    if most == 0 {
        say!("  {p} (plan {plan}); a crashed worker is not restarted");
    } else {
        say!("  {p} (plan {plan}); restarts after 10 ms, doubling, at most {most}× each");
    }
    let mut s = Supervisor::new(options);
    // ANCHOR: supervisor
    for worker in 1..=WORKERS {
        s.start(worker, 1)?;
    }
    while !s.running.is_empty() || !s.backing_off.is_empty() {
        for (_, worker, attempt) in take_due(&mut s.backing_off) {
            s.report.restarts += 1;
            s.start(worker, attempt)?; // its backoff is over
        }
        let Some(worker) = first_ended(&s.running)? else {
            std::thread::sleep(Duration::from_millis(1)); // none ended yet: look again soon
            continue;
        };
        let attempt = s
            .running
            .remove(&worker)
            .ok_or_else(|| Error::msg("no such worker"))?;
        let (number, crash_after) = (attempt.number, attempt.crash_after);
        match collect(worker, units, attempt)? {
            Ok(value) => drop(s.results.insert(worker, value)),
            Err(ending) => s.restart_or_give_up(worker, number, crash_after, ending),
        }
    }
    // ANCHOR_END: supervisor
    let mut report = s.report;
    report.gave_up.sort_unstable();
    report.result = (s.results.len() == WORKERS as usize).then(|| combine(s.results.into_values()));
    crate::verdict::tell_supervisor(&report);
    Ok(report)
}

impl<'a> Supervisor<'a> {
    fn new(options: &'a Options) -> Supervisor<'a> {
        let units = options.units;
        let fault_free = combine((1..=WORKERS).map(|worker| fault_free_result(worker, units)));
        let report = SupervisorReport {
            fault_free,
            ..SupervisorReport::default()
        };
        let (running, backing_off, results) = (BTreeMap::new(), Vec::new(), BTreeMap::new());
        Supervisor {
            options,
            running,
            backing_off,
            results,
            report,
        }
    }

    /// Forks attempt `number` of `worker`, crashing where the plan says.
    fn start(&mut self, worker: u32, number: u32) -> Result<()> {
        let o = self.options;
        let crash_after = planned_crash(o.fault_plan, worker, number, o.units, o.crash_probability);
        let attempt = Attempt::start(worker, number, o.units, crash_after, o.crash)?;
        self.running.insert(worker, attempt);
        Ok(())
    }

    // ANCHOR: restart
    /// After a crash: schedule a restart after a backoff, or give up. It
    /// never sleeps: the loop starts the restart once its time has come.
    fn restart_or_give_up(
        &mut self,
        worker: u32,
        number: u32,
        crash_after: Option<u32>,
        ending: Ending,
    ) {
        self.report.crashes.push((worker, number, ending));
        self.report.units_thrown_away += crash_after.unwrap_or(0);
        let (said, most) = (short(ending), self.options.max_restarts);
        if number > most {
            let restarts = plural(most, "restart");
            say!("worker-{worker} attempt {number}: {said}; gave up after {restarts}");
            self.report.gave_up.push(worker);
            return;
        }
        let backoff = Duration::from_millis(10 << (number - 1).min(6)); // 10, 20, 40… ms
        let ms = backoff.as_millis();
        say!("worker-{worker} attempt {number}: {said}; restart {number} of {most} in {ms} ms");
        self.backing_off
            .push((Instant::now() + backoff, worker, number + 1));
    }
    // ANCHOR_END: restart
}

/// Removes and returns the restarts whose backoff is over.
fn take_due(backing_off: &mut Vec<(Instant, u32, u32)>) -> Vec<(Instant, u32, u32)> {
    let now = Instant::now();
    let (due, later) = backing_off.drain(..).partition(|&(when, ..)| when <= now);
    *backing_off = later;
    due
}

/// The job's answer: every worker's result folded in worker order.
fn combine(results: impl IntoIterator<Item = u64>) -> u64 {
    results.into_iter().fold(0, fold)
}
