//! Export for the bureau and the integrity check: reads only, never writes.

use super::Session;
use crate::error::{Error, Result};
use crate::io::geojson_out::{self, ExportFilter};
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
                return Err(Error::Invalid(format!(
                    "no street named {street:?} in the workspace's streets layer"
                )));
            }
        }
        if let Some(element) = &filter.element
            && self.catalog.find(element).is_none()
        {
            return Err(Error::Invalid(format!(
                "element type {element:?} is not in the catalog"
            )));
        }
        Ok(geojson_out::feature_collection(
            self.plan(),
            self.catalog(),
            self.projects(),
            filter,
        ))
    }

    /// Integrity problems of the workspace; empty when sound.
    pub fn check(&self) -> Result<Vec<String>> {
        store::check(&self.store)
    }
}
