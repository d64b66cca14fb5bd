//! The lesson's claims, checked in a process of our own (`harness = false`):
//! the lesson forks and lets children crash, which is only sound from a
//! single-threaded process, and cargo's usual test harness runs tests on
//! several threads. `run_tests_in_one_thread` runs every named test on the
//! main thread, one after another (`-- --list` lists them, a name filters
//! them, and cargo-nextest runs each in a process of its own).
//!
//! This binary also plays "another binary that runs the lesson" (like the
//! tour): the lesson re-executes *it* in its hidden role, so `main` hands
//! its arguments to the role dispatch first. It has a role of its own too,
//! for the test that runs the lesson beside a second, printing thread.
//!
//! Around every test, this process
//! - is a *child subreaper*: any process the lesson orphans is handed to us
//!   instead of to init, so the final check would see it;
//! - raises its core-file limit as far as it may, and works in an empty
//!   directory: a core file the lesson failed to prevent would show up;
//! - sets an alarm, so a hang ends the test instead of stalling CI.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use fault_isolation::{
    Accounts, Crash, FAULTY_WORKER, Options, Report, WORKERS, crash_in_child, crash_in_thread,
    fault_free_result, planned_crash, supervisor,
};
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;
use support::Ending;
use support::role::Role;
use support::testing::embedded::{
    REFUSAL, outcome_beside_a_printing_thread, run_beside_a_printing_thread,
};
use support::testing::{run_tests_in_one_thread, trial};

/// The hidden role that runs the lesson beside a printing thread.
const EMBEDDED_ROLE: &str = "fault-isolation-test:beside-a-printing-thread";
const TEST_ROLES: &[Role] = &[Role {
    name: EMBEDDED_ROLE,
    run: run_beside_a_printing_thread_role,
}];

fn main() {
    support::role::dispatch(&[fault_isolation::ROLES, TEST_ROLES]);
    run_tests_in_one_thread(vec![
        trial("whole_lesson_with_every_claim", || checked(whole_lesson)),
        trial("abort_is_a_real_crash_too", || checked(abort_variant)),
        trial("supervisor_result_equals_the_fault_free_one", || {
            checked(supervisor_plans)
        }),
        trial("the_same_plan_replays_the_same_faults", || {
            checked(supervisor_is_reproducible)
        }),
        trial("a_supervisor_that_gives_up_says_so", || {
            checked(supervisor_gives_up)
        }),
        trial("the_supervisor_waits_only_for_its_own_children", || {
            checked(supervisor_leaves_other_children_alone)
        }),
        trial("a_supervisor_with_no_restarts_gives_up_at_once", || {
            checked(supervisor_with_no_restarts)
        }),
        trial("a_worker_thread_that_never_starts_causes_no_hang", || {
            checked(worker_that_fails_to_start)
        }),
        trial(
            "the_library_bounds_its_options_as_the_command_line_does",
            || checked(options_are_bounded),
        ),
        trial("fork_is_refused_while_another_thread_runs", || {
            checked(fork_needs_one_thread)
        }),
        trial("run_beside_a_printing_thread_refuses_or_finishes", || {
            checked(embedded_beside_a_printing_thread)
        }),
        trial("ctrl_c_part_way_leaves_no_child", || {
            checked(interrupt_leaves_no_child)
        }),
        trial("the_demo_binary_exits_0_and_leaves_no_core", || {
            checked(demo_binary)
        }),
    ]);
}

/// Runs `test` in an empty working directory, as a subreaper that allows
/// core files, under an alarm; then checks that no file and no child is
/// left behind.
fn checked(test: fn()) {
    nix::unistd::alarm::set(300); // SIGALRM ends a hung test
    nix::sys::prctl::set_child_subreaper(true).expect("prctl(PR_SET_CHILD_SUBREAPER)");
    let (_, hard) = getrlimit(Resource::RLIMIT_CORE).expect("getrlimit");
    setrlimit(Resource::RLIMIT_CORE, hard, hard).expect("setrlimit");
    let workdir = WorkDir::new();
    test();
    workdir.assert_empty();
    assert_no_children("after the test");
    nix::unistd::alarm::cancel();
}

/// An empty directory to work in; on drop, back to the temp dir and gone.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> WorkDir {
        let path =
            std::env::temp_dir().join(format!("fault-isolation-test-{}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create the working directory");
        std::env::set_current_dir(&path).expect("chdir");
        WorkDir(path)
    }

    /// No file at all may appear in it (core, core.PID…).
    fn assert_empty(&self) {
        let entries: Vec<_> = std::fs::read_dir(&self.0)
            .expect("read the working directory")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert!(entries.is_empty(), "files left behind: {entries:?}");
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(std::env::temp_dir());
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn small() -> Options {
    Options {
        units: 6,
        ..Options::default()
    }
}

fn whole_lesson() {
    let options = small();
    let units = options.units;
    let fail_at = units / 2;
    let report: Report = fault_isolation::run(&options).expect("the lesson runs");

    // 1. The panicking thread's join is Err; the other three are complete.
    let panic = &report.panic_in_thread;
    assert!(panic.join_was_err);
    assert!(panic.payload.contains("worker-2"), "{:?}", panic.payload);
    let survivors: Vec<u32> = panic.survivors.iter().map(|s| s.worker).collect();
    assert_eq!(survivors, [1, 3, 4]);
    for survivor in &panic.survivors {
        assert!(survivor.correct);
        assert_eq!(survivor.value, fault_free_result(survivor.worker, units));
    }
    assert_eq!(panic.outcome.results_delivered, 3);
    assert_eq!(panic.outcome.units_lost, units);
    assert_eq!(panic.outcome.ending, None);

    // 2. std's mutex is poisoned; parking_lot's is not.
    let poison = &report.poisoning;
    assert!(poison.std_poisoned && poison.std_lock_was_err);
    assert_eq!(poison.std_seen, Accounts::HALF_DONE);
    assert_eq!(poison.std_repaired.total(), 100);
    assert_eq!(poison.parking_lot_seen, Accounts::HALF_DONE);

    // 3. The crashing-thread child ends by a signal, and the parent sees it.
    let threads = &report.crash_in_thread;
    assert_eq!(threads.ending.signal(), Some(Signal::SIGSEGV));
    assert_eq!(
        threads.ending,
        Ending::Killed {
            signal: Signal::SIGSEGV as i32,
            core_dumped: false
        }
    );
    assert_eq!(threads.results_arrived, 0);
    assert_eq!(threads.units_reported.len(), WORKERS as usize);
    assert_eq!(threads.units_reported[FAULTY_WORKER as usize - 1], fail_at);
    for done in &threads.units_reported {
        assert!(*done >= fail_at / 2 && *done <= units);
    }
    assert_eq!(threads.outcome.units_lost, WORKERS * units);
    assert_eq!(
        threads.outcome.units_done_then_lost,
        threads.units_reported.iter().sum::<u32>()
    );

    // 4. Exactly one worker process ends by a signal; the others' results
    // are complete and correct.
    check_worker_processes(&report.crash_in_child, units, Signal::SIGSEGV);

    // 5. The supervisor's final result equals the fault-free result.
    let supervised = &report.supervisor;
    assert_eq!(supervised.result, Some(supervised.fault_free));
    assert!(supervised.gave_up.is_empty());

    // The three outcomes for the key-differences table.
    let faults: Vec<&str> = report.outcomes().iter().map(|o| o.fault).collect();
    assert_eq!(
        faults,
        [
            "panic in a thread",
            "crash in a thread",
            "crash in a child process"
        ]
    );
    assert!(report.outcomes().iter().all(|o| o.parent_survived));
}

fn check_worker_processes(
    report: &fault_isolation::CrashInChildReport,
    units: u32,
    signal: Signal,
) {
    let killed: Vec<u32> = report
        .workers
        .iter()
        .filter(|w| w.ending.signal().is_some())
        .map(|w| w.worker)
        .collect();
    assert_eq!(killed, [FAULTY_WORKER]);
    for worker in &report.workers {
        if worker.worker == FAULTY_WORKER {
            assert_eq!(worker.ending.signal(), Some(signal));
            assert!(!matches!(
                worker.ending,
                Ending::Killed {
                    core_dumped: true,
                    ..
                }
            ));
            assert_eq!(worker.value, None);
        } else {
            assert_eq!(worker.ending, Ending::Exited(0));
            assert_eq!(worker.value, Some(fault_free_result(worker.worker, units)));
            assert!(worker.correct);
        }
    }
    assert_eq!(report.outcome.results_delivered, WORKERS - 1);
    assert_eq!(report.outcome.units_delivered, (WORKERS - 1) * units);
    assert_eq!(report.outcome.units_lost, units);
}

fn abort_variant() {
    let options = Options {
        crash: Crash::Abort,
        ..small()
    };
    let threads = crash_in_thread(&options).expect("scenario 3 runs");
    assert_eq!(threads.ending.signal(), Some(Signal::SIGABRT));
    assert_eq!(threads.results_arrived, 0);
    let processes = crash_in_child(&options).expect("scenario 4 runs");
    check_worker_processes(&processes, options.units, Signal::SIGABRT);
}

fn supervisor_plans() {
    let mut crashes_seen = 0;
    for plan in 1..=6 {
        let options = Options {
            fault_plan: plan,
            crash_probability: 0.5,
            max_restarts: 10,
            ..small()
        };
        let report = supervisor(&options).expect("the supervisor runs");
        // With 10 restarts allowed, each of these plans finishes.
        assert!(report.gave_up.is_empty(), "plan {plan}: {report:?}");
        assert_eq!(report.result, Some(report.fault_free), "plan {plan}");
        assert_eq!(report.restarts as usize, report.crashes.len());
        for (_, _, ending) in &report.crashes {
            assert_eq!(ending.signal(), Some(Signal::SIGSEGV));
        }
        // The crashes are exactly the ones the plan drew.
        let planned: usize = (1..=WORKERS)
            .map(|worker| {
                (1..)
                    .take_while(|&attempt| {
                        planned_crash(plan, worker, attempt, options.units, 0.5).is_some()
                    })
                    .count()
            })
            .sum();
        assert_eq!(report.crashes.len(), planned, "plan {plan}");
        crashes_seen += report.crashes.len();
    }
    assert!(
        crashes_seen > 0,
        "these plans were meant to crash something"
    );
}

fn supervisor_is_reproducible() {
    let options = Options {
        fault_plan: 42,
        crash_probability: 0.6,
        ..small()
    };
    let sorted = |report: fault_isolation::SupervisorReport| {
        let mut crashes = report.crashes.clone();
        crashes.sort_by_key(|&(worker, attempt, _)| (worker, attempt));
        (
            crashes,
            report.gave_up.iter().copied().collect::<BTreeSet<_>>(),
        )
    };
    let first = sorted(supervisor(&options).expect("first run"));
    let second = sorted(supervisor(&options).expect("second run"));
    assert_eq!(first, second);
}

fn supervisor_gives_up() {
    let options = Options {
        crash_probability: 1.0,
        max_restarts: 1,
        ..small()
    };
    let report = supervisor(&options).expect("the supervisor runs");
    assert_eq!(report.result, None);
    assert_eq!(report.gave_up.len(), WORKERS as usize);
    assert_eq!(report.crashes.len(), 2 * WORKERS as usize);
    assert_eq!(report.restarts, WORKERS);
}

fn supervisor_with_no_restarts() {
    let options = Options {
        crash_probability: 1.0,
        max_restarts: 0,
        ..small()
    };
    let report = supervisor(&options).expect("the supervisor runs");
    assert_eq!(report.result, None);
    assert_eq!(report.gave_up, [1, 2, 3, 4]);
    assert_eq!(report.crashes.len(), WORKERS as usize);
    assert_eq!(report.restarts, 0);
}

/// The hook makes a worker thread of scenario 3's child not start. Before,
/// worker-2 waited for it forever; now it waits at most two seconds and
/// crashes anyway. If worker-2 itself does not start, nothing crashes.
fn worker_that_fails_to_start() {
    let options = Options {
        fail_to_start: Some(3),
        ..small()
    };
    let report = crash_in_thread(&options).expect("scenario 3 ends");
    assert_eq!(report.ending.signal(), Some(Signal::SIGSEGV));
    assert_eq!(report.units_reported[2], 0, "worker-3 never ran");
    assert_eq!(report.results_arrived, 0);
    let all_done: u32 = report.units_reported.iter().sum();
    assert_eq!(
        report.outcome.units_done_then_lost, all_done,
        "every result was lost"
    );

    let options = Options {
        fail_to_start: Some(FAULTY_WORKER),
        ..small()
    };
    let report = crash_in_thread(&options).expect("scenario 3 ends");
    assert_eq!(report.ending, Ending::Exited(0), "nobody crashed");
    assert_eq!(report.results_arrived, WORKERS - 1);
    assert_eq!(report.outcome.results_delivered, WORKERS - 1);
    // Only worker-2's result is lost, and worker-2 did no unit: the three
    // others' finished units arrived, so none of them counts as lost.
    assert_eq!(report.units_reported[1], 0, "worker-2 never ran");
    let units = small().units;
    assert_eq!(
        report.units_reported.iter().sum::<u32>(),
        (WORKERS - 1) * units
    );
    assert_eq!(report.outcome.units_lost, units);
    assert_eq!(report.outcome.units_done_then_lost, 0);
}

/// The library refuses what the command line refuses, before any fork.
fn options_are_bounded() {
    let cases = [
        Options {
            max_restarts: 11,
            ..small()
        },
        Options {
            max_restarts: u32::MAX,
            ..small()
        },
        Options {
            units: 0,
            ..small()
        },
        Options {
            units: 1001,
            ..small()
        },
        Options {
            crash_probability: 1.5,
            ..small()
        },
        Options {
            crash_probability: f64::NAN,
            ..small()
        },
        Options {
            fault_plan: u64::MAX,
            ..small()
        },
    ];
    for options in cases {
        let error = supervisor(&options).expect_err("out of bounds");
        assert!(error.to_string().starts_with("invalid option: "), "{error}");
        let error = fault_isolation::run(&options).expect_err("out of bounds");
        assert!(error.to_string().starts_with("invalid option: "), "{error}");
    }
}

/// A child of ours that is not the supervisor's: it must still be there,
/// unreaped, when the supervisor returns.
fn supervisor_leaves_other_children_alone() {
    let mut other = Command::new("sh")
        .args(["-c", "exit 7"])
        .spawn()
        .expect("spawn sh");
    let other_pid = Pid::from_raw(other.id() as i32);
    // Wait until it has ended (a zombie, ready to reap), without reaping it.
    waitid(
        Id::Pid(other_pid),
        WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
    )
    .expect("waitid(WNOWAIT)");
    let options = Options {
        crash_probability: 0.5,
        max_restarts: 10,
        ..small()
    };
    let report = supervisor(&options).expect("the supervisor runs");
    assert_eq!(report.result, Some(report.fault_free));
    // Still ours to reap, with its own exit code.
    let status = other
        .wait()
        .expect("our own child is still there to wait for");
    assert_eq!(status.code(), Some(7));
}

fn fork_needs_one_thread() {
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || wait.recv());
    let refused = [
        crash_in_child(&small()).expect_err("crash_in_child with a second thread alive"),
        supervisor(&small()).expect_err("supervisor with a second thread alive"),
        fault_isolation::run(&small()).expect_err("run with a second thread alive"),
    ];
    release.send(()).expect("wake the thread");
    other.join().expect("join").expect("recv");
    for error in refused {
        let text = error.to_string();
        assert!(
            text.starts_with("refusing to fork: this process has "),
            "{text}"
        );
    }
}

/// The lesson, called from a program that has a second thread printing in
/// a loop, must refuse or finish, never hang: run in a child process of
/// this test binary (its hidden role), with a time limit.
fn embedded_beside_a_printing_thread() {
    let (outcome, _) = outcome_beside_a_printing_thread(EMBEDDED_ROLE, Duration::from_secs(120));
    assert!(outcome == "ok" || outcome.starts_with(REFUSAL), "{outcome}");
}

/// The role: the lesson beside a printing thread.
fn run_beside_a_printing_thread_role(_args: &[String]) -> i32 {
    run_beside_a_printing_thread(|| fault_isolation::run(&small()).map(drop))
}

fn interrupt_leaves_no_child() {
    for delay_ms in [5, 40, 80, 120, 200, 300] {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_fault-isolation"));
        // Ctrl-C must reach the demo even when this suite runs as a
        // background job (SIGINT inherited as ignored).
        let mut child = support::testing::with_default_signals(&mut demo)
            .args(["--units", "30"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn the demo");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let pid = Pid::from_raw(child.id() as i32);
        kill(pid, Signal::SIGINT).expect("kill(SIGINT)");
        let status = child.wait().expect("wait for the demo");
        let ending = Ending::from_exit_status(status);
        // Either the signal ended it, or it had already finished.
        assert!(
            ending.signal() == Some(Signal::SIGINT) || ending.is_success(),
            "after {delay_ms} ms: {ending}"
        );
        println!("SIGINT after {delay_ms} ms: the demo {ending}");
        assert_no_children(&format!("SIGINT after {delay_ms} ms"));
    }
}

fn demo_binary() {
    // In an empty working directory, with core files allowed (`checked`
    // raised RLIMIT_CORE as far as it may: `ulimit -c unlimited` when the
    // hard limit allows), each run exits 0 and no core file appears.
    let runs: [&[&str]; 3] = [
        &["--units", "6"],
        &["--units", "6", "--crash", "abort"],
        &[
            "--units",
            "6",
            "--crash-probability",
            "1",
            "--max-restarts",
            "0",
        ],
    ];
    for args in runs {
        let output = Command::new(env!("CARGO_BIN_EXE_fault-isolation"))
            .args(args)
            .output()
            .expect("run the demo");
        assert!(output.status.success(), "{args:?}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("killed by SIG"), "{args:?}");
        assert!(!stdout.contains("core dumped"), "{args:?}");
        assert_no_children(&format!("after the demo {args:?}"));
    }
}

/// No process may still have us as its parent: none running, none a
/// zombie, and (we are a subreaper) no orphan of a child either.
fn assert_no_children(context: &str) {
    let me = std::process::id().to_string();
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue; // not a process, or it just ended
        };
        // pid (comm) state ppid …: comm may hold spaces, so split after ')'.
        let Some((_, after_comm)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = after_comm.split_whitespace().collect();
        if fields.get(1) == Some(&me.as_str()) {
            children.push(format!(
                "{} ({})",
                entry.file_name().to_string_lossy(),
                stat.trim()
            ));
        }
    }
    assert!(
        children.is_empty(),
        "{context}: children left: {children:?}"
    );
}
