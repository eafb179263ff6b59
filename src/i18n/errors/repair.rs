//! The words of each import [`Repair`] and of a refusal that lists several problems.

use crate::error::{GeometryPart, Problem, Repair};
use crate::i18n::Lang;
use crate::io::parsed::{EncodingSource, Gcj02Clue, ReadNote};

/// "polygon 2: " / "多边形 2：" for a repair inside one member of a MultiPolygon.
fn part_text(part: Option<GeometryPart>, lang: Lang) -> String {
    match (part, lang) {
        (None, _) => String::new(),
        (Some(GeometryPart::Line(i)), Lang::Zh) => format!("线 {i}："),
        (Some(GeometryPart::Polygon(i)), Lang::Zh) => format!("多边形 {i}："),
        (Some(GeometryPart::Line(i)), Lang::En) => format!("line {i}: "),
        (Some(GeometryPart::Polygon(i)), Lang::En) => format!("polygon {i}: "),
    }
}

/// What an import repaired, in `lang`.
///
/// ```
/// use linli::error::Repair;
/// use linli::i18n::{Lang, errors::repair_message};
/// let r = Repair::ShortRingDropped { part: None, ring: 1, found: 3 };
/// assert_eq!(repair_message(&r, Lang::En), "ring 1 had 3 positions (a ring needs 4): dropped");
/// ```
pub fn repair_message(r: &Repair, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    match r {
        Repair::RingClosed { part, ring } => {
            let part = part_text(*part, lang);
            t(
                format!("{part}环 {ring} 未闭合：已补上首个坐标点使其闭合"),
                format!("{part}ring {ring} was not closed: closed by repeating its first position"),
            )
        }
        Repair::RepeatedPositionsRemoved { count } => t(
            format!("删除了 {count} 个连续重复的坐标点"),
            format!("removed {count} repeated consecutive positions"),
        ),
        Repair::ShortRingDropped { part, ring, found } => {
            let part = part_text(*part, lang);
            t(
                format!("{part}环 {ring} 只有 {found} 个坐标点（闭合的环至少需要 4 个）：已删除"),
                format!("{part}ring {ring} had {found} positions (a ring needs 4): dropped"),
            )
        }
        Repair::FlatRingDropped { part, ring } => {
            let part = part_text(*part, lang);
            t(
                format!("{part}环 {ring} 面积为零（坐标点共线）：已删除"),
                format!(
                    "{part}ring {ring} enclosed no area (its positions lie on one line): dropped"
                ),
            )
        }
        Repair::PolygonDropped { part } => {
            let part = part_text(*part, lang);
            t(
                format!("{part}外环已删除，整个多边形（连同内环）已删除"),
                format!(
                    "{part}its exterior ring was dropped, so the polygon (and its holes) was dropped"
                ),
            )
        }
        Repair::FeatureDropped => t(
            "修复后没有剩下任何几何：该要素未导入".into(),
            "no geometry was left after repair: the feature was not imported".into(),
        ),
    }
}

/// One line of an import report: the feature, its own id when it has one, what was done.
pub fn repair_entry_message(
    feature: usize,
    source_id: Option<&str>,
    repair: &Repair,
    lang: Lang,
) -> String {
    let what = repair_message(repair, lang);
    match (source_id, lang) {
        (Some(id), Lang::Zh) => format!("要素 {feature}（id {id}）：{what}"),
        (None, Lang::Zh) => format!("要素 {feature}：{what}"),
        (Some(id), Lang::En) => format!("feature {feature} (id {id}): {what}"),
        (None, Lang::En) => format!("feature {feature}: {what}"),
    }
}

/// The heading of an import report: repairs made, features repaired, features not imported.
pub fn repair_summary_message(
    repairs: usize,
    features: usize,
    dropped: usize,
    lang: Lang,
) -> String {
    match (lang, dropped) {
        (Lang::Zh, 0) => format!("修复了 {features} 个要素中的 {repairs} 处问题，全部要素已导入"),
        (Lang::En, 0) => {
            format!("made {repairs} repairs in {features} features; every feature was imported")
        }
        (Lang::Zh, _) => format!(
            "修复了 {features} 个要素中的 {repairs} 处问题；其中 {dropped} 个要素修复后没有剩下几何，未导入"
        ),
        (Lang::En, _) => format!(
            "made {repairs} repairs in {features} features; {dropped} features were left with no geometry and not imported"
        ),
    }
}

/// A refusal listing several problems: a heading with the count, then one line per problem.
pub(super) fn several_message(
    listed: &[(Option<usize>, Problem)],
    total: usize,
    lang: Lang,
) -> String {
    let mut text = match lang {
        Lang::Zh if total > listed.len() => {
            format!("发现 {total} 个问题（列出前 {} 个）：", listed.len())
        }
        Lang::Zh => format!("发现 {total} 个问题："),
        Lang::En if total > listed.len() => {
            format!(
                "{total} problems found (the first {} listed):",
                listed.len()
            )
        }
        Lang::En => format!("{total} problems found:"),
    };
    for (feature, problem) in listed {
        let place = match (feature, lang) {
            (Some(i), Lang::Zh) => format!("要素 {i}："),
            (Some(i), Lang::En) => format!("feature {i}: "),
            (None, _) => String::new(),
        };
        text.push_str("\n  ");
        text.push_str(&place);
        text.push_str(&super::problem_message(problem, lang));
    }
    text
}

/// `--strict`'s refusal of one repair.
pub(super) fn needs_repair_message(repair: &Repair, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "需要修复（已指定 --strict，不修复）：{}",
            repair_message(repair, lang)
        ),
        Lang::En => format!(
            "would need a repair (refused under --strict): {}",
            repair_message(repair, lang)
        ),
    }
}

/// How a file was read, in `lang`: the CRS converted from, the GCJ-02 hint, the encoding.
pub fn read_note_message(note: &ReadNote, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    match note {
        ReadNote::Reprojected { from, declared } => {
            let crs = from.label();
            match declared {
                true => t(
                    format!("坐标已从文件声明的 {crs} 转换为 WGS84"),
                    format!("coordinates converted to WGS84 from {crs}, as the file declares"),
                ),
                false => t(
                    format!("坐标已从指定的 {crs} 转换为 WGS84"),
                    format!("coordinates converted to WGS84 from {crs}, as given"),
                ),
            }
        }
        ReadNote::LooksLikeGcj02 { clue } => {
            let (zh_clue, en_clue) = match clue {
                Gcj02Clue::Adcode => ("要素带有 adcode 属性", "its features carry an adcode"),
                Gcj02Clue::BareArray => (
                    "文件是 DataV 式的要素数组",
                    "it is a bare array of features, as DataV writes",
                ),
            };
            t(
                format!(
                    "按 WGS84 读取；但这个文件像是高德/DataV 导出的（{zh_clue}），其坐标为 GCJ-02：若在地图上偏移约 500 米，请以 GCJ-02 重新导入（--crs gcj02）"
                ),
                format!(
                    "read as WGS84, but the file looks like an Amap/DataV export ({en_clue}), whose coordinates are GCJ-02: if it lies about 500 m off on the map, import it again as GCJ-02 (--crs gcj02)"
                ),
            )
        }
        ReadNote::Encoding { encoding, from } => {
            let (zh_from, en_from) = match from {
                EncodingSource::Given => ("按指定", "as given"),
                EncodingSource::Cpg => ("按 .cpg 文件", "as its .cpg says"),
                EncodingSource::LanguageDriver => (
                    "按 .dbf 的语言驱动标记",
                    "as the .dbf's language driver says",
                ),
                EncodingSource::Utf8 => ("文本为有效的 UTF-8", "its text is valid UTF-8"),
                EncodingSource::GbkFallback => (
                    "文本不是 UTF-8，也未注明编码，按中文常用的 GBK；如有乱码请指定编码（命令行 --encoding，或导入窗口的“属性编码”）",
                    "its text is not UTF-8 and names no encoding, so GBK, the usual one in China; if the text looks garbled, give the encoding (--encoding, or Text encoding in the import window)",
                ),
            };
            t(
                format!(".dbf 属性按 {encoding} 解码（{zh_from}）"),
                format!(".dbf attributes decoded as {encoding} ({en_from})"),
            )
        }
        ReadNote::NoAttributes => t(
            "没有 .dbf 文件：只导入了几何，没有属性".into(),
            "no .dbf file: geometry imported without attributes".into(),
        ),
        ReadNote::DuplicateFields { renamed } => {
            let list = |arrow: &str, sep: &str| {
                renamed
                    .iter()
                    .map(|(from, to)| format!("{from}{arrow}{to}"))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            t(
                format!(
                    ".dbf 中有重名字段（中文字段名截断到 10 字节后会重名），各字段的值均已保留，后出现的已改名：{}",
                    list(" 改为 ", "、")
                ),
                format!(
                    "the .dbf has fields with the same name (Chinese names cut to 10 bytes collide); every field's values were kept, the later ones renamed: {}",
                    list(" -> ", ", ")
                ),
            )
        }
    }
}
