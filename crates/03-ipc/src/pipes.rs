//! Lesson 03, part 1: how processes talk through a pipe.
//!
//! Two processes share no memory (lesson 01 showed a child's writes stay in
//! its own copy), so to talk they must ask the kernel to carry the bytes. A
//! pipe is the oldest way: a buffer inside the kernel with a write end and a
//! read end, each a file descriptor. Every byte is copied twice (into the
//! kernel, out of it) and every wait for the other side is a trip through the
//! scheduler: that is the price the Key Differences table means for
//! processes in its **Communication** row: "slower and more complex
//! (requires IPC mechanisms)", where threads just share variables.
//!
//! Run it with `just demo-pipes` (options: `--mib N` for the size of the
//! stream, `--round-trips N`). Look for:
//! 1. the raw calls (`pipe`, `fork`, `close`, `write`, `read`, `waitpid`),
//!    and why each side closes the end it does not use: a reader sees EOF
//!    only once *every* write end is closed;
//! 2. a checksummed stream, with the default 64 KiB pipe buffer and then a
//!    1 MiB one (`F_SETPIPE_SZ`), both throughputs side by side;
//! 3. a 1-byte round trip: tens of microseconds when the two processes sit
//!    on different CPUs, far more than a function call;
//! 4. `PIPE_BUF`: writes no larger than it never interleave with other
//!    writers' bytes; larger ones may (the count printed is what this run saw);
//! 5. a peer that dies mid-stream: the writer gets `EPIPE`, the reader an
//!    early EOF. Nothing hangs.
//!
//! Read next: `shared_memory.rs`, which moves the same stream through a
//! shared mapping instead of the kernel (`just demo-shared-memory`).

use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, fcntl};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, close, fork, getpid, pipe, read, write};
use support::error::{Context, Error, Result};
use support::forking::{exit_child, prepare_to_fork, run_child};
use support::placement::Pinned;
use support::role::Role;
use support::timing::{format_bytes, format_duration, format_rate};
use support::{ChildGuard, Ending, Stats, heading, say};

use crate::checksum::{Checksum, checksum, fill_pattern};

/// The hidden role the everyday `Command` example starts: it counts and
/// checksums what arrives on its stdin and answers on its stdout.
pub const COUNT_ROLE: &str = "ipc:pipes-count";

/// Roles this lesson starts by re-executing its own binary.
pub const ROLES: &[Role] = &[Role {
    name: COUNT_ROLE,
    run: count_role,
}];

/// The demo's options.
#[derive(Debug, Clone)]
pub struct Options {
    /// MiB streamed through the pipe, once per buffer size.
    pub mib: u64,
    /// 1-byte round trips timed.
    pub round_trips: usize,
}

/// Streamed at the default buffer size this takes about half a second on a
/// 2-core virtual machine; the 1 MiB buffer takes less.
pub const DEFAULT_MIB: u64 = 512;

impl Default for Options {
    fn default() -> Self {
        Options {
            mib: DEFAULT_MIB,
            round_trips: 2000,
        }
    }
}

/// Everything the demo measured and saw.
#[derive(Debug, Clone)]
pub struct Report {
    /// How the child of the raw pipe example ended (0: it got the message).
    pub raw_child: Ending,
    /// The `Command` child counted and checksummed exactly what we sent.
    pub command_reply_ok: bool,
    /// The stream with the pipe's default buffer.
    pub default_buffer: Transfer,
    /// The stream with a 1 MiB buffer.
    pub large_buffer: Transfer,
    /// 1-byte round trips with the processes on two CPUs, per round trip.
    pub round_trip: Stats,
    /// The same with both processes on one CPU.
    pub round_trip_one_cpu: Stats,
    /// Records of `PIPE_BUF` bytes from several writers.
    pub small_records: Interleaving,
    /// Records larger than the pipe's buffer from several writers.
    pub large_records: Interleaving,
    /// The reader died mid-stream.
    pub dead_reader: DeadReader,
    /// The writer died mid-stream.
    pub dead_writer: DeadWriter,
}

/// One stream from a parent to a forked child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// Bytes of data the parent wrote (not counting the 16 bytes of
    /// length and checksum around them).
    pub bytes_sent: u64,
    /// Bytes of data the child read.
    pub bytes_received: u64,
    /// The child's checksum of what it read equals the parent's.
    pub checksum_ok: bool,
    /// From the first write until the child's answer arrived.
    pub elapsed: Duration,
    /// The pipe's buffer, as `F_GETPIPE_SZ` reported it.
    pub pipe_capacity: usize,
    /// Bytes handed to each `write` call.
    pub write_size: usize,
    /// Where the two processes ran.
    pub placement: Placement,
}

impl Transfer {
    /// Bytes per second.
    pub fn bytes_per_second(&self) -> f64 {
        self.bytes_received as f64 / self.elapsed.as_secs_f64().max(1e-12)
    }

    /// Every byte arrived, and the checksum agrees.
    pub fn is_complete(&self) -> bool {
        self.bytes_received == self.bytes_sent && self.checksum_ok
    }
}

/// Several writers, fixed-size records, one pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interleaving {
    pub writers: usize,
    pub record_size: usize,
    /// Records written in all.
    pub records_sent: usize,
    /// Record-sized pieces the reader took out of the pipe.
    pub records_received: usize,
    /// Pieces that held bytes of more than one record.
    pub torn: usize,
}

/// The reader died while the writer still had data to send.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadReader {
    /// Bytes the writer meant to send.
    pub announced: u64,
    /// Bytes the writer got into the pipe before the error.
    pub sent_before_error: u64,
    /// The error `write` returned (`EPIPE` expected), or `None` if every
    /// write succeeded.
    pub error: Option<Errno>,
    /// How the reader ended.
    pub reader_ending: Ending,
}

/// The writer died while the reader still expected data.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadWriter {
    /// Bytes the writer promised in the stream's header.
    pub announced: u64,
    /// Bytes that arrived before EOF.
    pub received: u64,
    /// The stream ended with its checksum (it should not have).
    pub complete: bool,
    /// How the writer ended.
    pub writer_ending: Ending,
}

/// Runs the lesson: prints the story and returns what it measured.
///
/// Forks: in a process that has other threads it returns the "refusing to
/// fork: …" error instead (see `support::forking::prepare_to_fork`).
pub fn run(options: &Options) -> Result<Report> {
    // Ctrl-C from here on kills and reaps our children before we die.
    support::guard::install_interrupt_cleanup();

    heading("1. A pipe, from the raw calls");
    let raw_child = raw_pipe()?;
    say!("the everyday form: std::process::Command with Stdio::piped()");
    let command_reply_ok = command_pipe()?;

    let bytes = options.mib << 20;
    heading(&format!(
        "2. {} through a pipe, checksummed",
        format_bytes(bytes)
    ));
    let default_buffer = stream_through_pipe(bytes, None)?;
    print_transfer("default buffer", &default_buffer);
    let large_buffer = stream_through_pipe(bytes, Some(LARGE_PIPE_BUFFER))?;
    print_transfer("1 MiB buffer  ", &large_buffer);
    say!(
        "throughput, {}: {} with the default {} buffer, {} with {} ({:.1}x)",
        large_buffer.placement,
        format_rate(default_buffer.bytes_received, default_buffer.elapsed),
        format_bytes(default_buffer.pipe_capacity as u64),
        format_rate(large_buffer.bytes_received, large_buffer.elapsed),
        format_bytes(large_buffer.pipe_capacity as u64),
        large_buffer.bytes_per_second() / default_buffer.bytes_per_second()
    );
    say!("64 KiB is a quarter of one write: the writer fills the pipe and sleeps, the reader's");
    say!("CPU wakes, drains it, sleeps again: a wake-up every 64 KiB. With 1 MiB the writer is");
    say!("rarely stopped, and both CPUs copy at the same time. Same bytes, same checksum.");

    heading("3. A 1-byte round trip over two pipes");
    say!("parent writes 1 byte, child reads it and writes it back, parent reads it");
    let (round_trip, placement) = pipe_round_trip_placed(options.round_trips, Placement::TwoCpus)?;
    say!("{placement:<11}: {round_trip}");
    let (round_trip_one_cpu, placement) =
        pipe_round_trip_placed(options.round_trips, Placement::OneCpu)?;
    say!("{placement:<11}: {round_trip_one_cpu}");
    say!("one byte costs nothing to copy: the time is each side sleeping in read() until the");
    say!("other writes. On one CPU that is a switch between two tasks; on two it is waking a");
    say!("sleeping CPU, twice per round trip. Threads sharing a variable need neither.");

    heading(&format!(
        "4. PIPE_BUF = {PIPE_BUF} bytes: which writes stay whole"
    ));
    let small_records = interleaving(WRITERS, 2000, PIPE_BUF)?;
    let large_records = interleaving(WRITERS, 16, LARGE_RECORD)?;
    for (result, label) in [
        (&small_records, "<= PIPE_BUF, never torn"),
        (&large_records, "> PIPE_BUF, may be torn"),
    ] {
        say!(
            "{} writers x {} records of {:>7}: {} torn of {} received   ({label})",
            result.writers,
            result.records_sent / result.writers,
            format_bytes(result.record_size as u64),
            result.torn,
            result.records_received,
        );
    }
    if large_records.torn == 0 {
        say!("no large record was torn this time: the kernel allows it, it does not promise it");
    }

    heading("5. A peer that dies mid-stream");
    let dead_reader = reader_dies_mid_stream(64 << 20, 4 << 20)?;
    let dead_writer = writer_dies_mid_stream(64 << 20, 4 << 20)?;

    heading("Verdict");
    say!("processes share no variables: every byte above was copied into the kernel and out");
    say!("again, and every reply waited for the scheduler to wake the other side. The Key");
    say!("Differences table's Communication row: between processes it needs an IPC mechanism,");
    say!("and it is slower.");

    let report = Report {
        raw_child,
        command_reply_ok,
        default_buffer,
        large_buffer,
        round_trip,
        round_trip_one_cpu,
        small_records,
        large_records,
        dead_reader,
        dead_writer,
    };
    if !(report.default_buffer.is_complete() && report.large_buffer.is_complete()) {
        return Err(Error::msg("a stream arrived incomplete or corrupted"));
    }
    if report.small_records.torn > 0 {
        return Err(Error::msg(
            "a record no larger than PIPE_BUF arrived torn, which POSIX forbids",
        ));
    }
    Ok(report)
}

// ---------------------------------------------------------------------------
// 1. The raw calls
// ---------------------------------------------------------------------------

// ANCHOR: raw_pipe
/// A message from parent to child through a pipe, nothing but system calls.
fn raw_pipe() -> Result<Ending> {
    let message = b"hello through the kernel";
    // pipe(2): two file descriptors onto one kernel buffer.
    let (read_end, write_end) = pipe().context("pipe(2)")?;
    // fork(2) copies only the calling thread: refuse if there are others.
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => {
            // Everything the child does is in this closure, and its end is
            // _exit: no `?` may carry the child back into the parent's code.
            run_child(|| {
                // The child only reads. Its copy of the write end must go: a
                // read returns EOF only once *every* write end is closed, and
                // this one would be open in the very process waiting for EOF.
                close(write_end).context("close(2) of the child's write end")?;
                let mut received = Vec::new();
                let mut buffer = [0u8; 8];
                loop {
                    // read(2) blocks until bytes arrive; 0 means EOF.
                    match retry_eintr(|| read(&read_end, &mut buffer)).context("read(2)")? {
                        0 => break,
                        n => received.extend_from_slice(&buffer[..n]),
                    }
                }
                say!(
                    "read {:?} ({} bytes, in reads of at most 8), then EOF",
                    String::from_utf8_lossy(&received),
                    received.len()
                );
                close(read_end).context("close(2) of the child's read end")?;
                if received == message {
                    Ok(())
                } else {
                    Err(Error::msg("the message arrived changed"))
                }
            })
        }
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            say!("forked child pid={child}; it reads, I write");
            // The parent only writes: close our read end, so that if the
            // child died, our write would fail (EPIPE) instead of filling
            // a buffer nobody will ever read.
            close(read_end).context("close(2) of the parent's read end")?;
            // write(2): into the kernel's buffer; the child may not have
            // run yet, the bytes wait there.
            write_all(write_end.as_fd(), message).context("write(2)")?;
            // Our write end was the last one open: the child's next read
            // returns 0 (EOF) once it has taken the message.
            close(write_end).context("close(2) of the parent's write end")?;
            // waitpid(2): sleep until the child ends, and collect it.
            let status = guard.waitpid().context("waitpid(2)")?;
            let ending = Ending::from_wait_status(status)
                .ok_or_else(|| Error::msg("waitpid(2) returned a child that had not ended"))?;
            say!("child {child} {ending}");
            Ok(ending)
        }
    }
}
// ANCHOR_END: raw_pipe

// ANCHOR: command_pipe
/// The same with `std::process::Command`: what most programs write.
fn command_pipe() -> Result<bool> {
    let message = b"hello through Stdio::piped()";
    // spawn() makes one pipe per piped stream (pipe2(2) with O_CLOEXEC),
    // starts the child with posix_spawn (glibc does clone3 with CLONE_VM |
    // CLONE_VFORK; where it cannot, std falls back to fork + exec), and in
    // the child moves the pipe ends onto fds 0 and 1 (dup2) before execve.
    // It also sets SIGPIPE back to its default in the child: Rust ignored
    // it, and an ignored signal stays ignored across execve. (strace -f
    // shows every one of these calls.)
    let mut child = support::role::command(COUNT_ROLE)
        .context("current_exe()")?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("spawn() of the counting child")?;
    let (Some(mut to_child), Some(mut from_child)) = (child.stdin.take(), child.stdout.take())
    else {
        return Err(Error::msg("spawn() gave no pipes"));
    };
    let guard = ChildGuard::adopt(child);
    to_child
        .write_all(message)
        .context("write(2) to the child's stdin")?;
    // Dropping ChildStdin closes our write end: the child sees EOF.
    drop(to_child);
    let mut reply = String::new();
    from_child
        .read_to_string(&mut reply)
        .context("read(2) from the child's stdout")?;
    let ending = guard.wait().context("waitpid(2)")?;
    let expected = format!(
        "{} bytes, checksum {:016x}",
        message.len(),
        checksum(message)
    );
    let reply = reply.trim_end();
    let ok = reply == expected && ending.is_success();
    say!(
        "sent {} bytes to a spawned child; it replied {reply:?} ({}); it {ending}",
        message.len(),
        if ok { "matches" } else { "DOES NOT match" }
    );
    Ok(ok)
}
// ANCHOR_END: command_pipe

/// The counting child: reads stdin to EOF, answers on stdout.
fn count_role(_args: &[String]) -> i32 {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("error: read(2) of stdin failed: {e}");
        return 1;
    }
    println!("{} bytes, checksum {:016x}", input.len(), checksum(&input));
    0
}

// ---------------------------------------------------------------------------
// 2. A checksummed stream
// ---------------------------------------------------------------------------

/// The buffer size the second stream asks for. 1 MiB is also the largest an
/// unprivileged process may ask for (`/proc/sys/fs/pipe-max-size`).
pub const LARGE_PIPE_BUFFER: usize = 1 << 20;

/// Bytes per `write` call. Large writes matter: each call is a system
/// call, and with a 1 MiB buffer four of them fit before the writer waits.
pub const WRITE_SIZE: usize = 256 << 10;

/// The sender cycles through this much prepared pattern.
const SOURCE_SIZE: usize = 16 << 20;

// ANCHOR: stream
/// Streams `bytes` from this process to a forked child through a pipe whose
/// buffer is `pipe_buffer` bytes (the system's default if `None`). The
/// stream is: its length (8 bytes), the data, the checksum (8 bytes); the
/// child checks all three and answers on a second pipe.
///
/// Forks: returns the "refusing to fork: …" error if this process has other
/// threads.
pub fn stream_through_pipe(bytes: u64, pipe_buffer: Option<usize>) -> Result<Transfer> {
    stream_through_pipe_placed(bytes, pipe_buffer, Placement::TwoCpus)
}

/// [`stream_through_pipe`] with the two processes placed as asked.
pub fn stream_through_pipe_placed(
    bytes: u64,
    pipe_buffer: Option<usize>,
    placement: Placement,
) -> Result<Transfer> {
    let source = pattern(SOURCE_SIZE.min(bytes as usize).max(1));
    // The sender's checksum, computed before the clock starts, so the
    // figure is the pipe's (plus the reader's check), not ours.
    let expected = stream_checksum(&source, bytes);

    let (data_read, data_write) = pipe().context("pipe(2) for the data")?;
    let (answer_read, answer_write) = pipe().context("pipe(2) for the answer")?;
    if let Some(size) = pipe_buffer {
        // F_SETPIPE_SZ: ask the kernel for a bigger buffer on this pipe.
        fcntl(&data_write, FcntlArg::F_SETPIPE_SZ(size as i32)).context(format!(
            "fcntl(F_SETPIPE_SZ, {})",
            format_bytes(size as u64)
        ))?;
    }
    let pipe_capacity =
        fcntl(&data_write, FcntlArg::F_GETPIPE_SZ).context("fcntl(F_GETPIPE_SZ)")?;

    prepare_to_fork()?;
    let pinned = Pinned::caller(placement)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            // Keep only the ends this side uses (see raw_pipe for why).
            drop((data_write, answer_read));
            let mut buffer = vec![0u8; WRITE_SIZE];
            let outcome = receive_stream(data_read.as_fd(), &mut buffer);
            let received = outcome.map_or(Received::default(), |r| r);
            let mut answer = [0u8; 16];
            answer[..8].copy_from_slice(&received.bytes.to_le_bytes());
            answer[8] = u8::from(received.checksum_ok);
            let _ = write_all(answer_write.as_fd(), &answer);
            if received.checksum_ok {
                Ok(())
            } else {
                Err(Error::msg(format!(
                    "stream incomplete or corrupted: {} of {} bytes",
                    received.bytes, received.announced,
                )))
            }
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            drop((data_read, answer_write));
            let start = Instant::now();
            let sent = send_stream(data_write.as_fd(), bytes, &source, expected);
            // Closing our write end gives the child EOF if it wants more.
            drop(data_write);
            let bytes_sent = match sent {
                Ok(sent) => sent,
                Err((sent, errno)) => {
                    return Err(Error::msg(format!(
                        "write(2) to the pipe failed after {sent} bytes: {errno}"
                    )));
                }
            };
            let mut answer = [0u8; 16];
            let got =
                read_full(answer_read.as_fd(), &mut answer).context("read(2) of the answer")?;
            // The child has read and checked every byte: stop the clock.
            let elapsed = start.elapsed();
            let ending = guard.wait().context("waitpid(2)")?;
            if got < answer.len() {
                return Err(Error::msg(format!(
                    "the reading child gave no answer; it {ending}"
                )));
            }
            let bytes_received = u64::from_le_bytes(answer[..8].try_into().expect("8 bytes"));
            Ok(Transfer {
                bytes_sent,
                bytes_received,
                checksum_ok: answer[8] == 1 && ending.is_success(),
                elapsed,
                pipe_capacity: pipe_capacity as usize,
                write_size: WRITE_SIZE,
                placement: pinned.placement(),
            })
        }
    }
}

/// The writing side: length, data in `WRITE_SIZE` writes, checksum.
/// Returns the data bytes written, or how many got out before an error.
fn send_stream(
    pipe: BorrowedFd<'_>,
    bytes: u64,
    source: &[u8],
    checksum: u64,
) -> std::result::Result<u64, (u64, Errno)> {
    write_all(pipe, &bytes.to_le_bytes()).map_err(|e| (0, e.errno))?;
    let mut sent = 0u64;
    while sent < bytes {
        let offset = (sent % source.len() as u64) as usize;
        let size = WRITE_SIZE
            .min(source.len() - offset)
            .min((bytes - sent) as usize);
        let piece = &source[offset..offset + size];
        // One write(2) per piece; write_all only loops if it was short.
        write_all(pipe, piece).map_err(|e| (sent + e.written, e.errno))?;
        sent += size as u64;
    }
    write_all(pipe, &checksum.to_le_bytes()).map_err(|e| (sent, e.errno))?;
    Ok(sent)
}

/// What the reading side saw.
#[derive(Debug, Clone, Copy, Default)]
struct Received {
    announced: u64,
    bytes: u64,
    checksum_ok: bool,
}

/// The reading side: length, data, checksum. An early EOF is not an
/// error here: it is a short transfer, which the caller reports.
fn receive_stream(pipe: BorrowedFd<'_>, buffer: &mut [u8]) -> nix::Result<Received> {
    let mut header = [0u8; 8];
    if read_full(pipe, &mut header)? < header.len() {
        return Ok(Received::default());
    }
    let announced = u64::from_le_bytes(header);
    let mut running = Checksum::new();
    while running.bytes() < announced {
        let want = buffer.len().min((announced - running.bytes()) as usize);
        // A pipe read returns what is there, often less than asked: a short
        // read is normal, only 0 means EOF.
        let n = retry_eintr(|| read(pipe, &mut buffer[..want]))?;
        if n == 0 {
            break; // EOF: every write end closed before the data was all here
        }
        running.update(&buffer[..n]);
    }
    let mut trailer = [0u8; 8];
    let complete = running.bytes() == announced && read_full(pipe, &mut trailer)? == 8;
    Ok(Received {
        announced,
        bytes: running.bytes(),
        checksum_ok: complete && u64::from_le_bytes(trailer) == running.value(),
    })
}
// ANCHOR_END: stream

/// `len` bytes of the checksum module's position-dependent pattern.
fn pattern(len: usize) -> Vec<u8> {
    let mut source = vec![0u8; len];
    fill_pattern(&mut source, 0);
    source
}

/// The checksum of `bytes` bytes of `source` repeated.
fn stream_checksum(source: &[u8], bytes: u64) -> u64 {
    let mut running = Checksum::new();
    while running.bytes() < bytes {
        let size = (source.len() as u64).min(bytes - running.bytes()) as usize;
        running.update(&source[..size]);
    }
    running.value()
}

fn print_transfer(label: &str, transfer: &Transfer) {
    say!(
        "{label}: pipe holds {:>8}, {} writes; sent {}, received {}, checksum {}, {} in {}",
        format_bytes(transfer.pipe_capacity as u64),
        format_bytes(transfer.write_size as u64),
        transfer.bytes_sent,
        transfer.bytes_received,
        if transfer.checksum_ok {
            "matches"
        } else {
            "DOES NOT match"
        },
        format_rate(transfer.bytes_received, transfer.elapsed),
        format_duration(transfer.elapsed),
    );
}

// ---------------------------------------------------------------------------
// 3. Round trips
// ---------------------------------------------------------------------------

/// Round trips per clock read: at ~40 µs each, a batch of 50 makes the two
/// clock reads (tens of nanoseconds) a negligible part of the figure.
const ROUND_TRIP_BATCH: usize = 50;

// ANCHOR: round_trip
/// Times 1-byte ping-pongs with a forked child over two pipes (one each
/// way: a pipe carries bytes in one direction only). Returns the cost of one
/// round trip, from batches of up to 50 between two clock reads.
///
/// Forks: returns the "refusing to fork: …" error if this process has other
/// threads.
pub fn pipe_round_trip(round_trips: usize) -> Result<Stats> {
    pipe_round_trip_placed(round_trips, Placement::TwoCpus).map(|(stats, _)| stats)
}

/// [`pipe_round_trip`] with the two processes placed as asked; also says
/// where they really ran.
pub fn pipe_round_trip_placed(
    round_trips: usize,
    placement: Placement,
) -> Result<(Stats, Placement)> {
    let (to_child_read, to_child_write) = pipe().context("pipe(2) parent -> child")?;
    let (to_parent_read, to_parent_write) = pipe().context("pipe(2) child -> parent")?;
    prepare_to_fork()?;
    let pinned = Pinned::caller(placement)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            drop((to_child_write, to_parent_read));
            let mut byte = [0u8; 1];
            // EOF (a read of 0 bytes): the parent is done.
            while retry_eintr(|| read(&to_child_read, &mut byte)).context("read(2) of the ping")?
                > 0
            {
                write_all(to_parent_write.as_fd(), &byte).context("write(2) of the pong")?;
            }
            Ok(())
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            drop((to_child_read, to_parent_write));
            let mut ping_pong = || -> Result<()> {
                write_all(to_child_write.as_fd(), b"x").context("write(2) of the ping")?;
                let mut byte = [0u8; 1];
                match retry_eintr(|| read(&to_parent_read, &mut byte))
                    .context("read(2) of the pong")?
                {
                    1 => Ok(()),
                    _ => Err(Error::msg("the child closed its pipe before answering")),
                }
            };
            let batch = ROUND_TRIP_BATCH.min(round_trips).max(1);
            let samples = (round_trips / batch).max(1);
            let stats = support::timing::try_measure(batch, samples, batch, &mut ping_pong)?;
            // EOF tells the child to finish.
            drop(to_child_write);
            let ending = guard.wait().context("waitpid(2)")?;
            if !ending.is_success() {
                return Err(Error::msg(format!("the echoing child {ending}")));
            }
            Ok((stats, pinned.placement()))
        }
    }
}
// ANCHOR_END: round_trip

// ---------------------------------------------------------------------------
// 4. PIPE_BUF
// ---------------------------------------------------------------------------

/// POSIX: a write of at most this many bytes to a pipe is atomic.
pub const PIPE_BUF: usize = libc::PIPE_BUF;

/// Writers in the atomicity test.
pub const WRITERS: usize = 4;

/// A record four times the default pipe buffer: its write cannot finish
/// without waiting for the reader, and while it waits others may write.
pub const LARGE_RECORD: usize = 256 << 10;

// ANCHOR: interleaving
/// `writers` forked children each write `records` records of
/// `record_size` bytes into one pipe, all at once; the parent reads
/// record-sized pieces and counts pieces holding bytes of two records.
///
/// Forks: returns the "refusing to fork: …" error if this process has other
/// threads.
pub fn interleaving(writers: usize, records: usize, record_size: usize) -> Result<Interleaving> {
    assert!(
        record_size % 8 == 0 && record_size > 0,
        "records are whole 8-byte words"
    );
    let (data_read, data_write) = pipe().context("pipe(2) for the records")?;
    // A second pipe as a starting gun: every child waits to read it, and
    // the parent's close gives them all EOF at the same moment.
    let (start_read, start_write) = pipe().context("pipe(2) for the start")?;
    let mut guards = Vec::with_capacity(writers);
    for writer in 0..writers {
        // Checked before every fork: the parent only forks and reads.
        prepare_to_fork()?;
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => run_child(|| {
                // This child's copy of the start pipe's write end must go,
                // or no child would ever see EOF on it.
                drop((data_read, start_write));
                let mut byte = [0u8; 1];
                let _ = retry_eintr(|| read(&start_read, &mut byte)); // returns 0: go
                let mut record = vec![0u8; record_size];
                for sequence in 0..records {
                    // Every word of a record says who wrote it and which
                    // record it is, so a torn record is easy to spot.
                    let tag = ((writer as u64) << 32 | sequence as u64).to_le_bytes();
                    for word in record.chunks_exact_mut(8) {
                        word.copy_from_slice(&tag);
                    }
                    // One write(2) per record. Up to PIPE_BUF bytes it goes
                    // in whole or waits; beyond, it may go in pieces.
                    write_all(data_write.as_fd(), &record).context("write(2) of a record")?;
                }
                Ok(())
            }),
            ForkResult::Parent { child } => guards.push(ChildGuard::new(child)),
        }
    }
    // The parent only reads: close its write ends. The start pipe's close
    // is the starting gun; the data pipe's is what lets us see EOF once
    // every child has finished and exited.
    drop((start_read, start_write, data_write));
    let mut piece = vec![0u8; record_size];
    let (mut received, mut torn) = (0, 0);
    loop {
        let got = read_full(data_read.as_fd(), &mut piece).context("read(2) of the records")?;
        if got < record_size {
            break; // EOF (a shorter tail would mean lost bytes: counted below)
        }
        received += 1;
        let first = &piece[..8];
        if piece.chunks_exact(8).any(|word| word != first) {
            torn += 1;
        }
    }
    for guard in guards {
        let ending = guard.wait().context("waitpid(2)")?;
        if !ending.is_success() {
            return Err(Error::msg(format!("a writing child {ending}")));
        }
    }
    Ok(Interleaving {
        writers,
        record_size,
        records_sent: writers * records,
        records_received: received,
        torn,
    })
}
// ANCHOR_END: interleaving

// ---------------------------------------------------------------------------
// 5. A peer that dies
// ---------------------------------------------------------------------------

// ANCHOR: dead_peer
/// The parent streams `announced` bytes; the child reads `die_after` of
/// them and is killed. The parent's next write fails with `EPIPE`.
///
/// Forks: returns the "refusing to fork: …" error if this process has other
/// threads.
pub fn reader_dies_mid_stream(announced: u64, die_after: u64) -> Result<DeadReader> {
    let (data_read, data_write) = pipe().context("pipe(2)")?;
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            drop(data_write);
            let mut buffer = vec![0u8; 64 << 10];
            let mut taken = 0u64;
            while taken < die_after {
                match retry_eintr(|| read(&data_read, &mut buffer)) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => taken += n as u64,
                }
            }
            say!("reader: took {}, now dying (SIGKILL)", format_bytes(taken));
            die()
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            // Without this close, the pipe would keep a reader (us) after
            // the child died: no EPIPE, and our write would block forever
            // once the buffer filled.
            drop(data_read);
            let source = pattern(SOURCE_SIZE.min(announced as usize));
            let sent = send_stream(data_write.as_fd(), announced, &source, 0);
            let ending = guard.wait().context("waitpid(2)")?;
            let (sent_before_error, error) = match sent {
                Ok(sent) => (sent, None),
                Err((sent, errno)) => (sent, Some(errno)),
            };
            match error {
                Some(errno) => say!(
                    "writer: write(2) failed with {} after {} of {}: the reader is gone",
                    errno,
                    format_bytes(sent_before_error),
                    format_bytes(announced)
                ),
                None => say!("writer: every write succeeded (the reader died too late)"),
            }
            say!("writer: the reader ended: {ending}");
            // A C program would have died of SIGPIPE here. Rust's runtime
            // sets SIGPIPE to "ignore" before main, so write(2) returns
            // EPIPE instead; a forked child inherits that setting.
            say!(
                "writer: Rust ignores SIGPIPE, so write(2) returned an error instead of killing us"
            );
            Ok(DeadReader {
                announced,
                sent_before_error,
                error,
                reader_ending: ending,
            })
        }
    }
}

/// The child streams a header promising `announced` bytes, writes
/// `die_after` of them and is killed. The parent reads an early EOF.
///
/// Forks: returns the "refusing to fork: …" error if this process has other
/// threads.
pub fn writer_dies_mid_stream(announced: u64, die_after: u64) -> Result<DeadWriter> {
    let (data_read, data_write) = pipe().context("pipe(2)")?;
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            drop(data_read);
            let source = pattern(SOURCE_SIZE.min(die_after as usize).max(1));
            let mut written = 0u64;
            if write_all(data_write.as_fd(), &announced.to_le_bytes()).is_ok() {
                while written < die_after {
                    let size = source.len().min((die_after - written) as usize);
                    if write_all(data_write.as_fd(), &source[..size]).is_err() {
                        break;
                    }
                    written += size as u64;
                }
            }
            say!(
                "writer: sent {} of {}, now dying (SIGKILL)",
                format_bytes(written),
                format_bytes(announced)
            );
            die()
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            // The write end we hold must go, or the pipe would still have a
            // writer (us) after the child died, and our read would wait
            // forever instead of returning EOF.
            drop(data_write);
            let mut buffer = vec![0u8; 64 << 10];
            let received = receive_stream(data_read.as_fd(), &mut buffer).context("read(2)")?;
            let ending = guard.wait().context("waitpid(2)")?;
            say!(
                "reader: EOF after {} of the {} announced: a short transfer, checksum {}",
                format_bytes(received.bytes),
                format_bytes(received.announced),
                if received.checksum_ok {
                    "present"
                } else {
                    "never came"
                },
            );
            say!("reader: the writer ended: {ending}");
            Ok(DeadWriter {
                announced: received.announced,
                received: received.bytes,
                complete: received.checksum_ok,
                writer_ending: ending,
            })
        }
    }
}

/// A forked child dies abruptly: SIGKILL, which writes no core file and
/// cannot be caught.
fn die() -> ! {
    let _ = std::io::stdout().flush();
    let _ = support::crash::disable_core_dumps();
    let _ = kill(getpid(), Signal::SIGKILL);
    // SIGKILL to ourselves ends us before kill(2) returns; just in case:
    exit_child(9)
}
// ANCHOR_END: dead_peer

// ---------------------------------------------------------------------------
// Where the two processes run
// ---------------------------------------------------------------------------

// ANCHOR: placement
/// Where the two processes of a measurement run. It changes the figures a
/// lot: handing bytes to a process on the same CPU is a switch between two
/// tasks; to one on another CPU, it is a wake-up of that CPU. `TwoCpus`
/// pins parent and child to two different CPUs (both run at once, as
/// processes working in parallel do), `OneCpu` pins both to one (they take
/// turns), `Unpinned` leaves them wherever the scheduler puts them (it often
/// puts a woken reader on the writer's CPU). The measurements pin the parent
/// with `support::placement::Pinned::caller`, which gives the old CPU mask
/// back when dropped; the forked child moves itself to the other CPU first
/// thing (`move_other_party`). With a single CPU allowed (`taskset -c 0`),
/// two CPUs cannot be had: the figure is taken unpinned, and says so.
pub use support::placement::Placement;
// ANCHOR_END: placement

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// A write that failed part way: how many bytes got out first, and why.
#[derive(Debug, Clone, Copy)]
struct WriteError {
    written: u64,
    errno: Errno,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} after {} bytes", self.errno, self.written)
    }
}

impl std::error::Error for WriteError {}

/// Writes all of `data`, looping over short writes (a pipe may take only
/// part of a large write, for example when a signal arrives).
fn write_all(fd: BorrowedFd<'_>, mut data: &[u8]) -> std::result::Result<(), WriteError> {
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
fn read_full(fd: BorrowedFd<'_>, buffer: &mut [u8]) -> nix::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match retry_eintr(|| read(fd, &mut buffer[filled..]))? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn retry_eintr<T>(mut call: impl FnMut() -> nix::Result<T>) -> nix::Result<T> {
    loop {
        match call() {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_checksum_equals_the_checksum_of_the_bytes_sent() {
        let source = pattern(1000);
        let mut sent = Vec::new();
        while sent.len() < 2500 {
            let take = source.len().min(2500 - sent.len());
            sent.extend_from_slice(&source[..take]);
        }
        assert_eq!(stream_checksum(&source, 2500), checksum(&sent));
    }
}
