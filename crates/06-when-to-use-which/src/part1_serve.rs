//! Part 1's service, inside its child process: poll(2) for requests and
//! for the next answer that is due, answer each `wait` after it came.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use support::error::{Context, Error, Result};

use crate::part1_service::expected_answer;

/// The service's loop: note when each request arrived, answer it `wait`
/// later, until the request pipe reports end-of-file and nothing is due.
pub fn serve(requests: OwnedFd, answers: Vec<OwnedFd>, wait: Duration) -> Result<()> {
    let mut requests = File::from(requests);
    let answers: Vec<File> = answers.into_iter().map(File::from).collect();
    let mut due: VecDeque<(Instant, usize)> = VecDeque::new();
    let mut requests_open = true;
    loop {
        // Answer every request whose time has come.
        while let Some(&(when, task)) = due.front() {
            if when > Instant::now() {
                break;
            }
            due.pop_front();
            (&answers[task])
                .write_all(&expected_answer(task).to_le_bytes())
                .context("write(2) of an answer")?;
        }
        let next = due.front().map(|&(when, _)| when);
        if !requests_open {
            match next {
                None => return Ok(()),
                Some(when) => thread::sleep(when.saturating_duration_since(Instant::now())),
            }
            continue;
        }
        // ANCHOR: poll
        // poll(2): sleep until a request arrives or the next answer is due
        // (rounded up to a whole millisecond, poll's unit).
        let timeout = match next {
            None => PollTimeout::NONE,
            Some(when) => {
                let millis = when
                    .saturating_duration_since(Instant::now())
                    .as_micros()
                    .div_ceil(1000);
                PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)
            }
        };
        let mut watched = [PollFd::new(requests.as_fd(), PollFlags::POLLIN)];
        match poll(&mut watched, timeout) {
            Ok(0) | Err(Errno::EINTR) => continue,
            Ok(_) => {}
            Err(error) => return Err(error).context("poll(2)"),
            // ANCHOR_END: poll
        }
        if !read_request(&mut requests, &mut due, wait)? {
            requests_open = false; // every writer closed its end: EOF
        }
    }
}

/// Reads one 4-byte request and notes when its answer is due; `false` at
/// end-of-file. poll(2) said a request is there, and every request is one
/// atomic 4-byte write, so read_exact never waits for half of one.
fn read_request(
    requests: &mut File,
    due: &mut VecDeque<(Instant, usize)>,
    wait: Duration,
) -> Result<bool> {
    let mut request = [0u8; 4];
    match requests.read_exact(&mut request) {
        Ok(()) => {
            due.push_back((Instant::now() + wait, u32::from_le_bytes(request) as usize));
            Ok(true)
        }
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(error) => Err(Error::msg(format!("read(2) of a request failed: {error}"))),
    }
}
