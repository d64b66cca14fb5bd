//! The chart: creation cost and IPC throughput side by side, as SVG, drawn
//! with `plotters`' SVG backend (no fonts or image libraries needed).
//! Both panels use a log scale, because the values span orders of
//! magnitude: a thread starts in tens of microseconds, fork+exec in
//! hundreds; a pipe moves about a GiB a second, a shared ring several.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: a label and a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
        }
    }
}

/// A panel of bars with a title and a unit for its axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub unit: String,
    pub bars: Vec<Bar>,
}

/// Writes the panels side by side to `path` as SVG.
pub fn write_svg(path: &Path, panels: &[Panel]) -> Result<(), Box<dyn std::error::Error>> {
    let width = 520 * panels.len().max(1) as u32;
    let root = SVGBackend::new(path, (width, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    for (area, panel) in areas.iter().zip(panels) {
        draw_panel(area, panel)?;
    }
    root.present()?;
    Ok(())
}

fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    panel: &Panel,
) -> Result<(), Box<dyn std::error::Error>> {
    // A log axis from a decade below the smallest bar to a decade above
    // the largest, so every bar is visibly taller than the axis floor.
    let positive = panel.bars.iter().map(|bar| bar.value).filter(|v| *v > 0.0);
    let smallest = positive.clone().fold(f64::INFINITY, f64::min);
    let largest = positive.fold(0.0, f64::max);
    let (floor, ceiling) = if largest > 0.0 {
        (
            10f64.powf(smallest.log10().floor() - 1.0),
            10f64.powf(largest.log10().ceil() + 0.3),
        )
    } else {
        (0.1, 10.0)
    };
    let labels: Vec<String> = panel.bars.iter().map(|bar| bar.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(
            // `into_segmented` gives one segment per value of the range.
            (0..panel.bars.len().saturating_sub(1)).into_segmented(),
            (floor..ceiling).log_scale(),
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("")
        .y_desc(format!("{} (log scale)", panel.unit))
        .x_labels(panel.bars.len())
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) => labels.get(*index).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    let colours = [&BLUE, &RED, &GREEN, &MAGENTA, &CYAN, &BLACK];
    chart.draw_series(panel.bars.iter().enumerate().map(|(index, bar)| {
        let colour = colours[index % colours.len()];
        let mut rectangle = Rectangle::new(
            [
                (SegmentValue::Exact(index), floor),
                (SegmentValue::Exact(index + 1), bar.value.max(floor)),
            ],
            colour.mix(0.7).filled(),
        );
        rectangle.set_margin(0, 0, 12, 12);
        rectangle
    }))?;
    // The value above each bar, so the chart can be read without the table.
    chart.draw_series(panel.bars.iter().enumerate().map(|(index, bar)| {
        Text::new(
            support::timing::three_figures(bar.value),
            (SegmentValue::CenterOf(index), bar.value.max(floor) * 1.15),
            ("sans-serif", 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_names_every_bar_and_axis() {
        let path = std::env::temp_dir().join(format!("chart-test-{}.svg", std::process::id()));
        let panels = [
            Panel {
                title: "Creation".into(),
                unit: "µs".into(),
                bars: vec![Bar::new("thread", 36.0), Bar::new("fork", 180.0)],
            },
            Panel {
                title: "Throughput".into(),
                unit: "GiB/s".into(),
                bars: vec![Bar::new("pipe", 1.3), Bar::new("ring", 7.8)],
            },
        ];
        write_svg(&path, &panels).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        for text in [
            "thread",
            "fork",
            "pipe",
            "ring",
            "µs (log scale)",
            "GiB/s (log scale)",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        // Two panels of two bars each.
        assert!(svg.matches("<rect").count() >= 5);
    }
}
