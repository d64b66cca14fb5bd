//! What the shared-memory demo saw: for the tests, lesson 07 and the tour.
use std::time::Duration;

use support::Stats;
use support::placement::Placement;

use crate::noise::Machine;

pub use super::wait::Waits;

/// Everything the lesson saw.
#[derive(Debug, Clone)]
pub struct Report {
    /// Part 1: what each side read from each page after the child wrote.
    pub mappings: Mappings,
    /// Part 2: the ring between two processes, and the reference, in turn.
    pub ring: RingRuns,
    /// Part 3: one round trip through a shared word, both sides spinning.
    pub shm_round_trip: Stats,
    /// Part 3: the same, both sides sleeping in futex(2) on the word.
    pub futex_round_trip: Stats,
    /// Part 3: where the two processes ran, and the echo's waits.
    pub round_trip_placement: Placement,
    pub spin_echo_waits: Waits,
    /// Part 4: two strangers at a name.
    pub named: Named,
}

/// What the ring moved, as both ends saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RingTransfer {
    /// Bytes the producer put into the ring.
    pub bytes_sent: u64,
    /// Bytes the consumer took out.
    pub bytes_received: u64,
    /// The consumer's checksum equals the producer's.
    pub checksum_ok: bool,
    /// From the first slot filled until the consumer emptied the last.
    pub elapsed: Duration,
    /// Where the two processes ran.
    pub placement: Placement,
    /// How each side waited.
    pub producer_waits: Waits,
    pub consumer_waits: Waits,
}

impl RingTransfer {
    /// From (sent, received, checksum agreed, elapsed), placement, waits.
    pub fn new(
        transfer: (u64, u64, bool, Duration),
        placement: Placement,
        producer_waits: Waits,
        consumer_waits: Waits,
    ) -> RingTransfer {
        let (bytes_sent, bytes_received, checksum_ok, elapsed) = transfer;
        RingTransfer {
            bytes_sent,
            bytes_received,
            checksum_ok,
            elapsed,
            placement,
            producer_waits,
            consumer_waits,
        }
    }

    pub fn bytes_per_second(&self) -> f64 {
        self.bytes_received as f64 / self.elapsed.as_secs_f64().max(1e-12)
    }
}

/// Part 1: what each side read from each page after the child wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mappings {
    pub private_child_saw: String,
    pub private_parent_saw: String,
    pub shared_child_saw: String,
    pub shared_parent_saw: String,
}

/// Part 4: two strangers meeting at a name.
#[derive(Debug, Clone)]
pub struct Named {
    /// `/dev/shm/NAME`, the path the name had.
    pub path: String,
    /// Bytes the reader received, checksum verified.
    pub bytes: u64,
    /// The path no longer existed once both had ended.
    pub name_gone: bool,
}

/// Part 2: the ring and the reference, run in turn.
#[derive(Debug, Clone)]
pub struct RingRuns {
    /// The ring between two processes, run after run.
    pub rings: Vec<RingTransfer>,
    /// The ring's work (same source, same pieces, same checksum) done by
    /// one process, a run after each ring's; and whether every sum matched.
    pub references: Vec<Duration>,
    pub reference_ok: bool,
    /// How busy the machine was when the runs began.
    pub machine: Machine,
}

impl Report {
    /// `report KEY=VALUE` lines, for tests that run the binary.
    pub fn key_values(&self) -> String {
        let (m, rings, r) = (&self.mappings, &self.ring.rings, &self.ring.rings[0]);
        let received = rings.iter().map(|ring| ring.bytes_received).min();
        let pairs: [(&str, String); 13] = [
            ("private_child_saw", m.private_child_saw.clone()),
            ("private_parent_saw", m.private_parent_saw.clone()),
            ("shared_child_saw", m.shared_child_saw.clone()),
            ("shared_parent_saw", m.shared_parent_saw.clone()),
            ("ring_bytes_sent", r.bytes_sent.to_string()),
            ("ring_bytes_received", received.unwrap_or(0).to_string()),
            (
                "ring_checksum_ok",
                rings.iter().all(|r| r.checksum_ok).to_string(),
            ),
            ("ring_runs", rings.len().to_string()),
            ("reference_ok", self.ring.reference_ok.to_string()),
            ("shm_round_trip_secs", secs(&self.shm_round_trip)),
            ("futex_round_trip_secs", secs(&self.futex_round_trip)),
            ("named_bytes", self.named.bytes.to_string()),
            ("named_name_gone", self.named.name_gone.to_string()),
        ];
        pairs
            .iter()
            .map(|(key, value)| format!("report {key}={value}\n"))
            .collect()
    }
}

fn secs(stats: &Stats) -> String {
    stats.median_secs().to_string()
}
