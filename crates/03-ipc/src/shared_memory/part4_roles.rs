//! Part 4's two strangers: the writer creates the name and produces into
//! the ring it holds; the reader opens the name, maps it, unlinks it and
//! consumes. Each is this program started again in a hidden role.

use std::fs::File;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::mman::{shm_open, shm_unlink};
use nix::sys::stat::{Mode, fstat};
use nix::unistd::getppid;
use support::error::{Context, Error, Result};
use support::say;
use support::timing::format_bytes;

use super::ring::{RING_BYTES, Ring};
use super::ring_ends::{consume, produce};
use super::test_hooks::{TestHooks, die_mid_transfer};
use super::wait::parent_still_runs;
use crate::source::{pattern_source, stream_checksum};

pub const WRITER_ROLE: &str = "ipc:shared-memory-writer";
pub const READER_ROLE: &str = "ipc:shared-memory-reader";
/// How long the reader waits for the writer to create the name.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: writer
fn writer(name: &str, total: u64, kill: bool) -> Result<()> {
    let parent = getppid();
    // shm_open(3): a file in the RAM file system at /dev/shm; O_EXCL: a new one.
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR;
    let fd = shm_open(name, flags, Mode::S_IRUSR | Mode::S_IWUSR).context("shm_open(3)")?;
    let file = File::from(fd);
    file.set_len(RING_BYTES as u64)
        .context("ftruncate(2) of the object")?;
    let ring = Ring::map(&file)?;
    say!("writer: created /dev/shm{name}, sized and mapped it");
    let source = pattern_source(total);
    let checksum = stream_checksum(&source, total);
    let sending = if kill { 1 << 20 } else { total }; // test only: die after 1 MiB
    produce(&ring, &source, sending, checksum, &mut || {
        parent_still_runs(parent)
    })?;
    if kill {
        die_mid_transfer()
    }
    say!(
        "writer: sent {}; exiting (the pages live while mapped)",
        format_bytes(total)
    );
    Ok(())
}
// ANCHOR_END: writer

fn reader(name: &str, total: u64, kill: bool, hold: Duration) -> Result<()> {
    let parent = getppid();
    std::thread::sleep(hold); // test only: zero unless asked
    // ANCHOR: reader_open
    // Without O_CREAT shm_open only finds a name someone else created; the
    // writer may not have created or sized it yet: look again.
    let started = Instant::now();
    let file = loop {
        match shm_open(name, OFlag::O_RDWR, Mode::empty()) {
            Ok(fd) if fstat(&fd).context("fstat(2)")?.st_size as usize == RING_BYTES => {
                break File::from(fd);
            }
            Ok(_) | Err(Errno::ENOENT) => parent_still_runs(parent)?,
            Err(error) => return Err(error).context(format!("shm_open(3) of {name}")),
        }
        if started.elapsed() > OPEN_TIMEOUT {
            return Err(Error::msg(format!(
                "{name} did not appear in {OPEN_TIMEOUT:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let ring = Ring::map(&file)?;
    // shm_unlink(3): nobody new can find the object; it lives while mapped.
    shm_unlink(name).context(format!("shm_unlink(3) of {name}"))?;
    say!("reader: opened {name}, mapped it, unlinked the name");
    // ANCHOR_END: reader_open
    let kill_after = kill.then_some(1 << 20);
    let hooks = TestHooks::default();
    let got = consume(&ring, total, &hooks, kill_after, &mut || {
        parent_still_runs(parent)
    })?;
    if got.value() != ring.load(super::ring::SENT_CHECKSUM) {
        return Err(Error::msg("reader: the checksum differs from the writer's"));
    }
    say!(
        "reader: received {}, checksum matches the writer's",
        format_bytes(got.bytes())
    );
    Ok(())
}

/// Role arguments: NAME BYTES KILL(0|1) HOLD_MS.
fn parse(args: &[String]) -> Result<(String, u64, bool, Duration)> {
    let bad = || Error::msg(format!("expected NAME BYTES KILL HOLD_MS, got {args:?}"));
    let name = args.first().ok_or_else(bad)?.clone();
    let bytes = args.get(1).and_then(|b| b.parse().ok()).ok_or_else(bad)?;
    let kill = args.get(2).ok_or_else(bad)? == "1";
    let hold = args.get(3).and_then(|h| h.parse().ok()).ok_or_else(bad)?;
    Ok((name, bytes, kill, Duration::from_millis(hold)))
}

fn role_exit(result: Result<()>) -> i32 {
    result.map_or_else(
        |error| {
            eprintln!("error: {error}");
            1
        },
        |()| 0,
    )
}

pub fn writer_role(args: &[String]) -> i32 {
    role_exit(parse(args).and_then(|(name, total, kill, _)| writer(&name, total, kill)))
}

pub fn reader_role(args: &[String]) -> i32 {
    role_exit(parse(args).and_then(|(name, total, kill, hold)| reader(&name, total, kill, hold)))
}
