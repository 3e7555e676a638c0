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

/// Every visible string of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Tagline,
    MainNavigation,
    NavIndicators,
    NavNetwork,
    SwitchLanguage,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    IndicatorsTitle,
    Loading,
    LoadFailed,
    Source,
    Indicator,
    Published,
    Computed,
    Matches,
    NetworkTitle,
    LoadingNetwork,
    SearchLabel,
    SearchPlaceholder,
    Search,
    NoMatch,
    NetworkHint,
    Enterprise,
    Institution,
    Partners,
    NetworkSummary,
    Depth,
    ShowEgo,
    EgoShown,
    ShowWhole,
    ExportPng,
    ExportCsv,
}

/// `text` in `lang`.
pub fn text(lang: Lang, text: Text) -> &'static str {
    use Text::*;
    match (lang, text) {
        (Lang::Zh, Tagline) => "六安市校企合作与产业链协同平台（演示数据）",
        (Lang::En, Tagline) => "School–enterprise cooperation and industry chains in Lu'an (demo data)",
        (Lang::Zh, MainNavigation) => "主导航",
        (Lang::En, MainNavigation) => "Main navigation",
        (Lang::Zh, NavIndicators) => "公开指标",
        (Lang::En, NavIndicators) => "Indicators",
        (Lang::Zh, NavNetwork) => "合作网络",
        (Lang::En, NavNetwork) => "Network",
        (Lang::Zh, SwitchLanguage) => "English",
        (Lang::En, SwitchLanguage) => "中文",
        (Lang::Zh, NotFoundTitle) => "页面不存在",
        (Lang::En, NotFoundTitle) => "Page not found",
        (Lang::Zh, NotFoundBody) => "没有这个页面。",
        (Lang::En, NotFoundBody) => "There is no such page.",
        (Lang::Zh, BackHome) => "返回首页",
        (Lang::En, BackHome) => "Back to the start page",
        (Lang::Zh, IndicatorsTitle) => "公开指标：公布值与系统计算值",
        (Lang::En, IndicatorsTitle) => "Published indicators: published and computed values",
        (Lang::Zh, Loading) => "正在加载…",
        (Lang::En, Loading) => "Loading…",
        (Lang::Zh, LoadFailed) => "加载失败：",
        (Lang::En, LoadFailed) => "Could not load: ",
        (Lang::Zh, Source) => "来源：",
        (Lang::En, Source) => "Source: ",
        (Lang::Zh, Indicator) => "指标",
        (Lang::En, Indicator) => "Indicator",
        (Lang::Zh, Published) => "公布值",
        (Lang::En, Published) => "Published",
        (Lang::Zh, Computed) => "计算值",
        (Lang::En, Computed) => "Computed",
        (Lang::Zh, Matches) => "一致",
        (Lang::En, Matches) => "Equal",
        (Lang::Zh, NetworkTitle) => "合作网络",
        (Lang::En, NetworkTitle) => "Cooperation network",
        (Lang::Zh, LoadingNetwork) => "正在加载网络…",
        (Lang::En, LoadingNetwork) => "Loading the network…",
        (Lang::Zh, SearchLabel) => "查找企业或院校",
        (Lang::En, SearchLabel) => "Find an enterprise or institution",
        (Lang::Zh, SearchPlaceholder) => "名称关键词",
        (Lang::En, SearchPlaceholder) => "Part of a name",
        (Lang::Zh, Search) => "查找",
        (Lang::En, Search) => "Find",
        (Lang::Zh, NoMatch) => "没有匹配的节点",
        (Lang::En, NoMatch) => "No node matches",
        (Lang::Zh, NetworkHint) => "点击节点或按名称查找，查看详情。滚轮缩放，拖动平移。",
        (Lang::En, NetworkHint) => "Click a node or find it by name to see details. Scroll to zoom, drag to pan.",
        (Lang::Zh, Enterprise) => "企业",
        (Lang::En, Enterprise) => "Enterprise",
        (Lang::Zh, Institution) => "高校/科研院所",
        (Lang::En, Institution) => "University or institute",
        (Lang::Zh, Partners) => "合作伙伴数：",
        (Lang::En, Partners) => "Partners: ",
        (Lang::Zh, NetworkSummary) => "合作网络：节点数与连线数",
        (Lang::En, NetworkSummary) => "Cooperation network: nodes and links",
        (Lang::Zh, Depth) => "层数 ",
        (Lang::En, Depth) => "Depth ",
        (Lang::Zh, ShowEgo) => "展开关系网",
        (Lang::En, ShowEgo) => "Show its network",
        (Lang::Zh, EgoShown) => "正在显示所选节点的关系网。",
        (Lang::En, EgoShown) => "Showing the selected node's network.",
        (Lang::Zh, ShowWhole) => "显示整个网络",
        (Lang::En, ShowWhole) => "Show the whole network",
        (Lang::Zh, ExportPng) => "导出图片（PNG）",
        (Lang::En, ExportPng) => "Export image (PNG)",
        (Lang::Zh, ExportCsv) => "导出节点与连线（CSV）",
        (Lang::En, ExportCsv) => "Export nodes and links (CSV)",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages_and_differs() {
        let all = [
            Text::Tagline,
            Text::MainNavigation,
            Text::NavIndicators,
            Text::NavNetwork,
            Text::SwitchLanguage,
            Text::NotFoundTitle,
            Text::NotFoundBody,
            Text::BackHome,
            Text::IndicatorsTitle,
            Text::Loading,
            Text::LoadFailed,
            Text::Source,
            Text::Indicator,
            Text::Published,
            Text::Computed,
            Text::Matches,
            Text::NetworkTitle,
            Text::LoadingNetwork,
            Text::SearchLabel,
            Text::SearchPlaceholder,
            Text::Search,
            Text::NoMatch,
            Text::NetworkHint,
            Text::Enterprise,
            Text::Institution,
            Text::Partners,
            Text::NetworkSummary,
            Text::Depth,
            Text::ShowEgo,
            Text::EgoShown,
            Text::ShowWhole,
            Text::ExportPng,
            Text::ExportCsv,
        ];
        for key in all {
            let (zh, en) = (text(Lang::Zh, key), text(Lang::En, key));
            assert!(!zh.is_empty() && !en.is_empty(), "{key:?}");
            assert_ne!(zh, en, "{key:?} is not translated");
        }
        assert_eq!(Lang::from_tag(Lang::En.tag()), Some(Lang::En));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }
}
