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

/// Tick labels as the table prints numbers: `0.1`, `1`, `10`, `1_000`.
fn tick(value: &f64) -> String {
    if *value >= 1000.0 {
        return many_waits::grouped(value.round() as usize);
    }
    let rounded = format!("{value:.3}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A log axis from the decade below the lowest point to the one above the
/// highest (and a little room for the value's words). Its ends lie just
/// outside those decades, so that both get their tick and label.
fn log_range(points: &[(f64, f64, f64, Option<f64>)]) -> (f64, f64) {
    let all = points
        .iter()
        .flat_map(|&(median, low, high, c)| [median, low, high].into_iter().chain(c));
    let positive: Vec<f64> = all.filter(|v| *v > 0.0).collect();
    let low = positive.iter().copied().fold(f64::INFINITY, f64::min);
    let high = positive.iter().copied().fold(0.0, f64::max);
    let (low, high) = match high > 0.0 {
        true => (
            10f64.powf(low.log10().floor()),
            10f64.powf((high * 4.0).log10().ceil()),
        ),
        false => (0.1, 10.0),
    };
    (low * 0.999, high * 1.001)
}

pub fn draw(area: &Area, panel: &Panel) -> Result<(), Box<dyn std::error::Error>> {
    let rows = panel.figures.len();
    let labels: Vec<String> = panel.figures.iter().map(|f| f.label.clone()).collect();
    let scale = Scale::of(panel);
    let points: Vec<_> = panel.figures.iter().map(|f| points(f, &scale)).collect();
    let (low, high) = log_range(&points);
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 16))
        .margin_left(10)
        .margin_right(RIGHT_MARGIN)
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
        .x_desc(format!("{} {}, log scale", scale.name, panel.per))
        .label_style(("sans-serif", 13))
        .draw()?;
    // ANCHOR: panel
    for (i, figure) in panel.figures.iter().enumerate() {
        let (median, spread_low, spread_high, c) = points[i];
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
    }
    // ANCHOR_END: panel
    Ok(())
}

/// Room right of the axis for half of its last tick label (`10_000`).
const RIGHT_MARGIN: u32 = 36;

/// The unit a panel's axis counts in, picked as the table prints its
/// largest median: ns, µs, ms or s; B, KiB, MiB or GiB; per second; ×.
pub struct Scale {
    pub per: f64,
    pub name: &'static str,
}

impl Scale {
    pub fn of(panel: &Panel) -> Scale {
        const KIB: f64 = 1024.0;
        let steps: &[(f64, &str)] = match panel.unit {
            Unit::Nanoseconds => &[(1.0, "ns"), (1e3, "µs"), (1e6, "ms"), (1e9, "s")],
            Unit::Bytes => &[
                (1.0, "B"),
                (KIB, "KiB"),
                (KIB * KIB, "MiB"),
                (KIB.powi(3), "GiB"),
            ],
            Unit::BytesPerSecond => &[(KIB * KIB, "MiB/s"), (KIB.powi(3), "GiB/s")],
            Unit::Times => &[(1.0, "times faster")],
        };
        let largest = panel.figures.iter().map(|f| f.median()).fold(0.0, f64::max);
        let (per, name) = steps
            .iter()
            .rev()
            .find(|(per, _)| largest >= *per)
            .unwrap_or(&steps[0]);
        Scale { per: *per, name }
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
pub fn points(figure: &Figure, scale: &Scale) -> (f64, f64, f64, Option<f64>) {
    let (low, high) = figure.spread();
    let c = (!figure.c_runs.is_empty()).then(|| median(&figure.c_runs) / scale.per);
    let median = figure.median();
    (median / scale.per, low / scale.per, high / scale.per, c)
}
