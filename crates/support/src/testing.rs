//! For tests: run a lesson's binary as a subprocess (the way a learner runs
//! it), or run tests that fork in a single-threaded test binary.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `command` to completion and collects its output, killing it (and
/// failing the test) if it runs longer than `limit`. Both pipes are read on
/// threads of their own, so a chatty child cannot stall on a full pipe.
/// Colour is switched off (`NO_COLOR`), so the output can be compared as
/// text.
pub fn output_within(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary under test");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader").expect("read stdout"),
        stderr: err.join().expect("stderr reader").expect("read stderr"),
    }
}

/// A named test for [`run_tests_in_one_thread`].
pub use libtest_mimic::Trial;

/// The `main` of a test target with `harness = false` whose tests fork:
/// runs `trials` the way libtest would (names, `--list`, filters,
/// `--exact`, so cargo-nextest can run them too), but every one on the main
/// thread, one after another, so the process has one thread when it forks.
///
/// ```no_run
/// use support::testing::{Trial, run_tests_in_one_thread};
/// fn main() {
///     support::role::dispatch(&[]); // first, if the lesson re-executes itself
///     run_tests_in_one_thread(vec![Trial::test("forks_fine", || Ok(()))]);
/// }
/// ```
pub fn run_tests_in_one_thread(trials: Vec<Trial>) -> ! {
    let mut arguments = libtest_mimic::Arguments::from_args();
    arguments.test_threads = Some(1); // the main thread runs every test
    libtest_mimic::run(&arguments, trials).exit()
}

/// Turns a test body that panics on failure into a [`Trial`].
pub fn trial(name: &str, body: fn()) -> Trial {
    Trial::test(name, move || {
        body();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_collected() {
        let output = output_within(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(10),
        );
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
    }

    #[test]
    #[should_panic(expected = "ran longer than")]
    fn a_child_that_overstays_is_killed_and_fails_the_test() {
        output_within(Command::new("sleep").arg("30"), Duration::from_millis(200));
    }
}
