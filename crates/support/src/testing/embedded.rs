//! For tests: a lesson called from a program that has a second thread,
//! one that keeps printing (and so keeps taking stdout's lock, as a logging
//! thread does). A fork then could copy that lock held by a thread the
//! child does not have; every lesson must refuse to fork or finish, never
//! hang.
//!
//! The test runs itself again in a hidden role (see [`crate::role`]) whose
//! body is [`run_beside_a_printing_thread`]; [`outcome_beside_a_printing_thread`]
//! starts that role with a time limit and returns what the lesson ended with.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::output_within;

/// The printing thread's lines start with this.
pub const PRINTED: &str = "printing thread: line ";
/// The role's last line starts with this; the rest is `ok` or `error: …`.
const OUTCOME: &str = "embedded outcome: ";
/// The start of the error a lesson returns instead of forking.
pub const REFUSAL: &str = "error: refusing to fork: this process has 2 threads";

/// The body of a role: starts a thread that prints a line every 200 µs,
/// waits until it has printed, calls `lesson`, stops and joins the thread,
/// then prints the outcome line. Returns the role's exit code: 0 when the
/// lesson returned Ok or refused to fork, 1 on any other error.
pub fn run_beside_a_printing_thread(lesson: impl FnOnce() -> crate::error::Result<()>) -> i32 {
    let printed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let printer = {
        let (printed, stop) = (Arc::clone(&printed), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let line = printed.fetch_add(1, Ordering::Relaxed);
                println!("{PRINTED}{line}"); // takes and drops stdout's lock
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let started = Instant::now();
    while printed.load(Ordering::Relaxed) == 0 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let result = lesson();
    stop.store(true, Ordering::Relaxed);
    printer.join().expect("join the printing thread");
    let (outcome, code) = match result {
        Ok(()) => ("ok".to_string(), 0),
        Err(error) => {
            let text = format!("error: {error}");
            let code = if text.starts_with(REFUSAL) { 0 } else { 1 };
            (text, code)
        }
    };
    println!("{OUTCOME}{outcome}");
    let _ = std::io::stdout().flush();
    code
}

/// Runs this test binary in `role` (a role whose body calls
/// [`run_beside_a_printing_thread`]) and returns its outcome line (`ok` or
/// `error: …`) and its whole stdout. Fails the test when the role ran longer
/// than `limit` (a hang), exited non-zero, or its thread printed nothing.
pub fn outcome_beside_a_printing_thread(role: &str, limit: Duration) -> (String, String) {
    let mut command = crate::role::command(role).expect("current_exe()");
    let output = output_within(&mut command, limit);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{role}: {}\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains(&format!("{PRINTED}0\n")),
        "{role}: the second thread printed nothing\n{stdout}"
    );
    let outcome = stdout
        .lines()
        .find_map(|line| line.strip_prefix(OUTCOME))
        .unwrap_or_else(|| panic!("{role}: no outcome line in\n{stdout}\n{stderr}"))
        .to_string();
    (outcome, stdout)
}
