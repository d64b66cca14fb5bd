//! Reading /proc: the plumbing behind the memory figures.

use nix::unistd::Pid;

use crate::report::{KernelMemory, MemorySource};

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

/// A `Name:   1234 kB` line of /proc/PID/status, in bytes.
pub fn status_field(pid: Pid, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kib_field(&text, name)
}

/// The kernel's own memory, whole system: `KernelStack:`, `PageTables:`
/// and `Slab:` of /proc/meminfo, in bytes.
pub fn kernel_memory() -> Option<KernelMemory> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name| kib_field(&text, name).map(|bytes| bytes as i64);
    Some(KernelMemory {
        kernel_stack: field("KernelStack:")?,
        page_tables: field("PageTables:")?,
        slab: field("Slab:")?,
    })
}

/// Growth from `before` to `during`, per worker.
pub fn kernel_growth(
    before: Option<KernelMemory>,
    during: Option<KernelMemory>,
    workers: usize,
) -> Option<KernelMemory> {
    let (before, during, workers) = (before?, during?, workers.max(1) as i64);
    Some(KernelMemory {
        kernel_stack: (during.kernel_stack - before.kernel_stack) / workers,
        page_tables: (during.page_tables - before.page_tables) / workers,
        slab: (during.slab - before.slab) / workers,
    })
}

pub fn growth_per_worker(before: Option<u64>, during: Option<u64>, workers: usize) -> Option<i64> {
    Some((during? as i64 - before? as i64) / workers.max(1) as i64)
}

pub fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
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
    fn kib_fields_read_as_bytes() {
        let text = "Name:\tx\nVmRSS:\t    1234 kB\nVmPTE:\t  48 kB\n";
        assert_eq!(kib_field(text, "VmRSS:"), Some(1234 * 1024));
        assert_eq!(kib_field(text, "VmPTE:"), Some(48 * 1024));
        assert_eq!(kib_field(text, "Pss:"), None);
    }

    #[test]
    fn growth_is_split_between_workers_and_may_be_negative() {
        assert_eq!(growth_per_worker(Some(1000), Some(5000), 4), Some(1000));
        assert_eq!(growth_per_worker(Some(5000), Some(1000), 4), Some(-1000));
        assert_eq!(growth_per_worker(None, Some(1000), 4), None);
    }
}
