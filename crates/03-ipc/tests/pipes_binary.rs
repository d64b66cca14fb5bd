//! The `pipes` binary, run as a subprocess: its options, its exit codes, and
//! what Ctrl-C leaves behind (nothing).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

const PIPES: &str = env!("CARGO_BIN_EXE_pipes");

/// Waits for `child` at most `limit`; kills it and fails the test if it
/// takes longer.
fn wait_with_timeout(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the demo did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Process ids whose parent is `parent`, from /proc/*/stat.
fn children_of(parent: u32) -> Vec<i32> {
    let mut children = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return children;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
            continue;
        };
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|f| f.parse::<u32>().ok());
        if ppid == Some(parent) {
            children.push(pid);
        }
    }
    children
}

fn exists(pid: i32) -> bool {
    // Signal 0: does the process exist (a zombie counts)?
    !matches!(kill(Pid::from_raw(pid), None), Err(Errno::ESRCH))
}

#[test]
fn bad_sizes_exit_2_with_a_clear_message() {
    for (args, expected) in [
        (vec!["--mib", "0"], "--mib"),
        (vec!["--mib", "4097"], "4096"),
        (vec!["--mib", "lots"], "--mib"),
        (vec!["--mib", "-3"], "-3"),
        (vec!["--round-trips", "0"], "--round-trips"),
        (vec!["--no-such-option"], "no-such-option"),
    ] {
        let output = Command::new(PIPES).args(&args).output().expect("run pipes");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} printed a demo");
    }
}

#[test]
fn a_small_run_succeeds_and_says_what_happened() {
    let mut child = Command::new(PIPES)
        .args(["--mib", "8", "--round-trips", "100"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("run pipes");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).expect("read stdout");
        text
    });
    let status = wait_with_timeout(&mut child, Duration::from_secs(60));
    let text = reader.join().expect("reader thread");
    assert!(status.success(), "{status}\n{text}");
    assert!(text.contains("runs of 8.00 MiB per buffer"), "{text}");
    assert!(text.contains("checksums ok"), "{text}");
    for buffer in [" 64.0 KiB buffer: ", " 1.00 MiB buffer: "] {
        assert_eq!(text.matches(buffer).count(), 1, "{buffer}: {text}");
    }
    assert!(
        text.contains("(≤ PIPE_BUF): 0 torn; 8_000 of 8_000 complete"),
        "{text}"
    );
    assert!(text.contains("failed with EPIPE"), "{text}");
    assert!(text.contains("the checksum never came"), "{text}");
    assert!(text.contains("hello through the kernel"), "{text}");
    // Every line says who speaks.
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("=="))
    {
        assert!(
            line.starts_with("[parent pid=") || line.starts_with("[child  pid="),
            "untagged line: {line:?}"
        );
    }
}

/// Every line of the demo at its default options fits in 100 columns.
#[test]
fn every_line_fits_in_100_columns_at_default_options() {
    let output =
        support::testing::output_within(&mut Command::new(PIPES), Duration::from_secs(180));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(output.status.success(), "{}\n{text}", output.status);
    assert!(text.contains("== 6. Verdict =="), "{text}");
    for line in text.lines().map(pids_widened) {
        assert!(
            line.chars().count() <= 100,
            "{} columns with 7-digit pids: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn sigint_mid_run_leaves_no_child() {
    // Orphans of our descendants become our children: if the demo died
    // without reaping its children, waitpid below would find them.
    nix::sys::prctl::set_child_subreaper(true).expect("prctl(PR_SET_CHILD_SUBREAPER)");
    // A million round trips take tens of seconds (this binary is a debug
    // build): time to interrupt it while its child is answering.
    // Default signal actions, even when this suite runs as a background job.
    let mut demo = support::testing::with_default_signals(&mut Command::new(PIPES))
        .args(["--mib", "16", "--round-trips", "1000000"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("run pipes");
    let demo_pid = demo.id();
    let stdout = demo.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // Wait for the round-trip section to begin.
    loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("== 3.") => break,
            Some(Ok(_)) => continue,
            other => panic!("the demo ended before its round trips: {other:?}"),
        }
    }
    // Keep draining stdout so the demo never blocks on it.
    let drain = std::thread::spawn(move || lines.count());
    // Wait until the echoing child exists.
    let start = Instant::now();
    let children = loop {
        let children = children_of(demo_pid);
        if !children.is_empty() {
            break children;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no child appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    // Let it stream for a moment, then Ctrl-C.
    std::thread::sleep(Duration::from_millis(200));
    kill(Pid::from_raw(demo_pid as i32), Signal::SIGINT).expect("kill(SIGINT)");
    let status = wait_with_timeout(&mut demo, Duration::from_secs(30));
    let _ = drain.join();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status}");
    // The demo's handler killed and reaped its children before it died:
    // they are gone, not orphans handed to us (running, or dead unreaped).
    for child in children {
        let pid = Pid::from_raw(child);
        let as_ours = waitpid(pid, Some(WaitPidFlag::WNOHANG));
        assert_eq!(as_ours, Err(Errno::ECHILD), "child {child} was orphaned");
        assert!(!exists(child), "child {child} outlived the demo");
    }
    assert!(children_of(demo_pid).is_empty());
}

/// `line` with every pid in it (after `pid=`, `pid `, `child `) made 7
/// digits long, the most Linux gives (`pid_max` is at most 4_194_304).
fn pids_widened(line: &str) -> String {
    let mut out = line.to_string();
    for marker in ["pid=", "pid ", "child "] {
        let mut from = 0;
        while let Some(at) = out[from..].find(marker).map(|i| from + i + marker.len()) {
            let digits = out[at..].chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                out.replace_range(at..at + digits, "1234567");
            }
            from = at;
        }
    }
    out
}
