//! `--part N`: one part of the lesson alone, with what it needs, for a
//! class that takes the lesson a part at a time. The calls are `run`'s.

use support::error::Result;

use super::part4_pipe_buf::{LARGE_RECORD, PIPE_BUF, WRITERS, interleaving};
use super::part5_dying_peer::{reader_dies_mid_stream, writer_dies_mid_stream};
use super::{LESSON, Options, part1_raw_calls, part2_runs, part3_round_trip, part6_verdict};

/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out). Forks, as `run` does.
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    support::guard::install_interrupt_cleanup(); // Ctrl-C: kill and reap our children
    let mut class = LESSON.session(); // silent until class.part(n)
    match n {
        1 => {
            class.part(1); // A pipe, from the raw calls
            part1_raw_calls::raw_pipe()?;
            part1_raw_calls::command_pipe()?;
        }
        2 => {
            class.part(2); // A checksummed stream through a pipe, two buffer sizes
            let (default_buffer, large_buffer, _) = part2_runs::both_buffers(options.mib << 20)?;
            class.outcome(part2_runs::stream_outcome(&default_buffer, &large_buffer));
            part6_verdict::check_streams(&default_buffer, &large_buffer)?; // as `run` checks
        }
        3 => {
            class.part(3); // A 1-byte round trip over two pipes
            let round_trips = part3_round_trip::on_two_cpus_and_one(options.round_trips)?;
            part6_verdict::explain_round_trip();
            class.outcome(part3_round_trip::round_trip_outcome(&round_trips));
        }
        4 => {
            class.part(4); // PIPE_BUF = 4096 bytes: which writes stay whole
            let small_records = interleaving(WRITERS, 2000, PIPE_BUF)?;
            let large_records = interleaving(WRITERS, 16, LARGE_RECORD)?;
            part6_verdict::print_interleaving(&small_records, &large_records);
            part6_verdict::check_records(&small_records)?; // as `run` checks
        }
        5 => {
            class.part(5); // A peer that dies mid-stream
            reader_dies_mid_stream(64 << 20, 4 << 20)?;
            writer_dies_mid_stream(64 << 20, 4 << 20)?;
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
