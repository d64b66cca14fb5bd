//! # Lesson 03, first half: processes talking through pipes
//!
//! Two processes share no *writable* memory by default: a forked child gets
//! copy-on-write copies of its parent's private pages (program text and
//! pages nobody has written yet stay physically shared until one side
//! writes), so to talk they ask the kernel to carry the bytes. A pipe is the
//! oldest way: a buffer inside the kernel with a write end and a read end,
//! each a file descriptor. Every byte is copied twice (into the kernel, out
//! of it) and every wait for the other side goes through the scheduler: the
//! cost the Key Differences table's **Communication** row means when it says
//! processes need IPC mechanisms, where threads just share variables.
//!
//! Run it: `just demo-pipes` (`--help` for options). Read the listings
//! `03a-simple-pipe.rs` and `03b-no-eof-broken.rs` first; then the parts:
//!
//! 1. `part1_raw_calls.rs`: `pipe`, `fork`, `close`, `write`, `read`,
//!    `waitpid`, and the everyday `Command` with `Stdio::piped()`;
//! 2. `part2_stream.rs`: a checksummed stream, default and 1 MiB buffers,
//!    run in turn (`part2_runs.rs`);
//! 3. `part3_round_trip.rs`: a 1-byte round trip on one CPU and on two;
//! 4. `part4_pipe_buf.rs`: writes up to `PIPE_BUF` never interleave;
//! 5. `part5_dying_peer.rs`: `EPIPE` for the writer, early EOF for the reader;
//! 6. `part6_verdict.rs`: what this run's figures show.
//!
//! Read next: `shared_memory`, which moves bytes through shared pages instead.

mod fd_io;
mod part1_raw_calls;
mod part2_runs;
mod part2_stream;
mod part3_round_trip;
mod part4_pipe_buf;
mod part5_dying_peer;
mod part6_verdict;
mod parts;
pub mod report;
mod stream_ends;

pub use part1_raw_calls::COUNT_ROLE;
pub use part2_stream::{
    LARGE_PIPE_BUFFER, WRITE_SIZE, stream_through_pipe, stream_through_pipe_placed,
};
pub use part3_round_trip::{pipe_round_trip, pipe_round_trip_placed};
pub use part4_pipe_buf::{LARGE_RECORD, PIPE_BUF, WRITERS, interleaving};
pub use part5_dying_peer::{reader_dies_mid_stream, writer_dies_mid_stream};
pub use part6_verdict::verdict_lines;
pub use parts::run_part; // `--part N`: one part alone
pub use report::*;
pub use support::placement::Placement;

use support::classroom::Lesson;
use support::error::Result;
use support::role::Role;
use support::say;

pub const LESSON: Lesson = Lesson::new("pipes", include_str!("../../questions-pipes.md"));
/// Roles this lesson starts by re-executing its own binary.
pub const ROLES: &[Role] = &[Role {
    name: COUNT_ROLE,
    run: part1_raw_calls::count_role,
}];

/// Default MiB streamed in each run, `noise::RUNS` runs per buffer size.
pub const DEFAULT_MIB: u64 = 32;

/// The demo's options.
#[derive(Debug, Clone)]
pub struct Options {
    /// MiB streamed through the pipe in each run, 5 runs per buffer size.
    pub mib: u64,
    /// 1-byte round trips timed.
    pub round_trips: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mib: DEFAULT_MIB,
            round_trips: 2000,
        }
    }
}

/// Runs the lesson: prints the story and returns what it measured. Forks: in
/// a process that has other threads it returns the "refusing to fork: …"
/// error instead (see `support::forking::prepare_to_fork`).
pub fn run(options: &Options) -> Result<Report> {
    support::guard::install_interrupt_cleanup(); // Ctrl-C: kill and reap our children
    let mut class = LESSON.session(); // --part, --predict, --pause
    class.part(1); // A pipe, from the raw calls
    let raw_child = part1_raw_calls::raw_pipe()?;
    let command_reply_ok = part1_raw_calls::command_pipe()?;

    class.part(2); // A checksummed stream through a pipe, two buffer sizes
    let (default_buffer, large_buffer, machine) = part2_runs::both_buffers(options.mib << 20)?;
    class.outcome(part2_runs::stream_outcome(&default_buffer, &large_buffer));

    class.part(3); // A 1-byte round trip over two pipes
    let round_trips = part3_round_trip::on_two_cpus_and_one(options.round_trips)?;
    part6_verdict::explain_round_trip();
    class.outcome(part3_round_trip::round_trip_outcome(&round_trips));

    class.part(4); // PIPE_BUF = 4096 bytes: which writes stay whole
    let small_records = interleaving(WRITERS, 2000, PIPE_BUF)?;
    let large_records = interleaving(WRITERS, 16, LARGE_RECORD)?;
    part6_verdict::print_interleaving(&small_records, &large_records);

    class.part(5); // A peer that dies mid-stream
    let dead_reader = reader_dies_mid_stream(64 << 20, 4 << 20)?;
    let dead_writer = writer_dies_mid_stream(64 << 20, 4 << 20)?;

    class.verdict("6. Verdict");
    let report = Report {
        raw_child,
        command_reply_ok,
        default_buffer,
        large_buffer,
        machine,
        round_trip: round_trips.0,
        round_trip_placement: round_trips.1,
        round_trip_one_cpu: round_trips.2,
        round_trip_one_cpu_placement: round_trips.3,
        small_records,
        large_records,
        dead_reader,
        dead_writer,
    };
    verdict_lines(&report)
        .iter()
        .for_each(|line| say!("{line}"));
    // A lost or changed byte, or a torn small record, is an error:
    part6_verdict::check_streams(&report.default_buffer, &report.large_buffer)?;
    part6_verdict::check_records(&report.small_records)?;
    Ok(report)
}
