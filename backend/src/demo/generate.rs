//! The pure part of the demo data: records generated in memory from a seed.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use shared::{
    County, CreditCode, Disciplines, IndicatorKey, ProjectKind, ProjectStatus, TrainingFormat, published_value,
};
use uuid::Uuid;

use super::catalogue::{
    CHAINS, COUNTY_PLACE_NAMES, COUNTY_WEIGHTS, DEMO_MARKER, INSTITUTIONS, NAME_HEADS, NAME_TAILS, PROGRAMMES,
    PROJECT_TITLE_STEMS,
};
use crate::entity::{
    chain_segment, employment_need, employment_placement, enterprise, enterprise_segment, industry_chain, institution,
    project, project_enterprise, project_institution, status_change, training_session,
};

/// Every record of the demo dataset, ready to insert in this order.
#[derive(Debug, Default)]
pub struct DemoDataset {
    pub chains: Vec<industry_chain::Model>,
    pub segments: Vec<chain_segment::Model>,
    pub institutions: Vec<institution::Model>,
    pub enterprises: Vec<enterprise::Model>,
    pub enterprise_segments: Vec<enterprise_segment::Model>,
    pub projects: Vec<project::Model>,
    pub project_enterprises: Vec<project_enterprise::Model>,
    pub project_institutions: Vec<project_institution::Model>,
    pub status_history: Vec<status_change::Model>,
    pub training_sessions: Vec<training_session::Model>,
    pub employment_needs: Vec<employment_need::Model>,
    pub employment_placements: Vec<employment_placement::Model>,
}

/// Below-scale firms added beside the published above-scale ones, so that filters on the
/// above-scale flag have something to tell apart.
const BELOW_SCALE_ENTERPRISES: usize = 398;
/// Key enterprises among the above-scale ones (at least the 545 surveyed).
const KEY_ENTERPRISES: usize = 600;
/// Demo training sessions and trainees in the first half of 2024 (no published figure).
const SESSIONS_2024: usize = 16;
const TRAINEES_2024: i64 = 1_300;

fn figure(key: IndicatorKey) -> usize {
    usize::try_from(published_value(key)).expect("published figures are positive")
}

/// The moment all generated "created at" times are counted from.
fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2019, 1, 1, 8, 0, 0).single().expect("valid date")
}

struct Generator {
    rng: ChaCha8Rng,
}

impl Generator {
    fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.rng.random()).into_uuid()
    }

    fn weighted_index(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut pick = self.rng.random_range(0..total);
        for (index, weight) in weights.iter().enumerate() {
            if pick < *weight {
                return index;
            }
            pick -= weight;
        }
        weights.len() - 1
    }

    /// Splits `total` into `parts` random integers of at least `minimum` that add up exactly.
    fn split_total(&mut self, total: i64, parts: usize, minimum: i64) -> Vec<i64> {
        let rest = total - minimum * parts as i64;
        assert!(rest >= 0, "cannot split {total} into {parts} parts of at least {minimum}");
        let weights: Vec<f64> = (0..parts).map(|_| self.rng.random_range(0.4..1.6)).collect();
        let weight_sum: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights.iter().map(|w| rest as f64 * w / weight_sum).collect();
        let mut shares: Vec<i64> = exact.iter().map(|share| share.floor() as i64).collect();
        let mut remainder = rest - shares.iter().sum::<i64>();
        let mut by_fraction: Vec<usize> = (0..parts).collect();
        by_fraction.sort_by(|a, b| (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor())));
        for index in by_fraction.into_iter().cycle() {
            if remainder == 0 {
                break;
            }
            shares[index] += 1;
            remainder -= 1;
        }
        shares.into_iter().map(|share| share + minimum).collect()
    }

    fn date_in(&mut self, year: i32, first_month: u32, last_month: u32) -> NaiveDate {
        let month = self.rng.random_range(first_month..=last_month);
        let day = self.rng.random_range(1..=28);
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }
}

/// Generates the whole dataset from `seed`. The same seed always gives the same records.
pub fn generate(seed: u64) -> DemoDataset {
    let mut generator = Generator { rng: ChaCha8Rng::seed_from_u64(seed) };
    let mut dataset = DemoDataset::default();
    let segment_ranges = generate_chains(&mut generator, &mut dataset);
    generate_institutions(&mut generator, &mut dataset);
    let enterprise_chains = generate_enterprises(&mut generator, &mut dataset, &segment_ranges);
    generate_projects(&mut generator, &mut dataset, &enterprise_chains);
    generate_training(&mut generator, &mut dataset);
    generate_employment_ledger(&mut generator, &mut dataset);
    // Last, so that the records before draw the same numbers as before placements existed.
    generate_placements(&mut generator, &mut dataset);
    dataset
}

/// Returns, per chain, the range of its segments in `dataset.segments`.
fn generate_chains(generator: &mut Generator, dataset: &mut DemoDataset) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (chain_index, spec) in CHAINS.iter().enumerate() {
        let chain_id = generator.uuid();
        dataset.chains.push(industry_chain::Model {
            id: chain_id,
            code: spec.code.to_owned(),
            name_zh: spec.name_zh.to_owned(),
            name_en: spec.name_en.to_owned(),
            position: chain_index as i32 + 1,
        });
        let start = dataset.segments.len();
        for (segment_index, segment) in spec.segments.iter().enumerate() {
            dataset.segments.push(chain_segment::Model {
                id: generator.uuid(),
                chain_id,
                position: segment_index as i32 + 1,
                stage: segment.stage.code().to_owned(),
                name_zh: segment.name_zh.to_owned(),
                name_en: segment.name_en.to_owned(),
                code: super::catalogue::segment_code(spec.code, segment_index as i32 + 1),
                // Stored as the edit path stores them (normal order), so an export imports back
                // unchanged.
                needs: Some(Disciplines::stored(segment.needs).codes()),
            });
        }
        ranges.push(start..dataset.segments.len());
    }
    ranges
}

fn generate_institutions(generator: &mut Generator, dataset: &mut DemoDataset) {
    let created = epoch();
    for spec in INSTITUTIONS {
        dataset.institutions.push(institution::Model {
            version: 1,
            archived_at: None,
            id: generator.uuid(),
            name: spec.name.to_owned(),
            name_en: spec.name_en.to_owned(),
            kind: spec.kind.code().to_owned(),
            province: spec.province.to_owned(),
            city: spec.city.to_owned(),
            is_key: spec.is_key,
            disciplines: Some(Disciplines::stored(spec.disciplines).codes()),
            created_at: created,
            updated_at: created,
        });
    }
}

/// Generates enterprises; above-scale ones come first and the first `KEY_ENTERPRISES` of them
/// are key enterprises. Returns each enterprise's (chain index, first segment index).
fn generate_enterprises(
    generator: &mut Generator,
    dataset: &mut DemoDataset,
    segment_ranges: &[std::ops::Range<usize>],
) -> Vec<(usize, usize)> {
    let above_scale = figure(IndicatorKey::AboveScaleEnterprises);
    let chain_weights: Vec<u32> = CHAINS.iter().map(|chain| chain.weight).collect();
    let mut names = HashSet::new();
    let mut placement = Vec::new();
    for index in 0..above_scale + BELOW_SCALE_ENTERPRISES {
        let is_above_scale = index < above_scale;
        let chain_index = generator.weighted_index(&chain_weights);
        let segments = segment_ranges[chain_index].clone();
        let segment_index = generator.rng.random_range(segments.clone());
        let county_index = generator.weighted_index(&COUNTY_WEIGHTS);
        let county = County::ALL[county_index];
        let business = CHAINS[chain_index].segments[segment_index - segments.start].business_word;
        let name = loop {
            let head = NAME_HEADS[generator.rng.random_range(0..NAME_HEADS.len())];
            let tail = NAME_TAILS[generator.rng.random_range(0..NAME_TAILS.len())];
            let candidate = format!("{}{head}{tail}{business}有限公司{DEMO_MARKER}", COUNTY_PLACE_NAMES[county_index]);
            if names.insert(candidate.clone()) {
                break candidate;
            }
        };
        let serial = index as u32 * 50_000 + generator.rng.random_range(0..50_000);
        let employees = if is_above_scale {
            (80.0 * (1.0 + generator.rng.random::<f64>() * 24.0).powf(1.4)) as i32
        } else {
            generator.rng.random_range(8..80)
        };
        let created = epoch() + chrono::Duration::minutes(index as i64);
        let id = generator.uuid();
        dataset.enterprises.push(enterprise::Model {
            version: 1,
            archived_at: None,
            id,
            name,
            credit_code: CreditCode::for_enterprise(county.division_code(), serial).to_string(),
            county: county.code().to_owned(),
            above_scale: is_above_scale,
            is_key: index < KEY_ENTERPRISES,
            employees,
            founded_year: Some(generator.rng.random_range(1985..=2021)),
            is_demo: true,
            created_at: created,
            updated_at: created,
        });
        dataset
            .enterprise_segments
            .push(enterprise_segment::Model { enterprise_id: id, segment_id: dataset.segments[segment_index].id });
        if generator.rng.random_bool(0.15) {
            let second = generator.rng.random_range(segments);
            if second != segment_index {
                dataset
                    .enterprise_segments
                    .push(enterprise_segment::Model { enterprise_id: id, segment_id: dataset.segments[second].id });
            }
        }
        placement.push((chain_index, segment_index));
    }
    placement
}

fn key_institutions() -> Vec<usize> {
    (0..INSTITUTIONS.len()).filter(|index| INSTITUTIONS[*index].is_key).collect()
}

fn other_institutions() -> Vec<usize> {
    (0..INSTITUTIONS.len()).filter(|index| !INSTITUTIONS[*index].is_key).collect()
}

/// Generates the cooperation projects: `cooperation_projects` of them among exactly
/// `cooperating_enterprises` above-scale firms, `key_university_projects` of which have a key
/// university as a partner and all others only non-key institutions.
fn generate_projects(generator: &mut Generator, dataset: &mut DemoDataset, placement: &[(usize, usize)]) {
    let project_count = figure(IndicatorKey::CooperationProjects);
    let cooperating_count = figure(IndicatorKey::CooperatingEnterprises);
    let key_project_count = figure(IndicatorKey::KeyUniversityProjects);

    let mut cooperating: Vec<usize> = (0..figure(IndicatorKey::AboveScaleEnterprises)).collect();
    cooperating.shuffle(&mut generator.rng);
    cooperating.truncate(cooperating_count);
    let mut key_projects: Vec<usize> = (0..project_count).collect();
    key_projects.shuffle(&mut generator.rng);
    let key_projects: HashSet<usize> = key_projects.into_iter().take(key_project_count).collect();
    let keys = key_institutions();
    let others = other_institutions();
    let status_weights = [5, 8, 12, 35, 25, 8, 7];
    let kind_weights = [35, 15, 25, 10, 15];
    let programme_weights = [35, 30, 15, 20];

    for project_index in 0..project_count {
        // Every cooperating firm leads at least one project; the rest go preferably to the
        // first firms of the shuffled list, which makes a few of them hubs.
        let lead = if project_index < cooperating_count {
            cooperating[project_index]
        } else {
            cooperating[(generator.rng.random::<f64>().powi(2) * cooperating_count as f64) as usize]
        };
        let mut enterprise_indices = vec![lead];
        if generator.rng.random_bool(0.1) {
            let partner = cooperating[generator.rng.random_range(0..cooperating_count)];
            if partner != lead {
                enterprise_indices.push(partner);
            }
        }
        let (chain_index, segment_index) = placement[lead];
        let is_key_project = key_projects.contains(&project_index);
        // Institutions work where their disciplines fit the segment's needs (an agricultural
        // academy does not run iron-ore projects).
        let needs = Disciplines::stored(dataset.segments[segment_index].needs.as_deref().unwrap_or_default());
        let fits = |index: &usize| !Disciplines::stored(INSTITUTIONS[*index].disciplines).shared_with(needs).is_empty();
        let fitting_keys: Vec<usize> = keys.iter().copied().filter(fits).collect();
        let fitting_others: Vec<usize> = others.iter().copied().filter(fits).collect();
        let mut institution_indices = Vec::new();
        if is_key_project {
            // West Anhui University (local) and Hefei University of Technology lead the key
            // projects where they fit.
            let weights: Vec<u32> =
                fitting_keys.iter().map(|index| if keys[..2].contains(index) { 4 } else { 1 }).collect();
            institution_indices.push(fitting_keys[generator.weighted_index(&weights)]);
        } else {
            // Each segment prefers its first fitting institutions, which gives the network
            // its structure.
            let preferred = fitting_others[(chain_index + generator.rng.random_range(0..2)) % fitting_others.len()];
            let any = fitting_others[generator.rng.random_range(0..fitting_others.len())];
            institution_indices.push(if generator.rng.random_bool(0.6) { preferred } else { any });
        }
        if generator.rng.random_bool(0.1) {
            let second = fitting_others[generator.rng.random_range(0..fitting_others.len())];
            if !institution_indices.contains(&second) {
                institution_indices.push(second);
            }
        }

        let status = ProjectStatus::ALL[generator.weighted_index(&status_weights)];
        let kind = ProjectKind::ALL[generator.weighted_index(&kind_weights)];
        let programme =
            if is_key_project { PROGRAMMES[0] } else { PROGRAMMES[generator.weighted_index(&programme_weights)] };
        let started = !matches!(status, ProjectStatus::Proposed | ProjectStatus::Negotiating);
        let start_year = 2019 + generator.weighted_index(&[6, 8, 12, 16, 22, 8]) as i32;
        let start_date = started.then(|| generator.date_in(start_year, 1, if start_year == 2024 { 4 } else { 12 }));
        let latest_end = NaiveDate::from_ymd_opt(2024, 5, 1).expect("valid date");
        let end_date = match (status, start_date) {
            (ProjectStatus::Completed | ProjectStatus::Terminated, Some(start)) => {
                Some((start + Days::new(generator.rng.random_range(180..1100))).min(latest_end).max(start))
            }
            _ => None,
        };
        let enterprise_brand = dataset.enterprises[lead].name.chars().take(4).collect::<String>();
        let institution_name = INSTITUTIONS[institution_indices[0]].name;
        let segment_name = &dataset.segments[segment_index].name_zh;
        let stem = PROJECT_TITLE_STEMS[ProjectKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)];
        let (patents, papers, products, trainees) = if started {
            let rng = &mut generator.rng;
            let research =
                matches!(kind, ProjectKind::JointRnd | ProjectKind::JointLab | ProjectKind::TechnologyTransfer);
            (
                if research { rng.random_range(0..6) } else { 0 },
                if research { rng.random_range(0..5) } else { rng.random_range(0..2) },
                if research { rng.random_range(0..4) } else { 0 },
                if kind == ProjectKind::TalentTraining { rng.random_range(10..120) } else { rng.random_range(0..15) },
            )
        } else {
            (0, 0, 0, 0)
        };

        let id = generator.uuid();
        let created_on = start_date
            .unwrap_or_else(|| generator.date_in(2024, 1, 4))
            .checked_sub_days(Days::new(90))
            .expect("date in range");
        let created_at = Utc.from_utc_datetime(&created_on.and_hms_opt(9, 0, 0).expect("valid time"));
        let path = status_path(status, generator.rng.random_bool(0.3));
        let mut changed_at = created_at;
        let mut previous: Option<ProjectStatus> = None;
        for step in &path {
            dataset.status_history.push(status_change::Model {
                id: generator.uuid(),
                project_id: id,
                from_status: previous.map(|status| status.code().to_owned()),
                to_status: step.code().to_owned(),
                actor: None,
                note: format!("演示数据：状态变更为{}", step.label_zh()),
                changed_at,
            });
            previous = Some(*step);
            changed_at += chrono::Duration::days(30);
        }
        let updated_at = changed_at - chrono::Duration::days(30);
        dataset.projects.push(project::Model {
            archived_at: None,
            id,
            title: format!("{enterprise_brand}·{institution_name}{segment_name}{stem}{DEMO_MARKER}"),
            programme: programme.to_owned(),
            kind: kind.code().to_owned(),
            status: status.code().to_owned(),
            start_date,
            end_date,
            funding_cny: generator.rng.random_range(5..500) * 10_000,
            patents,
            papers,
            products,
            trainees,
            version: path.len() as i32,
            is_demo: true,
            created_at,
            updated_at,
            external_ref: None,
        });
        for index in enterprise_indices {
            dataset
                .project_enterprises
                .push(project_enterprise::Model { project_id: id, enterprise_id: dataset.enterprises[index].id });
        }
        for index in institution_indices {
            dataset
                .project_institutions
                .push(project_institution::Model { project_id: id, institution_id: dataset.institutions[index].id });
        }
    }
}

/// The statuses a project passed through to reach `status`, starting at `Proposed`.
fn status_path(status: ProjectStatus, terminated_early: bool) -> Vec<ProjectStatus> {
    use ProjectStatus::*;
    match status {
        Proposed => vec![Proposed],
        Negotiating => vec![Proposed, Negotiating],
        Signed => vec![Proposed, Negotiating, Signed],
        InProgress => vec![Proposed, Negotiating, Signed, InProgress],
        Completed => vec![Proposed, Negotiating, Signed, InProgress, Completed],
        Suspended => vec![Proposed, Negotiating, Signed, InProgress, Suspended],
        Terminated if terminated_early => vec![Proposed, Negotiating, Signed, Terminated],
        Terminated => vec![Proposed, Negotiating, Signed, InProgress, Terminated],
    }
}

fn generate_training(generator: &mut Generator, dataset: &mut DemoDataset) {
    let sessions_2023 = figure(IndicatorKey::TrainingSessions2023);
    let trainees_2023 = published_value(IndicatorKey::Trainees2023);
    for (year, sessions, trainees, last_month) in
        [(2023, sessions_2023, trainees_2023, 12), (2024, SESSIONS_2024, TRAINEES_2024, 6)]
    {
        let counts = generator.split_total(trainees, sessions, 30);
        let mut dates: Vec<NaiveDate> = (0..sessions).map(|_| generator.date_in(year, 1, last_month)).collect();
        dates.sort();
        for (number, (held_on, count)) in dates.into_iter().zip(counts).enumerate() {
            let chain_index = generator.rng.random_range(0..CHAINS.len());
            let format = TrainingFormat::ALL[generator.rng.random_range(0..TrainingFormat::ALL.len())];
            dataset.training_sessions.push(training_session::Model {
                version: 1,
                archived_at: None,
                id: generator.uuid(),
                held_on,
                title: format!(
                    "{}企业家{}（{}年第{}期）{DEMO_MARKER}",
                    CHAINS[chain_index].name_zh,
                    format.label_zh(),
                    held_on.year(),
                    number + 1
                ),
                chain_id: Some(dataset.chains[chain_index].id),
                format: format.code().to_owned(),
                trainees: count as i32,
                // Three in five of the trainees are entrepreneurs, the others executives.
                entrepreneurs: Some((count * 3 / 5) as i32),
                executives: Some((count - count * 3 / 5) as i32),
                is_demo: true,
            });
        }
    }
}

/// The 2023 ledger reproduces the survey figures: `surveyed` key enterprises with the
/// published total shortage; of them `met` got at least what they needed (large recruiters
/// that took on more), `received - met` got part of it and the rest got none yet, with the
/// published total of workers placed. A 2024 ledger (no published figure) follows.
/// Every need's workers placed, as placements: one on the need's referral, the rest (if any)
/// two months later.
fn generate_placements(generator: &mut Generator, dataset: &mut DemoDataset) {
    for need in &dataset.employment_needs {
        if need.workers_placed == 0 {
            continue;
        }
        let first_day = NaiveDate::from_ymd_opt(need.year, 3, 15).expect("a date");
        let first = (need.workers_placed * 2 / 3).max(1);
        let parts = [(first_day, first), (first_day + chrono::Duration::days(61), need.workers_placed - first)];
        for (placed_on, workers) in parts.into_iter().filter(|(_, workers)| *workers > 0) {
            dataset.employment_placements.push(employment_placement::Model {
                id: generator.uuid(),
                need_id: need.id,
                placed_on,
                workers,
                note: None,
                is_demo: true,
                version: 1,
                archived_at: None,
            });
        }
    }
}

fn generate_employment_ledger(generator: &mut Generator, dataset: &mut DemoDataset) {
    let surveyed = figure(IndicatorKey::SurveyedKeyEnterprises);
    let received = figure(IndicatorKey::EnterprisesReceivedWorkers);
    let met = figure(IndicatorKey::KeyEnterprisesNeedsMet);
    let mut key_indices: Vec<usize> = (0..KEY_ENTERPRISES).collect();
    key_indices.shuffle(&mut generator.rng);
    key_indices.truncate(surveyed);

    let needed = generator.split_total(published_value(IndicatorKey::WorkerShortage), surveyed, 4);
    let mut placed = vec![0_i64; surveyed];
    for index in met..received {
        let share = generator.rng.random_range(0.35..0.9);
        placed[index] = ((needed[index] as f64 * share) as i64).clamp(1, needed[index] - 1);
    }
    let partly_placed: i64 = placed.iter().sum();
    let met_needed: i64 = needed[..met].iter().sum();
    let surplus = published_value(IndicatorKey::WorkersReceived) - partly_placed - met_needed;
    let extra = generator.split_total(surplus, met, 0);
    for index in 0..met {
        placed[index] = needed[index] + extra[index];
    }

    for (row, enterprise_index) in key_indices.iter().enumerate() {
        let enterprise_id = dataset.enterprises[*enterprise_index].id;
        dataset.employment_needs.push(employment_need::Model {
            version: 1,
            archived_at: None,
            id: generator.uuid(),
            enterprise_id,
            year: 2023,
            workers_needed: needed[row] as i32,
            workers_placed: placed[row] as i32,
            surveyed: true,
            is_demo: true,
            occupation: migrations::ANY_OCCUPATION.to_owned(),
            // The survey's needs went to the human-resources and social-security bureau.
            referred_on: NaiveDate::from_ymd_opt(2023, 3, 1),
            referred_by: Some("市经信局（演示）".to_owned()),
        });
        let needed_2024 = generator.rng.random_range(4..60);
        dataset.employment_needs.push(employment_need::Model {
            version: 1,
            archived_at: None,
            id: generator.uuid(),
            enterprise_id,
            year: 2024,
            workers_needed: needed_2024,
            workers_placed: generator.rng.random_range(0..=needed_2024),
            surveyed: true,
            is_demo: true,
            occupation: migrations::ANY_OCCUPATION.to_owned(),
            referred_on: None,
            referred_by: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use shared::InstitutionKind;

    use super::*;

    #[test]
    fn same_seed_gives_same_records_and_other_seed_differs() {
        let first = generate(7);
        let second = generate(7);
        assert_eq!(first.enterprises, second.enterprises);
        assert_eq!(first.projects, second.projects);
        assert_ne!(generate(8).enterprises[0].id, first.enterprises[0].id);
    }

    /// An institution works where its disciplines meet what the segment of one of the
    /// project's enterprises needs (no agricultural academy on an iron-ore project), and every
    /// segment has fitting key and other institutions to draw on.
    #[test]
    fn institutions_work_where_their_disciplines_fit() {
        let dataset = generate(super::super::DEMO_SEED);
        let needs = |segment: Uuid| {
            let found = dataset.segments.iter().find(|one| one.id == segment).expect("segment");
            Disciplines::stored(found.needs.as_deref().unwrap_or_default())
        };
        for institution in &dataset.institutions {
            let stored = institution.disciplines.as_deref().unwrap_or_default();
            assert_eq!(Disciplines::stored(stored).codes(), stored, "stored as edits store them");
        }
        for segment in &dataset.segments {
            let needed = Disciplines::stored(segment.needs.as_deref().unwrap_or_default());
            assert_eq!(needed.codes(), segment.needs.as_deref().unwrap_or_default(), "stored as edits store them");
            assert!(!needed.is_empty(), "{} needs disciplines", segment.name_zh);
            for key in [true, false] {
                assert!(
                    INSTITUTIONS.iter().any(|spec| spec.is_key == key
                        && !Disciplines::stored(spec.disciplines).shared_with(needed).is_empty()),
                    "{} has a fitting institution (key: {key})",
                    segment.name_zh
                );
            }
        }
        let mut checked = 0;
        for link in &dataset.project_institutions {
            let institution =
                dataset.institutions.iter().find(|one| one.id == link.institution_id).expect("institution");
            let holds = Disciplines::stored(institution.disciplines.as_deref().unwrap_or_default());
            let enterprises: Vec<Uuid> = dataset
                .project_enterprises
                .iter()
                .filter(|one| one.project_id == link.project_id)
                .map(|one| one.enterprise_id)
                .collect();
            let fits = dataset
                .enterprise_segments
                .iter()
                .filter(|one| enterprises.contains(&one.enterprise_id))
                .any(|one| !holds.shared_with(needs(one.segment_id)).is_empty());
            assert!(fits, "{} on a project outside its disciplines", institution.name);
            checked += 1;
        }
        assert!(checked >= 333);
    }

    #[test]
    fn every_credit_code_is_valid_and_unique() {
        let dataset = generate(super::super::DEMO_SEED);
        let codes: HashSet<&str> = dataset.enterprises.iter().map(|e| e.credit_code.as_str()).collect();
        assert_eq!(codes.len(), dataset.enterprises.len());
        for code in codes {
            CreditCode::parse(code).expect("generated code is valid");
        }
    }

    #[test]
    fn split_total_adds_up_and_respects_the_minimum() {
        let mut generator = Generator { rng: ChaCha8Rng::seed_from_u64(1) };
        let parts = generator.split_total(17_553, 545, 4);
        assert_eq!(parts.iter().sum::<i64>(), 17_553);
        assert!(parts.iter().all(|part| *part >= 4));
    }

    #[test]
    fn every_institution_kind_is_present() {
        for kind in InstitutionKind::ALL {
            assert!(INSTITUTIONS.iter().any(|spec| spec.kind == *kind));
        }
    }
}
