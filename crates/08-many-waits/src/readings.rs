//! The readings a model's meter takes: memory (PSS and page tables of this
//! process and its task processes, the kernel's stacks and slab), and CPU
//! time and context switches (`getrusage(2)`).

use std::time::Duration;

use nix::sys::resource::{Usage, UsageWho, getrusage};
use nix::sys::time::TimeVal;
use nix::unistd::Pid;
use support::kernel_memory::{KernelReading, kernel_reading, kib_field, status_field};

/// Memory at one moment: PSS and page tables summed over this process and
/// `children`, and the kernel's stacks and slab.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    pub user: Option<u64>,
    pub page_tables: Option<u64>,
    pub kernel: Option<KernelReading>,
}

/// `Pss:` of /proc/PID/smaps_rollup: resident memory, a page shared by k
/// processes counted 1/k in each.
fn pss(pid: Pid) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    kib_field(&text, "Pss:")
}

pub fn reading(children: &[Pid]) -> Reading {
    let everyone = || std::iter::once(Pid::this()).chain(children.iter().copied());
    Reading {
        user: everyone().map(pss).sum(),
        page_tables: everyone().map(|pid| status_field(pid, "VmPTE:")).sum(),
        kernel: kernel_reading(),
    }
}

/// Waits (at most 200 ms) until the kernel's memory stops shrinking: the
/// previous model's tasks are freed a little after they ended (an RCU grace
/// period), and freed during our readings they would hide this model's.
pub fn settle() {
    let slab = || kernel_reading().map(|k| k.slab);
    let mut last = slab();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(10));
        let now = slab();
        if now >= last {
            return;
        }
        last = now;
    }
}

/// CPU time and context switches so far: this process, all its threads,
/// and its reaped children.
pub fn usage_now() -> (Duration, i64, i64) {
    let [me, children] = [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN]
        .map(|who| getrusage(who).expect("getrusage(2) of this process"));
    let cpu = |u: &Usage| {
        let micros = |t: TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
        Duration::from_micros(micros(u.user_time()) + micros(u.system_time()))
    };
    let voluntary = me.voluntary_context_switches() + children.voluntary_context_switches();
    let forced = me.involuntary_context_switches() + children.involuntary_context_switches();
    (cpu(&me) + cpu(&children), voluntary, forced)
}
