//! The kernel objects every model waits on, and how a descriptor travels
//! from one process to another.
//!
//! Each task's socket is one end of a Unix stream socket pair; the driver,
//! another process, holds the other end. A descriptor crosses to another
//! process in `sendmsg(2)` with an `SCM_RIGHTS` message: the receiver gets
//! a descriptor of its own for the same open socket (TLPI chapter 61). The
//! lesson's messages go over a `SOCK_SEQPACKET` pair, which keeps message
//! boundaries: one `recvmsg` is one message, two numbers and at most one
//! descriptor.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::resource::{Resource, getrlimit};
use nix::sys::socket::{
    AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, recvmsg,
    sendmsg, socketpair,
};
use support::error::{Context, Error, Result};

/// Descriptors left free for the model and the driver once the sockets are
/// made: the runtime's epoll and eventfd, /proc files, a channel.
pub const KEPT_FREE: usize = 16;

/// How many more descriptors RLIMIT_NOFILE lets this process open.
pub fn descriptors_left() -> Option<usize> {
    let (soft, _) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    let open = std::fs::read_dir("/proc/self/fd").ok()?.count() as u64;
    Some(soft.saturating_sub(open).min(usize::MAX as u64) as usize)
}

/// One message: two numbers (a task's index, a count, a tally).
pub type Message = [u64; 2];

/// A task's socket pair: (the driver's end, the task's end).
pub fn socket_pair() -> nix::Result<(OwnedFd, OwnedFd)> {
    let cloexec = SockFlag::SOCK_CLOEXEC;
    socketpair(AddressFamily::Unix, SockType::Stream, None, cloexec)
}

/// A pair for messages that may carry a descriptor.
pub fn channel() -> Result<(OwnedFd, OwnedFd)> {
    let cloexec = SockFlag::SOCK_CLOEXEC;
    socketpair(AddressFamily::Unix, SockType::SeqPacket, None, cloexec)
        .context("socketpair(2) of a channel")
}

// ANCHOR: send_descriptor
/// Sends `message`, and `descriptor` with it if given (`SCM_RIGHTS`).
pub fn send(channel: &OwnedFd, message: Message, descriptor: Option<&OwnedFd>) -> Result<()> {
    let bytes: Vec<u8> = message.iter().flat_map(|n| n.to_le_bytes()).collect();
    let raw: Vec<RawFd> = descriptor.iter().map(|fd| fd.as_raw_fd()).collect();
    let rights = [ControlMessage::ScmRights(&raw)]; // the kernel installs a copy in the receiver
    let control = if raw.is_empty() { &[][..] } else { &rights[..] };
    loop {
        let iov = [IoSlice::new(&bytes)];
        match sendmsg::<()>(channel.as_raw_fd(), &iov, control, MsgFlags::empty(), None) {
            Ok(_) => return Ok(()),
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno).context("sendmsg(2)"),
        }
    }
}
// ANCHOR_END: send_descriptor

/// Receives one message and the descriptor it carried, if any; `None`
/// when the other end has closed.
pub fn receive(channel: &OwnedFd) -> Result<Option<(Message, Option<OwnedFd>)>> {
    let mut bytes = [0u8; 16];
    let mut space = nix::cmsg_space!([RawFd; 1]);
    let (count, descriptor) = loop {
        let mut iov = [IoSliceMut::new(&mut bytes)];
        let flags = MsgFlags::MSG_CMSG_CLOEXEC;
        match recvmsg::<()>(channel.as_raw_fd(), &mut iov, Some(&mut space), flags) {
            Ok(message) => {
                // MSG_CTRUNC: the descriptor did not fit in this process.
                let cmsgs = message.cmsgs().map_err(|_| no_room_for_descriptor())?;
                let descriptor = cmsgs.into_iter().find_map(|cmsg| match cmsg {
                    ControlMessageOwned::ScmRights(fds) => fds.first().copied(),
                    _ => None,
                });
                break (message.bytes, descriptor);
            }
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno).context("recvmsg(2)"),
        }
    };
    if count == 0 {
        return Ok(None);
    }
    let number = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    // SAFETY: the kernel just installed this descriptor in this process for
    // us alone (SCM_RIGHTS); nothing else owns it.
    let owned = descriptor.map(|fd| unsafe { OwnedFd::from_raw_fd(fd) });
    Ok(Some(([number(0), number(8)], owned)))
}

fn no_room_for_descriptor() -> Error {
    Error::msg("recvmsg(2): a descriptor was dropped (MSG_CTRUNC): RLIMIT_NOFILE reached")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_descriptor_and_its_numbers_arrive_together_and_work() {
        let (ours, theirs) = channel().unwrap();
        let (near, far) = socket_pair().unwrap();
        send(&ours, [5, 9], Some(&far)).unwrap();
        drop(far); // the copy in flight keeps the socket open
        send(&ours, [6, 0], None).unwrap();
        let (message, received) = receive(&theirs).unwrap().unwrap();
        assert_eq!(message, [5, 9]);
        crate::work::write_u64(received.unwrap(), 42).unwrap();
        assert_eq!(crate::work::read_u64(&near).unwrap(), Some(42));
        let (message, received) = receive(&theirs).unwrap().unwrap();
        assert_eq!((message, received.is_none()), ([6, 0], true));
        drop(ours);
        assert!(receive(&theirs).unwrap().is_none(), "end of file");
    }
}
