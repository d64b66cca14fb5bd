//! Part 5: why the ring uses atomics, not a Mutex, in the shared page.
//! Listing `03e-futex-across-processes.rs` shows the kernel's side of it.

use support::say;

// ANCHOR: why_not_a_mutex
// - `std::sync::Mutex` on Linux is one atomic word plus futex(2) to sleep
//   and wake. std passes FUTEX_PRIVATE_FLAG, which tells the kernel "only
//   threads of this process wait here": sleepers are found by (this address
//   space, this address), so a waiter in another process is never woken,
//   even when both map the word.
// - `parking_lot` keeps its queues of parked threads in a table in each
//   process's own heap: the other process never hears of our waiters.
// - Neither knows when the holder is a process that died: killed while it
//   held the lock, it leaves the lock held for ever.
//
// Between processes: atomics in the shared page with a bounded spin (part
// 2), a futex *without* FUTEX_PRIVATE_FLAG (part 3 and listing 03e), or a
// pthread mutex made PTHREAD_PROCESS_SHARED and PTHREAD_MUTEX_ROBUST.
pub fn why_not_a_mutex() {
    say!("std's Mutex sleeps on a *private* futex: FUTEX_PRIVATE_FLAG tells");
    say!("the kernel that only threads of one process wait there, so it");
    say!("never wakes a waiter in another process. parking_lot queues its");
    say!("sleepers in each process's own heap. Neither notices a holder");
    say!("process that died. Between processes: shared-page atomics (part 2),");
    say!("a shared futex (part 3, listing 03e), or a PTHREAD_PROCESS_SHARED,");
    say!("ROBUST mutex.");
}
// ANCHOR_END: why_not_a_mutex
