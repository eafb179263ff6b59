//! A mixed OSM extract of central Shanghai, written as OSM XML and turned into one GeoJSON by
//! GDAL's own OSM driver, so the file has exactly the shape `ogr2ogr -f GeoJSON out.geojson
//! x.osm.pbf` gives a mixed extract: the `points` layer first, then `lines`, then
//! `multilinestrings`, then `multipolygons`, each with osmconf's columns (`osm_id`, `name`,
//! `highway`, `z_order`, `other_tags`, …) mostly `null`.
//!
//! The XML holds tagged nodes (amenity, shop, highway=traffic_signals, Chinese names, some
//! `name:en` and `opening_hours` that GDAL folds into `other_tags`), the untagged nodes the
//! ways use, ways as streets, canals and metro lines, closed ways as buildings, parks and
//! land use, multipolygon relations with an outer and an inner way, and bus route relations
//! (GDAL's `multilinestrings`). Deterministic (a fixed linear congruential generator), so
//! every run writes the same file.

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::Command;

use super::osm_like::Lcg;

/// `osm_like.rs`'s generator, with a pick from a list.
struct Rng(Lcg);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0.next()
    }

    fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const STREETS: [&str; 10] = [
    "南京西路",
    "淮海中路",
    "延安高架路",
    "长宁路",
    "愚园路",
    "武夷路",
    "华山路",
    "番禺路",
    "新华路",
    "定西路",
];
const PLACES: [&str; 10] = [
    "静安寺",
    "中山公园",
    "愚园路小学",
    "华东政法大学",
    "曹家渡花鸟市场",
    "武夷路菜场",
    "江苏路街道社区服务中心",
    "长宁区图书馆",
    "上生新所",
    "幸福里",
];
const AMENITIES: [&str; 8] = [
    "restaurant",
    "cafe",
    "school",
    "bank",
    "pharmacy",
    "toilets",
    "bicycle_parking",
    "kindergarten",
];
const SHOPS: [&str; 5] = [
    "convenience",
    "supermarket",
    "bakery",
    "clothes",
    "hairdresser",
];
const HIGHWAYS: [&str; 6] = [
    "residential",
    "tertiary",
    "secondary",
    "primary",
    "service",
    "footway",
];
const BUILDINGS: [&str; 5] = ["yes", "residential", "apartments", "commercial", "school"];
const LANDUSE: [&str; 4] = ["residential", "grass", "commercial", "construction"];

/// How many of each the extract holds, for `scale` (1 ≈ 30 MB of GeoJSON).
struct Counts {
    pois: usize,
    streets: usize,
    areas: usize,
    relations: usize,
    routes: usize,
}

impl Counts {
    fn of(scale: f64) -> Self {
        let n = |k: f64| (k * scale).round().max(1.0) as usize;
        Self {
            pois: n(40_000.0),
            streets: n(20_000.0),
            areas: n(40_000.0),
            relations: n(1_500.0),
            routes: n(300.0),
        }
    }
}

fn tag(out: &mut String, k: &str, v: &str) {
    let _ = write!(out, "<tag k=\"{k}\" v=\"{v}\"/>");
}

/// The XML of the extract.
struct Writer<W: Write> {
    out: W,
    rng: Rng,
    next_node: u64,
    line: String,
}

impl<W: Write> Writer<W> {
    fn node(&mut self, lon: f64, lat: f64, tags: &str) -> std::io::Result<u64> {
        let id = self.next_node;
        self.next_node += 1;
        if tags.is_empty() {
            writeln!(
                self.out,
                "<node id=\"{id}\" lat=\"{lat:.7}\" lon=\"{lon:.7}\"/>"
            )?;
        } else {
            writeln!(
                self.out,
                "<node id=\"{id}\" lat=\"{lat:.7}\" lon=\"{lon:.7}\">{tags}</node>"
            )?;
        }
        Ok(id)
    }

    /// A ring's node ids around `(cx, cy)`, radius about `r` degrees, `k` distinct positions,
    /// closed by repeating the first.
    fn ring(&mut self, cx: f64, cy: f64, r: f64, k: usize) -> std::io::Result<Vec<u64>> {
        let mut ids = Vec::with_capacity(k + 1);
        for j in 0..k {
            let a = std::f64::consts::TAU * j as f64 / k as f64;
            let rr = r * (0.75 + 0.25 * self.rng.next());
            ids.push(self.node(cx + rr * a.cos(), cy + rr * a.sin(), "")?);
        }
        ids.push(ids[0]);
        Ok(ids)
    }

    fn way(&mut self, id: u64, nodes: &[u64], tags: &str) -> std::io::Result<()> {
        self.line.clear();
        let _ = write!(self.line, "<way id=\"{id}\">");
        for n in nodes {
            let _ = write!(self.line, "<nd ref=\"{n}\"/>");
        }
        self.line.push_str(tags);
        self.line.push_str("</way>");
        writeln!(self.out, "{}", self.line)
    }
}

/// Writes the extract's OSM XML to `path`: nodes, then ways, then relations, as OSM orders them.
pub fn write_osm(scale: f64, path: &Path) -> std::io::Result<()> {
    let counts = Counts::of(scale);
    let file = std::fs::File::create(path)?;
    let mut w = Writer {
        out: std::io::BufWriter::new(file),
        rng: Rng(Lcg(0x05a1_7a1c)),
        next_node: 1,
        line: String::new(),
    };
    let (lon0, lon1, lat0, lat1) = (121.38, 121.50, 31.18, 31.26);
    writeln!(w.out, "<?xml version='1.0' encoding='UTF-8'?>")?;
    writeln!(w.out, "<osm version=\"0.6\" generator=\"linli bench\">")?;
    writeln!(
        w.out,
        "<bounds minlat=\"{lat0}\" minlon=\"{lon0}\" maxlat=\"{lat1}\" maxlon=\"{lon1}\"/>"
    )?;
    // Tagged nodes: GDAL's `points` layer.
    let mut tags = String::new();
    for _ in 0..counts.pois {
        tags.clear();
        let lon = lon0 + (lon1 - lon0) * w.rng.next();
        let lat = lat0 + (lat1 - lat0) * w.rng.next();
        match w.rng.below(10) {
            0..=4 => {
                let amenity = w.rng.pick(&AMENITIES);
                tag(&mut tags, "amenity", amenity);
            }
            5..=6 => {
                let shop = w.rng.pick(&SHOPS);
                tag(&mut tags, "shop", shop);
            }
            7..=8 => tag(&mut tags, "highway", "traffic_signals"),
            _ => tag(&mut tags, "barrier", "gate"),
        }
        if w.rng.next() < 0.6 {
            let name = format!("{}{}号", w.rng.pick(&PLACES), 1 + w.rng.below(300));
            tag(&mut tags, "name", &name);
        }
        if w.rng.next() < 0.2 {
            tag(&mut tags, "name:en", "Jing'an Temple");
        }
        if w.rng.next() < 0.15 {
            tag(&mut tags, "opening_hours", "Mo-Su 08:00-22:00");
        }
        if w.rng.next() < 0.1 {
            let street = w.rng.pick(&STREETS);
            tag(&mut tags, "addr:street", street);
        }
        w.node(lon, lat, &tags)?;
    }
    // Untagged nodes of the ways, remembered by way.
    let mut streets = Vec::with_capacity(counts.streets);
    for _ in 0..counts.streets {
        let mut x = lon0 + (lon1 - lon0) * w.rng.next();
        let mut y = lat0 + (lat1 - lat0) * w.rng.next();
        let k = 3 + w.rng.below(14);
        let heading = std::f64::consts::TAU * w.rng.next();
        let mut ids = Vec::with_capacity(k);
        for _ in 0..k {
            ids.push(w.node(x, y, "")?);
            let turn = heading + 0.4 * (w.rng.next() - 0.5);
            x += 0.0006 * turn.cos();
            y += 0.0006 * turn.sin();
        }
        streets.push(ids);
    }
    let mut areas = Vec::with_capacity(counts.areas);
    for _ in 0..counts.areas {
        let cx = lon0 + (lon1 - lon0) * w.rng.next();
        let cy = lat0 + (lat1 - lat0) * w.rng.next();
        let r = 0.00006 + 0.0004 * w.rng.next().powi(3);
        let k = 4 + w.rng.below(9);
        areas.push(w.ring(cx, cy, r, k)?);
    }
    let mut relation_rings = Vec::with_capacity(counts.relations);
    for _ in 0..counts.relations {
        let cx = lon0 + (lon1 - lon0) * w.rng.next();
        let cy = lat0 + (lat1 - lat0) * w.rng.next();
        let r = 0.0008 + 0.002 * w.rng.next();
        let (k_outer, k_inner) = (12 + w.rng.below(30), 6 + w.rng.below(6));
        let outer = w.ring(cx, cy, r, k_outer)?;
        let inner = w.ring(cx, cy, r * 0.3, k_inner)?;
        relation_rings.push((outer, inner));
    }
    // Ways: streets (GDAL's `lines`), closed ways with area tags (`multipolygons`), the
    // relations' untagged member ways.
    let mut way_id = 1u64;
    let mut street_ways = Vec::with_capacity(streets.len());
    for nodes in &streets {
        tags.clear();
        match w.rng.below(20) {
            0 => tag(&mut tags, "waterway", "canal"),
            1 => {
                tag(&mut tags, "railway", "subway");
                tag(&mut tags, "layer", "-1");
            }
            _ => {
                let highway = w.rng.pick(&HIGHWAYS);
                tag(&mut tags, "highway", highway);
                if w.rng.next() < 0.3 {
                    tag(&mut tags, "oneway", "yes");
                }
                if w.rng.next() < 0.2 {
                    tag(&mut tags, "maxspeed", "40");
                }
                if w.rng.next() < 0.1 {
                    tag(&mut tags, "bridge", "yes");
                    tag(&mut tags, "layer", "1");
                }
            }
        }
        if w.rng.next() < 0.7 {
            let street = w.rng.pick(&STREETS);
            tag(&mut tags, "name", street);
        }
        w.way(way_id, nodes, &tags)?;
        street_ways.push(way_id);
        way_id += 1;
    }
    for nodes in &areas {
        tags.clear();
        match w.rng.below(10) {
            0..=6 => {
                let building = w.rng.pick(&BUILDINGS);
                tag(&mut tags, "building", building);
                if w.rng.next() < 0.4 {
                    let levels = (1 + w.rng.below(30)).to_string();
                    tag(&mut tags, "building:levels", &levels);
                }
            }
            7 => tag(&mut tags, "leisure", "park"),
            _ => {
                let landuse = w.rng.pick(&LANDUSE);
                tag(&mut tags, "landuse", landuse);
            }
        }
        if w.rng.next() < 0.25 {
            let name = w.rng.pick(&PLACES);
            tag(&mut tags, "name", name);
        }
        w.way(way_id, nodes, &tags)?;
        way_id += 1;
    }
    let mut member_ways = Vec::with_capacity(relation_rings.len());
    for (outer, inner) in &relation_rings {
        w.way(way_id, outer, "")?;
        w.way(way_id + 1, inner, "")?;
        member_ways.push((way_id, way_id + 1));
        way_id += 2;
    }
    // Relations: multipolygons, then bus routes over the streets (`multilinestrings`).
    let mut relation_id = 1u64;
    for (outer, inner) in member_ways {
        tags.clear();
        tag(&mut tags, "type", "multipolygon");
        if w.rng.next() < 0.5 {
            let landuse = w.rng.pick(&LANDUSE);
            tag(&mut tags, "landuse", landuse);
        } else {
            tag(&mut tags, "building", "yes");
        }
        if w.rng.next() < 0.5 {
            let name = format!("{}小区", w.rng.pick(&PLACES));
            tag(&mut tags, "name", &name);
        }
        writeln!(
            w.out,
            "<relation id=\"{relation_id}\"><member type=\"way\" ref=\"{outer}\" role=\"outer\"/><member type=\"way\" ref=\"{inner}\" role=\"inner\"/>{tags}</relation>"
        )?;
        relation_id += 1;
    }
    for i in 0..counts.routes {
        w.line.clear();
        let _ = write!(w.line, "<relation id=\"{relation_id}\">");
        for _ in 0..(3 + w.rng.below(8)) {
            let way = street_ways[w.rng.below(street_ways.len())];
            let _ = write!(w.line, "<member type=\"way\" ref=\"{way}\" role=\"\"/>");
        }
        tag(&mut w.line, "type", "route");
        tag(&mut w.line, "route", "bus");
        let name = format!("{}路公交", 1 + i % 999);
        tag(&mut w.line, "name", &name);
        w.line.push_str("</relation>");
        writeln!(w.out, "{}", w.line)?;
        relation_id += 1;
    }
    writeln!(w.out, "</osm>")?;
    w.out.flush()
}

/// GDAL's layers of an OSM file, in the order `ogr2ogr -f GeoJSON out.geojson x.osm.pbf`
/// writes a mixed extract's features.
const LAYERS: [&str; 4] = ["points", "lines", "multilinestrings", "multipolygons"];

/// Converts `osm` with GDAL's OSM driver, one layer at a time, into one GeoJSON at `out`
/// holding each layer's features in turn (GDAL writes one feature a line).
pub fn to_geojson(osm: &Path, out: &Path) -> Result<(), String> {
    let dir = out.parent().ok_or("no directory")?;
    let file = std::fs::File::create(out).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(file);
    let mut first = true;
    writeln!(w, "{{\n\"type\": \"FeatureCollection\",\n\"name\": \"osm\",\n\"crs\": {{ \"type\": \"name\", \"properties\": {{ \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" }} }},\n\"features\": [").map_err(|e| e.to_string())?;
    for layer in LAYERS {
        let part = dir.join(format!("osm_{layer}.geojson"));
        let status = Command::new("ogr2ogr")
            .args(["-f", "GeoJSON"])
            .arg(&part)
            .arg(osm)
            .arg(layer)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("ogr2ogr of the {layer} layer failed: {status}"));
        }
        let text = std::fs::File::open(&part).map_err(|e| e.to_string())?;
        for line in std::io::BufReader::new(text).lines() {
            let line = line.map_err(|e| e.to_string())?;
            if !line.starts_with("{ \"type\": \"Feature\"") {
                continue;
            }
            if !first {
                writeln!(w, ",").map_err(|e| e.to_string())?;
            }
            first = false;
            write!(w, "{}", line.trim_end_matches(',')).map_err(|e| e.to_string())?;
        }
        let _ = std::fs::remove_file(&part);
    }
    writeln!(w, "\n]\n}}").map_err(|e| e.to_string())?;
    w.flush().map_err(|e| e.to_string())
}
