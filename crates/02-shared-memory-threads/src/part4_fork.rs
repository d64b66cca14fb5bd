//! Part 4: the contrast with processes. A thread adds to a counter and main
//! sees it; a forked child adds to "the same" counter, at the same virtual
//! address, and the parent's value does not move: the child has copies of
//! the parent's private memory (copy-on-write). Not everything is copied:
//! `MAP_SHARED` mappings and open file descriptions (with their offsets)
//! stay shared, as lesson 03 shows. Listing: `examples/02d-fork-copies.rs`.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use nix::unistd::{ForkResult, fork, pipe};
use support::error::{Context, Result};
use support::forking::{prepare_to_fork, run_child};
use support::{ChildGuard, say};

use crate::joined;
use crate::report::{ForkContrast, grouped};

/// Part 4. Forks: returns the "refusing to fork" error when this process
/// has a thread besides the caller.
pub fn fork_contrast(increments: u64) -> Result<ForkContrast> {
    let counter = AtomicU64::new(0);
    add_on_a_thread(&counter, increments)?; // a thread's additions land in our counter
    let parent_view_after_thread = counter.load(Relaxed);
    say_after_thread(parent_view_after_thread, increments);

    // ANCHOR: fork
    // A pipe carries the child's figures back: one of several IPC mechanisms.
    let (from_child, to_parent) = pipe().context("pipe(2)")?;
    say!("forking; prepare_to_fork first checks that main is the only thread");
    prepare_to_fork()?; // fork copies only the calling thread: there must be no other
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            drop(from_child); // the child only writes
            for _ in 0..increments {
                counter.fetch_add(1, Relaxed); // lands in the child's copy of the page
            }
            let child_view = counter.load(Relaxed);
            let address = &counter as *const AtomicU64 as u64; // where the child sees it
            say!(
                "added {}: counter = {} at {address:#x}",
                grouped(increments),
                grouped(child_view)
            );
            send_figures(to_parent, [child_view, address])
        }),
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child); // killed and reaped if we bail out
            drop(to_parent); // or a dead child would leave our read(2) waiting
            let [child_view, child_address] = receive_figures(from_child)?;
            let child_ending = guard.wait().context("waitpid(2)")?; // reap the child
            say!("child pid={child} {child_ending}");
            // ANCHOR_END: fork
            Ok(ForkContrast {
                thread_added: increments,
                parent_view_after_thread,
                child_added: increments,
                child_view,
                parent_address: &counter as *const AtomicU64 as usize,
                child_address: child_address as usize,
                parent_view_after_child: counter.load(Relaxed),
                child_ending,
            })
        }
    }
}

/// The child's side: two numbers down the pipe, then close it.
fn send_figures(to_parent: OwnedFd, figures: [u64; 2]) -> Result<()> {
    let bytes: Vec<u8> = figures.iter().flat_map(|n| n.to_le_bytes()).collect();
    File::from(to_parent)
        .write_all(&bytes)
        .context("write(2) to the pipe")
}

/// The parent's side: read the child's two numbers.
fn receive_figures(from_child: OwnedFd) -> Result<[u64; 2]> {
    let mut bytes = [0_u8; 16];
    File::from(from_child)
        .read_exact(&mut bytes)
        .context("read(2) of the child's figures from the pipe")?;
    Ok(
        [&bytes[..8], &bytes[8..]]
            .map(|half| u64::from_le_bytes(half.try_into().expect("8 bytes"))),
    )
}

/// What main sees once the adder thread is joined.
fn say_after_thread(seen: u64, increments: u64) {
    let counter = grouped(seen);
    match seen == increments {
        true => say!("after the thread: counter = {counter}: its additions are in my memory"),
        false => say!("after the thread: counter = {counter}: NO, some additions are missing"),
    }
}

/// A thread adds `increments` to `counter`, and is joined.
fn add_on_a_thread(counter: &AtomicU64, increments: u64) -> Result<()> {
    thread::scope(|scope| -> Result<()> {
        let adder = thread::Builder::new()
            .name("adder".into())
            .spawn_scoped(scope, || {
                for _ in 0..increments {
                    counter.fetch_add(1, Relaxed);
                }
                say!(
                    "added {} to the counter at {:#x}",
                    grouped(increments),
                    counter as *const AtomicU64 as usize
                );
            });
        joined(adder.context("spawn the adder thread")?.join(), "adder")
    })
}

/// What the parent concludes from the child's figures, and its own.
pub fn explain(fork: &ForkContrast) {
    let [child, mine, before] = [
        fork.child_view,
        fork.parent_view_after_child,
        fork.parent_view_after_thread,
    ]
    .map(grouped);
    let at = fork.parent_address;
    say!("child's counter: {child:>10} at {:#x}", fork.child_address);
    if fork.parent_view_after_child == fork.parent_view_after_thread {
        say!("my counter:      {mine:>10} at {at:#x}: unchanged");
        say!("fork gave the child copy-on-write copies of our private memory.");
    } else {
        say!("my counter:      {mine:>10} at {at:#x}: changed!");
        say!("(it was {before} at the fork): the child's writes reached us, as if");
        say!("our memory were shared, not copied.");
    }
    if fork.child_address != at {
        say!("NO, not the same address: the child should start as a copy of us");
    }
    say!("Not copied but shared: open file descriptions (this pipe; a file's");
    say!("offset) and MAP_SHARED mappings, as lesson 03 shows.");
}
