//! Re-executing yourself in a role.
//!
//! Some lessons need a second process running *the same program* — to show
//! that one program can be many processes, or to let a child crash while the
//! demo watches. Forking is one way; the other, used here, is to start our
//! own executable again (`std::env::current_exe()`) with a hidden first
//! argument naming the role:
//!
//! ```text
//! /path/to/demo --support-role fault-isolation:crashing-threads 4 2
//! ```
//!
//! Every binary that may run a lesson hands its arguments to [`dispatch`]
//! first thing in `main`, before it parses options or starts a thread. If the
//! first argument is the role flag, the role runs and the process exits with
//! the role's code; otherwise `dispatch` returns and `main` carries on.

use std::io::Write;
use std::process::Command;

/// The hidden first argument that selects a role. Never shown in `--help`:
/// `dispatch` takes it before the option parser sees anything.
pub const ROLE_FLAG: &str = "--support-role";

/// A named piece of a lesson that runs in a process of its own.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    /// `lesson:role`, e.g. `program-vs-process:copy-of-a-variable`.
    pub name: &'static str,
    /// Runs the role with the arguments after its name; returns the
    /// process's exit code.
    pub run: fn(&[String]) -> i32,
}

/// Runs the role named on the command line, if there is one, and exits.
///
/// Call it first in `main`, with the role lists of every lesson the binary
/// can run. An unknown role name exits with code 2 and a message.
pub fn dispatch(role_lists: &[&[Role]]) {
    let args: Vec<String> = std::env::args().collect();
    let Some(found) = find(&args, role_lists) else {
        return;
    };
    // This process was started by a lesson: its lines say `child`.
    crate::speaker::mark_child_process();
    // A quiet parent (see `speaker::set_quiet`) wants a quiet child.
    if std::env::var_os(crate::speaker::QUIET_ENV).is_some() {
        crate::speaker::set_quiet(true);
    }
    let code = match found {
        Ok((role, rest)) => (role.run)(rest),
        Err(unknown) => {
            eprintln!("error: no role named {unknown:?} in this binary");
            2
        }
    };
    // `process::exit` skips destructors, so flush what the role printed.
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// `None` when `args` asks for no role; `Some(Err(name))` for a role that
/// does not exist; otherwise the role and the arguments after its name.
pub fn find<'a>(
    args: &'a [String],
    role_lists: &[&[Role]],
) -> Option<Result<(Role, &'a [String]), &'a str>> {
    if args.get(1).map(String::as_str) != Some(ROLE_FLAG) {
        return None;
    }
    let name = args.get(2).map(String::as_str).unwrap_or("");
    let role = role_lists
        .iter()
        .flat_map(|list| list.iter())
        .find(|role| role.name == name);
    Some(match role {
        Some(role) => Ok((*role, &args[3..])),
        None => Err(name),
    })
}

/// A `Command` that starts this same executable in `role`. Add the role's
/// own arguments with `.arg(…)`, then spawn it.
pub fn command(role: &str) -> std::io::Result<Command> {
    // current_exe(): on Linux, the file behind /proc/self/exe.
    let exe = std::env::current_exe()?;
    let mut command = Command::new(exe);
    command.arg(ROLE_FLAG).arg(role);
    if crate::speaker::is_quiet() {
        command.env(crate::speaker::QUIET_ENV, "1");
    }
    crate::speaker::pass_colour_to(&mut command); // relayed lines keep their colour
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seven(_: &[String]) -> i32 {
        7
    }

    const ROLES: &[Role] = &[Role {
        name: "lesson:seven",
        run: seven,
    }];

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn ordinary_arguments_select_no_role() {
        assert!(find(&args(&["demo", "--children", "3"]), &[ROLES]).is_none());
        assert!(find(&args(&["demo"]), &[ROLES]).is_none());
    }

    #[test]
    fn the_flag_selects_a_role_and_passes_the_rest() {
        let argv = args(&["demo", ROLE_FLAG, "lesson:seven", "a", "b"]);
        let (role, rest) = find(&argv, &[ROLES]).unwrap().unwrap();
        assert_eq!(role.name, "lesson:seven");
        assert_eq!((role.run)(rest), 7);
        assert_eq!(rest, ["a", "b"]);
    }

    #[test]
    fn an_unknown_role_is_named_in_the_error() {
        let argv = args(&["demo", ROLE_FLAG, "lesson:nine"]);
        assert_eq!(find(&argv, &[ROLES]).unwrap().unwrap_err(), "lesson:nine");
    }

    #[test]
    fn the_command_runs_this_executable_with_the_role() {
        let command = command("lesson:seven").unwrap();
        assert_eq!(command.get_program(), std::env::current_exe().unwrap());
        let argv: Vec<_> = command.get_args().collect();
        assert_eq!(argv, [ROLE_FLAG, "lesson:seven"]);
    }
}
