//! The map scene, with no user interface: Web Mercator and the view ([`projection`]), the
//! tessellation cache with its levels of detail and R-trees ([`geometry`], [`data`]), layer
//! identity and style ([`layers`]), point symbols ([`symbols`]), label placement behind a
//! font-metrics trait ([`labels`]) with meetings' pins taking part first ([`pins`]) and the
//! per-frame scene builder ([`scene`]) that culls,
//! picks a level of detail and emits plain [`primitive`]s in screen points.
//!
//! This module knows nothing of egui (house rule 1; it builds with `--no-default-features`):
//! the window's painter (`gui::map::paint`) is one consumer of [`scene::Scene`]'s
//! primitives, and a print renderer (SVG, PNG, PDF) is meant to be another. Every colour and
//! size the scene uses is in [`style`].
//!
//! Reference layers stay in the workspace file and are drawn tile by tile ([`tiles`]: which
//! tiles a view needs, a loader thread, a bounded cache).
//!
//! Dependencies run one way: `screen` ← `projection` ← `layers` ← `geometry` ← `data` ←
//! `symbols`, `labels` ← `scene`.

pub mod data;
pub mod frame;
pub mod geometry;
pub mod labels;
pub mod layers;
pub mod map_layer;
pub mod overlay;
pub mod pins;
pub mod primitive;
pub mod projection;
pub mod scene;
pub mod screen;
pub mod style;
pub mod symbols;
pub mod tally;
pub mod tiles;
