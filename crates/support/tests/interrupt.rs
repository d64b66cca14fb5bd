//! Ctrl-C cleans up: a process holding a guarded child and a registered
//! file is sent SIGINT; afterwards the child is gone (killed *and* reaped)
//! and the file is removed, and the process itself died of SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::{ChildGuard, Ending};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("victim") {
        victim();
    }
    println!("\nrunning 1 test");
    interrupted_process_leaves_nothing_behind();
    println!("test interrupted_process_leaves_nothing_behind ... ok");
    println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n");
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

fn interrupted_process_leaves_nothing_behind() {
    let mut victim = Command::new(std::env::current_exe().unwrap())
        .arg("victim")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(victim.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let (sleeper, path) = line.trim().split_once(' ').unwrap();
    let sleeper = Pid::from_raw(sleeper.parse().unwrap());
    assert!(std::path::Path::new(path).exists());
    assert!(kill(sleeper, None).is_ok(), "the sleeper runs");

    kill(Pid::from_raw(victim.id() as i32), Signal::SIGINT).unwrap();
    let ending = Ending::from_exit_status(victim.wait().unwrap());

    assert_eq!(ending.signal(), Some(Signal::SIGINT), "{ending}");
    // The sleeper was killed and reaped by the victim's handler: not even a
    // zombie is left, so the pid no longer exists.
    assert!(kill(sleeper, None).is_err(), "the sleeper is still there");
    assert!(
        !std::path::Path::new(path).exists(),
        "{path} was left behind"
    );
}
