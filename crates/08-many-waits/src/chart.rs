//! The chart: memory per task and time to create all tasks against N, one
//! line per model, both axes logarithmic (N and the figures span decades),
//! as SVG with `plotters`' SVG backend. Written beside lesson 07's chart,
//! under `target/`.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use support::error::{Context, Error, Result};

use crate::report::{Model, ModelFigures, Step};

const COLOURS: [RGBColor; 5] = [BLUE, RED, RGBColor(0, 150, 0), MAGENTA, BLACK];

/// One panel: a title, the unit of its y axis, a figure per model and N.
struct Panel {
    title: &'static str,
    unit: &'static str,
    value: fn(&ModelFigures) -> Option<f64>,
}

const PANELS: [Panel; 2] = [
    Panel {
        title: "Memory per task, user + kernel (0 or less: not drawn)",
        unit: "KiB",
        value: |f| f.memory_per_task().map(|bytes| bytes as f64 / 1024.0),
    },
    Panel {
        title: "Time to create all tasks",
        unit: "ms",
        value: |f| Some(f.create.as_secs_f64() * 1e3),
    },
];

/// Writes `many-waits.svg` into `out_dir` (default: `target/many-waits/`
/// beside this program) and returns its path.
pub fn write(steps: &[Step], out_dir: Option<&Path>) -> Result<PathBuf> {
    let dir = match out_dir {
        Some(dir) => dir.to_path_buf(),
        None => default_out_dir()?,
    };
    std::fs::create_dir_all(&dir).context(format!("mkdir -p {}", dir.display()))?;
    let path = dir.join("many-waits.svg");
    let partial = dir.join(format!(".many-waits.svg.{}", std::process::id()));
    let partial_name = partial.to_string_lossy().into_owned();
    support::guard::unlink_on_interrupt(&partial_name); // Ctrl-C leaves no half chart
    let drawing = |e| Error::msg(format!("drawing {}: {e}", partial.display()));
    let drawn = draw(&partial, steps).map_err(drawing);
    let moved = drawn.and_then(|()| {
        std::fs::rename(&partial, &path).context(format!("rename(2) to {}", path.display()))
    });
    if moved.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    support::guard::forget_path(&partial_name);
    moved.map(|()| path)
}

/// `target/many-waits/`: beside the program's profile directory
/// (`target/release/many-waits` → `target/many-waits`).
fn default_out_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("current_exe")?;
    let mut dir = exe.parent().unwrap_or(Path::new(".")).to_path_buf();
    if dir.ends_with("deps") || dir.ends_with("examples") {
        dir.pop(); // a test binary lives in target/<profile>/deps
    }
    dir.pop();
    Ok(dir.join("many-waits"))
}

fn draw(path: &Path, steps: &[Step]) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (1040, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    for (area, panel) in root.split_evenly((1, 2)).iter().zip(&PANELS) {
        draw_panel(area, panel, steps)?;
    }
    root.present()?;
    Ok(())
}

/// From half the lowest to twice the highest of the picked coordinate.
fn span(points: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64) -> (f64, f64) {
    let low = points.iter().map(pick).fold(f64::INFINITY, f64::min);
    let high = points.iter().map(pick).fold(0.0, f64::max);
    if high > 0.0 {
        (low / 2.0, high * 2.0)
    } else {
        (0.1, 10.0)
    }
}

fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    panel: &Panel,
    steps: &[Step],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let points = |model: Model| -> Vec<(f64, f64)> {
        let value = |step: &Step| (panel.value)(step.figures(model)?).filter(|v| *v > 0.0);
        steps
            .iter()
            .filter_map(|s| Some((s.tasks as f64, value(s)?)))
            .collect()
    };
    let all: Vec<(f64, f64)> = Model::ALL.into_iter().flat_map(points).collect();
    let ((x_low, x_high), (y_low, y_high)) = (span(&all, |p| p.0), span(&all, |p| p.1));
    let y_high = y_high * 30.0; // room above the lines for the legend
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x_low..x_high).log_scale(), (y_low..y_high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("tasks (log scale)")
        .y_desc(format!("{} (log scale)", panel.unit))
        .x_label_formatter(&|tasks| crate::text::grouped(tasks.round() as usize))
        .y_label_formatter(&|value| support::timing::three_figures(*value))
        .draw()?;
    for (model, colour) in Model::ALL.into_iter().zip(COLOURS) {
        let line = points(model);
        chart
            .draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?
            .label(model.name())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour));
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 3, colour.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    Ok(())
}
