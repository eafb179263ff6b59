//! One bad row never refuses the workspace: a row of any table damaged by another program (a
//! meeting's attendance of -1 or id that is not a UUID, an unknown kind, a media row without
//! bytes or linked to no project, a project or project list row of the wrong type, a boundary
//! whose geometry is unreadable) is left out with a note naming its table and row, the rest
//! opens, `linli projects` runs, and the row's bytes are as they were after edits elsewhere.
//! And an attachment's stored name and bytes, from a file someone else made, never choose
//! where Linli writes or what the system is asked to launch.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::error::Problem;
use linli::model::attachment::{Attachment, AttachmentKind};
use linli::model::meeting::{MeetingNote, NoteKind};
use linli::session::{Command, MeetingEdit, ProjectEdit};

/// The sample workspace, with an attachment on its first project and a comment on its first
/// meeting (the sample has neither).
fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    let mut s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let project = s.projects().values().next().unwrap().id;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    for name in ["前.png", "后.png"] {
        let a = Attachment::new(
            project,
            name,
            AttachmentKind::Before,
            "2025-01-02",
            png.clone(),
        )
        .unwrap();
        s.add_attachments(&[a]).unwrap();
    }
    let mut m = s.records().meetings()[0].clone();
    for text in ["树太少", "要座椅"] {
        m.notes.push(MeetingNote {
            kind: NoteKind::Comment,
            text: text.into(),
            vote: None,
            lon_lat: Some([121.5, 31.2]),
        });
    }
    s.apply(MeetingEdit::Update(m)).unwrap();
    ws
}

/// A connection standing in for QGIS, with the R-tree triggers' SQL functions registered as
/// GDAL registers its own.
fn outside(ws: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    conn
}

/// Row `row` of `table` (by rowid), every column as SQLite holds it.
fn row_bytes(ws: &Path, table: &str, row: i64) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{table}\" WHERE rowid = ?1"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_row([row], |r| {
        Ok((0..n)
            .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
            .collect())
    })
    .unwrap()
}

/// The first row id of `table` matching `filter`.
fn first_row(ws: &Path, table: &str, filter: &str) -> i64 {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row(
        &format!("SELECT rowid FROM \"{table}\" WHERE {filter} ORDER BY rowid LIMIT 1"),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// What a session holds, by kind: projects, meetings, attachments, and each boundary layer's
/// features.
fn counts(s: &Session) -> Vec<usize> {
    let attachments: usize = s
        .projects()
        .values()
        .map(|p| s.records().attachments_of(p.id).len())
        .sum();
    let mut out = vec![
        s.projects().len(),
        s.records().meetings().len(),
        attachments,
    ];
    out.extend(s.layers().iter().map(|l| l.features.len()));
    out
}

/// Edits every project and meeting the session holds (one step), as a planner working
/// elsewhere in the workspace would.
fn edit_everything_else(s: &mut Session) {
    let mut batch: Vec<Command> = Vec::new();
    for p in s.projects().values() {
        let mut p = p.clone();
        p.comments.push_str(" 已核对");
        batch.push(ProjectEdit::Update(p).into());
    }
    // A meeting of a project left out cannot be saved (its project is unknown): not edited.
    let held = |m: &&linli::model::meeting::Meeting| {
        m.project
            .is_none_or(|p| s.projects().values().any(|q| q.id == p))
    };
    for m in s.records().meetings().into_iter().filter(held) {
        let mut m = m.clone();
        m.place.push_str(" 已核对");
        batch.push(MeetingEdit::Update(m).into());
    }
    s.apply(Command::Batch(batch)).unwrap();
}

/// Damages row `row` of `table` with `sql` (run by another program), then checks the whole
/// contract: the workspace opens, what `lost` says is one fewer, the note names the table and
/// row (and holds `detail`), `linli projects` exits 0, and after edits elsewhere the damaged
/// row's bytes are those it was left with.
fn one_bad_row(ws: &Path, table: &str, row: i64, sql: &str, lost: usize, detail: &str) {
    let before = counts(&Session::open(ws).unwrap());
    outside(ws).execute_batch(sql).unwrap();
    let damaged = row_bytes(ws, table, row);
    let mut s = Session::open(ws).unwrap_or_else(|e| panic!("{table}: {e}"));
    let mut expected = before.clone();
    expected[lost] -= 1;
    assert_eq!(counts(&s), expected, "{table}: the rest opened");
    let notes = s.notes();
    assert!(
        notes.iter().any(|n| matches!(n,
            Problem::UnreadablePlanRow { table: t, fid, detail: d }
            if t == table && *fid == row && d.contains(detail))),
        "{table} row {row} ({detail}) not in {notes:?}"
    );
    let out = common::run(&["projects", ws.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{table}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::run(&["info", ws.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    edit_everything_else(&mut s);
    drop(s);
    assert_eq!(
        row_bytes(ws, table, row),
        damaged,
        "{table} row {row} was rewritten"
    );
    // And it stays left out, with its note, on the next open.
    let s = Session::open(ws).unwrap();
    assert_eq!(counts(&s), expected);
}

#[test]
fn a_meeting_with_negative_attendance_or_a_bad_id_or_kind_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let t = "linli_meetings";
    let row = first_row(&ws, t, "1");
    let sql = format!("UPDATE {t} SET attendance = -1 WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 1, "attendance");
    let row = first_row(&ws, t, &format!("id > {row}"));
    let sql = format!("UPDATE {t} SET uuid = 'meeting-7' WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 1, "meeting-7");
    let row = first_row(&ws, t, &format!("id > {row}"));
    let sql = format!("UPDATE {t} SET kind = 'picnic' WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 1, "picnic");
}

#[test]
fn a_meeting_whose_note_cannot_be_read_is_left_out_and_its_notes_kept() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let t = "linli_meeting_notes";
    let notes = |ws: &Path| -> Vec<Vec<String>> {
        let conn = rusqlite::Connection::open(ws).unwrap();
        let mut stmt = conn
            .prepare(&format!("SELECT fid FROM {t} ORDER BY fid"))
            .unwrap();
        let fids: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        fids.into_iter().map(|fid| row_bytes(ws, t, fid)).collect()
    };
    // The last note: one of the two this test gave the first meeting.
    let row = first_row(&ws, t, &format!("fid = (SELECT max(fid) FROM {t})"));
    let sql = format!("UPDATE {t} SET kind = 'shout' WHERE fid = {row}");
    outside(&ws).execute_batch(&sql).unwrap();
    let damaged = notes(&ws);
    outside(&ws)
        .execute_batch(&format!(
            "UPDATE {t} SET kind = 'comment' WHERE fid = {row}"
        ))
        .unwrap();
    one_bad_row(&ws, t, row, &sql, 1, "shout");
    // Its sibling note is untouched too (saving the meeting would have rewritten both), and
    // every other meeting's notes were saved as they were.
    assert_eq!(notes(&ws), damaged);
}

#[test]
fn a_media_row_with_a_bad_id_no_bytes_or_no_project_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let t = "linli_media";
    let row = first_row(&ws, t, "1");
    let sql = format!("UPDATE {t} SET uuid = 'photo-1' WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 2, "photo-1");
    let row = first_row(&ws, t, &format!("id > {row}"));
    // The bytes replaced by a text (the NOT NULL column takes one), and then the link pointed
    // at a project row that does not exist, on a fresh copy.
    let sql = format!("UPDATE {t} SET data = 'see attached' WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 2, "data");
    let ws2 = sample(&dir.path().join("b").tap_mkdir());
    let row = first_row(&ws2, t, "1");
    let sql = format!("UPDATE linli_projects_media SET base_id = 99999 WHERE related_id = {row}");
    one_bad_row(&ws2, t, row, &sql, 2, "99999");
}

#[test]
fn a_project_or_project_list_row_of_the_wrong_type_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let t = "linli_projects";
    // Projects without attachments (the count of attachments goes through the projects).
    let no_media = "id NOT IN (SELECT base_id FROM linli_projects_media)";
    let row = first_row(&ws, t, no_media);
    let sql = format!("UPDATE {t} SET year = '二〇二四' WHERE id = {row}");
    one_bad_row(&ws, t, row, &sql, 0, "year");
    // A funding row whose amount is a text: its project is left out whole (saving it would
    // rewrite the list), both rows named.
    let f = "linli_project_funding";
    let row = first_row(
        &ws,
        f,
        &format!(
            "project_uuid IN (SELECT uuid FROM linli_projects WHERE typeof(year) <> 'text' AND {no_media})"
        ),
    );
    let sql = format!("UPDATE {f} SET amount_wan = '十万' WHERE id = {row}");
    one_bad_row(&ws, f, row, &sql, 0, "amount_wan");
}

#[test]
fn a_boundary_whose_geometry_cannot_be_read_is_left_out_and_streets_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let s = Session::open(&ws).unwrap();
    let (index, layer) = s
        .layers()
        .iter()
        .enumerate()
        .find(|(_, l)| l.role == linli::model::LayerRole::Streets)
        .map(|(i, l)| (i, l.name.clone()))
        .unwrap();
    let streets: Vec<Option<String>> = s.plan().iter().map(|f| f.street.clone()).collect();
    drop(s);
    let row = first_row(&ws, &layer, "1");
    let sql = format!("UPDATE \"{layer}\" SET geom = x'47500003deadbeef' WHERE fid = {row}");
    one_bad_row(&ws, &layer, row, &sql, 3 + index, "geom");
    // The plan features' streets are kept as stored, not derived again from what is left.
    let s = Session::open(&ws).unwrap();
    let now: Vec<Option<String>> = s.plan().iter().map(|f| f.street.clone()).collect();
    assert_eq!(now, streets);
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

#[test]
fn an_attachment_is_written_for_opening_only_inside_a_fresh_folder_and_as_what_its_bytes_are() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let root = dir.path().join("tmp").tap_mkdir();
    let jpeg: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'];
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let zip: &[u8] = b"PK\x03\x04\x14\0";
    let exe: &[u8] = b"MZ\x90\0\x03\0";
    let cases: [(&str, &[u8], Option<&str>); 12] = [
        ("/etc/passwd", jpeg, Some("passwd.jpg")),
        ("../../x.jpg", jpeg, Some("x.jpg")),
        ("C:\\Windows\\x.jpg", jpeg, Some("x.jpg")),
        ("x.jpg.exe", jpeg, Some("x_jpg.jpg")),
        (".bashrc", png, Some("bashrc.png")),
        ("现场照片.jpg", jpeg, Some("现场照片.jpg")),
        ("con.jpg", jpeg, Some("_con.jpg")),
        ("a.pdf", png, Some("a.png")),
        ("预算.xlsx", zip, Some("预算.xlsx")),
        ("x.jar", zip, None),
        ("x.jpg.exe", exe, None),
        ("../../x.jpg", exe, None),
    ];
    let mut folders = std::collections::BTreeSet::new();
    for (name, data, expected) in cases {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute(
            "UPDATE linli_media SET file_name = ?1, data = ?2",
            rusqlite::params![name, data],
        )
        .unwrap();
        drop(conn);
        let s = Session::open(&ws).unwrap();
        let id = s
            .projects()
            .values()
            .flat_map(|p| s.records().attachments_of(p.id))
            .next()
            .unwrap()
            .id;
        let before = std::fs::read_dir(&root).unwrap().count();
        match (
            s.records().write_attachment_for_opening(id, &root).unwrap(),
            expected,
        ) {
            (linli::session::OpenTarget::Launch(path), Some(expected)) => {
                let folder = path.parent().unwrap();
                assert_eq!(folder.parent().unwrap(), root, "{name}: {path:?}");
                assert!(
                    folders.insert(folder.to_path_buf()),
                    "a fresh folder per open"
                );
                assert_eq!(path.file_name().unwrap().to_str().unwrap(), expected);
                assert_eq!(std::fs::read(&path).unwrap(), data);
                let ext = path.extension().unwrap().to_str().unwrap();
                let (allowed, _) = linli::model::attachment::signature_extensions(data);
                assert!(allowed.contains(&ext), "{name}: .{ext}");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(folder).unwrap().permissions().mode();
                    assert_eq!(mode & 0o077, 0, "{mode:o}: private");
                }
            }
            (linli::session::OpenTarget::NotOpenable { suggested_name }, None) => {
                assert!(!suggested_name.contains(['/', '\\']), "{suggested_name}");
                assert_eq!(
                    std::fs::read_dir(&root).unwrap().count(),
                    before,
                    "{name}: nothing written"
                );
            }
            (other, expected) => panic!("{name}: {other:?}, expected {expected:?}"),
        }
    }
    // Nothing was written outside the temp root.
    assert!(!dir.path().join("x.jpg").exists());
}
