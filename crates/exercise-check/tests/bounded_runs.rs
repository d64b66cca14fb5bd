//! The runner's promises, tested with small shell scripts that misbehave on
//! purpose: a hang, children that outlive their parent (in their own session
//! too), a zombie nobody waited for, a fork bomb (a bounded one: 511 at most),
//! a flood of output, and two runs at once. After each, nothing may be left
//! below this process. The runner kills and reaps everything below it, so
//! every test runs on the main thread, one at a time.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use exercise_check::procs;
use exercise_check::run::{Ending, MOST_PROCESSES, Outcome, run, signals};
use nix::sys::signal::Signal;
use nix::unistd::getpid;
use support::role::Role;
use support::testing::{run_tests_in_one_thread, trial};

/// A shell script in the temporary directory, deleted when dropped.
struct Script(PathBuf);

impl Script {
    /// `{own-session}` in `body` starts this test binary in a session of its own.
    fn new(name: &str, body: &str) -> Script {
        let path = std::env::temp_dir().join(format!("exercise-check-{}-{name}.sh", getpid()));
        let me = std::env::current_exe().expect("current_exe");
        let own_session = format!(
            "'{}' {} exercise-check:own-session",
            me.display(),
            support::role::ROLE_FLAG
        );
        let body = body.replace("{own-session}", &own_session);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write the script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        Script(path)
    }

    fn run_for(&self, limit: Duration) -> Outcome {
        let outcome = run(&self.0, &[], limit, &mut |_| None).expect("run the script");
        assert_nothing_left_below_me();
        outcome
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn assert_nothing_left_below_me() {
    let below = procs::tree(getpid());
    assert_eq!(below.len(), 1, "left below the checker: {:?}", &below[1..]);
}

fn the_programs_own_exit_status_is_reported() {
    let outcome =
        Script::new("exit", "echo out; echo err >&2; exit 3").run_for(Duration::from_secs(10));
    assert_eq!(outcome.ending, Ending::Exited(3));
    assert_eq!(
        (outcome.stdout.as_str(), outcome.stderr.as_str()),
        ("out\n", "err\n")
    );
    let outcome = Script::new("segv", "kill -SEGV $$").run_for(Duration::from_secs(10));
    assert_eq!(outcome.ending, Ending::Killed(Signal::SIGSEGV));
    assert!(outcome.left_behind.is_empty());
}

fn a_hang_is_stopped_at_its_limit() {
    let outcome = Script::new("hang", "sleep 1000").run_for(Duration::from_millis(300));
    assert_eq!(outcome.ending, Ending::TimedOut(Duration::from_millis(300)));
    assert!(
        outcome.elapsed < Duration::from_secs(10),
        "{:?}",
        outcome.elapsed
    );
    let last = outcome
        .last_seen
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>();
    assert!(
        last.contains(&"sleep"),
        "the last look saw the sleeping child: {last:?}"
    );
}

fn processes_that_outlive_it_are_reported_then_ended() {
    // One in the background, one in a session of its own, one orphaned at
    // once by its subshell, and one stopped (SIGSTOP): SIGKILL ends them all.
    let body = "sleep 1000 &\n{own-session} &\n(sleep 1000 &)\nsleep 1000 &\nkill -STOP $!\nexit 0";
    let outcome = Script::new("outlive", body).run_for(Duration::from_secs(10));
    assert_eq!(outcome.ending, Ending::Exited(0));
    assert_eq!(outcome.left_behind.len(), 4, "{:?}", outcome.left_behind);
    assert!(
        outcome.left_behind.iter().any(|p| p.state == 'T'),
        "one was stopped"
    );
}

fn a_zombie_nobody_waited_for_is_reported_and_reaped() {
    // The shell starts `true`, then becomes `sleep`, which never waits for it.
    let outcome = Script::new("zombie", "true &\nexec sleep 0.3").run_for(Duration::from_secs(10));
    assert_eq!(outcome.ending, Ending::Exited(0));
    assert_eq!(outcome.left_behind.len(), 1, "{:?}", outcome.left_behind);
    assert!(outcome.left_behind[0].is_zombie());
}

/// A role: a process in a session (and a process group) of its own, asleep.
fn own_session(_: &[String]) -> i32 {
    nix::unistd::setsid().expect("setsid(2)"); // not a group leader: a background job
    std::thread::sleep(Duration::from_secs(1000));
    0
}

/// A role: leaves two zombie children, holds 256 MiB, and sleeps: when it is
/// killed, freeing that memory delays the moment its zombies become ours.
fn slow_to_die(_: &[String]) -> i32 {
    let memory = std::hint::black_box(vec![1_u8; 256 << 20]); // touched: really ours
    for _ in 0..2 {
        std::mem::forget(Command::new("true").spawn().expect("spawn true")); // never waited for
    }
    std::thread::sleep(Duration::from_secs(1000));
    memory.len() as i32
}

fn a_stopped_programs_zombie_children_are_reaped_too() {
    let me = std::env::current_exe().expect("current_exe");
    let args = [support::role::ROLE_FLAG, "exercise-check:slow-to-die"];
    let outcome = run(&me, &args, Duration::from_millis(500), &mut |_| None).expect("run");
    assert_eq!(outcome.ending, Ending::TimedOut(Duration::from_millis(500)));
    assert_nothing_left_below_me();
}

fn a_fork_bomb_is_stopped_and_cleared() {
    // Each process starts two more, eight levels deep: 511 at most, all in its group.
    let body = "bomb() {\n  if [ $1 -gt 0 ]; then bomb $(($1 - 1)) & bomb $(($1 - 1)) & fi\n  sleep 1000\n}\nbomb 8";
    let outcome = Script::new("bomb", body).run_for(Duration::from_secs(20));
    let Ending::Stopped(why) = &outcome.ending else {
        panic!("not stopped as a fork bomb: {:?}", outcome.ending);
    };
    assert!(
        why.contains(&format!("more than {MOST_PROCESSES} processes")),
        "{why}"
    );
}

fn a_fork_bomb_that_leaves_its_group_is_cleared_too() {
    // 300 processes, each in a session of its own: killpg cannot reach them.
    let body = "i=0\nwhile [ $i -lt 300 ]; do {own-session} & i=$((i + 1)); done\nwait";
    let outcome = Script::new("escaping", body).run_for(Duration::from_secs(20));
    assert!(
        matches!(outcome.ending, Ending::Stopped(_)),
        "{:?}",
        outcome.ending
    );
}

fn a_flood_of_output_is_capped() {
    let outcome = Script::new("flood", "exec yes").run_for(Duration::from_millis(300));
    assert_eq!(outcome.ending, Ending::TimedOut(Duration::from_millis(300)));
    assert!(
        outcome.stdout.len() <= 1 << 20,
        "{} bytes kept",
        outcome.stdout.len()
    );
}

/// A role: runs the script named by the first argument (limit 10 s) and
/// prints how it ended and how many processes it left behind; after SIGINT,
/// SIGTERM or SIGHUP, exits with 128 + its number, as the checker does.
fn run_script(args: &[String]) -> i32 {
    signals::end_runs_on_signals().expect("sigaction");
    let outcome = run(args[0].as_ref(), &[], Duration::from_secs(10), &mut |_| {
        None
    })
    .expect("run");
    println!("{:?} {}", outcome.ending, outcome.left_behind.len());
    signals::interrupted().map_or(0, |signal| 128 + signal as i32)
}

/// A role: a fork bomb whose every process goes to a session of its own and
/// forks again every 20 ms, 9 rounds in all: 512 processes at most (it is
/// bounded so that a failing test cannot take the machine, even as root).
fn setsid_bomb(_: &[String]) -> i32 {
    for _ in 0..9 {
        // SAFETY: this role's process has one thread (roles run before any is
        // started), and the child only calls setsid(2) and sleeps.
        if let Ok(nix::unistd::ForkResult::Child) = unsafe { nix::unistd::fork() } {
            let _ = nix::unistd::setsid(); // out of the group: killpg misses it
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(1000));
    0
}

fn a_fork_bomb_that_keeps_forking_in_new_sessions_is_cleared() {
    let me = std::env::current_exe().expect("current_exe");
    let args = [support::role::ROLE_FLAG, "exercise-check:setsid-bomb"];
    let outcome = run(&me, &args, Duration::from_secs(20), &mut |_| None).expect("run");
    assert!(
        matches!(&outcome.ending, Ending::Stopped(why) if why.contains("more than")),
        "{:?}",
        outcome.ending
    );
    assert_nothing_left_below_me();
}

fn ctrl_c_ends_the_run_and_clears_it() {
    // Whatever runs this test, orphans must come here to be counted.
    nix::sys::prctl::set_child_subreaper(true).expect("prctl");
    let script = Script::new("ctrl-c", "sleep 1000 &\n{own-session} &\nsleep 1000");
    let mut command = support::role::command("exercise-check:run-script").expect("current_exe");
    let checker = command
        .arg(&script.0)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    let pid = nix::unistd::Pid::from_raw(checker.id() as i32);
    nix::sys::signal::kill(pid, Signal::SIGINT).expect("kill");
    let output = checker.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(130), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("interrupted (SIGINT)"), "{said}");
    std::thread::sleep(Duration::from_millis(100)); // orphans reach us within this
    let below = procs::below(&[getpid()]);
    let reaped: Vec<_> = below[1..].iter().filter(|p| !p.is_zombie()).collect();
    assert!(reaped.is_empty(), "left running: {reaped:?}");
    for zombie in &below[1..] {
        let _ = nix::sys::wait::waitpid(zombie.pid, None);
    }
}

const ROLES: &[Role] = &[
    Role {
        name: "exercise-check:run-script",
        run: run_script,
    },
    Role {
        name: "exercise-check:own-session",
        run: own_session,
    },
    Role {
        name: "exercise-check:slow-to-die",
        run: slow_to_die,
    },
    Role {
        name: "exercise-check:setsid-bomb",
        run: setsid_bomb,
    },
];

fn two_runs_at_once_each_end_only_their_own() {
    // A slow script and a quick one, each leaving a sleeper: the quick run's
    // cleanup must not touch the slow run's program or its sleeper.
    let slow = Script::new("slow", "sleep 1000 &\nsleep 0.5\nexit 0");
    let quick = Script::new("quick", "sleep 1000 &\nexit 0");
    let start = |script: &Script| {
        let mut command = support::role::command("exercise-check:run-script").expect("current_exe");
        command
            .arg(&script.0)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (slow_run, quick_run) = (start(&slow), start(&quick));
    let said = |child: std::process::Child| {
        let output = child.wait_with_output().expect("wait");
        assert!(output.status.success());
        String::from_utf8(output.stdout).expect("utf-8")
    };
    assert_eq!(said(quick_run), "Exited(0) 1\n");
    assert_eq!(said(slow_run), "Exited(0) 1\n");
    assert_nothing_left_below_me();
}

fn main() {
    support::role::dispatch(&[ROLES]);
    run_tests_in_one_thread(vec![
        trial(
            "the_programs_own_exit_status_is_reported",
            the_programs_own_exit_status_is_reported,
        ),
        trial(
            "a_hang_is_stopped_at_its_limit",
            a_hang_is_stopped_at_its_limit,
        ),
        trial(
            "processes_that_outlive_it_are_reported_then_ended",
            processes_that_outlive_it_are_reported_then_ended,
        ),
        trial(
            "a_zombie_nobody_waited_for_is_reported_and_reaped",
            a_zombie_nobody_waited_for_is_reported_and_reaped,
        ),
        trial(
            "a_stopped_programs_zombie_children_are_reaped_too",
            a_stopped_programs_zombie_children_are_reaped_too,
        ),
        trial(
            "a_fork_bomb_is_stopped_and_cleared",
            a_fork_bomb_is_stopped_and_cleared,
        ),
        trial(
            "a_fork_bomb_that_leaves_its_group_is_cleared_too",
            a_fork_bomb_that_leaves_its_group_is_cleared_too,
        ),
        trial(
            "a_fork_bomb_that_keeps_forking_in_new_sessions_is_cleared",
            a_fork_bomb_that_keeps_forking_in_new_sessions_is_cleared,
        ),
        trial("a_flood_of_output_is_capped", a_flood_of_output_is_capped),
        trial(
            "ctrl_c_ends_the_run_and_clears_it",
            ctrl_c_ends_the_run_and_clears_it,
        ),
        trial(
            "two_runs_at_once_each_end_only_their_own",
            two_runs_at_once_each_end_only_their_own,
        ),
    ]);
}
