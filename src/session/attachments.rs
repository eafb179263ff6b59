//! Project attachments held in memory: their records, by id, with the row id of each; the
//! bytes stay in the workspace file and are read when shown or saved.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::Session;
use super::views::Records;
use crate::error::{Error, Problem, Result};
use crate::model::attachment::{
    Attachment, AttachmentInfo, AttachmentKind, check_size, name_for_opening, name_for_saving,
};

impl Session {
    /// Adds attachments as they are, in one transaction and not as an undo step (the sample's,
    /// like [`Session::add_meetings`]).
    pub fn add_attachments(&mut self, attachments: &[Attachment]) -> Result<()> {
        self.add_records(attachments)
    }

    /// The attachment with its bytes, as stored, with its row (for the history).
    pub(crate) fn attachment_stored(&self, id: Uuid) -> Result<Option<(Attachment, i64)>> {
        let (Some(info), Some(row)) = (self.attachments.get(id), self.attachments.row(id)) else {
            return Ok(None);
        };
        let data = self.records().attachment_data(id)?;
        Ok(Some((
            Attachment {
                info: info.clone(),
                data: data.into(),
            },
            row,
        )))
    }
}

impl<'s> Records<'s> {
    /// The attachments of a project, by day added, then file name.
    pub fn attachments_of(&self, project: Uuid) -> Vec<&'s AttachmentInfo> {
        let mut of: Vec<&'s AttachmentInfo> = self
            .session
            .attachments
            .all()
            .filter(|a| a.project == project)
            .collect();
        of.sort_by(|a, b| {
            (a.added.as_str(), a.file_name.as_str(), a.id).cmp(&(
                b.added.as_str(),
                b.file_name.as_str(),
                b.id,
            ))
        });
        of
    }

    /// The attachment with this id.
    pub fn attachment(&self, id: Uuid) -> Option<&'s AttachmentInfo> {
        self.session.attachments.get(id)
    }

    /// The bytes of an attachment, read from the workspace file.
    pub fn attachment_data(&self, id: Uuid) -> Result<Vec<u8>> {
        self.session
            .store
            .attachment_data(id)?
            .ok_or_else(|| Error::request(Problem::NoAttachmentWithId { id: id.to_string() }))
    }

    /// An attachment of the file at `path` to `project`, added today: the size checked before
    /// reading, the content type sniffed from the bytes. Nothing is written: apply
    /// [`super::AttachmentEdit::Add`] with it.
    pub fn attachment_from_file(
        &self,
        project: Uuid,
        path: &Path,
        kind: AttachmentKind,
    ) -> Result<Attachment> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::cannot_open(path, e))?
            .len();
        check_size(size).map_err(|p| Error::input(path, None, p))?;
        let data = std::fs::read(path).map_err(|e| Error::cannot_open(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let day = crate::model::local_time::today_local();
        Attachment::new(project, &name, kind, &day, data).map_err(|p| Error::input(path, None, p))
    }

    /// Writes an attachment's bytes to `path` ("save as"; "open" saves to a temporary file and
    /// hands it to the system). Written as every export is ([`Session::write_export`]): never
    /// over the workspace or another database; an existing other file is replaced, as the
    /// system's "save as" dialog has asked.
    pub fn save_attachment(&self, id: Uuid, path: &Path) -> Result<()> {
        let data = self.attachment_data(id)?;
        self.session.write_export(path, &data, true)
    }

    /// Writes an attachment into a fresh private folder under `temp_root` (unique per call,
    /// readable by this user only) for the system to open, under the name
    /// [`name_for_opening`] makes of its stored name and bytes; a file of a type the system
    /// must not be asked to open (anything but an allowed image, PDF or office type whose
    /// signature matches) is not written at all: [`OpenTarget::NotOpenable`] (save it instead).
    pub fn write_attachment_for_opening(&self, id: Uuid, temp_root: &Path) -> Result<OpenTarget> {
        let info =
            self.session.attachments.get(id).ok_or_else(|| {
                Error::request(Problem::NoAttachmentWithId { id: id.to_string() })
            })?;
        let data = self.attachment_data(id)?;
        let (name, launch) = name_for_opening(&info.file_name, &data);
        if !launch {
            return Ok(OpenTarget::NotOpenable {
                suggested_name: name_for_saving(&info.file_name),
            });
        }
        let dir = private_dir(temp_root)?;
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        std::io::Write::write_all(&mut file, &data).map_err(|e| Error::io(&path, e))?;
        Ok(OpenTarget::Launch(path))
    }
}

/// What opening an attachment gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenTarget {
    /// The file written for the system to open: inside a fresh folder of the temp root, with an
    /// allowed extension its bytes match.
    Launch(PathBuf),
    /// A type the system is never asked to open; nothing was written. The name to suggest to
    /// "save as".
    NotOpenable {
        /// A safe base name with the extension as stored.
        suggested_name: String,
    },
}

/// A new folder in `root` that did not exist before and only this user can read.
fn private_dir(root: &Path) -> Result<PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let mut last = None;
    for _ in 0..8 {
        let dir = root.join(format!("linli-open-{}", Uuid::new_v4().simple()));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some((dir, e)),
            Err(e) => return Err(Error::io(&dir, e)),
        }
    }
    match last {
        Some((dir, e)) => Err(Error::io(&dir, e)),
        None => Err(Error::io(root, std::io::Error::other("no folder"))),
    }
}
