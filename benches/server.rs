//! District server benchmark (issue 24's timings): the first push of a street workspace of
//! about 2,000 records, and an incremental sync of 10 changes, against a PostgreSQL server
//! with PostGIS on loopback.
//!
//! Run: `cargo bench --bench server` with a superuser in `LINLI_TEST_PG` (default
//! `postgresql://linli:linli@127.0.0.1/postgres`, what `.ci/run` sets up); it makes and drops
//! a database of its own. Prints a reason and exits when no server answers.

use std::time::Instant;

use linli::Session;
use linli::session::{Edit, ImportRequest};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let admin = std::env::var("LINLI_TEST_PG")
        .unwrap_or_else(|_| "postgresql://linli:linli@127.0.0.1/postgres".into());
    let mut client = match postgres::Client::connect(&admin, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            println!(
                "skipped: no PostgreSQL server at {} ({e})",
                linli::server::shown(&admin)
            );
            return Ok(());
        }
    };
    let db = format!("linli_bench_{}", uuid::Uuid::new_v4().simple());
    client.batch_execute(&format!("CREATE DATABASE {db}"))?;
    let url = format!("{}/{db}", &admin[..admin.rfind('/').unwrap_or(admin.len())]);
    let result = run(&url);
    client.batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))?;
    result
}

fn run(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let district = dir.path().join("浦东新区.gpkg");
    linli::sample::create_sample_workspace(&district, &mut |_| {})?.close()?;
    let mut d = Session::open(&district)?;
    let grid = dir.path().join("grid.geojson");
    std::fs::write(&grid, linli::sample::synthetic::plan_polygon_grid(8_000))?;
    let request = ImportRequest {
        role: linli::model::LayerRole::Plan,
        ..Default::default()
    };
    d.import_file(&grid, &request, &mut |_| {})?;
    let street = d.main_street().ok_or("no street")?;
    let ws = dir.path().join("street.gpkg");
    let packaged = d.package_street(&street, &ws)?;
    d.close()?;
    linli::server::init(url, false)?;

    let mut s = Session::open(&ws)?;
    let t = Instant::now();
    let first = linli::server::sync(&mut s, url, &street)?;
    let first_s = t.elapsed().as_secs_f64();
    println!(
        "first push of {street}: {} records sent ({} in the workspace) in {:.0} ms",
        first.inserted,
        packaged.records,
        first_s * 1e3
    );
    let ids: Vec<uuid::Uuid> = s.plan().iter().take(10).map(|f| f.feature.id).collect();
    let mut runs = Vec::new();
    for round in 0..5 {
        for (i, id) in ids.iter().enumerate() {
            s.apply(Edit::SetName {
                id: *id,
                name: format!("口袋花园 {round}-{i}"),
            })?;
        }
        let t = Instant::now();
        let r = linli::server::sync(&mut s, url, &street)?;
        runs.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(r.updated, 10, "{r:?}");
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "incremental sync of 10 changes: median {:.0} ms, worst {:.0} ms (target ≤ 200 ms)",
        runs[runs.len() / 2],
        runs[runs.len() - 1]
    );
    s.close()?;
    Ok(())
}
