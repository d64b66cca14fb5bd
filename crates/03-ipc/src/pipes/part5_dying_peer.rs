//! Part 5: a peer that dies mid-stream. The writer of a pipe whose reader
//! died gets `EPIPE`; the reader of a pipe whose writer died gets an early
//! EOF. Nothing hangs, as long as each side closed the end it does not use.

use std::io::Write;
use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, fork, getpid, pipe};
use support::error::{Context, Result};
use support::forking::{exit_child, prepare_to_fork, run_child};
use support::timing::format_bytes;
use support::{ChildGuard, say};

use super::fd_io::{read_some, write_all};
use super::report::{DeadReader, DeadWriter};
use super::stream_ends::{receive_stream, send_stream};
use crate::source::{next_piece, pattern_source};

/// The parent streams `announced` bytes; the child reads `die_after` of
/// them and is killed: the parent's next write fails with `EPIPE`. Forks:
/// returns the "refusing to fork: …" error if this process has other threads.
pub fn reader_dies_mid_stream(announced: u64, die_after: u64) -> Result<DeadReader> {
    let (data_read, data_write) = pipe().context("pipe(2)")?;
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            drop(data_write);
            let (mut buffer, mut taken) = (vec![0u8; 64 << 10], 0u64);
            while taken < die_after {
                match read_some(data_read.as_fd(), &mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => taken += n as u64,
                }
            }
            say!("reader: took {}, now dying (SIGKILL)", format_bytes(taken));
            die()
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            // ANCHOR: dead_reader
            // Without this close the pipe would keep a reader (us) after the
            // child died: no EPIPE, and our write would block for ever.
            drop(data_read);
            let source = pattern_source(announced);
            let sent = send_stream(data_write.as_fd(), announced, &source, 0);
            let reader_ending = guard.wait().context("waitpid(2)")?;
            // ANCHOR_END: dead_reader
            let (sent_before_error, error) = sent.map_or_else(|(n, e)| (n, Some(e)), |n| (n, None));
            let (got, of) = (format_bytes(sent_before_error), format_bytes(announced));
            match error {
                Some(errno) => say!("writer: write(2) failed with {errno:?} after {got} of {of}"),
                None => say!("writer: every write succeeded (the reader died too late)"),
            }
            say!("the reader {reader_ending}"); // C would die of SIGPIPE next:
            if error == Some(Errno::EPIPE) {
                // Rust sets SIGPIPE to "ignore" before main.
                say!("Rust ignores SIGPIPE: write(2) returned EPIPE instead of killing us");
            }
            Ok(DeadReader {
                announced,
                sent_before_error,
                error,
                reader_ending,
            })
        }
    }
}

/// The child promises `announced` bytes, writes `die_after` of them and is
/// killed: the parent reads an early EOF. Forks: returns the "refusing to
/// fork: …" error if this process has other threads.
pub fn writer_dies_mid_stream(announced: u64, die_after: u64) -> Result<DeadWriter> {
    let (data_read, data_write) = pipe().context("pipe(2)")?;
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            drop(data_read);
            let (source, mut written) = (pattern_source(die_after), 0u64);
            let mut ok = write_all(data_write.as_fd(), &announced.to_le_bytes()).is_ok();
            while ok && written < die_after {
                let piece = next_piece(&source, written, die_after, 1 << 16);
                ok = write_all(data_write.as_fd(), piece).is_ok();
                written += piece.len() as u64;
            }
            let (sent, of) = (format_bytes(written), format_bytes(announced));
            say!("writer: sent {sent} of {of}, now dying (SIGKILL)");
            die()
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            // ANCHOR: dead_writer
            // Our write end must go, or the pipe would still have a writer
            // (us) after the child died, and our read would wait for ever.
            drop(data_write);
            let received = receive_stream(data_read.as_fd()).context("read(2)")?;
            let writer_ending = guard.wait().context("waitpid(2)")?;
            // ANCHOR_END: dead_writer
            let (got, of) = (
                format_bytes(received.bytes),
                format_bytes(received.announced),
            );
            let sum = if received.checksum_ok {
                "present"
            } else {
                "never came"
            };
            say!("reader: EOF after {got} of {of}; the checksum {sum}");
            say!("the writer {writer_ending}");
            Ok(DeadWriter {
                announced: received.announced,
                received: received.bytes,
                complete: received.checksum_ok,
                writer_ending,
            })
        }
    }
}

// ANCHOR: die
/// A forked child dies abruptly: SIGKILL, which cannot be caught (and never
/// writes a core file).
fn die() -> ! {
    let _ = std::io::stdout().flush();
    let _ = kill(getpid(), Signal::SIGKILL);
    exit_child(9) // not reached: SIGKILL ends us before kill(2) returns
}
// ANCHOR_END: die
