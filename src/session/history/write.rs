//! Committing a changeset: the store writes it, checked against the file; memory follows what
//! the file then holds. The one path every change of a record takes.

use super::RecordId;
use crate::error::{Error, Problem, Result};
use crate::model::change::{Changeset, Record, RecordKind};
use crate::session::projects::SummaryTouch;
use crate::session::{Locator, Session};
use crate::store::{AnyRecord, Conflict, Refused, Written};

impl Session {
    /// What to call a record in a message: its name (a project's code and name), else its id.
    pub(crate) fn record_name(&self, id: RecordId) -> String {
        let name = self.label_in_memory(id);
        name.filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| id.uuid().to_string())
    }

    /// Adds records as they are, as one changeset of inserts through [`Session::commit`] —
    /// not an undo step (the sample's records, a bulk load).
    pub(in crate::session) fn add_records<T: Record>(&mut self, records: &[T]) -> Result<()> {
        let mut changes = Changeset::default();
        for r in records {
            changes.push(None, Some(r));
        }
        let changes = self.stamped(changes)?;
        self.commit(&changes).map(|_| ())
    }

    /// Writes a changeset through the store, which checks each change's base against the file
    /// in the same IMMEDIATE transaction, then makes memory what the file holds. Returns the
    /// changeset with the rows it used (a delete's row, so undoing it puts the record back
    /// there). Refused when another program changed a field this changeset changes (or
    /// deleted the record, or added one with its id): nothing is written, the record is read
    /// again, and the error names it and the field.
    pub(in crate::session) fn commit(&mut self, changes: &Changeset) -> Result<Changeset> {
        if changes.is_empty() {
            return Ok(Changeset::default());
        }
        let outcome = {
            let locator = Locator {
                layers: &self.layers,
                indexes: &self.layer_indexes,
            };
            let derive = locator.deriver(&self.catalog, true);
            self.store.apply(changes, &derive)?
        };
        let written = match outcome {
            Ok(written) => written,
            Err(refused) => return Err(self.refused(refused)),
        };
        let mut applied = changes.clone();
        for (change, w) in applied.changes.iter_mut().zip(&written) {
            change.row_before = w.row_before;
            change.row_after = w.state.as_ref().map(|(_, row)| *row);
        }
        self.take_written(written);
        Ok(applied)
    }

    /// The error for a refused changeset, after reading the record it names again.
    fn refused(&mut self, refused: Refused) -> Error {
        let name = self.record_name(refused.record);
        let id = refused.record.uuid().to_string();
        let problem = match refused.conflict {
            Conflict::Changed(field) => Problem::ChangedElsewhere { name, id, field },
            Conflict::Deleted => Problem::DeletedElsewhere { name, id },
            Conflict::Added => Problem::AddedElsewhere { name, id },
        };
        // Memory takes what the file holds now, so the next try starts from it.
        match self.store.read_record(refused.record) {
            Ok(state) => {
                let state = state.map(|(mut record, row)| {
                    if let AnyRecord::Plan(f) = &mut record {
                        let location = self.locate_geometry(&f.feature.geometry);
                        f.street = location.street;
                        f.community = location.community;
                    }
                    (record, row)
                });
                self.take_written(vec![Written {
                    record: refused.record,
                    state,
                    row_before: None,
                }]);
            }
            Err(e) => return e,
        }
        Error::workspace(self.store.path(), problem)
    }

    /// Makes memory hold the records as written (or read), updating the projects' summaries
    /// and the change log for those only.
    pub(in crate::session) fn take_written(&mut self, written: Vec<Written>) {
        let touched = self.summary_touches(&written);
        // An alternative written can move features in or out of the plan without touching
        // them: the views and the summaries are made again.
        let alternatives = written
            .iter()
            .any(|w| w.record.kind() == RecordKind::Alternative);
        let mut slots = Vec::new();
        for w in written {
            let slot = match w.state {
                Some((record, row)) => self.keep_record(record, row),
                None => self.forget_record(w.record),
            };
            slots.extend(slot);
        }
        if alternatives {
            self.record_change(None);
            return;
        }
        if let Some(summaries) = self.summaries.get_mut() {
            summaries.update(&self.catalog, &self.plan, &self.projects, &touched);
        }
        self.bump_revision(Some(slots));
    }

    /// What the records about to be put in memory change for the projects' summaries, read
    /// before memory changes: each plan feature's link before and after, each project's code
    /// before and after.
    fn summary_touches(&self, written: &[Written]) -> Vec<SummaryTouch> {
        written
            .iter()
            .filter_map(|w| match (w.record.kind(), w.record.uuid(), &w.state) {
                (RecordKind::Plan, uuid, state) => {
                    let before = self.plan.get(uuid).and_then(|f| f.project.clone());
                    let after = match state {
                        Some((AnyRecord::Plan(f), _)) => f.project.clone(),
                        _ => None,
                    };
                    Some(SummaryTouch::Feature(uuid, before, after))
                }
                (RecordKind::Project, uuid, state) => {
                    let before = self.projects.get(uuid).map(|p| p.code.clone());
                    let after = match state {
                        Some((AnyRecord::Project(p), _)) => Some(p.code.clone()),
                        _ => None,
                    };
                    Some(SummaryTouch::Project(before, after))
                }
                _ => None,
            })
            .collect()
    }
}
