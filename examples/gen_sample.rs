//! Generates Linli's bundled sample data (`sample-data/`) for Pudong New Area (浦东新区).
//!
//! ```text
//! cargo run --release --example gen_sample -- ../shared/data/pudong_adcode_vonng sample-data
//! ```
//!
//! # Why a generator
//!
//! Linli needs street (街道/镇) and community (居委/村) boundaries to show and to locate plan
//! features in, but no openly licensed boundary polygons exist below district level. What does
//! exist is Vonng/adcode (CC BY 4.0): every street and community of Pudong with its code, and a
//! representative point for some of them, plus the district outline from Amap. This program
//! derives *approximate* polygons from those points, reproducibly, so the sample data can be
//! rebuilt, audited and attributed instead of being an opaque blob:
//!
//! 1. All input is GCJ-02 (Amap's datum); everything is converted to WGS84 first
//!    ([`linli::io::gcj02::gcj02_to_wgs84`]) because Linli stores WGS84 (RFC 7946).
//! 2. The district outline is simplified lightly (Douglas–Peucker, 0.0005° ≈ 50 m).
//! 3. Each community point gets its exact Voronoi cell (computed in a local equirectangular
//!    plane, where distances are nearly isotropic), clipped to the district outline.
//! 4. A street is the union of its communities' cells; a street without any community point
//!    gets the cell of its own (town) point instead.
//! 5. A small, hand-made plan (`plan.geojson`, `projects.json`) for the 缤纷社区 programme and
//!    two Yangpu four-phase projects is placed in real streets; it is fictional demonstration
//!    content. The meetings (`meetings.json`), the roster (`people.json`) and the photo
//!    (`make_photo.py`) are hand-written files beside it, which this program leaves alone and
//!    the README lists.
//!
//! Output is deterministic: everything is ordered by administrative code, only ordered maps are
//! used, and coordinates are rounded to 6 decimals (≈ 0.1 m), so two runs give identical bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use geo::orient::Direction;
use geo::{
    Area, BooleanOps, BoundingRect, Contains, Coord, Geodesic, GeodesicArea, Geometry, Length,
    LineString, MultiPolygon, Orient, Point, Polygon, RemoveRepeatedPoints, Simplify, Validation,
    unary_union,
};
use linli::io::gcj02::gcj02_to_wgs84;
use serde_json::{Map, Value, json};

/// Adcode table of Pudong (Vonng/adcode `data/adcode/310115.csv`), GCJ-02 points.
const ADCODE_CSV: &str = "adcode_310115_pudong.csv";
/// District outline (Vonng/adcode `data/fences/310115.json`), a GCJ-02 GeoJSON geometry.
const DISTRICT_FENCE: &str = "fence_310115_pudong.json";

/// The adcode CSV has no header; these are its column positions (20 columns per row).
const CSV_COLUMNS: usize = 20;
const COL_CODE: usize = 0;
const COL_PARENT: usize = 1;
const COL_NAME: usize = 2;
const COL_LEVEL: usize = 3;
const COL_LON: usize = 12;
const COL_LAT: usize = 13;

/// Douglas–Peucker tolerance for the district outline, in degrees (≈ 50 m): invisible at
/// street scale and cuts the outline's vertex count several-fold.
const OUTLINE_TOLERANCE_DEG: f64 = 0.0005;

/// Origin and reference latitude of the local equirectangular plane used for Voronoi cells.
/// At 31.2° N one degree of longitude is cos(31.2°) ≈ 0.855 of a degree of latitude; scaling x
/// by that makes plane distances proportional to ground distances within ~1 % across Pudong.
const PLANE_ORIGIN: (f64, f64) = (121.5, 31.2);
const PLANE_REF_LAT_DEG: f64 = 31.2;

/// Nearest neighbours tried first for each Voronoi cell; doubled until the cell is proven exact.
const VORONOI_FIRST_K: usize = 40;

/// Decimal places kept in the output (1e-6° ≈ 0.1 m).
const DECIMALS: i32 = 6;

/// Rings smaller than this after rounding (in square degrees, ≈ 1 m²) are slivers from
/// floating-point noise at shared Voronoi edges, not geography, and are dropped.
const SLIVER_AREA_DEG2: f64 = 1e-10;

/// Metres per degree of latitude near Shanghai, for laying out hand-made plan rectangles
/// (their real area is then measured geodesically).
const M_PER_DEG_LAT: f64 = 110_860.0;

/// The district's own code in the adcode table.
const DISTRICT_CODE: &str = "310115000000";

/// Points that must land in a known street. The first is by the Oriental Pearl Tower; the
/// generator refuses to write data that puts it anywhere but 陆家嘴街道.
const LOCATE_CHECKS: [(f64, f64, Option<&str>); 3] = [
    (121.50, 31.24, Some("陆家嘴街道")),
    (121.53, 31.23, None),
    (121.60, 31.20, None),
];

const ATTRIBUTION: &str = "Names, codes and points: Vonng/adcode (CC BY 4.0, https://github.com/Vonng/adcode); geometry originating from Amap (高德); converted GCJ-02 → WGS84 and derived (Voronoi cells) by Linli's gen_sample";
const NOTE_APPROX: &str =
    "approximate, for demonstration — not official boundaries (近似示意，非官方边界)";
const NOTE_PLAN: &str = "fictional plan features for demonstration (虚构示例，非真实项目)";

/// An error with enough context (file, row) to fix the input.
struct GenError(String);

impl fmt::Debug for GenError {
    // `main` returns `Result<_, GenError>`; Rust prints the error with `Debug`, so make that
    // the plain message rather than a struct dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gen_sample: {}", self.0)
    }
}

impl From<String> for GenError {
    fn from(s: String) -> Self {
        GenError(s)
    }
}

type Result<T> = std::result::Result<T, GenError>;

/// One row of the adcode table, as far as the generator uses it.
#[derive(Debug, Clone)]
struct AdminRow {
    line: usize,
    code: String,
    parent: String,
    name: String,
    level: String,
    /// GCJ-02 point, if the row has one.
    gcj: Option<(f64, f64)>,
}

/// A street or town (街道/镇).
#[derive(Debug, Clone)]
struct Street {
    code: String,
    name: String,
    kind: &'static str,
    /// The street's own representative point, WGS84.
    point: Option<Coord<f64>>,
}

/// A community (居委会/村委会) that has a usable point.
#[derive(Debug, Clone)]
struct Community {
    code: String,
    name: String,
    street: usize,
    point: Coord<f64>,
}

/// Who a Voronoi site stands for.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Community(usize),
    /// A street with no community point, represented by its own point.
    StreetPoint(usize),
}

#[derive(Debug, Clone, Copy)]
struct Site {
    owner: Owner,
    wgs: Coord<f64>,
    plane: (f64, f64),
}

/// What the input held and what was dropped, for the summary and the README.
#[derive(Debug, Default)]
struct Stats {
    rows: usize,
    streets: usize,
    other_units: Vec<String>,
    communities_total: usize,
    communities_no_point: usize,
    communities_of_other_units: usize,
    duplicate_groups: usize,
    duplicates_dropped: Vec<String>,
    points_outside_district: Vec<String>,
    communities_empty_after_clip: Vec<String>,
    communities_written: usize,
    streets_from_own_point: Vec<String>,
    outline_vertices_before: usize,
    outline_vertices_after: usize,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        return Err(GenError(
            "usage: gen_sample <input dir with adcode_310115_pudong.csv and fence_310115_pudong.json> <output dir>"
                .into(),
        ));
    };
    run(Path::new(input), Path::new(output))
}

fn run(input: &Path, output: &Path) -> Result<()> {
    let mut stats = Stats::default();

    let rows = read_adcode_csv(&input.join(ADCODE_CSV))?;
    stats.rows = rows.len();
    let district_row = rows
        .iter()
        .find(|r| r.code == DISTRICT_CODE)
        .ok_or_else(|| format!("{}: no row for district {DISTRICT_CODE}", ADCODE_CSV))?;
    let district_name = district_row.name.clone();

    let district = read_district(&input.join(DISTRICT_FENCE), &mut stats)?;

    let streets = collect_streets(&rows, &mut stats);
    let communities = collect_communities(&rows, &streets, &district, &mut stats)?;

    let sites = build_sites(&streets, &communities, &mut stats)?;
    let cells = voronoi_cells(&sites, &district)?;

    // Community features, and every street's pieces, from the same clipped cells so that
    // neighbouring polygons share their edges exactly.
    let mut community_features = Vec::new();
    let mut street_pieces: Vec<Vec<MultiPolygon<f64>>> = vec![Vec::new(); streets.len()];
    for (site, cell) in sites.iter().zip(&cells) {
        let (street_idx, label) = match site.owner {
            Owner::Community(c) => (
                communities[c].street,
                format!("{} {}", communities[c].code, communities[c].name),
            ),
            Owner::StreetPoint(s) => (s, format!("{} {}", streets[s].code, streets[s].name)),
        };
        let cell = finish_multipolygon(cell, &label)?;
        if cell.0.is_empty() {
            if matches!(site.owner, Owner::Community(_)) {
                stats.communities_empty_after_clip.push(label);
            }
            continue;
        }
        if let Owner::Community(c) = site.owner {
            let com = &communities[c];
            let street = &streets[com.street];
            community_features.push((
                com.code.clone(),
                feature(
                    &[
                        ("name", json!(com.name)),
                        ("code", json!(com.code)),
                        ("street", json!(street.name)),
                        ("street_code", json!(street.code)),
                    ],
                    multipolygon_geometry(&cell),
                ),
            ));
        }
        street_pieces[street_idx].push(cell);
    }
    community_features.sort_by(|a, b| a.0.cmp(&b.0));
    stats.communities_written = community_features.len();

    let mut street_polys: Vec<(usize, MultiPolygon<f64>)> = Vec::new();
    for (idx, pieces) in street_pieces.iter().enumerate() {
        if pieces.is_empty() {
            continue;
        }
        let union = unary_union(pieces.iter());
        let label = format!("{} {}", streets[idx].code, streets[idx].name);
        let union = finish_multipolygon(&union, &label)?;
        if !union.0.is_empty() {
            street_polys.push((idx, union));
        }
    }
    let street_features: Vec<Value> = street_polys
        .iter()
        .map(|(idx, mp)| {
            let s = &streets[*idx];
            feature(
                &[
                    ("name", json!(s.name)),
                    ("code", json!(s.code)),
                    ("kind", json!(s.kind)),
                ],
                multipolygon_geometry(mp),
            )
        })
        .collect();

    let district_out = finish_multipolygon(&district, DISTRICT_CODE)?;
    let district_feature = feature(
        &[
            ("name", json!(district_name)),
            ("code", json!(DISTRICT_CODE)),
        ],
        multipolygon_geometry(&district_out),
    );

    // Sanity checks on the finished (rounded) street polygons.
    let mut locate_report = Vec::new();
    for (lon, lat, expected) in LOCATE_CHECKS {
        let hits = locate(&street_polys, &streets, Point::new(lon, lat));
        let found = if hits.is_empty() {
            "(none)".to_string()
        } else {
            hits.join(", ")
        };
        if let Some(want) = expected
            && hits != [want]
        {
            return Err(GenError(format!(
                "sanity check failed: ({lon}, {lat}) should lie in {want}, found {found}"
            )));
        }
        locate_report.push(format!("({lon:.2}, {lat:.2}) → {found}"));
    }

    let plan = plan_features(&street_polys, &streets)?;
    let projects = project_records()?;

    fs::create_dir_all(output)
        .map_err(|e| format!("cannot create output directory {}: {e}", output.display()))?;
    let mut written: Vec<(PathBuf, usize)> = Vec::new();
    let community_features: Vec<Value> = community_features.into_iter().map(|(_, f)| f).collect();
    let files: [(&str, &str, &str, &[Value]); 4] = [
        (
            "district.geojson",
            "district",
            NOTE_APPROX,
            &[district_feature],
        ),
        ("streets.geojson", "streets", NOTE_APPROX, &street_features),
        (
            "communities.geojson",
            "communities",
            NOTE_APPROX,
            &community_features,
        ),
        ("plan.geojson", "plan", NOTE_PLAN, &plan.features),
    ];
    for (file, name, note, features) in files {
        let attribution = if name == "plan" {
            "Fictional plan drawn for Linli's sample data; street context: Vonng/adcode (CC BY 4.0), Amap geometry, converted to WGS84"
        } else {
            ATTRIBUTION
        };
        let text = feature_collection(name, attribution, note, features)?;
        written.push(write_file(&output.join(file), &text)?);
    }
    let projects_text = json_lines_array(&projects)?;
    written.push(write_file(&output.join("projects.json"), &projects_text)?);

    let readme = readme_text(
        &stats,
        street_features.len(),
        &plan,
        projects.len(),
        &locate_report,
    );
    written.push(write_file(&output.join("README.md"), &readme)?);

    print_summary(
        &stats,
        street_features.len(),
        &plan,
        &locate_report,
        &written,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

/// Reads the header-less adcode CSV. Fields never contain commas or quotes in this table, so a
/// plain split is exact; a quote or a wrong column count is reported with its line number
/// rather than guessed around.
fn read_adcode_csv(path: &Path) -> Result<Vec<AdminRow>> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let ctx = || format!("{}:{line_no}", path.display());
        if line.contains('"') {
            return Err(GenError(format!(
                "{}: quoted CSV fields are not supported",
                ctx()
            )));
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != CSV_COLUMNS {
            return Err(GenError(format!(
                "{}: expected {CSV_COLUMNS} columns, found {}",
                ctx(),
                fields.len()
            )));
        }
        let lon = fields[COL_LON].trim();
        let lat = fields[COL_LAT].trim();
        let gcj = match (lon.is_empty(), lat.is_empty()) {
            (true, true) => None,
            (false, false) => {
                let parse = |s: &str, what: &str| {
                    s.parse::<f64>()
                        .map_err(|e| format!("{}: bad {what} {s:?}: {e}", ctx()))
                };
                let (x, y) = (parse(lon, "longitude")?, parse(lat, "latitude")?);
                if !(x.is_finite() && y.is_finite() && x.abs() <= 180.0 && y.abs() <= 90.0) {
                    return Err(GenError(format!(
                        "{}: ({x}, {y}) is not a longitude/latitude in degrees",
                        ctx()
                    )));
                }
                Some((x, y))
            }
            _ => {
                return Err(GenError(format!(
                    "{}: only one of longitude/latitude is present",
                    ctx()
                )));
            }
        };
        rows.push(AdminRow {
            line: line_no,
            code: fields[COL_CODE].trim().to_string(),
            parent: fields[COL_PARENT].trim().to_string(),
            name: fields[COL_NAME].trim().to_string(),
            level: fields[COL_LEVEL].trim().to_string(),
            gcj,
        });
    }
    Ok(rows)
}

/// Reads the GCJ-02 district fence (a GeoJSON Polygon or MultiPolygon), converts it to WGS84
/// and simplifies it.
fn read_district(path: &Path, stats: &mut Stats) -> Result<MultiPolygon<f64>> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let ctx = path.display().to_string();
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = value
        .get("coordinates")
        .ok_or_else(|| format!("{ctx}: no \"coordinates\""))?;
    let polygons: Vec<&Value> = match kind {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords
            .as_array()
            .ok_or_else(|| format!("{ctx}: MultiPolygon coordinates are not an array"))?
            .iter()
            .collect(),
        other => {
            return Err(GenError(format!(
                "{ctx}: expected a (Multi)Polygon, got {other:?}"
            )));
        }
    };
    let mut out = Vec::new();
    for (pi, poly) in polygons.iter().enumerate() {
        let rings = poly
            .as_array()
            .ok_or_else(|| format!("{ctx}: polygon {pi} is not an array of rings"))?;
        let mut converted = Vec::new();
        for (ri, ring) in rings.iter().enumerate() {
            let positions = ring
                .as_array()
                .ok_or_else(|| format!("{ctx}: polygon {pi} ring {ri} is not an array"))?;
            let mut coords = Vec::with_capacity(positions.len());
            for (k, pos) in positions.iter().enumerate() {
                let xy = pos
                    .as_array()
                    .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)))
                    .ok_or_else(|| {
                        format!("{ctx}: polygon {pi} ring {ri} position {k} is not [lon, lat]")
                    })?;
                let (lon, lat) = gcj02_to_wgs84(xy.0, xy.1);
                coords.push(Coord { x: lon, y: lat });
            }
            stats.outline_vertices_before += coords.len();
            converted.push(LineString::new(coords));
        }
        let mut rings = converted.into_iter();
        let Some(exterior) = rings.next() else {
            continue;
        };
        out.push(Polygon::new(exterior, rings.collect()));
    }
    let raw = MultiPolygon::new(out);
    let simplified = raw.simplify(OUTLINE_TOLERANCE_DEG);
    if let Err(e) = simplified.check_validation() {
        return Err(GenError(format!(
            "{ctx}: outline invalid after simplification ({e}); lower OUTLINE_TOLERANCE_DEG"
        )));
    }
    stats.outline_vertices_after = simplified.0.iter().map(ring_vertex_count).sum();
    Ok(simplified)
}

fn ring_vertex_count(p: &Polygon<f64>) -> usize {
    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
}

/// The streets and towns: units whose name ends in 街道 or 镇. Vonng/adcode also lists six
/// other town-level units under Pudong (three state farms, the free-trade bonded zone and two
/// development parks); they are not part of the 36-street partition planners work in and their
/// only "communities" are virtual, so they are left out and named in the summary.
fn collect_streets(rows: &[AdminRow], stats: &mut Stats) -> Vec<Street> {
    let mut streets: Vec<Street> = Vec::new();
    for r in rows.iter().filter(|r| r.level == "town") {
        let kind = if r.name.ends_with("街道") {
            "街道"
        } else if r.name.ends_with('镇') {
            "镇"
        } else {
            stats.other_units.push(format!("{} {}", r.code, r.name));
            continue;
        };
        streets.push(Street {
            code: r.code.clone(),
            name: r.name.clone(),
            kind,
            point: r.gcj.map(|(x, y)| to_wgs_coord(x, y)),
        });
    }
    streets.sort_by(|a, b| a.code.cmp(&b.code));
    stats.other_units.sort();
    stats.streets = streets.len();
    streets
}

/// The communities with a usable point.
///
/// Vonng/adcode geocoded community points by name, so where two towns each have a community of
/// the same name (东南居委会 in 潍坊新村 and in 周浦, five 果园村…) every one of them got the
/// same point, which is right for at most one. Such a shared point is kept for the community
/// whose own street's point is nearest to it (ties: lowest code) and dropped for the others,
/// which then count as communities without a point. Communities without a point are skipped.
fn collect_communities(
    rows: &[AdminRow],
    streets: &[Street],
    district: &MultiPolygon<f64>,
    stats: &mut Stats,
) -> Result<Vec<Community>> {
    let street_index: BTreeMap<&str, usize> = streets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    let town_codes: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.level == "town")
        .map(|r| r.code.as_str())
        .collect();

    // Group communities with a point by their exact GCJ-02 coordinates.
    let mut by_point: BTreeMap<(u64, u64), Vec<(&AdminRow, usize)>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.level == "village") {
        stats.communities_total += 1;
        let Some(&street) = street_index.get(r.parent.as_str()) else {
            if town_codes.contains(r.parent.as_str()) {
                stats.communities_of_other_units += 1;
                continue;
            }
            return Err(GenError(format!(
                "{ADCODE_CSV}:{}: community {} {} has unknown parent {}",
                r.line, r.code, r.name, r.parent
            )));
        };
        match r.gcj {
            None => stats.communities_no_point += 1,
            Some((x, y)) => by_point
                .entry((x.to_bits(), y.to_bits()))
                .or_default()
                .push((r, street)),
        }
    }

    let mut out = Vec::new();
    for members in by_point.values() {
        let Some(&(first, _)) = members.first() else {
            continue;
        };
        let Some((x, y)) = first.gcj else {
            continue;
        };
        let point = to_wgs_coord(x, y);
        let mut ranked: Vec<(f64, &str, &AdminRow, usize)> = members
            .iter()
            .map(|&(r, s)| {
                let d = streets[s]
                    .point
                    .map_or(f64::INFINITY, |sp| plane_distance(point, sp));
                (d, r.code.as_str(), r, s)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        if ranked.len() > 1 {
            stats.duplicate_groups += 1;
        }
        let mut iter = ranked.into_iter();
        let Some((_, _, keep, street)) = iter.next() else {
            continue;
        };
        for (_, _, dropped, s) in iter {
            stats.duplicates_dropped.push(format!(
                "{} {} ({}) shares its point with {} ({})",
                dropped.code, dropped.name, streets[s].name, keep.code, streets[street].name
            ));
        }
        if !district.contains(&Point::from(point)) {
            stats.points_outside_district.push(format!(
                "{} {} ({})",
                keep.code, keep.name, streets[street].name
            ));
        }
        out.push(Community {
            code: keep.code.clone(),
            name: keep.name.clone(),
            street,
            point,
        });
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    stats.duplicates_dropped.sort();
    stats.points_outside_district.sort();
    stats.communities_no_point += stats.duplicates_dropped.len();
    Ok(out)
}

/// Voronoi sites: every community point, plus the own point of each street that has no
/// community point (so that street still gets an area).
fn build_sites(
    streets: &[Street],
    communities: &[Community],
    stats: &mut Stats,
) -> Result<Vec<Site>> {
    let mut sites: Vec<Site> = communities
        .iter()
        .enumerate()
        .map(|(i, c)| Site {
            owner: Owner::Community(i),
            wgs: c.point,
            plane: to_plane(c.point),
        })
        .collect();
    let with_points: BTreeSet<usize> = communities.iter().map(|c| c.street).collect();
    for (i, s) in streets.iter().enumerate() {
        if with_points.contains(&i) {
            continue;
        }
        let Some(p) = s.point else {
            return Err(GenError(format!(
                "{ADCODE_CSV}: street {} {} has neither community points nor a point of its own",
                s.code, s.name
            )));
        };
        stats
            .streets_from_own_point
            .push(format!("{} {}", s.code, s.name));
        sites.push(Site {
            owner: Owner::StreetPoint(i),
            wgs: p,
            plane: to_plane(p),
        });
    }
    // Coincident sites would give two identical cells; the duplicate merge above prevents it
    // for communities, and a street point is only added where the street has no community.
    let mut seen = BTreeSet::new();
    for s in &sites {
        if !seen.insert((s.wgs.x.to_bits(), s.wgs.y.to_bits())) {
            return Err(GenError(format!(
                "two Voronoi sites coincide at ({}, {})",
                s.wgs.x, s.wgs.y
            )));
        }
    }
    Ok(sites)
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

fn to_wgs_coord(gcj_lon: f64, gcj_lat: f64) -> Coord<f64> {
    let (x, y) = gcj02_to_wgs84(gcj_lon, gcj_lat);
    Coord { x, y }
}

fn cos_ref() -> f64 {
    PLANE_REF_LAT_DEG.to_radians().cos()
}

/// WGS84 degrees → local equirectangular plane (units: degrees of latitude).
fn to_plane(c: Coord<f64>) -> (f64, f64) {
    ((c.x - PLANE_ORIGIN.0) * cos_ref(), c.y - PLANE_ORIGIN.1)
}

fn from_plane(p: (f64, f64)) -> Coord<f64> {
    Coord {
        x: p.0 / cos_ref() + PLANE_ORIGIN.0,
        y: p.1 + PLANE_ORIGIN.1,
    }
}

fn plane_distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (pa, pb) = (to_plane(a), to_plane(b));
    (pa.0 - pb.0).hypot(pa.1 - pb.1)
}

/// Clips a convex polygon (open ring, plane coordinates) to the half-plane of points at least
/// as close to `site` as to `other` (Sutherland–Hodgman against the perpendicular bisector).
fn clip_to_bisector(poly: &[(f64, f64)], site: (f64, f64), other: (f64, f64)) -> Vec<(f64, f64)> {
    let d = (other.0 - site.0, other.1 - site.1);
    let m = ((site.0 + other.0) / 2.0, (site.1 + other.1) / 2.0);
    let side = |p: (f64, f64)| (p.0 - m.0) * d.0 + (p.1 - m.1) * d.1;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(poly.len() + 1);
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let (fa, fb) = (side(a), side(b));
        if fa <= 0.0 {
            out.push(a);
        }
        if (fa <= 0.0) != (fb <= 0.0) {
            let t = fa / (fa - fb);
            out.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        }
    }
    out.dedup();
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// Exact Voronoi cell of every site, clipped to `clip` (the district), in WGS84.
///
/// Each cell starts as a box around all input and is cut by the bisectors with the nearest
/// `k` sites. It is exact once the next-nearest unused site is at least twice as far as the
/// cell's farthest vertex (no bisector of a farther site can reach the cell); otherwise `k`
/// doubles and the cell is recomputed.
fn voronoi_cells(sites: &[Site], clip: &MultiPolygon<f64>) -> Result<Vec<MultiPolygon<f64>>> {
    let Some(bounds) = clip.bounding_rect() else {
        return Err(GenError("district outline is empty".into()));
    };
    let mut min = to_plane(bounds.min());
    let mut max = to_plane(bounds.max());
    for s in sites {
        min = (min.0.min(s.plane.0), min.1.min(s.plane.1));
        max = (max.0.max(s.plane.0), max.1.max(s.plane.1));
    }
    let margin = 0.5;
    let frame = vec![
        (min.0 - margin, min.1 - margin),
        (max.0 + margin, min.1 - margin),
        (max.0 + margin, max.1 + margin),
        (min.0 - margin, max.1 + margin),
    ];
    let mut cells = Vec::with_capacity(sites.len());
    for (i, site) in sites.iter().enumerate() {
        let mut others: Vec<(f64, usize)> = sites
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, o)| {
                let d = (o.plane.0 - site.plane.0).hypot(o.plane.1 - site.plane.1);
                (d, j)
            })
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut k = VORONOI_FIRST_K.min(others.len());
        let cell = loop {
            let mut cell = frame.clone();
            for &(_, j) in &others[..k] {
                cell = clip_to_bisector(&cell, site.plane, sites[j].plane);
                if cell.len() < 3 {
                    return Err(GenError(format!(
                        "Voronoi cell of site {i} collapsed; input points are degenerate"
                    )));
                }
            }
            let radius = cell
                .iter()
                .map(|p| (p.0 - site.plane.0).hypot(p.1 - site.plane.1))
                .fold(0.0, f64::max);
            match others.get(k) {
                Some(&(next, _)) if next < 2.0 * radius => k = (k * 2).min(others.len()),
                _ => break cell,
            }
        };
        let mut ring: Vec<Coord<f64>> = cell.iter().map(|&p| from_plane(p)).collect();
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        let polygon = Polygon::new(LineString::new(ring), vec![]);
        cells.push(polygon.intersection(clip));
    }
    Ok(cells)
}

fn round_coord(c: Coord<f64>) -> Coord<f64> {
    let f = 10f64.powi(DECIMALS);
    Coord {
        x: (c.x * f).round() / f,
        y: (c.y * f).round() / f,
    }
}

/// Rounds to 6 decimals, removes repeated points and sliver rings, orients rings the RFC 7946
/// way (exterior counter-clockwise, holes clockwise) and checks validity, so that what is
/// written is exactly what was validated.
fn finish_multipolygon(mp: &MultiPolygon<f64>, label: &str) -> Result<MultiPolygon<f64>> {
    let clean_ring = |ring: &LineString<f64>| -> Option<LineString<f64>> {
        let mut ls = LineString::new(ring.0.iter().map(|&c| round_coord(c)).collect());
        ls.remove_repeated_points_mut();
        ls.close();
        let ok =
            ls.0.len() >= 4 && Polygon::new(ls.clone(), vec![]).unsigned_area() >= SLIVER_AREA_DEG2;
        ok.then_some(ls)
    };
    let mut polygons = Vec::new();
    for p in &mp.0 {
        let Some(exterior) = clean_ring(p.exterior()) else {
            continue;
        };
        let interiors = p.interiors().iter().filter_map(clean_ring).collect();
        polygons.push(Polygon::new(exterior, interiors));
    }
    let out = MultiPolygon::new(polygons).orient(Direction::Default);
    if let Err(e) = out.check_validation() {
        return Err(GenError(format!(
            "polygon of {label} is invalid after rounding: {e}"
        )));
    }
    Ok(out)
}

/// Names of the streets whose polygon contains `p` (normally exactly one).
fn locate(polys: &[(usize, MultiPolygon<f64>)], streets: &[Street], p: Point<f64>) -> Vec<String> {
    polys
        .iter()
        .filter(|(_, mp)| mp.contains(&p))
        .map(|(i, _)| streets[*i].name.clone())
        .collect()
}

fn street_polygon<'a>(
    polys: &'a [(usize, MultiPolygon<f64>)],
    streets: &[Street],
    name: &str,
) -> Option<&'a MultiPolygon<f64>> {
    polys
        .iter()
        .find(|(i, _)| streets[*i].name == name)
        .map(|(_, mp)| mp)
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

fn position(c: Coord<f64>) -> Value {
    let c = round_coord(c);
    json!([c.x, c.y])
}

fn ring_json(ls: &LineString<f64>) -> Value {
    Value::Array(ls.0.iter().map(|&c| position(c)).collect())
}

fn polygon_json(p: &Polygon<f64>) -> Value {
    let mut rings = vec![ring_json(p.exterior())];
    rings.extend(p.interiors().iter().map(ring_json));
    Value::Array(rings)
}

/// A Polygon when there is one part, a MultiPolygon otherwise.
fn multipolygon_geometry(mp: &MultiPolygon<f64>) -> Value {
    match mp.0.as_slice() {
        [single] => json!({"type": "Polygon", "coordinates": polygon_json(single)}),
        parts => json!({
            "type": "MultiPolygon",
            "coordinates": Value::Array(parts.iter().map(polygon_json).collect()),
        }),
    }
}

fn feature(props: &[(&str, Value)], geometry: Value) -> Value {
    let mut properties = Map::new();
    for (k, v) in props {
        properties.insert((*k).to_string(), v.clone());
    }
    json!({"type": "Feature", "properties": properties, "geometry": geometry})
}

/// An RFC 7946 FeatureCollection, compact, one feature per line. `name`, `attribution` and
/// `note` are foreign members: GeoJSON has no comments, and this keeps the provenance inside
/// the file (GDAL reads `name` as the layer name and ignores the rest).
fn feature_collection(
    name: &str,
    attribution: &str,
    note: &str,
    features: &[Value],
) -> Result<String> {
    let head = json!({
        "type": "FeatureCollection",
        "name": name,
        "attribution": attribution,
        "note": note,
    });
    let head = serde_json::to_string(&head).map_err(|e| format!("serialising {name}: {e}"))?;
    let head = head
        .strip_suffix('}')
        .ok_or_else(|| format!("serialising {name}: unexpected JSON"))?;
    let mut out = String::with_capacity(1 << 16);
    out.push_str(head);
    out.push_str(",\"features\":[\n");
    for (i, f) in features.iter().enumerate() {
        let line = serde_json::to_string(f).map_err(|e| format!("serialising {name}: {e}"))?;
        out.push_str(&line);
        out.push_str(if i + 1 < features.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    Ok(out)
}

fn json_lines_array(items: &[Value]) -> Result<String> {
    let mut out = String::from("[\n");
    for (i, v) in items.iter().enumerate() {
        let line = serde_json::to_string(v).map_err(|e| format!("serialising projects: {e}"))?;
        out.push_str(&line);
        out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    Ok(out)
}

fn write_file(path: &Path, text: &str) -> Result<(PathBuf, usize)> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((path.to_path_buf(), text.len()))
}

// ---------------------------------------------------------------------------------------------
// The hand-made 缤纷社区 plan
// ---------------------------------------------------------------------------------------------

/// Geometry of a hand-placed plan feature, WGS84 `[lon, lat]`.
enum PlanGeom {
    Point([f64; 2]),
    Line(&'static [[f64; 2]]),
    /// A rectangle of `width_m` × `height_m` metres centred on `centre`, its `width` side
    /// turned `bearing_deg` anticlockwise from east (to follow the street grid).
    Rect {
        centre: [f64; 2],
        width_m: f64,
        height_m: f64,
        bearing_deg: f64,
    },
}

struct PlanSpec {
    name: &'static str,
    element_type: &'static str,
    project_code: &'static str,
    note: &'static str,
    /// The street the spot was chosen in; checked against the generated street polygons.
    street: &'static str,
    geom: PlanGeom,
}

/// The plan. Spots are hand-picked near real residential estates and streets of inner Pudong
/// (WGS84, read off the generated community points and a street map); the projects are
/// invented. Each spot is checked to lie inside the intended street's generated polygon.
const PLAN: &[PlanSpec] = &[
    // 陆家嘴街道: the 1950s–80s 崂山/乳山 estates between 东昌路 and 崂山路.
    PlanSpec {
        name: "崂山三村口袋花园",
        element_type: "pocket_garden",
        project_code: "PD-2024-LJZ-01",
        note: "宅间闲置绿地改造，增设座椅与儿童游戏设施",
        street: "陆家嘴街道",
        geom: PlanGeom::Rect {
            centre: [121.51360, 31.23800],
            width_m: 40.0,
            height_m: 30.0,
            bearing_deg: 20.0,
        },
    },
    PlanSpec {
        name: "乳山二村沿街破墙透绿",
        element_type: "wall_opening",
        project_code: "PD-2024-LJZ-01",
        note: "拆除实体围墙，改为通透栏杆与共享绿带",
        street: "陆家嘴街道",
        geom: PlanGeom::Line(&[[121.51330, 31.23575], [121.51445, 31.23510]]),
    },
    PlanSpec {
        name: "崂山五村社区艺术角",
        element_type: "art_space",
        project_code: "PD-2024-LJZ-01",
        note: "居民共绘墙面与小型展陈",
        street: "陆家嘴街道",
        geom: PlanGeom::Point([121.51290, 31.23870]),
    },
    PlanSpec {
        name: "松山路林荫街道",
        element_type: "shaded_street",
        project_code: "PD-2019-LJZ-02",
        note: "补植行道树，人行道拓宽与铺装更新",
        street: "陆家嘴街道",
        geom: PlanGeom::Line(&[
            [121.52290, 31.23440],
            [121.52330, 31.23600],
            [121.52350, 31.23720],
        ]),
    },
    // 潍坊新村街道: around 竹南 and 潍坊四村/五村.
    PlanSpec {
        name: "潍坊路林荫街道",
        element_type: "shaded_street",
        project_code: "PD-2023-WF-01",
        note: "梧桐补植与林下休憩带",
        street: "潍坊新村街道",
        geom: PlanGeom::Line(&[
            [121.51990, 31.22380],
            [121.52180, 31.22520],
            [121.52360, 31.22660],
        ]),
    },
    PlanSpec {
        name: "竹南街角微广场",
        element_type: "street_corner",
        project_code: "PD-2023-WF-01",
        note: "路口退界空间整理为休憩角",
        street: "潍坊新村街道",
        geom: PlanGeom::Rect {
            centre: [121.52290, 31.22770],
            width_m: 25.0,
            height_m: 20.0,
            bearing_deg: 35.0,
        },
    },
    // 塘桥街道: 南泉路 and 蓝村.
    PlanSpec {
        name: "塘桥慢行环线（南泉路段）",
        element_type: "slow_network",
        project_code: "PD-2022-TQ-01",
        note: "连通社区与滨江的步行骑行通道",
        street: "塘桥街道",
        geom: PlanGeom::Line(&[
            [121.51540, 31.21280],
            [121.51650, 31.21420],
            [121.51830, 31.21500],
            [121.52040, 31.21560],
        ]),
    },
    PlanSpec {
        name: "蓝村睦邻驿站",
        element_type: "public_facility",
        project_code: "PD-2022-TQ-01",
        note: "慢行环线旁的休息、饮水与共享工具点",
        street: "塘桥街道",
        geom: PlanGeom::Point([121.51930, 31.21520]),
    },
    // 洋泾街道: 巨野路 and 海弘.
    PlanSpec {
        name: "巨野路活力街巷",
        element_type: "vibrant_lane",
        project_code: "PD-2025-YJ-01",
        note: "沿街商铺外摆与街巷节点整治",
        street: "洋泾街道",
        geom: PlanGeom::Line(&[
            [121.53720, 31.24690],
            [121.53880, 31.24620],
            [121.54040, 31.24560],
        ]),
    },
    PlanSpec {
        name: "海弘社区健身角",
        element_type: "sports_venue",
        project_code: "PD-2025-YJ-01",
        note: "小型笼式球场与健身步道",
        street: "洋泾街道",
        geom: PlanGeom::Rect {
            centre: [121.54480, 31.24160],
            width_m: 40.0,
            height_m: 25.0,
            bearing_deg: 10.0,
        },
    },
    // 花木街道: the 牡丹 estates.
    PlanSpec {
        name: "牡丹七村口袋花园",
        element_type: "pocket_garden",
        project_code: "PD-2024-HM-01",
        note: "停车挤占绿地腾退，改为雨水花园",
        street: "花木街道",
        geom: PlanGeom::Rect {
            centre: [121.54350, 31.20410],
            width_m: 35.0,
            height_m: 45.0,
            bearing_deg: 0.0,
        },
    },
    PlanSpec {
        name: "前程社区健康小屋",
        element_type: "public_facility",
        project_code: "PD-2024-HM-01",
        note: "自助体检与健康咨询",
        street: "花木街道",
        geom: PlanGeom::Point([121.54440, 31.20070]),
    },
    // 金杨新村街道: 罗山六村.
    PlanSpec {
        name: "罗山六村街角空间",
        element_type: "street_corner",
        project_code: "PD-2021-JY-01",
        note: "街角绿化与休憩座椅，兼作候车空间",
        street: "金杨新村街道",
        geom: PlanGeom::Rect {
            centre: [121.55640, 31.25000],
            width_m: 30.0,
            height_m: 25.0,
            bearing_deg: 0.0,
        },
    },
    // 南码头路街道: the 临沂 estates.
    PlanSpec {
        name: "临沂八村破墙透绿",
        element_type: "wall_opening",
        project_code: "PD-2020-NMT-01",
        note: "小区围墙打开，内部绿地对街共享",
        street: "南码头路街道",
        geom: PlanGeom::Line(&[[121.51100, 31.19900], [121.51230, 31.19870]]),
    },
    PlanSpec {
        name: "临沂路慢行步道",
        element_type: "slow_network",
        project_code: "PD-2020-NMT-01",
        note: "串联临沂一村至六村的步行道",
        street: "南码头路街道",
        geom: PlanGeom::Line(&[
            [121.50840, 31.20080],
            [121.50860, 31.19830],
            [121.50870, 31.19560],
        ]),
    },
    // Yangpu's four-phase flow, shown on two small resident-run sites.
    PlanSpec {
        name: "潍坊四村楼道微花园",
        element_type: "art_space",
        project_code: "YP-2025-01",
        note: "杨浦流程示例：居民自治微花园（实验期）",
        street: "潍坊新村街道",
        geom: PlanGeom::Point([121.5262, 31.2301]),
    },
    PlanSpec {
        name: "蓝村路睦邻角",
        element_type: "public_facility",
        project_code: "YP-2025-02",
        note: "杨浦流程示例：居民提案（提案期）",
        street: "塘桥街道",
        geom: PlanGeom::Point([121.5205, 31.216]),
    },
];

struct Project {
    code: &'static str,
    name: &'static str,
    programme: &'static str,
    year: u16,
    /// The workflow template (`assets/workflows.json`) and a stage key of it.
    workflow: &'static str,
    stage: &'static str,
    budget_wan: f64,
    /// Further fields of the record, as JSON members (scope, funding, stage dates, progress).
    more: &'static str,
}

const ELEMENT_TYPES: [(&str, &str); 9] = [
    ("vibrant_lane", "line"),
    ("street_corner", "polygon"),
    ("slow_network", "line"),
    ("pocket_garden", "polygon"),
    ("art_space", "point"),
    ("shaded_street", "line"),
    ("wall_opening", "line"),
    ("public_facility", "point"),
    ("sports_venue", "polygon"),
];

const PROJECTS: &[Project] = &[
    Project {
        code: "PD-2019-LJZ-02",
        name: "松山路林荫街道提升",
        programme: "缤纷社区",
        year: 2019,
        workflow: "pudong_1t3h",
        stage: "operation",
        budget_wan: 30.0,
        more: "",
    },
    Project {
        code: "PD-2020-NMT-01",
        name: "临沂片区慢行与破墙透绿",
        programme: "缤纷社区",
        year: 2020,
        workflow: "pudong_1t3h",
        stage: "operation",
        budget_wan: 75.0,
        more: "",
    },
    Project {
        code: "PD-2021-JY-01",
        name: "罗山六村街角空间更新",
        programme: "缤纷社区",
        year: 2021,
        workflow: "pudong_1t3h",
        stage: "evaluation",
        budget_wan: 28.5,
        more: "",
    },
    Project {
        code: "PD-2022-TQ-01",
        name: "塘桥社区慢行网络",
        programme: "缤纷社区",
        year: 2022,
        workflow: "pudong_1t3h",
        stage: "completion",
        budget_wan: 120.0,
        more: "",
    },
    Project {
        code: "PD-2023-WF-01",
        name: "潍坊新村林荫街道与街角空间",
        programme: "缤纷社区",
        year: 2023,
        workflow: "pudong_1t3h",
        stage: "construction",
        budget_wan: 85.0,
        more: "",
    },
    Project {
        code: "PD-2024-HM-01",
        name: "牡丹社区口袋花园",
        programme: "缤纷社区",
        year: 2024,
        workflow: "pudong_1t3h",
        stage: "hearing",
        budget_wan: 38.0,
        more: "",
    },
    Project {
        code: "PD-2024-LJZ-01",
        name: "崂山乳山片区缤纷社区更新",
        programme: "缤纷社区",
        year: 2024,
        workflow: "pudong_1t3h",
        stage: "detailing",
        budget_wan: 68.0,
        more: "",
    },
    Project {
        code: "PD-2025-YJ-01",
        name: "洋泾巨野路活力街巷",
        programme: "缤纷社区",
        year: 2025,
        workflow: "pudong_1t3h",
        stage: "demand",
        budget_wan: 45.0,
        more: "",
    },
    // Yangpu's four phases (杨浦四期): small resident-run grants, capped at 2 万元 a group.
    Project {
        code: "YP-2025-01",
        name: "潍坊四村楼道微花园（居民自治）",
        programme: "社区花园",
        year: 2025,
        workflow: "yangpu_4stage",
        stage: "experiment",
        budget_wan: 1.8,
        more: r#"{"scope":"楼道口闲置角落改造为微花园，居民认领养护","funding":[{"source":"自治金","amount_wan":1.5},{"source":"社会资金","amount_wan":0.3}],"stage_dates":[{"stage":"proposal","planned":"2025-03-01","actual":"2025-03-05"},{"stage":"preselection","planned":"2025-04-01","actual":"2025-04-10"},{"stage":"experiment","planned":"2025-05-01","actual":"2025-05-12"},{"stage":"practice","planned":"2025-07-01"}],"progress_pct":55.0}"#,
    },
    Project {
        code: "YP-2025-02",
        name: "蓝村路睦邻角提案",
        programme: "社区花园",
        year: 2025,
        workflow: "yangpu_4stage",
        stage: "proposal",
        budget_wan: 2.6,
        more: r#"{"scope":"居民提案：在睦邻驿站旁增设共享书架与座椅"}"#,
    },
];

struct Plan {
    features: Vec<Value>,
    /// (name, element type, street, measure) for the summary and README.
    rows: Vec<(String, String, String, String)>,
}

fn plan_features(polys: &[(usize, MultiPolygon<f64>)], streets: &[Street]) -> Result<Plan> {
    let mut features = Vec::new();
    let mut rows = Vec::new();
    for spec in PLAN {
        let ctx = format!("plan feature {:?}", spec.name);
        let expected_geom = ELEMENT_TYPES
            .iter()
            .find(|(k, _)| *k == spec.element_type)
            .map(|(_, g)| *g)
            .ok_or_else(|| format!("{ctx}: unknown element type {}", spec.element_type))?;
        let geometry: Geometry<f64> = match &spec.geom {
            PlanGeom::Point(p) => Geometry::Point(Point::new(p[0], p[1])),
            PlanGeom::Line(pts) => Geometry::LineString(LineString::new(
                pts.iter()
                    .map(|p| round_coord(Coord { x: p[0], y: p[1] }))
                    .collect(),
            )),
            PlanGeom::Rect {
                centre,
                width_m,
                height_m,
                bearing_deg,
            } => Geometry::Polygon(rectangle(*centre, *width_m, *height_m, *bearing_deg)),
        };
        let kind = match geometry {
            Geometry::Point(_) => "point",
            Geometry::LineString(_) => "line",
            _ => "polygon",
        };
        if kind != expected_geom {
            return Err(GenError(format!(
                "{ctx}: {} expects a {expected_geom}, got a {kind}",
                spec.element_type
            )));
        }
        let area = street_polygon(polys, streets, spec.street)
            .ok_or_else(|| format!("{ctx}: no generated polygon for {}", spec.street))?;
        if !area.contains(&geometry) {
            let found = match &geometry {
                Geometry::Point(p) => locate(polys, streets, *p).join(", "),
                _ => String::from("(not a point)"),
            };
            return Err(GenError(format!(
                "{ctx}: not inside {} (point locates to: {found})",
                spec.street
            )));
        }
        let (measure, geom_json) = match &geometry {
            Geometry::Point(p) => (
                String::from("—"),
                json!({"type": "Point", "coordinates": position(p.0)}),
            ),
            Geometry::LineString(ls) => (
                format!("{:.0} m", Geodesic.length(ls)),
                json!({"type": "LineString", "coordinates": ring_json(ls)}),
            ),
            Geometry::Polygon(p) => {
                let m2 = p.geodesic_area_unsigned();
                if spec.element_type == "pocket_garden" && !(400.0..=10_000.0).contains(&m2) {
                    return Err(GenError(format!(
                        "{ctx}: pocket garden of {m2:.0} m² is outside 400–10 000 m²"
                    )));
                }
                (
                    format!("{m2:.0} m²"),
                    json!({"type": "Polygon", "coordinates": polygon_json(p)}),
                )
            }
            _ => return Err(GenError(format!("{ctx}: unsupported geometry"))),
        };
        if !PROJECTS.iter().any(|p| p.code == spec.project_code) {
            return Err(GenError(format!(
                "{ctx}: project {} is not in PROJECTS",
                spec.project_code
            )));
        }
        features.push(feature(
            &[
                ("name", json!(spec.name)),
                ("element_type", json!(spec.element_type)),
                ("project_code", json!(spec.project_code)),
                ("note", json!(spec.note)),
            ],
            geom_json,
        ));
        rows.push((
            spec.name.to_string(),
            spec.element_type.to_string(),
            spec.street.to_string(),
            measure,
        ));
    }
    Ok(Plan { features, rows })
}

/// A `width_m` × `height_m` rectangle around `centre`, rotated `bearing_deg` anticlockwise,
/// counter-clockwise ring, rounded to the output precision.
fn rectangle(centre: [f64; 2], width_m: f64, height_m: f64, bearing_deg: f64) -> Polygon<f64> {
    let m_per_deg_lon = M_PER_DEG_LAT * centre[1].to_radians().cos();
    let (s, c) = bearing_deg.to_radians().sin_cos();
    let (hw, hh) = (width_m / 2.0, height_m / 2.0);
    let corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh), (-hw, -hh)];
    let ring = corners
        .iter()
        .map(|&(dx, dy)| {
            let (ex, ny) = (dx * c - dy * s, dx * s + dy * c);
            round_coord(Coord {
                x: centre[0] + ex / m_per_deg_lon,
                y: centre[1] + ny / M_PER_DEG_LAT,
            })
        })
        .collect();
    Polygon::new(LineString::new(ring), vec![])
}

fn project_records() -> Result<Vec<Value>> {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/workflows.json"))
            .map_err(|e| format!("cannot read assets/workflows.json: {e}"))?;
    let workflows: Value =
        serde_json::from_str(&text).map_err(|e| format!("assets/workflows.json: {e}"))?;
    let stages_of = |workflow: &str| -> Vec<String> {
        workflows
            .as_array()
            .into_iter()
            .flatten()
            .filter(|w| w["key"] == workflow)
            .flat_map(|w| w["stages"].as_array().cloned().unwrap_or_default())
            .filter_map(|st| st["key"].as_str().map(str::to_string))
            .collect()
    };
    let mut out = Vec::new();
    for p in PROJECTS {
        if !stages_of(p.workflow).iter().any(|k| k == p.stage) {
            return Err(GenError(format!(
                "project {}: {} is not a stage of workflow {}",
                p.code, p.stage, p.workflow
            )));
        }
        if !(2019..=2025).contains(&p.year) {
            return Err(GenError(format!(
                "project {}: year {} outside 2019–2025",
                p.code, p.year
            )));
        }
        if !PLAN.iter().any(|f| f.project_code == p.code) {
            return Err(GenError(format!("project {} has no plan feature", p.code)));
        }
        let mut record = json!({
            "code": p.code,
            "name": p.name,
            "programme": p.programme,
            "year": p.year,
            "stage": p.stage,
            "budget_wan": p.budget_wan,
            "workflow": p.workflow,
        });
        if !p.more.is_empty() {
            let more: Value = serde_json::from_str(p.more)
                .map_err(|e| format!("project {}: its further fields: {e}", p.code))?;
            if let (Some(r), Some(m)) = (record.as_object_mut(), more.as_object()) {
                r.extend(m.clone());
            }
        }
        out.push(record);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

fn print_summary(
    stats: &Stats,
    street_count: usize,
    plan: &Plan,
    locate_report: &[String],
    written: &[(PathBuf, usize)],
) {
    println!("adcode rows: {}", stats.rows);
    println!(
        "streets/towns: {} in the table, {} written{}",
        stats.streets,
        street_count,
        if stats.streets_from_own_point.is_empty() {
            String::new()
        } else {
            format!(
                "; from the street's own point (no community point): {}",
                stats.streets_from_own_point.join(", ")
            )
        }
    );
    println!(
        "other town-level units left out ({}): {}",
        stats.other_units.len(),
        stats.other_units.join(", ")
    );
    println!(
        "communities: {} in the table, {} written; skipped without a point: {} (incl. {} whose shared point went to a namesake), of left-out units: {}",
        stats.communities_total,
        stats.communities_written,
        stats.communities_no_point,
        stats.duplicates_dropped.len(),
        stats.communities_of_other_units
    );
    println!(
        "duplicate points: {} groups; dropped: {}",
        stats.duplicate_groups,
        stats.duplicates_dropped.len()
    );
    for d in &stats.duplicates_dropped {
        println!("  {d}");
    }
    println!(
        "community points outside the district outline: {}",
        stats.points_outside_district.len()
    );
    for d in &stats.points_outside_district {
        println!("  {d}");
    }
    println!(
        "communities with an empty cell after clipping (skipped): {}",
        stats.communities_empty_after_clip.len()
    );
    for d in &stats.communities_empty_after_clip {
        println!("  {d}");
    }
    println!(
        "district outline vertices: {} → {} (tolerance {OUTLINE_TOLERANCE_DEG}°)",
        stats.outline_vertices_before, stats.outline_vertices_after
    );
    println!("plan features: {}", plan.rows.len());
    for (name, kind, street, measure) in &plan.rows {
        println!("  {name} ({kind}, {street}, {measure})");
    }
    for l in locate_report {
        println!("locate {l}");
    }
    let total: usize = written.iter().map(|(_, n)| n).sum();
    for (path, n) in written {
        println!("wrote {} ({n} bytes)", path.display());
    }
    println!("total {total} bytes");
}

fn readme_text(
    stats: &Stats,
    street_count: usize,
    plan: &Plan,
    project_count: usize,
    locate_report: &[String],
) -> String {
    let mut plan_rows = String::new();
    for (name, kind, street, measure) in &plan.rows {
        plan_rows.push_str(&format!("| {name} | `{kind}` | {street} | {measure} |\n"));
    }
    let own_point = if stats.streets_from_own_point.is_empty() {
        String::from("none")
    } else {
        stats.streets_from_own_point.join(", ")
    };
    let locate = locate_report
        .iter()
        .map(|l| format!("- {l}\n"))
        .collect::<String>();
    format!(
        r#"# Linli sample data — 浦东新区 Pudong New Area

> **近似示意，仅供演示，非官方边界。** 街道与居委边界由点位推算，不代表任何官方行政区划。
>
> **Approximate, for demonstration — not official boundaries.** Street and community polygons are
> inferred from points and do not represent any official administrative division.

| file | what it is |
|---|---|
| `district.geojson` | 1 feature: the outline of 浦东新区 (`name`, `code`) |
| `streets.geojson` | {street_count} streets and towns, 街道/镇 (`name`, `code`, `kind` = 街道 or 镇) |
| `communities.geojson` | {communities} communities, 居委/村 (`name`, `code`, `street`, `street_code`) |
| `plan.geojson` | {plan_count} **fictional** 缤纷社区 plan features (`name`, `element_type`, `project_code`, `note`) |
| `projects.json` | {project_count} **fictional** project records (`code`, `name`, `programme`, `year`, `stage`, `budget_wan` in 万元; two follow Yangpu's four phases) |
| `meetings.json` | 9 **fictional** meetings; the 牡丹 hearing carries residents' comments and votes pinned on the map and the map view shown |
| `people.json` | a **fictional** roster: people (mentors and the three planner tiers), organisations (design teams, departments, street offices), who works on which project, meeting attendance, and tasks from the joint meeting's decisions |
| `photo-before.png` | a 120 × 80 drawn "photo" attached to PD-2024-HM-01, written by `make_photo.py` (standard library only, deterministic) |

All GeoJSON files are RFC 7946 FeatureCollections in WGS84 longitude/latitude, exterior rings
counter-clockwise and holes clockwise, coordinates rounded to 6 decimals, UTF-8, one feature per
line. Each collection carries the foreign members `name`, `attribution` and `note`.

## How it was generated

From the repository root:

```sh
cargo run --release --example gen_sample -- ../shared/data/pudong_adcode_vonng sample-data
```

The input directory holds two files of Vonng/adcode at commit b755d6e:
`data/adcode/310115.csv` (saved as `adcode_310115_pudong.csv`) and `data/fences/310115.json`
(saved as `fence_310115_pudong.json`). Both are GCJ-02 (the Amap datum). The generator
(`examples/gen_sample.rs`) is deterministic: the same input gives the same bytes.

1. Every coordinate is converted GCJ-02 → WGS84 (`linli::io::gcj02`, exact inverse).
2. The district outline is simplified (Douglas–Peucker, {tol}°, ≈ 50 m): {vb} → {va} vertices.
3. Streets are the {street_count} units named …街道 or …镇. Left out: {other} other town-level
   units ({others}); their areas fall to neighbouring streets.
4. Of {ctotal} communities, {cpoint} have a usable point. {cnone} are skipped: {cmissing} have no
   point in the table and {cdup} share a point with a namesake in another street (the table
   geocoded by name; the point is kept for the namesake whose street lies nearest).
   {cother} belong to left-out units.
5. Community polygon = exact Voronoi cell of its point (local plane, x scaled by cos 31.2°),
   clipped to the district outline. Points outside the outline: {outside}; empty cells: {empty}.
6. Street polygon = union of its communities' cells. Streets without any community point use the
   cell of the street's own point: {own_point}.
7. Locate checks on the written street polygons (the first must hold, or nothing is written):

{locate}
Because cells follow points, not roads or rivers, boundaries are only indicative; a street can
have a detached part where one of its community points lies away from the others.

## Plan features (fictional)

| name | element type | street | size |
|---|---|---|---|
{plan_rows}
The plan and projects were invented for Linli's demonstrations; they are not real projects.

## Attribution and licence

Names, codes and points: **Vonng/adcode** (<https://github.com/Vonng/adcode>), licensed under
**CC BY 4.0**. Geometry originating from **Amap (高德地图)**. Changes made here: converted
GCJ-02 → WGS84, outline simplified, street and community polygons derived (Voronoi cells, union),
duplicate points resolved.

The boundary files (`district`, `streets`, `communities`) are an adaptation of Vonng/adcode and
are shared under the Creative Commons Attribution 4.0 International licence,
<https://creativecommons.org/licenses/by/4.0/>. They are provided as is, without warranties.

本目录中的边界数据改编自 Vonng/adcode（名称、代码与点位；几何数据源自高德地图），已由 GCJ-02
转换为 WGS84 并推算生成街道、居委多边形，依照知识共享署名 4.0 国际许可协议（CC BY 4.0）发布：
<https://creativecommons.org/licenses/by/4.0/deed.zh-hans>。数据按原样提供，不作任何保证。

`plan.geojson` and `projects.json` contain no third-party data; they are part of Linli and
under its licence.
"#,
        communities = stats.communities_written,
        plan_count = plan.rows.len(),
        tol = OUTLINE_TOLERANCE_DEG,
        vb = stats.outline_vertices_before,
        va = stats.outline_vertices_after,
        other = stats.other_units.len(),
        others = stats.other_units.join(", "),
        ctotal = stats.communities_total,
        cpoint =
            stats.communities_total - stats.communities_no_point - stats.communities_of_other_units,
        cnone = stats.communities_no_point,
        cmissing = stats.communities_no_point - stats.duplicates_dropped.len(),
        cdup = stats.duplicates_dropped.len(),
        cother = stats.communities_of_other_units,
        outside = stats.points_outside_district.len(),
        empty = stats.communities_empty_after_clip.len(),
    )
}
