//! The one table of user-visible text, in Simplified Chinese (the default) and English.
//!
//! Every string the window shows comes from [`Text`] or from one of the formatting functions
//! below, so a translation is one place to edit and a missing one is a compile error. This
//! module knows nothing of egui: the CLI or a report writer can use it too.
//!
//! ```
//! use linli::i18n::{Lang, Text};
//! assert_eq!(Text::Layers.get(Lang::Zh), "图层");
//! assert_eq!(Text::Layers.get(Lang::En), "Layers");
//! ```

use serde::{Deserialize, Serialize};

use crate::model::LayerRole;

/// A language of the interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the default: the planners' language.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The other language (the switch in the tool bar).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    /// The language's own name, shown on the button that switches to it.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::Zh => "中文",
            Self::En => "English",
        }
    }
}

macro_rules! texts {
    ($($(#[doc = $doc:literal])* $key:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text {
            $($(#[doc = $doc])* $key,)*
        }

        impl Text {
            /// Every text, for tests that check the table.
            pub const ALL: &'static [Text] = &[$(Text::$key,)*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                let (zh, en) = match self {
                    $(Text::$key => ($zh, $en),)*
                };
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
            }
        }
    };
}

texts! {
    /// Window title.
    AppTitle => "邻里 Linli — 社区规划工作台", "Linli 邻里 — community planning workbench";
    /// Heading of the layers panel.
    Layers => "图层", "Layers";
    /// Heading of the legend.
    Legend => "图例", "Legend";
    /// Heading of the inspector.
    Inspector => "要素属性", "Inspector";
    /// Name of the plan features layer.
    PlanLayer => "规划要素", "Plan features";
    /// Role of a street layer.
    RoleStreets => "街道/镇", "streets and towns";
    /// Role of a community layer.
    RoleCommunities => "居委/村", "communities";
    /// Role of a reference layer.
    RoleReference => "参考图层", "reference";
    /// Role of the plan layer.
    RolePlan => "规划", "plan";
    /// Layer opacity slider.
    Opacity => "不透明度", "Opacity";
    /// Fill colour button.
    Fill => "填充", "Fill";
    /// Stroke colour button.
    Stroke => "边线", "Stroke";
    /// Stroke width slider.
    StrokeWidth => "线宽", "Width";
    /// Labels on/off.
    ShowLabels => "标注", "Labels";
    /// Vary the fill colour by feature.
    VaryFill => "分色", "Varied colours";
    /// Move a layer up in the drawing order.
    MoveUp => "上移", "Up";
    /// Move a layer down in the drawing order.
    MoveDown => "下移", "Down";
    /// Zoom to a layer's extent.
    ZoomToLayer => "缩放至图层", "Zoom to layer";
    /// Zoom to the whole workspace.
    ZoomToWorkspace => "全图", "Whole workspace";
    /// Zoom to the selected feature.
    ZoomToSelection => "缩放至选中", "Zoom to selection";
    /// Zoom in.
    ZoomIn => "放大", "Zoom in";
    /// Zoom out.
    ZoomOut => "缩小", "Zoom out";
    /// Style section of a layer.
    LayerStyle => "样式", "Style";
    /// Legend when no plan feature exists.
    LegendEmpty => "（暂无规划要素）", "(no plan features yet)";
    /// Basemap heading and button.
    Basemap => "底图", "Basemap";
    /// Basemap file path field.
    BasemapPath => "MBTiles 文件路径", "MBTiles file path";
    /// Open the basemap at the path.
    OpenBasemap => "打开", "Open";
    /// Browse for a basemap file.
    Browse => "浏览…", "Browse…";
    /// Remove the basemap.
    RemoveBasemap => "移除底图", "Remove basemap";
    /// The basemap's tiles are GCJ-02.
    BasemapGcj02 => "瓦片为 GCJ-02 坐标（高德、腾讯等），需纠偏", "Tiles are GCJ-02 (Amap, Tencent…): shift them";
    /// No basemap open.
    NoBasemap => "未加载底图（离线 MBTiles，可由 QGIS“生成 XYZ 瓦片”导出）", "No basemap (an offline MBTiles file, e.g. from QGIS \"Generate XYZ tiles\")";
    /// Basemap could not be opened.
    BasemapFailed => "无法打开底图", "Could not open the basemap";
    /// Close a window.
    Close => "关闭", "Close";
    /// Inspector with nothing selected.
    NothingSelected => "在地图上单击要素查看其属性。", "Click a feature on the map to inspect it.";
    /// Name field.
    Name => "名称", "Name";
    /// Layer field.
    Layer => "图层", "Layer";
    /// Element type field.
    ElementType => "要素类型", "Element type";
    /// Street field.
    Street => "所在街道", "Street";
    /// Community field.
    Community => "所在居委", "Community";
    /// Area field.
    Area => "面积", "Area";
    /// Length field.
    Length => "长度", "Length";
    /// Project field.
    Project => "项目", "Project";
    /// Project code field.
    ProjectCode => "项目编号", "Project code";
    /// Programme field.
    Programme => "计划", "Programme";
    /// Stage field.
    Stage => "阶段", "Stage";
    /// Batch year field.
    Year => "批次年份", "Batch year";
    /// Budget field.
    Budget => "预算（万元）", "Budget (10k CNY)";
    /// Properties heading.
    Properties => "原始属性", "Properties";
    /// A plan feature without a project.
    NoProject => "（未关联项目）", "(no project)";
    /// A value that is not known.
    Unknown => "—", "—";
    /// North arrow letter.
    North => "北", "N";
    /// Metres unit.
    Metres => "米", "m";
    /// Kilometres unit.
    Kilometres => "千米", "km";
    /// Square metres unit.
    SquareMetres => "平方米", "m²";
    /// Hectares unit.
    Hectares => "公顷", "ha";
    /// Loading: creating the default workspace from the sample.
    LoadingCreateSample => "首次启动：正在用示例数据创建工作空间…", "First start: creating your workspace from the sample data…";
    /// Loading: opening the workspace.
    LoadingOpen => "正在打开工作空间…", "Opening the workspace…";
    /// Loading: building the map's shapes.
    LoadingPrepare => "正在准备地图…", "Preparing the map…";
    /// The workspace could not be opened.
    LoadFailed => "无法打开工作空间", "Could not open the workspace";
    /// The workspace file does not exist.
    WorkspaceMissing => "文件不存在", "the file does not exist";
    /// No data directory for the default workspace.
    NoDataDir => "找不到本机的用户数据目录，无法创建默认工作空间；请用 `linli open 文件.gpkg` 打开一个工作空间", "No user data directory was found for the default workspace; open one with `linli open FILE.gpkg`";
    /// Try to open the workspace again.
    Retry => "重试", "Try again";
    /// Cursor position label in the status bar.
    Cursor => "光标", "Cursor";
    /// Map scale label.
    Scale => "比例尺", "Scale";
    /// Features label in the status bar.
    Features => "要素", "features";
    /// Frame time label.
    FrameTime => "绘制", "draw";
    /// Workspace label.
    Workspace => "工作空间", "Workspace";
}

/// The name of a layer role.
pub fn role_name(lang: Lang, role: LayerRole) -> &'static str {
    match role {
        LayerRole::Streets => Text::RoleStreets,
        LayerRole::Communities => Text::RoleCommunities,
        LayerRole::Reference => Text::RoleReference,
        LayerRole::Plan => Text::RolePlan,
    }
    .get(lang)
}

/// An area for people: m² below a hectare, hectares above.
///
/// # Units
/// `area_m2` is square metres.
pub fn area_text(lang: Lang, area_m2: f64) -> String {
    if area_m2 < 10_000.0 {
        format!(
            "{} {}",
            group_thousands(area_m2.round()),
            Text::SquareMetres.get(lang)
        )
    } else {
        format!(
            "{:.2} {} ({} {})",
            area_m2 / 10_000.0,
            Text::Hectares.get(lang),
            group_thousands(area_m2.round()),
            Text::SquareMetres.get(lang)
        )
    }
}

/// A length for people.
///
/// # Units
/// `length_m` is metres.
pub fn length_text(lang: Lang, length_m: f64) -> String {
    if length_m < 1_000.0 {
        format!("{:.0} {}", length_m, Text::Metres.get(lang))
    } else {
        format!("{:.2} {}", length_m / 1_000.0, Text::Kilometres.get(lang))
    }
}

/// A scale bar's label ("500 米", "2 km").
///
/// # Units
/// `length_m` is metres.
pub fn scale_bar_text(lang: Lang, length_m: f64) -> String {
    if length_m >= 1_000.0 {
        format!(
            "{} {}",
            trim_number(length_m / 1_000.0),
            Text::Kilometres.get(lang)
        )
    } else {
        format!("{} {}", trim_number(length_m), Text::Metres.get(lang))
    }
}

/// A position in degrees as the status bar shows it.
pub fn lon_lat_text(lang: Lang, lon: f64, lat: f64) -> String {
    let ew = match (lang, lon >= 0.0) {
        (Lang::Zh, true) => "东经",
        (Lang::Zh, false) => "西经",
        (Lang::En, true) => "E",
        (Lang::En, false) => "W",
    };
    let ns = match (lang, lat >= 0.0) {
        (Lang::Zh, true) => "北纬",
        (Lang::Zh, false) => "南纬",
        (Lang::En, true) => "N",
        (Lang::En, false) => "S",
    };
    match lang {
        Lang::Zh => format!("{ew} {:.6}°，{ns} {:.6}°", lon.abs(), lat.abs()),
        Lang::En => format!("{:.6}° {ew}, {:.6}° {ns}", lon.abs(), lat.abs()),
    }
}

/// "1:25,000".
pub fn scale_ratio_text(denominator: f64) -> String {
    format!("1:{}", group_thousands(denominator.round()))
}

fn trim_number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x}")
    }
}

fn group_thousands(x: f64) -> String {
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_chinese_is_chinese() {
        for t in Text::ALL {
            let (zh, en) = (t.get(Lang::Zh), t.get(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{t:?}");
            let has_cjk = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(has_cjk || zh == en, "{t:?} has no Chinese: {zh}");
        }
    }

    #[test]
    fn formats_measures() {
        assert_eq!(area_text(Lang::En, 950.4), "950 m²");
        assert_eq!(area_text(Lang::Zh, 25_000.0), "2.50 公顷 (25,000 平方米)");
        assert_eq!(length_text(Lang::En, 1_234.0), "1.23 km");
        assert_eq!(scale_bar_text(Lang::Zh, 500.0), "500 米");
        assert_eq!(scale_bar_text(Lang::En, 2_000.0), "2 km");
        assert_eq!(scale_ratio_text(25_000.4), "1:25,000");
        assert!(lon_lat_text(Lang::Zh, 121.5, 31.2).starts_with("东经 121.500000°"));
    }
}
