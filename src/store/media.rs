//! Project attachments (`linli_media`, linked through `linli_projects_media`), keyed by their
//! UUID. Reading the records leaves the bytes in the file; [`Store::attachment_data`] reads one
//! attachment's bytes when they are shown or saved.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::media_tables::{MEDIA_TABLE, PROJECT_MEDIA_TABLE};
use super::{PROJECTS_TABLE, Store};
use crate::error::{Error, Problem, Result};
use crate::model::attachment::{Attachment, AttachmentInfo, AttachmentKind};

/// Attachments with their row ids, and what reading found.
pub type AttachmentRows = (Vec<(AttachmentInfo, i64)>, Vec<Problem>);

impl Store {
    /// Every readable attachment linked to a project, with its row id, by project then day
    /// added (one query; the bytes stay in the file), and an [`Problem::UnreadablePlanRow`]
    /// note for each media row another program left unreadable (an id that is not a UUID, an
    /// unknown kind, no bytes, a link to a project row that does not exist): left out and
    /// untouched, never refusing the workspace. Media rows no project links to are left out.
    pub fn attachment_rows(&self) -> Result<AttachmentRows> {
        self.attachment_rows_where(None)
    }

    /// [`Store::attachment_rows`], or only the attachment with id `only`.
    pub(crate) fn attachment_rows_where(&self, only: Option<Uuid>) -> Result<AttachmentRows> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT m.uuid, p.uuid, m.file_name, m.caption, m.kind, m.content_type, m.added,
                    length(m.data), m.id, l.base_id, typeof(m.data)
             FROM {MEDIA_TABLE} m
             JOIN {PROJECT_MEDIA_TABLE} l ON l.related_id = m.id
             LEFT JOIN {PROJECTS_TABLE} p ON p.id = l.base_id
             {}
             ORDER BY p.uuid, m.added, m.uuid",
            super::where_uuid("m.uuid", only)
        ))?;
        let mut rows = stmt.query([])?;
        let (mut out, mut notes) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let row: i64 = r.get(8)?;
            match attachment_of_row(r) {
                Ok(info) => out.push((info, row)),
                Err(detail) => notes.push(super::unreadable_row(MEDIA_TABLE, row, detail)),
            }
        }
        Ok((out, notes))
    }

    /// The bytes of attachment `id`, `None` when there is no such attachment.
    pub fn attachment_data(&self, id: Uuid) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT data FROM {MEDIA_TABLE} WHERE uuid = ?1"))?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?)
    }
}

/// An attachment's record from a row of the query in [`Store::attachment_rows`], or why it
/// cannot be read.
fn attachment_of_row(r: &rusqlite::Row<'_>) -> std::result::Result<AttachmentInfo, String> {
    use super::{column, text_column, uuid_column};
    if r.get_ref(1).map_err(|e| e.to_string())? == rusqlite::types::ValueRef::Null {
        let base: Option<i64> = column(r, 9)?;
        return Err(format!(
            "linked to project row {}, which does not exist",
            base.map_or("NULL".to_string(), |b| b.to_string())
        ));
    }
    let data_type: String = column(r, 10)?;
    if data_type != "blob" {
        return Err(format!("data: {data_type}, not the file's bytes"));
    }
    let kind: String = column(r, 4)?;
    let kind = AttachmentKind::from_key(&kind)
        .ok_or_else(|| format!("kind: unknown attachment kind {kind:?}"))?;
    let size: i64 = column(r, 7)?;
    Ok(AttachmentInfo {
        id: uuid_column(r, 0)?,
        project: uuid_column(r, 1)?,
        file_name: text_column(r, 2)?,
        caption: text_column(r, 3)?,
        kind,
        content_type: text_column(r, 5)?,
        added: text_column(r, 6)?,
        size_bytes: u64::try_from(size).map_err(|_| format!("data: size {size}"))?,
    })
}

/// Links media row `row` to the attachment's project (and to no other).
pub(super) fn link(conn: &Connection, a: &Attachment, row: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {PROJECT_MEDIA_TABLE} WHERE related_id = ?1"
    ))?
    .execute([row])?;
    let n = conn
        .prepare_cached(&format!(
            "INSERT INTO {PROJECT_MEDIA_TABLE} (id, base_id, related_id)
             SELECT ?2, id, ?2 FROM {PROJECTS_TABLE} WHERE uuid = ?1"
        ))?
        .execute(params![a.info.project.to_string(), row])?;
    if n == 0 {
        return Err(Error::request(Problem::NoProjectWithId {
            id: a.info.project.to_string(),
        }));
    }
    Ok(())
}

/// Removes attachment `id`'s link to its project.
pub(super) fn unlink(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {PROJECT_MEDIA_TABLE} WHERE related_id IN (SELECT id FROM {MEDIA_TABLE} WHERE uuid = ?1)"
    ))?
    .execute([id.to_string()])?;
    Ok(())
}
