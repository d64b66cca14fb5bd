//! What the kernel says about the processes below this one, read from `/proc`:
//! their state (`Z` for a zombie), their thread count, where they sleep in the
//! kernel (`/proc/PID/wchan`: `pipe_read`, `futex_wait`…), and their pipes.

use std::fs;

use nix::unistd::Pid;

/// One process, as `/proc/PID/stat` and `/proc/PID/wchan` describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proc {
    pub pid: Pid,
    pub parent: Pid,
    /// `R` running, `S` sleeping, `D` disk sleep, `T` stopped, `Z` zombie.
    pub state: char,
    pub threads: u32,
    /// The program's name (at most 15 bytes, as the kernel keeps it).
    pub name: String,
    /// The kernel function it sleeps in, or "" when running or unreadable.
    pub wchan: String,
}

impl Proc {
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }

    /// `pid 4711 (echo, zombie)`, `pid 4710 (03-no-eof, 1 thread, in pipe_read)`.
    pub fn describe(&self) -> String {
        if self.is_zombie() {
            return format!("pid {} ({}, zombie)", self.pid, self.name);
        }
        let threads = match self.threads {
            1 => "1 thread".to_string(),
            many => format!("{many} threads"),
        };
        match self.wchan.as_str() {
            "" => format!("pid {} ({}, {threads}, running)", self.pid, self.name),
            wchan => format!("pid {} ({}, {threads}, in {wchan})", self.pid, self.name),
        }
    }
}

/// Parses `/proc/PID/stat`. The name sits in parentheses and may itself hold
/// spaces or parentheses, so the fields are counted from the last `)`.
pub fn parse_stat(text: &str) -> Option<Proc> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text[..open].trim().parse().ok()?;
    let name = text[open + 1..close].to_string();
    let fields: Vec<&str> = text[close + 1..].split_whitespace().collect();
    // After the name: state(3) ppid(4) … num_threads(20), numbered as in proc(5).
    Some(Proc {
        pid: Pid::from_raw(pid),
        parent: Pid::from_raw(fields.get(1)?.parse().ok()?),
        state: fields.first()?.chars().next()?,
        threads: fields.get(17)?.parse().ok()?,
        name,
        wchan: String::new(),
    })
}

/// Every process on the machine (one read of `/proc/PID/stat` each); those
/// that end while we look are skipped.
fn all_processes() -> Vec<Proc> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| parse_stat(&fs::read_to_string(format!("/proc/{pid}/stat")).ok()?))
        .collect()
}

/// `root` and every process below it, parents before children, each with the
/// kernel function it sleeps in. Empty when `root` is gone.
pub fn tree(root: Pid) -> Vec<Proc> {
    let mut found = below(&[root]);
    for proc in &mut found {
        proc.wchan = wchan(proc.pid);
        if let Some(program) = program_name(proc.pid) {
            proc.name = program; // whole, where the kernel's copy stops at 15 bytes
        }
    }
    let alive: Vec<String> = found.iter().map(|p| p.name.clone()).collect();
    name_zombies(&mut found, &alive);
    found
}

/// The processes `roots` and every process below them, parents before
/// children, from one read of `/proc` (no `wchan`, names as the kernel keeps them).
pub fn below(roots: &[Pid]) -> Vec<Proc> {
    let everyone = all_processes();
    let mut found: Vec<Proc> = everyone
        .iter()
        .filter(|p| roots.contains(&p.pid))
        .cloned()
        .collect();
    let mut next = 0;
    while next < found.len() {
        let parent = found[next].pid;
        found.extend(everyone.iter().filter(|p| p.parent == parent).cloned());
        next += 1;
    }
    found
}

/// A zombie has no command line left, only the kernel's name cut at 15 bytes
/// (`07-primes-pipel`): give it the whole name from `known` that starts so,
/// as it was named alive.
pub fn name_zombies(procs: &mut [Proc], known: &[String]) {
    for proc in procs
        .iter_mut()
        .filter(|p| p.is_zombie() && p.name.len() == 15)
    {
        if let Some(whole) = known.iter().find(|k| k.starts_with(proc.name.as_str())) {
            proc.name = whole.clone();
        }
    }
}

/// Where `pid` sleeps in the kernel; "" when it runs, or when the kernel
/// will not say (`0`).
pub fn wchan(pid: Pid) -> String {
    let text = fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    if text == "0" { String::new() } else { text }
}

/// The file name of the program `pid` runs, from its first argument; None
/// for a zombie, which has none left.
fn program_name(pid: Pid) -> Option<String> {
    let arguments = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let first = arguments.split(|&byte| byte == 0).next()?;
    let name = String::from_utf8_lossy(first.rsplit(|&byte| byte == b'/').next()?).into_owned();
    (!name.is_empty()).then_some(name)
}

/// The processes whose parent is `parent`.
pub fn children(parent: Pid) -> Vec<Proc> {
    all_processes()
        .into_iter()
        .filter(|p| p.parent == parent)
        .collect()
}

/// The pipes `pid` has open, as (fd, pipe inode, open for writing?).
pub fn pipe_ends(pid: Pid) -> Vec<(i32, u64, bool)> {
    let Ok(entries) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let mut ends = Vec::new();
    for entry in entries.flatten() {
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let target = fs::read_link(entry.path()).unwrap_or_default();
        let target = target.to_string_lossy();
        let Some(inode) = target
            .strip_prefix("pipe:[")
            .and_then(|t| t.strip_suffix(']'))
        else {
            continue;
        };
        let info = fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).unwrap_or_default();
        let flags = info.lines().find_map(|line| line.strip_prefix("flags:"));
        let flags = flags.and_then(|f| i32::from_str_radix(f.trim(), 8).ok());
        let writes = flags.is_some_and(|f| f & libc::O_ACCMODE == libc::O_WRONLY);
        if let Ok(inode) = inode.parse() {
            ends.push((fd, inode, writes));
        }
    }
    ends.sort();
    ends
}

/// The read(2) calls `pid` made, with those of every child it reaped
/// (`syscr` in `/proc/PID/io`; readable for a zombie until it is reaped).
pub fn read_calls(pid: Pid) -> Option<u64> {
    let io = fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("syscr:"))?
        .trim()
        .parse()
        .ok()
}

/// How many threads the user `uid` runs now, in all their processes: what
/// RLIMIT_NPROC counts.
pub fn threads_of_user(uid: u32) -> usize {
    let Ok(entries) = fs::read_dir("/proc") else {
        return 0;
    };
    let mut threads = 0;
    for entry in entries.flatten() {
        let status = fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        let field = |name: &str| {
            let line = status.lines().find_map(|line| line.strip_prefix(name))?;
            line.split_whitespace().next()?.parse::<usize>().ok()
        };
        if field("Uid:") == Some(uid as usize) {
            threads += field("Threads:").unwrap_or(1);
        }
    }
    threads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_spaces_and_parentheses_is_read_whole() {
        let stat = "4711 (a (b) c) Z 4710 4711 4700 0 -1 4194564 90 0 0 0 0 0 0 0 20 0 3 0 123";
        let proc = parse_stat(stat).expect("parses");
        assert_eq!((proc.pid.as_raw(), proc.parent.as_raw()), (4711, 4710));
        assert_eq!(
            (proc.name.as_str(), proc.state, proc.threads),
            ("a (b) c", 'Z', 3)
        );
        assert_eq!(proc.describe(), "pid 4711 (a (b) c, zombie)");
    }

    #[test]
    fn this_process_is_in_its_own_tree() {
        let me = nix::unistd::getpid();
        let tree = tree(me);
        assert_eq!(tree[0].pid, me);
        assert!(tree[0].threads >= 1);
    }
}
