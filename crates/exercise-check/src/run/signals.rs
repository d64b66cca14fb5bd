//! Ctrl-C during a check must not leave the program running: the program sits
//! in a process group of its own, so the terminal's SIGINT reaches only the
//! checker. The handler only notes the signal; the run's next look (10 ms
//! later at most) sees it, stops the run, and the cleanup ends every process.

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

/// The signal that interrupted the checker, 0 for none yet.
static INTERRUPTED_BY: AtomicI32 = AtomicI32::new(0);

extern "C" fn note(signal: libc::c_int) {
    INTERRUPTED_BY.store(signal, Ordering::SeqCst); // async-signal-safe: one atomic store
}

/// From now on SIGINT, SIGTERM and SIGHUP are noted, not fatal: call
/// [`interrupted`] to see whether one came, and end the process after the cleanup.
pub fn end_runs_on_signals() -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(note),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // SAFETY: the handler does one atomic store, which is async-signal-safe;
        // the old handler it replaces is not needed.
        unsafe { sigaction(signal, &action) }?;
    }
    Ok(())
}

/// The signal that interrupted the checker, if one came.
pub fn interrupted() -> Option<Signal> {
    match INTERRUPTED_BY.load(Ordering::SeqCst) {
        0 => None,
        number => Signal::try_from(number).ok(),
    }
}
