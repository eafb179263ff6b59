//! Project-record benchmark at the size of ten districts' three years: 4,000 projects over
//! 15,000 plan features (points of four element types in turn) and 12,000 meetings. It
//! times opening the workspace, the projects table filtered and sorted as the window does it
//! (summaries cached), statistics right after opening (which builds the summaries), again, and
//! right after an edit, and one project edit committed (validated, written in one transaction,
//! history appended), median and worst over enough edits to reach a checkpoint. 1,000 people are on the roster, meetings chaired by them.
//!
//! Run: `cargo bench --bench projects`. On this machine's shared cores a debug build is what
//! can be afforded: `cargo bench --profile dev --bench projects` gives pessimistic numbers.

use std::time::{Duration, Instant};

use linli::Session;
use linli::model::meeting::Meeting;
use linli::model::project::MeetingKind;
use linli::session::ProjectEdit;
use linli::session::report::{GroupBy, ProjectFilter};

const PROJECTS: usize = 4_000;
const FEATURES: usize = 15_000;
const MEETINGS: usize = 12_000;
const PEOPLE: usize = 1_000;
const RUNS: usize = 20;
/// Edits timed: enough for the write-ahead log to pass SQLite's automatic checkpoint (1,000
/// pages, about 250 edits), with a pause half-way in which the store checkpoints instead.
const EDITS: usize = 300;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let ws = dir.path().join("districts.gpkg");
    let started = Instant::now();
    let mut session = linli::sample::create_sample_workspace(&ws, &mut |_| {})?;
    let file = dir.path().join("plan.geojson");
    std::fs::write(&file, plan(FEATURES, PROJECTS))?;
    let request = linli::session::ImportRequest {
        layer: None,
        role: linli::model::LayerRole::Plan,
        crs: Some(linli::io::geojson_in::SourceCrs::Wgs84),
        name_field: None,
        ..Default::default()
    };
    session.import_geojson(&file, &request, &mut |_| {})?;
    let ids: Vec<uuid::Uuid> = session.projects().values().map(|p| p.id).collect();
    let kinds = [
        MeetingKind::Hearing,
        MeetingKind::Coordination,
        MeetingKind::Evaluation,
    ];
    let roles = linli::model::people::PersonRole::ALL;
    let people: Vec<linli::model::people::Person> = (0..PEOPLE)
        .map(|i| {
            linli::model::people::Person::new(&format!("规划师{i:04}"), roles[i % roles.len()])
        })
        .collect();
    session.add_roster(&people, &[], &[])?;
    let meetings: Vec<Meeting> = (0..MEETINGS)
        .map(|i| {
            let mut m = Meeting::new(
                kinds[i % 3],
                &format!("20{:02}-{:02}-{:02}", 22 + i % 3, 1 + i % 12, 1 + i % 28),
                ids.get(i % ids.len()).copied(),
            );
            m.place = format!("居委会活动室 {i}");
            m.attendance = Some(20 + (i % 40) as u32);
            m.chair = people[i % PEOPLE].name.clone();
            m
        })
        .collect();
    session.add_meetings(&meetings)?;
    drop(session);
    println!(
        "workspace: {} projects, {} plan features (with the sample's), {} people, {} meetings; set up in {:.1} s",
        ids.len(),
        FEATURES,
        PEOPLE,
        MEETINGS,
        started.elapsed().as_secs_f64()
    );

    let mut opens = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        drop(Session::open(&ws)?);
        opens.push(t.elapsed());
    }
    let mut session = Session::open(&ws)?;
    report("open the workspace (everything in memory)", &opens, 1000.0);
    let t = Instant::now();
    std::hint::black_box(
        session
            .analysis()
            .project_stats(&ProjectFilter::default(), GroupBy::Street),
    );
    println!(
        "statistics, the first after opening: {:.2} ms (target ≤ 20 ms)",
        ms(t.elapsed())
    );

    // The table as the window filters and sorts it, over the session's summaries.
    let summaries = session.summaries_now();
    let mut filters = Vec::new();
    for run in 0..RUNS {
        let needle = ["花园 1", "PD", "口袋", "zzz"][run % 4];
        let t = Instant::now();
        let mut rows: Vec<(&linli::model::Project, Option<&String>)> = session
            .projects()
            .values()
            .map(|p| {
                let street = summaries.get(&p.code).and_then(|s| s.streets.iter().next());
                (p, street)
            })
            .filter(|(p, street)| {
                p.name.contains(needle)
                    || p.code.contains(needle)
                    || p.scope.contains(needle)
                    || street.is_some_and(|s| s.contains(needle))
            })
            .collect();
        rows.sort_by(|a, b| {
            a.1.cmp(&b.1).then(
                a.0.budget_wan
                    .partial_cmp(&b.0.budget_wan)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
        });
        std::hint::black_box(&rows);
        filters.push(t.elapsed());
    }
    report("filter and sort the projects table", &filters, 8.0);

    let by_of = |run: usize| {
        [
            GroupBy::Street,
            GroupBy::Element,
            GroupBy::Stage,
            GroupBy::Year,
        ][run % 4]
    };
    let mut stats = Vec::new();
    for run in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(
            session
                .analysis()
                .project_stats(&ProjectFilter::default(), by_of(run)),
        );
        stats.push(t.elapsed());
    }
    report("statistics, summaries cached", &stats, 20.0);

    // Each edit is followed by the statistics the window shows next, so the summaries are
    // filled when the next edit comes (an edit keeps them current rather than dropping them).
    let mut edits = Vec::new();
    let mut after_edit = Vec::new();
    for run in 0..EDITS {
        if run == EDITS / 2 {
            // A pause, as a planner makes one: the store's thread checkpoints the log then,
            // and the edits after it are timed too.
            std::thread::sleep(Duration::from_secs(1));
        }
        let id = ids[run * 97 % ids.len()];
        let mut p = session.project(id).ok_or("project gone")?.clone();
        p.progress_pct = Some((run % 20 * 5) as f64);
        let t = Instant::now();
        session.apply(ProjectEdit::Update(p))?;
        edits.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(
            session
                .analysis()
                .project_stats(&ProjectFilter::default(), by_of(run)),
        );
        after_edit.push(t.elapsed());
    }
    report("statistics right after an edit", &after_edit, 20.0);
    let slow: Vec<String> = edits
        .iter()
        .enumerate()
        .filter(|(_, d)| ms(**d) > 5.0)
        .map(|(i, d)| format!("#{i} {:.1} ms", ms(*d)))
        .collect();
    println!(
        "  ({EDITS} edits; over 5 ms: {})",
        if slow.is_empty() {
            "none".to_string()
        } else {
            slow.join(", ")
        }
    );
    report("one project edit committed", &edits, 5.0);
    Ok(())
}

fn plan(features: usize, projects: usize) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let side = (features as f64).sqrt().ceil() as usize;
    // Element types a point may be (pocket gardens are polygons only).
    let elements = [
        "street_corner",
        "art_space",
        "public_facility",
        "sports_venue",
    ];
    for i in 0..features {
        let (gx, gy) = ((i % side) as f64, (i / side) as f64);
        let lon = 121.50 + gx * 0.3 / side as f64;
        let lat = 31.10 + gy * 0.3 / side as f64;
        let p = i % projects;
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"花园{i}\",\"element_type\":\"{}\",\"project_code\":\"PD-{}-{p:05}\",\"project_name\":\"口袋花园 {p}\",\"programme\":\"缤纷社区\",\"year\":{},\"stage\":\"design\",\"budget_wan\":{}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}}}",
            elements[(i / projects + p) % elements.len()],
            2022 + p % 3,
            2022 + p % 3,
            10 + p % 50
        ));
    }
    out.push_str("\n]}\n");
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(what: &str, runs: &[Duration], target_ms: f64) {
    let mut v: Vec<f64> = runs.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    let median = v.get(v.len() / 2).copied().unwrap_or(0.0);
    let worst = v.last().copied().unwrap_or(0.0);
    println!("{what}: median {median:.2} ms, worst {worst:.2} ms (target ≤ {target_ms} ms)");
}
