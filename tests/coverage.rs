//! Coverage on constructed geometry with known answers: a half-covered square, a park counted
//! from its edge, a river crossed by one bridge, candidates, what-if — and agreement with QGIS
//! Processing on a generated district when python3-qgis is installed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use geo::{Geometry, LineString, Point, Polygon};
use linli::analysis::coverage::local::LocalTm;
use linli::analysis::coverage::{Area, Coverage, Model, NetworkOptions, Request, Weight};

/// Metres around 121.5 E, 31.2 N to lon/lat.
fn tm() -> LocalTm {
    LocalTm::centred(121.5, 31.2)
}

fn pt(x: f64, y: f64) -> Geometry<f64> {
    let [lon, lat] = tm().inverse(x, y);
    Geometry::Point(Point::new(lon, lat))
}

fn line(xy: &[(f64, f64)]) -> Geometry<f64> {
    Geometry::LineString(ring(xy))
}

fn ring(xy: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(
        xy.iter()
            .map(|&(x, y)| {
                let [lon, lat] = tm().inverse(x, y);
                (lon, lat)
            })
            .collect::<Vec<_>>(),
    )
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Geometry<f64> {
    Geometry::Polygon(Polygon::new(
        ring(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    ))
}

fn area(name: &str, g: Geometry<f64>) -> Area {
    Area {
        id: name.into(),
        name: name.into(),
        geometry: g,
    }
}

fn straight(areas: Vec<Area>, facilities: Vec<Geometry<f64>>, d: f64) -> Request {
    Request {
        areas,
        facilities,
        distance_m: d,
        model: Model::Straight,
        network: Vec::new(),
        weights: Vec::new(),
    }
}

#[test]
fn a_square_community_half_covered_is_fifty_percent() {
    // A 1 km square; a path along its west edge (running well past it) covers the west 500 m.
    let req = straight(
        vec![area("半", rect(0.0, 0.0, 1000.0, 1000.0))],
        vec![line(&[(0.0, -2000.0), (0.0, 3000.0)])],
        500.0,
    );
    let c = Coverage::compute(&req);
    let r = &c.results()[0];
    assert!((r.covered_share - 0.5).abs() < 0.002, "{}", r.covered_share);
    assert!((r.area_m2 - 1.0e6).abs() < 2_000.0, "{}", r.area_m2);
    assert!((r.covered_m2 - 0.5e6).abs() < 2_000.0, "{}", r.covered_m2);
    // The uncovered overlay is the east half.
    let uncovered: f64 = c
        .uncovered(10.0)
        .iter()
        .map(|m| linli::analysis::measure::area_m2(&Geometry::MultiPolygon(m.clone())))
        .sum();
    assert!((uncovered - 0.5e6).abs() < 10_000.0, "{uncovered}");
}

#[test]
fn a_park_counts_from_its_edge() {
    // A 100 m square park in the middle of a 2 km square, 300 m: the park, four 100 × 300 m
    // strips and four quarter discs — not a 300 m disc around its centre.
    let req = straight(
        vec![area("园", rect(-1000.0, -1000.0, 1000.0, 1000.0))],
        vec![rect(-50.0, -50.0, 50.0, 50.0)],
        300.0,
    );
    let c = Coverage::compute(&req);
    let r = &c.results()[0];
    let exact = 100.0 * 100.0 + 4.0 * 100.0 * 300.0 + std::f64::consts::PI * 300.0 * 300.0;
    assert!(
        (r.covered_m2 - exact).abs() / exact < 0.005,
        "{} vs {exact}",
        r.covered_m2
    );
    let from_centre = std::f64::consts::PI * 300.0 * 300.0;
    assert!(r.covered_m2 > from_centre * 1.3);
}

/// Two banks of a river along y = 0, each with its own streets, joined by one bridge at
/// x = 1800. Side streets end on the bank roads without a shared vertex (T-junctions).
fn river_network() -> Vec<Geometry<f64>> {
    let mut lines = vec![
        line(&[(0.0, -100.0), (2000.0, -100.0)]),
        line(&[(0.0, 100.0), (2000.0, 100.0)]),
        line(&[(1800.0, -100.0), (1800.0, 100.0)]),
    ];
    for x in [0.0, 500.0, 1000.0, 1500.0, 2000.0] {
        lines.push(line(&[(x, -1000.0), (x, -100.0)]));
        lines.push(line(&[(x, 100.0), (x, 1000.0)]));
    }
    lines
}

#[test]
fn a_river_with_one_bridge() {
    let facility = pt(200.0, -150.0);
    let near_bridge = pt(1800.0, -150.0);
    let weights = vec![
        Weight {
            geometry: pt(200.0, 120.0),
            weight: 1.0,
        },
        Weight {
            geometry: pt(1800.0, 120.0),
            weight: 10.0,
        },
    ];
    let areas = vec![
        area("south", rect(0.0, -1000.0, 2000.0, -10.0)),
        area("north", rect(0.0, 10.0, 2000.0, 1000.0)),
    ];
    let mut req = straight(areas, vec![facility.clone(), near_bridge.clone()], 500.0);
    req.weights = weights;
    let line_of_sight = Coverage::compute(&req);
    let north = &line_of_sight.results()[1];
    assert!(north.covered_share > 0.1, "{}", north.covered_share);
    assert_eq!(north.weight_covered, Some(11.0));

    req.model = Model::Network(NetworkOptions::default());
    req.network = river_network();
    let walked = Coverage::compute(&req);
    let (south, north) = (&walked.results()[0], &walked.results()[1]);
    assert!(south.covered_share > 0.05, "{}", south.covered_share);
    // Across the river only the stretch walked from the bridge is covered.
    assert!(north.covered_share > 0.0, "{}", north.covered_share);
    assert!(north.covered_share < 0.03, "{}", north.covered_share);
    assert_eq!(north.weight_covered, Some(10.0), "only the bridge end");

    // Without the bridge's facility, nothing across the river is covered.
    req.facilities = vec![facility];
    let walked = Coverage::compute(&req);
    assert_eq!(walked.results()[1].covered_m2, 0.0);
    assert_eq!(walked.results()[1].weight_covered, Some(0.0));
}

#[test]
fn what_if_adds_the_uncovered_half() {
    let req = straight(
        vec![area("半", rect(0.0, 0.0, 1000.0, 1000.0))],
        vec![line(&[(0.0, -2000.0), (0.0, 3000.0)])],
        500.0,
    );
    let c = Coverage::compute(&req);
    // A path along the east edge covers the other half; a facility on the first path adds
    // nothing; one at x = 900 adds the disc's part east of x = 500 (451,150 m²).
    let added = c.added(&line(&[(1000.0, -2000.0), (1000.0, 3000.0)]));
    // It lies on the edge: its community is the one it adds to.
    assert_eq!(added.area, Some(0));
    assert!((added.added_m2 - 0.5e6).abs() < 3_000.0, "{added:?}");
    assert!((added.area_share - 0.5).abs() < 0.003, "{added:?}");
    let inside = c.added(&pt(0.0, 500.0));
    assert!(inside.added_m2 < 1.0, "{inside:?}");
    let east = c.added(&pt(900.0, 500.0));
    assert_eq!(east.area, Some(0));
    assert!((east.added_m2 - 451_150.0).abs() < 1_500.0, "{east:?}");
    assert!(!c.added_overlay(&pt(900.0, 500.0), 10.0).0.is_empty());
}

#[test]
fn candidates_pick_the_obvious_site_first() {
    let mut weights = Vec::new();
    for k in 0..100 {
        let a = k as f64 * 0.7;
        weights.push(Weight {
            geometry: pt(2500.0 + 40.0 * a.cos(), 500.0 + 40.0 * a.sin()),
            weight: 1.0,
        });
    }
    for k in 0..5 {
        weights.push(Weight {
            geometry: pt(500.0 + 10.0 * k as f64, 500.0),
            weight: 1.0,
        });
    }
    let mut req = straight(
        vec![area("长", rect(0.0, 0.0, 3000.0, 1000.0))],
        vec![pt(-5000.0, -5000.0)],
        300.0,
    );
    req.weights = weights;
    let c = Coverage::compute(&req);
    let (picks, by_weight) = c.candidates(5);
    assert!(by_weight);
    assert_eq!(picks.len(), 2, "{picks:?}");
    let at = |k: usize| tm().forward(picks[k].lon, picks[k].lat);
    let first = at(0);
    assert!(
        (first[0] - 2500.0).hypot(first[1] - 500.0) < 300.0,
        "{first:?}"
    );
    assert!((picks[0].gain - 100.0).abs() < 1e-9);
    assert!((picks[1].gain - 5.0).abs() < 1e-9);
    // Without weights, the uncovered area ranks: the first site is a full disc inside.
    req.weights.clear();
    let (picks, by_weight) = Coverage::compute(&req).candidates(3);
    assert!(!by_weight && picks.len() == 3);
    let disc = std::f64::consts::PI * 300.0 * 300.0;
    assert!(
        (picks[0].gain - disc).abs() / disc < 0.05,
        "{}",
        picks[0].gain
    );
    assert!(picks[1].gain <= picks[0].gain && picks[2].gain <= picks[1].gain);
}

#[path = "common/qgis_coverage.rs"]
mod qgis_coverage;

#[test]
fn agrees_with_qgis_on_a_generated_district() {
    use linli::sample::coverage_case::{
        CASE_AREAS, CASE_POINTS, district_spec, district_workspace,
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("district.gpkg");
    let session = district_workspace(&ws, 10, 80, [121.45, 30.85, 121.60, 31.00], 11).unwrap();
    let spec = district_spec(&session, 500.0).unwrap();
    let c = session.analysis().coverage(&spec).unwrap();
    drop(session);
    let q = match qgis_coverage::qgis_coverage(&ws, CASE_AREAS, CASE_POINTS, 500.0) {
        Ok(q) => q,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    assert_eq!(q.shares.len(), c.results().len());
    let mut worst = 0.0f64;
    for r in c.results() {
        let theirs = q.shares[&r.id];
        worst = worst.max((r.covered_share - theirs).abs());
    }
    eprintln!(
        "worst difference from QGIS: {:.3} percentage points (QGIS {:.2} s)",
        worst * 100.0,
        q.seconds
    );
    assert!(worst < 0.005, "{worst}");
    let partial = c
        .results()
        .iter()
        .filter(|r| r.covered_share > 0.05 && r.covered_share < 0.95)
        .count();
    assert!(
        partial > 20,
        "a case worth comparing: {partial} partly covered"
    );
}

#[test]
fn rule_checks_measure_the_nearest_garden_and_the_elder_target() {
    use linli::analysis::coverage::rules::Target;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let gardens: Vec<_> = session
        .plan()
        .iter()
        .filter(|f| f.element == "pocket_garden")
        .cloned()
        .collect();
    assert_eq!(gardens.len(), 2);
    let d = linli::analysis::coverage::rules::distance_m(
        &gardens[0].feature.geometry,
        &gardens[1].feature.geometry,
    )
    .unwrap();
    let checks = session.analysis().rule_checks(&gardens[0]);
    assert!(checks.targets.is_empty(), "the sample has no elder layer");
    match checks.nearest_same_m {
        Some(n) => assert!((n - d).abs() < 1e-6, "{n} vs {d}"),
        None => assert!(
            d > 4_000.0,
            "none within reach, and the other is {d} m away"
        ),
    }
    // An elder facility 200 m north of the first garden meets the 5-minute target.
    let p = geo::InteriorPoint::interior_point(&gardens[0].feature.geometry).unwrap();
    let [x, y] = LocalTm::centred(p.x(), p.y()).forward(p.x(), p.y());
    let [lon, lat] = LocalTm::centred(p.x(), p.y()).inverse(x, y + 200.0);
    let file = dir.path().join("elder.geojson");
    std::fs::write(
        &file,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"长者照护之家"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}]}}"#
        ),
    )
    .unwrap();
    let request = linli::session::ImportRequest {
        layer: Some("养老设施".into()),
        ..Default::default()
    };
    session.import_file(&file, &request, &mut |_| {}).unwrap();
    let checks = session.analysis().rule_checks(&gardens[0]);
    assert_eq!(checks.targets.len(), 1);
    let (target, layer, d) = &checks.targets[0];
    assert_eq!((*target, layer.as_str()), (Target::Elder, "养老设施"));
    let d = d.unwrap();
    assert!(d > 0.0 && d <= 200.5 && d <= target.distance_m(), "{d}");
}
