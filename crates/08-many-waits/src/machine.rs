//! How busy the machine was: figures taken while other programs run are
//! not the models' alone.

use std::time::Duration;

/// How many CPUs other programs kept busy over the next quarter second:
/// the busy share of all CPU time in `/proc/stat` (not idle, not waiting
/// for I/O), times the CPUs online. This process sleeps meanwhile.
pub fn cpus_busy_now() -> Option<f64> {
    let ticks = || -> Option<(u64, u64)> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let words = stat.lines().next()?.split_whitespace().skip(1);
        let t: Vec<u64> = words.take(8).filter_map(|w| w.parse().ok()).collect();
        (t.len() == 8).then(|| (t.iter().sum(), t[3] + t[4])) // all, idle + iowait
    };
    let (all_0, idle_0) = ticks()?;
    std::thread::sleep(Duration::from_millis(250));
    let (all_1, idle_1) = ticks()?;
    let all = all_1.checked_sub(all_0).filter(|all| *all > 0)? as f64;
    let online = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    Some((all - idle_1.saturating_sub(idle_0) as f64) / all * online)
}
