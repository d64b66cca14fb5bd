//! The ring's layout in a `MAP_SHARED` mapping, and its two ends. Both
//! processes compute the same addresses from the offsets below; nothing
//! else is agreed. `head` counts slots filled (only the producer writes it),
//! `tail` counts slots emptied (only the consumer writes it).

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};

use memmap2::{MmapMut, MmapOptions};
use support::error::{Context, Result};

/// Bytes per slot: 64 KiB, as the pipe's writes and the C yardstick's slots.
pub const SLOT_BYTES: usize = 64 << 10;
/// Slots in the ring: 8 × 64 KiB = 512 KiB.
pub const SLOTS: u64 = 8;
pub const HEAD: usize = 0;
/// 128 bytes from `head`, so the two never share a cache line (nor the
/// pair of lines some CPUs fetch together): a store by one side would
/// otherwise steal the line the other side is polling ("false sharing").
pub const TAIL: usize = 128;
/// The sender's checksum, published before the first slot.
pub const SENT_CHECKSUM: usize = 256;
/// What the consumer counted, summed and waited, for the parent at the end.
pub const RECEIVED_BYTES: usize = 384;
pub const RECEIVED_CHECKSUM: usize = 392;
pub const CONSUMER_WAITS: usize = 400; // three words: spun out, yields, sleeps
const DATA: usize = 4096;
pub const RING_BYTES: usize = DATA + SLOTS as usize * SLOT_BYTES;

/// A ring laid out in a shared mapping. Reached through a raw pointer: the
/// other process writes these bytes too, so this process never holds a
/// `&mut [u8]` over the whole mapping.
pub struct Ring {
    _mapping: MmapMut,
    pub base: *mut u8,
}

impl Ring {
    /// A ring in a fresh memfd (a file only in RAM, with no name): shared
    /// with the children we fork.
    pub fn in_memfd() -> Result<Ring> {
        use nix::sys::memfd::{MFdFlags, memfd_create};
        let memfd =
            memfd_create(c"ipc-lesson-ring", MFdFlags::MFD_CLOEXEC).context("memfd_create(2)")?;
        let file = File::from(memfd);
        file.set_len(RING_BYTES as u64)
            .context("ftruncate(2) of the ring")?;
        Ring::map(&file)
    }

    /// Maps the ring in `file` (`RING_BYTES` long). A fresh file reads as
    /// zeros: head = tail = 0, an empty ring, with no setup.
    pub fn map(file: &File) -> Result<Ring> {
        // SAFETY: mapping a file is unsafe because someone could truncate it
        // under us. Only this lesson's processes know the file, and they
        // never shrink it.
        let mut mapping = unsafe { MmapOptions::new().len(RING_BYTES).populate().map_mut(file) }
            .context("mmap(2) MAP_SHARED of the ring")?;
        let base = mapping.as_mut_ptr();
        Ok(Ring {
            _mapping: mapping,
            base,
        })
    }

    /// The word at `offset`, one of the constants above.
    pub fn word(&self, offset: usize) -> &AtomicU64 {
        // SAFETY: every offset above is 8-byte aligned (the mapping starts
        // on a page) and inside the mapping, which lives as long as `self`;
        // both processes touch these words only through atomics.
        unsafe { AtomicU64::from_ptr(self.base.add(offset).cast()) }
    }

    pub fn load(&self, offset: usize) -> u64 {
        self.word(offset).load(Ordering::Acquire)
    }

    /// The first byte of the slot that carries chunk number `chunk`.
    pub fn slot(&self, chunk: u64) -> *mut u8 {
        let slot = (chunk % SLOTS) as usize;
        // SAFETY: slot < SLOTS, so the result stays inside the mapping.
        unsafe { self.base.add(DATA + slot * SLOT_BYTES) }
    }
}

/// How many chunks a stream of `total` bytes takes.
pub fn chunks(total: u64) -> u64 {
    total.div_ceil(SLOT_BYTES as u64)
}
