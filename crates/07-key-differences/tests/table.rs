//! Lesson 07's claims: every cell of the Key Differences table is filled
//! with a finite, positive figure or a stated outcome, and the Markdown and
//! SVG files say the same.
//!
//! `harness = false`: the lessons behind the table fork and re-execute
//! this binary in their roles, so `main` dispatches roles first and runs
//! every test on its one thread (`run_tests_in_one_thread`). The table is
//! measured once per process, by the first test that needs it: under
//! cargo-nextest, which runs each test in a process of its own, every test
//! measures it for itself.

use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use key_differences::{Depth, Options, Report, run};
use support::Stats;
use support::testing::{output_within, run_tests_in_one_thread, trial};

/// Set when this test program runs itself again to run the table beside a
/// printing thread.
const PRINTING_THREAD_ENV: &str = "KEY_DIFFERENCES_TEST_PRINTING_THREAD";
/// What that run ended with, on stderr.
const OUTCOME: &str = "outcome of run: ";

fn main() {
    support::role::dispatch(key_differences::ROLES);
    if std::env::var_os(PRINTING_THREAD_ENV).is_some() {
        return beside_a_printing_thread();
    }
    run_tests_in_one_thread(vec![
        trial(
            "the_table_has_the_five_rows_in_order",
            the_table_has_the_five_rows_in_order,
        ),
        trial(
            "every_figure_is_finite_and_positive",
            every_figure_is_finite_and_positive,
        ),
        trial("every_verified_claim_held", every_verified_claim_held),
        trial(
            "the_faults_ended_as_the_row_says",
            the_faults_ended_as_the_row_says,
        ),
        trial(
            "the_markdown_has_the_five_rows",
            the_markdown_has_the_five_rows,
        ),
        trial(
            "the_svg_is_well_formed_with_every_series",
            the_svg_is_well_formed_with_every_series,
        ),
        trial("the_machine_is_named", the_machine_is_named),
        trial("bad_options_exit_2", bad_options_exit_2),
        trial(
            "beside_a_printing_thread_run_refuses_or_finishes",
            beside_a_printing_thread_run_refuses_or_finishes,
        ),
    ])
}

/// One quick run of the lesson, with the files it wrote read back (and
/// then removed).
struct Measured {
    report: Report,
    markdown: String,
    svg: String,
}

/// The table, measured by the first test that asks for it in this process.
fn measured() -> &'static Measured {
    static MEASURED: OnceLock<Measured> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let out_dir =
            std::env::temp_dir().join(format!("key-differences-test-{}", std::process::id()));
        let report = run(&Options {
            depth: Depth::Quick,
            out_dir: Some(out_dir.clone()),
        })
        .expect("the table is measured");
        let markdown = std::fs::read_to_string(&report.markdown_path).expect("the Markdown file");
        let svg = std::fs::read_to_string(&report.svg_path).expect("the SVG file");
        std::fs::remove_dir_all(&out_dir).expect("remove the test's output");
        Measured {
            report,
            markdown,
            svg,
        }
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
    let report = &measured().report;
    let features: Vec<_> = report.rows.iter().map(|row| row.feature).collect();
    assert_eq!(features, FEATURES);
    for row in &report.rows {
        for cell in [&row.threads, &row.processes] {
            assert!(!cell.claim.is_empty(), "{}: empty claim", row.feature);
            assert!(!cell.figures.is_empty(), "{}: no figure", row.feature);
        }
    }
}

fn positive(name: &str, value: f64) {
    assert!(value.is_finite() && value > 0.0, "{name} = {value}");
}

fn positive_stats(name: &str, stats: &Stats) {
    positive(name, stats.median_secs());
    assert!(
        stats.min <= stats.median && stats.median <= stats.max,
        "{name}"
    );
}

fn every_figure_is_finite_and_positive() {
    let report = &measured().report;
    let f = &report.figures;
    for (name, stats) in [
        ("thread Condvar round trip", &f.thread_condvar_round_trip),
        ("thread channel round trip", &f.thread_channel_round_trip),
        ("pipe round trip", &f.pipe_round_trip),
        ("shm round trip", &f.shm_round_trip),
        ("thread spawn", &f.thread_spawn),
        ("fork", &f.fork_exit),
        ("fork + exec", &f.fork_exec),
        ("Command", &f.command),
        ("two-CPU round trip", &report.limits.two_cpu_round_trip),
    ] {
        positive_stats(name, stats);
    }
    for (name, value) in [
        ("pipe rate", f.pipe_default_bytes_per_second),
        ("1 MiB pipe rate", f.pipe_1mib_bytes_per_second),
        ("ring rate", f.ring_bytes_per_second),
        ("same-work rate", report.limits.same_work_bytes_per_second),
        ("I/O threads speed-up", f.io_threads_speedup),
        ("I/O processes speed-up", f.io_processes_speedup),
        ("CPU threads speed-up", f.cpu_threads_speedup),
        ("CPU processes speed-up", f.cpu_processes_speedup),
    ] {
        positive(name, value);
    }
    // Memory per worker comes from /proc, which this (Linux) test has.
    assert!(f.idle_thread_bytes.is_some() && f.idle_process_bytes.is_some());
    assert!(f.idle_process_page_tables.is_some_and(|bytes| bytes > 0));
}

fn every_verified_claim_held() {
    let report = &measured().report;
    let f = &report.figures;
    assert!(f.threads_share_one_address && f.threads_checked == 4);
    assert!(f.processes_separate && f.children_checked == 2);
    assert!(f.thread_read_in_place_same_address);
    assert!(f.transfers_verified, "a checksum failed");
    assert!(f.answers_agree, "serial, threads and processes disagreed");
    let text = key_differences::render::text_table(&report.rows);
    assert!(!text.contains("NOT seen"), "{text}");
}

fn the_faults_ended_as_the_row_says() {
    let faults = &measured().report.figures.faults;
    assert_eq!(faults.len(), 3);
    let [panic, thread_crash, child_crash] = [&faults[0], &faults[1], &faults[2]];
    // A panic: its process lives on, only the panicking worker is lost.
    assert_eq!(panic.ending, None);
    assert_eq!(panic.results_delivered, panic.workers - 1);
    // A crash in a thread: a signal ends the whole process, no result.
    assert!(thread_crash.ending.and_then(|e| e.signal()).is_some());
    assert_eq!(thread_crash.results_delivered, 0);
    // A crash in a child: a signal ends that child; the rest deliver.
    assert!(child_crash.ending.and_then(|e| e.signal()).is_some());
    assert_eq!(child_crash.results_delivered, child_crash.workers - 1);
    assert!(faults.iter().all(|outcome| outcome.parent_survived));
}

fn the_markdown_has_the_five_rows() {
    let markdown = &measured().markdown;
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("| **"))
        .collect();
    assert_eq!(rows.len(), 5, "{markdown}");
    for (row, feature) in rows.iter().zip(FEATURES) {
        assert!(row.starts_with(&format!("| **{feature}** |")), "{row}");
        assert_eq!(row.matches(" | ").count(), 2, "three cells: {row}");
    }
    assert!(markdown.contains("| Feature | Multithreading | Multiprocessing |"));
    assert!(markdown.contains("cores seen"));
}

fn the_svg_is_well_formed_with_every_series() {
    let svg = &measured().svg;
    assert_well_formed(svg);
    for label in [
        "thread",
        "fork",
        "fork+exec",
        "Command",
        "pipe",
        "1 MiB pipe",
        "shm ring",
        "one process",
        "Condvar, 1 CPU",
        "shm spin",
        "pipe, 1 CPU",
        "pipe, 2 CPUs",
        "µs (log scale)",
        "GiB/s (log scale)",
    ] {
        // plotters writes each text on a line of its own inside <text>.
        assert!(
            svg.contains(&format!("\n{label}\n</text>")),
            "no text {label:?}"
        );
    }
}

/// Every tag closes in order: a small check of XML well-formedness.
fn assert_well_formed(xml: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("a tag that never closes") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if tag.starts_with('/') {
            assert_eq!(open.pop(), Some(name), "</{name}> closes the wrong tag");
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed tags: {open:?}");
    assert!(xml.trim_start().starts_with("<svg"));
}

fn the_machine_is_named() {
    let report = &measured().report;
    assert!(report.machine.cores >= 1);
    assert!(!report.machine.kernel.is_empty());
}

fn bad_options_exit_2() {
    let compare = env!("CARGO_BIN_EXE_key-differences");
    for args in [&["--quick", "--thorough"][..], &["--fast"], &["extra"]] {
        let output = Command::new(compare)
            .args(args)
            .output()
            .expect("run the binary");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}: no message");
        assert!(output.stdout.is_empty(), "{args:?}: measured anyway");
    }
}

/// Runs the quick table while a second thread prints in a loop, then stops
/// and joins that thread, and says on stderr how `run` ended.
fn beside_a_printing_thread() {
    let out_dir = std::env::temp_dir().join(format!("key-differences-test-{}", std::process::id()));
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut line = 0u64;
            while !stop.load(Ordering::Relaxed) {
                println!("printing thread: line {line}");
                line += 1;
                std::thread::sleep(Duration::from_micros(50));
            }
        });
        let result = run(&Options {
            depth: Depth::Quick,
            out_dir: Some(out_dir.clone()),
        });
        stop.store(true, Ordering::Relaxed);
        result
    });
    let _ = std::fs::remove_dir_all(&out_dir);
    match result {
        Ok(_) => eprintln!("{OUTCOME}ok"),
        Err(error) => eprintln!("{OUTCOME}{error}"),
    }
}

/// Embedded in a program that has a second thread printing, the table must
/// not hang (a child forked then could inherit stdout's lock held by a
/// thread it does not have): it refuses to fork, or finishes. In a process
/// of its own, so that a hang is caught by the time limit.
fn beside_a_printing_thread_run_refuses_or_finishes() {
    let output = output_within(
        Command::new(std::env::current_exe().unwrap()).env(PRINTING_THREAD_ENV, "1"),
        Duration::from_secs(300),
    );
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let outcome = stderr
        .lines()
        .find_map(|line| line.strip_prefix(OUTCOME))
        .unwrap_or_else(|| panic!("no outcome on stderr: {stderr}"));
    assert!(
        outcome == "ok" || outcome.starts_with("refusing to fork"),
        "{outcome}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("printing thread: line 0\n"),
        "the thread never printed"
    );
}
