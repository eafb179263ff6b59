//! Staging the roster's and tasks' commands, and what they do to the records that name them.
//!
//! Projects, meetings, people and tasks name roster entries by name (see `model::people`), so:
//! - renaming a person or an organisation renames it wherever it is named, and deleting one
//!   takes its name out, in the same step;
//! - saving a project or a meeting that names someone not on the roster puts them on it, in the
//!   same step (a project's mentor as 导师, its planners as 社区规划师, its owner unit, design
//!   team and departments as organisations), so free text keeps working and the roster stays whole;
//! - a task's owner must be on the roster, and its meeting and project must exist.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::command::{OrganisationEdit, PersonEdit, TaskEdit};
use super::history::{RecordId, Staging};
use super::{RecordEdit, Session};
use crate::error::{Error, Problem, Result};
use crate::model::Project;
use crate::model::meeting::Meeting;
use crate::model::people::{OrgKind, Organisation, Person, PersonRole, Task, replace_item};
use crate::model::project::list_items;
use crate::store::RosterRow;

fn missing(record: &str, id: Uuid) -> Error {
    Error::request(Problem::NoRosterRecord {
        record: record.to_string(),
        id: id.to_string(),
    })
}

/// The ids of a record kind as a command left them: the session's and the staged ones.
fn ids_of(session: impl Iterator<Item = Uuid>, staged: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    session
        .chain(staged)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// `text` with name `old` renamed to `new` (or cleared) when it is exactly that name.
fn replace_whole(text: &str, old: &str, new: Option<&str>) -> Option<String> {
    (text.trim() == old).then(|| new.unwrap_or_default().to_string())
}

/// A roster record kind as the staging keeps it: its staged rows, the session's stored ones
/// and its place in the write order, so reading and staging a row is one generic pair.
pub(super) trait StagedRow: RosterRow + Clone {
    /// The rows this command staged.
    fn staged<'m>(s: &'m Staging<'_>) -> &'m BTreeMap<Uuid, Option<Self>>;
    /// The same, to stage into.
    fn staged_mut<'m>(s: &'m mut Staging<'_>) -> &'m mut BTreeMap<Uuid, Option<Self>>;
    /// The session's rows (committed).
    fn stored(session: &Session) -> Vec<&Self>;
    /// The session's row with this id.
    fn stored_row(session: &Session, id: Uuid) -> Option<&Self>;
    /// The write-order entry of the row with this id.
    fn record_id(id: Uuid) -> RecordId;
}

/// A roster record kind named by other records: people and organisations.
trait NamedRow: StagedRow {
    /// Its name, unique within its kind.
    fn name(&self) -> &str;
    /// The same, to set.
    fn name_mut(&mut self) -> &mut String;
    /// The session's row with this name.
    fn stored_named<'s>(session: &'s Session, name: &str) -> Option<&'s Self>;
    /// Renames `old` to `new` (`None`: takes the name out) wherever records name it.
    fn rename_everywhere(s: &mut Staging<'_>, old: &str, new: Option<&str>);
}

macro_rules! staged_row {
    ($row:ty, $field:ident, $all:ident, $one:ident, $record:ident) => {
        impl StagedRow for $row {
            fn staged<'m>(s: &'m Staging<'_>) -> &'m BTreeMap<Uuid, Option<Self>> {
                &s.$field
            }
            fn staged_mut<'m>(s: &'m mut Staging<'_>) -> &'m mut BTreeMap<Uuid, Option<Self>> {
                &mut s.$field
            }
            fn stored(session: &Session) -> Vec<&Self> {
                session.records().$all()
            }
            fn stored_row(session: &Session, id: Uuid) -> Option<&Self> {
                session.records().$one(id)
            }
            fn record_id(id: Uuid) -> RecordId {
                RecordId::of(crate::model::change::RecordKind::$record, id)
            }
        }
    };
}

staged_row!(Person, people, people, person, Person);
staged_row!(
    Organisation,
    orgs,
    organisations,
    organisation,
    Organisation
);
staged_row!(Task, tasks, tasks, task, Task);

impl NamedRow for Person {
    fn name(&self) -> &str {
        &self.name
    }
    fn stored_named<'s>(session: &'s Session, name: &str) -> Option<&'s Self> {
        session.records().person_named(name)
    }
    fn name_mut(&mut self) -> &mut String {
        &mut self.name
    }
    fn rename_everywhere(s: &mut Staging<'_>, old: &str, new: Option<&str>) {
        s.rename_person(old, new);
    }
}

impl NamedRow for Organisation {
    fn name(&self) -> &str {
        &self.name
    }
    fn stored_named<'s>(session: &'s Session, name: &str) -> Option<&'s Self> {
        session.records().organisation_named(name)
    }
    fn name_mut(&mut self) -> &mut String {
        &mut self.name
    }
    fn rename_everywhere(s: &mut Staging<'_>, old: &str, new: Option<&str>) {
        s.rename_organisation(old, new);
    }
}

impl Staging<'_> {
    /// The row with this id as the command left it.
    fn row<R: StagedRow>(&self, id: Uuid) -> Option<R> {
        match R::staged(self).get(&id) {
            Some(staged) => staged.clone(),
            None => R::stored_row(self.session, id).cloned(),
        }
    }

    /// Stages the row with this id (`None`: deleted).
    fn put<R: StagedRow>(&mut self, id: Uuid, value: Option<R>) {
        if R::staged_mut(self).insert(id, value).is_none() {
            self.order.push(R::record_id(id));
        }
    }

    /// Every row of a kind as the command left them, by id.
    fn all<R: StagedRow>(&self) -> Vec<R> {
        let session = R::stored(self.session).into_iter().map(|r| r.id());
        ids_of(session, R::staged(self).keys().copied())
            .into_iter()
            .filter_map(|id| self.row(id))
            .collect()
    }

    /// The row of a named kind with this name as the command left it.
    fn by_name<R: NamedRow>(&self, name: &str) -> Option<R> {
        let name = name.trim();
        let mut staged = R::staged(self).values().flatten();
        if let Some(r) = staged.find(|r| r.name() == name) {
            return Some(r.clone());
        }
        R::stored_named(self.session, name)
            .filter(|r| !R::staged(self).contains_key(&r.id()))
            .cloned()
    }

    fn set_person(&mut self, id: Uuid, value: Option<Person>) {
        self.put(id, value);
    }

    fn task(&self, id: Uuid) -> Option<Task> {
        self.row(id)
    }

    fn set_task(&mut self, id: Uuid, value: Option<Task>) {
        self.put(id, value);
    }

    /// The person with this name as the command left them.
    fn person_by_name(&self, name: &str) -> Option<Person> {
        self.by_name(name)
    }

    /// The organisation with this name as the command left it.
    fn organisation_by_name(&self, name: &str) -> Option<Organisation> {
        self.by_name(name)
    }

    fn all_projects(&self) -> Vec<Project> {
        let session = self.session.projects().values().map(|p| p.id);
        ids_of(session, self.projects.keys().copied())
            .into_iter()
            .filter_map(|id| self.project(id))
            .collect()
    }

    fn all_meetings(&self) -> Vec<Meeting> {
        let session = self.session.meetings.all().map(|m| m.id);
        ids_of(session, self.meetings.keys().copied())
            .into_iter()
            .filter_map(|id| self.meeting(id))
            .collect()
    }

    fn all_tasks(&self) -> Vec<Task> {
        self.all()
    }

    fn all_people(&self) -> Vec<Person> {
        self.all()
    }

    /// Rewrites every task `change` changes (it returns true when it did).
    pub(super) fn unlink_tasks(&mut self, change: impl Fn(&mut Task) -> bool) {
        for mut t in self.all_tasks() {
            if change(&mut t) {
                self.set_task(t.id, Some(t));
            }
        }
    }

    /// Puts a person on the roster unless someone of that name is there.
    fn enrol_person(&mut self, name: &str, role: PersonRole) {
        if !name.trim().is_empty() && self.person_by_name(name).is_none() {
            let p = Person::new(name, role);
            self.set_person(p.id, Some(p));
        }
    }

    /// Puts an organisation on the roster unless one of that name is there.
    fn enrol_organisation(&mut self, name: &str, kind: OrgKind) {
        if !name.trim().is_empty() && self.organisation_by_name(name).is_none() {
            let o = Organisation::new(name, kind);
            self.put(o.id, Some(o));
        }
    }

    /// Everyone a project names, on the roster.
    pub(super) fn enrol_project_names(&mut self, p: &Project) {
        for name in list_items(&p.mentor) {
            self.enrol_person(name, PersonRole::Mentor);
        }
        for name in list_items(&p.planners) {
            self.enrol_person(name, PersonRole::Planner);
        }
        self.enrol_organisation(&p.owner_unit, OrgKind::Other);
        for name in list_items(&p.design_team) {
            self.enrol_organisation(name, OrgKind::DesignTeam);
        }
        for name in list_items(&p.departments) {
            self.enrol_organisation(name, OrgKind::Department);
        }
    }

    /// Everyone a meeting names, on the roster.
    pub(super) fn enrol_meeting_names(&mut self, m: &Meeting) {
        self.enrol_person(&m.chair, PersonRole::Other);
        for name in list_items(&m.attendees) {
            self.enrol_person(name, PersonRole::Other);
        }
        for name in list_items(&m.departments) {
            self.enrol_organisation(name, OrgKind::Department);
        }
    }

    /// Renames person `old` to `new` (`None`: takes the name out) wherever it is named.
    fn rename_person(&mut self, old: &str, new: Option<&str>) {
        for mut p in self.all_projects() {
            let mentor = replace_item(&p.mentor, old, new);
            let planners = replace_item(&p.planners, old, new);
            if mentor.is_none() && planners.is_none() {
                continue;
            }
            p.mentor = mentor.unwrap_or(p.mentor);
            p.planners = planners.unwrap_or(p.planners);
            self.set_project(p.id, Some(p));
        }
        for mut m in self.all_meetings() {
            let chair = replace_whole(&m.chair, old, new);
            let attendees = replace_item(&m.attendees, old, new);
            if chair.is_none() && attendees.is_none() {
                continue;
            }
            m.chair = chair.unwrap_or(m.chair);
            m.attendees = attendees.unwrap_or(m.attendees);
            self.set_meeting(m.id, Some(m));
        }
        self.rename_owner(old, new);
    }

    /// Renames organisation `old` to `new` (`None`: takes the name out) wherever it is named.
    fn rename_organisation(&mut self, old: &str, new: Option<&str>) {
        for mut p in self.all_projects() {
            let team = replace_item(&p.design_team, old, new);
            let departments = replace_item(&p.departments, old, new);
            let owner = replace_whole(&p.owner_unit, old, new);
            if team.is_none() && departments.is_none() && owner.is_none() {
                continue;
            }
            p.owner_unit = owner.unwrap_or(p.owner_unit);
            p.design_team = team.unwrap_or(p.design_team);
            p.departments = departments.unwrap_or(p.departments);
            self.set_project(p.id, Some(p));
        }
        for mut m in self.all_meetings() {
            if let Some(departments) = replace_item(&m.departments, old, new) {
                m.departments = departments;
                self.set_meeting(m.id, Some(m));
            }
        }
        for mut p in self.all_people() {
            if let Some(org) = replace_whole(&p.organisation, old, new) {
                p.organisation = org;
                self.set_person(p.id, Some(p));
            }
        }
        self.rename_owner(old, new);
    }

    fn rename_owner(&mut self, old: &str, new: Option<&str>) {
        self.unlink_tasks(|t| match replace_whole(&t.owner, old, new) {
            Some(owner) => {
                t.owner = owner;
                true
            }
            None => false,
        });
    }

    /// Stages an edit of a named roster row: a name no other row of its kind has, a rename
    /// followed into every record that names it, a delete taken out of them; `also` runs
    /// on a row about to be staged (what it names joins the roster too).
    fn stage_named<R: NamedRow>(
        &mut self,
        edit: RecordEdit<R>,
        also: impl FnOnce(&mut Self, &R),
    ) -> Result<()> {
        use RecordEdit as E;
        match edit {
            E::Update(r) if self.row::<R>(r.id()).is_none() => Err(missing(R::RECORD, r.id())),
            E::Add(mut r) | E::Update(mut r) => {
                let name = r.name().trim().to_string();
                if name.is_empty() {
                    return Err(Error::request(Problem::RosterNameEmpty {
                        record: R::RECORD.into(),
                    }));
                }
                if self
                    .by_name::<R>(&name)
                    .is_some_and(|other| other.id() != r.id())
                {
                    return Err(Error::request(Problem::RosterNameTaken {
                        record: R::RECORD.into(),
                        name,
                    }));
                }
                if let Some(old) = self.row::<R>(r.id())
                    && old.name() != name
                {
                    R::rename_everywhere(self, old.name(), Some(&name));
                }
                *r.name_mut() = name;
                also(self, &r);
                self.put(r.id(), Some(r));
                Ok(())
            }
            E::Delete(id) => {
                let old = self.row::<R>(id).ok_or_else(|| missing(R::RECORD, id))?;
                R::rename_everywhere(self, old.name(), None);
                self.put::<R>(id, None);
                Ok(())
            }
        }
    }

    /// A person needs a name no one else on the roster has; their organisation goes on the
    /// roster too (a designer's as a design team, staff's as a department).
    pub(super) fn stage_person(&mut self, edit: PersonEdit) -> Result<()> {
        self.stage_named(edit, |s, p| {
            let kind = match p.role {
                PersonRole::Designer => OrgKind::DesignTeam,
                PersonRole::Staff => OrgKind::Department,
                _ => OrgKind::Other,
            };
            s.enrol_organisation(&p.organisation, kind);
        })
    }

    /// An organisation needs a name no other organisation has.
    pub(super) fn stage_organisation(&mut self, edit: OrganisationEdit) -> Result<()> {
        self.stage_named(edit, |_, _| {})
    }

    /// A task passes its own checks ([`Task::problem`]); its owner is on the roster and its
    /// meeting and project exist.
    pub(super) fn stage_task(&mut self, edit: TaskEdit) -> Result<()> {
        use RecordEdit as E;
        match edit {
            E::Update(t) if self.task(t.id).is_none() => Err(missing("task", t.id)),
            E::Add(mut t) | E::Update(mut t) => {
                t.owner = t.owner.trim().to_string();
                if let Some(problem) = t.problem() {
                    return Err(Error::request(problem));
                }
                let known = self.person_by_name(&t.owner).is_some()
                    || self.organisation_by_name(&t.owner).is_some();
                if !t.owner.is_empty() && !known {
                    return Err(Error::request(Problem::OwnerNotOnRoster {
                        name: t.owner.clone(),
                    }));
                }
                if let Some(m) = t.meeting
                    && self.meeting(m).is_none()
                {
                    return Err(Error::request(Problem::NoMeetingWithId {
                        id: m.to_string(),
                    }));
                }
                if let Some(p) = t.project
                    && self.project(p).is_none()
                {
                    return Err(Error::request(Problem::NoProjectWithId {
                        id: p.to_string(),
                    }));
                }
                self.set_task(t.id, Some(t));
                Ok(())
            }
            E::Delete(id) => {
                self.task(id).ok_or_else(|| missing("task", id))?;
                self.set_task(id, None);
                Ok(())
            }
        }
    }
}
