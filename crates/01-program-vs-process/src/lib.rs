//! Lesson 01: program vs process (being written).

use support::error::Result;

pub const ROLES: &[support::role::Role] = &[];

#[derive(Debug, Clone)]
pub struct Options {
    pub children: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { children: 2 }
    }
}

#[derive(Debug)]
pub struct Report {}

pub fn run(_options: &Options) -> Result<Report> {
    support::heading("1. The program");
    Ok(Report {})
}
