//! Meeting records (`linli_meetings`), keyed by their UUID; a meeting links to its project by
//! the project's UUID, so a project's code can change without touching its meetings.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::media_tables::NOTES_TABLE;
use super::project_tables::list_row_id;
use super::{GEOM_COLUMN, MEETINGS_TABLE, Store};
use crate::error::{Problem, Result};
use crate::model::input::VoteRules;
use crate::model::meeting::{MapBookmark, Meeting, MeetingNote, NoteKind, Slide, Vote};
use crate::model::project::MeetingKind;

const COLUMNS: &str = "project_uuid, kind, date, place, attendance, attendees, chair, departments, \
     agenda, decisions, comments, view_lon, view_lat, view_zoom, slides, vote_rules";

/// Meetings with their row ids, and what reading found.
pub type MeetingRows = (Vec<(Meeting, i64)>, Vec<Problem>);

impl Store {
    /// Every readable meeting with its row id, by date then id, and an
    /// [`Problem::UnreadablePlanRow`] note for each row another program left unreadable (an id
    /// that is not a UUID, a negative attendance, an unknown kind): left out and untouched,
    /// never refusing the workspace. A meeting one of whose notes cannot be read is left out
    /// too (saving it would rewrite its notes), naming both rows.
    pub fn meeting_rows(&self) -> Result<MeetingRows> {
        self.meeting_rows_where(None)
    }

    /// [`Store::meeting_rows`], or only the meeting with id `only`.
    pub(crate) fn meeting_rows_where(&self, only: Option<Uuid>) -> Result<MeetingRows> {
        let (mut notes, mut problems, mut unreadable) = self.meeting_notes(only)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, {COLUMNS}, id FROM {MEETINGS_TABLE} {} ORDER BY date, uuid",
            super::where_uuid("uuid", only)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        // The row id follows `uuid` and the columns.
        let id_at = COLUMNS.split(',').count() + 1;
        while let Some(r) = rows.next()? {
            let row: i64 = r.get(id_at)?;
            let stored: Option<String> = r.get_ref(0)?.as_str().ok().map(str::to_string);
            if let Some(note_row) = stored.as_ref().and_then(|u| unreadable.remove(u)) {
                problems.push(super::unreadable_row(
                    MEETINGS_TABLE,
                    row,
                    format!("its note in {NOTES_TABLE} row {note_row} cannot be read"),
                ));
                continue;
            }
            match meeting_of_row(r) {
                Ok(mut meeting) => {
                    meeting.notes = stored.and_then(|u| notes.remove(&u)).unwrap_or_default();
                    out.push((meeting, row));
                }
                Err(detail) => problems.push(super::unreadable_row(MEETINGS_TABLE, row, detail)),
            }
        }
        Ok((out, problems))
    }
}

/// A meeting (without its notes) from a row of `uuid, COLUMNS`, or why it cannot be read.
fn meeting_of_row(r: &rusqlite::Row<'_>) -> std::result::Result<Meeting, String> {
    use super::{column, text_column as text, uuid_column};
    let kind: String = column(r, 2)?;
    let kind = MeetingKind::from_key(&kind)
        .ok_or_else(|| format!("kind: unknown meeting kind {kind:?}"))?;
    let project = match r.get_ref(1).map_err(|e| e.to_string())? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(uuid_column(r, 1)?),
    };
    Ok(Meeting {
        id: uuid_column(r, 0)?,
        project,
        kind,
        date: column(r, 3)?,
        place: text(r, 4)?,
        attendance: column(r, 5)?,
        attendees: text(r, 6)?,
        chair: text(r, 7)?,
        departments: text(r, 8)?,
        agenda: text(r, 9)?,
        decisions: text(r, 10)?,
        comments: text(r, 11)?,
        notes: Vec::new(),
        view: match (column(r, 12)?, column(r, 13)?, column(r, 14)?) {
            (Some(lon), Some(lat), Some(zoom)) => Some(MapBookmark { lon, lat, zoom }),
            _ => None,
        },
        slides: slides_of_text(&text(r, 15)?)?,
        vote_rules: rules_of(column(r, 16)?)?,
    })
}

/// A meeting's slides as stored: one JSON array in the TEXT column `slides` (a migrated or
/// slide-less meeting holds NULL), so QGIS and GDAL see one plain text field they may leave
/// alone while editing the others.
pub(super) fn slides_sql(slides: &[Slide]) -> rusqlite::types::Value {
    if slides.is_empty() {
        return rusqlite::types::Value::Null;
    }
    match serde_json::to_string(slides) {
        Ok(json) => rusqlite::types::Value::Text(json),
        // Plain data of strings, numbers and UUIDs always serialises.
        Err(_) => rusqlite::types::Value::Null,
    }
}

/// The slides of the `slides` column's text (empty: none), or why they cannot be read.
fn slides_of_text(text: &str) -> std::result::Result<Vec<Slide>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(|e| format!("slides: not a list of slides ({e})"))
}

/// Schema 6 → 7: the meetings' slides column (see [`slides_sql`]); a new workspace runs the
/// same step, so both end identical.
pub(super) fn slides_column(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "ALTER TABLE {MEETINGS_TABLE} ADD COLUMN slides TEXT;"
    ))?;
    Ok(())
}

/// A meeting's voting rules as stored: JSON text, written whole.
pub(super) fn rules_text(rules: &VoteRules) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    serde_json::to_string(rules).map_or(Value::Null, Value::Text)
}

/// A meeting's rules from their column: NULL or empty is the defaults.
fn rules_of(text: Option<String>) -> std::result::Result<VoteRules, String> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(VoteRules::default()),
        Some(t) => serde_json::from_str(t).map_err(|e| format!("vote_rules: {e}")),
    }
}

/// Every meeting's readable notes by meeting UUID (as stored) and position, the notes for the
/// rows that cannot be read, and for each meeting with such a row, that row's fid.
type NotesRead = (
    HashMap<String, Vec<MeetingNote>>,
    Vec<Problem>,
    HashMap<String, i64>,
);

impl Store {
    /// Every meeting's notes, by meeting UUID (as stored) and position: one query.
    fn meeting_notes(&self, only: Option<Uuid>) -> Result<NotesRead> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT meeting_uuid, kind, text, vote, {GEOM_COLUMN}, fid FROM {NOTES_TABLE} {} ORDER BY meeting_uuid, seq",
            super::where_uuid("meeting_uuid", only)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out: HashMap<String, Vec<MeetingNote>> = HashMap::new();
        let (mut problems, mut unreadable) = (Vec::new(), HashMap::new());
        while let Some(r) = rows.next()? {
            let fid: i64 = r.get(5)?;
            let meeting: Option<String> = r.get_ref(0)?.as_str().ok().map(str::to_string);
            match note_of_row(r) {
                Ok(note) => {
                    if let Some(m) = meeting {
                        out.entry(m).or_default().push(note);
                    }
                }
                Err(detail) => {
                    problems.push(super::unreadable_row(NOTES_TABLE, fid, detail));
                    if let Some(m) = meeting {
                        unreadable.entry(m).or_insert(fid);
                    }
                }
            }
        }
        Ok((out, problems, unreadable))
    }
}

/// A meeting's note from a row of `meeting_uuid, kind, text, vote, geom`, or why it cannot be
/// read.
fn note_of_row(r: &rusqlite::Row<'_>) -> std::result::Result<MeetingNote, String> {
    use super::{column, text_column};
    let kind: String = column(r, 1)?;
    let kind =
        NoteKind::from_key(&kind).ok_or_else(|| format!("kind: unknown note kind {kind:?}"))?;
    // What saving the meeting would not write back as it is (an unknown vote, a location
    // that is not a point) makes the note unreadable rather than silently dropped.
    let vote: Option<String> = column(r, 3)?;
    let vote = match vote.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(Vote::from_key(v).ok_or_else(|| format!("vote: unknown vote {v:?}"))?),
    };
    let blob: Option<Vec<u8>> = column(r, 4)?;
    let lon_lat = match blob {
        None => None,
        Some(b) => match super::decode_geometry(&b) {
            Some(geo::Geometry::Point(p)) => Some([p.x(), p.y()]),
            _ => return Err(format!("{GEOM_COLUMN}: not a readable point")),
        },
    };
    Ok(MeetingNote {
        kind,
        text: text_column(r, 2)?,
        vote,
        lon_lat,
    })
}

/// Rewrites the notes of meeting `m` stored in row `row` (each keyed by its position).
pub(super) fn write_notes(conn: &Connection, m: &Meeting, row: i64) -> Result<()> {
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
