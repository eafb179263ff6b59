//! The district window's actions: a street handed out, workspaces merged in, a conflict
//! resolved, a conflict's feature shown — each through the session, with a line in the
//! status bar.

use crate::gui::panels::status::StatusKind;
use crate::gui::windows::district::DistrictAction;
use crate::i18n::district::{self as words, DistrictText};
use crate::i18n::errors::failure_text;
use crate::i18n::{Lang, Text};

use super::LinliApp;
use super::commands::AppCommand;
use super::workspace::Reselect;

impl LinliApp {
    pub(super) fn apply_district(&mut self, ctx: &egui::Context, action: DistrictAction) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let session = &mut ws.loaded.session;
        match action {
            DistrictAction::Merge(paths) => {
                let mut lines = Vec::new();
                for path in &paths {
                    match session.merge_file(path, None) {
                        Ok(report) => lines.push(report),
                        Err(e) => {
                            self.refresh(Reselect::Keep);
                            self.set_status(
                                move |lang| {
                                    crate::i18n::labelled(
                                        lang,
                                        DistrictText::MergeFailed.get(lang),
                                        &crate::i18n::errors::error_message(&e, lang),
                                    )
                                },
                                StatusKind::Error,
                            );
                            return;
                        }
                    }
                }
                self.refresh(Reselect::Keep);
                let conflicts: usize = lines.iter().map(|r| r.conflicts).sum();
                self.set_status(
                    move |lang| {
                        lines
                            .iter()
                            .map(|r| words::merged(lang, r))
                            .collect::<Vec<_>>()
                            .join("；")
                    },
                    if conflicts > 0 {
                        StatusKind::Info
                    } else {
                        StatusKind::Ok
                    },
                );
            }
            DistrictAction::Package { street, path } => {
                match session.package_street(&street, &path) {
                    Ok(report) => {
                        self.set_status(move |lang| words::packaged(lang, &report), StatusKind::Ok)
                    }
                    Err(e) => self.set_status(
                        move |lang| {
                            crate::i18n::labelled(
                                lang,
                                DistrictText::PackageFailed.get(lang),
                                &crate::i18n::errors::error_message(&e, lang),
                            )
                        },
                        StatusKind::Error,
                    ),
                }
            }
            DistrictAction::Resolve(id, resolution) => {
                match session.resolve_conflict(id, resolution) {
                    Ok(()) => {
                        let text = session
                            .merge_conflict(id)
                            .map(|c| (c.label.clone(), c.kind, c.field.clone()));
                        self.refresh(Reselect::Keep);
                        self.set_status(
                            move |lang: Lang| match &text {
                                Some((label, kind, field)) => format!(
                                    "{}：{label} · {}",
                                    DistrictText::ConflictResolved.get(lang),
                                    words::field_label(lang, *kind, field)
                                ),
                                None => DistrictText::ConflictResolved.get(lang).to_string(),
                            },
                            StatusKind::Ok,
                        );
                    }
                    Err(e) => {
                        self.refresh(Reselect::Keep);
                        self.set_status(
                            move |lang| failure_text(lang, Text::EditFailed, &e),
                            StatusKind::Error,
                        );
                    }
                }
            }
            DistrictAction::Sync {
                url,
                password,
                street,
            } => self.start_sync(url, password, street),
            DistrictAction::ShowOnMap(id) => {
                if session.plan_feature(id).is_some() {
                    self.refresh(Reselect::Plan(Some(id)));
                    self.apply(ctx, vec![AppCommand::ZoomToSelection]);
                }
            }
        }
    }
}
