//! Residents' input (居民意见与投票) through the façade: the meeting's voting rules enforced
//! when an input is staged, undo as the only removal, the records' round trip through the
//! file, the schema-6 → 7 migration, QGIS/GDAL reading the pins, and the exports.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::error::{Error, Problem};
use linli::model::input::{InputItem, InputKind, ResidentInput, VoteRules};
use linli::model::meeting::Meeting;
use linli::model::project::MeetingKind;
use linli::session::{Command, Edit, MeetingEdit};
use uuid::Uuid;

fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    ws
}

/// A training (no project needed) with ten attending and these rules.
fn meeting_with(s: &mut Session, rules: VoteRules) -> Uuid {
    let mut m = Meeting::new(MeetingKind::Training, "2026-12-06", None);
    m.place = "居委会活动室".into();
    m.attendance = Some(10);
    m.vote_rules = rules;
    s.apply(MeetingEdit::Add(m)).unwrap()
}

fn features(s: &Session, n: usize) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = s.plan().iter().map(|f| f.feature.id).collect();
    ids.sort();
    ids.truncate(n);
    ids
}

fn vote(meeting: Uuid, participant: u32, feature: Uuid) -> ResidentInput {
    let mut v = ResidentInput::new(meeting, InputKind::Vote, [121.5440, 31.2010]);
    v.participant = Some(participant);
    v.feature = Some(feature);
    v
}

/// GDAL's GeoPackage validator finds nothing (skipped, saying so, without python3-gdal).
fn valid_for_gdal(ws: &Path) {
    if let Some(python) = common::gpkg_validator_python() {
        let report = common::validate_gpkg(python, ws);
        assert!(report.trim().is_empty(), "{report}");
    } else {
        eprintln!("skipped the GeoPackage validation: no python3-gdal");
    }
}

fn refused(result: linli::error::Result<Uuid>) -> Problem {
    match result {
        Err(Error::Request(problem)) => *problem,
        other => panic!("expected a refused request, got {other:?}"),
    }
}

#[test]
fn the_meetings_rules_are_enforced_when_an_input_is_staged() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::open(&sample(dir.path())).unwrap();
    let rules = VoteRules {
        open: true,
        votes_per_participant: 2,
        per_item_cap: Some(2),
        may_stack: false,
        anonymous_numbers: true,
    };
    let m = meeting_with(&mut s, rules);
    let f = features(&s, 3);
    s.apply(vote(m, 1, f[0])).unwrap();
    assert_eq!(
        refused(s.apply(vote(m, 1, f[0]))),
        Problem::VotesMayNotStack { participant: 1 }
    );
    s.apply(vote(m, 2, f[0])).unwrap();
    assert_eq!(
        refused(s.apply(vote(m, 3, f[0]))),
        Problem::VoteItemCapReached { cap: 2 }
    );
    s.apply(vote(m, 1, f[1])).unwrap();
    assert_eq!(s.records().votes_left(m, 1), Some(0));
    assert_eq!(s.records().votes_left(m, 3), Some(2));
    assert_eq!(
        refused(s.apply(vote(m, 1, f[2]))),
        Problem::NoVotesLeft {
            participant: 1,
            votes: 2
        }
    );
    assert!(matches!(
        refused(s.apply(vote(m, 11, f[2]))),
        Problem::ParticipantNumberInvalid { number: 11, .. }
    ));
    let mut anonymous = vote(m, 1, f[2]);
    anonymous.participant = None;
    assert_eq!(refused(s.apply(anonymous)), Problem::VoteNeedsParticipant);
    // Two votes in one command count together: the second stacks on the first.
    let batch = Command::Batch(vec![vote(m, 4, f[2]).into(), vote(m, 4, f[2]).into()]);
    assert_eq!(
        refused(s.apply(batch)),
        Problem::VotesMayNotStack { participant: 4 }
    );
    // Comments are not limited by the votes.
    let mut concern = ResidentInput::new(m, InputKind::Concern, [121.5441, 31.2011]);
    concern.feature = Some(f[0]);
    concern.participant = Some(1);
    concern.text = "担心晚上太吵".into();
    s.apply(concern).unwrap();
    // Unknown meeting, feature and alternative.
    assert!(matches!(
        refused(s.apply(vote(Uuid::new_v4(), 5, f[2]))),
        Problem::NoMeetingWithId { .. }
    ));
    assert!(matches!(
        refused(s.apply(vote(m, 5, Uuid::new_v4()))),
        Problem::NoPlanFeature { .. }
    ));
    let mut on_alternative = vote(m, 5, f[2]);
    on_alternative.feature = None;
    on_alternative.alternative = Some(Uuid::new_v4());
    assert!(matches!(
        refused(s.apply(on_alternative)),
        Problem::NoAlternativeWithId { .. }
    ));
    let mut long = ResidentInput::new(m, InputKind::Idea, [121.5, 31.2]);
    long.text = "建".repeat(200);
    assert!(matches!(
        refused(s.apply(long)),
        Problem::InputTextTooLong { chars: 200, .. }
    ));
    // What was refused left nothing behind.
    let tally = s.records().tally(m);
    assert_eq!(tally.totals.votes, 3);
    assert_eq!(tally.totals.concern, 1);
    let on_first = tally.item(InputItem::Feature(f[0]));
    assert_eq!((on_first.votes, on_first.concern), (2, 1));
    assert_eq!(s.records().inputs_of(m).len(), 4);
    // Closing the vote is a meeting edit, one undo step; comments still come in.
    let mut closed = s.records().meeting(m).unwrap().clone();
    closed.vote_rules.open = false;
    s.apply(MeetingEdit::Update(closed)).unwrap();
    assert_eq!(refused(s.apply(vote(m, 6, f[2]))), Problem::VotingClosed);
    s.apply(ResidentInput::new(m, InputKind::Idea, [121.5, 31.2]))
        .unwrap();
    s.undo().unwrap();
    s.undo().unwrap();
    assert!(s.records().meeting(m).unwrap().vote_rules.open);
    s.apply(vote(m, 6, f[2])).unwrap();
    // Without participant numbers only the cap and open/closed apply.
    let free = meeting_with(
        &mut s,
        VoteRules {
            anonymous_numbers: false,
            per_item_cap: Some(3),
            ..VoteRules::default()
        },
    );
    for _ in 0..3 {
        let mut v = vote(free, 1, f[1]);
        v.participant = None;
        s.apply(v).unwrap();
    }
    let mut v = vote(free, 1, f[1]);
    v.participant = None;
    assert_eq!(refused(s.apply(v)), Problem::VoteItemCapReached { cap: 3 });
}

#[test]
fn undo_removes_the_last_input_and_never_a_plan_edit() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let m = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 1)[0];
    let first = s.apply(vote(m, 1, f)).unwrap();
    let second = s.apply(vote(m, 2, f)).unwrap();
    assert!(s.last_step_is_input());
    s.undo_last_input().unwrap();
    assert!(s.records().input(second).is_none());
    assert!(s.records().input(first).is_some());
    assert_eq!(s.records().tally(m).item(InputItem::Feature(f)).votes, 1);
    assert_eq!(s.records().votes_left(m, 2), Some(3));
    // The file agrees.
    drop(s);
    let mut s = Session::open(&ws).unwrap();
    assert_eq!(s.records().inputs_of(m).len(), 1);
    // After a plan edit, "undo the last input" refuses and the edit stays.
    s.apply(Edit::SetName {
        id: f,
        name: "新名字".into(),
    })
    .unwrap();
    assert!(!s.last_step_is_input());
    assert!(matches!(
        s.undo_last_input(),
        Err(Error::Request(p)) if *p == Problem::LastStepNotInput
    ));
    assert_eq!(s.plan_feature(f).unwrap().feature.name, "新名字");
    // Deleting the meeting takes its input along, and undo brings both back.
    s.apply(MeetingEdit::Delete(m)).unwrap();
    assert!(s.records().inputs_of(m).is_empty());
    assert_eq!(s.records().tally(m).totals.total(), 0);
    s.undo().unwrap();
    assert_eq!(s.records().inputs_of(m).len(), 1);
    assert_eq!(s.records().tally(m).totals.votes, 1);
}

#[test]
fn inputs_and_rules_round_trip_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let rules = VoteRules {
        open: false,
        votes_per_participant: 5,
        per_item_cap: Some(7),
        may_stack: true,
        anonymous_numbers: false,
    };
    let m = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 1)[0];
    let mut idea = ResidentInput::new(m, InputKind::Idea, [121.54321, 31.20123]);
    idea.text = "在老香樟下放两张长椅，\"给老人\"用".into();
    idea.participant = Some(3);
    s.apply(idea.clone()).unwrap();
    let v = vote(m, 4, f);
    s.apply(v.clone()).unwrap();
    let mut meeting = s.records().meeting(m).unwrap().clone();
    meeting.vote_rules = rules;
    s.apply(MeetingEdit::Update(meeting)).unwrap();
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert!(s.notes().is_empty(), "{:?}", s.notes());
    assert_eq!(s.records().meeting(m).unwrap().vote_rules, rules);
    let back: Vec<ResidentInput> = s.records().inputs_of(m).into_iter().cloned().collect();
    let mut expected = vec![idea, v];
    expected.sort_by(|a, b| a.made.cmp(&b.made).then(a.id.cmp(&b.id)));
    assert_eq!(back, expected);
    assert_eq!(s.records().tally(m).totals.total(), 2);
}

/// The definition of every `linli_inputs` object and the meetings' columns.
fn inputs_schema(ws: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(ws, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut out: Vec<String> = conn
        .prepare(
            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master
             WHERE name LIKE '%linli_inputs%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    out.extend(
        conn.prepare("SELECT name || ' ' || type FROM pragma_table_info('linli_meetings')")
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap),
    );
    out.extend(
        conn.prepare(
            "SELECT value || '=' || description FROM gpkg_data_column_constraints
             WHERE constraint_name = 'linli_input_kind' ORDER BY value",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap),
    );
    out
}

#[test]
fn a_schema_6_workspace_is_migrated_to_what_a_new_one_has() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let fresh = inputs_schema(&ws);
    assert!(
        fresh.iter().any(|l| l.contains("vote_rules TEXT")),
        "{fresh:#?}"
    );
    assert!(fresh.iter().any(|l| l == "vote=投票"), "{fresh:#?}");
    let m = {
        let mut s = Session::open(&ws).unwrap();
        meeting_with(&mut s, VoteRules::default())
    };
    common::back_to_schema_6(&ws);
    let mut s = Session::open(&ws).unwrap();
    assert_eq!(inputs_schema(&ws), fresh);
    // The old meeting has the default rules, and takes votes.
    assert_eq!(
        s.records().meeting(m).unwrap().vote_rules,
        VoteRules::default()
    );
    let f = features(&s, 1)[0];
    s.apply(vote(m, 1, f)).unwrap();
    drop(s);
    valid_for_gdal(&ws);
}

#[test]
fn gdal_reads_the_pins_as_a_point_layer() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let m = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 1)[0];
    let mut concern = ResidentInput::new(m, InputKind::Concern, [121.5432, 31.2039]);
    concern.text = "停车位不够".into();
    s.apply(concern).unwrap();
    s.apply(vote(m, 2, f)).unwrap();
    drop(s);
    valid_for_gdal(&ws);
    if !common::has_ogrinfo() {
        eprintln!("skipped: no ogrinfo (gdal-bin) to read the layer");
        return;
    }
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-where", "kind = 'concern'"])
        .arg(&ws)
        .arg("linli_inputs")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Geometry: Point"), "{text}");
    assert!(text.contains("Feature Count: 1"), "{text}");
    assert!(text.contains("停车位不够"), "{text}");
    assert!(text.contains("POINT (121.5432 31.2039)"), "{text}");
}

#[test]
fn exports_keep_chinese_text_guard_formulas_and_parse() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let m = meeting_with(&mut s, VoteRules::default());
    let other = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 1)[0];
    let mut idea = ResidentInput::new(m, InputKind::Idea, [121.5432, 31.2039]);
    idea.text = "=HYPERLINK(\"x\") 增加儿童游乐设施".into();
    idea.participant = Some(7);
    s.apply(idea).unwrap();
    s.apply(vote(m, 2, f)).unwrap();
    s.apply(ResidentInput::new(other, InputKind::Support, [121.5, 31.2]))
        .unwrap();
    drop(s);
    let ws_arg = ws.to_str().unwrap();
    let csv = dir.path().join("意见.csv");
    let out = common::stdout(&[
        "inputs",
        ws_arg,
        "--meeting",
        &m.to_string(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(out.contains("exported 2"), "{out}");
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().contains("id,meeting_id,meeting_date"));
    assert!(
        text.contains("'=HYPERLINK(\"\"x\"\") 增加儿童游乐设施"),
        "{text}"
    );
    assert!(text.contains(",idea,想法,7,"), "{text}");
    assert!(text.contains(",vote,投票,2,"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    // GeoJSON: every meeting's input, RFC 7946 points.
    let geojson = dir.path().join("inputs.geojson");
    common::stdout(&["inputs", ws_arg, "-o", geojson.to_str().unwrap()]);
    let parsed: geojson::FeatureCollection = std::fs::read_to_string(&geojson)
        .unwrap()
        .parse::<geojson::GeoJson>()
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(parsed.features.len(), 3);
    let kinds: Vec<String> = parsed
        .features
        .iter()
        .map(|f| f.property("kind_zh").unwrap().as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"支持".to_string()), "{kinds:?}");
    let with_text = parsed
        .features
        .iter()
        .find(|f| f.property("participant").and_then(|p| p.as_u64()) == Some(7))
        .unwrap();
    assert_eq!(
        with_text.property("text").unwrap().as_str().unwrap(),
        "=HYPERLINK(\"x\") 增加儿童游乐设施"
    );
    // xlsx, and what is refused.
    let xlsx = dir.path().join("inputs.xlsx");
    common::stdout(&["inputs", ws_arg, "-o", xlsx.to_str().unwrap()]);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let txt = dir.path().join("inputs.txt");
    let refused = common::run(&["inputs", ws_arg, "-o", txt.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains(".geojson"));
    let unknown = common::run(&[
        "inputs",
        ws_arg,
        "--meeting",
        &Uuid::new_v4().to_string(),
        "-o",
        dir.path().join("x.csv").to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no meeting"));
}

#[test]
fn the_readme_documents_every_export_column() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (key, _, _, zh) in linli::session::input_export::INPUT_COLUMNS {
        let row = format!("| `{key}` |");
        let line = readme
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("README has no row for {key}"));
        assert!(line.contains(zh), "{line}");
    }
}

#[test]
fn the_tally_of_many_inputs_is_cheap_enough_for_every_frame() {
    use linli::render::projection::MapView;
    use linli::render::screen::{ScreenRect, screen_pos};
    use linli::render::tally::{TallyWords, tally_primitives};
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::open(&sample(dir.path())).unwrap();
    let m = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 50);
    // 2,000 inputs: on every feature of the sample (17) and 150 places, votes and comments.
    let inputs: Vec<ResidentInput> = (0..2000u32)
        .map(|k| {
            let kind = InputKind::ALL[(k % 4) as usize];
            let place = [121.50 + f64::from(k % 150) * 0.001, 31.20];
            let mut i = ResidentInput::new(m, kind, place);
            i.participant = Some(k % 30 + 1);
            if k % 4 == 0 {
                i.feature = Some(f[k as usize % f.len()]);
            }
            i
        })
        .collect();
    s.add_inputs(&inputs).unwrap();
    let rect = ScreenRect::from_two_pos(screen_pos(0.0, 0.0), screen_pos(1920.0, 1080.0));
    let view = MapView {
        center_lon: 121.57,
        center_lat: 31.2,
        m_per_point: 10.0,
    };
    let t = view.transform(rect);
    let words = TallyWords {
        votes_left: Some("1 号 剩余 3 票".into()),
        comment_marks: ["支".into(), "忧".into(), "想".into()],
    };
    let started = std::time::Instant::now();
    let frames = 100;
    let mut drawn = 0;
    for _ in 0..frames {
        let tally = s.records().tally(m);
        drawn = tally_primitives(tally, &t, rect, &words).len();
    }
    let per_frame = started.elapsed() / frames;
    assert_eq!(s.records().tally(m).totals.total(), 2000);
    assert!(drawn > 100, "{drawn} primitives");
    eprintln!(
        "tally of 2000 inputs ({} items): {per_frame:?} a frame, {drawn} primitives",
        s.records().tally(m).items.len()
    );
    assert!(
        per_frame < std::time::Duration::from_millis(5),
        "{per_frame:?}"
    );
    // One more input through the rules and the file, as the strip's tap does.
    let started = std::time::Instant::now();
    let mut free = ResidentInput::new(m, InputKind::Idea, [121.5, 31.2]);
    free.text = "再加一个".into();
    s.apply(free).unwrap();
    eprintln!("one input staged and written: {:?}", started.elapsed());
}

#[test]
fn an_input_another_program_adds_while_open_is_taken_in_and_tallied() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let m = meeting_with(&mut s, VoteRules::default());
    let f = features(&s, 1)[0];
    s.apply(vote(m, 1, f)).unwrap();
    assert_eq!(s.refresh_if_changed().unwrap(), None);
    // QGIS adds a pin to the layer: a vote of participant 2 on the same feature.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    let (blob, _) =
        linli::store::encode_geometry(&geo::Geometry::Point(geo::Point::new(121.55, 31.21)))
            .unwrap();
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO linli_inputs (geom, uuid, meeting_uuid, kind, text, participant, feature_uuid, made_utc)
         VALUES (?1, ?2, ?3, 'vote', '从 QGIS 加的', 2, ?4, '2026-12-06T19:00:51Z')",
        rusqlite::params![blob, id.to_string(), m.to_string(), f.to_string()],
    )
    .unwrap();
    drop(conn);
    let refreshed = s.refresh_if_changed().unwrap().expect("a change was seen");
    assert_eq!(refreshed.inputs, 1, "{refreshed:?}");
    assert_eq!(s.records().input(id).unwrap().text, "从 QGIS 加的");
    assert_eq!(s.records().tally(m).item(InputItem::Feature(f)).votes, 2);
    assert_eq!(s.records().votes_left(m, 2), Some(2));
}
