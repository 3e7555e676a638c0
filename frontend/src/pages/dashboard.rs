//! The dashboard: the published figures next to the figures counted from the records, then
//! charts of projects by status, chain and year, of training and of the employment ledger.

use leptos::prelude::*;

use crate::{
    api::{self, Indicator, dashboard},
    codes,
    components::{
        chart::{Series, bar_chart},
        loader,
    },
    format::thousands,
    i18n::{Lang, Text, pick, text, tr, use_lang},
};

#[component]
pub fn Dashboard() -> impl IntoView {
    let indicators = loader::load(api::indicators);
    let charts = loader::load(|| api::run::<api::Dashboard>(dashboard::Variables));
    view! {
        <main>
            <h2>{tr(Text::IndicatorsTitle)}</h2>
            {loader::loaded(indicators, |rows| view! { <IndicatorTable rows=rows /> })}
            <h2>{tr(Text::DashboardTitle)}</h2>
            {loader::loaded(charts, |data| view! { <Charts data=data /> })}
        </main>
    }
}

#[component]
fn IndicatorTable(rows: Vec<Indicator>) -> impl IntoView {
    let lang = use_lang();
    let (source, as_of) = rows.first().map(|row| (row.source.clone(), row.as_of.clone())).unwrap_or_default();
    let source = move || match lang.get() {
        Lang::Zh => format!("{}{source}（{as_of}）", text(Lang::Zh, Text::Source)),
        Lang::En => format!("{}{source} ({as_of})", text(Lang::En, Text::Source)),
    };
    view! {
        <table class="indicators" data-testid="indicators">
            <thead>
                <tr>
                    <th scope="col">{tr(Text::Indicator)}</th>
                    <th scope="col">{tr(Text::Published)}</th>
                    <th scope="col">{tr(Text::Computed)}</th>
                    <th scope="col">{tr(Text::Matches)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let matches = row.published_value == row.computed_value;
                    view! {
                        <tr data-key=row.key.clone() class:mismatch=!matches>
                            <th scope="row">{
                                let (zh, en) = (row.label.clone(), row.label_en.clone());
                                move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }
                            }</th>
                            <td class="number published">{thousands(row.published_value)}</td>
                            <td class="number computed">{thousands(row.computed_value)}</td>
                            <td class="status">{if matches { "✓" } else { "✗" }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="source">{source}</p>
    }
}

#[component]
fn Charts(data: dashboard::ResponseData) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let named = |key: Text, class: &'static str, values: Vec<f64>| Series {
            name: text(lang, key).to_owned(),
            class,
            values,
        };
        // Statuses in lifecycle order, from the shared state machine's list.
        let statuses: Vec<_> = shared::domain::ProjectStatus::ALL
            .iter()
            .map(|status| {
                let count = data
                    .by_status
                    .iter()
                    .filter(|row| row.status.as_ref().and_then(codes::status_of) == Some(*status))
                    .map(|row| row.count)
                    .sum::<i64>();
                (pick(lang, status.label_zh(), status.label_en()).to_owned(), count as f64)
            })
            .collect();
        let chain_name = |id: &Option<String>, fallback: &Option<String>| {
            data.industry_chains
                .nodes
                .iter()
                .find(|chain| Some(&chain.id) == id.as_ref())
                .map(|chain| if lang == Lang::Zh { chain.name_zh.clone() } else { chain.name_en.clone() })
                .or_else(|| fallback.clone())
                .unwrap_or_default()
        };
        let mut chains: Vec<(String, f64)> =
            data.by_chain.iter().map(|row| (chain_name(&row.chain_id, &row.chain_name), row.count as f64)).collect();
        chains.sort_by(|a, b| b.1.total_cmp(&a.1));
        let years: Vec<String> = data.timeline.iter().map(|point| point.year.to_string()).collect();
        let mut training = data.training.clone();
        training.sort_by_key(|row| row.year);
        let mut ledger = data.ledger.clone();
        ledger.sort_by_key(|row| row.year);
        let year_label = |year: Option<i64>| year.map_or_else(String::new, |year| year.to_string());
        view! {
            <div class="charts">
                {bar_chart(
                    text(lang, Text::ChartByStatus).to_owned(),
                    "chart-status",
                    statuses.iter().map(|(label, _)| label.clone()).collect(),
                    vec![named(Text::SeriesProjects, "s1", statuses.iter().map(|(_, count)| *count).collect())],
                )}
                {bar_chart(
                    text(lang, Text::ChartByYear).to_owned(),
                    "chart-years",
                    years,
                    vec![
                        named(Text::SeriesStarted, "s1", data.timeline.iter().map(|point| point.started as f64).collect()),
                        named(Text::SeriesActive, "s2", data.timeline.iter().map(|point| point.active as f64).collect()),
                        named(Text::SeriesEnded, "s3", data.timeline.iter().map(|point| point.ended as f64).collect()),
                    ],
                )}
                {bar_chart(
                    text(lang, Text::ChartByChain).to_owned(),
                    "chart-chains",
                    chains.iter().map(|(label, _)| label.clone()).collect(),
                    vec![named(Text::SeriesProjects, "s1", chains.iter().map(|(_, count)| *count).collect())],
                )}
                {bar_chart(
                    text(lang, Text::ChartTraining).to_owned(),
                    "chart-training",
                    training.iter().map(|row| format!("{} ({} {})", year_label(row.year), row.count, text(lang, Text::Sessions))).collect(),
                    vec![named(Text::SeriesTrainees, "s2", training.iter().map(|row| row.trainees as f64).collect())],
                )}
                {bar_chart(
                    text(lang, Text::ChartLedger).to_owned(),
                    "chart-ledger",
                    ledger.iter().map(|row| format!("{} ({} {})", year_label(row.year), row.count, text(lang, Text::LedgerRows))).collect(),
                    vec![
                        named(Text::SeriesNeeded, "s3", ledger.iter().map(|row| row.workers_needed as f64).collect()),
                        named(Text::SeriesPlaced, "s1", ledger.iter().map(|row| row.workers_placed as f64).collect()),
                    ],
                )}
            </div>
        }
    }
}
