//! Part 3: fork gets dearer as the parent grows, and the parent pays again
//! afterwards. Not for the copy of the page-table entries (8 bytes a page,
//! copied in microseconds), but for the kernel's work on every page
//! (`copy_page_range`: one more reference to each page, each entry made
//! read-only in both processes), and then for a write fault on every page
//! the parent writes next.

use std::hint::black_box;
use std::time::Instant;

use memmap2::{Advice::NoHugePage, MmapMut};
use nix::unistd::Pid;
use support::error::{Context, Result};
use support::forking::prepare_to_fork;
use support::timing::{Stats, measure, try_measure};

use crate::part2_processes::{FORK_BATCH, fork_exit_once};
use crate::proc_files::{minor_faults, status_field};
use crate::report::ForkAtSize;

const MIB: usize = 1 << 20;
const PAGE: usize = 4096;
/// The parent sizes of part 3.
pub const FORK_SIZES: [usize; 3] = [0, 64 * MIB, 256 * MIB];
/// A fork of a big parent lasts milliseconds: fewer repeats.
const BIG_REPEATS: usize = 3;

// ANCHOR: fork_vs_memory
/// Maps and writes `bytes` of fresh memory, times fork + `_exit` + waitpid
/// with it resident, then the parent's rewrite of it with and without a fork.
pub fn fork_after_touching(bytes: usize, repeats: usize) -> Result<ForkAtSize> {
    prepare_to_fork()?; // once: nothing below starts a thread
    // mmap(2): private anonymous memory, nothing resident yet. Ordinary
    // 4 KiB pages: a 2 MiB huge page would need one entry for 512 pages.
    let mut memory = MmapMut::map_anon(bytes.max(PAGE)).context("mmap(2)")?;
    memory.advise(NoHugePage).context("madvise(2)")?;
    rewrite(&mut memory); // a write to every page: each now resident, with an entry
    let page_tables = status_field(Pid::this(), "VmPTE:");
    let repeats = repeats_for(bytes, repeats);
    // Each fork: copy_page_range over every resident page.
    let fork_exit = try_measure(1, repeats, batch_for(bytes), fork_exit_once)?;
    let mut at_size = ForkAtSize {
        touched_bytes: bytes as u64,
        parent_resident_bytes: status_field(Pid::this(), "VmRSS:"),
        parent_page_table_bytes: page_tables,
        fork_exit,
        ..ForkAtSize::nothing_else(fork_exit)
    };
    if bytes > 0 {
        at_size.copy_page_table_bytes = page_tables.map(|b| copy_bytes(b as usize, repeats));
        // No fork in between: every page is ours and writable, no fault.
        at_size.rewrite_before_fork = Some(measure(1, repeats, 1, || rewrite(&mut memory)));
        let (after, faults) = rewrite_after_fork(&mut memory, repeats)?;
        (at_size.rewrite_after_fork, at_size.faults_after_fork) = (Some(after), faults);
    }
    Ok(at_size) // drop(memory): munmap(2)
}
// ANCHOR_END: fork_vs_memory

// ANCHOR: after_fork
/// fork + `_exit` + waitpid, then time the parent's next rewrite: the fork
/// left every entry read-only, so each first write faults (the child is gone,
/// so the kernel makes the page writable again instead of copying it).
fn rewrite_after_fork(memory: &mut [u8], repeats: usize) -> Result<(Stats, Option<i64>)> {
    let (mut timings, mut faults) = (Vec::with_capacity(repeats), None);
    for _ in 0..repeats {
        fork_exit_once()?;
        let (faults_before, start) = (minor_faults(), Instant::now());
        rewrite(memory);
        timings.push(start.elapsed());
        faults = minor_faults()
            .zip(faults_before)
            .map(|(after, before)| after - before);
    }
    Ok((Stats::from_samples(timings), faults))
}
// ANCHOR_END: after_fork

/// One byte written in every 4 KiB page.
fn rewrite(memory: &mut [u8]) {
    for page in memory.chunks_mut(PAGE) {
        page[0] = black_box(page[0].wrapping_add(1));
    }
}

/// A memcpy of `bytes`: what copying the page-table entries alone would cost.
fn copy_bytes(bytes: usize, repeats: usize) -> Stats {
    let (source, mut target) = (vec![1u8; bytes], vec![0u8; bytes]);
    target.copy_from_slice(&source); // fault the target in before timing
    measure(1, repeats, 1, || target.copy_from_slice(black_box(&source)))
}

fn batch_for(bytes: usize) -> usize {
    if bytes == 0 { FORK_BATCH } else { 1 }
}

fn repeats_for(bytes: usize, repeats: usize) -> usize {
    if bytes == 0 {
        repeats
    } else {
        repeats.min(BIG_REPEATS)
    }
}

impl ForkAtSize {
    /// A row with only its fork figure (the parent as it is).
    fn nothing_else(fork_exit: Stats) -> ForkAtSize {
        ForkAtSize {
            touched_bytes: 0,
            parent_resident_bytes: None,
            parent_page_table_bytes: None,
            fork_exit,
            copy_page_table_bytes: None,
            rewrite_before_fork: None,
            rewrite_after_fork: None,
            faults_after_fork: None,
        }
    }
}
