//! 06b: computing work split in two parts, over two forked processes and then over two
//! threads. Both get the same answer: each process sends its part's count back through a
//! pipe, each thread hands its count back from join(). Compare the wall times it prints.
//! Run it: `cargo run --release -p when-to-use-which --example 06b-computing`; then read 06c.

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe, read, write};
use std::time::Instant;

const BELOW: u64 = 100_000; // count the primes below this: 9_592 of them
const BLOCK: u64 = 1_000; // the numbers are dealt out in blocks of 1_000, in turn

/// The primes in blocks `part`, `part + 2`, `part + 4`, … (part 0 or 1). Bigger numbers cost
/// more to test, so taking blocks in turn, like cards, gives both parts the same work.
fn count_primes(part: u64) -> u64 {
    let is_prime = |n: u64| n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0);
    let blocks = (part * BLOCK..BELOW).step_by(2 * BLOCK as usize);
    let numbers = blocks.flat_map(|start| start..start + BLOCK);
    numbers.filter(|&n| is_prime(n)).count() as u64
}

/// `9_592`: digits grouped by three, the way every lesson prints numbers.
fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups = digits.rchunks(3).rev().map(String::from_utf8_lossy);
    groups.collect::<Vec<_>>().join("_")
}

fn main() {
    let started = Instant::now(); // the processes first: fork while we have one thread
    let (read_end, write_end) = pipe().expect("pipe(2)"); // the children's counts come back here
    let children = [0, 1].map(|part| {
        // SAFETY: no thread started yet: one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                let count = count_primes(part); // in the child's own copy of memory
                write(&write_end, &count.to_le_bytes()).expect("write(2)"); // 8 B: atomic
                // SAFETY: _exit(2) ends the child here; it never returns into main.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => child,
        }
    });
    drop(write_end); // ours: if a child died, read(2) sees EOF instead of waiting for ever
    let (mut count, mut by_processes) = ([0u8; 8], 0);
    for child in children {
        assert_eq!(read(&read_end, &mut count), Ok(8), "a child's count, whole"); // read(2)
        by_processes += u64::from_le_bytes(count);
        assert_eq!(waitpid(child, None), Ok(WaitStatus::Exited(child, 0)));
    }
    let (processes_took, started) = (started.elapsed(), Instant::now());
    let by_threads: u64 = std::thread::scope(|scope| {
        let other_part = scope.spawn(|| count_primes(1)); // clone(2): a second thread
        count_primes(0) + other_part.join().expect("the thread")
    });
    let [p, t] = [by_processes, by_threads].map(grouped);
    println!("2 processes: {p} primes in {processes_took:.1?}");
    println!("2 threads:   {t} primes in {:.1?}", started.elapsed());
    assert_eq!([p, t], ["9_592"; 2], "the same answer both ways");
}
