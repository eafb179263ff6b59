//! Nothing is lost without a word: requests that would leave dangling data are refused, and
//! the map reports a feature it cannot draw instead of shifting the others.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::error::Problem;
use linli::session::{Edit, NewFeature};

#[test]
fn adding_a_feature_that_names_a_missing_project_is_refused_like_set_project() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let before = common::fingerprint(&ws);
    let count = session.plan().len();
    let new = |project: &str| {
        Edit::Add(NewFeature {
            id: uuid::Uuid::new_v4(),
            element: "public_facility".into(),
            geometry: geo::Geometry::Point(geo::Point::new(121.5129, 31.2387)),
            name: "新口袋花园".into(),
            properties: Default::default(),
            project: Some(project.into()),
        })
    };
    let e = session.apply(new("NO-SUCH-01")).unwrap_err();
    assert_eq!(
        e.problem(),
        Some(&Problem::NoSuchProject {
            code: "NO-SUCH-01".into()
        })
    );
    assert_eq!(session.plan().len(), count);
    assert!(!session.can_undo());
    assert_eq!(common::fingerprint(&ws), before, "the file is unchanged");
    // A project the workspace holds is fine.
    let code = session.projects().keys().next().unwrap().clone();
    session.apply(new(&code)).unwrap();
    assert_eq!(session.plan().len(), count + 1);
}
