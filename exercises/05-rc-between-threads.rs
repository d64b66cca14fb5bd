//! Exercise 5: the compiler refuses to share an `Rc` between threads. Four threads each
//! scan a part of a log and add a summary to one shared list. As written this does not
//! compile (`cargo build` says why): make it compile the right way, so that the threads
//! really share the one list (no `unsafe`). Done when `just check 5` passes: it builds,
//! and prints the four summaries. Read: chapter 02, listing 02e (`Rc` is not `Send`).

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

const LINES_PER_PART: u64 = 10_000;

fn main() {
    let summaries = Rc::new(RefCell::new(Vec::new())); // one list, for every thread
    let mut handles = Vec::new();
    for part in 1..=4 {
        let summaries = Rc::clone(&summaries);
        handles.push(thread::spawn(move || {
            // A stand-in for parsing: every (7 × part)th line of this part is an error.
            let errors = (1..=LINES_PER_PART)
                .filter(|line| line % (7 * part) == 0)
                .count();
            summaries
                .borrow_mut()
                .push(format!("part {part}: {errors} errors"));
        }));
    }
    for handle in handles {
        handle.join().expect("a scanning thread");
    }
    let mut summaries = summaries.borrow_mut();
    summaries.sort(); // the threads finish in any order
    for summary in summaries.iter() {
        println!("{summary}");
    }
}
