//! Part 2: a checksummed stream through a pipe, with the default buffer and
//! with a 1 MiB one (`F_SETPIPE_SZ`), the two processes on two CPUs.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

use nix::fcntl::{FcntlArg, fcntl};
use nix::unistd::{ForkResult, fork, pipe};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::placement::{Pinned, Placement};
use support::timing::format_bytes;

use super::fd_io::{read_full, write_all};
use super::report::Transfer;
use super::stream_ends::{receive_stream, send_stream};
use crate::source::{pattern_source, stream_checksum};

/// The buffer the second stream asks for: 1 MiB, the default of
/// `/proc/sys/fs/pipe-max-size` (an unprivileged process may not ask for
/// more; `pipe-user-pages-soft` also caps the total a user's pipes hold).
pub const LARGE_PIPE_BUFFER: usize = 1 << 20;

/// Bytes per `write` call: 64 KiB, the default pipe's whole buffer, and the
/// size the C yardstick and the shared-memory ring use too.
pub const WRITE_SIZE: usize = 64 << 10;

/// Streams `bytes` to a forked child through a pipe whose buffer is
/// `pipe_buffer` bytes (the system's default if `None`), on two CPUs. The
/// stream is its length (8 bytes), the data, the checksum (8 bytes); the
/// child checks all three and answers on a second pipe. Forks: returns the
/// "refusing to fork: …" error if this process has other threads.
pub fn stream_through_pipe(bytes: u64, pipe_buffer: Option<usize>) -> Result<Transfer> {
    stream_through_pipe_placed(bytes, pipe_buffer, Placement::TwoCpus)
}

/// [`stream_through_pipe`] with the two processes placed as asked.
pub fn stream_through_pipe_placed(
    bytes: u64,
    pipe_buffer: Option<usize>,
    placement: Placement,
) -> Result<Transfer> {
    let source = pattern_source(bytes);
    let expected = stream_checksum(&source, bytes); // before the clock starts
    // ANCHOR: stream_fork
    let (data_read, data_write, capacity) = data_pipe(pipe_buffer)?;
    let (answer_read, answer_write) = pipe().context("pipe(2) for the answer")?;
    prepare_to_fork()?;
    let pinned = Pinned::caller(placement)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            drop((data_write, answer_read)); // keep only the ends this side uses
            read_and_answer(data_read.as_fd(), answer_write.as_fd())
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            drop((data_read, answer_write));
            let start = Instant::now();
            let sent = send_stream(data_write.as_fd(), bytes, &source, expected);
            drop(data_write); // EOF for the child, if it still wants more
            let bytes_sent = sent.map_err(|(at, errno)| {
                Error::msg(format!(
                    "write(2) to the pipe failed after {at} bytes: {errno}"
                ))
            })?;
            let answer = read_answer(answer_read.as_fd(), start, guard)?;
            // ANCHOR_END: stream_fork
            let (bytes_received, checksum_ok, elapsed) = answer; // all read and checked
            let (pipe_capacity, write_size) = (capacity, WRITE_SIZE);
            let placement = pinned.placement();
            Ok(Transfer {
                bytes_sent,
                bytes_received,
                checksum_ok,
                elapsed,
                pipe_capacity,
                write_size,
                placement,
            })
        }
    }
}

// ANCHOR: set_pipe_size
/// A pipe, its buffer set to `size` bytes if asked (`F_SETPIPE_SZ`), and
/// the buffer the kernel really gave it (`F_GETPIPE_SZ`).
fn data_pipe(size: Option<usize>) -> Result<(OwnedFd, OwnedFd, usize)> {
    let (data_read, data_write) = pipe().context("pipe(2) for the data")?;
    if let Some(size) = size {
        fcntl(&data_write, FcntlArg::F_SETPIPE_SZ(size as i32)).context(format!(
            "fcntl(F_SETPIPE_SZ, {})",
            format_bytes(size as u64)
        ))?;
    }
    let capacity = fcntl(&data_write, FcntlArg::F_GETPIPE_SZ).context("F_GETPIPE_SZ")?;
    Ok((data_read, data_write, capacity as usize))
}
// ANCHOR_END: set_pipe_size

/// The child's side: reads the stream, answers with the bytes it got and
/// whether the checksum agreed.
fn read_and_answer(data_read: BorrowedFd<'_>, answer_write: BorrowedFd<'_>) -> Result<()> {
    let received = receive_stream(data_read).unwrap_or_default();
    let mut answer = received.bytes.to_le_bytes().to_vec();
    answer.push(u8::from(received.checksum_ok));
    let _ = write_all(answer_write, &answer);
    match received.checksum_ok {
        true => Ok(()),
        false => Err(Error::msg(format!(
            "stream broken at byte {}",
            received.bytes
        ))),
    }
}

/// The child's answer (bytes it read, checksum agreed); the clock stops
/// when it arrives, before the wait for the child's end.
fn read_answer(
    answer_read: BorrowedFd<'_>,
    start: Instant,
    guard: ChildGuard,
) -> Result<(u64, bool, Duration)> {
    let mut answer = [0u8; 9];
    let got = read_full(answer_read, &mut answer).context("read(2) of the answer")?;
    let elapsed = start.elapsed();
    let ending = guard.wait().context("waitpid(2)")?;
    if got < answer.len() {
        return Err(Error::msg(format!(
            "the reading child gave no answer; it {ending}"
        )));
    }
    let bytes = u64::from_le_bytes(answer[..8].try_into().expect("8 bytes"));
    Ok((bytes, answer[8] == 1 && ending.is_success(), elapsed))
}
