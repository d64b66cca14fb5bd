//! Crashing on purpose without leaving a mess: a child that is about to
//! crash turns core dumps off first, so no `core` file appears, whatever the
//! system's own setting.

use nix::sys::resource::{Resource, setrlimit};

/// Turns core dumps off for this process, two ways, because either alone
/// can be bypassed:
///
/// - `setrlimit(RLIMIT_CORE, 0)`: the kernel writes no core *file*. But when
///   `/proc/sys/kernel/core_pattern` starts with `|` (systemd-coredump,
///   apport), the dump is piped to that program and the limit is ignored.
/// - `prctl(PR_SET_DUMPABLE, 0)`: the process is not dumpable at all, so no
///   dump is made, piped or not. (It also makes `/proc/PID` files root-owned
///   and forbids `ptrace` by other users: fine for a child about to crash.)
///
/// Both are inherited by `fork`; an `execve` of an ordinary program makes
/// the process dumpable again, while the limit survives.
pub fn disable_core_dumps() -> nix::Result<()> {
    // setrlimit(2): soft and hard limit both 0 bytes of core file.
    setrlimit(Resource::RLIMIT_CORE, 0, 0)?;
    // prctl(2) PR_SET_DUMPABLE 0: no core dump by any route.
    nix::sys::prctl::set_dumpable(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::resource::getrlimit;

    #[test]
    fn the_core_limit_and_the_dumpable_flag_read_back_as_off() {
        // Only the test process changes, and it never crashes.
        disable_core_dumps().expect("setrlimit(RLIMIT_CORE) and prctl(PR_SET_DUMPABLE)");
        assert_eq!(getrlimit(Resource::RLIMIT_CORE).unwrap(), (0, 0));
        assert!(!nix::sys::prctl::get_dumpable().unwrap());
    }
}
