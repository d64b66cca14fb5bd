//! The work, the same in every model: N tasks, each with a socket of its
//! own (one end of a Unix socket pair; the driver holds the other end).
//! [`ROUNDS`] times, one wait apart, the driver writes every task a
//! question; a task waits for it, reads it, works out the answer and adds
//! it to its total. After the last round each task sends its total back,
//! and the driver checks it. Every model waits on the same kernel objects;
//! only the way it waits differs.

use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::unistd::{read, write};
use support::error::{Context, Error, Result};

/// Questions each task answers.
pub const ROUNDS: u64 = 3;

/// The stack each thread of the thread model gets. std's default is 2 MiB
/// of address space, of which a waiting task touches a page or two: 10_000
/// of them would reserve 20 GiB of address space and a page-table page
/// (4 KiB) each, where 64 KiB stacks share page-table pages.
pub const THREAD_STACK: usize = 64 * 1024;

/// The question the driver asks `task` in `round`.
pub fn question(task: usize, round: u64) -> u64 {
    (task as u64) << 8 | round
}

/// The right answer to a question: what every task works out.
pub fn answer(question: u64) -> u64 {
    question.wrapping_mul(3).wrapping_add(1)
}

/// What `task`'s total must be after every round: the driver checks it.
pub fn right_total(task: usize) -> u64 {
    let answers = (0..ROUNDS).map(|round| answer(question(task, round)));
    answers.fold(0, u64::wrapping_add)
}

// ANCHOR: answer_rounds
/// One task's life in the blocking models (a thread or a process per task):
/// ROUNDS times, read a question (the wait: read(2) blocks until the driver
/// writes) and add up its answer; then write the total back.
pub fn answer_rounds(socket: impl AsFd) -> Result<()> {
    let mut total = 0u64;
    for _ in 0..ROUNDS {
        let question = read_u64(&socket)?
            .ok_or_else(|| Error::msg("the driver closed a task's socket early"))?;
        total = total.wrapping_add(answer(question));
    }
    write_u64(&socket, total)
}
// ANCHOR_END: answer_rounds

/// Reads one 8-byte number; `None` at end of file before its first byte.
/// Retries EINTR and reads the rest of a short read.
pub fn read_u64(fd: impl AsFd) -> Result<Option<u64>> {
    let mut bytes = [0u8; 8];
    let mut filled = 0;
    while filled < bytes.len() {
        match read(&fd, &mut bytes[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(Error::msg("a socket closed in the middle of a number")),
            Ok(count) => filled += count,
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno).context("read(2) of a task's socket"),
        }
    }
    Ok(Some(u64::from_le_bytes(bytes)))
}

/// Writes one 8-byte number, all of it.
pub fn write_u64(fd: impl AsFd, value: u64) -> Result<()> {
    let bytes = value.to_le_bytes();
    let mut written = 0;
    while written < bytes.len() {
        match write(&fd, &bytes[written..]) {
            Ok(count) => written += count,
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno).context("write(2) to a task's socket"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_answers_every_round_and_its_total_checks() {
        let (driver_end, task_end) = crate::sockets::socket_pair().unwrap();
        let task = std::thread::spawn(move || answer_rounds(&task_end));
        for round in 0..ROUNDS {
            write_u64(&driver_end, question(7, round)).unwrap();
        }
        assert_eq!(read_u64(&driver_end).unwrap(), Some(right_total(7)));
        task.join().unwrap().unwrap();
        assert_eq!(
            read_u64(&driver_end).unwrap(),
            None,
            "the task's end closed"
        );
        assert_ne!(
            right_total(7),
            right_total(8),
            "each task's total is its own"
        );
    }
}
