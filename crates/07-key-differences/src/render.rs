//! The table, drawn: as aligned text for the terminal and as Markdown for
//! a file (mdBook shows it as an HTML table). Plain string work.

/// One cell: the claim in a few words, then the figures behind it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub claim: String,
    pub figures: Vec<String>,
}

impl Cell {
    fn push(&mut self, line: String) {
        match self.claim.is_empty() {
            true => self.claim = line,
            false => self.figures.push(line),
        }
    }

    pub fn lines(&self) -> Vec<&str> {
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

impl Row {
    pub fn new(feature: &'static str) -> Row {
        Row {
            feature,
            threads: Cell::default(),
            processes: Cell::default(),
        }
    }

    /// Adds a line to the threads' cell: the claim first, then figures.
    pub fn threads(mut self, line: impl Into<String>) -> Row {
        self.threads.push(line.into());
        self
    }

    pub fn processes(mut self, line: impl Into<String>) -> Row {
        self.processes.push(line.into());
        self
    }
}

/// The column headings, as in the Key Differences table.
pub const HEADINGS: [&str; 3] = ["Feature", "Multithreading", "Multiprocessing"];
/// The feature column's width: a longer name goes on two lines.
const FEATURE_WIDTH: usize = 13;

fn feature_lines(feature: &str) -> Vec<&str> {
    match feature.len() > FEATURE_WIDTH {
        true => feature.split(' ').collect(),
        false => vec![feature],
    }
}

/// The table as aligned text, one physical line per figure.
pub fn text_table<'a>(rows: &'a [Row]) -> Vec<String> {
    let width = |cell: fn(&Row) -> &Cell, heading: &str| {
        let widest = rows
            .iter()
            .flat_map(|row| cell(row).lines())
            .map(|text| text.chars().count());
        widest.max().unwrap_or(0).max(heading.chars().count())
    };
    let threads = width(|row| &row.threads, HEADINGS[1]);
    let processes = width(|row| &row.processes, HEADINGS[2]);
    let widths = [FEATURE_WIDTH, threads, processes];
    let line = |cells: [&str; 3]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let dashes: Vec<String> = widths.iter().map(|width| "-".repeat(width + 2)).collect();
    let rule = format!("|{}|", dashes.join("|"));
    let mut out = vec![line(HEADINGS), rule.clone()];
    for row in rows {
        let (feature, threads, processes) = (
            feature_lines(row.feature),
            row.threads.lines(),
            row.processes.lines(),
        );
        for i in 0..threads.len().max(processes.len()).max(feature.len()) {
            let cell = |lines: &[&'a str]| -> &'a str { lines.get(i).copied().unwrap_or("") };
            out.push(line([cell(&feature), cell(&threads), cell(&processes)]));
        }
        out.push(rule.clone());
    }
    out.pop();
    out
}

/// The table as Markdown, the figures of a cell separated by `<br>`. A
/// figure's indent (`  3/4 results`) becomes `&nbsp;`, which HTML keeps.
pub fn markdown_table(rows: &[Row]) -> String {
    let escape = |text: &str| {
        let body = text.trim_start_matches(' ');
        let indent = "&nbsp;".repeat(text.len() - body.len());
        indent + &body.replace('|', "\\|")
    };
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
        let (threads, processes) = (cell(&row.threads), cell(&row.processes));
        out.push_str(&format!(
            "| **{}** | {threads} | {processes} |\n",
            row.feature
        ));
    }
    out
}
