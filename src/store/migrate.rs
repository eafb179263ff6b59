//! Schema migrations: the app schema version in `linli_meta` drives an ordered list of steps,
//! run when a workspace written by an older Linli is opened.
//!
//! The order on open is: check the header and the version (a newer schema is refused before
//! anything is written), checkpoint the WAL so the main file holds every committed change, copy
//! the file to a backup beside it (never overwriting an earlier backup), then run every pending
//! step and the version bump in one transaction. A failing step rolls the whole transaction back:
//! the workspace stays exactly as it was, and the error names the file and the step.
//!
//! New workspaces are created at [`APP_SCHEMA_VERSION`] directly; each step must leave a migrated
//! file with the same app tables as a fresh one (tests compare `pragma table_info` and indexes).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::schema::{
    PLAN_COLUMN_NAMES, PROJECTS_DDL, PROJECTS_INDEX_DDL, create_schema_tables, plan_columns,
    write_coded_fields, write_rtree_triggers, write_uuid_triggers,
};
use super::{APP_SCHEMA_VERSION, GEOM_COLUMN, PLAN_KINDS, PROJECTS_TABLE, plan_table, q};
use crate::error::{Error, Problem, Result};
use crate::model::catalog::{Catalog, ElementType};

/// One migration step: it turns a workspace at schema `from` into schema `from + 1`.
#[derive(Clone, Copy)]
pub(super) struct Migration {
    /// The schema version this step starts from.
    pub from: i64,
    /// What the step does, for error messages and logs.
    pub description: &'static str,
    /// The step itself, inside the migration's one transaction.
    pub run: fn(&Transaction<'_>) -> Result<()>,
}

/// Every step, in order: `MIGRATIONS[i].from == i + 1`, the last ends at [`APP_SCHEMA_VERSION`].
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 1,
        description: "projects get a stable UUID",
        run: projects_get_uuids,
    },
    Migration {
        from: 2,
        description: "GeoPackage 1.2 conformance and QGIS co-editing",
        run: conform_and_share,
    },
    Migration {
        from: 3,
        description: "projects get their full record",
        run: full_project_records_with_codes,
    },
    Migration {
        from: 4,
        description: "people, teams and tasks",
        run: people_and_tasks,
    },
    Migration {
        from: 5,
        description: "project attachments, meeting pins and view bookmarks",
        run: attachments_pins_and_bookmarks,
    },
    Migration {
        from: 6,
        description: "meetings' presentation slides",
        run: meeting_slides,
    },
    Migration {
        from: 7,
        description: "residents' input and meetings' voting rules",
        run: inputs_and_vote_rules,
    },
    Migration {
        from: 8,
        description: "design alternatives",
        run: design_alternatives,
    },
    Migration {
        from: 9,
        description: "the district's exchange with its streets",
        run: district_exchange,
    },
    Migration {
        from: 10,
        description: "records' provenance, and a server's high-water mark",
        run: records_provenance,
    },
];

/// What opening did to bring the workspace up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// The schema version the file had.
    pub from: i64,
    /// The copy of the file taken before migrating.
    pub backup: PathBuf,
}

/// Brings a workspace at schema `version` up to [`APP_SCHEMA_VERSION`]; does nothing (and takes
/// no backup) when it is already there. The caller has refused newer schemas already.
/// `reopen` opens the file again as the caller had it (see [`run_migrations`]).
pub(super) fn migrate(
    conn: &mut Connection,
    reopen: &dyn Fn() -> Result<Connection>,
    path: &Path,
    version: i64,
) -> Result<Option<Migrated>> {
    run_migrations(conn, reopen, path, version, MIGRATIONS, APP_SCHEMA_VERSION)
}

/// [`migrate`] over any list of steps (tests give one that fails).
///
/// The backup is copied by `std::fs`, and closing that copy's descriptor drops every POSIX
/// lock this process holds on the file, SQLite's included: another program closing the file
/// then would take itself for the last connection and delete the write-ahead log the
/// migration is about to write. So `conn` is closed while the copy is taken and replaced by
/// `reopen()` after; the version is read again then, in case another program migrated the
/// file meanwhile.
fn run_migrations(
    conn: &mut Connection,
    reopen: &dyn Fn() -> Result<Connection>,
    path: &Path,
    version: i64,
    steps: &[Migration],
    target: i64,
) -> Result<Option<Migrated>> {
    if version >= target {
        return Ok(None);
    }
    let pending: Vec<&Migration> = steps
        .iter()
        .filter(|m| m.from >= version && m.from < target)
        .collect();
    let contiguous = pending
        .iter()
        .enumerate()
        .all(|(i, m)| m.from == version + i as i64)
        && pending.len() as i64 == target - version;
    if !contiguous {
        return Err(Error::workspace(
            path,
            Problem::CannotMigrate {
                found: version,
                first: steps.first().map_or(target, |m| m.from),
                last: target,
            },
        ));
    }
    // The copy must hold every committed change: fold the WAL into the main file first.
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err(Error::workspace(path, Problem::MigrationBusy));
    }
    let closed = std::mem::replace(conn, Connection::open_in_memory()?);
    closed.close().map_err(|(_, e)| Error::from(e))?;
    let backup = take_backup(path, version);
    *conn = reopen()?;
    let backup = backup?;
    let now: Option<String> = conn
        .query_row(
            "SELECT value FROM linli_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if now.and_then(|v| v.parse::<i64>().ok()) != Some(version) {
        // Another program changed the version while the file was copied: open again.
        let _ = std::fs::remove_file(&backup);
        return Err(Error::workspace(path, Problem::MigrationBusy));
    }
    let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            // Nothing was migrated: the copy just taken is not a backup of anything, and a
            // retry takes its own (the busy timeout was set before, so this is rare).
            let _ = std::fs::remove_file(&backup);
            return Err(e.into());
        }
    };
    for step in pending {
        (step.run)(&tx).map_err(|e| {
            Error::workspace(
                path,
                Problem::MigrationStepFailed {
                    from: step.from,
                    to: step.from + 1,
                    step: step.description.to_string(),
                    cause: Box::new(e.to_problem()),
                    backup: backup.clone(),
                },
            )
        })?;
    }
    tx.execute(
        "UPDATE linli_meta SET value = ?1 WHERE key = 'schema_version'",
        params![target.to_string()],
    )?;
    tx.commit().map_err(|e| {
        Error::workspace(
            path,
            Problem::MigrationNotSaved {
                from: version,
                detail: e.to_string(),
            },
        )
    })?;
    Ok(Some(Migrated {
        from: version,
        backup,
    }))
}

/// Copies the workspace to `NAME.schemaV-backup.gpkg` beside it (`…-backup-2.gpkg` and so on
/// when that exists: an earlier backup is never overwritten) and returns the copy's path.
fn take_backup(path: &Path, version: i64) -> Result<PathBuf> {
    use std::io::Write;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let mut source = std::fs::File::open(path).map_err(|e| {
        Error::workspace(
            path,
            Problem::CannotRead {
                reason: e.to_string(),
            },
        )
    })?;
    const MAX_BACKUPS: usize = 999;
    for n in 1..=MAX_BACKUPS {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let backup = path.with_file_name(format!("{stem}.schema{version}-backup{suffix}{ext}"));
        let mut target = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(backup_failed(path, &backup, e)),
        };
        let copied = std::io::copy(&mut source, &mut target)
            .and_then(|_| target.flush())
            .and_then(|()| target.sync_all());
        if let Err(e) = copied {
            drop(target);
            let _ = std::fs::remove_file(&backup);
            return Err(backup_failed(path, &backup, e));
        }
        return Ok(backup);
    }
    Err(Error::workspace(
        path,
        Problem::TooManyBackups { count: MAX_BACKUPS },
    ))
}

fn backup_failed(path: &Path, backup: &Path, e: std::io::Error) -> Error {
    Error::workspace(
        path,
        Problem::BackupFailed {
            backup: backup.to_path_buf(),
            reason: e.to_string(),
        },
    )
}

/// 1 → 2: `linli_projects` gains `uuid TEXT NOT NULL` with a unique index, filled with a fresh
/// random UUID for every existing project. SQLite's ALTER TABLE cannot add a NOT NULL column
/// without a default, so the table is rebuilt as sqlite.org/lang_altertable.html describes
/// (foreign keys are off while migrating; no view or trigger names this table), from the same
/// DDL a new workspace uses. The table keeps its name, so its `gpkg_contents` row stays valid.
fn projects_get_uuids(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(&format!(
        "ALTER TABLE {PROJECTS_TABLE} RENAME TO linli_projects_schema1;"
    ))?;
    tx.execute_batch(PROJECTS_DDL)?;
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM linli_projects_schema1 ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut copy = tx.prepare(&format!(
        "INSERT INTO {PROJECTS_TABLE} (id, uuid, code, name, programme, year, stage, budget_wan)
         SELECT id, ?1, code, name, programme, year, stage, budget_wan FROM linli_projects_schema1 WHERE id = ?2"
    ))?;
    for id in ids {
        copy.execute(params![Uuid::new_v4().to_string(), id])?;
    }
    drop(copy);
    tx.execute_batch("DROP TABLE linli_projects_schema1;")?;
    tx.execute_batch(PROJECTS_INDEX_DDL)?;
    super::mark_changed(tx, PROJECTS_TABLE)
}

/// 2 → 3: what a file must be to pass GDAL's validator and to be edited in QGIS's forms.
/// - Every feature table's R-tree triggers become the GeoPackage 1.2 set (schema 2 had the 1.4
///   set under a 1.2 header, which `validate_gpkg.py` reports as twelve errors).
/// - The plan tables' `uuid` fills itself (see `schema::write_uuid_triggers`), so a feature
///   added in QGIS saves; SQLite cannot drop a column's NOT NULL in place, so each plan table is
///   rebuilt from the same column definitions a new workspace uses, keeping every row's fid (its R-tree entries
///   stay valid) and the table's AUTOINCREMENT high-water mark.
/// - The schema extension's tables, with the coded fields (`element_type`, `programme`,
///   `stage`) that QGIS shows as drop-downs.
fn conform_and_share(tx: &Transaction<'_>) -> Result<()> {
    for kind in PLAN_KINDS {
        let (table, geometry_type, _) = plan_table(kind);
        let seq: Option<i64> = tx
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .optional()?;
        let (t, rebuilt) = (q(table)?, q(&format!("{table}_schema3"))?);
        tx.execute_batch(&format!(
            "CREATE TABLE {rebuilt} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOM_COLUMN} {geometry_type}, {columns});
             INSERT INTO {rebuilt} (fid, {GEOM_COLUMN}, {PLAN_COLUMN_NAMES}) SELECT fid, {GEOM_COLUMN}, {PLAN_COLUMN_NAMES} FROM {t};
             DROP TABLE {t};
             ALTER TABLE {rebuilt} RENAME TO {t};",
            columns = plan_columns()
        ))?;
        write_uuid_triggers(tx, table)?;
        if let Some(seq) = seq {
            tx.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
                params![table, seq],
            )?;
        }
    }
    let tables: Vec<String> = tx
        .prepare(
            "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' AND column_name = ?1 ORDER BY table_name",
        )?
        .query_map([GEOM_COLUMN], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        write_rtree_triggers(tx, &table)?;
    }
    tx.execute(
        "UPDATE gpkg_extensions SET definition = ?1 WHERE extension_name = 'gpkg_rtree_index'",
        [super::RTREE_DEFINITION],
    )?;
    create_schema_tables(tx)?;
    write_coded_fields(tx, &stored_catalog(tx)?)?;
    Ok(())
}

/// The catalog as a migration finds it (only what the coded fields need: keys, names and the
/// programme); an entry that does not parse fails the step, naming it.
fn stored_catalog(tx: &Transaction<'_>) -> Result<Catalog> {
    let mut elements = Vec::new();
    let mut stmt =
        tx.prepare("SELECT key, definition FROM linli_catalog ORDER BY sort_order, key")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let definition: String = row.get(1)?;
        let element: ElementType = serde_json::from_str(&definition).map_err(|e| {
            Error::request(Problem::CatalogEntryUnreadable {
                key,
                detail: e.to_string(),
            })
        })?;
        elements.push(element);
    }
    let programme: Option<String> = tx
        .query_row(
            "SELECT value FROM linli_meta WHERE key = 'catalog_programme'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Catalog {
        programme: programme.unwrap_or_default(),
        district: String::new(),
        source: String::new(),
        elements,
    })
}

/// 3 → 4: the full project record (`project_tables`), with the coded fields of its tables.
fn full_project_records_with_codes(tx: &Transaction<'_>) -> Result<()> {
    super::project_tables::full_project_records(tx)?;
    super::schema::write_project_coded_fields(tx)
}

/// 4 → 5: the roster (people, organisations) and tasks (`people_tables`), the roster filled
/// from the names projects and meetings held as text.
fn people_and_tasks(tx: &Transaction<'_>) -> Result<()> {
    super::people_tables::people_and_tasks(tx)
}

/// 5 → 6: attachments as Related Tables media, the meetings' view bookmark (`media_tables`),
/// and the meetings' pinned comments and votes as a point layer, with their coded fields.
fn attachments_pins_and_bookmarks(tx: &Transaction<'_>) -> Result<()> {
    super::media_tables::attachments_and_bookmarks(tx)?;
    super::schema::notes_table_and_codes(tx)
}

/// 6 → 7: the meetings' presentation slides, one JSON text column (`meetings`).
fn meeting_slides(tx: &Transaction<'_>) -> Result<()> {
    super::meetings::slides_column(tx)
}

/// 7 → 8: residents' comments and votes as a point layer, and each meeting's voting rules
/// (`schema::inputs_and_vote_rules`).
fn inputs_and_vote_rules(tx: &Transaction<'_>) -> Result<()> {
    super::schema::inputs_and_vote_rules(tx)
}

/// 8 → 9: projects' design alternatives, and the plan tables' `alternative` column
/// (`alternative_tables`).
fn design_alternatives(tx: &Transaction<'_>) -> Result<()> {
    super::alternative_tables::alternatives(tx)
}

/// 9 → 10: the workspace's identity, peers, bases, conflicts and tombstones (`sync_tables`).
fn district_exchange(tx: &Transaction<'_>) -> Result<()> {
    super::sync_tables::sync_tables(tx)
}

/// 10 → 11: records' provenance (`provenance`). Records made before have none: who made
/// them is unknown, and is shown so.
fn records_provenance(tx: &Transaction<'_>) -> Result<()> {
    super::provenance::provenance_table(tx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_form_one_chain_to_the_current_schema() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.from, i as i64 + 1, "step {i} ({})", m.description);
        }
        assert_eq!(
            MIGRATIONS.last().map(|m| m.from + 1),
            Some(APP_SCHEMA_VERSION)
        );
    }

    fn failing(_: &Transaction<'_>) -> Result<()> {
        Err(Error::request(Problem::Database {
            detail: "boom".into(),
        }))
    }

    fn adds_a_table(tx: &Transaction<'_>) -> Result<()> {
        tx.execute_batch("CREATE TABLE added (x INTEGER);")?;
        Ok(())
    }

    /// Opens `path` again, as the tests' connections are.
    fn reopen(path: &std::path::Path) -> impl Fn() -> Result<Connection> + '_ {
        move || Ok(Connection::open(path)?)
    }

    #[test]
    fn a_failing_step_rolls_back_every_step_and_keeps_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.gpkg");
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE linli_meta (key TEXT NOT NULL UNIQUE, value TEXT NOT NULL);
             INSERT INTO linli_meta VALUES ('schema_version', '1');",
        )
        .unwrap();
        let steps = [
            Migration {
                from: 1,
                description: "adds a table",
                run: adds_a_table,
            },
            Migration {
                from: 2,
                description: "fails",
                run: failing,
            },
        ];
        let e = run_migrations(&mut conn, &reopen(&path), &path, 1, &steps, 3).unwrap_err();
        let err = e.to_string();
        assert!(err.contains("w.gpkg"), "{err}");
        assert!(
            err.contains("(fails) failed: database error: boom"),
            "{err}"
        );
        let zh = crate::i18n::errors::error_message(&e, crate::i18n::Lang::Zh);
        assert!(zh.contains("w.schema1-backup.gpkg"), "{zh}");
        assert!(zh.contains("（fails）失败"), "{zh}");
        let added: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'added'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(added, 0, "the first step was rolled back too");
        let version: String = conn
            .query_row(
                "SELECT value FROM linli_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, "1");
        assert!(dir.path().join("w.schema1-backup.gpkg").exists());
        // A second attempt takes a second backup beside the first.
        let _ = run_migrations(&mut conn, &reopen(&path), &path, 1, &steps, 3).unwrap_err();
        assert!(dir.path().join("w.schema1-backup-2.gpkg").exists());
    }

    #[test]
    fn a_gap_in_the_steps_is_refused_before_any_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.gpkg");
        let mut conn = Connection::open(&path).unwrap();
        let steps = [Migration {
            from: 2,
            description: "adds a table",
            run: adds_a_table,
        }];
        assert!(run_migrations(&mut conn, &reopen(&path), &path, 1, &steps, 3).is_err());
        assert!(!dir.path().join("w.schema1-backup.gpkg").exists());
    }
}
