//! Part 1: a pipe from the raw calls, then the everyday form with
//! `std::process::Command`. Listing `03a-simple-pipe.rs` is the short form.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::process::Stdio;

use nix::unistd::{ForkResult, close, fork, pipe};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::{ChildGuard, Ending, say};

use super::fd_io::{read_some, write_all};
use crate::checksum::checksum;

/// The hidden role the `Command` example starts: it counts and checksums
/// what arrives on its stdin and answers on its stdout.
pub const COUNT_ROLE: &str = "ipc:pipes-count";

// ANCHOR: raw_child
/// A message from parent to child through a pipe, nothing but system calls.
pub fn raw_pipe() -> Result<Ending> {
    let message = b"hello through the kernel";
    let (read_end, write_end) = pipe().context("pipe(2)")?; // two fds, one kernel buffer
    prepare_to_fork()?; // fork(2) copies only the calling thread: refuse if there are others
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            // A read returns EOF only once *every* write end is closed, and
            // this copy would be open in the very process waiting for EOF.
            close(write_end).context("close(2) of the child's write end")?;
            let (mut received, mut buffer) = (Vec::new(), [0u8; 8]);
            // read(2) blocks until bytes arrive; 0 means EOF.
            while let n @ 1.. = read_some(read_end.as_fd(), &mut buffer).context("read(2)")? {
                received.extend_from_slice(&buffer[..n]);
            }
            let text = String::from_utf8_lossy(&received);
            say!("read {text:?} in reads of 8 bytes at most, then EOF");
            match received == message {
                true => Ok(()),
                false => Err(Error::msg("the message arrived changed")),
            }
        }),
        // ANCHOR_END: raw_child
        // ANCHOR: raw_parent
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            say!("forked child pid={child}; it reads, I write");
            // Our unused read end goes: if the child died, our write would
            // fail (EPIPE) instead of filling a buffer nobody reads.
            close(read_end).context("close(2) of the parent's read end")?;
            write_all(write_end.as_fd(), message).context("write(2)")?; // into the kernel
            close(write_end).context("close(2) of the last write end")?; // the child's EOF
            let status = guard.waitpid().context("waitpid(2)")?; // sleep until it ends
            let ending = Ending::from_wait_status(status)
                .ok_or_else(|| Error::msg("waitpid(2) returned a child that had not ended"))?;
            say!("child {child} {ending}");
            Ok(ending)
        }
    }
}
// ANCHOR_END: raw_parent

/// The same with `std::process::Command`: what most programs write.
pub fn command_pipe() -> Result<bool> {
    say!("the everyday form: std::process::Command with Stdio::piped()");
    let message = b"hello through Stdio::piped()";
    // spawn() makes one pipe per piped stream (pipe2(2) with O_CLOEXEC),
    // starts the child with posix_spawn (glibc: clone3 with CLONE_VM |
    // CLONE_VFORK, then execve), and moves the pipe ends onto the child's
    // fds 0 and 1 (dup2) first. `strace -f` shows every one of these calls.
    // ANCHOR: command_pipe
    let mut child = support::role::command(COUNT_ROLE)
        .context("current_exe()")?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("spawn() of the counting child")?;
    let (Some(mut to_child), Some(mut from_child)) = (child.stdin.take(), child.stdout.take())
    else {
        return Err(Error::msg("spawn() gave no pipes"));
    };
    let guard = ChildGuard::adopt(child);
    to_child
        .write_all(message)
        .context("write(2) to the child's stdin")?;
    drop(to_child); // closes our write end: the child sees EOF
    let mut reply = String::new();
    from_child
        .read_to_string(&mut reply)
        .context("read(2) from the child's stdout")?;
    let ending = guard.wait().context("waitpid(2)")?;
    let expected = format!(
        "{} bytes, checksum {:016x}",
        message.len(),
        checksum(message)
    );
    let ok = reply.trim_end() == expected && ending.is_success();
    // ANCHOR_END: command_pipe
    let verdict = if ok { "matches" } else { "DOES NOT match" };
    say!(
        "sent {} bytes to a spawned child, which read them to EOF",
        message.len()
    );
    say!("it replied {:?}: {verdict}", reply.trim_end());
    Ok(ok)
}

/// The counting child: reads stdin to EOF, answers on stdout.
pub fn count_role(_args: &[String]) -> i32 {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("error: read(2) of stdin failed: {e}");
        return 1;
    }
    println!("{} bytes, checksum {:016x}", input.len(), checksum(&input));
    0
}
