//! The chart: one panel per numeric row of the table, a dot plot on a
//! labelled log axis (the values span orders of magnitude). The dot is the
//! median, the line through it the spread, a ring the C baseline's median;
//! threads, processes and references in the same colours in every panel.
//! 750 pixels wide, the width of the book's page; SVG only.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::{Figure, Saved, Unit};

pub const WIDTH: u32 = 750;
pub const THREAD: RGBColor = RGBColor(0, 114, 178);
pub const PROCESS: RGBColor = RGBColor(213, 94, 0);
pub const REFERENCE: RGBColor = RGBColor(110, 110, 110);

/// One panel: a title that says which way is better, and its figures.
pub struct Panel<'a> {
    pub title: String,
    pub unit: Unit,
    /// What one figure counts, for the axis: "per worker", "for all tasks".
    pub per: &'static str,
    pub figures: Vec<&'a Figure>,
}

/// The panels for a run: Memory, the two Communication panels, Creation,
/// Best For and its two many-waits panels (lesson 08).
pub fn panels(saved: &Saved) -> Vec<Panel<'_>> {
    let panel = |title: &str, prefix: &str, unit: Unit, per: &'static str| {
        let figures: Vec<&Figure> = saved
            .figures
            .iter()
            .filter(|f| f.key.starts_with(prefix) && f.unit == unit)
            .collect();
        let better = if unit.higher_is_better() {
            "higher is better"
        } else {
            "lower is better"
        };
        Panel {
            title: format!("{title} ({better})"),
            unit,
            per,
            figures,
        }
    };
    let (round_trip, bulk) = ("Communication: one round trip", "Communication: bulk data");
    let (creation, speedup) = (
        "Creation: start one, wait for its end",
        "Best for: speed-up",
    );
    let (many, time) = ("Best for, many waits", Unit::Nanoseconds);
    vec![
        panel(
            "Memory: one idle worker",
            "memory.",
            Unit::Bytes,
            "per worker",
        ),
        panel(round_trip, "communication.", time, "per round trip"),
        panel(bulk, "communication.", Unit::BytesPerSecond, "moved"),
        panel(creation, "creation.", time, "per worker"),
        panel(speedup, "best_for.", Unit::Times, "than one by one"),
        panel(
            &format!("{many}: memory per task"),
            "best_for.many_",
            Unit::Bytes,
            "per task",
        ),
        panel(
            &format!("{many}: time for all"),
            "best_for.many_",
            time,
            "for all tasks",
        ),
    ]
}

/// Writes the panels to `path` as SVG, with `caption` (machine, date) under them.
pub fn write_svg(
    path: &Path,
    panels: &[Panel],
    caption: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let heights: Vec<u32> = panels
        .iter()
        .map(|p| 78 + 26 * p.figures.len() as u32)
        .collect();
    let total = 40 + heights.iter().sum::<u32>() + 20 * caption.len() as u32 + 10;
    let root = SVGBackend::new(path, (WIDTH, total)).into_drawing_area();
    root.fill(&WHITE)?;
    let (legend, mut rest) = root.split_vertically(40);
    draw_legend(&legend)?;
    for (panel, height) in panels.iter().zip(heights) {
        let (area, below) = rest.split_vertically(height);
        if !panel.figures.is_empty() {
            crate::chart_panel::draw(&area, panel)?;
        }
        rest = below;
    }
    let font = ("sans-serif", 13).into_font().color(&BLACK);
    for (i, line) in caption.iter().enumerate() {
        rest.draw(&Text::new(
            line.clone(),
            (12, 6 + 20 * i as i32),
            font.clone(),
        ))?;
    }
    root.present()?;
    Ok(())
}

fn draw_legend(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
) -> Result<(), Box<dyn std::error::Error>> {
    let font = ("sans-serif", 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let keys = [
        ("threads", THREAD),
        ("processes", PROCESS),
        ("one process, no IPC", REFERENCE),
    ];
    let mut x = 12;
    for (label, colour) in keys {
        area.draw(&Circle::new((x + 6, 20), 6, colour.filled()))?;
        area.draw(&Text::new(label, (x + 18, 20), font.clone()))?;
        x += 40 + 9 * label.len() as i32;
    }
    area.draw(&Circle::new((x + 6, 20), 6, BLACK.stroke_width(2)))?;
    area.draw(&Text::new("plain C, same workload", (x + 18, 20), font))?;
    Ok(())
}
