//! Export for the bureau and the integrity check: reads the workspace only, never writes it;
//! the exported file goes through [`Session::write_export`].

use std::path::Path;

use super::Session;
use crate::error::{Error, Problem, Result};
use crate::io::geojson_out::{self, ExportFilter};
use crate::io::output::{OutputRules, write_output};
use crate::model::LayerRole;
use crate::store;

impl Session {
    /// The plan features matching the filter as an RFC 7946 FeatureCollection, and how many.
    pub fn export_geojson(&self, filter: &ExportFilter) -> Result<(String, usize)> {
        if let Some(street) = &filter.street {
            let known = self
                .layer_with_role(LayerRole::Streets)
                .is_some_and(|i| self.layers[i].features.iter().any(|f| &f.name == street));
            if !known {
                return Err(Error::request(Problem::UnknownStreet {
                    street: street.clone(),
                }));
            }
        }
        if let Some(element) = &filter.element
            && self.catalog.find(element).is_none()
        {
            return Err(Error::request(Problem::UnknownElementType {
                element: element.clone(),
            }));
        }
        Ok(geojson_out::feature_collection(
            self.counted_plan(filter.alternatives),
            self.catalog(),
            self.projects(),
            filter,
        ))
    }

    /// Writes an export's `bytes` to the file the user named, atomically, never over this
    /// workspace (however `path` spells it) or any other SQLite database, and over another
    /// existing file only when `replace` (`--force`, or confirmed in the window): see
    /// [`crate::io::output`]. Every file Linli writes where the user said goes through here.
    ///
    /// # Errors
    /// [`Problem::OutputIsWorkspace`], [`Problem::OutputIsDatabase`],
    /// [`Problem::OutputExists`] naming `path`, or the file system's error.
    pub fn write_export(&self, path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
        write_output(
            path,
            bytes,
            OutputRules {
                workspace: Some(self.path()),
                replace,
            },
        )
    }

    /// Integrity problems of the workspace; empty when sound.
    pub fn check(&self) -> Result<Vec<crate::error::Problem>> {
        store::check(&self.store)
    }
}
