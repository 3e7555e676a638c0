//! The dashboard: the published figures next to the figures counted from the records, then
//! charts of projects by status, chain and year, of training and of the employment ledger.

use leptos::prelude::*;

use super::projects::ListQuery;
use crate::{
    api::{self, Indicator, dashboard},
    codes,
    components::{
        chart::{Row, Series, bar_chart},
        loader,
    },
    format::{long_date, thousands},
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

/// The published figures with, for each, whether the platform's records give the same count
/// (the provenance, said for officials rather than as a check mark), and the publication.
#[component]
fn IndicatorTable(rows: Vec<Indicator>) -> impl IntoView {
    let lang = use_lang();
    let as_of = rows.first().map(|row| row.as_of.clone()).unwrap_or_default();
    let source = move || {
        let lang = lang.get();
        let (zh, en) = shared::indicators::SEED_PUBLISHER;
        match lang {
            Lang::Zh => format!("{}{zh}（{}）", text(lang, Text::Source), long_date(lang, &as_of)),
            Lang::En => format!("{}{en} ({})", text(lang, Text::Source), long_date(lang, &as_of)),
        }
    };
    view! {
        <table class="indicators" data-testid="indicators">
            <thead>
                <tr>
                    <th scope="col">{tr(Text::Indicator)}</th>
                    <th scope="col" class="number">{tr(Text::Published)}</th>
                    <th scope="col">{tr(Text::Computed)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let matches = row.published_value == row.computed_value;
                    let computed = row.computed_value;
                    view! {
                        <tr data-key=row.key.clone() class:mismatch=!matches>
                            <th scope="row">{
                                let (zh, en) = (row.label.clone(), row.label_en.clone());
                                move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }
                            }</th>
                            <td class="number published">{thousands(row.published_value)}</td>
                            <td class="check" data-computed=computed>
                                <span class=if matches { "agrees" } else { "differs" }>{tr(if matches { Text::Matches } else { Text::Differs })}</span>
                                <span class="in-records">{move || format!("{}{}", text(lang.get(), Text::InRecords), thousands(computed))}</span>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="source" data-testid="source">{source}</p>
        <p class="source">{tr(Text::Provenance)}</p>
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
                (pick(lang, status.label_zh(), status.label_en()).to_owned(), *status, count as f64)
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
        let mut chains: Vec<(String, Option<String>, f64)> = data
            .by_chain
            .iter()
            .map(|row| (chain_name(&row.chain_id, &row.chain_name), row.chain_id.clone(), row.count as f64))
            .collect();
        chains.sort_by(|a, b| b.2.total_cmp(&a.2));
        let projects_total: f64 = statuses.iter().map(|(_, _, count)| *count).sum();
        let chains_total: f64 = chains.iter().map(|(_, _, count)| *count).sum();
        // Projects whose enterprises work in several chains count once per chain: say so when
        // the chains add up to more than the projects.
        let chain_note = (chains_total > projects_total).then(|| {
            text(lang, Text::ChainNote)
                .replace("{sum}", &thousands(chains_total as i64))
                .replace("{total}", &thousands(projects_total as i64))
        });
        let list = |query: ListQuery| Some(query.href());
        let mut training = data.training.clone();
        training.sort_by_key(|row| row.year);
        let mut ledger = data.ledger.clone();
        ledger.sort_by_key(|row| row.year);
        view! {
            <p class="hint">{text(lang, Text::ChartHint)}</p>
            <div class="charts">
                {bar_chart(
                    text(lang, Text::ChartByStatus).to_owned(),
                    "chart-status",
                    statuses.iter().map(|(label, status, _)| Row { label: label.clone(), href: list(ListQuery { status: Some(*status), ..ListQuery::default() }) }).collect(),
                    vec![named(Text::SeriesProjects, "s1", statuses.iter().map(|(_, _, count)| *count).collect())],
                    None,
                )}
                {bar_chart(
                    text(lang, Text::ChartByYear).to_owned(),
                    "chart-years",
                    data.timeline.iter().map(|point| Row { label: point.year.to_string(), href: list(ListQuery { year: Some(point.year as i32), ..ListQuery::default() }) }).collect(),
                    vec![
                        named(Text::SeriesStarted, "s1", data.timeline.iter().map(|point| point.started as f64).collect()),
                        named(Text::SeriesActive, "s2", data.timeline.iter().map(|point| point.active as f64).collect()),
                        named(Text::SeriesEnded, "s3", data.timeline.iter().map(|point| point.ended as f64).collect()),
                    ],
                    None,
                )}
                {bar_chart(
                    text(lang, Text::ChartByChain).to_owned(),
                    "chart-chains",
                    chains.iter().map(|(label, id, _)| Row { label: label.clone(), href: id.clone().and_then(|id| list(ListQuery { chain: Some(id), ..ListQuery::default() })) }).collect(),
                    vec![named(Text::SeriesProjects, "s1", chains.iter().map(|(_, _, count)| *count).collect())],
                    chain_note,
                )}
                {bar_chart(
                    text(lang, Text::ChartTraining).to_owned(),
                    "chart-training",
                    training.iter().map(|row| Row { label: period(lang, row.year, row.count, Text::Sessions), href: None }).collect(),
                    vec![named(Text::SeriesTrainees, "s2", training.iter().map(|row| row.trainees as f64).collect())],
                    None,
                )}
                {bar_chart(
                    text(lang, Text::ChartLedger).to_owned(),
                    "chart-ledger",
                    ledger.iter().map(|row| Row { label: period(lang, row.year, row.count, Text::LedgerRows), href: None }).collect(),
                    vec![
                        named(Text::SeriesNeeded, "s3", ledger.iter().map(|row| row.workers_needed as f64).collect()),
                        named(Text::SeriesPlaced, "s1", ledger.iter().map(|row| row.workers_placed as f64).collect()),
                    ],
                    None,
                )}
            </div>
        }
    }
}

/// A year with how many records it holds, as each language writes it: `2023年（42期）`,
/// `2023 (42 sessions)`.
fn period(lang: Lang, year: Option<i64>, count: i64, unit: Text) -> String {
    let year = year.map_or_else(String::new, |year| year.to_string());
    match lang {
        Lang::Zh => format!("{year}年（{count}{}）", text(lang, unit)),
        Lang::En => format!("{year} ({count} {})", text(lang, unit)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_each_language_writes_them() {
        assert_eq!(period(Lang::Zh, Some(2023), 42, Text::Sessions), "2023年（42期）");
        assert_eq!(period(Lang::En, Some(2023), 42, Text::Sessions), "2023 (42 sessions)");
    }
}
