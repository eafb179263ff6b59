//! The three plan tables: reading every plan feature and the per-edit writes.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::extent::{self, indexed_envelope};
use super::geometry::{collapse_single, decode_geometry, encode_geometry, promote_to_multi};
use super::schema::refresh_extent;
use super::{
    GEOM_COLUMN, PLAN_KINDS, PlanDerived, Store, parse_properties, parse_uuid, plan_table,
    properties_json, q,
};
use crate::error::{Error, Result};
use crate::model::{Feature, PlanFeature};

impl Store {
    /// Loads every plan feature, ordered by table then row.
    pub fn load_plan(&self) -> Result<Vec<(PlanFeature, i64)>> {
        let mut out = Vec::new();
        for kind in PLAN_KINDS {
            let (table, _, _) = plan_table(kind);
            let mut stmt = self.conn.prepare(&format!(
                "SELECT uuid, name, element_type, street, community, project_code, properties, {GEOM_COLUMN}, fid FROM {} ORDER BY fid",
                q(table)?
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let uuid: String = row.get(0)?;
                let blob: Option<Vec<u8>> = row.get(7)?;
                let Some(geometry) = blob
                    .as_deref()
                    .and_then(decode_geometry)
                    .map(collapse_single)
                else {
                    return Err(Error::workspace(
                        &self.path,
                        format!("{table}: feature {uuid} has an unreadable geometry"),
                    ));
                };
                let feature = PlanFeature {
                    feature: Feature {
                        id: parse_uuid(&uuid, &self.path)?,
                        name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        geometry,
                        properties: parse_properties(row.get::<_, Option<String>>(6)?.as_deref()),
                    },
                    element: row.get(2)?,
                    street: row.get(3)?,
                    community: row.get(4)?,
                    project: row.get(5)?,
                };
                out.push((feature, row.get(8)?));
            }
        }
        Ok(out)
    }
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
        Error::Invalid(format!(
            "plan feature {}: a plan feature is points, lines or polygons, not a mix",
            feature.feature.id
        ))
    })?;
    let (table, _, _) = plan_table(kind);
    let id = feature.feature.id.to_string();
    for other in PLAN_KINDS.into_iter().filter(|k| *k != kind) {
        delete_from(conn, plan_table(other).0, &id)?;
    }
    let geometry = promote_to_multi(&feature.feature.geometry)
        .ok_or_else(|| Error::Invalid(format!("plan feature {id}: unsupported geometry")))?;
    let (blob, _) = encode_geometry(&geometry)?;
    let properties = if feature.feature.properties.is_empty() {
        None
    } else {
        Some(properties_json(&feature.feature.properties)?)
    };
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
    ];
    let quoted = q(table)?;
    let row = if let Some(row) = existing {
        // An UPDATE keeps the row id, so the R-tree update triggers fire as designed.
        conn.prepare_cached(&format!(
            "UPDATE {quoted} SET {GEOM_COLUMN} = ?1, uuid = ?2, name = ?3, element_type = ?4, element_name = ?5,
             street = ?6, community = ?7, area_m2 = ?8, length_m = ?9, project_code = ?10, properties = ?11
             WHERE fid = ?12"
        ))?
        .execute(values)?;
        row
    } else {
        conn.prepare_cached(&format!(
            "INSERT INTO {quoted} ({GEOM_COLUMN}, uuid, name, element_type, element_name, street, community,
             area_m2, length_m, project_code, properties, fid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
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
