//! The faults a test can inject into a model's process, through its
//! environment: killed while its tasks wait (the demo must print an error
//! line, run the other models, and leave no process behind: its driver
//! and task processes die with it, `model::die_with`); or a low
//! descriptor limit or map count (the model must run the tasks it could
//! start, and name the limit).

use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::resource::{Resource, setrlimit};

use crate::report::Model;

/// Set to a model's word (`threads`, `processes`, …) in the environment
/// of the demo: that model's process kills itself once its tasks wait.
pub const KILL_MODEL_ENV: &str = "MANY_WAITS_TEST_KILL_MODEL";

/// Set to a number: the model's process sets RLIMIT_NOFILE, soft and
/// hard, to it before it starts.
pub const NOFILE_ENV: &str = "MANY_WAITS_TEST_NOFILE";

/// Set to a number: the thread model takes it for `vm.max_map_count`.
pub const MAX_MAP_COUNT_ENV: &str = "MANY_WAITS_TEST_MAX_MAP_COUNT";

/// `vm.max_map_count`, or the number a test put in its place.
pub fn max_map_count() -> Option<u64> {
    let asked = std::env::var(MAX_MAP_COUNT_ENV)
        .ok()
        .and_then(|n| n.parse().ok());
    asked.or_else(|| crate::limits::number("/proc/sys/vm/max_map_count"))
}

static ARMED: AtomicBool = AtomicBool::new(false);

/// Called by the model's process before it starts: reads the environment.
pub fn arm(model: Model) {
    let asked = std::env::var(KILL_MODEL_ENV).is_ok_and(|word| word == model.word());
    ARMED.store(asked, Ordering::Relaxed);
    if let Some(limit) = std::env::var(NOFILE_ENV).ok().and_then(|n| n.parse().ok()) {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, limit, limit);
    }
}

/// Called when every task waits: SIGKILL this process if a test asked.
pub fn die_here_if_asked() {
    if ARMED.load(Ordering::Relaxed) {
        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
    }
}
