//! Part 2b, the mechanics: one value handed to an `echo` thread, which
//! answers value + 1, timed as round trips. Two ways: a pair of channels,
//! and one slot guarded by a `parking_lot::Mutex` with a `Condvar`.

use std::sync::mpsc;
use std::thread;

use support::error::{Context, Error, Result};
use support::placement::{Pinned, Placement};
use support::timing::{Stats, try_measure};

/// Round trips per timing, and timings per figure.
pub const ROUND_TRIPS_PER_SAMPLE: usize = 50;
pub const SAMPLES: usize = 21;

/// A channel round trip, measured wherever the caller runs (the echo thread
/// inherits the caller's CPU mask).
pub fn channel_round_trip() -> Result<Stats> {
    channel_round_trip_on(&Pinned::caller(Placement::Unpinned)?)
}

/// A `Mutex` + `Condvar` round trip, measured wherever the caller runs.
pub fn condvar_round_trip() -> Result<Stats> {
    condvar_round_trip_on(&Pinned::caller(Placement::Unpinned)?)
}

/// Round trips through two channels; the echo thread first moves to the
/// CPU `pinned` chose for the other party.
pub fn channel_round_trip_on(pinned: &Pinned) -> Result<Stats> {
    // ANCHOR: channel
    let (to_echo, echo_inbox) = mpsc::channel::<u64>();
    let (to_main, main_inbox) = mpsc::channel::<u64>();
    thread::scope(|scope| -> Result<Stats> {
        scope.spawn(move || {
            pinned.move_other_party(); // to the other CPU, when there are two
            // recv() sleeps until a value arrives, and fails once main's sender is gone.
            while let Ok(value) = echo_inbox.recv() {
                if to_main.send(value + 1).is_err() {
                    break;
                }
            }
        });
        let mut value = 0_u64;
        let timing = try_measure(
            ROUND_TRIPS_PER_SAMPLE,
            SAMPLES,
            ROUND_TRIPS_PER_SAMPLE,
            || {
                to_echo.send(value).context("send on a channel")?;
                let answer = main_inbox.recv().context("recv on a channel")?;
                value += 1;
                match answer == value {
                    true => Ok(()),
                    false => Err(Error::msg(format!("echo answered {answer}, not {value}"))),
                }
            },
        );
        drop(to_echo); // whatever happened: the echo thread's recv() fails, it ends
        timing
    })
    // ANCHOR_END: channel
}

/// What the one slot between the two threads holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Empty,
    Ping(u64),
    Pong(u64),
    Closed,
}

/// Round trips through one slot, a `parking_lot::Mutex` and a `Condvar`.
pub fn condvar_round_trip_on(pinned: &Pinned) -> Result<Stats> {
    // ANCHOR: condvar_echo
    let slot = parking_lot::Mutex::new(Slot::Empty);
    let changed = parking_lot::Condvar::new();
    thread::scope(|scope| -> Result<Stats> {
        let (slot, changed) = (&slot, &changed);
        scope.spawn(move || {
            pinned.move_other_party();
            let mut guard = slot.lock(); // no Result: parking_lot has no poisoning
            loop {
                match *guard {
                    Slot::Ping(value) => {
                        *guard = Slot::Pong(value + 1);
                        changed.notify_one(); // wake main (a futex(2) wake if it sleeps)
                    }
                    Slot::Closed => break,
                    // wait() unlocks, sleeps, and locks again on waking.
                    Slot::Empty | Slot::Pong(_) => changed.wait(&mut guard),
                }
            }
        });
        // ANCHOR_END: condvar_echo
        // ANCHOR: condvar_main
        let mut value = 0_u64;
        let timing = try_measure(
            ROUND_TRIPS_PER_SAMPLE,
            SAMPLES,
            ROUND_TRIPS_PER_SAMPLE,
            || {
                let mut guard = slot.lock();
                *guard = Slot::Ping(value);
                changed.notify_one();
                while !matches!(*guard, Slot::Pong(_)) {
                    changed.wait(&mut guard);
                }
                value += 1;
                match *guard {
                    Slot::Pong(answer) if answer == value => Ok(()),
                    other => Err(Error::msg(format!("echo answered {other:?}, not {value}"))),
                }
            },
        );
        *slot.lock() = Slot::Closed; // whatever happened: tell the echo thread to stop
        changed.notify_one();
        timing
    })
    // ANCHOR_END: condvar_main
}
