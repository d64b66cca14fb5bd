//! Part 3: more threads than cores. The same prime count on 1, 2, 4 and 8
//! threads, the counts taken in turns across repeats. Where do more
//! threads stop helping, and can more threads than cores still win?

use support::error::{Error, Result};
use support::say;
use support::timing::format_duration;

use crate::measure::{Measured, counted, measure_once, median};
use crate::part2_computing::cpu_threads;
use crate::report::ThreadCount;
use crate::{Options, THREAD_COUNTS};

/// Runs part 3; returns its rows and the fewest threads within 10% of the
/// best time.
pub fn more_threads(options: &Options, cores: usize) -> Result<(Vec<ThreadCount>, usize)> {
    say!(
        "the same job on more and more threads ({} here):",
        counted(cores, "core")
    );
    let medians = measure_counts(options.size, options.repeats as usize)?;
    let one_thread = medians[0].wall;
    let rows: Vec<ThreadCount> = (THREAD_COUNTS.iter().zip(&medians))
        .map(|(&threads, run)| ThreadCount {
            threads,
            wall: run.wall,
            speedup: one_thread.as_secs_f64() / run.wall.as_secs_f64(),
            cores_busy: run.cores_busy(),
            answer: run.answer,
        })
        .collect();
    say!("threads       wall  cores busy  speed-up over one thread");
    for row in &rows {
        let mark = if row.threads == cores {
            "   <- the core count"
        } else {
            ""
        };
        let wall = format_duration(row.wall);
        let (busy, speedup) = (row.cores_busy, row.speedup);
        say!(
            "{:>7}  {wall:>9}  {busy:>10.2}  {speedup:>5.2}×{mark}",
            row.threads
        );
    }
    let best = rows.iter().map(|row| row.wall).min().unwrap_or_default();
    let enough = rows
        .iter()
        .find(|row| row.wall.as_secs_f64() <= best.as_secs_f64() * 1.1);
    let enough = enough.map_or(1, |row| row.threads);
    explain(&rows, cores, enough);
    Ok((rows, enough))
}

// ANCHOR: in_turns
/// Each thread count `repeats` times, in turns; the median of each.
fn measure_counts(size: u64, repeats: usize) -> Result<Vec<Measured>> {
    let mut runs = vec![Vec::new(); THREAD_COUNTS.len()];
    for repeat in 0..repeats.max(1) {
        for turn in 0..THREAD_COUNTS.len() {
            let index = (repeat + turn) % THREAD_COUNTS.len();
            let threads = THREAD_COUNTS[index];
            runs[index].push(measure_once(|| cpu_threads(size, threads, false))?);
        }
    }
    let answer = runs[0][0].answer;
    if let Some(odd) = runs.iter().flatten().find(|run| run.answer != answer) {
        let odd = odd.answer;
        return Err(Error::msg(format!(
            "one count gave {answer} primes, another {odd}"
        )));
    }
    Ok(runs.iter().map(|runs| median(runs)).collect())
}
// ANCHOR_END: in_turns

/// What the rows showed, past the core count: only what they showed.
fn explain(rows: &[ThreadCount], cores: usize, enough: usize) {
    let at_cores = rows
        .iter()
        .rev()
        .find(|row| row.threads <= cores)
        .unwrap_or(&rows[0]);
    let beyond = rows.iter().filter(|row| row.threads > at_cores.threads);
    let faster = beyond
        .min_by_key(|row| row.wall)
        .filter(|row| row.wall.as_secs_f64() < at_cores.wall.as_secs_f64() * 0.9);
    say!(
        "from {} on, more were not faster (within 10% of the best)",
        counted(enough, "thread")
    );
    let most_busy = rows.iter().map(|row| row.cores_busy).fold(0.0, f64::max);
    let most_threads = THREAD_COUNTS[THREAD_COUNTS.len() - 1];
    let busy = most_busy < 0.8 * cores.min(most_threads) as f64;
    let (past, cores) = (counted(at_cores.threads, "thread"), counted(cores, "core"));
    // ANCHOR: take_turns
    match faster {
        Some(row) => {
            let (many, few) = (format_duration(row.wall), format_duration(at_cores.wall));
            let (threads, fewer) = (row.threads, at_cores.threads);
            say!("{threads} threads beat {fewer}: {many} against {few}.");
            say!("More threads than cores can win: on a busy machine they get a bigger");
            say!("share of the CPUs, and smaller pieces even out uneven work.");
        }
        None if busy => {
            say!("past {past}, more threads were not faster; this run cannot tell");
            say!("why: at most {most_busy:.2} of {cores} ever worked for it (a busy machine)");
        }
        None => {
            say!("past {past}, more threads were not faster here:");
            say!("they only took turns on the same {cores}");
        }
    }
    if busy && faster.is_some() {
        say!("note: at most {most_busy:.2} of {cores} ever worked for this job: other");
        say!("      programs were busy, so where the gains stop is blurred");
    }
    // ANCHOR_END: take_turns
}
