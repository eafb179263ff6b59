//! The district server: a PostgreSQL database with PostGIS that the district's streets sync
//! with when the district outgrows files passed around. This module sets the server up
//! (`linli server init`, forward-only `--upgrade`) and gives streets, mentors and the bureau
//! their login roles (`linli server grant`); PostgreSQL itself enforces who may write what
//! (row-level security by street, see [`schema`]), not the client.
//!
//! The client is the `postgres` crate (blocking, on the caller's thread: the window runs it
//! on a worker thread). Addresses are `postgresql://user:password@host:port/database`; every
//! message names the server without its password.

pub mod schema;
mod sync;

use postgres::{Client, NoTls};

use crate::error::{Error, Problem, Result};

pub use schema::{SERVER_SCHEMA_VERSION, TABLES};
pub use sync::{Exchange, Pulled, Pushed, SyncReport, finish, sync, take_in};

/// A server's address as messages show it: the password left out.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(u, _)| u);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}

/// PostgreSQL's own words for an error: its message and detail, else the client's text.
fn pg_words(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{} ({d})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

/// The error for a statement the server refused.
pub(crate) fn refused(url: &str, e: &postgres::Error) -> Error {
    Error::request(Problem::ServerRefused {
        server: shown(url),
        detail: pg_words(e),
    })
}

/// Connects to the server at `url`.
///
/// # Errors
/// [`Problem::ServerUnreachable`] naming the server (without its password).
pub fn connect(url: &str) -> Result<Client> {
    connect_as(url, None)
}

/// Connects to the server at `url`, with `password` when it is given apart from the address
/// (typed in the window, never stored).
///
/// # Errors
/// [`Problem::ServerUnreachable`] naming the server (without its password): also for an
/// address that is not one.
pub fn connect_as(url: &str, password: Option<&str>) -> Result<Client> {
    let unreachable = |detail: String| {
        Error::request(Problem::ServerUnreachable {
            server: shown(url),
            detail,
        })
    };
    let mut config: postgres::Config = url.parse().map_err(|e| unreachable(pg_words(&e)))?;
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        config.password(password);
    }
    config.connect(NoTls).map_err(|e| unreachable(pg_words(&e)))
}

/// The schema version the server at the other end of `client` has (0 when none).
fn version_of(client: &mut Client, url: &str) -> Result<i64> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                 WHERE table_schema = 'linli' AND table_name = 'meta')",
            &[],
        )
        .map_err(|e| refused(url, &e))?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client
        .query_opt(
            "SELECT value FROM linli.meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(|e| refused(url, &e))?;
    Ok(row
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0))
}

/// Checks that the server has the schema this program reads.
///
/// # Errors
/// [`Problem::ServerSchema`] when it has none, an older or a newer one.
pub fn check_schema(client: &mut Client, url: &str) -> Result<()> {
    let found = version_of(client, url)?;
    if found == SERVER_SCHEMA_VERSION {
        Ok(())
    } else {
        Err(Error::request(Problem::ServerSchema {
            server: shown(url),
            found,
            expected: SERVER_SCHEMA_VERSION,
        }))
    }
}

/// What `linli server init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The version the server had (0: none).
    pub from: i64,
    /// The version it has now.
    pub to: i64,
}

/// Sets up the district schema on an empty database, or with `upgrade` brings an older one
/// forward, in one transaction (all of it or nothing). A server already at this version is
/// left as it is.
///
/// # Errors
/// [`Problem::ServerSchema`] for a server set up by a newer Linli, or an older one without
/// `upgrade`; [`Problem::ServerRefused`] with PostgreSQL's words (no right to create the
/// schema, the roles or the PostGIS extension).
pub fn init(url: &str, upgrade: bool) -> Result<InitReport> {
    let mut client = connect(url)?;
    let from = version_of(&mut client, url)?;
    let too_new = from > SERVER_SCHEMA_VERSION;
    let needs_upgrade = from > 0 && from < SERVER_SCHEMA_VERSION && !upgrade;
    if too_new || needs_upgrade {
        return Err(Error::request(Problem::ServerSchema {
            server: shown(url),
            found: from,
            expected: SERVER_SCHEMA_VERSION,
        }));
    }
    let steps = schema::steps();
    let mut tx = client.transaction().map_err(|e| refused(url, &e))?;
    for (i, step) in steps.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= from {
            continue;
        }
        tx.batch_execute(&step()).map_err(|e| refused(url, &e))?;
        tx.execute(
            "UPDATE linli.meta SET value = $1 WHERE key = 'schema_version'",
            &[&version.to_string()],
        )
        .map_err(|e| refused(url, &e))?;
    }
    tx.commit().map_err(|e| refused(url, &e))?;
    Ok(InitReport {
        from,
        to: SERVER_SCHEMA_VERSION,
    })
}

/// Who a login role works for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// A street's planners, or a mentor covering these streets: they read and write those
    /// streets' records.
    Streets(Vec<String>),
    /// The district bureau: reads everything, writes nothing but its own statistics views.
    Bureau,
}

/// True for a role name PostgreSQL takes without quoting and Linli will not confuse.
fn plain_role(role: &str) -> bool {
    let mut chars = role.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.len() <= 63
        && !role.starts_with("pg_")
        && !role.starts_with("linli_")
}

/// Creates login role `role` with `password` (or gives an existing one that password) and
/// what it works for, replacing what it worked for before, in one transaction.
///
/// # Errors
/// [`Problem::BadRoleName`]; [`Problem::ServerSchema`]; [`Problem::ServerRefused`] with
/// PostgreSQL's words (no right to create roles).
pub fn grant(url: &str, role: &str, password: &str, what: &Grant) -> Result<()> {
    if !plain_role(role) {
        return Err(Error::request(Problem::BadRoleName {
            role: role.to_string(),
        }));
    }
    let mut client = connect(url)?;
    check_schema(&mut client, url)?;
    let mut tx = client.transaction().map_err(|e| refused(url, &e))?;
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&role],
        )
        .map_err(|e| refused(url, &e))?
        .get(0);
    // The password as a literal: quotes doubled (the role name is plain, checked above).
    let password = password.replace('\'', "''");
    let verb = if exists { "ALTER" } else { "CREATE" };
    let (member, not_member) = match what {
        Grant::Streets(_) => ("linli_street", "linli_bureau"),
        Grant::Bureau => ("linli_bureau", "linli_street"),
    };
    tx.batch_execute(&format!(
        "{verb} ROLE {role} LOGIN PASSWORD '{password}';
         GRANT {member} TO {role};
         REVOKE {not_member} FROM {role};"
    ))
    .map_err(|e| refused(url, &e))?;
    tx.execute("DELETE FROM linli.grants WHERE role = $1", &[&role])
        .map_err(|e| refused(url, &e))?;
    if let Grant::Streets(streets) = what {
        for street in streets {
            tx.execute(
                "INSERT INTO linli.grants (role, street) VALUES ($1, $2)",
                &[&role, street],
            )
            .map_err(|e| refused(url, &e))?;
        }
    }
    tx.commit().map_err(|e| refused(url, &e))
}

/// Loads the street boundaries of `layers` (their streets layer) onto the server, one
/// multipolygon per street name (a street drawn in parts is one street), replacing what the
/// server had for those streets, in one transaction. Returns how many streets were loaded.
/// A street's role reads its own boundary and its neighbours' (see [`schema::version_2`]).
///
/// # Errors
/// [`Problem::ServerSchema`]; [`Problem::ServerRefused`] with PostgreSQL's words (a street's
/// or the bureau's role may not write boundaries).
pub fn load_boundaries(url: &str, layers: &[crate::model::Layer]) -> Result<usize> {
    use std::collections::BTreeMap;
    let mut streets: BTreeMap<&str, Vec<geo::Polygon<f64>>> = BTreeMap::new();
    for layer in layers
        .iter()
        .filter(|l| l.role == crate::model::LayerRole::Streets)
    {
        for f in &layer.features {
            let name = f.name.trim();
            if name.is_empty() {
                continue;
            }
            let parts = streets.entry(name).or_default();
            match &f.geometry {
                geo::Geometry::Polygon(p) => parts.push(p.clone()),
                geo::Geometry::MultiPolygon(m) => parts.extend(m.0.iter().cloned()),
                _ => {}
            }
        }
    }
    streets.retain(|_, parts| !parts.is_empty());
    let mut client = connect(url)?;
    check_schema(&mut client, url)?;
    let mut tx = client.transaction().map_err(|e| refused(url, &e))?;
    for (name, parts) in &streets {
        let shape = geo::Geometry::MultiPolygon(geo::MultiPolygon(parts.clone()));
        let geojson = geojson::Geometry::from(&shape).to_string();
        tx.execute(
            "INSERT INTO linli.streets (name, geom)
               VALUES ($1, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)))
             ON CONFLICT (name) DO UPDATE SET geom = excluded.geom, changed_by = session_user",
            &[name, &geojson],
        )
        .map_err(|e| refused(url, &e))?;
    }
    tx.commit().map_err(|e| refused(url, &e))?;
    Ok(streets.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_shown_without_their_password_and_roles_are_plain() {
        assert_eq!(
            shown("postgresql://yangjing:s3cr'et@127.0.0.1:5432/pudong"),
            "postgresql://yangjing@127.0.0.1:5432/pudong"
        );
        assert_eq!(
            shown("postgresql://127.0.0.1/pudong"),
            "postgresql://127.0.0.1/pudong"
        );
        assert!(plain_role("yangjing_1"));
        for bad in [
            "洋泾",
            "Yangjing",
            "1st",
            "linli_street",
            "pg_read",
            "a;drop",
            "",
        ] {
            assert!(!plain_role(bad), "{bad}");
        }
    }
}
