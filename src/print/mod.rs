//! The printed blueprint (一张社区规划蓝图): a sheet for residents, made on the CPU with no
//! user interface, so it works from the command line, in tests and in the window alike.
//!
//! [`sheet::layout`] lays out one sheet from plain data ([`sheet::BlueprintInput`], gathered
//! from the session by `cli::blueprint`) into a drawing list ([`draw::Sheet`]), running the
//! map's own scene builder ([`crate::render::scene::Scene`], with vector outlines) for the map
//! frame: the plan is styled exactly as the window styles it. Three back ends read that one
//! list: [`pdf`] (krilla: vector, the CJK font embedded as a subset), [`svg`] (hand-written
//! XML) and [`png`] (tiny-skia, in strips streamed to the encoder).
//!
//! This module never names egui; it uses `render`, `model`, `i18n` and `error` only.

pub mod draw;
pub mod font;
pub mod pdf;
pub mod png;
pub mod sheet;
pub mod svg;

use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;

pub use sheet::{AreaKind, BlueprintInput, Laid, PageSpec, Paper, ProjectLine};

/// A file format of the blueprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Vector PDF.
    Pdf,
    /// Raster PNG at the page's dpi.
    Png,
    /// Vector SVG.
    Svg,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Png, Format::Svg];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }

    /// The format a file name's extension names (any case).
    ///
    /// # Errors
    /// [`Problem::BlueprintFormat`] naming `path` when it is none of pdf, png, svg.
    pub fn of_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == ext)
            .ok_or_else(|| Error::input(path, None, Problem::BlueprintFormat { found: ext }))
    }
}

/// Lays out and renders one sheet. Returns the file's bytes and the layout (its legend).
///
/// # Errors
/// [`Problem::PrintFailed`] when a back end fails (the bundled font unreadable, the encoder).
pub fn render(
    input: &BlueprintInput,
    page: &PageSpec,
    format: Format,
    lang: Lang,
) -> Result<(Vec<u8>, Laid)> {
    let mut font = font::PrintFont::bundled().ok_or_else(|| {
        Error::request(Problem::PrintFailed {
            detail: "the bundled font is not readable".into(),
        })
    })?;
    let laid = sheet::layout(input, page, lang, &mut font);
    let bytes = match format {
        Format::Pdf => pdf::to_pdf(&laid.sheet, &font)?,
        Format::Svg => svg::to_svg(&laid.sheet).into_bytes(),
        Format::Png => {
            let mut out = Vec::new();
            png::write_png(&laid.sheet, page, &mut font, &mut out)?;
            out
        }
    };
    Ok((bytes, laid))
}
