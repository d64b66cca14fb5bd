//! Exercises 1, 5 and 9: threads that lose updates, a type that may not cross
//! to another thread, and a split that does not pay.

use super::{
    Judged, calls, code_only, ended_well, finished, finished_plain, grouped, numbers_in, ran,
};
use crate::Built;
use crate::Verdict;

/// The words there are: 4 threads × 20_000 lines × 9 words.
const WORDS: u64 = 720_000;
/// The main thread and the four counting threads.
const THREADS_AT_ONCE: u32 = 5;

/// Exercise 1: three runs, each must print the exact total, 720_000, counted
/// by four threads at once (seen in `/proc`: not one after the other).
pub fn lost_update(built: &Built) -> Judged {
    let mut most_threads = 0;
    let mut last = None;
    for run in 1..=3 {
        let outcome = finished(built, &mut |seen| {
            most_threads = most_threads.max(seen.tree.first().map_or(0, |p| p.threads));
            None
        })?;
        let line = outcome.stdout.lines().find(|l| l.starts_with("total = "));
        let Some(&counted) = line.map(numbers_in).unwrap_or_default().first() else {
            let said = "it did not print its `total = … words (should be …)` line";
            return Err(Verdict::fail(said, &outcome));
        };
        let (total, there_are) = (grouped(counted), grouped(WORDS));
        if counted < WORDS {
            let said = format!(
                "lost updates: run {run} of 3 counted {total} words, but there are {there_are} (4 \
                 threads × 20_000 lines × 9 words): {} words went missing",
                grouped(WORDS - counted)
            );
            return Err(Verdict::fail(said, &outcome));
        }
        if counted > WORDS {
            let said = format!("run {run} of 3 counted {total} words, more than the {there_are}");
            return Err(Verdict::fail(said, &outcome));
        }
        last = Some((outcome, total));
    }
    let (outcome, total) = last.expect("three runs");
    if most_threads < THREADS_AT_ONCE {
        let said = format!(
            "the total is exact, but the checker never saw more than {most_threads} threads at \
             once in it: the 4 counting threads must count at the same time (and main wait for \
             them), not one after the other"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let said = format!(
        "three runs, each exact: total = {total} words, every time, counted by 4 threads at once"
    );
    Ok(Verdict::pass(said, &outcome))
}

/// Exercise 5: it compiles with no `unsafe` at all, and the four summaries arrive.
pub fn rc_between_threads(built: &Built) -> Judged {
    let source = std::fs::read_to_string(&built.source).unwrap_or_default();
    // Judged before how it ended: with `unsafe`, a data race may end it in a panic.
    let outcome = ran(built, &mut |_: &crate::run::Snapshot| None)?;
    let code = code_only(&source);
    let is_unsafe = |word: &str| word == "unsafe";
    let mut words = code.split(|c: char| !(c.is_alphanumeric() || c == '_'));
    if words.any(is_unsafe) {
        let said = "it compiles, with `unsafe` in it: a promise to the compiler (that a type is \
                    safe to share, or that a pointer is valid) which a plain, non-atomic count \
                    cannot keep. Make it compile without `unsafe`";
        return Err(Verdict::fail(said, &outcome));
    }
    ended_well(&outcome)?;
    for part in 1..=4_u64 {
        let wanted = format!("part {part}: {} errors", 10_000 / (7 * part));
        if !outcome.stdout.lines().any(|line| line == wanted) {
            let said = format!("it compiles and runs, but `{wanted}` is missing from its output");
            return Err(Verdict::fail(said, &outcome));
        }
    }
    if !calls(&code, "spawn") {
        let said = "it compiles and prints the four summaries, but its code (comments left out) \
                    calls no `spawn` (`thread::spawn`, or `s.spawn` in a `thread::scope`): no \
                    thread was started, so nothing was shared between threads";
        return Err(Verdict::fail(said, &outcome));
    }
    let said = "it compiles with no `unsafe`, its code calls `spawn` to start threads, and the \
                four parts' summaries arrived in the one shared list";
    Ok(Verdict::pass(said, &outcome))
}

/// The size of exercise 9's middle jobs: far below any break-even (a thread
/// start costs tens of µs; 2_000 squares, a few µs).
const MIDDLE: u64 = 2_000;
/// The size of exercise 9's large jobs: past the largest size listing 06c
/// tries (4_096_000), so that any break-even 06c reports passes.
const LARGE: u64 = 8_192_000;

/// Exercise 9: small jobs run on one thread; large ones are split (given two CPUs).
pub fn break_even(built: &Built) -> Judged {
    let outcome = finished_plain(built)?;
    let small = jobs_line(&outcome.stdout, 100);
    let middle = jobs_line(&outcome.stdout, MIDDLE);
    let large = jobs_line(&outcome.stdout, LARGE);
    let (Some(small), Some(middle), Some(large)) = (small, middle, large) else {
        let said = "it did not print its three `… jobs of … numbers: … split, …` lines";
        return Err(Verdict::fail(said, &outcome));
    };
    if let Some(said) = small_ones_split(&small, &middle) {
        return Err(Verdict::fail(said, &outcome));
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus >= 2 && large.splits < large.jobs {
        let said = format!(
            "no small job was split (they took {}), but only {} of the {} large jobs ({} \
             numbers each) were: with {cpus} CPUs, a job that large is far past the break-even",
            small.took,
            large.splits,
            large.jobs,
            grouped(LARGE)
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
        "no job of 100 or {} numbers was split (they took {} and {}); {large_said}",
        grouped(MIDDLE),
        small.took,
        middle.took
    );
    Ok(Verdict::pass(said, &outcome))
}

/// What to say when a job of 100 or MIDDLE numbers was split.
fn small_ones_split(small: &JobsLine, middle: &JobsLine) -> Option<String> {
    if small.splits > 0 {
        let said = format!(
            "{} of {} small jobs (100 numbers each) were split: each started a thread to share \
             100 additions, and the small jobs took {}",
            grouped(small.splits),
            grouped(small.jobs),
            small.took
        );
        return Some(said);
    }
    if middle.splits > 0 {
        let said = format!(
            "no small job was split, but {} of the {} jobs of {} numbers were: a job that \
             small takes a few µs, less than starting a thread, on any machine (they took {})",
            grouped(middle.splits),
            grouped(middle.jobs),
            grouped(MIDDLE),
            middle.took
        );
        return Some(said);
    }
    None
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
