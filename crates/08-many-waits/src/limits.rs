//! The limits that can stop a model before it reaches N tasks, read from
//! the machine before each model, and the sentence that names the one that
//! stopped it. A limit is a lesson, not a crash: the model runs the tasks
//! it could start, and says why it stopped there.

use nix::errno::Errno;
use nix::sys::resource::{Resource, getrlimit};

use crate::report::Model;

/// Descriptors a model's process needs besides one per task: stdin,
/// stdout, stderr, the channels, the epoll instance, tokio's own.
pub const SPARE_DESCRIPTORS: u64 = 64;

/// Memory areas each std thread maps (its stack and guard page, its signal
/// stack and guard page), counted in /proc/self/maps.
pub const MAPS_PER_THREAD: u64 = 4;

/// Every limit that can stop a model, as read now. `None`: unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// RLIMIT_NPROC (threads and processes of this user), soft and hard.
    pub nproc: (u64, u64),
    /// RLIMIT_NOFILE (open descriptors of one process), soft and hard.
    pub nofile: (u64, u64),
    pub pid_max: Option<u64>,
    pub threads_max: Option<u64>,
    pub max_map_count: Option<u64>,
    /// (`pids.max`, `pids.current`) of the tightest pids cgroup this
    /// process is in (its own or an ancestor), when one has a number.
    pub cgroup_pids: Option<(u64, u64)>,
    pub epoll_max_user_watches: Option<u64>,
    /// Threads on the whole machine now (`/proc/loadavg`).
    pub tasks_now: Option<u64>,
    /// Root is not held to RLIMIT_NPROC.
    pub root: bool,
}

pub fn number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

impl Limits {
    pub fn read() -> Limits {
        let pair = |resource| getrlimit(resource).unwrap_or((u64::MAX, u64::MAX));
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        // `0.52 0.58 0.59 2/611 12345`: runnable / all threads, last pid
        let tasks_now = loadavg.split_whitespace().nth(3);
        Limits {
            nproc: pair(Resource::RLIMIT_NPROC),
            nofile: pair(Resource::RLIMIT_NOFILE),
            pid_max: number("/proc/sys/kernel/pid_max"),
            threads_max: number("/proc/sys/kernel/threads-max"),
            max_map_count: number("/proc/sys/vm/max_map_count"),
            cgroup_pids: cgroup::pids(),
            epoll_max_user_watches: number("/proc/sys/fs/epoll/max_user_watches"),
            tasks_now: tasks_now.and_then(|t| t.split('/').nth(1)?.parse().ok()),
            root: nix::unistd::geteuid().is_root(),
        }
    }

    /// The tightest limit on `model`'s task count, as (about how many more
    /// tasks it allows, its name).
    pub fn tightest(&self, model: Model) -> Option<(u64, String)> {
        let now = self.tasks_now.unwrap_or(0);
        let room = |limit: Option<u64>| limit.map(|l| l.saturating_sub(now));
        let mut found = vec![(self.descriptor_room(), "RLIMIT_NOFILE (hard)".to_string())];
        if model.kernel_task_per_task() {
            let nproc = (!self.root && self.nproc.0 != u64::MAX).then_some(self.nproc.0);
            let maps = self.max_map_count.map(|m| m / MAPS_PER_THREAD);
            let maps = maps.filter(|_| model == Model::Threads);
            let each = [
                (room(self.threads_max), "kernel.threads-max"),
                (room(self.pid_max), "kernel.pid_max"),
                (
                    self.cgroup_pids.map(|(m, c)| m.saturating_sub(c)),
                    "the cgroup's pids.max",
                ),
                (nproc, "RLIMIT_NPROC"),
                (maps, "vm.max_map_count (4 maps a thread)"),
            ];
            found.extend(
                each.into_iter()
                    .filter_map(|(n, what)| Some((n?, what.into()))),
            );
        } else if let Some(watches) = self.epoll_max_user_watches {
            found.push((watches, "fs.epoll.max_user_watches".into()));
        }
        found.into_iter().min_by_key(|(room, _)| *room)
    }

    /// Tasks the hard descriptor limit allows in one process.
    pub fn descriptor_room(&self) -> u64 {
        self.nofile.1.saturating_sub(SPARE_DESCRIPTORS)
    }
}

/// The errno behind an error from std (0 if it has none).
pub fn errno_of(error: &std::io::Error) -> Errno {
    Errno::from_raw(error.raw_os_error().unwrap_or(0))
}

/// `name (1_234)`.
pub fn named(name: &str, limit: Option<u64>) -> String {
    let limit = crate::text::grouped(limit.unwrap_or(0) as usize);
    format!("{name} ({limit})")
}

/// The sentence that names the limit behind `errno`, read now.
pub fn stopped_by(errno: Errno) -> String {
    let limits = Limits::read();
    let maps = std::fs::read_to_string("/proc/self/maps").map_or(0, |m| m.lines().count());
    let tasks_now = limits.tasks_now.unwrap_or(0);
    let near = |limit: Option<u64>| limit.is_some_and(|l| tasks_now + 64 >= l);
    let maps_full = limits.max_map_count.is_some_and(|m| maps as u64 + 64 >= m);
    match errno {
        Errno::EMFILE => named("RLIMIT_NOFILE", Some(limits.nofile.0)),
        Errno::ENFILE => "fs.file-max (open files on the machine)".into(),
        Errno::ENOSPC => named("fs.epoll.max_user_watches", limits.epoll_max_user_watches),
        // glibc reports a thread stack it could not set up as EAGAIN
        Errno::ENOMEM | Errno::EAGAIN if maps_full => {
            named("vm.max_map_count", limits.max_map_count)
        }
        Errno::EAGAIN if near(limits.threads_max) => {
            named("kernel.threads-max", limits.threads_max)
        }
        Errno::EAGAIN if near(limits.pid_max) => named("kernel.pid_max", limits.pid_max),
        Errno::EAGAIN if limits.cgroup_pids.is_some_and(|(m, c)| c + 64 >= m) => {
            named("the cgroup's pids.max", limits.cgroup_pids.map(|(m, _)| m))
        }
        Errno::EAGAIN if !limits.root => named("RLIMIT_NPROC", Some(limits.nproc.0)),
        other => format!("{other} (no limit read here explains it)"),
    }
}

mod cgroup;
#[cfg(test)]
mod tests;
