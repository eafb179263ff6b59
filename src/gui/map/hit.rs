//! Which feature is under the pointer: the R-tree narrows to the boxes near it, then geo
//! decides exactly (inside a polygon; within a tolerance of a line or point, in points).
//! Layers are tried from the top of the drawing order down.

use egui::Pos2;
use geo::{Contains, Distance, Euclidean};

use crate::render::data::MapData;
use crate::render::geometry::{DrawKind, LayerGeom};
use crate::render::layers::LayerStyle;
use crate::render::projection::{MercBox, ScreenTransform};

/// A feature of the map: layer index into [`MapData::layers`] and feature index in it — for a
/// stored layer (drawn from the file tile by tile), the feature's row id (`fid`) instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeatureRef {
    /// Index of the layer.
    pub layer: usize,
    /// Index of the feature in the layer; its row id in a stored layer.
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
        if layer.stored.is_some() {
            // The tiles drawn here: the feature under the pointer is in one of them.
            let parts = data.parts_in_view(li, &probe, 1.0 / t.points_per_m());
            let best = parts
                .iter()
                .filter_map(|part| {
                    let (d, a, fi) = best_in(&part.layer.geom, &probe, &point, tolerance_m)?;
                    Some((d, a, *part.fids.get(fi)?))
                })
                .min_by(|x, y| {
                    (x.0, x.1, x.2)
                        .partial_cmp(&(y.0, y.1, y.2))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            if let Some((_, _, fid)) = best
                && let Ok(feature) = usize::try_from(fid)
            {
                return Some(FeatureRef { layer: li, feature });
            }
            continue;
        }
        if let Some((_, _, feature)) = best_in(&layer.geom, &probe, &point, tolerance_m) {
            return Some(FeatureRef { layer: li, feature });
        }
    }
    None
}

/// The feature of `geom` nearest the point within the tolerance — among polygons containing
/// it, the smallest (a garden inside a square both drawn in one layer): (distance, box area,
/// index).
fn best_in(
    geom: &LayerGeom,
    probe: &MercBox,
    point: &geo::Point<f64>,
    tolerance_m: f64,
) -> Option<(f64, f64, usize)> {
    let mut best: Option<(f64, f64, usize)> = None;
    for fi in geom.in_box(probe) {
        let (Some(f), Some(shape)) = (geom.features.get(fi), geom.merc.get(fi)) else {
            continue;
        };
        let distance = match f.kind {
            DrawKind::Polygon => {
                if shape.contains(point) {
                    0.0
                } else if f.bbox.width().max(f.bbox.height()) < tolerance_m {
                    // Too small to aim at: count it as a point.
                    Euclidean.distance(point, shape)
                } else {
                    continue;
                }
            }
            DrawKind::Line | DrawKind::Point => Euclidean.distance(point, shape),
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
    best
}
