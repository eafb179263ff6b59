//! The domain model: layers of features, plan features, projects and their workflows.
//!
//! Coordinates are WGS84 lon/lat `f64` in RFC 7946 order everywhere in the model; the
//! workspace stores them as they are and only the map projects them, to draw.

pub mod alternative;
pub mod attachment;
pub mod catalog;
pub mod change;
mod check;
pub mod input;
pub mod local_time;
pub mod meeting;
pub mod people;
pub mod project;
pub mod provenance;
mod record;
pub mod setting;
pub mod sync;
pub mod workflow;

pub use change::{Changeset, Record, RecordKind};
pub use project::Project;
pub use record::RecordId;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::model::catalog::GeometryKind;

/// Properties of a feature, in the order they came in.
pub type Properties = Map<String, Value>;

/// What a layer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerRole {
    /// Street and town boundaries (街道/镇). At most one per workspace.
    Streets,
    /// Community boundaries (居委/村). At most one per workspace.
    Communities,
    /// Any other layer, shown for reference.
    Reference,
    /// The planner's own features (规划要素), each of an element type.
    Plan,
}

impl LayerRole {
    /// The key used on the command line and in the workspace.
    pub fn key(self) -> &'static str {
        match self {
            Self::Streets => "streets",
            Self::Communities => "communities",
            Self::Reference => "reference",
            Self::Plan => "plan",
        }
    }

    /// Parses [`LayerRole::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        [
            Self::Streets,
            Self::Communities,
            Self::Reference,
            Self::Plan,
        ]
        .into_iter()
        .find(|r| r.key() == key)
    }
}

/// A feature of any layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Stable identity, kept across edits, exports and imports.
    pub id: Uuid,
    /// Display name (a street's 陆家嘴街道, a garden's name); may be empty.
    pub name: String,
    /// WGS84 lon/lat geometry.
    pub geometry: geo::Geometry<f64>,
    /// Every property the source had, unchanged (Chinese keys and values included).
    pub properties: Properties,
}

/// A reference, street or community layer: held in memory (boundaries, and any layer being
/// imported), or [`stored`](Layer::stored) in the workspace file (reference layers, which may
/// hold millions of features).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// The layer's name, which is also its table name in the workspace (may be Chinese).
    pub name: String,
    /// What the layer is for.
    pub role: LayerRole,
    /// The features, in workspace order; empty when the layer is [`stored`](Layer::stored).
    pub features: Vec<Feature>,
    /// `Some` when the features stay in the workspace file: the map and the queries read them
    /// through the file's R-tree and pyramid, never the whole layer at once.
    pub stored: Option<StoredLayer>,
}

/// What is known of a layer whose features stay in the workspace file.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLayer {
    /// Number of features.
    pub feature_count: u64,
    /// Extent `[min_lon, min_lat, max_lon, max_lat]`, `None` when empty.
    pub bbox: Option<[f64; 4]>,
    /// GeoPackage geometry type name (`MULTIPOLYGON`, `GEOMETRY`…).
    pub geometry_type: String,
}

impl Layer {
    /// A layer held in memory.
    pub fn resident(name: impl Into<String>, role: LayerRole, features: Vec<Feature>) -> Layer {
        Layer {
            name: name.into(),
            role,
            features,
            stored: None,
        }
    }

    /// How many features it has, wherever they are.
    pub fn feature_count(&self) -> u64 {
        self.stored
            .as_ref()
            .map_or(self.features.len() as u64, |s| s.feature_count)
    }
}

/// A planner's proposal on the map: a feature of an element type, maybe linked to a project.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFeature {
    /// The geometry, name, id and free properties.
    pub feature: Feature,
    /// Key of the element type in the catalog.
    pub element: String,
    /// Code of the project this feature belongs to, if any.
    pub project: Option<String>,
    /// The design alternative it belongs to, if any (see [`alternative`]): the features of a
    /// candidate or archived alternative are not the project's plan.
    pub alternative: Option<uuid::Uuid>,
    /// Street (街道/镇) containing the feature, derived from its geometry.
    pub street: Option<String>,
    /// Community (居委/村) containing the feature, derived from its geometry.
    pub community: Option<String>,
}

impl PlanFeature {
    /// Point, line or polygon.
    pub fn kind(&self) -> Option<GeometryKind> {
        GeometryKind::of(&self.feature.geometry)
    }
}

/// The plan features that changed between two revisions, by slot: the position in the plan as
/// the session holds it (`Session::plan`). A deleted feature's slot is taken by the last
/// feature, so a deletion lists the hole and the plan's new length; every slot listed holds its
/// new content (or is at or past `len`, when the plan shrank). Plain data here, below both the
/// session that reports it and the map (`render`) that updates only those slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChanges {
    /// Slots whose feature was added, changed or replaced, ascending.
    pub slots: std::collections::BTreeSet<usize>,
    /// The plan's length now.
    pub len: usize,
}

/// The programmes a project's `programme` names (缤纷社区 Pudong's vibrant communities, 童悦空间
/// child-friendly spaces), written as that column's coded values, so QGIS offers them as a
/// drop-down (a project in several programmes joins them with 、, which QGIS shows as typed).
pub const PROGRAMMES: &[&str] = &["缤纷社区", "童悦空间"];

/// A multi-geometry of one member read from a plan table becomes that member again: the
/// tables are declared MULTI* for the GeoPackage spec, the planner drew a single shape.
pub fn collapse_single(geometry: geo::Geometry<f64>) -> geo::Geometry<f64> {
    use geo::Geometry as G;
    match geometry {
        G::MultiPoint(mut m) if m.0.len() == 1 => m.0.pop().map_or(G::MultiPoint(m), G::Point),
        G::MultiLineString(mut m) if m.0.len() == 1 => {
            m.0.pop().map_or(G::MultiLineString(m), G::LineString)
        }
        G::MultiPolygon(mut m) if m.0.len() == 1 => {
            m.0.pop().map_or(G::MultiPolygon(m), G::Polygon)
        }
        other => other,
    }
}
