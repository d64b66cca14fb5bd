//! Part 5's work: map, touch, unmap; and the TLB shootdowns counter.
//! Threads share one address space, so a munmap(2) must also flush the
//! TLB of every other CPU running one of them (a TLB shootdown, an
//! inter-processor interrupt), and mmap and munmap take the address
//! space's lock for writing. Processes each have their own.

use std::fs::File;
use std::num::NonZeroUsize;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::unistd::pipe;
use support::error::{Context, Result};

use crate::measure::{Measured, Mode, measure_modes};
use crate::report::Shootdowns;
use crate::workers::{Children, fork_worker, join_all, receive_results, send_result};

/// Maps per worker, and the size of each.
pub const MAPS: usize = 150;
pub const MAP_BYTES: usize = 256 * 1024;
const PAGE: usize = 4096;

// ANCHOR: map_touch_unmap
/// One worker's share: map, write one byte a page, unmap, `MAPS` times.
/// Returns the pages it touched.
fn map_touch_unmap() -> Result<u64> {
    const LENGTH: NonZeroUsize = NonZeroUsize::new(MAP_BYTES).expect("not 0");
    let (length, private) = (LENGTH, MapFlags::MAP_PRIVATE);
    let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    let mut touched = 0;
    for _ in 0..MAPS {
        // SAFETY: a fresh anonymous mapping, used only through `base` below.
        let map = unsafe { mmap_anonymous(None, length, prot, private) }.context("mmap(2)")?;
        let base = map.cast::<u8>().as_ptr();
        for at in (0..MAP_BYTES).step_by(PAGE) {
            // SAFETY: `at` is inside the MAP_BYTES just mapped readable and writable.
            unsafe { base.add(at).write_volatile(1) }; // a page fault makes the page
            touched += 1;
        }
        // SAFETY: nothing refers to the mapping any more.
        unsafe { munmap(map, MAP_BYTES) }.context("munmap(2)")?; // flush it from every TLB
    }
    Ok(touched)
}
// ANCHOR_END: map_touch_unmap

// ANCHOR: modes
/// Runs the three ways in turns; returns every run of each, with the TLB
/// shootdowns the machine counted during each run and during an idle
/// interval as long as each threads run (other programs' alone).
pub fn measure(
    workers: usize,
    repeats: usize,
    children: &mut Children,
) -> Result<([Vec<Measured>; 3], Option<Shootdowns>)> {
    let mut counted: [Vec<Option<u64>>; 3] = Default::default();
    let runs = measure_modes(repeats, |mode, _| {
        let before = tlb_shootdowns();
        let touched = match mode {
            Mode::Serial => (0..workers).map(|_| map_touch_unmap()).sum(), // one worker, all of it
            Mode::Threads => std::thread::scope(|scope| {
                let handles = (0..workers).map(|_| scope.spawn(map_touch_unmap)).collect();
                join_all(handles)
            }),
            Mode::Processes => on_processes(workers, children),
        }?;
        counted[mode as usize].push(difference(before, tlb_shootdowns()));
        Ok(touched)
    })?;
    // ANCHOR_END: modes
    // ANCHOR: idle
    let idle = runs[1].iter().map(|run| {
        let before = tlb_shootdowns();
        std::thread::sleep(run.wall); // nothing of ours runs meanwhile
        difference(before, tlb_shootdowns())
    });
    let idle: Option<Vec<u64>> = idle.collect();
    // ANCHOR_END: idle
    let [one, threads, processes] = counted.map(|counts| counts.into_iter().collect());
    let shootdowns = match (one, threads, processes, idle) {
        (Some(one), Some(threads), Some(processes), Some(idle)) => Some(Shootdowns {
            runs: [one, threads, processes],
            idle,
        }),
        _ => None,
    };
    Ok((runs, shootdowns))
}

/// `workers` forked processes, each doing its share in its own address space.
fn on_processes(workers: usize, children: &mut Children) -> Result<u64> {
    let (results_read, results_write) = pipe().context("pipe(2)")?;
    let results_write = File::from(results_write);
    let mut forked = Vec::new();
    for part in 0..workers {
        let results = &results_write;
        forked.push(fork_worker(children, || {
            send_result(results, part, map_touch_unmap()?)
        })?);
    }
    drop(results_write); // ours: a child that dies early means EOF, not a hang
    let touched = receive_results(results_read, workers)?;
    for worker in forked {
        children.reap(worker, "an address-space worker")?;
    }
    Ok(touched.iter().sum())
}

/// TLB shootdowns so far, all CPUs added up: the `TLB:` line of
/// /proc/interrupts (x86 kernels show it; `None` where there is none).
pub fn tlb_shootdowns() -> Option<u64> {
    let table = std::fs::read_to_string("/proc/interrupts").ok()?;
    let line = table
        .lines()
        .find(|line| line.trim_start().starts_with("TLB:"))?;
    let counts = line.split_whitespace().skip(1);
    Some(counts.map_while(|count| count.parse::<u64>().ok()).sum())
}

fn difference(before: Option<u64>, after: Option<u64>) -> Option<u64> {
    Some(after?.saturating_sub(before?))
}
