//! Lesson 07's claims: the five rows of the Key Differences table, every
//! figure measured and finite, every word in a cell the one its figures
//! decide, the files (Markdown, SVG, JSON) saying the same, and bad input
//! refused with exit code 2 before anything is measured.
//!
//! `harness = false`: the lessons behind the table fork and re-execute
//! this binary in their roles, so `main` dispatches roles first and runs
//! every test on its one thread. The table is measured once per process,
//! by the first test that needs it (under cargo-nextest, once per test).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use key_differences::{Options, Report, Side, json, rules};
use support::testing::{output_within, run_tests_in_one_thread, trial};

#[path = "table/beside_a_thread.rs"]
mod beside_a_thread;
#[path = "table/cells.rs"]
mod cells;
#[path = "table/classroom.rs"]
mod classroom;
#[path = "table/files.rs"]
mod files;

fn main() {
    support::role::dispatch(key_differences::ROLES);
    if beside_a_thread::is_the_child() {
        return beside_a_thread::child();
    }
    run_tests_in_one_thread(vec![
        trial(
            "the_table_has_the_five_rows_in_order",
            the_table_has_the_five_rows_in_order,
        ),
        trial(
            "every_figure_is_finite_with_its_runs",
            every_figure_is_finite_with_its_runs,
        ),
        trial("every_verified_claim_held", every_verified_claim_held),
        trial(
            "the_faults_ended_as_the_row_says",
            the_faults_ended_as_the_row_says,
        ),
        trial(
            "every_cell_word_is_the_rules_word",
            every_cell_word_is_the_rules_word,
        ),
        trial(
            "each_row_compares_its_own_pair",
            cells::each_row_compares_its_own_pair,
        ),
        trial(
            "every_printed_line_fits_in_100_columns",
            every_printed_line_fits_in_100_columns,
        ),
        trial(
            "the_markdown_has_the_five_rows",
            files::the_markdown_has_the_five_rows,
        ),
        trial(
            "the_svg_is_well_formed_750_wide_with_every_series",
            files::the_svg_is_well_formed,
        ),
        trial(
            "the_json_round_trip_keeps_every_sample",
            files::the_json_round_trip_keeps_every_sample,
        ),
        trial(
            "the_binary_saves_diffs_and_checks_against_c",
            files::the_binary_saves_diffs_and_checks_against_c,
        ),
        trial(
            "bad_input_exits_2_and_writes_nothing",
            files::bad_input_exits_2_and_writes_nothing,
        ),
        trial(
            "out_is_made_before_json_is_checked",
            files::out_is_made_before_json_is_checked,
        ),
        trial(
            "diff_refuses_another_format_and_empty_figures",
            files::diff_refuses_another_format_and_empty_figures,
        ),
        trial(
            "beside_a_printing_thread_run_refuses_or_finishes",
            beside_a_thread::refuses_or_finishes,
        ),
        trial(
            "the_many_waits_figures_are_in_the_best_for_row",
            the_many_waits_figures_are_in_the_best_for_row,
        ),
        trial(
            "each_part_runs_alone_and_is_judged",
            classroom::each_part_runs_alone_and_is_judged,
        ),
        trial(
            "the_whole_run_is_judged_part_by_part",
            classroom::the_whole_run_is_judged_part_by_part,
        ),
        trial(
            "the_parts_are_listed_and_json_needs_a_whole_run",
            classroom::the_parts_are_listed_and_json_needs_a_whole_run,
        ),
    ])
}

/// A directory of this test process's own under the build's temporary one
/// (`target/tmp`), emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| sweep(tmp)); // a test binary cannot clean up after its own exit
    let dir = tmp.join(format!("key-differences-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir scratch");
    dir
}

/// Removes the scratch directories of earlier test runs whose process has
/// ended (`key-differences-NAME-PID`), so they do not pile up.
fn sweep(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("key-differences-")
            .and_then(|r| r.rsplit('-').next());
        let pid = pid.and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// One quick run of the lesson, its files in a scratch directory.
pub fn measured() -> &'static Report {
    static MEASURED: OnceLock<Report> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let options = Options {
            out_dir: Some(scratch("files")),
            ..Options::default()
        };
        key_differences::run(&options).expect("the table is measured")
    })
}

const FEATURES: [&str; 5] = [
    "Memory",
    "Communication",
    "Creation",
    "Fault isolation",
    "Best for",
];

fn the_table_has_the_five_rows_in_order() {
    let rows = &measured().rows;
    let features: Vec<_> = rows.iter().map(|row| row.feature).collect();
    assert_eq!(features, FEATURES);
    for row in rows {
        for cell in [&row.threads, &row.processes] {
            assert!(
                !cell.claim.is_empty() && !cell.figures.is_empty(),
                "{}: {cell:?}",
                row.feature
            );
        }
    }
}

fn every_figure_is_finite_with_its_runs() {
    let saved = &measured().saved;
    assert!(saved.figures.len() >= 20, "{} figures", saved.figures.len());
    let plan = key_differences::Plan::for_depth(Default::default());
    // Each group's own budget: round trips and bulk are cheap, lesson 08's
    // many waits have theirs, and the rest start processes or whole lessons.
    let budget = |key: &str| match key {
        _ if key.starts_with("communication.") => &plan.cheap,
        _ if key.starts_with("best_for.many_") => &plan.many,
        _ => &plan.dear,
    };
    for figure in &saved.figures {
        let fewest = budget(&figure.key).min_runs.max(2); // two runs at least: a spread
        assert!(
            figure.runs.len() >= fewest,
            "{}: {:?}",
            figure.key,
            figure.runs
        );
        assert!(
            figure.runs.iter().all(|run| run.is_finite() && *run > 0.0),
            "{}: {:?}",
            figure.key,
            figure.runs
        );
        let (low, high) = figure.spread();
        assert!(
            low <= figure.median() && figure.median() <= high,
            "{}",
            figure.key
        );
        assert!(
            figure.noise.after.at_seconds > figure.noise.before.at_seconds,
            "{}",
            figure.key
        );
        assert!(figure.c_runs.is_empty(), "no C baseline was asked for");
    }
    let sides = |side| saved.figures.iter().filter(|f| f.side == side).count();
    assert!(sides(Side::Thread) >= 5 && sides(Side::Process) >= 5 && sides(Side::Reference) == 1);
}

fn every_verified_claim_held() {
    let facts = &measured().saved.facts;
    assert!(facts.threads_share_memory && facts.processes_separate && facts.read_in_place);
    assert!(facts.transfers_verified, "a checksum failed");
    assert!(
        facts.answers_agree,
        "serial, threads and processes disagreed"
    );
}

fn the_faults_ended_as_the_row_says() {
    let faults = &measured().saved.facts.faults;
    assert_eq!(faults.len(), 3);
    let [panic, thread_crash, child_crash] = [&faults[0], &faults[1], &faults[2]];
    assert_eq!(
        (panic.signal.as_deref(), panic.results_delivered),
        (None, panic.workers - 1)
    );
    assert!(thread_crash.signal.is_some() && thread_crash.results_delivered == 0);
    assert!(
        child_crash.signal.is_some() && child_crash.results_delivered == child_crash.workers - 1
    );
    assert!(faults.iter().all(|fault| fault.parent_survived));
    let row = &measured().rows[3];
    assert_eq!(
        (row.threads.claim.as_str(), row.processes.claim.as_str()),
        ("a crash ended them all", "a crash stayed put")
    );
    // Each fault says what it ended: the panic only its thread.
    let lines = row.threads.lines();
    assert!(lines.contains(&"panic: its thread ended"), "{lines:?}");
    assert!(lines.contains(&"SIGSEGV: process ended"), "{lines:?}");
}

/// The table's words are what the rules decide from the saved figures:
/// nothing in a cell contradicts its figures.
fn every_cell_word_is_the_rules_word() {
    let saved = &measured().saved;
    let rows = &measured().rows;
    let figure = |key: &str| saved.figure(key).expect(key);
    let pairs = [
        (0, "memory.thread", "memory.process"),
        (1, "communication.condvar", "communication.pipe_one_cpu"),
        (2, "creation.std_thread", "creation.fork_exit"),
    ];
    for (row, thread, process) in pairs {
        let (threads, processes) = rules::compare(figure(thread), figure(process)).cells();
        assert!(
            rows[row].threads.lines().contains(&threads.as_str()),
            "{threads} in {:?}",
            rows[row].threads
        );
        assert!(
            rows[row].processes.lines().contains(&processes.as_str()),
            "{processes}"
        );
    }
    for figure in &saved.figures {
        let marked = rules::disturbance(figure).is_some();
        assert_eq!(
            rules::marked_value(figure).ends_with(rules::MARK),
            marked,
            "{}",
            figure.key
        );
    }
}

fn every_printed_line_fits_in_100_columns() {
    let saved = &measured().saved;
    let tag = "[parent pid=1234567 main    ] ";
    let parts = (1..=5).zip(&measured().rows);
    let parts = parts.flat_map(|(n, row)| key_differences::row_lines(saved, row, n));
    let lines = [
        parts.collect(),
        key_differences::render::text_table(&measured().rows),
        key_differences::print::figure_lines(saved),
        key_differences::print::reference_lines(saved),
        key_differences::print::verdict_lines(saved),
        key_differences::against_c::lines(saved),
        key_differences::diff::lines(saved, saved),
    ];
    for line in lines.iter().flatten() {
        let columns = tag.chars().count() + line.chars().count();
        assert!(columns <= 100, "{columns} columns: {line}");
    }
}

/// Runs this lesson's binary with `args`, within a time limit.
pub fn run_binary(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_key-differences"));
    command.args(args).envs(env.iter().copied());
    output_within(&mut command, Duration::from_secs(300))
}

/// Reads a file written by a test, or says which is missing.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lesson 08's four figures, at the number of tasks the row names.
fn the_many_waits_figures_are_in_the_best_for_row() {
    let saved = &measured().saved;
    for spec in key_differences::part5_best_for::MANY_WAITS {
        assert!(saved.figure(spec.key).is_some(), "no {}", spec.key);
    }
    let tasks = saved.facts.many_waits_tasks;
    assert_eq!(
        tasks,
        key_differences::Plan::for_depth(Default::default()).many_tasks
    );
    let named = format!("{} waits on epoll:", many_waits::grouped(tasks));
    let best_for = &measured().rows[4];
    assert!(
        best_for.threads.lines().contains(&named.as_str()),
        "{best_for:?}"
    );
}

pub use json::read as read_saved;
