//! How a child that exists to crash does it: a real fault the compiler
//! cannot remove, never undefined behaviour. Only children call this.

use nix::sys::signal::{SigHandler, Signal, raise, signal};

/// How the faulty worker crashes in scenarios 3 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crash {
    /// A store to address 0x10, where nothing is mapped: the CPU traps and
    /// the kernel sends SIGSEGV to the faulting thread.
    Segv,
    /// `abort(3)`: the C library unblocks SIGABRT and sends it to this
    /// thread itself (`tgkill`); the kernel sends nothing on its own.
    Abort,
}

impl Crash {
    /// The word used on the command line and in the role's arguments.
    pub fn name(self) -> &'static str {
        match self {
            Crash::Segv => "segv",
            Crash::Abort => "abort",
        }
    }

    /// The opposite of [`Crash::name`].
    pub fn from_name(name: &str) -> Option<Crash> {
        match name {
            "segv" => Some(Crash::Segv),
            "abort" => Some(Crash::Abort),
            _ => None,
        }
    }

    /// The signal that ends a process that crashes this way.
    pub fn signal(self) -> Signal {
        match self {
            Crash::Segv => Signal::SIGSEGV,
            Crash::Abort => Signal::SIGABRT,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Crash::Segv => "store to unmapped address 0x10",
            Crash::Abort => "call abort()",
        }
    }
}

// ANCHOR: crash
/// Ends this whole process with a real fault. Only ever called in a child
/// that exists to crash (scenarios 3, 4 and 5), never in the demo itself.
pub(crate) fn crash_this_process(how: Crash) -> ! {
    if how == Crash::Segv {
        // The kernel sends SIGSEGV to this thread. std's handler (there to
        // report stack overflows) sees no guard page, restores the default
        // action and returns; the store runs again, faults again, and the
        // default action ends the process: every thread in it.
        store_to_address_0x10();
        // Reached only if something was mapped at 0x10: the default action,
        // by hand.
        // SAFETY: SIG_DFL installs no code of ours.
        let _ = unsafe { signal(Signal::SIGSEGV, SigHandler::SigDfl) };
        let _ = raise(Signal::SIGSEGV);
    }
    // abort(3): glibc unblocks SIGABRT and sends it to this thread with
    // tgkill(2); the kernel sends nothing on its own. Its default action
    // ends the process.
    std::process::abort()
}
// ANCHOR_END: crash

// ANCHOR: store
#[cfg(target_arch = "x86_64")]
fn store_to_address_0x10() {
    // SAFETY: the store is in assembly, so the compiler can neither remove
    // it nor assume it cannot trap. It touches no memory Rust knows about:
    // nothing is mapped at 0x10 (below vm.mmap_min_addr only a process with
    // CAP_SYS_RAWIO may map, and this program never does), so the CPU traps.
    // Only a child that exists to crash gets here.
    unsafe { std::arch::asm!("mov qword ptr [{a}], 0", a = in(reg) 0x10usize, options(nostack)) };
}

#[cfg(target_arch = "aarch64")]
fn store_to_address_0x10() {
    // SAFETY: as on x86_64: an assembly store to an unmapped address.
    unsafe { std::arch::asm!("str xzr, [{a}]", a = in(reg) 0x10usize, options(nostack)) };
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn store_to_address_0x10() {} // elsewhere the caller raises SIGSEGV itself
// ANCHOR_END: store

/// `vm.mmap_min_addr`: the lowest address a process without CAP_SYS_RAWIO
/// may map. The kernel's default is 4096; distributions often set 65536.
/// Read, not assumed.
pub fn mmap_min_addr() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/sys/vm/mmap_min_addr").ok()?;
    text.trim().parse().ok()
}

/// Whether this process has a handler for `signal` (the `SigCgt` mask in
/// `/proc/self/status`): std installs one for SIGSEGV at start-up.
pub(crate) fn catches(signal: Signal) -> Option<bool> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mask = status.lines().find_map(|l| l.strip_prefix("SigCgt:"))?;
    let mask = u64::from_str_radix(mask.trim(), 16).ok()?;
    Some(mask & (1 << (signal as i32 - 1)) != 0)
}

/// The start of the lowest mapping in this process (`/proc/self/maps` is
/// sorted by address): nothing is mapped below it, 0x10 included.
pub(crate) fn lowest_mapping() -> Option<u64> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let (start, _) = maps.lines().next()?.split_once('-')?;
    u64::from_str_radix(start, 16).ok()
}
