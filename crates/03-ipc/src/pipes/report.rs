//! What the pipes demo measured and saw: for the tests, lesson 07 and the tour.

use std::time::Duration;

use nix::errno::Errno;
use support::placement::Placement;
use support::{Ending, Stats};

use crate::noise::{Machine, Spread};

/// Everything the demo measured and saw.
#[derive(Debug, Clone)]
pub struct Report {
    /// How the child of the raw pipe example ended (0: it got the message).
    pub raw_child: Ending,
    /// The `Command` child counted and checksummed exactly what we sent.
    pub command_reply_ok: bool,
    /// The streams with the pipe's default buffer, run after run.
    pub default_buffer: Streams,
    /// The streams with a 1 MiB buffer, each run after a default one.
    pub large_buffer: Streams,
    /// How busy the machine was when the streams began.
    pub machine: Machine,
    /// 1-byte round trips with the processes on two CPUs, and where they ran.
    pub round_trip: Stats,
    pub round_trip_placement: Placement,
    /// The same with both processes on one CPU, and where they ran.
    pub round_trip_one_cpu: Stats,
    pub round_trip_one_cpu_placement: Placement,
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

/// One buffer size's streams, run after run.
#[derive(Debug, Clone, PartialEq)]
pub struct Streams {
    pub runs: Vec<Transfer>,
}

impl Streams {
    /// The runs' rates: median and range.
    pub fn rates(&self) -> Spread {
        let rates: Vec<f64> = self.runs.iter().map(Transfer::bytes_per_second).collect();
        Spread::of(&rates)
    }

    /// Every run arrived whole, checksum agreed.
    pub fn is_complete(&self) -> bool {
        self.runs.iter().all(Transfer::is_complete)
    }

    /// The first run (every run has the same size, buffer and placement).
    pub fn first(&self) -> &Transfer {
        &self.runs[0]
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
