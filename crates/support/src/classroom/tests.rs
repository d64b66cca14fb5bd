use super::predict::{TEXT_COLUMNS, judge, wrap};
use super::*;

const LESSON: &str = "
### Part 1: The first part

**Predict:** Which comes first,
the first or the second?

1. the first
2. the second

**Answer:** 1. It is called first.

### Part 2: A part the run decides

**Predict:** Will updates be lost?

1. no
2. yes

**Answer, when updates were lost:** 2. Loads and stores interleaved.

**Answer, when none were lost:** 1. The threads never overlapped this time.

### Part 3: A part without a question
";

fn lesson(label: &'static str) -> Lesson {
    Lesson {
        label,
        questions: LESSON,
    }
}

#[test]
fn the_format_is_parsed_with_continuations() {
    let parts = lesson("1").parts();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[1].heading, "A part the run decides");
    let q = parts[0].question.as_ref().unwrap();
    assert_eq!(q.text, "Which comes first, the first or the second?");
    assert_eq!(q.choices, ["the first", "the second"]);
    assert_eq!(parts[1].question.as_ref().unwrap().answers.len(), 2);
    assert!(parts[2].question.is_none());
}

#[test]
fn malformed_files_are_refused_with_the_line() {
    let err = questions::parse("### Part 1: a\n**Predict:** q?\n\n1. a\n3. b\n").unwrap_err();
    assert!(err.contains("line 5"), "{err}");
    assert!(questions::parse("### Part 2: skipped one\n").is_err());
    let one_choice = "### Part 1: a\n**Predict:** q?\n\n1. a\n**Answer:** 1. yes\n";
    assert!(questions::parse(one_choice).is_err());
    let no_answer = "### Part 1: a\n**Predict:** q?\n\n1. a\n2. b\n";
    assert!(questions::parse(no_answer).is_err());
}

#[test]
fn a_fixed_answer_is_judged_against_the_key() {
    let parts = lesson("1").parts();
    let q = parts[0].question.as_ref().unwrap();
    assert_eq!(judge(q, 1, None).0, Some(true));
    let (agreed, lines) = judge(q, 2, Some(2)); // the run cannot change a fixed answer
    assert_eq!(agreed, Some(false));
    assert!(
        lines[0].starts_with("you said 2; the answer is 1. It is called"),
        "{lines:?}"
    );
}

#[test]
fn an_answer_the_run_decides_follows_the_run() {
    let parts = lesson("1").parts();
    let q = parts[1].question.as_ref().unwrap();
    // The same guess, two runs: it matches the run that lost updates only.
    let (lost, lines) = judge(q, 2, Some(2));
    assert_eq!(lost, Some(true), "{lines:?}");
    assert!(lines.join(" ").contains("(updates were lost)"));
    let (kept, lines) = judge(q, 2, Some(1));
    assert_eq!(kept, Some(false));
    assert!(
        lines
            .join(" ")
            .contains("this run showed 1 (none were lost)"),
        "{lines:?}"
    );
    assert_eq!(judge(q, 1, None).0, None, "no outcome: not scored at all");
}

#[test]
fn part_choices_are_checked_against_the_lessons() {
    let one = [lesson("2")];
    assert_eq!(
        check("3", &one),
        Ok(Choice {
            lesson: None,
            part: 3
        })
    );
    assert_eq!(check("2.1", &one).unwrap().lesson.as_deref(), Some("2"));
    for bad in ["4", "0", "x", "3.1", "", "99999999999999999999"] {
        assert!(check(bad, &one).is_err(), "{bad}");
    }
    let tour = [lesson("1"), lesson("pipes")];
    assert!(check("pipes.2", &tour).is_ok());
    assert!(check("2", &tour).unwrap_err().contains("name the lesson"));
}

#[test]
fn list_parts_names_every_part_within_100_columns() {
    let lines = list_lines(&[lesson("1"), lesson("pipes")]);
    assert!(
        lines.contains(&"pipes.3  A part without a question".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"1.3      A part without a question".to_string()));
    assert_eq!(lines.len(), 7);
    assert!(lines.iter().all(|l| l.chars().count() <= 100));
}

#[test]
fn wrapped_lines_fit_beside_the_widest_tag() {
    let text = "word ".repeat(100) + &"x".repeat(60);
    let lines = wrap(&text);
    assert!(lines.len() > 5);
    assert!(
        lines.iter().all(|l| l.chars().count() <= TEXT_COLUMNS),
        "{lines:?}"
    );
    assert_eq!(lines.join(" "), text.trim());
}

#[test]
fn under_part_n_only_part_n_may_start() {
    let parts = lesson("1").parts();
    let mut alone = predict::Session::new(parts.clone(), Classroom::default(), Some(2));
    alone.part(2);
    alone.end_alone();
    let other = std::panic::catch_unwind(move || {
        let mut session = predict::Session::new(parts, Classroom::default(), Some(2));
        session.part(1);
    });
    let message = other.unwrap_err();
    let message = message.downcast_ref::<String>().expect("a formatted panic");
    assert!(
        message.contains("part 1 started under --part 2"),
        "{message}"
    );
}
