//! The readings every model takes at the same three moments: before its
//! first task, when every task waits, and when every task has ended.
//! Memory per task is the growth between the first two, divided by the
//! tasks; CPU time and context switches are `getrusage(2)` of this process
//! and of the task processes it reaped (the driver is reaped later, so its
//! work counts in no model).

use std::time::{Duration, Instant};

use nix::sys::resource::{Usage, UsageWho, getrusage};
use nix::unistd::Pid;
use support::kernel_memory::status_field;
use support::kernel_memory::{KernelReading, kernel_growth, kernel_reading, kib_field};

use crate::report::ModelFigures;

/// Memory at one moment: PSS and page tables summed over this process and
/// `children`, and the kernel's stacks and slab.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    user: Option<u64>,
    page_tables: Option<u64>,
    kernel: Option<KernelReading>,
}

/// `Pss:` of /proc/PID/smaps_rollup: resident memory, a page shared by k
/// processes counted 1/k in each.
fn pss(pid: Pid) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    kib_field(&text, "Pss:")
}

fn reading(children: &[Pid]) -> Reading {
    let everyone = || std::iter::once(Pid::this()).chain(children.iter().copied());
    Reading {
        user: everyone().map(pss).sum(),
        page_tables: everyone().map(|pid| status_field(pid, "VmPTE:")).sum(),
        kernel: kernel_reading(),
    }
}

/// Waits (10 ms at a time, at most 200 ms) until the kernel's memory stops
/// shrinking: the previous model's tasks are freed a little after they
/// ended (their records after an RCU grace period), and freed during our
/// readings they would hide what this model's tasks cost.
fn settle() {
    let slab = || kernel_reading().map(|k| k.slab);
    let mut last = slab();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(10));
        let now = slab();
        if now >= last {
            return;
        }
        last = now;
    }
}

/// CPU time and context switches so far: this process, all its threads,
/// and its reaped children.
fn usage_now() -> (Duration, i64, i64) {
    let [me, children] = [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN]
        .map(|who| getrusage(who).expect("getrusage(2) of this process"));
    let cpu = |u: &Usage| {
        let micros =
            |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
        Duration::from_micros(micros(u.user_time()) + micros(u.system_time()))
    };
    let voluntary = me.voluntary_context_switches() + children.voluntary_context_switches();
    let forced = me.involuntary_context_switches() + children.involuntary_context_switches();
    (cpu(&me) + cpu(&children), voluntary, forced)
}

/// A model's three moments.
#[derive(Debug)]
pub struct Meter {
    started: Instant,
    before: Reading,
    usage_before: (Duration, i64, i64),
    create: Duration,
    during: Reading,
    threads: usize,
    go: Instant,
    finish: Duration,
    usage_after: (Duration, i64, i64),
}

impl Meter {
    /// The first moment: just before the first task is created, once the
    /// kernel has settled.
    pub fn start() -> Meter {
        settle();
        let (before, usage_before) = (reading(&[]), usage_now());
        let now = Instant::now();
        Meter {
            started: now,
            before,
            usage_before,
            create: Duration::ZERO,
            during: Reading::default(),
            threads: 0,
            go: now,
            finish: Duration::ZERO,
            usage_after: usage_before,
        }
    }

    /// The second moment: every task is waiting. `children` are the task
    /// processes, if the tasks are processes.
    pub fn all_waiting(&mut self, children: &[Pid]) {
        self.create = self.started.elapsed();
        self.during = reading(children);
        self.threads = support::forking::threads_in_this_process().unwrap_or(0);
        crate::faults::die_here_if_asked(); // a test's killed model
        self.go = Instant::now();
    }

    /// The third moment: every task has ended (and been reaped).
    pub fn all_done(&mut self) {
        self.finish = self.go.elapsed();
        self.usage_after = usage_now();
    }

    /// The figures for `tasks` tasks, `finished` of them cleanly.
    pub fn figures(&self, tasks: usize, finished: usize) -> ModelFigures {
        let (before, during) = (self.before, self.during);
        let grown = |b: Option<u64>, d: Option<u64>| Some(d? as i64 - b? as i64);
        let per_task = |bytes: i64| bytes / tasks.max(1) as i64;
        let page_tables = grown(before.page_tables, during.page_tables);
        let (cpu_0, voluntary_0, forced_0) = self.usage_before;
        let (cpu_1, voluntary_1, forced_1) = self.usage_after;
        ModelFigures {
            tasks,
            stopped_by: None,
            finished,
            right_totals: 0,
            totals: 0,
            create: self.create,
            finish: self.finish,
            cpu: cpu_1.saturating_sub(cpu_0),
            switches: (voluntary_1 - voluntary_0, forced_1 - forced_0),
            user_per_task: grown(before.user, during.user).map(per_task),
            kernel_per_task: kernel_growth(before.kernel, during.kernel, page_tables, tasks),
            slab_from: during.kernel.map(|k| k.slab_from),
            threads: self.threads,
            nofile_raised: None,
        }
    }
}
