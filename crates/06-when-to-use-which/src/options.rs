//! The demo's options, and how much they may ask for on this machine. The
//! task count is bounded by what the machine allows, read when the options
//! are checked: every task may be a thread and a process, and holds a pipe.

use std::time::Duration;

use nix::sys::resource::{Resource, getrlimit};

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// Part 1: how many tasks, each waiting for one answer.
    pub tasks: u64,
    /// Part 1: how long the service takes to answer each request.
    pub wait: Duration,
    /// Parts 2 and 5: how many parts (threads, processes) the job is split into.
    pub workers: u64,
    /// Parts 2 and 3: count the primes below this number.
    pub size: u64,
    /// Runs of each mode, taken in turns; the median is reported.
    pub repeats: u64,
}

impl Default for Options {
    /// The demo's defaults: a second or two in a release build.
    fn default() -> Self {
        Options {
            tasks: 8,
            wait: Duration::from_millis(25),
            workers: (cores() as u64).clamp(1, MAX_WORKERS),
            size: 600_000,
            repeats: 3,
        }
    }
}

impl Options {
    /// Small sizes, for the key-differences table and the tests.
    pub fn quick() -> Self {
        let wait = Duration::from_millis(20);
        let (tasks, workers, size, repeats) = (4, 2, 200_000, 1);
        Options {
            tasks,
            wait,
            workers,
            size,
            repeats,
        }
    }
}

impl Options {
    /// Part 1's one-by-one runs wait `tasks × wait × repeats` in all; a
    /// minute at most, or a message saying so (the demo exits with code 2).
    pub fn check_waiting_time(&self) -> Result<(), String> {
        let runs = (self.tasks * self.repeats).min(u32::MAX as u64) as u32;
        let total = self.wait.saturating_mul(runs);
        match total <= MAX_WAITING {
            true => Ok(()),
            false => Err(format!(
                "--tasks {} × --wait-ms {} × --repeats {}: the one-by-one runs alone would \
                 wait {:.0} s; keep it within {} s (fewer tasks, a shorter wait or fewer repeats)",
                crate::grouped(self.tasks),
                self.wait.as_millis(),
                self.repeats,
                total.as_secs_f64(),
                MAX_WAITING.as_secs()
            )),
        }
    }
}

/// The most part 1's one-by-one runs may wait, all repeats together.
pub const MAX_WAITING: Duration = Duration::from_secs(60);
/// Milliseconds the service may take per answer.
pub const MAX_WAIT_MS: u64 = 1_000;
/// Parts the computing job may be split into.
pub const MAX_WORKERS: u64 = 64;
/// Counting the primes below 20 million takes seconds per run already.
pub const MAX_SIZE: u64 = 20_000_000;
/// Never more tasks than this, however generous the machine.
const TASK_CEILING: u64 = 10_000;
/// Memory a task may cost, thread and process together (stack, kernel
/// stack, page tables): a generous guess, so that the cap stays safe.
const BYTES_PER_TASK: u64 = 512 * 1024;

/// The CPUs this process may run on: its affinity mask
/// (`sched_getaffinity(2)`, which `taskset -c 0` sets to one CPU), so the
/// most of its threads that can run at the same moment. A cgroup CPU quota
/// is not counted: it caps CPU time per period, not how many threads run at
/// once (std's `available_parallelism` counts it, rounded down).
pub fn cores() -> usize {
    let mask = support::placement::allowed_cpus().map(|cpus| cpus.len());
    mask.ok()
        .filter(|&cpus| cpus > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The most tasks this machine allows: a quarter of the kernel's thread
/// limit (`threads-max`) and of this user's process limit (RLIMIT_NPROC),
/// half the open files (RLIMIT_NOFILE: two pipe ends per task), and what
/// the available memory holds, at most 10_000.
pub fn max_tasks() -> u64 {
    let soft = |resource| getrlimit(resource).map_or(u64::MAX, |(soft, _)| soft);
    let threads_max = read_number("/proc/sys/kernel/threads-max");
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            let line = meminfo
                .lines()
                .find(|line| line.starts_with("MemAvailable:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok() // in KiB
        });
    [
        TASK_CEILING,
        threads_max.map_or(u64::MAX, |threads| threads / 4),
        soft(Resource::RLIMIT_NPROC) / 4,
        soft(Resource::RLIMIT_NOFILE).saturating_sub(64) / 2,
        available.map_or(u64::MAX, |kib| kib * 1024 / BYTES_PER_TASK),
    ]
    .into_iter()
    .min()
    .unwrap_or(TASK_CEILING)
    .max(1)
}

/// The `--tasks` parser: 1 to `max_tasks()`, or a message saying why not
/// (clap prints it and exits with code 2).
pub fn parse_tasks(text: &str) -> Result<u64, String> {
    let tasks: u64 = text.parse().map_err(|error| format!("{error}"))?;
    let most = max_tasks();
    match tasks {
        0 => Err("0 is not in 1..; at least one task".into()),
        _ if tasks > most => Err(format!(
            "{tasks} is not in 1..={most}: this machine's limit (threads-max, RLIMIT_NPROC, \
             RLIMIT_NOFILE and memory, or the lesson's ceiling of 10_000)"
        )),
        _ => Ok(tasks),
    }
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}
