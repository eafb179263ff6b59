//! Coverage (issue 11): the generated district — a jittered 36 × 36 grid of communities over
//! 121.45–121.95 E, 30.85–31.40 N and 1,000 random facility points, 500 m — straight line,
//! against QGIS Processing (reproject to UTM 51N, buffer 16 segments dissolved, intersect) in
//! the same run when python3-qgis is installed; the network model on a 50,000-segment street
//! grid with 1,000 facilities; the live what-if; the top 20 candidates.
//! `cargo bench --bench coverage`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/qgis_coverage.rs"]
mod qgis_coverage;

use std::time::Instant;

use geo::{Geometry, LineString, Point, Polygon};
use linli::analysis::coverage::local::LocalTm;
use linli::analysis::coverage::{Area, Coverage, Model, NetworkOptions, Request};
use linli::sample::coverage_case::{
    CASE_AREAS, CASE_POINTS, DISTRICT_BOX, Rng, district_spec, district_workspace, street_grid_m,
};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.unwrap())
}

fn square(tm: &LocalTm, x: f64, y: f64, side: f64) -> Geometry<f64> {
    let ring: Vec<(f64, f64)> = [
        (0.0, 0.0),
        (side, 0.0),
        (side, side),
        (0.0, side),
        (0.0, 0.0),
    ]
    .iter()
    .map(|&(dx, dy)| {
        let [lon, lat] = tm.inverse(x + dx, y + dy);
        (lon, lat)
    })
    .collect();
    Geometry::Polygon(Polygon::new(LineString::from(ring), vec![]))
}

/// Times of `added` for proposals (pocket gardens 60 m square) at random places: (median, max) ms.
fn what_if(c: &Coverage, tm: &LocalTm, half_side_m: f64, rng: &mut Rng) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..200)
        .map(|_| {
            let g = square(
                tm,
                rng.range(-half_side_m, half_side_m),
                rng.range(-half_side_m, half_side_m),
                60.0,
            );
            let t = Instant::now();
            let a = c.added(&g);
            let _overlay = c.added_overlay(&g, 5.0);
            std::hint::black_box(a);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1])
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("district.gpkg");
    let t = Instant::now();
    let session = district_workspace(&ws, 36, 1000, DISTRICT_BOX, 2026).unwrap();
    println!(
        "generated and imported 1,296 communities and 1,000 points: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let spec = district_spec(&session, 500.0).unwrap();
    let request = session.analysis().coverage_request(&spec).unwrap();
    let (compute_s, coverage) = best_of(3, || Coverage::compute(&request));
    let (total_s, _) = best_of(3, || session.analysis().coverage(&spec).unwrap());
    println!(
        "linli straight line, 500 m: {:.1} ms compute, {:.1} ms with reading the layers (best of 3); overall {:.2} % covered",
        compute_s * 1e3,
        total_s * 1e3,
        coverage.overall_share() * 100.0
    );
    drop(session);
    match qgis_coverage::qgis_coverage(&ws, CASE_AREAS, CASE_POINTS, 500.0) {
        Ok(q) => {
            let mut worst = 0.0f64;
            let mut over = 0;
            for r in coverage.results() {
                let d = (r.covered_share - q.shares.get(&r.id).copied().unwrap_or(f64::NAN)).abs();
                if d.is_nan() || d > 0.005 {
                    over += 1;
                }
                worst = worst.max(d);
            }
            println!(
                "qgis processing (reproject, buffer 16 seg dissolved, intersect, areas): {:.2} s",
                q.seconds
            );
            println!(
                "agreement: {} communities, worst difference {:.3} pp, {} over 0.5 pp",
                q.shares.len(),
                worst * 100.0,
                over
            );
            println!(
                "linli / qgis time: {:.4} (target ≤ 0.1)",
                total_s / q.seconds
            );
        }
        Err(why) => println!("qgis: skipped ({why}); no ratio"),
    }
    let tm = LocalTm::centred(121.7, 31.125);
    let mut rng = Rng::new(7);
    let (wm, wx) = what_if(&coverage, &tm, 20_000.0, &mut rng);
    println!(
        "what-if (straight line, 500 m): median {wm:.2} ms, max {wx:.2} ms over 200 proposals (target ≤ 16)"
    );
    let (cand_s, (picks, _)) = best_of(3, || coverage.candidates(20));
    println!(
        "candidates top 20 (by uncovered area): {:.1} ms; first adds {:.0} m²",
        cand_s * 1e3,
        picks.first().map_or(0.0, |p| p.gain)
    );

    // The network: a jittered street grid of 50,000 segments, 1,000 facilities, 20 × 20
    // communities.
    let side = 15_000.0;
    let lines = street_grid_m(50_000, side, &mut rng);
    let segments: usize = lines.iter().map(|l| l.len() - 1).sum();
    let to_geo = |xy: [f64; 2]| {
        let [lon, lat] = tm.inverse(xy[0] - side / 2.0, xy[1] - side / 2.0);
        (lon, lat)
    };
    let network: Vec<Geometry<f64>> = lines
        .iter()
        .map(|l| {
            Geometry::LineString(LineString::from(
                l.iter().map(|&p| to_geo(p)).collect::<Vec<_>>(),
            ))
        })
        .collect();
    let facilities: Vec<Geometry<f64>> = (0..1000)
        .map(|_| {
            let (lon, lat) = to_geo([rng.range(0.0, side), rng.range(0.0, side)]);
            Geometry::Point(Point::new(lon, lat))
        })
        .collect();
    let cell = side / 20.0;
    let areas: Vec<Area> = (0..400)
        .map(|k| Area {
            id: k.to_string(),
            name: format!("社区 {k}"),
            geometry: square(
                &tm,
                (k % 20) as f64 * cell - side / 2.0,
                (k / 20) as f64 * cell - side / 2.0,
                cell,
            ),
        })
        .collect();
    let request = Request {
        areas,
        facilities,
        distance_m: 500.0,
        model: Model::Network(NetworkOptions::default()),
        network,
        weights: Vec::new(),
    };
    let (net_s, net) = best_of(3, || Coverage::compute(&request));
    println!(
        "linli network, {segments} segments, 1,000 facilities, 400 areas, 500 m walk + 30 m access: {:.1} ms (target ≤ 2000); {:.2} % covered",
        net_s * 1e3,
        net.overall_share() * 100.0
    );
    let (wm, wx) = what_if(&net, &tm, side / 2.0 - 100.0, &mut rng);
    println!(
        "what-if (network): median {wm:.2} ms, max {wx:.2} ms over 200 proposals (target ≤ 16)"
    );
    let (cand_s, _) = best_of(3, || net.candidates(20));
    println!(
        "candidates top 20 (network coverage): {:.1} ms (target ≤ 1000)",
        cand_s * 1e3
    );
}
