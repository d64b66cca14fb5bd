//! Part 5's table, and the verdict: each sentence follows this run's figures.

use support::say;
use support::timing::{Stats, format_duration as took, three_figures};

use crate::report::signed_bytes;
use crate::report::{IdleMemory, KernelMemory, Pools, Report};

fn times(a: &Stats, b: &Stats) -> String {
    three_figures(a.median_secs() / b.median_secs())
}

fn memory_row(what: &str, user: Option<i64>, kernel: Option<KernelMemory>) {
    let part = |f: fn(&KernelMemory) -> i64| signed_bytes(kernel.as_ref().map(f));
    let total = user.zip(kernel).map(|(u, k)| u + k.total());
    say!(
        "{what:<8} {:>11} {:>12} {:>11} {:>9} {:>10}",
        signed_bytes(user),
        part(|k| k.kernel_stack),
        part(|k| k.page_tables),
        part(|k| k.slab),
        signed_bytes(total)
    );
}

pub fn idle_memory(idle: &IdleMemory) {
    say!(
        "{} idle threads, then {} idle processes, each lot in a fresh process",
        idle.workers,
        idle.workers
    );
    say!(
        "{:<8} {:>11} {:>12} {:>11} {:>9} {:>10}",
        "each",
        "user (PSS)",
        "kernel stack",
        "page tables",
        "slab",
        "all"
    );
    memory_row("thread", idle.per_thread_bytes, idle.kernel_per_thread);
    memory_row("process", idle.per_process_bytes, idle.kernel_per_process);
    say!("user: PSS of parent and children (a page k processes share counts 1/k)");
    say!("kernel: growth of KernelStack, PageTables, Slab in /proc/meminfo, for");
    say!("the whole machine: other programs' work is in it too.");
    say!(
        "children started {}, reaped {}",
        idle.children_started,
        idle.children_reaped
    );
}

// ANCHOR: verdict
pub fn verdict(report: &Report) {
    let c = &report.creation;
    let (thread, fork, raw) = (&c.thread_spawn, &c.fork_exit, &c.pthread_create);
    let (thread_took, fork_took) = (took(thread.median), took(fork.median));
    if fork.median > thread.median {
        say!("Creation row: a thread started and ended in {thread_took}, a fork in {fork_took}");
        let command = took(c.command.median);
        say!(
            "({}× the thread), a new program through Command in {command} ({}×).",
            times(fork, thread),
            times(&c.command, thread)
        );
    } else {
        say!("Creation row NOT shown by this run: thread {thread_took}, fork {fork_took}.");
    }
    if thread.median > raw.median {
        let extra = took(thread.median - raw.median);
        say!("std's own set-up: {extra} of the thread's {thread_took}.");
    } else {
        say!(
            "std's spawn cost no more than pthread_create here ({thread_took}, {}).",
            took(raw.median)
        );
    }
    memory_verdict(report);
    pool_verdict(&report.pools);
}
// ANCHOR_END: verdict

fn memory_verdict(report: &Report) {
    let idle = &report.idle_memory;
    let all = |user: Option<i64>, kernel: Option<KernelMemory>| Some(user? + kernel?.total());
    let thread = all(idle.per_thread_bytes, idle.kernel_per_thread);
    let process = all(idle.per_process_bytes, idle.kernel_per_process);
    let (t, p) = (signed_bytes(thread), signed_bytes(process));
    match (thread, process) {
        (Some(thread), Some(process)) if process > thread && thread > 0 => {
            let ratio = three_figures(process as f64 / thread as f64);
            say!("Memory row (user + kernel): process {p}, thread {t}: {ratio}×.");
        }
        _ => {
            say!("Memory row NOT shown by this run (user + kernel): thread {t}, process {p}");
            say!("whole-machine kernel figures are noisy: try more --workers.");
        }
    }
}

fn pool_verdict(pools: &Pools) {
    let elapsed = |i: usize| pools.ways[i].elapsed;
    for (per_job, pool, what) in [(0, 1, "threads"), (2, 3, "processes")] {
        if elapsed(pool) < elapsed(per_job) {
            let ratio = elapsed(per_job).as_secs_f64() / elapsed(pool).as_secs_f64();
            say!(
                "Pools: a pool of {what} ran the jobs {}× faster than one per job.",
                three_figures(ratio)
            );
        } else {
            say!("Pools: a pool of {what} was not faster than one per job in this run.");
        }
    }
}
