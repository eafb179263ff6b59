//! The words of problems with an input file: reading it, its JSON and GeoJSON, Shapefiles and GeoPackage sources, and geometry.

use super::*;

/// The words of a problem of this family in `lang`; `None` for a problem of another.
pub(super) fn message(p: &Problem, lang: Lang) -> Option<String> {
    use Problem as P;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    Some(match p {
        P::CannotOpen { reason } => t(
            format!("无法打开：{reason}"),
            format!("cannot open: {reason}"),
        ),
        P::CannotRead { reason } => t(
            format!("无法读取：{reason}"),
            format!("cannot read: {reason}"),
        ),
        P::CannotCreate { reason } => t(
            format!("无法创建：{reason}"),
            format!("cannot create: {reason}"),
        ),
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
                let cut = if *cut_short {
                    "（文件不完整，可能被截断）"
                } else {
                    ""
                };
                let detail = json::json_detail_zh(detail);
                format!("JSON 有误（第 {line} 行第 {column} 列）：{detail}{cut}")
            } else {
                let cut = if *cut_short {
                    " (the file is cut short)"
                } else {
                    ""
                };
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
            format!(
                "Shapefile 的 .shp 有 {shapes} 个图形，而 .dbf 有 {records} 条记录：无法确定属性与图形的对应关系"
            ),
            format!(
                "the Shapefile's .shp has {shapes} shapes but its .dbf {records} records, so attributes cannot be matched to shapes"
            ),
        ),
        P::UnknownEncoding { name } => t(
            format!("不认识编码 “{name}”（可用 GBK、GB18030、UTF-8、Big5 等）"),
            format!("unknown encoding {name:?} (try GBK, GB18030, UTF-8, Big5)"),
        ),
        P::SourceLayerNeeded { layers } => t(
            format!(
                "这个 GeoPackage 有 {} 个要素表，请用 --source-layer 选择其一：{}",
                layers.len(),
                layers.join("、")
            ),
            format!(
                "this GeoPackage has {} feature tables; choose one with --source-layer: {}",
                layers.len(),
                layers.join(", ")
            ),
        ),
        P::NoSuchSourceLayer { name, layers } => t(
            format!("没有名为 “{name}” 的要素表；可选：{}", layers.join("、")),
            format!(
                "no feature table named {name:?}; there are: {}",
                layers.join(", ")
            ),
        ),
        P::NoFeatureTables => t(
            "这个 GeoPackage 中没有要素表".into(),
            "this GeoPackage has no feature tables".into(),
        ),
        P::NotATable { name } => t(
            format!("文件列出的 “{name}” 不是数据表（可能是视图），不予读取"),
            format!(
                "the file lists {name:?}, which is not a table (perhaps a view); it is not read"
            ),
        ),
        P::ForeignReadStalled { seconds } => t(
            format!("读取超过 {seconds} 秒仍无进展，已停止（文件的结构可能有意使读取无法结束）"),
            format!(
                "reading made no progress for {seconds} s and was stopped (the file may be built so that reading never ends)"
            ),
        ),
        P::NotMbTiles => t(
            "不是 MBTiles 瓦片文件（没有 tiles 或 metadata 表）".into(),
            "is not an MBTiles file (no tiles or metadata table)".into(),
        ),
        P::NoTiles => t(
            "这个 MBTiles 文件中没有瓦片".into(),
            "this MBTiles file has no tiles".into(),
        ),
        P::TileTooLarge { width, height, max } => t(
            format!("瓦片为 {width}×{height} 像素，超过上限 {max} 像素，不予显示"),
            format!(
                "a tile of {width}x{height} pixels is larger than the {max}-pixel limit and is not shown"
            ),
        ),
        P::UnknownFormat => t(
            "不是邻里能读取的格式（GeoJSON、Shapefile 的 .shp 或 GeoPackage）".into(),
            "is not a format Linli reads (GeoJSON, a Shapefile's .shp, or a GeoPackage)".into(),
        ),
        P::PrjNotWkt { start } => t(
            format!("坐标系定义（.prj）不是 WKT 文本（开头为 “{start}”）"),
            format!("the CRS definition (.prj) is not WKT (it starts {start:?})"),
        ),
        P::CrsNumberOutOfRange { parameter, value } => t(
            format!(
                "坐标系定义（.prj）中的 {parameter} 为 {value}，超出任何坐标系可能的取值，未按其换算坐标（文件可能已损坏）"
            ),
            format!(
                "the CRS definition (.prj) gives {parameter} as {value}, beyond what any CRS uses; coordinates were not converted with it (the file may be damaged)"
            ),
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
        _ => return None,
    })
}
