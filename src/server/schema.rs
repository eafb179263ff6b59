//! The district server's schema, as SQL text: schema `linli` in a PostgreSQL database with
//! PostGIS. Every record kind that travels between a district and its streets has one table
//! keyed by the record's UUID, with the record's fields as `jsonb` (an attachment's bytes as
//! `bytea`), the street it belongs to, and a `rev` from one sequence, bumped by a trigger on
//! every insert and update; a delete leaves a tombstone with a `rev` of its own. Every writer
//! takes one transaction-scoped advisory lock in that trigger, so revisions become visible in
//! the order they were drawn: a client that has seen every row up to `rev` N has missed none
//! below it.
//!
//! Plan features carry generated columns QGIS shows as they are: `geom` (EPSG:4326, GiST
//! index), `name`, `element_type`, `project_code`; projects `code` and `name`.
//!
//! Permissions are PostgreSQL's: group roles `linli_street` (reads and writes) and
//! `linli_bureau` (reads everything, writes nothing but its own statistics views in schema
//! `linli_stats`), and row-level security by street through `linli.grants` (which login role
//! works for which streets). Changes of the schema are forward-only steps from
//! `linli.meta.schema_version`.

/// The schema version this build writes and reads.
pub const SERVER_SCHEMA_VERSION: i64 = 2;

/// The advisory lock every writer takes (in the revision trigger) and every sync takes first.
pub const WRITE_LOCK: i64 = 0x6c69_6e6c_6900;

/// A record table: its name in schema `linli`, the record kind it holds, whether it keeps
/// bytes, and its generated columns (`name type AS (expression)`).
pub struct ServerTable {
    /// Table name in schema `linli`.
    pub table: &'static str,
    /// The record kind's key (`plan`, `project`…).
    pub kind: &'static str,
    /// True for attachments: the file's bytes in column `data`.
    pub bytes: bool,
    /// Generated columns for QGIS and the bureau's views.
    pub generated: &'static [&'static str],
}

/// Every record table.
pub const TABLES: &[ServerTable] = &[
    ServerTable {
        table: "plan_features",
        kind: "plan",
        bytes: false,
        generated: &[
            "name text GENERATED ALWAYS AS (fields->>'name') STORED",
            "element_type text GENERATED ALWAYS AS (fields->>'element') STORED",
            "project_code text GENERATED ALWAYS AS (fields->>'project') STORED",
            "geom geometry(Geometry, 4326) GENERATED ALWAYS AS \
             (ST_SetSRID(ST_GeomFromGeoJSON(fields->>'geometry'), 4326)) STORED",
        ],
    },
    ServerTable {
        table: "projects",
        kind: "project",
        bytes: false,
        generated: &[
            "code text GENERATED ALWAYS AS (fields->>'code') STORED",
            "name text GENERATED ALWAYS AS (fields->>'name') STORED",
        ],
    },
    ServerTable {
        table: "meetings",
        kind: "meeting",
        bytes: false,
        generated: &[],
    },
    ServerTable {
        table: "people",
        kind: "person",
        bytes: false,
        generated: &["name text GENERATED ALWAYS AS (fields->>'name') STORED"],
    },
    ServerTable {
        table: "organisations",
        kind: "organisation",
        bytes: false,
        generated: &["name text GENERATED ALWAYS AS (fields->>'name') STORED"],
    },
    ServerTable {
        table: "tasks",
        kind: "task",
        bytes: false,
        generated: &[],
    },
    ServerTable {
        table: "attachments",
        kind: "attachment",
        bytes: true,
        generated: &[],
    },
    ServerTable {
        table: "inputs",
        kind: "input",
        bytes: false,
        generated: &[],
    },
    ServerTable {
        table: "alternatives",
        kind: "alternative",
        bytes: false,
        generated: &[],
    },
];

/// The table of a record kind, by its key.
pub fn table_of(kind: &str) -> Option<&'static ServerTable> {
    TABLES.iter().find(|t| t.kind == kind)
}

/// Schema version 1: the schema, the sequence, the bookkeeping tables, the trigger functions
/// and the group roles. Runs in the caller's transaction, as a superuser (or the database's
/// owner with the right to create roles).
pub fn version_1() -> String {
    let mut sql = format!(
        "CREATE EXTENSION IF NOT EXISTS postgis;
         DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'linli_street') THEN
             CREATE ROLE linli_street NOLOGIN;
           END IF;
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'linli_bureau') THEN
             CREATE ROLE linli_bureau NOLOGIN;
           END IF;
         END $$;
         CREATE SCHEMA linli;
         CREATE SCHEMA linli_stats;
         CREATE TABLE linli.meta (key text PRIMARY KEY, value text NOT NULL);
         CREATE SEQUENCE linli.rev;
         CREATE TABLE linli.grants (role name NOT NULL, street text NOT NULL,
             PRIMARY KEY (role, street));
         CREATE TABLE linli.tombstones (uuid uuid PRIMARY KEY, kind text NOT NULL,
             street text NOT NULL, rev bigint NOT NULL);
         CREATE INDEX tombstones_rev ON linli.tombstones (rev);
         CREATE FUNCTION linli.my_streets() RETURNS text[] LANGUAGE sql STABLE
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ SELECT coalesce(array_agg(street), '{{}}') FROM linli.grants
               WHERE role = session_user $f$;
         CREATE FUNCTION linli.may_write(street text) RETURNS boolean LANGUAGE sql STABLE
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ SELECT street = ANY (linli.my_streets())
                 OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                 OR NOT pg_has_role(session_user, 'linli_street', 'MEMBER') $f$;
         CREATE FUNCTION linli.bump() RETURNS trigger LANGUAGE plpgsql
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ BEGIN
             PERFORM pg_advisory_xact_lock({WRITE_LOCK});
             IF TG_OP = 'UPDATE' AND NEW.street <> OLD.street THEN
               RAISE EXCEPTION 'linli: a record keeps its street (% → %)', OLD.street, NEW.street
                 USING ERRCODE = 'check_violation';
             END IF;
             NEW.rev := nextval('linli.rev');
             NEW.changed_by := session_user;
             RETURN NEW;
           END $f$;
         CREATE FUNCTION linli.guard_delete() RETURNS trigger LANGUAGE plpgsql
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ BEGIN
             IF NOT linli.may_write(OLD.street) THEN
               RAISE EXCEPTION 'linli: role % may not delete a record of street %',
                 session_user, OLD.street USING ERRCODE = 'insufficient_privilege';
             END IF;
             RETURN OLD;
           END $f$;
         CREATE FUNCTION linli.bury() RETURNS trigger LANGUAGE plpgsql
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ BEGIN
             PERFORM pg_advisory_xact_lock({WRITE_LOCK});
             INSERT INTO linli.tombstones (uuid, kind, street, rev)
               VALUES (OLD.uuid, TG_ARGV[0], OLD.street, nextval('linli.rev'))
               ON CONFLICT (uuid) DO UPDATE SET rev = excluded.rev, street = excluded.street;
             RETURN OLD;
           END $f$;
         CREATE FUNCTION linli.unbury() RETURNS trigger LANGUAGE plpgsql
           SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
           $f$ BEGIN
             DELETE FROM linli.tombstones WHERE uuid = NEW.uuid;
             RETURN NEW;
           END $f$;
         ALTER TABLE linli.tombstones ENABLE ROW LEVEL SECURITY;
         CREATE POLICY reads ON linli.tombstones FOR SELECT
           USING (street = ANY (linli.my_streets())
                  OR pg_has_role(session_user, 'linli_bureau', 'MEMBER'));
         GRANT USAGE ON SCHEMA linli TO linli_street, linli_bureau;
         GRANT USAGE ON SCHEMA linli_stats TO linli_street, linli_bureau;
         GRANT CREATE ON SCHEMA linli_stats TO linli_bureau;
         GRANT SELECT ON linli.meta, linli.tombstones TO linli_street, linli_bureau;
         GRANT SELECT ON linli.grants TO linli_bureau;
         INSERT INTO linli.meta (key, value) VALUES ('schema_version', '1'),
           ('server_id', gen_random_uuid()::text);\n"
    );
    for t in TABLES {
        let mut columns = vec![
            "uuid uuid PRIMARY KEY".to_string(),
            "street text NOT NULL".to_string(),
            "fields jsonb NOT NULL".to_string(),
            "provenance jsonb".to_string(),
        ];
        if t.bytes {
            columns.push("data bytea".into());
        }
        columns.push("rev bigint NOT NULL DEFAULT 0".into());
        columns.push("changed_by name NOT NULL DEFAULT session_user".into());
        columns.extend(t.generated.iter().map(|c| (*c).to_string()));
        let name = t.table;
        sql.push_str(&format!(
            "CREATE TABLE linli.{name} ({columns});
             CREATE INDEX {name}_rev ON linli.{name} (rev);
             CREATE INDEX {name}_street ON linli.{name} (street);
             CREATE TRIGGER bump BEFORE INSERT OR UPDATE ON linli.{name}
               FOR EACH ROW EXECUTE FUNCTION linli.bump();
             CREATE TRIGGER guard_delete BEFORE DELETE ON linli.{name}
               FOR EACH ROW EXECUTE FUNCTION linli.guard_delete();
             CREATE TRIGGER bury AFTER DELETE ON linli.{name}
               FOR EACH ROW EXECUTE FUNCTION linli.bury('{kind}');
             CREATE TRIGGER unbury AFTER INSERT ON linli.{name}
               FOR EACH ROW EXECUTE FUNCTION linli.unbury();
             ALTER TABLE linli.{name} ENABLE ROW LEVEL SECURITY;
             CREATE POLICY reads ON linli.{name} FOR SELECT
               USING (street = ANY (linli.my_streets())
                      OR pg_has_role(session_user, 'linli_bureau', 'MEMBER'));
             CREATE POLICY inserts ON linli.{name} FOR INSERT
               WITH CHECK (linli.may_write(street));
             CREATE POLICY updates ON linli.{name} FOR UPDATE
               USING (true) WITH CHECK (linli.may_write(street));
             CREATE POLICY deletes ON linli.{name} FOR DELETE USING (true);
             GRANT SELECT, INSERT, UPDATE, DELETE ON linli.{name} TO linli_street;
             GRANT SELECT ON linli.{name} TO linli_bureau;\n",
            columns = columns.join(", "),
            kind = t.kind,
        ));
    }
    sql.push_str(
        "CREATE INDEX plan_features_geom ON linli.plan_features USING gist (geom);
         CREATE VIEW linli_stats.projects_by_street AS
           SELECT street, count(*) AS projects,
                  sum(nullif(fields->>'budget_wan', '')::double precision) AS budget_wan
           FROM linli.projects GROUP BY street;
         GRANT SELECT ON linli_stats.projects_by_street TO linli_bureau, linli_street;\n",
    );
    sql
}

/// Schema version 2: the district's street boundaries (`linli.streets`, loaded by `linli
/// server boundaries`), and what a street's role reads of its neighbours: their boundaries
/// and their projects, never their other records, and nothing of theirs it may write. A
/// neighbour is a street whose boundary touches (within about ten metres) one of the role's
/// own streets.
pub fn version_2() -> String {
    "CREATE TABLE linli.streets (name text PRIMARY KEY,
         geom geometry(MultiPolygon, 4326) NOT NULL,
         changed_by name NOT NULL DEFAULT session_user);
     CREATE INDEX streets_geom ON linli.streets USING gist (geom);
     CREATE FUNCTION linli.neighbours() RETURNS text[] LANGUAGE sql STABLE
       SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
       $f$ SELECT coalesce(array_agg(DISTINCT n.name), '{}') FROM linli.streets n
           JOIN linli.streets m ON m.name = ANY (linli.my_streets())
           WHERE n.name <> ALL (linli.my_streets()) AND ST_DWithin(n.geom, m.geom, 0.0001) $f$;
     ALTER TABLE linli.streets ENABLE ROW LEVEL SECURITY;
     CREATE POLICY reads ON linli.streets FOR SELECT
       USING (name = ANY (linli.my_streets()) OR name = ANY ((SELECT linli.neighbours())::text[])
              OR pg_has_role(session_user, 'linli_bureau', 'MEMBER'));
     GRANT SELECT ON linli.streets TO linli_street, linli_bureau;
     CREATE POLICY neighbours ON linli.projects FOR SELECT
       USING (street = ANY ((SELECT linli.neighbours())::text[]));\n"
        .to_string()
}

/// The forward steps: `STEPS[i]` takes a server from version `i` to `i + 1` (0: an empty
/// database).
pub fn steps() -> Vec<fn() -> String> {
    vec![version_1, version_2]
}
