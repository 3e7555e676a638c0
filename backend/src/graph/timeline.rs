//! Cooperation over time: projects started, active and ended per year or month, and the
//! edges that are new, continued or ended between two years.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{
    data::{GraphData, ProjectRecord, Side},
    filter::CompiledFilter,
    view::{Edge, neighbours},
};

/// Counts of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub month: Option<u32>,
    pub started: u32,
    pub active: u32,
    pub ended: u32,
}

/// The years the timeline and the year comparison accept.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;
/// The longest range of years one timeline covers.
pub const MAX_SPAN_YEARS: i32 = 50;

/// Checks a range of years before any work starts: both in [`YEARS`], `from ≤ to`, at most
/// [`MAX_SPAN_YEARS`] apart. The message says what is wrong.
pub fn check_years(from: i32, to: i32) -> Result<(), String> {
    for year in [from, to] {
        if !YEARS.contains(&year) {
            return Err(format!("years must be between {} and {}, got {year}", YEARS.start(), YEARS.end()));
        }
    }
    if to < from || to - from > MAX_SPAN_YEARS {
        return Err(format!("give a range of at most {MAX_SPAN_YEARS} years, fromYear ≤ toYear"));
    }
    Ok(())
}

/// The first and last day of a year or month of [`YEARS`] (checked by the callers).
fn bounds(year: i32, month: Option<u32>) -> (NaiveDate, NaiveDate) {
    match month {
        Some(month) => {
            let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)
            };
            (first, next.expect("valid month").pred_opt().expect("valid date"))
        }
        None => {
            (NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"), NaiveDate::from_ymd_opt(year, 12, 31).expect("valid"))
        }
    }
}

/// Whether a started project ran during `[first, last]` (unfinished projects run until now).
pub fn active_during(project: &ProjectRecord, first: NaiveDate, last: NaiveDate) -> bool {
    project.start.is_some_and(|start| start <= last && project.end.is_none_or(|end| end >= first))
}

fn counted<'a>(data: &'a GraphData, filter: &'a CompiledFilter) -> impl Iterator<Item = &'a ProjectRecord> + 'a {
    data.projects.iter().filter(move |project| {
        filter.project_matches(data, project)
            && data.enterprises_of(project).iter().any(|e| filter.node_matches(data, &data.nodes[*e as usize]))
            && data.institutions_of(project).iter().any(|i| filter.node_matches(data, &data.nodes[*i as usize]))
    })
}

/// Per year (or month) from `from_year` to `to_year`.
pub fn timeline(data: &GraphData, filter: &CompiledFilter, from_year: i32, to_year: i32, monthly: bool) -> Vec<Period> {
    let mut periods = Vec::new();
    for year in from_year..=to_year {
        let months: Vec<Option<u32>> = if monthly { (1..=12).map(Some).collect() } else { vec![None] };
        for month in months {
            let (first, last) = bounds(year, month);
            let mut period = Period { year, month, started: 0, active: 0, ended: 0 };
            for project in counted(data, filter) {
                period.started += u32::from(project.start.is_some_and(|d| d >= first && d <= last));
                period.ended += u32::from(project.end.is_some_and(|d| d >= first && d <= last));
                period.active += u32::from(active_during(project, first, last));
            }
            periods.push(period);
        }
    }
    periods
}

/// Edges active (through a project active in that year) in one year.
fn edges_in(data: &GraphData, filter: &CompiledFilter, year: i32) -> BTreeMap<(u32, u32), Vec<u32>> {
    let (first, last) = bounds(year, None);
    let mut edges = BTreeMap::new();
    for (index, node) in data.nodes.iter().enumerate() {
        if node.side != Side::Enterprise {
            continue;
        }
        for (institution, projects) in neighbours(data, filter, index as u32) {
            let active: Vec<u32> =
                projects.into_iter().filter(|p| active_during(&data.projects[*p as usize], first, last)).collect();
            if !active.is_empty() {
                edges.insert((index as u32, institution), active);
            }
        }
    }
    edges
}

/// How the network changed from `first` to `second`.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Active in `second` only (projects of `second`).
    pub new: Vec<Edge>,
    /// Active in both (projects of `second`).
    pub continued: Vec<Edge>,
    /// Active in `first` only (projects of `first`).
    pub ended: Vec<Edge>,
}

pub fn compare(data: &GraphData, filter: &CompiledFilter, first: i32, second: i32) -> Comparison {
    let before = edges_in(data, filter, first);
    let after = edges_in(data, filter, second);
    let edge = |(enterprise, institution): (u32, u32), projects: Vec<u32>| Edge { enterprise, institution, projects };
    let mut comparison = Comparison::default();
    for (key, projects) in &after {
        if before.contains_key(key) {
            comparison.continued.push(edge(*key, projects.clone()));
        } else {
            comparison.new.push(edge(*key, projects.clone()));
        }
    }
    for (key, projects) in before {
        if !after.contains_key(&key) {
            comparison.ended.push(edge(key, projects));
        }
    }
    comparison
}

/// The first and last start years in the data (for default ranges).
pub fn year_range(data: &GraphData) -> (i32, i32) {
    let years = data.projects.iter().filter(|p| p.alive).filter_map(|p| p.start.map(|d| d.year()));
    let (min, max) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if min > max { (2019, 2024) } else { (min, max) }
}
