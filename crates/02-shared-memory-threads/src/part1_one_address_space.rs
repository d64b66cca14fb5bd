//! Part 1: one address space. Workers report where they see a heap value
//! and a static (one address for all), a local variable (a stack each) and
//! their thread id; then two `'static` threads share a value through `Arc`.
//! The listing `examples/02a-same-address.rs` shows the same in 60 lines.

use std::hint::black_box;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Barrier};
use std::thread;

use nix::unistd::gettid;
use support::error::{Context, Result};
use support::forking::threads_in_this_process;
use support::say;

use crate::joined;
use crate::report::{AddressSpace, Sighting, yes_no};

/// A static: one copy for the whole process. An atomic can change, so it
/// sits in writable memory: `.data` (or `.bss` when it starts at zero); a
/// plain immutable static may be put in read-only `.rodata`.
pub static SHARED_STATIC: AtomicU64 = AtomicU64::new(7);

/// Part 1: `threads` scoped workers, then two `Arc` owners. Every thread is
/// joined before it returns.
pub fn one_address_space(threads: usize) -> Result<AddressSpace> {
    // ANCHOR: scoped
    let heap_value = Box::new(42_u64); // one allocation, owned by main
    let everyone = Barrier::new(threads + 1); // the workers and main
    let (heap_value, everyone) = (&heap_value, &everyone); // every worker borrows these
    let main_local = black_box(0_usize); // on main's stack
    say_header_and_row(&sighting(0, heap_value, &main_local)); // main's tid is the pid
    let (workers, threads_while_running) = thread::scope(|scope| -> Result<_> {
        let mut handles = Vec::with_capacity(threads);
        for number in 1..=threads {
            let handle = thread::Builder::new()
                .name(worker_name(number))
                .spawn_scoped(scope, move || {
                    let stack_local = black_box(number); // on this thread's own stack
                    let seen = sighting(number, heap_value, &stack_local);
                    say!("{}", row(&seen));
                    everyone.wait(); // all running: main counts them...
                    everyone.wait(); // ...and lets them go
                    seen
                })
                .context("spawn a worker thread (pthread_create(3))")?;
            handles.push(handle);
        }
        everyone.wait();
        let threads_while_running = threads_in_this_process(); // Threads: in /proc/self/status
        everyone.wait();
        let workers = handles
            .into_iter()
            .map(|handle| joined(handle.join(), "worker"));
        Ok((workers.collect::<Result<Vec<_>>>()?, threads_while_running))
    })?;
    // ANCHOR_END: scoped
    let (parent_arc_value, arc_sightings) = arc_owners()?;
    Ok(AddressSpace {
        workers,
        parent_heap_value: &**heap_value as *const u64 as usize,
        parent_static_value: &SHARED_STATIC as *const AtomicU64 as usize,
        threads_while_running,
        arc_sightings,
        parent_arc_value,
    })
}

/// Two threads made with plain `thread::spawn` own one string through `Arc`.
/// Returns where main and each thread saw the string.
fn arc_owners() -> Result<(usize, Vec<usize>)> {
    // ANCHOR: arc
    // A `thread::spawn` thread may outlive this function, so it cannot
    // borrow: it must own what it uses. `Arc` gives each thread an owning
    // handle to *one* value, freed when the last handle goes. `Arc` is `Send`
    // (a handle may move to another thread) because its count is atomic.
    let shared = Arc::new(String::from("one string, many owners"));
    let parent_arc_value = Arc::as_ptr(&shared) as usize;
    let mut handles = Vec::new();
    for number in 1..=2 {
        let mine = Arc::clone(&shared); // copies the pointer, not the string
        let handle = thread::Builder::new()
            .name(format!("arc-{number}"))
            .spawn(move || {
                let address = Arc::as_ptr(&mine) as usize;
                say!("Arc'd string at {address:#x}: {mine:?}");
                address
            })
            .context("spawn an Arc thread (pthread_create(3))")?;
        handles.push(handle);
    }
    drop(shared); // main lets go; the threads' handles keep the string alive
    let seen = handles
        .into_iter()
        .map(|handle| joined(handle.join(), "arc"));
    // ANCHOR_END: arc
    Ok((parent_arc_value, seen.collect::<Result<Vec<usize>>>()?))
}

/// The part's one-line conclusion, from what the workers reported.
pub fn summarise(space: &AddressSpace) {
    let threads = space
        .threads_while_running
        .map_or("?".into(), |n| n.to_string());
    say!("one pid, {threads} threads (Threads: in /proc/self/status), a tid each");
    say!(
        "same heap value and static in every thread: {}; own stack each: {}",
        yes_no(space.shared_addresses_agree()),
        yes_no(space.stacks_are_distinct())
    );
}

/// Where the calling thread sees the heap value, the static and its
/// `stack_local`, and its thread id.
fn sighting(number: usize, heap_value: &u64, stack_local: &usize) -> Sighting {
    Sighting {
        thread: worker_name(number),
        tid: gettid().as_raw(), // gettid(2): a thread id, one per thread
        heap_value: heap_value as *const u64 as usize,
        static_value: &SHARED_STATIC as *const AtomicU64 as usize,
        stack_local: stack_local as *const usize as usize,
    }
}

/// One row of part 1's table.
fn row(seen: &Sighting) -> String {
    let (heap, stat, stack) = (seen.heap_value, seen.static_value, seen.stack_local);
    format!("{heap:<#16x}{stat:<#16x}{stack:<#16x}{}", seen.tid)
}

/// `worker-1`…`worker-9`, then `worker10`…`worker64`: at most the eight
/// characters a speaker tag gives a thread's name, so the columns align.
pub(crate) fn worker_name(number: usize) -> String {
    format!("worker{}{number}", if number < 10 { "-" } else { "" })
}

/// The table's header, then main's own row.
fn say_header_and_row(main: &Sighting) {
    say!("where each thread sees a heap value, a static, a local; its tid:");
    say!(
        "{:<16}{:<16}{:<16}tid (gettid)",
        "heap value",
        "static",
        "own stack"
    );
    say!("{}", row(main));
}
