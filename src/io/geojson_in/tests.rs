//! Tests of the GeoJSON reader: the shapes of input, refusals, repairs, the datum.

use super::*;
use crate::error::GeometryPart;

fn parse(text: &str) -> Result<ParsedFile> {
    parse_bytes(
        text.as_bytes(),
        Path::new("t.geojson"),
        Some(SourceCrs::Wgs84),
        &mut |_| {},
    )
}

#[test]
fn reads_the_four_shapes_of_input() {
    let f = r#"{"type":"Feature","properties":{"名称":"陆家嘴"},"geometry":{"type":"Point","coordinates":[121.5,31.24]}}"#;
    assert_eq!(parse(f).unwrap().features.len(), 1);
    assert_eq!(parse(&format!("[{f},{f}]")).unwrap().features.len(), 2);
    assert_eq!(
        parse(&format!(
            r#"{{"type":"FeatureCollection","features":[{f}]}}"#
        ))
        .unwrap()
        .features
        .len(),
        1
    );
    let g =
        parse(r#"{"type":"LineString","coordinates":[[121.5,31.2],[121.6,31.3,4.0]]}"#).unwrap();
    assert!(matches!(
        g.features[0].geometry,
        geo::Geometry::LineString(_)
    ));
    let bom = format!("\u{feff}{f}");
    let p = parse(&bom).unwrap();
    assert_eq!(p.features[0].properties["名称"], "陆家嘴");
}

#[test]
fn refusals_name_feature_and_problem() {
    let e = parse(r#"[{"type":"Feature","geometry":{"type":"Point","coordinates":[121,31]}},{"type":"Feature","geometry":{"type":"Point","coordinates":[13524000.0,3662000.0]}}]"#).unwrap_err().to_string();
    assert!(
        e.contains("t.geojson: feature 1:") && e.contains("projected"),
        "{e}"
    );
    let e = parse(r#"{"type":"Feature","geometry":null,"properties":{}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no geometry"), "{e}");
    let e = parse("{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,\"a\"]}}]}").unwrap_err().to_string();
    assert!(e.contains("feature 0") && e.contains("line 3"), "{e}");
    let e = parse(r#"{"type":"Point","coordinates":[31.2,121.5]}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("swapped"), "{e}");
    let e = parse_bytes(
        b"{\"type\":\"Point\",\"name\":\"\xd6\xd0\"}",
        Path::new("g.json"),
        Some(SourceCrs::Wgs84),
        &mut |_| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not UTF-8"), "{e}");
    assert!(parse("").unwrap_err().to_string().contains("empty"));
    assert!(
        parse(r#"{"type":"FeatureCollection","features":[]}"#)
            .unwrap_err()
            .to_string()
            .contains("no features")
    );
}

#[test]
fn unambiguous_repairs_are_made_and_reported() {
    use crate::error::Repair as R;
    // Feature 0: an open ring closed. Feature 1 (id "w1"): repeated positions removed.
    // Feature 2: a MultiPolygon whose second polygon has a 3-position ring (dropped) and
    // whose first has a flat hole (dropped). Feature 3: nothing left, dropped.
    let text = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}},
 {"type":"Feature","id":"w1","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[0,0],[1,1],[1,1],[2,0]]}},
 {"type":"Feature","properties":{"osm_id":"77"},"geometry":{"type":"MultiPolygon","coordinates":[
   [[[0,0],[2,0],[2,2],[0,2],[0,0]],[[0.5,0.5],[1,1],[1.5,1.5],[0.5,0.5]]],
   [[[5,5],[6,5],[5,5]]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[3,3],[4,4],[3,3]]]}}
]}"#;
    let p = parse(text).unwrap();
    assert_eq!(
        p.features.iter().map(|f| f.index).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let got: Vec<(usize, Option<&str>, &R)> = p
        .repairs
        .iter()
        .map(|r| (r.feature, r.source_id.as_deref(), &r.repair))
        .collect();
    let poly = |i| Some(GeometryPart::Polygon(i));
    assert_eq!(
        got,
        [
            (
                0,
                None,
                &R::RingClosed {
                    part: None,
                    ring: 0
                }
            ),
            (1, Some("w1"), &R::RepeatedPositionsRemoved { count: 2 }),
            (
                2,
                Some("77"),
                &R::FlatRingDropped {
                    part: poly(0),
                    ring: 1
                }
            ),
            (
                2,
                Some("77"),
                &R::ShortRingDropped {
                    part: poly(1),
                    ring: 0,
                    found: 3
                }
            ),
            (2, Some("77"), &R::PolygonDropped { part: poly(1) }),
            (
                3,
                None,
                &R::ShortRingDropped {
                    part: None,
                    ring: 0,
                    found: 3
                }
            ),
            (3, None, &R::FeatureDropped),
        ]
    );
    let geo::Geometry::Polygon(closed) = &p.features[0].geometry else {
        panic!("a polygon")
    };
    assert_eq!(closed.exterior().0.len(), 5);
    let geo::Geometry::MultiPolygon(mp) = &p.features[2].geometry else {
        panic!("a multipolygon")
    };
    assert_eq!((mp.0.len(), mp.0[0].interiors().len()), (1, 0));
}

#[test]
fn a_refusal_lists_every_problem_up_to_twenty() {
    let bad = r#"{"type":"Feature","properties":{},"geometry":null}"#;
    let good =
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[121,31]}}"#;
    let mut items = vec![good.to_string()];
    items.extend(std::iter::repeat_n(bad.to_string(), 44));
    let e = parse(&format!("[{}]", items.join(","))).unwrap_err();
    let Some(Problem::Several { listed, total }) = e.problem() else {
        panic!("several problems expected: {e}")
    };
    assert_eq!((listed.len(), *total), (20, 44));
    assert_eq!(listed[0], (Some(1), Problem::NoGeometry));
    let text = e.to_string();
    assert!(
        text.starts_with(
            "t.geojson: 44 problems found (the first 20 listed):\n  feature 1: has no geometry"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 21);
}

#[test]
fn gcj02_is_converted_only_when_asked() {
    let text = br#"{"type":"Point","coordinates":[121.5,31.24]}"#;
    let wgs = parse_bytes(text, Path::new("a"), Some(SourceCrs::Wgs84), &mut |_| {}).unwrap();
    let gcj = parse_bytes(text, Path::new("a"), Some(SourceCrs::Gcj02), &mut |_| {}).unwrap();
    let (geo::Geometry::Point(a), geo::Geometry::Point(b)) =
        (&wgs.features[0].geometry, &gcj.features[0].geometry)
    else {
        panic!("points expected")
    };
    assert_eq!(a.x(), 121.5);
    // In Shanghai GCJ-02 lies about 420 m east and 220 m south of WGS84.
    assert!(b.x() < 121.5 && b.x() > 121.49, "{}", b.x());
    assert!(b.y() > 31.24 && b.y() < 31.25, "{}", b.y());
}

#[test]
fn the_stream_reads_as_the_whole_text_does() {
    let dir = tempfile::tempdir().unwrap();
    let f = r#"{"type":"Feature","id":"w1","properties":{"名称":"陆家嘴"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.2],[121.6,31.2],[121.6,31.3]]]}}"#;
    let inputs = [
        format!(r#"{{"type":"FeatureCollection","name":"街道","features":[{f},{f}]}}"#),
        format!("\u{feff}[{f}]"),
        format!(r#"{{"features":[{f}],"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}}}}}"#),
        f.to_string(),
        r#"{"type":"Point","coordinates":[121.5,31.2]}"#.to_string(),
        "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,\"a\"]}}]}".to_string(),
        "{\"type\":\"FeatureCollection\",\"features\":[".to_string(),
        r#"{"type":"FeatureCollection","features":[]}"#.to_string(),
        "".to_string(),
    ];
    for (i, text) in inputs.iter().enumerate() {
        let path = dir.path().join(format!("{i}.geojson"));
        std::fs::write(&path, text).unwrap();
        let streamed = read_file(&path, None, &mut |_| {});
        let whole = parse_bytes(text.as_bytes(), &path, None, &mut |_| {});
        match (streamed, whole) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "input {i}"),
            (Err(a), Err(b)) => {
                let (a, b) = (a.to_string(), b.to_string());
                assert!(a.contains(&format!("{i}.geojson")), "{a}");
                if i == 5 {
                    assert_eq!(a, b, "input {i}");
                    assert!(a.contains("feature 0") && a.contains("line 3"), "{a}");
                }
            }
            (a, b) => panic!("input {i}: streamed {a:?}, whole {b:?}"),
        }
    }
    // A Gauss-Kruger file whose crs comes after its features is read again, whole.
    let late = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[642875.823388848,3458520.11535714]}}],"crs":{"type":"name","properties":{"name":"EPSG:4549"}}}"#;
    let path = dir.path().join("late.geojson");
    std::fs::write(&path, late).unwrap();
    let p = read_file(&path, None, &mut |_| {}).unwrap();
    let geo::Geometry::Point(pt) = &p.features[0].geometry else {
        panic!("a point")
    };
    assert!((pt.x() - 121.4997).abs() < 1e-6, "{pt:?}");
}
