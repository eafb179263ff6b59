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
}
