//! The machine and the software the figures are for: what `--json` saves
//! beside them, so that two runs can be compared knowing what differed.

use serde::{Deserialize, Serialize};

/// Where and when the figures were taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `2026-05-01 05:51 UTC`.
    pub date: String,
    pub kernel: String,
    pub glibc: String,
    /// The compiler that built this program (`rustc --version`).
    pub rustc: String,
    pub cpu: String,
    pub cores_online: usize,
    /// CPUs this process may use (fewer under `taskset`).
    pub cores_allowed: usize,
    /// `none`, or what says this is a virtual machine or a container.
    pub virtualisation: String,
    /// The limits read: resource limits and kernel settings, as text.
    pub limits: Vec<(String, String)>,
}

fn read(path: &str) -> Option<String> {
    Some(std::fs::read_to_string(path).ok()?.trim().to_string())
}

impl Environment {
    pub fn read() -> Environment {
        let cpuinfo = read("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| {
            let line = cpuinfo.lines().find(|line| line.starts_with(name))?;
            Some(line.split_once(':')?.1.trim().to_string())
        };
        let online = std::thread::available_parallelism().map_or(1, |n| n.get());
        let hypervisor =
            field("flags").is_some_and(|flags| flags.split(' ').any(|f| f == "hypervisor"));
        Environment {
            date: crate::date::utc_now(),
            kernel: read("/proc/sys/kernel/osrelease").unwrap_or_else(|| "unknown".into()),
            glibc: glibc_version(),
            rustc: env!("KEY_DIFFERENCES_RUSTC_VERSION").to_string(),
            cpu: field("model name").unwrap_or_else(|| "unknown CPU".into()),
            cores_online: online_cpus().max(1),
            cores_allowed: support::placement::allowed_cpus().map_or(online, |cpus| cpus.len()),
            virtualisation: virtualisation(hypervisor),
            limits: limits(),
        }
    }

    /// `2 of 2 cores, AMD EPYC 7B13, Linux 6.1.0, virtual machine`
    pub fn machine_line(&self) -> String {
        let (allowed, online) = (self.cores_allowed, self.cores_online);
        format!(
            "{allowed} of {online} cores, {}, Linux {}, {}",
            self.cpu, self.kernel, self.virtualisation
        )
    }
}

fn online_cpus() -> usize {
    // SAFETY: sysconf only reads a system setting.
    usize::try_from(unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }).unwrap_or(1)
}

#[cfg(target_env = "gnu")]
fn glibc_version() -> String {
    // SAFETY: gnu_get_libc_version returns a pointer to a static string.
    let version = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
    version.to_string_lossy().into_owned()
}

#[cfg(not(target_env = "gnu"))]
fn glibc_version() -> String {
    "not glibc".to_string()
}

/// The CPU's `hypervisor` flag (a virtual machine), `/sys/hypervisor/type`,
/// and `systemd-detect-virt` where it is installed (containers too).
fn virtualisation(hypervisor_flag: bool) -> String {
    let mut seen = Vec::new();
    if hypervisor_flag {
        seen.push("virtual machine (CPU flag)".to_string());
    }
    seen.extend(read("/sys/hypervisor/type").map(|kind| format!("hypervisor {kind}")));
    let detect = std::process::Command::new("systemd-detect-virt").output();
    let detected = detect
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string());
    seen.extend(detected.filter(|kind| !kind.is_empty() && kind != "none"));
    if seen.is_empty() {
        "none seen".to_string()
    } else {
        seen.join(", ")
    }
}

/// Resource limits and the kernel settings that bound the lessons.
fn limits() -> Vec<(String, String)> {
    use nix::sys::resource::{Resource, getrlimit};
    let limit = |value: u64| match value {
        u64::MAX => "unlimited".to_string(),
        value => value.to_string(),
    };
    let resources = [
        ("RLIMIT_NPROC", Resource::RLIMIT_NPROC),
        ("RLIMIT_NOFILE", Resource::RLIMIT_NOFILE),
        ("RLIMIT_STACK", Resource::RLIMIT_STACK),
        ("RLIMIT_AS", Resource::RLIMIT_AS),
    ];
    let mut limits: Vec<(String, String)> = resources
        .iter()
        .filter_map(|(name, resource)| {
            Some((name.to_string(), limit(getrlimit(*resource).ok()?.0)))
        })
        .collect();
    // cgroup v2: our own cgroup's files, under the `0::` line's path.
    let own = read("/proc/self/cgroup").unwrap_or_default();
    let own = own
        .lines()
        .find_map(|line| line.strip_prefix("0::"))
        .unwrap_or("/");
    let group = format!("/sys/fs/cgroup{}", own.trim_end_matches('/'));
    let files = [
        "/proc/sys/kernel/threads-max".to_string(),
        "/proc/sys/kernel/pid_max".to_string(),
        "/proc/sys/fs/pipe-max-size".to_string(),
        format!("{group}/cpu.max"),
        format!("{group}/memory.max"),
    ];
    for path in files {
        if let Some(value) = read(&path) {
            limits.push((path, value));
        }
    }
    limits
}
