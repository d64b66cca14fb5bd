//! The readings every model takes at the same three moments: before its
//! first task, when every task waits, and when every task has ended.
//! Memory per task is the growth between the first two, divided by the
//! tasks; CPU time and context switches are `getrusage(2)` of this process
//! and of the task processes it reaped (the driver is reaped later, so its
//! work counts in no model).

use std::time::{Duration, Instant};

use nix::unistd::Pid;
use support::kernel_memory::kernel_growth_of;

use crate::readings::{Reading, reading, settle, usage_now};
use crate::report::ModelFigures;

/// A model's three moments.
#[derive(Debug)]
pub struct Meter {
    started: Instant,
    before: Reading,
    usage_before: (Duration, i64, i64),
    create: Duration,
    during: Reading,
    threads_before: usize,
    threads: usize,
    children: usize,
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
            threads_before: support::forking::threads_in_this_process().unwrap_or(1),
            threads: 0,
            children: 0,
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
        self.children = children.len();
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
        // new kernel tasks of ours: threads of this process, task processes
        let own_tasks = (self.threads + self.children).saturating_sub(self.threads_before);
        let kernel = kernel_growth_of(
            before.kernel,
            during.kernel,
            page_tables,
            own_tasks as i64,
            tasks,
        );
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
            kernel_per_task: kernel.map(|k| k.per_worker),
            others_moved: kernel.is_none_or(|k| k.others_moved),
            slab_from: during.kernel.map(|k| k.slab_from),
            threads: self.threads,
            nofile_raised: None,
        }
    }
}
