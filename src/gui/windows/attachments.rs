//! The attachments section of the project form: each attachment with a thumbnail (images,
//! decoded once with the `image` crate and kept as a texture), its kind, size and caption, and
//! Open, Save as and Remove; Attach picks a file with the system dialog off the UI thread. The
//! file's checks (size, content sniffed from the bytes) are the session's; a refusal is shown
//! under the buttons.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{RichText, Ui};
use uuid::Uuid;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::errors::error_message;
use crate::i18n::projects::{ProjectText as T, attachment_kind_name};
use crate::model::attachment::{AttachmentInfo, AttachmentKind, name_for_saving};
use crate::session::{AttachmentEdit, Command, OpenTarget};

/// A file dialog under way.
enum Pending {
    /// Picking a file to attach to a project as a kind.
    Attach(Receiver<Option<PathBuf>>, Uuid, AttachmentKind),
}

/// The section's state between frames.
#[derive(Default)]
pub struct AttachmentsSection {
    /// The kind the next attachment gets.
    kind: Option<AttachmentKind>,
    pending: Option<Pending>,
    /// Captions being typed, by attachment.
    captions: HashMap<Uuid, String>,
    /// Thumbnails by attachment (`None`: not an image this build decodes).
    thumbnails: HashMap<Uuid, Option<egui::TextureHandle>>,
    /// The last outcome (ok, text).
    pub message: Option<(bool, String)>,
    /// Save as: the dialog, the question before replacing a file, the checked write (the
    /// same way as every export of the window).
    pub saver: crate::gui::save::ExportSaver,
}

impl std::fmt::Debug for AttachmentsSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentsSection")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl AttachmentsSection {
    /// The section for `project`; returns the commands asked for.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        project: Uuid,
    ) -> Vec<Command> {
        let mut out = Vec::new();
        self.poll(lang, session, &mut out);
        self.saver.show(ui.ctx(), lang, session);
        ui.label(RichText::new(T::Attachments.get(lang)).strong());
        let list = session.records().attachments_of(project);
        if list.is_empty() {
            ui.label(T::NoAttachments.get(lang));
        }
        for a in list {
            self.row(ui, lang, session, a, &mut out);
        }
        ui.horizontal(|ui| {
            let kind = self.kind.get_or_insert(AttachmentKind::Before);
            let l = ui.label(T::AttachAs.get(lang));
            egui::ComboBox::from_id_salt("linli-attach-kind")
                .selected_text(attachment_kind_name(lang, *kind))
                .show_ui(ui, |ui| {
                    for k in AttachmentKind::ALL {
                        ui.selectable_value(kind, k, attachment_kind_name(lang, k));
                    }
                })
                .response
                .labelled_by(l.id);
            let kind = *kind;
            if ui
                .add_enabled(
                    self.pending.is_none(),
                    egui::Button::new(T::Attach.get(lang)),
                )
                .clicked()
            {
                let rx = crate::gui::browse_for_file(
                    "PNG, JPEG, GIF, WebP, PDF",
                    &["png", "jpg", "jpeg", "gif", "webp", "pdf"],
                );
                self.pending = Some(Pending::Attach(rx, project, kind));
            }
        });
        if let Some((ok, text)) = &self.message {
            let color = if *ok {
                crate::gui::style::OK_TEXT
            } else {
                crate::gui::style::ERROR_TEXT
            };
            ui.label(RichText::new(text).color(color).small());
        }
        self.saver.message_label(ui);
        out
    }

    /// Attaches the file at `path` to `project` as `kind` (the dialog's answer; tests call it).
    pub fn attach_file(
        &mut self,
        lang: Lang,
        session: &Session,
        project: Uuid,
        path: &std::path::Path,
        kind: AttachmentKind,
    ) -> Option<Command> {
        match session.records().attachment_from_file(project, path, kind) {
            Ok(a) => {
                self.message = Some((
                    true,
                    format!("{} {}", T::Attached.get(lang), a.info.file_name),
                ));
                Some(AttachmentEdit::Add(a).into())
            }
            Err(e) => {
                self.message = Some((false, error_message(&e, lang)));
                None
            }
        }
    }

    fn row(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        a: &AttachmentInfo,
        out: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            if a.is_image() {
                let thumb = self
                    .thumbnails
                    .entry(a.id)
                    .or_insert_with(|| thumbnail(ui.ctx(), session, a));
                match thumb {
                    Some(t) => {
                        let size = t.size_vec2();
                        let scale = crate::gui::style::THUMBNAIL_PX / size.x.max(size.y).max(1.0);
                        ui.add(egui::Image::new((t.id(), size * scale)))
                            .on_hover_text(&a.file_name);
                    }
                    None => {
                        ui.label(type_badge(a));
                    }
                }
            } else {
                ui.label(type_badge(a));
            }
            ui.vertical(|ui| {
                ui.label(format!(
                    "{} · {} · {:.0} KB · {}",
                    attachment_kind_name(lang, a.kind),
                    a.file_name,
                    a.size_bytes as f64 / 1024.0,
                    a.added
                ));
                let caption = self
                    .captions
                    .entry(a.id)
                    .or_insert_with(|| a.caption.clone());
                ui.horizontal(|ui| {
                    let l = ui.label(T::Caption.get(lang));
                    let r = ui
                        .add(egui::TextEdit::singleline(caption).desired_width(180.0))
                        .labelled_by(l.id);
                    if r.lost_focus() && *caption != a.caption {
                        out.push(
                            AttachmentEdit::Update(AttachmentInfo {
                                caption: caption.clone(),
                                ..a.clone()
                            })
                            .into(),
                        );
                    }
                });
                ui.horizontal(|ui| {
                    if ui.small_button(T::OpenAttachment.get(lang)).clicked() {
                        self.message = self.open(lang, session, a, &std::env::temp_dir());
                    }
                    if ui
                        .add_enabled(
                            self.pending.is_none() && !self.saver.busy(),
                            egui::Button::new(T::SaveAttachmentAs.get(lang)).small(),
                        )
                        .clicked()
                    {
                        match session.records().attachment_data(a.id) {
                            Ok(bytes) => {
                                self.message = None;
                                self.saver.start(name_for_saving(&a.file_name), bytes);
                            }
                            Err(e) => self.message = Some((false, error_message(&e, lang))),
                        }
                    }
                    if ui.small_button(T::RemoveAttachment.get(lang)).clicked() {
                        out.push(AttachmentEdit::Delete(a.id).into());
                        self.captions.remove(&a.id);
                    }
                });
            });
        });
        if !self.captions.contains_key(&a.id) {
            return;
        }
        // A caption changed elsewhere (undo) follows the record unless it is being typed.
        if !ui.memory(|m| m.focused().is_some()) {
            self.captions.insert(a.id, a.caption.clone());
        }
    }

    /// Opens an attachment with the system's viewer, written under `temp_root` (the system's
    /// temp folder; tests give their own): the outcome to show, `None` when it was launched. A
    /// type that must not be launched is not: the message says so and points to Save as.
    pub fn open(
        &mut self,
        lang: Lang,
        session: &Session,
        a: &AttachmentInfo,
        temp_root: &std::path::Path,
    ) -> Option<(bool, String)> {
        match session
            .records()
            .write_attachment_for_opening(a.id, temp_root)
        {
            Ok(OpenTarget::Launch(path)) => launch(&path).err().map(|e| (false, e)),
            Ok(OpenTarget::NotOpenable { .. }) => {
                Some((false, T::CannotOpenAttachment.get(lang).to_string()))
            }
            Err(e) => Some((false, error_message(&e, lang))),
        }
    }

    /// Acts on a file dialog's answer.
    fn poll(&mut self, lang: Lang, session: &Session, out: &mut Vec<Command>) {
        let answer = match &self.pending {
            Some(Pending::Attach(rx, ..)) => match rx.try_recv() {
                Ok(answer) => answer,
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => None,
            },
            None => return,
        };
        let pending = self.pending.take();
        let Some(path) = answer else { return };
        match pending {
            Some(Pending::Attach(_, project, kind)) => {
                out.extend(self.attach_file(lang, session, project, &path, kind));
            }
            None => {}
        }
    }
}

/// The stored type's short name (`[PNG]`, `[PDF]`) where no thumbnail is shown: plain text,
/// which every font draws (an emoji such as 🖼 is missing from the bundled fonts).
fn type_badge(a: &AttachmentInfo) -> String {
    let subtype = a.content_type.rsplit('/').next().unwrap_or("");
    let short: String = subtype
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!("[{}]", short.to_ascii_uppercase())
}

/// The attachment's image, decoded and shrunk to a thumbnail, as a texture; `None` when its
/// bytes cannot be read or decoded.
fn thumbnail(
    ctx: &egui::Context,
    session: &Session,
    a: &AttachmentInfo,
) -> Option<egui::TextureHandle> {
    let data = session.records().attachment_data(a.id).ok()?;
    let img = image::load_from_memory(&data).ok()?;
    let side = (crate::gui::style::THUMBNAIL_PX * 2.0) as u32;
    let small = img.thumbnail(side, side).to_rgba8();
    let size = [small.width() as usize, small.height() as usize];
    let color = egui::ColorImage::from_rgba_unmultiplied(size, small.as_raw());
    Some(ctx.load_texture(
        format!("linli-thumb-{}", a.id),
        color,
        egui::TextureOptions::LINEAR,
    ))
}

/// Asks the system to open `path` (a file
/// [`crate::session::Records::write_attachment_for_opening`] wrote: inside a fresh private
/// folder, with an allowed extension its bytes match).
fn launch(path: &std::path::Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("{opener}: {e}"))
}
