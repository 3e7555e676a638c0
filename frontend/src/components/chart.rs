//! Horizontal bar charts drawn with HTML and CSS: one row per label, one bar per series, each
//! with its value written beside it. The text is the page's text (legible on a phone, where
//! a scaled SVG shrank it to 6 px), and a row whose records can be listed links to them.

use leptos::prelude::*;

/// One series of a chart: its name, the CSS class colouring its bars, and a value per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub class: &'static str,
    pub values: Vec<f64>,
}

/// One row of a chart: its label and, when the row's records can be listed, their link.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub href: Option<String>,
}

/// The share of the bar area each value fills, in percent: proportional to the largest value
/// of all series (so series compare), at most 80 so that the value fits beside its bar.
pub fn shares(series: &[Series]) -> Vec<Vec<f64>> {
    let max = series.iter().flat_map(|series| series.values.iter().copied()).fold(0.0_f64, f64::max);
    series
        .iter()
        .map(|one| one.values.iter().map(|value| if max > 0.0 { value.max(0.0) / max * 80.0 } else { 0.0 }).collect())
        .collect()
}

/// An SVG coordinate, rounded to whole units (the drawing needs no finer; it also keeps
/// float formatting out of the bundle).
pub fn px(value: f64) -> i32 {
    value.round() as i32
}

/// A titled bar chart with a legend and an optional note under it; `testid` names it for
/// tests.
pub fn bar_chart(
    title: String,
    testid: &'static str,
    rows: Vec<Row>,
    series: Vec<Series>,
    note: Option<String>,
) -> impl IntoView {
    let shares = shares(&series);
    let row_views = rows
        .into_iter()
        .enumerate()
        .map(|(row, Row { label, href })| {
            let bars = series
                .iter()
                .zip(&shares)
                .map(|(one, shares)| {
                    let value = one.values.get(row).copied().unwrap_or(0.0);
                    let share = shares.get(row).copied().unwrap_or(0.0);
                    view! {
                        <span class="bar" data-row=row data-value=value.round() as i64 title=format!("{label} · {}", one.name)>
                            <span class=format!("fill {}", one.class) style:width=format!("{}%", px(share))></span>
                            <span class="value">{crate::format::thousands(value.round() as i64)}</span>
                        </span>
                    }
                })
                .collect_view();
            let label = match href {
                Some(href) => view! { <a href=href>{label.clone()}</a> }.into_any(),
                None => view! { <span>{label.clone()}</span> }.into_any(),
            };
            view! {
                <div class="chart-row">
                    <span class="label">{label}</span>
                    <span class="bars">{bars}</span>
                </div>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|one| view! { <span class="key"><span class=format!("swatch {}", one.class)></span>{one.name.clone()}</span> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title}</figcaption>
            <p class="legend">{legend}</p>
            <div class="chart-rows">{row_views}</div>
            {note.map(|note| view! { <p class="chart-note" data-testid="chart-note">{note}</p> })}
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
    fn the_largest_value_fills_the_bar_area_and_the_others_are_proportional() {
        assert_eq!(shares(&[series(&[10.0, 5.0, 0.0])]), vec![vec![80.0, 40.0, 0.0]]);
    }

    #[test]
    fn series_share_one_scale() {
        let shares = shares(&[series(&[100.0]), series(&[25.0])]);
        assert_eq!(shares[1][0] * 4.0, shares[0][0]);
    }

    #[test]
    fn an_empty_chart_draws_nothing_and_does_not_divide_by_zero() {
        assert_eq!(shares(&[series(&[0.0, 0.0])]), vec![vec![0.0, 0.0]]);
        assert!(shares(&[]).is_empty());
    }
}
