//! The status bar: the last message (an edit saved, or why not), the sketch being drawn with
//! its live measure, the cursor's position, the map's scale, what the last frame drew and the
//! workspace file. It only shows; it returns nothing.

use std::path::Path;

use egui::{RichText, Ui};

use crate::i18n::{self, Lang, Text};
use crate::model::catalog::Catalog;
use crate::sketch::Sketch;

use crate::gui::map::editing::LiveInfo;
use crate::gui::panels::tools::element_name;
use crate::gui::style;
use crate::render::scene::SceneStats;

/// How a status message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Done (an edit saved): green.
    Ok,
    /// Neither good nor bad news: the ordinary text colour.
    Info,
    /// Refused or failed: red.
    Error,
}

/// What the status bar shows this frame.
pub struct StatusInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The last message and how it reads.
    pub message: Option<(&'a str, StatusKind)>,
    /// The sketch being drawn, and the catalog that names its element type.
    pub drawing: Option<(&'a Sketch, &'a Catalog)>,
    /// The sketch's live measure and siting notes.
    pub live: Option<&'a LiveInfo>,
    /// What the proposal being drawn or moved adds to the coverage analysis.
    pub coverage: Option<&'a str>,
    /// The pointer's lon/lat over the map.
    pub pointer: Option<(f64, f64)>,
    /// The view's scale.
    ///
    /// # Units
    /// Ground metres per screen point.
    pub ground_m_per_point: f64,
    /// The open workspace's file, and what the last map frame drew.
    pub workspace: Option<(&'a Path, &'a SceneStats)>,
}

/// Draws the status bar.
pub fn show(ui: &mut Ui, input: &StatusInput<'_>) {
    let lang = input.lang;
    ui.horizontal(|ui| {
        if let Some((text, kind)) = input.message {
            let colour = match kind {
                StatusKind::Ok => style::OK_TEXT,
                StatusKind::Info => ui.visuals().text_color(),
                StatusKind::Error => style::ERROR_TEXT,
            };
            ui.label(RichText::new(text).color(colour));
            ui.separator();
        }
        if let Some((sketch, catalog)) = input.drawing {
            let drawing = format!(
                "{} {}",
                Text::Drawing.get(lang),
                i18n::with_aside(
                    lang,
                    &element_name(catalog, &sketch.element, lang),
                    i18n::kind_name(lang, sketch.kind)
                )
            );
            let mut text = i18n::labelled(
                lang,
                &drawing,
                &format!(
                    "{} {}",
                    sketch.vertices.len(),
                    Text::VerticesSoFar.get(lang)
                ),
            );
            if let Some(live) = input.live {
                if let Some(a) = live.area_m2 {
                    text += &format!(" · {} {}", Text::Area.get(lang), i18n::area_text(lang, a));
                }
                if let Some(l) = live.length_m {
                    text += &format!(
                        " · {} {}",
                        Text::Length.get(lang),
                        i18n::length_text(lang, l)
                    );
                }
                if !live.warnings.is_empty() {
                    text += &format!(" · {} {}", Text::SitingNotes.get(lang), live.warnings.len());
                }
            }
            ui.label(text);
            ui.separator();
        }
        if let Some(added) = input.coverage {
            ui.label(RichText::new(added).color(style::OK_TEXT));
            ui.separator();
        }
        let cursor = input.pointer.map_or_else(
            || Text::Unknown.get(lang).to_string(),
            |(lon, lat)| i18n::lon_lat_text(lang, lon, lat),
        );
        ui.label(format!("{}: {cursor}", Text::Cursor.get(lang)));
        ui.separator();
        // 1 point ≈ 0.2646 mm at 96 dpi.
        let denominator = input.ground_m_per_point / 0.000_264_6;
        ui.label(format!(
            "{}: {}",
            Text::Scale.get(lang),
            i18n::scale_ratio_text(denominator)
        ));
        if let Some((path, stats)) = input.workspace {
            ui.separator();
            let drawn: usize = stats.layers.iter().map(|l| l.drawn).sum();
            ui.label(format!("{} {}", drawn, Text::Features.get(lang)));
            ui.separator();
            ui.label(format!(
                "{} {:.1} ms",
                Text::FrameTime.get(lang),
                stats.build_ms
            ));
            ui.separator();
            ui.label(
                RichText::new(format!("{}: {}", Text::Workspace.get(lang), path.display())).weak(),
            );
        }
    });
}
