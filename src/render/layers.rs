//! Layer identity and style: what the layers panel edits and the settings keep between runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::LayerRole;

use crate::render::style;

/// A layer's stable identity: workspace layers by name, the plan layer by itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LayerId {
    /// The plan features.
    Plan,
    /// A workspace layer (streets, communities, reference) by its name.
    Named(String),
}

/// How one layer is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    /// Drawn at all.
    pub visible: bool,
    /// 0 (invisible) ..= 1.
    pub opacity: f32,
    /// Fill colour, RGBA not premultiplied (unused by the plan layer: its colours are the
    /// element types').
    pub fill: [u8; 4],
    /// Outline colour, RGBA.
    pub stroke: [u8; 4],
    /// Outline width.
    ///
    /// # Units
    /// Points.
    pub stroke_width: f32,
    /// Names shown.
    pub labels: bool,
    /// Each feature filled in its own soft colour (streets), instead of one colour.
    pub vary_fill: bool,
    /// The plan layer only: how the features of design alternatives that are not the plan
    /// (candidates, archived ones: the map data's `outside_plan`) are drawn.
    pub alternatives: AlternativesShown,
}

/// How the plan layer draws the features of alternatives that are not the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlternativesShown {
    /// Not drawn: the map shows the plan.
    #[default]
    Hidden,
    /// Drawn muted and dashed under the plan ("show alternatives").
    Muted,
    /// Only this alternative's, drawn as the plan is (a comparison canvas).
    Only(uuid::Uuid),
}

impl AlternativesShown {
    /// Whether a feature of alternative `alternative`, which is not the plan, is drawn, and
    /// if so whether muted.
    pub fn draws(self, alternative: uuid::Uuid) -> Option<bool> {
        match self {
            Self::Hidden => None,
            Self::Muted => Some(true),
            Self::Only(a) => (a == alternative).then_some(false),
        }
    }
}

impl Default for LayerStyle {
    fn default() -> Self {
        Self::for_role(LayerRole::Reference)
    }
}

impl LayerStyle {
    /// The default style of a layer with this role.
    pub fn for_role(role: LayerRole) -> Self {
        let base = Self {
            visible: true,
            opacity: 1.0,
            fill: style::REFERENCE_FILL,
            stroke: style::REFERENCE_STROKE,
            stroke_width: style::REFERENCE_STROKE_WIDTH,
            labels: false,
            vary_fill: false,
            alternatives: AlternativesShown::Hidden,
        };
        match role {
            LayerRole::Streets => Self {
                fill: style::STREETS_FILL,
                stroke: style::STREETS_STROKE,
                stroke_width: style::STREETS_STROKE_WIDTH,
                labels: true,
                vary_fill: true,
                ..base
            },
            LayerRole::Communities => Self {
                fill: style::COMMUNITIES_FILL,
                stroke: style::COMMUNITIES_STROKE,
                stroke_width: style::COMMUNITIES_STROKE_WIDTH,
                labels: true,
                ..base
            },
            LayerRole::Plan => Self {
                stroke_width: style::PLAN_STROKE_WIDTH,
                labels: true,
                ..base
            },
            LayerRole::Reference => base,
        }
    }
}

/// The layers' styles and order as kept between runs (by layer identity, so a workspace whose
/// layers changed still gets the styles of those it kept).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerPrefs {
    /// Style per layer.
    pub styles: BTreeMap<String, LayerStyle>,
    /// Drawing order, bottom first, by key.
    pub order: Vec<String>,
}

impl LayerId {
    /// The key under which its preferences are kept.
    pub fn key(&self) -> String {
        match self {
            Self::Plan => "plan:".to_string(),
            Self::Named(name) => format!("layer:{name}"),
        }
    }
}

/// What decides a layer's default place: its role, and whether it is all polygons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderKey {
    /// The layer's role.
    pub role: LayerRole,
    /// True when every feature is a polygon (filled areas go under points and lines).
    pub areal: bool,
}

/// The default drawing order (bottom first): reference areas, then streets, communities,
/// reference points and lines (which fills would hide), and the plan on top.
pub fn default_order(layers: &[OrderKey]) -> Vec<usize> {
    let rank = |k: OrderKey| match (k.role, k.areal) {
        (LayerRole::Reference, true) => 0,
        (LayerRole::Streets, _) => 1,
        (LayerRole::Communities, _) => 2,
        (LayerRole::Reference, false) => 3,
        (LayerRole::Plan, _) => 4,
    };
    let mut order: Vec<usize> = (0..layers.len()).collect();
    order.sort_by_key(|&i| (rank(layers[i]), i));
    order
}

/// The drawing order from saved keys: saved layers keep their saved places, new ones go where
/// the default order puts them.
pub fn order_from_keys(keys: &[String], saved: &[String], roles: &[OrderKey]) -> Vec<usize> {
    let mut order: Vec<usize> = saved
        .iter()
        .filter_map(|k| keys.iter().position(|x| x == k))
        .collect();
    order.dedup();
    for i in default_order(roles) {
        if !order.contains(&i) {
            let at = order.iter().position(|&j| {
                default_order(roles).iter().position(|&x| x == j)
                    > default_order(roles).iter().position(|&x| x == i)
            });
            match at {
                Some(at) => order.insert(at, i),
                None => order.push(i),
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_on_top_and_saved_order_kept() {
        let key = |role, areal| OrderKey { role, areal };
        let roles = [
            key(LayerRole::Reference, true),
            key(LayerRole::Streets, true),
            key(LayerRole::Communities, true),
            key(LayerRole::Plan, false),
        ];
        assert_eq!(default_order(&roles), vec![0, 1, 2, 3]);
        // Reference points go above the boundaries' fills, under the plan.
        let with_points = [
            roles[0],
            roles[1],
            roles[2],
            roles[3],
            key(LayerRole::Reference, false),
        ];
        assert_eq!(default_order(&with_points), vec![0, 1, 2, 4, 3]);
        let keys: Vec<String> = ["a", "b", "c", "p"].iter().map(|s| s.to_string()).collect();
        let saved: Vec<String> = ["c", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(order_from_keys(&keys, &saved, &roles), vec![0, 2, 1, 3]);
    }
}
