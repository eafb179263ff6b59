//! The slides section of the meeting form (幻灯片): the views prepared for presenting at the
//! meeting, each added from the map as it is now (camera, visible layers, the project the
//! form belongs to highlighted), retitled, moved, deleted, and presented. They are part of
//! the meeting's draft: the form's save writes them with the rest, one undo step.

use egui::{RichText, Ui};
use uuid::Uuid;

use crate::i18n::Lang;
use crate::i18n::present::{PresentText as T, new_slide_title};
use crate::model::meeting::{MapBookmark, Slide};

/// What the map shows now: what "add the current view" captures.
#[derive(Debug, Clone, Copy)]
pub struct CurrentView<'a> {
    /// The camera.
    pub view: Option<MapBookmark>,
    /// The keys of the layers shown.
    pub layers: &'a [String],
    /// The projects selected (highlighted on the slide).
    pub projects: &'a [Uuid],
}

/// The slides of a meeting's draft, edited in place; returns true when "present" was clicked.
#[must_use]
pub fn show(ui: &mut Ui, lang: Lang, current: CurrentView<'_>, slides: &mut Vec<Slide>) -> bool {
    ui.label(RichText::new(T::Slides.get(lang)).strong());
    if slides.is_empty() {
        ui.label(RichText::new(T::NoSlides.get(lang)).small());
    }
    let n = slides.len();
    let mut swap = None;
    let mut remove = None;
    for (i, slide) in slides.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}.", i + 1));
            let l = ui.label(T::SlideTitle.get(lang));
            ui.add(egui::TextEdit::singleline(&mut slide.title).desired_width(160.0))
                .labelled_by(l.id);
            ui.label(
                RichText::new(format!(
                    "{:.5}, {:.5} z{:.1}",
                    slide.view.lon, slide.view.lat, slide.view.zoom
                ))
                .small(),
            );
            if !slide.highlight.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        T::Highlighted.get(lang),
                        slide.highlight.len()
                    ))
                    .small(),
                );
            }
            if ui
                .add_enabled(i > 0, egui::Button::new(T::MoveUp.get(lang)).small())
                .clicked()
            {
                swap = Some(i - 1);
            }
            if ui
                .add_enabled(i + 1 < n, egui::Button::new(T::MoveDown.get(lang)).small())
                .clicked()
            {
                swap = Some(i);
            }
            if ui.small_button(T::DeleteSlide.get(lang)).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = swap {
        slides.swap(i, i + 1);
    }
    if let Some(i) = remove {
        slides.remove(i);
    }
    let mut present = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                current.view.is_some(),
                egui::Button::new(T::AddCurrentView.get(lang)),
            )
            .clicked()
            && let Some(view) = current.view
        {
            slides.push(Slide {
                title: new_slide_title(lang, slides.len() + 1),
                view,
                layers: current.layers.to_vec(),
                highlight: current.projects.to_vec(),
                alternatives: Vec::new(),
            });
        }
        present = ui
            .add_enabled(!slides.is_empty(), egui::Button::new(T::Present.get(lang)))
            .on_hover_text(T::PresentHint.get(lang))
            .clicked();
    });
    present
}
