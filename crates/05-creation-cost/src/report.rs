//! What the lesson measured (read by the tests, lesson 07 and the tour).

use support::timing::Stats;

#[derive(Debug, Clone)]
pub struct Report {
    /// How busy the machine was around the creation figures.
    pub machine: crate::machine::Machine,
    pub creation: CreationCosts,
    /// fork + `_exit` + waitpid of a parent as it is, then after it touched
    /// 64 MiB, then 256 MiB, with the write faults that follow each fork.
    pub fork_vs_memory: Vec<ForkAtSize>,
    pub idle_memory: IdleMemory,
    pub pools: Pools,
}

/// Cost of starting a worker and waiting for it to finish, per worker,
/// measured in a process started fresh for the purpose.
#[derive(Debug, Clone, Copy)]
pub struct CreationCosts {
    /// `std::thread::spawn` of an empty closure, then `join`.
    pub thread_spawn: Stats,
    /// `pthread_create` of an empty function through libc, then `pthread_join`.
    pub pthread_create: Stats,
    /// `std::thread::scope` around one scoped thread, joined explicitly.
    pub thread_scope: Stats,
    /// `fork`, the child calls `_exit(0)`, the parent `waitpid`s.
    pub fork_exit: Stats,
    /// `fork`, the child `exec`s `/bin/true`, the parent `waitpid`s.
    pub fork_exec: Stats,
    /// `std::process::Command::new("/bin/true").spawn()` then wait.
    pub command: Stats,
    /// The process that measured them (a fresh one: not the caller).
    pub measured_in_pid: Option<u32>,
}

impl CreationCosts {
    /// Each figure with the words the table prints beside it.
    pub fn rows(&self) -> [(&'static str, Stats); 6] {
        let c = self;
        let stats = [c.thread_spawn, c.pthread_create, c.thread_scope];
        let stats = [stats, [c.fork_exit, c.fork_exec, c.command]].concat();
        std::array::from_fn(|i| (CREATION_ROWS[i].1, stats[i]))
    }
}

/// Each row's name (what the fresh process prints) and the table's words.
pub const CREATION_ROWS: [(&str, &str); 6] = [
    ("std", "std thread::spawn + join"),
    ("pthread", "libc pthread_create + join"),
    ("scope", "thread::scope, joined explicitly"),
    ("fork", "fork + _exit + waitpid"),
    ("exec", "fork + exec /bin/true + waitpid"),
    ("command", "Command /bin/true (posix_spawn)"),
];

/// One fork figure, for a parent that touched `touched_bytes` first.
#[derive(Debug, Clone, Copy)]
pub struct ForkAtSize {
    pub touched_bytes: u64, // 0: the parent as it is
    /// The parent's resident memory while it was forking (`VmRSS:`).
    pub parent_resident_bytes: Option<u64>,
    /// The parent's page tables (`VmPTE:`), which each fork copies.
    pub parent_page_table_bytes: Option<u64>,
    pub fork_exit: Stats,
    /// A plain memcpy of as many bytes as the page tables hold.
    pub copy_page_table_bytes: Option<Stats>,
    /// The parent rewrites every touched page: with no fork before it, and
    /// just after a fork (each page is write-protected, each write faults).
    pub rewrite_before_fork: Option<Stats>,
    pub rewrite_after_fork: Option<Stats>,
    /// Minor page faults the parent took in one rewrite after a fork.
    pub faults_after_fork: Option<i64>,
}

/// Where the user-memory figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemorySource {
    /// `Pss:` of `/proc/PID/smaps_rollup`: a page shared by k processes
    /// counts 1/k in each, so shared pages are not counted twice.
    Pss,
    /// `VmRSS:` of `/proc/PID/status`: shared pages count in full in every
    /// process, so the per-process figure is too high.
    Rss,
    Unavailable(String), // no /proc to read; the reason
}

/// Where the slab figure comes from (the reader lives in support).
pub use support::kernel_memory::SlabFrom;

/// The kernel's own memory per worker: the median over fresh rounds of
/// kernel stacks (`KernelStack:` of /proc/meminfo), page tables (`VmPTE:`
/// of the parent and every child) and slab. `None`: noise (a growth of 0
/// or less, or rounds that disagree), so no figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelMemory {
    pub kernel_stack: Option<i64>,
    pub page_tables: Option<i64>,
    pub slab: Option<i64>,
    pub slab_from: SlabFrom,
}

impl KernelMemory {
    pub fn total(&self) -> Option<i64> {
        Some(self.kernel_stack? + self.page_tables? + self.slab?)
    }
}

/// What N idle workers add to memory, per worker.
#[derive(Debug, Clone)]
pub struct IdleMemory {
    pub workers: usize,
    /// Fresh processes per kind; each figure is the median over them.
    pub rounds: usize,
    pub source: MemorySource,
    /// User memory (PSS) per idle thread, bytes.
    pub per_thread_bytes: Option<i64>,
    /// User memory (PSS of the parent plus every child) per idle process.
    pub per_process_bytes: Option<i64>,
    /// Page tables per idle child (`VmPTE:` of each child).
    pub page_tables_per_process_bytes: Option<u64>,
    /// Kernel memory per idle thread and per idle process.
    pub kernel_per_thread: Option<KernelMemory>,
    pub kernel_per_process: Option<KernelMemory>,
    /// Idle children started, and how many of them were reaped by waitpid.
    pub children_started: usize,
    pub children_reaped: usize,
}

/// Part 5: the same jobs four ways, and what creation costs per job.
#[derive(Debug, Clone)]
pub struct Pools {
    pub jobs: usize,
    /// Workers at once (the CPUs this process may use).
    pub workers: usize,
    /// One job run inline, no worker at all.
    pub job_alone: std::time::Duration,
    pub ways: Vec<PoolWay>,
}

/// One way of running the jobs.
#[derive(Debug, Clone)]
pub struct PoolWay {
    pub label: &'static str,
    pub elapsed: std::time::Duration,
    pub results_right: bool,
}
