//! Part 2's figures: the ring and its one-process reference, run in turn
//! `RUNS` times each so that both meet the same disturbances, then printed
//! as medians with their ranges, the machine's load, and every wait.

use support::error::Result;
use support::timing::{format_bytes, three_figures};

use super::part2_reference::same_work_in_one_process;
use super::part2_ring::ring_run;
use super::report::{RingRuns, Waits};
use super::ring::chunks;
use super::test_hooks::TestHooks;
use crate::noise::{Machine, RUNS, Spread, disturbed_line};
use crate::text::grouped;

/// Runs the ring, then the same work in one process, `RUNS` times.
pub fn ring_against_reference(total: u64, hooks: &TestHooks) -> Result<RingRuns> {
    let machine = Machine::now(); // before the runs add their own load
    let (mut rings, mut references, mut reference_ok) = (Vec::new(), Vec::new(), true);
    for run in 0..RUNS {
        rings.push(ring_run(total, hooks, run == 0)?); // only the first run talks
        let (elapsed, checksum_ok) = same_work_in_one_process(total);
        references.push(elapsed);
        reference_ok &= checksum_ok;
    }
    Ok(RingRuns {
        rings,
        references,
        reference_ok,
        machine,
    })
}

impl RingRuns {
    /// The ring's rates and the reference's, as medians and ranges.
    pub fn rates(&self) -> (Spread, Spread) {
        let ring: Vec<f64> = self.rings.iter().map(|r| r.bytes_per_second()).collect();
        let bytes = self.rings.first().map_or(0, |ring| ring.bytes_sent) as f64;
        let reference: Vec<f64> = (self.references.iter())
            .map(|elapsed| bytes / elapsed.as_secs_f64().max(1e-12))
            .collect();
        (Spread::of(&ring), Spread::of(&reference))
    }

    /// Every ring run and every reference run got every byte, summed right.
    pub fn all_ok(&self) -> bool {
        self.reference_ok
            && (self.rings.iter()).all(|r| r.checksum_ok && r.bytes_received == r.bytes_sent)
    }
}

/// The lines printed under part 2: figures, load, waits and their cost.
pub fn ring_lines(runs: &RingRuns) -> Vec<String> {
    let (first, (ring, reference)) = (&runs.rings[0], runs.rates());
    let sums = if runs.all_ok() { "ok" } else { "DIFFER" };
    let each = format_bytes(first.bytes_sent);
    let mut lines = vec![
        format!("{RUNS} runs of {each} each, in turn; checksums {sums}"),
        format!("ring, {:<14}: {}", first.placement.to_string(), ring.text()),
        format!("same work, 1 process: {}", reference.text()),
        runs.machine.text(),
    ];
    lines.extend(disturbed_line(&runs.machine, &[&ring, &reference]));
    let (mut producer, mut consumer) = (Waits::default(), Waits::default());
    for ring in &runs.rings {
        producer.add(ring.producer_waits);
        consumer.add(ring.consumer_waits);
    }
    let all_chunks = chunks(first.bytes_sent) * runs.rings.len() as u64;
    lines.extend(waits_table(&producer, &consumer));
    lines.extend(what_the_spin_cost(
        producer.yields + consumer.yields,
        all_chunks,
    ));
    lines
}

/// The waits of all runs, one row per side; the columns fit any u64.
fn waits_table(producer: &Waits, consumer: &Waits) -> [String; 3] {
    let row = |side: &str, waits: &Waits| {
        let (long, yields) = (grouped(waits.spun_out), grouped(waits.yields));
        format!(
            "{side:<9} {long:>13} {yields:>13} {:>13}",
            grouped(waits.sleeps)
        )
    };
    [
        format!(
            "{:<9} {:>13} {:>13} {:>13}",
            "waits", "past the spin", "yields", "sleeps"
        ),
        row("producer", producer),
        row("consumer", consumer),
    ]
}

// ANCHOR: spin_cost
/// What the spinning cost, from the counts: yields per chunk moved.
fn what_the_spin_cost(yields: u64, chunks: u64) -> [String; 3] {
    let per_chunk = yields as f64 / chunks.max(1) as f64;
    let per_chunk = match per_chunk < 1000.0 {
        true => three_figures(per_chunk),
        false => grouped(per_chunk as u64),
    };
    [
        format!("{per_chunk} yields per 64 KiB chunk moved: each is a system call"),
        "spent waiting, not copying; where the sides share a CPU (taskset,".into(),
        "a busy machine) a spinner spins in vain until it yields to its peer".into(),
    ]
}
// ANCHOR_END: spin_cost

#[cfg(test)]
mod tests {
    use super::*;

    /// The widest lines: the largest counts, a 7-digit pid in the tag.
    #[test]
    fn every_line_fits_beside_a_seven_digit_pid() {
        let tag = "[parent pid=1234567 main    ] ";
        let most = u64::from(u32::MAX); // far more than a run of seconds makes
        let huge = Waits {
            spun_out: most,
            yields: most,
            sleeps: most,
        };
        let spread = Spread::of(&[1023.0 * 1024f64.powi(4), 1.0]);
        let machine = Machine {
            load: 1234.56,
            cpus: 4096,
            allowed: 4096,
        };
        let mut lines = waits_table(&huge, &huge).to_vec();
        lines.extend(what_the_spin_cost(2 * most, 1));
        lines.extend(what_the_spin_cost(7, 3));
        lines.push(format!("ring, {:<14}: {}", "on two CPUs", spread.text()));
        lines.push(format!("same work, 1 process: {}", spread.text()));
        lines.push(format!(
            "{RUNS} runs of 1023 MiB each, in turn; checksums DIFFER"
        ));
        lines.push(machine.text());
        lines.extend(disturbed_line(&machine, &[&spread]));
        for line in lines {
            let columns = tag.chars().count() + line.chars().count();
            assert!(columns <= 100, "{columns} columns: {line}");
        }
    }
}
