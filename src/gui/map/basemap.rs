//! The offline basemap: an MBTiles raster file (what QGIS's "Generate XYZ tiles (MBTiles)"
//! writes) read through [`crate::io::mbtiles`] — SQL stays in `io` — and decoded on a worker
//! thread. MBTiles numbers rows bottom-up (TMS), so a slippy-map row `y` is stored as
//! `2^z − 1 − y`. Tiles made from Chinese web maps are in GCJ-02; when the user says so, each
//! tile's corners are moved to WGS84 so the basemap lies under the workspace's data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use egui::epaint::{Mesh, Vertex};
use egui::{Color32, ColorImage, Pos2, Rect, Shape, TextureHandle, TextureOptions, pos2};
use serde::{Deserialize, Serialize};

use crate::render::projection::{
    EARTH_RADIUS_M, MercBox, ScreenTransform, lon_lat_from_merc, merc_from_lon_lat,
};

pub use crate::io::mbtiles::{MbTiles, MbTilesMeta};

/// The encoded tile at `key` of `tiles`, `None` where the file has none; errors worded.
fn read_tile(tiles: &MbTiles, key: TileKey) -> Result<Option<Vec<u8>>, String> {
    tiles
        .tile(key.z, key.x, key.y)
        .map_err(|e| crate::i18n::errors::error_message(&e, crate::i18n::Lang::En))
}

/// Widest or tallest tile decoded, pixels: a tile is 256 or 512 pixels across, and anything
/// beyond this would be a texture larger than many GPUs take (egui's own limit may be lower,
/// see [`Basemap`]'s upload).
pub const MAX_TILE_SIDE: u32 = 4096;

/// Decodes a PNG or JPEG tile; a tile whose declared size exceeds [`MAX_TILE_SIDE`] is refused
/// before any pixel is decoded.
pub fn decode_tile(bytes: &[u8]) -> Result<ColorImage, String> {
    let undecodable = |e: &dyn std::fmt::Display| format!("undecodable tile: {e}");
    let reader = || {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| undecodable(&e))
    };
    let (width, height) = reader()?.into_dimensions().map_err(|e| undecodable(&e))?;
    if width > MAX_TILE_SIDE || height > MAX_TILE_SIDE {
        return Err(too_large(width, height, MAX_TILE_SIDE));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_TILE_SIDE);
    limits.max_image_height = Some(MAX_TILE_SIDE);
    limits.max_alloc = Some(4 * u64::from(MAX_TILE_SIDE) * u64::from(MAX_TILE_SIDE));
    let mut reader = reader()?;
    reader.limits(limits);
    let image = reader.decode().map_err(|e| undecodable(&e))?.to_rgba8();
    let size = [image.width() as usize, image.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, image.as_raw()))
}

/// The refusal of a tile of `width` × `height` pixels, `max` the largest side allowed.
fn too_large(width: u32, height: u32, max: u32) -> String {
    crate::i18n::errors::problem_message(
        &crate::error::Problem::TileTooLarge { width, height, max },
        crate::i18n::Lang::En,
    )
}

/// A tile in slippy-map numbering (y from the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    /// Zoom.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row from the top.
    pub y: u32,
}

impl TileKey {
    /// The tile's box in Mercator metres.
    pub fn merc_box(self) -> MercBox {
        let size = tile_size_m(self.z);
        let half = std::f64::consts::PI * EARTH_RADIUS_M;
        let x0 = -half + f64::from(self.x) * size;
        let y1 = half - f64::from(self.y) * size;
        MercBox {
            min: [x0, y1 - size],
            max: [x0 + size, y1],
        }
    }

    /// The tile one zoom out holding this one.
    pub fn parent(self) -> Option<Self> {
        (self.z > 0).then(|| Self {
            z: self.z - 1,
            x: self.x / 2,
            y: self.y / 2,
        })
    }
}

/// Width of a tile at zoom `z`, Mercator metres.
fn tile_size_m(z: u8) -> f64 {
    2.0 * std::f64::consts::PI * EARTH_RADIUS_M / f64::from(1u32 << z.min(30))
}

/// The zoom whose tile pixels are closest to screen points, within what the file has.
pub fn zoom_for(m_per_point: f64, meta: &MbTilesMeta) -> u8 {
    let z = (tile_size_m(0) / 256.0 / m_per_point).log2().round();
    (z.clamp(0.0, 30.0) as u8).clamp(meta.min_zoom, meta.max_zoom)
}

/// The tiles at zoom `z` covering a Mercator box.
pub fn tiles_covering(area: &MercBox, z: u8) -> Vec<TileKey> {
    let size = tile_size_m(z);
    let half = std::f64::consts::PI * EARTH_RADIUS_M;
    let n = 1i64 << z;
    let col = |x: f64| (((x + half) / size).floor() as i64).clamp(0, n - 1);
    let row = |y: f64| (((half - y) / size).floor() as i64).clamp(0, n - 1);
    let (x0, x1) = (col(area.min[0]), col(area.max[0]));
    let (y0, y1) = (row(area.max[1]), row(area.min[1]));
    let mut out = Vec::new();
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 1024 {
        return out;
    }
    for y in y0..=y1 {
        for x in x0..=x1 {
            out.push(TileKey {
                z,
                x: x as u32,
                y: y as u32,
            });
        }
    }
    out
}

/// The basemap settings kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasemapPrefs {
    /// The MBTiles file.
    pub path: Option<PathBuf>,
    /// Its tiles are GCJ-02 and must be shifted.
    pub gcj02: bool,
    /// Shown.
    pub visible: bool,
    /// 0..=1.
    pub opacity: f32,
}

impl Default for BasemapPrefs {
    fn default() -> Self {
        Self {
            path: None,
            gcj02: false,
            visible: true,
            opacity: 1.0,
        }
    }
}

/// Where a GCJ-02 position really is (WGS84), in Mercator metres.
fn wgs84_merc_of_gcj02_merc(p: [f64; 2]) -> [f64; 2] {
    let (lon, lat) = lon_lat_from_merc(p);
    let (lon, lat) = crate::io::gcj02::gcj02_to_wgs84(lon, lat);
    merc_from_lon_lat(lon, lat)
}

/// The GCJ-02 Mercator position that lands on a WGS84 one (one fixed-point step: the offset
/// varies by metres over kilometres, so that is plenty for choosing tiles).
fn gcj02_merc_of_wgs84_merc(p: [f64; 2]) -> [f64; 2] {
    let back = wgs84_merc_of_gcj02_merc(p);
    [2.0 * p[0] - back[0], 2.0 * p[1] - back[1]]
}

enum Slot {
    Pending,
    Missing,
    Ready { texture: TextureHandle, used: u64 },
}

type TileResult = (TileKey, Result<Option<ColorImage>, String>);

/// An open basemap: the worker that reads and decodes tiles, and the textures on the GPU.
pub struct Basemap {
    /// The file.
    pub path: PathBuf,
    /// Its metadata.
    pub meta: MbTilesMeta,
    requests: Sender<TileKey>,
    results: Receiver<TileResult>,
    slots: HashMap<TileKey, Slot>,
    frame: u64,
    /// The last tile error, for the status line.
    pub last_error: Option<String>,
}

impl std::fmt::Debug for Basemap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Basemap")
            .field("path", &self.path)
            .field("meta", &self.meta)
            .field("tiles", &self.slots.len())
            .finish()
    }
}

/// Textures kept at most.
const MAX_TEXTURES: usize = 384;

impl Basemap {
    /// Opens the file and starts its worker; `ctx` is asked to repaint as tiles arrive.
    pub fn open(path: &Path, ctx: &egui::Context) -> Result<Self, String> {
        let reader = MbTiles::open(path)
            .map_err(|e| crate::i18n::errors::error_message(&e, crate::i18n::Lang::En))?;
        let meta = reader.meta.clone();
        let (requests, worker_requests) = channel::<TileKey>();
        let (worker_results, results) = channel::<TileResult>();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("linli-basemap".into())
            .spawn(move || {
                // Newest requests first: after a quick pan the old ones are no longer on screen.
                while let Ok(first) = worker_requests.recv() {
                    let mut queue = vec![first];
                    queue.extend(worker_requests.try_iter());
                    while let Some(key) = queue.pop() {
                        let result = read_tile(&reader, key)
                            .and_then(|bytes| bytes.map(|b| decode_tile(&b)).transpose());
                        if worker_results.send((key, result)).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                        queue.extend(worker_requests.try_iter());
                    }
                }
            })
            .map_err(|e| format!("could not start the basemap reader: {e}"))?;
        Ok(Self {
            path: path.to_path_buf(),
            meta,
            requests,
            results,
            slots: HashMap::new(),
            frame: 0,
            last_error: None,
        })
    }

    fn receive(&mut self, ctx: &egui::Context) {
        loop {
            match self.results.try_recv() {
                Ok((key, Ok(Some(image)))) => {
                    // The GPU's own limit may be below the decoder's: refuse, never upload.
                    let max_side = ctx
                        .input(|i| i.max_texture_side)
                        .min(MAX_TILE_SIDE as usize);
                    let [width, height] = image.size;
                    if width > max_side || height > max_side {
                        self.slots.insert(key, Slot::Missing);
                        self.last_error =
                            Some(too_large(width as u32, height as u32, max_side as u32));
                        continue;
                    }
                    debug_assert!(width <= max_side && height <= max_side);
                    let name = format!("basemap-{}-{}-{}", key.z, key.x, key.y);
                    let texture = ctx.load_texture(name, image, TextureOptions::LINEAR);
                    self.slots.insert(
                        key,
                        Slot::Ready {
                            texture,
                            used: self.frame,
                        },
                    );
                }
                Ok((key, Ok(None))) => {
                    self.slots.insert(key, Slot::Missing);
                }
                Ok((key, Err(e))) => {
                    self.slots.insert(key, Slot::Missing);
                    self.last_error = Some(e);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.last_error = Some("the basemap reader stopped".into());
                    break;
                }
            }
        }
        if self.slots.len() > MAX_TEXTURES {
            let mut ready: Vec<(u64, TileKey)> = self
                .slots
                .iter()
                .filter_map(|(k, s)| {
                    if let Slot::Ready { used, .. } = s {
                        Some((*used, *k))
                    } else {
                        None
                    }
                })
                .collect();
            ready.sort();
            for (_, key) in ready.iter().take(self.slots.len() - MAX_TEXTURES) {
                self.slots.remove(key);
            }
        }
    }

    /// Appends the shapes of the tiles in view (requesting those not loaded yet and showing
    /// a loaded ancestor meanwhile).
    pub fn paint(
        &mut self,
        ctx: &egui::Context,
        t: &ScreenTransform,
        rect: Rect,
        m_per_point: f64,
        prefs: &BasemapPrefs,
        out: &mut Vec<Shape>,
    ) {
        self.frame += 1;
        self.receive(ctx);
        let tint = Color32::WHITE.gamma_multiply(prefs.opacity.clamp(0.0, 1.0));
        let view = t.merc_box_of(rect);
        let area = if prefs.gcj02 {
            let corners = [
                view.min,
                view.max,
                [view.min[0], view.max[1]],
                [view.max[0], view.min[1]],
            ]
            .map(gcj02_merc_of_wgs84_merc);
            MercBox::of_points(corners).unwrap_or(view)
        } else {
            view
        };
        let z = zoom_for(m_per_point, &self.meta);
        for key in tiles_covering(&area, z) {
            match self.slots.get_mut(&key) {
                Some(Slot::Ready { texture, used }) => {
                    *used = self.frame;
                    out.push(tile_shape(
                        texture.id(),
                        key.merc_box(),
                        Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                        t,
                        prefs.gcj02,
                        tint,
                    ));
                }
                Some(Slot::Pending) | Some(Slot::Missing) => {
                    self.paint_ancestor(key, t, prefs.gcj02, tint, out)
                }
                None => {
                    if self.requests.send(key).is_ok() {
                        self.slots.insert(key, Slot::Pending);
                    }
                    self.paint_ancestor(key, t, prefs.gcj02, tint, out);
                }
            }
        }
    }

    fn paint_ancestor(
        &mut self,
        key: TileKey,
        t: &ScreenTransform,
        gcj02: bool,
        tint: Color32,
        out: &mut Vec<Shape>,
    ) {
        let mut ancestor = key;
        for _ in 0..6 {
            let Some(parent) = ancestor.parent() else {
                return;
            };
            ancestor = parent;
            if let Some(Slot::Ready { texture, used }) = self.slots.get_mut(&ancestor) {
                *used = self.frame;
                // The part of the ancestor that covers `key`, in its texture coordinates.
                let levels = key.z - ancestor.z;
                let n = f32::from(1u16 << levels);
                let (dx, dy) = (
                    (key.x - (ancestor.x << levels)) as f32,
                    (key.y - (ancestor.y << levels)) as f32,
                );
                let uv =
                    Rect::from_min_max(pos2(dx / n, dy / n), pos2((dx + 1.0) / n, (dy + 1.0) / n));
                out.push(tile_shape(texture.id(), key.merc_box(), uv, t, gcj02, tint));
                return;
            }
        }
    }
}

/// A textured quad for a tile, each corner moved from GCJ-02 to WGS84 when asked.
fn tile_shape(
    texture: egui::TextureId,
    b: MercBox,
    uv: Rect,
    t: &ScreenTransform,
    gcj02: bool,
    tint: Color32,
) -> Shape {
    let corners = [
        [b.min[0], b.max[1]],
        [b.max[0], b.max[1]],
        [b.max[0], b.min[1]],
        [b.min[0], b.min[1]],
    ];
    let uvs = [
        uv.left_top(),
        uv.right_top(),
        uv.right_bottom(),
        uv.left_bottom(),
    ];
    let mut mesh = Mesh::with_texture(texture);
    for (corner, uv) in corners.into_iter().zip(uvs) {
        let p = if gcj02 {
            wgs84_merc_of_gcj02_merc(corner)
        } else {
            corner
        };
        let pos: Pos2 = t.screen_from_merc(p).into();
        mesh.vertices.push(Vertex {
            pos,
            uv,
            color: tint,
        });
    }
    mesh.indices.extend([0, 1, 2, 0, 2, 3]);
    Shape::mesh(mesh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_larger_than_a_texture_is_refused_before_decoding() {
        let wide = image::RgbaImage::new(MAX_TILE_SIDE + 1, 1);
        let mut bytes = std::io::Cursor::new(Vec::new());
        wide.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        let e = decode_tile(bytes.get_ref()).unwrap_err();
        assert!(e.contains("4097x1") && e.contains("4096"), "{e}");
        // A tile of the usual size decodes.
        assert_eq!(decode_tile(&png([1, 2, 3])).unwrap().size, [8, 8]);
    }

    fn png(rgb: [u8; 3]) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn reads_tiles_with_the_tms_row_flip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.mbtiles");
        // At zoom 1, TMS row 1 is the top row: slippy y = 0.
        let (red, blue) = (png([255, 0, 0]), png([0, 0, 255]));
        crate::io::mbtiles::write_file(
            &path,
            &[("name", "test"), ("format", "png")],
            &[(1, 0, 1, &red), (1, 0, 0, &blue)],
        )
        .unwrap();
        let tiles = MbTiles::open(&path).unwrap();
        assert_eq!((tiles.meta.min_zoom, tiles.meta.max_zoom), (1, 1));
        let top = decode_tile(&tiles.tile(1, 0, 0).unwrap().unwrap()).unwrap();
        assert_eq!(top.pixels[0], Color32::from_rgb(255, 0, 0));
        let bottom = decode_tile(&tiles.tile(1, 0, 1).unwrap().unwrap()).unwrap();
        assert_eq!(bottom.pixels[0], Color32::from_rgb(0, 0, 255));
        assert!(tiles.tile(1, 1, 1).unwrap().is_none());
        assert!(MbTiles::open(&dir.path().join("none.mbtiles")).is_err());
    }

    #[test]
    fn tile_boxes_and_coverage() {
        let pudong = merc_from_lon_lat(121.6, 31.2);
        let b = MercBox {
            min: pudong,
            max: pudong,
        }
        .expanded(10.0);
        let tiles = tiles_covering(&b, 12);
        assert_eq!(tiles.len(), 1);
        // Slippy tile of (121.6, 31.2) at z12: x = 3431, y = 1674.
        assert_eq!((tiles[0].x, tiles[0].y), (3431, 1674));
        let tb = tiles[0].merc_box();
        assert!(tb.contains_box(&b));
        let meta = MbTilesMeta {
            name: String::new(),
            format: "png".into(),
            min_zoom: 5,
            max_zoom: 14,
        };
        assert_eq!(zoom_for(38.2, &meta), 12);
        assert_eq!(zoom_for(0.1, &meta), 14);
    }

    #[test]
    fn gcj02_tiles_move_by_hundreds_of_metres_in_shanghai() {
        let p = merc_from_lon_lat(121.5, 31.2);
        let shifted = wgs84_merc_of_gcj02_merc(p);
        let d = (shifted[0] - p[0]).hypot(shifted[1] - p[1])
            * crate::render::projection::ground_m_per_merc_m(31.2);
        assert!((100.0..1_000.0).contains(&d), "{d} m");
        let back = gcj02_merc_of_wgs84_merc(shifted);
        assert!((back[0] - p[0]).hypot(back[1] - p[1]) < 5.0);
    }
}
