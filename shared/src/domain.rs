//! Enumerations of the domain. Each has a stable snake_case code, which is what the database
//! stores; a public name (the GraphQL enum value, `IN_PROGRESS`), which is what the API,
//! exports and BI views show and accept; and Chinese and English labels for display.

use serde::{Deserialize, Serialize};

/// `HuoshanCounty` → `HUOSHAN_COUNTY`: how async-graphql and serde name enum values (and, in
/// lower case, the declared column an order field sorts on).
pub fn screaming_snake(variant: &str) -> String {
    let mut name = String::with_capacity(variant.len() + 4);
    for (index, character) in variant.char_indices() {
        if character.is_ascii_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(character.to_ascii_uppercase());
    }
    name
}

/// Declares a fieldless enum with its database code and labels, and the conversions
/// between them, so that every enum of the domain round-trips the same way.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => ($code:literal, $zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese display label.
            pub const fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The English display label.
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The public name: the GraphQL enum value (`IN_PROGRESS`, `HUOSHAN_COUNTY`), which
            /// exports, BI views and filters print and accept.
            pub fn name(self) -> &'static str {
                static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
                NAMES.get_or_init(|| [$(stringify!($variant)),+].iter().map(|v| screaming_snake(v)).collect())
                    [self as usize]
                    .as_str()
            }

            /// Parses a public name; `None` for anything else.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.name() == name)
            }

            /// Parses a stable code; `None` for anything else.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.code())
            }
        }
    };
}

coded_enum! {
    /// Where a segment sits in its industry chain.
    pub enum ChainStage {
        /// Raw materials, components and basic research.
        Upstream => ("upstream", "上游", "Upstream"),
        /// Manufacturing and assembly.
        Midstream => ("midstream", "中游", "Midstream"),
        /// Products, services, sales and applications.
        Downstream => ("downstream", "下游", "Downstream"),
    }
}

coded_enum! {
    /// The kind of a higher-education or research institution.
    pub enum InstitutionKind {
        /// A university or college granting bachelor's degrees or higher.
        University => ("university", "高等院校", "University"),
        /// A research institute or academy.
        ResearchInstitute => ("research_institute", "科研院所", "Research institute"),
        /// A vocational or technical college.
        VocationalCollege => ("vocational_college", "职业院校", "Vocational college"),
    }
}

coded_enum! {
    /// A field of study or research: what an institution is strong in and what a chain
    /// segment needs, so that suggested partners fit the work.
    pub enum Discipline {
        Mechanical => ("mechanical", "机械与装备", "Mechanical engineering"),
        Vehicles => ("vehicles", "车辆工程", "Vehicle engineering"),
        Materials => ("materials", "材料与冶金", "Materials and metallurgy"),
        Mining => ("mining", "矿业工程", "Mining engineering"),
        Chemistry => ("chemistry", "化学化工", "Chemistry and chemical engineering"),
        Electronics => ("electronics", "电子信息", "Electronics and information"),
        Computing => ("computing", "计算机与软件", "Computing and software"),
        Energy => ("energy", "能源与电气", "Energy and electrical engineering"),
        Agronomy => ("agronomy", "农学与种植", "Agronomy"),
        Tea => ("tea", "茶学", "Tea science"),
        Food => ("food", "食品科学", "Food science"),
        Medicine => ("medicine", "医药与中医药", "Medicine and pharmacy"),
        Textiles => ("textiles", "纺织与服装", "Textiles and apparel"),
        Business => ("business", "商贸与物流", "Business and logistics"),
    }
}

/// A set of disciplines, stored as their codes joined by commas (`agronomy,tea`), read from
/// codes or public names (`TEA`) separated by commas, spaces or ideographic commas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Disciplines(u32);

impl Disciplines {
    /// Reads a list; the unknown entry is the error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut set = Self::default();
        for entry in text.split([',', '，', '、', ' ', ';']).map(str::trim).filter(|entry| !entry.is_empty()) {
            let found = Discipline::from_code(entry)
                .or_else(|| Discipline::from_name(entry))
                .or_else(|| Discipline::ALL.iter().copied().find(|one| one.label_zh() == entry))
                .ok_or_else(|| entry.to_owned())?;
            set.0 |= 1 << found as u32;
        }
        Ok(set)
    }

    /// Reads a stored list; entries that are no longer codes are left out.
    pub fn stored(text: &str) -> Self {
        let mut set = Self::default();
        for entry in text.split(',') {
            if let Some(found) = Discipline::from_code(entry.trim()) {
                set.0 |= 1 << found as u32;
            }
        }
        set
    }

    /// The disciplines, in declaration order.
    pub fn list(self) -> Vec<Discipline> {
        Discipline::ALL.iter().copied().filter(|one| self.0 & (1 << *one as u32) != 0).collect()
    }

    /// The stored form: codes joined by commas.
    pub fn codes(self) -> String {
        self.list().iter().map(|one| one.code()).collect::<Vec<_>>().join(",")
    }

    /// The disciplines both sets hold.
    pub fn shared_with(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many disciplines the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
}

coded_enum! {
    /// The kind of a school–enterprise cooperation project.
    pub enum ProjectKind {
        /// Joint research and development.
        JointRnd => ("joint_rnd", "联合研发", "Joint R&D"),
        /// Transfer or licensing of a technology or patent.
        TechnologyTransfer => ("technology_transfer", "技术转移", "Technology transfer"),
        /// A talent training or internship base.
        TalentTraining => ("talent_training", "人才培养/实习基地", "Talent training / internship base"),
        /// A jointly run laboratory or research centre.
        JointLab => ("joint_lab", "共建实验室", "Joint lab"),
        /// Consulting and technical services.
        Consulting => ("consulting", "咨询服务", "Consulting"),
    }
}

coded_enum! {
    /// The lifecycle status of a cooperation project.
    pub enum ProjectStatus {
        /// Proposed by one side, not yet discussed.
        Proposed => ("proposed", "已提出", "Proposed"),
        /// Both sides are negotiating terms.
        Negotiating => ("negotiating", "洽谈中", "Negotiating"),
        /// An agreement is signed, work has not started.
        Signed => ("signed", "已签约", "Signed"),
        /// Work is under way.
        InProgress => ("in_progress", "实施中", "In progress"),
        /// Work is finished.
        Completed => ("completed", "已完成", "Completed"),
        /// Work is paused and may resume.
        Suspended => ("suspended", "已暂停", "Suspended"),
        /// The project was ended before completion.
        Terminated => ("terminated", "已终止", "Terminated"),
    }
}

impl ProjectStatus {
    /// Whether a project in this status counts as active cooperation (signed, running or paused).
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Signed | Self::InProgress | Self::Suspended)
    }

    /// The statuses a project in this status may move to: THE project state machine. The
    /// backend enforces it and the frontend offers exactly these choices.
    ///
    /// Proposed → Negotiating → Signed → In progress → Completed, with Suspended ⇄ In progress,
    /// and Terminated reachable from every non-final status. Completed and Terminated are final.
    pub const fn next_statuses(self) -> &'static [ProjectStatus] {
        use ProjectStatus::*;
        match self {
            Proposed => &[Negotiating, Terminated],
            Negotiating => &[Signed, Terminated],
            Signed => &[InProgress, Terminated],
            InProgress => &[Completed, Suspended, Terminated],
            Suspended => &[InProgress, Terminated],
            Completed | Terminated => &[],
        }
    }

    /// Whether a project may move from this status to `next`.
    pub fn can_become(self, next: ProjectStatus) -> bool {
        self.next_statuses().contains(&next)
    }

    /// Whether no further change is allowed.
    pub const fn is_final(self) -> bool {
        self.next_statuses().is_empty()
    }
}

coded_enum! {
    /// What a signed-in account may do.
    pub enum Role {
        /// Everything, including accounts and the audit log.
        Admin => ("admin", "管理员", "Administrator"),
        /// Updates the projects of one institution and proposes new ones.
        Liaison => ("liaison", "高校联络员", "University liaison"),
        /// The industry office's data staff: creates, edits, archives, restores and imports
        /// every record type.
        Editor => ("editor", "数据编辑", "Data editor"),
        /// Reads everything, including fields hidden from anonymous visitors.
        Viewer => ("viewer", "查看者", "Viewer"),
    }
}

coded_enum! {
    /// The format of an entrepreneur training session.
    pub enum TrainingFormat {
        /// A lecture by an expert.
        ExpertLecture => ("expert_lecture", "专家授课", "Expert lecture"),
        /// A visit to a benchmark enterprise of the industry.
        BenchmarkVisit => ("benchmark_visit", "标杆企业考察", "Benchmark visit"),
    }
}

coded_enum! {
    /// The seven county-level divisions of Lu'an, Anhui.
    pub enum County {
        JinanDistrict => ("jinan", "金安区", "Jin'an District"),
        YuanDistrict => ("yuan", "裕安区", "Yu'an District"),
        YejiDistrict => ("yeji", "叶集区", "Yeji District"),
        HuoqiuCounty => ("huoqiu", "霍邱县", "Huoqiu County"),
        ShuchengCounty => ("shucheng", "舒城县", "Shucheng County"),
        JinzhaiCounty => ("jinzhai", "金寨县", "Jinzhai County"),
        HuoshanCounty => ("huoshan", "霍山县", "Huoshan County"),
    }
}

impl County {
    /// The six-digit administrative division code (GB/T 2260) of the county.
    pub const fn division_code(self) -> u32 {
        match self {
            Self::JinanDistrict => 341502,
            Self::YuanDistrict => 341503,
            Self::YejiDistrict => 341504,
            Self::HuoqiuCounty => 341522,
            Self::ShuchengCounty => 341523,
            Self::JinzhaiCounty => 341524,
            Self::HuoshanCounty => 341525,
        }
    }
}

/// The city's cooperation programmes with their English names (Chinese, English). A
/// programme is free text on a project; one not in this list is shown as written.
pub const PROGRAMMES: [(&str, &str); 4] = [
    ("校企架桥工程", "Bridge Building programme"),
    ("产学研合作专项", "Industry–university–research cooperation"),
    ("科技特派员", "Science and technology commissioners"),
    ("企业自主合作", "Enterprise-initiated cooperation"),
];

/// A programme's English name, when it is one of [`PROGRAMMES`].
pub fn programme_en(name: &str) -> Option<&'static str> {
    PROGRAMMES.iter().find(|(zh, _)| *zh == name).map(|(_, en)| *en)
}

#[cfg(test)]
mod discipline_tests {
    use super::*;

    #[test]
    fn discipline_lists_read_codes_names_and_labels_and_store_codes() {
        let set = Disciplines::parse("tea, FOOD、农学与种植").unwrap();
        assert_eq!(set.list(), vec![Discipline::Agronomy, Discipline::Tea, Discipline::Food]);
        assert_eq!(set.codes(), "agronomy,tea,food");
        assert_eq!(Disciplines::stored(&set.codes()), set);
        assert_eq!(Disciplines::parse("tea, iron").unwrap_err(), "iron");
        assert!(Disciplines::parse("").unwrap().is_empty());
        let mining = Disciplines::parse("mining,materials").unwrap();
        assert!(set.shared_with(mining).is_empty());
        assert_eq!(
            mining.shared_with(Disciplines::parse("materials,mechanical").unwrap()).list(),
            vec![Discipline::Materials]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_for_every_enum() {
        for status in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::from_code(status.code()), Some(*status));
        }
        for county in County::ALL {
            assert_eq!(County::from_code(county.code()), Some(*county));
        }
        assert_eq!(ChainStage::from_code("sideways"), None);
        assert_eq!(County::HuoshanCounty.name(), "HUOSHAN_COUNTY");
        assert_eq!(ProjectKind::JointRnd.name(), "JOINT_RND");
        assert_eq!(ProjectStatus::from_name("IN_PROGRESS"), Some(ProjectStatus::InProgress));
    }

    #[test]
    fn every_status_reaches_a_final_one_and_final_ones_are_final() {
        for status in ProjectStatus::ALL {
            assert!(!status.can_become(*status), "{status} cannot stay the same through a transition");
            if !status.is_final() {
                assert!(status.can_become(ProjectStatus::Terminated));
            }
        }
        assert!(ProjectStatus::Completed.is_final() && ProjectStatus::Terminated.is_final());
        assert!(ProjectStatus::Proposed.can_become(ProjectStatus::Negotiating));
        assert!(!ProjectStatus::Proposed.can_become(ProjectStatus::Completed));
        assert!(ProjectStatus::Suspended.can_become(ProjectStatus::InProgress));
    }

    #[test]
    fn lu_an_has_seven_county_level_divisions_with_distinct_codes() {
        let mut codes: Vec<u32> = County::ALL.iter().map(|c| c.division_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 7);
        assert!(codes.iter().all(|code| code / 100 == 3415));
    }
}
