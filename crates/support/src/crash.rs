//! Crashing on purpose without leaving a mess: a child that is about to
//! crash turns core dumps off first, so no `core` file appears, whatever the
//! system's own setting.

use nix::sys::resource::{Resource, setrlimit};

/// Sets `RLIMIT_CORE` to 0 for this process (and any process it starts):
/// the kernel writes no core file when it dies of a signal.
pub fn disable_core_dumps() -> nix::Result<()> {
    // setrlimit(2): soft and hard limit both 0 bytes of core file.
    setrlimit(Resource::RLIMIT_CORE, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::resource::getrlimit;

    #[test]
    fn the_core_limit_reads_back_as_zero() {
        // Lowering a limit is always allowed, and it only affects this
        // test process, which never crashes.
        disable_core_dumps().expect("setrlimit(RLIMIT_CORE)");
        assert_eq!(getrlimit(Resource::RLIMIT_CORE).unwrap(), (0, 0));
    }
}
