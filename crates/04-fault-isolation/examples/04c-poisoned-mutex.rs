//! 04c: a panic while a lock is held. The thread dies, the data lives on, half updated.
//! `std::sync::Mutex` marks itself *poisoned*: the next `lock()` returns `Err`, and the
//! caller must decide what to do with the data. `parking_lot::Mutex` hands it on silently.
//! Run it: `cargo run -p fault-isolation --example 04c-poisoned-mutex`
//! Next: 04d, a fault instead of a panic.

use std::sync::{Mutex, PoisonError};
use std::thread;

/// Moves 30 from the first account to the second, in two steps; a panic strikes between.
fn transfer_cut_half_way(accounts: &mut [i64; 2]) {
    accounts[0] -= 30; // step 1: the money has left...
    strike(); // ...a panic unwinds from here...
    accounts[1] += 30; // ...so step 2 never runs
}

fn strike() {
    panic!("cut between the two steps");
}

fn main() {
    std::panic::set_hook(Box::new(|_| {})); // keep the two panic messages off the screen
    let std_mutex = Mutex::new([100i64, 0]);
    let _ = thread::scope(|s| {
        s.spawn(|| transfer_cut_half_way(&mut std_mutex.lock().unwrap()))
            .join()
    });
    match std_mutex.lock() {
        Ok(_) => unreachable!("a lock held during a panic is poisoned"),
        Err(poisoned) => {
            let accounts = **poisoned.get_ref(); // look, knowing it may be half done
            println!(
                "std:         lock() = Err(poisoned); data {accounts:?}, total {}",
                accounts.iter().sum::<i64>()
            );
            assert_eq!(accounts, [70, 0]);
        }
    }
    drop(std_mutex.lock().unwrap_or_else(PoisonError::into_inner)); // take it anyway
    assert!(
        std_mutex.is_poisoned(),
        "it stays poisoned until clear_poison()"
    );

    let pl_mutex = parking_lot::Mutex::new([100i64, 0]);
    let _ = thread::scope(|s| {
        s.spawn(|| transfer_cut_half_way(&mut pl_mutex.lock()))
            .join()
    });
    let accounts = *pl_mutex.lock(); // no Result to check: no poisoning
    println!(
        "parking_lot: lock() = the guard;       data {accounts:?}, total {}",
        accounts.iter().sum::<i64>()
    );
    assert_eq!(
        accounts,
        [70, 0],
        "the same half-done data, and not a word about it"
    );
}
