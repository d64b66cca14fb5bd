//! # Lesson 03, second half: processes talking through shared memory
//!
//! Two processes have separate memory: a write in one never shows up in the
//! other, unless both map *the same pages* with `MAP_SHARED`. Then talking
//! costs no system call per message, only copying bytes into and out of
//! those pages; but the two sides must agree on who owns which bytes, and
//! they do it with atomics (`Acquire`/`Release`) placed in the same pages,
//! because the locks that work between threads do not work between
//! processes.
//!
//! The Key Differences table, **Communication** row: between threads it is
//! "fast and easy (shared variables)"; between processes it "requires IPC
//! mechanisms".
//! Shared memory is the fastest of them, and the one where you build the
//! synchronisation yourself.
//!
//! Run it: `just demo-shared-memory` (option `--mib N`, 1 to 4096, how much
//! to send through the ring; default 256).
//!
//! What to look for:
//! 1. after `fork`, the child's write to a `MAP_PRIVATE` page stays in the
//!    child's copy-on-write copy, while its write to a `MAP_SHARED` page is
//!    what the parent reads next;
//! 2. `--mib` MiB through a ring buffer between two processes, checksum
//!    matching, at a rate far above the pipe's and below a plain `memcpy`'s
//!    (no IPC copies faster than memory does);
//! 3. a round trip through the shared page takes well under a microsecond
//!    when both processes spin on their own CPU; through a pipe, tens;
//! 4. two processes that share nothing but a name meet at `/dev/shm/NAME`,
//!    and the name is gone afterwards, also after an error or Ctrl-C;
//! 5. why `std::sync::Mutex` and `parking_lot` cannot guard those pages.
//!
//! Next: lesson 04 (`crates/04-fault-isolation`): what separate memory buys
//! you when something crashes.

use std::fs::File;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::sys::mman::{shm_open, shm_unlink};
use nix::sys::signal::{Signal, raise};
use nix::sys::stat::{Mode, fstat};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::{ForkResult, Pid, fork, ftruncate, getpid, getppid};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::placement::{Pinned, Placement};
use support::role::Role;
use support::timing::{format_bytes, format_duration, format_rate};
use support::{ChildGuard, Ending, Stats, heading, say};

use crate::checksum::{Checksum, fill_pattern};
use crate::pipes;

/// The roles this lesson starts its own program in: the two strangers of
/// part 4, who meet at a name in `/dev/shm`.
pub const ROLES: &[Role] = &[
    Role {
        name: WRITER_ROLE,
        run: writer_role,
    },
    Role {
        name: READER_ROLE,
        run: reader_role,
    },
];

const WRITER_ROLE: &str = "ipc:shared-memory-writer";
const READER_ROLE: &str = "ipc:shared-memory-reader";

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// MiB to send through the ring (parts 2 and 4) and through the pipes
    /// it is compared with.
    pub mib: u64,
    /// Test only: the reader of part 4 waits this long before it opens the
    /// name, so a test can interrupt the demo while `/dev/shm/NAME` exists.
    pub test_hold_named: Duration,
    /// Test only: kill one process in the middle of a transfer.
    pub test_kill: Option<KillPoint>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mib: 256,
            test_hold_named: Duration::ZERO,
            test_kill: None,
        }
    }
}

/// Test only: which process kills itself (SIGKILL) after its first MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillPoint {
    /// The forked consumer of part 2.
    RingConsumer,
    /// The writer of part 4.
    NamedWriter,
    /// The reader of part 4.
    NamedReader,
}

/// Everything the lesson saw, for the tests and the key-differences table.
#[derive(Debug, Clone)]
pub struct Report {
    pub mappings: Mappings,
    /// Part 2: the ring between two processes.
    pub ring: RingTransfer,
    /// Part 2: the same number of bytes copied by `memcpy` in one process.
    pub memcpy_elapsed: Duration,
    /// Part 2: the same number of bytes through a pipe, default buffer.
    pub pipe_default: pipes::Transfer,
    /// Part 2: the same through a pipe with a 1 MiB buffer.
    pub pipe_1mib: pipes::Transfer,
    /// Part 3: one round trip through the shared page.
    pub shm_round_trip: Stats,
    /// Part 3: one round trip through two pipes.
    pub pipe_round_trip: Stats,
    pub named: Named,
}

/// What the ring moved, as both ends saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RingTransfer {
    /// Bytes the producer put into the ring.
    pub bytes_sent: u64,
    /// Bytes the consumer took out.
    pub bytes_received: u64,
    /// The consumer's checksum equals the producer's.
    pub checksum_ok: bool,
    /// From the first slot filled until the consumer emptied the last.
    pub elapsed: Duration,
}

impl Report {
    /// Ring throughput over memcpy's, from the same run.
    pub fn ring_share_of_memcpy(&self) -> f64 {
        self.memcpy_elapsed.as_secs_f64() / self.ring.elapsed.as_secs_f64().max(1e-12)
    }

    /// Ring throughput over the default pipe's, from the same run.
    pub fn ring_over_pipe(&self) -> f64 {
        self.pipe_default.elapsed.as_secs_f64() / self.ring.elapsed.as_secs_f64().max(1e-12)
    }

    /// `report KEY=VALUE` lines, for tests that run the binary.
    pub fn key_values(&self) -> String {
        let m = &self.mappings;
        let pairs: [(&str, String); 14] = [
            ("private_child_saw", m.private_child_saw.clone()),
            ("private_parent_saw", m.private_parent_saw.clone()),
            ("shared_child_saw", m.shared_child_saw.clone()),
            ("shared_parent_saw", m.shared_parent_saw.clone()),
            ("ring_bytes_sent", self.ring.bytes_sent.to_string()),
            ("ring_bytes_received", self.ring.bytes_received.to_string()),
            ("ring_checksum_ok", self.ring.checksum_ok.to_string()),
            ("ring_secs", self.ring.elapsed.as_secs_f64().to_string()),
            ("memcpy_secs", self.memcpy_elapsed.as_secs_f64().to_string()),
            (
                "pipes_complete",
                (self.pipe_default.is_complete() && self.pipe_1mib.is_complete()).to_string(),
            ),
            (
                "shm_round_trip_secs",
                self.shm_round_trip.median_secs().to_string(),
            ),
            (
                "pipe_round_trip_secs",
                self.pipe_round_trip.median_secs().to_string(),
            ),
            ("named_bytes", self.named.bytes.to_string()),
            ("named_name_gone", self.named.name_gone.to_string()),
        ];
        pairs
            .iter()
            .map(|(key, value)| format!("report {key}={value}\n"))
            .collect()
    }
}

/// Part 1: what each side read from each page after the child wrote.
#[derive(Debug, Clone)]
pub struct Mappings {
    pub private_child_saw: String,
    pub private_parent_saw: String,
    pub shared_child_saw: String,
    pub shared_parent_saw: String,
}

impl Mappings {
    /// The child's write to the `MAP_PRIVATE` page never reached the parent.
    pub fn private_hides_child_write(&self) -> bool {
        self.private_child_saw == CHILD_NOTE && self.private_parent_saw == PARENT_NOTE
    }

    /// The child's write to the `MAP_SHARED` page is what the parent read.
    pub fn shared_shows_child_write(&self) -> bool {
        self.shared_child_saw == CHILD_NOTE && self.shared_parent_saw == CHILD_NOTE
    }
}

/// Part 4: two strangers meeting at a name.
#[derive(Debug, Clone)]
pub struct Named {
    /// `/dev/shm/NAME`, the path the name had.
    pub path: String,
    /// Bytes the reader received, checksum verified.
    pub bytes: u64,
    /// The path no longer existed once both had ended.
    pub name_gone: bool,
}

/// Runs the lesson: prints the story and returns what it saw.
///
/// Forks: in a process that has other threads it returns the "refusing to
/// fork: …" error instead (see `support::forking::prepare_to_fork`).
pub fn run(options: &Options) -> Result<Report> {
    if !(1..=4096).contains(&options.mib) {
        return Err(Error::msg(format!(
            "--mib must be 1 to 4096, not {}",
            options.mib
        )));
    }
    let mappings = private_vs_shared()?;
    let (ring, memcpy_elapsed, pipe_default, pipe_1mib) = ring_between_processes(options)?;
    let (shm_round_trip, pipe_round_trip) = round_trips()?;
    let named = strangers_meet_at_a_name(options)?;
    why_not_a_mutex();

    heading("Verdict");
    say!(
        "threads share memory without asking; processes share only the pages they map MAP_SHARED on purpose"
    );
    say!(
        "and must then build their own synchronisation (atomics, spinning, futexes) and clean up the name"
    );
    say!(
        "the Key Differences table's Communication row: processes need IPC; here the fastest one moved {} at {} ({} of memcpy's rate, {} the pipe's)",
        format_bytes(ring.bytes_received),
        format_rate(ring.bytes_received, ring.elapsed),
        percent(memcpy_elapsed.as_secs_f64() / ring.elapsed.as_secs_f64()),
        times(pipe_default.elapsed.as_secs_f64() / ring.elapsed.as_secs_f64()),
    );
    Ok(Report {
        mappings,
        ring,
        memcpy_elapsed,
        pipe_default,
        pipe_1mib,
        shm_round_trip,
        pipe_round_trip,
        named,
    })
}

// ---------------------------------------------------------------------------
// Part 1: a private mapping and a shared one, across fork.
// ---------------------------------------------------------------------------

const PAGE: usize = 4096;
const PARENT_NOTE: &str = "written by the parent before fork";
const CHILD_NOTE: &str = "written by the child after fork";

// ANCHOR: private_vs_shared
fn private_vs_shared() -> Result<Mappings> {
    heading("1. After fork: a MAP_PRIVATE page and a MAP_SHARED page");

    // memmap2's anonymous map is mmap(MAP_PRIVATE | MAP_ANONYMOUS): after
    // fork the child gets a copy-on-write copy of this page.
    let mut private_page = MmapMut::map_anon(PAGE).context("mmap(2) MAP_PRIVATE|MAP_ANONYMOUS")?;
    // memfd_create(2): a file that lives only in RAM and has no name on disk.
    let memfd =
        memfd_create(c"ipc-lesson-page", MFdFlags::MFD_CLOEXEC).context("memfd_create(2)")?;
    ftruncate(&memfd, PAGE as i64).context("ftruncate(2) of the memfd")?;
    let memfd = File::from(memfd);
    // SAFETY: mapping a file is unsafe because another process could
    // truncate it under us; this memfd is ours alone (only our forked child
    // inherits it) and nobody truncates it.
    let mut shared_page =
        unsafe { MmapMut::map_mut(&memfd) }.context("mmap(2) MAP_SHARED of the memfd")?;

    write_note(&mut private_page, PARENT_NOTE);
    write_note(&mut shared_page, PARENT_NOTE);
    say!(
        "private page at {:p}, shared page at {:p}, both read {PARENT_NOTE:?}",
        private_page.as_ptr(),
        shared_page.as_ptr()
    );

    // fork(2) copies only the calling thread: refuse if there are others.
    // (It also flushes stdout, or the child would print our unprinted bytes
    // a second time.)
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        // run_child ends the child with _exit(2) when the closure returns:
        // destructors of the parent's values do not run in it.
        ForkResult::Child => run_child(|| {
            write_note(&mut private_page, CHILD_NOTE); // lands in my copy of the page
            write_note(&mut shared_page, CHILD_NOTE); // lands in the one page both map
            say!(
                "wrote {CHILD_NOTE:?} into both; my private page at {:p} reads {:?}, my shared page reads {:?}",
                private_page.as_ptr(),
                read_note(&private_page),
                read_note(&shared_page)
            );
            Ok(())
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            // waitpid(2): after this, the child's writes are all done.
            let status = guard.waitpid().context("waitpid(2)")?;
            let ending = Ending::from_wait_status(status)
                .ok_or_else(|| Error::msg("waitpid(2) returned a child that had not ended"))?;
            if !ending.is_success() {
                return Err(Error::msg(format!("the child (pid {child}) {ending}")));
            }
            let mappings = Mappings {
                private_child_saw: CHILD_NOTE.to_string(),
                private_parent_saw: read_note(&private_page),
                shared_child_saw: CHILD_NOTE.to_string(),
                shared_parent_saw: read_note(&shared_page),
            };
            say!(
                "child {child} {ending}; my private page at the same address reads {:?}",
                mappings.private_parent_saw
            );
            say!(
                "                    and my shared page reads {:?}",
                mappings.shared_parent_saw
            );
            say!(
                "MAP_PRIVATE: the child's write went to its own copy; MAP_SHARED: both map one page"
            );
            Ok(mappings)
        }
    }
}
// ANCHOR_END: private_vs_shared

/// Stores `note` at the start of `page`: a length byte, then the text.
fn write_note(page: &mut [u8], note: &str) {
    page[0] = note.len() as u8;
    page[1..1 + note.len()].copy_from_slice(note.as_bytes());
}

fn read_note(page: &[u8]) -> String {
    let len = page[0] as usize;
    String::from_utf8_lossy(&page[1..1 + len]).into_owned()
}

// ---------------------------------------------------------------------------
// Part 2: a single-producer single-consumer ring in a shared mapping.
// ---------------------------------------------------------------------------

/// Bytes per slot: big, so the atomics are touched once per 256 KiB, not
/// once per byte, and each copy is one long `memcpy`.
const SLOT_BYTES: usize = 256 * 1024;
/// Slots in the ring: 8 × 256 KiB = 2 MiB, the size of one CPU's L2 cache.
const SLOTS: u64 = 8;

// The layout of the ring's shared mapping, in byte offsets. Both processes
// compute the same addresses from these numbers; nothing else is agreed.
/// `head`: how many slots the producer has filled. Only the producer writes it.
const HEAD_OFFSET: usize = 0;
/// `tail`: how many slots the consumer has emptied. Only the consumer writes
/// it. 128 bytes from `head`, so the two never share a cache line (nor the
/// pair of lines some CPUs fetch together): otherwise every store by one
/// side would steal the line the other side is polling ("false sharing").
const TAIL_OFFSET: usize = 128;
/// The sender's checksum of the whole stream, published with the last slot.
const SENT_CHECKSUM_OFFSET: usize = 256;
/// What the consumer counted and summed, for the parent to read at the end.
const RECEIVED_BYTES_OFFSET: usize = 384;
const RECEIVED_CHECKSUM_OFFSET: usize = 392;
/// The slots start on their own page.
const DATA_OFFSET: usize = PAGE;
const RING_BYTES: usize = DATA_OFFSET + SLOTS as usize * SLOT_BYTES;

/// A ring laid out in a `MAP_SHARED` mapping. Everything is reached through
/// a raw pointer: the other process writes these bytes too, so this process
/// never holds a `&mut [u8]` over the whole mapping.
struct Ring {
    _mapping: MmapMut,
    base: *mut u8,
}

impl Ring {
    /// A ring in a fresh memfd: shared with the children we fork.
    fn in_memfd() -> Result<Ring> {
        let memfd =
            memfd_create(c"ipc-lesson-ring", MFdFlags::MFD_CLOEXEC).context("memfd_create(2)")?;
        ftruncate(&memfd, RING_BYTES as i64).context("ftruncate(2) of the ring")?;
        Ring::map(&File::from(memfd))
    }

    /// Maps the ring in `file` (a memfd or a `shm_open` object of
    /// `RING_BYTES` bytes). A fresh file reads as zeros: head = tail = 0, an
    /// empty ring, with no setup.
    fn map(file: &File) -> Result<Ring> {
        // SAFETY: mapping a file is unsafe because someone could truncate it
        // under us. Only this lesson's processes know the file, and they
        // never shrink it.
        let mut mapping = unsafe { MmapOptions::new().len(RING_BYTES).populate().map_mut(file) }
            .context("mmap(2) MAP_SHARED of the ring")?;
        let base = mapping.as_mut_ptr();
        Ok(Ring {
            _mapping: mapping,
            base,
        })
    }

    fn atomic(&self, offset: usize) -> &AtomicU64 {
        // SAFETY: the offset is one of the constants above: 8-byte aligned
        // (the mapping starts on a page) and inside the mapping, which lives
        // as long as `self`. Both processes only ever touch these 8 bytes
        // through atomics.
        unsafe { AtomicU64::from_ptr(self.base.add(offset).cast()) }
    }

    fn head(&self) -> &AtomicU64 {
        self.atomic(HEAD_OFFSET)
    }

    fn tail(&self) -> &AtomicU64 {
        self.atomic(TAIL_OFFSET)
    }

    /// The first byte of the slot that carries chunk number `chunk`.
    fn slot(&self, chunk: u64) -> *mut u8 {
        let slot = (chunk % SLOTS) as usize;
        // SAFETY: slot < SLOTS, so the result stays inside the mapping.
        unsafe { self.base.add(DATA_OFFSET + slot * SLOT_BYTES) }
    }
}

/// How many chunks a stream of `total` bytes takes, and chunk `index`'s size.
fn chunks(total: u64) -> u64 {
    total.div_ceil(SLOT_BYTES as u64)
}

fn chunk_len(index: u64, total: u64) -> usize {
    (total - index * SLOT_BYTES as u64).min(SLOT_BYTES as u64) as usize
}

// ANCHOR: producer
/// Sends the first `total` bytes of the stream `source` repeats, whose
/// checksum is `sent_checksum`, through the ring.
fn produce(
    ring: &Ring,
    source: &[u8],
    total: u64,
    sent_checksum: u64,
    peer: &mut PeerCheck,
) -> Result<()> {
    // Published first; the Release store of head carries it to the consumer.
    ring.atomic(SENT_CHECKSUM_OFFSET)
        .store(sent_checksum, Ordering::Relaxed);
    for chunk in 0..chunks(total) {
        // 1. Wait for a free slot. `tail` counts slots the consumer has
        //    emptied; Acquire pairs with its Release store, so once we read
        //    tail > chunk - SLOTS, its reads of this slot are over and we
        //    may overwrite it.
        wait_until(|| chunk - ring.tail().load(Ordering::Acquire) < SLOTS, peer)?;
        // 2. Fill it: one plain copy into the shared page, no system call.
        let len = chunk_len(chunk, total);
        let start = (chunk * SLOT_BYTES as u64 % source.len() as u64) as usize;
        // SAFETY: the protocol gives this slot to the producer alone until
        // the Release store below; `len` fits in a slot.
        let slot = unsafe { std::slice::from_raw_parts_mut(ring.slot(chunk), len) };
        slot.copy_from_slice(&source[start..start + len]);
        // 3. Publish it: Release makes every byte we wrote above visible to
        //    whoever reads head > chunk with Acquire.
        ring.head().store(chunk + 1, Ordering::Release);
    }
    Ok(())
}
// ANCHOR_END: producer

/// What the consumer got: bytes, and whether its checksum equals the
/// sender's.
struct Received {
    bytes: u64,
    checksum: u64,
    sent_checksum: u64,
}

// ANCHOR: consumer
/// Receives `total` bytes from the ring, checksumming them as they come.
fn consume(
    ring: &Ring,
    total: u64,
    kill_after: Option<u64>,
    peer: &mut PeerCheck,
) -> Result<Received> {
    let mut received = Checksum::new();
    let mut local = vec![0u8; SLOT_BYTES]; // our own memory, not shared
    for chunk in 0..chunks(total) {
        // 1. Wait for a full slot. Acquire pairs with the producer's Release
        //    store of head: once we read head > chunk, its copy into this
        //    slot is visible to us.
        wait_until(|| ring.head().load(Ordering::Acquire) > chunk, peer)?;
        // 2. Copy the bytes out into our own buffer.
        let len = chunk_len(chunk, total);
        // SAFETY: the producer does not touch this slot again until our
        // Release store of tail below hands it back.
        let slot = unsafe { std::slice::from_raw_parts(ring.slot(chunk), len) };
        local[..len].copy_from_slice(slot);
        // 3. Hand the slot back: Release keeps our reads above before the
        //    producer's next write to it.
        ring.tail().store(chunk + 1, Ordering::Release);
        // 4. Checksum our copy while the producer refills the slot.
        received.update(&local[..len]);
        if kill_after.is_some_and(|limit| received.bytes() >= limit) {
            die_mid_transfer();
        }
    }
    // Any Acquire of head made the sender's checksum visible: it was
    // stored before the first Release.
    let sent_checksum = ring.atomic(SENT_CHECKSUM_OFFSET).load(Ordering::Relaxed);
    ring.atomic(RECEIVED_BYTES_OFFSET)
        .store(received.bytes(), Ordering::Release);
    ring.atomic(RECEIVED_CHECKSUM_OFFSET)
        .store(received.value(), Ordering::Release);
    Ok(Received {
        bytes: received.bytes(),
        checksum: received.value(),
        sent_checksum,
    })
}
// ANCHOR_END: consumer

/// Checks, while waiting, that the process on the other end still runs: a
/// dead peer never moves head or tail again, and nothing else would tell us.
type PeerCheck<'a> = dyn FnMut() -> Result<()> + 'a;

/// Spins this many times (a few microseconds) before yielding the CPU.
const SPINS: u32 = 1 << 12;
/// Yields for this long before sleeping between looks: long enough to ride
/// out the peer losing its CPU for a time slice on a busy machine.
const YIELD_FOR: Duration = Duration::from_millis(20);

// ANCHOR: wait
/// Waits until `ready()`: spin first (the answer usually comes within
/// microseconds, and a system call would cost more), then yield the CPU,
/// then sleep between looks; every so often ask whether the peer still runs.
fn wait_until(mut ready: impl FnMut() -> bool, peer: &mut PeerCheck) -> Result<()> {
    for _ in 0..SPINS {
        if ready() {
            return Ok(());
        }
        std::hint::spin_loop(); // a pause instruction: tells the CPU we spin
    }
    let started = Instant::now();
    let mut looks: u32 = 0;
    while !ready() {
        if started.elapsed() < YIELD_FOR {
            std::thread::yield_now(); // sched_yield(2): let someone else run here
        } else {
            std::thread::sleep(Duration::from_micros(100)); // a long wait: stop burning the CPU
        }
        looks += 1;
        if looks % 64 == 0 {
            peer()?;
        }
    }
    Ok(())
}
// ANCHOR_END: wait

/// Our forked child still runs? `waitid(WNOWAIT)` looks without reaping, so
/// the child's guard still collects it.
fn child_still_runs(child: Pid, who: &str) -> Result<()> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    match waitid(Id::Pid(child), flags).context("waitid(2)")? {
        WaitStatus::StillAlive => Ok(()),
        status => {
            let ending = Ending::from_wait_status(status)
                .map_or_else(|| format!("{status:?}"), |ending| ending.to_string());
            Err(Error::msg(format!(
                "the {who} (pid {child}) {ending} in the middle of the transfer"
            )))
        }
    }
}

/// The process that started us still runs? When it dies we are adopted by
/// another, and `getppid()` changes.
fn parent_still_runs(parent: Pid) -> Result<()> {
    if getppid() == parent {
        Ok(())
    } else {
        Err(Error::msg(format!(
            "the parent (pid {parent}) ended in the middle of the transfer"
        )))
    }
}

/// Test only: end this process the hard way, as `kill -9` would.
fn die_mid_transfer() -> ! {
    let _ = support::crash::disable_core_dumps();
    let _ = std::io::stdout().flush();
    let _ = raise(Signal::SIGKILL);
    // SIGKILL cannot be caught: it ends us before raise(3) returns. Just in case:
    support::forking::exit_child(9)
}

/// The bytes to send: the checksum module's pattern, which repeats every
/// 16 MiB. Up to 64 MiB of it (more than the 32 MiB L3 cache of this kind
/// of machine), so the sender reads from memory, not from cache, as a
/// `memcpy` of a big buffer does.
fn pattern_source(total: u64) -> Vec<u8> {
    const PERIOD: usize = 16 << 20;
    let len = total.min(64 << 20) as usize;
    let mut source = vec![0u8; len];
    let first = len.min(PERIOD);
    fill_pattern(&mut source[..first], 0);
    let mut filled = first;
    while filled < len {
        let take = (len - filled).min(filled);
        source.copy_within(..take, filled);
        filled += take;
    }
    source
}

/// The checksum of the first `total` bytes of the stream `source` repeats:
/// the sender's, worked out before any clock starts (as the pipe's sender
/// does), so the figures time the transfer, not the sender's arithmetic.
fn stream_checksum(source: &[u8], total: u64) -> u64 {
    let mut sum = Checksum::new();
    let mut done = 0u64;
    while done < total {
        let len = (total - done).min(source.len() as u64) as usize;
        sum.update(&source[..len]);
        done += len as u64;
    }
    sum.value()
}

// ANCHOR: memcpy
/// The yardstick: the same number of bytes copied by `memcpy` in one
/// process, from the same source buffer into another one as big, so every
/// byte is read from main memory and written back to it. No IPC moves bytes
/// between two buffers in main memory faster than this.
fn memcpy_ceiling(source: &[u8], total: u64) -> Duration {
    let mut destination = vec![0u8; source.len()];
    destination.copy_from_slice(source); // untimed: the kernel maps each page on first touch
    let start = Instant::now();
    let mut copied = 0u64;
    while copied < total {
        let len = (total - copied).min(source.len() as u64) as usize;
        destination[..len].copy_from_slice(&source[..len]); // memcpy
        copied += len as u64;
    }
    let elapsed = start.elapsed();
    std::hint::black_box(&destination);
    elapsed
}
// ANCHOR_END: memcpy

type Throughputs = (RingTransfer, Duration, pipes::Transfer, pipes::Transfer);

fn ring_between_processes(options: &Options) -> Result<Throughputs> {
    heading("2. A ring buffer in a shared mapping, between two processes");
    let total = options.mib << 20;
    let source = pattern_source(total);
    let sent_checksum = stream_checksum(&source, total);
    let memcpy_elapsed = memcpy_ceiling(&source, total);

    let ring = Ring::in_memfd()?;
    say!(
        "ring at {:p}: {SLOTS} slots of {} in a MAP_SHARED memfd mapping; head at +{HEAD_OFFSET}, tail at +{TAIL_OFFSET}",
        ring.base,
        format_bytes(SLOT_BYTES as u64)
    );
    let kill_after = (options.test_kill == Some(KillPoint::RingConsumer)).then_some(1 << 20);
    let parent = getpid();
    prepare_to_fork()?;
    let pinned = Pinned::caller(Placement::TwoCpus)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    let child = match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            let got = consume(&ring, total, kill_after, &mut || parent_still_runs(parent))?;
            if got.checksum != got.sent_checksum {
                return Err(Error::msg(format!(
                    "consumer: received {}, checksum {:#018x} but the sender's is {:#018x}",
                    format_bytes(got.bytes),
                    got.checksum,
                    got.sent_checksum
                )));
            }
            say!(
                "consumer: received {} in {} slots, checksum {:#018x} matches the sender's",
                format_bytes(got.bytes),
                chunks(total),
                got.checksum
            );
            Ok(())
        }),
        ForkResult::Parent { child } => child,
    };
    let guard = ChildGuard::new(child);
    say!(
        "forked the consumer, pid {child}; producing {} of the test pattern, {}",
        format_bytes(total),
        placement(&pinned)
    );
    let mut consumer_runs = || child_still_runs(child, "consumer");
    let start = Instant::now();
    produce(&ring, &source, total, sent_checksum, &mut consumer_runs)?;
    // Done when the consumer has emptied the last slot.
    wait_until(
        || ring.tail().load(Ordering::Acquire) == chunks(total),
        &mut consumer_runs,
    )?;
    let elapsed = start.elapsed();
    let ending = guard.wait().context("waitpid(2) for the consumer")?;
    drop(pinned);
    if !ending.is_success() {
        return Err(Error::msg(format!("the consumer (pid {child}) {ending}")));
    }
    let bytes_received = ring.atomic(RECEIVED_BYTES_OFFSET).load(Ordering::Acquire);
    let received_checksum = ring
        .atomic(RECEIVED_CHECKSUM_OFFSET)
        .load(Ordering::Acquire);
    let ring_transfer = RingTransfer {
        bytes_sent: total,
        bytes_received,
        checksum_ok: received_checksum == sent_checksum && bytes_received == total,
        elapsed,
    };
    drop(source);

    let pipe_default = pipes::stream_through_pipe(total, None)?;
    let pipe_1mib = pipes::stream_through_pipe(total, Some(1 << 20))?;

    let row = |what: &str, bytes: u64, elapsed: Duration, checksum_ok: bool| {
        say!(
            "{what:<22} {} in {:>9} = {:>10}, checksum {}",
            format_bytes(bytes),
            format_duration(elapsed),
            format_rate(bytes, elapsed),
            if checksum_ok { "matches" } else { "DIFFERS" }
        );
    };
    row(
        "shared-memory ring",
        ring_transfer.bytes_received,
        elapsed,
        ring_transfer.checksum_ok,
    );
    say!(
        "{:<22} {} in {:>9} = {:>10}   (one process, no IPC: memory to memory)",
        "memcpy",
        format_bytes(total),
        format_duration(memcpy_elapsed),
        format_rate(total, memcpy_elapsed)
    );
    for (what, pipe) in [
        ("pipe, default buffer", &pipe_default),
        ("pipe, 1 MiB buffer", &pipe_1mib),
    ] {
        row(what, pipe.bytes_received, pipe.elapsed, pipe.is_complete());
    }
    let share = memcpy_elapsed.as_secs_f64() / elapsed.as_secs_f64();
    let over_pipe = pipe_default.elapsed.as_secs_f64() / elapsed.as_secs_f64();
    say!(
        "ring = {} of memcpy's rate, {} the default pipe's; one run on a shared machine",
        percent(share),
        times(over_pipe)
    );
    say!(
        "the ring copies each byte twice (in, then out), like a pipe, but with no system call per chunk"
    );
    if share > 1.0 {
        say!(
            "it beat memcpy here: memcpy writes all {} back to main memory, while the ring's bytes pass through a 2 MiB ring and a 256 KiB buffer that stay in the caches",
            format_bytes(total)
        );
    }
    if !ring_transfer.checksum_ok {
        return Err(Error::msg(
            "the ring's checksum does not match the sender's",
        ));
    }
    Ok((ring_transfer, memcpy_elapsed, pipe_default, pipe_1mib))
}

// ---------------------------------------------------------------------------
// Part 3: round trips through one shared word.
// ---------------------------------------------------------------------------

/// Round trips for the warm-up, and for the pipe's figure.
const ROUND_TRIP_BATCH: u32 = 2_000;
/// The parent writes this to send the echoing child home.
const STOP: u64 = u64::MAX;

// ANCHOR: round_trip
fn round_trips() -> Result<(Stats, Stats)> {
    heading("3. Round trips: one shared word against two pipes");
    let ring = Ring::in_memfd()?; // only its head word is used here
    let parent = getpid();
    prepare_to_fork()?;
    let pinned = Pinned::caller(Placement::TwoCpus)?;
    let placed = placement(&pinned);
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    let child = match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            // The echo: wait for an odd number, answer with the next even one.
            let word = ring.head();
            let mut expected = 1;
            loop {
                wait_until(
                    || {
                        let value = word.load(Ordering::Acquire);
                        value == expected || value == STOP
                    },
                    &mut || parent_still_runs(parent),
                )?;
                if word.load(Ordering::Acquire) == STOP {
                    return Ok(());
                }
                word.store(expected + 1, Ordering::Release);
                expected += 2;
            }
        }),
        ForkResult::Parent { child } => child,
    };
    let guard = ChildGuard::new(child);
    let word = ring.head();
    let mut next = 1;
    let mut one_round_trip = || -> Result<()> {
        word.store(next, Ordering::Release); // ping
        wait_until(
            || word.load(Ordering::Acquire) == next + 1, // pong
            &mut || child_still_runs(child, "echoing child"),
        )?;
        next += 2;
        Ok(())
    };
    // Warm-up, which also sizes the batches: about 5 ms of round trips
    // between two clock reads, so reading the clock costs well under 1%.
    let warm_up = Instant::now();
    let mut warm_round_trips = 0u32;
    while warm_round_trips < ROUND_TRIP_BATCH && warm_up.elapsed() < Duration::from_millis(50) {
        one_round_trip()?;
        warm_round_trips += 1;
    }
    let each = warm_up.elapsed() / warm_round_trips;
    let batch =
        (Duration::from_millis(5).as_nanos() / each.as_nanos().max(1)).clamp(1, 100_000) as u32;
    // Then batches until about 0.25 s have gone by.
    let deadline = Instant::now() + Duration::from_millis(250);
    let mut samples = Vec::new();
    while samples.len() < 3 || (samples.len() < 51 && Instant::now() < deadline) {
        let start = Instant::now();
        for _ in 0..batch {
            one_round_trip()?;
        }
        samples.push(start.elapsed() / batch);
    }
    word.store(STOP, Ordering::Release);
    let ending = guard.wait().context("waitpid(2) for the echoing child")?;
    drop(pinned);
    if !ending.is_success() {
        return Err(Error::msg(format!(
            "the echoing child (pid {child}) {ending}"
        )));
    }
    // Each sample is the mean of one batch: say so in the figures.
    let shm = Stats::from_batch_means(samples, batch as usize);
    let (pipe, pipe_placed) =
        pipes::pipe_round_trip_placed(ROUND_TRIP_BATCH as usize, Placement::TwoCpus)?;
    say!("shared word, spinning ({}): {shm}", placed);
    say!(
        "two pipes, blocking ({}): {pipe}",
        placement_words(pipe_placed)
    );
    let ratio = pipe.median_secs() / shm.median_secs().max(1e-12);
    if ratio >= 1.0 {
        say!(
            "the shared word answered {} faster: no system call, no sleep and wake-up, only a cache line moving between CPUs",
            times(ratio)
        );
    } else {
        say!(
            "the pipe answered {} faster this time: the machine is busy, and a spinner waits for its turn on a CPU",
            times(1.0 / ratio)
        );
    }
    say!(
        "spinning burns a CPU while it waits, and is fast only while both sides have a CPU to themselves"
    );
    Ok((shm, pipe))
}
// ANCHOR_END: round_trip

// ---------------------------------------------------------------------------
// Part 4: two strangers meet at a name.
// ---------------------------------------------------------------------------

/// How long the reader waits for the writer to create the name.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

/// Unlinks the name when dropped (every return, `?` and panic), and
/// registers it for Ctrl-C, which skips destructors.
struct NameCleanup {
    name: String,
    path: String,
}

impl NameCleanup {
    fn register(name: String) -> NameCleanup {
        let path = format!("/dev/shm{name}");
        support::guard::unlink_on_interrupt(&path);
        NameCleanup { name, path }
    }
}

impl Drop for NameCleanup {
    fn drop(&mut self) {
        // ENOENT is the usual answer: the reader unlinked it already.
        let _ = shm_unlink(self.name.as_str());
        support::guard::forget_path(&self.path);
    }
}

// ANCHOR: named
fn strangers_meet_at_a_name(options: &Options) -> Result<Named> {
    heading("4. Two unrelated processes meet at a name: shm_open");
    let total = options.mib << 20;
    // The name is all the two will share; our pid keeps it unique.
    let cleanup = NameCleanup::register(format!("/ipc-lesson-03-{}", std::process::id()));
    say!(
        "starting a reader and a writer; all they share is the name {}",
        cleanup.name
    );
    let kill = |point| {
        if options.test_kill == Some(point) {
            "1"
        } else {
            "0"
        }
    };
    let reader = support::role::command(READER_ROLE)
        .context("current_exe() for the reader")?
        .args([
            &cleanup.name,
            &total.to_string(),
            kill(KillPoint::NamedReader),
        ])
        .arg(options.test_hold_named.as_millis().to_string())
        .spawn()
        .context("spawn the reader")?;
    let reader = ChildGuard::adopt(reader);
    let writer = support::role::command(WRITER_ROLE)
        .context("current_exe() for the writer")?
        .args([
            &cleanup.name,
            &total.to_string(),
            kill(KillPoint::NamedWriter),
        ])
        .spawn()
        .context("spawn the writer")?;
    let writer = ChildGuard::adopt(writer);
    // Neither can tell that the other died: its memory just stops changing.
    // So we watch both, and stop the survivor if one fails.
    watch_both([("writer", writer), ("reader", reader)])?;

    let path = cleanup.path.clone();
    drop(cleanup); // shm_unlink(3), in case the reader could not
    let name_gone = !std::path::Path::new(&path).exists();
    say!(
        "both ended well; {path} {}",
        if name_gone {
            "is gone"
        } else {
            "IS STILL THERE"
        }
    );
    Ok(Named {
        path,
        bytes: total,
        name_gone,
    })
}
// ANCHOR_END: named

/// Waits for both children; the first that fails stops the other (its
/// guard kills it when dropped) and becomes the error.
fn watch_both(children: [(&str, ChildGuard); 2]) -> Result<()> {
    let mut running: Vec<(&str, Option<ChildGuard>)> = children
        .into_iter()
        .map(|(who, guard)| (who, Some(guard)))
        .collect();
    while running.iter().any(|(_, guard)| guard.is_some()) {
        for (who, slot) in running.iter_mut() {
            let Some(guard) = slot else { continue };
            // waitid(2) with WNOHANG | WNOWAIT: has this child ended? It
            // looks without reaping; the guard's wait below reaps.
            let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
            let status =
                waitid(Id::Pid(guard.pid()), flags).with_context_of("waitid(2) for the", who)?;
            if status == WaitStatus::StillAlive {
                continue;
            }
            let pid = guard.pid();
            let Some(guard) = slot.take() else { continue };
            let ending = guard.wait().with_context_of("waitpid(2) for the", who)?;
            if !ending.is_success() {
                return Err(Error::msg(format!(
                    "the {who} (pid {pid}) {ending} before the transfer was over; the other one was stopped"
                )));
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

trait WithContextOf<T> {
    fn with_context_of(self, call: &str, who: &str) -> Result<T>;
}

impl<T> WithContextOf<T> for nix::Result<T> {
    fn with_context_of(self, call: &str, who: &str) -> Result<T> {
        self.context(format!("{call} {who}"))
    }
}

fn role_exit(result: Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("error: {error}");
            1
        }
    }
}

/// Role arguments: NAME BYTES KILL(0|1) [HOLD_MS].
fn role_args(args: &[String]) -> Result<(String, u64, bool, u64)> {
    let bad = || Error::msg(format!("expected NAME BYTES KILL [HOLD_MS], got {args:?}"));
    let name = args.first().ok_or_else(bad)?.clone();
    let bytes = args.get(1).and_then(|b| b.parse().ok()).ok_or_else(bad)?;
    let kill = args.get(2).ok_or_else(bad)? == "1";
    let hold_ms = args
        .get(3)
        .map_or(Some(0), |h| h.parse().ok())
        .ok_or_else(bad)?;
    Ok((name, bytes, kill, hold_ms))
}

fn writer_role(args: &[String]) -> i32 {
    role_exit(writer(args))
}

fn reader_role(args: &[String]) -> i32 {
    role_exit(reader(args))
}

// ANCHOR: writer
fn writer(args: &[String]) -> Result<()> {
    let (name, total, kill, _) = role_args(args)?;
    let parent = getppid();
    // Said before the name exists, so this line comes before the reader's.
    say!("writer: creating the name {name} with shm_open(O_CREAT|O_EXCL)");
    // shm_open(3) with O_CREAT | O_EXCL: create the name, fail if it exists.
    // On Linux it is a file in the RAM file system mounted at /dev/shm.
    let fd = shm_open(
        name.as_str(),
        OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR,
        Mode::S_IRUSR | Mode::S_IWUSR,
    )
    .context(format!("shm_open(3) O_CREAT|O_EXCL of {name}"))?;
    ftruncate(&fd, RING_BYTES as i64).context("ftruncate(2) of the shared object")?;
    let ring = Ring::map(&File::from(fd))?;
    say!(
        "writer: /dev/shm{name} sized to {} and mapped at {:p}",
        format_bytes(RING_BYTES as u64),
        ring.base
    );
    let source = pattern_source(total);
    let checksum = stream_checksum(&source, total);
    let mut parent_runs = || parent_still_runs(parent);
    if kill {
        // Test only: send the first MiB, then die.
        produce(&ring, &source, 1 << 20, checksum, &mut parent_runs)?;
        die_mid_transfer()
    }
    produce(&ring, &source, total, checksum, &mut parent_runs)?;
    say!(
        "writer: sent {}, checksum {checksum:#018x}; exiting (the pages stay while the reader maps them)",
        format_bytes(total)
    );
    Ok(())
}
// ANCHOR_END: writer

// ANCHOR: reader
fn reader(args: &[String]) -> Result<()> {
    let (name, total, kill, hold_ms) = role_args(args)?;
    let parent = getppid();
    std::thread::sleep(Duration::from_millis(hold_ms)); // test only: 0 unless asked
    // shm_open(3) without O_CREAT: only finds a name someone else created.
    // The writer may not have created it yet, or not sized it: look again.
    let started = Instant::now();
    let file = loop {
        match shm_open(name.as_str(), OFlag::O_RDWR, Mode::empty()) {
            Ok(fd) if fstat(&fd).context("fstat(2)")?.st_size as usize == RING_BYTES => {
                break File::from(fd);
            }
            Ok(_) | Err(Errno::ENOENT) => {}
            Err(error) => return Err(error).context(format!("shm_open(3) of {name}")),
        }
        parent_still_runs(parent)?;
        if started.elapsed() > OPEN_TIMEOUT {
            return Err(Error::msg(format!(
                "{name} did not appear within {OPEN_TIMEOUT:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let ring = Ring::map(&file)?;
    // shm_unlink(3): remove the name now. Nobody new can find the object,
    // but it lives on while any process still maps it.
    shm_unlink(name.as_str()).context(format!("shm_unlink(3) of {name}"))?;
    say!(
        "reader: opened {name} by name, mapped it at {:p}, and unlinked the name",
        ring.base
    );
    let kill_after = kill.then_some(1 << 20);
    let got = consume(&ring, total, kill_after, &mut || parent_still_runs(parent))?;
    if got.checksum != got.sent_checksum {
        return Err(Error::msg(format!(
            "reader: checksum {:#018x} differs from the writer's {:#018x}",
            got.checksum, got.sent_checksum
        )));
    }
    say!(
        "reader: received {}, checksum {:#018x} matches the writer's",
        format_bytes(got.bytes),
        got.checksum
    );
    Ok(())
}
// ANCHOR_END: reader

// ---------------------------------------------------------------------------
// Part 5: why not a Mutex?
// ---------------------------------------------------------------------------

// ANCHOR: why_not_a_mutex
// Why the ring uses bare atomics rather than a lock:
//
// - `std::sync::Mutex` on Linux is one atomic word plus the futex(2) system
//   call to sleep and wake. std passes FUTEX_PRIVATE_FLAG, which tells the
//   kernel "only threads of this process wait here": sleepers are found by
//   (this address space, this address). A waiter in the other process is
//   never woken, even if both map the word.
// - `parking_lot` keeps its queues of parked threads in a hash table in each
//   process's own heap. The other process has its own table and never hears
//   of our waiters.
// - Neither knows when the holder is a process that died: killed while it
//   held the lock, it leaves the lock held for ever.
//
// Between processes, use atomics in the shared page with a bounded spin (as
// here), a futex without FUTEX_PRIVATE_FLAG, or a pthread mutex set up as
// PTHREAD_PROCESS_SHARED and PTHREAD_MUTEX_ROBUST.
fn why_not_a_mutex() {
    heading("5. Why not a Mutex in the shared page?");
    say!(
        "std's Mutex sleeps with futex(2) FUTEX_PRIVATE_FLAG: the kernel wakes only threads of the process that unlocked"
    );
    say!(
        "parking_lot queues parked threads in a table in each process's own heap: the other process never sees them"
    );
    say!("and neither lock notices a holder process that died: it stays locked for ever");
    say!(
        "so the ring above uses atomics in the shared page (Acquire/Release), spins briefly, then yields"
    );
}
// ANCHOR_END: why_not_a_mutex

// ---------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------

/// Producer and consumer each on a CPU of their own while they measure, as
/// the pipe figures are taken (spinning needs both running at once).
fn placement(pinned: &Pinned) -> &'static str {
    placement_words(pinned.placement())
}

fn placement_words(placement: Placement) -> &'static str {
    match placement {
        Placement::TwoCpus => "each pinned to a CPU of its own",
        Placement::OneCpu => "both pinned to one CPU",
        Placement::Unpinned => "unpinned: two CPUs could not be had",
    }
}

fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}

fn times(ratio: f64) -> String {
    format!("{ratio:.1}x")
}
