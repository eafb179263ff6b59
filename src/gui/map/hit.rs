//! Which feature is under the pointer: the R-tree narrows to the boxes near it, then geo
//! decides exactly (inside a polygon; within a tolerance of a line or point, in points).
//! Layers are tried from the top of the drawing order down.

use egui::Pos2;
use geo::{Contains, Distance, Euclidean};

use crate::render::data::MapData;
use crate::render::geometry::DrawKind;
use crate::render::layers::LayerStyle;
use crate::render::projection::{MercBox, ScreenTransform};

/// A feature of the map: layer index into [`MapData::layers`] and feature index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeatureRef {
    /// Index of the layer.
    pub layer: usize,
    /// Index of the feature in the layer.
    pub feature: usize,
}

/// The topmost visible feature at `pos`, lines and points within `tolerance_px`.
pub fn hit_test(
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
    t: &ScreenTransform,
    pos: Pos2,
    tolerance_px: f32,
) -> Option<FeatureRef> {
    let p = t.merc_from_screen(pos);
    let tolerance_m = f64::from(tolerance_px) / t.points_per_m();
    let probe = MercBox { min: p, max: p }.expanded(tolerance_m);
    let point = geo::Point::new(p[0], p[1]);
    for &li in order.iter().rev() {
        if !styles.get(li).is_some_and(|s| s.visible && s.opacity > 0.0) {
            continue;
        }
        let Some(layer) = data.layers.get(li) else {
            continue;
        };
        let geom = &layer.geom;
        // Nearest first; among polygons containing the point, the smallest (a garden inside a
        // square both drawn in one layer).
        let mut best: Option<(f64, f64, usize)> = None;
        for fi in geom.in_box(&probe) {
            let (Some(f), Some(shape)) = (geom.features.get(fi), geom.merc.get(fi)) else {
                continue;
            };
            let distance = match f.kind {
                DrawKind::Polygon => {
                    if shape.contains(&point) {
                        0.0
                    } else if f.bbox.width().max(f.bbox.height()) < tolerance_m {
                        // Too small to aim at: count it as a point.
                        Euclidean.distance(&point, shape)
                    } else {
                        continue;
                    }
                }
                DrawKind::Line | DrawKind::Point => Euclidean.distance(&point, shape),
                DrawKind::Empty => continue,
            };
            if distance > tolerance_m {
                continue;
            }
            let area = f.bbox.width() * f.bbox.height();
            let better = best.is_none_or(|(d, a, i)| (distance, area, fi) < (d, a, i));
            if better {
                best = Some((distance, area, fi));
            }
        }
        if let Some((_, _, feature)) = best {
            return Some(FeatureRef { layer: li, feature });
        }
    }
    None
}
