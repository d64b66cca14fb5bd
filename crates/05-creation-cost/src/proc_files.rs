//! Reading /proc: the plumbing behind the memory figures.

use nix::unistd::Pid;

use crate::report::MemorySource;

// The kernel-memory reader is shared with lesson 08: it lives in support.
use support::kernel_memory::{KernelReading, kernel_growth_of};
pub use support::kernel_memory::{kernel_reading, kib_field, status_field};

/// Kernel growth per worker, each worker one new kernel task (a thread or
/// a process): kernel stacks (the growth of `KernelStack:` in /proc/meminfo,
/// or the cgroup v2 line), page tables, slab (on cgroup v1: kmem less the
/// workers' own stacks and page tables, never less a machine-wide figure).
pub fn kernel_growth(
    before: Option<KernelReading>,
    during: Option<KernelReading>,
    page_tables: Option<i64>,
    workers: usize,
) -> Option<[i64; 3]> {
    let growth = kernel_growth_of(before, during, page_tables, workers as i64, workers)?;
    let machine_stack = (during?.kernel_stack - before?.kernel_stack) / workers.max(1) as i64;
    let [_, tables, slab] = growth.per_worker;
    Some([machine_stack, tables, slab])
}

/// `Pss:` of smaps_rollup (or `VmRSS:` where that is missing), in bytes.
pub fn user_bytes(pid: Pid, source: &MemorySource) -> Option<u64> {
    match source {
        MemorySource::Pss => {
            let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            kib_field(&text, "Pss:")
        }
        _ => status_field(pid, "VmRSS:"),
    }
}

/// Which user-memory figure /proc offers here.
pub fn memory_source() -> MemorySource {
    if user_bytes(Pid::this(), &MemorySource::Pss).is_some() {
        MemorySource::Pss
    } else if status_field(Pid::this(), "VmRSS:").is_some() {
        MemorySource::Rss
    } else {
        MemorySource::Unavailable("/proc/self/smaps_rollup and /proc/self/status unreadable".into())
    }
}

pub fn growth_per_worker(before: Option<u64>, during: Option<u64>, workers: usize) -> Option<i64> {
    Some((during? as i64 - before? as i64) / workers.max(1) as i64)
}

/// Minor page faults this process has taken so far (getrusage(2)).
pub fn minor_faults() -> Option<i64> {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).ok()?;
    Some(usage.minor_page_faults())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_split_between_workers_and_may_be_negative() {
        assert_eq!(growth_per_worker(Some(1000), Some(5000), 4), Some(1000));
        assert_eq!(growth_per_worker(Some(5000), Some(1000), 4), Some(-1000));
        assert_eq!(growth_per_worker(None, Some(1000), 4), None);
    }
}
