//! The plan tables' extent bookkeeping: kept current by every write and delete, and equal to a
//! full recomputation from the R-trees; plus a timing of one edit on 100,000 polygons.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use uuid::Uuid;

use super::{PlanDerived, Store, delete_plan_feature, plan_table, write_plan_feature};
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Feature, PlanFeature};

const DERIVED: PlanDerived<'static> = PlanDerived {
    element_name: "口袋花园",
    area_m2: None,
    length_m: None,
};

fn square(id: Uuid, lon: f64, lat: f64, size: f64) -> PlanFeature {
    let ring = geo::LineString::from(vec![
        (lon, lat),
        (lon + size, lat),
        (lon + size, lat + size),
        (lon, lat + size),
        (lon, lat),
    ]);
    PlanFeature {
        feature: Feature {
            id,
            name: String::new(),
            geometry: geo::Geometry::Polygon(geo::Polygon::new(ring, vec![])),
            properties: Default::default(),
        },
        element: "pocket_garden".into(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    }
}

fn point(id: Uuid, lon: f64, lat: f64) -> PlanFeature {
    PlanFeature {
        feature: Feature {
            id,
            name: String::new(),
            geometry: geo::Geometry::Point(geo::Point::new(lon, lat)),
            properties: Default::default(),
        },
        element: "public_facility".into(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    }
}

/// The stored extents of the three plan tables.
fn stored(conn: &rusqlite::Connection) -> Vec<[Option<f64>; 4]> {
    [
        GeometryKind::Point,
        GeometryKind::Line,
        GeometryKind::Polygon,
    ]
    .into_iter()
    .map(|k| {
        conn.query_row(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?1",
            [plan_table(k).0],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
        )
        .unwrap()
    })
    .collect()
}

/// The three plan tables' extents computed in full from their R-trees, without writing them.
fn recomputed(conn: &rusqlite::Connection) -> Vec<[Option<f64>; 4]> {
    [
        GeometryKind::Point,
        GeometryKind::Line,
        GeometryKind::Polygon,
    ]
    .into_iter()
    .map(|k| {
        let rtree = format!("\"rtree_{}_geom\"", plan_table(k).0);
        conn.query_row(
            &format!("SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {rtree}"),
            [],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
        )
        .unwrap()
    })
    .collect()
}

/// A tiny deterministic generator (xorshift), so the test needs no seed crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
}

#[test]
fn extents_after_random_writes_and_deletes_equal_a_full_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("e.gpkg"), &Catalog::bundled()).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ids: Vec<Uuid> = Vec::new();
    for step in 0..1000 {
        let tx = store.begin().unwrap();
        let roll = rng.next() % 10;
        if roll < 2 && !ids.is_empty() {
            let i = (rng.next() as usize) % ids.len();
            delete_plan_feature(&tx, ids.swap_remove(i)).unwrap();
        } else {
            // A new feature, or an existing one moved (sometimes to the other kind's table).
            let id = if roll < 6 || ids.is_empty() {
                let id = Uuid::new_v4();
                ids.push(id);
                id
            } else {
                ids[(rng.next() as usize) % ids.len()]
            };
            let (lon, lat) = (121.0 + rng.unit(), 31.0 + rng.unit());
            let feature = if rng.next().is_multiple_of(4) {
                point(id, lon, lat)
            } else {
                square(id, lon, lat, 0.01 * rng.unit())
            };
            write_plan_feature(&tx, &feature, DERIVED, None).unwrap();
        }
        assert_eq!(stored(&tx), recomputed(&tx), "after step {step}");
        tx.commit().unwrap();
    }
    // Deleting everything leaves empty extents.
    let tx = store.begin().unwrap();
    for id in ids {
        delete_plan_feature(&tx, id).unwrap();
    }
    assert_eq!(stored(&tx), vec![[None; 4]; 3]);
    assert_eq!(recomputed(&tx), vec![[None; 4]; 3]);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `cargo test --lib store::extent_tests::time_one_edit -- --ignored --nocapture`
#[test]
#[ignore = "a timing, not a check: takes a minute in a debug build"]
fn time_one_edit_on_100k_polygons() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("t.gpkg"), &Catalog::bundled()).unwrap();
    let side = 317usize; // 317² ≈ 100,000
    let mut ids = Vec::new();
    let start = Instant::now();
    let tx = store.begin().unwrap();
    for i in 0..side * side {
        let id = Uuid::new_v4();
        let (x, y) = ((i % side) as f64, (i / side) as f64);
        let f = square(id, 121.3 + x * 0.0015, 31.0 + y * 0.0012, 0.001);
        write_plan_feature(&tx, &f, DERIVED, None).unwrap();
        ids.push(id);
    }
    super::refresh_plan_extents(&tx).unwrap();
    tx.commit().unwrap();
    eprintln!(
        "filled {} polygons in {:.1} s",
        ids.len(),
        start.elapsed().as_secs_f64()
    );
    // Move an interior feature back and forth, as a vertex drag does, 41 times.
    let interior = ids[ids.len() / 2 + side / 2];
    let edge = ids[0];
    for (label, id) in [("interior", interior), ("on the extent's edge", edge)] {
        let (mut write, mut refresh, mut commit) = (Vec::new(), Vec::new(), Vec::new());
        for n in 0..41u32 {
            let i = ids.iter().position(|x| *x == id).unwrap();
            let (x, y) = ((i % side) as f64, (i / side) as f64);
            let shift = if n.is_multiple_of(2) { 0.0002 } else { 0.0 };
            let f = square(id, 121.3 + x * 0.0015 + shift, 31.0 + y * 0.0012, 0.001);
            let tx = store.begin().unwrap();
            let t = Instant::now();
            write_plan_feature(&tx, &f, DERIVED, None).unwrap();
            write.push(t.elapsed());
            let t = Instant::now();
            super::refresh_plan_extents(&tx).unwrap();
            refresh.push(t.elapsed());
            let t = Instant::now();
            tx.commit().unwrap();
            commit.push(t.elapsed());
        }
        eprintln!(
            "{label} feature, median of 41: write_plan_feature {:.3} ms, refresh_plan_extents {:.3} ms, commit {:.3} ms",
            median(write).as_secs_f64() * 1e3,
            median(refresh).as_secs_f64() * 1e3,
            median(commit).as_secs_f64() * 1e3,
        );
    }
}
