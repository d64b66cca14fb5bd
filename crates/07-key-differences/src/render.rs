//! The table, drawn: as aligned text for the terminal and as Markdown for a
//! file. Plain string work, kept apart so `lib.rs` reads as the
//! measurements it makes.

/// One cell: the claim in a few words, then the figures that back it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub claim: String,
    pub figures: Vec<String>,
}

impl Cell {
    pub fn new(claim: impl Into<String>) -> Cell {
        Cell {
            claim: claim.into(),
            figures: Vec::new(),
        }
    }

    /// Adds one line of figures.
    pub fn with(mut self, figure: impl Into<String>) -> Cell {
        self.figures.push(figure.into());
        self
    }

    fn lines(&self) -> Vec<&str> {
        std::iter::once(self.claim.as_str())
            .chain(self.figures.iter().map(String::as_str))
            .collect()
    }
}

/// One row of the Key Differences table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub feature: &'static str,
    pub threads: Cell,
    pub processes: Cell,
}

/// The column headings, as in the Key Differences table.
pub const HEADINGS: [&str; 3] = ["Feature", "Multithreading", "Multiprocessing"];

/// The table as aligned text, one physical line per figure:
///
/// ```text
/// | Feature  | Multithreading            | Multiprocessing            |
/// |----------|---------------------------|----------------------------|
/// | Memory   | shared (verified)         | separate (verified)        |
/// |          | 9.1 KiB per idle thread   | 140 KiB per idle process   |
/// ```
pub fn text_table(rows: &[Row]) -> String {
    let width = |column: usize| -> usize {
        let cells = rows.iter().flat_map(|row| match column {
            0 => vec![row.feature],
            1 => row.threads.lines(),
            _ => row.processes.lines(),
        });
        cells
            .chain(std::iter::once(HEADINGS[column]))
            .map(|text| text.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let line = |cells: [&str; 3]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let rule = format!(
        "|{}|",
        widths
            .iter()
            .map(|width| "-".repeat(width + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    let mut out = vec![line(HEADINGS), rule.clone()];
    for row in rows {
        let threads = row.threads.lines();
        let processes = row.processes.lines();
        for i in 0..threads.len().max(processes.len()) {
            out.push(line([
                if i == 0 { row.feature } else { "" },
                threads.get(i).copied().unwrap_or(""),
                processes.get(i).copied().unwrap_or(""),
            ]));
        }
        out.push(rule.clone());
    }
    out.pop();
    out.join("\n")
}

/// The table as Markdown, the figures of a cell separated by `<br>`.
pub fn markdown_table(rows: &[Row]) -> String {
    let escape = |text: &str| text.replace('|', "\\|");
    let cell = |cell: &Cell| {
        let mut text = format!("**{}**", escape(&cell.claim));
        for figure in &cell.figures {
            text.push_str("<br>");
            text.push_str(&escape(figure));
        }
        text
    };
    let mut out = format!(
        "| {} | {} | {} |\n|---|---|---|\n",
        HEADINGS[0], HEADINGS[1], HEADINGS[2]
    );
    for row in rows {
        out.push_str(&format!(
            "| **{}** | {} | {} |\n",
            row.feature,
            cell(&row.threads),
            cell(&row.processes)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        vec![
            Row {
                feature: "Memory",
                threads: Cell::new("shared").with("9 KiB each"),
                processes: Cell::new("separate"),
            },
            Row {
                feature: "Creation",
                threads: Cell::new("fast"),
                processes: Cell::new("slow | dear").with("5x").with("fork"),
            },
        ]
    }

    #[test]
    fn the_text_table_aligns_every_line() {
        let text = text_table(&rows());
        let lengths: Vec<usize> = text.lines().map(|line| line.chars().count()).collect();
        assert!(lengths.windows(2).all(|pair| pair[0] == pair[1]), "{text}");
        // Header, rule, 2 lines of Memory, rule, 3 lines of Creation.
        assert_eq!(text.lines().count(), 2 + 2 + 1 + 3);
        assert!(text.lines().nth(5).unwrap().starts_with("| Creation "));
    }

    #[test]
    fn the_markdown_table_has_a_row_per_feature_and_escapes_pipes() {
        let markdown = markdown_table(&rows());
        let lines: Vec<&str> = markdown.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "| Feature | Multithreading | Multiprocessing |");
        assert!(lines[2].starts_with("| **Memory** | **shared**<br>9 KiB each |"));
        assert!(lines[3].contains("slow \\| dear"));
        for line in lines.iter().filter(|line| !line.starts_with("|---")) {
            assert_eq!(line.matches(" | ").count(), 2, "{line}");
        }
    }
}
