//! The district window (区街交换): hand out a street workspace, merge street workspaces back
//! (or the district's into a street), and the conflicts view — each conflict with the base,
//! this workspace's and the other workspace's values side by side (geometries drawn on a
//! small map, and shown on the main map), resolved per field by taking one side or typing a
//! value. What it asks for goes back to the app as [`DistrictAction`]s.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{Color32, Pos2, RichText, Sense, Shape, Stroke, Ui};
use uuid::Uuid;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::district::DistrictText as T;
use crate::model::sync::{MergeConflict, WHOLE_RECORD};
use crate::session::sync::{Resolution, value_text};

/// What the window asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum DistrictAction {
    /// Merge these workspaces into the open one, one after another.
    Merge(Vec<PathBuf>),
    /// Hand out `street` to a new workspace at `path`.
    Package {
        /// The street.
        street: String,
        /// The file to write.
        path: PathBuf,
    },
    /// Resolve a conflict.
    Resolve(Uuid, Resolution),
    /// Select the plan feature a conflict is about, and show it on the map.
    ShowOnMap(Uuid),
    /// Sync with the district server as `street` (on a worker thread).
    Sync {
        /// The server's address, `postgresql://role@host:port/database`.
        url: String,
        /// The password, when typed apart from the address.
        password: String,
        /// The street this workspace works for.
        street: String,
    },
}

/// The district window's state.
#[derive(Default)]
pub struct DistrictWindow {
    /// Whether it is shown.
    pub open: bool,
    /// The street to hand out.
    pub street: String,
    /// The conflict shown in detail.
    pub selected: Option<Uuid>,
    /// The value being typed for it.
    pub typed: String,
    /// Resolved conflicts are listed too.
    pub show_resolved: bool,
    /// Where the file dialogs' answers come from in tests: answered at once with this path.
    pub answer: Option<PathBuf>,
    /// The district server's address (filled from the server synced last).
    pub server: String,
    /// Its password: typed, kept only while the window lives, never written anywhere.
    pub password: String,
    /// The step of a sync under way (the app sets it; `None` when none is).
    pub syncing: Option<crate::i18n::Worded>,
    merging: Option<Receiver<Option<PathBuf>>>,
    packaging: Option<(String, Receiver<Option<PathBuf>>)>,
}

impl DistrictWindow {
    /// Shows the window (when open) and collects what was asked.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        session: &Session,
    ) -> Vec<DistrictAction> {
        let mut actions = self.poll();
        if !self.open {
            return actions;
        }
        let mut open = self.open;
        egui::Window::new(T::WindowTitle.get(lang))
            .open(&mut open)
            .default_width(720.0)
            .show(ctx, |ui| self.contents(ui, lang, session, &mut actions));
        self.open = open;
        actions
    }

    /// The dialogs' answers, once they arrive.
    fn poll(&mut self) -> Vec<DistrictAction> {
        let mut actions = Vec::new();
        if let Some(rx) = &self.merging {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    actions.push(DistrictAction::Merge(vec![path]));
                    self.merging = None;
                }
                Ok(None) | Err(TryRecvError::Disconnected) => self.merging = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some((street, rx)) = &self.packaging {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    actions.push(DistrictAction::Package {
                        street: street.clone(),
                        path,
                    });
                    self.packaging = None;
                }
                Ok(None) | Err(TryRecvError::Disconnected) => self.packaging = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        actions
    }

    fn answered(
        &self,
        ask: impl FnOnce() -> Receiver<Option<PathBuf>>,
    ) -> Receiver<Option<PathBuf>> {
        match &self.answer {
            Some(path) => {
                let (tx, rx) = std::sync::mpsc::channel();
                let _ = tx.send(Some(path.clone()));
                rx
            }
            None => ask(),
        }
    }

    fn contents(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        actions: &mut Vec<DistrictAction>,
    ) {
        if let Ok(identity) = session.identity() {
            ui.label(
                RichText::new(format!("{}：{}", T::ThisWorkspace.get(lang), identity.name))
                    .strong(),
            );
        }
        for p in session.peers().unwrap_or_default() {
            let role = match lang {
                Lang::Zh => p.role.name_zh(),
                Lang::En => p.role.key(),
            };
            let merged = if p.last_merged.is_empty() {
                "-".to_string()
            } else {
                crate::model::local_time::local_text(&p.last_merged)
            };
            ui.label(format!(
                "{role} · {} · {} {merged}",
                p.name,
                T::LastMerged.get(lang)
            ));
        }
        ui.separator();
        ui.horizontal(|ui| {
            let streets = session.street_names();
            if !streets.contains(&self.street) {
                self.street = session
                    .main_street()
                    .or_else(|| streets.first().cloned())
                    .unwrap_or_default();
            }
            ui.label(T::Street.get(lang));
            egui::ComboBox::from_id_salt("linli-district-street")
                .selected_text(self.street.clone())
                .show_ui(ui, |ui| {
                    for s in &streets {
                        ui.selectable_value(&mut self.street, s.clone(), s);
                    }
                });
            let idle = self.packaging.is_none() && self.merging.is_none();
            if ui
                .add_enabled(
                    idle && !self.street.is_empty(),
                    egui::Button::new(T::PackageButton.get(lang)),
                )
                .clicked()
            {
                let name = format!("{}.gpkg", self.street);
                let rx = self.answered(|| crate::gui::save_file_as(name));
                self.packaging = Some((self.street.clone(), rx));
            }
            ui.separator();
            if ui
                .add_enabled(idle, egui::Button::new(T::MergeMenu.get(lang)))
                .clicked()
            {
                let rx = self
                    .answered(|| crate::gui::browse_for_file(T::Workspaces.get(lang), &["gpkg"]));
                self.merging = Some(rx);
            }
        });
        self.server_row(ui, lang, session, actions);
        ui.separator();
        self.conflicts(ui, lang, session, actions);
    }

    /// The district server: its address, the password, 同步, and the step under way.
    fn server_row(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        actions: &mut Vec<DistrictAction>,
    ) {
        if self.server.is_empty() {
            // The server this workspace synced with, as the peers keep it (no password).
            if let Some(p) = session.peers().unwrap_or_default().into_iter().find(|p| {
                p.role == crate::model::sync::PeerRole::District && p.name.starts_with("postgres")
            }) {
                self.server = p.name;
                // The street it syncs as: its base and high-water mark are that street's.
                if !p.street.is_empty() {
                    self.street = p.street;
                }
            }
        }
        ui.horizontal(|ui| {
            ui.label(T::ServerAddress.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.server)
                    .hint_text(T::ServerAddressHint.get(lang))
                    .desired_width(280.0),
            );
            ui.label(T::Password.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.password)
                    .password(true)
                    .desired_width(100.0),
            );
            let ready = self.syncing.is_none()
                && !self.street.is_empty()
                && self.server.trim().starts_with("postgres");
            if ui
                .add_enabled(ready, egui::Button::new(T::SyncButton.get(lang)))
                .on_hover_text(format!("{}：{}", T::Street.get(lang), self.street))
                .clicked()
            {
                actions.push(DistrictAction::Sync {
                    url: self.server.trim().to_string(),
                    password: self.password.clone(),
                    street: self.street.clone(),
                });
            }
            if let Some(step) = &self.syncing {
                ui.spinner();
                ui.label(step.get(lang));
            }
        });
    }

    fn conflicts(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        actions: &mut Vec<DistrictAction>,
    ) {
        let all = session.merge_conflicts();
        let open = all.iter().filter(|c| c.is_open()).count();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{}（{open}）", T::ConflictsTitle.get(lang))).strong());
            ui.checkbox(&mut self.show_resolved, T::ShowResolved.get(lang));
        });
        let listed: Vec<&MergeConflict> = all
            .into_iter()
            .filter(|c| self.show_resolved || c.is_open())
            .collect();
        if listed.is_empty() {
            ui.label(T::NoConflicts.get(lang));
            return;
        }
        if self
            .selected
            .is_none_or(|id| !listed.iter().any(|c| c.id == id))
        {
            self.selected = listed.first().map(|c| c.id);
            self.typed.clear();
        }
        egui::ScrollArea::vertical()
            .id_salt("linli-district-conflicts")
            .max_height(180.0)
            .show(ui, |ui| {
                egui::Grid::new("linli-district-conflict-grid")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for h in [T::Record, T::Field, T::From, T::Status] {
                            ui.label(RichText::new(h.get(lang)).strong());
                        }
                        ui.end_row();
                        for c in &listed {
                            let chosen = self.selected == Some(c.id);
                            let label = format!("{} · {}", kind_name(lang, c), c.label);
                            if ui.selectable_label(chosen, label).clicked() {
                                self.selected = Some(c.id);
                                self.typed.clear();
                            }
                            ui.label(field_name(lang, c));
                            ui.label(&c.peer_name);
                            ui.label(match lang {
                                Lang::Zh => c.status.name_zh(),
                                Lang::En => c.status.key(),
                            });
                            ui.end_row();
                        }
                    });
            });
        ui.separator();
        if let Some(c) = self.selected.and_then(|id| session.merge_conflict(id)) {
            self.detail(ui, lang, c, actions);
        }
    }

    fn detail(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        c: &MergeConflict,
        actions: &mut Vec<DistrictAction>,
    ) {
        ui.label(RichText::new(format!("{} · {}", c.label, field_name(lang, c))).strong());
        let whole = c.field == WHOLE_RECORD;
        egui::Grid::new("linli-district-sides")
            .num_columns(3)
            .show(ui, |ui| {
                for h in [T::Base, T::Ours, T::Theirs] {
                    ui.label(RichText::new(h.get(lang)).strong());
                }
                ui.end_row();
                for v in [&c.base, &c.ours, &c.theirs] {
                    ui.add(egui::Label::new(shown(lang, v, whole)).wrap());
                }
                ui.end_row();
            });
        let geometries: Vec<Option<geo::Geometry<f64>>> = [&c.base, &c.ours, &c.theirs]
            .into_iter()
            .map(|v| geometry_of(v, &c.field))
            .collect();
        if geometries.iter().any(Option::is_some) {
            mini_map(ui, &geometries);
            ui.label(RichText::new(T::GeometryLegend.get(lang)).small());
        }
        if !c.is_open() {
            ui.label(format!(
                "{}：{}",
                T::ResolvedWith.get(lang),
                shown(lang, &c.resolution, whole)
            ));
            return;
        }
        ui.horizontal(|ui| {
            if ui.button(T::TakeOurs.get(lang)).clicked() {
                actions.push(DistrictAction::Resolve(c.id, Resolution::Ours));
            }
            if ui.button(T::TakeTheirs.get(lang)).clicked() {
                actions.push(DistrictAction::Resolve(c.id, Resolution::Theirs));
            }
            if c.kind == crate::model::change::RecordKind::Plan
                && ui.button(T::ShowOnMap.get(lang)).clicked()
            {
                actions.push(DistrictAction::ShowOnMap(c.record));
            }
        });
        if !whole {
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut self.typed).desired_width(320.0));
                if ui
                    .add_enabled(
                        !self.typed.trim().is_empty(),
                        egui::Button::new(T::TakeTyped.get(lang)),
                    )
                    .clicked()
                {
                    // A typed value is JSON when it reads as JSON of the field's kind (a
                    // number for a number), else text.
                    let typed = self.typed.trim();
                    let value = match serde_json::from_str::<serde_json::Value>(typed) {
                        Ok(v) if !v.is_string() && !c.ours.is_string() => v,
                        _ => serde_json::Value::String(typed.to_string()),
                    };
                    actions.push(DistrictAction::Resolve(c.id, Resolution::Value(value)));
                }
            });
        }
    }
}

/// What a record kind is called.
fn kind_name(lang: Lang, c: &MergeConflict) -> &'static str {
    use crate::model::change::RecordKind as K;
    let (zh, en) = match c.kind {
        K::Plan => ("规划要素", "plan feature"),
        K::Project => ("项目", "project"),
        K::Meeting => ("会议", "meeting"),
        K::Person => ("人员", "person"),
        K::Organisation => ("单位", "organisation"),
        K::Task => ("任务", "task"),
        K::Attachment => ("附件", "attachment"),
        K::Input => ("居民意见", "residents' input"),
        K::Alternative => ("设计方案", "design alternative"),
        _ => ("记录", "record"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The field's name, or "whole record".
fn field_name(lang: Lang, c: &MergeConflict) -> String {
    crate::i18n::district::field_label(lang, c.kind, &c.field)
}

/// A value as the detail shows it: a whole record deleted says so; a geometry by its kind
/// and size; anything else as text.
fn shown(lang: Lang, v: &serde_json::Value, whole: bool) -> String {
    if v.is_null() && whole {
        return T::Deleted.get(lang).to_string();
    }
    if let Some(g) = geometry_of(v, "geometry") {
        use geo::CoordsIter;
        let n = g.coords_count();
        let kind = crate::model::catalog::GeometryKind::of(&g);
        let name = match (kind, lang) {
            (Some(crate::model::catalog::GeometryKind::Point), Lang::Zh) => "点",
            (Some(crate::model::catalog::GeometryKind::Line), Lang::Zh) => "线",
            (Some(crate::model::catalog::GeometryKind::Polygon), Lang::Zh) => "面",
            (Some(crate::model::catalog::GeometryKind::Point), Lang::En) => "point",
            (Some(crate::model::catalog::GeometryKind::Line), Lang::En) => "line",
            (Some(crate::model::catalog::GeometryKind::Polygon), Lang::En) => "polygon",
            (None, _) => "",
        };
        return match lang {
            Lang::Zh => format!("{name}，{n} 个坐标点"),
            Lang::En => format!("{name}, {n} positions"),
        };
    }
    if whole && let Some(map) = v.as_object() {
        return map
            .iter()
            .filter(|(k, _)| k.as_str() != "geometry")
            .map(|(k, v)| format!("{k}: {}", value_text(v)))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let text = value_text(v);
    if text.chars().count() > 400 {
        format!("{}…", text.chars().take(400).collect::<String>())
    } else {
        text
    }
}

/// The geometry a conflict's value holds: the value itself for the geometry field, a whole
/// record's `geometry` field.
fn geometry_of(v: &serde_json::Value, field: &str) -> Option<geo::Geometry<f64>> {
    let g = if field == WHOLE_RECORD {
        v.get("geometry")?
    } else if field == "geometry" {
        v
    } else {
        return None;
    };
    let g: geojson::Geometry = serde_json::from_value(g.clone()).ok()?;
    geo::Geometry::try_from(&g.value).ok()
}

/// The three geometries on a small map of their own: base grey, ours blue, theirs orange.
fn mini_map(ui: &mut Ui, geometries: &[Option<geo::Geometry<f64>>]) {
    use geo::BoundingRect;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(420.0, 220.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, Color32::from_gray(245));
    let Some(b) = geometries
        .iter()
        .flatten()
        .filter_map(|g| g.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
    else {
        return;
    };
    let k = b.center().y.to_radians().cos().max(0.1);
    let (w, h) = (((b.width() * k).max(1e-6)), b.height().max(1e-6));
    let inner = rect.shrink(16.0);
    let scale = (inner.width() as f64 / w).min(inner.height() as f64 / h);
    let to = |c: geo::Coord<f64>| -> Pos2 {
        let x = inner.center().x as f64 + (c.x - b.center().x) * k * scale;
        let y = inner.center().y as f64 - (c.y - b.center().y) * scale;
        Pos2::new(x as f32, y as f32)
    };
    let colours = [
        Color32::from_gray(150),
        Color32::from_rgb(40, 100, 220),
        Color32::from_rgb(235, 130, 20),
    ];
    for (g, colour) in geometries.iter().zip(colours) {
        let Some(g) = g else { continue };
        let stroke = Stroke::new(2.0, colour);
        draw(&painter, g, stroke, &to);
    }
}

fn draw(
    painter: &egui::Painter,
    g: &geo::Geometry<f64>,
    stroke: Stroke,
    to: &dyn Fn(geo::Coord<f64>) -> Pos2,
) {
    use geo::Geometry as G;
    let ring = |ls: &geo::LineString<f64>, closed: bool| {
        let points: Vec<Pos2> = ls.coords().map(|c| to(*c)).collect();
        if closed {
            painter.add(Shape::closed_line(points, stroke));
        } else {
            painter.add(Shape::line(points, stroke));
        }
    };
    match g {
        G::Point(p) => {
            painter.circle_stroke(to(p.0), 5.0, stroke);
        }
        G::MultiPoint(ps) => {
            for p in ps {
                painter.circle_stroke(to(p.0), 5.0, stroke);
            }
        }
        G::LineString(ls) => ring(ls, false),
        G::MultiLineString(m) => m.iter().for_each(|ls| ring(ls, false)),
        G::Polygon(p) => {
            ring(p.exterior(), true);
            p.interiors().iter().for_each(|r| ring(r, true));
        }
        G::MultiPolygon(m) => {
            for p in m {
                ring(p.exterior(), true);
                p.interiors().iter().for_each(|r| ring(r, true));
            }
        }
        G::GeometryCollection(c) => c.iter().for_each(|g| draw(painter, g, stroke, to)),
        _ => {}
    }
}
