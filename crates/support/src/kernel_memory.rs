//! The kernel's own memory: what a worker costs beyond the pages a program
//! can see in `smaps`: a kernel stack, page tables (`VmPTE:` of
//! `/proc/PID/status`), slab objects (task records, memory-map records,
//! file tables, epoll items). Where each figure comes from:
//! - cgroup v2: `kernel_stack` and `slab` of this process's memory cgroup
//!   (`memory.stat`), one source for both;
//! - cgroup v1: `memory.kmem.usage_in_bytes` of this process's memory
//!   cgroup counts stacks, page tables and slab together; the stacks are
//!   the caller's own new kernel tasks times one task's stack
//!   (`KernelStack:` ÷ threads on the machine, to 4 KiB), slab the rest;
//! - no memory cgroup: `KernelStack:` and `Slab:` of `/proc/meminfo`.
//!
//! A cgroup may hold other programs, and /proc/meminfo is the machine's:
//! [`kernel_growth_of`] says when other programs' threads came or went.

use nix::unistd::Pid;

/// Where the slab figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlabFrom {
    /// cgroup v2 `memory.stat`, `slab` and `kernel_stack`.
    CgroupSlab,
    /// cgroup v1 kmem, less the caller's own kernel stacks and page tables.
    CgroupKmem,
    /// `Slab:` of /proc/meminfo: the whole machine, so noisy.
    Meminfo,
}

/// One reading: kernel stacks and slab from the source `slab_from` names.
#[derive(Debug, Clone, Copy)]
pub struct KernelReading {
    /// cgroup v2: this cgroup's; otherwise the machine's `KernelStack:`.
    pub kernel_stack: i64,
    pub slab: i64,
    pub slab_from: SlabFrom,
    /// Threads on the whole machine (`/proc/loadavg`, 4th field).
    pub machine_threads: Option<i64>,
    /// One task's kernel stack: `KernelStack:` ÷ threads, to 4 KiB.
    pub stack_each: Option<i64>,
}

/// Reads kernel stacks and slab now; `None` where /proc cannot say.
pub fn kernel_reading() -> Option<KernelReading> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name| kib_field(&meminfo, name).map(|bytes| bytes as i64);
    let machine_stack = field("KernelStack:")?;
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let machine_threads = loadavg.split_whitespace().nth(3).and_then(|t| {
        let all = t.split('/').nth(1)?.parse::<i64>().ok()?;
        (all > 0).then_some(all)
    });
    let stack_each = machine_threads.map(|n| (machine_stack / n + 2_048) / 4_096 * 4_096);
    let (stack, slab, slab_from) = match cgroup_kernel() {
        Some(found) => found,
        None => (None, field("Slab:")?, SlabFrom::Meminfo),
    };
    Some(KernelReading {
        kernel_stack: stack.unwrap_or(machine_stack),
        slab,
        slab_from,
        machine_threads,
        stack_each,
    })
}

/// This process's memory cgroup: v1 `memory.kmem.usage_in_bytes` (kernel
/// memory of every kind), or v2 `memory.stat`'s `kernel_stack` and `slab`.
fn cgroup_kernel() -> Option<(Option<i64>, i64, SlabFrom)> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    for line in groups.lines() {
        let mut parts = line.splitn(3, ':');
        let (controllers, path) = (parts.nth(1)?, parts.next()?);
        if controllers.split(',').any(|c| c == "memory") {
            let file = format!("/sys/fs/cgroup/memory{path}/memory.kmem.usage_in_bytes");
            let kmem = std::fs::read_to_string(file).ok()?.trim().parse().ok()?;
            return Some((None, kmem, SlabFrom::CgroupKmem));
        }
    }
    let path = groups.lines().find_map(|line| line.strip_prefix("0::"))?;
    let stat = std::fs::read_to_string(format!("/sys/fs/cgroup{path}/memory.stat")).ok()?;
    let line = |name: &str| -> Option<i64> {
        let value = stat
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))?;
        value.trim().parse().ok()
    };
    Some((
        Some(line("kernel_stack")?),
        line("slab")?,
        SlabFrom::CgroupSlab,
    ))
}

/// The kernel's growth per worker, and whether other programs moved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelGrowth {
    /// Kernel stacks, page tables, slab: bytes per worker.
    pub per_worker: [i64; 3],
    /// The machine's thread count moved by more than the caller's own new
    /// kernel tasks (slack: a tenth, at least 2), or a figure fell: other
    /// programs moved the machine's (or a shared cgroup's) figures too.
    pub others_moved: bool,
}

/// Growth from `before` to `during`, per worker: kernel stacks, page tables
/// (`page_tables`: the growth of `VmPTE:` the caller summed), slab. Of the
/// `workers`, `own_tasks` were new kernel tasks (0 for rows of an event loop).
pub fn kernel_growth_of(
    before: Option<KernelReading>,
    during: Option<KernelReading>,
    page_tables: Option<i64>,
    own_tasks: i64,
    workers: usize,
) -> Option<KernelGrowth> {
    let (before, during, page_tables) = (before?, during?, page_tables?);
    let mut stack = during.kernel_stack - before.kernel_stack;
    let mut slab = during.slab - before.slab;
    if during.slab_from == SlabFrom::CgroupKmem {
        // kmem counts stacks and page tables too: take out our own only
        stack = own_tasks * during.stack_each?;
        slab -= stack + page_tables;
    }
    let threads = during.machine_threads.zip(before.machine_threads);
    let slack = (own_tasks / 10).max(2); // a fall is never our tasks' doing:
    let fell = stack < 0 || slab < 0;
    let others_moved = fell || threads.is_none_or(|(d, b)| (d - b - own_tasks).abs() > slack);
    let per_worker = [stack, page_tables, slab].map(|bytes| bytes / workers.max(1) as i64);
    Some(KernelGrowth {
        per_worker,
        others_moved,
    })
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
mod tests;
