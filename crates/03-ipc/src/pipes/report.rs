//! What the pipes demo measured and saw: for the tests, lesson 07 and the tour.

use std::time::Duration;

use nix::errno::Errno;
use support::placement::Placement;
use support::{Ending, Stats};

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
    /// 1-byte round trips with the processes on two CPUs, and where they ran.
    pub round_trip: Stats,
    pub round_trip_placement: Placement,
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
    /// Records whose words all arrived (in one piece or several).
    pub records_received: usize,
    /// Records that arrived in more than one run: another writer's bytes
    /// came between two parts of them.
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
