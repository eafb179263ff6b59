//! Meeting records (`linli_meetings`), keyed by their UUID; a meeting links to its project by
//! the project's UUID, so a project's code can change without touching its meetings.

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{MEETINGS_TABLE, Store, parse_uuid};
use crate::error::{Error, Problem, Result};
use crate::model::meeting::Meeting;
use crate::model::project::MeetingKind;

const COLUMNS: &str = "project_uuid, kind, date, place, attendance, attendees, chair, departments, \
     agenda, decisions, comments";

impl Store {
    /// Every meeting with its row id, by date then id.
    pub fn meeting_rows(&self) -> Result<Vec<(Meeting, i64)>> {
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
            };
            out.push((meeting, r.get(12)?));
        }
        Ok(out)
    }
}

/// Inserts a meeting into row `row` when given (undo puts it back where it was), else a new
/// row; returns the row id. Runs in the caller's transaction.
pub fn insert_meeting_at(conn: &Connection, m: &Meeting, row: Option<i64>) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO {MEETINGS_TABLE} (uuid, {COLUMNS}, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        m.id.to_string(),
        m.project.map(|p| p.to_string()),
        m.kind.key(),
        m.date,
        m.place,
        m.attendance,
        m.attendees,
        m.chair,
        m.departments,
        m.agenda,
        m.decisions,
        m.comments,
        row
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites the meeting with `m.id`; fails when there is none. Runs in the caller's
/// transaction.
pub fn update_meeting(conn: &Connection, m: &Meeting) -> Result<()> {
    let n = conn
        .prepare_cached(&format!(
            "UPDATE {MEETINGS_TABLE} SET project_uuid = ?2, kind = ?3, date = ?4, place = ?5,
                 attendance = ?6, attendees = ?7, chair = ?8, departments = ?9, agenda = ?10,
                 decisions = ?11, comments = ?12
             WHERE uuid = ?1"
        ))?
        .execute(params![
            m.id.to_string(),
            m.project.map(|p| p.to_string()),
            m.kind.key(),
            m.date,
            m.place,
            m.attendance,
            m.attendees,
            m.chair,
            m.departments,
            m.agenda,
            m.decisions,
            m.comments,
        ])?;
    if n == 0 {
        return Err(no_such_meeting(m.id));
    }
    Ok(())
}

/// Deletes the meeting with id `id`; fails when there is none. Runs in the caller's
/// transaction.
pub fn delete_meeting(conn: &Connection, id: Uuid) -> Result<()> {
    let n = conn
        .prepare_cached(&format!("DELETE FROM {MEETINGS_TABLE} WHERE uuid = ?1"))?
        .execute([id.to_string()])?;
    if n == 0 {
        return Err(no_such_meeting(id));
    }
    Ok(())
}

fn no_such_meeting(id: Uuid) -> Error {
    Error::request(Problem::NoMeetingWithId { id: id.to_string() })
}
