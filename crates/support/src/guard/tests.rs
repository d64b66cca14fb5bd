//! The guard's unit tests (those that need no single-threaded process).

use super::*;
use std::process::Command;

fn still_exists(pid: Pid) -> bool {
    // Signal 0 checks that the process exists (a zombie counts).
    kill(pid, None).is_ok()
}

#[test]
fn a_waited_child_reports_its_ending() {
    let child = Command::new("sh").args(["-c", "exit 3"]).spawn().unwrap();
    let guard = ChildGuard::adopt(child);
    assert_eq!(guard.wait().unwrap(), Ending::Exited(3));
}

#[test]
fn dropping_an_unwaited_guard_kills_and_reaps_the_child() {
    let child = Command::new("sleep").arg("30").spawn().unwrap();
    let pid = Pid::from_raw(child.id() as i32);
    drop(ChildGuard::adopt(child));
    // Reaped, not a zombie: the pid is gone entirely.
    assert!(!still_exists(pid));
}

#[test]
fn kill_reports_the_signal() {
    let child = Command::new("sleep").arg("30").spawn().unwrap();
    let ending = ChildGuard::adopt(child).kill().unwrap();
    assert_eq!(ending.signal(), Some(Signal::SIGKILL));
}

#[test]
fn paths_are_registered_and_forgotten() {
    let path = format!("/tmp/support-guard-test-{}", std::process::id());
    unlink_on_interrupt(&path);
    let registered = || {
        PATHS.iter().any(|slot| {
            let raw = slot.load(Ordering::SeqCst);
            // SAFETY: non-null entries are leaked, never-freed CStrings.
            !raw.is_null() && unsafe { std::ffi::CStr::from_ptr(raw) }.to_bytes() == path.as_bytes()
        })
    };
    assert!(registered());
    forget_path(&path);
    assert!(!registered());
}
