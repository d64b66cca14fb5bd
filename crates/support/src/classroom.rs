//! Options for the classroom, the same in every demo: `--list-parts`,
//! `--part N`, `--pause`, `--predict` and `--short-tags`.
//!
//! A lesson declares its parts once, in `questions.md` beside its
//! `Cargo.toml` (the format is in [`questions`]; the book includes the same
//! file), and names it in a [`Lesson`]. Its binary flattens [`Classroom`]
//! into its options and calls [`start`] after parsing; its `run()` opens a
//! [`predict::Session`] and calls `part(n)` where it used to print the heading:
//!
//! ```text
//! let mut class = LESSON.session();
//! class.part(1);            // heading, question, or silence under --part
//! let figures = part_one()?;
//! class.outcome(answer);    // only when the right answer depends on the run
//! class.verdict("Verdict"); // last part's reveal, the score, the heading
//! ```

pub mod drive;
pub mod predict;
pub mod questions;
#[cfg(test)]
mod tests;

use std::io::{BufRead, IsTerminal};
use std::sync::OnceLock;

use crate::{heading, say};
pub use questions::{Answer, PartInfo, Question};

/// The five options, flattened into every demo's own (`#[command(flatten)]`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Classroom {
    /// Print the parts with their headings, then exit
    #[arg(long)]
    pub list_parts: bool,
    /// Run only part N (tour: L.N) and what it needs [range: a part --list-parts prints]
    #[arg(long, value_name = "N")]
    pub part: Option<String>,
    /// Wait for Enter after each part (and lesson, in the tour); only on a terminal
    #[arg(long)]
    pub pause: bool,
    /// Ask before each part what it will show (answer on stdin); judge it by this run
    #[arg(long)]
    pub predict: bool,
    /// Short speaker tags for narrow screens: [P 5120 main], not [parent pid=5120 main]
    #[arg(long)]
    pub short_tags: bool,
}

/// A lesson's label (`2`, `pipes`: what `--part L.N` names) and its parts.
#[derive(Debug, Clone, Copy)]
pub struct Lesson {
    pub label: &'static str,
    /// The text of the lesson's `questions.md`.
    pub questions: &'static str,
}

/// Which part `--part` chose: the lesson's label (if given) and the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub lesson: Option<String>,
    pub part: u32,
}

static OPTIONS: OnceLock<(Classroom, Option<Choice>)> = OnceLock::new();

/// Acts on the options for a binary that runs `lessons`: `--list-parts`
/// prints and exits 0; a `--part` none of them has exits 2 with the list.
/// Call it after parsing, before running anything.
pub fn start(options: &Classroom, lessons: &[Lesson]) {
    if options.list_parts {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        for line in list_lines(lessons) {
            if writeln!(stdout, "{line}").is_err() {
                break; // `--list-parts | head`: the reader has gone
            }
        }
        std::process::exit(0);
    }
    let choice = options
        .part
        .as_deref()
        .map(|text| match check(text, lessons) {
            // `--part N` in a lesson's own binary names that lesson, not the
            // lessons it may run inside itself (lesson 07 runs 04 and 06).
            Ok(Choice { lesson: None, part }) => Choice {
                lesson: lessons.first().map(|l| l.label.to_string()),
                part,
            },
            Ok(choice) => choice,
            Err(message) => {
                use std::io::Write;
                let mut stderr = std::io::stderr().lock();
                let mut lines = vec![format!("error: {message}\n\nThe parts:")];
                lines.extend(list_lines(lessons));
                // A closed stderr (`2>&1 | head`) must not turn exit 2 into a panic.
                let _ = lines.iter().try_for_each(|l| writeln!(stderr, "{l}"));
                std::process::exit(2);
            }
        });
    crate::speaker::set_short_tags(options.short_tags);
    let _ = OPTIONS.set((options.clone(), choice));
}

/// The options [`start`] saw (all off before it runs).
pub fn options() -> (Classroom, Option<Choice>) {
    OPTIONS.get().cloned().unwrap_or_default()
}

/// Whether the tour should run `lesson` at all (`--part L.N` names one).
pub fn runs_lesson(lesson: &Lesson) -> bool {
    match options().1 {
        Some(Choice {
            lesson: Some(label),
            ..
        }) => label == lesson.label,
        _ => true,
    }
}

/// The part `--part` chose in `lesson`, if it chose one there.
pub fn chosen_part(lesson: &Lesson) -> Option<u32> {
    let choice = options().1?;
    (choice.lesson.as_deref() == Some(lesson.label)).then_some(choice.part)
}

/// Runs `lesson` whole, or, when `--part N` chose one of its parts, only
/// `part(N)`: that part and what it needs, never the others.
pub fn whole_or_part<T>(
    lesson: &Lesson,
    whole: impl FnOnce() -> crate::error::Result<T>,
    part: impl FnOnce(u32) -> crate::error::Result<()>,
) -> crate::error::Result<()> {
    match chosen_part(lesson) {
        Some(n) => part(n),
        None => whole().map(drop),
    }
}

/// `--list-parts`: one line per part, `L.N  heading`.
pub fn list_lines(lessons: &[Lesson]) -> Vec<String> {
    let mut parts = Vec::new();
    for lesson in lessons {
        for part in lesson.parts() {
            parts.push((format!("{}.{}", lesson.label, part.number), part.heading));
        }
    }
    let width = parts.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut lines: Vec<String> = parts
        .iter()
        .map(|(name, title)| format!("{name:<width$}  {title}"))
        .collect();
    let one = lessons.len() == 1;
    let how = if one {
        "--part N or --part L.N"
    } else {
        "--part L.N"
    };
    lines.push(format!(
        "(choose one with {how}; each lesson's verdict needs every part)"
    ));
    lines
}

/// Parses `N` or `L.N` and checks that one of `lessons` has that part.
pub fn check(text: &str, lessons: &[Lesson]) -> Result<Choice, String> {
    let (label, number) = match text.rsplit_once('.') {
        Some((label, n)) => (Some(label.to_string()), n),
        None => (None, text),
    };
    let bad = || format!("no part {text:?} here: name one that --list-parts prints");
    let part: u32 = number.parse().map_err(|_| bad())?;
    if label.is_none() && lessons.len() > 1 {
        return Err(format!(
            "--part {text}: in the tour, name the lesson too (L.N)"
        ));
    }
    let found = lessons.iter().any(|lesson| {
        label.as_deref().is_none_or(|l| l == lesson.label)
            && lesson.parts().iter().any(|p| p.number == part)
    });
    found
        .then_some(Choice {
            lesson: label,
            part,
        })
        .ok_or_else(bad)
}

impl Lesson {
    /// `Lesson::new("2", include_str!("../questions.md"))`.
    pub const fn new(label: &'static str, questions: &'static str) -> Lesson {
        Lesson { label, questions }
    }

    /// The parts, as `questions.md` declares them (it panics on a file that
    /// does not follow the format: every lesson's tests parse theirs).
    pub fn parts(&self) -> Vec<PartInfo> {
        questions::parse(self.questions).unwrap_or_else(|e| panic!("questions.md: {e}"))
    }

    /// A run of this lesson under the options [`start`] saw.
    pub fn session(&self) -> predict::Session {
        predict::Session::new(self.parts(), options().0, chosen_part(self))
    }
}

/// `--pause`: waits for Enter, but only when a person can press it: stdin
/// and stdout are both terminals. Otherwise (a pipe, /dev/null, CI) it
/// returns at once, so nothing ever blocks.
pub fn pause(next: &str) {
    if !(options().0.pause && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return;
    }
    say!("press Enter for {next}");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

/// Prints the heading of a part (kept here so a session and the tour agree).
pub(crate) fn part_heading(part: &PartInfo) {
    heading(&format!("{}. {}", part.number, part.heading));
}
