//! Roster and task rows (`linli_people`, `linli_organisations`, `linli_tasks`), keyed by their
//! UUID. One set of functions serves the three tables through [`RosterRow`]; each runs in the
//! caller's transaction.

use rusqlite::Row;
use rusqlite::types::Value;
use uuid::Uuid;

use super::people_tables::{ORGANISATIONS_TABLE, PEOPLE_TABLE, TASKS_TABLE};
use super::{Store, parse_uuid};
use crate::error::{Error, Problem, Result};
use crate::model::people::{OrgKind, Organisation, Person, PersonRole, Task, TaskStatus};

/// The readable records of a roster table with their row ids, and what reading found.
pub type RosterRows<T> = (Vec<(T, i64)>, Vec<Problem>);

/// A record stored in one row of one roster table.
pub trait RosterRow: Sized {
    /// The table.
    const TABLE: &'static str;
    /// What the record is called in messages (`person`, `organisation`, `task`).
    const RECORD: &'static str;
    /// Its columns after `uuid`, in the order of [`RosterRow::values`].
    const COLUMNS: &'static [&'static str];
    /// The record's field (see [`crate::model::Record`]) each column holds, in that order.
    const FIELDS: &'static [&'static str];
    /// The record's id.
    fn id(&self) -> Uuid;
    /// Its values, in the order of [`RosterRow::COLUMNS`].
    fn values(&self) -> Vec<Value>;
    /// The record from a row of `uuid, COLUMNS…`; `path` names the file in errors.
    fn from_row(r: &Row<'_>, path: &std::path::Path) -> Result<Self>;
}

fn text(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
}

fn code<T>(
    parse: fn(&str) -> Option<T>,
    field: &str,
    value: String,
    path: &std::path::Path,
) -> Result<T> {
    parse(&value).ok_or_else(|| {
        Error::workspace(
            path,
            Problem::UnknownRosterCode {
                field: field.to_string(),
                value,
            },
        )
    })
}

fn uuid_value(id: Option<Uuid>) -> Value {
    id.map_or(Value::Null, |u| Value::Text(u.to_string()))
}

impl RosterRow for Person {
    const TABLE: &'static str = PEOPLE_TABLE;
    const RECORD: &'static str = "person";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "role",
        "organisation",
        "streets",
        "contact",
        "notes",
    ];
    const FIELDS: &'static [&'static str] = Self::COLUMNS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.name.clone()),
            Value::Text(self.role.key().into()),
            Value::Text(self.organisation.clone()),
            Value::Text(self.streets.clone()),
            Value::Text(self.contact.clone()),
            Value::Text(self.notes.clone()),
        ]
    }
    fn from_row(r: &Row<'_>, path: &std::path::Path) -> Result<Self> {
        Ok(Person {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            name: r.get(1)?,
            role: code(PersonRole::from_key, "role", r.get(2)?, path)?,
            organisation: text(r, 3)?,
            streets: text(r, 4)?,
            contact: text(r, 5)?,
            notes: text(r, 6)?,
        })
    }
}

impl RosterRow for Organisation {
    const TABLE: &'static str = ORGANISATIONS_TABLE;
    const RECORD: &'static str = "organisation";
    const COLUMNS: &'static [&'static str] = &["name", "kind", "notes"];
    const FIELDS: &'static [&'static str] = Self::COLUMNS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.name.clone()),
            Value::Text(self.kind.key().into()),
            Value::Text(self.notes.clone()),
        ]
    }
    fn from_row(r: &Row<'_>, path: &std::path::Path) -> Result<Self> {
        Ok(Organisation {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            name: r.get(1)?,
            kind: code(OrgKind::from_key, "kind", r.get(2)?, path)?,
            notes: text(r, 3)?,
        })
    }
}

impl RosterRow for Task {
    const TABLE: &'static str = TASKS_TABLE;
    const RECORD: &'static str = "task";
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "meeting_uuid",
        "project_uuid",
        "owner",
        "due_date",
        "status",
        "notes",
    ];
    const FIELDS: &'static [&'static str] = &[
        "title", "meeting", "project", "owner", "due", "status", "notes",
    ];
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.title.clone()),
            uuid_value(self.meeting),
            uuid_value(self.project),
            Value::Text(self.owner.clone()),
            if self.due.is_empty() {
                Value::Null
            } else {
                Value::Text(self.due.clone())
            },
            Value::Text(self.status.key().into()),
            Value::Text(self.notes.clone()),
        ]
    }
    fn from_row(r: &Row<'_>, path: &std::path::Path) -> Result<Self> {
        let link = |i: usize| -> Result<Option<Uuid>> {
            r.get::<_, Option<String>>(i)?
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_uuid(&s, path))
                .transpose()
        };
        Ok(Task {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            title: r.get(1)?,
            meeting: link(2)?,
            project: link(3)?,
            owner: text(r, 4)?,
            due: text(r, 5)?,
            status: code(TaskStatus::from_key, "status", r.get(6)?, path)?,
            notes: text(r, 7)?,
        })
    }
}

impl Store {
    /// Every readable record of one roster table with its row id, by row id, and a
    /// [`Problem::UnreadablePlanRow`] note for each row another program left unreadable (a
    /// `uuid` that is not one, a code this program does not know): left out, never refusing the
    /// workspace.
    pub fn roster_rows<T: RosterRow>(&self) -> Result<RosterRows<T>> {
        self.roster_rows_where(None)
    }

    /// [`Store::roster_rows`], or only the record with id `only`.
    pub(crate) fn roster_rows_where<T: RosterRow>(
        &self,
        only: Option<Uuid>,
    ) -> Result<RosterRows<T>> {
        let columns = T::COLUMNS.join(", ");
        // One statement per table, the id bound: a merge reads thousands of records by id.
        let filter = if only.is_some() {
            "WHERE uuid = ?1"
        } else {
            ""
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT uuid, {columns}, id FROM {} {filter} ORDER BY id",
            T::TABLE,
        ))?;
        let mut rows = match only {
            Some(u) => stmt.query([u.to_string()])?,
            None => stmt.query([])?,
        };
        let (mut out, mut notes) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let row: i64 = r.get(T::COLUMNS.len() + 1)?;
            match T::from_row(r, &self.path) {
                Ok(record) => out.push((record, row)),
                Err(e) => notes.push(Problem::UnreadablePlanRow {
                    table: T::TABLE.to_string(),
                    fid: row,
                    detail: e.to_problem().to_string(),
                }),
            }
        }
        Ok((out, notes))
    }
}
