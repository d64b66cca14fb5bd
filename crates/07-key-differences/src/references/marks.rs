//! The mark a reference line carries: that of any figure behind it.

use crate::report::Saved;
use crate::rules::{MARK, disturbance};

/// The figures behind the shares line: the same work and each transport.
pub const SHARES: [&str; 4] = [
    "communication.same_work",
    "communication.pipe",
    "communication.pipe_1mib",
    "communication.ring",
];
/// The figures behind the blocking round trips' line.
pub const BLOCKING: [&str; 3] = [
    "communication.condvar",
    "communication.pipe_one_cpu",
    "communication.pipe_two_cpus",
];

/// ` !` when any of `keys` names a figure to doubt: a line drawn from it
/// is marked as the figure is.
pub fn mark_of(saved: &Saved, keys: &[&str]) -> String {
    let doubted = |key: &&str| saved.figure(key).is_some_and(|f| disturbance(f).is_some());
    match keys.iter().any(doubted) {
        true => format!(" {MARK}"),
        false => String::new(),
    }
}
