//! Printing the tables. Every line fits in 100 columns with its tag (tested).

use std::time::Duration;

use support::say;
use support::timing::{Stats, format_bytes, format_duration as took, three_figures};

use crate::machine::Machine;
use crate::numbers::grouped;
use crate::report::{ForkAtSize, Pools};

fn row(what: &str, stats: &Stats, thread: &Stats, machine: &Machine) {
    let (median, spread) = (
        took(stats.median),
        format!("{}–{}", took(stats.min), took(stats.max)),
    );
    let ratio = three_figures(stats.median_secs() / thread.median_secs());
    let mark = if machine.disturbed(stats) { " !" } else { "" };
    say!("{what:<32} {median:>9}  {spread:<15} {ratio:>5}×{mark}"); // ≤ 100 columns
}

fn header() {
    say!(
        "{:<32} {:>9}  {:<15} {:>6}",
        "start + finish one",
        "median",
        "batch means",
        "× std"
    );
}

/// Part 1's rows: std's spawn, the raw pthread_create, the scope.
pub fn threads(rows: &[(&str, Stats)], machine: &Machine) {
    let [(_, std), (_, pthread), ..] = rows else {
        return; // run and run_part pass all three
    };
    machine.print();
    let batches = std.samples;
    say!("measured in a fresh copy of this program; {batches} batches each");
    header();
    for (what, stats) in rows {
        row(what, stats, std, machine);
    }
    machine.footnote(rows.iter().map(|(_, stats)| stats));
    let extra = took(std.median.saturating_sub(pthread.median));
    say!("std's spawn took {extra} more than the raw call here (0 ns: none).");
    say!("std's own calls per thread (`strace -f -c`): sched_getaffinity");
    say!("(glibc's pthread_getattr_np, which std calls to find the stack),");
    say!("gettid, a 12 KiB mmap with an mprotect guard page for a signal stack,");
    say!("sigaltstack three times (query, install, disable), and munmap.");
}

/// Part 2's rows, each beside std's `thread_spawn`.
pub fn processes(rows: &[(&str, Stats)], thread_spawn: &Stats, machine: &Machine) {
    header();
    for (what, stats) in rows {
        row(what, stats, thread_spawn, machine);
    }
    machine.footnote(rows.iter().map(|(_, stats)| stats));
    say!("Command: std calls posix_spawn(3), which glibc runs as");
    say!("clone3(CLONE_VM | CLONE_VFORK) + execve: the child borrows our");
    say!("memory until it loads the new program, so no page tables are copied.");
}

fn duration_or_dash(stats: Option<Stats>) -> String {
    stats.map_or("-".to_string(), |s| took(s.median))
}

pub fn fork_sizes(rows: &[ForkAtSize], machine: &Machine) {
    let bytes = |b: Option<u64>| b.map_or("?".to_string(), format_bytes);
    say!("  touched   resident page tables  memcpy them  fork+exit    × as is");
    for at in rows {
        let ratio = at.fork_exit.median_secs() / rows[0].fork_exit.median_secs();
        let mark = if machine.disturbed(&at.fork_exit) {
            " !"
        } else {
            ""
        };
        say!(
            "{:>9} {:>10} {:>11} {:>12} {:>10} {:>9}×{mark}",
            format_bytes(at.touched_bytes),
            bytes(at.parent_resident_bytes),
            bytes(at.parent_page_table_bytes),
            duration_or_dash(at.copy_page_table_bytes),
            took(at.fork_exit.median),
            three_figures(ratio)
        );
    }
    machine.footnote(rows.iter().map(|at| &at.fork_exit));
    say!("The parent then rewrites every page: with no fork, and after one:");
    say!("  touched rewrite, no fork  rewrite after fork       faults in it");
    for at in rows.iter().filter(|at| at.touched_bytes > 0) {
        let faults = at
            .faults_after_fork
            .map_or("?".to_string(), |f| f.to_string());
        say!(
            "{:>9} {:>16} {:>19} {:>18}",
            format_bytes(at.touched_bytes),
            duration_or_dash(at.rewrite_before_fork),
            duration_or_dash(at.rewrite_after_fork),
            faults
        );
    }
    say!("A memcpy of the entries alone is quick: fork pays for the kernel's");
    say!("work per page (copy_page_range: one more reference to each page,");
    say!("each entry made read-only); after it, each page's first write faults.");
}

/// Creation is under a tenth of the work once a job lasts ten times it.
const SHARE: f64 = 10.0;

/// Part 5's table, and the job sizes where creation stops mattering.
pub fn print_pools(pools: &Pools, thread_spawn: &Stats, fork_exit: &Stats) {
    let (jobs, turns) = (
        grouped(pools.jobs as u64),
        grouped(crate::part5_pools::JOB_SIZE),
    );
    let (each, workers) = (took(pools.job_alone), pools.workers);
    say!("{jobs} jobs of {turns} loop turns ({each} each); workers at a time: {workers}");
    say!(
        "{:<24} {:>10} {:>12} {:>14}",
        "way",
        "all jobs",
        "per job",
        "results right"
    );
    for way in &pools.ways {
        let per_job = took(way.elapsed / pools.jobs.max(1) as u32);
        let right = if way.results_right { "yes" } else { "NO" };
        say!(
            "{:<24} {:>10} {per_job:>12} {right:>14}",
            way.label,
            took(way.elapsed)
        );
    }
    let per_turn = pools.job_alone.as_secs_f64() / crate::part5_pools::JOB_SIZE as f64;
    for (what, stats) in [("thread", thread_spawn), ("process", fork_exit)] {
        let job = stats.median_secs() * SHARE;
        let turns = if per_turn > 0.0 {
            grouped((job / per_turn) as u64)
        } else {
            "?".into()
        };
        let (cost, job) = (took(stats.median), took(Duration::from_secs_f64(job)));
        say!("{what} start {cost}: < 1/10 of a job of {job}+ ({turns} turns)");
    }
}
