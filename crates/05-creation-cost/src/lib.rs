//! # Lesson 05: what a worker costs to start, in time and in memory
//!
//! A new thread is a stack and a scheduler entry inside a process that
//! already exists. A new process needs those too, plus an address space of
//! its own: `fork` must copy the parent's page tables, and `exec` must throw
//! them away and load a program. So a process costs more to start, and a
//! forked one costs more the bigger its parent is.
//!
//! The Key Differences table, row **Creation** ("threads are faster to
//! create than processes"), and its **Memory** row counted in bytes per idle
//! worker.
//!
//! Run it: `just demo-creation-cost` (or `cargo run --release -p
//! creation-cost -- --repeats 50 --workers 32` for a steadier figure).
//!
//! What to look for:
//! 1. the table of start-and-finish costs: a thread is the `1.0×` row; every
//!    process row is several times dearer;
//! 2. `fork` of a parent that has touched 512 MiB costs many times a fork of
//!    a small parent, although no page of data is copied;
//! 3. an idle thread adds a few KiB of resident memory; an idle process adds
//!    more, plus page tables of its own that PSS does not even count.
//!
//! Figures are medians on *your* machine, taken while it does other work:
//! they vary from run to run. Compare them with the C yardstick
//! (`shared/yardstick/primitives.c`) run straight after.
//!
//! Next: lesson 06 (`crates/06-when-to-use-which`) puts these costs beside
//! the work the workers do.

use std::ffi::{CStr, c_char};
use std::process::Command;
use std::thread;

use memmap2::MmapMut;
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid, fork, pipe, read, write};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::timing::{Stats, format_bytes, format_duration, three_figures, try_measure};
use support::{ChildGuard, say};

/// This lesson starts no copy of itself in a role.
pub const ROLES: &[support::role::Role] = &[];

/// Most timed batches `--repeats` accepts.
pub const MAX_REPEATS: u64 = 1000;
/// Most idle workers `--workers` accepts (each child is held in a guard,
/// and the guards' Ctrl-C table has 256 slots).
pub const MAX_WORKERS: u64 = 200;

/// The demo's settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Timed batches per figure; each figure is the median over them.
    pub repeats: u64,
    /// How many idle threads, then idle processes, to count memory for.
    pub workers: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            repeats: 25,
            workers: 16,
        }
    }
}

/// Everything the lesson measured; lesson 07's table reads these fields.
#[derive(Debug, Clone)]
pub struct Report {
    pub creation: CreationCosts,
    /// fork + `_exit` + waitpid of a parent as it is, then after it touched
    /// 64 MiB, then 512 MiB.
    pub fork_vs_memory: Vec<ForkAtSize>,
    pub idle_memory: IdleMemory,
}

/// Cost of starting a worker and waiting for it to finish, per worker.
#[derive(Debug, Clone, Copy)]
pub struct CreationCosts {
    /// `std::thread::spawn` of an empty closure, then `join`.
    pub thread_spawn: Stats,
    /// `std::thread::scope` around one empty scoped thread.
    pub thread_scope: Stats,
    /// `fork`, the child calls `_exit(0)`, the parent `waitpid`s.
    pub fork_exit: Stats,
    /// `fork`, the child `exec`s `/bin/true`, the parent `waitpid`s.
    pub fork_exec: Stats,
    /// `std::process::Command::new("/bin/true").spawn()` then wait.
    pub command: Stats,
}

impl CreationCosts {
    /// Each figure with the words the table prints beside it.
    pub fn rows(&self) -> [(&'static str, Stats); 5] {
        [
            ("thread::spawn + join", self.thread_spawn),
            ("thread::scope, one thread", self.thread_scope),
            ("fork + _exit + waitpid", self.fork_exit),
            ("fork + exec /bin/true + waitpid", self.fork_exec),
            ("Command /bin/true spawn + wait", self.command),
        ]
    }
}

/// One fork figure, for a parent that touched `touched_bytes` first.
#[derive(Debug, Clone, Copy)]
pub struct ForkAtSize {
    /// Bytes the parent mapped and wrote (0: the parent as it is).
    pub touched_bytes: u64,
    /// The parent's resident memory while it was forking (from /proc),
    /// `None` where /proc is unavailable.
    pub parent_resident_bytes: Option<u64>,
    /// The parent's page tables (`VmPTE:`), which each fork copies.
    pub parent_page_table_bytes: Option<u64>,
    pub fork_exit: Stats,
}

/// Where the memory figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemorySource {
    /// `Pss:` of `/proc/PID/smaps_rollup`: a page shared by k processes
    /// counts 1/k in each, so shared pages are not counted twice.
    Pss,
    /// `VmRSS:` of `/proc/PID/status`: shared pages count in full in every
    /// process, so the per-process figure is too high.
    Rss,
    /// No /proc to read; the reason.
    Unavailable(String),
}

/// What N idle workers add to resident memory, per worker.
#[derive(Debug, Clone)]
pub struct IdleMemory {
    pub workers: usize,
    pub source: MemorySource,
    /// Growth of this process's resident memory per idle thread, bytes.
    pub per_thread_bytes: Option<i64>,
    /// Growth of resident memory (this process plus its children) per idle
    /// child process, bytes.
    pub per_process_bytes: Option<i64>,
    /// Page tables per idle child (`VmPTE:`): kernel memory that PSS and
    /// RSS leave out.
    pub page_tables_per_process_bytes: Option<u64>,
    /// Idle children started, and how many of them were reaped by waitpid.
    pub children_started: usize,
    pub children_reaped: usize,
}

// How many creations go between two clock reads. A clock read costs well
// under a microsecond; a batch lasts a millisecond or more, so the figure is
// the primitive's cost, not the clock's.
const THREAD_BATCH: usize = 50;
const FORK_BATCH: usize = 10;
const EXEC_BATCH: usize = 4;
// A fork of a big parent lasts milliseconds on its own.
const BIG_FORK_BATCH: usize = 2;
const MIB: usize = 1 << 20;
/// The parent sizes of section 2.
pub const FORK_SIZES: [usize; 3] = [0, 64 * MIB, 512 * MIB];

/// Runs the lesson: prints the story as it goes, returns the figures.
pub fn run(options: &Options) -> Result<Report> {
    let repeats = options.repeats as usize;
    let workers = options.workers as usize;
    // Most figures below fork: refuse before measuring anything if another
    // thread shares this process.
    prepare_to_fork()?;

    support::heading("1. Starting and finishing one worker");
    say!("each figure: median of {repeats} timed batches, after a warm-up batch");
    let creation = measure_creation(repeats)?;
    print_creation_table(&creation);

    support::heading("2. fork gets dearer as the parent grows");
    say!("fork + _exit + waitpid again, after the parent wrote a byte in every");
    say!("4 KiB page of fresh memory (so every page is resident):");
    say!(
        "{:>14} {:>10} {:>11} {:>9} {:>9} {:>9} {:>11}",
        "parent touched",
        "resident",
        "page tables",
        "median",
        "min",
        "max",
        "× as it was"
    );
    let mut fork_vs_memory: Vec<ForkAtSize> = Vec::new();
    for bytes in FORK_SIZES {
        let at_size = fork_after_touching(bytes, repeats)?;
        let as_it_was = fork_vs_memory.first().unwrap_or(&at_size).fork_exit;
        let unknown = || "unknown".to_string();
        say!(
            "{:>14} {:>10} {:>11} {:>9} {:>9} {:>9} {:>10}×",
            format_bytes(bytes as u64),
            at_size
                .parent_resident_bytes
                .map_or_else(unknown, format_bytes),
            at_size
                .parent_page_table_bytes
                .map_or_else(unknown, format_bytes),
            format_duration(at_size.fork_exit.median),
            format_duration(at_size.fork_exit.min),
            format_duration(at_size.fork_exit.max),
            three_figures(at_size.fork_exit.median_secs() / as_it_was.median_secs())
        );
        fork_vs_memory.push(at_size);
    }
    say!("No data page was copied: the child shares them copy-on-write. But fork");
    say!("copies the page tables, one entry per resident page, and the child's");
    say!("exit tears them down again. The touched memory is unmapped again now.");

    support::heading("3. What an idle worker costs in memory");
    let idle_memory = idle_worker_memory(workers)?;
    print_idle_memory(&idle_memory);

    support::heading("Verdict");
    let thread = creation.thread_spawn.median_secs();
    say!(
        "Creation row: a thread started and finished in {}; a forked process in {} ({}×),",
        format_duration(creation.thread_spawn.median),
        format_duration(creation.fork_exit.median),
        three_figures(creation.fork_exit.median_secs() / thread)
    );
    say!(
        "a new program via Command in {} ({}×). Memory row: an idle thread adds {},",
        format_duration(creation.command.median),
        three_figures(creation.command.median_secs() / thread),
        describe_bytes(idle_memory.per_thread_bytes)
    );
    say!(
        "an idle process {} plus {} of page tables.",
        describe_bytes(idle_memory.per_process_bytes),
        idle_memory
            .page_tables_per_process_bytes
            .map_or("an unknown amount".to_string(), format_bytes)
    );

    Ok(Report {
        creation,
        fork_vs_memory,
        idle_memory,
    })
}

// ANCHOR: creation
/// Section 1: all five figures, `repeats` timed batches each.
pub fn measure_creation(repeats: usize) -> Result<CreationCosts> {
    prepare_to_fork()?; // refuse at once, not after the thread figures
    let thread_spawn = thread_spawn_join(repeats)?;
    say!("thread::spawn + join:   {thread_spawn}");
    let thread_scope = thread_scope(repeats)?;
    say!("thread::scope:          {thread_scope}");
    // Every thread above has been joined: this process is single-threaded
    // again (fork_exit_wait and fork_exec_wait check it), so it may fork.
    let fork_exit = fork_exit_wait(repeats)?;
    say!("fork + _exit + waitpid: {fork_exit}");
    let fork_exec = fork_exec_wait(repeats)?;
    say!("fork + exec + waitpid:  {fork_exec}");
    let command = command_spawn_wait(repeats)?;
    say!("Command spawn + wait:   {command}");
    Ok(CreationCosts {
        thread_spawn,
        thread_scope,
        fork_exit,
        fork_exec,
        command,
    })
}

/// A thread that does nothing, started and joined.
pub fn thread_spawn_join(repeats: usize) -> Result<Stats> {
    try_measure(1, repeats, THREAD_BATCH, || {
        // clone(2) with CLONE_VM | CLONE_THREAD: same address space, new
        // stack (mmap'd by the thread library, reused from a cache).
        // Unnamed on purpose: naming costs one more system call.
        let handle = thread::Builder::new()
            .spawn(|| {})
            .context("spawning a thread")?;
        // join: wait until the thread has ended.
        handle
            .join()
            .map_err(|_| Error::msg("the empty thread panicked"))
    })
}

/// A scope that starts one empty thread and joins it on the way out.
pub fn thread_scope(repeats: usize) -> Result<Stats> {
    try_measure(1, repeats, THREAD_BATCH, || {
        thread::scope(|scope| {
            thread::Builder::new()
                .spawn_scoped(scope, || {})
                .context("spawning a scoped thread")
                .map(drop)
        })
        // Leaving `scope` joined the thread.
    })
}

/// `fork`, the child `_exit`s at once, the parent reaps it.
pub fn fork_exit_wait(repeats: usize) -> Result<Stats> {
    // Once, before the timed loop: it reads /proc (tens of µs), which would
    // distort the fork figures, and the loop starts no thread.
    prepare_to_fork()?;
    try_measure(1, repeats, FORK_BATCH, fork_exit_once)
}

/// One fork + `_exit` + waitpid. Every caller calls `prepare_to_fork`
/// once before its timed loop of these.
fn fork_exit_once() -> Result<()> {
    // SAFETY: prepare_to_fork checked, once before this timed loop, that
    // this process has one thread, and the loop starts none; so the child
    // is a complete copy with no lock held by a vanished thread. The child
    // does nothing but `_exit`.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => {
            // SAFETY: `_exit` is async-signal-safe and ends the child at
            // once: no destructors, no atexit handlers, no flush. Raw on
            // purpose, not `run_child`: the figure is the cost of a bare fork.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => reap(child),
    }
}

/// `fork`, the child replaces itself with `/bin/true`, the parent reaps it.
pub fn fork_exec_wait(repeats: usize) -> Result<Stats> {
    // Once, before the timed loop (which starts no thread).
    prepare_to_fork()?;
    // Everything the child needs is made before fork: after fork the child
    // only calls async-signal-safe functions (execv, _exit), never malloc.
    let program: &CStr = c"/bin/true";
    let argv: [*const c_char; 2] = [program.as_ptr(), std::ptr::null()];
    try_measure(1, repeats, EXEC_BATCH, || {
        // SAFETY: prepare_to_fork checked, once before this timed loop, that
        // this process has one thread, and the loop starts none; besides,
        // the child only calls execv and _exit, both async-signal-safe.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => {
                // SAFETY: `program` is NUL-terminated and `argv` ends with a
                // null pointer; both were built before fork. execv only
                // returns on failure, and then the child `_exit`s with 127,
                // as a shell does for "command not found".
                unsafe {
                    libc::execv(program.as_ptr(), argv.as_ptr());
                    libc::_exit(127)
                }
            }
            ForkResult::Parent { child } => reap(child),
        }
    })
}

/// What Rust programs really call: `std::process::Command`.
pub fn command_spawn_wait(repeats: usize) -> Result<Stats> {
    try_measure(1, repeats, EXEC_BATCH, || {
        // On Linux with glibc, spawn() calls posix_spawn(3), which glibc
        // builds on clone(CLONE_VM | CLONE_VFORK) (clone3 in recent glibc,
        // as `strace -f` shows): the child borrows the parent's memory
        // instead of copying its page tables, and runs execve at once. std falls back to fork + exec when posix_spawn
        // cannot do what was asked (a pre_exec hook, a uid change, ...).
        let child = Command::new("/bin/true")
            .spawn()
            .context("spawning /bin/true (posix_spawn)")?;
        // waitpid(2), inside the guard.
        let ending = ChildGuard::adopt(child).wait().context("waitpid(2)")?;
        if ending.is_success() {
            Ok(())
        } else {
            Err(Error::msg(format!("/bin/true {ending}")))
        }
    })
}
// ANCHOR_END: creation

/// Waits for a forked child in plain view and checks that it exited with 0.
fn reap(child: Pid) -> Result<()> {
    // The guard kills and reaps the child if we bail out or panic.
    let guard = ChildGuard::new(child);
    // waitpid(2), through the guard: block until the child ends, and
    // collect it (no zombie).
    let status = guard.waitpid().context("waitpid(2)")?;
    match status {
        WaitStatus::Exited(_, 0) => Ok(()),
        other => Err(Error::msg(format!(
            "child {child} did not exit with 0: {other:?}"
        ))),
    }
}

fn print_creation_table(creation: &CreationCosts) {
    let thread = creation.thread_spawn.median_secs();
    say!("");
    say!(
        "{:<32} {:>9} {:>9} {:>9} {:>9}",
        "start + finish one worker",
        "median",
        "min",
        "max",
        "× thread"
    );
    for (what, stats) in creation.rows() {
        say!(
            "{:<32} {:>9} {:>9} {:>9} {:>8}×",
            what,
            format_duration(stats.median),
            format_duration(stats.min),
            format_duration(stats.max),
            // Three significant figures: a ratio never rounds down to 0.
            three_figures(stats.median_secs() / thread)
        );
    }
    say!("min, max: the per-call mean of the fastest and the slowest batch");
    say!("");
    say!("Command on Linux: std calls posix_spawn, which glibc runs as");
    say!("clone(CLONE_VM|CLONE_VFORK) + execve: no page tables are copied,");
    say!("but a new program is loaded; std falls back to fork + exec when it must.");
}

// ANCHOR: fork_vs_memory
/// Maps and writes `bytes` of fresh memory, times fork + `_exit` + waitpid
/// with it resident, then unmaps it.
pub fn fork_after_touching(bytes: usize, repeats: usize) -> Result<ForkAtSize> {
    // Once, before anything: nothing below starts a thread.
    prepare_to_fork()?;
    // mmap(2): private anonymous memory, nothing resident yet.
    let mut memory = MmapMut::map_anon(bytes.max(1)).context("mmap(2)")?;
    // Ask for ordinary 4 KiB pages: with 2 MiB huge pages one table entry
    // would cover 512 pages and hide the effect.
    #[cfg(target_os = "linux")]
    memory
        .advise(memmap2::Advice::NoHugePage)
        .context("madvise(2) MADV_NOHUGEPAGE")?;
    // Write one byte in every page: each write faults in a real page, so
    // now every page is resident and has a page-table entry.
    for page in memory.chunks_mut(4096) {
        page[0] = 1;
    }
    let parent_resident_bytes = resident_bytes(Pid::this(), Field::Rss);
    let parent_page_table_bytes = status_field(Pid::this(), "VmPTE:");
    let batch = if bytes == 0 {
        FORK_BATCH
    } else {
        BIG_FORK_BATCH
    };
    // Each fork copies one entry per resident page (and counts one more
    // user of each page); each child's exit drops them again.
    let fork_exit = try_measure(1, repeats, batch, fork_exit_once)?;
    // munmap(2): the memory goes back to the system.
    drop(memory);
    Ok(ForkAtSize {
        touched_bytes: bytes as u64,
        parent_resident_bytes,
        parent_page_table_bytes,
        fork_exit,
    })
}
// ANCHOR_END: fork_vs_memory

// ANCHOR: idle_memory
/// Section 3: N idle threads, then N idle child processes; resident memory
/// before and while they wait, per worker.
pub fn idle_worker_memory(workers: usize) -> Result<IdleMemory> {
    prepare_to_fork()?; // refuse at once, not after the idle threads
    let source = memory_source();
    let field = match source {
        MemorySource::Pss => Field::Pss,
        _ => Field::Rss,
    };
    let per_thread_bytes = idle_threads(workers, field)?;
    // Every idle thread has been joined: single-threaded again, so we may fork.
    let processes = idle_processes(workers, field)?;
    Ok(IdleMemory {
        workers,
        source,
        per_thread_bytes,
        per_process_bytes: processes.per_process_bytes,
        page_tables_per_process_bytes: processes.page_tables_per_process_bytes,
        children_started: processes.started,
        children_reaped: processes.reaped,
    })
}

/// N threads, each blocked in read(2) on one pipe until we close its
/// write end. Returns the growth of our resident memory per thread.
fn idle_threads(workers: usize, field: Field) -> Result<Option<i64>> {
    let before = resident_bytes(Pid::this(), field);
    let (ready_read, ready_write) = pipe().context("pipe(2)")?;
    let (go_read, go_write) = pipe().context("pipe(2)")?;
    let during = thread::scope(|scope| -> Result<Option<u64>> {
        // Moved in here: however this closure returns, go_write is closed
        // before the scope joins the threads, so none waits forever.
        let go_write = go_write;
        for index in 0..workers {
            let (ready_write, go_read) = (&ready_write, &go_read);
            thread::Builder::new()
                .name(format!("idle-{index}"))
                .spawn_scoped(scope, move || {
                    // "I am running", then wait: read blocks until EOF.
                    let _ = write(ready_write, b"r");
                    let _ = read(go_read, &mut [0u8]);
                })
                .context("spawning an idle thread")?;
        }
        wait_until_ready(&ready_read, workers)?;
        let during = resident_bytes(Pid::this(), field);
        // close(2) the only write end: every blocked read returns 0 (EOF).
        drop(go_write);
        Ok(during)
    })?;
    // Leaving the scope joined every idle thread.
    Ok(growth_per_worker(before, during, workers))
}

struct IdleProcesses {
    per_process_bytes: Option<i64>,
    page_tables_per_process_bytes: Option<u64>,
    started: usize,
    reaped: usize,
}

/// N forked children, each blocked in read(2) on a pipe until we close its
/// write end. Growth is counted over us plus every child: a page the
/// children share with us is split between us, not counted N + 1 times.
fn idle_processes(workers: usize, field: Field) -> Result<IdleProcesses> {
    // Once, before the loop of forks: the loop starts no thread.
    prepare_to_fork()?;
    let before = resident_bytes(Pid::this(), field);
    let (ready_read, ready_write) = pipe().context("pipe(2)")?;
    let (go_read, go_write) = pipe().context("pipe(2)")?;
    let mut children = Vec::with_capacity(workers);
    for _ in 0..workers {
        // SAFETY: prepare_to_fork checked, once before this loop, that this
        // process has one thread, and the loop starts none; so the child may
        // run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            // run_child: ends this child with _exit(0), never returning into
            // the parent's code.
            ForkResult::Child => run_child(|| {
                // close(2) our copy of the write end, or our own read would
                // never see EOF.
                let _ = nix::unistd::close(std::os::fd::AsRawFd::as_raw_fd(&go_write));
                let _ = write(&ready_write, b"r");
                // Idle: blocked here until the parent closes go_write.
                let _ = read(&go_read, &mut [0u8]);
                Ok(())
            }),
            ForkResult::Parent { child } => children.push(ChildGuard::new(child)),
        }
    }
    // Our copy of ready_write must go, or a child that died early would
    // leave us waiting for its byte forever instead of seeing EOF.
    drop(ready_write);
    wait_until_ready(&ready_read, workers)?;

    let mut during = resident_bytes(Pid::this(), field);
    let mut page_tables = Some(0);
    for child in &children {
        during = add(during, resident_bytes(child.pid(), field));
        page_tables = add(page_tables, status_field(child.pid(), "VmPTE:"));
    }

    // close(2) the write end: every child's read returns 0, and it exits.
    drop(go_write);
    let started = children.len();
    let mut reaped = 0;
    for child in children {
        let pid = child.pid();
        // waitpid(2), through the guard: collect each child, so none is
        // left a zombie.
        let status = child.waitpid().context("waitpid(2)")?;
        if status != WaitStatus::Exited(pid, 0) {
            return Err(Error::msg(format!(
                "idle child {pid} did not exit with 0: {status:?}"
            )));
        }
        reaped += 1;
    }
    Ok(IdleProcesses {
        per_process_bytes: growth_per_worker(before, during, workers),
        page_tables_per_process_bytes: page_tables.map(|total| total / workers.max(1) as u64),
        started,
        reaped,
    })
}
// ANCHOR_END: idle_memory

/// Reads one byte from every worker: each writes it once it is running.
fn wait_until_ready(ready_read: &std::os::fd::OwnedFd, workers: usize) -> Result<()> {
    let mut seen = 0;
    let mut buffer = [0u8; 64];
    while seen < workers {
        let want = (workers - seen).min(buffer.len());
        match read(ready_read, &mut buffer[..want]) {
            Ok(0) => {
                return Err(Error::msg(format!(
                    "only {seen} of {workers} idle workers started"
                )));
            }
            Ok(count) => seen += count,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(error) => return Err(error).context("read(2) of the ready pipe"),
        }
    }
    Ok(())
}

fn print_idle_memory(idle: &IdleMemory) {
    match &idle.source {
        MemorySource::Pss => {
            say!(
                "source: Pss of /proc/PID/smaps_rollup (a shared page counts 1/k in each of k processes)"
            )
        }
        MemorySource::Rss => say!(
            "source: VmRSS of /proc/PID/status (smaps_rollup unavailable): shared pages count in every process, so the process figure is too high"
        ),
        MemorySource::Unavailable(why) => say!("memory figures unavailable: {why}"),
    }
    say!(
        "{} idle threads:   {} each",
        idle.workers,
        describe_bytes(idle.per_thread_bytes)
    );
    say!(
        "{} idle processes: {} each, plus {} of page tables (VmPTE, not in PSS)",
        idle.workers,
        describe_bytes(idle.per_process_bytes),
        idle.page_tables_per_process_bytes
            .map_or("an unknown amount".to_string(), format_bytes)
    );
    say!(
        "children started {}, reaped {}",
        idle.children_started,
        idle.children_reaped
    );
    say!("neither figure counts the kernel's own record and stack for each task.");
}

fn describe_bytes(bytes: Option<i64>) -> String {
    match bytes {
        Some(bytes) if bytes < 0 => format!("-{}", format_bytes(bytes.unsigned_abs())),
        Some(bytes) => format_bytes(bytes as u64),
        None => "unknown (no /proc)".to_string(),
    }
}

// ---------------------------------------------------------------------
// Reading /proc: the plumbing of this lesson's measurements.
// ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Field {
    Pss,
    Rss,
}

/// Which memory figure /proc offers here.
pub fn memory_source() -> MemorySource {
    let me = Pid::this();
    if resident_bytes(me, Field::Pss).is_some() {
        MemorySource::Pss
    } else if resident_bytes(me, Field::Rss).is_some() {
        MemorySource::Rss
    } else {
        MemorySource::Unavailable(
            "neither /proc/self/smaps_rollup nor /proc/self/status can be read (not Linux?)"
                .to_string(),
        )
    }
}

/// `Pss:` from smaps_rollup or `VmRSS:` from status, in bytes.
fn resident_bytes(pid: Pid, field: Field) -> Option<u64> {
    match field {
        Field::Pss => {
            let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            kib_field(&text, "Pss:")
        }
        Field::Rss => status_field(pid, "VmRSS:"),
    }
}

/// A `Name:   1234 kB` line of /proc/PID/status, in bytes.
fn status_field(pid: Pid, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kib_field(&text, name)
}

fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

fn add(total: Option<u64>, more: Option<u64>) -> Option<u64> {
    Some(total? + more?)
}

fn growth_per_worker(before: Option<u64>, during: Option<u64>, workers: usize) -> Option<i64> {
    let growth = during? as i64 - before? as i64;
    Some(growth / workers.max(1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kib_fields_read_as_bytes() {
        let text = "Name:\tx\nVmRSS:\t    1234 kB\nVmPTE:\t  48 kB\n";
        assert_eq!(kib_field(text, "VmRSS:"), Some(1234 * 1024));
        assert_eq!(kib_field(text, "VmPTE:"), Some(48 * 1024));
        assert_eq!(kib_field(text, "Pss:"), None);
    }

    #[test]
    fn growth_is_split_between_workers_and_may_be_negative() {
        assert_eq!(growth_per_worker(Some(1000), Some(5000), 4), Some(1000));
        assert_eq!(growth_per_worker(Some(5000), Some(1000), 4), Some(-1000));
        assert_eq!(growth_per_worker(None, Some(1000), 4), None);
    }

    #[test]
    fn thread_costs_are_finite_and_positive() {
        // Threads only: safe under the multi-threaded test harness.
        for stats in [thread_spawn_join(3).unwrap(), thread_scope(3).unwrap()] {
            assert_eq!(stats.samples, 3);
            assert!(stats.min > std::time::Duration::ZERO);
            assert!(stats.min <= stats.median && stats.median <= stats.max);
        }
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn forking_is_refused_while_other_threads_run() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let other = thread::spawn(move || rx.recv());
        let error = fork_exit_wait(1).unwrap_err().to_string();
        assert!(error.starts_with("refusing to fork"), "{error}");
        drop(tx);
        let _ = other.join();
    }
}
