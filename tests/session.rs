//! The spatial questions the Session answers on the sample: features in a box, the nearest
//! feature, and the street and community of a point or a feature.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use linli::Session;
use linli::analysis::index::{BoxLonLat, representative_point};
use linli::model::LayerRole;

#[test]
fn boxes_nearest_and_locate_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let streets_i = s
        .layers()
        .iter()
        .position(|l| l.role == LayerRole::Streets)
        .unwrap();
    let streets = &s.layers()[streets_i];

    // A small box around 陆家嘴's interior point finds 陆家嘴 among its streets.
    let ljz = streets
        .features
        .iter()
        .position(|f| f.name == "陆家嘴街道")
        .unwrap();
    let p = representative_point(&streets.features[ljz].geometry).unwrap();
    let around = BoxLonLat {
        min_lon: p.x() - 0.001,
        min_lat: p.y() - 0.001,
        max_lon: p.x() + 0.001,
        max_lat: p.y() + 0.001,
    };
    assert!(s.features_in_box(streets_i, around).contains(&ljz));
    // The whole district's box finds every street.
    let all = streets
        .features
        .iter()
        .filter_map(|f| BoxLonLat::of(&f.geometry))
        .reduce(BoxLonLat::union)
        .unwrap();
    assert_eq!(
        s.features_in_box(streets_i, all).len(),
        streets.features.len()
    );
    // Nearest street to a point inside it is that street; to a point in the sea, some street.
    assert_eq!(s.nearest_feature(streets_i, p.x(), p.y()), Some(ljz));
    assert!(s.nearest_feature(streets_i, 122.3, 31.0).is_some());

    // Every plan feature is its own nearest at its representative point, and lies in the
    // street its stored field names.
    for (i, f) in s.plan().iter().enumerate() {
        let p = representative_point(&f.feature.geometry).unwrap();
        let nearest = s.nearest_plan_feature(p.x(), p.y()).unwrap();
        let d = |j: usize| {
            use geo::{Distance, Euclidean};
            Euclidean.distance(&p, &s.plan()[j].feature.geometry)
        };
        assert!(d(nearest) <= d(i) + 1e-12, "{}", f.feature.name);
        // The oracle: every boundary polygon tested directly, no index, no session code.
        let (street, community) = (
            containing(&s, LayerRole::Streets, p),
            containing(&s, LayerRole::Communities, p),
        );
        assert!(
            street.is_some() && community.is_some(),
            "{} lies in no street or community",
            f.feature.name
        );
        assert_eq!(f.street, street, "{}: stored street", f.feature.name);
        assert_eq!(
            f.community, community,
            "{}: stored community",
            f.feature.name
        );
        let located = s.locate_geometry(&f.feature.geometry);
        assert_eq!(
            (located.street, located.community),
            (street, community),
            "{}",
            f.feature.name
        );
    }
    let all_plan = s
        .plan()
        .iter()
        .filter_map(|f| BoxLonLat::of(&f.feature.geometry))
        .reduce(BoxLonLat::union)
        .unwrap();
    assert_eq!(s.plan_in_box(all_plan).len(), s.plan().len());
    let _: &Session = &s;
}

/// The name of the one feature of the layer with this role whose polygon contains the point,
/// found by testing every feature (the index-free oracle for `locate`).
fn containing(s: &Session, role: LayerRole, p: geo::Point<f64>) -> Option<String> {
    use geo::Contains;
    let layer = s.layers().iter().find(|l| l.role == role)?;
    let names: Vec<&str> = layer
        .features
        .iter()
        .filter(|f| f.geometry.contains(&p))
        .map(|f| f.name.as_str())
        .collect();
    assert!(names.len() <= 1, "{role:?} overlap at {p:?}: {names:?}");
    names.first().map(|n| n.to_string())
}

/// The `-wal`, `-shm` and `-journal` files beside `path` that exist.
fn side_files(path: &std::path::Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            std::path::Path::new(&p).exists().then(|| s.to_string())
        })
        .collect()
}

/// Issue 19, point 3: `Session::close` folds the log into the file and removes it, so the main
/// file copied alone holds every edit; with another connection still open (the map's tile
/// reader) it cannot, and says so instead of leaving the file half-saved in silence.
#[test]
fn close_leaves_one_whole_file_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.gpkg");
    linli::sample::create_sample_workspace(&path, &mut |_| {}).unwrap();
    let mut session = Session::open(&path).unwrap();
    let first = session.plan().iter().next().unwrap().feature.id;
    session.apply(linli::session::Edit::Delete(first)).unwrap();
    let left = session.plan().len();
    assert_eq!(
        side_files(&path),
        ["-wal", "-shm"],
        "open, with the edit in its log"
    );
    session.close().unwrap();
    assert!(side_files(&path).is_empty(), "{:?}", side_files(&path));
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("copy.gpkg");
    std::fs::copy(&path, &copy).unwrap();
    let alone = Session::open_read_only(&copy).unwrap();
    assert_eq!(alone.plan().len(), left);
    assert!(
        alone.plan_feature(first).is_none(),
        "the copy holds the edit"
    );

    // A reader still open: the close says the log stays beside the file.
    let mut session = Session::open(&path).unwrap();
    let second = session.plan().iter().next().unwrap().feature.id;
    session.apply(linli::session::Edit::Delete(second)).unwrap();
    let reader = linli::store::pyramid::TileReader::open(&path).unwrap();
    // Once it has read, as the map's loader has, it holds the file open in WAL mode.
    reader.info("no such layer").unwrap();
    let refused = session.close().unwrap_err();
    assert!(
        matches!(
            refused.problem(),
            Some(linli::error::Problem::StillOpenElsewhere)
        ),
        "{refused:?}"
    );
    drop(reader);
    assert!(
        !side_files(&path).is_empty(),
        "the reader cannot fold the log in"
    );
    // The next close does.
    Session::open(&path).unwrap().close().unwrap();
    assert!(side_files(&path).is_empty());
    let alone = Session::open_read_only(&path).unwrap();
    assert!(alone.plan_feature(second).is_none());
}
