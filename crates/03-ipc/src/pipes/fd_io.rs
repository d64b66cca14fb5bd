//! Reading and writing a pipe without losing a byte: a pipe may take only
//! part of a large write and return less than asked from a read, and a
//! signal may interrupt either (EINTR). These loops handle all three.

use std::os::fd::BorrowedFd;

use nix::errno::Errno;
use nix::unistd::{read, write};

/// A write that failed part way: how many bytes got out first, and why.
#[derive(Debug, Clone, Copy)]
pub struct WriteError {
    pub written: u64,
    pub errno: Errno,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} after {} bytes", self.errno, self.written)
    }
}

impl std::error::Error for WriteError {}

/// Writes all of `data`, looping over short writes.
pub fn write_all(fd: BorrowedFd<'_>, mut data: &[u8]) -> Result<(), WriteError> {
    let mut written = 0u64;
    while !data.is_empty() {
        match write(fd, data) {
            Ok(n) => {
                written += n as u64;
                data = &data[n..];
            }
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(WriteError { written, errno }),
        }
    }
    Ok(())
}

/// Reads until `buffer` is full or EOF; returns the bytes read.
pub fn read_full(fd: BorrowedFd<'_>, buffer: &mut [u8]) -> nix::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match read_some(fd, &mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// One read(2), retried if a signal interrupted it: 0 means EOF.
pub fn read_some(fd: BorrowedFd<'_>, buffer: &mut [u8]) -> nix::Result<usize> {
    loop {
        match read(fd, buffer) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}
