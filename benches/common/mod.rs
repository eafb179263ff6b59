//! What the map benchmarks share: the generated polygon layer (`gen_polygons.py`'s, to the
//! bit), GeoJSON writing, QGIS in the same run, timing helpers, per-frame CPU times, and
//! waiting for a stored layer's tiles.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use egui::{Rect, vec2};
use linli::gui::map::paint::{EguiFonts, PaintCache};
use linli::model::{Feature, Layer, LayerRole};
use linli::render::data::MapData;
use linli::render::layers::LayerStyle;
use linli::render::projection::MapView;
use linli::render::scene::{Scene, SceneInput};

/// What QGIS measured.
pub struct Qgis {
    pub load_ms: f64,
    pub full_ms: f64,
    pub zoomed_ms: f64,
}

/// Runs `../shared/bench/qgis_bench.py` on `source` with a Python that has QGIS.
pub fn qgis(source: &str) -> Result<Qgis, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/qgis_bench.py");
    if !script.exists() {
        return Err(format!("{} not found", script.display()));
    }
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|py| {
            std::process::Command::new(py)
                .args(["-c", "import qgis.core"])
                .env("QT_QPA_PLATFORM", "offscreen")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no Python with the qgis module: QGIS is not installed")?;
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(source)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let figure = |prefix: &str| -> Result<f64, String> {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(':').next())
            .and_then(|v| v.trim().trim_end_matches("ms").trim().parse().ok())
            .ok_or_else(|| {
                format!(
                    "qgis_bench.py printed no '{prefix}' line: {}{}",
                    text.trim(),
                    String::from_utf8_lossy(&out.stderr).trim()
                )
            })
    };
    Ok(Qgis {
        load_ms: figure("qgis load")?,
        full_ms: figure("qgis render full extent")?,
        zoomed_ms: figure("qgis render 1/20 extent")?,
    })
}

pub fn write_geojson(layer: &Layer, path: &Path) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(out, "{{\"type\": \"FeatureCollection\", \"features\": [")?;
    for (i, f) in layer.features.iter().enumerate() {
        let geo::Geometry::Polygon(p) = &f.geometry else {
            continue;
        };
        if i > 0 {
            write!(out, ",")?;
        }
        let ring: Vec<String> = p
            .exterior()
            .0
            .iter()
            .map(|c| format!("[{}, {}]", c.x, c.y))
            .collect();
        write!(
            out,
            "{{\"type\": \"Feature\", \"properties\": {{\"id\": {i}, \"name\": \"地块{i}\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[{}]]}}}}",
            ring.join(", ")
        )?;
    }
    writeln!(out, "]}}")?;
    out.flush()
}

pub fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median scene, paint and egui-tessellation times over `frames` frames, panning a point each
/// frame so the scene really rebuilds.
pub fn frame_times(
    ctx: &egui::Context,
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
    view: MapView,
    rect: Rect,
    frames: usize,
) -> (f64, f64, f64) {
    let mut scene = Scene::default();
    let mut paint = PaintCache::default();
    let (mut build, mut conv, mut tess) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..frames {
        let view = view.panned(vec2(if i % 2 == 0 { 1.0 } else { -1.0 }, 0.0));
        let input = SceneInput {
            palette: Default::default(),
            data,
            styles,
            order,
            view,
            rect: rect.into(),
        };
        scene.invalidate();
        let t0 = Instant::now();
        ctx.fonts_mut(|fonts| scene.update(&input, &mut EguiFonts(fonts)));
        build.push(ms(t0.elapsed()));
        let t0 = Instant::now();
        ctx.fonts_mut(|fonts| paint.update(&scene, fonts));
        conv.push(ms(t0.elapsed()));
        let shapes: Vec<egui::epaint::ClippedShape> = paint
            .shapes()
            .iter()
            .cloned()
            .map(|shape| egui::epaint::ClippedShape {
                clip_rect: rect,
                shape,
                transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
            })
            .collect();
        let t0 = Instant::now();
        let primitives = ctx.tessellate(shapes, 1.0);
        tess.push(ms(t0.elapsed()));
        drop(primitives);
    }
    (median(build), median(conv), median(tess))
}

/// `gen_polygons.py`'s layer: N concave 17-vertex stars on a grid over Pudong.
pub fn synthetic_layer(n: usize) -> Layer {
    let mut rng = PyRandom::new(977);
    let (lon0, lon1, lat0, lat1) = (121.45, 121.95, 30.85, 31.40);
    let side = (n as f64).sqrt().ceil() as usize;
    let (dx, dy) = ((lon1 - lon0) / side as f64, (lat1 - lat0) / side as f64);
    let round7 = |x: f64| (x * 1e7).round() / 1e7;
    let features = (0..n)
        .map(|i| {
            let cx = lon0 + ((i % side) as f64 + 0.5) * dx;
            let cy = lat0 + ((i / side) as f64 + 0.5) * dy;
            let r = 0.4 * dx.min(dy);
            let mut ring: Vec<(f64, f64)> = (0..16)
                .map(|k| {
                    let a = 2.0 * std::f64::consts::PI * k as f64 / 16.0;
                    let rr = r * if k % 2 == 0 {
                        1.0
                    } else {
                        0.45 + 0.2 * rng.random()
                    };
                    (round7(cx + rr * a.cos()), round7(cy + rr * a.sin()))
                })
                .collect();
            ring.push(ring[0]);
            let geometry =
                geo::Geometry::Polygon(geo::Polygon::new(geo::LineString::from(ring), vec![]));
            Feature {
                id: uuid::Uuid::nil(),
                name: format!("地块{i}"),
                geometry,
                properties: Default::default(),
            }
        })
        .collect();
    Layer {
        name: "polygons".into(),
        role: LayerRole::Reference,
        features,
        stored: None,
    }
}

/// CPython's `random.Random(seed).random()`: MT19937 seeded by `init_by_array([seed])`.
pub struct PyRandom {
    mt: [u32; 624],
    index: usize,
}

impl PyRandom {
    pub fn new(seed: u32) -> Self {
        let mut mt = [0u32; 624];
        mt[0] = 19_650_218;
        for i in 1..624 {
            mt[i] = 1_812_433_253u32
                .wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        let key = [seed];
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..624.max(key.len()) {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..623 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        Self { mt, index: 624 }
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            for k in 0..624 {
                let y = (self.mt[k] & 0x8000_0000) | (self.mt[(k + 1) % 624] & 0x7fff_ffff);
                let mut v = self.mt[(k + 397) % 624] ^ (y >> 1);
                if y & 1 != 0 {
                    v ^= 0x9908_b0df;
                }
                self.mt[k] = v;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    pub fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }
}

/// Waits (up to a minute) until every tile the stored layers need at `view` is loaded, asking
/// as the window does each frame; returns the time it took.
pub fn settle_tiles(data: &mut MapData, styles: &[LayerStyle], view: MapView, rect: Rect) -> f64 {
    let t = view.transform(rect);
    let view_box = t.merc_box_of(rect);
    let visible: Vec<usize> = (0..data.layers.len())
        .filter(|&li| styles.get(li).is_some_and(|s| s.visible && s.opacity > 0.0))
        .collect();
    let t0 = Instant::now();
    loop {
        data.poll_tiles();
        data.request_tiles(&visible, &view_box, view.m_per_point);
        if !data.tiles.loading() || t0.elapsed().as_secs() > 60 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    ms(t0.elapsed())
}

/// This process's resident memory now and at its peak (`VmRSS`, `VmHWM`), MB; zeros where
/// `/proc` is not there.
pub fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak (`VmHWM`) to the current resident memory (Linux `clear_refs` 5).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
