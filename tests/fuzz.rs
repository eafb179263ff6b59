//! A short deterministic run of the fuzz harness (`linli::fuzzing`, the same code as
//! `examples/fuzz.rs`): every reader of untrusted bytes gets mutated inputs from fixed seeds,
//! and any panic fails the test with the input saved.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::time::Duration;

use linli::fuzzing::{Campaign, Finding, Target};

#[test]
fn every_reader_survives_a_few_hundred_mutated_inputs() {
    linli::fuzzing::install_panic_counter(true);
    let work = tempfile::tempdir().unwrap();
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bad-input-corpus");
    if !corpus.is_dir() {
        eprintln!("the shared bad-input corpus is absent: seeding from generated inputs only");
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut totals = std::collections::BTreeMap::new();
    let started = std::time::Instant::now();
    let seeds = linli::fuzzing::Seeds::make(
        &work.path().join("seeds"),
        corpus.is_dir().then_some(corpus.as_path()),
    )
    .unwrap();
    eprintln!("seeds made in {:?}", started.elapsed());
    // The SQLite targets are slower to run in a debug build: fewer executions there.
    for (targets, execs) in [
        (
            vec![Target::GeoJson, Target::Shapefile, Target::Geometry],
            300,
        ),
        (vec![Target::SourceGpkg, Target::MbTiles], 120),
        (vec![Target::Workspace], 30),
    ] {
        let campaign = Campaign {
            seed: 19,
            targets,
            execs_per_target: Some(execs),
            until: None,
            slow: Duration::from_secs(10),
            corpus: None,
            work: work.path().to_path_buf(),
        };
        let part = linli::fuzzing::run_seeded(&campaign, &seeds, &mut |_, _, _| {}, &mut |f| {
            findings.push(f.clone())
        });
        totals.extend(part);
        eprintln!("{:?} done at {:?}", campaign.targets, started.elapsed());
    }
    for f in &findings {
        let dir = work.path().join("finding");
        f.input.save(&dir).unwrap();
        eprintln!("{:?}: {} ({})", f.target, f.what, f.input.describe());
    }
    for target in Target::ALL {
        let t = totals[&target];
        eprintln!("{target:?}: {t:?}");
        // Not vacuous: the mutator made inputs the reader refused, and (but for the
        // workspace, whose every mutation may be survivable) inputs it accepted.
        assert!(t.execs > 0 && t.refused > 0, "{target:?}: {t:?}");
        assert!(t.accepted > 0, "{target:?}: {t:?}");
    }
    assert!(
        findings.is_empty(),
        "{} findings: {:?}",
        findings.len(),
        findings
            .iter()
            .map(|f| (&f.target, &f.what))
            .collect::<Vec<_>>()
    );
}
