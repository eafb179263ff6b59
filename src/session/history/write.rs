//! Writing staged record states in one transaction, and naming records in messages.

use super::{Hashes, Record, RecordId, States};
use crate::error::{Error, Problem, Result};
use crate::model::PlanFeature;
use crate::model::people::{Organisation, Person, Task};
use crate::session::projects::SummaryTouch;
use crate::session::{Session, plan_derived};
use crate::store;

impl Session {
    /// What to call a record in a message: its name (a project's code and name), else its id.
    fn record_name(&self, id: RecordId) -> String {
        let name = match id {
            RecordId::Plan(uuid) => self.plan.get(uuid).map(|f| f.feature.name.clone()),
            RecordId::Project(uuid) => self
                .projects
                .get(uuid)
                .map(|p| format!("{} {}", p.code, p.name)),
            RecordId::Meeting(uuid) => self
                .meetings
                .get(uuid)
                .map(|m| format!("{} {}", m.date, m.kind.name_zh())),
            RecordId::Person(uuid) => self.people.get(uuid).map(|p| p.name.clone()),
            RecordId::Organisation(uuid) => self.organisations.get(uuid).map(|o| o.name.clone()),
            RecordId::Task(uuid) => self.tasks.get(uuid).map(|t| t.title.clone()),
            RecordId::Attachment(uuid) => self.attachments.get(uuid).map(|a| a.file_name.clone()),
        };
        let uuid = id.uuid();
        name.filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| uuid.to_string())
    }

    /// Writes record states in one transaction (re-deriving street and community), then
    /// updates memory and the change log. A plan record's row of 0 means "its current row, or a
    /// new one"; `None` deletes. First, inside the transaction, every `expected` row must
    /// still have the content hash given, else nothing is written. Returns the states as
    /// written and each record's row hash after the write.
    pub(super) fn write(
        &mut self,
        states: &[(RecordId, Option<Record>)],
        expected: &[(RecordId, Option<u64>)],
    ) -> Result<(States, Hashes)> {
        let named: Vec<(RecordId, Option<u64>, String)> = expected
            .iter()
            .map(|(id, h)| (*id, *h, self.record_name(*id)))
            .collect();
        let path = self.store.path().to_path_buf();
        // Decide each row before the transaction borrows the store: a recorded row, else the
        // current row when the feature stays in the same plan table, else a new row.
        let located: Vec<(RecordId, Option<Record>)> = states
            .iter()
            .map(|(id, state)| {
                let state = state.clone().map(|record| match record {
                    Record::Plan(mut f, row) => {
                        let location = self.locate_geometry(&f.feature.geometry);
                        f.street = location.street;
                        f.community = location.community;
                        let current = self.plan.get(f.feature.id);
                        let same_kind = current.and_then(PlanFeature::kind) == f.kind();
                        let current_row = self.plan.row(f.feature.id).filter(|_| same_kind);
                        let row = if row > 0 {
                            row
                        } else {
                            current_row.unwrap_or(0)
                        };
                        Record::Plan(f, row)
                    }
                    Record::Project(p, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.projects.row(p.id).unwrap_or(0)
                        };
                        Record::Project(p, row)
                    }
                    Record::Meeting(m, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.meetings.row(m.id).unwrap_or(0)
                        };
                        Record::Meeting(m, row)
                    }
                    Record::Person(r, row) => {
                        let row = self.people.known_row(r.id, row);
                        Record::Person(r, row)
                    }
                    Record::Organisation(r, row) => {
                        let row = self.organisations.known_row(r.id, row);
                        Record::Organisation(r, row)
                    }
                    Record::Task(r, row) => {
                        let row = self.tasks.known_row(r.id, row);
                        Record::Task(r, row)
                    }
                    Record::Attachment(a, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.attachments.row(a.info.id).unwrap_or(0)
                        };
                        Record::Attachment(a, row)
                    }
                });
                (*id, state)
            })
            .collect();
        let mut written = Vec::with_capacity(located.len());
        let tx = self.store.begin()?;
        for (id, hash, name) in named {
            if store::row_hash(&tx, id)? != hash {
                return Err(Error::workspace(
                    &path,
                    Problem::ChangedElsewhere {
                        name,
                        id: id.uuid().to_string(),
                    },
                ));
            }
        }
        for (id, state) in located {
            match (id, state) {
                (_, Some(Record::Plan(f, row))) => {
                    let fid = (row > 0).then_some(row);
                    let row =
                        store::write_plan_feature(&tx, &f, plan_derived(&self.catalog, &f), fid)?;
                    written.push((id, Some(Record::Plan(f, row))));
                }
                (RecordId::Plan(uuid), None) => {
                    store::delete_plan_feature(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Project(p, row))) => {
                    let row = if self.projects.get(p.id).is_some() {
                        store::update_project(&tx, &p)?;
                        row
                    } else {
                        store::insert_project_at(&tx, &p, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Project(p, row))));
                }
                (RecordId::Project(uuid), None) => {
                    store::delete_project(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Meeting(m, row))) => {
                    let row = if self.meetings.get(m.id).is_some() {
                        store::update_meeting(&tx, &m)?;
                        row
                    } else {
                        store::insert_meeting_at(&tx, &m, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Meeting(m, row))));
                }
                (RecordId::Meeting(uuid), None) => {
                    store::delete_meeting(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Person(r, row))) => {
                    let row = self.people.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Person(r, row))));
                }
                (RecordId::Person(uuid), None) => {
                    store::delete_roster::<Person>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Organisation(r, row))) => {
                    let row = self.organisations.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Organisation(r, row))));
                }
                (RecordId::Organisation(uuid), None) => {
                    store::delete_roster::<Organisation>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Task(r, row))) => {
                    let row = self.tasks.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Task(r, row))));
                }
                (RecordId::Task(uuid), None) => {
                    store::delete_roster::<Task>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Attachment(a, row))) => {
                    let row = if self.attachments.get(a.info.id).is_some() {
                        store::update_attachment(&tx, &a)?;
                        row
                    } else {
                        store::insert_attachment_at(&tx, &a, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Attachment(a, row))));
                }
                (RecordId::Attachment(uuid), None) => {
                    store::delete_attachment(&tx, uuid)?;
                    written.push((id, None));
                }
            }
        }
        let mut hashes = Hashes::new();
        for (id, _) in &written {
            hashes.insert(*id, store::row_hash(&tx, *id)?);
        }
        tx.commit()?;
        let touched = self.summary_touches(&written);
        let mut slots = Vec::new();
        for (id, state) in &written {
            match (id, state) {
                (_, Some(Record::Plan(f, row))) => slots.push(self.plan.put(f.clone(), *row)),
                (RecordId::Plan(uuid), None) => slots.extend(self.plan.remove(*uuid)),
                (_, Some(Record::Project(p, row))) => self.projects.put(p.clone(), *row),
                (RecordId::Project(uuid), None) => self.projects.remove(*uuid),
                (_, Some(Record::Meeting(m, row))) => self.meetings.put(m.clone(), *row),
                (RecordId::Meeting(uuid), None) => self.meetings.remove(*uuid),
                (_, Some(Record::Person(r, row))) => self.people.put(r.clone(), *row),
                (RecordId::Person(uuid), None) => self.people.remove(*uuid),
                (_, Some(Record::Organisation(r, row))) => self.organisations.put(r.clone(), *row),
                (RecordId::Organisation(uuid), None) => self.organisations.remove(*uuid),
                (_, Some(Record::Task(r, row))) => self.tasks.put(r.clone(), *row),
                (RecordId::Task(uuid), None) => self.tasks.remove(*uuid),
                (_, Some(Record::Attachment(a, row))) => self.attachments.put(a.info.clone(), *row),
                (RecordId::Attachment(uuid), None) => self.attachments.remove(*uuid),
            }
        }
        if let Some(summaries) = self.summaries.get_mut() {
            summaries.update(&self.catalog, &self.plan, &self.projects, &touched);
        }
        self.bump_revision(Some(slots));
        Ok((written, hashes))
    }

    /// What the records about to be put in memory change for the projects' summaries, read
    /// before memory changes: each plan feature's link before and after, each project's code
    /// before and after.
    fn summary_touches(&self, written: &States) -> Vec<SummaryTouch> {
        written
            .iter()
            .filter_map(|(id, state)| match (id, state) {
                (RecordId::Plan(uuid), state) => {
                    let before = self.plan.get(*uuid).and_then(|f| f.project.clone());
                    let after = match state {
                        Some(Record::Plan(f, _)) => f.project.clone(),
                        _ => None,
                    };
                    Some(SummaryTouch::Feature(*uuid, before, after))
                }
                (RecordId::Project(uuid), state) => {
                    let before = self.projects.get(*uuid).map(|p| p.code.clone());
                    let after = match state {
                        Some(Record::Project(p, _)) => Some(p.code.clone()),
                        _ => None,
                    };
                    Some(SummaryTouch::Project(before, after))
                }
                _ => None,
            })
            .collect()
    }
}
