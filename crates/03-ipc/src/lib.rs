//! Lesson 03: inter-process communication (being written).
//!
//! - [`pipes`]: a pipe from the raw calls, a checksummed stream, round trips,
//!   `PIPE_BUF` atomicity and a peer that dies (`just demo-pipes`).

pub mod checksum;
pub mod pipes;
