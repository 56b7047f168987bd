//! Drawing a timeline as an SVG or PNG bar chart, or a batch's timelines as one line per
//! label with a legend (plotters).
//!
//! Takes a [`Timeline`], gives a chart file with a title and labelled axes: bars of
//! matching passages, or of the share when normalised (no bar where there is no data). The font is
//! compiled in (Ubuntu Light, from the `epaint_default_fonts` crate), so charts render the
//! same on a machine without any system fonts.

use std::path::Path;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::codebook::LabelTimeline;
use crate::search::Timeline;

/// Chart size in pixels.
const SIZE: (u32, u32) = (1200, 600);
const FONT: &str = "sans-serif";

/// Errors writing a chart.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{0}: the chart file must end in .svg or .png")]
    UnknownFormat(String),
    #[error("the timeline is empty: nothing to draw")]
    Empty,
    #[error("drawing the chart: {0}")]
    Draw(String),
}

/// Writes `timeline` to `path` (`.svg` or `.png`), titled `title`.
pub fn plot_timeline(timeline: &Timeline, title: &str, path: &Path) -> Result<(), PlotError> {
    if timeline.buckets.is_empty() {
        return Err(PlotError::Empty);
    }
    write_chart(Chart::Bars(timeline), title, path)
}

/// What a chart draws: one timeline's bars, or one line per label.
#[derive(Clone, Copy)]
enum Chart<'a> {
    Bars(&'a Timeline),
    Lines(&'a [LabelTimeline]),
}

/// Draws `chart` into `path` on the backend its extension names.
fn write_chart(chart: Chart, title: &str, path: &Path) -> Result<(), PlotError> {
    register_font();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => render(
            SVGBackend::new(path, SIZE).into_drawing_area(),
            chart,
            title,
        ),
        Some("png") => render(
            BitMapBackend::new(path, SIZE).into_drawing_area(),
            chart,
            title,
        ),
        _ => Err(PlotError::UnknownFormat(path.display().to_string())),
    }
}

fn render<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    chart: Chart,
    title: &str,
) -> Result<(), PlotError> {
    match chart {
        Chart::Bars(timeline) => draw(root, timeline, title),
        Chart::Lines(timelines) => draw_lines(root, timelines, title),
    }
}

fn register_font() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // The bytes are a valid TrueType font shipped by the crate; failure is a bug.
        plotters::style::register_font(FONT, FontStyle::Normal, epaint_default_fonts::UBUNTU_LIGHT)
            .unwrap_or_else(|_| panic!("embedded font is valid"));
    });
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    timeline: &Timeline,
    title: &str,
) -> Result<(), PlotError> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::Draw(e.to_string());
    root.fill(&WHITE).map_err(err)?;
    let n = timeline.buckets.len();
    // Normalised: the share, with no bar (a gap) where the filters hold no article.
    let values: Vec<Option<f64>> = timeline
        .buckets
        .iter()
        .map(|b| match b.totals {
            Some(t) => t.share,
            None => Some(b.passages as f64),
        })
        .collect();
    let max = if timeline.normalized {
        timeline.max_share().unwrap_or(1.0).max(f64::MIN_POSITIVE)
    } else {
        timeline.max_passages() as f64
    };
    let labels: Vec<&str> = timeline.buckets.iter().map(|b| b.bucket.as_str()).collect();
    let by = match timeline.by {
        crate::search::By::Published => "publication date",
        crate::search::By::Mentions => "mentioned date",
    };
    let unit = format!("{:?}", timeline.unit).to_lowercase();
    let mut x_desc = format!("{by} ({unit})");
    if let (Some(e), Some(l)) = (&timeline.earlier, &timeline.later) {
        x_desc += &format!(
            "; not drawn: {} passages earlier, {} later",
            e.passages, l.passages
        );
    }
    let (y_desc, percent) = if timeline.normalized {
        ("share of the passages under the filters", true)
    } else {
        ("matching passages", false)
    };
    let y_label = |v: &f64| {
        if percent {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{v:.0}")
        }
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 28))
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(70)
        .build_cartesian_2d((0..n).into_segmented(), 0f64..(max * 1.1))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(24))
        .x_label_formatter(&|x| label_at(&labels, x))
        .y_label_formatter(&y_label)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 18))
        .draw()
        .map_err(err)?;
    let bar = RGBColor(31, 119, 180).filled();
    chart
        .draw_series(
            Histogram::vertical(&chart).style(bar).margin(2).data(
                values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v))),
            ),
        )
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// Writes one line per label of a batch's timelines (one shared range) to `path`
/// (`.svg` or `.png`), with a legend: passages, or the share when normalised (a gap in a
/// line where there is no data).
pub fn plot_timelines(
    timelines: &[LabelTimeline],
    title: &str,
    path: &Path,
) -> Result<(), PlotError> {
    if timelines
        .first()
        .is_none_or(|t| t.timeline.buckets.is_empty())
    {
        return Err(PlotError::Empty);
    }
    write_chart(Chart::Lines(timelines), title, path)
}

/// Line colours, cycled (matplotlib's "tab10").
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn draw_lines<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    timelines: &[LabelTimeline],
    title: &str,
) -> Result<(), PlotError> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::Draw(e.to_string());
    root.fill(&WHITE).map_err(err)?;
    let first = &timelines[0].timeline;
    let n = first.buckets.len();
    let normalized = first.normalized;
    let max = if normalized {
        timelines
            .iter()
            .filter_map(|t| t.timeline.max_share())
            .reduce(f64::max)
            .unwrap_or(1.0)
            .max(f64::MIN_POSITIVE)
    } else {
        timelines
            .iter()
            .map(|t| t.timeline.max_passages())
            .max()
            .unwrap_or(1) as f64
    };
    let labels: Vec<&str> = first.buckets.iter().map(|b| b.bucket.as_str()).collect();
    let by = match first.by {
        crate::search::By::Published => "publication date",
        crate::search::By::Mentions => "mentioned date",
    };
    let unit = format!("{:?}", first.unit).to_lowercase();
    let y_desc = if normalized {
        "share of the passages under the filters"
    } else {
        "matching passages"
    };
    let y_label = |v: &f64| {
        if normalized {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{v:.0}")
        }
    };
    let x_label = |x: &usize| labels.get(*x).map_or(String::new(), |s| s.to_string());
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 28))
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(70)
        .build_cartesian_2d(0..n.saturating_sub(1).max(1), 0f64..(max * 1.1))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(24))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(format!("{by} ({unit})"))
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 18))
        .draw()
        .map_err(err)?;
    for (k, t) in timelines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let values: Vec<Option<f64>> = t
            .timeline
            .buckets
            .iter()
            .map(|b| match b.totals {
                Some(totals) => totals.share,
                None => Some(b.passages as f64),
            })
            .collect();
        // A run of buckets with data is one line; no data breaks it.
        let mut runs: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().expect("one run").push((i, *v)),
                None => runs.push(Vec::new()),
            }
        }
        let style = color.stroke_width(2);
        let mut labelled = false;
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            // A path, not plotters' LineSeries (a feature this build leaves out).
            let series = chart
                .draw_series(std::iter::once(PathElement::new(run, style)))
                .map_err(err)?;
            if !labelled {
                series
                    .label(t.label.as_str())
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
                labelled = true;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font((FONT, 14))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// The bucket label under the middle of bar `i`.
fn label_at(labels: &[&str], x: &SegmentValue<usize>) -> String {
    match x {
        SegmentValue::CenterOf(i) => labels.get(*i).map_or(String::new(), |s| s.to_string()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Bucket, By, Unit};
    use chrono::NaiveDate;

    fn timeline() -> Timeline {
        let day = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
        let buckets = (1..=3)
            .map(|m| Bucket {
                bucket: format!("2025-{m:02}"),
                start: day(m),
                end: day(m),
                passages: m as u64 * 2,
                articles: m as u64,
                totals: None,
            })
            .collect();
        Timeline {
            unit: Unit::Month,
            by: By::Published,
            normalized: false,
            buckets,
            earlier: None,
            later: None,
            undated: 0,
        }
    }

    #[test]
    fn svg_has_title_axis_labels_and_bars() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.svg");
        plot_timeline(&timeline(), "interest rates", &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        for text in [
            "interest rates",
            "matching passages",
            "publication date (month)",
            "2025-02",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.matches("<rect").count() >= 3);
    }

    #[test]
    fn png_renders_without_system_fonts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.png");
        plot_timeline(&timeline(), "interest rates", &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn lines_have_one_legend_entry_per_label() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.svg");
        let lines: Vec<LabelTimeline> = ["oil prices", "sanctions"]
            .iter()
            .map(|l| LabelTimeline {
                label: l.to_string(),
                query: l.to_string(),
                timeline: timeline(),
            })
            .collect();
        plot_timelines(&lines, "attention", &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        for text in ["attention", "oil prices", "sanctions", "2025-03"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.matches("<polyline").count() >= 2);
    }

    #[test]
    fn other_extensions_are_refused() {
        let err = plot_timeline(&timeline(), "t", Path::new("chart.pdf")).unwrap_err();
        assert!(err.to_string().contains(".svg or .png"));
    }
}
