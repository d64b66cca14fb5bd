//! Part 6: what this run showed, each sentence following its figures, and
//! the lines printed beside the parts' figures.

use support::error::{Error, Result};
use support::placement::Placement;
use support::timing::{format_bytes, format_duration};
use support::{Stats, say};

use super::report::{Report, RingRuns, Waits};
use super::wait::{SPIN_FOR, YIELD_FOR};
use crate::noise::{Machine, Spread};
use crate::text::{ONE_CPU, grouped, percent, why_not_two_cpus};

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

/// Prints part 3's figures; returns the choice they show (1: spinning was
/// quicker, 2: the futex), or `None` off two CPUs, where the setting decided.
pub fn print_round_trips(
    (spin, futex): (&Stats, &Stats),
    placement: Placement,
    spin_waits: &Waits,
) -> Option<usize> {
    say!("{placement}:");
    say!("  spin : {spin}");
    say!("  futex: {futex}");
    let calls = grouped(spin_waits.system_calls());
    say!("  the spinning pair made {calls} system calls waiting");
    if placement != Placement::TwoCpus {
        match why_not_two_cpus() {
            ONE_CPU => say!("  {ONE_CPU}: the spinner spins in vain until it yields,"),
            why => say!("  {why},"),
        }
        say!("  so this run cannot show which wins when each side has a CPU");
        return None;
    }
    Some(if spin.median < futex.median { 1 } else { 2 })
}

/// The verdict, one sentence per figure, each following this run's numbers.
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let (m, ring) = (&report.mappings, &report.ring);
    let private = seen(!m.private_hides_child_write());
    let shared = seen(m.shared_shows_child_write());
    let mut lines = vec![format!("pages: the child's write: MAP_PRIVATE {private},")];
    lines.push(format!("       MAP_SHARED {shared}"));
    let ((rates, reference), runs) = (ring.rates(), &ring.rings);
    lines.push(format!(
        "ring: {} the rate of the same work in one process (medians)",
        percent(rates.median / reference.median)
    ));
    lines.extend(ring_against_reference(
        &rates,
        &reference,
        runs[0].placement,
        &ring.machine,
    ));
    let calls: u64 = (runs.iter())
        .map(|r| r.producer_waits.system_calls() + r.consumer_waits.system_calls())
        .sum();
    lines.push(match calls {
        0 => "ring: no system call while waiting: the sides only spun".into(),
        n => format!(
            "ring: {} system calls while waiting (yields, sleeps), {} runs",
            grouped(n),
            runs.len()
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

// ANCHOR: noise
/// What the two ranges say: an explanation only for a difference larger
/// than this run's noise, and a mark on figures taken on a busy machine.
fn ring_against_reference(
    ring: &Spread,
    reference: &Spread,
    placement: Placement,
    machine: &Machine,
) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(match (ring.overlaps(reference), ring.min > reference.max) {
        (true, _) => "  within this run's noise: the two ranges overlap".to_string(),
        (false, false) => "  slower in every run than one process doing the same work".into(),
        // Two CPUs splitting the work can make it at most twice as fast.
        (false, true)
            if placement == Placement::TwoCpus && ring.median <= 2.0 * reference.median =>
        {
            "  faster in every run: two CPUs split it, one copying in, one out".into()
        }
        (false, true) if placement == Placement::TwoCpus => {
            "  faster in every run, beyond the 2× two CPUs could explain".into()
        }
        (false, true) => {
            format!("  faster in every run, {placement}: these figures do not say why")
        }
    });
    lines.extend(crate::noise::disturbed_line(machine, &[ring, reference]));
    lines
}
// ANCHOR_END: noise

fn seen(shown: bool) -> &'static str {
    if shown {
        "showed it to the parent"
    } else {
        "hid it from the parent"
    }
}

/// The table's row, as this demo showed it.
const COMMUNICATION_ROW: [&str; 3] = [
    "Communication row: processes share only the pages they map",
    "MAP_SHARED on purpose, and build their own synchronisation in them",
    "(atomics, a bounded spin, a shared futex), and clean up the name.",
];

/// The claim part 2 must hold: every ring transfer (and its reference) whole.
pub fn check(ring: &RingRuns) -> Result<()> {
    match ring.all_ok() {
        true => Ok(()),
        false => Err(Error::msg("the ring's bytes arrived corrupted")),
    }
}
