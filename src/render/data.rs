//! The map's data: one [`MapLayer`] per session layer plus the plan layer, each with its
//! tessellation cache, built when a workspace opens and then kept up to date feature by
//! feature as the plan is edited ([`MapData::update_plan`]).

use std::sync::atomic::Ordering;

use crate::model::PlanChanges;
use crate::model::catalog::Catalog;
use crate::model::{Layer, LayerRole, PlanFeature};

use crate::analysis::tiles::TileSource;
use crate::render::geometry::LayerGeom;
use crate::render::layers::{LayerId, LayerStyle};
use crate::render::projection::{MercBox, merc_from_lon_lat};
use crate::render::symbols::Symbol;
use crate::render::tiles::TileSet;

pub use crate::render::map_layer::{MapLayer, PlanLook};

/// Everything the map draws, built once per workspace load.
#[derive(Debug, Default)]
pub struct MapData {
    /// Session layers in workspace order, then the plan layer.
    pub layers: Vec<MapLayer>,
    /// The tiles of the stored layers, and their loader.
    pub tiles: TileSet,
    /// Box of everything.
    pub extent: Option<MercBox>,
    /// Different for every build, so caches keyed on the data notice a reload.
    pub generation: u64,
    /// The design alternatives whose features are not the plan
    /// (`Session::alternatives_outside_plan`): drawn as the plan layer's style says.
    pub outside_plan: std::collections::BTreeSet<uuid::Uuid>,
}

static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl MapData {
    /// Each layer's default style, by its role, in layer order (what a view without saved
    /// styles draws with).
    pub fn role_styles(&self) -> Vec<LayerStyle> {
        self.layers
            .iter()
            .map(|l| LayerStyle::for_role(l.role))
            .collect()
    }

    /// Recomputes the extent and takes a new generation after the layers changed, so scene
    /// caches re-cull.
    fn renew(&mut self) {
        self.extent = self
            .layers
            .iter()
            .filter_map(|l| l.geom.extent)
            .reduce(MercBox::union);
        self.generation = GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    /// Builds the map's data from the session's layers and plan; `progress(done, total)` counts
    /// features.
    pub fn build(
        layers: &[Layer],
        plan: &[PlanFeature],
        catalog: &Catalog,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        let total = layers.iter().map(|l| l.features.len()).sum::<usize>() + plan.len();
        let mut before = 0;
        let mut out = Vec::with_capacity(layers.len() + 1);
        for layer in layers {
            let geoms: Vec<&geo::Geometry<f64>> =
                layer.features.iter().map(|f| &f.geometry).collect();
            let mut geom = LayerGeom::build(&geoms, &mut |done| progress(before + done, total));
            before += layer.features.len();
            if let Some([x0, y0, x1, y1]) = layer.stored.as_ref().and_then(|s| s.bbox) {
                geom.extent =
                    MercBox::of_points([merc_from_lon_lat(x0, y0), merc_from_lon_lat(x1, y1)]);
            }
            out.push(MapLayer {
                id: LayerId::Named(layer.name.clone()),
                name: layer.name.clone(),
                role: layer.role,
                names: layer.features.iter().map(|f| f.name.clone()).collect(),
                plan_looks: Vec::new(),
                geom,
                stored: layer.stored.clone(),
            });
        }
        out.push(plan_map_layer(plan, catalog, &mut |done| {
            progress(before + done, total)
        }));
        let extent = out
            .iter()
            .filter_map(|l| l.geom.extent)
            .reduce(MercBox::union);
        MapData {
            layers: out,
            tiles: TileSet::default(),
            extent,
            generation: GENERATION.fetch_add(1, Ordering::Relaxed),
            outside_plan: Default::default(),
        }
    }

    /// The features the map could not draw, by layer ([`Problem::TessellationFailed`]): each
    /// is left out in its own place, the others are drawn; front ends tell the user.
    pub fn problems(&self) -> Vec<crate::error::Problem> {
        self.layers
            .iter()
            .flat_map(|l| {
                l.geom
                    .failures
                    .iter()
                    .map(|f| crate::error::Problem::TessellationFailed {
                        layer: l.name.clone(),
                        feature: f.feature,
                        detail: f.detail.clone(),
                    })
            })
            .collect()
    }

    /// Rebuilds only the plan layer (after an edit, undo or redo): the boundary layers' meshes
    /// stay as they are. Gives the data a new generation so every cache keyed on it redraws.
    pub fn rebuild_plan(&mut self, plan: &[PlanFeature], catalog: &Catalog) {
        let layer = plan_map_layer(plan, catalog, &mut |_| {});
        match self.plan_layer() {
            Some(i) => self.layers[i] = layer,
            None => self.layers.push(layer),
        }
        self.renew();
    }

    /// Brings the plan layer up to date with `plan` after the edits `changes` describes
    /// ([`Session::plan_changes_since`](crate::Session::plan_changes_since)): only the listed
    /// slots are re-triangulated at every level of detail and re-entered in the R-tree, the
    /// rest of the cache stays. Falls back to [`MapData::rebuild_plan`] when the changes do not
    /// fit the cache (or it holds too much garbage). Gives the data a new generation, so the
    /// scene re-culls on the next frame.
    pub fn update_plan(&mut self, plan: &[PlanFeature], catalog: &Catalog, changes: &PlanChanges) {
        let Some(i) = self.plan_layer().filter(|_| changes.len == plan.len()) else {
            self.rebuild_plan(plan, catalog);
            return;
        };
        let layer = &mut self.layers[i];
        let geoms: Vec<&geo::Geometry<f64>> = plan.iter().map(|f| &f.feature.geometry).collect();
        if !layer.geom.update(&geoms, &changes.slots) {
            self.rebuild_plan(plan, catalog);
            return;
        }
        layer.names.truncate(plan.len());
        layer.plan_looks.truncate(plan.len());
        for &s in &changes.slots {
            let f = &plan[s];
            let look = feature_look(catalog, f);
            if s < layer.names.len() {
                layer.names[s] = f.feature.name.clone();
                layer.plan_looks[s] = look;
            } else {
                layer.names.push(f.feature.name.clone());
                layer.plan_looks.push(look);
            }
        }
        self.renew();
    }

    /// Starts drawing the stored layers: `open` gives their tile source (the window opens the
    /// workspace's `store::pyramid::TileReader`; it is called only when there are stored
    /// layers), whose pyramids are read and which the tile loader then owns, calling `wake` when
    /// a tile is ready (the window repaints).
    pub fn attach_tiles<S: TileSource + 'static>(
        &mut self,
        open: impl FnOnce() -> crate::error::Result<S>,
        wake: std::sync::Arc<dyn Fn() + Send + Sync>,
    ) -> crate::error::Result<()> {
        let stored: Vec<String> = self
            .layers
            .iter()
            .filter(|l| l.stored.is_some())
            .map(|l| l.name.clone())
            .collect();
        self.tiles = if stored.is_empty() {
            TileSet::none()
        } else {
            TileSet::open(open()?, &stored, wake)?
        };
        Ok(())
    }

    /// The tiles that draw stored layer `li` at a view (empty for a layer held in memory).
    pub fn wanted_tiles(
        &self,
        li: usize,
        view_box: &MercBox,
        m_per_point: f64,
    ) -> Vec<crate::render::tiles::TileKey> {
        let Some(layer) = self.layers.get(li).filter(|l| l.stored.is_some()) else {
            return Vec::new();
        };
        // Only the part of the view the layer covers (zoomed far out, the view is the world).
        let Some(extent) = layer.geom.extent else {
            return Vec::new();
        };
        let clipped = MercBox {
            min: [
                view_box.min[0].max(extent.min[0]),
                view_box.min[1].max(extent.min[1]),
            ],
            max: [
                view_box.max[0].min(extent.max[0]),
                view_box.max[1].min(extent.max[1]),
            ],
        };
        if clipped.min[0] > clipped.max[0] || clipped.min[1] > clipped.max[1] {
            return Vec::new();
        }
        let name: std::sync::Arc<str> = std::sync::Arc::from(layer.name.as_str());
        let info = self.tiles.info(&layer.name);
        crate::render::tiles::tiles_for(&name, info, &clipped, m_per_point)
    }

    /// The tiles drawn of stored layer `li` at a view: those ready, and coarser stand-ins for
    /// those still loading (empty for a layer held in memory).
    pub fn parts_in_view(
        &self,
        li: usize,
        view_box: &MercBox,
        m_per_point: f64,
    ) -> Vec<std::sync::Arc<crate::render::tiles::TilePart>> {
        self.tiles
            .parts_for(&self.wanted_tiles(li, view_box, m_per_point))
    }

    /// Asks the loader for the tiles the visible stored layers need at a view (call before
    /// building the scene; what is not ready yet is drawn from coarser tiles meanwhile).
    pub fn request_tiles(&mut self, visible: &[usize], view_box: &MercBox, m_per_point: f64) {
        let mut wanted = Vec::new();
        for &li in visible {
            wanted.extend(self.wanted_tiles(li, view_box, m_per_point));
        }
        self.tiles.request(&wanted);
    }

    /// Takes in the tiles that finished loading; true (and a new generation, so the scene
    /// redraws) when any did.
    pub fn poll_tiles(&mut self) -> bool {
        let arrived = self.tiles.poll();
        if arrived {
            self.generation = GENERATION.fetch_add(1, Ordering::Relaxed);
        }
        arrived
    }

    /// Sets the alternatives whose features are not the plan; a change takes a new generation,
    /// so the scene draws again.
    pub fn set_outside_plan(&mut self, outside: std::collections::BTreeSet<uuid::Uuid>) {
        if outside != self.outside_plan {
            self.outside_plan = outside;
            self.generation = GENERATION.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Index of the plan layer.
    pub fn plan_layer(&self) -> Option<usize> {
        self.layers.iter().position(|l| l.id == LayerId::Plan)
    }
}

/// The look of a plan feature of element type `element`.
pub fn plan_look(catalog: &Catalog, element: &str) -> PlanLook {
    match catalog.get(element) {
        Some(e) => PlanLook {
            rgb: e.rgb(),
            symbol: Symbol::from_key(&e.symbol),
            dashed: e.symbol == "dash",
            alternative: None,
        },
        None => PlanLook {
            rgb: [128, 128, 128],
            symbol: Symbol::Circle,
            dashed: false,
            alternative: None,
        },
    }
}

/// The look of plan feature `f`: its element type's, and its alternative.
fn feature_look(catalog: &Catalog, f: &PlanFeature) -> PlanLook {
    PlanLook {
        alternative: f.alternative,
        ..plan_look(catalog, &f.element)
    }
}

fn plan_map_layer(
    plan: &[PlanFeature],
    catalog: &Catalog,
    progress: &mut dyn FnMut(usize),
) -> MapLayer {
    let geoms: Vec<&geo::Geometry<f64>> = plan.iter().map(|f| &f.feature.geometry).collect();
    let geom = LayerGeom::build(&geoms, progress);
    MapLayer {
        id: LayerId::Plan,
        name: String::new(),
        role: LayerRole::Plan,
        names: plan.iter().map(|f| f.feature.name.clone()).collect(),
        stored: None,
        plan_looks: plan.iter().map(|f| feature_look(catalog, f)).collect(),
        geom,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon};

    fn square_with_hole() -> geo::Geometry<f64> {
        geo::Geometry::Polygon(polygon!(
            exterior: [(x: 121.50, y: 31.20), (x: 121.51, y: 31.20), (x: 121.51, y: 31.21), (x: 121.50, y: 31.21)],
            interiors: [[(x: 121.503, y: 31.203), (x: 121.507, y: 31.203), (x: 121.507, y: 31.207), (x: 121.503, y: 31.207)]],
        ))
    }

    #[test]
    fn rebuilding_the_plan_keeps_the_other_layers_and_renews_the_generation() {
        use crate::model::Feature;
        let catalog = Catalog::bundled();
        let boundary = Layer {
            name: "街道".into(),
            role: LayerRole::Streets,
            features: vec![Feature {
                id: uuid::Uuid::new_v4(),
                name: "甲".into(),
                geometry: square_with_hole(),
                properties: Default::default(),
            }],
            stored: None,
        };
        let garden = |x: f64| PlanFeature {
            feature: Feature {
                id: uuid::Uuid::new_v4(),
                name: String::new(),
                geometry: geo::Geometry::Polygon(polygon![
                    (x: x, y: 31.201), (x: x + 0.0005, y: 31.201), (x: x + 0.0005, y: 31.2015)
                ]),
                properties: Default::default(),
            },
            element: "pocket_garden".into(),
            project: None,
            alternative: None,
            street: None,
            community: None,
        };
        let mut data = MapData::build(
            std::slice::from_ref(&boundary),
            &[garden(121.501)],
            &catalog,
            &mut |_, _| {},
        );
        let (generation, vertices) = (data.generation, data.layers[0].geom.vertices.len());
        data.rebuild_plan(&[garden(121.501), garden(121.505)], &catalog);
        assert_ne!(data.generation, generation);
        assert_eq!(data.layers[0].geom.vertices.len(), vertices);
        let plan = data.plan_layer().unwrap();
        assert_eq!(data.layers[plan].geom.features.len(), 2);
        assert_eq!(data.layers[plan].plan_looks[1].rgb, [0x4C, 0xAF, 0x50]);
    }

    /// A feature's cache resolved out of the shared arrays: what is drawn at every level.
    fn resolved(geom: &LayerGeom, fi: usize) -> String {
        let f = &geom.features[fi];
        let mut out = format!(
            "{:?} {:?} {:?} {:?};",
            f.kind, f.bbox, f.label_at, f.area_m2
        );
        for lod in &f.lods {
            let v = &geom.vertices[lod.vertices()];
            let m = &geom.mitres[lod.vertices()];
            let ix = &geom.indices[lod.indices()];
            let rings: Vec<(usize, u32, bool)> = geom.rings[lod.rings()]
                .iter()
                .map(|r| (r.start as usize - lod.vertices().start, r.len, r.closed))
                .collect();
            out += &format!("|{v:?} {m:?} {ix:?} {rings:?}");
        }
        out
    }

    fn snapshot(data: &MapData) -> Vec<String> {
        let plan = data.plan_layer().unwrap();
        let layer = &data.layers[plan];
        let geom = &layer.geom;
        let mut out: Vec<String> = (0..geom.features.len())
            .map(|i| resolved(geom, i))
            .collect();
        out.push(format!("{:?} {:?}", layer.names, layer.plan_looks));
        out.push(format!(
            "{:?} {:?} {:?}",
            geom.by_size, geom.extent, data.extent
        ));
        assert_eq!(geom.merc.len(), geom.features.len());
        // The R-tree answers the same for boxes around every feature and for everything.
        let mut probes: Vec<MercBox> = geom.features.iter().map(|f| f.bbox).collect();
        probes.extend(geom.extent);
        for b in probes {
            let mut found: Vec<usize> = geom.in_box(&b).collect();
            found.sort_unstable();
            out.push(format!("{found:?}"));
        }
        out
    }

    #[test]
    fn incremental_plan_updates_equal_a_full_rebuild() {
        use crate::model::Feature;
        let catalog = Catalog::bundled();
        let elements = [
            "pocket_garden",
            "vibrant_lane",
            "public_facility",
            "street_corner",
        ];
        let mut seed: u64 = 0x5EED;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n.max(1)
        };
        let mut make = |k: u64| -> PlanFeature {
            let x = 121.40 + 0.01 * (k % 50) as f64;
            let y = 31.10 + 0.01 * (k / 50 % 50) as f64;
            let element = elements[(k % 4) as usize];
            let geometry = match element {
                "vibrant_lane" => geo::Geometry::LineString(line_string![
                    (x: x, y: y), (x: x + 0.002, y: y + 0.001), (x: x + 0.004, y: y)
                ]),
                "public_facility" => geo::Geometry::Point(point!(x: x, y: y)),
                _ => geo::Geometry::Polygon(polygon![
                    (x: x, y: y), (x: x + 0.003, y: y), (x: x + 0.0015, y: y + 0.0008),
                    (x: x + 0.003, y: y + 0.002), (x: x, y: y + 0.002)
                ]),
            };
            PlanFeature {
                feature: Feature {
                    id: uuid::Uuid::from_u128(u128::from(k) + 1),
                    name: format!("f{k}"),
                    geometry,
                    properties: Default::default(),
                },
                element: element.into(),
                project: None,
                alternative: None,
                street: None,
                community: None,
            }
        };
        let mut plan: Vec<PlanFeature> = (0..12).map(&mut make).collect();
        let mut data = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
        for step in 0..200u64 {
            let mut changes = PlanChanges {
                slots: Default::default(),
                len: 0,
            };
            // One to three edits per step, as a compound command would make.
            for _ in 0..=next(3) {
                match next(3) {
                    0 => {
                        changes.slots.insert(plan.len());
                        plan.push(make(1000 + step * 7 + next(1000)));
                    }
                    1 if !plan.is_empty() => {
                        let s = next(plan.len() as u64) as usize;
                        let k = next(5000);
                        plan[s] = PlanFeature {
                            element: plan[s].element.clone(),
                            ..make(k)
                        };
                        changes.slots.insert(s);
                    }
                    _ if !plan.is_empty() => {
                        let s = next(plan.len() as u64) as usize;
                        plan.swap_remove(s);
                        changes.slots.insert(s);
                    }
                    _ => {}
                }
            }
            changes.len = plan.len();
            changes.slots.retain(|&s| s < plan.len());
            let generation = data.generation;
            data.update_plan(&plan, &catalog, &changes);
            assert_ne!(data.generation, generation);
            let mut full = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
            full.rebuild_plan(&plan, &catalog);
            assert_eq!(snapshot(&data), snapshot(&full), "step {step}");
        }
        let plan_layer = data.plan_layer().unwrap();
        assert!(
            data.layers[plan_layer].geom.garbage() > 0,
            "updates were incremental"
        );
    }
}
