//! The shared-memory lesson's claims, checked by running its binary: the
//! lesson forks, so it cannot run inside this multi-threaded test harness.
//!
//! Each run gets a process group of its own, so a test can interrupt the
//! whole run as Ctrl-C would and then check that no process of it is left.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

const BIN: &str = env!("CARGO_BIN_EXE_shared-memory");
/// Generous: other builds share this machine, and several tests run at once.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A run of the demo, its stdout arriving line by line.
struct Run {
    child: Child,
    lines: Receiver<String>,
    stdout: Vec<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Run {
    fn start(args: &[&str]) -> Run {
        // Default signal actions, even when this suite runs as a background
        // job (SIGINT inherited as ignored): the tests send Ctrl-C.
        let mut child = support::testing::with_default_signals(&mut Command::new(BIN))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0) // its own group, as a shell job is
            .spawn()
            .expect("start the shared-memory demo");
        let (sender, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|line| line.ok()) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr_pipe.read_to_string(&mut text);
            text
        });
        Run {
            child,
            lines,
            stdout: Vec::new(),
            stderr,
        }
    }

    fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    /// Waits for a line of stdout containing `text`.
    fn wait_for_line(&mut self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    let found = line.contains(text);
                    self.stdout.push(line);
                    if found {
                        return;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(_) => panic!(
                    "the demo ended before printing {text:?}: {:#?}",
                    self.stdout
                ),
            }
        }
        self.kill_group();
        panic!("no line with {text:?} within {TIMEOUT:?}");
    }

    /// Waits (bounded) for the demo to end; returns status, stdout, stderr.
    fn finish(mut self) -> (ExitStatus, String, String) {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                self.kill_group();
                panic!("the demo did not end within {TIMEOUT:?}: a hang");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.stdout.extend(self.lines.iter());
        let stderr = self.stderr.join().unwrap();
        (status, self.stdout.join("\n"), stderr)
    }

    fn kill_group(&mut self) {
        let _ = killpg(self.pid(), Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

fn run_to_end(args: &[&str]) -> (Pid, ExitStatus, String, String) {
    let run = Run::start(args);
    let pid = run.pid();
    let (status, stdout, stderr) = run.finish();
    (pid, status, stdout, stderr)
}

/// The `report KEY=VALUE` lines `--print-report` adds.
fn report(stdout: &str) -> HashMap<String, String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("report "))
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// No `/dev/shm` entry of the run, and no process of its group, remain.
fn assert_nothing_left(pid: Pid) {
    let shm = format!("/dev/shm/ipc-lesson-03-{pid}");
    assert!(!Path::new(&shm).exists(), "{shm} was left behind");
    // The group's processes are gone once kill(-pgid, 0) says ESRCH. Give
    // the kernel a moment: an orphan is reaped by init, not by us.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match kill(Pid::from_raw(-pid.as_raw()), None) {
            Err(Errno::ESRCH) => return,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            other => panic!("a process of the run's group is still there: {other:?}"),
        }
    }
}

const PARENT_NOTE: &str = "written by the parent before fork";
const CHILD_NOTE: &str = "written by the child after fork";

#[test]
fn every_byte_arrives_the_pages_behave_and_nothing_is_left() {
    let (pid, status, stdout, stderr) = run_to_end(&["--mib", "4", "--print-report"]);
    assert!(status.success(), "{status}\n{stdout}\n{stderr}");
    let report = report(&stdout);
    let get = |key: &str| {
        report
            .get(key)
            .unwrap_or_else(|| panic!("no {key} in {stdout}"))
    };

    // Part 1: MAP_PRIVATE hides the child's write, MAP_SHARED shows it.
    assert_eq!(get("private_child_saw"), CHILD_NOTE);
    assert_eq!(get("private_parent_saw"), PARENT_NOTE);
    assert_eq!(get("shared_child_saw"), CHILD_NOTE);
    assert_eq!(get("shared_parent_saw"), CHILD_NOTE);

    // Part 2: every byte through the ring, checksums equal.
    let four_mib = (4u64 << 20).to_string();
    assert_eq!(get("ring_bytes_sent"), &four_mib);
    assert_eq!(get("ring_bytes_received"), &four_mib);
    assert_eq!(get("ring_checksum_ok"), "true");
    assert_eq!(get("reference_ok"), "true");
    assert_eq!(get("ring_runs"), &ipc::noise::RUNS.to_string());
    assert!(stdout.contains("consumer: received 4.00 MiB"), "{stdout}");

    // Part 3: the figures were measured.
    for key in ["shm_round_trip_secs", "futex_round_trip_secs"] {
        let value: f64 = get(key).parse().unwrap();
        assert!(value.is_finite() && value > 0.0, "{key} = {value}");
    }

    // Part 4: the reader got it all through the name, and the name is gone.
    assert_eq!(get("named_bytes"), &four_mib);
    assert_eq!(get("named_name_gone"), "true");
    assert!(stdout.contains("matches the writer's"), "{stdout}");

    // Part 5 is printed.
    assert!(stdout.contains("FUTEX_PRIVATE_FLAG"), "{stdout}");
    assert_nothing_left(pid);
}

/// Every line of the demo at its default options fits in 100 columns.
#[test]
fn every_line_fits_in_100_columns_at_default_options() {
    let (pid, status, stdout, stderr) = run_to_end(&[]);
    assert!(status.success(), "{status}\n{stdout}\n{stderr}");
    assert!(stdout.contains("== 6. Verdict =="), "{stdout}");
    for line in stdout.lines().map(pids_widened) {
        assert!(
            line.chars().count() <= 100,
            "{} columns with 7-digit pids: {line}",
            line.chars().count()
        );
    }
    assert_nothing_left(pid);
}

#[test]
fn bad_sizes_exit_2_with_a_clear_message() {
    for bad in ["0", "4097", "lots", "-1"] {
        let (_, status, _, stderr) = run_to_end(&[&format!("--mib={bad}")]);
        assert_eq!(status.code(), Some(2), "--mib {bad}: {stderr}");
        assert!(stderr.contains("--mib"), "--mib {bad}: {stderr}");
    }
}

/// A peer killed with SIGKILL mid-transfer: the demo names it and exits 1,
/// within the timeout, and leaves nothing behind.
fn a_killed_peer_is_an_error(victim: &str, named_in_error: &str) {
    let (pid, status, stdout, stderr) = run_to_end(&["--mib", "64", "--test-kill", victim]);
    assert_eq!(status.code(), Some(1), "{status}\n{stdout}\n{stderr}");
    assert!(
        stderr.contains(named_in_error) && stderr.contains("SIGKILL"),
        "{stderr}"
    );
    assert_nothing_left(pid);
}

#[test]
fn a_killed_ring_consumer_is_an_error_not_a_hang() {
    a_killed_peer_is_an_error("ring-consumer", "the consumer");
}

#[test]
fn a_killed_named_writer_is_an_error_not_a_hang() {
    a_killed_peer_is_an_error("named-writer", "the writer");
}

#[test]
fn a_killed_named_reader_is_an_error_not_a_hang() {
    a_killed_peer_is_an_error("named-reader", "the reader");
}

/// Waits for the run's named object to appear in /dev/shm.
fn wait_for_the_name(run: &mut Run) {
    let path = format!("/dev/shm/ipc-lesson-03-{}", run.pid());
    run.wait_for_line("writer: created /dev/shm");
    assert!(
        Path::new(&path).exists(),
        "{path} should exist while the reader waits"
    );
}

#[test]
fn ctrl_c_while_the_name_exists_removes_it_and_every_child() {
    // The reader waits 60 s before opening: the name stays until we interrupt.
    let mut run = Run::start(&["--mib", "4", "--test-hold-named-ms", "60000"]);
    wait_for_the_name(&mut run);
    // Ctrl-C in a terminal signals the whole foreground group.
    killpg(run.pid(), Signal::SIGINT).unwrap();
    let pid = run.pid();
    let (status, stdout, stderr) = run.finish();
    assert_eq!(
        status.signal(),
        Some(libc::SIGINT),
        "{status}\n{stdout}\n{stderr}"
    );
    assert_nothing_left(pid);
}

#[test]
fn sigint_to_the_parent_alone_also_removes_the_name_and_children() {
    let mut run = Run::start(&["--mib", "4", "--test-hold-named-ms", "60000"]);
    wait_for_the_name(&mut run);
    kill(run.pid(), Signal::SIGINT).unwrap();
    let pid = run.pid();
    let (status, stdout, stderr) = run.finish();
    assert_eq!(
        status.signal(),
        Some(libc::SIGINT),
        "{status}\n{stdout}\n{stderr}"
    );
    assert_nothing_left(pid);
}

#[test]
fn ctrl_c_in_the_middle_of_a_big_transfer_leaves_no_child() {
    // 64 MiB: the checksum before the fork and the transfer after it each
    // take seconds in a debug build, so the interrupt lands mid-transfer;
    // far more would make the wait for the fork outlast TIMEOUT on a busy
    // machine.
    let mut run = Run::start(&["--mib", "64"]);
    run.wait_for_line("forked the consumer");
    kill(run.pid(), Signal::SIGINT).unwrap();
    let pid = run.pid();
    let (status, stdout, stderr) = run.finish();
    assert_eq!(
        status.signal(),
        Some(libc::SIGINT),
        "{status}\n{stdout}\n{stderr}"
    );
    assert_nothing_left(pid);
}

/// `line` with every pid in it (after `pid=`, `pid `, `-03-`) made 7 digits
/// long, the most Linux gives (`pid_max` is at most 4_194_304).
fn pids_widened(line: &str) -> String {
    let mut out = line.to_string();
    for marker in ["pid=", "pid ", "-03-"] {
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
