//! Part 1's story (the work, the machine, the limits), and the tables
//! against N.

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::kernel_memory::{SlabFrom, kernel_reading};
use support::say;
use support::timing::format_duration;

use crate::limits::{Limits, SPARE_DESCRIPTORS};
use crate::options::Options;
use crate::report::{Model, ModelFigures, Step};
use crate::text::{bytes, grouped, wrapped};
use crate::work::{ROUNDS, THREAD_STACK};

/// The waits alone: ROUNDS times the wait.
pub fn waits(wait: Duration) -> Duration {
    wait * ROUNDS as u32
}

/// What every model does, and on what machine.
pub fn work(options: &Options, cores: usize, busy: Option<f64>) {
    let (wait, waits) = (
        format_duration(options.wait),
        format_duration(waits(options.wait)),
    );
    let text = format!(
        "N tasks each wait on a socket of their own (one end of a Unix socket pair). \
         A driver process holds the other ends: {ROUNDS} times, {wait} apart, it writes \
         every task a question; each task adds up its answers and, after the last, sends \
         back its total. So the waits alone take {waits}. Each model runs in a fresh copy \
         of this program; a thread per task gets a {} KiB stack (std's default: 2 MiB of \
         address space).",
        THREAD_STACK / 1024,
    );
    wrapped("", &text);
    let busy = busy.map_or("?".to_string(), |busy| format!("{busy:.2}"));
    let cpus = if cores == 1 { "CPU" } else { "CPUs" };
    say!("This process may use {cores} {cpus}; other programs kept {busy} busy just now.");
    let (stack, slab) = match kernel_reading().map(|k| k.slab_from) {
        Some(SlabFrom::CgroupKmem) => (
            "the model's own new threads and processes times one kernel stack",
            "this memory cgroup's kernel memory, less those stacks and page tables",
        ),
        Some(SlabFrom::CgroupSlab) => (
            "kernel_stack of this memory cgroup's memory.stat",
            "slab of this memory cgroup's memory.stat",
        ),
        _ => ("KernelStack of /proc/meminfo", "Slab of /proc/meminfo"),
    };
    let text = format!(
        "create: until every task waits. finish: from the driver's go until every task \
         has ended. CPU: user + system time of the model's processes (not the driver's). \
         switches: voluntary (a wait) and forced, from getrusage(2). Memory per task: the \
         growth while every task waits, divided by N: user is PSS (smaps_rollup); k. stack \
         is {stack}; p. tables is VmPTE; slab is {slab}. A row ending in * grew while \
         other programs' threads came and went, or a figure fell: its kernel figures \
         are others' too. A row ending in ! ran beside other programs' work."
    );
    wrapped("", &text);
}

/// The limits that could stop a model; returns the ladder that the
/// descriptor limit allows (each task's socket is a descriptor).
pub fn limits(options: &Options, limits: &Limits) -> Vec<usize> {
    say!("Limits read now (each model's process reads them again):");
    let n = |value: Option<u64>| value.map_or("?".to_string(), |v| grouped(v as usize));
    let (soft, hard) = (n(Some(limits.nofile.0)), n(Some(limits.nofile.1)));
    say!("  RLIMIT_NOFILE soft {soft}, hard {hard}: a descriptor a task");
    let nproc = Some(limits.nproc.0).filter(|soft| *soft != u64::MAX);
    let exempt = if limits.root {
        " (root is not held to it)"
    } else {
        ""
    };
    say!(
        "  RLIMIT_NPROC {}{exempt}",
        nproc.map_or("unlimited".into(), |s| n(Some(s)))
    );
    let (pid_max, threads_max) = (n(limits.pid_max), n(limits.threads_max));
    say!("  kernel.pid_max {pid_max}, kernel.threads-max {threads_max}");
    let pids = limits
        .cgroup_pids
        .map(|(max, now)| format!(", cgroup pids.max {} ({} now)", n(Some(max)), n(Some(now))));
    say!(
        "  vm.max_map_count {}{}",
        n(limits.max_map_count),
        pids.unwrap_or_default()
    );
    let (watches, now) = (n(limits.epoll_max_user_watches), n(limits.tasks_now));
    say!("  fs.epoll.max_user_watches {watches}");
    say!("  threads on the machine now: {now}");
    let room = limits.descriptor_room() as usize;
    let mut ladder: Vec<usize> = options
        .ladder
        .iter()
        .map(|&tasks| tasks.min(room))
        .collect();
    if ladder != options.ladder {
        let text = format!(
            "The ladder stops at {} tasks: RLIMIT_NOFILE's hard limit {hard} leaves room for \
             that many sockets in one process (and {SPARE_DESCRIPTORS} spare).",
            grouped(room)
        );
        wrapped("", &text);
    }
    ladder.dedup();
    ladder
}

/// Memory per task, time to create all tasks, time to finish all waits:
/// per model, against N; then the chart, whose path it returns.
pub fn against_n(steps: &[Step], out_dir: Option<&Path>) -> Option<PathBuf> {
    let header: String = steps
        .iter()
        .map(|s| format!("{:>10}", grouped(s.tasks)))
        .collect();
    say!("{:<17}{header}", "memory per task");
    row_per_model(steps, |f| bytes(f.memory_per_task()));
    say!("{:<17}{header}", "create all tasks");
    row_per_model(steps, |f| format_duration(f.create));
    say!("{:<17}{header}", "finish all waits");
    row_per_model(steps, |f| format_duration(f.finish));
    match crate::chart::write(steps, out_dir) {
        Ok(path) => {
            say!("chart as SVG: {}", path.display());
            Some(path)
        }
        Err(error) => {
            wrapped("no chart:", &error.to_string());
            None
        }
    }
}

fn row_per_model(steps: &[Step], cell: impl Fn(&ModelFigures) -> String) {
    for model in Model::ALL {
        let cells = steps
            .iter()
            .map(|step| step.figures(model).map_or("-".into(), &cell));
        let cells: String = cells.map(|cell| format!("{cell:>10}")).collect();
        say!("{:<17}{cells}", model.name());
    }
}
