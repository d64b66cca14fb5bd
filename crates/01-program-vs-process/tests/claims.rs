//! Lesson 01's claims, one named test each, checked from its report.
//!
//! `harness = false`: the lesson starts *this test binary* again as its
//! children (re-exec in a role), so `main` dispatches roles first, as every
//! binary that runs the lesson does. `--list` lists without running the
//! lesson; each test runs it (once per process, quietly) when it first needs
//! it, so any one test can run alone, as cargo-nextest runs them.

use std::sync::OnceLock;

use program_vs_process::{Options, ROLES, Report, run};
use support::testing::{run_tests_in_one_thread, trial};

const CHILDREN: u32 = 3;

fn main() {
    support::role::dispatch(&[ROLES]);
    run_tests_in_one_thread(vec![
        trial("the_program_file_is_elf", the_program_file_is_elf),
        trial("each_process_has_its_own_pid", each_process_has_its_own_pid),
        trial(
            "every_child_ran_the_same_program_file",
            every_child_ran_the_same_program_file,
        ),
        trial(
            "each_child_changed_only_its_own_copy",
            each_child_changed_only_its_own_copy,
        ),
        trial(
            "every_child_was_reaped_and_is_gone",
            every_child_was_reaped_and_is_gone,
        ),
        trial(
            "the_process_view_matches_this_process",
            the_process_view_matches_this_process,
        ),
        trial(
            "it_finishes_beside_a_printing_thread",
            it_finishes_beside_a_printing_thread,
        ),
    ]);
}

/// The lesson's report, from one quiet run in this process.
fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        support::speaker::set_quiet(true);
        run(&Options { children: CHILDREN }).expect("the lesson runs")
    })
}

fn the_program_file_is_elf() {
    let program = &report().program;
    assert_eq!(program.magic, *b"\x7fELF");
    let elf = program.elf.as_ref().expect("an ELF header");
    assert!(elf.bits == 64 || elf.bits == 32);
    assert!(program.size_bytes > 64);
    assert_eq!(program.path, std::env::current_exe().unwrap());
}

fn each_process_has_its_own_pid() {
    let report = report();
    assert_eq!(report.children.len(), CHILDREN as usize);
    let mut pids = vec![report.process.pid];
    for child in &report.children {
        // What spawn returned is what getpid() said inside the child...
        assert_eq!(child.pid_seen_by_parent, child.pid_seen_by_child);
        // ...and the child's parent is this process.
        assert_eq!(child.parent_pid_seen_by_child, report.process.pid);
        pids.push(child.pid_seen_by_child);
    }
    let count = pids.len();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), count, "pids repeat: {pids:?}");
}

fn every_child_ran_the_same_program_file() {
    let report = report();
    for child in &report.children {
        assert_eq!(child.program_path, report.program.path);
    }
}

fn each_child_changed_only_its_own_copy() {
    let report = report();
    for child in &report.children {
        assert_eq!(
            child.value_before, 100,
            "each child starts from the file's 100"
        );
        assert_eq!(
            child.value_after,
            1_000 * child.number,
            "child {}",
            child.number
        );
    }
    let numbers: Vec<u64> = report.children.iter().map(|child| child.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(
        report.parent_value_after, 100,
        "a child's write reached the parent"
    );
}

fn every_child_was_reaped_and_is_gone() {
    let report = report();
    for child in &report.children {
        assert!(
            child.ending.is_success(),
            "child {}: {}",
            child.number,
            child.ending
        );
    }
    assert!(
        report.no_children_left,
        "kill(pid, 0) found a child's pid still in use"
    );
}

fn the_process_view_matches_this_process() {
    let report = report();
    let process = &report.process;
    assert_eq!(process.pid, std::process::id());
    assert_eq!(process.parent_pid, nix::unistd::getppid().as_raw() as u32);
    assert_eq!(
        process.threads,
        Some(1),
        "the tests run on the main thread alone"
    );
    let region = |what: &str| {
        let placed = process.addresses.iter().find(|placed| placed.what == what);
        placed
            .and_then(|placed| placed.region.clone())
            .unwrap_or_default()
    };
    // Code and statics live in mappings of the program file; see proc(5).
    let program = report.program.path.to_str().unwrap();
    assert_eq!(region("code"), format!("r-xp {program}"));
    assert_eq!(region("static data"), format!("rw-p {program}"));
    assert_eq!(region("heap"), "rw-p [heap]");
    assert_eq!(region("stack"), "rw-p [stack]");
}

/// Lesson 01 does not fork (it spawns), so a second thread that keeps
/// taking the stdout lock cannot make it hang or refuse.
fn it_finishes_beside_a_printing_thread() {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    static STOP: AtomicBool = AtomicBool::new(false);
    support::speaker::set_quiet(true);
    let printer = std::thread::spawn(|| {
        while !STOP.load(Ordering::Relaxed) {
            let _ = write!(std::io::stdout().lock(), ""); // hold the lock, print nothing
        }
    });
    let report = run(&Options { children: 1 });
    STOP.store(true, Ordering::Relaxed);
    printer.join().unwrap();
    let report = report.expect("the lesson runs beside another thread");
    assert!(report.no_children_left && report.parent_value_after == 100);
    // Leave this process with one thread again, for the tests after this one.
    let deadline = Instant::now() + Duration::from_secs(2);
    while support::forking::threads_in_this_process() != Some(1) {
        assert!(Instant::now() < deadline, "the printing thread lingers");
        std::thread::sleep(Duration::from_millis(1));
    }
}
