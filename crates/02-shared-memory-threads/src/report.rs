//! What the lesson saw, as data: for the tests, for lesson 07's table and for
//! the tour. The story is in `lib.rs` and the parts; these are its findings.

use std::time::Duration;

use support::placement::Placement;
use support::{Ending, Stats};

/// Everything one run of the lesson found, part by part.
#[derive(Debug, Clone)]
pub struct Report {
    pub cores: usize,                // CPUs this process may run on
    pub address_space: AddressSpace, // part 1
    pub direct_read: DirectRead,     // part 2
    pub hand_off: HandOff,           // part 2
    pub counters: Counters,          // part 3
    pub fork: ForkContrast,          // part 4
}

/// What one worker thread of part 1 saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub thread: String, // `worker-1`…
    pub tid: i32,       // from gettid(2)
    /// Addresses of the heap value every worker borrows, of the static
    /// `SHARED_STATIC`, and of a variable on this thread's own stack.
    pub heap_value: usize,
    pub static_value: usize,
    pub stack_local: usize,
}

/// Part 1's findings.
#[derive(Debug, Clone)]
pub struct AddressSpace {
    /// One sighting per scoped worker, in worker order.
    pub workers: Vec<Sighting>,
    /// Where the main thread sees the heap value and the static.
    pub parent_heap_value: usize,
    pub parent_static_value: usize,
    /// `Threads:` in /proc/self/status while every worker was running.
    pub threads_while_running: Option<usize>,
    /// The address of the `Arc`'s contents, as each `'static` thread and
    /// as the main thread saw it.
    pub arc_sightings: Vec<usize>,
    pub parent_arc_value: usize,
}

impl AddressSpace {
    /// Every worker saw the heap value and the static where main sees them.
    pub fn shared_addresses_agree(&self) -> bool {
        let same = |seen: &Sighting| {
            seen.heap_value == self.parent_heap_value
                && seen.static_value == self.parent_static_value
        };
        self.workers.iter().all(same)
            && self
                .arc_sightings
                .iter()
                .all(|&at| at == self.parent_arc_value)
    }

    /// No two workers had their stack variable, or their thread id, in common.
    pub fn stacks_are_distinct(&self) -> bool {
        let distinct = |mut values: Vec<usize>| {
            values.sort_unstable();
            values.dedup();
            values.len() == self.workers.len()
        };
        distinct(self.workers.iter().map(|s| s.stack_local).collect())
            && distinct(self.workers.iter().map(|s| s.tid as usize).collect())
    }
}

/// Part 2's first finding: one thread filled a buffer, another read it in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectRead {
    pub bytes: usize,
    /// Where the writer thread put the bytes, and where the reader read them.
    pub writer_address: usize,
    pub reader_address: usize,
    /// The writer's and the reader's sums of the bytes.
    pub writer_sum: u64,
    pub reader_sum: u64,
}

/// Hand-off round trips (main -> echo -> main) measured with one placement.
#[derive(Debug, Clone, Copy)]
pub struct HandOffRow {
    pub placement: Placement, // where the two threads ran
    pub channel: Stats,       // through a pair of std::sync::mpsc channels
    pub condvar: Stats,       // through a parking_lot Mutex + Condvar
}

/// Part 2's second finding: round trips on one CPU, and on two when allowed.
#[derive(Debug, Clone, Copy)]
pub struct HandOff {
    pub one_cpu: HandOffRow, // placed `Unpinned` when pinning was refused
    /// `None` when this process may use only one CPU (`taskset -c 0`), or
    /// may not pin itself at all.
    pub two_cpus: Option<HandOffRow>,
}

/// One counter run: `threads` threads each added 1, `increments` times.
#[derive(Debug, Clone)]
pub struct CounterRun {
    pub label: &'static str, // how the counter was updated
    pub threads: usize,      // how many threads counted
    pub expected: u64,       // threads × increments
    pub counted: u64,        // what it held once every thread was joined
    pub lost: u64,           // expected − counted (0 for a correct counter)
    pub elapsed: Duration,
}

/// Part 3's findings: the broken counter and three correct ones.
#[derive(Debug, Clone)]
pub struct Counters {
    pub racy_load_store: CounterRun,
    pub atomic_fetch_add: CounterRun,
    pub parking_lot_mutex: CounterRun,
    pub std_mutex: CounterRun,
}

/// Part 4's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkContrast {
    /// What a thread added to the counter, and what main then read.
    pub thread_added: u64,
    pub parent_view_after_thread: u64,
    /// What the child added, and the counter as the child then saw it.
    pub child_added: u64,
    pub child_view: u64,
    /// The counter's address in the parent and in the child.
    pub parent_address: usize,
    pub child_address: usize,
    /// The counter as the parent read it after the child had ended.
    pub parent_view_after_child: u64,
    pub child_ending: Ending, // how the child ended
}

/// A count with `_` between groups of three digits: `4_000_000`.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}

/// `yes` or `NO`, for a check the output reports.
pub fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "NO" }
}
