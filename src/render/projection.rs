//! Web Mercator (EPSG:3857) maths and the map view. Everything is `f64` in Mercator metres
//! until [`ScreenTransform::screen_from_merc`] hands an `f32` screen position to the scene.
//! Screen arguments take anything that converts into the [`screen`](crate::render::screen)
//! types, so the window passes its own.

use crate::render::screen::{ScreenPos, ScreenRect, ScreenVec, screen_pos};
use serde::{Deserialize, Serialize};

pub use crate::analysis::mercator::{
    EARTH_RADIUS_M, MAX_LAT, lon_lat_from_merc, merc_from_lon_lat,
};
/// Closest zoom: Mercator metres per point.
pub const MIN_M_PER_POINT: f64 = 0.02;
/// Farthest zoom: Mercator metres per point.
pub const MAX_M_PER_POINT: f64 = 20_000.0;

/// Ground metres in one Mercator metre at a latitude (Mercator stretches by 1/cos φ).
pub fn ground_m_per_merc_m(lat: f64) -> f64 {
    lat.to_radians().cos()
}

/// An axis-aligned box in Mercator metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MercBox {
    /// South-west corner.
    pub min: [f64; 2],
    /// North-east corner.
    pub max: [f64; 2],
}

impl MercBox {
    /// The box of a set of points; `None` when empty.
    pub fn of_points(points: impl IntoIterator<Item = [f64; 2]>) -> Option<Self> {
        let mut it = points.into_iter();
        let first = it.next()?;
        Some(it.fold(
            Self {
                min: first,
                max: first,
            },
            |b, p| b.with_point(p),
        ))
    }

    /// The box grown to hold `p`.
    pub fn with_point(self, p: [f64; 2]) -> Self {
        Self {
            min: [self.min[0].min(p[0]), self.min[1].min(p[1])],
            max: [self.max[0].max(p[0]), self.max[1].max(p[1])],
        }
    }

    /// The smallest box holding both.
    pub fn union(self, o: Self) -> Self {
        self.with_point(o.min).with_point(o.max)
    }

    /// Width (x extent).
    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    /// Height (y extent).
    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }

    /// The centre.
    pub fn center(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    /// The box grown by `d` on every side.
    pub fn expanded(&self, d: f64) -> Self {
        Self {
            min: [self.min[0] - d, self.min[1] - d],
            max: [self.max[0] + d, self.max[1] + d],
        }
    }

    /// True when the boxes overlap or touch.
    pub fn intersects(&self, o: &Self) -> bool {
        self.min[0] <= o.max[0]
            && o.min[0] <= self.max[0]
            && self.min[1] <= o.max[1]
            && o.min[1] <= self.max[1]
    }

    /// True when `o` lies wholly inside.
    pub fn contains_box(&self, o: &Self) -> bool {
        self.min[0] <= o.min[0]
            && self.min[1] <= o.min[1]
            && o.max[0] <= self.max[0]
            && o.max[1] <= self.max[1]
    }
}

/// What part of the world the map shows: a centre and a zoom. Kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapView {
    /// Longitude of the map's centre, degrees.
    pub center_lon: f64,
    /// Latitude of the map's centre, degrees.
    pub center_lat: f64,
    /// Zoom.
    ///
    /// # Units
    /// Mercator metres per point (logical pixel).
    pub m_per_point: f64,
}

impl Default for MapView {
    fn default() -> Self {
        // Pudong, whole district.
        Self {
            center_lon: 121.65,
            center_lat: 31.15,
            m_per_point: 60.0,
        }
    }
}

impl MapView {
    /// The view showing `area` whole inside a `size` map with `margin_px` to spare.
    pub fn fit(area: MercBox, size: impl Into<ScreenVec>, margin_px: f32) -> Self {
        let size = size.into();
        let w = f64::from((size.x - 2.0 * margin_px).max(16.0));
        let h = f64::from((size.y - 2.0 * margin_px).max(16.0));
        let m_per_point = (area.width() / w)
            .max(area.height() / h)
            .clamp(MIN_M_PER_POINT, MAX_M_PER_POINT);
        let (center_lon, center_lat) = lon_lat_from_merc(area.center());
        Self {
            center_lon,
            center_lat,
            m_per_point: if m_per_point.is_finite() {
                m_per_point
            } else {
                1.0
            },
        }
    }

    /// The transform for a map drawn in `rect`.
    pub fn transform(&self, rect: impl Into<ScreenRect>) -> ScreenTransform {
        ScreenTransform::new(
            merc_from_lon_lat(self.center_lon, self.center_lat),
            rect,
            self.m_per_point,
        )
    }

    /// The view zoomed by `factor` (> 1 zooms in) keeping the world point under `anchor` still.
    pub fn zoomed_around(
        &self,
        factor: f64,
        anchor: impl Into<ScreenPos>,
        rect: impl Into<ScreenRect>,
    ) -> Self {
        let t = self.transform(rect);
        let anchor_merc = t.merc_from_screen(anchor);
        let m_per_point = (self.m_per_point / factor).clamp(MIN_M_PER_POINT, MAX_M_PER_POINT);
        let center = t.center_merc;
        let applied = self.m_per_point / m_per_point;
        let new_center = [
            anchor_merc[0] + (center[0] - anchor_merc[0]) / applied,
            anchor_merc[1] + (center[1] - anchor_merc[1]) / applied,
        ];
        let (center_lon, center_lat) = lon_lat_from_merc(new_center);
        Self {
            center_lon,
            center_lat,
            m_per_point,
        }
    }

    /// The view moved so the map follows a pointer that moved by `delta` points.
    pub fn panned(&self, delta: impl Into<ScreenVec>) -> Self {
        let delta = delta.into();
        let c = merc_from_lon_lat(self.center_lon, self.center_lat);
        let c = [
            c[0] - f64::from(delta.x) * self.m_per_point,
            c[1] + f64::from(delta.y) * self.m_per_point,
        ];
        let (center_lon, center_lat) = lon_lat_from_merc(c);
        Self {
            center_lon,
            center_lat: center_lat.clamp(-80.0, 80.0),
            m_per_point: self.m_per_point,
        }
    }

    /// The same view with any bad number (from an old or edited settings file) replaced.
    pub fn sanitised(self) -> Self {
        let ok = self.center_lon.is_finite()
            && self.center_lat.is_finite()
            && self.m_per_point.is_finite()
            && self.center_lon.abs() <= 180.0
            && self.center_lat.abs() <= 80.0;
        if ok {
            Self {
                m_per_point: self.m_per_point.clamp(MIN_M_PER_POINT, MAX_M_PER_POINT),
                ..self
            }
        } else {
            Self::default()
        }
    }

    /// Ground metres per point at the view's centre.
    pub fn ground_m_per_point(&self) -> f64 {
        self.m_per_point * ground_m_per_merc_m(self.center_lat)
    }

    /// The view as a bookmark: its centre and its Web Mercator zoom level (256-point tiles).
    pub fn bookmark(&self) -> crate::model::meeting::MapBookmark {
        crate::model::meeting::MapBookmark {
            lon: self.center_lon,
            lat: self.center_lat,
            zoom: (crate::analysis::mercator::WORLD_M / 256.0 / self.m_per_point).log2(),
        }
    }

    /// The view a bookmark describes (sanitised).
    pub fn of_bookmark(b: &crate::model::meeting::MapBookmark) -> Self {
        Self {
            center_lon: b.lon,
            center_lat: b.lat,
            m_per_point: crate::analysis::mercator::WORLD_M / 256.0 / b.zoom.exp2(),
        }
        .sanitised()
    }
}

/// Maps Mercator metres to screen points for one frame (a scale, a y flip and a shift).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenTransform {
    center_merc: [f64; 2],
    points_per_m: f64,
    // screen = (x * k + bx, -y * k + by)
    bx: f64,
    by: f64,
}

impl ScreenTransform {
    /// A transform putting `center_merc` at the centre of `rect` at `m_per_point`.
    pub fn new(center_merc: [f64; 2], rect: impl Into<ScreenRect>, m_per_point: f64) -> Self {
        let k = 1.0 / m_per_point;
        let c = rect.into().center();
        Self {
            center_merc,
            points_per_m: k,
            bx: f64::from(c.x) - center_merc[0] * k,
            by: f64::from(c.y) + center_merc[1] * k,
        }
    }

    /// Screen position of a Mercator point.
    #[inline(always)]
    pub fn screen_from_merc(&self, p: [f64; 2]) -> ScreenPos {
        screen_pos(
            (p[0] * self.points_per_m + self.bx) as f32,
            (self.by - p[1] * self.points_per_m) as f32,
        )
    }

    /// Mercator point under a screen position.
    pub fn merc_from_screen(&self, pos: impl Into<ScreenPos>) -> [f64; 2] {
        let pos = pos.into();
        [
            (f64::from(pos.x) - self.bx) / self.points_per_m,
            (self.by - f64::from(pos.y)) / self.points_per_m,
        ]
    }

    /// Screen points per Mercator metre.
    pub fn points_per_m(&self) -> f64 {
        self.points_per_m
    }

    /// The Mercator box a screen rectangle shows.
    pub fn merc_box_of(&self, rect: impl Into<ScreenRect>) -> MercBox {
        let rect = rect.into();
        let a = self.merc_from_screen(rect.left_top());
        let b = self.merc_from_screen(rect.right_bottom());
        MercBox {
            min: [a[0].min(b[0]), a[1].min(b[1])],
            max: [a[0].max(b[0]), a[1].max(b[1])],
        }
    }

    /// The screen rectangle of a Mercator box.
    pub fn screen_rect_of(&self, b: &MercBox) -> ScreenRect {
        ScreenRect::from_two_pos(self.screen_from_merc(b.min), self.screen_from_merc(b.max))
    }
}

/// The scale bar's length: the longest 1, 2 or 5 × 10ⁿ metres that fits `max_px`.
///
/// # Units
/// Returns (ground metres, points).
pub fn scale_bar_length(ground_m_per_point: f64, max_px: f32) -> (f64, f32) {
    let max_m = ground_m_per_point * f64::from(max_px);
    let power = 10f64.powf(max_m.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * power)
        .find(|&m| m <= max_m)
        .unwrap_or(power);
    (nice, (nice / ground_m_per_point) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::screen::screen_vec;

    #[test]
    fn mercator_round_trips() {
        let p = merc_from_lon_lat(121.5, 31.2);
        let (lon, lat) = lon_lat_from_merc(p);
        assert!((lon - 121.5).abs() < 1e-9 && (lat - 31.2).abs() < 1e-9);
        // EPSG:3857 of (121.5, 31.2).
        assert!((p[0] - 13_525_318.131).abs() < 0.01, "{p:?}");
        assert!((p[1] - 3_658_750.280).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn screen_transform_round_trips_and_flips_y() {
        let rect = ScreenRect::from_min_size(screen_pos(100.0, 50.0), screen_vec(800.0, 600.0));
        let view = MapView::default();
        let t = view.transform(rect);
        let c = merc_from_lon_lat(view.center_lon, view.center_lat);
        let s = t.screen_from_merc(c);
        assert!((s - rect.center()).length() < 1e-3);
        let north = t.screen_from_merc([c[0], c[1] + 600.0]);
        assert!(north.y < s.y, "north is up");
        let back = t.merc_from_screen(screen_pos(123.0, 456.0));
        assert!((t.screen_from_merc(back) - screen_pos(123.0, 456.0)).length() < 1e-3);
    }

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(800.0, 600.0));
        let view = MapView::default();
        let anchor = screen_pos(200.0, 100.0);
        let before = view.transform(rect).merc_from_screen(anchor);
        let zoomed = view.zoomed_around(2.0, anchor, rect);
        assert!((zoomed.m_per_point - view.m_per_point / 2.0).abs() < 1e-9);
        let after = zoomed.transform(rect).merc_from_screen(anchor);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
    }

    #[test]
    fn fit_shows_the_whole_box() {
        let b = MercBox {
            min: merc_from_lon_lat(121.45, 30.85),
            max: merc_from_lon_lat(121.95, 31.40),
        };
        let size = screen_vec(1000.0, 800.0);
        let view = MapView::fit(b, size, 10.0);
        let rect = ScreenRect::from_min_size(ScreenPos::default(), size);
        let shown = view.transform(rect).merc_box_of(rect);
        assert!(shown.contains_box(&b));
    }
}
