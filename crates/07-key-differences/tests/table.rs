//! Lesson 07's claims: every cell of the seed's table is filled with a
//! finite, positive figure or a stated outcome, and the Markdown and SVG
//! files say the same.
//!
//! `harness = false`: the lessons behind the table fork and re-execute
//! this binary in their roles, so `main` dispatches roles first and runs
//! the checks on its one thread.

use std::process::Command;

use key_differences::{Depth, Options, Report, run};
use support::Stats;

/// A named check of one claim.
type Check = (&'static str, fn(&Report));

fn main() {
    support::role::dispatch(key_differences::ROLES);
    let out_dir = std::env::temp_dir().join(format!("key-differences-test-{}", std::process::id()));
    let report = run(&Options {
        depth: Depth::Quick,
        out_dir: Some(out_dir.clone()),
    })
    .expect("the table is measured");
    let checks: &[Check] = &[
        (
            "the_table_has_the_seeds_five_rows",
            the_table_has_the_seeds_five_rows,
        ),
        (
            "every_figure_is_finite_and_positive",
            every_figure_is_finite_and_positive,
        ),
        ("every_verified_claim_held", every_verified_claim_held),
        (
            "the_faults_ended_as_the_row_says",
            the_faults_ended_as_the_row_says,
        ),
        (
            "the_markdown_has_the_five_rows",
            the_markdown_has_the_five_rows,
        ),
        (
            "the_svg_is_well_formed_with_every_series",
            the_svg_is_well_formed_with_every_series,
        ),
        ("the_machine_is_named", the_machine_is_named),
    ];
    println!("\nrunning {} tests", checks.len() + 1);
    for (name, check) in checks {
        check(&report);
        println!("test {name} ... ok");
    }
    std::fs::remove_dir_all(&out_dir).expect("remove the test's output");
    bad_options_exit_2();
    println!("test bad_options_exit_2 ... ok");
    println!(
        "\ntest result: ok. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n",
        checks.len() + 1
    );
}

const FEATURES: [&str; 5] = [
    "Memory",
    "Communication",
    "Creation",
    "Fault isolation",
    "Best for",
];

fn the_table_has_the_seeds_five_rows(report: &Report) {
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

fn every_figure_is_finite_and_positive(report: &Report) {
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
        ("memcpy rate", report.limits.memcpy_bytes_per_second),
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

fn every_verified_claim_held(report: &Report) {
    let f = &report.figures;
    assert!(f.threads_share_one_address && f.threads_checked == 4);
    assert!(f.processes_separate && f.children_checked == 2);
    assert!(f.thread_read_in_place_same_address);
    assert!(f.transfers_verified, "a checksum failed");
    assert!(f.answers_agree, "serial, threads and processes disagreed");
    let text = key_differences::render::text_table(&report.rows);
    assert!(!text.contains("NOT seen"), "{text}");
}

fn the_faults_ended_as_the_row_says(report: &Report) {
    let faults = &report.figures.faults;
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

fn the_markdown_has_the_five_rows(report: &Report) {
    let markdown = std::fs::read_to_string(&report.markdown_path).expect("the Markdown file");
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

fn the_svg_is_well_formed_with_every_series(report: &Report) {
    let svg = std::fs::read_to_string(&report.svg_path).expect("the SVG file");
    assert_well_formed(&svg);
    for label in [
        "thread",
        "fork",
        "fork+exec",
        "Command",
        "pipe",
        "1 MiB pipe",
        "shm ring",
        "memcpy",
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

fn the_machine_is_named(report: &Report) {
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
