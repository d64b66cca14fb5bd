//! Part 5: where threads lose. The same map/touch/unmap work on one
//! worker, on threads sharing one address space, and on processes with one
//! each (the work itself is in `part5_map_unmap.rs`).

use std::time::Duration;

use support::error::Result;
use support::say;
use support::timing::format_duration;

use crate::measure::{grouped, median, print_modes};
use crate::part5_map_unmap::{MAP_BYTES, MAPS, measure};
use crate::report::{AddressSpace, Shootdowns};
use crate::workers::Children;

/// Runs part 5, prints its tables and what they showed.
pub fn address_space(
    options: &crate::Options,
    cores: usize,
    children: &mut Children,
) -> Result<AddressSpace> {
    let workers = (options.workers as usize).max(2);
    let size = support::timing::format_bytes(MAP_BYTES as u64);
    say!("{workers} workers each map {size}, write every page, unmap it, {MAPS} times;");
    say!(
        "one worker alone does all of it; each way runs {} times, in turns",
        options.repeats
    );
    let (runs, shootdowns) = measure(workers, options.repeats as usize, children)?;
    let [one, threads, processes] = runs.each_ref().map(|runs| median(runs));
    let walls = runs.map(|runs| runs.iter().map(|run| run.wall).collect());
    let report = AddressSpace {
        workers,
        one_worker: one.with_speedup(&one),
        threads: threads.with_speedup(&one),
        processes: processes.with_speedup(&one),
        walls,
        shootdowns,
    };
    let modes = [
        ("1 worker", &report.one_worker),
        ("threads", &report.threads),
    ];
    print_modes(&[modes[0], modes[1], ("processes", &report.processes)]);
    print_runs(&report);
    explain(&report, cores);
    Ok(report)
}

/// Every run's wall time and shootdowns, as fastest–slowest and fewest–most.
fn print_runs(report: &AddressSpace) {
    say!("way          fastest    slowest   TLB shootdowns, whole machine");
    let counts = report.shootdowns.as_ref();
    for (way, index) in [("1 worker", 0), ("threads", 1), ("processes", 2)] {
        let walls = &report.walls[index];
        let [fastest, slowest] = [walls.iter().min(), walls.iter().max()]
            .map(|wall| format_duration(wall.copied().unwrap_or_default()));
        let counted = counts.map_or("-".into(), |counts| range(&counts.runs[index]));
        say!("{way:<10} {fastest:>9}  {slowest:>9}   {counted}");
    }
    match counts {
        Some(counts) => {
            let idle = range(&counts.idle); // under the column of counts above
            say!("idle, as long as a threads run       {idle}");
        }
        None => say!("(this kernel shows no TLB shootdown count in /proc/interrupts)"),
    }
}

/// `3–41`: the fewest and the most, grouped; one number when they agree.
fn range(counts: &[u64]) -> String {
    let (fewest, most) = (counts.iter().min(), counts.iter().max());
    match (fewest.copied().unwrap_or(0), most.copied().unwrap_or(0)) {
        (fewest, most) if fewest == most => grouped(fewest),
        (fewest, most) => format!("{}–{}", grouped(fewest), grouped(most)),
    }
}

/// What part 5's times can show this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showed {
    OneCore,
    TooBusy,
    TooFewRuns,
    ThreadsLost,
    ThreadsNotSlower,
    CouldNotTell,
}

// ANCHOR: showed
/// Threads lost only if every threads run was slower than every processes
/// run, on two or more cores, with the machine quiet enough that the one
/// worker got 0.8 of a core; with fewer than 3 runs each, it cannot tell.
pub fn showed(space: &AddressSpace, cores: usize) -> Showed {
    let [_, threads, processes] = &space.walls;
    let fastest = |walls: &Vec<Duration>| walls.iter().min().copied().unwrap_or_default();
    let slowest = |walls: &Vec<Duration>| walls.iter().max().copied().unwrap_or_default();
    match () {
        _ if cores < 2 => Showed::OneCore,
        _ if space.one_worker.cores_busy < 0.8 => Showed::TooBusy,
        _ if threads.len().min(processes.len()) < 3 => Showed::TooFewRuns,
        _ if fastest(threads) > slowest(processes) => Showed::ThreadsLost,
        _ if slowest(threads) <= fastest(processes) => Showed::ThreadsNotSlower,
        _ => Showed::CouldNotTell,
    }
}

/// Whether every threads run counted more shootdowns than every processes
/// run, by more than the most any idle interval counted.
pub fn more_shootdowns(counts: &Shootdowns) -> bool {
    let [_, threads, processes] = &counts.runs;
    let fewest = threads.iter().min().copied().unwrap_or(0);
    let most = processes.iter().max().copied().unwrap_or(u64::MAX);
    let background = counts.idle.iter().max().copied().unwrap_or(0);
    fewest.saturating_sub(most) > background
}
// ANCHOR_END: showed

// ANCHOR: explain
fn explain(report: &AddressSpace, cores: usize) {
    let busy = report.one_worker.cores_busy;
    match showed(report, cores) {
        Showed::OneCore => say!("one core: the times cannot show threads losing to processes"),
        Showed::TooBusy => say!("one worker got {busy:.2} of a core: too busy a machine to tell"),
        Showed::TooFewRuns => say!("with fewer than 3 runs of each way, this run cannot tell"),
        Showed::ThreadsLost => {
            say!("every threads run was slower than every processes run, for the same");
            say!("work: the one difference between them is one shared address space");
        }
        Showed::ThreadsNotSlower => say!("no threads run was slower than a processes run here"),
        Showed::CouldNotTell => say!("the threads' and processes' times overlapped: no verdict"),
    }
    let Some(counts) = &report.shootdowns else {
        return;
    };
    let pinned = support::placement::allowed_cpus().is_ok_and(|cpus| cpus.len() == 1);
    if pinned {
        say!("on one CPU no shootdown comes from this program;");
        say!("other programs' still count (the idle line shows how many)");
    } else if cores > 1 && more_shootdowns(counts) {
        say!("every threads run counted more shootdowns than any processes run, by");
        say!("more than any idle interval did (the background from other programs)");
    } else if cores > 1 {
        say!("the shootdown counts did not differ by more than the idle background");
    }
}
// ANCHOR_END: explain
