//! Horizontal bar charts drawn as SVG: one row per label, one bar per series, each with its
//! value written beside it. Long Chinese labels fit, and the chart shrinks to a phone's width.

use leptos::prelude::*;

/// One series of a chart: its name, the CSS class colouring its bars, and a value per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub class: &'static str,
    pub values: Vec<f64>,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 190.0;
const VALUE_WIDTH: f64 = 70.0;
const BAR_HEIGHT: f64 = 14.0;
const ROW_GAP: f64 = 10.0;

/// A bar as drawn: row, series, top edge and length in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub row: usize,
    pub series: usize,
    pub y: f64,
    pub length: f64,
}

/// Where the bars go: rows stacked top to bottom, lengths proportional to the largest value
/// of all series (so series compare), and the chart's height.
pub fn bars(rows: usize, series: &[Series]) -> (Vec<Bar>, f64) {
    let max = series.iter().flat_map(|series| series.values.iter().copied()).fold(0.0_f64, f64::max);
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let row_height = BAR_HEIGHT * series.len().max(1) as f64 + ROW_GAP;
    let mut placed = Vec::with_capacity(rows * series.len());
    for row in 0..rows {
        for (index, one) in series.iter().enumerate() {
            let value = one.values.get(row).copied().unwrap_or(0.0).max(0.0);
            placed.push(Bar {
                row,
                series: index,
                y: row as f64 * row_height + index as f64 * BAR_HEIGHT,
                length: if max > 0.0 { value / max * span } else { 0.0 },
            });
        }
    }
    (placed, rows as f64 * row_height)
}

/// An SVG coordinate, rounded to whole units (the drawing needs no finer; it also keeps
/// float formatting out of the bundle).
pub fn px(value: f64) -> i32 {
    value.round() as i32
}

/// Formats a value as the charts write it (integers with thousands separators).
fn value_text(value: f64) -> String {
    crate::format::thousands(value.round() as i64)
}

/// A titled bar chart with a legend; `testid` names it for tests.
pub fn bar_chart(title: String, testid: &'static str, labels: Vec<String>, series: Vec<Series>) -> impl IntoView {
    let (placed, height) = bars(labels.len(), &series);
    let rows_per_label = series.len().max(1) as f64;
    let label_views = labels
        .iter()
        .enumerate()
        .map(|(row, label)| {
            let y = row as f64 * (BAR_HEIGHT * rows_per_label + ROW_GAP) + BAR_HEIGHT * rows_per_label / 2.0 + 4.0;
            view! { <text class="label" x=px(LABEL_WIDTH - 8.0) y=px(y) text-anchor="end">{label.clone()}</text> }
        })
        .collect_view();
    let bar_views = placed
        .into_iter()
        .map(|bar| {
            let one = &series[bar.series];
            let value = one.values.get(bar.row).copied().unwrap_or(0.0);
            let tooltip = format!("{} · {}: {}", labels[bar.row], one.name, value_text(value));
            view! {
                <g class=format!("bar {}", one.class) data-row=bar.row data-value=value.round() as i64>
                    <rect x=px(LABEL_WIDTH) y=px(bar.y + 1.0) width=px(bar.length).max(1) height=px(BAR_HEIGHT - 2.0)>
                        <title>{tooltip}</title>
                    </rect>
                    <text class="value" x=px(LABEL_WIDTH + bar.length + 4.0) y=px(bar.y + BAR_HEIGHT - 3.0)>{value_text(value)}</text>
                </g>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|one| view! { <span class="key"><span class=format!("swatch {}", one.class)></span>{one.name.clone()}</span> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title.clone()}</figcaption>
            <p class="legend">{legend}</p>
            <svg viewBox=format!("0 0 {} {}", px(WIDTH), px(height)) role="img" aria-label=title preserveAspectRatio="xMinYMin meet">
                {label_views}
                {bar_views}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Series {
        Series { name: "s".to_owned(), class: "a", values: values.to_vec() }
    }

    #[test]
    fn the_largest_value_fills_the_width_and_the_others_are_proportional() {
        let (placed, height) = bars(3, &[series(&[10.0, 5.0, 0.0])]);
        let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        assert_eq!(placed.iter().map(|bar| bar.length).collect::<Vec<_>>(), vec![span, span / 2.0, 0.0]);
        assert_eq!(height, 3.0 * (BAR_HEIGHT + ROW_GAP));
        assert!(placed.windows(2).all(|pair| pair[0].y < pair[1].y), "rows go down");
    }

    #[test]
    fn series_share_one_scale_and_sit_side_by_side_in_a_row() {
        let (placed, _) = bars(1, &[series(&[100.0]), series(&[25.0])]);
        assert_eq!(placed[1].length * 4.0, placed[0].length);
        assert_eq!(placed[1].y - placed[0].y, BAR_HEIGHT);
    }

    #[test]
    fn an_empty_chart_draws_nothing_and_does_not_divide_by_zero() {
        let (placed, height) = bars(2, &[series(&[0.0, 0.0])]);
        assert!(placed.iter().all(|bar| bar.length == 0.0));
        assert!(height > 0.0);
        assert_eq!(bars(0, &[]).0.len(), 0);
    }
}
