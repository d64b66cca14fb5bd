//! How a child ended, in words: "exited with code 0", "killed by SIGSEGV
//! (invalid memory reference), no core dump".
//!
//! `waitpid(2)` hands back a status that packs two different stories into
//! one integer: the child called `exit` with a code, or a signal ended it
//! (and the kernel may have written a core file). [`Ending`] unpacks it,
//! from nix's `WaitStatus` or from std's `ExitStatus`.

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It called `exit` (or returned from `main`) with this code.
    Exited(i32),
    /// A signal ended it.
    Killed {
        /// The signal number, e.g. 11 for SIGSEGV.
        signal: i32,
        /// Whether the kernel wrote a core file.
        core_dumped: bool,
    },
}

impl Ending {
    /// From what `waitpid` returned. `None` for statuses that are not an
    /// ending (stopped, continued, still running).
    pub fn from_wait_status(status: WaitStatus) -> Option<Ending> {
        match status {
            WaitStatus::Exited(_, code) => Some(Ending::Exited(code)),
            WaitStatus::Signaled(_, signal, core_dumped) => Some(Ending::Killed {
                signal: signal as i32,
                core_dumped,
            }),
            _ => None,
        }
    }

    /// From what `std::process::Child::wait` returned.
    pub fn from_exit_status(status: ExitStatus) -> Ending {
        match (status.code(), status.signal()) {
            (Some(code), _) => Ending::Exited(code),
            (None, Some(signal)) => Ending::Killed {
                signal,
                core_dumped: status.core_dumped(),
            },
            // On Unix a finished child has either a code or a signal.
            (None, None) => unreachable!("an ExitStatus with neither code nor signal"),
        }
    }

    /// Exited with code 0.
    pub fn is_success(self) -> bool {
        self == Ending::Exited(0)
    }

    /// The signal that ended it, if one did.
    pub fn signal(self) -> Option<Signal> {
        match self {
            Ending::Killed { signal, .. } => Signal::try_from(signal).ok(),
            Ending::Exited(_) => None,
        }
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Ending::Exited(code) => write!(f, "exited with code {code}"),
            Ending::Killed {
                signal,
                core_dumped,
            } => {
                let core = if core_dumped {
                    "core dumped"
                } else {
                    "no core dump"
                };
                match Signal::try_from(signal) {
                    Ok(sig) => write!(
                        f,
                        "killed by {} ({}), {core}",
                        sig.as_str(),
                        signal_meaning(sig)
                    ),
                    Err(_) => write!(f, "killed by signal {signal}, {core}"),
                }
            }
        }
    }
}

/// What a signal means, in a few plain words.
pub fn signal_meaning(signal: Signal) -> &'static str {
    match signal {
        Signal::SIGSEGV => "invalid memory reference",
        Signal::SIGBUS => "bus error: bad memory access",
        Signal::SIGABRT => "aborted",
        Signal::SIGFPE => "arithmetic fault",
        Signal::SIGILL => "illegal instruction",
        Signal::SIGKILL => "killed, cannot be caught",
        Signal::SIGTERM => "asked to terminate",
        Signal::SIGINT => "interrupted, as by Ctrl-C",
        Signal::SIGPIPE => "wrote to a pipe with no reader",
        Signal::SIGTRAP => "trace or breakpoint trap",
        Signal::SIGQUIT => "quit",
        Signal::SIGHUP => "hang-up",
        _ => "see signal(7)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::unistd::Pid;

    #[test]
    fn an_exit_reads_as_its_code() {
        let pid = Pid::from_raw(1234);
        let ending = Ending::from_wait_status(WaitStatus::Exited(pid, 3)).unwrap();
        assert_eq!(ending, Ending::Exited(3));
        assert_eq!(ending.to_string(), "exited with code 3");
        assert!(!ending.is_success());
        assert!(Ending::Exited(0).is_success());
    }

    #[test]
    fn a_signal_reads_as_its_name_meaning_and_core() {
        let pid = Pid::from_raw(1234);
        let ending =
            Ending::from_wait_status(WaitStatus::Signaled(pid, Signal::SIGSEGV, false)).unwrap();
        assert_eq!(
            ending.to_string(),
            "killed by SIGSEGV (invalid memory reference), no core dump"
        );
        assert_eq!(ending.signal(), Some(Signal::SIGSEGV));
        let dumped = Ending::Killed {
            signal: Signal::SIGABRT as i32,
            core_dumped: true,
        };
        assert_eq!(
            dumped.to_string(),
            "killed by SIGABRT (aborted), core dumped"
        );
    }

    #[test]
    fn a_stopped_child_has_not_ended() {
        let pid = Pid::from_raw(1234);
        assert_eq!(
            Ending::from_wait_status(WaitStatus::Stopped(pid, Signal::SIGSTOP)),
            None
        );
        assert_eq!(Ending::from_wait_status(WaitStatus::StillAlive), None);
    }

    #[test]
    fn exit_statuses_from_std_agree() {
        // Raw wait statuses as the kernel encodes them: code << 8, or the
        // signal number with 0x80 for a core dump.
        assert_eq!(
            Ending::from_exit_status(ExitStatus::from_raw(2 << 8)),
            Ending::Exited(2)
        );
        assert_eq!(
            Ending::from_exit_status(ExitStatus::from_raw(libc::SIGKILL)),
            Ending::Killed {
                signal: libc::SIGKILL,
                core_dumped: false
            }
        );
        assert_eq!(
            Ending::from_exit_status(ExitStatus::from_raw(libc::SIGSEGV | 0x80)),
            Ending::Killed {
                signal: libc::SIGSEGV,
                core_dumped: true
            }
        );
    }
}
