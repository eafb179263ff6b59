//! One layer of the map as the scene draws it: its features' cached geometry, names and (for
//! the plan) looks. A session layer, the plan, or one tile of a stored layer is one of these.

use crate::model::catalog::GeometryKind;
use crate::model::{LayerRole, StoredLayer};
use crate::render::geometry::LayerGeom;
use crate::render::layers::{LayerId, OrderKey};
use crate::render::symbols::Symbol;

/// How a plan feature looks: its element type's colour and symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLook {
    /// Element colour.
    pub rgb: [u8; 3],
    /// Symbol for points and small polygons.
    pub symbol: Symbol,
    /// Dashed line.
    pub dashed: bool,
    /// The design alternative the feature belongs to, if any.
    pub alternative: Option<uuid::Uuid>,
}

/// One layer of the map: the cache plus what the map needs to know about its features.
#[derive(Debug)]
pub struct MapLayer {
    /// Stable identity (for styles kept between runs).
    pub id: LayerId,
    /// The name the workspace gives it (Chinese); the plan layer's comes from the i18n table.
    pub name: String,
    /// What it is for.
    pub role: LayerRole,
    /// Feature names (labels).
    pub names: Vec<String>,
    /// For the plan layer, each feature's look.
    pub plan_looks: Vec<PlanLook>,
    /// The cache (empty for a stored layer: its features are drawn from [`MapData::tiles`]).
    pub geom: LayerGeom,
    /// `Some` when the layer stays in the workspace file and is drawn tile by tile.
    pub stored: Option<StoredLayer>,
}

impl MapLayer {
    /// What decides its default place in the drawing order.
    pub fn order_key(&self) -> OrderKey {
        let merc = &self.geom.merc;
        if let Some(stored) = &self.stored {
            return OrderKey {
                role: self.role,
                areal: stored.geometry_type.contains("POLYGON"),
            };
        }
        OrderKey {
            role: self.role,
            areal: !merc.is_empty()
                && merc
                    .iter()
                    .all(|g| GeometryKind::of(g) == Some(GeometryKind::Polygon)),
        }
    }
}
