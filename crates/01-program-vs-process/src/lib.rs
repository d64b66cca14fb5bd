//! # Lesson 01: a program is a file; a process is that file running
//!
//! A *program* is passive: bytes in a file on disk, instructions and data
//! waiting for someone to run them. A *process* is what the kernel makes when
//! it runs that file: a private address space, a process id, open files, and
//! at least one *thread* executing the instructions. One program can be
//! many processes at once, and each has its own copy of every variable.
//!
//! Seed sections 1–3 (Program, Process, Thread), and the idea under the
//! table's **Memory** row: processes have separate memory.
//!
//! Run it: `just demo-program-vs-process` (option `--children N`, 1 to 16).
//!
//! What to look for:
//! 1. the executable file: its size and its first bytes, `7f 45 4c 46`
//!    ("\x7fELF"), the format the kernel knows how to load;
//! 2. this process: its pid, its parent, one thread, and where its code,
//!    static data, heap and stack live in its address space;
//! 3. the same file started again as more processes: each has its own pid
//!    and its own copy of `GREETING_COUNT`, so their changes never reach the
//!    parent's copy.
//!
//! Next: lesson 02 (`crates/02-shared-memory-threads`) puts several threads
//! in one process, where memory *is* shared.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};

use support::error::{Context, Error, Result};
use support::role::Role;
use support::{ChildGuard, Ending, heading, say};

/// The roles this lesson can start its own program in.
pub const ROLES: &[Role] = &[Role {
    name: "program-vs-process:another-instance",
    run: another_instance,
}];

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many more processes to start from this same program file.
    pub children: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { children: 2 }
    }
}

/// Everything the lesson saw, for the tests and the key-differences table.
#[derive(Debug, Clone)]
pub struct Report {
    pub program: ProgramFile,
    pub process: ProcessView,
    pub children: Vec<ChildView>,
    /// The parent's `GREETING_COUNT` after every child changed its own.
    pub parent_value_after: u64,
    /// After reaping: `waitpid(-1, WNOHANG)` said this process has no
    /// children left at all, not even zombies.
    pub no_children_left: bool,
}

/// Part 1: the program, a file on disk.
#[derive(Debug, Clone)]
pub struct ProgramFile {
    pub path: PathBuf,
    pub size_bytes: u64,
    /// The first four bytes of the file.
    pub magic: [u8; 4],
    /// A few fields of the ELF header, when the file is ELF.
    pub elf: Option<ElfHeader>,
}

impl ProgramFile {
    /// `7f 45 4c 46`: "\x7fELF", the magic number of Linux executables.
    pub fn is_elf(&self) -> bool {
        self.magic == *b"\x7fELF"
    }
}

/// What the first 64 bytes of an ELF file say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfHeader {
    /// 32 or 64.
    pub bits: u8,
    /// "executable", "position-independent executable or shared library", …
    pub kind: &'static str,
    /// The instruction set, e.g. "x86-64".
    pub machine: String,
    /// The address of the first instruction to run (relative to the load
    /// address for a position-independent executable).
    pub entry: u64,
}

/// Part 2: this process, the program running.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub pid: u32,
    pub parent_pid: u32,
    /// From `/proc/self/status`; `None` where there is no `/proc`.
    pub threads: Option<u32>,
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
    /// What `spawn` returned to the parent.
    pub pid_seen_by_parent: u32,
    /// What `getpid()` returned inside the child.
    pub pid_seen_by_child: u32,
    /// The child's `getppid()`.
    pub parent_pid_seen_by_child: u32,
    /// The program file the child was running.
    pub program_path: PathBuf,
    /// Where `GREETING_COUNT` lives in the child's address space.
    pub value_address: usize,
    pub value_before: u64,
    pub value_after: u64,
    /// How the child ended, from `waitpid`.
    pub ending: Ending,
}

/// The variable every process gets its own copy of. A `static` looks
/// global, and it is — to one process.
static GREETING_COUNT: AtomicU64 = AtomicU64::new(STARTING_VALUE);
const STARTING_VALUE: u64 = 100;

/// Runs the lesson: prints the story and returns what it saw.
pub fn run(options: &Options) -> Result<Report> {
    // ANCHOR: program
    heading("1. The program: a file on disk");
    // The program this process is running: on Linux, /proc/self/exe.
    let path = std::env::current_exe().context("current_exe (readlink /proc/self/exe)")?;
    let size_bytes = std::fs::metadata(&path)
        .context(format!("stat(2) of {}", path.display()))?
        .len();
    // Read the first bytes: the ELF header the kernel reads in execve(2).
    let mut header = [0u8; 64];
    std::fs::File::open(&path)
        .and_then(|mut file| file.read_exact(&mut header))
        .context(format!("read(2) of {}", path.display()))?;
    let magic = [header[0], header[1], header[2], header[3]];
    let program = ProgramFile {
        elf: parse_elf_header(&header),
        path,
        size_bytes,
        magic,
    };
    say!("program file: {}", program.path.display());
    say!("size on disk: {} bytes", program.size_bytes);
    say!(
        "first bytes:  {:02x} {:02x} {:02x} {:02x}  ({})",
        magic[0],
        magic[1],
        magic[2],
        magic[3],
        if program.is_elf() {
            "\"\\x7fELF\": an ELF file, the format Linux executes"
        } else {
            "not ELF"
        }
    );
    if let Some(elf) = &program.elf {
        say!(
            "ELF header:   {}-bit {} for {}, entry point {:#x}{}",
            elf.bits,
            elf.kind,
            elf.machine,
            elf.entry,
            if elf.kind == "position-independent executable" {
                " (an offset: the load address is chosen at run time)"
            } else {
                ""
            }
        );
    }
    say!("the file does nothing by being there: it changes only if someone writes to it,");
    say!("and it runs only when the kernel loads it into a new address space (execve(2))");
    // ANCHOR_END: program

    // ANCHOR: process
    heading("2. The process: that file, running");
    let process = ProcessView {
        pid: std::process::id(),                            // getpid(2)
        parent_pid: nix::unistd::getppid().as_raw() as u32, // getppid(2)
        threads: proc_status_field("Threads:"),
        mappings: count_lines("/proc/self/maps"),
        open_fds: count_open_fds(),
        addresses: where_things_live(),
    };
    say!(
        "pid {} (this run of the program), started by pid {}",
        process.pid,
        process.parent_pid
    );
    say!(
        "threads: {}   memory regions: {}   open file descriptors: {}",
        or_unknown(process.threads),
        or_unknown(process.mappings),
        or_unknown(process.open_fds)
    );
    for placed in &process.addresses {
        say!(
            "{:<12} at {:#014x}  in {}",
            placed.what,
            placed.address,
            placed
                .region
                .as_deref()
                .unwrap_or("(no /proc/self/maps here)")
        );
    }
    say!("all of this (pid, regions, descriptors, addresses) belongs to the process, not the file");
    // ANCHOR_END: process

    // ANCHOR: many
    heading("3. One program, many processes");
    let value_address = &GREETING_COUNT as *const AtomicU64 as usize;
    say!(
        "my GREETING_COUNT is {} at {:#x}; starting {} more processes from the same file",
        GREETING_COUNT.load(Ordering::SeqCst),
        value_address,
        options.children
    );
    let mut running = Vec::new();
    for index in 0..options.children {
        // fork + execve of our own file, in a role (see support::role).
        let mut child = support::role::command("program-vs-process:another-instance")
            .context("current_exe")?
            .arg(index.to_string())
            .stdout(Stdio::piped()) // we read its lines, so they never interleave
            .spawn()
            .context("spawn (fork + execve)")?;
        let stdout = child.stdout.take().expect("stdout was piped");
        let pid = child.id();
        say!("started child pid={pid}");
        // From here on, if anything fails, the guard kills and reaps it.
        running.push((ChildGuard::adopt(child), stdout));
    }
    // The children run at the same time; we read each one's words in turn.
    let mut children = Vec::new();
    for (guard, stdout) in running {
        let pid_seen_by_parent = guard.pid().as_raw() as u32;
        let report = relay_child_output(stdout)?;
        // waitpid(2): collect the child's exit status, so no zombie is left.
        let ending = guard.wait().context("waitpid(2)")?;
        say!("child {pid_seen_by_parent} {ending}");
        children.push(ChildView {
            pid_seen_by_parent,
            ending,
            ..report
        });
    }
    let parent_value_after = GREETING_COUNT.load(Ordering::SeqCst);
    say!(
        "my GREETING_COUNT is still {} at {:#x}: no child's change reached me",
        parent_value_after,
        value_address
    );
    let same_address = children.iter().filter(|c| c.value_address == value_address);
    say!(
        "{} of {} children had the variable at my address; ASLR is {}",
        same_address.count(),
        children.len(),
        aslr_setting()
    );
    say!("equal or not, each address means a place in its own process's memory");
    // waitpid(-1, WNOHANG) fails with ECHILD when we have no children at all.
    let no_children_left = matches!(
        nix::sys::wait::waitpid(None, Some(nix::sys::wait::WaitPidFlag::WNOHANG)),
        Err(nix::errno::Errno::ECHILD)
    );
    say!(
        "children left (running or zombie): {}",
        if no_children_left { "none" } else { "some!" }
    );
    // ANCHOR_END: many

    // ANCHOR: verdict
    heading("Verdict");
    say!(
        "program: one passive file of {} bytes, the same file for all {} processes",
        program.size_bytes,
        children.len() + 1
    );
    say!("process: each run got its own pid and its own copy of every variable");
    say!(
        "thread:  this process runs {} thread; lesson 02 starts more, and they share memory",
        or_unknown(process.threads)
    );
    say!("seed, Memory row: processes have separate, independent memory spaces (seen in part 3)");
    // ANCHOR_END: verdict

    Ok(Report {
        program,
        process,
        children,
        parent_value_after,
        no_children_left,
    })
}

// ANCHOR: role
/// The hidden role: another process running this same program file.
/// Argument: the child's index. Prints its story, then one `@report` line
/// the parent reads (and does not echo).
fn another_instance(args: &[String]) -> i32 {
    let index: u64 = match args.first().map(|arg| arg.parse()) {
        Some(Ok(index)) => index,
        _ => {
            eprintln!("error: another-instance needs its index");
            return 2;
        }
    };
    let pid = std::process::id();
    let parent_pid = nix::unistd::getppid().as_raw() as u32;
    let program_path = std::env::current_exe().unwrap_or_default();
    let address = &GREETING_COUNT as *const AtomicU64 as usize;
    let before = GREETING_COUNT.load(Ordering::SeqCst);
    // Change *our* copy. The parent's copy is in another address space.
    let after = GREETING_COUNT.fetch_add(index + 1, Ordering::SeqCst) + index + 1;
    say!(
        "I am pid {pid}, child of {parent_pid}, running {}",
        program_path.display()
    );
    say!("my GREETING_COUNT at {address:#x}: was {before}, I set it to {after}");
    println!(
        "@report pid={pid} ppid={parent_pid} address={address:#x} before={before} after={after} exe={}",
        program_path.display()
    );
    0
}
// ANCHOR_END: role

/// Echoes a child's story lines and parses its `@report` line.
fn relay_child_output(stdout: std::process::ChildStdout) -> Result<ChildView> {
    let mut report = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.context("read(2) from the child's stdout")?;
        match line.strip_prefix("@report ") {
            Some(fields) => report = Some(parse_report(fields)?),
            None => support::speaker::print_line(format_args!("{line}")),
        }
    }
    report.ok_or_else(|| Error::msg("the child ended without its @report line"))
}

fn parse_report(fields: &str) -> Result<ChildView> {
    let field = |name: &str| -> Result<&str> {
        fields
            .split(' ')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| Error::msg(format!("the child's report has no {name}")))
    };
    let number = |name: &str| -> Result<u64> {
        let text = field(name)?;
        let parsed = match text.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => text.parse(),
        };
        parsed.map_err(|_| Error::msg(format!("the child's {name} is not a number: {text}")))
    };
    // The path is last, and may itself contain spaces.
    let exe = fields
        .split_once(" exe=")
        .map(|(_, path)| path)
        .ok_or_else(|| Error::msg("the child's report has no exe"))?;
    Ok(ChildView {
        pid_seen_by_parent: 0,
        pid_seen_by_child: number("pid")? as u32,
        parent_pid_seen_by_child: number("ppid")? as u32,
        program_path: PathBuf::from(exe),
        value_address: number("address")? as usize,
        value_before: number("before")?,
        value_after: number("after")?,
        ending: Ending::Exited(0),
    })
}

/// One address from each part of the address space, and its region.
fn where_things_live() -> Vec<Placed> {
    let on_the_stack = 0u64; // a local variable: on this thread's stack
    let on_the_heap = Box::new(0u64); // a small allocation: on the heap
    let code = run as fn(&Options) -> Result<Report> as usize; // a function
    let static_data = &GREETING_COUNT as *const AtomicU64 as usize; // a static
    let regions = std::fs::read_to_string("/proc/self/maps").ok();
    let places = [
        ("code", code),
        ("static data", static_data),
        ("heap", &*on_the_heap as *const u64 as usize),
        ("stack", &on_the_stack as *const u64 as usize),
    ];
    places
        .into_iter()
        .map(|(what, address)| Placed {
            what,
            address,
            region: regions.as_deref().and_then(|maps| region_of(maps, address)),
        })
        .collect()
}

/// The line of `/proc/self/maps` whose range holds `address`, as
/// `perms name`, e.g. `r-xp /usr/bin/demo` or `rw-p [heap]`.
fn region_of(maps: &str, address: usize) -> Option<String> {
    maps.lines().find_map(|line| {
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

/// Reads the ELF header fields a learner can recognise.
fn parse_elf_header(header: &[u8; 64]) -> Option<ElfHeader> {
    if header[..4] != *b"\x7fELF" {
        return None;
    }
    let bits = match header[4] {
        1 => 32,
        2 => 64,
        _ => return None,
    };
    let little_endian = header[5] == 1;
    let read = |bytes: &[u8]| -> u64 {
        let mut value = 0u64;
        for (i, byte) in bytes.iter().enumerate() {
            let shift = if little_endian {
                i
            } else {
                bytes.len() - 1 - i
            };
            value |= (*byte as u64) << (8 * shift);
        }
        value
    };
    let kind = match read(&header[16..18]) {
        1 => "relocatable object",
        2 => "executable",
        3 => "position-independent executable",
        4 => "core file",
        _ => "ELF file of unknown type",
    };
    let machine = match read(&header[18..20]) {
        0x03 => "x86".to_string(),
        0x3e => "x86-64".to_string(),
        0x28 => "ARM".to_string(),
        0xb7 => "AArch64".to_string(),
        0xf3 => "RISC-V".to_string(),
        other => format!("machine {other:#x}"),
    };
    let entry = if bits == 64 {
        read(&header[24..32])
    } else {
        read(&header[24..28])
    };
    Some(ElfHeader {
        bits,
        kind,
        machine,
        entry,
    })
}

/// A number from `/proc/self/status`, e.g. `Threads:`.
fn proc_status_field(name: &str) -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|value| value.trim().parse().ok())
}

fn count_lines(path: &str) -> Option<usize> {
    Some(std::fs::read_to_string(path).ok()?.lines().count())
}

/// Open descriptors: entries of `/proc/self/fd`, less the one that
/// listing the directory itself holds open.
fn count_open_fds() -> Option<usize> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?.count();
    Some(entries.saturating_sub(1))
}

/// ASLR: off for this process if its personality says so (`setarch -R`),
/// otherwise as `/proc/sys/kernel/randomize_va_space` says.
fn aslr_setting() -> &'static str {
    const ADDR_NO_RANDOMIZE: u32 = 0x0040000; // from <sys/personality.h>
    let personality = std::fs::read_to_string("/proc/self/personality")
        .ok()
        .and_then(|text| u32::from_str_radix(text.trim(), 16).ok());
    if personality.is_some_and(|flags| flags & ADDR_NO_RANDOMIZE != 0) {
        return "off for these processes (setarch -R), so each loads the program at the same addresses";
    }
    match std::fs::read_to_string("/proc/sys/kernel/randomize_va_space")
        .map(|text| text.trim().to_string())
        .as_deref()
    {
        Ok("0") => "off here, so each process loads the program at the same addresses",
        Ok("1") | Ok("2") => "on here, so each process loads the program at a random base address",
        _ => "unknown here",
    }
}

fn or_unknown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "unknown".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_elf_header_of_a_64_bit_pie_reads_back() {
        let mut header = [0u8; 64];
        header[..4].copy_from_slice(b"\x7fELF");
        header[4] = 2; // 64-bit
        header[5] = 1; // little-endian
        header[16] = 3; // ET_DYN
        header[18] = 0x3e; // x86-64
        header[24..32].copy_from_slice(&0x1040u64.to_le_bytes());
        let elf = parse_elf_header(&header).unwrap();
        assert_eq!(
            elf,
            ElfHeader {
                bits: 64,
                kind: "position-independent executable",
                machine: "x86-64".into(),
                entry: 0x1040,
            }
        );
        header[0] = b'#';
        assert_eq!(parse_elf_header(&header), None);
    }

    #[test]
    fn an_address_is_found_in_its_region() {
        let maps = "\
5600-5700 r-xp 00002000 fe:00 1234   /usr/bin/demo
7ff0-8000 rw-p 00000000 00:00 0      [stack]
9000-9100 rw-p 00000000 00:00 0
";
        assert_eq!(
            region_of(maps, 0x5650).as_deref(),
            Some("r-xp /usr/bin/demo")
        );
        assert_eq!(region_of(maps, 0x7ff8).as_deref(), Some("rw-p [stack]"));
        assert_eq!(region_of(maps, 0x9000).as_deref(), Some("rw-p [anonymous]"));
        assert_eq!(region_of(maps, 0x8000), None);
    }

    #[test]
    fn a_child_report_line_parses_including_a_path_with_spaces() {
        let view = parse_report("pid=12 ppid=11 address=0x55aa before=100 after=101 exe=/a b/demo")
            .unwrap();
        assert_eq!(view.pid_seen_by_child, 12);
        assert_eq!(view.parent_pid_seen_by_child, 11);
        assert_eq!(view.value_address, 0x55aa);
        assert_eq!((view.value_before, view.value_after), (100, 101));
        assert_eq!(view.program_path, PathBuf::from("/a b/demo"));
        assert!(parse_report("pid=x ppid=1 address=0x1 before=1 after=2 exe=/d").is_err());
    }
}
