//! Analysis on the ellipsoid and in space: [`measure`]s (areas and lengths in metres), the
//! [`index`] (R-tree plus exact tests) and the [`siting`] rules, and Web [`mercator`] with its tile grid
//! and what a stored layer's [`tiles`] hold. Depends only on the model.

pub mod coverage;
pub mod index;
pub mod measure;
pub mod mercator;
pub mod siting;
pub mod tiles;
