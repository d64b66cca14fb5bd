//! Scenario 2: a thread panics while it holds a lock. The thread dies; the
//! data it guarded lives on, half updated. `std::sync::Mutex` says so (it
//! is *poisoned*); `parking_lot::Mutex` hands the data on without a word.

use std::thread;

use support::error::{Context, Error, Result};
use support::say;

use crate::panics::with_panics_told_by_say;
use crate::report::PoisonReport;

/// Two accounts; a transfer moves money from one to the other in two steps.
/// Between the steps the total is wrong: that is the half-finished state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accounts {
    pub checking: i64,
    pub savings: i64,
}

impl Accounts {
    /// Where both mutexes start: 100 in checking, 0 in savings.
    pub const START: Accounts = Accounts {
        checking: 100,
        savings: 0,
    };
    /// What a transfer of 30 leaves if it is cut between its two steps.
    pub const HALF_DONE: Accounts = Accounts {
        checking: 70,
        savings: 0,
    };

    pub fn total(self) -> i64 {
        self.checking + self.savings
    }
}

impl std::fmt::Display for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (checking, savings, total) = (self.checking, self.savings, self.total());
        write!(f, "checking {checking} + savings {savings} = {total}")
    }
}

// ANCHOR: transfer
/// Moves `amount` from checking to savings — but a panic strikes between
/// the two steps.
fn transfer_cut_half_way(accounts: &mut Accounts, amount: i64) {
    accounts.checking -= amount; // step 1 of 2: the money has left…
    strike_between_steps(); // …a panic unwinds from here…
    accounts.savings += amount; // step 2 of 2: …so it never arrives
}

fn strike_between_steps() {
    panic!("transfer cut between its two steps");
}
// ANCHOR_END: transfer

/// Scenario 2: the same cut transfer under each kind of mutex.
pub fn panic_while_holding_a_lock() -> Result<PoisonReport> {
    say!("{}; a thread moves 30 under the lock,", Accounts::START);
    say!("  and panics between the transfer's two steps: once with each mutex");
    // ANCHOR: poison
    let std_mutex = std::sync::Mutex::new(Accounts::START);
    in_a_thread_that_panics("std-lock", || {
        let mut accounts = std_mutex
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        transfer_cut_half_way(&mut accounts, 30); // the guard drops while unwinding
    })?;
    let std_poisoned = std_mutex.is_poisoned(); // std marked the lock as it unwound
    let (std_lock_was_err, std_seen, std_repaired) = match std_mutex.lock() {
        Ok(accounts) => (false, *accounts, *accounts),
        Err(poisoned) => {
            say!("std Mutex: lock() = Err({poisoned})");
            let mut accounts = poisoned.into_inner(); // take it, knowing it may be half done
            let seen = *accounts;
            say!("  into_inner() shows {seen} (should be 100)");
            accounts.savings = 100 - accounts.checking; // repair the invariant
            let repaired = *accounts;
            drop(accounts);
            std_mutex.clear_poison(); // we vouch for the data again
            say!("  repaired: {repaired}; clear_poison()");
            (true, seen, repaired)
        }
    };
    let parking_lot_mutex = parking_lot::Mutex::new(Accounts::START);
    in_a_thread_that_panics("pl-lock", || {
        let mut accounts = parking_lot_mutex.lock();
        transfer_cut_half_way(&mut accounts, 30); // the guard drops while unwinding
    })?;
    let parking_lot_seen = *parking_lot_mutex.lock(); // no Result: no poisoning
    // ANCHOR_END: poison
    say!("parking_lot Mutex: lock() = the guard, no error; it sees");
    say!("  {parking_lot_seen} (should be 100)");
    tell(std_poisoned);
    Ok(PoisonReport {
        std_poisoned,
        std_lock_was_err,
        std_seen,
        std_repaired,
        parking_lot_seen,
    })
}

/// The died / survived / lost lines, and when each kind of mutex fits.
fn tell(std_poisoned: bool) {
    say!("died:     the thread that held each lock; the process lives on");
    say!("survived: both mutexes and their data, half finished");
    let std_said = if std_poisoned {
        "std's lock() said so"
    } else {
        "std's did not"
    };
    say!("lost:     30 in flight: {std_said}, parking_lot's did not");
    say!("std's poisoning suits data a half-done update breaks (total 100):");
    say!("  every later lock() must choose: repair it, or give up.");
    say!("parking_lot's silence suits data valid after each write (a counter),");
    say!("  or a program that stops at the first panic anyway.");
}

/// Runs `body` in a named thread that is expected to panic, and joins it.
fn in_a_thread_that_panics(name: &str, body: impl FnOnce() + Send) -> Result<()> {
    with_panics_told_by_say(|| {
        thread::scope(|scope| {
            let handle = thread::Builder::new()
                .name(name.to_string())
                .spawn_scoped(scope, body)
                .context("spawn of a thread")?;
            if handle.join().is_ok() {
                return Err(Error::msg(format!("thread {name} was meant to panic")));
            }
            Ok(())
        })
    })
}
