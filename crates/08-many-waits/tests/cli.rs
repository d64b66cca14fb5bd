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
    let parts = many_waits::LESSON.parts();
    assert_eq!(parts.len(), 6, "{parts:?}");
    for part in &parts {
        let heading = format!("== {}. {} ==", part.number, part.heading);
        assert_eq!(
            stdout.matches(&heading).count(),
            1,
            "{heading} in:\n{stdout}"
        );
    }
    for expected in [
        "RLIMIT_NOFILE soft",
        "kernel.pid_max",
        "vm.max_map_count",
        "chart as SVG: ",
        "== Verdict ==",
        "Best For, I/O-bound: threads, until the waits number",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    // Parts 2 to 5: a time table and a memory table per model, each with
    // a row per N; and every task right, once per model.
    let all_right = "at every N: all the tasks ended, each with the right total";
    assert_eq!(stdout.matches(all_right).count(), 5, "{stdout}");
    for tasks in ["10", "100", "1_000"] {
        let rows = stdout
            .lines()
            .filter(|line| line.contains(&format!("] {:<17}", format!("{tasks} tasks"))))
            .count();
        assert_eq!(rows, 5 * 2, "{tasks} tasks in:\n{stdout}");
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
        // Its time table's header; then a row in each of part 6's three tables.
        assert_eq!(rows, 1 + 3, "{model} in:\n{stdout}");
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
    assert!(stdout.contains(&format!("] {top} tasks ")), "{stdout}");
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
    // The error row is in part 3's table; every other model's rows follow.
    let part_3 = stdout
        .split("== 3. One process per task ==")
        .nth(1)
        .and_then(|rest| rest.split("== 4.").next())
        .expect("part 3 ran");
    let error = "] 50 tasks         ERROR: its process was killed by SIGKILL";
    assert!(part_3.contains(error), "{stdout}");
    let row = |l: &&str| l.contains("] 50 tasks   ") && !l.contains("ERROR");
    let rows = stdout.lines().filter(row).count();
    assert_eq!(rows, 4 * 2, "two rows for each other model:\n{stdout}");
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
        "--part",
        "--predict",
        "--list-parts",
    ] {
        assert!(stdout.contains(option), "{option} in:\n{stdout}");
    }
}
