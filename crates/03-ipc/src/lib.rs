//! # Lesson 03: how processes talk
//!
//! Threads talk by sharing variables; processes have no writable memory in
//! common unless they ask for it, so they talk through the kernel. This
//! lesson has two halves, each a demo of its own, and the listings in
//! `examples/` come first:
//!
//! - `03a-simple-pipe.rs`, `03b-no-eof-broken.rs`: a pipe, and the close
//!   that a reader's EOF depends on;
//! - `03c-private-vs-shared.rs`: `MAP_PRIVATE` against `MAP_SHARED` after fork;
//! - `03d-shm-by-name.rs`: two strangers meet at a `shm_open` name;
//! - `03e-futex-across-processes.rs`: sleeping and waking across processes
//!   on a futex in a shared page.
//!
//! Then the narrated, measured demos:
//!
//! - [`pipes`] (`just demo-pipes`): the raw calls, a checksummed stream with
//!   two buffer sizes, round trips, `PIPE_BUF` atomicity, a peer that dies;
//! - [`shared_memory`] (`just demo-shared-memory`): private against shared
//!   pages, a ring between two processes against the same work in one
//!   process, round trips on a shared word, two strangers at a name, why
//!   not a Mutex in the shared page.
//!
//! Neither half calls the other's transport code: the comparison of every
//! transport, threads included, is lesson 07's (`just compare`). Both send
//! the same source bytes ([`source`]) with the same [`checksum`].

pub mod checksum;
pub mod noise;
pub mod pipes;
pub mod shared_memory;
pub mod source;
pub mod text;
