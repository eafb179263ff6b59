//! The blueprint's page layout: what a sheet shows and where, in millimetres of an A3 sheet
//! scaled to the paper. The map frame (the plan over the street and community outlines, the
//! area's boundary, everything outside it faded), the title block, the legend of the element
//! types the frame shows, the project list, the scale bar, the north arrow and the data note.

use geo::BoundingRect;

use crate::i18n::Lang;
use crate::i18n::print::{self as words, PrintText};
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Layer, LayerRole, PlanFeature};
use crate::print::draw::{Anchor, Item, Pt, Sheet, rect_ring};
use crate::print::font::PrintFont;
use crate::render::data::{MapData, plan_look};
use crate::render::frame::SceneInput;
use crate::render::layers::default_order;
use crate::render::primitive::{Primitive, Rgba};
use crate::render::projection::{MapView, MercBox, merc_from_lon_lat, scale_bar_length};
use crate::render::scene::Scene;
use crate::render::screen::{ScreenPos, ScreenRect, screen_pos, screen_vec};
use crate::render::style;
use crate::render::symbols::legend_primitives;

mod blocks;
use blocks::{north_arrow, panel_block, scale_bar};

/// Millimetres to points.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    /// 297 × 420 mm.
    A3,
    /// 594 × 841 mm.
    A1,
}

impl Paper {
    /// Short and long side.
    ///
    /// # Units
    /// Millimetres.
    pub fn mm(self) -> (f32, f32) {
        match self {
            Paper::A3 => (297.0, 420.0),
            Paper::A1 => (594.0, 841.0),
        }
    }
}

/// The page: paper, orientation and the resolution a PNG is rendered at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageSpec {
    /// Paper size.
    pub paper: Paper,
    /// Long side across.
    pub landscape: bool,
    /// Dots per inch of a PNG (PDF and SVG are vector).
    pub dpi: u32,
}

impl Default for PageSpec {
    fn default() -> Self {
        Self {
            paper: Paper::A3,
            landscape: false,
            dpi: 150,
        }
    }
}

impl PageSpec {
    /// Width and height.
    ///
    /// # Units
    /// Millimetres.
    pub fn size_mm(&self) -> (f32, f32) {
        let (short, long) = self.paper.mm();
        if self.landscape {
            (long, short)
        } else {
            (short, long)
        }
    }

    /// Width and height of a PNG: the paper at `dpi`, rounded to whole pixels.
    pub fn size_px(&self) -> (u32, u32) {
        let (w, h) = self.size_mm();
        let px = |mm: f32| (f64::from(mm) / 25.4 * f64::from(self.dpi)).round() as u32;
        (px(w), px(h))
    }
}

/// What kind of area a sheet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AreaKind {
    /// A street (街道/镇).
    Street,
    /// A community (居委/村委).
    Community,
    /// One project's features.
    Project,
}

/// One project in the sheet's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Stage, in the sheet's language.
    pub stage: String,
    /// Its meetings, each "kind date", in date order.
    pub meetings: Vec<String>,
}

/// Everything a blueprint shows, as plain data the session gathers (`cli::blueprint`).
#[derive(Debug, Clone)]
pub struct BlueprintInput {
    /// The area's kind.
    pub kind: AreaKind,
    /// The area's name (a project's code and name for a project).
    pub name: String,
    /// The street named in the title block (empty when it is not one street).
    pub street: String,
    /// The community named in the title block (empty when it is not one community).
    pub community: String,
    /// The district the catalog was written for (浦东新区), shown above the title.
    pub district: String,
    /// The area's outline (WGS84); empty for a project, framed by its features.
    pub boundary: Vec<geo::Geometry<f64>>,
    /// The street and community layers (in-memory boundary layers), drawn as context.
    pub layers: Vec<Layer>,
    /// The plan features.
    pub plan: Vec<PlanFeature>,
    /// The element types.
    pub catalog: Catalog,
    /// The projects of the area.
    pub projects: Vec<ProjectLine>,
    /// When the sheet is made, local time with its offset.
    pub drawn_on: String,
    /// Where the data comes from, one entry per source.
    pub attribution: Vec<String>,
}

/// A laid-out sheet and what its legend lists.
#[derive(Debug, Clone)]
pub struct Laid {
    /// The drawing list.
    pub sheet: Sheet,
    /// The element types the legend lists (keys, catalog order): exactly those of the plan
    /// features in the map frame.
    pub legend: Vec<String>,
    /// Ground metres per millimetre of paper at the frame's centre (the scale's denominator
    /// is this × 1000).
    pub ground_m_per_mm: f64,
}

/// The colours and sizes of the sheet (house rule 8: one place); sizes in A3 millimetres.
mod look {
    use crate::render::primitive::Rgba;
    pub const INK: Rgba = [0x1E, 0x1E, 0x1E, 255];
    pub const MUTED: Rgba = [0x5A, 0x5A, 0x5A, 255];
    pub const ACCENT: Rgba = [0x0D, 0x47, 0xA1, 255];
    pub const AREA: Rgba = [0xC6, 0x28, 0x28, 255];
    pub const RULE: Rgba = [0x9E, 0x9E, 0x9E, 255];
    pub const BAND: Rgba = [0xE8, 0xEF, 0xF8, 255];
    pub const PAPER: Rgba = [255, 255, 255, 255];
    /// Outside the area: white at 55 %, premultiplied.
    pub const FADE: Rgba = [140, 140, 140, 140];
    pub const MARGIN: f32 = 10.0;
    pub const TITLE_BAND: f32 = 30.0;
    pub const GAP: f32 = 4.0;
    pub const FOOTER: f32 = 92.0;
    pub const SIDE: f32 = 118.0;
    pub const TITLE: f32 = 24.0;
    pub const HEADING: f32 = 12.0;
    pub const BODY: f32 = 10.0;
    pub const SMALL: f32 = 8.0;
    pub const AREA_LINE: f32 = 2.4;
    pub const FRAME_LINE: f32 = 1.0;
}

/// Lays out the sheet of `input` on `page`, in `lang`, measuring text with `font`.
pub fn layout(input: &BlueprintInput, page: &PageSpec, lang: Lang, font: &mut PrintFont) -> Laid {
    let (w_mm, h_mm) = page.size_mm();
    // Everything is designed for A3 and scaled with the paper: an A1 sheet is an A3 sheet,
    // twice as large, as a poster is.
    let s = page.paper.mm().0 / 297.0;
    let u = s * PT_PER_MM;
    let mut out = Out {
        sheet: Sheet {
            width: w_mm * PT_PER_MM,
            height: h_mm * PT_PER_MM,
            items: Vec::new(),
            title: String::new(),
        },
        font,
    };
    let (w, h) = (out.sheet.width, out.sheet.height);
    let m = look::MARGIN * u;
    out.sheet
        .fill(vec![rect_ring([0.0, 0.0, w, h])], look::PAPER);
    out.sheet.line(
        rect_ring([m * 0.5, m * 0.5, w - m * 0.5, h - m * 0.5]),
        true,
        0.6 * u,
        look::RULE,
    );

    // Title band across the top.
    let title = words::sheet_title(lang, &input.name);
    out.sheet.title = title.clone();
    let band = [m, m, w - m, m + look::TITLE_BAND * u];
    title_block(&mut out, input, band, u, lang, &title);

    // The map frame, and the panel beside or under it.
    let top = band[3] + look::GAP * u;
    let (frame, panel) = if page.landscape {
        let side = look::SIDE * u;
        (
            [m, top, w - m - side - look::GAP * u, h - m],
            [w - m - side, top, w - m, h - m],
        )
    } else {
        let footer = look::FOOTER * u;
        (
            [m, top, w - m, h - m - footer - look::GAP * u],
            [m, h - m - footer, w - m, h - m],
        )
    };
    let map = map_frame(&mut out, input, frame, s, u, lang);
    panel_block(&mut out, input, &map.legend, panel, u, lang, page.landscape);
    Laid {
        sheet: out.sheet,
        legend: map.legend,
        ground_m_per_mm: map.ground_m_per_pt * f64::from(PT_PER_MM),
    }
}

struct Out<'f> {
    sheet: Sheet,
    font: &'f mut PrintFont,
}

impl Out<'_> {
    fn text(&mut self, at: Pt, text: &str, size: f32, colour: Rgba, anchor: Anchor) -> f32 {
        let width = self.font.width_em(text) * size;
        if !text.is_empty() {
            self.sheet.items.push(Item::Text {
                at,
                text: text.to_string(),
                size,
                colour,
                halo: None,
                anchor,
                width,
            });
        }
        width
    }

    /// `text` cut with an ellipsis to fit `max` points.
    fn fitted(&mut self, text: &str, size: f32, max: f32) -> String {
        if self.font.width_em(text) * size <= max {
            return text.to_string();
        }
        let mut cut: String = text.to_string();
        while !cut.is_empty() && self.font.width_em(&format!("{cut}…")) * size > max {
            cut.pop();
        }
        format!("{cut}…")
    }
}

fn title_block(
    out: &mut Out<'_>,
    input: &BlueprintInput,
    band: [f32; 4],
    u: f32,
    lang: Lang,
    title: &str,
) {
    out.sheet.fill(vec![rect_ring(band)], look::BAND);
    out.sheet.fill(
        vec![rect_ring([band[0], band[1], band[0] + 2.0 * u, band[3]])],
        look::ACCENT,
    );
    let x = band[0] + 7.0 * u;
    if !input.district.is_empty() {
        out.text(
            [x, band[1] + 7.5 * u],
            &input.district,
            look::SMALL * u / PT_PER_MM * 1.3,
            look::MUTED,
            Anchor::Start,
        );
    }
    let max = (band[2] - band[0]) * 0.62;
    let t = out.fitted(title, look::TITLE * u / PT_PER_MM, max);
    out.text(
        [x, band[1] + 19.0 * u],
        &t,
        look::TITLE * u / PT_PER_MM,
        look::INK,
        Anchor::Start,
    );
    // The facts on the right: street, community, projects, date.
    let facts = [
        (PrintText::Street, input.street.clone()),
        (PrintText::Community, input.community.clone()),
        (
            PrintText::Projects,
            words::projects_line(
                lang,
                &input
                    .projects
                    .iter()
                    .map(|p| p.code.clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        (PrintText::DrawnOn, input.drawn_on.clone()),
    ];
    let right = band[2] - 5.0 * u;
    let label_x = band[0] + (band[2] - band[0]) * 0.66;
    let mut y = band[1] + 7.0 * u;
    for (label, value) in facts {
        if value.is_empty() {
            continue;
        }
        let size = look::BODY * u / PT_PER_MM;
        out.text(
            [label_x, y],
            label.get(lang),
            size,
            look::MUTED,
            Anchor::Start,
        );
        let value_x = label_x + 16.0 * u;
        let v = out.fitted(&value, size, right - value_x);
        out.text([value_x, y], &v, size, look::INK, Anchor::Start);
        y += 6.2 * u;
    }
}

struct MapOut {
    legend: Vec<String>,
    ground_m_per_pt: f64,
}

fn map_frame(
    out: &mut Out<'_>,
    input: &BlueprintInput,
    frame: [f32; 4],
    s: f32,
    u: f32,
    lang: Lang,
) -> MapOut {
    let (fw, fh) = (frame[2] - frame[0], frame[3] - frame[1]);
    // The scene is built at the frame's size in A3 points and scaled by `s` onto the sheet,
    // so line widths, symbols and labels keep their A3 size relative to the paper.
    let scene_size = screen_pos(fw / s, fh / s);
    let scene_rect = ScreenRect {
        min: ScreenPos::default(),
        max: scene_size,
    };
    let area = area_box(input);
    let view = MapView::fit(area, screen_vec(fw / s, fh / s), 18.0);
    let t = view.transform(scene_rect);
    let shown = t.merc_box_of(scene_rect);
    // Only what the frame shows goes into the scene (a street's sheet need not tessellate the
    // whole district's plan).
    let meets = |g: &geo::Geometry<f64>| {
        g.bounding_rect().is_some_and(|r| {
            MercBox::of_points([
                merc_from_lon_lat(r.min().x, r.min().y),
                merc_from_lon_lat(r.max().x, r.max().y),
            ])
            .is_some_and(|b| b.intersects(&shown))
        })
    };
    let plan: Vec<PlanFeature> = input
        .plan
        .iter()
        .filter(|f| meets(&f.feature.geometry))
        .cloned()
        .collect();
    let layers: Vec<Layer> = input
        .layers
        .iter()
        .map(|l| Layer {
            features: l
                .features
                .iter()
                .filter(|f| meets(&f.geometry))
                .cloned()
                .collect(),
            ..l.clone()
        })
        .collect();
    let legend: Vec<String> = input
        .catalog
        .elements
        .iter()
        .filter(|e| plan.iter().any(|f| f.element == e.key))
        .map(|e| e.key.clone())
        .collect();
    let data = MapData::build(&layers, &plan, &input.catalog, &mut |_, _| {});
    let styles = data.role_styles();
    let keys: Vec<_> = data.layers.iter().map(|l| l.order_key()).collect();
    let order = default_order(&keys);
    let mut scene = Scene::default();
    scene.set_vector_outlines(true);
    scene.update(
        &SceneInput {
            data: &data,
            styles: &styles,
            order: &order,
            view,
            rect: scene_rect,
            palette: Default::default(),
        },
        out.font,
    );
    let offset = [frame[0], frame[1]];
    let to_sheet = |p: ScreenPos| -> Pt { [p.x * s + offset[0], p.y * s + offset[1]] };
    out.sheet.items.push(Item::Clip(frame));
    // Labels go above the fade and the area line: split the scene's texts off.
    let (texts, shapes): (Vec<Primitive>, Vec<Primitive>) = scene
        .primitives()
        .iter()
        .cloned()
        .partition(|p| matches!(p, Primitive::Text(_)));
    out.sheet.push_scene(&shapes, s, offset, out.font);
    // Outside the area faded, the area's outline bold.
    let rings: Vec<Vec<Pt>> = input
        .boundary
        .iter()
        .flat_map(polygon_rings)
        .map(|ring| {
            ring.into_iter()
                .map(|(lon, lat)| to_sheet(t.screen_from_merc(merc_from_lon_lat(lon, lat))))
                .collect()
        })
        .collect();
    if !rings.is_empty() {
        let mut mask = vec![rect_ring(frame)];
        mask.extend(rings.iter().cloned());
        out.sheet.items.push(Item::Fill {
            rings: mask,
            colour: look::FADE,
            even_odd: true,
        });
        for ring in rings {
            out.sheet.items.push(Item::Line {
                points: ring,
                closed: true,
                width: look::AREA_LINE * s,
                colour: look::AREA,
                dash: Some([9.0 * s, 3.0 * s]),
            });
        }
    }
    out.sheet.push_scene(&texts, s, offset, out.font);
    let ground_m_per_pt = view.ground_m_per_point() / f64::from(s);
    north_arrow(out, [frame[2] - 14.0 * u, frame[1] + 14.0 * u], u, lang);
    scale_bar(
        out,
        [frame[0] + 6.0 * u, frame[3] - 6.0 * u],
        ground_m_per_pt,
        u,
        lang,
    );
    out.sheet.items.push(Item::EndClip);
    out.sheet
        .line(rect_ring(frame), true, look::FRAME_LINE * s, look::INK);
    MapOut {
        legend,
        ground_m_per_pt,
    }
}

/// The box the frame fits: the area's outline, else its plan features, else everything.
fn area_box(input: &BlueprintInput) -> MercBox {
    let boxes = |geoms: &mut dyn Iterator<Item = &geo::Geometry<f64>>| {
        geoms
            .filter_map(|g| g.bounding_rect())
            .filter_map(|r| {
                MercBox::of_points([
                    merc_from_lon_lat(r.min().x, r.min().y),
                    merc_from_lon_lat(r.max().x, r.max().y),
                ])
            })
            .reduce(MercBox::union)
    };
    boxes(&mut input.boundary.iter())
        .or_else(|| boxes(&mut input.plan.iter().map(|f| &f.feature.geometry)))
        .or_else(|| {
            boxes(
                &mut input
                    .layers
                    .iter()
                    .flat_map(|l| l.features.iter().map(|f| &f.geometry)),
            )
        })
        .unwrap_or_else(|| {
            let c = merc_from_lon_lat(121.5, 31.2);
            MercBox {
                min: [c[0] - 500.0, c[1] - 500.0],
                max: [c[0] + 500.0, c[1] + 500.0],
            }
        })
}

/// The rings of a polygonal geometry, as (lon, lat).
fn polygon_rings(g: &geo::Geometry<f64>) -> Vec<Vec<(f64, f64)>> {
    let of = |p: &geo::Polygon<f64>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| r.coords().map(|c| (c.x, c.y)).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    match g {
        geo::Geometry::Polygon(p) => of(p),
        geo::Geometry::MultiPolygon(mp) => mp.iter().flat_map(of).collect(),
        geo::Geometry::GeometryCollection(gc) => gc.iter().flat_map(polygon_rings).collect(),
        _ => Vec::new(),
    }
}
