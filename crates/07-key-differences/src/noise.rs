//! How busy the machine was around each group of figures. Before and after
//! a group: the load average (`/proc/loadavg`), the CPU time every CPU
//! spent busy, idle and stolen by the hypervisor (`/proc/stat`), and this
//! program's own CPU time with its children's (`getrusage`). What the
//! machine was busy with beyond our own work is what other programs took.

use std::sync::OnceLock;
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};
use serde::{Deserialize, Serialize};

/// One look at the machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Look {
    /// Seconds since this program's first look.
    pub at_seconds: f64,
    /// Tasks runnable or in uninterruptible sleep, averaged over 1, 5, 15 minutes.
    pub load: [f64; 3],
    /// `/proc/stat`'s `cpu` line, all CPUs, in seconds: busy (user, nice,
    /// system, irq, softirq), idle (idle, iowait), stolen.
    pub busy_seconds: f64,
    pub idle_seconds: f64,
    pub steal_seconds: f64,
    /// CPU time of this process and its reaped children, user + system.
    pub own_seconds: f64,
}

/// The machine around one group of figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Noise {
    pub before: Look,
    pub after: Look,
}

/// Looks at the machine now.
pub fn look() -> Look {
    static FIRST: OnceLock<Instant> = OnceLock::new();
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<f64> = loadavg
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    // `cpu  user nice system idle iowait irq softirq steal guest guest_nice`
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|w| w.parse().ok())
        .collect();
    // SAFETY: sysconf only reads a system setting.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let tick = |i: usize| ticks.get(i).copied().unwrap_or(0.0) / per_second;
    Look {
        at_seconds: FIRST.get_or_init(Instant::now).elapsed().as_secs_f64(),
        load: [0, 1, 2].map(|i| load.get(i).copied().unwrap_or(0.0)),
        busy_seconds: tick(0) + tick(1) + tick(2) + tick(5) + tick(6),
        idle_seconds: tick(3) + tick(4),
        steal_seconds: tick(7),
        own_seconds: own_cpu_seconds(),
    }
}

fn own_cpu_seconds() -> f64 {
    [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN]
        .into_iter()
        .filter_map(|who| getrusage(who).ok())
        .flat_map(|usage| [usage.user_time(), usage.system_time()])
        .map(|time| time.tv_sec() as f64 + time.tv_usec() as f64 * 1e-6)
        .sum()
}

impl Noise {
    fn wall(&self) -> f64 {
        (self.after.at_seconds - self.before.at_seconds).max(1e-3)
    }

    /// CPUs this program and its children kept busy, on average.
    pub fn own_cores_busy(&self) -> f64 {
        (self.after.own_seconds - self.before.own_seconds).max(0.0) / self.wall()
    }

    /// CPUs other programs kept busy meanwhile: the machine's busy time
    /// less our own, over the wall time (to the tick: ±0.1 or so).
    pub fn others_cores_busy(&self) -> f64 {
        let busy = self.after.busy_seconds - self.before.busy_seconds;
        let own = self.after.own_seconds - self.before.own_seconds;
        ((busy - own) / self.wall()).max(0.0)
    }

    /// The share of CPU time the hypervisor gave to other machines.
    pub fn steal_share(&self) -> f64 {
        let [b, a] = [self.before, self.after];
        let steal = a.steal_seconds - b.steal_seconds;
        let all = (a.busy_seconds + a.idle_seconds + a.steal_seconds)
            - (b.busy_seconds + b.idle_seconds + b.steal_seconds);
        if all > 0.0 {
            (steal / all).max(0.0)
        } else {
            0.0
        }
    }

    /// The highest 1-minute load average of the two looks.
    pub fn load(&self) -> f64 {
        self.before.load[0].max(self.after.load[0])
    }

    /// `load 0.41, others 0.1 cores, steal 0%, ours 1.0 cores`
    pub fn text(&self) -> String {
        format!(
            "load {:.2}, others {:.1} cores, steal {:.0}%, ours {:.1} cores",
            self.load(),
            self.others_cores_busy(),
            100.0 * self.steal_share(),
            self.own_cores_busy()
        )
    }
}
