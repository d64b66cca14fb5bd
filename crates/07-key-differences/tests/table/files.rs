//! The files a run leaves, and the command line: Markdown, SVG, JSON
//! written whole and read back, `--diff`, `--against-c`, and bad input.

use key_differences::{Saved, chart, diff, json};

use crate::{measured, read, read_saved, run_binary, scratch};

pub fn the_markdown_has_the_five_rows() {
    let markdown = read(&measured().markdown_path);
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("| **"))
        .collect();
    assert_eq!(rows.len(), 5, "{markdown}");
    for (row, feature) in rows.iter().zip(crate::FEATURES) {
        assert!(row.starts_with(&format!("| **{feature}** |")), "{row}");
    }
    assert!(markdown.contains("| Feature | Multithreading | Multiprocessing |"));
    assert!(markdown.contains("## Every figure, its spread and the noise around it"));
}

/// Every tag closes in order: a small check of XML well-formedness.
fn assert_well_formed(xml: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("a tag that never closes") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        match tag.starts_with('/') {
            true => assert_eq!(open.pop(), Some(name), "</{name}> closes the wrong tag"),
            false => open.push(name),
        }
    }
    assert!(open.is_empty(), "unclosed tags: {open:?}");
}

pub fn the_svg_is_well_formed() {
    let svg = read(&measured().svg_path);
    assert!(svg.trim_start().starts_with("<svg"));
    assert_well_formed(&svg);
    assert!(
        svg.contains(&format!("width=\"{}\"", chart::WIDTH)),
        "not {} wide",
        chart::WIDTH
    );
    // Every figure is a series of its own, named on the axis.
    for figure in &measured().saved.figures {
        let label = figure.label.replace('\'', "&apos;"); // as XML writes it
        assert!(
            svg.contains(&format!("\n{label}\n</text>")),
            "no series {label:?}"
        );
    }
    for words in [
        "lower is better",
        "higher is better",
        "log scale",
        "threads",
        "processes",
    ] {
        assert!(svg.contains(words), "no {words:?}");
    }
}

pub fn the_json_round_trip_keeps_every_sample() {
    let saved = &measured().saved;
    let path = scratch("json").join("run.json");
    json::write(saved, &path).expect("written");
    let back: Saved = json::read(&path).expect("read back");
    assert_eq!(&back, saved, "the file holds every sample");
    assert!(
        back.environment.rustc.starts_with("rustc "),
        "{}",
        back.environment.rustc
    );
    let lines = diff::lines(saved, &back);
    let same = lines
        .iter()
        .filter(|line| line.contains(" 1.00× same "))
        .count();
    assert_eq!(same, saved.figures.len(), "{lines:#?}");
    let dir = path.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["run.json"], "no temporary file is left");
}

/// One run of the binary with every file option: it saves JSON, compares
/// with an earlier run, and runs the C baseline beside the Rust figures.
pub fn the_binary_saves_diffs_and_checks_against_c() {
    let dir = scratch("binary");
    let (earlier, now) = (dir.join("earlier.json"), dir.join("now.json"));
    json::write(&measured().saved, &earlier).expect("the earlier run");
    let args = [
        "--against-c",
        "--json",
        now.to_str().unwrap(),
        "--diff",
        earlier.to_str().unwrap(),
    ];
    let output = run_binary(
        &[&args[..], &["--out", dir.to_str().unwrap()]].concat(),
        &[],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    for heading in [
        "== Checked against plain C",
        "== This run against the earlier one",
        "Rust/C",
    ] {
        assert!(stdout.contains(heading), "no {heading:?}");
    }
    // Every line fits, but for those that name files under a long test path.
    for line in stdout
        .lines()
        .filter(|line| !line.contains(dir.to_str().unwrap()))
    {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    let saved = read_saved(&now).expect("the JSON it wrote");
    let with_c = saved
        .figures
        .iter()
        .filter(|f| !f.c_runs.is_empty())
        .count();
    assert!(with_c >= 10, "{with_c} figures with C runs");
    assert!(dir.join("key-differences.svg").exists() && dir.join("key-differences.md").exists());
}

pub fn bad_input_exits_2_and_writes_nothing() {
    let dir = scratch("bad");
    let (garbage, missing) = (dir.join("garbage.json"), dir.join("missing.json"));
    std::fs::write(&garbage, "{ not json").unwrap();
    let into_nowhere = dir.join("no-such-dir").join("run.json");
    let cases: [&[&str]; 6] = [
        &["--quick"],
        &["--thorough", "extra"],
        &["--diff", missing.to_str().unwrap()],
        &["--diff", garbage.to_str().unwrap()],
        &["--json", into_nowhere.to_str().unwrap()],
        &["--json", dir.to_str().unwrap()],
    ];
    for args in cases {
        let output = run_binary(args, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(
            !output.stderr.is_empty() && output.stdout.is_empty(),
            "{args:?}: {output:?}"
        );
    }
    let not_a_dir = run_binary(&["--out", garbage.to_str().unwrap()], &[]);
    assert_eq!(not_a_dir.status.code(), Some(2), "{not_a_dir:?}");
    assert!(String::from_utf8_lossy(&not_a_dir.stderr).contains("that is not a directory"));
    let no_compiler = run_binary(&["--against-c"], &[("CC", "/no/such/cc")]);
    assert_eq!(no_compiler.status.code(), Some(2), "{no_compiler:?}");
    assert!(String::from_utf8_lossy(&no_compiler.stderr).contains("C compiler"));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["garbage.json"], "nothing else written");
}

/// `--out` is made before `--json` is checked, so the file may be in it:
/// the run gets as far as the C compiler that does not exist.
pub fn out_is_made_before_json_is_checked() {
    let out = scratch("out-first").join("new");
    let json = out.join("run.json");
    let args = [
        "--out",
        out.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ];
    let output = run_binary(
        &[&args[..], &["--against-c"]].concat(),
        &[("CC", "/no/such/cc")],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("C compiler"),
        "{output:?}"
    );
    assert!(out.is_dir() && !json.exists());
}

/// A change made to a saved run's JSON.
type Edit = fn(&mut serde_json::Value);

/// A saved run of another format, or with a figure that cannot be
/// compared, is refused by name, before anything is measured.
pub fn diff_refuses_another_format_and_empty_figures() {
    let dir = scratch("formats");
    let good = dir.join("good.json");
    json::write(&crate::cells::saved(&[]), &good).expect("written");
    assert!(json::read(&good).is_ok());
    let text = read(&good);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], json::FORMAT, "{text}");
    let edits: [(&str, Edit); 6] = [
        ("it is format 0; this version reads format 1", |v| {
            v["format"] = 0.into()
        }),
        (
            "another version of the table: it has no format number",
            |v| {
                v.as_object_mut().unwrap().remove("format");
            },
        ),
        ("its format is not a whole number", |v| {
            v["format"] = 1.5.into()
        }),
        ("has no figures", |v| v["figures"] = serde_json::json!([])),
        ("has no runs for memory.thread", |v| {
            v["figures"][0]["runs"] = serde_json::json!([])
        }),
        ("has a median not above 0 for memory.thread", |v| {
            v["figures"][0]["runs"] = serde_json::json!([0.0, 0.0, 0.0])
        }),
    ];
    for (i, (says, edit)) in edits.into_iter().enumerate() {
        let mut edited = value.clone();
        edit(&mut edited);
        let path = dir.join(format!("edited-{i}.json"));
        std::fs::write(&path, edited.to_string()).unwrap();
        let error = json::read(&path).expect_err(says).to_string();
        assert!(error.contains(says), "{error}");
        if i == 5 {
            let output = run_binary(&["--part", "1", "--diff", path.to_str().unwrap()], &[]);
            assert_eq!(output.status.code(), Some(2), "{output:?}");
            assert!(output.stdout.is_empty(), "{output:?}");
            assert!(String::from_utf8_lossy(&output.stderr).contains(says));
        }
    }
}
