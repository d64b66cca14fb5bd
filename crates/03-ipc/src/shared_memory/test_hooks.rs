//! Fault injection for the tests, in one place: each costs a reading part
//! one line. With `TestHooks::default()` none of them does anything.

use std::io::Write;
use std::time::Duration;

use nix::sys::signal::{Signal, raise};

/// Which process kills itself (SIGKILL) after its first MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillPoint {
    /// The forked consumer of part 2.
    RingConsumer,
    /// The writer of part 4.
    NamedWriter,
    /// The reader of part 4.
    NamedReader,
}

/// The hooks; all off by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestHooks {
    /// Kill one process in the middle of a transfer.
    pub kill: Option<KillPoint>,
    /// Part 4's reader waits this long before it opens the name, so a test
    /// can interrupt the demo while `/dev/shm/NAME` exists.
    pub hold_named: Duration,
    /// Part 2's consumer pauses this long before it hands back its last
    /// slot (and then exits at once) ...
    pub late_last_slot: Duration,
    /// ... while the producer pauses this long before each check that the
    /// consumer still runs: the consumer ends during the check.
    pub slow_peer_check: Duration,
}

impl TestHooks {
    /// The number of bytes after which `who` must die, if it must.
    pub fn kill_after(&self, who: KillPoint) -> Option<u64> {
        (self.kill == Some(who)).then_some(1 << 20)
    }
}

/// End this process the hard way, as `kill -9` would.
pub fn die_mid_transfer() -> ! {
    let _ = std::io::stdout().flush();
    let _ = raise(Signal::SIGKILL);
    support::forking::exit_child(9) // not reached: SIGKILL cannot be caught
}
