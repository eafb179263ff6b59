//! Edit benchmark: with 100,000 plan polygons in the sample workspace, how long moving one
//! vertex, renaming a feature and undoing each take — in the core (validated, written in one
//! transaction, memory and R-tree updated) and until the next frame's meshes are ready — beside
//! what the same edit cost when every edit rebuilt the whole plan layer (the R-tree, the
//! extents of the three plan tables and every level of detail of the plan meshes).
//!
//! Run: `cargo bench --bench edit` (optionally `-- N` for another number of polygons). Needs the
//! default `gui` feature, for the meshes.

use std::time::{Duration, Instant};

use linli::Session;
use linli::analysis::index::SpatialIndex;
use linli::session::{Edit, PlanChanges};

/// Repetitions of each edit; the median and the worst are printed.
const RUNS: usize = 40;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let ws = dir.path().join("edit.gpkg");
    let started = Instant::now();
    let mut session = linli::sample::create_sample_workspace(&ws, &mut |_| {})?;
    let file = dir.path().join("plan.geojson");
    std::fs::write(&file, linli::sample::synthetic::plan_polygon_grid(n))?;
    let request = linli::session::ImportRequest {
        layer: None,
        role: linli::model::LayerRole::Plan,
        name_field: None,
        ..Default::default()
    };
    session.import_file(&file, &request, &mut |_| {})?;
    drop(session);
    let mut session = Session::open(&ws)?;
    println!(
        "workspace: {} plan features ({} generated polygons + the sample's), set up in {:.1} s",
        session.plan().len(),
        n,
        started.elapsed().as_secs_f64()
    );

    // Presentation mode first: nothing is edited while presenting.
    present::frames(&session);

    let mut view = view::View::new(&session);

    let mut rows = Vec::new();
    for (label, make) in [
        (
            "move one vertex",
            Box::new(move_vertex) as Box<dyn Fn(&Session, usize) -> Edit>,
        ),
        ("rename", Box::new(rename)),
    ] {
        let mut core = Vec::new();
        let mut frame = Vec::new();
        let mut undo_core = Vec::new();
        let mut undo_frame = Vec::new();
        for run in 0..RUNS {
            let edit = make(&session, run);
            let since = session.revision();
            let t = Instant::now();
            session.apply(edit)?;
            core.push(t.elapsed());
            frame.push(next_frame(&session, since, &mut view));

            let since = session.revision();
            let t = Instant::now();
            session.undo()?;
            undo_core.push(t.elapsed());
            undo_frame.push(next_frame(&session, since, &mut view));
        }
        rows.push((label.to_string(), core, frame));
        rows.push((format!("undo {label}"), undo_core, undo_frame));
    }

    println!();
    println!(
        "{:<22} {:>12} {:>12} {:>16} {:>16}",
        "edit (100k polygons)", "core median", "core worst", "next frame med.", "next frame worst"
    );
    for (label, core, frame) in &rows {
        println!(
            "{:<22} {:>9.2} ms {:>9.2} ms {:>13.2} ms {:>13.2} ms",
            label,
            median_ms(core),
            worst_ms(core),
            median_ms(frame),
            worst_ms(frame)
        );
    }

    // What each edit cost before: the whole plan layer rebuilt.
    println!();
    println!("whole-layer rebuild per edit (the previous design):");
    let t = Instant::now();
    let index = SpatialIndex::build(session.plan().iter().map(|f| &f.feature.geometry));
    let index_ms = ms(t.elapsed());
    println!(
        "  R-tree of {} plan features, bulk-loaded:    {index_ms:>8.2} ms",
        index.len()
    );
    let extents_ms = extent_rescan_ms(&ws)?;
    println!("  extents of the three plan tables rescanned: {extents_ms:>8.2} ms");
    let mesh_ms = view.full_rebuild_ms(&session);
    println!("  plan meshes, every level of detail:         {mesh_ms:>8.2} ms");
    println!(
        "  total per edit, before the next frame:      {:>8.2} ms",
        index_ms + extents_ms + mesh_ms
    );
    // The same next frame at the whole plan's extent (100k polygons drawn as symbols).
    session.apply(move_vertex(&session, 0))?;
    let since = session.revision() - 1;
    let _ = next_frame(&session, since, &mut view);
    let full_frame = view.full_extent_frame_ms();
    session.undo()?;
    println!();
    println!(
        "next frame at the whole plan's extent instead of one street's: {full_frame:.2} ms (every plan feature on screen)"
    );
    println!("targets: core ≤ 5 ms, next frame ≤ 16 ms");
    outside_change(&mut session, &ws)?;
    Ok(())
}

/// Another program (QGIS through GDAL) renames one feature while the session is open: how
/// long the window's worker takes to read what changed and the window to take it in (the
/// issue's target: the change shows within 2 s; the window polls once a second).
fn outside_change(
    session: &mut Session,
    ws: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    // The first look after opening takes the rows' digests.
    if let Some(reader) = session.outside_reader()? {
        let reading = reader.read()?;
        session.take_outside(reading)?;
    }
    let id = session.plan()[session.plan().len() / 2].feature.id;
    let mut worker = Vec::new();
    let mut window = Vec::new();
    for run in 0..RUNS {
        let other = rusqlite::Connection::open(ws)?;
        linli::store::register_sql_functions(&other)?;
        for table in ["plan_points", "plan_lines", "plan_polygons"] {
            other.execute(
                &format!("UPDATE {table} SET name = ?2 WHERE uuid = ?1"),
                rusqlite::params![id.to_string(), format!("QGIS 改名 {run}")],
            )?;
        }
        drop(other);
        let t = Instant::now();
        let reader = session.outside_reader()?.ok_or("the change was not seen")?;
        let reading = reader.read()?;
        worker.push(t.elapsed());
        let t = Instant::now();
        let refreshed = session.take_outside(reading)?;
        window.push(t.elapsed());
        if refreshed.map(|r| r.features) != Some(1) {
            return Err("the outside rename was not taken in".into());
        }
    }
    println!();
    println!(
        "another program renames one feature of {}: worker reads {:.1} ms (worst {:.1}), window takes it in {:.2} ms (worst {:.2}); target: shown within 2 s",
        session.plan().len(),
        median_ms(&worker),
        worst_ms(&worker),
        median_ms(&window),
        worst_ms(&window)
    );
    Ok(())
}

/// Moves the first vertex of slot `slot_seed`'s polygon a little (rings stay closed).
fn move_vertex(session: &Session, run: usize) -> Edit {
    use geo::{Coord, Geometry, MapCoords};
    let plan = session.plan();
    let f = &plan[(plan.len() / 2 + run * 7919) % plan.len()];
    let first: Option<Coord<f64>> = match &f.feature.geometry {
        Geometry::Polygon(p) => p.exterior().0.first().copied(),
        _ => None,
    };
    let geometry = f.feature.geometry.map_coords(|c| {
        if Some(c) == first {
            Coord {
                x: c.x + 0.00001,
                y: c.y + 0.00001,
            }
        } else {
            c
        }
    });
    Edit::SetGeometry {
        id: f.feature.id,
        geometry,
    }
}

fn rename(session: &Session, run: usize) -> Edit {
    let plan = session.plan();
    let f = &plan[(plan.len() / 3 + run * 104_729) % plan.len()];
    Edit::SetName {
        id: f.feature.id,
        name: format!("口袋花园 {run}"),
    }
}

/// The time until the next frame's meshes are ready, from the change log.
fn next_frame(session: &Session, since: u64, view: &mut view::View) -> Duration {
    let t = Instant::now();
    let changes: Option<PlanChanges> = session.plan_changes_since(since);
    view.update(session, changes.as_ref());
    t.elapsed()
}

mod view {
    //! The map's side of an edit, as the window does it: the plan layer's meshes brought up to
    //! date (only the changed slots when the change log reaches back), then the next frame's
    //! scene and egui shapes at a working zoom (a 1/20 of the plan's extent, about one street).
    use egui::{Pos2, Rect, vec2};
    use linli::Session;
    use linli::gui::map::paint::{EguiFonts, PaintCache};
    use linli::render::data::MapData;
    use linli::render::layers::{LayerStyle, default_order};
    use linli::render::projection::{MapView, MercBox};
    use linli::render::scene::{Scene, SceneInput};
    use linli::session::PlanChanges;

    /// The session's map data with the default styles and drawing order.
    pub fn map_of(session: &Session) -> (MapData, Vec<LayerStyle>, Vec<usize>) {
        let data = MapData::build(
            session.layers(),
            session.plan(),
            session.catalog(),
            &mut |_, _| {},
        );
        let styles = data.role_styles();
        let keys: Vec<_> = data.layers.iter().map(|l| l.order_key()).collect();
        let order = default_order(&keys);
        (data, styles, order)
    }

    /// The plan's extent (else the data's), and a box a twentieth of it across at its centre
    /// (about one street).
    pub fn plan_extent_and_street(data: &MapData) -> (MercBox, MercBox) {
        let extent = data
            .layers
            .get(data.plan_layer().unwrap_or(0))
            .and_then(|l| l.geom.extent)
            .or(data.extent)
            .unwrap_or(MercBox {
                min: [0.0, 0.0],
                max: [1.0, 1.0],
            });
        let c = extent.center();
        let (w, h) = (extent.width() / 40.0, extent.height() / 40.0);
        let street = MercBox {
            min: [c[0] - w, c[1] - h],
            max: [c[0] + w, c[1] + h],
        };
        (extent, street)
    }

    pub struct View {
        ctx: egui::Context,
        rect: Rect,
        data: MapData,
        styles: Vec<LayerStyle>,
        order: Vec<usize>,
        views: [MapView; 2],
        scenes: [Scene; 2],
        paints: [PaintCache; 2],
    }

    impl View {
        pub fn new(session: &Session) -> Self {
            let ctx = egui::Context::default();
            linli::gui::install_fonts(&ctx);
            let rect = Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 960.0));
            let raw = egui::RawInput {
                screen_rect: Some(rect),
                ..Default::default()
            };
            let _ = ctx.run_ui(raw, |_| {});
            let (data, styles, order) = map_of(session);
            let (extent, street) = plan_extent_and_street(&data);
            let views = [
                MapView::fit(street, rect.size(), 0.0),
                MapView::fit(extent, rect.size(), 0.0),
            ];
            let mut view = Self {
                ctx,
                rect,
                data,
                styles,
                order,
                views,
                scenes: [Scene::default(), Scene::default()],
                paints: [PaintCache::default(), PaintCache::default()],
            };
            view.frame(0);
            view.frame(1);
            view
        }

        /// Brings the meshes up to date with the session and draws the next frame at the
        /// working zoom.
        pub fn update(&mut self, session: &Session, changes: Option<&PlanChanges>) {
            match changes {
                Some(changes) => self
                    .data
                    .update_plan(session.plan(), session.catalog(), changes),
                None => self.data.rebuild_plan(session.plan(), session.catalog()),
            }
            self.frame(0);
        }

        /// The next frame's scene and shapes at the whole plan's extent, in milliseconds.
        pub fn full_extent_frame_ms(&mut self) -> f64 {
            let t = std::time::Instant::now();
            self.frame(1);
            super::ms(t.elapsed())
        }

        fn frame(&mut self, i: usize) {
            let input = SceneInput {
                palette: Default::default(),
                data: &self.data,
                styles: &self.styles,
                order: &self.order,
                view: self.views[i],
                rect: self.rect.into(),
            };
            let (scene, paint) = (&mut self.scenes[i], &mut self.paints[i]);
            self.ctx.fonts_mut(|fonts| {
                scene.update(&input, &mut EguiFonts(fonts));
                paint.update(scene, fonts);
            });
        }

        /// One full rebuild of the plan layer's meshes, in milliseconds.
        pub fn full_rebuild_ms(&mut self, session: &Session) -> f64 {
            let t = std::time::Instant::now();
            self.data.rebuild_plan(session.plan(), session.catalog());
            super::ms(t.elapsed())
        }
    }
}

/// The previous per-edit extent refresh: min/max over each plan table's R-tree.
fn extent_rescan_ms(ws: &std::path::Path) -> Result<f64, Box<dyn std::error::Error>> {
    let conn =
        rusqlite::Connection::open_with_flags(ws, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let t = Instant::now();
    for table in ["plan_points", "plan_lines", "plan_polygons"] {
        let rtree = format!("rtree_{table}_geom");
        let _: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = conn.query_row(
            &format!(
                "SELECT (SELECT min(minx) FROM {rtree}), (SELECT min(miny) FROM {rtree}), (SELECT max(maxx) FROM {rtree}), (SELECT max(maxy) FROM {rtree})"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    }
    Ok(ms(t.elapsed()))
}

/// `n` small pocket-garden squares over central Pudong, as plan GeoJSON.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median_ms(v: &[Duration]) -> f64 {
    let mut v: Vec<f64> = v.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn worst_ms(v: &[Duration]) -> f64 {
    v.iter().map(|d| ms(*d)).fold(0.0, f64::max)
}

mod present {
    //! Presentation mode at the whole extent of every plan feature: the real mode
    //! (`linli::gui::present::show`) in a real egui frame at 1920×1080, entered on a slide at
    //! one street, then a clicker's "next" to a slide of the whole extent: the eased move's
    //! frames, the frame the camera comes to rest in, and a minute of still frames there.
    use std::time::Instant;

    use egui::{Pos2, Rect, vec2};
    use linli::Session;
    use linli::gui::present::{self, PresentAction, PresentMode, PresentView};
    use linli::model::meeting::Slide;
    use linli::render::projection::MapView;

    pub fn frames(session: &Session) {
        let ctx = egui::Context::default();
        linli::gui::install_fonts(&ctx);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1920.0, 1080.0));
        let (data, styles, order) = super::view::map_of(session);
        let keys: Vec<String> = data.layers.iter().map(|l| l.id.key()).collect();
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for f in session.plan() {
            *counts.entry(f.element.clone()).or_default() += 1;
        }
        let counts: Vec<(String, usize)> = counts.into_iter().collect();
        let (extent, street) = super::view::plan_extent_and_street(&data);
        let whole = MapView::fit(extent, rect.size(), 24.0);
        let street = MapView::fit(street, rect.size(), 0.0);
        let slide = |title: &str, v: MapView| Slide {
            title: title.into(),
            view: v.bookmark(),
            layers: Vec::new(),
            highlight: Vec::new(),
            alternatives: Vec::new(),
        };
        let mut mode = PresentMode::new(
            None,
            vec![slide("一条街道", street), slide("全部方案", whole)],
            whole,
            false,
        );
        let view = PresentView {
            lang: linli::i18n::Lang::Zh,
            data: &data,
            styles: &styles,
            keys: &keys,
            order: &order,
            catalog: session.catalog(),
            element_counts: &counts,
            emphasised: &[],
            inputs: None,
            can_compare: false,
        };
        let mut time = 0.0;
        let frame = |mode: &mut PresentMode, time: f64| -> (f64, f64) {
            let raw = egui::RawInput {
                screen_rect: Some(rect),
                time: Some(time),
                ..Default::default()
            };
            let t = Instant::now();
            let out = ctx.run_ui(raw, |ui| {
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    let asked = present::show(ui, &view, mode, &mut |_, _, _| Vec::new());
                    debug_assert!(asked.is_empty());
                });
            });
            let run = super::ms(t.elapsed());
            let t = Instant::now();
            let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
            (run, super::ms(t.elapsed()))
        };
        let (entry, _) = frame(&mut mode, time);
        mode.apply(&PresentAction::Next, time);
        let mut moving = Vec::new();
        let mut settle = None;
        let mut tess = Vec::new();
        while settle.is_none() {
            time += 1.0 / 60.0;
            let was_moving = mode.is_moving();
            let (ms, tm) = frame(&mut mode, time);
            tess.push(tm);
            if was_moving {
                moving.push(ms);
            } else {
                settle = Some(ms);
            }
        }
        let mut still = Vec::new();
        for _ in 0..60 {
            time += 1.0 / 60.0;
            let (ms, tm) = frame(&mut mode, time);
            still.push(ms);
            tess.push(tm);
        }
        let settle = settle.unwrap_or(0.0);
        let med = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        let worst = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        let mut all = moving.clone();
        all.push(settle);
        all.extend(&still);
        println!();
        println!(
            "presentation mode at the whole extent of {} plan features, 1920×1080 (UI frame, as the next-frame figures above; tessellation apart):",
            session.plan().len()
        );
        println!("  entering on a street's slide:                 {entry:>8.2} ms");
        println!(
            "  moving to the whole-extent slide ({} frames):   median {:>6.2} ms, worst {:>6.2} ms",
            moving.len(),
            med(&moving),
            worst(&moving)
        );
        println!("  the frame the camera rests in (exact scene):   {settle:>8.2} ms");
        println!(
            "  still at the whole extent ({} frames):         median {:>6.2} ms, worst {:>6.2} ms",
            still.len(),
            med(&still),
            worst(&still)
        );
        println!(
            "  every presentation frame after entering:      median {:>6.2} ms, worst {:>6.2} ms (target ≤ 16 ms)",
            med(&all),
            worst(&all)
        );
        println!(
            "  tessellation of those frames:                 median {:>6.2} ms, worst {:>6.2} ms",
            med(&tess),
            worst(&tess)
        );
    }
}
