//! Part 2: one thread per task. Each task is a std thread that blocks in
//! `read(2)` on its socket: the kernel takes the thread off the CPU and
//! wakes it when the driver writes. The code reads top to bottom, and each
//! wait costs a task of the kernel's (a kernel stack, a scheduler entry,
//! a pid) and a stack of our own: 64 KiB here ([`THREAD_STACK`]), not std's
//! 2 MiB of address space, most of which a waiting task never touches.

use std::os::fd::OwnedFd;
use std::sync::mpsc;
use std::thread;

use support::error::{Error, Result};

use crate::driver::Driver;
use crate::limits::{MAPS_PER_THREAD, errno_of, named, stopped_by};
use crate::meter::Meter;
use crate::report::ModelFigures;
use crate::text::grouped;
use crate::work::{THREAD_STACK, answer_rounds};

/// Maps of /proc/self/maps left free for the allocator and the runtime.
const MAPS_MARGIN: u64 = 256;

/// Runs one thread per socket, until each has answered every round.
pub fn thread_per_task(driver: &Driver, sockets: &[OwnedFd]) -> Result<ModelFigures> {
    let (waiting_tx, waiting_rx) = mpsc::channel::<()>();
    let mut meter = Meter::start();
    let (mut limit, room) = (None, threads_the_maps_allow());
    // ANCHOR: threads
    let (started, finished) = thread::scope(|scope| -> Result<_> {
        let mut threads = Vec::with_capacity(sockets.len());
        for socket in sockets {
            if let Some(stop) = maps_stop(&room, threads.len()) {
                limit = Some(stop);
                break; // std aborts if a new thread's signal stack finds no map left
            }
            let waiting = waiting_tx.clone();
            let task = move || {
                let _ = waiting.send(()); // "I am running"
                answer_rounds(socket) // read(2) blocks this thread until its question
            };
            let builder = thread::Builder::new().stack_size(THREAD_STACK);
            match builder.spawn_scoped(scope, task) {
                Ok(thread) => threads.push(thread),
                Err(error) => {
                    limit = Some(stopped_by(errno_of(&error))); // the tasks so far still run
                    break;
                }
            }
        }
        let started = threads.len();
        let all_running = (0..started).try_for_each(|_| waiting_rx.recv());
        all_running.map_err(|_| Error::msg("a task thread died"))?;
        meter.all_waiting(&[]);
        driver.go(started)?; // the first questions come one wait from now
        let joined = threads.into_iter().map(|thread| thread.join());
        let ended_well = joined.filter(|ended| matches!(ended, Ok(Ok(()))));
        Ok((started, ended_well.count()))
    })?; // the scope has joined every thread
    // ANCHOR_END: threads
    meter.all_done();
    Ok(ModelFigures {
        stopped_by: limit,
        ..meter.figures(started, finished)
    })
}

/// How many more threads `vm.max_map_count` leaves room for (each maps
/// [`MAPS_PER_THREAD`] areas), less a margin; with the limit's name.
/// Checked before each spawn: pthread_create maps the stack, but std maps
/// the signal stack afterwards, in the new thread, and aborts the whole
/// process if that fails.
fn threads_the_maps_allow() -> Option<(usize, String)> {
    let max = crate::faults::max_map_count()?;
    let maps = std::fs::read_to_string("/proc/self/maps")
        .ok()?
        .lines()
        .count() as u64;
    let room = max.saturating_sub(maps + MAPS_MARGIN) / MAPS_PER_THREAD;
    Some((room as usize, named("vm.max_map_count", Some(max))))
}

/// The sentence that stops the spawning, once `started` threads fill the room.
fn maps_stop(room: &Option<(usize, String)>, started: usize) -> Option<String> {
    let (room, name) = room.as_ref().filter(|(room, _)| started >= *room)?;
    let room = grouped(*room);
    Some(format!(
        "{name}: room for {room} threads, {MAPS_PER_THREAD} maps each"
    ))
}
