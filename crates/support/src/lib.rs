//! The plumbing every lesson shares, kept small and boring so the lessons stay
//! visible.
//!
//! - [`speaker`]: the `[parent pid=41230 main    ]` tag on every line, and
//!   the [`say!`] macro that prints with it.
//! - [`ending`]: how a child ended, in words ("killed by SIGSEGV (invalid
//!   memory reference)"), from a `WaitStatus` or an `ExitStatus`.
//! - [`timing`]: repeat a closure, report min / median / max, format
//!   durations and rates.
//! - [`role`]: a binary starts itself again in a named, hidden role.
//! - [`guard`]: a child that is killed and reaped if it is dropped unwaited.
//! - [`forking`]: the one check before every `fork`, and the one way a
//!   forked child ends.
//! - [`placement`]: pin a measurement to one CPU or two, and give the old
//!   CPU mask back afterwards.
//! - [`testing`]: run a lesson's binary in a test, with a time limit; run
//!   tests that fork on one thread.
//! - [`classroom`]: `--list-parts`, `--part`, `--pause`, `--predict` and
//!   `--short-tags`, the same in every demo.
//! - [`crash`]: switch core dumps off before a child crashes on purpose.
//! - [`kernel_memory`]: what the kernel spends on workers (kernel stacks,
//!   page tables, slab), read from /proc and the memory cgroup.
//! - [`error`]: errors that name the call that failed (`fork(2) failed: …`).
//!
//! The calls that carry each lesson's concept (`fork`, `pipe`, `spawn`,
//! `mmap`, `waitpid`) are *not* here: they stay in the lesson files, where
//! the reader is looking.

pub mod classroom;
pub mod crash;
pub mod ending;
pub mod error;
pub mod forking;
pub mod guard;
pub mod kernel_memory;
pub mod placement;
pub mod role;
pub mod speaker;
pub mod testing;
pub mod timing;

pub use ending::Ending;
pub use guard::ChildGuard;
pub use speaker::{heading, mark_child_process};
pub use timing::Stats;
