//! Part 5: the verdict, tied to the two rows of the Key Differences table
//! this lesson covers. Every sentence is built from this run's report: a
//! check that failed says NO (or "changed!") and what that would mean.

use support::placement::Placement;
use support::say;
use support::timing::{format_bytes, format_duration};

use crate::report::{ForkContrast, HandOffRow, Report, grouped};

/// Prints the verdict for `report`.
pub fn verdict(report: &Report) {
    for line in verdict_lines(report) {
        say!("{line}");
    }
}

/// The verdict's lines, from `report` alone (a test can hand it a failing one).
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let mut lines = memory(report);
    lines.extend(fork(&report.fork));
    lines.extend(communication(report));
    lines.push(race(report));
    lines.push("Next: lesson 03, processes that share memory and talk on purpose.".into());
    lines
}

fn memory(report: &Report) -> Vec<String> {
    let space = &report.address_space;
    let workers = match space.workers.len() {
        1 => "1 worker".to_string(),
        n => format!("{n} workers"),
    };
    let mut lines = match space.shared_addresses_agree() {
        true => vec![format!(
            "Memory: {workers} and main saw one heap value and one static;"
        )],
        false => vec![
            format!("Memory: NO, {workers} saw the heap value or the static"),
            "  elsewhere than main, as if they had separate memories;".into(),
        ],
    };
    lines.push(match (space.workers.len(), space.stacks_are_distinct()) {
        (1, _) => "  one worker: no second stack or thread id to compare with.".into(),
        (_, true) => "  each worker had a stack and a thread id of its own.".into(),
        (_, false) => "  NO, two workers had one stack address or one thread id.".into(),
    });
    lines
}

fn fork(fork: &ForkContrast) -> Vec<String> {
    let at = match fork.child_address == fork.parent_address {
        true => "A forked child saw the counter at our address,".to_string(),
        false => format!(
            "NO, a forked child saw the counter at {:#x},",
            fork.child_address
        ),
    };
    let [added, before, after] = [
        fork.child_added,
        fork.parent_view_after_thread,
        fork.parent_view_after_child,
    ]
    .map(grouped);
    let kept = match before == after {
        true => format!("  yet its {added} additions stayed in its own copy."),
        false => format!("  and ours changed! ({before} -> {after}): shared, not copied?"),
    };
    vec![format!("  {at}"), kept]
}

fn communication(report: &Report) -> Vec<String> {
    let (read, hand_off) = (&report.direct_read, &report.hand_off);
    let size = format_bytes(read.bytes as u64);
    let mut lines = vec![match read.in_place() {
        true => format!("Communication: a thread read {size} in place, nothing copied."),
        false => format!("Communication: NO, a thread did not read {size} in place."),
    }];
    let rows = [Some(hand_off.one_cpu), hand_off.two_cpus];
    lines.extend(rows.iter().flatten().map(round_trip));
    if hand_off.two_cpus.is_none() {
        lines.push(match hand_off.one_cpu.placement {
            Placement::Unpinned => "  round trips measured unpinned: pinning was refused".into(),
            _ => "  round trip on two CPUs: not measured (one CPU allowed)".into(),
        });
    }
    lines
}

fn round_trip(row: &HandOffRow) -> String {
    let [channel, condvar] = [row.channel.median, row.condvar.median].map(format_duration);
    let placement = format!("{}:", row.placement);
    format!("  round trip {placement:<12} {channel} (channels), {condvar} (condvar)")
}

fn race(report: &Report) -> String {
    let racy = &report.counters.racy_load_store;
    let [lost, expected] = [racy.lost, racy.expected].map(grouped);
    match (racy.threads, racy.lost) {
        (1, 0) => "  Unsynchronised, none lost: one thread cannot race with itself.".into(),
        (_, 0) => "  Unsynchronised, no update was lost this run: no overlap this time.".into(),
        _ => format!("  Unsynchronised, {lost} of {expected} updates were lost."),
    }
}
