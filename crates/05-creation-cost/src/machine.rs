//! How busy the machine was: figures taken while other programs run are
//! not the primitive's cost alone. The load average and the CPU time the
//! hypervisor stole, before and after the creation figures, and the cores.

use support::placement::allowed_cpus;
use support::say;
use support::timing::Stats;

/// A row whose slowest batch took over this many times its fastest.
pub const SPREAD_LIMIT: f64 = 3.0;

/// One look at the machine: `/proc/loadavg`, and the `cpu` line of `/proc/stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Look {
    /// Runnable tasks averaged over 1, 5 and 15 minutes.
    pub load: Option<[f64; 3]>,
    /// CPU time so far, all of it and the part stolen, in clock ticks.
    pub ticks: Option<(u64, u64)>,
}

/// The machine around the creation figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Machine {
    pub before: Look,
    pub after: Look,
    /// CPUs this process may use, and CPUs online.
    pub cores: usize,
    pub online: usize,
}

pub fn look() -> Look {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let numbers: Vec<f64> = loadavg
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    // `cpu  user nice system idle iowait irq softirq steal guest guest_nice`
    let ticks: Option<Vec<u64>> = stat.lines().next().and_then(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("cpu")).then(|| words.filter_map(|w| w.parse().ok()).collect())
    });
    Look {
        load: (numbers.len() >= 3).then(|| [numbers[0], numbers[1], numbers[2]]),
        // guest time is counted in user time already: the first 8 fields.
        ticks: ticks
            .filter(|t| t.len() >= 8)
            .map(|t| (t[..8].iter().sum(), t[7])),
    }
}

impl Machine {
    /// Cores seen now; the looks are filled in by the caller.
    pub fn cores_now() -> Machine {
        let online = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cores = allowed_cpus().map_or(online, |cpus| cpus.len()).max(1);
        Machine {
            cores,
            online,
            ..Machine::default()
        }
    }

    /// The share of CPU time stolen between the two looks (0.0 to 1.0).
    pub fn steal_share(&self) -> Option<f64> {
        let ((all_0, steal_0), (all_1, steal_1)) = (self.before.ticks?, self.after.ticks?);
        let all = all_1.checked_sub(all_0).filter(|all| *all > 0)?;
        Some(steal_1.saturating_sub(steal_0) as f64 / all as f64)
    }

    /// The highest 1-minute load average seen, if above the cores seen.
    pub fn overloaded(&self) -> Option<f64> {
        let highest = [self.before.load, self.after.load]
            .into_iter()
            .flatten()
            .map(|load| load[0])
            .fold(None, |high: Option<f64>, load| {
                Some(high.map_or(load, |h| h.max(load)))
            })?;
        (highest > self.cores as f64).then_some(highest)
    }

    /// A row to rerun: its batches spread over [`SPREAD_LIMIT`], or the
    /// load average was above the cores seen.
    pub fn disturbed(&self, stats: &Stats) -> bool {
        let spread = stats.max.as_secs_f64() / stats.min.as_secs_f64().max(1e-12);
        spread > SPREAD_LIMIT || self.overloaded().is_some()
    }

    pub fn print(&self) {
        let (cores, online) = (self.cores, self.online);
        say!("this machine: {cores} cores this process may use, {online} online");
        let load = |look: &Look| {
            let load = look
                .load
                .map(|l| format!("{:.2} {:.2} {:.2}", l[0], l[1], l[2]));
            load.unwrap_or_else(|| "?".into())
        };
        let (before, after) = (load(&self.before), load(&self.after));
        say!("load average (1, 5, 15 min) before these figures: {before}");
        say!("load average (1, 5, 15 min) after them:           {after}");
        let steal = self.steal_share().map(|s| format!("{:.1}%", s * 100.0));
        let steal = steal.unwrap_or_else(|| "?".into());
        say!("CPU time the hypervisor stole in between (/proc/stat): {steal}");
    }

    /// Explains the `!` beside rows that [`Machine::disturbed`] marks, if any.
    pub fn footnote<'a>(&self, mut rows: impl Iterator<Item = &'a Stats>) {
        if rows.any(|stats| self.disturbed(stats)) {
            say!("! disturbed: rerun on a quiet machine (slowest batch over {SPREAD_LIMIT}×");
            say!(
                "  the fastest, or load average above the {} cores seen)",
                self.cores
            );
        }
    }
}
