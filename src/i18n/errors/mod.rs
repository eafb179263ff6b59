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

use crate::error::{DatabaseCode, Error, FileKind, GeometryPart, GeometryProblem, Problem};
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
        Error::Database { code, message } => database_message(*code, message, lang),
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

/// SQLite failed underneath: its words, after what they mean for the user where the core
/// tells the failure apart (another program holding the file, a full disk).
fn database_message(code: DatabaseCode, message: &str, lang: Lang) -> String {
    match (code, lang) {
        (DatabaseCode::Busy | DatabaseCode::Locked, Lang::Zh) => {
            format!("数据库错误：文件正被其他程序占用，请稍后再试（{message}）")
        }
        (DatabaseCode::Busy | DatabaseCode::Locked, Lang::En) => {
            format!(
                "database error: the file is in use by another program; try again later ({message})"
            )
        }
        (DatabaseCode::DiskFull, Lang::Zh) => format!("数据库错误：磁盘空间不足（{message}）"),
        (DatabaseCode::DiskFull, Lang::En) => {
            format!("database error: the disk is full ({message})")
        }
        (_, Lang::Zh) => format!("数据库错误：{message}"),
        (_, Lang::En) => format!("database error: {message}"),
    }
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
    input::message(p, lang)
        .or_else(|| records::message(p, lang))
        .or_else(|| workspace::message(p, lang))
        .or_else(|| sync::message(p, lang))
        // Never reached: every problem belongs to one family (the language tests sample each).
        .unwrap_or_else(|| format!("{p:?}"))
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

mod input;
mod json;
mod records;
mod repair;
mod sync;
mod workspace;
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
