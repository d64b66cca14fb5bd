//! Exercise 7: build the primes pipeline (Doug McIlroy's; the xv6 `primes` lab, in Rust).
//! A generator writes 2 to 100 into a pipe. A stage reads its first number, a prime, prints
//! it, and hands every later number that is not a multiple of it to the next stage: a new
//! process, reading a new pipe. As written there is one stage, so 9 comes out as a prime.
//! Done when `just check 7` passes: the 25 primes up to 100, each printed by a process of its
//! own, and every process waited for. Read: chapter 03 (pipes), listings 03a and 03b.

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
    for number in numbers.filter(|number| number % prime != 0) {
        // This number is no multiple of `prime`, but it may be one of a later prime.
        println!("prime {number} (pid {})", std::process::id());
    }
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
