//! `linli blueprint`: gathers what a sheet shows from the session (the area's outline, the
//! boundary layers, the plan, the area's projects with their stages and meetings, the data
//! note) as plain [`BlueprintInput`], renders it with [`crate::print`] and writes it through
//! the one output door. The window's print dialog uses the same [`gather`].

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::i18n::print as words;
use crate::i18n::projects::{meeting_kind_name, stage_name};
use crate::model::LayerRole;
use crate::model::local_time::LocalZone;
use crate::print::{self, AreaKind, BlueprintInput, Format, PageSpec, ProjectLine};
use crate::session::Session;

/// The area a sheet shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AreaChoice {
    /// A street by name.
    Street(String),
    /// A community by name.
    Community(String),
    /// A project by code.
    Project(String),
}

fn role_of(kind: AreaKind) -> LayerRole {
    match kind {
        AreaKind::Street => LayerRole::Streets,
        _ => LayerRole::Communities,
    }
}

/// The names of the areas of `kind` (street or community), sorted, each once.
pub fn area_names(session: &Session, kind: AreaKind) -> Vec<String> {
    let role = role_of(kind);
    let mut names: Vec<String> = session
        .layers()
        .iter()
        .filter(|l| l.role == role)
        .flat_map(|l| l.features.iter().map(|f| f.name.trim().to_string()))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Up to five names closest to `wanted`: those containing it or contained in it first, then
/// by edit distance (characters, so Chinese counts per character).
pub fn close_names(names: &[String], wanted: &str) -> Vec<String> {
    let wanted = wanted.trim();
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .map(|n| {
            let d = if n.contains(wanted) || wanted.contains(n.as_str()) {
                0
            } else {
                edit_distance(n, wanted)
            };
            (d, n)
        })
        .filter(|(d, n)| *d <= (n.chars().count().max(wanted.chars().count()) / 2).max(1))
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n.clone()).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// What the sheet of `area` shows, from the session, worded in `lang`.
///
/// # Errors
/// [`Problem::NoSuchArea`] (with the closest names) for a street or community the boundary
/// layers do not have; [`Problem::NoSuchProject`] for an unknown project code.
pub fn gather(session: &Session, area: &AreaChoice, lang: Lang) -> Result<BlueprintInput> {
    let catalog = session.catalog().clone();
    let (kind, name) = match area {
        AreaChoice::Street(n) => (AreaKind::Street, n.trim().to_string()),
        AreaChoice::Community(n) => (AreaKind::Community, n.trim().to_string()),
        AreaChoice::Project(c) => (AreaKind::Project, c.trim().to_string()),
    };
    let boundary_layers: Vec<crate::model::Layer> = session
        .layers()
        .iter()
        .filter(|l| matches!(l.role, LayerRole::Streets | LayerRole::Communities))
        .cloned()
        .collect();
    // Only the plan: design alternatives not chosen are not printed.
    let plan: Vec<crate::model::PlanFeature> = session.counted_plan(false).cloned().collect();
    let (boundary, in_area, title_name, street, community): (
        Vec<geo::Geometry<f64>>,
        Vec<bool>,
        String,
        String,
        String,
    ) = match kind {
        AreaKind::Project => {
            let Some(project) = session.projects().values().find(|p| p.code == name) else {
                return Err(Error::request(Problem::NoSuchProject { code: name }));
            };
            let in_area: Vec<bool> = plan
                .iter()
                .map(|f| f.project.as_deref() == Some(project.code.as_str()))
                .collect();
            let one = |field: fn(&crate::model::PlanFeature) -> &Option<String>| {
                let mut v: Vec<&str> = plan
                    .iter()
                    .zip(&in_area)
                    .filter(|(_, inside)| **inside)
                    .filter_map(|(f, _)| field(f).as_deref())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v.join("、")
            };
            (
                Vec::new(),
                in_area.clone(),
                format!("{} {}", project.code, project.name),
                one(|f| &f.street),
                one(|f| &f.community),
            )
        }
        AreaKind::Street | AreaKind::Community => {
            let role = role_of(kind);
            let geoms: Vec<geo::Geometry<f64>> = boundary_layers
                .iter()
                .filter(|l| l.role == role)
                .flat_map(|l| l.features.iter())
                .filter(|f| f.name.trim() == name)
                .map(|f| f.geometry.clone())
                .collect();
            if geoms.is_empty() {
                let names = area_names(session, kind);
                return Err(Error::request(Problem::NoSuchArea {
                    kind: if kind == AreaKind::Street {
                        "street"
                    } else {
                        "community"
                    }
                    .into(),
                    close: close_names(&names, &name),
                    name,
                }));
            }
            let field = |f: &crate::model::PlanFeature| {
                if kind == AreaKind::Street {
                    f.street.clone()
                } else {
                    f.community.clone()
                }
            };
            let in_area: Vec<bool> = plan
                .iter()
                .map(|f| field(f).as_deref() == Some(name.as_str()))
                .collect();
            let (street, community) = if kind == AreaKind::Street {
                (name.clone(), String::new())
            } else {
                // The community's street: where its plan features lie, else where its
                // outline's centre lies.
                let from_plan = plan
                    .iter()
                    .zip(&in_area)
                    .find(|(f, inside)| **inside && f.street.is_some())
                    .and_then(|(f, _)| f.street.clone());
                let from_outline = || {
                    use geo::Centroid;
                    geoms
                        .first()
                        .and_then(|g| g.centroid())
                        .and_then(|c| session.locate(c.x(), c.y()).street)
                };
                (
                    from_plan.or_else(from_outline).unwrap_or_default(),
                    name.clone(),
                )
            };
            (geoms, in_area, name.clone(), street, community)
        }
    };
    // The area's projects, by code.
    let mut codes: Vec<&str> = plan
        .iter()
        .zip(&in_area)
        .filter(|(_, inside)| **inside)
        .filter_map(|(f, _)| f.project.as_deref())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let records = session.records();
    let projects: Vec<ProjectLine> = codes
        .iter()
        .filter_map(|code| session.projects().values().find(|p| p.code == *code))
        .map(|p| {
            let workflow = session.workflows().of(p);
            let mut meetings: Vec<(String, String)> = records
                .meetings_of(p.id)
                .into_iter()
                .map(|m| (m.date.clone(), meeting_kind_name(lang, m.kind).to_string()))
                .collect();
            meetings.sort();
            ProjectLine {
                code: p.code.clone(),
                name: p.name.clone(),
                stage: stage_name(lang, workflow, &p.stage).to_string(),
                meetings: meetings
                    .into_iter()
                    .map(|(date, kind)| words::meeting_entry(lang, &kind, &date))
                    .collect(),
            }
        })
        .collect();
    let file = session
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let layer_names: Vec<String> = boundary_layers.iter().map(|l| l.name.clone()).collect();
    let mut attribution = Vec::new();
    if !layer_names.is_empty() {
        attribution.push(format!(
            "{} {}",
            words::PrintText::BoundaryData.get(lang),
            layer_names.join(" / ")
        ));
    }
    attribution.push(format!("{} {file}", words::PrintText::PlanData.get(lang)));
    let now = jiff::Timestamp::now().to_string();
    let drawn_on = LocalZone::system().local_text(&now);
    // Minutes are enough on paper: "2026-12-07 12:44 +08:00".
    let drawn_on = match drawn_on.split(' ').collect::<Vec<_>>().as_slice() {
        [date, time, zone] if time.len() == 8 => format!("{date} {} {zone}", &time[..5]),
        _ => drawn_on,
    };
    Ok(BlueprintInput {
        kind,
        name: title_name,
        street,
        community,
        district: catalog.district.clone(),
        boundary,
        layers: boundary_layers,
        plan,
        catalog,
        projects,
        drawn_on,
        attribution,
    })
}

/// A file name for an area's sheet that every file system takes: characters Windows or
/// POSIX refuse become `_`, trailing dots and spaces go, a reserved device name (`CON`,
/// `COM1`…) gets a `_` in front; Chinese and other letters stay.
pub fn safe_file_stem(name: &str) -> String {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    while s.ends_with('.') || s.ends_with(' ') {
        s.pop();
    }
    if s.is_empty() || s == "." || s == ".." {
        return "_".into();
    }
    let base = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    // Keep a name well under the usual 255-byte limit, cut on a character boundary.
    while s.len() > 200 {
        s.pop();
    }
    s
}

/// Renders the sheet of `area` and writes it to `output` (format from its extension).
/// Returns the time it took.
///
/// # Errors
/// What [`gather`], [`Format::of_path`], [`print::render`] and [`Session::write_export`]
/// refuse.
pub fn write_sheet(
    session: &Session,
    area: &AreaChoice,
    page: &PageSpec,
    output: &Path,
    replace: bool,
    lang: Lang,
) -> Result<f64> {
    let started = Instant::now();
    let format = Format::of_path(output)?;
    let input = gather(session, area, lang)?;
    let (bytes, _) = print::render(&input, page, format, lang)?;
    session.write_export(output, &bytes, replace)?;
    Ok(started.elapsed().as_secs_f64() * 1e3)
}

/// One sheet per street or community into `dir` (made when missing), as `format`. Returns
/// the files written.
///
/// # Errors
/// The first sheet that fails, naming its file.
pub fn write_atlas(
    session: &Session,
    kind: AreaKind,
    format: Format,
    page: &PageSpec,
    dir: &Path,
    replace: bool,
    lang: Lang,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for name in area_names(session, kind) {
        let stem = safe_file_stem(&name);
        let mut unique = stem.clone();
        let mut n = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = format!("{stem}-{n}");
            n += 1;
        }
        let path = dir.join(format!("{unique}.{}", format.extension()));
        let area = match kind {
            AreaKind::Street => AreaChoice::Street(name),
            _ => AreaChoice::Community(name),
        };
        write_sheet(session, &area, page, &path, replace, lang)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere_and_keep_chinese() {
        assert_eq!(safe_file_stem("潍坊新村街道"), "潍坊新村街道");
        assert_eq!(safe_file_stem("a/b:c*?\"<>|"), "a_b_c______");
        assert_eq!(safe_file_stem("CON"), "_CON");
        assert_eq!(safe_file_stem("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_stem("name. "), "name");
        assert_eq!(safe_file_stem(".."), "_");
        assert_eq!(safe_file_stem(""), "_");
    }

    #[test]
    fn close_names_prefer_containment_then_distance() {
        let names: Vec<String> = ["东明路街道", "潍坊新村街道", "陆家嘴街道"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(close_names(&names, "东明"), vec!["东明路街道".to_string()]);
        assert_eq!(
            close_names(&names, "潍坊新村街"),
            vec!["潍坊新村街道".to_string()]
        );
        assert!(close_names(&names, "xyz").is_empty());
    }
}
