//! One loud error idiom, in the spirit of TLPI's `errExit("pipe")`: every
//! failure names the call that failed.
//!
//! ```
//! use support::error::{Context, Result};
//!
//! fn open_config() -> Result<std::fs::File> {
//!     std::fs::File::open("/no/such/file").context("open(2) of /no/such/file")
//! }
//! let message = open_config().unwrap_err().to_string();
//! assert!(message.starts_with("open(2) of /no/such/file failed: "));
//! ```

use std::fmt;
use std::process::ExitCode;

/// A lesson's error: what failed, and why.
#[derive(Debug)]
pub struct Error {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// A lesson's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with no underlying cause: `Error::msg("checksum mismatch")`.
    pub fn msg(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            source: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{} failed: {source}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Adds the name of the call to an error: `.context("fork(2)")`.
pub trait Context<T> {
    /// On error, say `"{call} failed: {cause}"`.
    fn context(self, call: impl Into<String>) -> Result<T>;
}

impl<T, E> Context<T> for std::result::Result<T, E>
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn context(self, call: impl Into<String>) -> Result<T> {
        self.map_err(|cause| Error {
            message: call.into(),
            source: Some(Box::new(cause)),
        })
    }
}

/// For a binary's `main`: print the error to stderr and exit 1, or exit 0.
pub fn exit_code<T>(result: Result<T>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::errno::Errno;

    #[test]
    fn the_failed_call_is_named_with_its_cause() {
        let result: std::result::Result<(), Errno> = Err(Errno::EAGAIN);
        let error = result.context("fork(2)").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("fork(2) failed: {}", Errno::EAGAIN)
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn a_plain_message_stands_alone() {
        assert_eq!(
            Error::msg("checksum mismatch").to_string(),
            "checksum mismatch"
        );
    }
}
