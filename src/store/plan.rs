//! The three plan tables: reading every plan feature and the per-edit writes.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

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
/// deleted feature back where it was) — and removes it from the other plan tables.
/// Runs in the caller's transaction.
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
    let table = q(table)?;
    let id = feature.feature.id.to_string();
    for other in PLAN_KINDS.into_iter().filter(|k| *k != kind) {
        conn.execute(
            &format!("DELETE FROM {} WHERE uuid = ?1", q(plan_table(other).0)?),
            [&id],
        )?;
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
    let existing: Option<i64> = conn
        .query_row(
            &format!("SELECT fid FROM {table} WHERE uuid = ?1"),
            [&id],
            |r| r.get(0),
        )
        .optional()?;
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
    if let Some(row) = existing {
        // An UPDATE keeps the row id, so the R-tree update triggers fire as designed.
        conn.execute(
            &format!(
                "UPDATE {table} SET {GEOM_COLUMN} = ?1, uuid = ?2, name = ?3, element_type = ?4, element_name = ?5,
                 street = ?6, community = ?7, area_m2 = ?8, length_m = ?9, project_code = ?10, properties = ?11
                 WHERE fid = ?12"
            ),
            values,
        )?;
        Ok(row)
    } else {
        conn.execute(
            &format!(
                "INSERT INTO {table} ({GEOM_COLUMN}, uuid, name, element_type, element_name, street, community,
                 area_m2, length_m, project_code, properties, fid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            values,
        )?;
        Ok(conn.last_insert_rowid())
    }
}

/// Deletes a plan feature (from whichever plan table holds it).
pub fn delete_plan_feature(conn: &Connection, id: Uuid) -> Result<()> {
    for kind in PLAN_KINDS {
        conn.execute(
            &format!("DELETE FROM {} WHERE uuid = ?1", q(plan_table(kind).0)?),
            [id.to_string()],
        )?;
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
        conn.execute(
            &format!(
                "UPDATE {} SET street = ?2, community = ?3 WHERE uuid = ?1",
                q(plan_table(kind).0)?
            ),
            params![id.to_string(), street, community],
        )?;
    }
    Ok(())
}

/// Refreshes the three plan tables' extents after edits.
pub fn refresh_plan_extents(conn: &Connection) -> Result<()> {
    for kind in PLAN_KINDS {
        refresh_extent(conn, plan_table(kind).0)?;
    }
    Ok(())
}
