//! Lesson 03: inter-process communication (being written).

pub mod checksum;
