//! Part 4: `PIPE_BUF`. A write of at most `PIPE_BUF` bytes to a pipe goes in
//! whole; a larger one may be split, with other writers' bytes between its
//! parts. Several forked writers, one reader, every word tagged.

use std::collections::HashMap;
use std::os::fd::AsFd;

use nix::unistd::{ForkResult, fork, pipe};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};

use super::fd_io::{read_some, write_all};
use super::report::Interleaving;

/// POSIX: a write of at most this many bytes to a pipe is atomic.
pub const PIPE_BUF: usize = libc::PIPE_BUF;
// The heading of part 4 in questions-pipes.md says 4096: checked when built.
const _: () = assert!(PIPE_BUF == 4096, "questions-pipes.md says PIPE_BUF = 4096");
/// Writers in the atomicity test.
pub const WRITERS: usize = 4;
/// A record four times the default pipe buffer: its write cannot finish
/// without waiting for the reader, and while it waits others may write.
pub const LARGE_RECORD: usize = 256 << 10;

/// `writers` forked children each write `records` records of `record_size`
/// bytes into one pipe, all at once; the parent reads everything and counts
/// the records whose words did not arrive in one run. Forks: returns the
/// "refusing to fork: …" error if this process has other threads.
pub fn interleaving(writers: usize, records: usize, record_size: usize) -> Result<Interleaving> {
    assert!(
        record_size % 8 == 0 && record_size > 0,
        "whole 8-byte words"
    );
    let (data_read, data_write) = pipe().context("pipe(2) for the records")?;
    let (start_read, start_write) = pipe().context("pipe(2), a starting gun")?; // see below
    let mut guards = Vec::with_capacity(writers);
    // ANCHOR: writers
    for writer in 0..writers {
        prepare_to_fork()?; // checked before every fork
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => run_child(|| {
                drop((data_read, start_write)); // or no child would see the gun's EOF
                let _ = read_some(start_read.as_fd(), &mut [0u8; 1]); // returns 0: go
                let mut record = vec![0u8; record_size];
                for sequence in 0..records {
                    // Every word says who wrote it and which record it is.
                    let tag = ((writer as u64) << 32 | sequence as u64).to_le_bytes();
                    record
                        .chunks_exact_mut(8)
                        .for_each(|word| word.copy_from_slice(&tag));
                    // One write(2) per record: whole up to PIPE_BUF, maybe in parts beyond.
                    write_all(data_write.as_fd(), &record).context("write(2) of a record")?;
                }
                Ok(())
            }),
            ForkResult::Parent { child } => guards.push(ChildGuard::new(child)),
        }
    }
    // ANCHOR_END: writers
    drop((start_read, start_write, data_write)); // the gun; and EOF once all are done
    let (whole, torn) = count_runs(data_read.as_fd(), record_size / 8)?;
    for guard in guards {
        let ending = guard.wait().context("waitpid(2)")?;
        if !ending.is_success() {
            return Err(Error::msg(format!("a writing child {ending}")));
        }
    }
    let (records_sent, records_received) = (writers * records, whole);
    Ok(Interleaving {
        writers,
        record_size,
        records_sent,
        records_received,
        torn,
    })
}

// ANCHOR: count_runs
/// Reads to EOF and splits the words into runs of one tag: a record that
/// went in whole is one run. Returns (records complete, records in >1 run).
fn count_runs(
    pipe: std::os::fd::BorrowedFd<'_>,
    words_per_record: usize,
) -> Result<(usize, usize)> {
    let mut words = HashMap::<u64, (usize, usize)>::new(); // tag: (words, runs)
    let (mut buffer, mut carry, mut last) = (vec![0u8; 1 << 16], Vec::new(), None);
    while let n @ 1.. = read_some(pipe, &mut buffer).context("read(2) of the records")? {
        carry.extend_from_slice(&buffer[..n]);
        let whole_words = carry.len() / 8 * 8;
        for word in carry[..whole_words].chunks_exact(8) {
            let tag = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            let seen = words.entry(tag).or_default();
            seen.0 += 1;
            if last != Some(tag) {
                seen.1 += 1; // a new run of this record's words begins
            }
            last = Some(tag);
        }
        carry.drain(..whole_words);
    }
    let complete = words
        .values()
        .filter(|(count, _)| *count == words_per_record)
        .count();
    let torn = words.values().filter(|(_, runs)| *runs > 1).count();
    Ok((complete, torn))
}
// ANCHOR_END: count_runs
