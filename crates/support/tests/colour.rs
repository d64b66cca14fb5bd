//! Colour follows the conventions clap follows for `--help`: `NO_COLOR`
//! only when set to a non-empty value, `CLICOLOR_FORCE` colours a pipe, no
//! colour on a pipe otherwise, and a child whose lines are relayed keeps its
//! colour. Each trial starts this test binary again as a speaker, with its
//! stdout on a pseudo-terminal (openpty(3)) or a pipe.

use std::io::{BufRead, BufReader};
use std::os::fd::{AsFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use support::role::Role;
use support::testing::{run_tests_in_one_thread, trial};
use support::{ChildGuard, say};

const SPEAKER: &str = "colour-test:speaker";
const RELAYED: &str = "colour-test:relayed";
const ROLES: &[Role] = &[
    Role {
        name: SPEAKER,
        run: speaker,
    },
    Role {
        name: RELAYED,
        run: relayed,
    },
];

/// A child's tag in colour (yellow): the speaker, started by this test, is
/// a child too.
const TAG_IN_COLOUR: &str = "\x1b[33m[child ";
const SPEAKER_SAYS: &str = "a line from the speaker";
const CHILD_SAYS: &str = "a line from its child, relayed by the speaker";

fn main() {
    support::role::dispatch(&[ROLES]);
    run_tests_in_one_thread(vec![
        trial("empty_no_color_on_a_terminal_shows_colour", empty_no_color),
        trial("no_color_1_on_a_terminal_shows_none", no_color_1),
        trial(
            "clicolor_0_or_term_dumb_on_a_terminal_shows_none",
            opted_out,
        ),
        trial("a_pipe_has_no_colour", a_pipe_has_no_colour),
        trial("clicolor_force_colours_a_pipe", clicolor_force),
        trial(
            "a_relayed_child_keeps_its_colour",
            relayed_child_keeps_colour,
        ),
    ]);
}

/// Says a line, then starts a child whose stdout is a pipe and relays its
/// lines, the way lessons 01 and 04 do.
fn speaker(_: &[String]) -> i32 {
    say!("{SPEAKER_SAYS}");
    let mut child = support::role::command(RELAYED)
        .expect("current_exe")
        .stdout(Stdio::piped()) // the child writes into a pipe, not the terminal
        .spawn()
        .expect("spawn the relayed child");
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = ChildGuard::adopt(child);
    for line in BufReader::new(stdout).lines() {
        support::speaker::print_line(format_args!("{}", line.expect("read the child's line")));
    }
    i32::from(!guard.wait().expect("waitpid").is_success())
}

fn relayed(_: &[String]) -> i32 {
    say!("{CHILD_SAYS}");
    0
}

/// The speaker's command, with every colour variable cleared, then `vars`.
fn speaker_command(vars: &[(&str, &str)]) -> Command {
    let mut command = support::role::command(SPEAKER).expect("current_exe");
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "CI"] {
        command.env_remove(name);
    }
    command.env("TERM", "xterm-256color").stdin(Stdio::null());
    command.envs(vars.iter().copied());
    command
}

/// Runs the speaker with its stdout on a pseudo-terminal (openpty(3)).
fn on_a_terminal(vars: &[(&str, &str)]) -> String {
    let pty = nix::pty::openpty(None, None).expect("openpty(3)");
    run_speaker(vars, pty.slave, pty.master)
}

/// Runs the speaker with its stdout on a pipe.
fn on_a_pipe(vars: &[(&str, &str)]) -> String {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe(2)");
    run_speaker(vars, write_end, read_end)
}

/// Runs the speaker writing into `far_end`; returns what it wrote, read from
/// `near_end`, and fails the test after 20 s.
fn run_speaker(vars: &[(&str, &str)], far_end: OwnedFd, near_end: OwnedFd) -> String {
    let mut command = speaker_command(vars);
    command.stdout(Stdio::from(far_end));
    let child = command.spawn().expect("spawn the speaker");
    drop(command); // our copy of the far end: now EOF (EIO on a pty) comes when the speaker ends
    let guard = ChildGuard::adopt(child); // killed and reaped if we fail
    let (mut text, mut buffer) = (Vec::new(), [0u8; 4096]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert!(Instant::now() < deadline, "the speaker ran over 20 s");
        let mut fds = [PollFd::new(near_end.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(100u16)).expect("poll(2)") == 0 {
            continue;
        }
        match nix::unistd::read(&near_end, &mut buffer) {
            Ok(0) | Err(Errno::EIO) => break, // every writer has closed it
            Ok(count) => text.extend_from_slice(&buffer[..count]),
            Err(Errno::EINTR) => continue,
            Err(error) => panic!("read(2) of the speaker's output failed: {error}"),
        }
    }
    assert!(guard.wait().expect("waitpid").is_success(), "{text:?}");
    String::from_utf8(text).expect("UTF-8 output")
}

/// The line of `text` that ends with `words`.
fn line<'a>(text: &'a str, words: &str) -> &'a str {
    let found = text.lines().find(|line| line.trim_end().ends_with(words));
    found.unwrap_or_else(|| panic!("no line ending {words:?} in {text:?}"))
}

/// Whether the speaker's own line, and the child's line it relayed, start
/// with a coloured tag.
fn coloured(text: &str) -> (bool, bool) {
    let in_colour = |line: &str| line.starts_with(TAG_IN_COLOUR);
    (
        in_colour(line(text, SPEAKER_SAYS)),
        in_colour(line(text, CHILD_SAYS)),
    )
}

/// Both lines are there, with no colour at all: a test of "no colour" that
/// empty output cannot pass.
fn assert_plain(text: &str) {
    assert!(line(text, SPEAKER_SAYS).starts_with("[child "), "{text:?}");
    assert!(line(text, CHILD_SAYS).starts_with("[child "), "{text:?}");
    assert!(
        !text.contains('\x1b'),
        "colour where there should be none: {text:?}"
    );
}

fn empty_no_color() {
    let text = on_a_terminal(&[("NO_COLOR", "")]);
    assert_eq!(coloured(&text), (true, true), "{text:?}");
}

fn no_color_1() {
    assert_plain(&on_a_terminal(&[("NO_COLOR", "1")]));
}

fn opted_out() {
    assert_plain(&on_a_terminal(&[("CLICOLOR", "0")]));
    assert_plain(&on_a_terminal(&[("TERM", "dumb")]));
}

fn a_pipe_has_no_colour() {
    assert_plain(&on_a_pipe(&[]));
}

fn clicolor_force() {
    let text = on_a_pipe(&[("CLICOLOR_FORCE", "1")]);
    assert_eq!(coloured(&text), (true, true), "{text:?}");
}

fn relayed_child_keeps_colour() {
    // The child writes into a pipe: only the speaker's decision, passed
    // down, can colour its line.
    let text = on_a_terminal(&[]);
    assert_eq!(coloured(&text), (true, true), "{text:?}");
}
