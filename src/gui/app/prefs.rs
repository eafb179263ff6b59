//! What the window keeps between runs (eframe storage): every struct is `#[serde(default)]`,
//! so settings written by an older version still load.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

use crate::gui::map::basemap::BasemapPrefs;
use crate::render::layers::LayerPrefs;
use crate::render::projection::MapView;

/// What is kept between runs (eframe storage). New fields need `#[serde(default)]` values so
/// older settings still load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Interface language.
    pub lang: Lang,
    /// The last view …
    pub view: Option<MapView>,
    /// … of this workspace (another workspace starts on its own extent).
    pub view_workspace: Option<PathBuf>,
    /// Layer styles and order.
    pub layers: LayerPrefs,
    /// The basemap.
    pub basemap: BasemapPrefs,
    /// Editing settings.
    pub edit: EditPrefs,
}

/// Editing settings kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditPrefs {
    /// Snapping on (the default).
    pub snap: bool,
}

impl Default for EditPrefs {
    fn default() -> Self {
        Self { snap: true }
    }
}
