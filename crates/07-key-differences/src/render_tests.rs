//! The table's text and Markdown forms, on made-up rows.

use crate::render::{Row, markdown_table, text_table};

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
            .processes("fork"),
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
    // Header, rule, 2 lines of Memory, rule, 3 lines of Fault isolation.
    assert_eq!(text.len(), 2 + 2 + 1 + 3);
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
}
