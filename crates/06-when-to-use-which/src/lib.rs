//! # Lesson 06: when to use which — waiting work and computing work, measured
//!
//! Work that mostly *waits* (for a disk, a network peer, another process)
//! goes faster with more workers because their waits overlap: a worker
//! blocked in `read(2)` is off the CPU, so K of them wait at the same time.
//! Work that *computes* goes faster only while there are idle cores to
//! run more workers on. In Rust both threads and processes run truly in
//! parallel: there is no global interpreter lock, so the choice between them
//! is not about the kind of work.
//!
//! The Key Differences table's **Best For** row and the "When to use
//! which?" advice after it say threads for I/O-bound work and processes for
//! CPU-bound work.
//! This lesson measures both workloads in both ways (and one after another,
//! as the baseline) and shows where that advice comes from.
//!
//! Run it: `just demo-workloads` (options `--tasks`, `--wait-ms`,
//! `--workers`, `--size`; `--help` says what each is).
//!
//! What to look for:
//! 1. I/O-bound: K tasks each wait for a slow service's answer. One after
//!    another they take about K waits; on K threads or K processes about one
//!    wait, and the CPU time used stays tiny: the tasks were waiting, not
//!    running.
//! 2. CPU-bound: counting primes, split into W parts (one per core by
//!    default). All three modes print the same count. The "cores busy"
//!    column (CPU time / wall time) shows threads and processes alike using
//!    more than one core, as far as other programs leave cores free.
//! 3. Oversubscription: 1, 2, 4, 8, 16 threads on the same job. Look for
//!    where more threads stop making it faster, next to the core count.
//! 4. The verdict, with this run's figures: in Rust, choose threads or
//!    processes by isolation, memory and start-up cost.
//!
//! Next: lesson 07 (`crates/07-key-differences`) puts every lesson's
//! figures into the Key Differences table.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::role::Role;
use support::timing::format_duration;
use support::{ChildGuard, Ending, heading, say};

/// This lesson starts no role: its processes are forked, not re-executed.
pub const ROLES: &[Role] = &[];

/// Bounds of the options (the command line refuses anything outside them).
/// A task's number travels as one byte, so there are at most 256 tasks.
pub const MAX_TASKS: u64 = 64;
pub const MAX_WAIT_MS: u64 = 1_000;
pub const MAX_WORKERS: u64 = 64;
/// Counting the primes below 20 million takes seconds per run already.
pub const MAX_SIZE: u64 = 20_000_000;

/// The thread counts of the oversubscription run.
pub const THREAD_COUNTS: [usize; 5] = [1, 2, 4, 8, 16];

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// I/O-bound: how many tasks, each waiting for one answer.
    pub tasks: u64,
    /// I/O-bound: how long the service takes to answer each request.
    pub wait: Duration,
    /// CPU-bound: how many parts (threads, processes) the job is split into.
    pub workers: u64,
    /// CPU-bound: count the primes below this number.
    pub size: u64,
    /// CPU-bound: runs of each mode; the median is reported.
    pub repeats: u64,
}

impl Default for Options {
    /// The demo's defaults: about two seconds in a release build.
    fn default() -> Self {
        Options {
            tasks: 8,
            wait: Duration::from_millis(40),
            workers: (cores() as u64).clamp(1, MAX_WORKERS),
            size: 1_200_000,
            repeats: 3,
        }
    }
}

impl Options {
    /// Small sizes, for the key-differences table and the tests: a few
    /// hundred milliseconds in all.
    pub fn quick() -> Self {
        Options {
            tasks: 4,
            wait: Duration::from_millis(20),
            workers: 2,
            size: 200_000,
            repeats: 1,
        }
    }
}

/// Everything the lesson measured, for the tests and the key-differences
/// table.
#[derive(Debug, Clone)]
pub struct Report {
    /// The cores this process may run on (`available_parallelism`).
    pub cores: usize,
    /// Part 1: K tasks that wait.
    pub io: Workload,
    /// Part 2: one computation in W parts.
    pub cpu: Workload,
    /// Part 3: the computation on 1, 2, 4, 8 and 16 threads.
    pub oversubscription: Vec<ThreadCount>,
    /// The smallest thread count that came within 10% of the best time.
    pub enough_threads: usize,
    /// Processes this lesson forked (the service, the tasks, the workers).
    pub children_forked: usize,
    /// Of those, how many it reaped with `waitpid`, each having exited 0.
    pub children_reaped: usize,
    /// After the lesson, none of the processes it forked was still its
    /// child, not even a zombie (`waitid` on each pid said `ECHILD`).
    pub no_children_left: bool,
}

/// One workload run three ways.
#[derive(Debug, Clone)]
pub struct Workload {
    /// How many tasks (I/O-bound) or parts (CPU-bound).
    pub parts: usize,
    /// One after another, on the main thread.
    pub serial: Timed,
    /// One thread per task or part.
    pub threads: Timed,
    /// One forked process per task or part.
    pub processes: Timed,
}

impl Workload {
    /// The three modes with their names, in the order they ran.
    pub fn modes(&self) -> [(&'static str, &Timed); 3] {
        [
            ("serial", &self.serial),
            ("threads", &self.threads),
            ("processes", &self.processes),
        ]
    }

    /// Whether every mode computed the same answer.
    pub fn answers_agree(&self) -> bool {
        self.threads.answer == self.serial.answer && self.processes.answer == self.serial.answer
    }
}

/// One mode of one workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    /// Wall-clock time, start to finish (the median run).
    pub wall: Duration,
    /// CPU time spent meanwhile by this process's threads and its reaped
    /// children, user plus system (`getrusage`).
    pub cpu_time: Duration,
    /// The serial wall time divided by this one (1.0 for serial).
    pub speedup: f64,
    /// CPU time over wall time: how many cores worked for it, on average.
    pub cores_busy: f64,
    /// What the mode computed: the number of primes, or for the I/O tasks
    /// the sum of the answers they received.
    pub answer: u64,
}

/// One row of the oversubscription run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreadCount {
    pub threads: usize,
    pub wall: Duration,
    /// The one-thread wall time divided by this one.
    pub speedup: f64,
    /// CPU time over wall time: how many cores worked for it, on average.
    pub cores_busy: f64,
    pub answer: u64,
}

/// Runs the lesson: prints the story and returns what it measured.
pub fn run(options: &Options) -> Result<Report> {
    let cores = cores();
    let mut children = Children::default();

    heading("1. I/O-bound: tasks that mostly wait");
    let io = io_bound(options, &mut children)?;

    heading("2. CPU-bound: one computation in parts");
    let cpu = cpu_bound(options, cores, &mut children)?;

    heading("3. Oversubscription: more threads than cores");
    let (oversubscription, enough_threads) = oversubscribe(options, cores)?;

    heading("4. Verdict: when to use which, in Rust");
    verdict(&io, &cpu, cores, enough_threads);

    let no_children_left = children.none_left();
    say!(
        "forked {} processes, reaped {}; children left: {}",
        children.forked,
        children.reaped,
        if no_children_left { "none" } else { "some!" }
    );
    Ok(Report {
        cores,
        io,
        cpu,
        oversubscription,
        enough_threads,
        children_forked: children.forked,
        children_reaped: children.reaped,
        no_children_left,
    })
}

/// The cores this process may use: the affinity mask and cgroup quota
/// count, not only the hardware.
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

// ---------------------------------------------------------------------------
// Part 1: I/O-bound
// ---------------------------------------------------------------------------

fn io_bound(options: &Options, children: &mut Children) -> Result<Workload> {
    let tasks = options.tasks as usize;
    let wait = options.wait;
    say!(
        "{tasks} tasks; each sends one request to a slow service and blocks in read(2) until the answer comes, {} later",
        format_duration(wait)
    );
    say!(
        "(a pipe, not a sleep: a task blocked in read(2) on a pipe waits the way it would on a socket)"
    );
    let service = SlowService::start(tasks, wait, children)?;

    let serial = measure_once(|| io_serial(&service))?;
    print_mode("serial", &serial, &serial);
    let threads = measure_once(|| io_threads(&service))?;
    print_mode("threads", &threads, &serial);
    // Once, before the clock starts (it also waits for the task threads just
    // joined to be gone): nothing starts a thread between the forks below.
    prepare_to_fork()?;
    let processes = measure_once(|| io_processes(&service, children))?;
    print_mode("processes", &processes, &serial);

    service.stop(children)?;
    let workload = Workload {
        parts: tasks,
        serial: serial.with_speedup(&serial),
        threads: threads.with_speedup(&serial),
        processes: processes.with_speedup(&serial),
    };
    check_agreement("the I/O tasks' answers", &workload)?;
    say!(
        "waiting overlaps on threads and on processes alike: {} and {} of CPU time for {} of waiting",
        format_duration(workload.threads.cpu_time),
        format_duration(workload.processes.cpu_time),
        format_duration(wait * tasks as u32)
    );
    Ok(workload)
}

// ANCHOR: service
/// A stand-in for a slow remote service: a child process that answers each
/// request `wait` after it arrived, the way a server across a network would.
/// The requests share one pipe; each task has a pipe of its own for the
/// answer.
struct SlowService {
    /// Write end: a task writes its number here to ask.
    requests: File,
    /// Read ends, one per task: a task blocks here until its answer comes.
    answers: Vec<File>,
    process: ChildGuard,
}

impl SlowService {
    fn start(tasks: usize, wait: Duration, children: &mut Children) -> Result<SlowService> {
        // pipe(2): one for the requests, then one per task for its answer.
        let (requests_read, requests_write) = pipe().context("pipe(2)")?;
        let mut answer_reads = Vec::with_capacity(tasks);
        let mut answer_writes = Vec::with_capacity(tasks);
        for _ in 0..tasks {
            let (read_end, write_end) = pipe().context("pipe(2)")?;
            answer_reads.push(read_end);
            answer_writes.push(write_end);
        }
        prepare_to_fork()?;
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => {
                // Close the parent's ends in here: while the service held a
                // write end of its own request pipe, it would never see EOF.
                drop(requests_write);
                drop(answer_reads);
                run_child(|| serve(requests_read, answer_writes, wait))
            }
            ForkResult::Parent { child } => {
                children.add(child);
                // And the service's ends in the parent, for the same reason:
                // if the service dies, a waiting task then reads EOF instead
                // of waiting for ever.
                drop(requests_read);
                drop(answer_writes);
                Ok(SlowService {
                    requests: File::from(requests_write),
                    answers: answer_reads.into_iter().map(File::from).collect(),
                    process: ChildGuard::new(child),
                })
            }
        }
    }

    /// One task's whole job: ask, then wait for the answer.
    fn ask(&self, task: usize) -> Result<u64> {
        // write(2) of one byte: writes of up to PIPE_BUF bytes are atomic,
        // so tasks asking at the same moment never mix their requests.
        (&self.requests)
            .write_all(&[task as u8])
            .context("write(2) of a request")?;
        let mut answer = [0u8; 8];
        // read(2) blocks: the kernel takes this task off the CPU until the
        // service writes into this task's pipe.
        (&self.answers[task])
            .read_exact(&mut answer)
            .map_err(|error| match error.kind() {
                // EOF: every write end is closed, so the service is gone.
                std::io::ErrorKind::UnexpectedEof => {
                    Error::msg(format!("the service ended without answering task {task}"))
                }
                _ => Error::msg(format!("read(2) of an answer failed: {error}")),
            })?;
        let answer = u64::from_le_bytes(answer);
        if answer != expected_answer(task) {
            return Err(Error::msg(format!(
                "task {task} got answer {answer}, expected {}",
                expected_answer(task)
            )));
        }
        Ok(answer)
    }

    /// Closes the request pipe: the service reads EOF and exits; reap it.
    fn stop(self, children: &mut Children) -> Result<()> {
        let SlowService {
            requests,
            answers,
            process,
        } = self;
        drop(requests);
        drop(answers);
        children.reap(process, "the service")
    }
}

/// What the service answers task `task`: a value the task can check.
fn expected_answer(task: usize) -> u64 {
    (task as u64 + 1) * 1_000_003
}

/// The service's loop: note when each request arrived, answer it `wait`
/// later, until the request pipe reports end-of-file and nothing is due.
fn serve(requests: OwnedFd, answers: Vec<OwnedFd>, wait: Duration) -> Result<()> {
    let mut requests = File::from(requests);
    let answers: Vec<File> = answers.into_iter().map(File::from).collect();
    let mut due: VecDeque<(Instant, usize)> = VecDeque::new();
    let mut requests_open = true;
    loop {
        // Answer every request whose time has come.
        while let Some(&(when, task)) = due.front() {
            if when > Instant::now() {
                break;
            }
            due.pop_front();
            (&answers[task])
                .write_all(&expected_answer(task).to_le_bytes())
                .context("write(2) of an answer")?;
        }
        let next = due.front().map(|&(when, _)| when);
        if !requests_open {
            match next {
                None => return Ok(()),
                Some(when) => thread::sleep(when.saturating_duration_since(Instant::now())),
            }
            continue;
        }
        // poll(2): sleep until a request arrives or the next answer is due
        // (rounded up to a whole millisecond, poll's unit).
        let timeout = match next {
            None => PollTimeout::NONE,
            Some(when) => {
                let millis = when
                    .saturating_duration_since(Instant::now())
                    .as_micros()
                    .div_ceil(1000);
                PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)
            }
        };
        let mut watched = [PollFd::new(requests.as_fd(), PollFlags::POLLIN)];
        match poll(&mut watched, timeout) {
            Ok(0) | Err(Errno::EINTR) => continue,
            Ok(_) => {}
            Err(error) => return Err(error).context("poll(2)"),
        }
        let mut bytes = [0u8; 64];
        let count = requests.read(&mut bytes).context("read(2) of requests")?;
        let arrived = Instant::now();
        if count == 0 {
            requests_open = false; // every writer closed its end: EOF
        }
        for &task in &bytes[..count] {
            due.push_back((arrived + wait, task as usize));
        }
    }
}
// ANCHOR_END: service

// ANCHOR: io_modes
/// Serial: the main thread does one task after another, so the waits add up.
fn io_serial(service: &SlowService) -> Result<u64> {
    let mut sum = 0;
    for task in 0..service.answers.len() {
        sum += service.ask(task)?;
    }
    Ok(sum)
}

/// One thread per task: each blocks in its own read(2), all at once.
fn io_threads(service: &SlowService) -> Result<u64> {
    thread::scope(|scope| {
        let mut handles = Vec::new();
        for task in 0..service.answers.len() {
            let handle = thread::Builder::new()
                .name(format!("task-{task}"))
                .spawn_scoped(scope, move || {
                    let started = Instant::now();
                    let answer = service.ask(task)?;
                    say!(
                        "task {task}: answer after {}",
                        format_duration(started.elapsed())
                    );
                    Ok(answer)
                })
                .context("spawning a thread")?;
            handles.push(handle);
        }
        join_all(handles)
    })
    // Leaving the scope joined every thread: single-threaded again.
}

/// One forked process per task: each blocks in read(2) in its own process,
/// then sends its answer back to the parent through a pipe. The caller has
/// called `prepare_to_fork` (see `fork_worker`).
fn io_processes(service: &SlowService, children: &mut Children) -> Result<u64> {
    // pipe(2): every task process writes its result here.
    let (results_read, results_write) = pipe().context("pipe(2)")?;
    let results_write = File::from(results_write);
    let mut workers = Vec::new();
    for task in 0..service.answers.len() {
        workers.push(fork_worker(children, || {
            let started = Instant::now();
            let answer = service.ask(task)?;
            say!(
                "task {task}: answer after {}",
                format_duration(started.elapsed())
            );
            send_result(&results_write, task, answer)
        })?);
    }
    // Drop our write end, or we would never read EOF if a child died.
    drop(results_write);
    let answers = receive_results(results_read, workers.len())?;
    for worker in workers {
        children.reap(worker, "a task process")?;
    }
    Ok(answers.iter().sum())
}
// ANCHOR_END: io_modes

// ---------------------------------------------------------------------------
// Part 2: CPU-bound
// ---------------------------------------------------------------------------

fn cpu_bound(options: &Options, cores: usize, children: &mut Children) -> Result<Workload> {
    let size = options.size;
    let parts = options.workers as usize;
    let repeats = options.repeats as usize;
    say!(
        "count the primes below {size} by trial division, in {}; this process may use {}",
        counted(parts, "part"),
        counted(cores, "core")
    );
    say!("(each mode runs {repeats} times; the median run is shown)");

    let serial = measure_median(repeats, |_| Ok(count_primes(size, 0, 1)))?;
    print_mode("serial", &serial, &serial);
    let threads = measure_median(repeats, |speak| cpu_threads(size, parts, speak))?;
    print_mode("threads", &threads, &serial);
    // Once, before every repeat's clock starts: the repeats only fork.
    prepare_to_fork()?;
    let processes = measure_median(repeats, |speak| cpu_processes(size, parts, speak, children))?;
    print_mode("processes", &processes, &serial);

    let workload = Workload {
        parts,
        serial: serial.with_speedup(&serial),
        threads: threads.with_speedup(&serial),
        processes: processes.with_speedup(&serial),
    };
    check_agreement("the prime counts", &workload)?;
    say!(
        "every mode found {} primes below {size}",
        workload.serial.answer
    );
    if workload.serial.cores_busy < 0.8 {
        // The serial run wants one whole core; it got less.
        say!(
            "note: the serial run got only {:.2} of a core: other programs were busy on this machine,",
            workload.serial.cores_busy
        );
        say!("      so this run's speed-ups are rough; run it again on a quieter machine");
    }
    Ok(workload)
}

// ANCHOR: job
/// The job: how many primes are below `below`, counting only this part's
/// share of the numbers. Numbers get dearer to test as they grow, so
/// instead of cutting the range into `parts` slices (the last would take
/// longest), blocks of numbers are dealt out in turn, like cards.
pub fn count_primes(below: u64, part: usize, parts: usize) -> u64 {
    const BLOCK: u64 = 4096;
    let mut count = 0;
    let mut start = part as u64 * BLOCK;
    while start < below {
        let end = (start + BLOCK).min(below);
        count += (start..end).filter(|&number| is_prime(number)).count() as u64;
        start += parts as u64 * BLOCK;
    }
    count
}

/// Trial division: pure arithmetic, no memory traffic, no system calls.
fn is_prime(number: u64) -> bool {
    if number < 2 {
        return false;
    }
    if number % 2 == 0 {
        return number == 2;
    }
    let mut divisor = 3;
    while divisor * divisor <= number {
        if number % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}
// ANCHOR_END: job

// ANCHOR: cpu_modes
/// One thread per part; the parts' counts are added up.
fn cpu_threads(size: u64, parts: usize, speak: bool) -> Result<u64> {
    thread::scope(|scope| {
        let mut handles = Vec::new();
        for part in 0..parts {
            let handle = thread::Builder::new()
                .name(format!("worker-{part}"))
                .spawn_scoped(scope, move || {
                    let primes = count_primes(size, part, parts);
                    if speak {
                        say!("part {part} of {parts}: {primes} primes");
                    }
                    Ok(primes)
                })
                .context("spawning a thread")?;
            handles.push(handle);
        }
        join_all(handles)
    })
}

/// One forked process per part; each sends its count through a pipe. The
/// caller has called `prepare_to_fork` (see `fork_worker`).
fn cpu_processes(size: u64, parts: usize, speak: bool, children: &mut Children) -> Result<u64> {
    // pipe(2): the only way back from a process with memory of its own.
    let (results_read, results_write) = pipe().context("pipe(2)")?;
    let results_write = File::from(results_write);
    let mut workers = Vec::new();
    for part in 0..parts {
        workers.push(fork_worker(children, || {
            let primes = count_primes(size, part, parts);
            if speak {
                say!("part {part} of {parts}: {primes} primes");
            }
            send_result(&results_write, part, primes)
        })?);
    }
    drop(results_write); // ours, so that a dead child means EOF, not a hang
    let counts = receive_results(results_read, workers.len())?;
    for worker in workers {
        children.reap(worker, "a worker process")?;
    }
    Ok(counts.iter().sum())
}
// ANCHOR_END: cpu_modes

// ---------------------------------------------------------------------------
// Part 3: oversubscription
// ---------------------------------------------------------------------------

// ANCHOR: oversubscribe
fn oversubscribe(options: &Options, cores: usize) -> Result<(Vec<ThreadCount>, usize)> {
    let size = options.size;
    say!(
        "the same job on more and more threads ({} here):",
        counted(cores, "core")
    );
    say!("threads       wall  cores busy  speed-up over one thread");
    let mut rows: Vec<ThreadCount> = Vec::new();
    for threads in THREAD_COUNTS {
        let measured = measure_median(options.repeats as usize, |_| {
            cpu_threads(size, threads, false)
        })?;
        let one_thread = rows.first().map_or(measured.wall, |row| row.wall);
        let row = ThreadCount {
            threads,
            wall: measured.wall,
            speedup: one_thread.as_secs_f64() / measured.wall.as_secs_f64(),
            cores_busy: measured.cores_busy(),
            answer: measured.answer,
        };
        say!(
            "{:>7}  {:>9}  {:>10.2}  {:>5.2}×{}",
            row.threads,
            format_duration(row.wall),
            row.cores_busy,
            row.speedup,
            if row.threads == cores {
                "   <- the core count"
            } else {
                ""
            }
        );
        if let Some(first) = rows.first() {
            if row.answer != first.answer {
                return Err(Error::msg(format!(
                    "{} threads counted {} primes, one thread {}",
                    row.threads, row.answer, first.answer
                )));
            }
        }
        rows.push(row);
    }
    // Where adding threads stopped helping: the fewest threads that came
    // within 10% of the best time.
    let best = rows.iter().map(|row| row.wall).min().unwrap_or_default();
    let enough = rows
        .iter()
        .find(|row| row.wall.as_secs_f64() <= best.as_secs_f64() * 1.1)
        .map_or(1, |row| row.threads);
    say!(
        "from {} on, more threads did not make it faster (within 10% of the best, {}); this process has {}",
        counted(enough, "thread"),
        format_duration(best),
        counted(cores, "core")
    );
    say!("past the cores, threads only take turns: the work is the same, the CPUs are not more");
    let most_busy = rows.iter().map(|row| row.cores_busy).fold(0.0, f64::max);
    if most_busy < 0.8 * cores.min(THREAD_COUNTS[THREAD_COUNTS.len() - 1]) as f64 {
        say!(
            "note: at most {most_busy:.2} cores ever worked for this job, of {cores}: other programs were busy"
        );
        say!("      here, so where the gains stop is blurred in this run");
    }
    Ok((rows, enough))
}
// ANCHOR_END: oversubscribe

// ---------------------------------------------------------------------------
// Part 4: the verdict
// ---------------------------------------------------------------------------

// ANCHOR: verdict
fn verdict(io: &Workload, cpu: &Workload, cores: usize, enough_threads: usize) {
    say!(
        "I/O-bound, {} tasks: threads {:.1}×, processes {:.1}× faster than one after another",
        io.parts,
        io.threads.speedup,
        io.processes.speedup
    );
    say!(
        "  starting and running the workers cost CPU time: threads {}, processes {}",
        format_duration(io.threads.cpu_time),
        format_duration(io.processes.cpu_time)
    );
    if io.processes.wall > io.threads.wall {
        say!(
            "  the waits overlap either way; processes took {} longer in all: starting {} of them",
            format_duration(io.processes.wall - io.threads.wall),
            io.parts
        );
    } else {
        say!(
            "  the waits overlap either way; processes were not slower here ({} sooner):",
            format_duration(io.threads.wall - io.processes.wall)
        );
        say!("  their start-up is small next to the wait, and smaller than this machine's noise");
    }
    say!(
        "CPU-bound, {} on {}: threads {:.2}×, processes {:.2}×; no gain past {}",
        counted(cpu.parts, "part"),
        counted(cores, "core"),
        cpu.threads.speedup,
        cpu.processes.speedup,
        counted(enough_threads, "thread")
    );
    if cores == 1 {
        say!(
            "  with one core, nothing here can compute in parallel, neither threads nor processes"
        );
    } else if cpu.threads.cores_busy >= 1.2 {
        say!(
            "  the threads kept {:.2} cores busy at once (the processes {:.2}): Rust threads compute",
            cpu.threads.cores_busy,
            cpu.processes.cores_busy
        );
        say!("  in parallel, with no global interpreter lock to take turns at");
    } else {
        say!(
            "  this run could not show it: the threads kept only {:.2} cores busy, other programs had",
            cpu.threads.cores_busy
        );
        say!(
            "  the rest; but nothing in Rust makes threads take turns: there is no global interpreter lock"
        );
    }
    say!("The Key Differences table says threads for I/O, processes for CPU.");
    say!("That advice comes from runtimes like CPython, whose");
    say!("  global interpreter lock (GIL) lets one thread at a time run Python");
    say!("  code, so there only processes use more cores.");
    say!("In Rust both scale on both kinds of work: choose by isolation (lesson 04: a crash stays");
    say!(
        "  in its process), memory (shared, or separate and copied) and start-up cost (lesson 05)."
    );
}

// ANCHOR_END: verdict

// ---------------------------------------------------------------------------
// The plumbing of this lesson: fork a worker, send and receive results,
// reap, time.
// ---------------------------------------------------------------------------

// ANCHOR: fork_worker
/// Runs `work` in a new process, as `thread::spawn` runs it on a new
/// thread: fork(2), do the work in the child, `_exit`. The child gets a
/// copy of everything `work` refers to; it changes nothing in the parent.
///
/// Its callers call `prepare_to_fork` once before a batch of forks, outside
/// the timed part, and start no thread until the batch is done.
fn fork_worker(children: &mut Children, work: impl FnOnce() -> Result<()>) -> Result<ChildGuard> {
    // SAFETY: prepare_to_fork checked before this batch of forks that this
    // process has one thread, and nothing since has started one (see
    // io_bound and cpu_bound), so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        // run_child: do the work, print an error once, then _exit; never
        // return into the parent's code, not even by a panic.
        ForkResult::Child => run_child(work),
        ForkResult::Parent { child } => {
            children.add(child);
            Ok(ChildGuard::new(child))
        }
    }
}
// ANCHOR_END: fork_worker

/// A child's result: its part number and its value, 16 bytes in one
/// write(2). Up to PIPE_BUF bytes a pipe write is atomic, so results from
/// children writing at once never interleave.
fn send_result(results: &File, part: usize, value: u64) -> Result<()> {
    let mut record = [0u8; 16];
    record[..8].copy_from_slice(&(part as u64).to_le_bytes());
    record[8..].copy_from_slice(&value.to_le_bytes());
    let written = nix::unistd::write(results, &record).context("write(2) of a result")?;
    if written != record.len() {
        return Err(Error::msg(format!(
            "short write(2) of a result: {written} of 16 bytes"
        )));
    }
    Ok(())
}

/// Reads one result from each of `count` children, in part order.
fn receive_results(results: OwnedFd, count: usize) -> Result<Vec<u64>> {
    let mut results = File::from(results);
    let mut values = vec![None; count];
    for _ in 0..count {
        let mut record = [0u8; 16];
        // read_exact loops over short reads; EOF here means every child has
        // closed its end and one of them never sent its result.
        results.read_exact(&mut record).map_err(|error| {
            if error.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::msg("a child process ended without sending its result")
            } else {
                Error::msg(format!("read(2) of a result failed: {error}"))
            }
        })?;
        let part = u64::from_le_bytes(record[..8].try_into().unwrap_or_default()) as usize;
        let value = u64::from_le_bytes(record[8..].try_into().unwrap_or_default());
        match values.get_mut(part) {
            Some(slot @ None) => *slot = Some(value),
            _ => return Err(Error::msg(format!("unexpected result for part {part}"))),
        }
    }
    Ok(values.into_iter().flatten().collect())
}

/// Joins every thread; the first error or panic is returned.
fn join_all(handles: Vec<thread::ScopedJoinHandle<'_, Result<u64>>>) -> Result<u64> {
    let mut sum = 0;
    for handle in handles {
        sum += handle
            .join()
            .map_err(|_| Error::msg("a worker thread panicked"))??;
    }
    Ok(sum)
}

/// The children this lesson forked and reaped, counted.
#[derive(Debug, Default)]
struct Children {
    forked: usize,
    reaped: usize,
    pids: Vec<Pid>,
}

impl Children {
    fn add(&mut self, pid: Pid) {
        self.forked += 1;
        self.pids.push(pid);
    }

    /// Whether every process this lesson forked is gone, not even left as
    /// a zombie: `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)` on each
    /// says `ECHILD`, "not a child of yours". WNOWAIT looks without reaping.
    fn none_left(&self) -> bool {
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        self.pids
            .iter()
            .all(|&pid| waitid(Id::Pid(pid), flags) == Err(Errno::ECHILD))
    }

    /// waitpid(2) for one child; it must have exited with code 0.
    fn reap(&mut self, child: ChildGuard, what: &str) -> Result<()> {
        let ending = child.wait().context(format!("waitpid(2) for {what}"))?;
        if ending != Ending::Exited(0) {
            return Err(Error::msg(format!("{what} {ending}")));
        }
        self.reaped += 1;
        Ok(())
    }
}

/// One run's figures, before the speed-up is known.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: Duration,
    cpu_time: Duration,
    answer: u64,
}

impl Measured {
    fn cores_busy(&self) -> f64 {
        self.cpu_time.as_secs_f64() / self.wall.as_secs_f64()
    }

    fn with_speedup(&self, serial: &Measured) -> Timed {
        Timed {
            wall: self.wall,
            cpu_time: self.cpu_time,
            speedup: serial.wall.as_secs_f64() / self.wall.as_secs_f64(),
            cores_busy: self.cores_busy(),
            answer: self.answer,
        }
    }
}

/// Runs `job` once, timing it by the wall clock and by CPU time used.
fn measure_once(job: impl FnOnce() -> Result<u64>) -> Result<Measured> {
    let cpu_before = cpu_time_used()?;
    let started = Instant::now();
    let answer = job()?;
    let wall = started.elapsed();
    let cpu_time = cpu_time_used()?.saturating_sub(cpu_before);
    Ok(Measured {
        wall,
        cpu_time,
        answer,
    })
}

/// Runs `job` `repeats` times and keeps the median run; every run must give
/// the same answer. `job` is told whether this is the first run (the one
/// whose workers speak).
fn measure_median(repeats: usize, mut job: impl FnMut(bool) -> Result<u64>) -> Result<Measured> {
    let mut runs = Vec::with_capacity(repeats.max(1));
    for repeat in 0..repeats.max(1) {
        let run = measure_once(|| job(repeat == 0))?;
        if let Some(first) = runs.first().map(|first: &Measured| first.answer) {
            if run.answer != first {
                return Err(Error::msg(format!(
                    "the same job gave {} and then {}",
                    first, run.answer
                )));
            }
        }
        runs.push(run);
    }
    runs.sort_by_key(|run| run.wall);
    Ok(runs[runs.len() / 2])
}

/// CPU time used so far by this process's threads and its reaped children,
/// user plus system (getrusage(2)).
fn cpu_time_used() -> Result<Duration> {
    let mut total = Duration::ZERO;
    for who in [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN] {
        let usage = getrusage(who).context("getrusage(2)")?;
        for time in [usage.user_time(), usage.system_time()] {
            total += Duration::from_secs(time.tv_sec() as u64)
                + Duration::from_micros(time.tv_usec() as u64);
        }
    }
    Ok(total)
}

/// One line of a mode table. "Cores busy" is CPU time over wall time: how
/// many CPUs were working for this job, on average, while it ran.
fn print_mode(mode: &str, measured: &Measured, serial: &Measured) {
    say!(
        "{mode:<9}  wall {:>9}  CPU time {:>9}  cores busy {:>4.2}  speed-up {:>5.2}×  answer {}",
        format_duration(measured.wall),
        format_duration(measured.cpu_time),
        measured.cores_busy(),
        serial.wall.as_secs_f64() / measured.wall.as_secs_f64(),
        measured.answer
    );
}

/// `1 core`, `2 cores`.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The three modes must have computed the same thing.
fn check_agreement(what: &str, workload: &Workload) -> Result<()> {
    if workload.answers_agree() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "{what} disagree: serial {}, threads {}, processes {}",
        workload.serial.answer, workload.threads.answer, workload.processes.answer
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_prime_counts_are_right() {
        for (below, primes) in [
            (0, 0),
            (2, 0),
            (3, 1),
            (100, 25),
            (1_000, 168),
            (100_000, 9_592),
        ] {
            assert_eq!(count_primes(below, 0, 1), primes, "primes below {below}");
        }
    }

    #[test]
    fn every_split_adds_up_to_the_whole() {
        let whole = count_primes(100_000, 0, 1);
        for parts in 1..=9 {
            let sum: u64 = (0..parts)
                .map(|part| count_primes(100_000, part, parts))
                .sum();
            assert_eq!(sum, whole, "{parts} parts");
        }
    }

    #[test]
    fn results_come_back_in_part_order() {
        let (read_end, write_end) = pipe().unwrap();
        let write_end = File::from(write_end);
        send_result(&write_end, 1, 22).unwrap();
        send_result(&write_end, 0, 11).unwrap();
        assert_eq!(receive_results(read_end, 2).unwrap(), [11, 22]);
    }

    #[test]
    fn a_child_that_never_reports_is_an_error_not_a_hang() {
        let (read_end, write_end) = pipe().unwrap();
        let write_end = File::from(write_end);
        send_result(&write_end, 0, 11).unwrap();
        drop(write_end); // the other "child" closed its end without a word
        let error = receive_results(read_end, 2).unwrap_err().to_string();
        assert!(
            error.contains("ended without sending its result"),
            "{error}"
        );
    }

    #[test]
    fn a_part_reported_twice_is_refused() {
        let (read_end, write_end) = pipe().unwrap();
        let write_end = File::from(write_end);
        send_result(&write_end, 0, 11).unwrap();
        send_result(&write_end, 0, 11).unwrap();
        let error = receive_results(read_end, 2).unwrap_err().to_string();
        assert!(error.contains("unexpected result for part 0"), "{error}");
    }

    #[test]
    fn the_defaults_stay_inside_the_bounds() {
        for options in [Options::default(), Options::quick()] {
            assert!((1..=MAX_TASKS).contains(&options.tasks));
            assert!((1..=MAX_WAIT_MS).contains(&(options.wait.as_millis() as u64)));
            assert!((1..=MAX_WORKERS).contains(&options.workers));
            assert!((1..=MAX_SIZE).contains(&options.size));
            assert!(options.repeats >= 1);
        }
        assert_eq!(Options::default().workers, cores() as u64);
    }
}
