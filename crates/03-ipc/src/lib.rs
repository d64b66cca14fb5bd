//! Lesson 03: inter-process communication (being written).
//!
//! - [`pipes`]: a pipe from the raw calls, a checksummed stream, round trips,
//!   `PIPE_BUF` atomicity and a peer that dies (`just demo-pipes`).
//! - [`shared_memory`]: private vs shared mappings after fork, a ring buffer
//!   between two processes, round trips through a shared word, a named
//!   `shm_open` object (`just demo-shared-memory`).

pub mod checksum;
pub mod pipes;
pub mod shared_memory;
