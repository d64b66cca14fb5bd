//! Part 5: async tasks on tokio. Each task is written like part 2's
//! thread (read the question, write the answer, three times), with
//! `.await` where the thread blocked: when its socket has nothing to read,
//! the task is parked (its state stays in one heap allocation) and the
//! runtime's thread goes on with other tasks. Under it, the runtime runs
//! part 4's loop: one epoll instance, and `epoll_wait` when no task can run.
//!
//! Two runtimes: `current_thread` (every task on this one thread), and the
//! multi-thread runtime with a worker thread per CPU this process may use.
//! Each runs in a process of its own, started for it: a process that holds
//! a runtime's threads must never fork.

use std::io;
use std::os::fd::OwnedFd;

use support::error::{Context, Error, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::driver::Driver;
use crate::limits::{errno_of, stopped_by};
use crate::meter::Meter;
use crate::report::ModelFigures;
use crate::work::{ROUNDS, answer};

/// Runs one async task per socket: on this thread (`workers: None`), or
/// on that many worker threads.
pub fn async_tasks(
    driver: &Driver,
    sockets: Vec<OwnedFd>,
    workers: Option<usize>,
) -> Result<ModelFigures> {
    let mut meter = Meter::start();
    let runtime = runtime(workers)?;
    let _entered = runtime.enter(); // streams register with this runtime's epoll
    let (streams, limit) = register_all(sockets);
    let started = streams.len();
    // ANCHOR: spawn
    let finished = runtime.block_on(async {
        let (waiting_tx, mut waiting_rx) = unbounded_channel();
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|stream| tokio::spawn(answer_rounds(stream, waiting_tx.clone())))
            .collect();
        for _ in 0..started {
            waiting_rx
                .recv()
                .await
                .ok_or_else(|| Error::msg("a task ended unready"))?;
        }
        meter.all_waiting(&[]);
        driver.go(started)?; // the first questions come one wait from now
        let mut finished = 0;
        for task in tasks {
            finished += usize::from(matches!(task.await, Ok(Ok(()))));
        }
        Ok::<_, Error>(finished)
    })?;
    // ANCHOR_END: spawn
    meter.all_done();
    Ok(ModelFigures {
        stopped_by: limit,
        ..meter.figures(started, finished)
    })
}

/// The runtime: this thread alone, or `workers` worker threads.
fn runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime> {
    let mut builder = match workers {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(_) => tokio::runtime::Builder::new_multi_thread(),
    };
    if let Some(workers) = workers {
        builder.worker_threads(workers.max(1));
    }
    builder
        .enable_io()
        .build()
        .context("building tokio's runtime")
}

/// Every socket as a registered stream, until a limit stops it.
fn register_all(sockets: Vec<OwnedFd>) -> (Vec<UnixStream>, Option<String>) {
    let mut streams = Vec::with_capacity(sockets.len());
    for socket in sockets {
        match register(socket) {
            Ok(stream) => streams.push(stream),
            Err(error) => return (streams, Some(stopped_by(errno_of(&error)))),
        }
    }
    (streams, None)
}

/// A task's socket as tokio's stream: non-blocking, and registered with
/// the runtime's epoll instance (`epoll_ctl(2)` ADD).
fn register(socket: OwnedFd) -> io::Result<UnixStream> {
    let socket = std::os::unix::net::UnixStream::from(socket);
    socket.set_nonblocking(true)?; // a read with nothing to read returns EAGAIN
    UnixStream::from_std(socket)
}

// ANCHOR: async_task
/// One task's life, as async code: the thread version with `.await`.
async fn answer_rounds(mut socket: UnixStream, waiting: UnboundedSender<()>) -> io::Result<()> {
    let _ = waiting.send(()); // "I am running"
    drop(waiting);
    let mut total = 0u64;
    for _ in 0..ROUNDS {
        let mut question = [0u8; 8];
        socket.read_exact(&mut question).await?; // parks the task, not the thread
        total = total.wrapping_add(answer(u64::from_le_bytes(question)));
    }
    socket.write_all(&total.to_le_bytes()).await
}
// ANCHOR_END: async_task
