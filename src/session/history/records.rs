//! Staging of meetings and attachments: the record kinds that hang off a project.

use uuid::Uuid;

use super::{RecordId, Staging};
use crate::error::{Error, Problem, Result};
use crate::model::attachment::Attachment;
use crate::model::change::RecordKind;
use crate::model::meeting::Meeting;
use crate::session::command::{AttachmentEdit, MeetingEdit};

impl Staging<'_> {
    pub(in crate::session) fn meeting(&self, id: Uuid) -> Option<Meeting> {
        match self.meetings.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.records().meeting(id).cloned(),
        }
    }

    pub(in crate::session) fn set_meeting(&mut self, id: Uuid, value: Option<Meeting>) {
        if self.meetings.insert(id, value).is_none() {
            self.order.push(RecordId::of(RecordKind::Meeting, id));
        }
    }

    /// A meeting is checked on its own ([`Meeting::problem`]) and must name a project that
    /// exists; adding one whose id is taken rewrites it, as an update would.
    pub(super) fn stage_meeting(&mut self, edit: MeetingEdit) -> Result<()> {
        let missing = |id: Uuid| Error::request(Problem::NoMeetingWithId { id: id.to_string() });
        match edit {
            MeetingEdit::Update(m) if self.meeting(m.id).is_none() => return Err(missing(m.id)),
            MeetingEdit::Add(m) | MeetingEdit::Update(m) => {
                if let Some(problem) = m.problem() {
                    return Err(Error::request(problem));
                }
                if let Some(p) = m.project
                    && self.project(p).is_none()
                {
                    return Err(Error::request(Problem::NoProjectWithId {
                        id: p.to_string(),
                    }));
                }
                self.enrol_meeting_names(&m);
                self.set_meeting(m.id, Some(m));
            }
            MeetingEdit::Delete(id) => {
                self.meeting(id).ok_or_else(|| missing(id))?;
                // Its tasks stay on record, no longer tied to the meeting.
                self.unlink_tasks(|t| {
                    let linked = t.meeting == Some(id);
                    t.meeting = t.meeting.filter(|_| !linked);
                    linked
                });
                // Its residents' input goes with it (and comes back with an undo).
                self.drop_inputs_of(id);
                self.set_meeting(id, None);
            }
        }
        Ok(())
    }

    fn attachment(&self, id: Uuid) -> Result<Option<Attachment>> {
        match self.attachments.get(&id) {
            Some(staged) => Ok(staged.clone()),
            None => Ok(self.session.attachment_stored(id)?.map(|(a, _)| a)),
        }
    }

    fn set_attachment(&mut self, id: Uuid, value: Option<Attachment>) {
        if self.attachments.insert(id, value).is_none() {
            self.order.push(RecordId::of(RecordKind::Attachment, id));
        }
    }

    /// An attachment must belong to a project that exists (as the command left it); an update
    /// changes its record and keeps its bytes.
    pub(super) fn stage_attachment(&mut self, edit: AttachmentEdit) -> Result<()> {
        let missing = |id: Uuid| Error::request(Problem::NoAttachmentWithId { id: id.to_string() });
        let staged = match edit {
            AttachmentEdit::Add(a) => {
                if self.attachment(a.info.id)?.is_some() {
                    return Err(Error::request(Problem::ProjectIdTaken {
                        id: a.info.id.to_string(),
                    }));
                }
                a
            }
            AttachmentEdit::Update(info) => {
                let old = self.attachment(info.id)?.ok_or_else(|| missing(info.id))?;
                Attachment {
                    info: crate::model::attachment::AttachmentInfo {
                        content_type: old.info.content_type.clone(),
                        size_bytes: old.info.size_bytes,
                        ..info
                    },
                    data: old.data,
                }
            }
            AttachmentEdit::Delete(id) => {
                self.attachment(id)?.ok_or_else(|| missing(id))?;
                self.set_attachment(id, None);
                return Ok(());
            }
        };
        if self.project(staged.info.project).is_none() {
            return Err(Error::request(Problem::NoProjectWithId {
                id: staged.info.project.to_string(),
            }));
        }
        self.set_attachment(staged.info.id, Some(staged));
        Ok(())
    }

    /// Removes every attachment of project `id` (the project is being deleted).
    pub(super) fn drop_attachments_of(&mut self, id: Uuid) -> Result<()> {
        let mut of: Vec<Uuid> = self
            .session
            .records()
            .attachments_of(id)
            .iter()
            .map(|a| a.id)
            .collect();
        of.extend(
            self.attachments
                .values()
                .flatten()
                .filter(|a| a.info.project == id)
                .map(|a| a.info.id),
        );
        of.sort();
        of.dedup();
        for a in of {
            if self.attachment(a)?.is_some_and(|a| a.info.project == id) {
                self.set_attachment(a, None);
            }
        }
        Ok(())
    }
}
