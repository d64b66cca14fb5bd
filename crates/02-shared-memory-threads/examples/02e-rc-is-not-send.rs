//! 02e: the compiler refuses to give a thread what is not thread-safe. `Rc` counts owners
//! with a plain integer (two threads cloning at once could lose updates, as in 02b), so it
//! is not `Send`. Uncomment the marked line and `cargo build` stops with
//!     error[E0277]: `Rc<Vec<u64>>` cannot be sent between threads safely
//! `Arc` counts atomically: it is `Send` and `Sync`, so as committed this compiles and runs.
//! Run: `cargo run -p shared-memory-threads --example 02e-rc-is-not-send`. Next: `src/lib.rs`.

use std::rc::Rc;
use std::sync::Arc;
use std::thread;

fn main() {
    let shared = Arc::new(vec![1_u64, 2, 3]); // Arc: an atomic count of owners
    let one_thread_only = Rc::new(vec![1_u64, 2, 3]); // Rc: a plain count of owners

    let mut handles = Vec::new();
    for _ in 0..2 {
        let mine = Arc::clone(&shared); // count + 1, with one atomic instruction
        // let mine = Rc::clone(&one_thread_only); // uncomment me: error[E0277]
        handles.push(thread::spawn(move || mine.iter().sum::<u64>())); // `mine` moves over
    }
    for handle in handles {
        assert_eq!(handle.join().expect("a summing thread"), 6);
    }
    // On one thread, Rc is fine: cloning it is a plain add, no atomic needed.
    let also_mine = Rc::clone(&one_thread_only);
    println!(
        "Arc owners now: {} (both threads dropped theirs)",
        Arc::strong_count(&shared)
    );
    println!(
        "Rc owners now:  {} (main and also_mine)",
        Rc::strong_count(&also_mine)
    );
    assert_eq!(Arc::strong_count(&shared), 1);
    assert_eq!(Rc::strong_count(&one_thread_only), 2);
}
