//! The table's text, Markdown and chart forms, on made-up rows and figures.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::chart::{Panel, write_svg};
use crate::render::{Row, markdown_table, text_table};
use crate::report::{Figure, Side, Unit};
use crate::rules_tests::{figure, quiet};

fn rows() -> Vec<Row> {
    vec![
        Row::new("Memory")
            .threads("shared")
            .threads("9 KiB each")
            .processes("separate"),
        Row::new("Fault isolation")
            .threads("fast")
            .processes("slow | dear")
            .processes("5x")
            .processes("fork")
            .processes("  3/4 results"),
    ]
}

#[test]
fn the_text_table_aligns_every_line_and_wraps_a_long_feature() {
    let text = text_table(&rows());
    let lengths: Vec<usize> = text.iter().map(|line| line.chars().count()).collect();
    assert!(
        lengths.windows(2).all(|pair| pair[0] == pair[1]),
        "{text:?}"
    );
    // Header, rule, 2 lines of Memory, rule, 4 lines of Fault isolation.
    assert_eq!(text.len(), 2 + 2 + 1 + 4);
    assert!(text[5].starts_with("| Fault "), "{}", text[5]);
    assert!(text[6].starts_with("| isolation "), "{}", text[6]);
}

#[test]
fn the_markdown_table_has_a_row_per_feature_and_escapes_pipes() {
    let markdown = markdown_table(&rows());
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], "| Feature | Multithreading | Multiprocessing |");
    assert!(lines[2].starts_with("| **Memory** | **shared**<br>9 KiB each |"));
    assert!(lines[3].contains("slow \\| dear"));
    // HTML drops leading spaces; the indent survives as &nbsp;.
    assert!(
        lines[3].contains("<br>&nbsp;&nbsp;3/4 results |"),
        "{}",
        lines[3]
    );
}

/// A one-panel chart of `figures`, as SVG text.
fn svg_of(unit: Unit, figures: &[Figure]) -> String {
    let panel = Panel {
        title: "made up".into(),
        unit,
        per: "per worker",
        figures: figures.iter().collect(),
    };
    static DRAWN: AtomicUsize = AtomicUsize::new(0); // tests run side by side
    let n = DRAWN.fetch_add(1, Ordering::Relaxed);
    let name = format!("kd-chart-{}-{n}.svg", std::process::id());
    let path = std::env::temp_dir().join(name);
    write_svg(&path, &[panel], &["caption".into()]).expect("drawn");
    let svg = std::fs::read_to_string(&path).expect("read back");
    std::fs::remove_file(&path).expect("removed");
    svg
}

/// The `fill` of every filled dot (radius 6), in the order drawn.
fn dot_fills(svg: &str) -> Vec<&str> {
    let circles = svg
        .split("<circle ")
        .skip(1)
        .map(|c| c.split('>').next().unwrap());
    let dots = circles.filter(|c| c.contains(" r=\"6\"") && !c.contains("fill=\"none\""));
    dots.map(|c| {
        c.split("fill=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
    })
    .collect()
}

#[test]
fn the_chart_draws_threads_and_processes_in_their_colours() {
    let time = |side, x: f64| figure(side, Unit::Nanoseconds, &[x, x * 1.1, x * 0.9], quiet());
    let figures = [time(Side::Process, 2e5), time(Side::Thread, 4e4)];
    let svg = svg_of(Unit::Nanoseconds, &figures);
    // The legend's three keys, then the panel's dots in row order.
    let (thread, process, reference) = ("#0072B2", "#D55E00", "#6E6E6E");
    assert_eq!(
        dot_fills(&svg),
        [thread, process, reference, process, thread]
    );
}

#[test]
fn the_axis_counts_in_the_tables_unit_and_labels_every_decade() {
    let time = |x: f64| figure(Side::Thread, Unit::Nanoseconds, &[x, x, x], quiet());
    // 1.23 ms at most: the axis counts in ms, from 0.01 to 10.
    let svg = svg_of(Unit::Nanoseconds, &[time(4e4), time(1.23e6)]);
    assert!(svg.contains("ms per worker, log scale"), "{svg}");
    for decade in ["0.01", "0.1", "1", "10"] {
        assert!(
            svg.contains(&format!(">\n{decade}\n</text>")),
            "no tick {decade}"
        );
    }
    // Under 1 KiB: the axis counts bytes, its ticks grouped by thousands.
    let bytes = |x: f64| figure(Side::Thread, Unit::Bytes, &[x, x, x], quiet());
    let svg = svg_of(Unit::Bytes, &[bytes(300.0), bytes(900.0)]);
    assert!(svg.contains("B per worker, log scale"), "{svg}");
    assert!(svg.contains(">\n1_000\n</text>"), "{svg}");
}
