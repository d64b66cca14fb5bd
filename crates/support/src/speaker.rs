//! Who is speaking: every line a demo prints starts with a tag such as
//! `[parent pid=41230 main    ]`, `[child  pid=41231 main    ]` or
//! `[thread pid=41230 worker-2]`.
//!
//! The tag is worked out at the moment of printing:
//! - the *pid* is `getpid()` right now, so a forked child prints its own;
//! - the *name* is the current thread's name (`main` for the main thread);
//! - the *kind* is `child` in a process that was marked as a child (by
//!   [`mark_child_process`], or automatically in a re-executed role),
//!   otherwise `thread` on a thread other than main, otherwise `parent`.
//!
//! On a terminal the tag is also coloured by kind (parent cyan, child
//! yellow, thread green), never instead of the word: see
//! [`colour_on_stdout`] for when.

use std::fmt;
use std::io::IsTerminal;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set in a process that was started by a lesson (forked or re-executed).
static IS_CHILD_PROCESS: AtomicBool = AtomicBool::new(false);

/// Marks this process as a child, so its lines say `child`.
///
/// Only an atomic store: safe to call straight after `fork`, even where the
/// child may only use async-signal-safe functions.
pub fn mark_child_process() {
    IS_CHILD_PROCESS.store(true, Ordering::Relaxed);
}

/// Set when a caller wants a lesson's results without its story (the
/// key-differences table runs the lessons quietly).
static QUIET: AtomicBool = AtomicBool::new(false);

/// The environment variable that carries "quiet" into re-executed roles.
pub const QUIET_ENV: &str = "SUPPORT_QUIET";

/// Silences [`say!`](crate::say!), [`heading`] and [`print_line`] in this
/// process, in processes it forks from now on, and in roles it starts with
/// [`crate::role::command`]. Errors and warnings on stderr still show.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether [`set_quiet`] silenced this process.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Set by `--short-tags`: `[P 5120 main    ]` instead of `[parent pid=5120 main    ]`.
static SHORT_TAGS: AtomicBool = AtomicBool::new(false);

/// The environment variable that carries short tags into re-executed roles.
pub const SHORT_TAGS_ENV: &str = "SUPPORT_SHORT_TAGS";

/// Shortens the tags of this process, of the processes it forks from now
/// on, and of the roles it starts (see [`pass_colour_to`]).
pub fn set_short_tags(short: bool) {
    SHORT_TAGS.store(short, Ordering::Relaxed);
}

/// Whether tags are short: set here, or by a parent that started this role.
pub fn short_tags() -> bool {
    static FROM_PARENT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    SHORT_TAGS.load(Ordering::Relaxed)
        || *FROM_PARENT.get_or_init(|| std::env::var_os(SHORT_TAGS_ENV).is_some())
}

/// Whether this process was marked as a child.
pub fn is_child_process() -> bool {
    IS_CHILD_PROCESS.load(Ordering::Relaxed)
}

/// What a line's speaker is, in the first column of its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The process the reader started.
    Parent,
    /// A process a lesson started.
    Child,
    /// A thread other than `main` in the parent process.
    Thread,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Parent => "parent",
            Kind::Child => "child",
            Kind::Thread => "thread",
        }
    }
}

/// A speaker tag: kind, process id and thread name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub kind: Kind,
    pub pid: u32,
    pub name: String,
}

impl Speaker {
    /// The speaker for the calling thread of the calling process, right now.
    pub fn current() -> Speaker {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("unnamed").to_string();
        let kind = if is_child_process() {
            Kind::Child
        } else if name == "main" {
            Kind::Parent
        } else {
            Kind::Thread
        };
        Speaker {
            kind,
            pid: std::process::id(),
            name,
        }
    }

    /// The tag as [`say!`](crate::say!) prints it: coloured by kind when
    /// [`colour_on_stdout`] says so, plain otherwise.
    pub fn painted(&self) -> String {
        match colour_for(self.kind) {
            Some(code) => format!("\x1b[{code}m{self}\x1b[0m"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for Speaker {
    /// `[parent pid=41230 main    ]`, never coloured: kind padded to 6,
    /// name to 8, so columns align. With short tags: `[P 41230 main    ]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if short_tags() {
            let letter = &self.kind.word()[..1].to_uppercase();
            return write!(f, "[{letter} {} {:<8}]", self.pid, self.name);
        }
        write!(
            f,
            "[{:<6} pid={} {:<8}]",
            self.kind.word(),
            self.pid,
            self.name
        )
    }
}

/// Whether this process colours what it prints on stdout. The rule is the
/// one clap follows for `--help`, read with the same crate, `anstyle-query`:
/// - `NO_COLOR` set and not empty: no colour (`NO_COLOR=` alone changes
///   nothing);
/// - `CLICOLOR_FORCE` set and not empty: colour, even into a pipe or a file;
/// - `CLICOLOR=0`: no colour;
/// - otherwise colour only when stdout is a terminal that can show it
///   (`TERM` set and not `dumb`, or `CLICOLOR` set, or `CI` set).
pub fn colour_on_stdout() -> bool {
    if anstyle_query::no_color() {
        false
    } else if anstyle_query::clicolor_force() {
        true
    } else if anstyle_query::clicolor() == Some(false) {
        false
    } else {
        std::io::stdout().is_terminal()
            && (anstyle_query::term_supports_color()
                || anstyle_query::clicolor() == Some(true)
                || anstyle_query::is_ci())
    }
}

/// Hands this process's decision to colour down to a child started with
/// `command`. A child whose lines we read and relay writes into a pipe, so
/// by the rule above it would print no colour; when we colour, it gets
/// `CLICOLOR_FORCE=1` and its relayed lines keep their colour. Short tags
/// are handed down the same way.
pub fn pass_colour_to(command: &mut Command) {
    if short_tags() {
        command.env(SHORT_TAGS_ENV, "1");
    }
    if colour_on_stdout() {
        command.env("CLICOLOR_FORCE", "1");
    }
}

fn colour_for(kind: Kind) -> Option<&'static str> {
    if !colour_on_stdout() {
        return None;
    }
    Some(match kind {
        Kind::Parent => "36", // cyan
        Kind::Child => "33",  // yellow
        Kind::Thread => "32", // green
    })
}

/// Prints one line tagged with the current speaker.
///
/// ```
/// support::say!("started child pid={}", 4312);
/// // [parent pid=4311 main    ] started child pid=4312
/// ```
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::speaker::print_line(::std::format_args!(
            "{} {}",
            $crate::speaker::Speaker::current().painted(),
            ::std::format_args!($($arg)*)
        ))
    };
}

/// Prints a section heading: a blank line, then `== 1. The program ==`.
pub fn heading(title: &str) {
    if colour_on_stdout() {
        print_line(format_args!("\n\x1b[1m== {title} ==\x1b[0m"));
    } else {
        print_line(format_args!("\n== {title} =="));
    }
}

/// Prints one line to stdout, as it is (a line relayed from a child already
/// carries its own tag).
///
/// If the reader has gone away (`demo | head`), stdout is a pipe with no
/// reader and the write fails with EPIPE. Rust ignores SIGPIPE, so instead
/// of a panic we do what SIGPIPE would have done, tidily: kill and reap our
/// guarded children, remove registered files, and exit with 141 (128 +
/// SIGPIPE), the code a shell shows for a pipeline cut short.
pub fn print_line(line: fmt::Arguments<'_>) {
    use std::io::Write;
    if is_quiet() {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{line}") {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            drop(stdout);
            crate::guard::clean_up_now();
            std::process::exit(141);
        }
        panic!("writing to stdout failed: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_pads_kind_and_name_so_columns_align() {
        let parent = Speaker {
            kind: Kind::Parent,
            pid: 41230,
            name: "main".into(),
        };
        let child = Speaker {
            kind: Kind::Child,
            pid: 41231,
            name: "main".into(),
        };
        let thread = Speaker {
            kind: Kind::Thread,
            pid: 41230,
            name: "worker-2".into(),
        };
        // Display is the plain tag, whatever stdout is.
        assert_eq!(parent.to_string(), "[parent pid=41230 main    ]");
        assert_eq!(child.to_string(), "[child  pid=41231 main    ]");
        assert_eq!(thread.to_string(), "[thread pid=41230 worker-2]");
    }

    #[test]
    fn a_named_thread_speaks_as_thread_with_this_pid() {
        let speaker = std::thread::Builder::new()
            .name("worker-7".into())
            .spawn(Speaker::current)
            .expect("spawn a thread")
            .join()
            .expect("join the thread");
        assert_eq!(speaker.kind, Kind::Thread);
        assert_eq!(speaker.name, "worker-7");
        assert_eq!(speaker.pid, std::process::id());
    }
}
