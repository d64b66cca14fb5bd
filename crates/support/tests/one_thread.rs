//! support's claims that need a single-threaded process: forking, the child
//! exit, guards across fork, and interrupts. Each trial runs on the main
//! thread (`harness = false`, see `support::testing`).

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use support::error::Error;
use support::forking::{prepare_to_fork, run_child, threads_in_this_process};
use support::testing::{run_tests_in_one_thread, trial};
use support::{ChildGuard, Ending};

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("victim") => victim(),
        Some("ignoring-victim") => ignoring_victim(),
        _ => {}
    }
    run_tests_in_one_thread(vec![
        trial(
            "interrupted_process_leaves_nothing_behind",
            interrupted_process_leaves_nothing_behind,
        ),
        trial(
            "an_ignored_sigint_stays_ignored",
            an_ignored_sigint_stays_ignored,
        ),
        trial(
            "prepare_to_fork_waits_for_threads_that_are_ending",
            threads_that_are_ending,
        ),
        trial(
            "an_inherited_guard_does_nothing_in_the_child",
            an_inherited_guard_does_nothing,
        ),
        trial(
            "a_child_error_is_reported_once_and_exits_1",
            a_child_error_exits_1,
        ),
        trial(
            "a_child_panic_exits_101_and_never_unwinds_into_the_parent",
            a_child_panic,
        ),
    ]);
}

/// Holds a guarded `sleep` child and a registered file, then waits to be
/// interrupted.
fn victim() -> ! {
    let path = format!("/tmp/support-interrupt-{}", std::process::id());
    std::fs::write(&path, b"left behind?").unwrap();
    support::guard::unlink_on_interrupt(&path);
    let sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let guard = ChildGuard::adopt(sleeper);
    println!("{} {}", guard.pid(), path);
    std::thread::sleep(std::time::Duration::from_secs(30));
    panic!("the victim was not interrupted");
}

/// Started with SIGINT ignored: guards a child (which installs the cleanup
/// handler), reports whether SIGINT is still ignored, then waits.
fn ignoring_victim() -> ! {
    let sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let guard = ChildGuard::adopt(sleeper);
    println!(
        "{} {}",
        guard.pid(),
        support::guard::is_ignored(Signal::SIGINT)
    );
    std::thread::sleep(std::time::Duration::from_secs(30));
    panic!("the victim was not terminated");
}

/// Starts this test binary as `role` and reads its first line.
fn start(role: &str, sigint_ignored: bool) -> (std::process::Child, String) {
    let exe = std::env::current_exe().unwrap();
    let mut command = if sigint_ignored {
        // What a shell does for `demo &`: SIGINT ignored, then exec.
        let mut sh = Command::new("sh");
        sh.args([
            "-c",
            "trap '' INT; exec \"$0\" \"$1\"",
            exe.to_str().unwrap(),
            role,
        ]);
        sh
    } else {
        let mut direct = Command::new(exe);
        support::testing::with_default_signals(direct.arg(role));
        direct
    };
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_string())
}

fn interrupted_process_leaves_nothing_behind() {
    let (mut victim, line) = start("victim", false);
    let (sleeper, path) = line.split_once(' ').unwrap();
    let sleeper = Pid::from_raw(sleeper.parse().unwrap());
    assert!(std::path::Path::new(path).exists());
    assert!(kill(sleeper, None).is_ok(), "the sleeper runs");

    kill(Pid::from_raw(victim.id() as i32), Signal::SIGINT).unwrap();
    let ending = Ending::from_exit_status(victim.wait().unwrap());

    assert_eq!(ending.signal(), Some(Signal::SIGINT), "{ending}");
    // Killed and reaped by the victim's handler: not even a zombie is left.
    assert_eq!(
        kill(sleeper, None),
        Err(Errno::ESRCH),
        "the sleeper is still there"
    );
    assert!(
        !std::path::Path::new(path).exists(),
        "{path} was left behind"
    );
}

fn an_ignored_sigint_stays_ignored() {
    let (mut victim, line) = start("ignoring-victim", true);
    let (sleeper, still_ignored) = line.split_once(' ').unwrap();
    let sleeper = Pid::from_raw(sleeper.parse().unwrap());
    assert_eq!(
        still_ignored, "true",
        "the cleanup handler took SIGINT over"
    );
    let victim_pid = Pid::from_raw(victim.id() as i32);
    kill(victim_pid, Signal::SIGINT).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        victim.try_wait().unwrap(),
        None,
        "SIGINT ended a job that ignores it"
    );
    // SIGTERM was not ignored: the handler cleans up and the victim dies of it.
    kill(victim_pid, Signal::SIGTERM).unwrap();
    let ending = Ending::from_exit_status(victim.wait().unwrap());
    assert_eq!(ending.signal(), Some(Signal::SIGTERM), "{ending}");
    assert_eq!(kill(sleeper, None), Err(Errno::ESRCH));
}

fn threads_that_are_ending() {
    for _ in 0..200 {
        // scope returns once the closures are done, not once the OS threads
        // have exited: the kernel may still count them for a moment.
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| std::hint::black_box(1 + 1));
            }
        });
        prepare_to_fork().expect("threads that are ending are waited for");
        assert_eq!(threads_in_this_process(), Some(1));
    }
}

fn an_inherited_guard_does_nothing() {
    let guard = ChildGuard::adopt(Command::new("sleep").arg("30").spawn().unwrap());
    let sleeper = guard.pid();
    prepare_to_fork().unwrap();
    // SAFETY: prepare_to_fork checked that this process has one thread.
    match unsafe { fork() }.unwrap() {
        // The child's copy of the guard is dropped here, in the child.
        ForkResult::Child => run_child(move || {
            drop(guard);
            Ok(())
        }),
        ForkResult::Parent { child } => {
            assert_eq!(waitpid(child, None).unwrap(), WaitStatus::Exited(child, 0));
            // Not dead (Z), and no SIGKILL on its way (bit 9 of ShdPnd).
            let status = std::fs::read_to_string(format!("/proc/{sleeper}/status")).unwrap();
            let field = |name: &str| {
                let line = status.lines().find(|l| l.starts_with(name)).unwrap();
                line[name.len()..].trim().to_string()
            };
            assert!(
                !field("State:").starts_with('Z'),
                "the child killed its sibling"
            );
            let pending = u64::from_str_radix(&field("ShdPnd:"), 16).unwrap();
            assert_eq!(pending & 1 << 8, 0, "the child sent SIGKILL to its sibling");
            assert_eq!(guard.kill().unwrap().signal(), Some(Signal::SIGKILL));
        }
    }
}

/// Forks a child that runs `body` through `run_child` with its stderr in a
/// pipe; returns its status and what it wrote to stderr.
fn child_with_stderr(body: fn() -> support::error::Result<()>) -> (WaitStatus, String) {
    let (read_end, write_end) = pipe().unwrap();
    prepare_to_fork().unwrap();
    // SAFETY: prepare_to_fork checked that this process has one thread.
    match unsafe { fork() }.unwrap() {
        ForkResult::Child => {
            nix::unistd::dup2_stderr(&write_end).unwrap();
            drop((read_end, write_end));
            run_child(body)
        }
        ForkResult::Parent { child } => {
            drop(write_end);
            let mut stderr = String::new();
            std::fs::File::from(read_end)
                .read_to_string(&mut stderr)
                .unwrap();
            (waitpid(child, None).unwrap(), stderr)
        }
    }
}

fn a_child_error_exits_1() {
    let (status, stderr) = child_with_stderr(|| Err(Error::msg("boom")));
    assert!(matches!(status, WaitStatus::Exited(_, 1)), "{status:?}");
    assert_eq!(stderr.matches("error: boom").count(), 1, "{stderr}");
    assert!(stderr.starts_with("[child  pid="), "{stderr}");
}

/// Set in the parent's frame; a child that unwound into it would print.
struct ParentFrame;
impl Drop for ParentFrame {
    fn drop(&mut self) {
        eprintln!("unwound into the parent's frame");
    }
}

fn a_child_panic() {
    let frame = ParentFrame;
    let (status, stderr) = child_with_stderr(|| panic!("child panics on purpose"));
    assert!(matches!(status, WaitStatus::Exited(_, 101)), "{status:?}");
    assert!(stderr.contains("child panics on purpose"), "{stderr}");
    assert!(!stderr.contains("unwound into the parent"), "{stderr}");
    std::mem::forget(frame);
}
