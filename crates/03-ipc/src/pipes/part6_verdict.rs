//! Part 6: what this run showed, in sentences that follow its figures, and
//! the explanations printed beside the parts' figures.

use support::error::{Error, Result};
use support::placement::Placement;
use support::say;
use support::timing::{format_bytes, format_duration};

use crate::text::{grouped, times};

use super::report::{Interleaving, Report, Streams};

// ANCHOR: noise
/// What part 2's two ranges say: the ratio of the medians, whether the
/// ranges overlap, and a reason only for a difference larger than the noise.
pub fn stream_sentences(
    default: &Streams,
    large: &Streams,
) -> (String, String, &'static [&'static str]) {
    let (slow, fast) = (default.rates(), large.rates());
    let ratio = compared(fast.median / slow.median);
    let headline = format!("the 1 MiB buffer: {ratio} (medians)");
    let (noise, reasons) = match (fast.overlaps(&slow), fast.min > slow.max) {
        (true, _) => ("within this run's noise: the two ranges overlap", &[][..]),
        (false, false) => ("slower in every run; these figures do not say why", &[][..]),
        (false, true) => ("faster in every run", &WHY_A_BIGGER_BUFFER[..]),
    };
    (headline, noise.to_string(), reasons)
}

const WHY_A_BIGGER_BUFFER: [&str; 4] = [
    "a writer that fills the pipe sleeps until the reader drains some of",
    "it, and a reader that empties it sleeps until the writer adds more:",
    "a bigger buffer means fewer of those sleeps and wake-ups, and lets",
    "both sides copy at the same time.",
];
// ANCHOR_END: noise

pub fn explain_round_trip() {
    say!("one byte costs nothing to copy: each way is one write, one read and");
    say!("one wake-up of the sleeping reader. On one CPU the wake-up is a");
    say!("switch between two tasks; on two it wakes the other CPU. Threads");
    say!("sharing a variable need no system call to move the data; waiting for");
    say!("each other still costs a futex(2) wake-up.");
}

pub fn print_interleaving(small: &Interleaving, large: &Interleaving) {
    say!(
        "{} writers into one pipe; per writer, records × size:",
        small.writers
    );
    for (result, rule) in [(small, "≤"), (large, ">")] {
        say!("{}", interleaving_line(result, rule));
    }
    say!("complete: every word of a record arrived; torn: they arrived in two");
    say!("runs or more, with another writer's words between them. POSIX: a");
    say!("write of at most PIPE_BUF bytes is never torn; a larger one may be.");
    if large.torn == 0 {
        say!("no large record was torn this time: allowed, not promised");
    }
}

/// `2000 × 4.00 KiB (≤ PIPE_BUF): 0 torn; 8_000 of 8_000 complete`
fn interleaving_line(result: &Interleaving, rule: &str) -> String {
    let (sent, got) = (result.records_sent as u64, result.records_received as u64);
    format!(
        "{:>4} × {:>8} ({rule} PIPE_BUF): {} torn; {} of {} complete",
        sent / result.writers.max(1) as u64,
        format_bytes(result.record_size as u64),
        grouped(result.torn as u64),
        grouped(got),
        grouped(sent),
    )
}

/// The table's row, as this demo showed it.
const COMMUNICATION_ROW: [&str; 3] = [
    "Communication row: each byte went into the kernel and out again,",
    "and each reply waited for the other side to be woken: an IPC",
    "mechanism, where threads just share variables (lesson 02).",
];

/// The verdict, one sentence per figure, each following this run's numbers.
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let (default, large) = (&report.default_buffer, &report.large_buffer);
    let (headline, noise, _) = stream_sentences(default, large);
    let mut lines = vec![format!("stream: {headline}"), format!("  {noise}")];
    let (rates, machine) = ([&default.rates(), &large.rates()], &report.machine);
    lines.extend(crate::noise::disturbed_line(machine, &rates));
    let (two, one) = (report.round_trip.median, report.round_trip_one_cpu.median);
    let (two_text, one_text) = (format_duration(two), format_duration(one));
    let (two_cpus, one_cpu) = (
        report.round_trip_placement,
        report.round_trip_one_cpu_placement,
    );
    lines.push(format!(
        "round trip: {two_text} {two_cpus}, {one_text} {one_cpu}"
    ));
    if (two_cpus, one_cpu) == (Placement::TwoCpus, Placement::OneCpu) {
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

/// A rate against the default's: `2.6× the default's rate`.
fn compared(ratio: f64) -> String {
    format!("{} the default's rate", times(ratio))
}

/// Part 2's claim: both streams arrived whole, their checksums matching.
pub fn check_streams(default: &Streams, large: &Streams) -> Result<()> {
    match default.is_complete() && large.is_complete() {
        true => Ok(()),
        false => Err(Error::msg("a stream arrived incomplete or corrupted")),
    }
}

/// Part 4's claim: no record of at most `PIPE_BUF` bytes arrived torn.
pub fn check_records(small: &Interleaving) -> Result<()> {
    match small.torn {
        0 => Ok(()),
        _ => Err(Error::msg("a record no larger than PIPE_BUF arrived torn")),
    }
}
