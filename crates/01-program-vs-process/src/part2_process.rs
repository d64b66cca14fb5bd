//! Part 2: the process, that file running. A process has what the file
//! never had: a pid, a parent, threads, memory regions, open files.

use std::path::Path;

use support::say;

use crate::report::{Placed, ProcessView, or_unknown};

// ANCHOR: process
/// Looks at this process: its ids, its counts, and where things live.
pub fn look_at_this_process(program: &Path) -> ProcessView {
    let pid = std::process::id(); // getpid(2)
    let parent_pid = nix::unistd::getppid().as_raw() as u32; // getppid(2)
    let threads = support::forking::threads_in_this_process(); // /proc/self/status
    let maps = std::fs::read_to_string("/proc/self/maps").ok();
    let mappings = maps.map(|maps| maps.lines().count());
    let open_fds = count_open_fds();
    say!("pid {pid} (this run of the program), started by pid {parent_pid}");
    let [t, m, f] = [threads, mappings, open_fds].map(or_unknown);
    say!("threads: {t}   memory regions: {m}   open file descriptors: {f}");
    let addresses = where_things_live();
    for placed in &addresses {
        let region = placed.region.as_deref().unwrap_or("? (no /proc/self/maps)");
        let region = short_region(region, program);
        let (what, address) = (placed.what, placed.address);
        say!("{what:<12} at {address:#014x}  in {region}");
    }
    aslr_setting().iter().for_each(|line| say!("{line}")); // one or two lines
    say!("all of this belongs to the process; the file on disk has none of it");
    ProcessView {
        pid,
        parent_pid,
        threads,
        mappings,
        open_fds,
        addresses,
    }
}
// ANCHOR_END: process

// ANCHOR: where
/// One address from each part of the address space, and its region.
fn where_things_live() -> Vec<Placed> {
    let on_the_stack = 0u64; // a local variable: on this thread's stack
    let on_the_heap = Box::new(0u64); // a small allocation: on the heap
    let code = crate::run as fn(&crate::Options) -> _ as usize; // a function
    let static_data = &crate::GLOBAL_VALUE as *const _ as usize; // a static
    let maps = std::fs::read_to_string("/proc/self/maps").ok();
    let places = [
        ("code", code),
        ("static data", static_data),
        ("heap", &*on_the_heap as *const u64 as usize),
        ("stack", &on_the_stack as *const u64 as usize),
    ];
    let region = |address| maps.as_deref().and_then(|maps| region_of(maps, address));
    let place = |(what, address)| Placed {
        what,
        address,
        region: region(address),
    };
    places.into_iter().map(place).collect()
}
// ANCHOR_END: where

/// The line of `/proc/self/maps` whose range holds `address`, as
/// `perms name`, e.g. `r-xp /usr/bin/demo` or `rw-p [heap]`.
pub fn region_of(maps: &str, address: usize) -> Option<String> {
    maps.lines().find_map(|line| {
        // start-end perms offset device inode name
        let mut fields = line.split_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        if !(start..end).contains(&address) {
            return None;
        }
        let perms = fields.next()?;
        let name = fields.nth(3).unwrap_or("[anonymous]");
        Some(format!("{perms} {name}"))
    })
}

/// `r-xp /long/path/to/program` as `r-xp the program file`, so it fits.
fn short_region(region: &str, program: &Path) -> String {
    match region.split_once(' ') {
        Some((perms, name)) if Path::new(name) == program => format!("{perms} the program file"),
        Some((perms, name)) => match Path::new(name).file_name() {
            Some(file) => format!("{perms} {}", file.to_string_lossy()),
            None => region.to_string(),
        },
        None => region.to_string(),
    }
}

/// ASLR: off if this process's personality says so (`setarch -R`), else as the kernel says.
fn aslr_setting() -> &'static [&'static str] {
    const ADDR_NO_RANDOMIZE: u32 = 0x0040000; // from <sys/personality.h>
    let personality = std::fs::read_to_string("/proc/self/personality").unwrap_or_default();
    if u32::from_str_radix(personality.trim(), 16).is_ok_and(|f| f & ADDR_NO_RANDOMIZE != 0) {
        return &["ASLR is off (setarch -R): the same addresses in every process"];
    }
    match std::fs::read_to_string("/proc/sys/kernel/randomize_va_space").as_deref() {
        Ok("0\n") => &["ASLR is off here (randomize_va_space 0): the same addresses each time"],
        Ok("1\n") => &[
            "ASLR is partial here (1): stack, libraries and a PIE's code move;",
            "the brk heap is not moved on its own: it follows the program's data",
        ],
        Ok(_) => &["ASLR is on: code, heap and stack get new addresses in each process"],
        Err(_) => &["ASLR is unknown here"],
    }
}

/// Open descriptors: entries of `/proc/self/fd`, less the one listing it holds open.
fn count_open_fds() -> Option<usize> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?.count();
    Some(entries.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPS: &str = "\
5600-5700 r-xp 00002000 fe:00 1234   /usr/bin/demo
7ff0-8000 rw-p 00000000 00:00 0      [stack]
9000-9100 rw-p 00000000 00:00 0
";

    #[test]
    fn an_address_is_found_in_its_region() {
        let region = |address| region_of(MAPS, address);
        assert_eq!(region(0x5650).as_deref(), Some("r-xp /usr/bin/demo"));
        assert_eq!(region(0x7ff8).as_deref(), Some("rw-p [stack]"));
        assert_eq!(region(0x9000).as_deref(), Some("rw-p [anonymous]"));
        assert_eq!(region(0x8000), None, "the end of a range is outside it");
        assert_eq!(region(0x10), None);
    }

    #[test]
    fn regions_are_shortened_to_fit_a_line() {
        let program = Path::new("/usr/bin/demo");
        let short = |region| short_region(region, program);
        assert_eq!(short("r-xp /usr/bin/demo"), "r-xp the program file");
        assert_eq!(short("r-xp /usr/lib/libc.so.6"), "r-xp libc.so.6");
        assert_eq!(short("rw-p [heap]"), "rw-p [heap]");
    }
}
