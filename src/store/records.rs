//! Records written field by field and checked against the file: the one place a change of
//! the workspace's records is written.
//!
//! [`Store::apply`] applies a [`Changeset`] in one IMMEDIATE transaction. For each record it
//! reads the row as the file holds it now; an update then needs every changed field to still
//! hold its base value, sets only those fields (the others, another program's changes
//! included, stay as the file has them), and gives back the record as it now is; a delete
//! needs every field at its base; an insert needs the id to be free. The first change whose
//! base the file no longer holds refuses the whole changeset ([`Refused`]): nothing is
//! written.
//!
//! Every kind is one [`Table`] impl: its table, the fields stored as its columns, the reader,
//! and where needed the fields kept elsewhere (a project's lists, a meeting's notes, an
//! attachment's link). Inserting, updating and deleting the columns is generic.

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::media_tables::NOTES_TABLE;
use super::{MEDIA_TABLE, MEETINGS_TABLE, PROJECTS_TABLE, PlanDerived, Store, q};
use crate::error::{Error, Problem, Result};
use crate::model::alternative::Alternative;
use crate::model::attachment::Attachment;
use crate::model::change::{Changeset, Fields, Op, Record, RecordChange, RecordKind, Value};
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::provenance::Provenance;
use crate::model::setting::Setting;
use crate::model::sync::{BaseEntry, MergeConflict, Peer};
use crate::model::{PlanFeature, Project, RecordId};

/// Records with their row ids, and what reading them found.
pub type Rows<T> = (Vec<(T, i64)>, Vec<Problem>);

/// What the session derives for a plan feature about to be written: its street and community
/// (set on it) and the values the row keeps for QGIS users.
pub type Derive<'a> = dyn Fn(&mut PlanFeature) -> PlanDerived<'a> + 'a;

pub use super::plan::Target;

/// A record kind as the store keeps it.
pub trait Table: Record {
    /// Its table.
    const TABLE: &'static str;
    /// `(field, column, value)` of each field kept in a column of [`Table::TABLE`].
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)>;
    /// Every readable record with its row (or only the one with id `only`), and what reading
    /// found.
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>>;
    /// Writes those of the `changed` fields kept outside the table's columns (a new record:
    /// all its fields). Runs in the caller's transaction.
    fn write_other(_conn: &Connection, _r: &Self, _row: i64, _changed: &[&str]) -> Result<()> {
        Ok(())
    }
    /// Deletes what [`Table::write_other`] wrote.
    fn delete_other(_conn: &Connection, _id: Uuid) -> Result<()> {
        Ok(())
    }
    /// Inserts a record into row `row` when given (an undone delete goes back where it was),
    /// else a new row; returns the row.
    fn insert(conn: &Connection, r: &mut Self, row: Option<i64>, _d: &Derive) -> Result<i64> {
        insert_columns(conn, r, row)
    }
    /// Writes the `changed` fields of a stored record (in `at.row`); returns its row.
    fn update(
        conn: &Connection,
        r: &mut Self,
        at: Target,
        changed: &[&str],
        _d: &Derive,
    ) -> Result<i64> {
        update_columns(conn, r, changed)?;
        Self::write_other(conn, r, at.row, changed)?;
        Ok(at.row)
    }
    /// Writes again what the store derives for a stored record (in `row`), from the record
    /// as the file holds it: nothing, for kinds that derive nothing.
    fn settle(_conn: &Connection, _r: &mut Self, _row: i64, _d: &Derive) -> Result<()> {
        Ok(())
    }
    /// Deletes a stored record.
    fn delete(conn: &Connection, id: Uuid) -> Result<()> {
        Self::delete_other(conn, id)?;
        conn.prepare_cached(&format!("DELETE FROM {} WHERE uuid = ?1", q(Self::TABLE)?))?
            .execute([id.to_string()])?;
        Ok(())
    }
}

/// Inserts a record's columns (and what it keeps elsewhere).
fn insert_columns<T: Table>(conn: &Connection, r: &T, row: Option<i64>) -> Result<i64> {
    insert_keyed(conn, r, row, "id")
}

/// [`insert_columns`] into a table whose integer key is `key` (a feature table's is `fid`).
fn insert_keyed<T: Table>(conn: &Connection, r: &T, row: Option<i64>, key: &str) -> Result<i64> {
    let columns = r.columns();
    let names: Vec<String> = columns
        .iter()
        .map(|(_, c, _)| q(c))
        .collect::<Result<_>>()?;
    let marks: Vec<String> = (0..columns.len() + 2)
        .map(|i| format!("?{}", i + 1))
        .collect();
    let mut values = vec![Sql::Text(r.id().to_string())];
    values.extend(columns.into_iter().map(|(_, _, v)| v));
    values.push(row.map_or(Sql::Null, Sql::Integer));
    conn.prepare_cached(&format!(
        "INSERT INTO {} (uuid, {}, {}) VALUES ({})",
        q(T::TABLE)?,
        names.join(", "),
        q(key)?,
        marks.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    let row = conn.last_insert_rowid();
    let all: Vec<String> = r.fields().into_keys().collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    T::write_other(conn, r, row, &all)?;
    Ok(row)
}

/// Sets the columns of the `changed` fields, and no other.
fn update_columns<T: Table>(conn: &Connection, r: &T, changed: &[&str]) -> Result<()> {
    let sets: Vec<(&str, Sql)> = r
        .columns()
        .into_iter()
        .filter(|(field, _, _)| changed.contains(field))
        .map(|(_, column, v)| (column, v))
        .collect();
    if sets.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (column, _))| Ok(format!("{} = ?{}", q(column)?, i + 2)))
        .collect::<Result<_>>()?;
    let mut values = vec![Sql::Text(r.id().to_string())];
    values.extend(sets.into_iter().map(|(_, v)| v));
    conn.prepare_cached(&format!(
        "UPDATE {} SET {} WHERE uuid = ?1",
        q(T::TABLE)?,
        assignments.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn text(s: &str) -> Sql {
    Sql::Text(s.to_string())
}

fn maybe_real(x: Option<f64>) -> Sql {
    x.map_or(Sql::Null, Sql::Real)
}

fn maybe_uuid(id: Option<Uuid>) -> Sql {
    id.map_or(Sql::Null, |u| Sql::Text(u.to_string()))
}

/// The roster kinds: one table each, every field a column ([`super::RosterRow`]).
macro_rules! roster_table {
    ($($t:ty),*) => {$(
        impl Table for $t {
            const TABLE: &'static str = <$t as super::RosterRow>::TABLE;
            fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
                roster_columns(self)
            }
            fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
                store.roster_rows_where(only)
            }
        }
    )*};
}

roster_table!(
    Person,
    Organisation,
    Task,
    Alternative,
    Peer,
    BaseEntry,
    MergeConflict,
    Provenance
);

/// A roster record's columns: [`super::RosterRow::COLUMNS`], each named by its field.
fn roster_columns<T: super::RosterRow + Record>(r: &T) -> Vec<(&'static str, &'static str, Sql)> {
    T::COLUMNS
        .iter()
        .zip(T::FIELDS)
        .zip(r.values())
        .map(|((column, field), v)| (*field, *column, v))
        .collect()
}

impl Table for Project {
    const TABLE: &'static str = PROJECTS_TABLE;
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        let p = self;
        vec![
            ("code", "code", text(&p.code)),
            ("name", "name", text(&p.name)),
            ("programme", "programme", text(&p.programme)),
            (
                "year",
                "year",
                p.year.map_or(Sql::Null, |y| Sql::Integer(y.into())),
            ),
            ("stage", "stage", text(&p.stage)),
            ("budget_wan", "budget_wan", maybe_real(p.budget_wan)),
            ("workflow", "workflow", text(&p.workflow)),
            ("scope", "scope", text(&p.scope)),
            ("actual_wan", "actual_wan", maybe_real(p.actual_wan)),
            ("owner_unit", "owner_unit", text(&p.owner_unit)),
            ("design_team", "design_team", text(&p.design_team)),
            ("mentor", "mentor", text(&p.mentor)),
            ("planners", "planners", text(&p.planners)),
            ("departments", "departments", text(&p.departments)),
            ("progress_pct", "progress_pct", maybe_real(p.progress_pct)),
            ("comments", "comments", text(&p.comments)),
        ]
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        store.read_projects_where(only)
    }
    fn write_other(conn: &Connection, r: &Self, row: i64, changed: &[&str]) -> Result<()> {
        super::projects::write_changed_lists(conn, r, row, changed)
    }
    fn delete_other(conn: &Connection, id: Uuid) -> Result<()> {
        super::projects::delete_lists(conn, id)
    }
    fn insert(conn: &Connection, r: &mut Self, row: Option<i64>, _d: &Derive) -> Result<i64> {
        code_free(conn, r)?;
        insert_columns(conn, r, row)
    }
    fn update(
        conn: &Connection,
        r: &mut Self,
        at: Target,
        changed: &[&str],
        _d: &Derive,
    ) -> Result<i64> {
        if changed.contains(&"code") {
            code_free(conn, r)?;
        }
        update_columns(conn, r, changed)?;
        Self::write_other(conn, r, at.row, changed)?;
        Ok(at.row)
    }
}

/// A project's code is unique: held by another project (one another program added, too), the
/// change is refused as the form would refuse it.
fn code_free(conn: &Connection, p: &Project) -> Result<()> {
    let taken: Option<String> = rusqlite::OptionalExtension::optional(
        conn.prepare_cached(&format!(
            "SELECT uuid FROM {PROJECTS_TABLE} WHERE code = ?1 AND uuid IS NOT ?2"
        ))?
        .query_row([p.code.clone(), p.id.to_string()], |r| r.get(0)),
    )?;
    match taken {
        Some(_) => Err(Error::request(Problem::ProjectCodeTaken {
            code: p.code.clone(),
        })),
        None => Ok(()),
    }
}

impl Table for Meeting {
    const TABLE: &'static str = MEETINGS_TABLE;
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        let m = self;
        let view =
            |f: fn(&crate::model::meeting::MapBookmark) -> f64| maybe_real(m.view.as_ref().map(f));
        vec![
            ("project", "project_uuid", maybe_uuid(m.project)),
            ("kind", "kind", text(m.kind.key())),
            ("date", "date", text(&m.date)),
            ("place", "place", text(&m.place)),
            (
                "attendance",
                "attendance",
                m.attendance.map_or(Sql::Null, |n| Sql::Integer(n.into())),
            ),
            ("attendees", "attendees", text(&m.attendees)),
            ("chair", "chair", text(&m.chair)),
            ("departments", "departments", text(&m.departments)),
            ("agenda", "agenda", text(&m.agenda)),
            ("decisions", "decisions", text(&m.decisions)),
            ("comments", "comments", text(&m.comments)),
            ("view", "view_lon", view(|v| v.lon)),
            ("view", "view_lat", view(|v| v.lat)),
            ("view", "view_zoom", view(|v| v.zoom)),
            ("slides", "slides", super::meetings::slides_sql(&m.slides)),
            (
                "vote_rules",
                "vote_rules",
                super::meetings::rules_text(&m.vote_rules),
            ),
        ]
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        store.meeting_rows_where(only)
    }
    fn write_other(conn: &Connection, r: &Self, row: i64, changed: &[&str]) -> Result<()> {
        if changed.contains(&"notes") {
            super::meetings::write_notes(conn, r, row)?;
        }
        Ok(())
    }
    fn delete_other(conn: &Connection, id: Uuid) -> Result<()> {
        conn.prepare_cached(&format!(
            "DELETE FROM {NOTES_TABLE} WHERE meeting_uuid = ?1"
        ))?
        .execute([id.to_string()])?;
        Ok(())
    }
}

impl Table for Attachment {
    const TABLE: &'static str = MEDIA_TABLE;
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        let i = &self.info;
        vec![
            ("data", "data", Sql::Blob(self.data.to_vec())),
            ("content_type", "content_type", text(&i.content_type)),
            ("file_name", "file_name", text(&i.file_name)),
            ("caption", "caption", text(&i.caption)),
            ("kind", "kind", text(i.kind.key())),
            ("added", "added", text(&i.added)),
        ]
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        let (infos, notes) = store.attachment_rows_where(only)?;
        let mut out = Vec::with_capacity(infos.len());
        for (info, row) in infos {
            let data = store.attachment_data(info.id)?.unwrap_or_default();
            out.push((
                Attachment {
                    info,
                    data: data.into(),
                },
                row,
            ));
        }
        Ok((out, notes))
    }
    fn write_other(conn: &Connection, r: &Self, row: i64, changed: &[&str]) -> Result<()> {
        if changed.contains(&"project") {
            super::media::link(conn, r, row)?;
        }
        Ok(())
    }
    fn delete_other(conn: &Connection, id: Uuid) -> Result<()> {
        super::media::unlink(conn, id)
    }
}

impl Table for crate::model::input::ResidentInput {
    const TABLE: &'static str = super::INPUTS_TABLE;
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        super::inputs::input_columns(self)
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        store.input_rows(only)
    }
    /// A feature table's key is `fid`, not the attributes tables' `id`.
    fn insert(conn: &Connection, r: &mut Self, row: Option<i64>, _d: &Derive) -> Result<i64> {
        insert_keyed(conn, r, row, "fid")
    }
}

impl Table for PlanFeature {
    const TABLE: &'static str = "plan";
    /// A plan feature's columns depend on its table; it writes them itself.
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        Vec::new()
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        match only {
            Some(id) => Ok((
                super::plan::read_plan_feature(&store.conn, id)?
                    .map(|r| (r.feature, r.fid))
                    .into_iter()
                    .collect(),
                Vec::new(),
            )),
            None => {
                let load = store.read_plan()?;
                Ok((
                    load.rows.into_iter().map(|r| (r.feature, r.fid)).collect(),
                    load.notes,
                ))
            }
        }
    }
    fn insert(conn: &Connection, f: &mut Self, row: Option<i64>, d: &Derive) -> Result<i64> {
        let derived = d(f);
        super::write_plan_feature(conn, f, derived, row)
    }
    fn update(
        conn: &Connection,
        f: &mut Self,
        at: Target,
        changed: &[&str],
        d: &Derive,
    ) -> Result<i64> {
        let derived = d(f);
        super::plan::update_plan_fields(conn, f, at, changed, derived)
    }
    fn settle(conn: &Connection, f: &mut Self, row: i64, d: &Derive) -> Result<()> {
        let derived = d(f);
        super::plan::settle_plan_row(conn, f, row, derived)
    }
    fn delete(conn: &Connection, id: Uuid) -> Result<()> {
        super::delete_plan_feature(conn, id)
    }
}

/// Every record kind with its type, once: the enum of any record and the dispatch from a
/// [`RecordKind`] to its type's [`Table`] impl are made from this list. A new kind is one
/// line here (plus its `Record` and `Table` impls, its table's migration).
macro_rules! record_kinds {
    ($($kind:ident => $t:ty,)*) => {
        /// A record of any kind, as written or read.
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyRecord {
            $(
                #[doc = concat!("A record of kind `", stringify!($kind), "`.")]
                $kind($t),
            )*
        }

        $(
            impl From<$t> for AnyRecord {
                fn from(r: $t) -> Self {
                    AnyRecord::$kind(r)
                }
            }
        )*

        impl AnyRecord {
            /// Its fields ([`Record::fields`]).
            pub fn fields(&self) -> crate::model::change::Fields {
                match self {
                    $(AnyRecord::$kind(r) => r.fields(),)*
                }
            }

            /// What to call it ([`Record::label`]).
            pub fn label(&self) -> String {
                match self {
                    $(AnyRecord::$kind(r) => r.label(),)*
                }
            }
        }

        /// Calls `visit` with the record type of `kind`.
        pub(crate) fn with_kind<V: KindVisitor>(kind: RecordKind, visit: V) -> V::Out {
            match kind {
                $(RecordKind::$kind => visit.visit::<$t>(),)*
            }
        }
    };
}

record_kinds! {
    Plan => PlanFeature,
    Project => Project,
    Meeting => Meeting,
    Person => Person,
    Organisation => Organisation,
    Task => Task,
    Attachment => Attachment,
    Setting => Setting,
    Input => crate::model::input::ResidentInput,
    Alternative => Alternative,
    Peer => Peer,
    Base => BaseEntry,
    Conflict => MergeConflict,
    Provenance => Provenance,
}

/// What a record of `record`'s kind with these fields is called ([`Record::label`]); `None`
/// when the fields do not make one.
pub(crate) fn label_of(record: RecordId, fields: Fields) -> Option<String> {
    struct Label(Uuid, Fields);
    impl KindVisitor for Label {
        type Out = Option<String>;
        fn visit<T: Table + Into<AnyRecord>>(self) -> Option<String> {
            T::from_fields(self.0, self.1).ok().map(|r| r.label())
        }
    }
    with_kind(record.kind(), Label(record.uuid(), fields))
}

/// Something done with a record type chosen at run time by its kind ([`with_kind`]).
pub(crate) trait KindVisitor {
    /// What it gives.
    type Out;
    /// Does it with `T`.
    fn visit<T: Table + Into<AnyRecord>>(self) -> Self::Out;
}

/// One record as a changeset left it: its state in the file now (with its row), `None` when
/// deleted, and the row it had before (a delete's row, kept so undo puts it back there).
#[derive(Debug, Clone)]
pub struct Written {
    /// The record.
    pub record: RecordId,
    /// The record and its row as the file now holds them.
    pub state: Option<(AnyRecord, i64)>,
    /// The row it had before the change.
    pub row_before: Option<i64>,
}

/// Why a changeset was refused: the file no longer holds what a change was made against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Another program changed this field.
    Changed(String),
    /// Another program deleted the record.
    Deleted,
    /// A record with this id is in the file already.
    Added,
}

/// A refused changeset: the first record whose base the file no longer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The record.
    pub record: RecordId,
    /// How it differs.
    pub conflict: Conflict,
}

impl Store {
    /// Applies a changeset in one IMMEDIATE transaction, checking every change's base against
    /// the file first (see the module's documentation). `Ok(Err(_))`: refused, nothing
    /// written. `derive` gives each plan feature written its street, community and derived
    /// values.
    pub fn apply(
        &mut self,
        changes: &Changeset,
        derive: &Derive,
    ) -> Result<std::result::Result<Vec<Written>, Refused>> {
        self.check_writable()?;
        // A transaction on the connection itself, so the readers (which take the store) read
        // the rows inside it.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.apply_all(changes, derive);
        if let Ok(Ok(_)) = result
            && let Err(e) = self.conn.execute_batch("COMMIT")
        {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        if !matches!(result, Ok(Ok(_))) {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result
    }

    fn apply_all(
        &self,
        changes: &Changeset,
        derive: &Derive,
    ) -> Result<std::result::Result<Vec<Written>, Refused>> {
        let mut written = Vec::with_capacity(changes.changes.len());
        for change in &changes.changes {
            struct One<'a, 'd> {
                store: &'a Store,
                change: &'a RecordChange,
                derive: &'a Derive<'d>,
            }
            impl KindVisitor for One<'_, '_> {
                type Out = Result<std::result::Result<Written, Refused>>;
                fn visit<T: Table + Into<AnyRecord>>(self) -> Self::Out {
                    apply_one::<T>(self.store, self.change, self.derive)
                }
            }
            let one = with_kind(
                change.record.kind(),
                One {
                    store: self,
                    change,
                    derive,
                },
            )?;
            match one {
                Ok(w) => written.push(w),
                Err(refused) => return Ok(Err(refused)),
            }
        }
        Ok(Ok(written))
    }

    /// The record as the file holds it now (with its row), `None` when there is none or it
    /// cannot be read; a plan feature's street and community as stored.
    pub fn read_record(&self, record: RecordId) -> Result<Option<(AnyRecord, i64)>> {
        struct Read<'a>(&'a Store, Uuid);
        impl KindVisitor for Read<'_> {
            type Out = Result<Option<(AnyRecord, i64)>>;
            fn visit<T: Table + Into<AnyRecord>>(self) -> Self::Out {
                Ok(T::read(self.0, Some(self.1))?
                    .0
                    .into_iter()
                    .next()
                    .map(|(r, row)| (r.into(), row)))
            }
        }
        with_kind(record.kind(), Read(self, record.uuid()))
    }
}

/// One record's change, in the caller's transaction: its base checked against the row as it
/// is, then written.
fn apply_one<T: Table + Into<AnyRecord>>(
    store: &Store,
    change: &RecordChange,
    derive: &Derive,
) -> Result<std::result::Result<Written, Refused>> {
    let id = change.record.uuid();
    let refuse = |conflict| {
        Ok(Err(Refused {
            record: change.record,
            conflict,
        }))
    };
    let conn = &store.conn;
    let current = T::read(store, Some(id))?.0.into_iter().next();
    let invalid = |detail: String| {
        Error::request(Problem::RecordNotWritable {
            kind: T::KIND.key().to_string(),
            id: id.to_string(),
            detail,
        })
    };
    match change.op {
        Op::Insert => {
            if current.is_some() {
                return refuse(Conflict::Added);
            }
            let mut record = T::from_fields(id, change.after_fields()).map_err(invalid)?;
            let row = T::insert(conn, &mut record, change.row_after, derive)?;
            Ok(Ok(Written {
                record: change.record,
                state: Some((record.into(), row)),
                row_before: None,
            }))
        }
        Op::Settle => {
            let Some((mut now, row)) = current else {
                return refuse(Conflict::Deleted);
            };
            T::settle(conn, &mut now, row, derive)?;
            Ok(Ok(Written {
                record: change.record,
                state: Some((now.into(), row)),
                row_before: Some(row),
            }))
        }
        Op::Update | Op::Delete => {
            let Some((now, row)) = current else {
                return refuse(Conflict::Deleted);
            };
            let mut fields: Fields = now.fields();
            for f in &change.fields {
                if fields.get(&f.field).unwrap_or(&Value::NULL) != &f.before {
                    return refuse(Conflict::Changed(f.field.clone()));
                }
                fields.insert(f.field.clone(), f.after.clone());
            }
            if change.op == Op::Delete {
                T::delete(conn, id)?;
                return Ok(Ok(Written {
                    record: change.record,
                    state: None,
                    row_before: Some(row),
                }));
            }
            let mut record = T::from_fields(id, fields).map_err(invalid)?;
            let changed: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
            let target = Target {
                row,
                moved_to: change.row_after.filter(|r| *r != row),
            };
            let row_after = T::update(conn, &mut record, target, &changed, derive)?;
            Ok(Ok(Written {
                record: change.record,
                state: Some((record.into(), row_after)),
                row_before: Some(row),
            }))
        }
    }
}

/// One record as a merge reads it: the record, its fields and what to call it.
#[derive(Debug, Clone)]
pub struct Held {
    /// The record as the file holds it (a plan feature's street and community as stored).
    pub record: AnyRecord,
    /// Its fields.
    pub fields: crate::model::change::Fields,
    /// What to call it in a conflict.
    pub label: String,
}

impl Store {
    /// Every record of the kinds that travel between a district and its streets
    /// ([`RecordKind::travels`]), by id, and what reading found (rows it could not read).
    pub fn travelling_records(&self) -> Result<(BTreeMap<RecordId, Held>, Vec<Problem>)> {
        struct ReadAll<'a>(&'a Store, &'a mut BTreeMap<RecordId, Held>);
        impl KindVisitor for ReadAll<'_> {
            type Out = Result<Vec<Problem>>;
            fn visit<T: Table + Into<AnyRecord>>(self) -> Self::Out {
                let (rows, notes) = T::read(self.0, None)?;
                for (r, _) in rows {
                    let held = Held {
                        fields: r.fields(),
                        label: r.label(),
                        record: r.clone().into(),
                    };
                    self.1.insert(RecordId::of(T::KIND, r.id()), held);
                }
                Ok(notes)
            }
        }
        let mut out = BTreeMap::new();
        let mut notes = Vec::new();
        for kind in RecordKind::ALL.into_iter().filter(|k| k.travels()) {
            notes.extend(with_kind(kind, ReadAll(self, &mut out))?);
        }
        Ok((out, notes))
    }

    /// The records with these ids as the file holds them (those it has and can read).
    pub fn records_by_id(
        &self,
        ids: impl IntoIterator<Item = RecordId>,
    ) -> Result<BTreeMap<RecordId, Held>> {
        let mut out = BTreeMap::new();
        for id in ids {
            if let Some((record, _)) = self.read_record(id)? {
                let held = Held {
                    fields: record.fields(),
                    label: record.label(),
                    record,
                };
                out.insert(id, held);
            }
        }
        Ok(out)
    }
}
