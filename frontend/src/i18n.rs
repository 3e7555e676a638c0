//! The app's two languages: Simplified Chinese (default) and English. Every visible string
//! is a `Text`; `text` gives it in a language, and the match is exhaustive, so a string
//! without a translation does not compile. The choice is kept in `localStorage`.

use leptos::prelude::*;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }
}

/// Declares every visible string with its two translations: the `Text` enum, its list, and
/// `text`. A string cannot be added without both languages.
macro_rules! texts {
    ($($key:ident => ($zh:literal, $en:literal),)+) => {
        /// Every visible string of the app.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($key,)+
        }

        impl Text {
            /// Every string, for the translation test.
            #[cfg(test)]
            pub const ALL: &'static [Text] = &[$(Text::$key),+];
        }

        /// `text` in `lang`.
        pub fn text(lang: Lang, text: Text) -> &'static str {
            match (lang, text) {
                $((Lang::Zh, Text::$key) => $zh, (Lang::En, Text::$key) => $en,)+
            }
        }
    };
}

texts! {
    Tagline => ("六安市校企合作与产业链协同平台（演示数据）", "School–enterprise cooperation and industry chains in Lu'an (demo data)"),
    MainNavigation => ("主导航", "Main navigation"),
    NavIndicators => ("概览", "Overview"),
    NavNetwork => ("合作网络", "Network"),
    SwitchLanguage => ("English", "中文"),
    NotFoundTitle => ("页面不存在", "Page not found"),
    NotFoundBody => ("没有这个页面。", "There is no such page."),
    BackHome => ("返回首页", "Back to the start page"),
    IndicatorsTitle => ("公开指标：公布值与系统计算值", "Published indicators: published and computed values"),
    Loading => ("正在加载…", "Loading…"),
    LoadFailed => ("加载失败：", "Could not load: "),
    Source => ("来源：", "Source: "),
    Indicator => ("指标", "Indicator"),
    Published => ("公布值", "Published"),
    Computed => ("系统记录核对", "Checked against the records"),
    Matches => ("一致", "Agrees"),
    Differs => ("不一致", "Differs"),
    InRecords => ("记录中 ", "records: "),
    Provenance => ("“系统记录核对”为本平台按现有记录实时统计的数值，与公布值相同即为“一致”。", "“Checked against the records” counts the platform's current records; “agrees” means the count equals the published figure."),
    ChainNote => ("一个项目的合作企业可能分属多条产业链，这样的项目在每条链上各计一次，故各链合计 {sum} 个，多于项目总数 {total} 个。", "A project whose enterprises work in several chains counts once in each, so the chains add up to {sum}, more than the {total} projects."),
    ChartHint => ("点按图中的行可查看对应的项目列表。", "Tap or click a row to list its projects."),
    NetworkTitle => ("合作网络", "Cooperation network"),
    LoadingNetwork => ("正在加载网络…", "Loading the network…"),
    SearchLabel => ("查找企业或院校", "Find an enterprise or institution"),
    SearchPlaceholder => ("名称关键词", "Part of a name"),
    Search => ("查找", "Find"),
    NoMatch => ("没有匹配的节点", "No node matches"),
    NetworkHint => ("点按节点或按名称查找，查看详情。用 + / − 按钮缩放，拖动平移。", "Tap a node or find it by name to see details. Zoom with the + / − buttons, drag to pan."),
    Enterprise => ("企业", "Enterprise"),
    Institution => ("高校/科研院所", "University or institute"),
    Partners => ("合作伙伴数：", "Partners: "),
    NetworkSummary => ("合作网络：节点数与连线数", "Cooperation network: nodes and links"),
    Depth => ("层数 ", "Depth "),
    ShowEgo => ("展开关系网", "Show its network"),
    EgoShown => ("正在显示所选节点的关系网。", "Showing the selected node's network."),
    ShowWhole => ("显示整个网络", "Show the whole network"),
    ExportPng => ("导出图片（PNG）", "Export image (PNG)"),
    ExportCsv => ("导出节点与连线（CSV）", "Export nodes and links (CSV)"),
    NavProjects => ("合作项目", "Projects"),
    NavChains => ("产业链", "Industry chains"),
    NavDesk => ("联络员工作台", "Liaison desk"),
    NetworkFailed => ("无法连接服务器，请稍后重试。", "The server could not be reached; try again shortly."),
    DashboardTitle => ("项目、培训与用工", "Projects, training and employment"),
    ChartByStatus => ("各状态项目数", "Projects by status"),
    ChartByYear => ("各年项目：新开始、进行中、已结束", "Projects per year: started, active, ended"),
    ChartByChain => ("各产业链合作项目数", "Cooperation projects by industry chain"),
    ChartTraining => ("各年企业家培训人数", "Entrepreneur training: trainees per year"),
    ChartLedger => ("各年重点企业用工：缺口与到岗", "Key enterprises' workers: needed and placed per year"),
    SeriesProjects => ("项目", "Projects"),
    SeriesStarted => ("新开始", "Started"),
    SeriesActive => ("进行中", "Active"),
    SeriesEnded => ("已结束", "Ended"),
    SeriesTrainees => ("培训人数", "Trainees"),
    SeriesNeeded => ("用工缺口", "Workers needed"),
    SeriesPlaced => ("已到岗", "Workers placed"),
    Sessions => ("期", "sessions"),
    LedgerRows => ("条", "rows"),
    ProjectsTitle => ("校企合作项目", "Cooperation projects"),
    FilterTitle => ("名称包含 ", "Title contains "),
    FilterStatus => ("状态", "Status"),
    FilterChain => ("产业链 ", "Industry chain "),
    FilterYear => ("开始年份 ", "Start year "),
    All => ("全部", "All"),
    Total => ("共 ", "Total: "),
    DownloadCsv => ("下载本页（CSV）", "Download these rows (CSV)"),
    ColumnTitle => ("项目名称", "Title"),
    Participants => ("参与方", "Participants"),
    ColumnStart => ("开始日期", "Start"),
    ColumnEnd => ("结束日期", "End"),
    NoRows => ("没有符合条件的项目。", "No project matches."),
    Pages => ("翻页", "Pages"),
    PreviousPage => ("← 上一页", "← Previous"),
    NextPage => ("下一页 →", "Next →"),
    DemoRecord => ("演示数据", "demo data"),
    Funding => ("经费", "Funding"),
    Outcomes => ("成果", "Outcomes"),
    Patents => ("专利", "Patents"),
    Papers => ("论文", "Papers"),
    Products => ("新产品", "Products"),
    Trainees => ("培养人数", "People trained"),
    History => ("状态变更记录", "Status history"),
    ChangedBy => ("操作人：", "by "),
    LoginHint => ("请使用所在高校的联络员账号登录。", "Sign in with your institution's liaison account."),
    Username => ("用户名 ", "Username "),
    Password => ("密码 ", "Password "),
    SignIn => ("登录", "Sign in"),
    SignOut => ("退出登录", "Sign out"),
    WrongPassword => ("用户名或密码不正确。", "Wrong username or password."),
    TooManyAttempts => ("尝试次数过多，请稍后再试。", "Too many attempts; try again later."),
    SignInFailed => ("登录失败，请稍后重试。", "Signing in failed; try again later."),
    IllegalTransition => ("项目当前的状态不能变更为所选状态（可能他人刚刚改过）。请载入最新版本后重新选择。", "The project cannot move to that status from where it is now (someone may just have changed it). Load the current version and choose again."),
    NotYourProject => ("只能修改本单位参与的项目。", "You can change only your institution's projects."),
    NodeProjects => ("项目", "Projects"),
    SignedInAs => ("当前用户：", "Signed in as "),
    ViewerCannotChange => ("此账号只能查看，不能修改项目状态。", "This account can look but cannot change projects."),
    MyProjects => ("本单位的合作项目", "My institution's projects"),
    LoadMore => ("加载更多", "Load more"),
    ChangedBySomeone => ("{who} 刚刚更新了“{title}”，现为{status}。", "{who} just changed “{title}”; now {status}."),
    SomeoneElse => ("其他人", "Someone else"),
    Version => ("修改次数", "Changes"),
    Dismiss => ("关闭提示", "Dismiss"),
    FindProject => ("按项目名称查找 ", "Find by title "),
    AllProjects => ("全部合作项目", "All cooperation projects"),
    DeskEmpty => ("本单位目前还没有合作项目。", "Your institution has no cooperation projects yet."),
    DeskEmptyPropose => ("本单位目前还没有合作项目。可点击上方“提出新的合作项目”登记第一个项目。", "Your institution has no cooperation projects yet. Use “Propose a project” above to register the first one."),
    DeskNoMatch => ("没有名称包含该关键词的项目。", "No project title contains that text."),
    StatusLabel => ("当前状态：", "Status: "),
    TheirNote => ("对方的备注：", "Their note: "),
    MyAccount => ("我的账号", "My account"),
    ChangePassword => ("修改密码", "Change password"),
    CurrentPassword => ("当前密码 ", "Current password "),
    NewPassword => ("新密码（至少 10 个字符） ", "New password (10 characters or more) "),
    RepeatPassword => ("再次输入新密码 ", "New password again "),
    PasswordsDiffer => ("两次输入的新密码不一致。", "The two new passwords differ."),
    PasswordChanged => ("密码已修改。您在其他设备上的登录已退出。", "Your password was changed. Your sign-ins on other devices have ended."),
    ApiTokens => ("BI 工具访问令牌", "API tokens for BI tools"),
    ApiTokensHint => ("令牌只能读取数据，用于 Excel、Power BI 等工具按 Authorization: Bearer 方式访问。", "Tokens only read data; BI tools such as Excel or Power BI send them as Authorization: Bearer."),
    NoTokens => ("还没有令牌。", "No tokens yet."),
    CreatedOn => ("创建于 ", "created "),
    LastUsed => ("最近使用 ", "last used "),
    Revoke => ("吊销", "Revoke"),
    TokenName => ("令牌用途 ", "What it is for "),
    CreateToken => ("创建令牌", "Create a token"),
    TokenSecretOnce => ("请立即复制保存，此令牌只显示这一次：", "Copy it now; this token is shown only once:"),
    StaleProject => ("打开此项目后，已有他人修改过它；提交时将进行核对。", "Someone else changed this project after you opened it; your change will be checked against theirs."),
    FinalStatus => ("此项目已处于最终状态，不能再变更。", "This project is in a final status and cannot change any more."),
    NewStatus => ("变更为", "Change to"),
    Note => ("备注 ", "Note "),
    SaveStatus => ("保存状态", "Save status"),
    ConflictTitle => ("他人已先修改了此项目", "Someone else changed this project first"),
    ConflictNow => ("当前状态：", "Now: "),
    ConflictNotApplied => ("您的变更未保存。请查看最新情况后重新选择。", "Your change was not saved. Look at the current state and choose again."),
    ConflictReload => ("载入最新版本", "Load the current version"),
    Cancel => ("取消", "Cancel"),
    Coverage => ("覆盖：", "Covered: "),
    Gaps => ("缺口环节：", "Gaps: "),
    AllChains => ("← 全部产业链", "← All industry chains"),
    GapBadge => ("合作缺口", "Gap"),
    More => ("家", "more"),
    WorkingWith => ("合作院校", "Working with"),
    SuggestedPartners => ("建议对接的院校", "Suggested partners"),
    WhyFit => ("学科相符（{fit}）", "its disciplines fit ({fit})"),
    WhyTies => ("已与本链其他环节 {enterprises} 家企业合作 {projects} 个项目，尚未在本环节开展合作", "{projects} projects with {enterprises} enterprises of the chain's other segments, none yet in this one"),
    WhyNew => ("尚未与本链企业合作", "not yet working with this chain"),
    GapBar => ("缺口标准：覆盖率低于 ", "A gap: coverage below "),
    GapBarChoice => ("全市平均的 {n}%", "{n}% of the city's average"),
    GapRule => ("全市产业链企业中有在研校企合作的占 {city}；覆盖率低于 {bar} 的环节标为合作缺口。", "Of the city's chain enterprises, {city} have active cooperation; segments below {bar} are marked as gaps."),
    ChainHint => ("上方为合作院校，连线粗细表示合作项目数；环节框底部条形为有在研合作的企业占比，红框为合作缺口。", "Institutions are above; a line's width is the number of projects. The bar under a segment is the share of its enterprises with active cooperation; red outlines mark gaps."),
    ChainDiagram => ("产业链环节与合作院校关系图", "Diagram of the chain's segments and the institutions working with them"),
    Yes => ("是", "Yes"),
    No => ("否", "No"),
    CreditCode => ("统一社会信用代码", "Credit code"),
    County => ("县区", "County"),
    AboveScale => ("规模以上", "Above scale"),
    KeyEnterprise => ("重点企业", "Key enterprise"),
    Employees => ("职工人数", "Employees"),
    Founded => ("成立年份", "Founded"),
    PartnersTitle => ("合作伙伴（共同项目数）", "Partners (shared projects)"),
    LedgerTitle => ("用工需求台账", "Employment-needs ledger"),
    Year => ("年份", "Year"),
    NeedsMet => ("需求已满足", "Needs met"),
    Location => ("所在地", "Location"),
    KeyUniversity => ("重点高校", "Key university"),
    OpenPage => ("打开详情页", "Open its page"),
    Programme => ("计划 ", "Programme "),
    FromYear => ("开始年份自 ", "Started from "),
    UpToYear => ("开始年份至 ", "Started up to "),
    PathStart => ("设为路径起点", "Start a path here"),
    PathFind => ("最短路径，起点：", "Shortest path from "),
    PathNone => ("在当前筛选下，两者之间没有合作路径。", "The two are not connected under the current filters."),
    PathTitle => ("最短合作路径，步数：", "Shortest cooperation path, hops: "),
    NavData => ("数据维护", "Data"),
    StaffOnly => ("数据维护仅限数据编辑和管理员。", "Data upkeep is for data editors and administrators."),
    DataImport => ("导入", "Import"),
    DataRecords => ("记录", "Records"),
    DataTable => ("数据表 ", "Table "),
    ImportHint => ("上传 Excel（.xlsx）或 CSV 文件（UTF-8 或 GB18030）。先检查，确认无误后再导入；表头可用中文或英文列名。", "Upload an Excel (.xlsx) or CSV file (UTF-8 or GB18030). Check it first, then import; headers may be the Chinese or English column names."),
    DownloadTemplate => ("下载导入模板（.xlsx）", "Download the import template (.xlsx)"),
    ChooseFile => ("选择文件 ", "Choose a file "),
    DryRun => ("检查（不写入）", "Check (writes nothing)"),
    CommitImport => ("导入全部（有问题则不导入）", "Import all (nothing if any row has a problem)"),
    CommitValid => ("只导入无问题的行", "Import the valid rows only"),
    ProblemRow => ("行", "Row"),
    ProblemColumn => ("列", "Column"),
    ProblemWhat => ("问题", "Problem"),
    ProblemValue => ("填写的值", "Value found"),
    RevertImport => ("撤销这次导入", "Revert this import"),
    ImportReverted => ("已撤销这次导入。", "The import was reverted."),
    ShowArchived => ("只看已归档", "Archived only"),
    NewRecord => ("新增", "New"),
    Edit => ("修改", "Edit"),
    Archive => ("归档", "Archive"),
    Restore => ("恢复", "Restore"),
    Save => ("保存", "Save"),
    RecordConflict => ("这条记录刚被他人修改。您填写的内容已保留，再次保存将覆盖为您的修改。", "Someone else just changed this record. What you typed is kept; saving again applies it over their change."),
    ProposeProject => ("提出新的合作项目", "Propose a project"),
    PartnerEnterprises => ("合作企业（输入名称查找）", "Partner enterprises (type a name)"),
    InvitedInstitutions => ("邀请其他高校院所（可选）", "Other institutions invited (optional)"),
    MyChanges => ("我最近的修改", "My recent changes"),
    NoChangesYet => ("还没有修改记录。", "No changes yet."),
    ColourBy => ("节点颜色 ", "Colour by "),
    ColourKind => ("企业/院校", "Enterprise or institution"),
    ColourCommunity => ("合作社群", "Community"),
    SizeBy => ("节点大小 ", "Size by "),
    SizePartners => ("合作伙伴数", "Partners"),
    SizeBetweenness => ("桥梁作用（介数中心性）", "Brokerage (betweenness)"),
    NodesShown => ("最多显示节点 ", "Nodes shown at most "),
    CompareYears => ("年度对比 ", "Compare years "),
    NoComparison => ("不对比", "No comparison"),
    ShownOf => ("显示 {shown} 个节点（共 {total} 个）", "Showing {shown} of {total} nodes"),
    HiddenNodes => ("，另有 {hidden} 个联系较弱的节点未显示。可按产业链、县区筛选，或选中节点展开其关系网。", "; {hidden} nodes with weaker ties are hidden. Filter by chain or county, or open a node's network."),
    EmptyNetwork => ("当前筛选条件下没有合作关系。", "No cooperation matches these filters."),
    ClearFilters => ("清除筛选", "Clear the filters"),
    Retry => ("重试", "Try again"),
    SearchFound => ("找到 {count} 个：", "{count} found: "),
    ZoomIn => ("放大", "Zoom in"),
    ZoomOut => ("缩小", "Zoom out"),
    FitView => ("适应窗口", "Fit"),
    NotShown => ("（未显示，点击展开其关系网）", "(not shown; opens its network)"),
    PathVia => ("共同项目：", "Shared projects: "),
    CompareNew => ("新增合作", "New links"),
    CompareContinued => ("延续合作", "Continued links"),
    CompareEnded => ("结束合作", "Ended links"),
    CommunityLegend => ("颜色区分合作社群（联系紧密的企业与院校群体）", "Colours mark communities (closely linked groups)"),
    Betweenness => ("桥梁作用（介数）：", "Brokerage (betweenness): "),
    ProjectsInView => ("合作项目数：", "Projects: "),
    NetworkKeys => ("图上可用键盘：+ / − 缩放，方向键平移，0 适应窗口；拖动节点可固定其位置。", "On the graph: + / − zoom, arrow keys pan, 0 fits the view; drag a node to pin it."),
}

const STORAGE_KEY: &str = "lianqiao.lang";

/// The language chosen before (in this browser), Chinese otherwise.
pub fn initial() -> Lang {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::Zh)
}

/// Applies and remembers a language choice.
pub fn remember(lang: Lang) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, lang.tag());
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The current language, provided by the app shell.
pub fn use_lang() -> ReadSignal<Lang> {
    expect_context::<ReadSignal<Lang>>()
}

/// A closure giving `text` in the current language, for views.
pub fn tr(text_key: Text) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    let lang = use_lang();
    move || text(lang.get(), text_key)
}

/// A person's reading of an API error code (`shared::ErrorCode::explain`), in `lang`; an
/// unknown code as it is.
pub fn explain(lang: Lang, code: &str) -> String {
    let parsed: Option<shared::error_code::ErrorCode> =
        serde::Deserialize::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(code)).ok();
    match parsed {
        Some(code) => {
            let (zh, en) = code.explain();
            pick(lang, zh, en).to_owned()
        }
        None => code.to_owned(),
    }
}

/// A record's name in a language: its English name in English where it has one.
pub fn pick_name(lang: Lang, zh: &str, en: Option<&str>) -> String {
    match (lang, en.filter(|name| !name.is_empty())) {
        (Lang::En, Some(en)) => en.to_owned(),
        _ => zh.to_owned(),
    }
}

/// The Chinese or the English string, by language.
pub fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages_and_differs() {
        for &key in Text::ALL {
            let (zh, en) = (text(Lang::Zh, key), text(Lang::En, key));
            assert!(!zh.is_empty() && !en.is_empty(), "{key:?}");
            assert_ne!(zh, en, "{key:?} is not translated");
        }
        assert_eq!(Lang::from_tag(Lang::En.tag()), Some(Lang::En));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }
}
