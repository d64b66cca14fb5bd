//! Lesson 01's claims, checked from its structured report.
//!
//! `harness = false`: the lesson starts *this test binary* again as its
//! children (re-exec in a role), so `main` must dispatch roles first, as
//! every binary that runs the lesson does.

use program_vs_process::{Options, ROLES, Report, run};

/// A named check of one claim.
type Check = (&'static str, fn(&Report));

fn main() {
    support::role::dispatch(&[ROLES]);
    let report = run(&Options { children: 3 }).expect("the lesson runs");
    let checks: &[Check] = &[
        ("the_program_file_is_elf", the_program_file_is_elf),
        ("pids_are_distinct_and_real", pids_are_distinct_and_real),
        (
            "every_child_ran_the_same_program_file",
            every_child_ran_the_same_program_file,
        ),
        (
            "child_writes_left_the_parent_value_unchanged",
            child_writes_left_the_parent_value_unchanged,
        ),
        ("every_child_was_reaped", every_child_was_reaped),
        (
            "the_process_view_matches_this_process",
            the_process_view_matches_this_process,
        ),
    ];
    println!("\nrunning {} tests", checks.len());
    for (name, check) in checks {
        check(&report);
        println!("test {name} ... ok");
    }
    println!(
        "\ntest result: ok. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n",
        checks.len()
    );
}

fn the_program_file_is_elf(report: &Report) {
    assert_eq!(report.program.magic, *b"\x7fELF");
    assert!(report.program.is_elf());
    let elf = report.program.elf.as_ref().expect("an ELF header");
    assert!(elf.bits == 64 || elf.bits == 32);
    assert!(report.program.size_bytes > 64);
}

fn pids_are_distinct_and_real(report: &Report) {
    let mut pids = vec![report.process.pid];
    for child in &report.children {
        // What spawn returned is what getpid() said inside the child.
        assert_eq!(child.pid_seen_by_parent, child.pid_seen_by_child);
        // And the child's parent is this process.
        assert_eq!(child.parent_pid_seen_by_child, report.process.pid);
        pids.push(child.pid_seen_by_child);
    }
    let count = pids.len();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), count, "pids repeat: {pids:?}");
    assert_eq!(report.children.len(), 3);
}

fn every_child_ran_the_same_program_file(report: &Report) {
    for child in &report.children {
        assert_eq!(child.program_path, report.program.path);
    }
}

fn child_writes_left_the_parent_value_unchanged(report: &Report) {
    for child in &report.children {
        assert_eq!(
            child.value_before, 100,
            "each child starts from the file's value"
        );
        assert_ne!(
            child.value_after, child.value_before,
            "each child changed its copy"
        );
    }
    assert_eq!(report.parent_value_after, 100);
}

fn every_child_was_reaped(report: &Report) {
    for child in &report.children {
        assert!(
            child.ending.is_success(),
            "child {}: {}",
            child.pid_seen_by_child,
            child.ending
        );
    }
    assert!(
        report.no_children_left,
        "waitpid(-1, WNOHANG) found a child left"
    );
}

fn the_process_view_matches_this_process(report: &Report) {
    assert_eq!(report.process.pid, std::process::id());
    assert_eq!(
        report.process.threads,
        Some(1),
        "this test binary is single-threaded"
    );
    let regions: Vec<_> = report
        .process
        .addresses
        .iter()
        .map(|placed| (placed.what, placed.region.clone().unwrap_or_default()))
        .collect();
    // The code lives in an executable mapping of the program file.
    let code = &regions[0];
    assert_eq!(code.0, "code");
    assert!(code.1.starts_with("r-x"), "code region: {}", code.1);
    assert!(
        code.1.ends_with(report.program.path.to_str().unwrap()),
        "{}",
        code.1
    );
    assert!(
        regions[3].1.ends_with("[stack]"),
        "stack region: {}",
        regions[3].1
    );
}
