//! For tests: run a lesson's binary as a subprocess (the way a learner runs
//! it), or run tests that fork in a single-threaded test binary.

pub mod embedded;

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

/// Starts `command` with SIGINT, SIGTERM and SIGHUP at their default
/// actions, whatever this test process inherited.
///
/// A test that sends Ctrl-C to a demo needs this: a test suite run in the
/// background by a non-interactive shell (`cargo test &`, a CI script)
/// starts with SIGINT ignored, every child inherits that, and a demo rightly
/// leaves an ignored SIGINT ignored, so the test's Ctrl-C would do nothing.
pub fn with_default_signals(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec; it only
    // calls signal(2), which is async-signal-safe, and allocates nothing.
    unsafe {
        command.pre_exec(|| {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::signal(signal, libc::SIG_DFL);
            }
            Ok(())
        })
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
    fn a_child_starts_with_sigint_at_its_default_even_if_we_ignore_it() {
        // SAFETY: only this test's child inherits the ignored SIGINT: it is
        // restored straight after the spawn, and no other test signals us.
        let previous = unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
        let mut command = Command::new("grep");
        command.args(["^SigIgn:", "/proc/self/status"]);
        let output = with_default_signals(&mut command).output().unwrap();
        // SAFETY: puts back the disposition we found.
        unsafe { libc::signal(libc::SIGINT, previous) };
        let text = String::from_utf8(output.stdout).unwrap();
        let mask = u64::from_str_radix(text.trim_start_matches("SigIgn:").trim(), 16).unwrap();
        assert_eq!(mask & 1 << (libc::SIGINT - 1), 0, "{text}");
    }

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
