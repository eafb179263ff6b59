//! Label placement: meetings' pins ([`pins`]), street and community names inside their
//! polygons, plan feature names beside them when zoomed in. Greedy, by priority (pins, streets,
//! then plan, then communities, then reference layers; larger features first): a label is
//! placed only if it fits inside its polygon and overlaps no label already placed, so labels
//! come and go with the zoom.

use geo::Contains;

use crate::model::LayerRole;

use crate::render::data::MapLayer;
use crate::render::frame::SceneInput;
use crate::render::geometry::DrawKind;
use crate::render::pins::{self, MapPin, PinPlace};
use crate::render::primitive::{Primitive, Rgba, Stroke, TextRun};
use crate::render::projection::{MercBox, ScreenTransform};
use crate::render::screen::{ScreenPos, ScreenRect, ScreenVec, screen_vec};
use crate::render::style;

/// How big text is: what label placement needs to know of a font. The window measures with
/// egui's fonts; tests and headless consumers can use [`FixedAdvance`].
pub trait FontMetrics {
    /// The size of `text` on one line in the proportional font of `size` points.
    ///
    /// # Units
    /// Points (width, height).
    fn text_size(&mut self, text: &str, size: f32) -> ScreenVec;
}

/// Font metrics of a simple monospaced model: every ASCII character `ascii` ems wide, every
/// other one (CJK) one em, lines `line` ems high.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedAdvance {
    /// Advance of an ASCII character, ems.
    pub ascii: f32,
    /// Line height, ems.
    pub line: f32,
}

impl Default for FixedAdvance {
    fn default() -> Self {
        Self {
            ascii: 0.6,
            line: 1.25,
        }
    }
}

impl FontMetrics for FixedAdvance {
    fn text_size(&mut self, text: &str, size: f32) -> ScreenVec {
        let ems: f32 = text
            .chars()
            .map(|c| if c.is_ascii() { self.ascii } else { 1.0 })
            .sum();
        screen_vec(ems * size, self.line * size)
    }
}

/// At most this many labels are placed in one frame (a legibility limit, not a speed one).
const MAX_LABELS: usize = 600;
/// Labels are tried for at most this many features per layer per frame.
const MAX_CANDIDATES: usize = 5_000;

/// Places the meetings' pins (first: what a facilitator shows outranks every name), then the
/// labels of every visible, labelled layer, and appends their primitives to `out`; the pins'
/// primitives and where each went are left in `pin_out`. Returns how many texts were placed.
#[allow(clippy::too_many_arguments)]
pub fn place(
    input: &SceneInput<'_>,
    parts: &[Vec<std::sync::Arc<crate::render::tiles::TilePart>>],
    t: &ScreenTransform,
    view_box: &MercBox,
    pins: &[MapPin],
    pin_out: (&mut Vec<PinPlace>, &mut Vec<Primitive>),
    fonts: &mut dyn FontMetrics,
    out: &mut Vec<Primitive>,
) -> usize {
    let SceneInput {
        data,
        styles,
        order,
        view,
        rect,
        palette,
    } = *input;
    let look = palette.look();
    let mut placed = Placed::new(rect);
    let (pin_places, pin_primitives) = pin_out;
    pin_primitives.clear();
    let mut count = place_pins(pins, t, fonts, &mut placed, pin_primitives, pin_places);
    let priority = |role: LayerRole| match role {
        LayerRole::Streets => 0,
        LayerRole::Plan => 1,
        LayerRole::Communities => 2,
        LayerRole::Reference => 3,
    };
    let mut layers: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&li| {
            styles
                .get(li)
                .is_some_and(|s| s.visible && s.labels && s.opacity > 0.0)
        })
        .filter(|&li| {
            data.layers.get(li).is_some_and(|l| {
                l.role != LayerRole::Plan || view.m_per_point < style::PLAN_LABELS_BELOW_M_PER_PX
            })
        })
        .collect();
    layers.sort_by_key(|&li| data.layers.get(li).map_or(9, |l| priority(l.role)));
    for li in layers {
        let Some(layer) = data.layers.get(li) else {
            continue;
        };
        let (font, colour) = match layer.role {
            LayerRole::Streets => (style::STREET_LABEL_SIZE, style::STREET_LABEL_COLOUR),
            LayerRole::Communities => (style::COMMUNITY_LABEL_SIZE, style::COMMUNITY_LABEL_COLOUR),
            LayerRole::Reference => (style::REFERENCE_LABEL_SIZE, style::COMMUNITY_LABEL_COLOUR),
            LayerRole::Plan => (style::PLAN_LABEL_SIZE, style::PLAN_LABEL_COLOUR),
        };
        let font = font * look.label_factor;
        let pieces: Vec<&MapLayer> = if layer.stored.is_some() {
            parts
                .get(li)
                .map(|p| p.iter().map(|p| &p.layer).collect())
                .unwrap_or_default()
        } else {
            vec![layer]
        };
        let shown = styles.get(li).map(|s| s.alternatives).unwrap_or_default();
        // A feature of an alternative that is not the plan and is not drawn gets no label.
        let hidden = |piece: &MapLayer, fi: usize| {
            piece
                .plan_looks
                .get(fi)
                .and_then(|l| l.alternative)
                .is_some_and(|a| data.outside_plan.contains(&a) && shown.draws(a).is_none())
        };
        for piece in pieces {
            for fi in candidates(piece, view_box) {
                if hidden(piece, fi) {
                    continue;
                }
                if count >= MAX_LABELS {
                    return count;
                }
                if place_one(piece, fi, t, (font, colour, look), fonts, &mut placed, out) {
                    count += 1;
                }
            }
        }
    }
    count
}

/// Places the pins ahead of every other label: discs first (kept free), then each text where
/// it fits. Appends their primitives to `out` and where each went to `places`; returns how
/// many texts were placed.
fn place_pins(
    pins: &[MapPin],
    t: &ScreenTransform,
    fonts: &mut dyn FontMetrics,
    placed: &mut Placed,
    out: &mut Vec<Primitive>,
    places: &mut Vec<PinPlace>,
) -> usize {
    places.clear();
    let map = placed.map();
    let mut discs: Vec<ScreenPos> = Vec::new();
    for (index, pin) in pins.iter().enumerate() {
        let [lon, lat] = pin.lon_lat;
        let at = t.screen_from_merc(crate::analysis::mercator::merc_from_lon_lat(lon, lat));
        if !map
            .expand(style::PIN_RADIUS)
            .contains_rect(pins::disc_rect(at))
        {
            continue;
        }
        let disc = pins::disc_centre(at, &discs);
        discs.push(disc);
        placed.take(pins::disc_rect(disc));
        places.push(PinPlace {
            index,
            at,
            disc,
            label: None,
        });
    }
    for place in places.iter() {
        if place.disc != place.at {
            out.push(Primitive::Path {
                points: vec![place.at, place.disc],
                closed: false,
                stroke: Stroke {
                    width: style::PIN_LEADER_WIDTH,
                    colour: style::PIN_LEADER_COLOUR,
                },
                dash: None,
            });
            out.push(Primitive::Circle {
                centre: place.at,
                radius: style::PIN_LEADER_DOT,
                fill: Some(style::PIN_LEADER_COLOUR),
                stroke: None,
            });
        }
    }
    for place in places.iter() {
        let Some(pin) = pins.get(place.index) else {
            continue;
        };
        out.push(Primitive::Circle {
            centre: place.disc,
            radius: style::PIN_RADIUS,
            fill: Some(pin.colour),
            stroke: Some(Stroke {
                width: style::PIN_OUTLINE_WIDTH,
                colour: style::PIN_OUTLINE,
            }),
        });
        let number = pin.number.to_string();
        let size = fonts.text_size(&number, style::PIN_NUMBER_SIZE);
        out.push(Primitive::Text(TextRun {
            pos: place.disc - size * 0.5,
            text: number,
            size: style::PIN_NUMBER_SIZE,
            colour: style::PIN_NUMBER_COLOUR,
            halo: None,
        }));
    }
    let mut count = 0;
    for place in places.iter_mut() {
        let Some(pin) = pins.get(place.index) else {
            continue;
        };
        let text = pins::short_text(&pin.text);
        if text.is_empty() {
            continue;
        }
        let size = fonts.text_size(&text, style::PIN_LABEL_SIZE);
        let Some(rect) = pins::label_candidates(place.disc, size)
            .into_iter()
            .find(|&r| map.contains_rect(r) && placed.try_take(r.expand(style::LABEL_PADDING_PX)))
        else {
            continue;
        };
        place.label = Some(rect);
        out.push(Primitive::Text(TextRun {
            pos: rect.min,
            text,
            size: style::PIN_LABEL_SIZE,
            colour: style::PIN_LABEL_COLOUR,
            halo: Some(style::LABEL_HALO),
        }));
        count += 1;
    }
    count
}

/// Features of the layer meeting the view, largest first.
fn candidates(layer: &MapLayer, view_box: &MercBox) -> Vec<usize> {
    let geom = &layer.geom;
    geom.by_size
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| {
            geom.features
                .get(i)
                .is_some_and(|f| f.kind != DrawKind::Empty && f.bbox.intersects(view_box))
        })
        .filter(|&i| layer.names.get(i).is_some_and(|n| !n.trim().is_empty()))
        .take(MAX_CANDIDATES)
        .collect()
}

/// A cheap upper bound of the text's width before laying it out: CJK glyphs are square.
fn estimated_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f32>()
        * size
}

#[allow(clippy::too_many_arguments)]
fn place_one(
    layer: &MapLayer,
    fi: usize,
    t: &ScreenTransform,
    (font_size, colour, look): (f32, Rgba, &style::PaletteLook),
    fonts: &mut dyn FontMetrics,
    placed: &mut Placed,
    out: &mut Vec<Primitive>,
) -> bool {
    let geom = &layer.geom;
    let (Some(f), Some(name), Some(shape)) = (
        geom.features.get(fi),
        layer.names.get(fi),
        geom.merc.get(fi),
    ) else {
        return false;
    };
    let Some(at) = f.label_at else { return false };
    let anchor = t.screen_from_merc(at);
    let bbox_px = t.screen_rect_of(&f.bbox);
    let inside_polygon = f.kind == DrawKind::Polygon && layer.role != LayerRole::Plan;
    if inside_polygon {
        let w = estimated_width(name, font_size);
        if w * 0.7 > bbox_px.width() || font_size * 1.2 > bbox_px.height() {
            return false;
        }
    }
    let size = fonts.text_size(name, font_size);
    let rect = if layer.role == LayerRole::Plan && f.kind == DrawKind::Point {
        ScreenRect::from_min_size(
            anchor + screen_vec(look.symbol_radius + 3.0, -size.y / 2.0),
            size,
        )
    } else if layer.role == LayerRole::Plan {
        ScreenRect::from_center_size(
            anchor + screen_vec(0.0, look.symbol_radius + 2.0 + size.y / 2.0),
            size,
        )
    } else {
        ScreenRect::from_center_size(anchor, size)
    };
    if !placed.map.contains_rect(rect) {
        return false;
    }
    if inside_polygon {
        if rect.width() > bbox_px.width() || rect.height() > bbox_px.height() {
            return false;
        }
        let probes = [
            rect.left_top(),
            rect.right_top(),
            rect.left_bottom(),
            rect.right_bottom(),
            rect.center(),
        ];
        let inside = probes.iter().all(|&p| {
            let [x, y] = t.merc_from_screen(p);
            shape.contains(&geo::Point::new(x, y))
        });
        if !inside {
            return false;
        }
    }
    if !placed.try_take(rect.expand(style::LABEL_PADDING_PX)) {
        return false;
    }
    out.push(Primitive::Text(TextRun {
        pos: rect.min,
        text: name.clone(),
        size: font_size,
        colour,
        halo: Some(look.label_halo),
    }));
    true
}

/// Rectangles already taken, bucketed in a coarse grid so each test looks at few of them.
pub(crate) struct Placed {
    map: ScreenRect,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<ScreenRect>>,
}

impl Placed {
    const CELL: f32 = 96.0;

    pub(crate) fn new(map: ScreenRect) -> Self {
        let cols = (map.width() / Self::CELL).ceil().max(1.0) as usize;
        let rows = (map.height() / Self::CELL).ceil().max(1.0) as usize;
        Self {
            map,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        }
    }

    fn cell_range(
        &self,
        r: ScreenRect,
    ) -> (
        std::ops::RangeInclusive<usize>,
        std::ops::RangeInclusive<usize>,
    ) {
        let cell = |v: f32, lo: f32, n: usize| {
            (((v - lo) / Self::CELL).floor().max(0.0) as usize).min(n - 1)
        };
        (
            cell(r.min.x, self.map.min.x, self.cols)..=cell(r.max.x, self.map.min.x, self.cols),
            cell(r.min.y, self.map.min.y, self.rows)..=cell(r.max.y, self.map.min.y, self.rows),
        )
    }

    /// The map's rectangle.
    pub(crate) fn map(&self) -> ScreenRect {
        self.map
    }

    /// Takes `r` if it overlaps nothing taken.
    pub(crate) fn try_take(&mut self, r: ScreenRect) -> bool {
        let (xs, ys) = self.cell_range(r);
        for y in ys.clone() {
            for x in xs.clone() {
                if self.cells[y * self.cols + x]
                    .iter()
                    .any(|o| o.intersects(r))
                {
                    return false;
                }
            }
        }
        self.take(r);
        true
    }

    /// Takes `r` whatever it overlaps (what must stay free of labels: a pin's disc).
    pub(crate) fn take(&mut self, r: ScreenRect) {
        let (xs, ys) = self.cell_range(r);
        for y in ys {
            for x in xs.clone() {
                self.cells[y * self.cols + x].push(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::screen::screen_pos;

    #[test]
    fn overlapping_rectangles_are_refused() {
        let mut p = Placed::new(ScreenRect::from_min_size(
            screen_pos(0.0, 0.0),
            screen_vec(500.0, 300.0),
        ));
        assert!(p.try_take(ScreenRect::from_min_size(
            screen_pos(90.0, 90.0),
            screen_vec(40.0, 12.0)
        )));
        assert!(!p.try_take(ScreenRect::from_min_size(
            screen_pos(120.0, 95.0),
            screen_vec(40.0, 12.0)
        )));
        assert!(p.try_take(ScreenRect::from_min_size(
            screen_pos(140.0, 95.0),
            screen_vec(40.0, 12.0)
        )));
        assert!(p.try_take(ScreenRect::from_min_size(
            screen_pos(-20.0, -5.0),
            screen_vec(10.0, 10.0)
        )));
    }

    #[test]
    fn chinese_is_wider_than_latin() {
        assert!(estimated_width("陆家嘴街道", 16.0) > estimated_width("Lujiazui", 16.0));
    }

    #[test]
    fn fixed_advance_measures_cjk_wider() {
        let mut m = FixedAdvance::default();
        let zh = m.text_size("陆家嘴", 10.0);
        let en = m.text_size("abc", 10.0);
        assert_eq!(zh, screen_vec(30.0, 12.5));
        assert!(en.x < zh.x);
    }
}
