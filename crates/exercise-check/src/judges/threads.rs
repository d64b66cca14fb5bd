//! Exercises 1, 5 and 9: threads that lose updates, a type that may not cross
//! to another thread, and a split that does not pay.

use super::{Judged, finished_plain, grouped, numbers_in};
use crate::Built;
use crate::Verdict;

/// Exercise 1: three runs, each must print the exact total.
pub fn lost_update(built: &Built) -> Judged {
    let mut last = None;
    for run in 1..=3 {
        let outcome = finished_plain(built)?;
        let line = outcome
            .stdout
            .lines()
            .find(|line| line.starts_with("total = "));
        let numbers = line.map(numbers_in).unwrap_or_default();
        let [counted, should, ..] = numbers[..] else {
            let said = "it did not print its `total = … words (should be …)` line";
            return Err(Verdict::fail(said, &outcome));
        };
        let (total, there_are) = (grouped(counted), grouped(should));
        if counted < should {
            let said = format!(
                "lost updates: run {run} of 3 counted {total} words, but there are {there_are}: \
                 {} words went missing, added by one thread and then overwritten by another",
                grouped(should - counted)
            );
            return Err(Verdict::fail(said, &outcome));
        }
        if counted > should {
            let said = format!("run {run} of 3 counted {total} words, more than the {there_are}");
            return Err(Verdict::fail(said, &outcome));
        }
        last = Some((outcome, total));
    }
    let (outcome, total) = last.expect("three runs");
    let said = format!("three runs, each exact: total = {total} words, every time");
    Ok(Verdict::pass(said, &outcome))
}

/// Exercise 5: it compiles (no `unsafe impl`), and the four summaries arrive.
pub fn rc_between_threads(built: &Built) -> Judged {
    let source = std::fs::read_to_string(&built.source).unwrap_or_default();
    let outcome = finished_plain(built)?;
    if source.contains("unsafe impl") {
        let said = "it compiles, with an `unsafe impl`: a promise to the compiler that this type \
                    is safe to share, which a plain (non-atomic) count cannot keep. Make it \
                    compile without one";
        return Err(Verdict::fail(said, &outcome));
    }
    for part in 1..=4_u64 {
        let wanted = format!("part {part}: {} errors", 10_000 / (7 * part));
        if !outcome.stdout.lines().any(|line| line == wanted) {
            let said = format!("it compiles and runs, but `{wanted}` is missing from its output");
            return Err(Verdict::fail(said, &outcome));
        }
    }
    let said = "it compiles, and all four threads' summaries arrived in the one shared list";
    Ok(Verdict::pass(said, &outcome))
}

/// Exercise 9: small jobs run on one thread; large ones are split (given two CPUs).
pub fn break_even(built: &Built) -> Judged {
    let outcome = finished_plain(built)?;
    let small = jobs_line(&outcome.stdout, 100);
    let large = jobs_line(&outcome.stdout, 4_000_000);
    let (Some(small), Some(large)) = (small, large) else {
        let said = "it did not print its two `… jobs of … numbers: … split, …` lines";
        return Err(Verdict::fail(said, &outcome));
    };
    if small.splits > 0 {
        let said = format!(
            "{} of {} small jobs (100 numbers each) were split: each started a thread to share \
             100 additions, and the small jobs took {}",
            grouped(small.splits),
            grouped(small.jobs),
            small.took
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus >= 2 && large.splits < large.jobs {
        let said = format!(
            "no small job was split (they took {}), but only {} of the {} large jobs (4_000_000 \
             numbers each) were: with {cpus} CPUs, a job that large is far past the break-even",
            small.took, large.splits, large.jobs
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let large_said = match cpus {
        1 => format!(
            "{} of {} large ones were (one CPU: either passes)",
            large.splits, large.jobs
        ),
        _ => format!(
            "the {} large ones were, and took {}",
            large.jobs, large.took
        ),
    };
    let said = format!(
        "no small job was split (they took {}); {large_said}",
        small.took
    );
    Ok(Verdict::pass(said, &outcome))
}

/// One `N jobs of SIZE numbers: S split, TIME` line.
struct JobsLine {
    jobs: u64,
    splits: u64,
    took: String,
}

fn jobs_line(stdout: &str, size: u64) -> Option<JobsLine> {
    stdout.lines().find_map(|line| {
        let [jobs, this_size, splits, ..] = numbers_in(line)[..] else {
            return None;
        };
        let took = line.rsplit(", ").next()?.trim().to_string();
        let wanted = this_size == size && line.contains(" split");
        wanted.then_some(JobsLine { jobs, splits, took })
    })
}
