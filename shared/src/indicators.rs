//! The reference figures published for Lu'an (municipal government, 18 May 2024), which the
//! demo dataset must reproduce exactly when counted from the records.

use serde::{Deserialize, Serialize};

/// The key of one published figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKey {
    AboveScaleEnterprises,
    CooperatingEnterprises,
    CooperationProjects,
    KeyUniversityProjects,
    TrainingSessions2023,
    Trainees2023,
    SurveyedKeyEnterprises,
    WorkerShortage,
    EnterprisesReceivedWorkers,
    WorkersReceived,
    KeyEnterprisesNeedsMet,
}

impl IndicatorKey {
    /// The stable snake_case key used in the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AboveScaleEnterprises => "above_scale_enterprises",
            Self::CooperatingEnterprises => "cooperating_enterprises",
            Self::CooperationProjects => "cooperation_projects",
            Self::KeyUniversityProjects => "key_university_projects",
            Self::TrainingSessions2023 => "training_sessions_2023",
            Self::Trainees2023 => "trainees_2023",
            Self::SurveyedKeyEnterprises => "surveyed_key_enterprises",
            Self::WorkerShortage => "worker_shortage",
            Self::EnterprisesReceivedWorkers => "enterprises_received_workers",
            Self::WorkersReceived => "workers_received",
            Self::KeyEnterprisesNeedsMet => "key_enterprises_needs_met",
        }
    }
}

/// One published figure with its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedIndicator {
    pub key: IndicatorKey,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub published_value: i64,
}

/// Where the figures were published.
pub const SEED_SOURCE: &str = "Office of Lu'an Municipal People's Government, enterprise talent report, 2024-05-18";

/// Who published the figures and what, for people (Chinese, English); the date is
/// [`SEED_AS_OF`].
pub const SEED_PUBLISHER: (&str, &str) = (
    "六安市人民政府办公室 · 企业人才工作报道",
    "Office of Lu'an Municipal People's Government · report on enterprise talent",
);

/// The date of the publication the figures come from.
pub const SEED_AS_OF: &str = "2024-05-18";

/// The eleven published figures, in the order the dashboard shows them.
pub const SEED_INDICATORS: [SeedIndicator; 11] = [
    SeedIndicator {
        key: IndicatorKey::AboveScaleEnterprises,
        label_zh: "规上工业企业数",
        label_en: "Above-scale industrial enterprises",
        published_value: 1_402,
    },
    SeedIndicator {
        key: IndicatorKey::CooperatingEnterprises,
        label_zh: "开展校企合作的规上企业数",
        label_en: "Above-scale enterprises cooperating with universities and institutes",
        published_value: 186,
    },
    SeedIndicator {
        key: IndicatorKey::CooperationProjects,
        label_zh: "校企合作项目数",
        label_en: "Cooperation projects with universities and institutes",
        published_value: 333,
    },
    SeedIndicator {
        key: IndicatorKey::KeyUniversityProjects,
        label_zh: "与重点高校合作项目数",
        label_en: "Projects with key universities",
        published_value: 32,
    },
    SeedIndicator {
        key: IndicatorKey::TrainingSessions2023,
        label_zh: "2023年企业家培训期数",
        label_en: "Entrepreneur training sessions in 2023",
        published_value: 42,
    },
    SeedIndicator {
        key: IndicatorKey::Trainees2023,
        label_zh: "2023年培训人数",
        label_en: "Trainees in 2023",
        published_value: 3_600,
    },
    SeedIndicator {
        key: IndicatorKey::SurveyedKeyEnterprises,
        label_zh: "2023年摸排重点企业数",
        label_en: "Key enterprises surveyed in 2023",
        published_value: 545,
    },
    SeedIndicator {
        key: IndicatorKey::WorkerShortage,
        label_zh: "用工缺口（人）",
        label_en: "Worker shortage identified",
        published_value: 17_553,
    },
    SeedIndicator {
        key: IndicatorKey::EnterprisesReceivedWorkers,
        label_zh: "获得用工保障的重点企业数",
        label_en: "Key enterprises that received workers",
        published_value: 513,
    },
    SeedIndicator {
        key: IndicatorKey::WorkersReceived,
        label_zh: "输送员工数（人）",
        label_en: "Workers received",
        published_value: 17_809,
    },
    SeedIndicator {
        key: IndicatorKey::KeyEnterprisesNeedsMet,
        label_zh: "用工需求全部满足的重点企业数",
        label_en: "Key enterprises whose needs were fully met",
        published_value: 34,
    },
];

/// The published value of one figure.
pub fn published_value(key: IndicatorKey) -> i64 {
    SEED_INDICATORS
        .iter()
        .find(|indicator| indicator.key == key)
        .map(|indicator| indicator.published_value)
        .expect("every key has a published figure")
}
