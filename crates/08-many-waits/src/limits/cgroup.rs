//! The pids cgroup limit: `pids.max` of this process's cgroup and of every
//! ancestor (each one limits all the tasks under it), with `pids.current`.

use super::number;

/// (`pids.max`, `pids.current`) of the cgroup on this process's path with
/// the least room left; `None` when none has a number ("max": no limit).
pub fn pids() -> Option<(u64, u64)> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let dir = groups.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (controllers, path) = (parts.nth(1)?, parts.next()?);
        match controllers {
            "" => Some(format!("/sys/fs/cgroup{path}")), // cgroup v2
            c if c.split(',').any(|c| c == "pids") => Some(format!("/sys/fs/cgroup/pids{path}")),
            _ => None,
        }
    })?;
    let mut found: Option<(u64, u64)> = None;
    let mut dir = std::path::PathBuf::from(dir);
    loop {
        let max = number(&format!("{}/pids.max", dir.display()));
        let current = number(&format!("{}/pids.current", dir.display()));
        if let Some((max, current)) = max.zip(current) {
            let room = |(m, c): (u64, u64)| m.saturating_sub(c);
            found = found
                .filter(|f| room(*f) <= room((max, current)))
                .or(Some((max, current)));
        }
        if dir.as_os_str().len() <= "/sys/fs/cgroup".len() || !dir.pop() {
            return found;
        }
    }
}
