//! The five parts of the lesson, one per row of the table: what each part
//! prints (its row, the figures behind it), the choice of `questions.md`
//! this run's figures decide, and `--part N`, that row alone.

use support::error::Result;
use support::forking::prepare_to_fork;

use crate::options::Options;
use crate::render::{Row, text_table};
use crate::report::Saved;
use crate::rules::{Word, compare};
use crate::{LESSON, advice, against_c, measure, print, say_all, table};

/// Part `n`: row `n` of the table alone, then every figure behind it with
/// its spread and the noise around it.
pub fn row_lines(saved: &Saved, row: &Row, n: u32) -> Vec<String> {
    let mut lines = text_table(std::slice::from_ref(row));
    let figures = print::row_figures(saved, n);
    if !figures.is_empty() {
        lines.extend(print::lines_for(saved, &figures));
    }
    lines
}

/// The choice of part `n`'s question that this run's figures show, or
/// `None` where they cannot tell (a figure or a fault missing).
pub fn outcome(saved: &Saved, n: u32) -> Option<usize> {
    let word = |thread: &str, process: &str| {
        Some(compare(saved.figure(thread)?, saved.figure(process)?).word)
    };
    let by_word = |word: Option<Word>, cheaper: usize, dearer: usize| match word? {
        Word::Cheaper => Some(cheaper),
        Word::Dearer => Some(dearer),
        Word::NoClearDifference => Some(3),
    };
    match n {
        // "which costs more": the thread cheaper means the process costs more.
        1 => by_word(word("memory.thread", "memory.process"), 2, 1),
        2 => by_word(
            word("communication.condvar", "communication.pipe_one_cpu"),
            1,
            2,
        ),
        3 => by_word(word("creation.std_thread", "creation.fork_exit"), 1, 2),
        4 => {
            let faults = &saved.facts.faults;
            let crash = faults.iter().find(|f| f.fault == "crash in a thread")?;
            match (crash.signal.is_some(), crash.results_delivered) {
                (true, 0) => Some(2),
                (false, delivered) if delivered + 1 == crash.workers => Some(1),
                _ => None,
            }
        }
        _ => {
            let io = saved.figure("best_for.io_threads")?;
            Some(if io.spread().0 > advice::OVERLAPPED {
                1
            } else {
                2
            })
        }
    }
}

/// With `--against-c` or `--diff`, what they print for the figures measured.
fn comparisons(saved: &Saved, options: &Options) -> Vec<String> {
    let mut lines = Vec::new();
    if saved.figures.iter().any(|figure| !figure.c_runs.is_empty()) {
        lines.extend(against_c::lines(saved));
    }
    if let Some(earlier) = &options.diff {
        lines.extend(crate::diff::lines(saved, earlier));
    }
    lines
}

// ANCHOR: run_part
/// `--part N`: that row alone, measured with what it needs (the verdict
/// draws on every row, so it is left out, and no file is written).
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    prepare_to_fork()?;
    let mut class = LESSON.session(); // silent until part N starts
    let saved = measure::measure_quietly(options, &[n])?;
    let row = table::row(&saved, n)?;
    class.part(n);
    say_all(row_lines(&saved, &row, n));
    say_all(comparisons(&saved, options));
    class.outcome(outcome(&saved, n));
    class.end_alone();
    Ok(())
}
// ANCHOR_END: run_part
