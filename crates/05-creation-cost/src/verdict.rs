//! Part 4's table, and the verdict: each sentence follows this run's figures.

use support::say;
use support::timing::{Stats, format_duration as took, three_figures};

use crate::numbers::signed_bytes;
use crate::report::{IdleMemory, KernelMemory, Pools, Report, SlabFrom};

fn times(a: &Stats, b: &Stats) -> String {
    three_figures(a.median_secs() / b.median_secs())
}

/// A kernel figure, or "noise" where the rounds gave none.
fn cell(kernel: Option<&KernelMemory>, figure: fn(&KernelMemory) -> Option<i64>) -> String {
    match kernel {
        Some(kernel) => figure(kernel).map_or("noise".into(), |b| signed_bytes(Some(b))),
        None => "?".into(),
    }
}

fn memory_row(what: &str, user: Option<i64>, kernel: Option<KernelMemory>) {
    let total = user.zip(kernel.and_then(|k| k.total())).map(|(u, k)| u + k);
    say!(
        "{what:<8} {:>11} {:>12} {:>11} {:>9} {:>10}",
        signed_bytes(user),
        cell(kernel.as_ref(), |k| k.kernel_stack),
        cell(kernel.as_ref(), |k| k.page_tables),
        cell(kernel.as_ref(), |k| k.slab),
        signed_bytes(total)
    );
}

/// Where the kernel stacks are read from, without a cgroup v2.
const MACHINE: &str = "KernelStack in /proc/meminfo (whole machine).";

pub fn idle_memory(idle: &IdleMemory) {
    let (workers, rounds) = (idle.workers, idle.rounds);
    say!("{workers} idle threads, then {workers} idle processes, in {rounds} fresh rounds each");
    let titles = ["user (PSS)", "kernel stack", "page tables", "slab", "all"];
    let [user, stack, tables, slab, all] = titles;
    say!("each     {user:>11} {stack:>12} {tables:>11} {slab:>9} {all:>10}");
    memory_row("thread", idle.per_thread_bytes, idle.kernel_per_thread);
    memory_row("process", idle.per_process_bytes, idle.kernel_per_process);
    say!("Per worker, the median of the rounds. user: PSS of parent and");
    say!("children (a page k processes share counts 1/k). page tables: VmPTE");
    say!("of parent and children.");
    let (stack, slab) = match idle.kernel_per_thread.map(|k| k.slab_from) {
        Some(SlabFrom::CgroupSlab) => ("this memory cgroup's memory.stat.", "the same file."),
        Some(SlabFrom::CgroupKmem) => (MACHINE, "this memory cgroup's kmem, less the two above."),
        _ => (MACHINE, "Slab in /proc/meminfo (whole machine, so noisy)."),
    };
    say!("kernel stack: {stack}");
    say!("slab: {slab}");
    say!("noise: a growth of 0 or less in a round, or rounds apart by over half");
    say!("their median; then no total and no ratio.");
    let (started, reaped) = (idle.children_started, idle.children_reaped);
    say!("children started {started}, reaped {reaped} (each round)");
}

// ANCHOR: verdict
/// The verdict's sentences, each at most 70 columns (a 30-column tag goes before it).
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let c = &report.creation;
    let (thread, fork, raw) = (&c.thread_spawn, &c.fork_exit, &c.pthread_create);
    let (thread_took, fork_took) = (took(thread.median), took(fork.median));
    let mut lines = Vec::new();
    if let Some(load) = report.machine.overloaded() {
        let cores = report.machine.cores;
        lines.push(format!(
            "Disturbed: load average {load:.2} above the {cores} cores seen;"
        ));
        lines.push("rerun on a quiet machine before trusting the figures.".into());
    }
    if fork.median > thread.median {
        lines.push(format!(
            "Creation row: a thread started and ended in {thread_took},"
        ));
        let (fork_times, command) = (times(fork, thread), took(c.command.median));
        lines.push(format!(
            "a fork in {fork_took} ({fork_times}× the thread), a new program"
        ));
        lines.push(format!(
            "through Command in {command} ({}×).",
            times(&c.command, thread)
        ));
    } else {
        lines.push(format!(
            "Creation row NOT shown: thread {thread_took}, fork {fork_took}."
        ));
    }
    // ANCHOR_END: verdict
    // ANCHOR: verdict_rest
    if thread.median > raw.median {
        let extra = took(thread.median - raw.median);
        lines.push(format!(
            "std's own set-up: {extra} of the thread's {thread_took}."
        ));
    } else {
        let raw = took(raw.median);
        lines.push(format!(
            "std's spawn cost no more than pthread_create here ({thread_took},"
        ));
        lines.push(format!("{raw})."));
    }
    // ANCHOR_END: verdict_rest
    lines.extend(memory_verdict(&report.idle_memory));
    lines.extend(pool_verdict(&report.pools));
    lines
}

pub fn verdict(report: &Report) {
    verdict_lines(report).iter().for_each(|line| say!("{line}"));
}

fn memory_verdict(idle: &IdleMemory) -> Vec<String> {
    let all = |user: Option<i64>, kernel: Option<KernelMemory>| Some(user? + kernel?.total()?);
    let thread = all(idle.per_thread_bytes, idle.kernel_per_thread);
    let process = all(idle.per_process_bytes, idle.kernel_per_process);
    let (t, p) = (signed_bytes(thread), signed_bytes(process));
    match (thread, process) {
        (Some(thread), Some(process)) if process > thread && thread > 0 => {
            let ratio = three_figures(process as f64 / thread as f64);
            vec![format!(
                "Memory row (user + kernel): process {p}, thread {t}: {ratio}×."
            )]
        }
        _ => vec![
            "Memory row NOT shown by this run (user + kernel):".into(),
            format!("thread {t}, process {p} (?: a figure was noise)."),
            "Rerun on a quieter machine, or with more --workers.".into(),
        ],
    }
}

fn pool_verdict(pools: &Pools) -> Vec<String> {
    let elapsed = |i: usize| pools.ways[i].elapsed;
    let mut lines = Vec::new();
    for (per_job, pool, what) in [(0, 1, "threads"), (2, 3, "processes")] {
        let ratio = elapsed(per_job).as_secs_f64() / elapsed(pool).as_secs_f64();
        let shown = three_figures(ratio);
        lines.push(match ratio > 1.0 {
            true => format!("Pools: a pool of {what} was {shown}× faster than one per job."),
            false => format!("Pools: a pool of {what} did not beat one per job here."),
        });
    }
    lines
}
