//! Exercise 3: the reader never sees end of file. A child sends the numbers 1 to N down a
//! pipe (N is its own choice, 101 to 200) and exits; the parent adds up what it reads until
//! end of file (EOF), as it cannot know N. The child is done at once; the parent waits for ever.
//! Done when `just check 3` passes: the parent prints the sum of all N numbers and exits,
//! and the child is reaped. Read: chapter 03 (pipes), listings 03a and 03b.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};

fn main() {
    let (read_end, write_end) = pipe().expect("pipe(2)");
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count(); // one per thread
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            drop(read_end); // the child only writes
            let count = 101 + u64::from(std::process::id() % 100); // the child's choice
            let mut to_parent = File::from(write_end);
            for number in 1..=count {
                writeln!(to_parent, "{number}").expect("write(2)");
            }
            println!("child : sent {count} numbers");
            // SAFETY: _exit(2) ends the child at once; it runs none of main's code below.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            let from_child = BufReader::new(File::from(read_end));
            let mut sum = 0;
            for line in from_child.lines() {
                sum += line.expect("read(2)").parse::<u64>().expect("a number");
            }
            println!("parent: sum = {sum}");
            let status = waitpid(child, None).expect("waitpid(2)");
            println!("parent: child {child} ended: {status:?}");
        }
    }
}
