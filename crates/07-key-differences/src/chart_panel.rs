//! One panel of the chart: a row per figure, its label on the left, a dot
//! at the median, a line over the spread, a ring at C's median, the value
//! in words beside them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::{PROCESS, Panel, REFERENCE, THREAD};
use crate::report::{Figure, Side, Unit};
use crate::rules::marked_value;
use crate::spread::median;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Round ticks on a log axis: `0.1`, `1`, `10`, `100`, `1000`.
fn tick(value: &f64) -> String {
    let rounded = format!("{:.3}", value);
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A log axis from the decade below the lowest point to the one above the
/// highest (and a little room for the value's words).
fn log_range(panel: &Panel) -> (f64, f64) {
    let all = panel.figures.iter().flat_map(|f| {
        let (median, low, high, c) = points(f);
        [median, low, high].into_iter().chain(c)
    });
    let positive: Vec<f64> = all.filter(|v| *v > 0.0).collect();
    let low = positive.iter().copied().fold(f64::INFINITY, f64::min);
    let high = positive.iter().copied().fold(0.0, f64::max);
    match high > 0.0 {
        true => (
            10f64.powf(low.log10().floor()),
            10f64.powf((high * 4.0).log10().ceil()),
        ),
        false => (0.1, 10.0),
    }
}

pub fn draw(area: &Area, panel: &Panel) -> Result<(), Box<dyn std::error::Error>> {
    let rows = panel.figures.len();
    let labels: Vec<String> = panel.figures.iter().map(|f| f.label.clone()).collect();
    let (low, high) = log_range(panel);
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 16))
        .margin_left(10)
        .margin_right(20)
        .x_label_area_size(36)
        .y_label_area_size(200)
        // `into_segmented` makes a segment for each value of 0..=rows-1.
        .build_cartesian_2d((low..high).log_scale(), (0..rows - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&tick)
        .x_desc(axis(panel.unit))
        .label_style(("sans-serif", 13))
        .draw()?;
    // ANCHOR: panel
    for (i, figure) in panel.figures.iter().enumerate() {
        let (median, spread_low, spread_high, c) = points(figure);
        let (row, colour) = (SegmentValue::CenterOf(i), side_colour(figure.side));
        let line = [(spread_low, row.clone()), (spread_high, row.clone())];
        chart.draw_series([PathElement::new(line, colour.stroke_width(3))])?;
        chart.draw_series([Circle::new((median, row.clone()), 6, colour.filled())])?;
        if let Some(c) = c {
            chart.draw_series([Circle::new((c, row.clone()), 8, BLACK.stroke_width(2))])?;
        }
        let font = ("sans-serif", 13)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let words =
            EmptyElement::at((spread_high, row)) + Text::new(marked_value(figure), (12, 0), font);
        chart.draw_series([words])?;
        // ANCHOR_END: panel
    }
    Ok(())
}

/// A value in the unit its axis shows: KiB, µs, GiB/s, ×.
fn scaled(unit: Unit, value: f64) -> f64 {
    match unit {
        Unit::Bytes => value / 1024.0,
        Unit::Nanoseconds => value / 1e3,
        Unit::BytesPerSecond => value / (1u64 << 30) as f64,
        Unit::Times => value,
    }
}

fn axis(unit: Unit) -> &'static str {
    match unit {
        Unit::Bytes => "KiB per worker, log scale",
        Unit::Nanoseconds => "µs, log scale",
        Unit::BytesPerSecond => "GiB/s, log scale",
        Unit::Times => "times faster, log scale",
    }
}

fn side_colour(side: Side) -> RGBColor {
    match side {
        Side::Thread => THREAD,
        Side::Process => PROCESS,
        Side::Reference => REFERENCE,
    }
}

/// (median, low, high, C's median) of a figure in its axis's unit.
pub fn points(figure: &Figure) -> (f64, f64, f64, Option<f64>) {
    let (low, high) = figure.spread();
    let c = (!figure.c_runs.is_empty()).then(|| scaled(figure.unit, median(&figure.c_runs)));
    let unit = figure.unit;
    (
        scaled(unit, figure.median()),
        scaled(unit, low),
        scaled(unit, high),
        c,
    )
}
