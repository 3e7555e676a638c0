//! Fixed reference lists of the demo dataset: the city's industry chains and their segments,
//! and real universities and institutes of Anhui and neighbouring provinces. Enterprise names
//! are generated from the word lists at the bottom and always carry the demo marker.

use shared::{ChainStage, InstitutionKind};

/// A segment's stable code: its chain's code and its position in the chain (from 1), e.g.
/// `new_energy_vehicles.2` (migration 10 gave existing segments the same).
pub fn segment_code(chain: &str, position: i32) -> String {
    format!("{chain}.{position}")
}

/// A chain with its segments, upstream first.
pub struct ChainSpec {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Relative share of the city's enterprises in this chain.
    pub weight: u32,
    pub segments: &'static [SegmentSpec],
}

/// A segment, the word that generated enterprise names in it end with, and the disciplines
/// its work needs (`shared::Disciplines` codes).
pub struct SegmentSpec {
    pub stage: ChainStage,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub business_word: &'static str,
    pub needs: &'static str,
}

const fn segment(
    stage: ChainStage,
    name_zh: &'static str,
    name_en: &'static str,
    business_word: &'static str,
    needs: &'static str,
) -> SegmentSpec {
    SegmentSpec { stage, name_zh, name_en, business_word, needs }
}

use ChainStage::{Downstream, Midstream, Upstream};

/// The leading industry chains of the demo city.
pub const CHAINS: &[ChainSpec] = &[
    ChainSpec {
        code: "new_energy_vehicles",
        name_zh: "新能源汽车和汽车零部件",
        name_en: "New-energy vehicles and auto parts",
        weight: 18,
        segments: &[
            segment(Upstream, "动力电池材料", "Battery materials", "新能源材料", "materials,chemistry,energy"),
            segment(Midstream, "汽车零部件", "Auto parts", "汽车零部件", "mechanical,vehicles,materials"),
            segment(
                Midstream,
                "整车及专用车",
                "Vehicles and special vehicles",
                "汽车制造",
                "vehicles,mechanical,electronics",
            ),
            segment(
                Downstream,
                "充换电与汽车服务",
                "Charging and vehicle services",
                "新能源科技",
                "energy,electronics,computing",
            ),
        ],
    },
    ChainSpec {
        code: "high_end_equipment",
        name_zh: "高端装备制造",
        name_en: "High-end equipment manufacturing",
        weight: 20,
        segments: &[
            segment(
                Upstream,
                "基础零部件与铸锻件",
                "Basic parts, castings and forgings",
                "精密铸造",
                "materials,mechanical",
            ),
            segment(Midstream, "通用及专用设备", "General and special machinery", "机械设备", "mechanical,electronics"),
            segment(
                Downstream,
                "智能制造系统集成",
                "Smart manufacturing integration",
                "智能装备",
                "mechanical,computing,electronics",
            ),
        ],
    },
    ChainSpec {
        code: "iron_based_materials",
        name_zh: "铁基新材料",
        name_en: "Iron-based new materials",
        weight: 12,
        segments: &[
            segment(Upstream, "铁矿采选", "Iron ore mining and dressing", "矿业", "mining,materials"),
            segment(Midstream, "冶炼与铁基材料", "Smelting and iron-based materials", "新材料", "materials,chemistry"),
            segment(Downstream, "金属制品", "Metal products", "金属制品", "materials,mechanical"),
        ],
    },
    ChainSpec {
        code: "green_food",
        name_zh: "绿色食品（含茶产业）",
        name_en: "Green food and tea",
        weight: 22,
        segments: &[
            segment(Upstream, "茶叶与农产品种植", "Tea and crop growing", "农业开发", "agronomy,tea"),
            segment(Midstream, "食品与茶叶加工", "Food and tea processing", "食品", "food,tea"),
            segment(Downstream, "品牌营销与冷链流通", "Brands and cold-chain logistics", "供应链", "business,food"),
        ],
    },
    ChainSpec {
        code: "biomedicine_health",
        name_zh: "生物医药和大健康",
        name_en: "Biomedicine and health",
        weight: 10,
        segments: &[
            segment(
                Upstream,
                "中药材种植（石斛等）",
                "Medicinal herbs (dendrobium and others)",
                "中药材",
                "agronomy,medicine",
            ),
            segment(Midstream, "医药制造", "Pharmaceutical manufacturing", "药业", "medicine,chemistry"),
            segment(Downstream, "健康产品与医疗服务", "Health products and services", "健康科技", "medicine,business"),
        ],
    },
    ChainSpec {
        code: "electronic_information",
        name_zh: "电子信息",
        name_en: "Electronic information",
        weight: 8,
        segments: &[
            segment(
                Upstream,
                "电子材料与元器件",
                "Electronic materials and components",
                "电子材料",
                "materials,electronics",
            ),
            segment(Midstream, "电子组件与模组", "Electronic modules", "电子", "electronics,computing"),
            segment(
                Downstream,
                "智能终端与应用",
                "Smart devices and applications",
                "智能科技",
                "computing,electronics",
            ),
        ],
    },
    ChainSpec {
        code: "down_and_textiles",
        name_zh: "羽绒及纺织服装",
        name_en: "Down, textiles and apparel",
        weight: 10,
        segments: &[
            segment(Upstream, "羽绒原料与纺织", "Down materials and textiles", "羽绒", "textiles,chemistry"),
            segment(Midstream, "服装与制品加工", "Apparel and products", "服饰", "textiles,business"),
            segment(Downstream, "品牌与电商", "Brands and e-commerce", "电子商务", "business,computing"),
        ],
    },
];

/// A real institution.
pub struct InstitutionSpec {
    pub name: &'static str,
    pub name_en: &'static str,
    pub kind: InstitutionKind,
    pub province: &'static str,
    pub city: &'static str,
    /// One of the key universities of the "Bridge Building" programme.
    pub is_key: bool,
    /// What it is strong in (`shared::Disciplines` codes).
    pub disciplines: &'static str,
}

const fn institution(
    name: &'static str,
    name_en: &'static str,
    kind: InstitutionKind,
    province: &'static str,
    city: &'static str,
    is_key: bool,
    disciplines: &'static str,
) -> InstitutionSpec {
    InstitutionSpec { name, name_en, kind, province, city, is_key, disciplines }
}

use InstitutionKind::{ResearchInstitute, University, VocationalCollege};

/// Universities, institutes and colleges that cooperate with the city's enterprises.
/// The first seven are the key universities.
pub const INSTITUTIONS: &[InstitutionSpec] = &[
    institution(
        "皖西学院",
        "West Anhui University",
        University,
        "安徽省",
        "六安市",
        true,
        "agronomy,tea,food,mechanical,electronics,business",
    ),
    institution(
        "合肥工业大学",
        "Hefei University of Technology",
        University,
        "安徽省",
        "合肥市",
        true,
        "mechanical,vehicles,materials,electronics,computing,energy",
    ),
    institution(
        "中国科学技术大学",
        "University of Science and Technology of China",
        University,
        "安徽省",
        "合肥市",
        true,
        "computing,electronics,materials,energy,chemistry",
    ),
    institution(
        "安徽大学",
        "Anhui University",
        University,
        "安徽省",
        "合肥市",
        true,
        "electronics,computing,chemistry,business",
    ),
    institution(
        "安徽农业大学",
        "Anhui Agricultural University",
        University,
        "安徽省",
        "合肥市",
        true,
        "agronomy,tea,food,medicine",
    ),
    institution(
        "安徽理工大学",
        "Anhui University of Science and Technology",
        University,
        "安徽省",
        "淮南市",
        true,
        "mining,materials,mechanical,chemistry,medicine",
    ),
    institution(
        "安徽工业大学",
        "Anhui University of Technology",
        University,
        "安徽省",
        "马鞍山市",
        true,
        "materials,mechanical,energy",
    ),
    institution(
        "安徽建筑大学",
        "Anhui Jianzhu University",
        University,
        "安徽省",
        "合肥市",
        false,
        "materials,mechanical,energy",
    ),
    institution(
        "安徽工程大学",
        "Anhui Polytechnic University",
        University,
        "安徽省",
        "芜湖市",
        false,
        "mechanical,textiles,electronics",
    ),
    institution(
        "安徽中医药大学",
        "Anhui University of Chinese Medicine",
        University,
        "安徽省",
        "合肥市",
        false,
        "medicine,agronomy",
    ),
    institution(
        "合肥学院",
        "Hefei University",
        University,
        "安徽省",
        "合肥市",
        false,
        "food,business,computing,mechanical",
    ),
    institution(
        "安徽科技学院",
        "Anhui Science and Technology University",
        University,
        "安徽省",
        "滁州市",
        false,
        "agronomy,food,mechanical",
    ),
    institution("江南大学", "Jiangnan University", University, "江苏省", "无锡市", false, "food,textiles,chemistry"),
    institution(
        "南京工业大学",
        "Nanjing Tech University",
        University,
        "江苏省",
        "南京市",
        false,
        "chemistry,materials,medicine",
    ),
    institution(
        "中国科学院合肥物质科学研究院",
        "Hefei Institutes of Physical Science, CAS",
        ResearchInstitute,
        "安徽省",
        "合肥市",
        false,
        "energy,materials,electronics",
    ),
    institution(
        "安徽省农业科学院",
        "Anhui Academy of Agricultural Sciences",
        ResearchInstitute,
        "安徽省",
        "合肥市",
        false,
        "agronomy,food",
    ),
    institution(
        "合肥通用机械研究院",
        "Hefei General Machinery Research Institute",
        ResearchInstitute,
        "安徽省",
        "合肥市",
        false,
        "mechanical,energy",
    ),
    institution(
        "安徽省农业科学院茶叶研究所",
        "Tea Research Institute, Anhui Academy of Agricultural Sciences",
        ResearchInstitute,
        "安徽省",
        "黄山市",
        false,
        "tea,agronomy",
    ),
    institution(
        "六安职业技术学院",
        "Lu'an Vocational and Technical College",
        VocationalCollege,
        "安徽省",
        "六安市",
        false,
        "mechanical,vehicles,electronics,business",
    ),
    institution(
        "皖西卫生职业学院",
        "Wanxi Health Vocational College",
        VocationalCollege,
        "安徽省",
        "六安市",
        false,
        "medicine",
    ),
    institution(
        "安徽机电职业技术学院",
        "Anhui Technical College of Mechanical and Electrical Engineering",
        VocationalCollege,
        "安徽省",
        "芜湖市",
        false,
        "mechanical,electronics,vehicles",
    ),
    institution(
        "安徽水利水电职业技术学院",
        "Anhui Water Conservancy Technical College",
        VocationalCollege,
        "安徽省",
        "合肥市",
        false,
        "energy,mechanical",
    ),
];

/// Programmes under which projects run. The first is the school–enterprise "Bridge Building"
/// programme that all key-university projects belong to.
pub const PROGRAMMES: [&str; 4] = [
    shared::domain::PROGRAMMES[0].0,
    shared::domain::PROGRAMMES[1].0,
    shared::domain::PROGRAMMES[2].0,
    shared::domain::PROGRAMMES[3].0,
];

/// Short place names of the seven counties, in `shared::County::ALL` order.
pub const COUNTY_PLACE_NAMES: [&str; 7] = ["金安", "裕安", "叶集", "霍邱", "舒城", "金寨", "霍山"];

/// Relative number of enterprises per county, in `shared::County::ALL` order.
pub const COUNTY_WEIGHTS: [u32; 7] = [22, 20, 8, 14, 15, 10, 11];

/// First and second halves of generated firm names.
pub const NAME_HEADS: &[&str] = &[
    "皖", "华", "恒", "金", "瑞", "嘉", "宏", "永", "天", "佳", "新", "安", "富", "博", "龙", "兴", "东", "淠", "鑫",
    "联",
];
pub const NAME_TAILS: &[&str] = &[
    "鑫", "瑞", "通", "桥", "丰", "禾", "达", "盛", "润", "德", "源", "泰", "民", "远", "腾", "业", "升", "河", "科",
    "创", "信", "力",
];

/// Title stems of generated projects, one list per project kind in `shared::ProjectKind::ALL` order.
pub const PROJECT_TITLE_STEMS: [&str; 5] =
    ["关键技术联合攻关", "成果转化与产业化", "人才培养与实习基地", "联合实验室共建", "技术咨询与诊断服务"];

/// Marker appended to every generated name.
pub const DEMO_MARKER: &str = "（演示）";
