//! What the lesson measured, for the tests, the Key Differences table
//! (lesson 07) and the verdict. Nothing here prints or forks.

use std::time::Duration;

/// Everything the lesson measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The CPUs this process may run on (its affinity mask, `sched_getaffinity`):
    /// how many of its threads can run at once. A cgroup quota is not counted.
    pub cores: usize,
    /// Part 1: K tasks that wait.
    pub io: Workload,
    /// Part 2: one computation in W parts.
    pub cpu: Workload,
    /// Part 3: the computation on 1, 2, 4 and 8 threads.
    pub oversubscription: Vec<ThreadCount>,
    /// The smallest thread count that came within 10% of the best time.
    pub enough_threads: usize,
    /// Part 4: how big a job must be before splitting it pays.
    pub break_even: BreakEven,
    /// Part 5: map/touch/unmap work, where threads can lose.
    pub address_space: AddressSpace,
    /// Processes this lesson forked (the service, the tasks, the workers).
    pub children_forked: usize,
    /// Of those, how many it reaped with `waitpid`, each having exited 0.
    pub children_reaped: usize,
    /// After the lesson, none of the processes it forked was still its
    /// child, not even a zombie (`waitid` on each pid said `ECHILD`).
    pub no_children_left: bool,
}

/// One workload run three ways.
#[derive(Debug, Clone)]
pub struct Workload {
    /// How many tasks (I/O-bound) or parts (CPU-bound).
    pub parts: usize,
    /// One after another, on the main thread.
    pub serial: Timed,
    /// One thread per task or part.
    pub threads: Timed,
    /// One forked process per task or part.
    pub processes: Timed,
}

impl Workload {
    /// The three modes with their names.
    pub fn modes(&self) -> [(&'static str, &Timed); 3] {
        [
            ("serial", &self.serial),
            ("threads", &self.threads),
            ("processes", &self.processes),
        ]
    }

    /// Whether every mode computed the same answer.
    pub fn answers_agree(&self) -> bool {
        self.threads.answer == self.serial.answer && self.processes.answer == self.serial.answer
    }
}

/// One mode of one workload: the median of its repeats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    /// Wall-clock time, start to finish (the median run).
    pub wall: Duration,
    /// CPU time spent meanwhile by this process's threads and its reaped
    /// children, user plus system (`getrusage`).
    pub cpu_time: Duration,
    /// The serial (or one-worker) wall time divided by this one.
    pub speedup: f64,
    /// CPU time over wall time: how many cores worked for it, on average.
    pub cores_busy: f64,
    /// What the mode computed: the number of primes, the sum of the I/O
    /// tasks' answers, or the pages the address-space workers touched.
    pub answer: u64,
}

/// One row of the oversubscription run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreadCount {
    pub threads: usize,
    pub wall: Duration,
    /// The one-thread wall time divided by this one.
    pub speedup: f64,
    /// CPU time over wall time: how many cores worked for it, on average.
    pub cores_busy: f64,
    pub answer: u64,
}

/// Part 4: one job size, done whole on this thread and split over two.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeRow {
    /// Numbers whose primes are counted.
    pub numbers: u64,
    /// Fastest of a few runs on this thread.
    pub whole: Duration,
    /// Fastest of a few runs split over a new thread and this one.
    pub split: Duration,
}

/// Part 4's result.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEven {
    pub rows: Vec<SizeRow>,
    /// The first size at which the split was faster, if any was.
    pub split_first_won: Option<u64>,
}

/// Part 5: the same map/touch/unmap work on one worker, on threads, on
/// processes.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressSpace {
    /// Workers in the threads and processes modes.
    pub workers: usize,
    /// The whole job done by one worker (speed-up 1): its median run.
    pub one_worker: Timed,
    /// The threads' median run, and the processes'.
    pub threads: Timed,
    pub processes: Timed,
    /// The wall time of every run of each way, in the order they ran:
    /// one worker, threads, processes.
    pub walls: [Vec<Duration>; 3],
    /// The TLB shootdowns counted; `None` where the kernel shows none.
    pub shootdowns: Option<Shootdowns>,
}

/// TLB shootdowns the whole machine counted (`/proc/interrupts`, all CPUs,
/// every program's).
#[derive(Debug, Clone, PartialEq)]
pub struct Shootdowns {
    /// During every run of each way, in the order they ran (as `walls`).
    pub runs: [Vec<u64>; 3],
    /// During an idle interval as long as each threads run: the background
    /// that other programs cause.
    pub idle: Vec<u64>,
}
