//! Staging the roster's and tasks' commands, and what they do to the records that name them.
//!
//! Projects, meetings, people and tasks name roster entries by name (see `model::people`), so:
//! - renaming a person or an organisation renames it wherever it is named, and deleting one
//!   takes its name out, in the same step;
//! - saving a project or a meeting that names someone not on the roster puts them on it, in the
//!   same step (a project's mentor as 导师, its planners as 社区规划师, its design team and
//!   departments as organisations), so free text keeps working and the roster stays whole;
//! - a task's owner must be on the roster, and its meeting and project must exist.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::command::{OrganisationEdit, PersonEdit, TaskEdit};
use super::history::{RecordId, Staging};
use crate::error::{Error, Problem, Result};
use crate::model::Project;
use crate::model::meeting::Meeting;
use crate::model::people::{OrgKind, Organisation, Person, PersonRole, Task, replace_item};
use crate::model::project::list_items;

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

impl Staging<'_> {
    fn person(&self, id: Uuid) -> Option<Person> {
        match self.people.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.person(id).cloned(),
        }
    }

    fn set_person(&mut self, id: Uuid, value: Option<Person>) {
        if self.people.insert(id, value).is_none() {
            self.order.push(RecordId::Person(id));
        }
    }

    fn organisation(&self, id: Uuid) -> Option<Organisation> {
        match self.orgs.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.organisation(id).cloned(),
        }
    }

    fn set_organisation(&mut self, id: Uuid, value: Option<Organisation>) {
        if self.orgs.insert(id, value).is_none() {
            self.order.push(RecordId::Organisation(id));
        }
    }

    fn task(&self, id: Uuid) -> Option<Task> {
        match self.tasks.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.task(id).cloned(),
        }
    }

    fn set_task(&mut self, id: Uuid, value: Option<Task>) {
        if self.tasks.insert(id, value).is_none() {
            self.order.push(RecordId::Task(id));
        }
    }

    /// The person with this name as the command left them.
    fn person_by_name(&self, name: &str) -> Option<Person> {
        let name = name.trim();
        if let Some(p) = self.people.values().flatten().find(|p| p.name == name) {
            return Some(p.clone());
        }
        self.session
            .person_named(name)
            .filter(|p| !self.people.contains_key(&p.id))
            .cloned()
    }

    /// The organisation with this name as the command left it.
    fn organisation_by_name(&self, name: &str) -> Option<Organisation> {
        let name = name.trim();
        if let Some(o) = self.orgs.values().flatten().find(|o| o.name == name) {
            return Some(o.clone());
        }
        self.session
            .organisation_named(name)
            .filter(|o| !self.orgs.contains_key(&o.id))
            .cloned()
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
        let session = self.session.tasks.all().map(|t| t.id);
        ids_of(session, self.tasks.keys().copied())
            .into_iter()
            .filter_map(|id| self.task(id))
            .collect()
    }

    fn all_people(&self) -> Vec<Person> {
        let session = self.session.people.all().map(|p| p.id);
        ids_of(session, self.people.keys().copied())
            .into_iter()
            .filter_map(|id| self.person(id))
            .collect()
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
            self.set_organisation(o.id, Some(o));
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
            if team.is_none() && departments.is_none() {
                continue;
            }
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

    /// A person needs a name no one else on the roster has; their organisation goes on the
    /// roster too (a designer's as a design team, staff's as a department).
    pub(super) fn stage_person(&mut self, edit: PersonEdit) -> Result<()> {
        use super::RecordEdit as E;
        match edit {
            E::Update(p) if self.person(p.id).is_none() => Err(missing("person", p.id)),
            E::Add(mut p) | E::Update(mut p) => {
                p.name = p.name.trim().to_string();
                if p.name.is_empty() {
                    return Err(Error::request(Problem::RosterNameEmpty {
                        record: "person".into(),
                    }));
                }
                if self.person_by_name(&p.name).is_some_and(|o| o.id != p.id) {
                    return Err(Error::request(Problem::RosterNameTaken {
                        record: "person".into(),
                        name: p.name.clone(),
                    }));
                }
                if let Some(old) = self.person(p.id)
                    && old.name != p.name
                {
                    self.rename_person(&old.name, Some(&p.name));
                }
                let kind = match p.role {
                    PersonRole::Designer => OrgKind::DesignTeam,
                    PersonRole::Staff => OrgKind::Department,
                    _ => OrgKind::Other,
                };
                self.enrol_organisation(&p.organisation, kind);
                self.set_person(p.id, Some(p));
                Ok(())
            }
            E::Delete(id) => {
                let old = self.person(id).ok_or_else(|| missing("person", id))?;
                self.rename_person(&old.name, None);
                self.set_person(id, None);
                Ok(())
            }
        }
    }

    /// An organisation needs a name no other organisation has.
    pub(super) fn stage_organisation(&mut self, edit: OrganisationEdit) -> Result<()> {
        use super::RecordEdit as E;
        match edit {
            E::Update(o) if self.organisation(o.id).is_none() => Err(missing("organisation", o.id)),
            E::Add(mut o) | E::Update(mut o) => {
                o.name = o.name.trim().to_string();
                if o.name.is_empty() {
                    return Err(Error::request(Problem::RosterNameEmpty {
                        record: "organisation".into(),
                    }));
                }
                if self
                    .organisation_by_name(&o.name)
                    .is_some_and(|other| other.id != o.id)
                {
                    return Err(Error::request(Problem::RosterNameTaken {
                        record: "organisation".into(),
                        name: o.name.clone(),
                    }));
                }
                if let Some(old) = self.organisation(o.id)
                    && old.name != o.name
                {
                    self.rename_organisation(&old.name, Some(&o.name));
                }
                self.set_organisation(o.id, Some(o));
                Ok(())
            }
            E::Delete(id) => {
                let old = self
                    .organisation(id)
                    .ok_or_else(|| missing("organisation", id))?;
                self.rename_organisation(&old.name, None);
                self.set_organisation(id, None);
                Ok(())
            }
        }
    }

    /// A task passes its own checks ([`Task::problem`]); its owner is on the roster and its
    /// meeting and project exist.
    pub(super) fn stage_task(&mut self, edit: TaskEdit) -> Result<()> {
        use super::RecordEdit as E;
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
