//! The demo binary, run as a learner runs it (small sizes, so it is quick).

use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::testing::output_within;

const DEMO: &str = env!("CARGO_BIN_EXE_when-to-use-which");

/// Runs the demo with `args`, killing it if it takes over a minute.
fn demo(args: &[&str]) -> Output {
    output_within(Command::new(DEMO).args(args), Duration::from_secs(60))
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    for option in ["--tasks", "--wait-ms", "--workers", "--size", "--repeats"] {
        for bad in ["0", "999999999999", "many", "-3"] {
            // `--tasks=-3`: written apart, `-3` would read as a flag.
            let output = demo(&[&format!("{option}={bad}")]);
            assert_eq!(output.status.code(), Some(2), "{option} {bad}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(option), "{option} {bad}: {stderr}");
            assert!(output.stdout.is_empty(), "{option} {bad}");
        }
    }
}

const QUICK: &[&str] = &[
    "--tasks",
    "3",
    "--wait-ms",
    "5",
    "--workers",
    "2",
    "--size",
    "50000",
    "--repeats",
    "1",
];

#[test]
fn the_story_is_told_by_the_right_speakers() {
    let output = demo(QUICK);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let parent_pid = stdout
        .lines()
        .find_map(|line| line.strip_prefix("[parent pid="))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a parent line")
        .to_string();

    let mut thread_tasks = BTreeSet::new();
    let mut child_pids = BTreeSet::new();
    for line in stdout.lines().filter(|line| !line.is_empty()) {
        if line.starts_with("== ") {
            continue;
        }
        let tag = line.split(']').next().unwrap_or_default();
        assert!(
            tag.starts_with("[parent pid=")
                || tag.starts_with("[thread pid=")
                || tag.starts_with("[child  pid="),
            "untagged line: {line}"
        );
        if tag.starts_with("[thread ") {
            // Threads speak with the parent's pid and their own names.
            assert!(tag.contains(&format!("pid={parent_pid} ")), "{line}");
            let name = tag.split_whitespace().last().unwrap_or_default();
            if name.starts_with("task-") {
                thread_tasks.insert(name.to_string());
            }
        }
        if let Some(rest) = tag.strip_prefix("[child  pid=") {
            let pid = rest.split_whitespace().next().unwrap_or_default();
            assert_ne!(pid, parent_pid, "{line}");
            child_pids.insert(pid.to_string());
        }
    }
    assert_eq!(
        thread_tasks.len(),
        3,
        "one thread per task: {thread_tasks:?}"
    );
    // Three task processes and two worker processes spoke, each with its
    // own pid (the address-space workers do not speak).
    assert_eq!(child_pids.len(), 5, "{child_pids:?}\n{stdout}");
    // The service, 3 task processes, 2 prime workers, 2 address-space workers.
    assert!(
        stdout.contains("forked 8 processes, reaped 8; children left: none"),
        "{stdout}"
    );
}

#[test]
fn every_mode_prints_the_same_answers() {
    let output = demo(QUICK);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let pages = "19_200"; // 2 workers × 150 maps × 64 pages of 4 KiB
    for (section, answer) in [("== 1.", "6_000_018"), ("== 2.", "5_133"), ("== 5.", pages)] {
        let text = stdout.split(section).nth(1).expect("the section");
        let text = text.split("\n== ").next().unwrap_or_default();
        let first = if section == "== 5." {
            "1 worker "
        } else {
            "serial "
        };
        for mode in [first, "threads ", "processes "] {
            let line = text
                .lines()
                .find(|line| line.contains(&format!("] {mode}")))
                .unwrap_or_else(|| panic!("no {mode} line in {section}:\n{text}"));
            assert!(line.ends_with(answer), "{line}");
        }
    }
    // The CPUs in the affinity mask (`taskset -c 0`: 1), as the lesson counts them.
    let cores = support::placement::allowed_cpus().unwrap().len();
    assert!(
        stdout.contains(&format!(
            "this process may use {cores} core{}",
            if cores == 1 { "" } else { "s" }
        )),
        "{stdout}"
    );
    for threads in [1, 2, 4, 8] {
        assert!(
            stdout.contains(&format!("] {threads:>7}  ")),
            "{threads}: {stdout}"
        );
    }
    for claim in [
        "global interpreter lock",
        "GIL",
        "isolation",
        "memory",
        "start-up cost",
    ] {
        assert!(stdout.contains(claim), "the verdict says {claim:?}");
    }
}

#[test]
fn too_many_tasks_names_this_machines_limit() {
    // 10_001 is over the lesson's ceiling, so over the limit whatever the
    // machine's memory does between this test and the demo's check.
    let output = demo(&["--tasks", "10001"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let most = stderr
        .split("is not in 1..=")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|most| most.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no limit in: {stderr}"));
    assert!((1..=10_000).contains(&most), "{most}");
    assert!(stderr.contains("this machine's limit"), "{stderr}");
}

#[test]
fn a_run_that_would_wait_over_a_minute_is_refused() {
    // 61 tasks × 1 s × 1 repeat: 61 s of waiting one by one.
    let output = demo(&["--tasks", "61", "--wait-ms", "1000", "--repeats", "1"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("would wait 61 s; keep it within 60 s"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// The pid in a line's speaker tag, replaced by the widest pid Linux gives.
fn widest(line: &str) -> String {
    let Some(rest) = line.split("pid=").nth(1) else {
        return line.to_string();
    };
    let pid = rest.split(' ').next().unwrap_or_default();
    line.replacen(&format!("pid={pid}"), "pid=4194304", 1)
}

#[test]
fn every_line_of_the_default_demo_fits_in_100_columns() {
    let output = demo(&[]);
    assert!(output.status.success(), "{output:?}");
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let columns = widest(line).chars().count();
        assert!(columns <= 100, "{columns} columns: {line}");
    }
}

#[test]
fn on_one_cpu_the_verdict_says_what_one_cpu_can_show() {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(DEMO);
    command.args(QUICK);
    // SAFETY: sched_setaffinity(2) is a plain system call, safe between
    // fork and exec; it pins the demo to CPU 0, as `taskset -c 0` would.
    unsafe {
        command.pre_exec(|| {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(0, &mut set);
            match libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        })
    };
    let output = output_within(&mut command, Duration::from_secs(60));
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for claim in [
        "this process may use 1 core;",
        "One CPU: it can show the same answer three ways, not a speed-up.",
        "one core: the times cannot show threads losing to processes",
        "forked 8 processes, reaped 8; children left: none",
    ] {
        assert!(stdout.contains(claim), "{claim:?} in:\n{stdout}");
    }
    let tlb_line = std::fs::read_to_string("/proc/interrupts")
        .is_ok_and(|table| table.lines().any(|l| l.trim_start().starts_with("TLB:")));
    let pinned = "on one CPU no shootdown comes from this program;";
    assert_eq!(stdout.contains(pinned), tlb_line, "{stdout}");
    for claim in [
        "every threads run",
        "It did in part 5",
        "take turns on the same 2",
    ] {
        assert!(!stdout.contains(claim), "{claim:?} in:\n{stdout}");
    }
    assert!(
        !stdout.contains("Both kept more than one core busy"),
        "{stdout}"
    );
}

#[test]
fn the_help_names_every_option() {
    let output = demo(&["--help"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for option in ["--tasks", "--wait-ms", "--workers", "--size", "--repeats"] {
        assert!(stdout.contains(option), "{option}");
    }
}

/// The pids of the processes whose parent is `parent` (from /proc).
fn children_of(parent: u32) -> Vec<i32> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the `(comm)` field: state, then the parent's pid.
        let after_name = stat.rsplit(')').next().unwrap_or_default();
        let ppid = after_name.split_whitespace().nth(1).unwrap_or_default();
        if ppid == parent.to_string() {
            children.push(pid);
        }
    }
    children
}

/// Slow answers (8 s one by one), everything else small.
const SLOW: &[&str] = &[
    "--wait-ms",
    "1000",
    "--tasks",
    "8",
    "--repeats",
    "1",
    "--size",
    "50000",
];

/// Starts the demo with slow answers, and waits until its service runs.
// The demo is handed to the caller, which waits for it (`wait_bounded`).
#[allow(clippy::zombie_processes)]
fn start_slow_demo() -> (std::process::Child, i32) {
    start_slow(support::testing::with_default_signals(
        Command::new(DEMO).args(SLOW),
    ))
}

/// Starts `command` (the demo, or a shell that execs it), and waits until
/// its service runs.
#[allow(clippy::zombie_processes)]
fn start_slow(command: &mut Command) -> (std::process::Child, i32) {
    let mut demo = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the demo");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(&service) = children_of(demo.id()).first() {
            // Let the serial tasks start waiting on the service.
            std::thread::sleep(Duration::from_millis(300));
            return (demo, service);
        }
        if Instant::now() > deadline {
            let _ = demo.kill();
            let _ = demo.wait();
            panic!("the service never started");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits for `child`, killing it and failing if that takes over 90 seconds
/// (a debug build of the whole demo, on a busy machine, takes up to ~30).
fn wait_bounded(mut child: std::process::Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the demo hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect the output")
}

#[test]
fn ctrl_c_leaves_no_child_behind() {
    use std::os::unix::process::ExitStatusExt;
    let (demo, service) = start_slow_demo();
    let demo_pid = nix::unistd::Pid::from_raw(demo.id() as i32);
    nix::sys::signal::kill(demo_pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let output = wait_bounded(demo);
    // It ended the way SIGINT ends a program, after cleaning up.
    assert_eq!(output.status.signal(), Some(libc::SIGINT), "{output:?}");
    // The service was killed and reaped, not left as an orphan.
    let service = nix::unistd::Pid::from_raw(service);
    assert_eq!(
        nix::sys::signal::kill(service, None),
        Err(nix::errno::Errno::ESRCH)
    );
}

#[test]
fn a_background_job_keeps_ignoring_ctrl_c() {
    // What a shell does for `demo &`: SIGINT ignored, then exec the demo
    // (same pid). The demo's cleanup handler must leave SIGINT ignored.
    let (demo, service) = start_slow(
        Command::new("sh")
            .args(["-c", "trap '' INT; exec \"$0\" \"$@\"", DEMO])
            .args(SLOW),
    );
    let demo_pid = nix::unistd::Pid::from_raw(demo.id() as i32);
    let status = std::fs::read_to_string(format!("/proc/{demo_pid}/status")).unwrap();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .unwrap();
    let ignored = u64::from_str_radix(ignored.trim(), 16).unwrap();
    assert_ne!(
        ignored & 1 << (libc::SIGINT - 1),
        0,
        "SIGINT no longer ignored"
    );
    nix::sys::signal::kill(demo_pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let output = wait_bounded(demo);
    assert!(output.status.success(), "{output:?}");
    let service = nix::unistd::Pid::from_raw(service);
    assert_eq!(
        nix::sys::signal::kill(service, None),
        Err(nix::errno::Errno::ESRCH)
    );
}

#[test]
fn a_dead_service_is_a_clear_error_not_a_hang() {
    let (demo, service) = start_slow_demo();
    let service = nix::unistd::Pid::from_raw(service);
    nix::sys::signal::kill(service, nix::sys::signal::Signal::SIGKILL).unwrap();
    let output = wait_bounded(demo);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: the service ended without answering task"),
        "{stderr}"
    );
}
