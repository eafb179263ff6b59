//! `linli sync WS URL --street NAME`: a street workspace and the district server exchange
//! their changes, with the very rules of the district's file ([`crate::sync`]).
//!
//! One server transaction: it first takes the writers' advisory lock (so no revision below
//! the ones it reads can still appear), pulls the street's rows and tombstones with a
//! revision above the workspace's high-water mark, and merges them here as one changeset and
//! one undo step (conflicts kept as in the district file). The server's side of a record not
//! pulled is the base both last agreed on. Then it pushes what differs here from the new
//! base — field by field, never a field of an open conflict — each update checked against
//! the revision it was read at (`WHERE uuid = $1 AND rev <= $2`), and commits. Only then does
//! the workspace record the new base and high-water mark. A sync cut anywhere leaves both
//! sides consistent: the server commits all or nothing, and what the workspace did not
//! record is pulled (as its own values, no conflict) or pushed again by the next sync.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use postgres::Client;
use uuid::Uuid;

use super::schema::{TABLES, WRITE_LOCK, table_of};
use super::{check_schema, refused, shown};
use crate::Session;
use crate::error::{Error, Problem, Result};
use crate::model::RecordId;
use crate::model::change::{Fields, RecordKind, Value};
use crate::model::provenance::Provenance;
use crate::model::sync::{Peer, PeerRole, now_text};
use crate::session::sync::{MergeReport, OutOp, Outgoing, TheirSide};

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Rows and tombstones pulled.
    pub pulled: usize,
    /// What merging them here did.
    pub merge: MergeReport,
    /// Records sent: added, changed, deleted.
    pub inserted: usize,
    /// Records sent changed.
    pub updated: usize,
    /// Records sent deleted.
    pub deleted: usize,
    /// The server's revision the workspace has now taken in.
    pub high_water: i64,
}

/// A pulled row's fields: its `fields` object, and an attachment's bytes.
fn row_fields(fields: serde_json::Value, data: Option<Vec<u8>>) -> Fields {
    let mut out: Fields = match fields {
        serde_json::Value::Object(map) => {
            map.into_iter().map(|(k, v)| (k, Value::Json(v))).collect()
        }
        _ => Fields::new(),
    };
    if let Some(bytes) = data {
        out.insert("data".into(), Value::Bytes(bytes.into()));
    }
    out
}

/// A record's fields as a row's `fields` (JSON) and `data` (bytes).
fn split_fields(fields: &Fields) -> (serde_json::Value, Option<Vec<u8>>) {
    let mut json = serde_json::Map::new();
    let mut data = None;
    for (k, v) in fields {
        match v {
            Value::Json(j) => {
                json.insert(k.clone(), j.clone());
            }
            Value::Bytes(b) => data = Some(b.to_vec()),
        }
    }
    (serde_json::Value::Object(json), data)
}

/// The server's rows of `street` above `since`: the records (with their provenance) and the
/// tombstones, and the highest revision seen.
type Rows = (
    BTreeMap<RecordId, (Fields, Option<Provenance>)>,
    Vec<RecordId>,
    i64,
);

fn pull(tx: &mut Client, url: &str, street: &str, since: i64) -> Result<Rows> {
    let mut rows = BTreeMap::new();
    let mut high = since;
    for t in TABLES {
        let Some(kind) = RecordKind::from_key(t.kind) else {
            continue;
        };
        let data = if t.bytes { "data" } else { "NULL::bytea" };
        let found = tx
            .query(
                &format!(
                    "SELECT uuid, fields, {data}, provenance, rev FROM linli.{}
                     WHERE street = $1 AND rev > $2",
                    t.table
                ),
                &[&street, &since],
            )
            .map_err(|e| refused(url, &e))?;
        for r in found {
            let id: Uuid = r.get(0);
            let provenance: Option<serde_json::Value> = r.get(3);
            let provenance = provenance.and_then(|p| serde_json::from_value(p).ok());
            rows.insert(
                RecordId::of(kind, id),
                (row_fields(r.get(1), r.get(2)), provenance),
            );
            high = high.max(r.get::<_, i64>(4));
        }
    }
    let mut gone = Vec::new();
    for r in tx
        .query(
            "SELECT uuid, kind, rev FROM linli.tombstones WHERE street = $1 AND rev > $2",
            &[&street, &since],
        )
        .map_err(|e| refused(url, &e))?
    {
        if let Some(kind) = RecordKind::from_key(r.get::<_, &str>(1)) {
            gone.push(RecordId::of(kind, r.get(0)));
        }
        high = high.max(r.get::<_, i64>(2));
    }
    Ok((rows, gone, high))
}

/// More new records of one kind than this go by COPY (a street's first push).
const COPY_FROM: usize = 64;

/// Inserts many new records of table `t` at once: COPY into a temporary table (COPY cannot
/// write a table under row-level security), then one INSERT … SELECT, which the policies
/// check row by row. Returns the records added, with their revisions (one another street's
/// already is on the server is not).
fn copy_in(
    tx: &mut Client,
    url: &str,
    t: &super::schema::ServerTable,
    rows: &[&Outgoing],
) -> Result<BTreeMap<Uuid, i64>> {
    use postgres::binary_copy::BinaryCopyInWriter;
    use postgres::types::{ToSql, Type};
    tx.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS linli_push (uuid uuid, street text, fields jsonb,
             provenance jsonb, data bytea) ON COMMIT DROP;
         TRUNCATE linli_push;",
    )
    .map_err(|e| refused(url, &e))?;
    {
        let sink = tx
            .copy_in("COPY linli_push (uuid, street, fields, provenance, data) FROM STDIN BINARY")
            .map_err(|e| refused(url, &e))?;
        let types = [
            Type::UUID,
            Type::TEXT,
            Type::JSONB,
            Type::JSONB,
            Type::BYTEA,
        ];
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for o in rows {
            let OutOp::Insert(fields) = &o.op else {
                continue;
            };
            let (json, data) = split_fields(fields);
            let provenance = o
                .provenance
                .as_ref()
                .and_then(|p| serde_json::to_value(p).ok());
            let uuid = o.record.uuid();
            let values: [&(dyn ToSql + Sync); 5] = [&uuid, &o.street, &json, &provenance, &data];
            writer.write(&values).map_err(|e| refused(url, &e))?;
        }
        writer.finish().map_err(|e| refused(url, &e))?;
    }
    let (column, value) = if t.bytes {
        (", data", ", data")
    } else {
        ("", "")
    };
    let added = tx
        .query(
            &format!(
                "INSERT INTO linli.{} (uuid, street, fields, provenance{column})
                 SELECT uuid, street, fields, provenance{value} FROM linli_push
                 ON CONFLICT (uuid) DO NOTHING RETURNING uuid, rev",
                t.table
            ),
            &[],
        )
        .map_err(|e| refused(url, &e))?;
    Ok(added.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Sends `out`, each write checked against revision `seen`; the highest revision written,
/// and the records not sent: new here, but on the server already as another street's (a
/// person named by projects of two streets belongs to the street that sent it first).
fn push(
    tx: &mut Client,
    url: &str,
    names: &dyn Fn(RecordId) -> String,
    out: &[Outgoing],
    seen: i64,
) -> Result<(i64, BTreeSet<RecordId>)> {
    let mut high = seen;
    let mut not_sent = BTreeSet::new();
    // Many new records of a kind (a first push) go by COPY.
    let mut bulk: BTreeMap<&str, Vec<&Outgoing>> = BTreeMap::new();
    for o in out {
        if matches!(o.op, OutOp::Insert(_)) {
            bulk.entry(o.record.kind().key()).or_default().push(o);
        }
    }
    bulk.retain(|_, rows| rows.len() > COPY_FROM);
    for (kind, rows) in &bulk {
        if let Some(t) = table_of(kind) {
            let added = copy_in(tx, url, t, rows)?;
            high = added.values().copied().fold(high, i64::max);
            not_sent.extend(
                rows.iter()
                    .map(|o| o.record)
                    .filter(|r| !added.contains_key(&r.uuid())),
            );
        }
    }
    for o in out {
        let Some(t) = table_of(o.record.kind().key()) else {
            continue;
        };
        if matches!(o.op, OutOp::Insert(_)) && bulk.contains_key(o.record.kind().key()) {
            continue;
        }
        let provenance = o
            .provenance
            .as_ref()
            .and_then(|p| serde_json::to_value(p).ok());
        let uuid = o.record.uuid();
        let not_written = || {
            Error::request(Problem::ServerWriteRefused {
                server: shown(url),
                name: names(o.record),
                id: uuid.to_string(),
            })
        };
        let rev: Option<i64> = match &o.op {
            OutOp::Insert(fields) => {
                let (json, data) = split_fields(fields);
                let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    vec![&uuid, &o.street, &json, &provenance];
                let (column, mark) = if t.bytes {
                    params.push(&data);
                    (", data", ", $5")
                } else {
                    ("", "")
                };
                let added = tx
                    .query_opt(
                        &format!(
                            "INSERT INTO linli.{} (uuid, street, fields, provenance{column})
                             VALUES ($1, $2, $3, $4{mark})
                             ON CONFLICT (uuid) DO NOTHING RETURNING rev",
                            t.table,
                        ),
                        &params,
                    )
                    .map_err(|e| refused(url, &e))?
                    .map(|r| r.get(0));
                if added.is_none() {
                    not_sent.insert(o.record);
                }
                added
            }
            OutOp::Update(fields) => {
                let (json, data) = split_fields(fields);
                let set_data = if data.is_some() { ", data = $5" } else { "" };
                let sql = format!(
                    "UPDATE linli.{} SET fields = fields || $2, provenance = $3{set_data}
                     WHERE uuid = $1 AND rev <= $4 RETURNING rev",
                    t.table
                );
                let found = if let Some(d) = &data {
                    tx.query_opt(&sql, &[&uuid, &json, &provenance, &seen, d])
                } else {
                    tx.query_opt(&sql, &[&uuid, &json, &provenance, &seen])
                };
                Some(
                    found
                        .map_err(|e| refused(url, &e))?
                        .ok_or_else(not_written)?
                        .get(0),
                )
            }
            OutOp::Delete => {
                tx.execute(
                    &format!(
                        "DELETE FROM linli.{} WHERE uuid = $1 AND rev <= $2",
                        t.table
                    ),
                    &[&uuid, &seen],
                )
                .map_err(|e| refused(url, &e))?;
                tx.query_opt("SELECT rev FROM linli.tombstones WHERE uuid = $1", &[&uuid])
                    .map_err(|e| refused(url, &e))?
                    .map(|r| r.get(0))
            }
        };
        if let Some(rev) = rev {
            high = high.max(rev);
        }
    }
    Ok((high, not_sent))
}

/// What a pull brought from the server: its rows and tombstones for the street above the
/// workspace's high-water mark.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The server's id (its peer's id in the workspace).
    pub server_id: Uuid,
    /// The server as messages show it (no password).
    pub name: String,
    /// The street synced.
    pub street: String,
    /// The workspace's peer for the server, or a new one when it never synced.
    pub peer: Peer,
    /// True when the workspace had never synced with this server.
    pub joined: bool,
    /// The records pulled, with their provenance.
    pub rows: BTreeMap<RecordId, (Fields, Option<Provenance>)>,
    /// The records deleted on the server.
    pub gone: Vec<RecordId>,
    /// The highest revision pulled (the workspace's high-water mark when none).
    pub seen: i64,
}

impl Pulled {
    /// How many rows and tombstones came.
    pub fn len(&self) -> usize {
        self.rows.len() + self.gone.len()
    }

    /// True when nothing came.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a push wrote: the highest revision, and the records not sent (see [`push`]).
#[derive(Debug, Clone, Default)]
pub struct Pushed {
    /// The highest revision written (the pull's when nothing was).
    pub high_water: i64,
    /// New here, but on the server already as another street's.
    pub not_sent: BTreeSet<RecordId>,
}

/// A sync under way on the server's side: one connection holding one transaction (and the
/// writers' lock) from the pull to the commit. Dropped without [`Exchange::commit`], the
/// connection closes and the server rolls everything back.
pub struct Exchange {
    client: Client,
    url: String,
}

impl Exchange {
    /// Connects as the address says (with `password` when given apart from it), checks the
    /// schema, begins the transaction, takes the writers' lock and pulls `street`'s rows
    /// above the high-water mark `peers` record for this server.
    ///
    /// # Errors
    /// [`Problem::ServerUnreachable`], [`Problem::ServerSchema`], [`Problem::ServerRefused`].
    pub fn open(
        url: &str,
        password: Option<&str>,
        street: &str,
        peers: &[Peer],
    ) -> Result<(Exchange, Pulled)> {
        let mut client = super::connect_as(url, password)?;
        check_schema(&mut client, url)?;
        let server_id: Uuid = client
            .query_one("SELECT value FROM linli.meta WHERE key = 'server_id'", &[])
            .map_err(|e| refused(url, &e))?
            .get::<_, String>(0)
            .parse()
            .map_err(|_| {
                Error::request(Problem::ServerSchema {
                    server: shown(url),
                    found: 0,
                    expected: super::SERVER_SCHEMA_VERSION,
                })
            })?;
        let name = shown(url);
        client
            .batch_execute("BEGIN")
            .map_err(|e| refused(url, &e))?;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .map_err(|e| refused(url, &e))?;
        let known = peers.iter().find(|p| p.id == server_id).cloned();
        if let Some(p) = known
            .as_ref()
            .filter(|p| !p.street.is_empty() && p.street != street)
        {
            return Err(Error::request(Problem::SyncStreetMismatch {
                server: name,
                synced: p.street.clone(),
                asked: street.to_string(),
            }));
        }
        let joined = known.is_none();
        let peer = known.unwrap_or_else(|| Peer {
            id: server_id,
            name: name.clone(),
            role: PeerRole::District,
            street: street.to_string(),
            since: now_text(),
            last_merged: String::new(),
            high_water: 0,
        });
        let (rows, gone, seen) = pull(&mut client, url, street, peer.high_water)?;
        let pulled = Pulled {
            server_id,
            name,
            street: street.to_string(),
            peer,
            joined,
            rows,
            gone,
            seen,
        };
        Ok((
            Exchange {
                client,
                url: url.to_string(),
            },
            pulled,
        ))
    }

    /// Sends `out` (see [`push`]); `names` names a record in a refusal.
    ///
    /// # Errors
    /// [`Problem::ServerRefused`], [`Problem::ServerWriteRefused`]: the transaction is then
    /// to be dropped.
    pub fn push(
        &mut self,
        out: &[Outgoing],
        seen: i64,
        names: &dyn Fn(RecordId) -> String,
    ) -> Result<Pushed> {
        let (high_water, not_sent) = push(&mut self.client, &self.url, names, out, seen)?;
        Ok(Pushed {
            high_water,
            not_sent,
        })
    }

    /// Commits the server's transaction.
    ///
    /// # Errors
    /// [`Problem::ServerRefused`] (the connection lost: nothing of this sync is on the server).
    pub fn commit(mut self) -> Result<()> {
        self.client
            .batch_execute("COMMIT")
            .map_err(|e| refused(&self.url, &e))
    }
}

/// Merges what was pulled into the workspace (one changeset, one undo step; conflicts kept)
/// and returns what the merge did and what to send back: what differs here from the new
/// base, never a field of an open conflict.
///
/// # Errors
/// What merging reports.
pub fn take_in(session: &mut Session, pulled: &Pulled) -> Result<(MergeReport, Vec<Outgoing>)> {
    let base = session.base_for(pulled.server_id)?;
    // The server's side: what both agreed on, with what changed there since.
    let mut theirs: crate::sync::Snapshot = base
        .iter()
        .map(|(id, digests)| {
            let fields = match digests {
                serde_json::Value::Object(m) => m
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::Json(v.clone())))
                    .collect(),
                _ => Fields::new(),
            };
            (*id, fields)
        })
        .collect();
    for (id, (fields, _)) in &pulled.rows {
        theirs.insert(*id, fields.clone());
    }
    for id in &pulled.gone {
        theirs.remove(id);
    }
    let labels = |id: &RecordId| {
        pulled
            .rows
            .get(id)
            .and_then(|(f, _)| crate::store::label_of(*id, f.clone()))
    };
    let provenance = |ids: &[Uuid]| {
        Ok(pulled
            .rows
            .iter()
            .filter(|(id, _)| ids.contains(&id.uuid()))
            .filter_map(|(id, (_, p))| p.clone().map(|p| (id.uuid(), p)))
            .collect())
    };
    let merge = session.merge_sides(TheirSide {
        place: Path::new(&pulled.name),
        name: &pulled.name,
        peer: pulled.peer.clone(),
        joined: pulled.joined,
        high_water: Some(pulled.seen),
        base,
        theirs,
        decisions: Vec::new(),
        labels: &labels,
        provenance: &provenance,
    })?;
    let out = session.outgoing(pulled.server_id, &pulled.street)?;
    Ok((merge, out))
}

/// After the server committed: records in the workspace what was sent as the new base and
/// the server's revision as its high-water mark, and says what the sync did.
///
/// # Errors
/// What writing the workspace reports (the next sync then pulls what was sent, as this
/// workspace's own values, and converges).
pub fn finish(
    session: &mut Session,
    pulled: &Pulled,
    merge: MergeReport,
    out: Vec<Outgoing>,
    pushed: &Pushed,
) -> Result<SyncReport> {
    let peer = session
        .peers()?
        .into_iter()
        .find(|p| p.id == pulled.server_id)
        .unwrap_or_else(|| pulled.peer.clone());
    let out: Vec<Outgoing> = out
        .into_iter()
        .filter(|o| !pushed.not_sent.contains(&o.record))
        .collect();
    session.record_sent(&peer, &out, pushed.high_water)?;
    let count = |f: fn(&OutOp) -> bool| out.iter().filter(|o| f(&o.op)).count();
    Ok(SyncReport {
        pulled: pulled.len(),
        merge,
        inserted: count(|op| matches!(op, OutOp::Insert(_))),
        updated: count(|op| matches!(op, OutOp::Update(_))),
        deleted: count(|op| matches!(op, OutOp::Delete)),
        high_water: pushed.high_water,
    })
}

/// Syncs the workspace open in `session` with the district server at `url` as `street`:
/// see the module's text. The window runs the same steps with the server's side on a
/// worker thread ([`Exchange`]) and the workspace's on its own.
///
/// # Errors
/// [`Problem::ServerUnreachable`], [`Problem::ServerSchema`], [`Problem::ServerRefused`] or
/// [`Problem::ServerWriteRefused`] (nothing written on the server; the merge of what was
/// pulled stays here, a step that can be undone); what merging reports.
pub fn sync(session: &mut Session, url: &str, street: &str) -> Result<SyncReport> {
    let (mut exchange, pulled) = Exchange::open(url, None, street, &session.peers()?)?;
    let (merge, out) = take_in(session, &pulled)?;
    let pushed = exchange.push(&out, pulled.seen, &|id| session.record_name(id))?;
    exchange.commit()?;
    finish(session, &pulled, merge, out, &pushed)
}
