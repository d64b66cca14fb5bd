//! The binary, run as a subprocess: its options, its printed story, a
//! model killed half way, and the processes it leaves (none).

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::testing::output_within;

const BIN: &str = env!("CARGO_BIN_EXE_many-waits");

/// Runs the demo, killing it if it takes longer than five minutes (the
/// default ladder, in a debug build, on one busy CPU, takes one or two).
fn run_demo(command: &mut Command) -> (Output, String) {
    let output = output_within(command, Duration::from_secs(300));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, stdout)
}

fn demo(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args);
    command
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    for (option, value) in [
        ("--tasks", "0"),
        ("--tasks", "x"),
        ("--tasks", "100001"),
        ("--tasks", "-3"),
        ("--sweep", "9"),
        ("--sweep", "many"),
        ("--wait-ms", "0"),
        ("--wait-ms", "1001"),
    ] {
        let (output, stdout) = run_demo(&mut demo(&[&format!("{option}={value}")]));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{option} {value}: {stderr}");
        assert!(stderr.contains(option), "{option} {value}: {stderr}");
        assert!(stdout.is_empty(), "nothing measured for {option} {value}");
    }
    let (output, _) = run_demo(&mut demo(&["--quick", "--tasks", "5"]));
    assert_eq!(
        output.status.code(),
        Some(2),
        "--quick and --tasks conflict"
    );
}

/// More tasks than the hard descriptor limit allows: exit 2, and say which
/// limit, before anything runs.
#[test]
fn tasks_above_the_descriptor_limit_exit_2_and_name_it() {
    let mut command = demo(&["--tasks", "99999"]);
    // SAFETY: setrlimit(2) is async-signal-safe and allocates nothing.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1024,
                rlim_max: 1024,
            };
            match libc::setrlimit(libc::RLIMIT_NOFILE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        })
    };
    let (output, stdout) = run_demo(&mut command);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("99_999 tasks") && stderr.contains("RLIMIT_NOFILE"),
        "{stderr}"
    );
    assert!(stderr.contains("at most 960"), "{stderr}");
    assert!(stderr.lines().all(|l| l.chars().count() <= 100), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

/// Every line but headings and blank lines names its speaker, and fits in
/// 100 columns with a 7-digit pid (the most Linux gives).
fn assert_every_line_tagged_and_narrow(stdout: &str) {
    for line in stdout.lines() {
        // the demo's pid, read from the line's own tag: `[parent pid=21161 …`
        let pid = line
            .strip_prefix("[parent pid=")
            .and_then(|rest| rest.split(' ').next());
        let padding = 7 - pid.map_or(7, |pid| pid.len().min(7));
        let columns = line.chars().count() + padding;
        assert!(columns <= 100, "{columns} columns: {line}");
        if !line.is_empty() && !line.starts_with("== ") {
            assert!(line.starts_with("[parent pid="), "untagged line: {line:?}");
        }
    }
}

#[test]
fn the_quick_ladder_tells_every_part_and_every_model() {
    let (output, stdout) = run_demo(&mut demo(&["--quick"]));
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_every_line_tagged_and_narrow(&stdout);
    for expected in [
        "== 1. The work, and the limits that could stop it ==",
        "RLIMIT_NOFILE soft",
        "kernel.pid_max",
        "vm.max_map_count",
        "== 2. 10 tasks ==",
        "== 3. 100 tasks ==",
        "== 4. 1_000 tasks ==",
        "every model: all 1_000 tasks ended, each with the right total",
        "== 5. Against the number of tasks ==",
        "chart as SVG: ",
        "== Verdict ==",
        "Best For, I/O-bound: threads, until the waits number",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    for model in [
        "thread per task",
        "process per task",
        "epoll, 1 thread",
        "tokio, 1 thread",
        "tokio, workers",
    ] {
        let rows = stdout
            .lines()
            .filter(|line| line.contains(&format!("] {model:<17}")))
            .count();
        // Each step: a time row and a memory row; then three rows against N.
        assert_eq!(rows, 3 * 2 + 3, "{model} in:\n{stdout}");
    }
}

#[test]
fn every_line_fits_in_100_columns_at_the_default_ladder() {
    // The default ladder (up to 10_000 tasks) with short waits: the widest
    // numbers the default run prints.
    let (output, stdout) = run_demo(&mut demo(&["--wait-ms", "1"]));
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // 10_000, or as many as this machine's hard descriptor limit allows.
    let room = many_waits::Limits::read().descriptor_room() as usize;
    let top = many_waits::grouped(room.min(10_000));
    assert!(
        stdout.contains(&format!("== 5. {top} tasks ==")),
        "{stdout}"
    );
    assert_every_line_tagged_and_narrow(&stdout);
}

/// Processes whose environment holds `marker`, alive (not zombies).
fn processes_with(marker: &str) -> Vec<String> {
    let entries = std::fs::read_dir("/proc").unwrap().flatten();
    let pids = entries.filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok());
    pids.filter(|pid| {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        environ
            .split(|byte| *byte == 0)
            .any(|entry| entry == marker.as_bytes())
    })
    .map(|pid| pid.to_string())
    .collect()
}

/// A model's process killed while its tasks wait: an error line, the other
/// models still run, the demo exits 1, and no process of it is left.
#[test]
fn a_killed_model_is_an_error_line_and_leaves_no_process() {
    let marker = format!("MANY_WAITS_TEST_MARK={}", std::process::id());
    let mut command = demo(&["--tasks", "50", "--wait-ms", "5"]);
    command.env(many_waits::faults::KILL_MODEL_ENV, "processes");
    command.env("MANY_WAITS_TEST_MARK", std::process::id().to_string());
    let (output, stdout) = run_demo(&mut command);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("process per task ERROR: its process was killed by SIGKILL"),
        "{stdout}"
    );
    for model in [
        "thread per task",
        "epoll, 1 thread",
        "tokio, 1 thread",
        "tokio, workers",
    ] {
        assert!(
            stdout.contains(&format!("] {model} ")),
            "{model} still ran:\n{stdout}"
        );
    }
    let killed = "50 tasks, process per task: its process was killed by SIGKILL";
    let failed = format!("error: 1 model run failed:\n  {killed}");
    assert!(stderr.contains(&failed), "{stderr}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_with(&marker).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20)); // SIGKILL takes a moment
    }
    assert_eq!(
        processes_with(&marker),
        Vec::<String>::new(),
        "processes left"
    );
}

#[test]
fn help_names_every_option_and_its_range() {
    let (output, stdout) = run_demo(&mut demo(&["--help"]));
    assert!(output.status.success());
    for option in [
        "--tasks",
        "--sweep",
        "--wait-ms",
        "--quick",
        "[range: 1..=100000]",
    ] {
        assert!(stdout.contains(option), "{option} in:\n{stdout}");
    }
}
