//! The window: a thin egui layer over the core [`Session`](crate::Session).
//!
//! - [`app`]: the application: its state, one function per part of the window, and the
//!   commands the parts return, applied after each frame (start reading at `app/mod.rs`);
//! - [`map`]: the map canvas widget (input → commands), [`map::paint`] — the egui consumer of
//!   the scene that lives egui-free in [`crate::render`] — hit testing, editing handles, map
//!   furniture and the basemap;
//! - [`present`]: presentation mode (放映): full screen, a projector palette, slides, and no
//!   path to plan commands;
//! - [`panels`]: the tool bar, the layers panel and legend, the inspector, the status bar;
//! - [`windows`]: the floating windows (GeoJSON import, basemap);
//! - [`meeting_room`]: residents' input live: the strip of large buttons and the tally on the
//!   map, for the presentation mode to host;
//! - [`save`]: "save as" for the exports, asking before replacing a file;
//! - [`style`]: every widget colour and size (the scene's are in `render::style`).

pub mod app;
pub mod map;
pub mod meeting_room;
pub mod panels;
pub mod present;
pub mod save;
pub mod style;
pub mod windows;

use std::path::PathBuf;

pub use app::LinliApp;
pub use app::loader::WorkspaceSource;

/// The bundled CJK font (Droid Sans Fallback, Apache-2.0; licence in `assets/fonts/`).
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");
const CJK_FONT_NAME: &str = "DroidSansFallbackFull";

/// Opens the system's file dialog for one kind of file on its own thread and returns where
/// its answer will arrive: rfd may block, or never return without a desktop portal, so it
/// must stay off the UI thread.
pub fn browse_for_file(
    kind: &'static str,
    extensions: &'static [&'static str],
) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("linli-browse".into())
        .spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter(kind, extensions)
                .pick_file();
            let _ = tx.send(picked);
        });
    rx
}

/// Opens the system's "save as" dialog on its own thread, suggesting `file_name`; returns where
/// its answer will arrive (see [`browse_for_file`]).
pub fn save_file_as(file_name: String) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("linli-save-as".into())
        .spawn(move || {
            let picked = rfd::FileDialog::new().set_file_name(file_name).save_file();
            let _ = tx.send(picked);
        });
    rx
}

/// Installs the fonts: egui's own for Latin text, then the bundled CJK font, so Chinese
/// renders the same on every machine and in headless tests. eframe adds the system's fonts
/// behind these for rare characters.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(CJK_FONT)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        let at = list.len().min(1);
        list.insert(at, CJK_FONT_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Opens the window on `workspace`, or on the user's default workspace (created from the
/// sample on first start). Returns when the window closes; a workspace that cannot be opened
/// is reported in the window, a window that cannot be opened as the error.
pub fn run(workspace: Option<PathBuf>) -> Result<(), String> {
    if let Some(path) = &workspace
        && !path.exists()
    {
        return Err(format!("{}: no such workspace file", path.display()));
    }
    let source = workspace.map_or(WorkspaceSource::Default, WorkspaceSource::Path);
    // SIGTERM (logout, `kill`) and Ctrl+C quit as Ctrl+Q does, the workspace closed whole.
    app::quit::install_signal_handlers();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(crate::i18n::Text::AppTitle.get(crate::i18n::Lang::Zh))
            .with_app_id("linli")
            .with_inner_size(style::WINDOW_SIZE),
        ..Default::default()
    };
    eframe::run_native(
        "linli",
        options,
        Box::new(move |cc| Ok(Box::new(LinliApp::new(cc, source)))),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}
