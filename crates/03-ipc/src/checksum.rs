//! A checksum every transfer carries, so the receiver can prove that no byte
//! was lost, duplicated or reordered on the way.
//!
//! It is Fletcher's idea on 64-bit words: `sum` adds up the words, and
//! `sum_of_sums` adds up the running `sum`, so a word's position changes the
//! result, not only its value. Two additions per 8 bytes keep it far faster
//! than any pipe, so it does not hide the cost of the transfer itself.
//! It guards against accidents, not against an attacker.

/// A running checksum over a byte stream fed in chunks of any size.
#[derive(Debug, Clone, Default)]
pub struct Checksum {
    sum: u64,
    sum_of_sums: u64,
    /// Bytes of a word split across two chunks.
    pending: [u8; 8],
    pending_len: usize,
    bytes: u64,
}

impl Checksum {
    pub fn new() -> Checksum {
        Checksum::default()
    }

    /// Feeds the next chunk of the stream.
    pub fn update(&mut self, mut chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        // Finish a word left over from the previous chunk.
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(chunk.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&chunk[..take]);
            self.pending_len += take;
            chunk = &chunk[take..];
            if self.pending_len < 8 {
                return;
            }
            self.add_word(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = chunk.chunks_exact(8);
        for word in &mut words {
            self.add_word(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn add_word(&mut self, word: u64) {
        self.sum = self.sum.wrapping_add(word);
        self.sum_of_sums = self.sum_of_sums.wrapping_add(self.sum);
    }

    /// How many bytes have been fed.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The checksum of everything fed so far.
    pub fn value(&self) -> u64 {
        let mut copy = self.clone();
        if copy.pending_len > 0 {
            // Pad the last partial word with zeros; the byte count below
            // tells "abc" from "abc\0".
            copy.pending[copy.pending_len..].fill(0);
            copy.add_word(u64::from_le_bytes(copy.pending));
        }
        copy.sum_of_sums.rotate_left(32) ^ copy.sum ^ copy.bytes
    }
}

/// The checksum of one whole buffer.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(bytes);
    sum.value()
}

/// Fills `buffer` with a pattern that depends on each byte's position in
/// the stream (`offset` is where the buffer starts), so a lost or repeated
/// chunk changes the checksum.
pub fn fill_pattern(buffer: &mut [u8], offset: u64) {
    for (i, byte) in buffer.iter_mut().enumerate() {
        let position = offset + i as u64;
        *byte = (position ^ (position >> 8) ^ (position >> 16)) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunking_does_not_change_the_checksum() {
        let mut data = vec![0u8; 10_007];
        fill_pattern(&mut data, 0);
        let whole = checksum(&data);
        for chunk_size in [1, 3, 7, 8, 9, 64, 4096] {
            let mut running = Checksum::new();
            for chunk in data.chunks(chunk_size) {
                running.update(chunk);
            }
            assert_eq!(running.value(), whole, "chunks of {chunk_size}");
            assert_eq!(running.bytes(), data.len() as u64);
        }
    }

    #[test]
    fn a_changed_dropped_or_swapped_chunk_changes_the_checksum() {
        let mut data = vec![0u8; 4096];
        fill_pattern(&mut data, 0);
        let good = checksum(&data);

        let mut flipped = data.clone();
        flipped[1000] ^= 1;
        assert_ne!(checksum(&flipped), good);

        assert_ne!(checksum(&data[..4088]), good);

        let mut swapped = data.clone();
        let (first, second) = swapped.split_at_mut(2048);
        first[..8].swap_with_slice(&mut second[..8]);
        assert_ne!(checksum(&swapped), good);

        assert_ne!(checksum(b"abc"), checksum(b"abc\0"));
    }
}
