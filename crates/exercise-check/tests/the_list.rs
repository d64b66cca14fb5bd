//! The list of exercises matches the files: every exercise has its file, its
//! solution and both `[[bin]]` entries; each file is written like a listing
//! (a `//!` header that says how it is checked, at most 60 lines); and the
//! checker's own messages fit in 100 columns.

use exercise_check::compile::{Places, Refusal, first_error};
use exercise_check::exercises::ALL;
use exercise_check::wrapped;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_exercise_has_its_file_its_solution_and_its_bins() {
    let places = Places::find();
    let manifest = read(&places.exercises.join("Cargo.toml"));
    for (index, exercise) in ALL.iter().enumerate() {
        assert_eq!(
            exercise.number as usize,
            index + 1,
            "numbered 1, 2, 3… in order"
        );
        let bin = exercise.bin();
        for (name, path) in [
            (bin.clone(), bin.clone() + ".rs"),
            (bin.clone() + "-solution", format!("solutions/{bin}.rs")),
        ] {
            let entry = format!("[[bin]]\nname = \"{name}\"\npath = \"{path}\"\n");
            assert!(
                manifest.contains(&entry),
                "exercises/Cargo.toml lacks\n{entry}"
            );
        }
    }
}

#[test]
fn every_file_is_written_like_a_listing() {
    let places = Places::find();
    for exercise in ALL {
        let file = places.exercises.join(exercise.bin() + ".rs");
        let solution = places
            .exercises
            .join("solutions")
            .join(exercise.bin() + ".rs");
        for (path, says) in [
            (&file, format!("`just check {}`", exercise.number)),
            (
                &solution,
                format!("`just check {} --solution`", exercise.number),
            ),
        ] {
            let text = read(path);
            let header: Vec<&str> = text
                .lines()
                .take_while(|line| line.starts_with("//!"))
                .collect();
            assert!(
                (4..=7).contains(&header.len()),
                "{}: a header of 4 to 7 lines",
                path.display()
            );
            assert!(
                header.join(" ").contains(&says),
                "{}: the header says {says}",
                path.display()
            );
            assert!(
                text.lines().count() <= 60,
                "{}: at most 60 lines",
                path.display()
            );
            assert!(
                text.lines().all(|line| line.chars().count() <= 100),
                "{}: lines of 100 columns",
                path.display()
            );
        }
        assert!(
            read(&file).contains("Read: chapter"),
            "{}: says what to read",
            file.display()
        );
    }
}

#[test]
fn hints_nudge_in_two_steps() {
    for exercise in ALL {
        let [first, second] = exercise.hints;
        assert!(
            first.ends_with('?'),
            "exercise {}: the first hint asks a question",
            exercise.number
        );
        assert!(
            second.len() > first.len() / 2,
            "exercise {}: the second says more",
            exercise.number
        );
    }
}

#[test]
fn wrapped_text_fits_its_width() {
    let text = "a hang: its child has ended (pid 10221 (03-no-eof, zombie)), yet the parent has waited in anon_pipe_read for 1000 ms since";
    let lines = wrapped("FAIL  ", "      ", text, 40);
    assert!(
        lines.lines().all(|line| line.chars().count() <= 40),
        "{lines}"
    );
    assert!(lines.starts_with("FAIL  a hang:"));
    assert_eq!(
        lines
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" "),
        text
    );
}

#[test]
fn the_compilers_first_error_is_read_in_one_line() {
    let said = "warning: unused import\n\
                05-rc.rs:18:36: error[E0277]: `Rc<u8>` cannot be sent between threads safely: `Rc<u8>` cannot be sent between threads safely\n\
                05-rc.rs:20:1: error[E0308]: mismatched types\n\
                error: could not compile `exercises` (bin \"05-rc\") due to 2 previous errors\n";
    let Refusal::Compiler {
        first_error,
        errors,
    } = first_error(said)
    else {
        panic!("a compiler refusal");
    };
    assert_eq!(
        first_error,
        "05-rc.rs:18:36: error[E0277]: `Rc<u8>` cannot be sent between threads safely"
    );
    assert_eq!(errors, 2);
}
