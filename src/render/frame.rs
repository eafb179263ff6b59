//! What one frame of the map shows: the input of the scene builder and of label placement.

use crate::render::data::MapData;
use crate::render::layers::LayerStyle;
use crate::render::projection::MapView;
use crate::render::screen::ScreenRect;
use crate::render::style::Palette;

/// What one frame of the map shows.
#[derive(Debug, Clone, Copy)]
pub struct SceneInput<'a> {
    /// The data.
    pub data: &'a MapData,
    /// One style per layer of `data`.
    pub styles: &'a [LayerStyle],
    /// Drawing order, bottom first (indices into `data.layers`).
    pub order: &'a [usize],
    /// The view.
    pub view: MapView,
    /// Where the map is on screen.
    pub rect: ScreenRect,
    /// The colours and sizes: the window's, or a projector's (presentation mode).
    pub palette: Palette,
}
