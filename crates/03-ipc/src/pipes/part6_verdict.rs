//! Part 6: what this run showed, in sentences that follow its figures, and
//! the explanations printed beside the parts' figures.

use support::error::{Error, Result};
use support::placement::Placement;
use support::say;
use support::timing::{format_bytes, format_duration, format_rate};

use crate::text::{grouped, times};

use super::report::{Interleaving, Report, Transfer};

/// One line per stream: buffer, bytes, time, rate, checksum.
pub fn print_transfer(transfer: &Transfer) {
    let check = if transfer.checksum_ok {
        "ok"
    } else {
        "DIFFERS"
    };
    say!(
        "{:>9} buffer: {} in {:>9} = {:>10}, checksum {check}",
        format_bytes(transfer.pipe_capacity as u64),
        format_bytes(transfer.bytes_received),
        format_duration(transfer.elapsed),
        format_rate(transfer.bytes_received, transfer.elapsed),
    );
}

/// What part 2's two figures say, and why a bigger buffer can help.
pub fn explain_stream(default: &Transfer, large: &Transfer) {
    let ratio = large.bytes_per_second() / default.bytes_per_second();
    say!("the 1 MiB buffer: {}, {}", compared(ratio), large.placement);
    say!("a writer that fills the pipe sleeps until the reader drains some of");
    say!("it, and a reader that empties it sleeps until the writer adds more:");
    say!("a bigger buffer means fewer of those sleeps and wake-ups, and lets");
    say!("both sides copy at the same time. Same bytes, same checksum.");
}

pub fn explain_round_trip() {
    say!("one byte costs nothing to copy: each way is one write, one read and");
    say!("one wake-up of the sleeping reader. On one CPU the wake-up is a");
    say!("switch between two tasks; on two it wakes the other CPU. Threads");
    say!("sharing a variable need no system call at all.");
}

pub fn print_interleaving(small: &Interleaving, large: &Interleaving) {
    for (result, rule) in [(small, "<="), (large, ">")] {
        say!(
            "{} writers × {:>4} records × {:>8} ({rule} PIPE_BUF): {} torn, {} whole",
            result.writers,
            result.records_sent / result.writers,
            format_bytes(result.record_size as u64),
            result.torn,
            grouped(result.records_received as u64),
        );
    }
    say!("torn: a record's words arrived in two runs or more, with another");
    say!("writer's words between them. POSIX: a write of at most PIPE_BUF");
    say!("bytes is never torn; a larger one may be.");
    if large.torn == 0 {
        say!("no large record was torn this time: allowed, not promised");
    }
}

/// The table's row, as this demo showed it.
const COMMUNICATION_ROW: [&str; 3] = [
    "Communication row: between processes every byte went into the kernel",
    "and out again, and every reply waited for the other side to be woken:",
    "an IPC mechanism, where threads just share variables (lesson 02).",
];

/// The verdict, one sentence per figure, each following this run's numbers.
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let (default, large) = (&report.default_buffer, &report.large_buffer);
    let ratio = large.bytes_per_second() / default.bytes_per_second();
    let mut lines = vec![format!("stream: the 1 MiB buffer: {}", compared(ratio))];
    let (two, one) = (report.round_trip.median, report.round_trip_one_cpu.median);
    let (two_text, one_text) = (format_duration(two), format_duration(one));
    lines.push(match report.round_trip_placement {
        Placement::TwoCpus => format!("round trip: {two_text} on two CPUs, {one_text} on one;"),
        _ => format!("round trip: {two_text} unpinned (two CPUs could not be had)"),
    });
    if report.round_trip_placement == Placement::TwoCpus {
        let costlier = if two > one {
            "waking another CPU"
        } else {
            "sharing one CPU"
        };
        lines.push(format!("  {costlier} cost more here"));
    }
    let (small, large) = (report.small_records.torn, report.large_records.torn);
    lines.push(format!(
        "PIPE_BUF: {small} small records torn, {large} large ones"
    ));
    let (reader, writer) = (&report.dead_reader, &report.dead_writer);
    lines.push(match reader.error {
        Some(errno) => format!("dying reader: the writer's write(2) failed with {errno:?}"),
        None => "dying reader: every write succeeded (it died too late)".into(),
    });
    let (got, of) = (
        format_bytes(writer.received),
        format_bytes(writer.announced),
    );
    lines.push(format!(
        "dying writer: the reader got {got} of {of}, then EOF"
    ));
    lines.extend(COMMUNICATION_ROW.iter().map(|line| line.to_string()));
    lines
}

/// A rate against the default's: within 5% is "about the same".
fn compared(ratio: f64) -> String {
    match ratio {
        r if r > 1.05 => format!("{} the default's rate", times(r)),
        r if r < 0.95 => format!("slower this time, {} the default's rate", times(r)),
        r => format!("about the default's rate ({})", times(r)),
    }
}

/// The run's claims that must hold: every stream whole, no small record torn.
pub fn check(report: &Report) -> Result<()> {
    if !(report.default_buffer.is_complete() && report.large_buffer.is_complete()) {
        return Err(Error::msg("a stream arrived incomplete or corrupted"));
    }
    if report.small_records.torn > 0 {
        return Err(Error::msg("a record no larger than PIPE_BUF arrived torn"));
    }
    Ok(())
}
