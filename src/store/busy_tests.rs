//! Write transactions under another writer: each one takes the write lock when it begins
//! (IMMEDIATE), so a program that writes meanwhile (QGIS saving) makes it wait, never fail
//! half-way with SQLITE_BUSY_SNAPSHOT when a deferred read would have to become a write.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization, TransactionOperation};

use super::Store;

/// Issue 19, point 8: the pyramid rebuild on open reads the layer, then writes. Another
/// program commits a write right when the rebuild's transaction has read and is about to write
/// (an authorizer hook on the store's connection lets it in at that instant): a deferred
/// transaction then fails with SQLITE_BUSY_SNAPSHOT; an immediate one holds the write lock
/// from its start, so the other program waits, and both writes land.
#[test]
fn a_pyramid_rebuild_racing_another_writer_waits_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.gpkg");
    let session = crate::sample::create_sample_workspace(&path, &mut |_| {}).unwrap();
    drop(session);
    let layer: String = {
        let conn = Connection::open(&path).unwrap();
        let layer = conn
            .query_row(
                "SELECT name FROM linli_layers WHERE role = 'reference' ORDER BY name",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // Another program changed the layer: its pyramid is stale.
        conn.execute(
            "UPDATE gpkg_contents SET last_change = '2001-01-01T00:00:00.000Z' WHERE table_name = ?1",
            [&layer],
        )
        .unwrap();
        layer
    };
    let mut store = Store::open(&path).unwrap();

    let (go_tx, go) = mpsc::channel::<()>();
    let (done_tx, done) = mpsc::channel::<()>();
    let other = std::thread::spawn({
        let path = path.clone();
        move || -> rusqlite::Result<()> {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(Duration::from_secs(5))?;
            if go.recv().is_err() {
                return Ok(());
            }
            conn.execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO linli_meta (key, value) VALUES ('qgis', 'saved'); COMMIT;",
            )?;
            let _ = done_tx.send(());
            Ok(())
        }
    });
    let mut in_transaction = false;
    let mut fired = false;
    store
        .conn
        .authorizer(Some(move |ctx: AuthContext<'_>| {
            match ctx.action {
                AuthAction::Transaction {
                    operation: TransactionOperation::Begin,
                } => in_transaction = true,
                AuthAction::Insert { .. } | AuthAction::Delete { .. }
                    if in_transaction && !fired =>
                {
                    fired = true;
                    let _ = go_tx.send(());
                    // The other program commits now, unless it must wait for our lock.
                    let _ = done.recv_timeout(Duration::from_millis(300));
                }
                _ => {}
            }
            Authorization::Allow
        }))
        .unwrap();
    let rebuilt = store.refresh_pyramids(std::slice::from_ref(&layer));
    store
        .conn
        .authorizer(None::<fn(AuthContext<'_>) -> Authorization>)
        .unwrap();
    let rebuilt = rebuilt.expect("the rebuild waits for no one and is not refused");
    assert_eq!(rebuilt, vec![layer.clone()]);
    other
        .join()
        .unwrap()
        .expect("the other writer got its turn");
    let saved: String = store
        .conn
        .query_row("SELECT value FROM linli_meta WHERE key = 'qgis'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(saved, "saved");
    assert!(
        super::pyramid::stale_layers(&store.conn, &[layer])
            .unwrap()
            .is_empty(),
        "the pyramid is fresh"
    );
}
