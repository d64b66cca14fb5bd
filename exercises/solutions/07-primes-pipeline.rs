//! Exercise 7, solved: after printing its prime, a stage makes a pipe and forks the next stage,
//! which closes its copy of the write end (or it would never see EOF: exercise 3) and reads.
//! This stage writes what passes, closes the write end, and waits for the next stage: every
//! process is waited for by its parent. Check it: `just check 7 --solution`.

use std::fs::File;
use std::io::{Read, Write};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};

/// The numbers `from` carries, 4 bytes each, until end of file (or an error).
fn read_numbers(mut from: File) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        let mut bytes = [0; 4];
        from.read_exact(&mut bytes).ok()?; // None at end of file
        Some(u32::from_le_bytes(bytes))
    })
}

fn fork_checked() -> ForkResult {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: one thread, checked just above: no lock can be held by a thread the child lacks.
    unsafe { fork() }.expect("fork(2)")
}

fn stage(input: File) {
    let mut numbers = read_numbers(input);
    let Some(prime) = numbers.next() else { return }; // no number left: the last stage
    println!("prime {prime} (pid {})", std::process::id());
    let (read_end, write_end) = pipe().expect("pipe(2)"); // to the next stage
    let ForkResult::Parent { child: next_stage } = fork_checked() else {
        drop(write_end); // the next stage only reads: close its copy of the write end
        stage(File::from(read_end)); // this new process is the next stage
        // SAFETY: _exit(2) ends the child at once; it runs none of its parent's code.
        unsafe { libc::_exit(0) }
    };
    drop(read_end); // this stage only writes to the next
    let mut to_next = File::from(write_end);
    for number in numbers.filter(|number| number % prime != 0) {
        to_next.write_all(&number.to_le_bytes()).expect("write(2)");
    }
    drop(to_next); // close(2) the last write end: the next stage sees EOF
    waitpid(next_stage, None).expect("waitpid(2)"); // and the stages after it, in turn
}

fn main() {
    let (read_end, write_end) = pipe().expect("pipe(2)");
    let ForkResult::Parent { child: generator } = fork_checked() else {
        drop(read_end); // the generator only writes
        let numbers: Vec<u8> = (2..=100_u32).flat_map(u32::to_le_bytes).collect();
        File::from(write_end).write_all(&numbers).expect("write(2)"); // 4 bytes each
        // SAFETY: _exit(2) ends the child at once; it runs none of main's code below.
        unsafe { libc::_exit(0) }
    };
    drop(write_end); // the first stage only reads: without this, it never sees EOF
    stage(File::from(read_end));
    waitpid(generator, None).expect("waitpid(2)"); // reap the generator
}
