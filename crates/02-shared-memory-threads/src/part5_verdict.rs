//! Part 5: the verdict, tied to the two rows of the Key Differences table
//! this lesson covers, stating only what this run's figures show.

use support::say;
use support::timing::format_duration;

use crate::report::{HandOffRow, Report, grouped};

/// Prints the verdict for `report`.
pub fn verdict(report: &Report) {
    let workers = report.address_space.workers.len();
    say!("Memory: {workers} workers saw one heap value and one static, each with");
    say!("  a stack of its own. A forked child saw the counter at our address,");
    say!(
        "  yet its {} additions stayed in its own copy.",
        grouped(report.fork.child_added)
    );
    say!("Communication: a thread read 1 MiB in place, nothing copied.");
    for row in [Some(report.hand_off.one_cpu), report.hand_off.two_cpus]
        .iter()
        .flatten()
    {
        say_round_trip(row);
    }
    if report.hand_off.two_cpus.is_none() {
        say!("  round trip on two CPUs: not measured (one CPU allowed)");
    }
    let racy = &report.counters.racy_load_store;
    let [lost, expected] = [racy.lost, racy.expected].map(grouped);
    match racy.lost {
        0 => say!("  Unsynchronised, no update was lost this run: no overlap."),
        _ => say!("  Unsynchronised, {lost} of {expected} updates were lost."),
    }
    say!("Next: lesson 03, processes that share memory and talk on purpose.");
}

fn say_round_trip(row: &HandOffRow) {
    let [channel, condvar] = [row.channel.median, row.condvar.median].map(format_duration);
    let placement = format!("{}:", row.placement);
    say!("  round trip {placement:<12} {channel} (channels), {condvar} (condvar)");
}
