//! Reference layers drawn from the workspace file: which tiles a view needs, a loader thread
//! that reads them through a [`TileSource`] (the workspace's pyramid, which the window hands
//! in: this module knows nothing of the store) and tessellates them off the UI thread, and a
//! bounded cache of what was drawn recently.
//!
//! Each frame the scene asks [`TileSet::parts_for`] what to draw of a stored layer: the tiles of
//! the view that are ready, and for those still loading the nearest coarser tile in the cache
//! (draw what is ready, refine when the rest arrives). Missing tiles are queued with
//! [`TileSet::request`]; [`TileSet::poll`] takes in what the loader finished and says whether
//! the map should redraw. See [`crate::analysis::tiles`] for what a tile holds.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::analysis::mercator::{TileId, zoom_for_tile_size};
use crate::analysis::tiles::{
    DENSITY_CELLS, FINEST_DETAIL_ZOOM, PyramidInfo, TILE_POINTS, TileFeature, TileSource,
};
use crate::error::Result;
use crate::model::LayerRole;
use crate::render::geometry::LayerGeom;
use crate::render::layers::LayerId;
use crate::render::map_layer::MapLayer;
use crate::render::projection::MercBox;

/// Bytes the cache may hold (tiles in the current view are kept beyond it).
pub const CACHE_BUDGET_BYTES: usize = 96 << 20;
/// Most tiles one view of one layer asks for.
const MAX_TILES_PER_VIEW: usize = 120;
/// How many zooms up a missing tile looks for a stand-in.
const FALLBACK_ZOOMS: u8 = 6;

/// What kind of tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// A pyramid row: density plus the larger outlines.
    Overview,
    /// The layer's own features, through its R-tree.
    Detail,
    /// The features wider than half a detail tile (one per layer).
    Oversized,
}

/// A tile of a stored layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    /// The layer (its table name).
    pub layer: Arc<str>,
    /// Kind.
    pub kind: TileKind,
    /// Where.
    pub tile: TileId,
}

/// One non-empty density cell: column and row from the tile's north-west corner, in a grid of
/// `cells` across, and how strongly to shade it (1–255).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DensityCell {
    /// Column.
    pub col: u16,
    /// Row.
    pub row: u16,
    /// Shade.
    pub shade: u8,
}

/// A tile ready to draw: its features as a small [`MapLayer`] (the scene draws and labels it
/// like any layer), their row ids, and for overview tiles the density.
#[derive(Debug)]
pub struct TilePart {
    /// The tile.
    pub key: TileKey,
    /// Its features.
    pub layer: MapLayer,
    /// Row id of each feature of `layer`.
    pub fids: Vec<i64>,
    /// Density grids, coarsest first: `(cells across, cells)`, each cell shaded in
    /// proportion to the log of its count.
    pub density: Vec<(usize, Vec<DensityCell>)>,
    bytes: usize,
}

impl TilePart {
    /// Its Mercator box.
    pub fn bounds(&self) -> MercBox {
        let [x0, y0, x1, y1] = self.key.tile.bounds();
        MercBox {
            min: [x0, y0],
            max: [x1, y1],
        }
    }

    /// The position in [`TilePart::layer`] of the feature with this row id.
    pub fn index_of(&self, fid: i64) -> Option<usize> {
        self.fids.iter().position(|&f| f == fid)
    }
}

/// Which tiles draw a stored layer at a view.
pub fn tiles_for(
    layer: &Arc<str>,
    info: Option<PyramidInfo>,
    view_box: &MercBox,
    m_per_point: f64,
) -> Vec<TileKey> {
    let (min_zoom, detail_zoom) = info.map_or((FINEST_DETAIL_ZOOM, FINEST_DETAIL_ZOOM), |i| {
        (i.min_zoom, i.detail_zoom.max(i.min_zoom))
    });
    let wanted = zoom_for_tile_size(TILE_POINTS * m_per_point);
    let (kind, z) = if wanted < detail_zoom {
        if wanted.max(min_zoom) < detail_zoom {
            (TileKind::Overview, wanted.max(min_zoom))
        } else {
            (TileKind::Detail, detail_zoom)
        }
    } else {
        (TileKind::Detail, detail_zoom)
    };
    let size = crate::analysis::mercator::tile_size_m(z);
    // Detail features may reach half a tile beyond their own: one more ring of tiles.
    let margin = if kind == TileKind::Detail {
        size / 2.0
    } else {
        0.0
    };
    let b = view_box.expanded(margin);
    let centre = view_box.center();
    let mut tiles = TileId::covering(
        z,
        [b.min[0], b.min[1], b.max[0], b.max[1]],
        MAX_TILES_PER_VIEW,
    );
    // Middle of the view first.
    tiles.sort_by(|a, b| {
        let d = |t: &TileId| {
            let [x0, y0, x1, y1] = t.bounds();
            let (dx, dy) = ((x0 + x1) / 2.0 - centre[0], (y0 + y1) / 2.0 - centre[1]);
            dx * dx + dy * dy
        };
        d(a).total_cmp(&d(b))
    });
    let mut out: Vec<TileKey> = tiles
        .into_iter()
        .map(|tile| TileKey {
            layer: layer.clone(),
            kind,
            tile,
        })
        .collect();
    out.push(TileKey {
        layer: layer.clone(),
        kind: TileKind::Oversized,
        tile: TileId { z: 0, x: 0, y: 0 },
    });
    out
}

/// Reads and tessellates one tile.
pub fn load_tile(
    reader: &dyn TileSource,
    key: &TileKey,
    info: Option<PyramidInfo>,
) -> Result<TilePart> {
    let detail_zoom = info.map_or(FINEST_DETAIL_ZOOM, |i| i.detail_zoom);
    let (features, density) = match key.kind {
        TileKind::Overview => {
            let tile = reader.overview(&key.layer, key.tile)?;
            (tile.features, density_grids(&tile.density, key.tile))
        }
        TileKind::Detail => (
            reader.detail(&key.layer, key.tile, detail_zoom)?,
            Vec::new(),
        ),
        TileKind::Oversized => (reader.oversized(&key.layer)?, Vec::new()),
    };
    Ok(part_of(key.clone(), features, density))
}

/// A tile's part from its features.
pub fn part_of(
    key: TileKey,
    features: Vec<TileFeature>,
    density: Vec<(usize, Vec<DensityCell>)>,
) -> TilePart {
    let geoms: Vec<&geo::Geometry<f64>> = features.iter().map(|f| &f.geometry).collect();
    let mut geom = LayerGeom::build(&geoms, &mut |_| {});
    geom.shrink();
    let coords: usize = features
        .iter()
        .map(|f| geo::CoordsIter::coords_count(&f.geometry))
        .sum();
    let names: Vec<String> = features.iter().map(|f| f.name.clone()).collect();
    let bytes = geom.bytes()
        + coords * 16
        + names.iter().map(|n| n.len() + 24).sum::<usize>()
        + density.iter().map(|(_, c)| c.len() * 6).sum::<usize>()
        + features.len() * 8;
    TilePart {
        layer: MapLayer {
            id: LayerId::Named(key.layer.to_string()),
            name: key.layer.to_string(),
            role: LayerRole::Reference,
            names,
            plan_looks: Vec::new(),
            geom,
            stored: None,
        },
        fids: features.iter().map(|f| f.fid).collect(),
        key,
        density,
        bytes,
    }
}

/// The density grid as non-empty cells at full resolution and at two coarser ones (the scene
/// picks the one whose cells are a few points wide). A cell's shade follows the number of
/// features per square kilometre of ground on a log scale (1 to about 30,000 per km²), the
/// same in every tile, so dense districts read darker than sparse ones.
fn density_grids(counts: &[u16], tile: TileId) -> Vec<(usize, Vec<DensityCell>)> {
    let n = DENSITY_CELLS;
    if counts.len() != n * n {
        return Vec::new();
    }
    let [x0, y0, x1, y1] = tile.bounds();
    let (_, lat) = crate::analysis::mercator::lon_lat_from_merc([(x0 + x1) / 2.0, (y0 + y1) / 2.0]);
    let ground_per_merc = lat.to_radians().cos().max(1e-6);
    let mut grids = Vec::new();
    let mut cells = n;
    let mut grid: Vec<u32> = counts.iter().map(|&c| u32::from(c)).collect();
    loop {
        let cell_km = (x1 - x0) / cells as f64 * ground_per_merc / 1000.0;
        let area_km2 = (cell_km * cell_km).max(f64::MIN_POSITIVE);
        let list: Vec<DensityCell> = grid
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, &c)| {
                let per_km2 = f64::from(c) / area_km2;
                let level = ((1.0 + per_km2).log10() / 4.5).clamp(0.0, 1.0);
                DensityCell {
                    col: (i % cells) as u16,
                    row: (i / cells) as u16,
                    shade: (40.0 + 215.0 * level) as u8,
                }
            })
            .collect();
        grids.push((cells, list));
        if cells <= 32 {
            break;
        }
        let half = cells / 2;
        let mut coarser = vec![0u32; half * half];
        for (i, &c) in grid.iter().enumerate() {
            let (col, row) = (i % cells, i / cells);
            coarser[(row / 2) * half + col / 2] += c;
        }
        grid = coarser;
        cells = half;
    }
    grids.reverse();
    grids
}

/// A loader job: the tiles wanted, most important first, and the pyramid facts.
type Job = (Vec<TileKey>, HashMap<Arc<str>, PyramidInfo>);

struct Loader {
    requests: Sender<Job>,
    results: Receiver<(TileKey, Result<TilePart>)>,
    /// The thread, joined when the set closes: it holds a connection to the workspace, and
    /// SQLite folds the log into the file and removes it only when the last one closes.
    thread: std::thread::JoinHandle<()>,
}

impl Loader {
    /// Stops the thread and waits for it, so its connection is closed when this returns: the
    /// channels close, so it stops at the next tile it finishes (it cannot hand it over).
    fn stop(self) {
        let Loader {
            requests,
            results,
            thread,
        } = self;
        drop(requests);
        drop(results);
        let _ = thread.join();
    }
}

/// The tiles of every stored layer: pyramid facts, the cache and the loader.
#[derive(Default)]
pub struct TileSet {
    infos: HashMap<Arc<str>, PyramidInfo>,
    names: Vec<Arc<str>>,
    cache: HashMap<TileKey, (Arc<TilePart>, u64)>,
    pending: HashSet<TileKey>,
    bytes: usize,
    clock: u64,
    loader: Option<Loader>,
    opened: bool,
    /// Errors the loader met (shown once by the window).
    errors: Vec<crate::Error>,
}

impl Drop for TileSet {
    fn drop(&mut self) {
        self.close();
    }
}

impl std::fmt::Debug for TileSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileSet")
            .field("layers", &self.names)
            .field("cached", &self.cache.len())
            .field("bytes", &self.bytes)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl TileSet {
    /// Reads the pyramids of `layers` from `reader` and starts the loader thread, which owns
    /// the reader from then on and calls `wake` whenever a tile is ready.
    pub fn open(
        reader: impl TileSource + 'static,
        layers: &[String],
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<TileSet> {
        let mut infos = HashMap::new();
        let mut names = Vec::new();
        for name in layers {
            let key: Arc<str> = Arc::from(name.as_str());
            if let Some(info) = reader.info(name)? {
                infos.insert(key.clone(), info);
            }
            names.push(key);
        }
        let (requests, inbox) = channel::<Job>();
        let (outbox, results) = channel();
        let spawned = std::thread::Builder::new()
            .name("linli-tiles".into())
            .spawn(move || {
                while let Ok(mut job) = inbox.recv() {
                    'job: loop {
                        while let Ok(newer) = inbox.try_recv() {
                            job = newer;
                        }
                        let (keys, infos) = std::mem::take(&mut job);
                        for key in &keys {
                            let part = load_tile(&reader, key, infos.get(&key.layer).copied());
                            if outbox.send((key.clone(), part)).is_err() {
                                return;
                            }
                            wake();
                            if let Ok(newer) = inbox.try_recv() {
                                // The view moved: the newer job lists every tile still wanted.
                                job = newer;
                                continue 'job;
                            }
                        }
                        break;
                    }
                }
            });
        let loader = match spawned {
            Ok(thread) => Some(Loader {
                requests,
                results,
                thread,
            }),
            Err(_) => None,
        };
        Ok(TileSet::with(infos, names, loader))
    }

    /// Stops the loader thread and waits for it to close its connection to the workspace (see
    /// [`crate::Session::close`]); the set keeps its cached tiles and loads no more. Dropping the
    /// set does the same.
    pub fn close(&mut self) {
        if let Some(loader) = self.loader.take() {
            loader.stop();
        }
        self.pending.clear();
    }

    /// An open set with an empty cache (every field named: a `Drop` type cannot be built with
    /// `..TileSet::default()`).
    fn with(
        infos: HashMap<Arc<str>, PyramidInfo>,
        names: Vec<Arc<str>>,
        loader: Option<Loader>,
    ) -> TileSet {
        TileSet {
            infos,
            names,
            cache: HashMap::new(),
            pending: HashSet::new(),
            bytes: 0,
            clock: 0,
            loader,
            opened: true,
            errors: Vec::new(),
        }
    }

    /// A set with nothing to load (no stored layers), already open.
    pub fn none() -> TileSet {
        TileSet::with(HashMap::new(), Vec::new(), None)
    }

    /// Whether [`TileSet::open`] (or [`TileSet::none`]) made it: a default set waits for the
    /// window to attach it.
    pub fn is_open(&self) -> bool {
        self.opened
    }

    /// The pyramid facts of a stored layer.
    pub fn info(&self, layer: &str) -> Option<PyramidInfo> {
        self.infos.get(layer).copied()
    }

    /// Takes in the tiles the loader finished; true when any arrived (redraw).
    pub fn poll(&mut self) -> bool {
        let Some(loader) = &self.loader else {
            return false;
        };
        let mut arrived = Vec::new();
        while let Ok(result) = loader.results.try_recv() {
            arrived.push(result);
        }
        let any = !arrived.is_empty();
        for (key, part) in arrived {
            self.pending.remove(&key);
            match part {
                Ok(part) => self.insert(part),
                Err(e) => self.errors.push(e),
            }
        }
        any
    }

    /// Errors met loading tiles since the last call.
    pub fn take_errors(&mut self) -> Vec<crate::Error> {
        std::mem::take(&mut self.errors)
    }

    /// Puts a finished tile in the cache (the loader's results, or one made on this thread).
    pub fn insert(&mut self, part: TilePart) {
        self.clock += 1;
        self.bytes += part.bytes;
        if let Some((old, _)) = self
            .cache
            .insert(part.key.clone(), (Arc::new(part), self.clock))
        {
            self.bytes -= old.bytes;
        }
    }

    /// Queues the tiles of `wanted` that are neither cached nor on their way, and evicts the
    /// least recently used tiles outside `wanted` while over budget.
    pub fn request(&mut self, wanted: &[TileKey]) {
        self.clock += 1;
        let clock = self.clock;
        let mut missing = Vec::new();
        for key in wanted {
            match self.cache.get_mut(key) {
                Some(entry) => entry.1 = clock,
                None => {
                    if !self.pending.contains(key) {
                        missing.push(key.clone());
                    }
                }
            }
        }
        if self.bytes > CACHE_BUDGET_BYTES {
            let mut old: Vec<(u64, TileKey)> = self
                .cache
                .iter()
                .filter(|(_, (_, used))| *used < clock)
                .map(|(k, (_, used))| (*used, k.clone()))
                .collect();
            old.sort();
            for (_, key) in old {
                if self.bytes <= CACHE_BUDGET_BYTES * 3 / 4 {
                    break;
                }
                if let Some((part, _)) = self.cache.remove(&key) {
                    self.bytes -= part.bytes;
                }
            }
        }
        if missing.is_empty() {
            return;
        }
        if let Some(loader) = &self.loader {
            // What was asked before and is not wanted now is dropped by the loader's next job.
            self.pending.retain(|k| wanted.contains(k));
            self.pending.extend(missing.iter().cloned());
            let mut job: Vec<TileKey> = wanted
                .iter()
                .filter(|k| !self.cache.contains_key(*k))
                .cloned()
                .collect();
            job.dedup();
            let _ = loader.requests.send((job, self.infos.clone()));
        }
    }

    /// What to draw of a stored layer at a view: the ready tiles of `wanted`, and for each
    /// missing one the nearest cached tile of a coarser zoom covering it.
    pub fn parts_for(&self, wanted: &[TileKey]) -> Vec<Arc<TilePart>> {
        let mut out: Vec<Arc<TilePart>> = Vec::new();
        let mut seen: HashSet<&TileKey> = HashSet::new();
        for key in wanted {
            if let Some((part, _)) = self.cache.get(key) {
                if seen.insert(&part.key) {
                    out.push(part.clone());
                }
                continue;
            }
            let mut tile = key.tile;
            for _ in 0..FALLBACK_ZOOMS {
                if tile.z == 0 {
                    break;
                }
                tile = tile.parent();
                let stand_in =
                    [TileKind::Detail, TileKind::Overview]
                        .into_iter()
                        .find_map(|kind| {
                            self.cache.get_key_value(&TileKey {
                                layer: key.layer.clone(),
                                kind,
                                tile,
                            })
                        });
                if let Some((k, (part, _))) = stand_in {
                    if seen.insert(k) {
                        out.push(part.clone());
                    }
                    break;
                }
            }
        }
        out
    }

    /// Whether tiles are still on their way.
    pub fn loading(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Bytes the cache holds now (approximately).
    pub fn cached_bytes(&self) -> usize {
        self.bytes
    }

    /// Drops every cached tile (the layers changed).
    pub fn clear(&mut self) {
        self.cache.clear();
        self.pending.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_grids_shade_by_count_at_three_sizes() {
        let mut counts = vec![0u16; DENSITY_CELLS * DENSITY_CELLS];
        counts[0] = 1;
        counts[DENSITY_CELLS + 1] = 100;
        let tile = TileId::containing(
            12,
            crate::analysis::mercator::merc_from_lon_lat(121.5, 31.2),
        );
        let grids = density_grids(&counts, tile);
        assert_eq!(
            grids.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [32, 64, 128]
        );
        let fine = &grids[2].1;
        assert_eq!(fine.len(), 2);
        assert!(fine[0].shade < fine[1].shade);
        assert_eq!(grids[0].1.len(), 1, "both land in one coarse cell");
        assert!(density_grids(&[1, 2], tile).is_empty());
    }

    #[test]
    fn a_view_asks_for_overview_far_out_and_detail_close_in() {
        let layer: Arc<str> = Arc::from("建筑");
        let info = Some(PyramidInfo {
            min_zoom: 9,
            detail_zoom: 14,
            features: 1_000_000,
        });
        let c = crate::analysis::mercator::merc_from_lon_lat(121.7, 31.1);
        let view = |half: f64| MercBox {
            min: [c[0] - half, c[1] - half],
            max: [c[0] + half, c[1] + half],
        };
        let far = tiles_for(&layer, info, &view(30_000.0), 60.0);
        assert!(far.iter().any(|k| k.kind == TileKind::Overview));
        assert!(far.iter().all(|k| k.kind != TileKind::Detail));
        let near = tiles_for(&layer, info, &view(500.0), 1.0);
        assert!(
            near.iter()
                .any(|k| k.kind == TileKind::Detail && k.tile.z == 14)
        );
        assert!(near.len() <= 10);
        assert_eq!(near.last().map(|k| k.kind), Some(TileKind::Oversized));
    }
}
