//! The ring's two ends: the producer fills slots and publishes `head`, the
//! consumer empties them and publishes `tail`. Each copy is a plain memory
//! copy into or out of the shared pages; the atomics, placed in the same
//! pages, say who owns which slot.

use std::sync::atomic::Ordering;

use support::error::Result;

use super::ring::{
    CONSUMER_WAITS, HEAD, RECEIVED_BYTES, RECEIVED_CHECKSUM, Ring, SENT_CHECKSUM, SLOT_BYTES,
    SLOTS, TAIL, chunks,
};
use super::test_hooks::{TestHooks, die_mid_transfer};
use super::wait::{Waits, wait_until};
use crate::checksum::Checksum;
use crate::source::next_piece;

pub type Peer<'a> = dyn FnMut() -> Result<()> + 'a;

// ANCHOR: producer
/// Sends the first `total` bytes of the stream `source` repeats.
pub fn produce(ring: &Ring, source: &[u8], total: u64, sum: u64, peer: &mut Peer) -> Result<Waits> {
    let mut waits = Waits::default();
    ring.word(SENT_CHECKSUM).store(sum, Ordering::Relaxed); // head's Release carries it
    for chunk in 0..chunks(total) {
        // 1. Wait for a free slot: Acquire pairs with the consumer's Release
        //    of tail, so its reads of this slot are over before we overwrite.
        wait_until(|| chunk - ring.load(TAIL) < SLOTS, peer, &mut waits)?;
        // 2. Fill it: one plain copy into the shared page, no system call.
        let piece = next_piece(source, chunk * SLOT_BYTES as u64, total, SLOT_BYTES);
        // SAFETY: the protocol gives this slot to the producer alone until
        // the Release store below; a piece fits in a slot.
        let slot = unsafe { std::slice::from_raw_parts_mut(ring.slot(chunk), piece.len()) };
        slot.copy_from_slice(piece);
        // 3. Publish it: Release makes the bytes above visible to an Acquire
        //    load that reads head > chunk.
        ring.word(HEAD).store(chunk + 1, Ordering::Release);
    }
    Ok(waits)
}
// ANCHOR_END: producer

/// Receives `total` bytes, checksumming them as they come; leaves its
/// count, its checksum and its waits in the ring for the parent.
pub fn consume(
    ring: &Ring,
    total: u64,
    hooks: &TestHooks,
    kill_after: Option<u64>,
    peer: &mut Peer,
) -> Result<Checksum> {
    let (mut received, mut waits) = (Checksum::new(), Waits::default());
    let mut local = vec![0u8; SLOT_BYTES]; // our own memory, not shared
    for chunk in 0..chunks(total) {
        // ANCHOR: consumer
        // 1. Wait for a full slot: Acquire pairs with the producer's Release.
        wait_until(|| ring.load(HEAD) > chunk, peer, &mut waits)?;
        // 2. Copy the bytes out into our own buffer.
        let len = (total - chunk * SLOT_BYTES as u64).min(SLOT_BYTES as u64) as usize;
        // SAFETY: the producer leaves this slot alone until our Release below.
        let slot = unsafe { std::slice::from_raw_parts(ring.slot(chunk), len) };
        local[..len].copy_from_slice(slot);
        if chunk + 1 == chunks(total) {
            std::thread::sleep(hooks.late_last_slot); // test only: zero unless asked
        }
        // 3. Hand the slot back; Release keeps our reads above before it.
        ring.word(TAIL).store(chunk + 1, Ordering::Release);
        // 4. Checksum our copy while the producer refills the slot.
        received.update(&local[..len]);
        if kill_after.is_some_and(|limit| received.bytes() >= limit) {
            die_mid_transfer(); // test only
        }
    }
    // ANCHOR_END: consumer
    ring.word(RECEIVED_BYTES)
        .store(received.bytes(), Ordering::Release);
    ring.word(RECEIVED_CHECKSUM)
        .store(received.value(), Ordering::Release);
    for (i, count) in [waits.spun_out, waits.yields, waits.sleeps]
        .into_iter()
        .enumerate()
    {
        ring.word(CONSUMER_WAITS + 8 * i)
            .store(count, Ordering::Release);
    }
    Ok(received)
}

/// The consumer's waits, as it left them in the ring.
pub fn consumer_waits(ring: &Ring) -> Waits {
    let [spun_out, yields, sleeps] = [0, 1, 2].map(|i| ring.load(CONSUMER_WAITS + 8 * i));
    Waits {
        spun_out,
        yields,
        sleeps,
    }
}
