//! Linli 邻里 — the headless core of a desktop GIS workbench for Shanghai's community planners.
//!
//! Everything a planner's data goes through lives here, with no UI in it: the element
//! [`catalog`], the [`model`] (layers, plan features, projects), [`measure`]s on the ellipsoid,
//! the [`index`] (R-tree) that answers "which street and community", GeoJSON
//! [`import`](geojson_in) and [`export`](geojson_out), the GeoPackage [`store`] and the
//! [`session::Session`] façade that the CLI, the GUI and the tests all drive.
//! The window lives in [`gui`], behind the default `gui` feature.

pub mod catalog;
pub mod cli;
pub mod edit;
pub mod error;
pub mod gcj02;
pub mod geojson_in;
pub mod geojson_out;
#[cfg(feature = "gui")]
pub mod gui;
pub mod i18n;
pub mod index;
pub mod measure;
pub mod model;
pub mod sample;
pub mod session;
pub mod siting;
pub mod sketch;
pub mod snap;
pub mod store;
pub mod synthetic;
pub mod vertex;

pub use error::{Error, Result};
pub use session::Session;
