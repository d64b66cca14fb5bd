//! Part 4: one thread and one epoll instance. A task is no longer a
//! thread but a row of state (how many rounds it has left) and an entry in
//! the kernel's interest list. The one thread sleeps in `epoll_wait(2)`,
//! which returns only the sockets that have bytes to read; the loop
//! answers each and goes back to sleep.
//!
//! Level-triggered (epoll's default, no `EPOLLET`): a socket is reported
//! for as long as it has unread bytes, so a loop that reads one question
//! per report can never miss one. Edge-triggered (`EPOLLET`) reports new
//! bytes arriving, not bytes still waiting, so its loop must read a
//! non-blocking socket until `EAGAIN` to be sure it left nothing behind.

use std::os::fd::OwnedFd;

use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags};
use support::error::{Context, Error, Result};

use crate::driver::Driver;
use crate::limits::stopped_by;
use crate::meter::Meter;
use crate::report::ModelFigures;
use crate::work::{ROUNDS, answer, read_u64, write_u64};

/// How long one `epoll_wait` may sleep with nothing ready before the loop
/// gives up (the driver's wait is at most a second).
const QUIET_LIMIT_MS: u16 = 30_000;

/// Answers every socket's questions from one thread, until all are done.
pub fn epoll_loop(driver: &Driver, sockets: &[OwnedFd]) -> Result<ModelFigures> {
    let mut meter = Meter::start();
    let (mut registered, mut limit) = (0, None);
    // ANCHOR: register
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC).context("epoll_create1(2)")?;
    for (task, socket) in sockets.iter().enumerate() {
        // EPOLLIN without EPOLLET: level-triggered. The data is the task's index.
        let interest = EpollEvent::new(EpollFlags::EPOLLIN, task as u64);
        if let Err(errno) = epoll.add(socket, interest) {
            limit = Some(stopped_by(errno)); // epoll_ctl(2) ADD refused: stop here
            break;
        }
        registered += 1;
    }
    // ANCHOR_END: register
    meter.all_waiting(&[]);
    driver.go(registered)?;
    answer_until_done(&epoll, &sockets[..registered])?;
    meter.all_done();
    Ok(ModelFigures {
        stopped_by: limit,
        ..meter.figures(registered, registered)
    })
}

// ANCHOR: event_loop
/// The event loop: sleep until some sockets are readable, answer each.
fn answer_until_done(epoll: &Epoll, sockets: &[OwnedFd]) -> Result<()> {
    let mut tasks = vec![(ROUNDS, 0u64); sockets.len()]; // each task's state: rounds left, total
    let (mut done, mut events) = (0, vec![EpollEvent::empty(); 1024]);
    while done < sockets.len() {
        let ready = epoll
            .wait(&mut events, QUIET_LIMIT_MS)
            .context("epoll_wait(2)")?;
        if ready == 0 {
            return Err(Error::msg("epoll_wait(2): no socket ready for 30 s"));
        }
        for event in &events[..ready] {
            let (task, socket) = (event.data() as usize, &sockets[event.data() as usize]);
            let question =
                read_u64(socket)? // will not block: epoll said readable
                    .ok_or_else(|| Error::msg("the driver closed a socket early"))?;
            let (rounds_left, total) = &mut tasks[task];
            (*rounds_left, *total) = (*rounds_left - 1, total.wrapping_add(answer(question)));
            if *rounds_left == 0 {
                write_u64(socket, *total)?;
                epoll.delete(socket).context("epoll_ctl(2) DEL")?; // this task is done
                done += 1;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: event_loop
