//! The bytes every transport of this lesson sends: one source buffer of the
//! same size for the pipes, the ring and the one-process reference, cycled
//! through until the stream is as long as asked, so their figures compare
//! like with like. The checksum of the whole stream is worked out before any
//! clock starts, so the figures time the transfer, not the sender's sums.

use crate::checksum::{Checksum, fill_pattern};

/// The source buffer's size: 16 MiB, larger than the L2 caches of the
/// machines this was written on (cache sizes vary: `lscpu` shows yours).
pub const SOURCE_BYTES: usize = 16 << 20;

/// The source for a stream of `total` bytes: the checksum module's pattern,
/// `SOURCE_BYTES` long (shorter for a shorter stream).
///
/// The buffer is a mapping of its own (an anonymous `mmap`), never a piece of
/// the `brk` heap, so every transport reads memory placed the same way: on
/// the machine this was written on, the same 16 MiB read about 4× slower
/// when `malloc` happened to put it in the heap (which it does once an
/// earlier 16 MiB buffer has been freed) than in a mapping of its own.
pub fn pattern_source(total: u64) -> memmap2::MmapMut {
    let len = (SOURCE_BYTES as u64).min(total).max(1) as usize;
    let mut source = memmap2::MmapMut::map_anon(len).expect("mmap(2) of the source buffer");
    fill_pattern(&mut source, 0);
    source
}

/// The checksum of the first `total` bytes of the stream `source` repeats.
pub fn stream_checksum(source: &[u8], total: u64) -> u64 {
    let mut sum = Checksum::new();
    while sum.bytes() < total {
        let len = (total - sum.bytes()).min(source.len() as u64) as usize;
        sum.update(&source[..len]);
    }
    sum.value()
}

/// The piece of the stream that starts at byte `sent`, at most `limit` long:
/// it never runs past the end of the source, so a caller copies it in one go.
pub fn next_piece(source: &[u8], sent: u64, total: u64, limit: usize) -> &[u8] {
    let offset = (sent % source.len() as u64) as usize;
    let len = limit
        .min(source.len() - offset)
        .min((total - sent) as usize);
    &source[offset..offset + len]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::checksum;

    #[test]
    fn the_stream_checksum_equals_the_checksum_of_the_pieces_sent() {
        let source = pattern_source(1000);
        let (mut sent, total) = (Vec::new(), 2500u64);
        while (sent.len() as u64) < total {
            let piece = next_piece(&source, sent.len() as u64, total, 300);
            sent.extend_from_slice(piece);
        }
        assert_eq!(sent.len(), 2500);
        assert_eq!(stream_checksum(&source, total), checksum(&sent));
    }
}
