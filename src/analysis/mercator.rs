//! Web Mercator (EPSG:3857) on the sphere, and the square tile grid over it that the
//! reference-layer pyramid and the map's tile cache share. Plain maths on `f64`; the map view
//! (`render::projection`) builds on it, and the store uses it to lay out the pyramid. It lives
//! here, below both, so that the store and the map agree on one grid without either naming the
//! other; what a tile of that grid holds is the `tiles` module's. Mercator is for drawing only:
//! nothing is stored in it but the pyramid's tile numbers.

/// The sphere radius of Web Mercator.
///
/// # Units
/// Metres.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Web Mercator's latitude limit.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;
/// Width (and height) of the whole Mercator square.
///
/// # Units
/// Mercator metres.
pub const WORLD_M: f64 = 2.0 * std::f64::consts::PI * EARTH_RADIUS_M;
/// The finest tile zoom the grid is used at.
pub const MAX_TILE_ZOOM: u8 = 22;

/// Mercator metres `[x, y]` (y north) of a WGS84 position.
pub fn merc_from_lon_lat(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    [
        EARTH_RADIUS_M * lon.to_radians(),
        EARTH_RADIUS_M * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    ]
}

/// WGS84 `(lon, lat)` of a Mercator position.
pub fn lon_lat_from_merc(p: [f64; 2]) -> (f64, f64) {
    let lon = (p[0] / EARTH_RADIUS_M).to_degrees();
    let lat =
        (2.0 * (p[1] / EARTH_RADIUS_M).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

/// Side of a tile at zoom `z`.
///
/// # Units
/// Mercator metres.
pub fn tile_size_m(z: u8) -> f64 {
    WORLD_M / f64::from(1u32 << z.min(MAX_TILE_ZOOM))
}

/// A square of the tile grid: zoom `z` splits the Mercator square into 2^z × 2^z tiles;
/// `x` counts from the west, `y` from the **south** (Mercator y grows north), both from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom.
    pub z: u8,
    /// Column from the west.
    pub x: u32,
    /// Row from the south.
    pub y: u32,
}

impl TileId {
    /// The tile at zoom `z` holding the Mercator point `p` (clamped into the world).
    pub fn containing(z: u8, p: [f64; 2]) -> TileId {
        let z = z.min(MAX_TILE_ZOOM);
        let n = 1u32 << z;
        let size = tile_size_m(z);
        let index = |v: f64| {
            let i = ((v + WORLD_M / 2.0) / size).floor();
            if i.is_finite() {
                i.clamp(0.0, f64::from(n - 1)) as u32
            } else {
                0
            }
        };
        TileId {
            z,
            x: index(p[0]),
            y: index(p[1]),
        }
    }

    /// The tile's box `[min_x, min_y, max_x, max_y]` in Mercator metres.
    pub fn bounds(&self) -> [f64; 4] {
        let size = tile_size_m(self.z);
        let min_x = f64::from(self.x) * size - WORLD_M / 2.0;
        let min_y = f64::from(self.y) * size - WORLD_M / 2.0;
        [min_x, min_y, min_x + size, min_y + size]
    }

    /// The tile's box in WGS84: `[min_lon, min_lat, max_lon, max_lat]` (Mercator is separable,
    /// so this box holds exactly the tile).
    pub fn bounds_lon_lat(&self) -> [f64; 4] {
        let [x0, y0, x1, y1] = self.bounds();
        let (lon0, lat0) = lon_lat_from_merc([x0, y0]);
        let (lon1, lat1) = lon_lat_from_merc([x1, y1]);
        [lon0, lat0, lon1, lat1]
    }

    /// The tile one zoom coarser holding this one (itself at zoom 0).
    pub fn parent(&self) -> TileId {
        if self.z == 0 {
            return *self;
        }
        TileId {
            z: self.z - 1,
            x: self.x / 2,
            y: self.y / 2,
        }
    }

    /// The tiles of zoom `z` meeting the Mercator box `[min_x, min_y, max_x, max_y]`, west to
    /// east, south to north; empty when there would be more than `limit`.
    pub fn covering(z: u8, b: [f64; 4], limit: usize) -> Vec<TileId> {
        let lo = TileId::containing(z, [b[0], b[1]]);
        let hi = TileId::containing(z, [b[2], b[3]]);
        let count = (u64::from(hi.x - lo.x) + 1) * (u64::from(hi.y - lo.y) + 1);
        if count > limit as u64 {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(count as usize);
        for y in lo.y..=hi.y {
            for x in lo.x..=hi.x {
                out.push(TileId { z: lo.z, x, y });
            }
        }
        out
    }
}

/// The coarsest zoom whose tiles are at most `size_m` wide (0 when even the world is).
pub fn zoom_for_tile_size(size_m: f64) -> u8 {
    if !(size_m.is_finite() && size_m > 0.0) {
        return MAX_TILE_ZOOM;
    }
    let z = (WORLD_M / size_m).log2().ceil();
    z.clamp(0.0, f64::from(MAX_TILE_ZOOM)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_world_and_nest() {
        let p = merc_from_lon_lat(121.5, 31.2);
        let t = TileId::containing(14, p);
        let [x0, y0, x1, y1] = t.bounds();
        assert!(x0 <= p[0] && p[0] < x1 && y0 <= p[1] && p[1] < y1);
        assert_eq!(t.parent(), TileId::containing(13, p));
        assert!((x1 - x0 - tile_size_m(14)).abs() < 1e-6);
        let [lon0, lat0, lon1, lat1] = t.bounds_lon_lat();
        assert!(lon0 <= 121.5 && 121.5 < lon1 && lat0 <= 31.2 && 31.2 < lat1);
        assert_eq!(TileId::containing(0, p), TileId { z: 0, x: 0, y: 0 });
        let many = TileId::covering(
            14,
            [x0 + 1.0, y0 + 1.0, x0 + 3.5 * tile_size_m(14), y1 - 1.0],
            100,
        );
        assert_eq!(many.len(), 4);
        assert!(TileId::covering(14, [x0, y0, x0 + 30.0 * tile_size_m(14), y1], 10).is_empty());
        assert_eq!(zoom_for_tile_size(tile_size_m(12)), 12);
        assert_eq!(zoom_for_tile_size(tile_size_m(12) * 0.9), 13);
        assert_eq!(TileId::containing(3, [f64::NAN, 1e30]).x, 0);
    }
}
