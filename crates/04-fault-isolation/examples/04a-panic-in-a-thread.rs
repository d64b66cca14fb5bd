//! 04a: a panic in a *spawned* thread unwinds that thread's stack and ends it; `join()`
//! hands the panic back as `Err(payload)`, and the process, its other threads and their
//! results live on. (A panic on the main thread is another story: read 04b next.)
//! Run it: `cargo run -p fault-isolation --example 04a-panic-in-a-thread`

use std::thread;

struct Partial(u32); // a destructor to watch: unwinding runs it on the panicking stack

impl Drop for Partial {
    fn drop(&mut self) {
        if thread::panicking() {
            println!("worker-{}: unwinding, dropping my partial result", self.0);
        }
    }
}

fn main() {
    let handles: Vec<_> = (1..=4u32)
        .map(|worker| {
            thread::spawn(move || {
                let _partial = Partial(worker);
                if worker == 2 {
                    panic!("worker-2 met a bad input"); // unwinds this thread only
                }
                worker * 100 // this worker's result
            })
        })
        .collect();
    let mut delivered = Vec::new();
    for (worker, handle) in (1..).zip(handles) {
        match handle.join() {
            Ok(result) => delivered.push(result), // the thread returned normally
            Err(payload) => {
                let text = payload.downcast_ref::<&str>().copied().unwrap_or("?");
                println!("main: join(worker-{worker}) = Err({text:?})");
            }
        }
    }
    println!(
        "main: still pid {}, results {delivered:?}",
        std::process::id()
    );
    assert_eq!(
        delivered,
        [100, 300, 400],
        "the three other results arrived"
    );
}
