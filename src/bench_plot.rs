//! `reunion bench --plot FILE.svg`: the frame cost of our systems over the whole story,
//! with the places it goes to marked, and the stress scene's beside it — the figures
//! the table sums up, as a picture. Drawn with plotters' SVG backend.

use std::path::Path;

use plotters::prelude::*;

/// Each frame's cost over a run, and where the story went.
#[derive(Debug, Clone, Default)]
pub struct FrameTrace {
    /// Story seconds (the director's session time) and milliseconds, one per frame.
    pub frames: Vec<(f64, f64)>,
    /// When a place came on stage, and its name.
    pub marks: Vec<(f64, String)>,
}

impl FrameTrace {
    /// The highest frame cost, ms.
    fn peak(&self) -> f64 {
        self.frames.iter().map(|f| f.1).fold(0.0, f64::max)
    }

    /// The last story second.
    fn end(&self) -> f64 {
        self.frames.last().map_or(1.0, |f| f.0).max(1.0)
    }
}

/// Draws `story` (left, wide) and `stress` (right) into an SVG at `path`; `budget` and
/// `stress_budget` as dashed lines.
pub fn plot(
    path: &Path,
    title: &str,
    story: &FrameTrace,
    budget: f64,
    stress: &FrameTrace,
    stress_budget: f64,
) -> Result<(), String> {
    let area = SVGBackend::new(path, (1400, 520)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let (left, right) = area.split_horizontally(980);
    panel(&left, title, story, budget, true)?;
    panel(
        &right,
        "stress scene: 1,000 things, 10 avatars",
        stress,
        stress_budget,
        false,
    )?;
    area.present().map_err(|e| e.to_string())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    trace: &FrameTrace,
    budget: f64,
    marks: bool,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    // On a log scale: the usual frame and the rare long one (a place being built) both
    // read.
    let floor = 0.005;
    let top = (trace.peak().max(budget) * 1.5).max(floor * 10.0);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..trace.end(), (floor..top).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("story time, s")
        .y_desc("reunion systems per frame, ms (log scale)")
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let cost = RGBColor(60, 90, 160);
    chart
        .draw_series(LineSeries::new(
            trace.frames.iter().map(|&(t, ms)| (t, ms.max(floor))),
            cost.stroke_width(1),
        ))
        .map_err(err)?
        .label("each frame")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], cost));
    let over = RGBColor(200, 60, 50);
    chart
        .draw_series(LineSeries::new(
            [(0.0, budget), (trace.end(), budget)],
            over.stroke_width(1),
        ))
        .map_err(err)?
        .label(format!("budget {budget} ms"))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], over));
    if marks {
        let place = RGBColor(120, 120, 120);
        for (t, name) in &trace.marks {
            chart
                .draw_series(LineSeries::new([(*t, floor), (*t, top)], place.mix(0.6)))
                .map_err(err)?;
            chart
                .draw_series([Text::new(
                    name.clone(),
                    (*t, top * 0.8),
                    ("sans-serif", 14).into_font().color(&place),
                )])
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(err)?;
    Ok(())
}
