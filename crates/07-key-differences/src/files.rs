//! The files a run leaves: the table as Markdown (mdBook renders it as an
//! HTML table), the chart as SVG, and with `--json` every sample.

use std::path::{Path, PathBuf};

use support::error::{Context, Error, Result};

use crate::options::Options;
use crate::render::{Row, markdown_table};
use crate::report::Saved;

/// `target/key-differences/`: beside the binary's profile directory
/// (`target/release/key-differences` → `target/key-differences`).
pub fn default_out_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("current_exe")?;
    let mut dir = exe.parent().unwrap_or(Path::new(".")).to_path_buf();
    if dir.ends_with("deps") || dir.ends_with("examples") {
        dir.pop(); // a test or example binary lives one level further down
    }
    dir.pop(); // leave the profile directory: target/release → target
    Ok(dir.join("key-differences"))
}

/// The Markdown file: the machine, the table, every figure, the references,
/// and Rust against C when it ran.
pub fn markdown(saved: &Saved, rows: &[Row]) -> String {
    let block = |lines: Vec<String>| format!("```text\n{}\n```\n", lines.join("\n"));
    let env = &saved.environment;
    let mut out = String::from("# Threads vs processes, measured\n\n");
    out.push_str(&format!(
        "{}; {}; a {} run.\n\n",
        env.machine_line(),
        env.date,
        saved.depth
    ));
    out.push_str(&markdown_table(rows));
    out.push_str("\n## Every figure, its spread and the noise around it\n\n");
    out.push_str(&block(crate::print::figure_lines(saved)));
    out.push_str("\n## The references\n\n");
    out.push_str(&block(crate::print::reference_lines(saved)));
    if saved.figures.iter().any(|figure| !figure.c_runs.is_empty()) {
        out.push_str("\n## Rust against plain C\n\n");
        out.push_str(&block(crate::against_c::lines(saved)));
    }
    out.push_str("\nThese figures are for this machine and this run.\n");
    out
}

/// Writes the Markdown and the SVG into `dir`; returns their paths.
pub fn write_table_and_chart(
    saved: &Saved,
    rows: &[Row],
    dir: &Path,
) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).context(format!("mkdir -p {}", dir.display()))?;
    let (markdown_path, svg_path) = (
        dir.join("key-differences.md"),
        dir.join("key-differences.svg"),
    );
    std::fs::write(&markdown_path, markdown(saved, rows))
        .context(format!("write {}", markdown_path.display()))?;
    let env = &saved.environment;
    let caption = vec![
        env.machine_line(),
        format!(
            "{}, a {} run; dot: median; line: spread of the runs; !: disturbed",
            env.date, saved.depth
        ),
    ];
    crate::chart::write_svg(&svg_path, &crate::chart::panels(saved), &caption)
        .map_err(|error| Error::msg(format!("drawing {} failed: {error}", svg_path.display())))?;
    Ok((markdown_path, svg_path))
}

/// Writes every file the run leaves, says where, and returns the report.
pub fn write_all(saved: Saved, rows: Vec<Row>, options: &Options) -> Result<Report> {
    let out_dir = options.out_dir.clone().map_or_else(default_out_dir, Ok)?;
    let (markdown_path, svg_path) = write_table_and_chart(&saved, &rows, &out_dir)?;
    support::say!("table as Markdown: {}", markdown_path.display());
    support::say!("chart as SVG:      {}", svg_path.display());
    if let Some(path) = &options.json {
        crate::json::write(&saved, path)?;
        support::say!("every sample, as JSON: {}", path.display());
    }
    let json_path = options.json.clone();
    Ok(Report {
        saved,
        rows,
        markdown_path,
        svg_path,
        json_path,
    })
}

/// What `run` returns: the saved run, the table's rows, the files written.
#[derive(Debug, Clone)]
pub struct Report {
    pub saved: Saved,
    pub rows: Vec<Row>,
    pub markdown_path: PathBuf,
    pub svg_path: PathBuf,
    pub json_path: Option<PathBuf>,
}
