//! Siting checks: soft warnings about a plan feature, never blocks. Each cites the guidance it
//! comes from, so a planner can judge it (they are guidance, not law).

use geo::{Intersects, Relate, Validation};

use crate::analysis::index::BoxLonLat;
use crate::analysis::measure;
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Feature, LayerRole, PlanFeature};

/// What the checks need to know of the workspace. The session implements it; analysis stays
/// below the session and knows nothing of how the workspace is held.
pub trait SitingContext {
    /// The element catalog (area ranges per type).
    fn catalog(&self) -> &Catalog;
    /// The features of the street or community layer whose boxes meet `area`, if the
    /// workspace has such a layer.
    fn boundaries_in_box(&self, role: LayerRole, area: BoxLonLat) -> Vec<&Feature>;
    /// True when the workspace has a layer of this role.
    fn has_layer(&self, role: LayerRole) -> bool;
}

/// A soft warning about where or how a plan feature is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A polygon's boundary crosses itself, so its area is not meaningful.
    SelfIntersecting,
    /// The area is outside the element type's recommended range (e.g. pocket parks 400–10,000
    /// m², MOHURD 2022 guide).
    AreaOutOfRange {
        /// The feature's area, m² on the ellipsoid.
        area_m2: f64,
        /// Recommended minimum, m².
        min_m2: Option<f64>,
        /// Recommended maximum, m².
        max_m2: Option<f64>,
    },
    /// The feature crosses a street boundary: more than one street would own it.
    CrossesStreets {
        /// The streets whose interiors it enters, sorted.
        streets: Vec<String>,
    },
    /// The feature lies outside every community boundary.
    OutsideCommunities,
}

/// The warnings for a plan feature, in a stable order.
pub fn warnings(workspace: &impl SitingContext, f: &PlanFeature) -> Vec<Warning> {
    let geometry = &f.feature.geometry;
    let mut out = Vec::new();
    let kind = f.kind();
    if kind == Some(GeometryKind::Polygon) && !geometry.is_valid() {
        out.push(Warning::SelfIntersecting);
    }
    if kind == Some(GeometryKind::Polygon)
        && let Some(element) = workspace.catalog().get(&f.element)
        && (element.min_area_m2.is_some() || element.max_area_m2.is_some())
    {
        let area_m2 = measure::area_m2(geometry);
        let below = element.min_area_m2.is_some_and(|min| area_m2 < min);
        let above = element.max_area_m2.is_some_and(|max| area_m2 > max);
        if below || above {
            out.push(Warning::AreaOutOfRange {
                area_m2,
                min_m2: element.min_area_m2,
                max_m2: element.max_area_m2,
            });
        }
    }
    let Some(area) = BoxLonLat::of(geometry) else {
        return out;
    };
    let mut streets: Vec<String> = workspace
        .boundaries_in_box(LayerRole::Streets, area)
        .into_iter()
        .filter(|s| enters_interior(geometry, &s.geometry))
        .map(|s| s.name.clone())
        .collect();
    streets.sort();
    streets.dedup();
    if streets.len() > 1 {
        out.push(Warning::CrossesStreets { streets });
    }
    let communities = workspace.boundaries_in_box(LayerRole::Communities, area);
    // Only a workspace with a community layer can say a feature lies outside all of them.
    if workspace.has_layer(LayerRole::Communities)
        && !communities.iter().any(|c| c.geometry.intersects(geometry))
    {
        out.push(Warning::OutsideCommunities);
    }
    out
}

/// True when the feature reaches into the boundary polygon's interior — touching its edge (a
/// garden drawn snapped to a street's boundary) does not count.
fn enters_interior(feature: &geo::Geometry<f64>, boundary: &geo::Geometry<f64>) -> bool {
    let matrix = feature.relate(boundary);
    matrix.is_intersects() && !matrix.is_touches()
}
