//! Part 1's slow service: a child process that answers every request a
//! fixed time after it arrived, however many arrive at once (the lesson's
//! assumption: a service with fewer workers than requests would queue them).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

use nix::unistd::{ForkResult, fork, pipe};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};

use crate::part1_serve::serve;
use crate::workers::Children;

/// A stand-in for a slow remote service: a child process that answers each
/// request `wait` after it arrived, the way a server across a network would.
/// The requests share one pipe; each task has a pipe of its own for the
/// answer.
pub struct SlowService {
    /// Write end: a task writes its number here to ask.
    requests: File,
    /// Read ends, one per task: a task blocks here until its answer comes.
    pub answers: Vec<File>,
    process: ChildGuard,
}

impl SlowService {
    pub fn start(tasks: usize, wait: Duration, children: &mut Children) -> Result<SlowService> {
        // pipe(2): one for the requests, then one per task for its answer.
        let (requests_read, requests_write) = pipe().context("pipe(2)")?;
        let mut answer_reads = Vec::with_capacity(tasks);
        let mut answer_writes = Vec::with_capacity(tasks);
        for _ in 0..tasks {
            let (read_end, write_end) = pipe().context("pipe(2)")?;
            answer_reads.push(read_end);
            answer_writes.push(write_end);
        }
        // ANCHOR: fork_service
        prepare_to_fork()?;
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => {
                // Close the parent's ends in here: while the service held a
                // write end of its own request pipe, it would never see EOF.
                drop(requests_write);
                drop(answer_reads);
                run_child(|| serve(requests_read, answer_writes, wait))
            }
            ForkResult::Parent { child } => {
                children.add(child);
                // And the service's ends in the parent, for the same reason:
                // if the service dies, a waiting task then reads EOF instead
                // of waiting for ever.
                drop(requests_read);
                drop(answer_writes);
                Ok(SlowService {
                    requests: File::from(requests_write),
                    answers: answer_reads.into_iter().map(File::from).collect(),
                    process: ChildGuard::new(child),
                })
            }
        }
        // ANCHOR_END: fork_service
    }

    // ANCHOR: ask
    /// One task's whole job: ask, then wait for the answer.
    pub fn ask(&self, task: usize) -> Result<u64> {
        // write(2) of 4 bytes: writes of up to PIPE_BUF bytes are atomic,
        // so tasks asking at the same moment never mix their requests.
        (&self.requests)
            .write_all(&(task as u32).to_le_bytes())
            .context("write(2) of a request")?;
        let mut answer = [0u8; 8];
        // read(2) blocks: the kernel takes this task off the CPU until the
        // service writes into this task's pipe.
        (&self.answers[task])
            .read_exact(&mut answer)
            .map_err(|error| match error.kind() {
                // EOF: every write end is closed, so the service is gone.
                // ANCHOR_END: ask
                std::io::ErrorKind::UnexpectedEof => {
                    let task = task + 1; // tasks are numbered from 1 when printed
                    Error::msg(format!("the service ended without answering task {task}"))
                }
                _ => Error::msg(format!("read(2) of an answer failed: {error}")),
            })?;
        let answer = u64::from_le_bytes(answer);
        if answer != expected_answer(task) {
            return Err(Error::msg(format!(
                "task {} got answer {answer}, expected {}",
                task + 1,
                expected_answer(task)
            )));
        }
        Ok(answer)
    }

    // ANCHOR: close_others
    /// In task `task`'s process, first thing after fork: closes every
    /// descriptor above stderr but the three it uses (request pipe, its
    /// answer pipe, `results`): close_range(2) closes each gap in one call;
    /// before Linux 5.9, the other tasks' answer pipes one by one.
    pub fn close_others(&self, task: usize, results: &File) {
        // SAFETY: this child process never uses or drops the Files it
        // inherited for the descriptors closed here: it asks, sends its
        // result and _exits (run_child); nothing else in it holds one.
        let close_range = |first: u32, last: u32| unsafe {
            libc::syscall(libc::SYS_close_range, first, last, 0) == 0
        };
        let own = [&self.requests, &self.answers[task], results];
        let mut keep = own.map(|file| file.as_raw_fd() as u32);
        keep.sort_unstable();
        let (mut from, mut closed) = (3, true);
        for kept in keep {
            if kept > from {
                closed &= close_range(from, kept - 1);
            }
            from = from.max(kept + 1);
        }
        closed &= close_range(from, u32::MAX);
        for (other, answer) in self.answers.iter().enumerate() {
            if !closed && other != task {
                // SAFETY: as above; this is another task's answer pipe.
                unsafe { libc::close(answer.as_raw_fd()) };
            }
        }
    }
    // ANCHOR_END: close_others

    /// Closes the request pipe: the service reads EOF and exits; reap it.
    pub fn stop(self, children: &mut Children) -> Result<()> {
        drop(self.requests); // the service reads EOF
        drop(self.answers);
        children.reap(self.process, "the service")
    }
}

/// What the service answers task `task`: a value the task can check.
pub fn expected_answer(task: usize) -> u64 {
    (task as u64 + 1) * 1_000_003
}
