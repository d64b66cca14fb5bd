//! 02a: threads share one address space. Three threads report where they see a heap
//! value and a static (the same address in every thread), a local variable (a stack of
//! its own each), their pid (one for all) and their thread id from gettid(2) (one each).
//! Run it: `cargo run -p shared-memory-threads --example 02a-same-address`
//! Read next: `02b-lost-update-broken.rs`, what goes wrong when they all write.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::{fs, thread};

use nix::unistd::{getpid, gettid};

static IN_STATIC: AtomicU64 = AtomicU64::new(7); // one copy for the whole process

fn main() {
    let on_heap = &Box::new(42_u64); // one allocation, made by main, borrowed by all
    let everyone = &Barrier::new(4); // three workers and main
    let mut tasks = Vec::new();
    let seen: Vec<[usize; 4]> = thread::scope(|scope| {
        let workers: Vec<_> = (1..=3_usize)
            .map(|number| {
                scope.spawn(move || {
                    let on_my_stack = number; // a local: on this thread's own stack
                    let tid = gettid(); // gettid(2): this thread's id
                    println!("thread {number}: pid {} tid {tid}", getpid());
                    IN_STATIC.fetch_add(1, Relaxed); // each thread writes the one static
                    everyone.wait(); // stay alive until main has listed the tasks
                    everyone.wait();
                    let heap = &**on_heap as *const u64 as usize;
                    let stat = &IN_STATIC as *const AtomicU64 as usize;
                    let stack = &on_my_stack as *const usize as usize;
                    [heap, stat, stack, tid.as_raw() as usize]
                })
            })
            .collect();
        everyone.wait(); // all three threads exist now
        for entry in fs::read_dir("/proc/self/task").expect("/proc/self/task") {
            // One entry per thread: to the kernel, each thread is a task.
            tasks.push(entry.expect("task").file_name().into_string().expect("tid"));
        }
        everyone.wait();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let (pid, tid) = (getpid(), gettid());
    println!("main:     pid {pid} tid {tid}; /proc/self/task: {tasks:?}");
    for [heap, stat, stack, tid] in &seen {
        println!("thread tid {tid}: heap {heap:#x} static {stat:#x} stack {stack:#x}");
        assert_eq!(*heap, &**on_heap as *const u64 as usize, "one heap value");
        assert_eq!(*stat, &IN_STATIC as *const AtomicU64 as usize, "one static");
        let same_stack = seen.iter().filter(|other| other[2] == *stack).count();
        assert_eq!(same_stack, 1, "each thread has a stack of its own");
        assert!(tasks.contains(&tid.to_string()), "a task of this process");
    }
    assert_eq!(tasks.len(), 4, "one pid, four tasks"); // main and three threads
    assert_eq!(tid, pid, "main's thread id is the process id");
    assert_eq!(IN_STATIC.load(Relaxed), 10, "7 + one from each thread");
}
