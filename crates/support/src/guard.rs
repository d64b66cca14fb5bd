//! Every child reaped, every resource released — also when a demo fails half
//! way or the reader presses Ctrl-C.
//!
//! - [`ChildGuard`] holds a child's pid. If it is dropped before the child
//!   was waited on (an early `?` return, a panic), it kills the child with
//!   SIGKILL and reaps it, so no zombie and no orphan is left.
//! - Creating a guard also installs, once per process, a handler for
//!   SIGINT, SIGTERM and SIGHUP that kills and reaps every child still
//!   guarded, unlinks every path registered with [`unlink_on_interrupt`]
//!   (a `/dev/shm` entry, say), and then lets the signal end the process as
//!   it would have.
//!
//! The handler may only use async-signal-safe calls (`kill`, `waitpid`,
//! `unlink`, `sigaction`, `raise`): so the registries are fixed arrays of
//! atomics, not a `Mutex<Vec<…>>`. Each entry records the pid of the process
//! that made it, so a forked child that inherits the handler never touches
//! its parent's children or files.

use std::ffi::{CString, c_char};
use std::sync::Once;
use std::sync::atomic::{AtomicI32, AtomicPtr, AtomicU64, Ordering};

use nix::errno::Errno;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, kill, sigaction};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::{Pid, getpid};

use crate::Ending;

const SLOTS: usize = 256;

/// Guarded children: `owner_pid << 32 | child_pid`, 0 for a free slot.
static CHILDREN: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
/// Paths to unlink on interrupt, with the pid of the process that owns each.
static PATHS: [AtomicPtr<c_char>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static PATH_OWNERS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];
static INSTALL: Once = Once::new();

/// A child process that is killed and reaped if dropped unwaited.
///
/// The guard belongs to the process that created it: in a forked child that
/// inherited a copy, dropping it does nothing, so a child never kills or
/// waits for its siblings.
#[derive(Debug)]
pub struct ChildGuard {
    pid: Pid,
    /// The process that created the guard, and that alone may act on it.
    owner: Pid,
    reaped: bool,
}

impl ChildGuard {
    /// Guards the child `pid` (from `fork`, or a spawned `Command`).
    pub fn new(pid: Pid) -> ChildGuard {
        install_interrupt_cleanup();
        let owner = getpid();
        let entry = registry_entry(owner, pid);
        // A full table only means Ctrl-C cannot clean this one child up;
        // `Drop` still does.
        for slot in &CHILDREN {
            if slot
                .compare_exchange(0, entry, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                break;
            }
        }
        ChildGuard {
            pid,
            owner,
            reaped: false,
        }
    }

    /// Guards a child started with `std::process::Command`. Take any piped
    /// stdin/stdout/stderr out of `child` first: they are closed here.
    pub fn adopt(child: std::process::Child) -> ChildGuard {
        ChildGuard::new(Pid::from_raw(child.id() as i32))
    }

    /// The child's process id.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// `waitpid(pid, 0)`: waits for the child to end, reaps it, and returns
    /// the raw status for the caller to decode (`WaitStatus::Signaled` is
    /// C's `WIFSIGNALED`). The guard's registration is cleared while the
    /// child is still an unreaped zombie, so Ctrl-C can never kill a pid
    /// that the kernel has already handed to another process.
    pub fn waitpid(mut self) -> nix::Result<WaitStatus> {
        let status = reap(self.pid)?;
        self.reaped = true;
        Ok(status)
    }

    /// Waits for the child to end, reaps it, and says how it ended.
    pub fn wait(self) -> nix::Result<Ending> {
        let status = self.waitpid()?;
        Ok(Ending::from_wait_status(status).expect("waitpid without flags reports an ending"))
    }

    /// Kills the child with SIGKILL now, reaps it, and says how it ended.
    pub fn kill(self) -> nix::Result<Ending> {
        // ESRCH: it had already ended; waitpid still collects it.
        match kill(self.pid, Signal::SIGKILL) {
            Ok(()) | Err(Errno::ESRCH) => {}
            Err(e) => return Err(e),
        }
        self.wait()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // A copy inherited across fork is not ours to act on.
        if self.reaped || getpid() != self.owner {
            return;
        }
        let _ = kill(self.pid, Signal::SIGKILL);
        if reap(self.pid).is_err() {
            // Could not wait (ECHILD: someone else reaped it): at least
            // stop the interrupt handler from signalling that pid.
            unregister(self.owner, self.pid);
        }
    }
}

fn registry_entry(owner: Pid, child: Pid) -> u64 {
    (owner.as_raw() as u64) << 32 | child.as_raw() as u32 as u64
}

fn unregister(owner: Pid, child: Pid) {
    let entry = registry_entry(owner, child);
    for slot in &CHILDREN {
        if slot
            .compare_exchange(entry, 0, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            break;
        }
    }
}

/// Waits for `pid` to end without reaping it (`waitid(…, WNOWAIT)`), clears
/// its registration while its pid cannot be reused, then reaps it with
/// `waitpid`. EINTR is retried.
fn reap(pid: Pid) -> nix::Result<WaitStatus> {
    let ended = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
    while let Err(errno) = waitid(Id::Pid(pid), ended) {
        if errno != Errno::EINTR {
            return Err(errno);
        }
    }
    unregister(getpid(), pid);
    loop {
        match waitpid(pid, None) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// Unlinks `path` if this process is interrupted (SIGINT, SIGTERM, SIGHUP)
/// before [`forget_path`] is called. For names under `/dev/shm`, pass the
/// full path (`/dev/shm/NAME`).
pub fn unlink_on_interrupt(path: &str) {
    install_interrupt_cleanup();
    let Ok(c_path) = CString::new(path) else {
        return;
    };
    let raw = c_path.into_raw();
    for (slot, owner) in PATHS.iter().zip(&PATH_OWNERS) {
        if slot
            .compare_exchange(
                std::ptr::null_mut(),
                raw,
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok()
        {
            owner.store(getpid().as_raw(), Ordering::SeqCst);
            return;
        }
    }
    // No free slot: give the string back rather than leak it.
    // SAFETY: `raw` came from `CString::into_raw` just above and was not
    // stored anywhere, so we are its only owner.
    drop(unsafe { CString::from_raw(raw) });
}

/// Stops unlinking `path` on interrupt (call it once you unlinked it).
///
/// The string itself is deliberately leaked (a few bytes): a signal handler
/// running on another thread might be reading it at this very moment.
pub fn forget_path(path: &str) {
    for (slot, owner) in PATHS.iter().zip(&PATH_OWNERS) {
        let raw = slot.load(Ordering::SeqCst);
        if raw.is_null() || owner.load(Ordering::SeqCst) != getpid().as_raw() {
            continue;
        }
        // SAFETY: non-null entries are CStrings leaked by
        // `unlink_on_interrupt` and never freed, so the pointer is valid.
        let stored = unsafe { std::ffi::CStr::from_ptr(raw) };
        if stored.to_bytes() == path.as_bytes() {
            slot.store(std::ptr::null_mut(), Ordering::SeqCst);
            return;
        }
    }
}

/// Installs the cleanup handler for SIGINT, SIGTERM and SIGHUP (once).
///
/// A signal that was *ignored* when the program started is left ignored:
/// a shell starts a background job (`demo &`) with SIGINT ignored, so that
/// Ctrl-C at the prompt does not reach it, and a demo must not undo that.
pub fn install_interrupt_cleanup() {
    INSTALL.call_once(|| {
        let action = SigAction::new(
            SigHandler::Handler(on_interrupt),
            SaFlags::SA_RESTART,
            SigSet::empty(),
        );
        for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            if is_ignored(signal) {
                continue;
            }
            // SAFETY: `on_interrupt` only calls async-signal-safe functions
            // (getpid, kill, waitpid, unlink, signal, raise) and reads
            // atomics; it takes no lock and allocates nothing.
            let _ = unsafe { sigaction(signal, &action) };
        }
    });
}

/// Whether `signal`'s disposition is SIG_IGN, asked without changing it.
pub fn is_ignored(signal: Signal) -> bool {
    let mut current = std::mem::MaybeUninit::<libc::sigaction>::uninit();
    // SAFETY: a null new action makes sigaction(2) only report the current
    // one into `current`, which it fully writes on success.
    let ok = unsafe {
        libc::sigaction(
            signal as libc::c_int,
            std::ptr::null(),
            current.as_mut_ptr(),
        )
    };
    // SAFETY: on success (0) the kernel filled the whole struct.
    ok == 0 && unsafe { current.assume_init() }.sa_sigaction == libc::SIG_IGN
}

extern "C" fn on_interrupt(signal: libc::c_int) {
    clean_up_now();
    // SAFETY: signal and raise are async-signal-safe (signal-safety(7)).
    unsafe {
        // Now end the way the signal would have ended us.
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Kills and reaps every child this process still guards, and unlinks every
/// path it registered. For a process about to exit abruptly (an interrupt,
/// or stdout gone away); async-signal-safe.
pub fn clean_up_now() {
    // SAFETY: getpid, kill, waitpid and unlink are all async-signal-safe
    // (signal-safety(7)); the pointers read from PATHS are leaked CStrings
    // that are never freed.
    unsafe {
        let me = libc::getpid();
        for slot in &CHILDREN {
            let entry = slot.load(Ordering::SeqCst);
            if entry != 0 && (entry >> 32) as i32 == me {
                let child = entry as u32 as libc::pid_t;
                libc::kill(child, libc::SIGKILL);
                libc::waitpid(child, std::ptr::null_mut(), 0);
            }
        }
        for (slot, owner) in PATHS.iter().zip(&PATH_OWNERS) {
            let raw = slot.load(Ordering::SeqCst);
            if !raw.is_null() && owner.load(Ordering::SeqCst) == me {
                libc::unlink(raw);
            }
        }
    }
}

#[cfg(test)]
mod tests;
