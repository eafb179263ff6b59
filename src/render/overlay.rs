//! The coverage overlay as primitives: the uncovered bands of each area (translucent), what a
//! proposal would newly cover, and the ranked candidate sites. Built once per analysis in
//! Web Mercator, turned into screen primitives per frame (one mesh, culled by box).

use std::sync::Arc;

use crate::analysis::mercator::merc_from_lon_lat;
use crate::render::primitive::{Mesh, MeshVertex, Primitive, Rgba, Stroke, TextRun};
use crate::render::projection::{MercBox, ScreenTransform};
use crate::render::screen::{ScreenPos, screen_pos};
use crate::render::style;

/// Quadrilaterals in Web Mercator metres, with their box for culling.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quads {
    quads: Vec<[[f64; 2]; 4]>,
    bbox: Option<MercBox>,
}

impl Quads {
    /// From lon/lat polygons of four corners (the analysis's bands); other polygons are
    /// skipped.
    pub fn from_bands<'a>(bands: impl IntoIterator<Item = &'a geo::MultiPolygon<f64>>) -> Self {
        let mut quads = Vec::new();
        for mp in bands {
            for p in &mp.0 {
                let c = &p.exterior().0;
                if c.len() >= 4 {
                    let q = [0, 1, 2, 3].map(|k| merc_from_lon_lat(c[k].x, c[k].y));
                    quads.push(q);
                }
            }
        }
        let bbox = MercBox::of_points(quads.iter().flatten().copied());
        Self { quads, bbox }
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// One mesh of the quads meeting `view`, in `colour`.
    fn mesh(&self, t: &ScreenTransform, view: &MercBox, colour: Rgba) -> Option<Primitive> {
        if !self.bbox.is_some_and(|b| b.intersects(view)) {
            return None;
        }
        let mut mesh = Mesh::default();
        for q in &self.quads {
            let visible = q.iter().any(|p| {
                p[0] >= view.min[0]
                    && p[0] <= view.max[0]
                    && p[1] >= view.min[1]
                    && p[1] <= view.max[1]
            }) || MercBox::of_points(q.iter().copied())
                .is_some_and(|b| b.intersects(view));
            if !visible {
                continue;
            }
            let base = mesh.vertices.len() as u32;
            for p in q {
                mesh.vertices.push(MeshVertex {
                    pos: t.screen_from_merc(*p),
                    colour,
                });
            }
            mesh.indices
                .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
        (!mesh.is_empty()).then(|| Primitive::Mesh(Arc::new(mesh)))
    }
}

/// What the coverage analysis draws over the map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverageOverlay {
    /// The uncovered bands.
    pub uncovered: Quads,
    /// What the proposal being drawn would newly cover.
    pub added: Quads,
    /// Candidate sites, lon/lat, best first.
    pub candidates: Vec<[f64; 2]>,
}

impl CoverageOverlay {
    /// The primitives for the view `view` seen through `t`: uncovered, then added, then the
    /// candidates numbered from 1.
    pub fn primitives(&self, t: &ScreenTransform, view: &MercBox) -> Vec<Primitive> {
        let mut out = Vec::new();
        out.extend(self.uncovered.mesh(t, view, style::COVERAGE_UNCOVERED_FILL));
        out.extend(self.added.mesh(t, view, style::COVERAGE_ADDED_FILL));
        for (k, [lon, lat]) in self.candidates.iter().enumerate() {
            let centre = t.screen_from_merc(merc_from_lon_lat(*lon, *lat));
            out.push(Primitive::Circle {
                centre,
                radius: style::CANDIDATE_RADIUS,
                fill: Some(style::CANDIDATE_FILL),
                stroke: Some(Stroke {
                    width: 1.5,
                    colour: style::CANDIDATE_STROKE,
                }),
            });
            let text = (k + 1).to_string();
            let half = style::CANDIDATE_TEXT_SIZE * 0.3 * text.len() as f32;
            out.push(Primitive::Text(TextRun {
                pos: at(centre, -half, -style::CANDIDATE_TEXT_SIZE * 0.6),
                text,
                size: style::CANDIDATE_TEXT_SIZE,
                colour: style::CANDIDATE_STROKE,
                halo: None,
            }));
        }
        out
    }
}

fn at(p: ScreenPos, dx: f32, dy: f32) -> ScreenPos {
    screen_pos(p.x + dx, p.y + dy)
}
