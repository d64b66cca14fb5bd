//! 06b: computing work split in two, over two forked processes and then over two threads.
//! Both get the same answer: each process sends its share back through a pipe, each thread
//! hands its share back from join(). Compare the wall times it prints.
//! Run it: `cargo run --release -p when-to-use-which --example 06b-computing`
//! Read next: 06c, a job so small that splitting it makes it slower.

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe};
use std::fs::File;
use std::io::{Read, Write};
use std::time::Instant;

const BELOW: u64 = 100_000; // count the primes below this: 9_592 of them

/// The primes among `part`, `part + 2`, `part + 4`, … below BELOW (part 0 or 1).
fn count_primes(part: u64) -> u64 {
    let is_prime = |n: u64| n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0);
    (part..BELOW).step_by(2).filter(|&n| is_prime(n)).count() as u64
}

fn main() {
    let started = Instant::now(); // the processes first: fork while we have one thread
    let (read_end, write_end) = pipe().expect("pipe(2)");
    let (mut read_end, mut write_end) = (File::from(read_end), File::from(write_end));
    let mut children = Vec::new();
    for part in 0..2 {
        std::io::stdout().flush().expect("flush"); // or the child inherits unprinted text
        // SAFETY: no thread has been started yet, so this process has one thread and the
        // child may run ordinary Rust code.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                let share = count_primes(part); // in the child's own copy of memory
                write_end.write_all(&share.to_le_bytes()).expect("write(2)"); // 8 B: atomic
                // SAFETY: _exit(2) ends the child here; it never returns into main's loop.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    drop(write_end); // ours: if a child died, read(2) sees EOF instead of waiting for ever
    let (mut share, mut by_processes) = ([0u8; 8], 0);
    for child in children {
        read_end.read_exact(&mut share).expect("a child's share");
        by_processes += u64::from_le_bytes(share);
        assert_eq!(waitpid(child, None), Ok(WaitStatus::Exited(child, 0)));
    }
    let (processes_took, started) = (started.elapsed(), Instant::now());
    let by_threads: u64 = std::thread::scope(|scope| {
        let other_half = scope.spawn(|| count_primes(1)); // clone(2): a second thread
        count_primes(0) + other_half.join().expect("the thread")
    });
    let threads_took = started.elapsed();
    println!("2 processes: {by_processes} primes in {processes_took:.1?}");
    println!("2 threads:   {by_threads} primes in {threads_took:.1?}");
    assert_eq!(
        (by_processes, by_threads),
        (9_592, 9_592),
        "same answer both ways"
    );
}
