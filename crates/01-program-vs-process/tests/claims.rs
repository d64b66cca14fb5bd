//! Lesson 01's claims, one named test each, checked from its report.
//!
//! `harness = false`: the lesson starts *this test binary* again as its
//! children (re-exec in a role), so `main` dispatches roles first, as every
//! binary that runs the lesson does. `--list` lists without running the
//! lesson; each test runs it (once per process, quietly) when it first needs
//! it, so any one test can run alone, as cargo-nextest runs them. One test
//! starts this binary again with a hidden argument (handled in `main`) to
//! run the lesson aloud beside a thread that prints.

use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use program_vs_process::{FILE_VALUE, MY_VALUE, Options, ROLES, Report, run};
use support::testing::{output_within, run_tests_in_one_thread, trial};

const CHILDREN: u32 = 3;
/// The hidden argument that makes this binary run the lesson beside a thread.
const BESIDE_A_PRINTER: &str = "--run-lesson-beside-a-printing-thread";

fn main() {
    support::role::dispatch(&[ROLES]);
    if std::env::args().nth(1).as_deref() == Some(BESIDE_A_PRINTER) {
        run_the_lesson_beside_a_printing_thread();
    }
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
        // An exec'd child starts from the program file, not from my memory.
        assert_eq!(
            child.value_before, FILE_VALUE,
            "each child starts from the file's 100, not the parent's 7"
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
        report.parent_value_after, MY_VALUE,
        "the parent's 7 did not stay"
    );
    assert!(report.memory_kept_separate());
    // The summary says no as soon as one of its three parts fails.
    let mut changed_mine = report.clone();
    changed_mine.parent_value_after = 1_000;
    let mut one_kept_100 = report.clone();
    one_kept_100.children[0].value_after = FILE_VALUE;
    let mut one_failed = report.clone();
    one_failed.children[0].ending = support::Ending::Exited(1);
    for broken in [changed_mine, one_kept_100, one_failed] {
        assert!(!broken.memory_kept_separate());
    }
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
        "waitpid(pid, WNOHANG) did not say ECHILD for every child"
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

/// Lesson 01 does not fork in its narrated part: `Command::spawn` uses
/// posix_spawn(3), which is safe in a process with threads. So run as the
/// tour runs it, printing (not quiet) while another thread prints to stdout
/// in a loop, it must finish, not hang on the stdout lock and not refuse.
fn it_finishes_beside_a_printing_thread() {
    let me = std::env::current_exe().unwrap();
    let mut command = Command::new(me);
    let output = output_within(command.arg(BESIDE_A_PRINTER), Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    let lesson = stdout.lines().find(|line| line.starts_with("lesson: "));
    assert_eq!(lesson, Some("lesson: Ok"), "stderr: {stderr}");
    assert!(stdout.contains("Memory row: processes have separate"));
    assert!(stdout.contains("[child  pid="), "the children's lines");
    assert!(
        stdout.contains("printer: line "),
        "the printing thread's lines"
    );
}

/// The hidden case: a thread prints in a loop while the lesson runs.
fn run_the_lesson_beside_a_printing_thread() -> ! {
    use std::sync::atomic::{AtomicBool, Ordering};
    static STOP: AtomicBool = AtomicBool::new(false);
    let printer = std::thread::spawn(|| {
        let mut line = 0u64;
        while !STOP.load(Ordering::Relaxed) {
            line += 1;
            println!("printer: line {line}"); // takes the stdout lock each time
        }
    });
    let result = run(&Options::default());
    STOP.store(true, Ordering::Relaxed);
    printer.join().unwrap();
    match result {
        Ok(_) => println!("lesson: Ok"),
        Err(error) => println!("lesson: Err({error})"),
    }
    std::process::exit(0);
}
