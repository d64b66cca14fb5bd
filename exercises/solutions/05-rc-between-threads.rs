//! Exercise 5, solved: `Arc<Mutex<…>>` for `Rc<RefCell<…>>`. `Rc` counts its owners with
//! a plain integer, so it is not `Send` (E0277); `Arc` counts atomically. `Arc<T>` is `Send`
//! only if `T` is `Sync`, and `RefCell` is not (its borrow flag is a plain integer too):
//! the second E0277. A `Mutex` gives one thread at a time the list: it is `Sync`.
//! Check it: `just check 5 --solution`.

use std::sync::{Arc, Mutex};
use std::thread;

const LINES_PER_PART: u64 = 10_000;

fn main() {
    let summaries = Arc::new(Mutex::new(Vec::new())); // one list, for every thread
    let mut handles = Vec::new();
    for part in 1..=4 {
        let summaries = Arc::clone(&summaries); // an atomic count of owners + 1
        handles.push(thread::spawn(move || {
            // A stand-in for parsing: every (7 × part)th line of this part is an error.
            let errors = (1..=LINES_PER_PART)
                .filter(|line| line % (7 * part) == 0)
                .count();
            let summary = format!("part {part}: {errors} errors");
            summaries
                .lock()
                .expect("no thread panicked holding it")
                .push(summary);
        }));
    }
    for handle in handles {
        handle.join().expect("a scanning thread");
    }
    let mut summaries = summaries.lock().expect("no thread panicked holding it");
    summaries.sort(); // the threads finish in any order
    for summary in summaries.iter() {
        println!("{summary}");
    }
}
