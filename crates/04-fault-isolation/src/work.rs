//! The work every scenario does: units of arithmetic whose answers the
//! parent can check, so "arrived intact" is a fact, not a hope. Also the
//! record a worker process sends through its pipe, and the reaping helper.

use support::error::{Context, Error, Result};
use support::{ChildGuard, Ending};

use crate::WORKERS;
use crate::report::Outcome;

// ANCHOR: work
/// splitmix64 (Sebastiano Vigna): a whole random-number generator in four
/// lines. It makes the work, and the supervisor's reproducible crash plan.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One unit of work: 400_000 steps of arithmetic. How long it takes
/// depends on the machine; a debug build takes about ten times longer.
pub fn work_unit(worker: u32, unit: u32) -> u64 {
    let mut state = (u64::from(worker) << 32) | u64::from(unit);
    (0..400_000).fold(0u64, |sum, _| sum.wrapping_add(splitmix64(&mut state)))
}

/// A worker's result so far, with one more unit folded in (order matters).
pub fn fold(result: u64, unit_value: u64) -> u64 {
    result.rotate_left(5) ^ unit_value
}

/// What worker `worker` delivers when nothing goes wrong.
pub fn fault_free_result(worker: u32, units: u32) -> u64 {
    (0..units).fold(0, |result, unit| fold(result, work_unit(worker, unit)))
}
// ANCHOR_END: work

/// The units the faulty worker finishes before it fails.
pub(crate) fn units_before_fault(units: u32) -> u32 {
    units / 2
}

/// "1 unit", "3 units": a count and its noun, in the right number.
pub(crate) fn plural(count: u32, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// "worker-1, worker-3, worker-4": every worker but `worker`.
pub(crate) fn others_than(worker: u32) -> String {
    let others = (1..=WORKERS).filter(|&w| w != worker);
    let names: Vec<String> = others.map(|w| format!("worker-{w}")).collect();
    names.join(", ")
}

/// What a worker process sends through its pipe, little-endian: bytes 0..4
/// its number, 4..8 its units, 8..16 its value, 16..24 zero, 24..32 a check.
const RECORD_BYTES: usize = 32;

fn record_check(worker: u32, units: u32, value: u64) -> u64 {
    let mut state = value ^ (u64::from(worker) << 32 | u64::from(units));
    splitmix64(&mut state)
}

pub(crate) fn encode_record(worker: u32, units: u32, value: u64) -> [u8; RECORD_BYTES] {
    let mut record = [0u8; RECORD_BYTES];
    record[0..4].copy_from_slice(&worker.to_le_bytes());
    record[4..8].copy_from_slice(&units.to_le_bytes());
    record[8..16].copy_from_slice(&value.to_le_bytes());
    record[24..32].copy_from_slice(&record_check(worker, units, value).to_le_bytes());
    record
}

/// The value in `bytes` if it is one whole record from `worker` for `units`
/// units with a matching check; otherwise why not.
pub(crate) fn decode_record(
    bytes: &[u8],
    worker: u32,
    units: u32,
) -> std::result::Result<u64, String> {
    let record: &[u8; RECORD_BYTES] = bytes
        .try_into()
        .map_err(|_| format!("{} of {RECORD_BYTES} bytes", bytes.len()))?;
    let field = |range: std::ops::Range<usize>| -> u64 {
        let mut word = [0u8; 8];
        word[..range.len()].copy_from_slice(&record[range]);
        u64::from_le_bytes(word)
    };
    let value = field(8..16);
    if field(0..4) != u64::from(worker) || field(4..8) != u64::from(units) {
        return Err("the record is for another worker or size".to_string());
    }
    if field(24..32) != record_check(worker, units, value) {
        return Err("the check does not match".to_string());
    }
    Ok(value)
}

/// `waitpid(2)` for `guard`'s child, by its pid, through the guard: blocks
/// until the child ends, then frees its process-table slot (no zombie).
pub(crate) fn reap(guard: ChildGuard) -> Result<Ending> {
    let pid = guard.pid();
    let status = guard
        .waitpid()
        .context(format!("waitpid(2) for pid {pid}"))?;
    Ending::from_wait_status(status)
        .ok_or_else(|| Error::msg(format!("waitpid(2) for pid {pid} returned {status:?}")))
}

/// How a process ended, in a few words: "exit 0", "killed by SIGSEGV".
pub(crate) fn short(ending: Ending) -> String {
    match ending {
        Ending::Exited(code) => format!("exit {code}"),
        Ending::Killed {
            core_dumped: false, ..
        } => format!("killed by {}", signal_name(ending)),
        Ending::Killed { .. } => format!("killed by {}, core dumped", signal_name(ending)),
    }
}

fn signal_name(ending: Ending) -> &'static str {
    ending.signal().map_or("a signal", |s| s.as_str())
}

impl Outcome {
    /// A fault among [`WORKERS`] workers of `units` units each, of whom
    /// `delivered` delivered; the process holding the fault ended `ending`.
    pub(crate) fn new(
        fault: &'static str,
        units: u32,
        delivered: u32,
        done_then_lost: u32,
        ending: Option<Ending>,
    ) -> Outcome {
        let delivered = delivered.min(WORKERS);
        Outcome {
            fault,
            workers: WORKERS,
            units_per_worker: units,
            results_delivered: delivered,
            units_delivered: delivered * units,
            units_lost: (WORKERS - delivered) * units,
            units_done_then_lost: done_then_lost,
            ending,
            parent_survived: true, // every fault is in a thread of it or in a child
        }
    }
}
