//! What the lesson saw, as data: for the tests, for lesson 07's table and
//! for the tour. The story is in the parts; these are only their results.

use std::path::PathBuf;

use support::Ending;
use support::error::{Error, Result};

/// Everything the lesson saw.
#[derive(Debug, Clone)]
pub struct Report {
    pub program: ProgramFile,
    pub process: ProcessView,
    pub children: Vec<ChildView>,
    /// The parent's `GLOBAL_VALUE` (set to 7 first) after every child changed its own.
    pub parent_value_after: u64,
    /// After reaping, `waitpid(pid, WNOHANG)` said ECHILD (not my child) for each.
    pub no_children_left: bool,
}

/// Part 1: the program, a file on disk.
#[derive(Debug, Clone)]
pub struct ProgramFile {
    pub path: PathBuf,
    pub size_bytes: u64,
    /// The first four bytes: `7f 45 4c 46` ("\x7fELF") for an ELF file.
    pub magic: [u8; 4],
    /// A few fields of the ELF header, when the file is ELF.
    pub elf: Option<ElfHeader>,
}

/// What the first 64 bytes of an ELF file say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfHeader {
    pub bits: u8, // 32 or 64
    /// "executable", "position-independent executable", …
    pub kind: &'static str,
    /// The instruction set, e.g. "x86-64".
    pub machine: &'static str,
    /// The first instruction's address (an offset, if position-independent).
    pub entry: u64,
}

/// Part 2: this process, the program running.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub pid: u32,
    pub parent_pid: u32,
    /// From `/proc/self/status`; `None` where there is no `/proc`.
    pub threads: Option<usize>,
    /// Lines of `/proc/self/maps`: regions of the address space.
    pub mappings: Option<usize>,
    /// Entries of `/proc/self/fd`, not counting the one used to list it.
    pub open_fds: Option<usize>,
    /// One address in each part of the address space.
    pub addresses: Vec<Placed>,
}

/// One address, and the region of `/proc/self/maps` it falls in.
#[derive(Debug, Clone)]
pub struct Placed {
    /// "code", "static data", "heap" or "stack".
    pub what: &'static str,
    pub address: usize,
    /// e.g. `r-xp /path/to/program` or `rw-p [heap]`.
    pub region: Option<String>,
}

/// Part 3: one more process started from the same program file.
#[derive(Debug, Clone)]
pub struct ChildView {
    /// The child's number, from 1: it sets its copy to 1_000 × this.
    pub number: u64,
    /// What `spawn` returned to the parent.
    pub pid_seen_by_parent: u32,
    /// What `getpid()` returned inside the child.
    pub pid_seen_by_child: u32,
    /// The child's `getppid()`.
    pub parent_pid_seen_by_child: u32,
    /// The program file the child was running.
    pub program_path: PathBuf,
    /// Where `GLOBAL_VALUE` lives in the child's address space.
    pub value_address: usize,
    pub value_before: u64,
    pub value_after: u64,
    /// How the child ended, from `waitpid`.
    pub ending: Ending,
}

/// Reads a child's `@report` line (after `@report `), as `another_instance` writes it:
/// number, pid, parent pid, address, value before and after, program path.
pub fn parse_child_report(fields: &str) -> Result<ChildView> {
    let bad = || Error::msg(format!("a child's report I cannot read: {fields:?}"));
    let fields: Vec<&str> = fields.splitn(7, ' ').collect();
    let [number, pid, ppid, address, before, after, exe] = fields[..] else {
        return Err(bad());
    };
    let int = |text: &str| text.parse::<u64>().map_err(|_| bad());
    Ok(ChildView {
        number: int(number)?,
        pid_seen_by_parent: 0, // the parent fills it in
        pid_seen_by_child: int(pid)? as u32,
        parent_pid_seen_by_child: int(ppid)? as u32,
        program_path: PathBuf::from(exe),
        value_address: int(address)? as usize,
        value_before: int(before)?,
        value_after: int(after)?,
        ending: Ending::Exited(0), // the parent fills it in
    })
}

/// `9545128` as `9_545_128`: every number in the lesson is printed this way.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let groups = digits.as_bytes().rchunks(3).rev();
    let groups: Vec<_> = groups.map(|group| String::from_utf8_lossy(group)).collect();
    groups.join("_")
}

/// A count from `/proc`, or "unknown" where there is none.
pub fn or_unknown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "unknown".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_report_line_parses_including_a_path_with_spaces() {
        let view = parse_child_report("2 12 11 4096 100 2000 /a b/demo").unwrap();
        let ids = (
            view.number,
            view.pid_seen_by_child,
            view.parent_pid_seen_by_child,
        );
        assert_eq!(ids, (2, 12, 11));
        let values = (view.value_address, view.value_before, view.value_after);
        assert_eq!(values, (4096, 100, 2000));
        assert_eq!(view.program_path, PathBuf::from("/a b/demo"));
        assert!(parse_child_report("2 x 11 4096 100 2000 /demo").is_err());
        assert!(parse_child_report("2 12 11 4096 100 2000").is_err());
    }

    #[test]
    fn numbers_are_grouped_by_three() {
        let shown = [0, 100, 1_000, 9_545_128].map(grouped);
        assert_eq!(shown, ["0", "100", "1_000", "9_545_128"]);
    }
}
