//! Meetings' pinned comments and votes on the map: a numbered disc at each pin and its text
//! beside it, and the geometry of placing them. Pins take part in label placement
//! (`render::labels`, which uses this module) first, ahead of street names: their discs are
//! kept free of every label, each pin's text goes where it overlaps nothing already placed
//! (right of the disc, else left, above, below, then the corners), and discs that would cover
//! each other at a coarse scale are set apart around the true point, with a leader line to it.
//! Their text has the labels' halo, so it reads on any fill (a green vote on a green garden).

use uuid::Uuid;

use crate::model::meeting::{MeetingNote, NoteKind, Vote};
use crate::render::primitive::Rgba;
use crate::render::screen::{ScreenPos, ScreenRect, screen_vec};
use crate::render::style;

/// A meeting's comment or vote pinned on the map, as the scene draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPin {
    /// The meeting it belongs to.
    pub meeting: Uuid,
    /// Its note's position among the meeting's notes (0-based).
    pub note: usize,
    /// Where, WGS84 `[lon, lat]`.
    pub lon_lat: [f64; 2],
    /// The number on its disc (the note's row in the meeting form, 1-based).
    pub number: usize,
    /// Its text (a vote's value and reason, or the comment), shortened to
    /// [`style::PIN_LABEL_MAX_CHARS`] on the map.
    pub text: String,
    /// The disc's colour (premultiplied, opaque): comment, or the vote's value.
    pub colour: Rgba,
}

impl MapPin {
    /// The pin of a meeting's note `index`, if the note is pinned; `text` is what it says on
    /// the map (worded by the caller, in the interface language).
    pub fn of_note(meeting: Uuid, index: usize, note: &MeetingNote, text: String) -> Option<Self> {
        Some(Self {
            meeting,
            note: index,
            lon_lat: note.lon_lat?,
            number: index + 1,
            text,
            colour: colour_of(note),
        })
    }
}

/// A note's disc colour: a comment's, or its vote's value's.
pub fn colour_of(note: &MeetingNote) -> Rgba {
    match (note.kind, note.vote) {
        (NoteKind::Vote, Some(v)) => Vote::ALL
            .iter()
            .position(|x| *x == v)
            .and_then(|i| style::PIN_VOTE.get(i).copied())
            .unwrap_or(style::PIN_COMMENT),
        _ => style::PIN_COMMENT,
    }
}

/// Where the scene put one pin in the last frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PinPlace {
    /// The pin's index in the scene's pins.
    pub index: usize,
    /// The screen position of the pin's lon/lat.
    pub at: ScreenPos,
    /// The centre of its disc (`at`, unless set apart from another pin's disc).
    pub disc: ScreenPos,
    /// Its text's box, if the text was placed.
    pub label: Option<ScreenRect>,
}

/// The square a disc centred on `c` covers.
pub(crate) fn disc_rect(c: ScreenPos) -> ScreenRect {
    let d = 2.0 * style::PIN_RADIUS;
    ScreenRect::from_center_size(c, screen_vec(d, d))
}

/// The pin's text as the map shows it: at most [`style::PIN_LABEL_MAX_CHARS`] characters,
/// an ellipsis for the rest (the meeting form holds the whole of it).
pub fn short_text(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= style::PIN_LABEL_MAX_CHARS {
        return text.to_string();
    }
    let mut short: String = text.chars().take(style::PIN_LABEL_MAX_CHARS - 1).collect();
    short.push('…');
    short
}

/// Where a disc goes: at its point when that is free, else the first free place on rings
/// around it.
pub(crate) fn disc_centre(at: ScreenPos, taken: &[ScreenPos]) -> ScreenPos {
    let free = |c: ScreenPos| {
        taken
            .iter()
            .all(|&o| (o - c).length() >= 2.0 * style::PIN_RADIUS + 1.0)
    };
    if free(at) {
        return at;
    }
    let step = 2.0 * style::PIN_RADIUS + 3.0;
    for ring in 1..=3u8 {
        let r = step * f32::from(ring);
        let n = 6 * u16::from(ring);
        for k in 0..n {
            // Start straight up and go round clockwise: the first places are above the point.
            let a =
                std::f32::consts::TAU * f32::from(k) / f32::from(n) - std::f32::consts::FRAC_PI_2;
            let c = at + screen_vec(r * a.cos(), r * a.sin());
            if free(c) {
                return c;
            }
        }
    }
    at
}

/// The places a label of `size` may take around a disc centred on `c`, in order of preference.
pub(crate) fn label_candidates(
    c: ScreenPos,
    size: crate::render::screen::ScreenVec,
) -> [ScreenRect; 8] {
    let r = style::PIN_RADIUS;
    // Further than the padding kept around a label, so a label never touches its own disc.
    let gap = style::LABEL_PADDING_PX + 2.0;
    let (w, h) = (size.x, size.y);
    let d = r * std::f32::consts::FRAC_1_SQRT_2 + gap;
    let at = |x: f32, y: f32| ScreenRect::from_min_size(c + screen_vec(x, y), size);
    [
        at(r + gap, -h / 2.0),
        at(-r - gap - w, -h / 2.0),
        at(-w / 2.0, -r - gap - h),
        at(-w / 2.0, r + gap),
        at(d, -d - h),
        at(d, d),
        at(-d - w, -d - h),
        at(-d - w, d),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::analysis::mercator::merc_from_lon_lat;
    use crate::model::{Feature, Layer, LayerRole, PlanFeature};
    use crate::render::data::MapData;
    use crate::render::labels::{FixedAdvance, FontMetrics};
    use crate::render::layers::LayerStyle;
    use crate::render::primitive::{Primitive, TextRun};
    use crate::render::projection::MapView;
    use crate::render::scene::{Scene, SceneInput};
    use crate::render::screen::ScreenPos;
    use geo::polygon;

    fn square(x: f64, y: f64, d: f64) -> geo::Geometry<f64> {
        geo::Geometry::Polygon(polygon![
            (x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d)
        ])
    }

    /// A street 0.3° across with a pocket garden in it (green), its map data and styles.
    fn district() -> (MapData, Vec<LayerStyle>) {
        let streets = Layer {
            name: "街道".into(),
            role: LayerRole::Streets,
            features: vec![Feature {
                id: Uuid::from_u128(1),
                name: "花木街道".into(),
                geometry: square(121.40, 31.10, 0.3),
                properties: Default::default(),
            }],
            stored: None,
        };
        let garden = PlanFeature {
            feature: Feature {
                id: Uuid::from_u128(2),
                name: "牡丹口袋花园".into(),
                geometry: square(121.549, 31.249, 0.002),
                properties: Default::default(),
            },
            element: "pocket_garden".into(),
            project: None,
            alternative: None,
            street: None,
            community: None,
        };
        let catalog = crate::model::catalog::Catalog::bundled();
        let data = MapData::build(&[streets], &[garden], &catalog, &mut |_, _| {});
        let styles = data.role_styles();
        (data, styles)
    }

    fn pin(note: usize, lon_lat: [f64; 2], text: &str, colour: Rgba) -> MapPin {
        MapPin {
            meeting: Uuid::from_u128(9),
            note,
            lon_lat,
            number: note + 1,
            text: text.into(),
            colour,
        }
    }

    /// Every text run's box, as [`FixedAdvance`] measures it.
    fn text_boxes(scene: &Scene) -> Vec<(String, ScreenRect, Option<Rgba>)> {
        let mut fonts = FixedAdvance::default();
        scene
            .primitives()
            .iter()
            .chain(scene.pin_primitives())
            .filter_map(|p| match p {
                Primitive::Text(TextRun {
                    pos,
                    text,
                    size,
                    halo,
                    ..
                }) => Some((
                    text.clone(),
                    ScreenRect::from_min_size(*pos, fonts.text_size(text, *size)),
                    *halo,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn two_pins_a_few_metres_apart_at_district_scale_get_labels_that_do_not_overlap() {
        let (data, styles) = district();
        let order = vec![0, 1];
        let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(1200.0, 800.0));
        // The whole street on screen: about 40 m a point, the planners' district scale.
        let view = MapView::fit(data.extent.unwrap(), rect.size(), 10.0);
        assert!(view.m_per_point > 25.0, "{}", view.m_per_point);
        // Two residents' notes on the garden, 5 m apart: the same point at this scale. The
        // street's name sits at its centre, right where the pins are.
        let pins = vec![
            pin(0, [121.55, 31.25], "保留老树", style::PIN_COMMENT),
            pin(1, [121.55005, 31.25], "支持：加装座椅", style::PIN_VOTE[0]),
        ];
        let mut scene = Scene::default();
        scene.set_pins(&pins);
        let input = SceneInput {
            palette: Default::default(),
            data: &data,
            styles: &styles,
            order: &order,
            view,
            rect,
        };
        assert!(scene.update(&input, &mut FixedAdvance::default()));
        let places = scene.pin_places().to_vec();
        assert_eq!(places.len(), 2);
        let labels: Vec<ScreenRect> = places.iter().map(|p| p.label.unwrap()).collect();
        assert!(
            !labels[0].intersects(labels[1]),
            "the two labels overlap: {labels:?}"
        );
        // The discs do not cover each other either: the second is set apart, its leader line
        // drawn to the true point.
        assert!((places[0].disc - places[1].disc).length() >= 2.0 * style::PIN_RADIUS);
        assert!(scene.pin_primitives().iter().any(|p| matches!(
            p,
            Primitive::Path { points, .. } if points.first() == Some(&places[1].at)
        )));
        for p in &places {
            for l in &labels {
                assert!(!disc_rect(p.disc).intersects(*l), "a label covers a disc");
            }
        }
        // Each pin's text is drawn with the labels' halo, where its place says.
        let texts = text_boxes(&scene);
        for (want, label) in ["保留老树", "支持：加装座椅"].into_iter().zip(&labels) {
            let (_, r, halo) = texts.iter().find(|(t, _, _)| t == want).unwrap();
            assert_eq!(r.min, label.min);
            assert_eq!(*halo, Some(style::LABEL_HALO), "{want} has no halo");
        }
        // Pins come first: the street's name, which would sit on them, goes elsewhere or not
        // at all, and no other text covers a pin's label or disc.
        for (text, r, _) in &texts {
            if text == "保留老树" || text == "支持：加装座椅" || text.parse::<usize>().is_ok()
            {
                continue;
            }
            for p in &places {
                assert!(
                    !r.intersects(p.label.unwrap()),
                    "{text} covers a pin's label"
                );
                assert!(!r.intersects(disc_rect(p.disc)), "{text} covers a pin");
            }
        }
    }

    #[test]
    fn pins_change_the_scene_and_the_same_pins_do_not() {
        let (data, styles) = district();
        let order = vec![0, 1];
        let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(800.0, 600.0));
        let view = MapView::fit(data.extent.unwrap(), rect.size(), 10.0);
        let input = SceneInput {
            palette: Default::default(),
            data: &data,
            styles: &styles,
            order: &order,
            view,
            rect,
        };
        let mut scene = Scene::default();
        let mut fonts = FixedAdvance::default();
        assert!(scene.update(&input, &mut fonts));
        let pins = vec![pin(0, [121.55, 31.25], "保留老树", style::PIN_COMMENT)];
        scene.set_pins(&pins);
        assert!(scene.update(&input, &mut fonts), "a new pin is drawn");
        scene.set_pins(&pins);
        assert!(
            !scene.update(&input, &mut fonts),
            "the same pins, the same scene"
        );
        let moved = vec![pin(0, [121.56, 31.25], "保留老树", style::PIN_COMMENT)];
        scene.set_pins(&moved);
        assert!(
            scene.update(&input, &mut fonts),
            "a moved pin is drawn again"
        );
        let want = view
            .transform(rect)
            .screen_from_merc(merc_from_lon_lat(121.56, 31.25));
        assert_eq!(scene.pin_places()[0].at, want);
    }

    #[test]
    fn long_texts_are_shortened_with_an_ellipsis() {
        assert_eq!(short_text("  保留老树 "), "保留老树");
        let long = "希望在花园里多放几张长椅，老人可以坐下休息";
        let short = short_text(long);
        assert_eq!(short.chars().count(), style::PIN_LABEL_MAX_CHARS);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn a_disc_on_another_is_set_apart_and_a_free_one_stays() {
        let a = crate::render::screen::screen_pos(100.0, 100.0);
        assert_eq!(disc_centre(a, &[]), a);
        let moved = disc_centre(a, &[a]);
        assert!((moved - a).length() >= 2.0 * style::PIN_RADIUS + 1.0);
        let third = disc_centre(a, &[a, moved]);
        assert!((third - moved).length() >= 2.0 * style::PIN_RADIUS + 1.0);
        assert!((third - a).length() >= 2.0 * style::PIN_RADIUS + 1.0);
    }
}
