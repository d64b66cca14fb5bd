//! The kernel's own memory: what a worker costs beyond the pages a program
//! can see in `smaps`. A thread or a process also takes a kernel stack
//! (`KernelStack:` of `/proc/meminfo`), page tables (`VmPTE:` of
//! `/proc/PID/status`), and slab objects: task records, memory-map
//! records, file tables, epoll items.
//!
//! Kernel stacks are read from `/proc/meminfo`, a whole-machine line (other
//! programs move it too). Slab comes from this process's memory cgroup
//! where there is one, which counts this program and its children only;
//! otherwise from `Slab:` of `/proc/meminfo`, the whole machine again.
//! Lessons take a reading before and one during, and divide the growth by
//! the number of workers ([`kernel_growth`]).

use nix::unistd::Pid;

/// Where the slab figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlabFrom {
    /// cgroup v2 `memory.stat` line `slab`: this process's cgroup only.
    CgroupSlab,
    /// cgroup v1 `memory.kmem.usage_in_bytes`, this process's cgroup only,
    /// less the kernel stacks and page tables (which it counts too).
    CgroupKmem,
    /// `Slab:` of /proc/meminfo: the whole machine, so noisy.
    Meminfo,
}

/// One reading of the kernel's memory: kernel stacks (`KernelStack:` of
/// /proc/meminfo, whole machine) and slab from the best source there is.
#[derive(Debug, Clone, Copy)]
pub struct KernelReading {
    pub kernel_stack: i64,
    pub slab: i64,
    pub slab_from: SlabFrom,
}

/// Reads kernel stacks and slab now; `None` where /proc cannot say.
pub fn kernel_reading() -> Option<KernelReading> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name| kib_field(&meminfo, name).map(|bytes| bytes as i64);
    let (slab, slab_from) = match cgroup_kernel() {
        Some(found) => found,
        None => (field("Slab:")?, SlabFrom::Meminfo),
    };
    let kernel_stack = field("KernelStack:")?;
    Some(KernelReading {
        kernel_stack,
        slab,
        slab_from,
    })
}

/// This process's memory cgroup: v1 `memory.kmem.usage_in_bytes` (kernel
/// memory of every kind), or v2 `memory.stat`'s `slab` line.
fn cgroup_kernel() -> Option<(i64, SlabFrom)> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    for line in groups.lines() {
        let mut parts = line.splitn(3, ':');
        let (controllers, path) = (parts.nth(1)?, parts.next()?);
        if controllers.split(',').any(|c| c == "memory") {
            let file = format!("/sys/fs/cgroup/memory{path}/memory.kmem.usage_in_bytes");
            let kmem = std::fs::read_to_string(file).ok()?.trim().parse().ok()?;
            return Some((kmem, SlabFrom::CgroupKmem));
        }
    }
    let path = groups.lines().find_map(|line| line.strip_prefix("0::"))?;
    let stat = std::fs::read_to_string(format!("/sys/fs/cgroup{path}/memory.stat")).ok()?;
    let slab = stat.lines().find_map(|line| line.strip_prefix("slab "))?;
    Some((slab.trim().parse().ok()?, SlabFrom::CgroupSlab))
}

/// Growth from `before` to `during`, per worker: kernel stacks, page tables
/// (`page_tables`, the growth of `VmPTE:` summed by the caller), slab.
pub fn kernel_growth(
    before: Option<KernelReading>,
    during: Option<KernelReading>,
    page_tables: Option<i64>,
    workers: usize,
) -> Option<[i64; 3]> {
    let (before, during, page_tables) = (before?, during?, page_tables?);
    let stack = during.kernel_stack - before.kernel_stack;
    let mut slab = during.slab - before.slab;
    if during.slab_from == SlabFrom::CgroupKmem {
        slab -= stack + page_tables; // kmem counts those two as well
    }
    Some([stack, page_tables, slab].map(|bytes| bytes / workers.max(1) as i64))
}

/// A `Name:   1234 kB` line of /proc/PID/status, in bytes (`VmPTE:`,
/// `VmRSS:`); `None` once the process is gone.
pub fn status_field(pid: Pid, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kib_field(&text, name)
}

/// The `Name:   1234 kB` line of a /proc file's text, in bytes.
pub fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    let kib = line[name.len()..].trim().trim_end_matches("kB").trim();
    Some(kib.parse::<u64>().ok()? * 1024)
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
    fn cgroup_v1_kmem_less_stacks_and_page_tables_is_slab() {
        for (from, slab) in [(SlabFrom::CgroupKmem, 150), (SlabFrom::Meminfo, 450)] {
            let at = |kernel_stack, slab| {
                Some(KernelReading {
                    kernel_stack,
                    slab,
                    slab_from: from,
                })
            };
            let growth = kernel_growth(at(0, 1_000), at(400, 1_900), Some(200), 2);
            assert_eq!(growth, Some([200, 100, slab]));
        }
    }

    #[test]
    fn this_process_has_a_kernel_reading_and_page_tables() {
        assert!(kernel_reading().is_some_and(|k| k.kernel_stack > 0));
        assert!(status_field(Pid::this(), "VmPTE:").is_some());
    }
}
