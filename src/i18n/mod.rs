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

pub mod cli;
pub mod errors;

use serde::{Deserialize, Serialize};

use crate::analysis::siting::Warning;
use crate::model::LayerRole;
use crate::model::catalog::GeometryKind;

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
    ($(#[doc = $tdoc:literal])* $name:ident; $($(#[doc = $doc:literal])* $key:ident => $zh:literal, $en:literal;)*) => {
        $(#[doc = $tdoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[doc = $doc])* $key,)*
        }

        impl $name {
            /// Every text, for tests that check the table.
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                let (zh, en) = match self {
                    $($name::$key => ($zh, $en),)*
                };
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
            }
        }
    };
}

pub mod alternatives;
pub mod coverage;
pub mod district;
pub mod exports;
pub mod forms;
pub mod inputs;
pub mod people;
pub mod pins;
pub mod present;
pub mod print;
pub mod projects;
pub mod screens;
pub mod sharing;

/// Asserts that a text is translated: both languages given and different, the Chinese with
/// Chinese characters in it, the English plain ASCII (the tests of every text table).
#[cfg(test)]
pub(crate) fn assert_translated(what: &dyn std::fmt::Debug, zh: &str, en: &str) {
    assert!(!zh.is_empty() && !en.is_empty(), "{what:?}");
    assert_ne!(zh, en, "{what:?}");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what:?}: {zh}"
    );
    assert!(en.is_ascii(), "{what:?}: {en}");
}

texts! {
    /// A fixed piece of interface text.
    Text;
    /// Window title.
    AppTitle => "邻里 Linli — 社区规划工作台", "Linli 邻里 — community planning workbench";
    /// The name at the start of the top bar: the full title in Chinese; in English, whose title
    /// is twice as wide, the short name, so the bar's buttons fit on one row at 1400 px.
    TopBarTitle => "邻里 Linli — 社区规划工作台", "Linli";
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
    /// Import button and window title.
    ImportTitle => "导入图层", "Import a layer";
    /// Import form: the file.
    ImportFile => "文件", "File";
    /// Import form: the role of the new layer.
    ImportRole => "用途", "Role";
    /// Import form: the new layer's name.
    ImportLayerName => "图层名称", "Layer name";
    /// Import form: the datum of the file.
    ImportCrs => "坐标系", "Coordinates";
    /// WGS84 choice.
    CrsWgs84 => "WGS84（卫星定位、OSM）", "WGS84 (GPS, OSM)";
    /// GCJ-02 choice.
    CrsGcj02 => "GCJ-02（高德、DataV，导入时纠偏）", "GCJ-02 (Amap, DataV; converted on import)";
    /// Import CRS: as the file declares.
    CrsDeclared => "按文件声明（无声明时为 WGS84）", "As the file declares (WGS84 if none)";
    /// Import CRS: an EPSG code typed in.
    CrsEpsg => "EPSG 代码", "EPSG code";
    /// Import form: the property holding names.
    ImportNameField => "名称字段", "Name field";
    /// Import form: a Shapefile's .dbf encoding.
    ImportEncoding => "属性编码", "Text encoding";
    /// Import form: hint in the encoding field.
    ImportEncodingHint => "Shapefile：留空则自动判断（GBK、UTF-8…）", "Shapefile: empty decides (GBK, UTF-8...)";
    /// Import form: the GeoPackage table.
    ImportSourceLayer => "源图层", "Source layer";
    /// Import form: hint in the source-layer field.
    ImportSourceLayerHint => "GeoPackage：留空则取唯一的要素表", "GeoPackage: empty takes its only table";
    /// Start the import.
    ImportStart => "导入", "Import";
    /// Import form: what an import is in the history.
    ImportNotUndoable => "导入整体写入工作空间，不是一步编辑，不能用 Ctrl+Z 撤销", "An import is written to the workspace whole; it is not an edit step and Ctrl+Z does not undo it";
    /// Import stage: reading.
    ImportReading => "正在读取文件…", "Reading the file…";
    /// Import stage: checking.
    ImportChecking => "正在检查要素…", "Checking features…";
    /// Import stage: writing.
    ImportWriting => "正在写入工作空间…", "Writing to the workspace…";
    /// Central panel while importing.
    Importing => "正在导入（整层写入或完全不写入）", "Importing (the whole layer or nothing)";
    /// Import failed.
    ImportFailed => "导入失败，工作空间未改动", "Import failed; the workspace is unchanged";
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
    /// The select-and-edit tool.
    ToolSelect => "选择", "Select";
    /// Tooltip of the select tool.
    ToolSelectHint => "选择要素；拖动选中要素可移动它，拖动顶点可移动顶点，单击边线插入顶点", "Select features; drag a selected feature to move it, drag a vertex handle to move it, click an edge to insert a vertex";
    /// Tooltip line of a draw tool: how to draw.
    ToolDrawHint => "单击添加顶点，双击或回车完成，退格删除上一个顶点，Esc 取消", "Click to add vertices; double-click or Enter finishes, Backspace removes the last vertex, Esc cancels";
    /// Label before the geometry choice of a draw tool.
    DrawAs => "绘制为", "Draw as";
    /// Point geometry.
    KindPoint => "点", "point";
    /// Line geometry.
    KindLine => "线", "line";
    /// Polygon geometry.
    KindPolygon => "面", "polygon";
    /// Undo button.
    Undo => "撤销", "Undo";
    /// Redo button.
    Redo => "重做", "Redo";
    /// Undo shortcut hint.
    UndoHint => "撤销上一步编辑（Ctrl+Z）", "Undo the last edit (Ctrl+Z)";
    /// Redo shortcut hint.
    RedoHint => "重做（Ctrl+Shift+Z 或 Ctrl+Y）", "Redo (Ctrl+Shift+Z or Ctrl+Y)";
    /// Snapping toggle.
    Snap => "吸附", "Snap";
    /// Snapping tooltip.
    SnapHint => "吸附到街道、居委边界和规划要素的顶点与边线（容差以屏幕像素计）。S 键开关，按住 Alt 临时停用", "Snap to vertices and edges of street and community boundaries and plan features (tolerance in screen pixels). S toggles it; hold Alt to suspend it";
    /// Help button.
    Help => "帮助", "Help";
    /// The editing help text.
    EditingHelp => "绘制：在工具栏选择要素类型，在地图上单击添加顶点；双击或回车完成，退格删除上一个顶点，Esc 取消。\n编辑：用“选择”工具单击要素选中；拖动要素移动，拖动白色顶点移动顶点，单击（或拖动）边线插入顶点；Delete 删除选中的顶点，未选顶点时删除要素。\n吸附：默认开启，S 键开关，按住 Alt 临时停用。\n撤销 Ctrl+Z，重做 Ctrl+Shift+Z 或 Ctrl+Y；每次拖动为一步。每项编辑在显示完成前已写入工作空间文件。", "Drawing: pick an element type in the tool bar and click on the map to add vertices; double-click or Enter finishes, Backspace removes the last vertex, Esc cancels.\nEditing: with the Select tool click a feature to select it; drag it to move it, drag a white vertex handle to move the vertex, click (or drag) an edge to insert a vertex; Delete removes the selected vertex, or the feature when no vertex is selected.\nSnapping: on by default; S toggles it, hold Alt to suspend it.\nUndo Ctrl+Z, redo Ctrl+Shift+Z or Ctrl+Y; one drag is one step. Every edit is written to the workspace file before it shows as done.";
    /// Delete the selected feature.
    DeleteFeature => "删除要素", "Delete feature";
    /// Duplicate the selected feature.
    DuplicateFeature => "复制要素", "Duplicate feature";
    /// Delete the selected vertex.
    DeleteVertex => "删除顶点", "Delete vertex";
    /// Selected vertex field.
    Vertex => "选中顶点", "Selected vertex";
    /// Vertex count field.
    Vertices => "顶点数", "Vertices";
    /// Hint under the name field.
    NameHint => "回车保存", "Enter saves";
    /// Heading of the siting warnings.
    SitingWarnings => "选址提示（仅供参考，不阻止保存）", "Siting notes (guidance only; nothing is blocked)";
    /// Siting notes, short (status bar).
    SitingNotes => "选址提示", "siting notes";
    /// No siting warnings.
    SitingOk => "无选址提示", "No siting notes";
    /// Warning: the polygon crosses itself.
    WarnSelfIntersecting => "多边形自相交，面积没有意义：请调整顶点", "The polygon crosses itself, so its area means nothing: move its vertices";
    /// Warning: outside every community.
    WarnOutsideCommunities => "不在任何居委/村范围内：无法归入社区生活圈（GB 50180-2018），请核对位置", "Outside every community: it belongs to no community life circle (GB 50180-2018); check its place";
    /// Status: an edit was saved.
    Saved => "已保存", "Saved";
    /// Status: an edit was undone.
    Undone => "已撤销并保存", "Undone and saved";
    /// Status: an edit was redone.
    Redone => "已重做并保存", "Redone and saved";
    /// Status: nothing to undo.
    NothingToUndo => "没有可撤销的编辑", "Nothing to undo";
    /// Status: nothing to redo.
    NothingToRedo => "没有可重做的编辑", "Nothing to redo";
    /// Status: an edit failed.
    EditFailed => "编辑未保存", "The edit was not saved";
    /// Status: the sketch needs more vertices.
    NeedMoreVertices => "顶点不足：线至少 2 个，面至少 3 个", "Not enough vertices: a line needs 2, a polygon 3";
    /// Status: a vertex cannot be deleted.
    CannotDeleteVertex => "不能再删除顶点：线至少保留 2 个，面至少 3 个（可删除整个要素）", "Cannot delete this vertex: a line keeps 2, a polygon 3 (delete the feature instead)";
    /// Status: snapping on.
    SnapOn => "吸附已开启", "Snapping on";
    /// Status: snapping off.
    SnapOff => "吸附已关闭", "Snapping off";
    /// Edit kind: add.
    EditAdd => "新增要素", "feature added";
    /// Edit kind: delete.
    EditDelete => "删除要素", "feature deleted";
    /// Edit kind: geometry.
    EditGeometry => "修改形状", "shape changed";
    /// Edit kind: element type.
    EditElement => "更改类型", "type changed";
    /// Edit kind: rename.
    EditName => "重命名", "renamed";
    /// Edit kind: project or property.
    EditOther => "修改属性", "attributes changed";
    /// Edit kind: duplicate.
    EditDuplicate => "复制要素", "feature duplicated";
    /// Status bar: drawing.
    Drawing => "正在绘制", "Drawing";
    /// Status bar: vertices so far.
    VerticesSoFar => "个顶点", "vertices";
}

/// A message worded in both languages when it is made, so a message that stays on screen
/// (the status bar's) follows a later switch of language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    zh: String,
    en: String,
}

impl Worded {
    /// The message `word` gives in each language.
    pub fn new(word: impl Fn(Lang) -> String) -> Self {
        Self {
            zh: word(Lang::Zh),
            en: word(Lang::En),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The notice that opening a workspace upgraded it, and where the copy taken before is.
pub fn migrated_text(lang: Lang, from: i64, to: i64, backup: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!(
            "已将工作空间从第 {from} 版结构升级到第 {to} 版；升级前的副本：{}",
            backup.display()
        ),
        Lang::En => format!(
            "upgraded the workspace from schema {from} to {to}; the copy from before is {}",
            backup.display()
        ),
    }
}

/// What opening a workspace found (rows other programs wrote, features the map cannot draw):
/// the first finding, and how many more `linli check` lists.
pub fn found_on_open_text(lang: Lang, first: &crate::error::Problem, more: usize) -> String {
    let said = errors::problem_message(first, lang);
    match (lang, more) {
        (_, 0) => said,
        (Lang::Zh, n) => format!("{said}（另有 {n} 项，见 linli check）"),
        (Lang::En, n) => format!("{said} (and {n} more: see linli check)"),
    }
}

/// `label: value` with the language's punctuation (full-width colon in Chinese, ASCII in
/// English).
pub fn labelled(lang: Lang, label: &str, value: &str) -> String {
    match lang {
        Lang::Zh => format!("{label}：{value}"),
        Lang::En => format!("{label}: {value}"),
    }
}

/// `text (aside)` with the language's brackets (full-width in Chinese, ASCII in English).
pub fn with_aside(lang: Lang, text: &str, aside: &str) -> String {
    match lang {
        Lang::Zh => format!("{text}（{aside}）"),
        Lang::En => format!("{text} ({aside})"),
    }
}

/// The status line after an import.
pub fn imported_text(lang: Lang, features: usize, layer: &str) -> String {
    match lang {
        Lang::Zh => format!("已导入 {features} 个要素到“{layer}”"),
        Lang::En => format!("Imported {features} features into \"{layer}\""),
    }
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

/// The name of a geometry kind ("面", "polygon").
pub fn kind_name(lang: Lang, kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => Text::KindPoint,
        GeometryKind::Line => Text::KindLine,
        GeometryKind::Polygon => Text::KindPolygon,
    }
    .get(lang)
}

/// A siting warning as the planner reads it. `hint` is the element type's guidance in `lang`
/// (the catalog's hint, which cites its source, e.g. the MOHURD 2022 pocket park guide).
pub fn warning_text(lang: Lang, warning: &Warning, hint: &str) -> String {
    match warning {
        Warning::SelfIntersecting => Text::WarnSelfIntersecting.get(lang).to_string(),
        Warning::AreaOutOfRange {
            area_m2,
            min_m2,
            max_m2,
        } => {
            let bound = |x: Option<f64>| x.map_or_else(String::new, |v| group_thousands(v.round()));
            let range = format!("{}–{}", bound(*min_m2), bound(*max_m2));
            let area = area_text(lang, *area_m2);
            let unit = Text::SquareMetres.get(lang);
            // The element's hint says where the range comes from (住建部 2022 指引).
            let cite = if hint.is_empty() {
                String::new()
            } else {
                match lang {
                    Lang::Zh => format!("。依据：{hint}"),
                    Lang::En => format!(". Guidance: {hint}"),
                }
            };
            match lang {
                Lang::Zh => format!("面积 {area}，不在建议范围 {range} {unit} 内{cite}"),
                Lang::En => format!("Area {area} is outside the recommended {range} {unit}{cite}"),
            }
        }
        Warning::CrossesStreets { streets } => match lang {
            Lang::Zh => format!(
                "跨越街道边界（{}）：应由哪个街道负责？社区规划师按街道分工",
                streets.join("、")
            ),
            Lang::En => format!(
                "Crosses street boundaries ({}): which street owns it? Community planners work street by street",
                streets.join(", ")
            ),
        },
        Warning::OutsideCommunities => Text::WarnOutsideCommunities.get(lang).to_string(),
    }
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

    /// Texts that are rightly the same in both languages: symbols, not words.
    const SAME_IN_BOTH: &[Text] = &[
        // "—": the placeholder for an unknown value.
        Text::Unknown,
    ];

    #[test]
    fn every_text_is_translated_and_chinese_is_chinese() {
        for t in Text::ALL {
            let (zh, en) = (t.get(Lang::Zh), t.get(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{t:?}");
            if SAME_IN_BOTH.contains(t) {
                assert_eq!(zh, en, "{t:?} is on the allow-list but differs");
                continue;
            }
            assert_ne!(zh, en, "{t:?} is not translated: {zh}");
            let has_cjk = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(has_cjk, "{t:?} has no Chinese: {zh}");
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

    #[test]
    fn warnings_name_their_numbers_and_streets() {
        let w = Warning::AreaOutOfRange {
            area_m2: 250.0,
            min_m2: Some(400.0),
            max_m2: Some(10_000.0),
        };
        let zh = warning_text(Lang::Zh, &w, "住建部 2022 指引");
        assert!(
            zh.contains("250 平方米") && zh.contains("400–10,000"),
            "{zh}"
        );
        assert!(zh.contains("住建部 2022"), "{zh}");
        let en = warning_text(
            Lang::En,
            &Warning::CrossesStreets {
                streets: vec!["花木街道".into(), "塘桥街道".into()],
            },
            "",
        );
        assert!(en.contains("花木街道, 塘桥街道"), "{en}");
        assert_eq!(kind_name(Lang::Zh, GeometryKind::Polygon), "面");
    }
}
