//! The three plan tables: reading every plan feature and the per-edit writes.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::extent::{self, indexed_envelope};
use super::geometry::{collapse_single, decode_geometry, encode_geometry, promote_to_multi};
use super::schema::refresh_extent;
use super::{
    GEOM_COLUMN, PLAN_KINDS, PlanDerived, Store, UNPARSED_PROPERTIES, plan_table, properties_json,
    properties_or_verbatim, q,
};
use crate::error::{Error, Problem, Result};
use crate::model::{Feature, PlanFeature, Properties};

/// A plan row as read, with the derived values it had stored (so the session can tell which
/// are missing or stale).
#[derive(Debug, Clone)]
pub struct StoredPlanRow {
    /// The feature; street and community as stored.
    pub feature: PlanFeature,
    /// Its row id.
    pub fid: i64,
    /// Its plan table.
    pub table: &'static str,
    /// `element_name` as stored.
    pub element_name: Option<String>,
    /// `area_m2` as stored.
    pub area_m2: Option<f64>,
    /// `length_m` as stored.
    pub length_m: Option<f64>,
    /// True when the stored id was not a UUID (or was another row's): the feature got a new
    /// one, not yet written.
    pub new_id: bool,
}

/// Every readable plan row, and what reading found ([`Problem::UnreadablePlanRow`],
/// [`Problem::PlanIdReplaced`], [`Problem::UnparsedProperties`]): a bad row never stops the
/// others from opening.
#[derive(Debug, Clone, Default)]
pub struct PlanLoad {
    /// The rows read, ordered by table then fid.
    pub rows: Vec<StoredPlanRow>,
    /// What was found, in the same order.
    pub notes: Vec<Problem>,
}

impl Store {
    /// Gives each `(table, fid, id)` row its id ([`give_plan_id`]), in one IMMEDIATE
    /// transaction: what reading gave rows another program wrote without a proper UUID, made
    /// theirs in the file before anything is written of them by id.
    pub fn give_plan_ids(&mut self, ids: &[(&'static str, i64, Uuid)]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self.begin()?;
        for (table, fid, id) in ids {
            give_plan_id(&tx, table, *fid, *id)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Loads every plan feature, ordered by table then row; rows that cannot be read are left
    /// out (see [`Store::read_plan`] for what was found).
    pub fn load_plan(&self) -> Result<Vec<(PlanFeature, i64)>> {
        Ok(self
            .read_plan()?
            .rows
            .into_iter()
            .map(|r| (r.feature, r.fid))
            .collect())
    }

    /// Reads every plan row, as tolerant of other programs' edits as it can be: a row whose id
    /// is not a UUID (or repeats another's) gets a fresh one, properties that are not a JSON
    /// object are kept verbatim, an unknown element type is kept as it is, and a row that
    /// cannot be read at all (no geometry, a column of the wrong type) is reported with its
    /// table and fid.
    pub fn read_plan(&self) -> Result<PlanLoad> {
        let mut load = PlanLoad::default();
        let mut seen = std::collections::HashSet::new();
        for kind in PLAN_KINDS {
            let (table, _, _) = plan_table(kind);
            let mut stmt = self.conn.prepare(&format!(
                "SELECT fid, uuid, name, element_type, street, community, project_code, properties, {GEOM_COLUMN},
                 element_name, area_m2, length_m, alternative FROM {} ORDER BY fid",
                q(table)?
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let fid: i64 = row.get(0)?;
                match read_plan_row(row, table, fid, &mut seen, !self.read_only) {
                    Ok((stored, notes)) => {
                        load.rows.push(stored);
                        load.notes.extend(notes);
                    }
                    Err(detail) => load.notes.push(Problem::UnreadablePlanRow {
                        table: table.to_string(),
                        fid,
                        detail,
                    }),
                }
            }
        }
        Ok(load)
    }
}

/// One plan row, or why it cannot be read.
fn read_plan_row(
    row: &rusqlite::Row<'_>,
    table: &'static str,
    fid: i64,
    seen: &mut std::collections::HashSet<Uuid>,
    written: bool,
) -> std::result::Result<(StoredPlanRow, Vec<Problem>), String> {
    let mut notes = Vec::new();
    let text = |i: usize| -> std::result::Result<Option<String>, String> {
        use rusqlite::types::ValueRef;
        let name = row.as_ref().column_name(i).unwrap_or("?").to_string();
        match row.get_ref(i).map_err(|e| e.to_string())? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => String::from_utf8(t.to_vec())
                .map(Some)
                .map_err(|_| format!("{name}: not UTF-8")),
            ValueRef::Integer(n) => Ok(Some(n.to_string())),
            ValueRef::Real(x) => Ok(Some(x.to_string())),
            ValueRef::Blob(_) => Err(format!("{name}: binary")),
        }
    };
    let number = |i: usize| -> Option<f64> { row.get::<_, Option<f64>>(i).ok().flatten() };
    let blob: Option<Vec<u8>> = row
        .get::<_, Option<Vec<u8>>>(8)
        .map_err(|_| "geom: not a geometry blob".to_string())?;
    let geometry = match blob.as_deref() {
        None => return Err("geom: no geometry".into()),
        Some(b) => decode_geometry(b)
            .map(collapse_single)
            .ok_or_else(|| "geom: not a GeoPackage geometry".to_string())?,
    };
    let id_text = text(1)?.unwrap_or_default();
    let parsed = Uuid::parse_str(id_text.trim())
        .ok()
        .filter(|id| !seen.contains(id));
    let (id, new_id) = match parsed {
        Some(id) => (id, false),
        None => {
            let id = Uuid::new_v4();
            notes.push(Problem::PlanIdReplaced {
                table: table.to_string(),
                fid,
                found: id_text,
                id: id.to_string(),
                written,
            });
            (id, true)
        }
    };
    seen.insert(id);
    let (properties, verbatim) = text(7)?
        .map(|raw| properties_or_verbatim(&raw))
        .unwrap_or_default();
    if verbatim {
        notes.push(Problem::UnparsedProperties {
            table: table.to_string(),
            fid,
        });
    }
    let feature = PlanFeature {
        feature: Feature {
            id,
            name: text(2)?.unwrap_or_default(),
            geometry,
            properties,
        },
        element: text(3)?.unwrap_or_default(),
        alternative: text(12)?.and_then(|a| Uuid::parse_str(a.trim()).ok()),
        street: text(4)?,
        community: text(5)?,
        project: text(6)?.filter(|c| !c.trim().is_empty()),
    };
    Ok((
        StoredPlanRow {
            feature,
            fid,
            table,
            element_name: text(9)?,
            area_m2: number(10),
            length_m: number(11),
            new_id,
        },
        notes,
    ))
}

/// The `properties` text to store: NULL when there are none, the verbatim text when the
/// feature holds only unparsed properties read from the file, else the JSON object.
fn stored_properties(properties: &Properties) -> Result<Option<String>> {
    if properties.is_empty() {
        return Ok(None);
    }
    if properties.len() == 1
        && let Some(serde_json::Value::String(raw)) = properties.get(UNPARSED_PROPERTIES)
    {
        return Ok(Some(raw.clone()));
    }
    Ok(Some(properties_json(properties)?))
}

/// Gives plan row `fid` of `table` the id `id`: a row another program wrote without a proper
/// UUID (or with another row's) gets the one reading gave it. Runs in the caller's
/// transaction.
pub fn give_plan_id(conn: &Connection, table: &str, fid: i64, id: Uuid) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE {} SET uuid = ?2 WHERE fid = ?1",
        q(table)?
    ))?
    .execute(params![fid, id.to_string()])?;
    Ok(())
}

/// Writes what plan feature `f` (in row `row` of its table) derives: street, community,
/// element name, area and length. Runs in the caller's transaction.
pub(crate) fn settle_plan_row(
    conn: &Connection,
    f: &PlanFeature,
    row: i64,
    derived: PlanDerived<'_>,
) -> Result<()> {
    let kind = f.kind().ok_or_else(|| {
        Error::request(Problem::PlanFeatureMixedGeometry {
            id: f.feature.id.to_string(),
        })
    })?;
    let (table, _, _) = plan_table(kind);
    conn.prepare_cached(&format!(
        "UPDATE {} SET element_name = ?2, street = ?3, community = ?4, area_m2 = ?5, length_m = ?6 WHERE fid = ?1",
        q(table)?
    ))?
    .execute(params![
        row,
        derived.element_name,
        f.street,
        f.community,
        derived.area_m2,
        derived.length_m
    ])?;
    Ok(())
}

/// Writes a plan feature (by UUID) and returns its row id: updates its row when it is in the
/// table of its geometry kind, else inserts it there — with row id `fid` when given (undo puts a
/// deleted feature back where it was) — and removes it from the other plan tables. Keeps the
/// tables' extents in `gpkg_contents` current (see [`super::extent`]), so an edit needs no
/// [`refresh_plan_extents`]. Runs in the caller's transaction.
pub fn write_plan_feature(
    conn: &Connection,
    feature: &PlanFeature,
    derived: PlanDerived<'_>,
    fid: Option<i64>,
) -> Result<i64> {
    let kind = feature.kind().ok_or_else(|| {
        Error::request(Problem::PlanFeatureMixedGeometry {
            id: feature.feature.id.to_string(),
        })
    })?;
    let (table, _, _) = plan_table(kind);
    let id = feature.feature.id.to_string();
    for other in PLAN_KINDS.into_iter().filter(|k| *k != kind) {
        delete_from(conn, plan_table(other).0, &id)?;
    }
    let geometry = promote_to_multi(&feature.feature.geometry)
        .ok_or_else(|| Error::request(Problem::UnsupportedPlanGeometry { id: id.clone() }))?;
    let (blob, _) = encode_geometry(&geometry)?;
    let properties = stored_properties(&feature.feature.properties)?;
    let name = (!feature.feature.name.is_empty()).then_some(feature.feature.name.as_str());
    let existing = row_of(conn, table, &id)?;
    let old = match existing {
        Some(row) => indexed_envelope(conn, table, row)?,
        None => None,
    };
    let values = params![
        blob,
        id,
        name,
        feature.element,
        derived.element_name,
        feature.street,
        feature.community,
        derived.area_m2,
        derived.length_m,
        feature.project,
        properties,
        existing.or(fid),
        feature.alternative.map(|a| a.to_string()),
    ];
    let quoted = q(table)?;
    let row = if let Some(row) = existing {
        // An UPDATE keeps the row id, so the R-tree update triggers fire as designed.
        conn.prepare_cached(&format!(
            "UPDATE {quoted} SET {GEOM_COLUMN} = ?1, uuid = ?2, name = ?3, element_type = ?4, element_name = ?5,
             street = ?6, community = ?7, area_m2 = ?8, length_m = ?9, project_code = ?10, properties = ?11,
             alternative = ?13 WHERE fid = ?12"
        ))?
        .execute(values)?;
        row
    } else {
        conn.prepare_cached(&format!(
            "INSERT INTO {quoted} ({GEOM_COLUMN}, uuid, name, element_type, element_name, street, community,
             area_m2, length_m, project_code, properties, fid, alternative)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ))?
        .execute(values)?;
        conn.last_insert_rowid()
    };
    // The box as the R-tree triggers stored it, so the extent stays the union of the R-tree.
    let new = indexed_envelope(conn, table, row)?;
    extent::row_changed(conn, table, old, new)?;
    Ok(row)
}

/// The row id of plan feature `id` in `table`, if it is there.
fn row_of(conn: &Connection, table: &str, id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!("SELECT fid FROM {} WHERE uuid = ?1", q(table)?))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Deletes plan feature `id` from `table` if it is there, keeping the table's extent current.
fn delete_from(conn: &Connection, table: &str, id: &str) -> Result<()> {
    let Some(row) = row_of(conn, table, id)? else {
        return Ok(());
    };
    let old = indexed_envelope(conn, table, row)?;
    conn.prepare_cached(&format!("DELETE FROM {} WHERE fid = ?1", q(table)?))?
        .execute([row])?;
    extent::row_changed(conn, table, old, None)
}

/// Deletes a plan feature (from whichever plan table holds it), keeping the extents current.
pub fn delete_plan_feature(conn: &Connection, id: Uuid) -> Result<()> {
    let id = id.to_string();
    for kind in PLAN_KINDS {
        delete_from(conn, plan_table(kind).0, &id)?;
    }
    Ok(())
}

/// Updates the derived street and community of a plan feature.
pub fn set_plan_location(
    conn: &Connection,
    id: Uuid,
    street: Option<&str>,
    community: Option<&str>,
) -> Result<()> {
    for kind in PLAN_KINDS {
        conn.prepare_cached(&format!(
            "UPDATE {} SET street = ?2, community = ?3 WHERE uuid = ?1",
            q(plan_table(kind).0)?
        ))?
        .execute(params![id.to_string(), street, community])?;
    }
    Ok(())
}

/// Recomputes the three plan tables' extents from their R-trees: for bulk imports and repairs.
/// Single edits through [`write_plan_feature`] and [`delete_plan_feature`] keep them already.
pub fn refresh_plan_extents(conn: &Connection) -> Result<()> {
    for kind in PLAN_KINDS {
        refresh_extent(conn, plan_table(kind).0)?;
    }
    Ok(())
}

/// The plan row holding feature `id` (in whichever plan table), `None` when there is none or
/// it cannot be read. Runs in the caller's transaction.
pub(crate) fn read_plan_feature(conn: &Connection, id: Uuid) -> Result<Option<StoredPlanRow>> {
    for kind in PLAN_KINDS {
        let (table, _, _) = plan_table(kind);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT fid, uuid, name, element_type, street, community, project_code, properties, {GEOM_COLUMN},
             element_name, area_m2, length_m, alternative FROM {} WHERE uuid = ?1",
            q(table)?
        ))?;
        let mut rows = stmt.query([id.to_string()])?;
        if let Some(row) = rows.next()? {
            let fid: i64 = row.get(0)?;
            let mut seen = std::collections::HashSet::new();
            return Ok(read_plan_row(row, table, fid, &mut seen, false)
                .ok()
                .map(|(stored, _)| stored));
        }
    }
    Ok(None)
}

/// Writes the `changed` fields of plan feature `f` (in row `row`), and what they derive: its
/// element name, area and length when its geometry or element type changed, its street and
/// community when its geometry did. A geometry of another kind moves the feature to that
/// kind's table. Returns its row. Runs in the caller's transaction.
pub(crate) fn update_plan_fields(
    conn: &Connection,
    f: &PlanFeature,
    at: Target,
    changed: &[&str],
    derived: PlanDerived<'_>,
) -> Result<i64> {
    let row = at.row;
    let kind = f.kind().ok_or_else(|| {
        Error::request(Problem::PlanFeatureMixedGeometry {
            id: f.feature.id.to_string(),
        })
    })?;
    let (table, _, _) = plan_table(kind);
    let id = f.feature.id.to_string();
    if row_of(conn, table, &id)? != Some(row) {
        // Another kind of geometry: the row moves to that kind's table (into the row it had
        // there, when an undo or redo moves it back).
        return write_plan_feature(conn, f, derived, at.moved_to);
    }
    let has = |name: &str| changed.contains(&name);
    let text = |s: &str| rusqlite::types::Value::Text(s.to_string());
    let maybe = |s: Option<&str>| s.map_or(rusqlite::types::Value::Null, text);
    let mut sets: Vec<(&str, rusqlite::types::Value)> = Vec::new();
    if has("name") {
        let name = (!f.feature.name.is_empty()).then_some(f.feature.name.as_str());
        sets.push(("name", maybe(name)));
    }
    if has("element") {
        sets.push(("element_type", text(&f.element)));
    }
    if has("project") {
        sets.push(("project_code", maybe(f.project.as_deref())));
    }
    if has("alternative") {
        sets.push((
            "alternative",
            maybe(f.alternative.map(|a| a.to_string()).as_deref()),
        ));
    }
    if has("properties") {
        sets.push((
            "properties",
            maybe(stored_properties(&f.feature.properties)?.as_deref()),
        ));
    }
    let moved = has("geometry");
    if moved {
        let geometry = promote_to_multi(&f.feature.geometry)
            .ok_or_else(|| Error::request(Problem::UnsupportedPlanGeometry { id: id.clone() }))?;
        let (blob, _) = encode_geometry(&geometry)?;
        sets.push((GEOM_COLUMN, rusqlite::types::Value::Blob(blob)));
        sets.push(("street", maybe(f.street.as_deref())));
        sets.push(("community", maybe(f.community.as_deref())));
    }
    if moved || has("element") {
        let real =
            |x: Option<f64>| x.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Real);
        sets.push(("element_name", text(derived.element_name)));
        sets.push(("area_m2", real(derived.area_m2)));
        sets.push(("length_m", real(derived.length_m)));
    }
    if sets.is_empty() {
        return Ok(row);
    }
    let old = if moved {
        indexed_envelope(conn, table, row)?
    } else {
        None
    };
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!("{} = ?{}", q(column).unwrap_or_default(), i + 2))
        .collect();
    let mut values = vec![rusqlite::types::Value::Integer(row)];
    values.extend(sets.into_iter().map(|(_, v)| v));
    conn.prepare_cached(&format!(
        "UPDATE {} SET {} WHERE fid = ?1",
        q(table)?,
        assignments.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    if moved {
        let new = indexed_envelope(conn, table, row)?;
        extent::row_changed(conn, table, old, new)?;
    }
    Ok(row)
}

/// Where an updated record is: its row, and the row it should move to when it must move (a
/// plan feature whose geometry changed kind goes to another table; undoing that puts it back
/// into the row it had).
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Its row now.
    pub row: i64,
    /// The row it had before in the table it moves to, if any.
    pub moved_to: Option<i64>,
}
