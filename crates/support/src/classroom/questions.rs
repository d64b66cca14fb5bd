//! The format of a lesson's `questions.md`, which `--list-parts`, `--part`
//! and `--predict` read and the book includes as it is:
//!
//! ```text
//! ### Part 3: Sharing needs synchronisation        <- number and heading
//!
//! **Predict:** Four threads each add to one counter … what does it read?
//!
//! 1. exactly the sum                               <- 2 to 4 choices
//! 2. less than the sum: updates are lost
//!
//! **Answer, when updates were lost:** 2. Each load … <- the run decides
//!
//! **Answer, when none were lost:** 1. This time …
//! ```
//!
//! Choices start after a blank line, as a Markdown list must. A question
//! with one right answer has one `**Answer:** K. why` line. A
//! line that starts none of these continues the one before it; a part may
//! have no question (`--predict` then only shows it).

/// A part: its number, its heading, and perhaps a question.
#[derive(Debug, Clone, PartialEq)]
pub struct PartInfo {
    pub number: u32,
    pub heading: String,
    pub question: Option<Question>,
}

/// One question with 2 to 4 choices, and its answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Question {
    pub text: String,
    pub choices: Vec<String>,
    /// One fixed answer, or one per way the run can go (`when` says which).
    pub answers: Vec<Answer>,
}

/// A right choice (numbered from 1) and why it is right.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub when: Option<String>,
    pub choice: usize,
    pub why: String,
}

/// Which field a continuation line extends.
#[derive(Clone, Copy)]
enum Field {
    None,
    Text,
    Choice,
    Answer,
}

/// Parses a `questions.md`; the error names the line it could not read.
pub fn parse(text: &str) -> Result<Vec<PartInfo>, String> {
    let mut parts: Vec<PartInfo> = Vec::new();
    let (mut field, mut blank) = (Field::None, true);
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        let after_blank = std::mem::replace(&mut blank, line.is_empty());
        let bad = |what: &str| format!("line {}: {what}: {line}", number + 1);
        if line.is_empty() || line.starts_with("<!--") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("### Part ") {
            let (n, heading) = rest.split_once(": ").ok_or_else(|| bad("no ': '"))?;
            let number = n.parse().map_err(|_| bad("no part number"))?;
            let heading = heading.to_string();
            parts.push(PartInfo {
                number,
                heading,
                question: None,
            });
            field = Field::None;
            continue;
        }
        let part = parts.last_mut().ok_or_else(|| bad("before any part"))?;
        if let Some(rest) = line.strip_prefix("**Predict:** ") {
            let text = rest.to_string();
            part.question = Some(Question {
                text,
                ..Question::default()
            });
            field = Field::Text;
            continue;
        }
        let question = part
            .question
            .as_mut()
            .ok_or_else(|| bad("before **Predict:**"))?;
        let choice_may_start = after_blank || matches!(field, Field::Choice);
        field = into_question(question, line, field, choice_may_start).map_err(bad)?;
    }
    check(&parts)?;
    Ok(parts)
}

/// Adds one line to a question: a choice, an answer, or more of `field`.
fn into_question(
    q: &mut Question,
    line: &str,
    field: Field,
    choice_may_start: bool,
) -> Result<Field, &'static str> {
    let numbered = line
        .split_once(". ")
        .filter(|(k, _)| k.parse::<usize>().is_ok());
    if let Some((k, rest)) = numbered.filter(|_| choice_may_start) {
        if k.parse() != Ok(q.choices.len() + 1) {
            return Err("choices are numbered 1, 2, 3, 4 in order");
        }
        q.choices.push(rest.to_string());
        return Ok(Field::Choice);
    }
    if let Some(rest) = line.strip_prefix("**Answer") {
        q.answers.push(answer(rest).ok_or("not an answer")?);
        return Ok(Field::Answer);
    }
    let last = match field {
        Field::Text => &mut q.text,
        Field::Choice => q.choices.last_mut().ok_or("no choice")?,
        Field::Answer => &mut q.answers.last_mut().ok_or("no answer")?.why,
        Field::None => return Err("a line outside any field"),
    };
    last.push(' ');
    last.push_str(line);
    Ok(field)
}

/// `:** K. why` or `, when X:** K. why`.
fn answer(rest: &str) -> Option<Answer> {
    let (when, rest) = rest.split_once(":** ")?;
    let when = match when {
        "" => None,
        _ => Some(when.strip_prefix(", when ")?.to_string()),
    };
    let (k, why) = rest.split_once(". ")?;
    Some(Answer {
        when,
        choice: k.parse().ok()?,
        why: why.to_string(),
    })
}

fn check(parts: &[PartInfo]) -> Result<(), String> {
    for (i, part) in parts.iter().enumerate() {
        if part.number as usize != i + 1 {
            return Err(format!("part {} should be numbered {}", part.number, i + 1));
        }
        let Some(q) = &part.question else { continue };
        let n = q.choices.len();
        let in_range = q.answers.iter().all(|a| (1..=n).contains(&a.choice));
        let fixed = q.answers.len() == 1 && q.answers[0].when.is_none();
        let by_run = q.answers.len() > 1 && q.answers.iter().all(|a| a.when.is_some());
        if !(2..=4).contains(&n) || !in_range || !(fixed || by_run) {
            return Err(format!(
                "part {}: 2-4 choices, and one answer or one per outcome",
                i + 1
            ));
        }
    }
    Ok(())
}
