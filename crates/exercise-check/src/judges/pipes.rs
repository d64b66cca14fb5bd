//! Exercises 3 and 7: a reader that never sees end of file, and a chain of
//! processes joined by pipes.

use std::time::Duration;

use super::{Judged, count, finished_all_waited, grouped, numbers_in};
use crate::procs::{self, Proc};
use crate::run::{Outcome, Snapshot};
use crate::{Built, Verdict};

/// How long the parent may wait in a pipe read after its child has ended.
const HANG_AFTER: Duration = Duration::from_millis(1000);

/// Exercise 3: the parent reads to end of file and prints the sum of every
/// number the child sent (the child chooses how many, and says so), and reaps
/// the child.
pub fn no_eof(built: &Built) -> Judged {
    let mut waiting_since = None;
    let watch = &mut |seen: &Snapshot| endless_read(seen, &mut waiting_since);
    let outcome = finished_all_waited(built, watch)?;
    let said = |start: &str| outcome.stdout.lines().find(|l| l.starts_with(start));
    let sent = said("child : sent ").and_then(|line| numbers_in(line).first().copied());
    let sum = said("parent: sum = ").and_then(|line| numbers_in(line).first().copied());
    let (Some(sent), Some(sum)) = (sent, sum) else {
        let said = "it ended without its two lines, `child : sent N numbers` and `parent: sum = …`";
        return Err(Verdict::fail(said, &outcome));
    };
    let should = sent * (sent + 1) / 2;
    if sum != should {
        let said = format!(
            "the parent's sum is {}, but the child sent 1 to {sent}, which add up to {}: the \
             parent stopped reading before end of file",
            grouped(sum),
            grouped(should)
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let ended = said("parent: child ").map(numbers_in).unwrap_or_default();
    if !matches!(ended[..], [pid, same, 0] if pid == same) {
        let said = "it ended without the line `parent: child PID ended: Exited(Pid(PID), 0)`, \
                    which says how the child ended";
        return Err(Verdict::fail(said, &outcome));
    }
    let said = format!(
        "the parent read all {sent} numbers the child sent, up to end of file (sum = {}); it \
         printed that its child exited with 0, and the child was reaped before the parent ended \
         (it was not handed to the checker)",
        grouped(sum)
    );
    Ok(Verdict::pass(said, &outcome))
}

/// Stops the run when the program has waited in a pipe read for HANG_AFTER
/// after every child of its had ended.
fn endless_read(seen: &Snapshot, waiting_since: &mut Option<Duration>) -> Option<String> {
    let parent = seen.tree.first()?;
    let children: Vec<&Proc> = seen.tree.iter().filter(|p| p.parent == seen.root).collect();
    if !(parent.wchan.contains("pipe") && children.iter().all(|p| p.is_zombie())) {
        *waiting_since = None;
        return None;
    }
    let since = *waiting_since.get_or_insert(seen.elapsed);
    (seen.elapsed - since >= HANG_AFTER).then(|| {
        let child: Vec<String> = children.iter().map(|p| p.pid.to_string()).collect();
        let child = match child.len() {
            0 => "its child has ended and been reaped".to_string(),
            _ => format!("its child (pid {}) has ended", child.join(", ")),
        };
        format!(
            "a hang: {child}, yet the parent has waited in {} for {} ms since, reading a pipe \
             that gives it no end of file.{}",
            parent.wchan,
            HANG_AFTER.as_millis(),
            both_ends_held(parent)
        )
    })
}

/// Stops the run when every process of the pipeline has been asleep for
/// HANG_AFTER, each in a pipe read or write or waiting for a child, and at
/// least one on a pipe: nothing is left to run that could end the wait.
fn stuck_pipeline(seen: &Snapshot, stuck_since: &mut Option<Duration>) -> Option<String> {
    let alive: Vec<&Proc> = seen.tree.iter().filter(|p| !p.is_zombie()).collect();
    let on_pipe = |p: &&Proc| p.wchan.contains("pipe");
    let asleep = |p: &&Proc| p.state == 'S' && (on_pipe(p) || p.wchan.contains("do_wait"));
    if !(alive.iter().all(asleep) && alive.iter().any(on_pipe)) {
        *stuck_since = None;
        return None;
    }
    let since = *stuck_since.get_or_insert(seen.elapsed);
    let reading: Vec<Proc> = alive
        .iter()
        .filter(|p| on_pipe(p))
        .map(|&p| p.clone())
        .collect();
    (seen.elapsed - since >= HANG_AFTER).then(|| {
        format!(
            "a hang: for {} ms every process of the pipeline has slept, {} of them on a pipe that \
             gives no end of file ({}), the others waiting for a child. A write end still open \
             in some process keeps each read waiting",
            HANG_AFTER.as_millis(),
            reading.len(),
            super::listed(&reading)
        )
    })
}

/// ` The parent itself still holds that pipe's write end (fd 4) …`, when it
/// holds both ends of one pipe.
fn both_ends_held(parent: &Proc) -> String {
    let ends = procs::pipe_ends(parent.pid);
    for &(read_fd, inode, writes) in &ends {
        let write_end = ends
            .iter()
            .find(|&&(_, other, w)| other == inode && w && !writes);
        if let Some(&(write_fd, ..)) = write_end {
            return format!(
                " The parent itself still holds that pipe's write end (fd {write_fd}) beside \
                 its read end (fd {read_fd}), so end of file cannot come while it waits."
            );
        }
    }
    String::new()
}

/// Exercise 7: the 25 primes up to 100, each from a process of its own.
pub fn primes(built: &Built) -> Judged {
    let mut stuck_since = None;
    let watch = &mut |seen: &Snapshot| stuck_pipeline(seen, &mut stuck_since);
    let outcome = finished_all_waited(built, watch)?;
    let printed = primes_printed(&outcome.stdout);
    let pids: std::collections::BTreeSet<&str> = printed.iter().map(|(_, p)| p.as_str()).collect();
    let processes = count(pids.len(), "process", "processes");
    let not_prime = printed
        .iter()
        .find_map(|&(n, _)| Some((n, smallest_factor(n)?)));
    if let Some((number, factor)) = not_prime {
        let said = format!(
            "`prime {number}` came out, but {number} is not a prime ({factor} × {}). It printed \
             {} `prime` lines, from {processes}",
            number / factor,
            printed.len()
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let wanted: Vec<u64> = (2..=100)
        .filter(|&n| smallest_factor(n).is_none())
        .collect();
    let mut got: Vec<u64> = printed.iter().map(|&(number, _)| number).collect();
    got.sort();
    if got != wanted {
        let missing = wanted
            .iter()
            .filter(|n| !got.contains(n))
            .map(u64::to_string);
        let said = format!(
            "it printed {} primes, not the 25 up to 100 once each (missing: {})",
            got.len(),
            missing.collect::<Vec<_>>().join(", ")
        );
        return Err(Verdict::fail(said, &outcome));
    }
    if pids.len() != wanted.len() {
        let said =
            format!("the 25 primes came from {processes}: each stage must be one of its own");
        return Err(Verdict::fail(said, &outcome));
    }
    let reads = read_enough(&outcome)?;
    let said = format!(
        "the 25 primes up to 100, each from a stage process of its own (25 pids); every process \
         was reaped before its parent ended (none was handed to the checker), and the kernel \
         counted {reads} read(2) calls in them, at least 2 per stage"
    );
    Ok(Verdict::pass(said, &outcome))
}

/// The read(2) calls of the program and the processes it reaped, if at
/// least 2 per stage: its numbers, then end of file.
fn read_enough(outcome: &Outcome) -> Result<u64, Verdict> {
    let reads = outcome.read_calls.unwrap_or(0);
    if reads < 2 * 25 {
        let said = format!(
            "the 25 primes came from 25 processes, but the kernel counted only {reads} read(2) \
             calls in the program and the processes it reaped: a stage must read the numbers \
             the stage before it wrote into a pipe, at least once for them and once for end \
             of file (50 reads for 25 stages); a copy made by fork is not a pipe"
        );
        return Err(Verdict::fail(said, outcome));
    }
    Ok(reads)
}

/// The `prime N (pid P)` lines, as (N, P).
fn primes_printed(stdout: &str) -> Vec<(u64, String)> {
    let parse = |line: &str| {
        let (number, pid) = line.strip_prefix("prime ")?.split_once(" (pid ")?;
        Some((number.parse().ok()?, pid.trim_end_matches(')').to_string()))
    };
    stdout.lines().filter_map(parse).collect()
}

/// The smallest factor of `number` other than 1 and itself, if it has one.
fn smallest_factor(number: u64) -> Option<u64> {
    (2..number)
        .take_while(|f| f * f <= number)
        .find(|f| number % f == 0)
}
