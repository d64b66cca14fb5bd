//! Part 6: what this run showed, each sentence following its figures, and
//! the lines printed beside the parts' figures.

use support::error::{Error, Result};
use support::placement::Placement;
use support::timing::{format_bytes, format_duration, format_rate};
use support::{Stats, say};

use super::report::{Report, RingTransfer, Waits};
use super::wait::{SPIN_FOR, YIELD_FOR};
use crate::text::{grouped, percent};

/// How part 2's two sides wait for each other.
pub fn explain_ring() {
    say!(
        "8 slots of 64 KiB in a memfd; each side spins up to {}, then",
        format_duration(SPIN_FOR)
    );
    say!(
        "yields for up to {}, then sleeps between looks",
        format_duration(YIELD_FOR)
    );
}

/// Part 2's figures: the ring, the reference, and how each side waited.
pub fn print_ring(ring: &RingTransfer, reference: std::time::Duration) {
    let (bytes, check) = (
        ring.bytes_received,
        if ring.checksum_ok { "ok" } else { "DIFFERS" },
    );
    say!(
        "ring, {:<11}: {} in {:>9} = {:>10}, checksum {check}",
        ring.placement.to_string(),
        format_bytes(bytes),
        format_duration(ring.elapsed),
        format_rate(bytes, ring.elapsed)
    );
    say!(
        "same work, 1 process: {} in {:>9} = {:>10}",
        format_bytes(ring.bytes_sent),
        format_duration(reference),
        format_rate(ring.bytes_sent, reference)
    );
    say!("producer: {}", waits(&ring.producer_waits));
    say!("consumer: {}", waits(&ring.consumer_waits));
}

fn waits(waits: &Waits) -> String {
    let (past, yields) = (grouped(waits.spun_out), grouped(waits.yields));
    format!(
        "{past} waits outlasted the spin; {yields} yields, {} sleeps",
        grouped(waits.sleeps)
    )
}

/// Part 3's figures.
pub fn print_round_trips(spin: &Stats, futex: &Stats, placement: Placement, spin_waits: &Waits) {
    say!("{placement}:");
    say!("  spin : {spin}");
    say!("  futex: {futex}");
    say!(
        "  the spinning pair made {} system calls waiting",
        grouped(spin_waits.system_calls())
    );
    if placement != Placement::TwoCpus {
        say!("  one CPU: the spinner spins in vain until it yields to its peer");
    }
}

/// The verdict, one sentence per figure, each following this run's numbers.
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let (m, ring) = (&report.mappings, &report.ring);
    let private = seen(!m.private_hides_child_write());
    let shared = seen(m.shared_shows_child_write());
    let mut lines = vec![format!("pages: the child's write: MAP_PRIVATE {private},")];
    lines.push(format!("       MAP_SHARED {shared}"));
    let share = report.ring_share_of_reference();
    lines.push(format!(
        "ring: {} the rate of the same work in one process, {}",
        percent(share),
        ring.placement
    ));
    lines.extend(why_above_100(share, ring.placement));
    let calls = ring.producer_waits.system_calls() + ring.consumer_waits.system_calls();
    lines.push(match calls {
        0 => "ring: no system call while waiting: the sides only spun".into(),
        n => format!(
            "ring: {} system calls while waiting (yields, sleeps)",
            grouped(n)
        ),
    });
    let (spin, futex) = (report.shm_round_trip.median, report.futex_round_trip.median);
    let sooner = if spin < futex { "spin" } else { "futex" };
    lines.push(format!(
        "round trip: spin {}, futex {}: the {sooner} answered sooner",
        format_duration(spin),
        format_duration(futex)
    ));
    let gone = if report.named.name_gone {
        "is gone"
    } else {
        "IS STILL THERE"
    };
    lines.push(format!(
        "name: {} moved between strangers; the name {gone}",
        format_bytes(report.named.bytes)
    ));
    lines.extend(COMMUNICATION_ROW.iter().map(|line| line.to_string()));
    lines
}

/// Why the ring beat one process doing its work, when it did.
fn why_above_100(share: f64, placement: Placement) -> Option<String> {
    match (share > 1.0, placement) {
        (false, _) => None,
        (true, Placement::TwoCpus) => {
            Some("  (two CPUs split it: one copied in, the other copied out and summed)".into())
        }
        (true, _) => {
            Some("  (over 100% on one CPU: these figures are not steady; run again)".into())
        }
    }
}

fn seen(shown: bool) -> &'static str {
    if shown {
        "showed it to the parent"
    } else {
        "hid it from the parent"
    }
}

/// The table's row, as this demo showed it.
const COMMUNICATION_ROW: [&str; 3] = [
    "Communication row: processes share only the pages they map MAP_SHARED",
    "on purpose, and must build their own synchronisation in them (atomics,",
    "a bounded spin, a shared futex) and clean up the name.",
];

/// The run's claims that must hold: every transfer whole.
pub fn check(report: &Report) -> Result<()> {
    match report.ring.checksum_ok && report.reference_ok {
        true => Ok(()),
        false => Err(Error::msg("the ring's bytes arrived corrupted")),
    }
}
