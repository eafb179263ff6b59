//! Editing on the map, without a `Ui`: which vertex handle or edge of the selected feature is
//! under the pointer, a geometry moved by a drag, the snapping candidates near the pointer
//! (looked up in the session's R-trees, never all features), the live measures and siting
//! warnings of a sketch or a drag, and the shapes of sketches, handles and snap markers.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, vec2};
use geo::{Coord, Geometry, MapCoords, TriangulateEarcut};
use uuid::Uuid;

use crate::Session;
use crate::analysis::index::BoxLonLat;
use crate::analysis::measure;
use crate::analysis::siting::{self, Warning};
use crate::model::catalog::GeometryKind;
use crate::model::{Feature, LayerRole, PlanFeature};
use crate::sketch::snap::{self, Snap, SnapKind};
use crate::sketch::vertex::{VertexRef, edges, vertices};

use crate::gui::map::paint::paint_symbol;
use crate::gui::style;
use crate::render::data::{MapData, PlanLook};
use crate::render::layers::LayerStyle;
use crate::render::projection::{ScreenTransform, lon_lat_from_merc, merc_from_lon_lat};

/// Screen position of a lon/lat coordinate.
pub fn screen_of(t: &ScreenTransform, c: Coord<f64>) -> Pos2 {
    t.screen_from_merc(merc_from_lon_lat(c.x, c.y)).into()
}

/// Lon/lat under a screen position.
pub fn lon_lat_at(t: &ScreenTransform, pos: Pos2) -> Coord<f64> {
    let (x, y) = lon_lat_from_merc(t.merc_from_screen(pos));
    geo::coord! { x: x, y: y }
}

/// The vertex of `geometry` nearest to `pos` within `tolerance_px`.
pub fn vertex_at(
    geometry: &Geometry<f64>,
    t: &ScreenTransform,
    pos: Pos2,
    tolerance_px: f32,
) -> Option<VertexRef> {
    vertices(geometry)
        .into_iter()
        .map(|(v, c)| (v, screen_of(t, c).distance(pos)))
        .filter(|&(_, d)| d <= tolerance_px)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(v, _)| v)
}

/// The point of an edge of `geometry` nearest to `pos` within `tolerance_px`: the edge (named
/// by its first vertex) and the point, found on screen and mapped back by the same fraction.
pub fn edge_at(
    geometry: &Geometry<f64>,
    t: &ScreenTransform,
    pos: Pos2,
    tolerance_px: f32,
) -> Option<(VertexRef, Coord<f64>)> {
    let mut best: Option<(VertexRef, Coord<f64>, f32)> = None;
    for (edge, a, b) in edges(geometry) {
        let (pa, pb) = (screen_of(t, a), screen_of(t, b));
        let d = pb - pa;
        let len2 = d.length_sq();
        if len2 <= f32::EPSILON {
            continue;
        }
        let k = ((pos - pa).dot(d) / len2).clamp(0.0, 1.0);
        let distance = (pa + k * d).distance(pos);
        if distance <= tolerance_px && best.is_none_or(|(_, _, bd)| distance < bd) {
            let k = f64::from(k);
            let at = geo::coord! { x: a.x + k * (b.x - a.x), y: a.y + k * (b.y - a.y) };
            best = Some((edge, at, distance));
        }
    }
    best.map(|(edge, at, _)| (edge, at))
}

/// The vertex a vertex inserted on `edge` becomes.
pub fn inserted_ref(edge: VertexRef) -> VertexRef {
    VertexRef {
        index: edge.index + 1,
        ..edge
    }
}

/// `geometry` moved as the map point under the pointer moves from `from_merc` to `to_merc`:
/// the shift is made in the map's projection, so the feature follows the pointer exactly.
pub fn translated(
    geometry: &Geometry<f64>,
    from_merc: [f64; 2],
    to_merc: [f64; 2],
) -> Geometry<f64> {
    let (dx, dy) = (to_merc[0] - from_merc[0], to_merc[1] - from_merc[1]);
    geometry.map_coords(|c| {
        let [x, y] = merc_from_lon_lat(c.x, c.y);
        let (lon, lat) = lon_lat_from_merc([x + dx, y + dy]);
        geo::coord! { x: lon, y: lat }
    })
}

/// The lon/lat box `tolerance_px` around a screen position.
fn box_around(t: &ScreenTransform, pos: Pos2, tolerance_px: f64) -> BoxLonLat {
    let p = t.merc_from_screen(pos);
    let reach_m = tolerance_px / t.points_per_m();
    let (min_lon, min_lat) = lon_lat_from_merc([p[0] - reach_m, p[1] - reach_m]);
    let (max_lon, max_lat) = lon_lat_from_merc([p[0] + reach_m, p[1] + reach_m]);
    BoxLonLat {
        min_lon,
        min_lat,
        max_lon,
        max_lat,
    }
}

/// Snaps the pointer to the nearest vertex, else edge, of the visible street and community
/// boundaries and plan features within [`style::SNAP_TOLERANCE_PX`]. Only features whose boxes
/// meet the tolerance box around the pointer are looked at (the session's R-trees find them).
/// `exclude` leaves out the feature being edited, so a dragged vertex does not snap to itself.
pub fn snap_at(
    session: &Session,
    data: &MapData,
    styles: &[LayerStyle],
    t: &ScreenTransform,
    pos: Pos2,
    exclude: Option<Uuid>,
) -> Option<Snap> {
    let tolerance_px = style::SNAP_TOLERANCE_PX;
    let area = box_around(t, pos, tolerance_px);
    let visible = |li: usize| styles.get(li).is_some_and(|s| s.visible && s.opacity > 0.0);
    let mut candidates: Vec<&Geometry<f64>> = Vec::new();
    for (li, layer) in session.layers().iter().enumerate() {
        if matches!(layer.role, LayerRole::Streets | LayerRole::Communities) && visible(li) {
            candidates.extend(
                session
                    .features_in_box(li, area)
                    .into_iter()
                    .filter_map(|fi| layer.features.get(fi))
                    .map(|f| &f.geometry),
            );
        }
    }
    if data.plan_layer().is_some_and(visible) {
        let plan = session.plan();
        candidates.extend(
            session
                .plan_in_box(area)
                .into_iter()
                .filter_map(|fi| plan.get(fi))
                .filter(|f| Some(f.feature.id) != exclude)
                .map(|f| &f.feature.geometry),
        );
    }
    snap::snap(
        [f64::from(pos.x), f64::from(pos.y)],
        candidates,
        |c| {
            let s = screen_of(t, c);
            [f64::from(s.x), f64::from(s.y)]
        },
        tolerance_px,
    )
}

/// Measures and siting warnings of a geometry being drawn or dragged.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveInfo {
    /// Element type key.
    pub element: String,
    /// Point, line or polygon.
    pub kind: Option<GeometryKind>,
    /// Vertices placed so far (sketches) or in the geometry (drags).
    pub vertices: usize,
    /// Area of a polygon.
    ///
    /// # Units
    /// Square metres on the ellipsoid.
    pub area_m2: Option<f64>,
    /// Length of a line.
    ///
    /// # Units
    /// Metres on the ellipsoid.
    pub length_m: Option<f64>,
    /// Siting warnings of the geometry as it would be saved.
    pub warnings: Vec<Warning>,
}

/// The live facts of `geometry` as an `element` feature.
pub fn live_info(
    session: &Session,
    element: &str,
    geometry: &Geometry<f64>,
    vertex_count: usize,
) -> LiveInfo {
    let kind = GeometryKind::of(geometry);
    let feature = PlanFeature {
        feature: Feature {
            id: Uuid::nil(),
            name: String::new(),
            geometry: geometry.clone(),
            properties: Default::default(),
        },
        element: element.to_string(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    };
    LiveInfo {
        element: element.to_string(),
        kind,
        vertices: vertex_count,
        area_m2: (kind == Some(GeometryKind::Polygon)).then(|| measure::area_m2(geometry)),
        length_m: (kind == Some(GeometryKind::Line)).then(|| measure::length_m(geometry)),
        warnings: siting::warnings(session, &feature),
    }
}

/// Appends a lon/lat geometry's shapes: polygons filled (triangulated, so concave ones fill
/// right) and outlined, lines stroked, points as `look`'s symbol. For the few features being
/// drawn or dragged; the map's cached layers never come here.
pub fn paint_geometry(
    geometry: &Geometry<f64>,
    t: &ScreenTransform,
    fill: Color32,
    stroke: Stroke,
    look: Option<&PlanLook>,
    out: &mut Vec<Shape>,
) {
    use geo::Geometry as G;
    let line =
        |l: &geo::LineString<f64>| -> Vec<Pos2> { l.0.iter().map(|&c| screen_of(t, c)).collect() };
    match geometry {
        G::Polygon(p) => paint_polygon(p, t, fill, stroke, out),
        G::MultiPolygon(mp) => {
            mp.0.iter()
                .for_each(|p| paint_polygon(p, t, fill, stroke, out))
        }
        G::LineString(l) => out.push(Shape::line(line(l), stroke)),
        G::MultiLineString(ml) => out.extend(ml.0.iter().map(|l| Shape::line(line(l), stroke))),
        G::Point(p) => paint_point(screen_of(t, p.0), look, stroke, out),
        G::MultiPoint(mp) => {
            mp.0.iter()
                .for_each(|p| paint_point(screen_of(t, p.0), look, stroke, out))
        }
        _ => {}
    }
}

fn paint_point(at: Pos2, look: Option<&PlanLook>, stroke: Stroke, out: &mut Vec<Shape>) {
    match look {
        Some(look) => {
            let [r, g, b] = look.rgb;
            paint_symbol(
                look.symbol,
                at,
                style::SYMBOL_RADIUS,
                Color32::from_rgb(r, g, b),
                stroke.color,
                out,
            );
        }
        None => out.push(Shape::circle_stroke(at, style::SYMBOL_RADIUS, stroke)),
    }
}

fn paint_polygon(
    p: &geo::Polygon<f64>,
    t: &ScreenTransform,
    fill: Color32,
    stroke: Stroke,
    out: &mut Vec<Shape>,
) {
    if fill.a() > 0 && p.exterior().0.len() >= 4 {
        let raw = p.earcut_triangles_raw();
        let mut mesh = Mesh::default();
        mesh.vertices
            .extend(raw.vertices.iter().map(|&[x, y]| Vertex {
                pos: screen_of(t, geo::coord! { x: x, y: y }),
                uv: WHITE_UV,
                color: fill,
            }));
        mesh.indices
            .extend(raw.triangle_indices.iter().map(|&i| i as u32));
        out.push(Shape::mesh(mesh));
    }
    for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
        let points: Vec<Pos2> = ring.0.iter().map(|&c| screen_of(t, c)).collect();
        out.push(Shape::line(points, stroke));
    }
}

/// Appends the vertex handles of the selected feature; the selected vertex is filled.
pub fn paint_handles(
    geometry: &Geometry<f64>,
    t: &ScreenTransform,
    selected: Option<VertexRef>,
    out: &mut Vec<Shape>,
) {
    let half = Vec2::splat(style::HANDLE_HALF_PX);
    for (v, c) in vertices(geometry) {
        let at = screen_of(t, c);
        let fill = if Some(v) == selected {
            style::HANDLE_SELECTED_FILL
        } else {
            style::HANDLE_FILL
        };
        out.push(Shape::rect_filled(
            Rect::from_center_size(at, 2.0 * half),
            1.0,
            fill,
        ));
        out.push(Shape::rect_stroke(
            Rect::from_center_size(at, 2.0 * half),
            1.0,
            Stroke::new(1.5, style::HANDLE_STROKE),
            StrokeKind::Middle,
        ));
    }
}

/// Appends the ghost handle showing where a click on an edge inserts a vertex.
pub fn paint_insert_marker(at: Pos2, out: &mut Vec<Shape>) {
    let r = style::HANDLE_HALF_PX;
    out.push(Shape::circle_filled(at, r, Color32::WHITE));
    out.push(Shape::circle_stroke(
        at,
        r,
        Stroke::new(1.5, style::INSERT_MARKER),
    ));
    let stroke = Stroke::new(1.5, style::INSERT_MARKER);
    out.push(Shape::line_segment(
        [at - vec2(r * 0.6, 0.0), at + vec2(r * 0.6, 0.0)],
        stroke,
    ));
    out.push(Shape::line_segment(
        [at - vec2(0.0, r * 0.6), at + vec2(0.0, r * 0.6)],
        stroke,
    ));
}

/// Appends a soft-warning marker: an amber triangle with an exclamation mark, painted (no
/// font has to carry a warning sign).
pub fn paint_warning_icon(centre: Pos2, size: f32, out: &mut Vec<Shape>) {
    let h = size / 2.0;
    out.push(Shape::convex_polygon(
        vec![
            centre + vec2(0.0, -h),
            centre + vec2(h, h * 0.8),
            centre + vec2(-h, h * 0.8),
        ],
        style::WARNING_ICON,
        Stroke::NONE,
    ));
    let ink = Stroke::new((size / 8.0).max(1.2), style::WARNING_TEXT);
    out.push(Shape::line_segment(
        [centre + vec2(0.0, -h * 0.35), centre + vec2(0.0, h * 0.3)],
        ink,
    ));
    out.push(Shape::circle_filled(
        centre + vec2(0.0, h * 0.58),
        ink.width * 0.6,
        style::WARNING_TEXT,
    ));
}

/// Appends the snap marker: a square on a vertex, a diamond on an edge.
pub fn paint_snap(snap: &Snap, t: &ScreenTransform, out: &mut Vec<Shape>) {
    let at = screen_of(t, snap.lon_lat);
    let s = style::SNAP_MARKER_PX;
    let stroke = Stroke::new(2.0, style::SNAP_MARKER);
    match snap.kind {
        SnapKind::Vertex => out.push(Shape::rect_stroke(
            Rect::from_center_size(at, Vec2::splat(2.0 * s)),
            0.0,
            stroke,
            StrokeKind::Middle,
        )),
        SnapKind::Edge => out.push(Shape::closed_line(
            vec![
                at + vec2(0.0, -s),
                at + vec2(s, 0.0),
                at + vec2(0.0, s),
                at + vec2(-s, 0.0),
            ],
            stroke,
        )),
    }
    out.push(Shape::circle_filled(at, 2.0, style::SNAP_MARKER));
}

/// Appends a sketch: its rubber-band geometry in the element's colour and its vertices.
pub fn paint_sketch(
    preview: Option<&Geometry<f64>>,
    placed: &[Coord<f64>],
    t: &ScreenTransform,
    look: &PlanLook,
    out: &mut Vec<Shape>,
) {
    let [r, g, b] = look.rgb;
    let colour = Color32::from_rgb(r, g, b);
    let fill = Color32::from_rgba_unmultiplied(r, g, b, style::SKETCH_FILL_ALPHA);
    let stroke = Stroke::new(style::SKETCH_WIDTH, colour);
    match preview {
        Some(geometry) => paint_geometry(geometry, t, fill, stroke, Some(look), out),
        None => {
            // One vertex of a line or polygon: show it joined to nothing yet.
        }
    }
    for &c in placed {
        let at = screen_of(t, c);
        out.push(Shape::circle_filled(
            at,
            style::SKETCH_VERTEX_RADIUS,
            Color32::WHITE,
        ));
        out.push(Shape::circle_stroke(
            at,
            style::SKETCH_VERTEX_RADIUS,
            Stroke::new(1.5, colour),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;
    use geo::polygon;

    use crate::render::projection::MapView;

    fn view_and_square() -> (ScreenTransform, Geometry<f64>) {
        let view = MapView {
            center_lon: 121.5,
            center_lat: 31.2,
            m_per_point: 0.5,
        };
        let t = view.transform(Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)));
        let g = Geometry::Polygon(polygon![
            (x: 121.4999, y: 31.1999), (x: 121.5001, y: 31.1999),
            (x: 121.5001, y: 31.2001), (x: 121.4999, y: 31.2001)
        ]);
        (t, g)
    }

    #[test]
    fn handles_and_edges_are_found_in_pixels() {
        let (t, g) = view_and_square();
        let corner = screen_of(&t, geo::coord! { x: 121.4999, y: 31.1999 });
        let v = vertex_at(&g, &t, corner + vec2(3.0, -2.0), 8.0).unwrap();
        assert_eq!(v.index, 0);
        assert!(vertex_at(&g, &t, corner + vec2(30.0, 0.0), 8.0).is_none());
        // Half-way along the bottom edge, 3 px off it.
        let mid = screen_of(&t, geo::coord! { x: 121.5, y: 31.1999 });
        let (edge, at) = edge_at(&g, &t, mid + vec2(0.0, 3.0), 8.0).unwrap();
        assert_eq!(edge.index, 0);
        assert!((at.x - 121.5).abs() < 1e-7 && (at.y - 31.1999).abs() < 1e-9);
        assert_eq!(inserted_ref(edge).index, 1);
    }

    #[test]
    fn a_translated_feature_follows_the_pointer() {
        let (t, g) = view_and_square();
        let from = t.merc_from_screen(pos2(400.0, 300.0));
        let to = t.merc_from_screen(pos2(420.0, 300.0));
        let moved = translated(&g, from, to);
        let before = vertices(&g)[0].1;
        let after = vertices(&moved)[0].1;
        let shift = screen_of(&t, after) - screen_of(&t, before);
        assert!((shift - vec2(20.0, 0.0)).length() < 1e-2, "{shift:?}");
    }
}
