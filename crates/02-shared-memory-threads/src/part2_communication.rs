//! Part 2: communication through shared variables is direct. One thread
//! fills a buffer and another reads it where it lies; then a value goes to
//! an `echo` thread and back, timed on one CPU and on two.

use std::thread;

use support::error::{Error, Result};
use support::placement::{Pinned, Placement};
use support::say;
use support::timing::{Stats, format_bytes, format_duration};

use crate::part2_round_trips::{
    ROUND_TRIPS_PER_SAMPLE, SAMPLES, channel_round_trip_on, condvar_round_trip_on,
};
use crate::report::{DirectRead, HandOff, HandOffRow, grouped};

/// Part 2a: a `writer` thread fills `bytes` bytes; a `reader` thread then
/// reads them through a shared reference, at the same address.
pub fn read_in_place(bytes: usize) -> Result<DirectRead> {
    // ANCHOR: direct
    let mut buffer = vec![0_u8; bytes];
    // The writer borrows the buffer mutably (`&mut`: no one else may touch
    // it meanwhile); the scope ends only once the writer is joined.
    let (writer_address, writer_sum) = thread::scope(|scope| {
        let buffer_to_fill = &mut buffer;
        let writer = scope.spawn(move || {
            for (i, byte) in buffer_to_fill.iter_mut().enumerate() {
                *byte = (i % 251) as u8;
            }
            (buffer_to_fill.as_ptr() as usize, sum(buffer_to_fill))
        });
        writer
            .join()
            .map_err(|_| Error::msg("thread writer panicked"))
    })?;
    say!(
        "a writer thread filled {} at {writer_address:#x}, sum {}",
        format_bytes(bytes as u64),
        grouped(writer_sum)
    );
    // Now the reader borrows the same bytes, read-only (`&`). Nothing is
    // copied or sent: it gets a pointer into memory both threads share.
    let (reader_address, reader_sum) = thread::scope(|scope| {
        let buffer_to_read = &buffer;
        let reader = scope.spawn(move || (buffer_to_read.as_ptr() as usize, sum(buffer_to_read)));
        reader
            .join()
            .map_err(|_| Error::msg("thread reader panicked"))
    })?;
    // ANCHOR_END: direct
    let read = DirectRead {
        bytes,
        writer_address,
        reader_address,
        writer_sum,
        reader_sum,
    };
    let (at, sum) = (reader_address, grouped(reader_sum)); // the reader's findings
    match read.in_place() {
        true => say!("a reader thread read them at {at:#x} too, same sum: no copy"),
        false => say!("reader at {at:#x}, sum {sum}: NO, not the writer's bytes"),
    }
    Ok(read)
}

impl DirectRead {
    /// The reader read at the writer's address and summed the same bytes.
    pub fn in_place(&self) -> bool {
        self.reader_address == self.writer_address && self.reader_sum == self.writer_sum
    }
}

fn sum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&byte| u64::from(byte)).sum()
}

/// Part 2b: hand-off round trips, both ways, with the two threads on one
/// CPU and then on two. The two-CPU row is `None` when only one is allowed;
/// when pinning is refused, both threads run unpinned, and it says so.
pub fn hand_offs() -> Result<HandOff> {
    say!(
        "round trips main -> echo -> main ({SAMPLES} batches of {ROUND_TRIPS_PER_SAMPLE}: median, range)"
    );
    let one_cpu = measured(&Pinned::caller(Placement::OneCpu)?)?;
    if one_cpu.placement == Placement::Unpinned {
        say!("  pinning refused (sched_setaffinity(2)): measured unpinned");
        return Ok(HandOff {
            one_cpu,
            two_cpus: None,
        });
    }
    let two_cpus = hand_off_row(Placement::TwoCpus)?;
    if two_cpus.is_none() {
        say!("  on two CPUs: not measured, this process may use only one CPU");
    }
    Ok(HandOff { one_cpu, two_cpus })
}

/// Both round trips with the threads placed as `wanted` asks; `None` when
/// that placement is not possible here.
pub fn hand_off_row(wanted: Placement) -> Result<Option<HandOffRow>> {
    let pinned = Pinned::caller(wanted)?; // main pinned; restored when dropped
    match pinned.placement() == wanted {
        true => Ok(Some(measured(&pinned)?)),
        false => Ok(None),
    }
}

/// Both round trips, with main placed as `pinned` says, printed.
fn measured(pinned: &Pinned) -> Result<HandOffRow> {
    let row = HandOffRow {
        placement: pinned.placement(),
        channel: channel_round_trip_on(pinned)?,
        condvar: condvar_round_trip_on(pinned)?,
    };
    say_figure("channel pair", row.placement, &row.channel);
    say_figure("Mutex + Condvar", row.placement, &row.condvar);
    Ok(row)
}

fn say_figure(what: &str, placement: Placement, stats: &Stats) {
    let (median, min, max) = (stats.median, stats.min, stats.max);
    let [median, min, max] = [median, min, max].map(format_duration);
    say!("  {what:<17}{placement:<13}{median:>8}  ({min}–{max})");
}

/// What the two levels mean, said after both rows.
pub fn explain_placement() {
    say!("on one CPU, notify marks the echo thread runnable (a futex(2) wake)");
    say!("and the CPU switches to it when main waits; on two CPUs the wake must");
    say!("reach the other CPU, often idle: an interrupt (IPI), then a wake-up.");
}
