//! One worker process, used by scenarios 4 and 5: fork, do the work, send
//! the result through a pipe, or crash part way; end through `_exit`.

use std::fs::File;
use std::io::Write;
use std::os::fd::OwnedFd;

use nix::unistd::{ForkResult, fork, pipe};
use support::error::{Context, Result};
use support::forking::{prepare_to_fork, run_child};
use support::{ChildGuard, say};

use crate::crash::{Crash, crash_this_process};
use crate::work::{encode_record, fold, plural, work_unit};

// ANCHOR: worker_process
/// Forks one worker process. It does `units` units of work and writes its
/// result to a pipe; if `crash_after` is set it crashes after that many
/// units instead. Returns the child (guarded) and the pipe's read end.
pub(crate) fn start_worker_process(
    worker: u32,
    units: u32,
    crash_after: Option<u32>,
    how: Crash,
) -> Result<(ChildGuard, OwnedFd)> {
    let (read_end, write_end) = pipe().context("pipe(2)")?; // its result comes back here
    // Refuses unless this process has one thread; flushes stdout, or the
    // child would inherit any unprinted text and print it a second time.
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => {
            drop(read_end);
            // run_child: a panic or an error ends this process (exit 101 or
            // 1) through _exit(2); it never returns into the parent's code.
            run_child(|| worker_process(worker, units, crash_after, how, write_end))
        }
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child); // killed and reaped if we bail out
            drop(write_end); // keep only the read end, or we never see EOF
            Ok((guard, read_end))
        }
    }
}

// ANCHOR_END: worker_process

// ANCHOR: worker_body
/// In the forked child: the work, then the result into the pipe.
fn worker_process(
    worker: u32,
    units: u32,
    crash_after: Option<u32>,
    how: Crash,
    write_end: OwnedFd,
) -> Result<()> {
    if crash_after.is_some() {
        support::crash::disable_core_dumps().context("turning core dumps off")?;
    }
    let mut result = 0;
    for unit in 0..units {
        if crash_after == Some(unit) {
            say!(
                "worker-{worker}: {} done; now I {}",
                plural(unit, "unit"),
                how.describe()
            );
            crash_this_process(how); // this process dies; the others never notice
        }
        result = fold(result, work_unit(worker, unit));
    }
    let record = encode_record(worker, units, result);
    File::from(write_end)
        .write_all(&record)
        .context("write(2) of a worker's result")
}
// ANCHOR_END: worker_body
