//! A PostgreSQL test server: a database of each test's own, dropped with its roles at the
//! end; skipped with a printed reason when no server answers.

use postgres::{Client, NoTls};
use uuid::Uuid;

/// The test server's superuser address: `LINLI_TEST_PG`, else what `.ci/run` sets up.
pub fn admin_url() -> String {
    std::env::var("LINLI_TEST_PG")
        .unwrap_or_else(|_| "postgresql://linli:linli@127.0.0.1/postgres".into())
}

/// `url` with another database.
pub fn with_database(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) if url[..i].contains("://") && url[..i].rfind('/') != Some(i - 1) => {
            format!("{}/{db}", &url[..i])
        }
        _ => format!("{url}/{db}"),
    }
}

/// `url` as another user.
pub fn as_user(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}:{password}@{host}")
}

/// A fresh database on the test server, dropped (with the roles the test made) at the end.
pub struct TestDb {
    pub url: String,
    pub name: String,
    pub roles: Vec<String>,
}

impl TestDb {
    /// `None` (and a printed reason) when no server answers.
    pub fn new() -> Option<TestDb> {
        let admin = admin_url();
        let mut client = match Client::connect(&admin, NoTls) {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "skipped: no PostgreSQL server at {} ({e}); set LINLI_TEST_PG",
                    linli::server::shown(&admin)
                );
                return None;
            }
        };
        let postgis = client
            .query_opt(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'",
                &[],
            )
            .ok()
            .flatten()
            .is_some();
        if !postgis {
            eprintln!(
                "skipped: the PostgreSQL server at {} has no PostGIS (Debian: postgresql-15-postgis-3)",
                linli::server::shown(&admin)
            );
            return None;
        }
        let name = format!("linli_test_{}", Uuid::new_v4().simple());
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        Some(TestDb {
            url: with_database(&admin, &name),
            name,
            roles: Vec::new(),
        })
    }

    /// A role name unique to this test (roles are the cluster's, not the database's).
    pub fn role(&mut self, base: &str) -> String {
        let role = format!("{base}_{}", &self.name[11..19]);
        self.roles.push(role.clone());
        role
    }

    pub fn client_as(&self, role: &str, password: &str) -> Client {
        Client::connect(&as_user(&self.url, role, password), NoTls).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&admin_url(), NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
            for r in &self.roles {
                let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {r}"));
            }
        }
    }
}

/// PostgreSQL's message for a refused statement.
pub fn words(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string())
}

/// The sample district, made in `dir` and open.
pub fn district_session(dir: &std::path::Path) -> linli::Session {
    let ws = dir.join("浦东新区.gpkg");
    linli::sample::create_sample_workspace(&ws, &mut |_| {})
        .unwrap()
        .close()
        .unwrap();
    linli::Session::open(&ws).unwrap()
}
