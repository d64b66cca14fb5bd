//! The table run in a program where a second thread keeps printing: it
//! must refuse to fork or finish, never hang (a child forked then could
//! inherit stdout's lock held by a thread it does not have).

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use key_differences::Options;
use support::testing::output_within;

/// Set when this test program runs itself again for this test.
const ENV: &str = "KEY_DIFFERENCES_TEST_PRINTING_THREAD";
/// What that run ended with, on stderr.
const OUTCOME: &str = "outcome of run: ";

pub fn is_the_child() -> bool {
    std::env::var_os(ENV).is_some()
}

/// Runs the quick table while a second thread prints in a loop, then stops
/// and joins that thread, and says on stderr how `run` ended.
pub fn child() {
    let out_dir = crate::scratch("printing");
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut line = 0u64;
            while !stop.load(Ordering::Relaxed) {
                println!("printing thread: line {line}");
                line += 1;
                std::thread::sleep(Duration::from_micros(50));
            }
        });
        let options = Options {
            out_dir: Some(out_dir.clone()),
            ..Options::default()
        };
        let result = key_differences::run(&options);
        stop.store(true, Ordering::Relaxed);
        result
    });
    let _ = std::fs::remove_dir_all(&out_dir);
    match result {
        Ok(_) => eprintln!("{OUTCOME}ok"),
        Err(error) => eprintln!("{OUTCOME}{error}"),
    }
}

pub fn refuses_or_finishes() {
    let this = std::env::current_exe().expect("this test program");
    let output = output_within(Command::new(this).env(ENV, "1"), Duration::from_secs(300));
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let outcome = stderr.lines().find_map(|line| line.strip_prefix(OUTCOME));
    let outcome = outcome.unwrap_or_else(|| panic!("no outcome on stderr: {stderr}"));
    assert!(
        outcome == "ok" || outcome.starts_with("refusing to fork"),
        "{outcome}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("printing thread: line 0\n"),
        "the thread never printed"
    );
}
