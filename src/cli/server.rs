//! `linli server`: set up the district server and give its login roles.

use crate::error::Result;
use crate::i18n::Lang;
use crate::i18n::district::{server_granted, server_ready};
use crate::server::{self, Grant};

/// `linli server …`.
#[derive(Debug, clap::Subcommand)]
pub enum ServerCommand {
    /// Create the district schema on an empty PostgreSQL database with PostGIS (record tables
    /// keyed by UUID with a revision, PostGIS geometry, row-level security by street, the
    /// roles linli_street and linli_bureau), or bring an older one forward with --upgrade.
    Init {
        /// The database, as postgresql://user:password@host:port/database (a superuser, or
        /// the owner with the right to create roles).
        url: String,
        /// Migrate a server set up by an older Linli (forward only).
        #[arg(long)]
        upgrade: bool,
    },
    /// Create a login role (or give an existing one a new password) that works for streets
    /// (reads and writes only their records), or for the bureau (reads everything).
    Grant {
        /// The database, as postgresql://user:password@host:port/database.
        url: String,
        /// The login role's name (lowercase letters, digits, underscores).
        #[arg(long)]
        role: String,
        /// Its password.
        #[arg(long)]
        password: String,
        /// A street it works for; several for a mentor.
        #[arg(long, required_unless_present = "bureau")]
        street: Vec<String>,
        /// The district bureau: reads every record, writes none.
        #[arg(long, conflicts_with = "street")]
        bureau: bool,
    },
    /// Load the street boundaries of a workspace (the district's) onto the server: each
    /// street's role then reads its neighbours' boundaries and projects.
    Boundaries {
        /// The database, as postgresql://user:password@host:port/database (the server's owner).
        url: String,
        /// The workspace whose streets layer holds the boundaries.
        workspace: std::path::PathBuf,
    },
}

/// Runs a `linli server` command; the line to print.
pub fn run(command: &ServerCommand, lang: Lang) -> Result<String> {
    match command {
        ServerCommand::Init { url, upgrade } => {
            let report = server::init(url, *upgrade)?;
            Ok(server_ready(
                lang,
                &server::shown(url),
                report.from,
                report.to,
            ))
        }
        ServerCommand::Grant {
            url,
            role,
            password,
            street,
            bureau,
        } => {
            let what = if *bureau {
                Grant::Bureau
            } else {
                Grant::Streets(street.clone())
            };
            server::grant(url, role, password, &what)?;
            let streets = if *bureau { Vec::new() } else { street.clone() };
            Ok(server_granted(lang, role, &streets))
        }
        ServerCommand::Boundaries { url, workspace } => {
            let session = crate::Session::open_read_only(workspace)?;
            let n = server::load_boundaries(url, session.layers())?;
            Ok(crate::i18n::district::server_boundaries(
                lang,
                &server::shown(url),
                n,
            ))
        }
    }
}

/// The arguments of `linli sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The street's workspace.
    pub workspace: std::path::PathBuf,
    /// The district server, as postgresql://role:password@host:port/database.
    pub url: String,
    /// The street this workspace works for.
    #[arg(long)]
    pub street: String,
}

/// `linli sync`: the line to print.
pub fn sync(args: &SyncArgs, lang: Lang) -> Result<String> {
    let mut session = crate::Session::open(&args.workspace)?;
    let report = server::sync(&mut session, &args.url, &args.street)?;
    session.close()?;
    Ok(crate::i18n::district::synced(
        lang,
        &server::shown(&args.url),
        &report,
    ))
}
