//! The two ends of part 2's stream, also used by part 5: the stream is its
//! length (8 bytes), the data, then the checksum (8 bytes).

use std::os::fd::BorrowedFd;

use nix::errno::Errno;

use super::fd_io::{read_full, read_some, write_all};
use super::part2_stream::WRITE_SIZE;
use crate::checksum::Checksum;
use crate::source::next_piece;

// ANCHOR: send_stream
/// The writing side: length, data in `WRITE_SIZE` writes, checksum.
/// Returns the data bytes written, or how many got out before an error.
pub fn send_stream(
    pipe: BorrowedFd<'_>,
    bytes: u64,
    source: &[u8],
    checksum: u64,
) -> std::result::Result<u64, (u64, Errno)> {
    write_all(pipe, &bytes.to_le_bytes()).map_err(|e| (0, e.errno))?;
    let mut sent = 0u64;
    while sent < bytes {
        let piece = next_piece(source, sent, bytes, WRITE_SIZE);
        // One write(2) per piece; write_all loops only if it was short.
        write_all(pipe, piece).map_err(|e| (sent + e.written, e.errno))?;
        sent += piece.len() as u64;
    }
    write_all(pipe, &checksum.to_le_bytes()).map_err(|e| (sent, e.errno))?;
    Ok(sent)
}
// ANCHOR_END: send_stream

/// What the reading side saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Received {
    pub announced: u64,
    pub bytes: u64,
    pub checksum_ok: bool,
}

// ANCHOR: receive_stream
/// The reading side: length, data, checksum. An early EOF is not an error
/// here: it is a short transfer, which the caller reports.
pub fn receive_stream(pipe: BorrowedFd<'_>) -> nix::Result<Received> {
    let (mut header, mut buffer) = ([0u8; 8], vec![0u8; WRITE_SIZE]);
    if read_full(pipe, &mut header)? < header.len() {
        return Ok(Received::default());
    }
    let (announced, mut running) = (u64::from_le_bytes(header), Checksum::new());
    while running.bytes() < announced {
        let want = buffer.len().min((announced - running.bytes()) as usize);
        // A pipe read returns what is there, often less than asked; 0 is EOF.
        match read_some(pipe, &mut buffer[..want])? {
            0 => break, // every write end closed before the data was all here
            n => running.update(&buffer[..n]),
        }
    }
    let mut trailer = [0u8; 8];
    let complete = running.bytes() == announced && read_full(pipe, &mut trailer)? == 8;
    let checksum_ok = complete && u64::from_le_bytes(trailer) == running.value();
    Ok(Received {
        announced,
        bytes: running.bytes(),
        checksum_ok,
    })
}
// ANCHOR_END: receive_stream
