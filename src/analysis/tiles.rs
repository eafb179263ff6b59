//! What a tile of a stored reference layer holds, and [`TileSource`], the trait the map's tile
//! loader reads tiles through. The store builds and reads the pyramid (`store::pyramid`, whose
//! `TileReader` implements the trait); the map (`render::tiles`) draws what it gives. Both
//! sides meet here, on [`TileId`]s of the Web [`mercator`](super::mercator) grid, so the map
//! knows nothing of the store and the store nothing of the map.

use super::mercator::TileId;
use crate::error::Result;

/// Cells across an overview tile's density grid.
pub const DENSITY_CELLS: usize = 128;
/// Points across a tile as the map shows it, at most (a tile is drawn 256–512 points wide).
pub const TILE_POINTS: f64 = 512.0;
/// The finest detail zoom (tiles of about 300 m).
pub const FINEST_DETAIL_ZOOM: u8 = 17;

/// The zooms of a layer's pyramid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyramidInfo {
    /// The zoom at which the whole layer fits one tile (coarser views use it too).
    pub min_zoom: u8,
    /// The zoom from which tiles are read from the layer itself.
    pub detail_zoom: u8,
    /// Features when it was built.
    pub features: u64,
}

/// One feature of a tile: its row id, name and geometry (WGS84).
#[derive(Debug, Clone, PartialEq)]
pub struct TileFeature {
    /// The row's `fid`.
    pub fid: i64,
    /// Its name (may be empty).
    pub name: String,
    /// Its geometry.
    pub geometry: geo::Geometry<f64>,
}

/// An overview tile as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverviewTile {
    /// Feature centres in the tile.
    pub count: u64,
    /// Feature centres per cell, [`DENSITY_CELLS`]² row by row from the **north-west**
    /// (image order), saturating at `u16::MAX`.
    pub density: Vec<u16>,
    /// The outlines worth drawing at this zoom, simplified.
    pub features: Vec<TileFeature>,
}

/// Where the map's loader thread reads a stored layer's tiles from (the workspace's pyramid
/// and R-trees, in the application). It is moved to that thread, so it is `Send`.
///
/// ```
/// use linli::analysis::mercator::TileId;
/// use linli::analysis::tiles::{OverviewTile, PyramidInfo, TileFeature, TileSource};
///
/// /// A layer with nothing in it.
/// struct Empty;
/// impl TileSource for Empty {
///     fn info(&self, _: &str) -> linli::error::Result<Option<PyramidInfo>> {
///         Ok(None)
///     }
///     fn overview(&self, _: &str, _: TileId) -> linli::error::Result<OverviewTile> {
///         Ok(OverviewTile::default())
///     }
///     fn detail(&self, _: &str, _: TileId, _: u8) -> linli::error::Result<Vec<TileFeature>> {
///         Ok(Vec::new())
///     }
///     fn oversized(&self, _: &str) -> linli::error::Result<Vec<TileFeature>> {
///         Ok(Vec::new())
///     }
/// }
/// assert_eq!(Empty.overview("建筑", TileId { z: 3, x: 6, y: 4 }).unwrap().count, 0);
/// ```
pub trait TileSource: Send {
    /// The zooms of a layer's pyramid; `None` when it has none (the layer is then read at
    /// [`FINEST_DETAIL_ZOOM`]).
    fn info(&self, layer: &str) -> Result<Option<PyramidInfo>>;
    /// An overview tile; an empty one where the layer has no feature.
    fn overview(&self, layer: &str, tile: TileId) -> Result<OverviewTile>;
    /// The features whose centre lies in a detail tile (the oversized ones excepted).
    fn detail(&self, layer: &str, tile: TileId, detail_zoom: u8) -> Result<Vec<TileFeature>>;
    /// The features wider than half a detail tile, whole.
    fn oversized(&self, layer: &str) -> Result<Vec<TileFeature>>;
}
