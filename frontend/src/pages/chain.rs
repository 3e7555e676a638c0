//! The industry chain view: lanes upstream → midstream → downstream with each segment's
//! enterprises, the institutions working with them drawn as edges, coverage per segment, and
//! gaps highlighted with suggested partners.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::domain::ChainStage;

use crate::{
    api::{self, chain_view},
    codes,
    components::{chart::px, loader},
    format::percent,
    i18n::{Lang, Text, pick, pick_name, text, tr, use_lang},
    router,
};

/// Width and height of the diagram, and the size of a segment box.
const WIDTH: f64 = 900.0;
const BOX_WIDTH: f64 = 240.0;
const BOX_HEIGHT: f64 = 44.0;
const TOP: f64 = 90.0;
/// Most institutions drawn above the lanes.
const MAX_PARTNERS: usize = 10;

/// The x of a lane's centre (upstream left, downstream right).
fn lane_x(stage: ChainStage) -> f64 {
    let lane = ChainStage::ALL.iter().position(|one| *one == stage).unwrap_or(0) as f64;
    WIDTH / 6.0 * (2.0 * lane + 1.0)
}

/// The centre of every segment box: in its stage's lane, stacked by position.
pub fn segment_boxes(segments: &[(ChainStage, i64)]) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&index| segments[index].1);
    let mut rows: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut placed = vec![(0.0, 0.0); segments.len()];
    for index in order {
        let stage = segments[index].0;
        let row = rows.entry(stage.code()).or_insert(0);
        placed[index] = (lane_x(stage), TOP + 40.0 + *row as f64 * (BOX_HEIGHT + 16.0) + BOX_HEIGHT / 2.0);
        *row += 1;
    }
    placed
}

/// The gap bars offered, in percent of the city's coverage, and the default.
const GAP_BARS: [i64; 5] = [25, 50, 75, 100, 150];
const DEFAULT_GAP_BAR: i64 = 50;

/// One chain's lanes; `?gap=N` sets the gap bar to N% of the city's coverage.
#[component]
pub fn ChainPage(id: String) -> impl IntoView {
    let params = router::use_query();
    let bar = Memo::new(move |_| {
        params
            .with(|pairs| router::lookup(pairs)("gap").and_then(|value| value.parse::<i64>().ok()))
            .filter(|bar| GAP_BARS.contains(bar))
            .unwrap_or(DEFAULT_GAP_BAR)
    });
    let path = format!("/chains/{id}");
    let chain = loader::load(move || {
        let relative = bar.get() as f64 / 100.0;
        api::run::<api::ChainView>(chain_view::Variables { id: id.clone(), relative })
    });
    let lang = use_lang();
    view! {
        <main class="wide">
            <p><a href="/chains">{tr(Text::AllChains)}</a></p>
            <form class="filters" on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <label>
                    {tr(Text::GapBar)}
                    <select name="gap" data-testid="gap-bar" on:change:target=move |event| {
                        router::navigate(&router::link(&path, vec![("gap", event.target().value())]));
                    }>
                        {GAP_BARS.map(|one| view! {
                            <option value=one.to_string() selected=move || bar.get() == one>
                                {move || text(lang.get(), Text::GapBarChoice).replace("{n}", &one.to_string())}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </form>
            {loader::loaded(chain, |data| view! { <Lanes chain=data.industry_chain /> })}
        </main>
    }
}

/// A name in at most two lines of `width` characters for the diagram (the rest elided), so
/// that names sharing a long beginning stay apart.
pub fn two_lines(name: &str, width: usize) -> (String, String) {
    let chars: Vec<char> = name.chars().collect();
    let first: String = chars.iter().take(width).collect();
    let rest = &chars[chars.len().min(width)..];
    let second: String = if rest.len() > width {
        rest.iter().take(width - 1).chain(std::iter::once(&'…')).collect()
    } else {
        rest.iter().collect()
    };
    (first, second)
}

#[component]
fn Lanes(chain: chain_view::ChainViewIndustryChain) -> impl IntoView {
    let lang = use_lang();
    let stages: Vec<ChainStage> = chain
        .segments
        .iter()
        .map(|segment| codes::from_graphql(ChainStage::ALL, &segment.stage).unwrap_or(ChainStage::Midstream))
        .collect();
    let boxes = segment_boxes(
        &chain.segments.iter().zip(&stages).map(|(segment, stage)| (*stage, segment.position)).collect::<Vec<_>>(),
    );
    let (city, threshold) = (chain.analysis.city_coverage, chain.analysis.threshold);
    let coverage = |id: &str| chain.analysis.segments.iter().find(|segment| segment.segment_id == id);
    let gap = |id: &str| chain.analysis.gaps.iter().find(|gap| gap.segment_id == id);
    // The institutions with the most projects across the chain, drawn above the lanes.
    let mut totals: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for segment in &chain.analysis.segments {
        for partner in &segment.partners {
            let entry = totals.entry(partner.institution_id.clone()).or_insert((partner.institution_name.clone(), 0));
            entry.1 += partner.projects;
        }
    }
    let mut partners: Vec<(String, String, i64)> =
        totals.into_iter().map(|(id, (name, projects))| (id, name, projects)).collect();
    partners.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    partners.truncate(MAX_PARTNERS);
    let partner_x = |index: usize| WIDTH / partners.len().max(1) as f64 * (index as f64 + 0.5);
    let height = boxes.iter().map(|(_, y)| y + BOX_HEIGHT).fold(TOP + 100.0, f64::max);
    let max_projects = chain
        .analysis
        .segments
        .iter()
        .flat_map(|segment| segment.partners.iter().map(|partner| partner.projects))
        .max()
        .unwrap_or(1)
        .max(1) as f64;

    let mut edges = Vec::new();
    for (segment, (x, y)) in chain.segments.iter().zip(&boxes) {
        if let Some(found) = coverage(&segment.id) {
            for partner in &found.partners {
                if let Some(index) = partners.iter().position(|(id, _, _)| *id == partner.institution_id) {
                    let width = 1.0 + 5.0 * partner.projects as f64 / max_projects;
                    let path = format!(
                        "M{},{} C{},{} {},{} {},{}",
                        px(partner_x(index)),
                        50,
                        px(partner_x(index)),
                        px(TOP),
                        px(*x),
                        px(TOP),
                        px(*x),
                        px(y - BOX_HEIGHT / 2.0)
                    );
                    edges.push(view! { <path d=path stroke-width=px(width)><title>{format!("{} — {}: {}", partner.institution_name, segment.name_zh, partner.projects)}</title></path> });
                }
            }
        }
    }
    let lane_heads = ChainStage::ALL
        .iter()
        .map(|stage| {
            let stage = *stage;
            view! { <text class="lane-head" x=px(lane_x(stage)) y=px(TOP + 20.0) text-anchor="middle">{move || pick(lang.get(), stage.label_zh(), stage.label_en())}</text> }
        })
        .collect_view();
    let institution_marks = partners
        .iter()
        .enumerate()
        .map(|(index, (id, name, _))| {
            let (first, second) = two_lines(name, 7);
            view! {
                <g data-institution=id.clone()>
                    <circle cx=px(partner_x(index)) cy=40 r=9 class="institution"><title>{name.clone()}</title></circle>
                    <text x=px(partner_x(index)) y=11 text-anchor="middle" class="small">
                        <tspan x=px(partner_x(index))>{first}</tspan>
                        <tspan x=px(partner_x(index)) dy=12>{second}</tspan>
                    </text>
                </g>
            }
        })
        .collect_view();
    let segment_marks = chain
        .segments
        .iter()
        .zip(&boxes)
        .map(|(segment, (x, y))| {
            let share = coverage(&segment.id).map_or(0.0, |found| found.coverage);
            let is_gap = gap(&segment.id).is_some();
            let (zh, en) = (segment.name_zh.clone(), segment.name_en.clone());
            view! {
                <g class="segment" class:gap=is_gap data-segment=segment.id.clone()>
                    <rect x=px(x - BOX_WIDTH / 2.0) y=px(y - BOX_HEIGHT / 2.0) width=px(BOX_WIDTH) height=px(BOX_HEIGHT) rx=6></rect>
                    <rect class="coverage" x=px(x - BOX_WIDTH / 2.0) y=px(y + BOX_HEIGHT / 2.0 - 6.0) width=px(BOX_WIDTH * share) height=6></rect>
                    <text x=px(*x) y=px(*y + 2.0) text-anchor="middle">{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</text>
                </g>
            }
        })
        .collect_view();

    let (zh, en) = (chain.name_zh.clone(), chain.name_en.clone());
    let cards = ChainStage::ALL
        .iter()
        .map(|stage| {
            let stage = *stage;
            let cards = chain
                .segments
                .iter()
                .zip(&stages)
                .filter(|(_, one)| **one == stage)
                .map(|(segment, _)| {
                    let found = coverage(&segment.id).cloned();
                    let suggestions = gap(&segment.id).map(|gap| gap.suggestions.clone());
                    let is_gap = suggestions.is_some();
                    let (covered, total) = found.as_ref().map_or((0, 0), |found| (found.covered_enterprise_count, found.enterprise_count));
                    let (zh, en) = (segment.name_zh.clone(), segment.name_en.clone());
                    let shown = segment.enterprises.nodes.iter().take(12).map(|node| view! {
                        <a class="chip enterprise" href=format!("/enterprises/{}", node.id)>{node.name.clone()}</a>
                    }).collect_view();
                    let more = segment.enterprises.total_count - segment.enterprises.nodes.len().min(12) as i64;
                    let partners = found.map(|found| found.partners).unwrap_or_default().into_iter().take(5).map(|partner| {
                        let (zh, en) = (partner.institution_name, partner.institution_name_en);
                        view! {
                            <li><a href=format!("/institutions/{}", partner.institution_id)>{move || pick_name(lang.get(), &zh, en.as_deref())}</a> " (" {partner.projects} ")"</li>
                        }
                    }).collect_view();
                    view! {
                        <article class="segment-card" class:gap=is_gap data-testid="segment">
                            <h4>{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</h4>
                            <p class="coverage-line" data-covered=covered data-total=total>
                                {move || format!("{}{covered} / {total} ({}%)", text(lang.get(), Text::Coverage), percent(covered, total))}
                                {is_gap.then(|| view! { " " <strong class="gap-badge">{tr(Text::GapBadge)}</strong> })}
                            </p>
                            <p class="enterprises">{shown} {(more > 0).then(|| view! { <span class="more">{move || format!("+{more} {}", text(lang.get(), Text::More))}</span> })}</p>
                            <h5>{tr(Text::WorkingWith)}</h5>
                            <ul class="partners">{partners}</ul>
                            {suggestions.map(|suggestions| view! {
                                <h5>{tr(Text::SuggestedPartners)}</h5>
                                <ul class="suggestions" data-testid="suggestions">
                                    {suggestions.into_iter().map(|partner| view! {
                                        <li>
                                            <a href=format!("/institutions/{}", partner.institution_id)>{
                                                let (zh, en) = (partner.institution_name.clone(), partner.institution_name_en.clone());
                                                move || pick_name(lang.get(), &zh, en.as_deref())
                                            }</a>
                                            <span class="why" data-testid="why">{move || why(lang.get(), &partner.fit, partner.projects, partner.enterprises)}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </article>
                    }
                })
                .collect_view();
            view! {
                <section class="lane" data-stage=stage.code()>
                    <h3>{move || pick(lang.get(), stage.label_zh(), stage.label_en())}</h3>
                    {cards}
                </section>
            }
        })
        .collect_view();
    view! {
        <h2 data-testid="chain-name">{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</h2>
        <p class="hint">{tr(Text::ChainHint)}</p>
        <p class="gap-rule" data-testid="gap-rule" data-threshold=threshold.to_string()>{move || text(lang.get(), Text::GapRule)
            .replace("{city}", &percent_of(city))
            .replace("{bar}", &percent_of(threshold))}</p>
        <div class="diagram">
            <svg viewBox=format!("0 0 {} {}", px(WIDTH), px(height)) role="img" aria-label=tr(Text::ChainDiagram) data-testid="chain-diagram">
                <g class="edges">{edges}</g>
                {lane_heads}
                {institution_marks}
                {segment_marks}
            </svg>
        </div>
        <div class="lanes">{cards}</div>
    }
}

/// Why a partner is suggested, in one line: the needed disciplines it holds, and its work
/// with the chain's other segments.
fn why(lang: Lang, fit: &[chain_view::Discipline], projects: i64, enterprises: i64) -> String {
    let fit: Vec<&str> = fit
        .iter()
        .filter_map(|one| codes::from_graphql(shared::domain::Discipline::ALL, one))
        .map(|one| pick(lang, one.label_zh(), one.label_en()))
        .collect();
    let (list, parts, start, end) =
        if lang == Lang::Zh { ("、", "；", "：", "。") } else { (", ", "; ", ": ", ".") };
    let mut reasons = Vec::new();
    if !fit.is_empty() {
        reasons.push(text(lang, Text::WhyFit).replace("{fit}", &fit.join(list)));
    }
    reasons.push(if projects > 0 {
        text(lang, Text::WhyTies)
            .replace("{projects}", &projects.to_string())
            .replace("{enterprises}", &enterprises.to_string())
    } else {
        text(lang, Text::WhyNew).to_owned()
    });
    format!("{start}{}{end}", reasons.join(parts))
}

/// A share as a percentage with one decimal (`0.129` → `12.9%`), without float formatting.
fn percent_of(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_take_two_lines_and_stay_apart() {
        let institute = two_lines("安徽省农业科学院茶叶研究所", 7);
        let academy = two_lines("安徽省农业科学院", 7);
        assert_ne!(institute, academy);
        assert_eq!(institute, ("安徽省农业科学".to_owned(), "院茶叶研究所".to_owned()));
        assert_eq!(two_lines("皖西学院", 7), ("皖西学院".to_owned(), String::new()));
        assert_eq!(two_lines("一二三四五六七八九十甲乙丙丁戊", 7).1, "八九十甲乙丙…");
        assert_eq!(percent_of(0.1294), "12.9%");
    }

    #[test]
    fn segments_sit_in_their_stage_lane_stacked_by_position() {
        let segments = [
            (ChainStage::Downstream, 4),
            (ChainStage::Upstream, 1),
            (ChainStage::Upstream, 2),
            (ChainStage::Midstream, 3),
        ];
        let boxes = segment_boxes(&segments);
        assert!(
            boxes[1].0 < boxes[3].0 && boxes[3].0 < boxes[0].0,
            "upstream, midstream, downstream from left to right"
        );
        assert_eq!(boxes[1].0, boxes[2].0, "same lane");
        assert!(boxes[1].1 < boxes[2].1, "position 1 above position 2");
        assert_eq!(boxes[1].1, boxes[0].1, "each lane starts at the top");
    }
}
