//! Attachments (附件) of a project: before and after photos, drawings and documents, kept inside
//! the workspace file (the GeoPackage Related Tables extension's media table, `store::media`).
//!
//! The content type is sniffed from the bytes, never taken from the file's extension: a photo
//! renamed `.pdf` is still a photo, and a file that is neither an image nor a PDF is refused.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Problem;

/// The largest attachment accepted.
///
/// # Units
/// Bytes (20 MiB: a phone photo or a scanned drawing; a workspace is mailed around).
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// What an attachment shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentKind {
    /// 改造前: a photo before the works.
    Before,
    /// 改造后: a photo after the works.
    After,
    /// 图纸: a drawing.
    Drawing,
    /// 文件: a document (a PDF, a scan).
    Document,
}

impl AttachmentKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [AttachmentKind; 4] = [Self::Before, Self::After, Self::Drawing, Self::Document];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
            Self::Drawing => "drawing",
            Self::Document => "document",
        }
    }

    /// Its Chinese name (the description QGIS shows for the stored key).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Before => "改造前照片",
            Self::After => "改造后照片",
            Self::Drawing => "图纸",
            Self::Document => "文件",
        }
    }

    /// Parses [`AttachmentKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One attachment's record, without its bytes (what a session holds for every attachment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    /// Stable identity.
    pub id: Uuid,
    /// The project it belongs to.
    pub project: Uuid,
    /// The file's name as attached (`改造前.jpg`).
    pub file_name: String,
    /// A caption.
    #[serde(default)]
    pub caption: String,
    /// What it shows.
    pub kind: AttachmentKind,
    /// The MIME type sniffed from its bytes (`image/png`, `application/pdf`).
    pub content_type: String,
    /// The day it was attached, `YYYY-MM-DD`.
    pub added: String,
    /// Its size.
    ///
    /// # Units
    /// Bytes.
    pub size_bytes: u64,
}

impl AttachmentInfo {
    /// True for images, which forms show as thumbnails.
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// An attachment with its bytes (shared, so undo steps holding it stay cheap to copy).
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// The record.
    pub info: AttachmentInfo,
    /// The file's bytes.
    pub data: Arc<[u8]>,
}

impl Attachment {
    /// An attachment of `data` to `project`, added on `added`: the content type sniffed from the
    /// bytes; an empty, too big or unknown file is refused.
    pub fn new(
        project: Uuid,
        file_name: &str,
        kind: AttachmentKind,
        added: &str,
        data: Vec<u8>,
    ) -> Result<Self, Problem> {
        let size_bytes = data.len() as u64;
        check_size(size_bytes)?;
        let content_type = sniff_content_type(&data).ok_or(Problem::AttachmentTypeUnknown)?;
        Ok(Self {
            info: AttachmentInfo {
                id: Uuid::new_v4(),
                project,
                file_name: file_name.to_string(),
                caption: String::new(),
                kind,
                content_type: content_type.to_string(),
                added: added.to_string(),
                size_bytes,
            },
            data: data.into(),
        })
    }
}

/// Refuses an empty file and one over [`MAX_ATTACHMENT_BYTES`] (checked before reading it).
pub fn check_size(size_bytes: u64) -> Result<(), Problem> {
    if size_bytes == 0 {
        return Err(Problem::AttachmentEmpty);
    }
    if size_bytes > MAX_ATTACHMENT_BYTES {
        return Err(Problem::AttachmentTooLarge {
            size_bytes,
            limit_bytes: MAX_ATTACHMENT_BYTES,
        });
    }
    Ok(())
}

/// The MIME type of the bytes by their signature: PNG, JPEG, GIF, WebP or PDF; `None` for
/// anything else.
pub fn sniff_content_type(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The longest base name an attachment is written under, before its extension (a file name
/// from a workspace someone else made is never trusted to fit a file system).
///
/// # Units
/// Bytes of UTF-8 (cut on a character boundary).
pub const MAX_SAFE_STEM_BYTES: usize = 120;

/// The extensions the bytes' signature allows, and the one to give a file whose name has none
/// of them (`None`: the signature is shared by several types, ZIP-based and OLE office files,
/// so only a matching name tells which). Empty for bytes of no known type.
pub fn signature_extensions(data: &[u8]) -> (&'static [&'static str], Option<&'static str>) {
    match sniff_content_type(data) {
        Some("image/jpeg") => (&["jpg", "jpeg"], Some("jpg")),
        Some("image/png") => (&["png"], Some("png")),
        Some("image/gif") => (&["gif"], Some("gif")),
        Some("image/webp") => (&["webp"], Some("webp")),
        Some("application/pdf") => (&["pdf"], Some("pdf")),
        _ if data.starts_with(b"II*\0") || data.starts_with(b"MM\0*") => {
            (&["tif", "tiff"], Some("tif"))
        }
        _ if data.starts_with(b"PK\x03\x04") => {
            (&["docx", "xlsx", "pptx", "odt", "ods", "odp"], None)
        }
        _ if data.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) => {
            (&["doc", "xls", "ppt"], None)
        }
        _ => (&[], None),
    }
}

/// Reduces a stored file name (typed by anyone, in a file from anywhere) to a base name safe
/// to create: its last path component only (`/` and `\` both separate), control characters
/// and the characters Windows refuses (`<>:"|?*`) replaced by `_`, no leading or trailing dots
/// or spaces (no hidden file, no `..`), inner dots made `_` (no double extension), Windows'
/// reserved device names (`CON`, `NUL`, `COM1`…) prefixed with `_`, cut to
/// [`MAX_SAFE_STEM_BYTES`] on a character boundary; Chinese is kept. Returns the stem and the
/// extension as stored (lower case, maybe empty); `附件` when nothing is left of the stem.
pub fn safe_name_parts(stored: &str) -> (String, String) {
    let last = stored.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let (stem, ext) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (stem, ext.to_ascii_lowercase())
        }
        _ => (trimmed, String::new()),
    };
    let mut stem: String = stem
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .replace('.', "_");
    if stem.len() > MAX_SAFE_STEM_BYTES {
        let mut cut = MAX_SAFE_STEM_BYTES;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    if stem.is_empty() {
        stem = "附件".to_string();
    }
    let upper = stem.to_ascii_uppercase();
    let device = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if device {
        stem.insert(0, '_');
    }
    (stem, ext)
}

/// The name an attachment is written under to be opened by the system, and whether the
/// system may be asked to open it: the safe base name of [`safe_name_parts`] with an
/// extension only from the allow-list of image, PDF and office types, and only one the bytes'
/// signature matches (a PNG named `a.pdf` becomes `a.png`; `x.jpg.exe` holding a JPEG becomes
/// `x_jpg.jpg`). Bytes of no allowed type, or a ZIP/OLE file whose name does not say which
/// office type it is, get no extension and `false`: never launched.
pub fn name_for_opening(stored: &str, data: &[u8]) -> (String, bool) {
    let (stem, ext) = safe_name_parts(stored);
    let (allowed, canonical) = signature_extensions(data);
    let ext = if allowed.contains(&ext.as_str()) {
        Some(ext)
    } else {
        canonical.map(str::to_string)
    };
    match ext {
        Some(ext) => (format!("{stem}.{ext}"), true),
        None => (stem, false),
    }
}

/// The name to suggest when saving an attachment: its safe base name with the extension as
/// stored (the user chooses where, and sees it).
pub fn name_for_saving(stored: &str) -> String {
    match safe_name_parts(stored) {
        (stem, ext) if ext.is_empty() => stem,
        (stem, ext) => format!("{stem}.{ext}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_bytes_not_the_name() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let a = Attachment::new(
            Uuid::nil(),
            "扫描.pdf",
            AttachmentKind::Before,
            "2025-01-02",
            png,
        )
        .unwrap();
        assert_eq!(a.info.content_type, "image/png");
        assert!(a.info.is_image());
        assert_eq!(sniff_content_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            sniff_content_type(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(
            Attachment::new(
                Uuid::nil(),
                "a.png",
                AttachmentKind::Before,
                "",
                b"hello".to_vec()
            ),
            Err(Problem::AttachmentTypeUnknown)
        );
        assert_eq!(check_size(0), Err(Problem::AttachmentEmpty));
        assert!(matches!(
            check_size(MAX_ATTACHMENT_BYTES + 1),
            Err(Problem::AttachmentTooLarge { .. })
        ));
    }

    const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn hostile_stored_names_become_safe_base_names() {
        let name = |stored: &str| name_for_opening(stored, JPEG);
        for (stored, expected) in [
            ("/etc/passwd", "passwd.jpg"),
            ("../../x.jpg", "x.jpg"),
            ("..\\..\\x.jpg", "x.jpg"),
            ("C:\\Windows\\x.jpg", "x.jpg"),
            ("C:x.jpg", "C_x.jpg"),
            ("x.jpg.exe", "x_jpg.jpg"),
            ("x.exe", "x.jpg"),
            ("x.jpg.", "x.jpg"),
            ("x.jpg ", "x.jpg"),
            (".bashrc", "bashrc.jpg"),
            ("..", "附件.jpg"),
            ("", "附件.jpg"),
            ("/", "附件.jpg"),
            ("现场照片.jpg", "现场照片.jpg"),
            ("现场照片.JPEG", "现场照片.jpeg"),
            ("a\0b.jpg", "a_b.jpg"),
            ("a\nb\u{7f}.jpg", "a_b_.jpg"),
            ("what?<>|*\".jpg", "what______.jpg"),
            ("con.jpg", "_con.jpg"),
            ("CON", "_CON.jpg"),
            ("Lpt9.jpg", "_Lpt9.jpg"),
            ("com1.tar.jpg", "com1_tar.jpg"),
        ] {
            assert_eq!(name(stored), (expected.to_string(), true), "{stored:?}");
        }
        // 300 bytes of Chinese (3 bytes each) and of ASCII: cut on a character boundary.
        let long = "照".repeat(100) + ".jpg";
        let (cut, launch) = name(&long);
        assert!(launch);
        let stem = cut.strip_suffix(".jpg").unwrap();
        assert!(
            stem.len() <= MAX_SAFE_STEM_BYTES && stem.len() > 100,
            "{}",
            stem.len()
        );
        assert!(stem.chars().all(|c| c == '照'));
        let (cut, _) = name(&format!("{}.jpg", "a".repeat(300)));
        assert_eq!(cut.len(), MAX_SAFE_STEM_BYTES + 4);
        // Whatever the name, nothing that could leave the folder or hide in it.
        for stored in [
            "../../../../tmp/evil.jpg",
            "a/../../b.jpg",
            "\\\\server\\share\\x.jpg",
        ] {
            let (n, _) = name(stored);
            assert!(!n.contains(['/', '\\']) && !n.starts_with('.'), "{n}");
        }
    }

    #[test]
    fn only_an_allowed_extension_the_bytes_match_is_launched() {
        // A PNG named a.pdf opens as what it is.
        assert_eq!(name_for_opening("a.pdf", PNG), ("a.png".into(), true));
        assert_eq!(
            name_for_opening("扫描.pdf", b"%PDF-1.7\n"),
            ("扫描.pdf".into(), true)
        );
        assert_eq!(
            name_for_opening("图.tiff", b"II*\0rest"),
            ("图.tiff".into(), true)
        );
        assert_eq!(
            name_for_opening("图", b"MM\0*rest"),
            ("图.tif".into(), true)
        );
        // Office files: the name says which; a ZIP or OLE file named otherwise is not launched.
        let zip = b"PK\x03\x04rest";
        let ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0];
        assert_eq!(
            name_for_opening("预算.xlsx", zip),
            ("预算.xlsx".into(), true)
        );
        assert_eq!(
            name_for_opening("方案.docx", zip),
            ("方案.docx".into(), true)
        );
        assert_eq!(name_for_opening("旧.doc", &ole), ("旧.doc".into(), true));
        assert_eq!(name_for_opening("x.jar", zip), ("x".into(), false));
        assert_eq!(name_for_opening("x.docx", &ole), ("x".into(), false));
        assert_eq!(name_for_opening("x.doc", zip), ("x".into(), false));
        // Anything else is never launched, whatever it is called.
        for stored in [
            "x.jpg.exe",
            "x.jpg",
            "run.sh",
            "x.pdf",
            "x.desktop",
            "x.lnk",
        ] {
            assert_eq!(
                name_for_opening(stored, b"MZ\x90\0"),
                (safe_name_parts(stored).0, false)
            );
        }
        assert_eq!(name_for_opening("x.jpg.exe", b"#!/bin/sh\n").0, "x_jpg");
        assert_eq!(name_for_saving("../../现场照片.JPG"), "现场照片.jpg");
        assert_eq!(name_for_saving(".bashrc"), "bashrc");
    }
}
