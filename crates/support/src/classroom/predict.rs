//! A run of one lesson under the classroom options: which parts are shown,
//! `--predict`'s questions, answers and score, and `--pause` between parts.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Classroom, PartInfo, Question, part_heading, pause};
use crate::say;
use crate::speaker::{is_quiet, set_quiet};

/// Text columns after the widest tag (`[parent pid=1234567 main    ] `).
pub const TEXT_COLUMNS: usize = 70;

/// Set once stdin ends: no more questions, in this lesson or the next.
static NO_MORE_ANSWERS: AtomicBool = AtomicBool::new(false);

/// See [`super::Lesson::session`]. Dropping it gives back the quiet
/// setting it found, so the tour's next lesson speaks again.
pub struct Session {
    parts: Vec<PartInfo>,
    options: Classroom,
    only: Option<u32>,
    current: Option<usize>,
    guess: Option<usize>,
    outcome: Option<usize>,
    pub asked: u32,
    pub matched: u32,
    was_quiet: bool,
}

impl Session {
    pub fn new(parts: Vec<PartInfo>, options: Classroom, only: Option<u32>) -> Session {
        let was_quiet = is_quiet();
        // Under `--part N`, what part N needs runs before its heading, silently.
        set_quiet(was_quiet || only.is_some());
        let (current, guess, outcome, asked, matched) = (None, None, None, 0, 0);
        Session {
            parts,
            options,
            only,
            current,
            guess,
            outcome,
            asked,
            matched,
            was_quiet,
        }
    }

    /// Starts part `number`: ends the one before (reveal, pause), then
    /// prints this one's heading and asks its question.
    ///
    /// # Panics
    /// Under `--part N`, for any other part: a lesson's `run_part` runs
    /// part N alone, and its whole `run` is not called (see
    /// [`super::whole_or_part`]).
    pub fn part(&mut self, number: u32) {
        self.end_part();
        let index = self.parts.iter().position(|p| p.number == number);
        let index = index.unwrap_or_else(|| panic!("questions.md has no part {number}"));
        if let Some(only) = self.only.filter(|&only| only != number) {
            panic!("part {number} started under --part {only}: run it alone with run_part");
        }
        self.current = Some(index);
        set_quiet(self.was_quiet);
        part_heading(&self.parts[index]);
        if let Some(question) = &self.parts[index].question {
            if self.options.predict && !is_quiet() {
                self.guess = ask(question);
            }
        }
    }

    /// What this run did, as the number of the choice that matches it, for
    /// a question whose answer depends on the run (`None`: the run could
    /// not tell, and the question is not scored).
    pub fn outcome(&mut self, choice: impl Into<Option<usize>>) {
        self.outcome = choice.into();
    }

    /// Ends the last part, prints the score, then the verdict's heading.
    pub fn verdict(&mut self, title: &str) {
        self.end_part();
        self.score();
        crate::heading(title);
    }

    /// Ends a `--part N` run: the part's reveal, the score, and one line
    /// saying the verdict is left out.
    pub fn end_alone(mut self) {
        self.end_part();
        self.score();
        let only = self.only.map_or(String::new(), |n| format!(" {n}"));
        say!("(verdict left out: it draws on every part, and --part{only} ran one)");
    }

    fn score(&self) {
        set_quiet(self.was_quiet);
        if self.options.predict && self.asked > 0 {
            let (matched, asked) = (self.matched, self.asked);
            say!("{matched} of {asked} predictions matched this run");
        }
    }

    fn end_part(&mut self) {
        let Some(index) = self.current.take() else {
            return;
        };
        let (guess, outcome) = (self.guess.take(), self.outcome.take());
        let part = &self.parts[index];
        if let (Some(guess), Some(question)) = (guess, &part.question) {
            let (agreed, lines) = judge(question, guess, outcome);
            self.asked += u32::from(agreed.is_some());
            self.matched += u32::from(agreed == Some(true));
            lines.iter().for_each(|line| say!("{line}"));
        }
        // Under `--part N` no part follows, and the tour runs no next lesson.
        if !is_quiet() && self.only.is_none() && self.parts.len() > index + 1 {
            pause("the next part");
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        set_quiet(self.was_quiet);
    }
}

/// Prints the question and reads an answer: `None` once stdin has ended.
fn ask(question: &Question) -> Option<usize> {
    if NO_MORE_ANSWERS.load(Ordering::Relaxed) {
        return None;
    }
    wrap(&format!("predict: {}", question.text))
        .iter()
        .for_each(|l| say!("{l}"));
    for (i, choice) in question.choices.iter().enumerate() {
        let lines = wrap_to(&format!("{}. {choice}", i + 1), TEXT_COLUMNS - 5);
        lines
            .iter()
            .enumerate()
            .for_each(|(j, l)| say!("{}{l}", ["  ", "     "][j.min(1)]));
    }
    let n = question.choices.len();
    loop {
        say!("your answer (1 to {n}, on stdin)?");
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        if matches!(read, Ok(0) | Err(_)) {
            say!("(stdin ended: no more questions, the demo carries on)");
            NO_MORE_ANSWERS.store(true, Ordering::Relaxed);
            return None;
        }
        match line.trim().parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) => {
                say!("you said {k}");
                return Some(k);
            }
            _ => say!(
                "{:?} is not an answer: type a number from 1 to {n}",
                line.trim()
            ),
        }
    }
}

/// Whether `guess` matched (`None`: not scored), and the lines that say so
/// and why. `outcome` is the choice this run showed, for a question the run
/// decides.
pub fn judge(
    question: &Question,
    guess: usize,
    outcome: Option<usize>,
) -> (Option<bool>, Vec<String>) {
    let fixed = question.answers.iter().find(|a| a.when.is_none());
    let by_run = outcome.and_then(|k| question.answers.iter().find(|a| a.choice == k));
    let Some(answer) = fixed.or(by_run) else {
        return (
            None,
            vec!["(this run did not decide the question: not scored)".into()],
        );
    };
    let agreed = guess == answer.choice;
    let said = match (agreed, &answer.when) {
        (true, None) => format!("you said {guess}: right."),
        (false, None) => format!("you said {guess}; the answer is {}.", answer.choice),
        (true, Some(when)) => format!("you said {guess}: this run agreed ({when})."),
        (false, Some(when)) => format!(
            "you said {guess}; this run showed {} ({when}).",
            answer.choice
        ),
    };
    (Some(agreed), wrap(&format!("{said} {}", answer.why)))
}

/// Splits `text` into lines of at most [`TEXT_COLUMNS`] characters.
pub fn wrap(text: &str) -> Vec<String> {
    wrap_to(text, TEXT_COLUMNS)
}

fn wrap_to(text: &str, columns: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > columns {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}
