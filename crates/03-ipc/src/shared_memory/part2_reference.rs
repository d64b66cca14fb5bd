//! Part 2's reference: the ring's work done by one process, with no second
//! process and no waiting. The same source, the same 64 KiB pieces copied
//! into a slot-sized buffer and out again into another, the same checksum:
//! what the ring's two processes would cost if sharing were free.

use std::time::{Duration, Instant};

use super::ring::SLOT_BYTES;
use crate::checksum::Checksum;
use crate::source::{next_piece, pattern_source, stream_checksum};

/// Times the ring's work in one process: copy in, copy out, checksum.
/// Returns the time and whether the checksum matched the sender's.
pub fn same_work_in_one_process(total: u64) -> (Duration, bool) {
    let source = pattern_source(total);
    let sent_checksum = stream_checksum(&source, total);
    // Page-aligned, as the ring's slots are and as C's buffers are (a Vec
    // comes from malloc(3), which promises 16 bytes): copies placed alike.
    let page_aligned = || memmap2::MmapMut::map_anon(SLOT_BYTES).expect("mmap(2) of a buffer");
    let (mut slot, mut local) = (page_aligned(), page_aligned());
    slot.fill(1); // touched before the clock starts, as the ring's pages are
    local.fill(1);
    let mut received = Checksum::new();
    // ANCHOR: reference
    let start = Instant::now();
    let mut done = 0u64;
    while done < total {
        let piece = next_piece(&source, done, total, SLOT_BYTES);
        slot[..piece.len()].copy_from_slice(piece); // the producer's copy in
        local[..piece.len()].copy_from_slice(&slot[..piece.len()]); // the consumer's copy out
        received.update(&local[..piece.len()]); // the consumer's checksum
        done += piece.len() as u64;
    }
    let elapsed = start.elapsed();
    // ANCHOR_END: reference
    std::hint::black_box(&slot);
    (elapsed, received.value() == sent_checksum)
}
