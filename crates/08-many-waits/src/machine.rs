//! How busy the machine was: figures taken while other programs run are
//! not the models' alone. `/proc/stat` counts every CPU's time, busy or
//! idle; `getrusage(2)` counts ours (this process and the children it
//! reaped, a model's process with its driver and tasks); the difference
//! is other programs'.

use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};

use crate::report::Report;

/// Other programs keeping this many CPUs busy make the machine busy.
pub const BUSY: f64 = 0.5;

/// (busy, all) ticks of every CPU since boot: the first line of
/// /proc/stat; busy is all but idle and waiting for I/O.
fn ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let words = stat.lines().next()?.split_whitespace().skip(1);
    let t: Vec<u64> = words.take(8).filter_map(|w| w.parse().ok()).collect();
    (t.len() == 8).then(|| (t.iter().sum::<u64>() - t[3] - t[4], t.iter().sum()))
}

/// CPUs online: the `cpuN` lines of /proc/stat (not the CPUs this process
/// may use: `taskset` narrows those, not the machine).
fn cpus_online() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu_n = |line: &&str| {
        line.strip_prefix("cpu")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    Some(stat.lines().filter(cpu_n).count().max(1) as f64)
}

/// CPU time of this process and of the children it has reaped.
fn our_cpu() -> Option<Duration> {
    let cpu = |who| -> Option<Duration> {
        let usage = getrusage(who).ok()?;
        let micros =
            |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
        Some(Duration::from_micros(
            micros(usage.user_time()) + micros(usage.system_time()),
        ))
    };
    Some(cpu(UsageWho::RUSAGE_SELF)? + cpu(UsageWho::RUSAGE_CHILDREN)?)
}

/// Runs `work`, and says how many CPUs other programs kept busy meanwhile,
/// on average: the machine's busy CPUs less ours. Call it around work whose
/// children are all reaped by the time it returns.
pub fn others_busy_during<T>(work: impl FnOnce() -> T) -> (T, Option<f64>) {
    let (before, ours_before, started) = (ticks(), our_cpu(), Instant::now());
    let result = work();
    let (after, ours_after, wall) = (ticks(), our_cpu(), started.elapsed().as_secs_f64());
    let others = || -> Option<f64> {
        let ((busy_0, all_0), (busy_1, all_1)) = (before?, after?);
        let all = all_1.checked_sub(all_0).filter(|all| *all > 0)? as f64;
        let busy = busy_1.saturating_sub(busy_0) as f64 / all * cpus_online()?;
        let ours = ours_after?.saturating_sub(ours_before?).as_secs_f64() / wall.max(1e-3);
        Some((busy - ours).max(0.0))
    };
    (result, others())
}

/// How many CPUs other programs kept busy over the next quarter second.
pub fn cpus_busy_now() -> Option<f64> {
    others_busy_during(|| std::thread::sleep(Duration::from_millis(250))).1
}

/// A warning first, when the machine was busy at the start or while a
/// model ran.
pub fn busy_lines(report: &Report) -> Vec<String> {
    let runs = report.steps.iter().flat_map(|step| &step.runs);
    let during = runs.filter_map(|run| run.others_busy).fold(0.0, f64::max);
    let busy = report.busy_before.unwrap_or(0.0).max(during);
    if busy < BUSY {
        return Vec::new();
    }
    vec![
        format!("Busy machine: other programs kept up to {busy:.2} CPUs busy while the"),
        "models ran: the times are the machine's as much as the models'.".into(),
    ]
}
