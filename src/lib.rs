//! Linli 邻里 — the headless core of a desktop GIS workbench for Shanghai's community planners.
//!
//! Everything a planner's data goes through lives here, with no UI in it: the [`model`]
//! (element catalog, layers, plan features, projects), the [`analysis`] (measures on the
//! ellipsoid, the R-tree that answers "which street and community", siting rules), the UI-free
//! [`sketch`]ing rules, the file formats in [`io`], the GeoPackage [`store`] and the
//! [`session::Session`] façade that the CLI, the GUI and the tests all drive.
//! The window lives in `gui`, behind the default `gui` feature. `docs/ARCHITECTURE.md` maps it.

pub mod analysis;
pub mod cli;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "gui")]
pub mod gui;
pub mod i18n;
pub mod io;
pub mod model;
pub mod print;
pub mod render;
pub mod sample;
pub mod server;
pub mod session;
pub mod sketch;
pub mod store;
pub mod sync;

pub use error::{Error, Result};
pub use session::Session;
