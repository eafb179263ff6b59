//! The words of every core [`Error`] and [`Problem`], in zh-CN and English: one table, so a
//! new variant without its two translations is a compile error (every match is exhaustive).
//!
//! English uses ASCII punctuation only (user data such as a Chinese layer name aside); Chinese
//! uses Chinese punctuation（，。：“”）. `Display` of [`Error`] and [`Problem`] is the English
//! text, implemented here so logs, `anyhow` and the window can never say different things.
//!
//! ```
//! use linli::error::{Error, Problem};
//! use linli::i18n::{Lang, errors::error_message};
//! let e = Error::input("a.geojson", Some(3), Problem::NoGeometry);
//! assert!(error_message(&e, Lang::En).starts_with("a.geojson: feature 3: has no geometry"));
//! assert!(error_message(&e, Lang::Zh).starts_with("a.geojson：要素 3：没有几何"));
//! ```

use std::fmt;

use crate::error::{Error, FileKind, GeometryPart, GeometryProblem, Problem};
use crate::i18n::{Lang, Text, role_name};
use crate::model::LayerRole;

/// The whole message of `e` in `lang`: the file and the place first, then the problem.
pub fn error_message(e: &Error, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Error::Input {
            file,
            feature,
            problem,
        } => {
            let place = match (feature, zh) {
                (Some(i), true) => format!("要素 {i}："),
                (Some(i), false) => format!("feature {i}: "),
                (None, _) => String::new(),
            };
            let sep = if zh { "：" } else { ": " };
            format!(
                "{}{sep}{place}{}",
                file.display(),
                problem_message(problem, lang)
            )
        }
        Error::Workspace { file, problem } => {
            let sep = if zh { "：" } else { ": " };
            format!("{}{sep}{}", file.display(), problem_message(problem, lang))
        }
        Error::Request(problem) => problem_message(problem, lang),
        Error::Sqlite(e) => match lang {
            Lang::Zh => format!("数据库错误：{e}"),
            Lang::En => format!("database error: {e}"),
        },
        Error::Io { path, source } => match lang {
            Lang::Zh => format!("{}：{}", path.display(), io_reason_zh(source)),
            Lang::En => format!("{}: {source}", path.display()),
        },
        Error::Cancelled => match lang {
            Lang::Zh => "已取消".to_string(),
            Lang::En => "cancelled".to_string(),
        },
    }
}

/// A core error's message in both languages, for a window that keeps an error on screen while
/// the user may switch the language (the error itself is neither `Clone` nor `Eq`).
pub fn error_text(e: &Error) -> crate::i18n::Worded {
    crate::i18n::Worded::new(|lang| error_message(e, lang))
}

/// A status line after a failure: `heading` ("编辑未保存") then why, with the language's colon.
pub fn failure_text(lang: Lang, heading: Text, e: &Error) -> String {
    crate::i18n::labelled(lang, heading.get(lang), &error_message(e, lang))
}

fn io_reason_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".to_string(),
        K::PermissionDenied => "没有访问权限".to_string(),
        K::AlreadyExists => "文件已存在".to_string(),
        K::StorageFull => "磁盘空间不足".to_string(),
        K::ReadOnlyFilesystem => "文件系统为只读".to_string(),
        _ => format!("系统错误（{e}）"),
    }
}

/// The name of a layer role given by its key, in `lang` (the key itself when unknown).
fn role_text(key: &str, lang: Lang) -> String {
    LayerRole::from_key(key).map_or_else(|| key.to_string(), |r| role_name(lang, r).to_string())
}

/// A geometry kind given by its key, in Chinese ("面"); English uses the key itself.
fn kind_zh(key: &str) -> &str {
    match key {
        "point" => "点",
        "line" => "线",
        "polygon" => "面",
        other => other,
    }
}

/// What `CannotSerialise` was writing, in Chinese (the key itself when unknown).
fn serialised_zh(what: &str) -> &str {
    match what {
        "catalog" => "要素类型目录",
        "properties" => "要素属性",
        "triggers" => "空间索引触发器",
        "spatial index" => "空间索引",
        other => other,
    }
}

/// A migration step's description (`Migration::description`) in Chinese.
fn migration_step_zh(step: &str) -> &str {
    match step {
        "projects get a stable UUID" => "为项目分配稳定的 UUID",
        "projects get their full record" => "扩充项目档案字段",
        other => other,
    }
}

/// The problem alone (no file or place) in `lang`.
pub fn problem_message(p: &Problem, lang: Lang) -> String {
    use Problem as P;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    match p {
        P::CannotOpen { reason } => t(format!("无法打开：{reason}"), format!("cannot open: {reason}")),
        P::CannotRead { reason } => t(format!("无法读取：{reason}"), format!("cannot read: {reason}")),
        P::CannotCreate { reason } => {
            t(format!("无法创建：{reason}"), format!("cannot create: {reason}"))
        }
        P::CannotMoveIntoPlace { reason } => t(
            format!("无法将新文件移到位：{reason}"),
            format!("cannot move the new file into place: {reason}"),
        ),
        P::IsFolder { expected } => match expected {
            FileKind::GeoJson => t(
                "是文件夹，不是 GeoJSON 文件".into(),
                "is a folder, not a GeoJSON file".into(),
            ),
            FileKind::Workspace => t(
                "是文件夹，不是工作空间文件".into(),
                "is a folder, not a workspace file".into(),
            ),
        },
        P::NotAFileName => t("不是文件名".into(), "not a file name".into()),
        P::TooLarge { bytes, limit_gib } => t(
            format!("文件大小为 {bytes} 字节；邻里只能导入不超过 {limit_gib} GiB 的 GeoJSON"),
            format!("the file is {bytes} bytes; Linli imports GeoJSON up to {limit_gib} GiB"),
        ),
        P::NotUtf8 { offset } => t(
            format!(
                "不是 UTF-8 文本（偏移 {offset} 处的字节无效）；GeoJSON 必须是 UTF-8 编码，如为 GBK，请先转换（iconv -f GBK -t UTF-8）"
            ),
            format!(
                "not UTF-8 text (invalid byte at offset {offset}); GeoJSON must be UTF-8: if it is GBK, convert it first (iconv -f GBK -t UTF-8)"
            ),
        ),
        P::EmptyFile => t("文件为空".into(), "the file is empty".into()),
        P::Json {
            detail,
            line,
            column,
            cut_short,
        } => {
            if zh {
                let cut = if *cut_short { "（文件不完整，可能被截断）" } else { "" };
                let detail = json::json_detail_zh(detail);
                format!("JSON 有误（第 {line} 行第 {column} 列）：{detail}{cut}")
            } else {
                let cut = if *cut_short { " (the file is cut short)" } else { "" };
                format!("{detail}{cut} at line {line} column {column}")
            }
        }
        P::NotJson => t(
            "不是 GeoJSON：文本不以 { 或 [ 开头".into(),
            "not GeoJSON: the text does not start with { or [".into(),
        ),
        P::NoTopLevelType => t(
            "不是 GeoJSON：顶层对象没有 “type”".into(),
            "not GeoJSON: the top-level object has no \"type\"".into(),
        ),
        P::UnknownGeoJsonType { found } => t(
            format!("未知的 GeoJSON 类型 “{found}”"),
            format!("unknown GeoJSON type {found:?}"),
        ),
        P::NoFeaturesArray => t(
            "FeatureCollection 需要 “features” 数组".into(),
            "a FeatureCollection needs a \"features\" array".into(),
        ),
        P::FeaturesNotArray { detail } => t(
            format!(
                "“features” 必须是由 Feature 组成的数组（{}）",
                json::json_detail_zh(detail)
            ),
            format!("\"features\" must be an array of Features ({detail})"),
        ),
        P::NoFeatures => t(
            "不含任何要素，没有可导入的内容".into(),
            "holds no features; nothing to import".into(),
        ),
        P::ForeignCrs { declared } => t(
            format!(
                "坐标系为 “{declared}”，邻里不认识它：邻里认识 WGS84、CGCS2000（经纬度与高斯-克吕格 EPSG:4491–4554）、UTM（EPSG:326xx）和 Web 墨卡托（EPSG:3857）；其他坐标系（北京 54、西安 80、地方坐标系）请先转换（ogr2ogr -t_srs EPSG:4326），若已知文件的实际坐标系，可用 --crs EPSG:代码 指定"
            ),
            format!(
                "the CRS is {declared:?}, which Linli does not know: it knows WGS84, CGCS2000 (lon/lat and Gauss-Kruger EPSG:4491-4554), UTM (EPSG:326xx) and Web Mercator (EPSG:3857); convert others (Beijing 1954, Xian 1980, local grids) first (ogr2ogr -t_srs EPSG:4326), or give the file's real CRS with --crs EPSG:NNNN"
            ),
        ),
        P::ShapefileBroken { part, detail } => t(
            format!("Shapefile 的 {part} 无法读取（已截断或损坏）：{detail}"),
            format!("the Shapefile's {part} cannot be read (cut short or damaged): {detail}"),
        ),
        P::DbfCountMismatch { shapes, records } => t(
            format!("Shapefile 的 .shp 有 {shapes} 个图形，而 .dbf 有 {records} 条记录：无法确定属性与图形的对应关系"),
            format!("the Shapefile's .shp has {shapes} shapes but its .dbf {records} records, so attributes cannot be matched to shapes"),
        ),
        P::UnknownEncoding { name } => t(
            format!("不认识编码 “{name}”（可用 GBK、GB18030、UTF-8、Big5 等）"),
            format!("unknown encoding {name:?} (try GBK, GB18030, UTF-8, Big5)"),
        ),
        P::SourceLayerNeeded { layers } => t(
            format!("这个 GeoPackage 有 {} 个要素表，请用 --source-layer 选择其一：{}", layers.len(), layers.join("、")),
            format!("this GeoPackage has {} feature tables; choose one with --source-layer: {}", layers.len(), layers.join(", ")),
        ),
        P::NoSuchSourceLayer { name, layers } => t(
            format!("没有名为 “{name}” 的要素表；可选：{}", layers.join("、")),
            format!("no feature table named {name:?}; there are: {}", layers.join(", ")),
        ),
        P::NoFeatureTables => t(
            "这个 GeoPackage 中没有要素表".into(),
            "this GeoPackage has no feature tables".into(),
        ),
        P::UnknownFormat => t(
            "不是邻里能读取的格式（GeoJSON、Shapefile 的 .shp 或 GeoPackage）".into(),
            "is not a format Linli reads (GeoJSON, a Shapefile's .shp, or a GeoPackage)".into(),
        ),
        P::PrjNotWkt { start } => t(
            format!("坐标系定义（.prj）不是 WKT 文本（开头为 “{start}”）"),
            format!("the CRS definition (.prj) is not WKT (it starts {start:?})"),
        ),
        P::NotAFeature { found } => t(
            format!("类型为 “{found}”，应为 “Feature”"),
            format!("has type {found:?}; expected \"Feature\""),
        ),
        P::FeatureHasNoType => t(
            "没有 “type”，应为 “Feature”".into(),
            "has no \"type\"; expected \"Feature\"".into(),
        ),
        P::BadFeatureId => t(
            "“id” 必须是字符串或数字".into(),
            "\"id\" must be a string or a number".into(),
        ),
        P::NoGeometry => t(
            "没有几何（为 null 或缺失）；邻里要求每个要素都有位置".into(),
            "has no geometry (null or missing); Linli needs a location for every feature".into(),
        ),
        P::GeometryHasNoType => t("几何没有 “type”".into(), "geometry has no \"type\"".into()),
        P::UnknownGeometryType { found } => t(
            format!("未知的几何类型 “{found}”"),
            format!("unknown geometry type {found:?}"),
        ),
        P::Geometry {
            kind,
            part,
            problem,
        } => {
            let part = match (part, zh) {
                (None, _) => String::new(),
                (Some(GeometryPart::Line(i)), true) => format!("线 {i}："),
                (Some(GeometryPart::Polygon(i)), true) => format!("多边形 {i}："),
                (Some(GeometryPart::Line(i)), false) => format!("line {i}: "),
                (Some(GeometryPart::Polygon(i)), false) => format!("polygon {i}: "),
            };
            let sep = if zh { "：" } else { ": " };
            format!("{kind}{sep}{part}{}", geometry_problem(problem, lang))
        }
        P::Several { listed, total } => repair::several_message(listed, *total, lang),
        P::NeedsRepair { repair } => repair::needs_repair_message(repair, lang),
        P::NotACatalog { detail } => t(
            format!("不是要素类型目录：{detail}"),
            format!("not a catalog: {detail}"),
        ),
        P::EmptyCatalog => t(
            "目录中没有任何要素类型".into(),
            "the catalog has no element types".into(),
        ),
        P::BadElementKey { element, key } => t(
            format!("要素类型 {element}：键 “{key}” 只能由 ASCII 字母、数字或 _ 组成"),
            format!("element {element}: key {key:?} must be ASCII letters, digits or _"),
        ),
        P::DuplicateElementKey { element, key } => t(
            format!("要素类型 {element}：键 “{key}” 重复出现"),
            format!("element {element}: key {key:?} appears twice"),
        ),
        P::BadElementColour { element, colour } => t(
            format!("要素类型 {element}：颜色 “{colour}” 不是 #RRGGBB 格式"),
            format!("element {element}: colour {colour:?} is not #RRGGBB"),
        ),
        P::BadSampleData { detail } => t(
            format!("内置示例数据无法读取：{detail}"),
            format!("the bundled sample data does not parse: {detail}"),
        ),
        P::SampleTakesNoCatalog => t(
            "--sample 使用内置目录，请去掉 --catalog".into(),
            "--sample uses the bundled catalog; drop --catalog".into(),
        ),
        P::PlanTakesNoLayer => t(
            "规划要素写入工作空间的规划表，请去掉 --layer".into(),
            "plan features go to the workspace's plan tables; drop --layer".into(),
        ),
        P::NoSuchWorkspaceLayer { name, layers } => t(
            format!("工作区中没有名为 “{name}” 的图层；可选：{}", layers.join("、")),
            format!("the workspace has no layer named {name:?}; there are: {}", layers.join(", ")),
        ),
        P::DistanceNotPositive { value } => t(
            format!("步行距离须为正的米数，收到 {value}"),
            format!("the walking distance must be a positive number of metres, not {value}"),
        ),
        P::NoFacilities => t(
            "没有可分析的设施：请选择要素类型（--element）或设施图层（--facilities），且其中须有要素".into(),
            "no facilities to analyse: choose element types (--element) or a facility layer (--facilities) that holds features".into(),
        ),
        P::LayerNameNeeded => t(
            "需要图层名称：--layer 名称".into(),
            "a layer name is needed: --layer NAME".into(),
        ),
        P::NotLonLat { lon, lat } => t(
            format!("({lon}, {lat}) 不是以度为单位的经纬度位置"),
            format!("({lon}, {lat}) is not a lon/lat position in degrees"),
        ),
        P::WorkspaceExists => t(
            "已存在；邻里不会覆盖已有的工作空间".into(),
            "already exists; Linli does not overwrite a workspace".into(),
        ),
        P::NoSuchWorkspace => t(
            "工作空间不存在（可用 `linli new` 创建）".into(),
            "no such workspace (create one with `linli new`)".into(),
        ),
        P::NotSqlite => t(
            "不是 GeoPackage（不是 SQLite 数据库）".into(),
            "is not a GeoPackage (not an SQLite database)".into(),
        ),
        P::NotGeoPackage => t(
            "是 SQLite 数据库，但不是 GeoPackage（application_id 不是 “GPKG”）".into(),
            "is an SQLite database but not a GeoPackage (application_id is not 'GPKG')".into(),
        ),
        P::NotLinliWorkspace => t(
            "是 GeoPackage，但不是邻里工作空间（没有 linli_meta 表）；请用 `linli new` 新建工作空间并导入其图层".into(),
            "is a GeoPackage but not a Linli workspace (it has no linli_meta table); create a workspace with `linli new` and import its layers".into(),
        ),
        P::NoSchemaVersion => t(
            "linli_meta 中没有可读的架构版本".into(),
            "has no readable schema version in linli_meta".into(),
        ),
        P::NewerSchema { found, supported } => t(
            format!(
                "由更新版本的邻里写入（工作空间架构版本 {found}，本程序最高读取 {supported}）；文件未被修改，请更新邻里后再打开"
            ),
            format!(
                "was written by a newer Linli (workspace schema {found}; this program reads up to {supported}); it was not modified: update Linli to open it"
            ),
        ),
        P::DamagedOrNotWorkspace { detail } => t(
            format!("文件已损坏或不是工作空间：{detail}"),
            format!("the file is damaged or not a workspace: {detail}"),
        ),
        P::Damaged { detail } => t(
            format!("文件已损坏：{detail}"),
            format!("the file is damaged: {detail}"),
        ),
        P::NoWal { mode } => t(
            format!("无法将日志模式切换为 WAL（当前为 {mode}）"),
            format!("cannot switch the journal to WAL (got {mode})"),
        ),
        P::CatalogEntryUnreadable { key, detail } => t(
            format!("目录条目 “{key}” 无法读取：{detail}"),
            format!("catalog entry {key:?} is unreadable: {detail}"),
        ),
        P::UnreadableGeometry { layer, feature } => t(
            format!("图层 “{layer}”：要素 {feature} 的几何无法读取"),
            format!("layer {layer:?}: feature {feature} has an unreadable geometry"),
        ),
        P::FeatureIdNotUuid { text } => t(
            format!("要素标识 “{text}” 不是 UUID"),
            format!("feature id {text:?} is not a UUID"),
        ),
        P::BadTableName { name, detail } => t(
            format!("表名 “{name}” 无效：{detail}"),
            format!("bad table name {name:?}: {detail}"),
        ),
        P::CannotEncodeGeometry { detail } => t(
            format!("无法编码几何：{detail}"),
            format!("cannot encode geometry: {detail}"),
        ),
        P::CannotSerialise { what, detail } => t(
            format!("无法写入{}：{detail}", serialised_zh(what)),
            format!("cannot write {what}: {detail}"),
        ),
        P::LayerNameEmpty => t("图层名称为空".into(), "the layer name is empty".into()),
        P::LayerNameInvalid { name } => t(
            format!("图层名称 “{name}”：最多 100 个字符，不能含引号或控制字符"),
            format!("layer name {name:?}: use at most 100 characters, no quotes or control characters"),
        ),
        P::LayerNameReserved { name } => t(
            format!("图层名称 “{name}” 为保留名称（以 gpkg_、rtree_、linli_、sqlite_ 或 plan_ 开头）"),
            format!("layer name {name:?} is reserved (it starts with gpkg_, rtree_, linli_, sqlite_ or plan_)"),
        ),
        P::LayerNameTaken { name } => t(
            format!("工作空间中已有名为 “{name}” 的图层"),
            format!("the workspace already has a layer named {name:?}"),
        ),
        P::ProjectCodeTaken { code } => t(
            format!("编号为 “{code}” 的项目已存在"),
            format!("a project with code {code:?} already exists"),
        ),
        P::PlanFeatureMixedGeometry { id } => t(
            format!("规划要素 {id}：只能是点、线或面中的一种，不能混合"),
            format!("plan feature {id}: a plan feature is points, lines or polygons, not a mix"),
        ),
        P::ProjectIdTaken { id } => t(
            format!("标识为 {id} 的项目已存在"),
            format!("a project with id {id} already exists"),
        ),
        P::NoProjectWithId { id } => t(
            format!("没有标识为 {id} 的项目"),
            format!("there is no project with id {id}"),
        ),
        P::CannotMigrate { found, first, last } => t(
            format!("工作空间架构版本为 {found}，本程序无法升级（只能将架构 {first} 升级到 {last}）"),
            format!(
                "has workspace schema {found}, which this program cannot migrate (it migrates schemas {first} to {last})"
            ),
        ),
        P::MigrationBusy => t(
            "需要升级架构，但另一个程序正在使用此文件；请在那里关闭后重新打开".into(),
            "needs a schema upgrade but another program is using it; close it there and open it again".into(),
        ),
        P::MigrationStepFailed {
            from,
            to,
            step,
            cause,
            backup,
        } => t(
            format!(
                "从工作空间架构 {from} 升级到 {to}（{}）失败：{}；文件保持原样（副本位于 {}）",
                migration_step_zh(step),
                problem_message(cause, lang),
                backup.display()
            ),
            format!(
                "upgrading from workspace schema {from} to {to} ({step}) failed: {}; the file was left as it was (a copy is at {})",
                problem_message(cause, lang),
                backup.display()
            ),
        ),
        P::MigrationNotSaved { from, detail } => t(
            format!("从工作空间架构 {from} 升级时保存失败：{detail}；文件保持原样"),
            format!(
                "upgrading from workspace schema {from} failed when saving: {detail}; the file was left as it was"
            ),
        ),
        P::BackupFailed { backup, reason } => t(
            format!(
                "需要升级架构，但无法写入备份副本 {}（{reason}）；文件未被修改",
                backup.display()
            ),
            format!(
                "needs a schema upgrade, but its backup copy {} could not be written ({reason}); it was not modified",
                backup.display()
            ),
        ),
        P::TooManyBackups { count } => t(
            format!("需要升级架构，但已有 {count} 个备份；请先移走一些"),
            format!("needs a schema upgrade but {count} backups of it exist already; move some away"),
        ),
        P::Database { detail } => t(
            format!("数据库错误（{detail}）"),
            format!("database error: {detail}"),
        ),
        P::FileSystem { path, reason } => t(
            format!("{}：系统错误（{reason}）", path.display()),
            format!("{}: {reason}", path.display()),
        ),
        P::Cancelled => t("已取消".into(), "cancelled".into()),
        P::UnsupportedPlanGeometry { id } => t(
            format!("规划要素 {id}：不支持的几何类型"),
            format!("plan feature {id}: unsupported geometry"),
        ),
        P::RoleLayerExists { role, existing } => t(
            format!(
                "工作空间已有{}图层（“{existing}”）；请用 --role reference 导入此图层",
                role_text(role, lang)
            ),
            format!(
                "the workspace already has a {role} layer ({existing:?}); import this one with --role reference"
            ),
        ),
        P::FeatureNameMissing { field, role } => t(
            format!(
                "属性 “{field}” 中没有名称；{}图层的要素需要名称（可用 --name-field 指定字段）",
                role_text(role, lang)
            ),
            format!(
                "has no name in property {field:?}; {role} need names (choose the field with --name-field)"
            ),
        ),
        P::NotAPolygonForRole { role } => t(
            format!("不是面；{}图层的要素必须是面", role_text(role, lang)),
            format!("is not a polygon; {role} must be polygons"),
        ),
        P::ElementTypeNotText => t(
            "“element_type” 必须是字符串".into(),
            "\"element_type\" must be a string".into(),
        ),
        P::ElementTypeMissing => t(
            "没有 “element_type”；规划要素需要目录中的一种要素类型".into(),
            "has no \"element_type\"; a plan feature needs one of the catalog's types".into(),
        ),
        P::UnknownElementType { element } => t(
            format!("要素类型 “{element}” 不在目录中"),
            format!("element type {element:?} is not in the catalog"),
        ),
        P::MixedGeometry => t(
            "规划要素只能是点、线或面中的一种，不能混合".into(),
            "a plan feature is points, lines or polygons, not a mix".into(),
        ),
        P::KindNotAllowed {
            name_zh,
            key,
            allowed,
            found,
        } => t(
            format!(
                "{name_zh}（{key}）应绘制为{}；此要素为{}",
                allowed.iter().map(|k| kind_zh(k)).collect::<Vec<_>>().join("或"),
                kind_zh(found)
            ),
            format!(
                "{name_zh} ({key}) is drawn as {}; this feature is a {found}",
                allowed.join(" or ")
            ),
        ),
        P::NoPlanFeature { id } => t(format!("没有规划要素 {id}"), format!("no plan feature {id}")),
        P::PlanFeatureExists { id } => t(
            format!("规划要素 {id} 已存在"),
            format!("a plan feature {id} already exists"),
        ),
        P::NoSuchProject { code } => t(
            format!("没有编号为 “{code}” 的项目"),
            format!("no project with code {code:?}"),
        ),
        P::NotLonLatPosition { x, y } => t(
            format!("({x}, {y}) 不是经纬度位置"),
            format!("({x}, {y}) is not a lon/lat position"),
        ),
        P::MalformedPlanGeometry => t(
            "线至少需要两个坐标点，面至少需要一个由四个坐标点组成的闭合环".into(),
            "a line needs two positions and a polygon a closed ring of at least four".into(),
        ),
        P::UnknownStreet { street } => t(
            format!("工作空间的街道图层中没有名为 “{street}” 的街道"),
            format!("no street named {street:?} in the workspace's streets layer"),
        ),
        P::CannotBeDrawnAs { name_zh, key, kind } => t(
            format!("{name_zh}（{key}）不能绘制为{}", kind_zh(kind)),
            format!("{name_zh} ({key}) cannot be drawn as a {kind}"),
        ),
        P::ProjectNameEmpty => t("项目需要名称".into(), "a project needs a name".into()),
        P::YearOutOfRange { year, first, last } => t(
            format!("年份 {year} 不在 {first}–{last} 之间"),
            format!("the year {year} is not between {first} and {last}"),
        ),
        P::UnknownWorkflow { key } => t(
            format!("没有名为 “{key}” 的流程模板"),
            format!("there is no workflow template {key:?}"),
        ),
        P::UnknownStage { stage, workflow } => {
            let workflows = crate::model::workflow::Workflows::bundled();
            let name = workflows
                .get(workflow)
                .map_or(workflow.as_str(), |w| crate::i18n::projects::workflow_name(lang, w))
                .to_string();
            t(
                format!("流程“{name}”中没有阶段 “{stage}”"),
                format!("the workflow {name:?} has no stage {stage:?}"),
            )
        }
        P::AmountNegative { value } => t(
            format!("金额 {value} 万元不能为负数"),
            format!("the amount {value} (10,000 CNY) cannot be negative"),
        ),
        P::FundingSourceEmpty => t("资金来源需要名称".into(), "a funding source needs a name".into()),
        P::FundingOverBudget {
            total_wan,
            budget_wan,
        } => t(
            format!("各资金来源合计 {total_wan} 万元，超过预算 {budget_wan} 万元"),
            format!(
                "the funding sources add up to {total_wan} (10,000 CNY), more than the budget of {budget_wan}"
            ),
        ),
        P::ProgressOutOfRange { value } => t(
            format!("进度 {value}% 不在 0–100% 之间"),
            format!("a progress of {value}% is not between 0 and 100%"),
        ),
        P::MeetingNeedsProject { kind } => {
            let name = crate::model::project::MeetingKind::from_key(kind)
                .map_or(kind.as_str(), |k| crate::i18n::projects::meeting_kind_name(lang, k));
            t(
                format!("{name}需要所属项目"),
                format!("a {name} belongs to a project"),
            )
        }
        P::MeetingPinOffMap { index } => t(
            format!("第 {index} 条意见或投票的位置不在地图范围内"),
            format!("comment or vote {index} is pinned off the map"),
        ),
        P::MeetingVoteValue { index } => t(
            format!("第 {index} 条：投票需要选择支持、反对或弃权，意见不带票"),
            format!("note {index}: a vote needs for, against or abstain, and a comment takes none"),
        ),
        P::MeetingViewInvalid => t(
            "会议视图的中心不在地图范围内或缩放级别不在 0–24 之间".to_string(),
            "the meeting's map view has its centre off the map or a zoom outside 0 to 24".to_string(),
        ),
        P::AttachmentTooLarge {
            size_bytes,
            limit_bytes,
        } => {
            let mb = |b: u64| format!("{:.1}", b as f64 / 1_048_576.0);
            t(
                format!("文件有 {} MB，附件最大 {} MB", mb(*size_bytes), mb(*limit_bytes)),
                format!(
                    "the file is {} MB; an attachment may be at most {} MB",
                    mb(*size_bytes),
                    mb(*limit_bytes)
                ),
            )
        }
        P::AttachmentTypeUnknown => t(
            "文件内容不是图片（PNG、JPEG、GIF、WebP）也不是 PDF".to_string(),
            "the file's content is neither an image (PNG, JPEG, GIF, WebP) nor a PDF".to_string(),
        ),
        P::AttachmentEmpty => t(
            "文件是空的".to_string(),
            "the file is empty".to_string(),
        ),
        P::NoAttachmentWithId { id } => t(
            format!("没有标识为 {id} 的附件"),
            format!("there is no attachment with id {id}"),
        ),
        P::UnknownAttachmentKind { kind } => t(
            format!("未知的附件类别 “{kind}”"),
            format!("unknown attachment kind {kind:?}"),
        ),
        P::UnknownMeetingKind { kind } => t(
            format!("未知的会议类型 “{kind}”"),
            format!("unknown meeting kind {kind:?}"),
        ),
        P::NoMeetingWithId { id } => t(
            format!("没有标识为 {id} 的会议"),
            format!("there is no meeting with id {id}"),
        ),
        P::RosterNameEmpty { record } => t(
            format!("{}需要名称", roster_record(true, record)),
            format!("{} needs a name", roster_record(false, record)),
        ),
        P::RosterNameTaken { record, name } => t(
            format!("名册中已有名为 “{name}” 的{}", roster_record(true, record)),
            format!("the roster already has {} named {name:?}", roster_record(false, record)),
        ),
        P::NoRosterRecord { record, id } => t(
            format!("没有标识为 {id} 的{}", roster_record(true, record)),
            format!("there is no record of {} with id {id}", roster_record(false, record)),
        ),
        P::OwnerNotOnRoster { name } => t(
            format!("负责人 “{name}” 不在人员或单位名册中"),
            format!("the owner {name:?} is neither a person nor an organisation on the roster"),
        ),
        P::UnknownRosterCode { field, value } => t(
            format!("名册字段 {field} 的未知取值 “{value}”"),
            format!("unknown value {value:?} in the roster's {field} column"),
        ),
        P::OutputNeeded => t(
            "--format csv 需要用 -o 指定输出文件".into(),
            "--format csv needs an output file (-o FILE)".into(),
        ),
        P::NotANumber { text } => t(
            format!("“{text}” 不是数字"),
            format!("{text:?} is not a number"),
        ),
        P::DateNotValid { text } => t(
            format!("“{text}” 不是有效日期（应为 YYYY-MM-DD，如 2024-03-15）"),
            format!("{text:?} is not a date (YYYY-MM-DD, e.g. 2024-03-15)"),
        ),
        P::ProjectFieldInvalid { field, problem } => {
            let name = crate::i18n::projects::field_name(lang, field);
            crate::i18n::labelled(lang, name, &problem_message(problem, lang))
        }
        P::ProjectCodeEmpty => t(
            "项目编号不能为空".to_string(),
            "a project needs a code".to_string(),
        ),
        P::ProjectCodeNotText => t(
            "“project_code” 必须是文本".to_string(),
            "\"project_code\" must be a string".to_string(),
        ),
        P::EmptyCommand => t(
            "空操作，没有任何改动".to_string(),
            "an empty command changes nothing".to_string(),
        ),
        P::IntegrityCheck { detail } => t(
            format!("SQLite 完整性检查：{detail}"),
            format!("SQLite integrity: {detail}"),
        ),
        P::WrongApplicationId { found } => t(
            format!("application_id 为 {found:#x}，不是 “GPKG”"),
            format!("application_id is {found:#x}, not 'GPKG'"),
        ),
        P::WrongUserVersion { found, expected } => t(
            format!("user_version 为 {found}，应为 {expected}（GeoPackage 1.2）"),
            format!("user_version is {found}, expected {expected} (GeoPackage 1.2)"),
        ),
        P::TableMissing { table } => {
            t(format!("缺少表 {table}"), format!("table {table} is missing"))
        }
        P::SpatialRefSysIncomplete => t(
            "gpkg_spatial_ref_sys 缺少必需的 EPSG:4326、0 或 -1 记录".into(),
            "gpkg_spatial_ref_sys lacks one of the required EPSG:4326, 0 and -1 rows".into(),
        ),
        P::ForeignKeyViolations { count } => t(
            format!("{count} 处外键约束冲突"),
            format!("{count} foreign key violations"),
        ),
        P::LayerWithoutTable { layer } => t(
            format!("图层 “{layer}” 列在 linli_layers 中，但 gpkg_contents 中没有它的要素表"),
            format!("layer {layer:?} is listed in linli_layers but has no feature table in gpkg_contents"),
        ),
        P::PlanFeatureInTwoTables { id } => t(
            format!("规划要素 {id} 出现在多个规划表中"),
            format!("plan feature {id} appears in more than one plan table"),
        ),
        P::PlanFeatureUnknownElement { id, element } => t(
            format!("规划要素 {id} 的要素类型 “{element}” 不在目录中"),
            format!("plan feature {id} has element type {element:?}, which is not in the catalog"),
        ),
        P::WorkspaceReadOnly => t(
            "以只读方式打开，未作任何修改".to_string(),
            "is open read-only; nothing was changed".to_string(),
        ),
        P::OldSchemaReadOnly { found, oldest } => t(
            format!(
                "由旧版邻里写入（工作空间架构版本 {found}），只读命令只读取第 {oldest} 版及以上；文件未被修改，请先运行 linli upgrade 升级"
            ),
            format!(
                "was written by an older Linli (workspace schema {found}); read-only commands read schema {oldest} and newer as they are, and the file was not modified: run linli upgrade first"
            ),
        ),
        P::UnreadablePlanRow { table, fid, detail } => t(
            format!("{table} 第 {fid} 行无法读取，未载入（{detail}）；其余内容已打开"),
            format!("{table} row {fid} cannot be read and was left out ({detail}); everything else opened"),
        ),
        P::PlanIdReplaced {
            table,
            fid,
            found,
            id,
            written: true,
        } => t(
            format!("{table} 第 {fid} 行的标识 “{found}” 不是 UUID 或与他行重复，已改为 {id}"),
            format!("{table} row {fid}: id {found:?} was not a UUID or repeated another row's; it is now {id}"),
        ),
        P::PlanIdReplaced {
            table,
            fid,
            found,
            id,
            written: false,
        } => t(
            format!(
                "{table} 第 {fid} 行的标识 “{found}” 不是 UUID 或与他行重复；只读打开，暂以 {id} 代之，以编辑方式打开时写入新标识"
            ),
            format!(
                "{table} row {fid}: id {found:?} is not a UUID or repeats another row's; read-only, so {id} stands in for it until the workspace is opened for editing"
            ),
        ),
        P::UnparsedProperties { table, fid } => t(
            format!(
                "{table} 第 {fid} 行的属性不是 JSON 对象，已原样保留（属性 linli_unparsed_properties）"
            ),
            format!(
                "{table} row {fid}: properties are not a JSON object; kept verbatim (property linli_unparsed_properties)"
            ),
        ),
        P::ChangedElsewhere { name, id } => t(
            format!("要素 “{name}”（{id}）已被其他程序修改，为保留其修改，未撤销或重做"),
            format!(
                "feature {name:?} ({id}) was changed by another program since; undo/redo refused so as not to overwrite that change"
            ),
        ),
        P::UnknownElementShown { id, element } => t(
            format!("规划要素 {id} 的要素类型 “{element}” 不在目录中，按原样显示"),
            format!("plan feature {id} has element type {element:?}, which is not in the catalog; shown as it is"),
        ),
        P::TessellationFailed {
            layer,
            feature,
            detail,
        } => t(
            format!("图层 “{layer}” 要素 {feature} 无法绘制（{detail}），其余要素照常显示"),
            format!("layer {layer:?}: feature {feature} cannot be drawn ({detail}); the others are shown"),
        ),
        P::PlanFeatureUnknownProject { id, code } => t(
            format!("规划要素 {id} 关联的项目 “{code}” 不存在"),
            format!("plan feature {id} links to project {code:?}, which does not exist"),
        ),
        P::NoGeometryColumn { table, column } => t(
            format!("{table}：gpkg_geometry_columns 中没有 {column}（EPSG:4326）的记录"),
            format!("{table}: no gpkg_geometry_columns row for {column} in EPSG:4326"),
        ),
        P::SpatialIndexMissing { table, index } => t(
            format!("{table}：缺少空间索引 {index}"),
            format!("{table}: spatial index {index} is missing"),
        ),
        P::SpatialIndexTriggersMissing {
            table,
            found,
            expected,
        } => t(
            format!("{table}：空间索引触发器不全（{found}/{expected}）"),
            format!("{table}: spatial index triggers are missing ({found} of {expected})"),
        ),
        P::WrongSrsId {
            table,
            fid,
            found,
            expected,
        } => t(
            format!("{table}：要素 {fid} 的 srs_id 为 {found}（应为 {expected}）"),
            format!("{table}: feature {fid} has srs_id {found} (expected {expected})"),
        ),
        P::InvalidGeometryBlobs { table, count } => t(
            format!("{table}：{count} 个几何不是有效的 GeoPackage 几何数据"),
            format!("{table}: {count} geometries are not valid GeoPackage blobs"),
        ),
        P::SpatialIndexInconsistent {
            table,
            geometries,
            entries,
            wrong,
        } => t(
            format!("{table}：空间索引不一致（{geometries} 个几何，{entries} 个索引项，{wrong} 个缺失或错误）"),
            format!("{table}: spatial index is inconsistent ({geometries} geometries, {entries} index entries, {wrong} missing or wrong)"),
        ),
        // Transitional: English words from the session, shown as they are.
    }
}

fn geometry_problem(p: &GeometryProblem, lang: Lang) -> String {
    use GeometryProblem as G;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    match p {
        G::NestedTooDeep { max } => t(
            format!("嵌套超过 {max} 层"),
            format!("nested more than {max} levels deep"),
        ),
        G::NeedsGeometries => t(
            "需要 “geometries” 数组".into(),
            "needs a \"geometries\" array".into(),
        ),
        G::EmptyCollection => t("为空".into(), "is empty".into()),
        G::NeedsCoordinates => t(
            "需要 “coordinates” 数组".into(),
            "needs a \"coordinates\" array".into(),
        ),
        G::NoPoints => t("没有点".into(), "has no points".into()),
        G::NoLines => t("没有线".into(), "has no lines".into()),
        G::NoPolygons => t("没有多边形".into(), "has no polygons".into()),
        G::LineTooShort { found } => t(
            format!("线至少需要 2 个坐标点，这条只有 {found} 个"),
            format!("a line needs at least 2 positions, this one has {found}"),
        ),
        G::NoRings => t(
            "多边形至少需要一个环".into(),
            "a polygon needs at least one ring".into(),
        ),
        G::RingTooShort { ring, found } => t(
            format!("环 {ring} 只有 {found} 个坐标点；闭合的环至少需要 4 个"),
            format!("ring {ring} has {found} positions; a ring needs at least 4 (closed)"),
        ),
        G::RingNotClosed { ring } => t(
            format!("环 {ring} 未闭合（首尾坐标点不同）"),
            format!("ring {ring} is not closed (its first and last positions differ)"),
        ),
        G::NotFinite { x, y } => t(
            format!("坐标 ({x}, {y}) 不是有限数值"),
            format!("coordinate ({x}, {y}) is not a finite number"),
        ),
        G::NotDegrees { x, y } => t(
            format!(
                "坐标 ({x}, {y}) 不是经纬度：文件看来是投影坐标（单位为米），却没有声明坐标系；若已知其坐标系，用 --crs EPSG:代码 指定（如高斯-克吕格 120°E 为 EPSG:4549），否则请先重投影（ogr2ogr -t_srs EPSG:4326）"
            ),
            format!(
                "coordinate ({x}, {y}) is not in degrees: the file looks projected (metres) but declares no CRS; give it with --crs EPSG:NNNN (e.g. EPSG:4549 for Gauss-Kruger CM 120E) or reproject it first (ogr2ogr -t_srs EPSG:4326)"
            ),
        ),
        G::OutsideCrs { x, y, crs } => t(
            format!("坐标 ({x}, {y}) 在 {crs} 中换算不出经纬度：文件的坐标系似乎不是 {crs}"),
            format!(
                "coordinate ({x}, {y}) does not convert to lon/lat in {crs}: the file's CRS does not look like {crs}"
            ),
        ),
        G::LatitudeBeyond90 { x, y } => t(
            format!(
                "坐标 ({x}, {y}) 的纬度超出 ±90°：经度和纬度似乎颠倒了（GeoJSON 的顺序是经度、纬度）"
            ),
            format!(
                "coordinate ({x}, {y}) has latitude beyond +/-90 degrees: lon and lat look swapped (GeoJSON is lon, lat)"
            ),
        ),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&error_message(self, Lang::En))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&problem_message(self, Lang::En))
    }
}

mod json;
mod repair;
pub use repair::{read_note_message, repair_entry_message, repair_message, repair_summary_message};
#[cfg(test)]
mod tests;

/// What a roster record is called (in English with its article): `person`, `organisation`,
/// `task`.
fn roster_record(zh: bool, record: &str) -> &'static str {
    match (record, zh) {
        ("person", true) => "人员",
        ("person", false) => "a person",
        ("organisation", true) => "单位",
        ("organisation", false) => "an organisation",
        (_, true) => "任务",
        (_, false) => "a task",
    }
}
