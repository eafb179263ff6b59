//! Residents' input (`linli_inputs`, schema 7): its columns, its rows written and read.
//!
//! - `linli_inputs` is a point feature table (QGIS draws the pins as a layer): one row per
//!   comment or vote, keyed by its UUID, the point always the tapped place; the feature or
//!   design alternative it is on by UUID; `kind` a coded field (支持/担忧/想法/投票) through the
//!   schema extension, as the other tables' codes; `made_utc` RFC 3339 UTC.
//! - `linli_meetings` gains `vote_rules`: the meeting's [`VoteRules`] as JSON text (NULL: the
//!   defaults).
//!
//! The table and the meetings' column are made by `schema::inputs_and_vote_rules`, the
//! migration step from schema 6 that a new workspace runs too, so both end identical.

use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::{GEOM_COLUMN, Store};
use crate::error::{Problem, Result};
use crate::model::input::{InputKind, ResidentInput};

/// Inputs with their row ids, and what reading found.
pub type InputRows = (Vec<(ResidentInput, i64)>, Vec<Problem>);

/// Residents' comments and votes (a point feature table).
pub const INPUTS_TABLE: &str = "linli_inputs";

const COLUMNS: &str = "uuid, meeting_uuid, kind, text, participant, feature_uuid, \
     alternative_uuid, made_utc";

fn maybe_uuid(id: Option<Uuid>) -> Sql {
    id.map_or(Sql::Null, |u| Sql::Text(u.to_string()))
}

fn point_blob(lon_lat: [f64; 2]) -> Sql {
    let point = geo::Geometry::Point(geo::Point::new(lon_lat[0], lon_lat[1]));
    super::encode_geometry(&point).map_or(Sql::Null, |(blob, _)| Sql::Blob(blob))
}

/// An input's columns: `(field, column, value)` of each field (see `records::Table`).
pub(super) fn input_columns(i: &ResidentInput) -> Vec<(&'static str, &'static str, Sql)> {
    vec![
        ("lon_lat", GEOM_COLUMN, point_blob(i.lon_lat)),
        ("meeting", "meeting_uuid", Sql::Text(i.meeting.to_string())),
        ("kind", "kind", Sql::Text(i.kind.key().to_string())),
        ("text", "text", Sql::Text(i.text.clone())),
        (
            "participant",
            "participant",
            i.participant.map_or(Sql::Null, |p| Sql::Integer(p.into())),
        ),
        ("feature", "feature_uuid", maybe_uuid(i.feature)),
        ("alternative", "alternative_uuid", maybe_uuid(i.alternative)),
        ("made", "made_utc", Sql::Text(i.made.clone())),
    ]
}

impl Store {
    /// Every readable input with its row (or only the one with id `only`), by when it was made
    /// then id, and an [`crate::error::Problem::UnreadablePlanRow`] note for each row another
    /// program left unreadable (left out and untouched).
    pub(crate) fn input_rows(&self, only: Option<Uuid>) -> Result<InputRows> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS}, {GEOM_COLUMN}, fid FROM {INPUTS_TABLE} {} ORDER BY made_utc, uuid",
            super::where_uuid("uuid", only)
        ))?;
        let mut rows = stmt.query([])?;
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let fid: i64 = r.get(9)?;
            match input_of_row(r) {
                Ok(input) => out.push((input, fid)),
                Err(detail) => problems.push(super::unreadable_row(INPUTS_TABLE, fid, detail)),
            }
        }
        Ok((out, problems))
    }
}

/// An input from a row of `COLUMNS, geom`, or why it cannot be read.
fn input_of_row(r: &rusqlite::Row<'_>) -> std::result::Result<ResidentInput, String> {
    use super::{column, text_column, uuid_column};
    let kind: String = column(r, 2)?;
    let kind =
        InputKind::from_key(&kind).ok_or_else(|| format!("kind: unknown input kind {kind:?}"))?;
    let maybe = |i: usize| match r.get_ref(i).map_err(|e| e.to_string())? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => uuid_column(r, i).map(Some),
    };
    let blob: Option<Vec<u8>> = column(r, 8)?;
    let lon_lat = match blob.as_deref().and_then(super::decode_geometry) {
        Some(geo::Geometry::Point(p)) => [p.x(), p.y()],
        _ => return Err(format!("{GEOM_COLUMN}: not a readable point")),
    };
    let participant: Option<i64> = column(r, 4)?;
    let participant = match participant {
        None => None,
        Some(p) => Some(
            u32::try_from(p)
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("participant: {p} is not a participant number"))?,
        ),
    };
    Ok(ResidentInput {
        id: uuid_column(r, 0)?,
        meeting: uuid_column(r, 1)?,
        kind,
        text: text_column(r, 3)?,
        participant,
        lon_lat,
        feature: maybe(5)?,
        alternative: maybe(6)?,
        made: column(r, 7)?,
    })
}
