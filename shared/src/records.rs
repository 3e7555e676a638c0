//! The record declarations: every public column of every record type, declared once.
//!
//! A [`Column`] says what every path needs to know about it: its database/export/BI name, its
//! GraphQL field, its value type, its Chinese and English labels (exports, import templates and
//! column pickers show them), who may read it, whether it may be filtered, ordered, grouped or
//! summed, and whether the graph index holds it. The backend derives its planner, exports and
//! rights checks from these tables and tests its GraphQL types, BI views and the BI guide
//! against them, so adding a column is its migration, its entity field and one line here.

use crate::{ChainStage, County, InstitutionKind, ProjectKind, ProjectStatus, TrainingFormat};

/// Who may read a column — and therefore filter, order, group, sum or export by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Read {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in account or an API token.
    SignedIn,
    /// The office's staff (editors and administrators): archived records and the record
    /// history.
    Staff,
}

/// A set of stable codes: the domain enums a coded column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeSet {
    ChainStage,
    County,
    InstitutionKind,
    ProjectKind,
    ProjectStatus,
    TrainingFormat,
}

impl CodeSet {
    /// Every set.
    pub const ALL: &'static [CodeSet] = &[
        Self::ChainStage,
        Self::County,
        Self::InstitutionKind,
        Self::ProjectKind,
        Self::ProjectStatus,
        Self::TrainingFormat,
    ];

    /// The GraphQL enum holding these values.
    pub const fn graphql_type(self) -> &'static str {
        match self {
            Self::ChainStage => "ChainStage",
            Self::County => "County",
            Self::InstitutionKind => "InstitutionKind",
            Self::ProjectKind => "ProjectKind",
            Self::ProjectStatus => "ProjectStatus",
            Self::TrainingFormat => "TrainingFormat",
        }
    }

    /// Pairs of (stored code, public name): the public name is the GraphQL enum value, which
    /// exports, BI views and filters all use.
    pub fn values(self) -> Vec<(&'static str, &'static str)> {
        fn pairs<T: Copy>(
            all: &[T],
            code: fn(T) -> &'static str,
            name: fn(T) -> &'static str,
        ) -> Vec<(&'static str, &'static str)> {
            all.iter().map(|value| (code(*value), name(*value))).collect()
        }
        match self {
            Self::ChainStage => pairs(ChainStage::ALL, ChainStage::code, ChainStage::name),
            Self::County => pairs(County::ALL, County::code, County::name),
            Self::InstitutionKind => pairs(InstitutionKind::ALL, InstitutionKind::code, InstitutionKind::name),
            Self::ProjectKind => pairs(ProjectKind::ALL, ProjectKind::code, ProjectKind::name),
            Self::ProjectStatus => pairs(ProjectStatus::ALL, ProjectStatus::code, ProjectStatus::name),
            Self::TrainingFormat => pairs(TrainingFormat::ALL, TrainingFormat::code, TrainingFormat::name),
        }
    }

    /// The Chinese label of a stored code (empty for a code outside the set).
    pub fn label_zh_of(self, code: &str) -> &'static str {
        match self {
            Self::ChainStage => ChainStage::from_code(code).map(ChainStage::label_zh),
            Self::County => County::from_code(code).map(County::label_zh),
            Self::InstitutionKind => InstitutionKind::from_code(code).map(InstitutionKind::label_zh),
            Self::ProjectKind => ProjectKind::from_code(code).map(ProjectKind::label_zh),
            Self::ProjectStatus => ProjectStatus::from_code(code).map(ProjectStatus::label_zh),
            Self::TrainingFormat => TrainingFormat::from_code(code).map(TrainingFormat::label_zh),
        }
        .unwrap_or_default()
    }

    /// The stored code whose Chinese or English label this is (case ignored).
    pub fn code_of_label(self, label: &str) -> Option<&'static str> {
        fn find<T: Copy>(
            all: &[T],
            code: fn(T) -> &'static str,
            zh: fn(T) -> &'static str,
            en: fn(T) -> &'static str,
            label: &str,
        ) -> Option<&'static str> {
            all.iter()
                .find(|value| zh(**value) == label || en(**value).eq_ignore_ascii_case(label))
                .map(|value| code(*value))
        }
        match self {
            Self::ChainStage => {
                find(ChainStage::ALL, ChainStage::code, ChainStage::label_zh, ChainStage::label_en, label)
            }
            Self::County => find(County::ALL, County::code, County::label_zh, County::label_en, label),
            Self::InstitutionKind => find(
                InstitutionKind::ALL,
                InstitutionKind::code,
                InstitutionKind::label_zh,
                InstitutionKind::label_en,
                label,
            ),
            Self::ProjectKind => {
                find(ProjectKind::ALL, ProjectKind::code, ProjectKind::label_zh, ProjectKind::label_en, label)
            }
            Self::ProjectStatus => {
                find(ProjectStatus::ALL, ProjectStatus::code, ProjectStatus::label_zh, ProjectStatus::label_en, label)
            }
            Self::TrainingFormat => find(
                TrainingFormat::ALL,
                TrainingFormat::code,
                TrainingFormat::label_zh,
                TrainingFormat::label_en,
                label,
            ),
        }
    }

    /// The public name of a stored code; `None` for a code outside the set.
    pub fn name_of(self, code: &str) -> Option<&'static str> {
        match self {
            Self::ChainStage => ChainStage::from_code(code).map(ChainStage::name),
            Self::County => County::from_code(code).map(County::name),
            Self::InstitutionKind => InstitutionKind::from_code(code).map(InstitutionKind::name),
            Self::ProjectKind => ProjectKind::from_code(code).map(ProjectKind::name),
            Self::ProjectStatus => ProjectStatus::from_code(code).map(ProjectStatus::name),
            Self::TrainingFormat => TrainingFormat::from_code(code).map(TrainingFormat::name),
        }
    }
}

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// The record's own global ID.
    Id,
    /// The global ID of a record of this GraphQL type.
    Ref(&'static str),
    Text,
    /// A 32-bit integer.
    Int,
    /// A 64-bit integer (money).
    BigInt,
    Bool,
    /// An ISO 8601 date.
    Date,
    /// An RFC 3339 timestamp.
    DateTime,
    /// A stable code of a domain enum, shown by its public name.
    Code(CodeSet),
}

/// One public column of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The database column, export column and BI view column (snake_case).
    pub name: &'static str,
    /// The field of the record's GraphQL object; `None` when the object has none.
    pub field: Option<&'static str>,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub value: ValueType,
    /// May be unset.
    pub optional: bool,
    /// Who may read it, and therefore use it in any way.
    pub read: Read,
    pub filter: bool,
    pub order: bool,
    /// A dimension of the aggregates (directly or through a date part).
    pub group: bool,
    /// A measure of the aggregates.
    pub sum: bool,
    /// The graph index holds it, so the planner can answer it without SQL.
    pub indexed: bool,
    /// A column of the record's table; `false` for values the server computes.
    pub stored: bool,
    /// In the record's `/export` table.
    pub export: bool,
    /// In the record's `bi_*` view.
    pub bi: bool,
    /// Set by edits and imports (a stored column that is not [`Column::system`]).
    pub written: bool,
}

/// Starts a column declaration: a public, stored, exported column with a GraphQL field, used
/// in no other way until said.
pub const fn col(
    name: &'static str,
    field: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value: ValueType,
) -> Column {
    Column {
        name,
        field: Some(field),
        label_zh,
        label_en,
        value,
        optional: false,
        read: Read::Public,
        filter: false,
        order: false,
        group: false,
        sum: false,
        indexed: false,
        stored: true,
        export: true,
        bi: true,
        written: true,
    }
}

impl Column {
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub const fn signed_in(mut self) -> Self {
        self.read = Read::SignedIn;
        self
    }
    pub const fn staff(mut self) -> Self {
        self.read = Read::Staff;
        self
    }
    /// Kept by the server (IDs, versions, timestamps, the demo flag): never written by an
    /// edit or an import.
    pub const fn system(mut self) -> Self {
        self.written = false;
        self
    }
    pub const fn filter(mut self) -> Self {
        self.filter = true;
        self
    }
    pub const fn order(mut self) -> Self {
        self.order = true;
        self
    }
    pub const fn group(mut self) -> Self {
        self.group = true;
        self
    }
    pub const fn sum(mut self) -> Self {
        self.sum = true;
        self
    }
    pub const fn indexed(mut self) -> Self {
        self.indexed = true;
        self
    }
    /// Computed by the server (related counts): a GraphQL field and a filter or order key,
    /// but no table column, export column or view column.
    pub const fn computed(mut self) -> Self {
        self.stored = false;
        self.written = false;
        self.export = false;
        self.bi = false;
        self
    }
    /// Derived in the BI view only (e.g. a year from a date).
    pub const fn view_only(mut self) -> Self {
        self.stored = false;
        self.written = false;
        self.export = false;
        self.field = None;
        self
    }
    /// Also a column of the record's `bi_*` view (a computed column the view derives too).
    pub const fn in_view(mut self) -> Self {
        self.bi = true;
        self
    }
    pub const fn no_field(mut self) -> Self {
        self.field = None;
        self
    }
    pub const fn no_export(mut self) -> Self {
        self.export = false;
        self
    }
    pub const fn no_bi(mut self) -> Self {
        self.bi = false;
        self
    }

    /// Whether a caller who reads at `level` may read (and use) this column.
    pub fn readable_at(&self, level: Read) -> bool {
        level >= self.read
    }

    /// The public form of a stored value: codes by their GraphQL names, the rest unchanged.
    pub fn public_text<'a>(&self, stored: &'a str) -> Option<&'a str> {
        match self.value {
            ValueType::Code(set) => set.name_of(stored),
            _ => Some(stored),
        }
    }
}

/// A record type and its public columns, in export order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The GraphQL object type.
    pub graphql_type: &'static str,
    /// The database table.
    pub table: &'static str,
    /// The `/export/<name>` table, if any.
    pub export: Option<&'static str>,
    /// The PostgreSQL `bi_*` view, if any.
    pub bi_view: Option<&'static str>,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub columns: &'static [Column],
    /// The columns that identify a record to the people who keep it (imports match rows by
    /// them; they are unique among records); empty for records that are not edited.
    pub natural_key: &'static [&'static str],
    /// Edited, archived and restored through the API and imports.
    pub editable: bool,
}

impl Record {
    /// The column with this database/export name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The column behind this GraphQL field.
    pub fn by_field(&self, field: &str) -> Option<&'static Column> {
        self.columns.iter().find(|column| column.field == Some(field))
    }

    /// The export columns, in order.
    pub fn export_columns(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|column| column.export)
    }

    /// The columns edits and imports set, in order.
    pub fn written_columns(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|column| column.written)
    }

    /// The column a header names: its declared name, Chinese label or English label
    /// (case and surrounding spaces ignored).
    pub fn by_header(&self, header: &str) -> Option<&'static Column> {
        let header = header.trim();
        self.columns.iter().find(|column| {
            column.name.eq_ignore_ascii_case(header)
                || column.label_zh == header
                || column.label_en.eq_ignore_ascii_case(header)
        })
    }

    /// The BI view's columns, in order.
    pub fn bi_columns(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|column| column.bi)
    }
}

use ValueType::*;

const fn id() -> Column {
    col("id", "id", "编号", "ID", Id).filter().system()
}
const fn is_demo() -> Column {
    col("is_demo", "isDemo", "演示数据", "Demo record", Bool).filter().system()
}
const fn created_at() -> Column {
    col("created_at", "createdAt", "创建时间", "Created at", DateTime).no_export().no_bi().system()
}
const fn updated_at() -> Column {
    col("updated_at", "updatedAt", "更新时间", "Updated at", DateTime).no_export().no_bi().system()
}
const fn version() -> Column {
    col("version", "version", "版本", "Version", Int).filter().no_bi().system()
}
const fn archived_at() -> Column {
    col("archived_at", "archivedAt", "归档时间", "Archived at", DateTime)
        .optional()
        .staff()
        .no_export()
        .no_bi()
        .system()
}

pub const ENTERPRISE: Record = Record {
    graphql_type: "Enterprise",
    table: "enterprises",
    export: Some("enterprises"),
    bi_view: Some("bi_enterprises"),
    label_zh: "企业",
    label_en: "Enterprises",
    columns: &[
        id().indexed(),
        col("name", "name", "企业名称", "Name", Text).filter().order().indexed(),
        col("credit_code", "creditCode", "统一社会信用代码", "Unified social credit code", Text).filter().order(),
        col("county", "county", "县区", "County", Code(CodeSet::County)).filter().order().group().indexed(),
        col("above_scale", "aboveScale", "规上企业", "Above scale", Bool).filter().indexed(),
        col("is_key", "isKey", "重点企业", "Key enterprise", Bool).filter().indexed(),
        col("employees", "employees", "职工人数", "Employees", Int).filter().order().sum().indexed(),
        col("founded_year", "foundedYear", "成立年份", "Founded", Int).optional().filter().order().indexed(),
        is_demo(),
        created_at().order(),
        updated_at(),
        version(),
        archived_at(),
        col("project_count", "projectCount", "合作项目数", "Projects", Int).computed().filter().order(),
    ],
    natural_key: &["credit_code"],
    editable: true,
};

pub const INSTITUTION: Record = Record {
    graphql_type: "Institution",
    table: "institutions",
    export: Some("institutions"),
    bi_view: Some("bi_institutions"),
    label_zh: "高校院所",
    label_en: "Institutions",
    columns: &[
        id().indexed().group(),
        col("name", "name", "名称", "Name", Text).filter().order().indexed(),
        col("name_en", "nameEn", "英文名称", "English name", Text).filter().order(),
        col("kind", "kind", "类型", "Kind", Code(CodeSet::InstitutionKind)).filter().order().group().indexed(),
        col("province", "province", "省份", "Province", Text).filter(),
        col("city", "city", "城市", "City", Text).filter().order(),
        col("is_key", "isKey", "重点高校", "Key institution", Bool).filter().indexed(),
        col("disciplines", "disciplines", "学科专长", "Disciplines", Text).optional(),
        created_at(),
        updated_at(),
        version(),
        archived_at(),
        col("project_count", "projectCount", "合作项目数", "Projects", Int).computed().filter().order(),
    ],
    natural_key: &["name"],
    editable: true,
};

pub const PROJECT: Record = Record {
    graphql_type: "Project",
    table: "projects",
    export: Some("projects"),
    bi_view: Some("bi_projects"),
    label_zh: "合作项目",
    label_en: "Projects",
    columns: &[
        id().indexed(),
        col("title", "title", "项目名称", "Title", Text).filter().order(),
        col("programme", "programme", "所属工程", "Programme", Text).filter().group().indexed(),
        col("kind", "kind", "合作类型", "Kind", Code(CodeSet::ProjectKind)).filter().group().indexed(),
        col("status", "status", "状态", "Status", Code(CodeSet::ProjectStatus)).filter().order().group().indexed(),
        col("start_date", "startDate", "开始日期", "Start date", Date).optional().filter().order().group().indexed(),
        col("end_date", "endDate", "结束日期", "End date", Date).optional().filter().order().indexed(),
        col("start_year", "startYear", "开始年份", "Start year", Int).view_only(),
        col("funding_cny", "fundingCny", "经费（元）", "Funding (CNY)", BigInt).signed_in().filter().order().sum(),
        col("patents", "patents", "专利数", "Patents", Int).filter().order().sum(),
        col("papers", "papers", "论文数", "Papers", Int).filter().sum(),
        col("products", "products", "新产品数", "Products", Int).filter().sum(),
        col("trainees", "trainees", "培训人数", "Trainees", Int).filter().order().sum(),
        version(),
        is_demo(),
        created_at(),
        updated_at().order(),
        col("enterprise_count", "enterpriseCount", "参与企业数", "Enterprises", Int)
            .computed()
            .order()
            .no_field()
            .in_view(),
        col("institution_count", "institutionCount", "参与院所数", "Institutions", Int)
            .computed()
            .order()
            .no_field()
            .in_view(),
        col("external_ref", "externalRef", "外部编号", "External reference", Text).optional().filter(),
        archived_at(),
    ],
    natural_key: &["external_ref"],
    editable: true,
};

pub const INDUSTRY_CHAIN: Record = Record {
    graphql_type: "IndustryChain",
    table: "industry_chains",
    export: Some("industry_chains"),
    bi_view: Some("bi_industry_chains"),
    label_zh: "产业链",
    label_en: "Industry chains",
    columns: &[
        id(),
        col("code", "code", "代码", "Code", Text).filter(),
        col("name_zh", "nameZh", "中文名称", "Name (Chinese)", Text).filter(),
        col("name_en", "nameEn", "英文名称", "Name (English)", Text).filter(),
        col("position", "position", "排序", "Position", Int),
    ],
    natural_key: &[],
    editable: false,
};

pub const CHAIN_SEGMENT: Record = Record {
    graphql_type: "ChainSegment",
    table: "chain_segments",
    export: Some("chain_segments"),
    bi_view: Some("bi_chain_segments"),
    label_zh: "产业链环节",
    label_en: "Chain segments",
    columns: &[
        id().group(),
        col("chain_id", "chain", "产业链", "Chain", Ref("IndustryChain")).filter().group(),
        col("chain_code", "chainCode", "产业链代码", "Chain code", Text).view_only(),
        col("stage", "stage", "环节位置", "Stage", Code(CodeSet::ChainStage)).filter().group(),
        col("position", "position", "排序", "Position", Int),
        col("name_zh", "nameZh", "中文名称", "Name (Chinese)", Text),
        col("name_en", "nameEn", "英文名称", "Name (English)", Text),
        col("code", "code", "代码", "Code", Text).filter(),
        col("needs", "needs", "所需学科", "Disciplines needed", Text).optional(),
    ],
    natural_key: &[],
    editable: false,
};

pub const ENTERPRISE_SEGMENT: Record = Record {
    graphql_type: "EnterpriseSegment",
    table: "enterprise_segments",
    export: Some("enterprise_segments"),
    bi_view: Some("bi_enterprise_segments"),
    label_zh: "企业所属环节",
    label_en: "Enterprise segments",
    columns: &[
        col("enterprise_id", "enterprise", "企业", "Enterprise", Ref("Enterprise")).no_field(),
        col("segment_id", "segment", "环节", "Segment", Ref("ChainSegment")).no_field(),
        col("chain_id", "chain", "产业链", "Chain", Ref("IndustryChain")).view_only(),
        col("chain_code", "chainCode", "产业链代码", "Chain code", Text).view_only(),
        col("stage", "stage", "环节位置", "Stage", Code(CodeSet::ChainStage)).view_only(),
    ],
    natural_key: &[],
    editable: false,
};

pub const PROJECT_PARTICIPANT: Record = Record {
    graphql_type: "ProjectParticipant",
    table: "project_enterprises",
    export: Some("project_participants"),
    bi_view: Some("bi_project_participants"),
    label_zh: "项目参与方",
    label_en: "Project participants",
    columns: &[
        col("project_id", "project", "项目", "Project", Ref("Project")).no_field(),
        col("participant_kind", "participantKind", "参与方类型", "Participant kind", Text).no_field(),
        col("participant_id", "participant", "参与方", "Participant", Ref("Node")).no_field(),
        col("participant_name", "participantName", "参与方名称", "Participant name", Text).view_only(),
    ],
    natural_key: &[],
    editable: false,
};

pub const STATUS_CHANGE: Record = Record {
    graphql_type: "StatusChange",
    table: "project_status_history",
    export: Some("status_history"),
    bi_view: Some("bi_status_history"),
    label_zh: "状态变更",
    label_en: "Status changes",
    columns: &[
        col("id", "id", "编号", "ID", Id),
        col("project_id", "project", "项目", "Project", Ref("Project")).no_field(),
        col("from_status", "fromStatus", "原状态", "From status", Code(CodeSet::ProjectStatus)).optional(),
        col("to_status", "toStatus", "新状态", "To status", Code(CodeSet::ProjectStatus)),
        col("actor", "actor", "操作人", "Changed by", Text).optional().signed_in().no_bi(),
        col("note", "note", "说明", "Note", Text).signed_in().no_bi(),
        col("changed_at", "changedAt", "变更时间", "Changed at", DateTime),
    ],
    natural_key: &[],
    editable: false,
};

pub const TRAINING_SESSION: Record = Record {
    graphql_type: "TrainingSession",
    table: "training_sessions",
    export: Some("training_sessions"),
    bi_view: Some("bi_training_sessions"),
    label_zh: "企业家培训",
    label_en: "Training sessions",
    columns: &[
        id(),
        col("held_on", "heldOn", "举办日期", "Held on", Date).filter().order().group(),
        col("year", "year", "年份", "Year", Int).view_only(),
        col("title", "title", "主题", "Title", Text).filter().order(),
        col("chain_id", "chain", "产业链", "Chain", Ref("IndustryChain")).optional().filter().group(),
        col("format", "format", "形式", "Format", Code(CodeSet::TrainingFormat)).filter().group(),
        col("trainees", "trainees", "培训人数", "Trainees", Int).filter().order().sum(),
        is_demo(),
        version(),
        archived_at(),
        // Of the trainees: entrepreneurs and corporate executives (both set: they add up).
        col("entrepreneurs", "entrepreneurs", "企业家人数", "Entrepreneurs", Int).optional().filter(),
        col("executives", "executives", "企业高管人数", "Executives", Int).optional().filter(),
    ],
    natural_key: &["held_on", "title"],
    editable: true,
};

pub const EMPLOYMENT_NEED: Record = Record {
    graphql_type: "EmploymentNeed",
    table: "employment_needs",
    export: Some("employment_needs"),
    bi_view: Some("bi_employment_needs"),
    label_zh: "用工需求",
    label_en: "Employment needs",
    columns: &[
        id(),
        col("enterprise_id", "enterprise", "企业", "Enterprise", Ref("Enterprise")).filter(),
        col("enterprise_name", "enterpriseName", "企业名称", "Enterprise name", Text).view_only(),
        col("county", "county", "县区", "County", Code(CodeSet::County)).view_only(),
        col("year", "year", "年份", "Year", Int).filter().order().group(),
        col("workers_needed", "workersNeeded", "缺工人数", "Workers needed", Int).filter().order().sum(),
        // The sum of the row's live placements, kept by the server.
        col("workers_placed", "workersPlaced", "已输送人数", "Workers placed", Int).filter().order().sum().system(),
        col("surveyed", "surveyed", "纳入调查", "Surveyed", Bool).filter(),
        col("fully_met", "needsMet", "需求已满足", "Needs met", Bool).view_only(),
        is_demo(),
        version(),
        archived_at(),
        col("occupation", "occupation", "工种或技能", "Occupation or skill", Text).filter(),
        col("referred_on", "referredOn", "推送人社日期", "Referred to HR bureau on", Date).optional().filter(),
        col("referred_by", "referredBy", "推送人", "Referred by", Text).optional().signed_in().no_bi(),
    ],
    natural_key: &["enterprise_id", "year", "occupation"],
    editable: true,
};

pub const EMPLOYMENT_PLACEMENT: Record = Record {
    graphql_type: "EmploymentPlacement",
    table: "employment_placements",
    export: Some("employment_placements"),
    bi_view: Some("bi_employment_placements"),
    label_zh: "用工输送",
    label_en: "Employment placements",
    columns: &[
        id(),
        col("need_id", "need", "用工需求", "Employment need", Ref("EmploymentNeed")),
        col("placed_on", "placedOn", "输送日期", "Placed on", Date),
        col("workers", "workers", "输送人数", "Workers", Int),
        col("note", "note", "说明", "Note", Text).optional().signed_in().no_bi(),
        is_demo(),
        version(),
        archived_at(),
    ],
    natural_key: &["need_id", "placed_on"],
    editable: true,
};

/// Every record type.
pub const RECORDS: &[&Record] = &[
    &ENTERPRISE,
    &INSTITUTION,
    &PROJECT,
    &INDUSTRY_CHAIN,
    &CHAIN_SEGMENT,
    &ENTERPRISE_SEGMENT,
    &PROJECT_PARTICIPANT,
    &STATUS_CHANGE,
    &TRAINING_SESSION,
    &EMPLOYMENT_NEED,
    &EMPLOYMENT_PLACEMENT,
];

/// The records imported from files, in the order the import page offers them (placements are
/// entered one by one).
pub const IMPORTED: &[&Record] = &[&ENTERPRISE, &INSTITUTION, &PROJECT, &TRAINING_SESSION, &EMPLOYMENT_NEED];

/// The record behind an export table.
pub fn by_export(table: &str) -> Option<&'static Record> {
    RECORDS.iter().copied().find(|record| record.export == Some(table))
}

/// The record behind a GraphQL object type.
pub fn by_graphql_type(name: &str) -> Option<&'static Record> {
    RECORDS.iter().copied().find(|record| record.graphql_type == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_a_record_and_fields_are_camel_case() {
        for record in RECORDS {
            for (index, column) in record.columns.iter().enumerate() {
                assert!(
                    record.columns[..index].iter().all(|other| other.name != column.name),
                    "{}.{} is declared twice",
                    record.graphql_type,
                    column.name
                );
                assert!(column.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
                if let Some(field) = column.field {
                    assert!(!field.contains('_') && field.starts_with(|c: char| c.is_ascii_lowercase()), "{field}");
                }
                assert!(!column.label_zh.is_empty() && !column.label_en.is_empty());
            }
        }
    }

    #[test]
    fn restricted_columns_are_read_only_by_signed_in_callers() {
        let funding = PROJECT.column("funding_cny").unwrap();
        assert!(!funding.readable_at(Read::Public));
        assert!(funding.readable_at(Read::SignedIn));
        assert!(PROJECT.column("title").unwrap().readable_at(Read::Public));
    }

    #[test]
    fn coded_columns_show_their_graphql_names() {
        let county = ENTERPRISE.column("county").unwrap();
        assert_eq!(county.public_text("huoshan"), Some("HUOSHAN_COUNTY"));
        assert_eq!(PROJECT.column("status").unwrap().public_text("in_progress"), Some("IN_PROGRESS"));
        assert_eq!(county.public_text("atlantis"), None);
        for set in CodeSet::ALL {
            for (code, name) in set.values() {
                assert_eq!(set.name_of(code), Some(name));
                assert_eq!(name.to_ascii_lowercase().replace("_county", "").replace("_district", ""), code);
            }
        }
    }
}
