//! Meeting records (`linli_meetings`), keyed by their UUID; a meeting links to its project by
//! the project's UUID, so a project's code can change without touching its meetings.

use std::collections::HashMap;

use rusqlite::{Connection, ToSql, params};
use uuid::Uuid;

use super::media_tables::NOTES_TABLE;
use super::project_tables::list_row_id;
use super::{GEOM_COLUMN, MEETINGS_TABLE, Store, parse_uuid};
use crate::error::{Error, Problem, Result};
use crate::model::meeting::{MapBookmark, Meeting, MeetingNote, NoteKind, Vote};
use crate::model::project::MeetingKind;

const COLUMNS: &str = "project_uuid, kind, date, place, attendance, attendees, chair, departments, \
     agenda, decisions, comments, view_lon, view_lat, view_zoom";

impl Store {
    /// Every meeting with its row id, by date then id.
    pub fn meeting_rows(&self) -> Result<Vec<(Meeting, i64)>> {
        let mut notes = self.meeting_notes()?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, {COLUMNS}, id FROM {MEETINGS_TABLE} ORDER BY date, uuid"
        ))?;
        let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let uuid: String = r.get(0)?;
            let project: Option<String> = r.get(1)?;
            let kind: String = r.get(2)?;
            let kind = MeetingKind::from_key(&kind).ok_or_else(|| {
                Error::workspace(
                    &self.path,
                    Problem::UnknownMeetingKind { kind: kind.clone() },
                )
            })?;
            let meeting = Meeting {
                id: parse_uuid(&uuid, &self.path)?,
                project: project.map(|p| parse_uuid(&p, &self.path)).transpose()?,
                kind,
                date: r.get(3)?,
                place: text(r, 4)?,
                attendance: r.get(5)?,
                attendees: text(r, 6)?,
                chair: text(r, 7)?,
                departments: text(r, 8)?,
                agenda: text(r, 9)?,
                decisions: text(r, 10)?,
                comments: text(r, 11)?,
                notes: notes.remove(&uuid).unwrap_or_default(),
                view: match (r.get(12)?, r.get(13)?, r.get(14)?) {
                    (Some(lon), Some(lat), Some(zoom)) => Some(MapBookmark { lon, lat, zoom }),
                    _ => None,
                },
            };
            out.push((meeting, r.get(15)?));
        }
        Ok(out)
    }
}

impl Store {
    /// Every meeting's notes, by meeting UUID (as stored) and position: one query.
    fn meeting_notes(&self) -> Result<HashMap<String, Vec<MeetingNote>>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT meeting_uuid, kind, text, vote, {GEOM_COLUMN} FROM {NOTES_TABLE} ORDER BY meeting_uuid, seq"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out: HashMap<String, Vec<MeetingNote>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let kind: String = r.get(1)?;
            let kind = NoteKind::from_key(&kind).ok_or_else(|| {
                Error::workspace(&self.path, Problem::UnknownMeetingKind { kind })
            })?;
            let vote: Option<String> = r.get(3)?;
            let blob: Option<Vec<u8>> = r.get(4)?;
            let lon_lat = blob
                .and_then(|b| super::decode_geometry(&b))
                .and_then(|g| match g {
                    geo::Geometry::Point(p) => Some([p.x(), p.y()]),
                    _ => None,
                });
            out.entry(r.get(0)?).or_default().push(MeetingNote {
                kind,
                text: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                vote: vote.as_deref().and_then(Vote::from_key),
                lon_lat,
            });
        }
        Ok(out)
    }
}

/// Rewrites the notes of meeting `m` stored in row `row` (each keyed by its position).
fn write_notes(conn: &Connection, m: &Meeting, row: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {NOTES_TABLE} WHERE meeting_uuid = ?1"
    ))?
    .execute([m.id.to_string()])?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO {NOTES_TABLE} (fid, {GEOM_COLUMN}, meeting_uuid, seq, kind, text, vote)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?;
    for (seq, note) in m.notes.iter().enumerate() {
        let geom = match note.lon_lat {
            Some([lon, lat]) => {
                Some(super::encode_geometry(&geo::Geometry::Point(geo::Point::new(lon, lat)))?.0)
            }
            None => None,
        };
        insert.execute(params![
            list_row_id(row, seq),
            geom,
            m.id.to_string(),
            seq as i64,
            note.kind.key(),
            note.text,
            note.vote.map(Vote::key),
        ])?;
    }
    Ok(())
}

/// Inserts a meeting into row `row` when given (undo puts it back where it was), else a new
/// row; returns the row id. Runs in the caller's transaction.
pub fn insert_meeting_at(conn: &Connection, m: &Meeting, row: Option<i64>) -> Result<i64> {
    let owned = MeetingValues::new(m);
    let mut values = owned.values();
    values.push(&row);
    conn.prepare_cached(&format!(
        "INSERT INTO {MEETINGS_TABLE} (uuid, {COLUMNS}, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(values.as_slice())?;
    let row = conn.last_insert_rowid();
    write_notes(conn, m, row)?;
    Ok(row)
}

/// Rewrites the meeting with `m.id`; fails when there is none. Runs in the caller's
/// transaction.
pub fn update_meeting(conn: &Connection, m: &Meeting) -> Result<()> {
    let n = conn
        .prepare_cached(&format!(
            "UPDATE {MEETINGS_TABLE} SET ({COLUMNS})
                 = (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             WHERE uuid = ?1"
        ))?
        .execute(MeetingValues::new(m).values().as_slice())?;
    if n == 0 {
        return Err(no_such_meeting(m.id));
    }
    let row: i64 = conn
        .prepare_cached(&format!("SELECT id FROM {MEETINGS_TABLE} WHERE uuid = ?1"))?
        .query_row([m.id.to_string()], |r| r.get(0))?;
    write_notes(conn, m, row)
}

/// Deletes the meeting with id `id`; fails when there is none. Runs in the caller's
/// transaction.
pub fn delete_meeting(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {NOTES_TABLE} WHERE meeting_uuid = ?1"
    ))?
    .execute([id.to_string()])?;
    let n = conn
        .prepare_cached(&format!("DELETE FROM {MEETINGS_TABLE} WHERE uuid = ?1"))?
        .execute([id.to_string()])?;
    if n == 0 {
        return Err(no_such_meeting(id));
    }
    Ok(())
}

/// A meeting's values for `uuid, {COLUMNS}`, in that order, with what has to be converted.
struct MeetingValues<'a> {
    m: &'a Meeting,
    uuid: String,
    project: Option<String>,
    kind: &'static str,
    view: [Option<f64>; 3],
}

impl<'a> MeetingValues<'a> {
    fn new(m: &'a Meeting) -> Self {
        MeetingValues {
            m,
            uuid: m.id.to_string(),
            project: m.project.map(|p| p.to_string()),
            kind: m.kind.key(),
            view: [
                m.view.map(|v| v.lon),
                m.view.map(|v| v.lat),
                m.view.map(|v| v.zoom),
            ],
        }
    }

    fn values(&self) -> Vec<&dyn ToSql> {
        let m = self.m;
        vec![
            &self.uuid,
            &self.project,
            &self.kind,
            &m.date,
            &m.place,
            &m.attendance,
            &m.attendees,
            &m.chair,
            &m.departments,
            &m.agenda,
            &m.decisions,
            &m.comments,
            &self.view[0],
            &self.view[1],
            &self.view[2],
        ]
    }
}

fn no_such_meeting(id: Uuid) -> Error {
    Error::request(Problem::NoMeetingWithId { id: id.to_string() })
}
