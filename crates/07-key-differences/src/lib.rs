//! # Lesson 07: the table, measured on this machine
//!
//! The source material sums up multithreading against multiprocessing in a
//! table of five rows: Memory, Communication, Creation, Fault Isolation and
//! Best For. Each row is a claim in words. This lesson runs the other
//! lessons' own measurements — nothing is measured twice — and fills every
//! cell of that table with the figure that backs (or bends) the claim, on
//! the machine in front of you, in this run.
//!
//! All five rows of the Key Differences table.
//!
//! Run it: `just compare` (a few seconds; `--thorough` repeats more).
//! It is also the last step of `cargo run --release -p tour`.
//!
//! What to look for:
//! - the Creation and Memory rows: a process costs several times a thread,
//!   to start and to keep;
//! - the Communication row: threads hand data over with no copy at all; a
//!   *blocking* round trip costs about the same between threads as through
//!   a pipe (both are two context switches), and bulk data between
//!   processes is where a shared-memory ring beats a pipe;
//! - the references under the table: the ring's own work (copy in, copy
//!   out, checksum) done by one process, for bulk data; a cache line passed
//!   by spinning, for round trips; and what a blocking round trip costs when
//!   it must also wake another CPU;
//! - the Best For row: in Rust, threads speed up CPU-bound work as well as
//!   processes do (no global interpreter lock), so choose by isolation,
//!   memory and start-up cost.
//!
//! The table is also written as Markdown and as an SVG chart under
//! `target/key-differences/`.
//!
//! This is the last lesson; the book's chapter "The table, measured" shows
//! a sample run and how to read it.

pub mod chart;
pub mod render;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use support::error::{Context, Error, Result};
use support::forking::prepare_to_fork;
use support::placement::{Pinned, Placement};
use support::role::Role;
use support::timing::{format_bytes, format_duration};
use support::{Stats, heading, say};

use chart::{Bar, Panel};
use render::{Cell, Row};

/// This lesson starts no role of its own, but it runs the other lessons,
/// which do: a binary that runs it dispatches all of these.
pub const ROLES: &[&[Role]] = &[
    program_vs_process::ROLES,
    shared_memory_threads::ROLES,
    ipc::pipes::ROLES,
    ipc::shared_memory::ROLES,
    fault_isolation::ROLES,
    creation_cost::ROLES,
    when_to_use_which::ROLES,
];

/// How long to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// A few seconds, each lesson at its defaults: the tour and CI use it.
    Quick,
    /// More repetitions and bigger transfers: steadier figures.
    Thorough,
}

/// What the lesson does, and where it writes its files.
#[derive(Debug, Clone)]
pub struct Options {
    pub depth: Depth,
    /// Where `key-differences.md` and `key-differences.svg` go; `None`
    /// for `target/key-differences/` beside the running binary.
    pub out_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            depth: Depth::Quick,
            out_dir: None,
        }
    }
}

/// The sizes behind each depth.
struct Plan {
    creation_repeats: usize,
    idle_workers: usize,
    ipc_mib: u64,
    round_trips: usize,
    workloads: when_to_use_which::Options,
}

impl Plan {
    fn for_depth(depth: Depth) -> Plan {
        match depth {
            // The lessons' own defaults: each takes a second or two.
            Depth::Quick => Plan {
                creation_repeats: 25,
                idle_workers: 16,
                ipc_mib: 256,
                round_trips: 2_000,
                workloads: when_to_use_which::Options::default(),
            },
            Depth::Thorough => Plan {
                creation_repeats: 100,
                idle_workers: 64,
                ipc_mib: 1024,
                round_trips: 20_000,
                workloads: when_to_use_which::Options {
                    size: 4_000_000,
                    repeats: 5,
                    ..when_to_use_which::Options::default()
                },
            },
        }
    }
}

/// The machine the figures are for.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cores: usize,
    pub kernel: String,
    pub cpu: String,
    /// The CPU flags say a hypervisor runs this machine (a VM).
    pub virtual_machine: bool,
}

/// Every figure the table shows, as numbers.
#[derive(Debug, Clone)]
pub struct Figures {
    // Memory
    pub threads_share_one_address: bool,
    pub threads_checked: usize,
    pub processes_separate: bool,
    pub children_checked: usize,
    pub idle_thread_bytes: Option<i64>,
    pub idle_process_bytes: Option<i64>,
    pub idle_process_page_tables: Option<u64>,
    // Communication
    pub thread_condvar_round_trip: Stats,
    pub thread_channel_round_trip: Stats,
    pub thread_read_in_place_bytes: usize,
    pub thread_read_in_place_same_address: bool,
    pub pipe_round_trip: Stats,
    pub shm_round_trip: Stats,
    pub pipe_default_bytes_per_second: f64,
    pub pipe_1mib_bytes_per_second: f64,
    pub ring_bytes_per_second: f64,
    pub transfers_verified: bool,
    // Creation
    pub thread_spawn: Stats,
    pub fork_exit: Stats,
    pub fork_exec: Stats,
    pub command: Stats,
    // Fault isolation
    pub faults: Vec<fault_isolation::Outcome>,
    // Best for
    pub io_threads_speedup: f64,
    pub io_processes_speedup: f64,
    pub cpu_threads_speedup: f64,
    pub cpu_processes_speedup: f64,
    /// CPU time over wall time in the CPU-bound runs: below the core count
    /// when other programs had the machine.
    pub cpu_threads_cores_busy: f64,
    pub cpu_processes_cores_busy: f64,
    pub answers_agree: bool,
}

/// The limits that bound the figures, measured in the same run.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The ring's work (copy in, copy out, checksum) done by one process,
    /// with no IPC at all: lesson 03's same-work reference.
    pub same_work_bytes_per_second: f64,
    /// A pipe round trip between two processes pinned to two CPUs: each
    /// hand-off also wakes the other CPU (lesson 03's shared-memory part
    /// measures it beside its ring).
    pub two_cpu_round_trip: Stats,
}

/// What the lesson measured, printed and wrote.
#[derive(Debug, Clone)]
pub struct Report {
    pub machine: Machine,
    pub figures: Figures,
    pub limits: Limits,
    pub rows: Vec<Row>,
    pub markdown_path: PathBuf,
    pub svg_path: PathBuf,
}

/// Runs every measurement quietly, then prints the table, the limits and
/// the machine, and writes the Markdown and SVG files.
///
/// The lessons it runs fork. Each checks before its own forks that this
/// process has one thread; checking once here as well makes a program with
/// a second thread get the "refusing to fork" error before anything runs.
pub fn run(options: &Options) -> Result<Report> {
    prepare_to_fork()?;
    let plan = Plan::for_depth(options.depth);
    let machine = this_machine();
    heading("The Key Differences table, measured on this machine");
    say!(
        "measuring ({}); the lessons run quietly, progress on stderr",
        match options.depth {
            Depth::Quick => "quick: a few seconds",
            Depth::Thorough => "thorough: ten to twenty seconds",
        }
    );

    // The lessons print their stories as they go; here we want only their
    // results, so silence them while they run.
    support::speaker::set_quiet(true);
    let measured = measure(&plan);
    support::speaker::set_quiet(false);
    let (figures, limits) = measured?;

    let rows = table_rows(&figures);
    print_table(&rows, &figures, &limits, &machine);

    let out_dir = match &options.out_dir {
        Some(dir) => dir.clone(),
        None => default_out_dir()?,
    };
    std::fs::create_dir_all(&out_dir).context(format!("mkdir -p {}", out_dir.display()))?;
    let markdown_path = out_dir.join("key-differences.md");
    let svg_path = out_dir.join("key-differences.svg");
    std::fs::write(
        &markdown_path,
        markdown_file(&rows, &figures, &limits, &machine),
    )
    .context(format!("write {}", markdown_path.display()))?;
    chart::write_svg(&svg_path, &chart_panels(&figures, &limits))
        .map_err(|error| Error::msg(format!("drawing {} failed: {error}", svg_path.display())))?;
    say!("table as Markdown: {}", markdown_path.display());
    say!("chart as SVG:      {}", svg_path.display());

    Ok(Report {
        machine,
        figures,
        limits,
        rows,
        markdown_path,
        svg_path,
    })
}

// ANCHOR: measure
/// Runs the lessons' own measurements, one after another. Every lesson
/// joins its threads before it returns, so the process is single-threaded
/// whenever the next one forks. (The progress bar draws only when told to:
/// it starts no thread of its own.)
fn measure(plan: &Plan) -> Result<(Figures, Limits)> {
    let progress = progress_bar(8);

    // Creation first, while this process is small: fork copies the
    // parent's page tables, so it gets dearer as the parent grows (lesson
    // 05 shows by how much), and the later steps grow it.
    // Lesson 05's four ways to start and finish a worker.
    progress.set_message("creation");
    let creation = creation_cost::measure_creation(plan.creation_repeats)?;
    progress.inc(1);

    // Memory, threads: lesson 02's workers each report where they see one
    // shared value.
    progress.set_message("memory: threads");
    let threads = 4;
    let space = shared_memory_threads::one_address_space(threads)?;
    let threads_share_one_address = space.workers.len() == threads
        && space
            .workers
            .iter()
            .all(|sighting| sighting.heap_value == space.parent_heap_value);
    progress.inc(1);

    // Memory, processes: lesson 01's parent changes its copy of a static,
    // its children start from the program file's value and change theirs;
    // the parent's must stay as it set it.
    progress.set_message("memory: processes");
    let separate = program_vs_process::run(&program_vs_process::Options { children: 2 })?;
    let processes_separate = separate.memory_kept_separate();
    // Lesson 05: what an idle worker adds to resident memory.
    let idle = creation_cost::idle_worker_memory(plan.idle_workers)?;
    progress.inc(1);

    // Communication, threads: lesson 02's in-place read, and its hand-offs.
    // A blocking round trip costs far more when the two sides sit on two
    // CPUs (each hand-off wakes the other CPU) than on one, and left alone
    // the scheduler picks either. So both the threads' and the processes'
    // round trips are measured on one CPU, the same for both.
    progress.set_message("communication: threads");
    let in_place = shared_memory_threads::read_in_place(1 << 20)?;
    // Pinned: this thread, and the threads it starts, on one CPU; the old
    // mask comes back when `pinned` is dropped, also on an error or a panic.
    let pinned = Pinned::caller(Placement::OneCpu)?;
    let thread_condvar_round_trip = shared_memory_threads::condvar_round_trip()?;
    let thread_channel_round_trip = shared_memory_threads::channel_round_trip()?;
    drop(pinned);
    progress.inc(1);

    // Communication, processes: lesson 03's transports, side by side with
    // one source size: the pipes (two buffers), the shared-memory ring, the
    // ring's work in one process, and a round trip through a shared word.
    progress.set_message("communication: processes");
    let ipc_bytes = plan.ipc_mib << 20;
    let ring = ipc::shared_memory::ring_between_processes(ipc_bytes, &Default::default())?;
    let (same_work_elapsed, _) = ipc::shared_memory::same_work_in_one_process(ipc_bytes);
    let pipe_default = ipc::pipes::stream_through_pipe(ipc_bytes, None)?;
    let pipe_1mib =
        ipc::pipes::stream_through_pipe(ipc_bytes, Some(ipc::pipes::LARGE_PIPE_BUFFER))?;
    let (shm_round_trip, _, _) =
        ipc::shared_memory::word_round_trips(ipc::shared_memory::Waiting::Spin, 2000)?;
    let (two_cpu_pipe_round_trip, _) =
        ipc::pipes::pipe_round_trip_placed(plan.round_trips, Placement::TwoCpus)?;
    let rate = |bytes: u64, elapsed: Duration| bytes as f64 / elapsed.as_secs_f64().max(1e-12);
    progress.inc(1);

    // Fault isolation: lesson 04's scenarios, crashes in children only.
    progress.set_message("fault isolation");
    let faults = fault_isolation::run(&fault_isolation::Options::default())?;
    progress.inc(1);

    // Best for: lesson 06's I/O-bound and CPU-bound jobs.
    progress.set_message("best for");
    let work = when_to_use_which::run(&plan.workloads)?;
    progress.inc(1);

    // Lesson 03's pipe round trip between two processes, on one CPU too.
    progress.set_message("round trips");
    let (pipe_round_trip, _) =
        ipc::pipes::pipe_round_trip_placed(plan.round_trips, Placement::OneCpu)?;
    progress.inc(1);
    progress.finish_and_clear();
    // ANCHOR_END: measure

    let figures = Figures {
        threads_share_one_address,
        threads_checked: space.workers.len(),
        processes_separate,
        children_checked: separate.children.len(),
        idle_thread_bytes: idle.per_thread_bytes,
        idle_process_bytes: idle.per_process_bytes,
        idle_process_page_tables: idle.page_tables_per_process_bytes,
        thread_condvar_round_trip,
        thread_channel_round_trip,
        thread_read_in_place_bytes: in_place.bytes,
        thread_read_in_place_same_address: in_place.writer_address == in_place.reader_address
            && in_place.writer_sum == in_place.reader_sum,
        pipe_round_trip,
        shm_round_trip,
        pipe_default_bytes_per_second: pipe_default.bytes_per_second(),
        pipe_1mib_bytes_per_second: pipe_1mib.bytes_per_second(),
        ring_bytes_per_second: ring.bytes_per_second(),
        transfers_verified: ring.checksum_ok
            && pipe_default.is_complete()
            && pipe_1mib.is_complete(),
        thread_spawn: creation.thread_spawn,
        fork_exit: creation.fork_exit,
        fork_exec: creation.fork_exec,
        command: creation.command,
        faults: faults.outcomes().into_iter().cloned().collect(),
        io_threads_speedup: work.io.threads.speedup,
        io_processes_speedup: work.io.processes.speedup,
        cpu_threads_speedup: work.cpu.threads.speedup,
        cpu_processes_speedup: work.cpu.processes.speedup,
        cpu_threads_cores_busy: work.cpu.threads.cores_busy,
        cpu_processes_cores_busy: work.cpu.processes.cores_busy,
        answers_agree: work.io.answers_agree() && work.cpu.answers_agree(),
    };
    let limits = Limits {
        same_work_bytes_per_second: rate(ipc_bytes, same_work_elapsed),
        two_cpu_round_trip: two_cpu_pipe_round_trip,
    };
    Ok((figures, limits))
}

/// Progress on stderr while measuring; nothing at all when stderr is not a
/// terminal (a log file, CI).
fn progress_bar(steps: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps);
    if let Ok(style) = ProgressStyle::with_template("  [{bar:28}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

// ANCHOR: rows
/// The Key Differences table's five rows, each cell a claim and the figures
/// that back it.
fn table_rows(f: &Figures) -> Vec<Row> {
    let micros = |stats: &Stats| format_duration(stats.median);
    let rate = |bytes_per_second: f64| format!("{}/s", format_bytes(bytes_per_second as u64));
    let times = |stats: &Stats| stats.median_secs() / f.thread_spawn.median_secs();
    let per_worker = |bytes: Option<i64>| match bytes {
        Some(bytes) if bytes >= 0 => format_bytes(bytes as u64),
        Some(_) => "below the noise".to_string(),
        None => "not measurable here".to_string(),
    };
    let verified = |ok: bool| if ok { "verified" } else { "NOT seen" };

    let memory = Row {
        feature: "Memory",
        threads: Cell::new(format!(
            "shared ({})",
            verified(f.threads_share_one_address)
        ))
        .with(format!("{} threads saw one address", f.threads_checked))
        .with(format!(
            "{} per idle thread",
            per_worker(f.idle_thread_bytes)
        )),
        processes: Cell::new(format!("separate ({})", verified(f.processes_separate)))
            .with(format!("{} children's writes unseen", f.children_checked))
            .with(format!(
                "{} per idle process",
                per_worker(f.idle_process_bytes)
            ))
            .with(format!(
                "+ {} of page tables",
                f.idle_process_page_tables
                    .map_or("unknown".to_string(), format_bytes)
            )),
    };

    let communication = Row {
        feature: "Communication",
        threads: Cell::new("shared variables, no copy")
            .with(format!(
                "{} read in place ({})",
                format_bytes(f.thread_read_in_place_bytes as u64),
                verified(f.thread_read_in_place_same_address)
            ))
            .with(format!(
                "round trip, Condvar: {}*",
                micros(&f.thread_condvar_round_trip)
            ))
            .with(format!(
                "round trip, channel: {}*",
                micros(&f.thread_channel_round_trip)
            )),
        processes: Cell::new(format!(
            "IPC copies (checksums {})",
            verified(f.transfers_verified)
        ))
        .with(format!(
            "pipe:       {}",
            rate(f.pipe_default_bytes_per_second)
        ))
        .with(format!(
            "1 MiB pipe: {}",
            rate(f.pipe_1mib_bytes_per_second)
        ))
        .with(format!("shm ring:   {}", rate(f.ring_bytes_per_second)))
        .with(format!("round trip, pipe: {}*", micros(&f.pipe_round_trip)))
        .with(format!(
            "round trip, shm spin: {}",
            micros(&f.shm_round_trip)
        )),
    };

    let creation = Row {
        feature: "Creation",
        threads: Cell::new("cheaper")
            .with(format!("spawn + join: {} (1x)", micros(&f.thread_spawn))),
        processes: Cell::new("dearer")
            .with(format!(
                "fork + exit: {} ({:.1}x)",
                micros(&f.fork_exit),
                times(&f.fork_exit)
            ))
            .with(format!(
                "fork + exec: {} ({:.1}x)",
                micros(&f.fork_exec),
                times(&f.fork_exec)
            ))
            .with(format!(
                "Command: {} ({:.1}x)",
                micros(&f.command),
                times(&f.command)
            )),
    };

    // "panic: it lived on, 3/4 results" / "crash: SIGSEGV, 0/4 results"
    let fault_line = |outcome: &fault_isolation::Outcome| {
        let kind = if outcome.fault.contains("panic") {
            "panic"
        } else {
            "crash"
        };
        let fate = match outcome.ending.and_then(|ending| ending.signal()) {
            Some(signal) => format!("{} killed it", signal.as_str()),
            None => "it lived on".to_string(),
        };
        format!(
            "{kind}: {fate}, {}/{} results",
            outcome.results_delivered, outcome.workers
        )
    };
    let (thread_faults, process_faults): (Vec<_>, Vec<_>) = f
        .faults
        .iter()
        .partition(|outcome| outcome.fault.contains("thread"));
    let mut fault_threads = Cell::new("a crash takes every thread");
    for outcome in thread_faults {
        fault_threads = fault_threads.with(fault_line(outcome));
    }
    let mut fault_processes = Cell::new("a crash stays in its process");
    for outcome in process_faults {
        fault_processes = fault_processes
            .with(format!("child {}", fault_line(outcome)))
            .with(if outcome.parent_survived {
                "the parent carried on"
            } else {
                "the parent died too"
            });
    }
    let fault_isolation = Row {
        feature: "Fault isolation",
        threads: fault_threads,
        processes: fault_processes,
    };

    let best_for = Row {
        feature: "Best for",
        threads: Cell::new("I/O-bound; in Rust, CPU too")
            .with(format!("I/O-bound speed-up: {:.1}x", f.io_threads_speedup))
            .with(format!(
                "CPU-bound speed-up: {:.1}x ({:.1} cores busy)",
                f.cpu_threads_speedup, f.cpu_threads_cores_busy
            )),
        processes: Cell::new("CPU-bound, if isolation pays")
            .with(format!(
                "I/O-bound speed-up: {:.1}x",
                f.io_processes_speedup
            ))
            .with(format!(
                "CPU-bound speed-up: {:.1}x ({:.1} cores busy)",
                f.cpu_processes_speedup, f.cpu_processes_cores_busy
            )),
    };

    vec![memory, communication, creation, fault_isolation, best_for]
}
// ANCHOR_END: rows

/// Prints the table, the limits and the machine line.
fn print_table(rows: &[Row], f: &Figures, limits: &Limits, machine: &Machine) {
    for line in render::text_table(rows).lines() {
        say!("{line}");
    }
    heading("The limits behind these figures, measured in this run");
    for line in limit_lines(f, limits) {
        say!("{line}");
    }
    heading("Verdict");
    say!("{}", machine_line(machine));
    say!("these figures are for this machine and this run; run `just compare` on yours");
    // Said only as far as this run's figures bear it out.
    let cheaper_to_start = f.thread_spawn.median < f.fork_exit.median;
    let cheaper_to_keep = matches!(
        (f.idle_thread_bytes, f.idle_process_bytes),
        (Some(thread), Some(process)) if thread < process
    );
    let cheaper = match (cheaper_to_start, cheaper_to_keep) {
        (true, true) => "threads were cheaper to start and to keep",
        (true, false) => "threads were cheaper to start (memory per worker was not clear here)",
        (false, true) => {
            "threads were cheaper to keep (this run did not show them cheaper to start)"
        }
        (false, false) => "this run did not show threads cheaper to start or to keep",
    };
    say!("{cheaper}; they share memory without copying, and share a fate;");
    say!(
        "processes pay for their separate memory, and buy with it a crash that stays where it happened"
    );
}

/// Each IPC figure beside the limit that bounds it.
fn limit_lines(f: &Figures, limits: &Limits) -> Vec<String> {
    let same_work = limits.same_work_bytes_per_second;
    let share = |bytes_per_second: f64| 100.0 * bytes_per_second / same_work.max(1.0);
    let spin = f.shm_round_trip.median_secs();
    let of_spin = |stats: &Stats| 100.0 * spin / stats.median_secs().max(1e-12);
    vec![
        format!(
            "the ring's work in one process (copy in, copy out, checksum): {}/s, no IPC",
            format_bytes(same_work as u64)
        ),
        format!(
            "  pipe {:.0}% of it, 1 MiB pipe {:.0}%, shared-memory ring {:.0}%",
            share(f.pipe_default_bytes_per_second),
            share(f.pipe_1mib_bytes_per_second),
            share(f.ring_bytes_per_second)
        ),
        // A cause is offered only when a figure calls for one.
        if [
            f.pipe_default_bytes_per_second,
            f.pipe_1mib_bytes_per_second,
            f.ring_bytes_per_second,
        ]
        .into_iter()
        .any(|rate| share(rate) > 100.0)
        {
            "  (two processes on two CPUs can split that work, and so pass it)"
        } else {
            "  (no transport passed it in this run)"
        }
        .to_string(),
        format!(
            "a cache line passed by spinning: {} per round trip, the fastest hand-off there is;",
            format_duration(f.shm_round_trip.median)
        ),
        format!(
            "  blocking hand-offs sleep instead: Condvar {} ({:.1}% of that speed), pipe {} ({:.1}%)",
            format_duration(f.thread_condvar_round_trip.median),
            of_spin(&f.thread_condvar_round_trip),
            format_duration(f.pipe_round_trip.median),
            of_spin(&f.pipe_round_trip)
        ),
        "* on one CPU, for threads and processes alike: two context switches per round trip."
            .to_string(),
        format!(
            "  With the two sides on two CPUs the pipe took {}: the rest is waking the other CPU",
            format_duration(limits.two_cpu_round_trip.median)
        ),
    ]
}

/// `2 cores seen · Linux 6.1.0 · Intel Xeon … (virtual machine)`
fn machine_line(machine: &Machine) -> String {
    format!(
        "machine: {} cores seen, Linux {}, {}{}",
        machine.cores,
        machine.kernel,
        machine.cpu,
        if machine.virtual_machine {
            " (a virtual machine)"
        } else {
            ""
        }
    )
}

/// Reads what this machine is from `/proc`.
fn this_machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_string())
    };
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|text| text.trim().to_string())
            .unwrap_or_else(|_| "unknown".to_string()),
        cpu: field("model name").unwrap_or_else(|| "unknown CPU".to_string()),
        virtual_machine: field("flags").is_some_and(|flags| flags.contains("hypervisor")),
    }
}

/// `target/key-differences/`: beside the binary's profile directory
/// (`target/release/key-differences` → `target/key-differences`).
fn default_out_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("current_exe")?;
    let mut dir = exe.parent().unwrap_or(Path::new(".")).to_path_buf();
    if dir.ends_with("deps") {
        dir.pop(); // a test binary lives in target/<profile>/deps
    }
    dir.pop(); // leave the profile directory: target/release → target
    Ok(dir.join("key-differences"))
}

/// The Markdown file: the machine, the table, the limits.
fn markdown_file(rows: &[Row], f: &Figures, limits: &Limits, machine: &Machine) -> String {
    let mut out = String::from("# Threads vs processes, measured\n\n");
    out.push_str(&format!("{}\n\n", machine_line(machine)));
    out.push_str(&render::markdown_table(rows));
    out.push_str("\n## Limits, measured in the same run\n\n```text\n");
    for line in limit_lines(f, limits) {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str("```\n");
    out.push_str("\nThese figures are for this machine and this run.\n");
    out
}

/// The chart's panels: creation cost, IPC throughput and round trips.
fn chart_panels(f: &Figures, limits: &Limits) -> Vec<Panel> {
    let micros = |stats: &Stats| stats.median_secs() * 1e6;
    let gibs = |bytes_per_second: f64| bytes_per_second / (1u64 << 30) as f64;
    vec![
        Panel {
            title: "Creation: start and finish one worker".into(),
            unit: "µs".into(),
            bars: vec![
                Bar::new("thread", micros(&f.thread_spawn)),
                Bar::new("fork", micros(&f.fork_exit)),
                Bar::new("fork+exec", micros(&f.fork_exec)),
                Bar::new("Command", micros(&f.command)),
            ],
        },
        Panel {
            title: "Communication: bulk data between processes".into(),
            unit: "GiB/s".into(),
            bars: vec![
                Bar::new("pipe", gibs(f.pipe_default_bytes_per_second)),
                Bar::new("1 MiB pipe", gibs(f.pipe_1mib_bytes_per_second)),
                Bar::new("shm ring", gibs(f.ring_bytes_per_second)),
                Bar::new("one process", gibs(limits.same_work_bytes_per_second)),
            ],
        },
        Panel {
            title: "Communication: one round trip".into(),
            unit: "µs".into(),
            bars: vec![
                Bar::new("Condvar, 1 CPU", micros(&f.thread_condvar_round_trip)),
                Bar::new("pipe, 1 CPU", micros(&f.pipe_round_trip)),
                Bar::new("pipe, 2 CPUs", micros(&limits.two_cpu_round_trip)),
                Bar::new("shm spin", micros(&f.shm_round_trip)),
            ],
        },
    ]
}
