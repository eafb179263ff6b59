//! Residents' input in memory: every input by id with its row, and each meeting's tally kept
//! current one input at a time as changesets put and take them ([`InputSet`]), so the tally
//! the map draws every frame is a lookup. Staging an input checks its meeting's
//! [`VoteRules`](crate::model::input::VoteRules) against that tally and the inputs the same
//! command staged before it; undoing the last input is the normal undo, refused when the last
//! step was something else.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::Session;
use super::command::InputEdit;
use super::history::Staging;
use super::record_set::{Keeps, RecordSet};
use super::views::Records;
use crate::error::{Error, Problem, Result};
use crate::model::change::{Op, RecordKind};
use crate::model::input::{InputItem, MeetingTally, ResidentInput};

/// The inputs with, per meeting, their tally.
#[derive(Debug, Default)]
pub(crate) struct InputSet {
    set: RecordSet<ResidentInput>,
    tallies: BTreeMap<Uuid, MeetingTally>,
}

impl InputSet {
    /// The set of the store's rows, tallied.
    pub(crate) fn from_rows(rows: Vec<(ResidentInput, i64)>) -> Self {
        let mut set = Self::default();
        for (input, row) in rows {
            set.keep(input, row);
        }
        set
    }

    /// The input with this id.
    pub(crate) fn get(&self, id: Uuid) -> Option<&ResidentInput> {
        self.set.get(id)
    }

    /// Its row.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.set.row(id)
    }

    /// Every input's id.
    pub(crate) fn ids(&self) -> Vec<Uuid> {
        self.set.all().map(|i| i.id).collect()
    }

    /// Puts an input as read (another program's), tallied.
    pub(crate) fn put(&mut self, r: ResidentInput, row: i64) {
        self.keep(r, row);
    }

    /// Removes an input, untallied.
    pub(crate) fn remove(&mut self, id: Uuid) {
        self.forget(id);
    }
}

impl Keeps<ResidentInput> for InputSet {
    fn label(&self, id: Uuid) -> Option<String> {
        Keeps::label(&self.set, id)
    }
    fn keep(&mut self, r: ResidentInput, row: i64) -> Option<usize> {
        self.forget(r.id);
        self.tallies.entry(r.meeting).or_default().add(&r);
        self.set.put(r, row);
        None
    }
    fn forget(&mut self, id: Uuid) -> Option<usize> {
        if let Some(old) = self.set.get(id) {
            if let Some(t) = self.tallies.get_mut(&old.meeting) {
                t.remove(old);
            }
            self.set.remove(id);
        }
        None
    }
}

impl Staging<'_> {
    pub(in crate::session) fn input(&self, id: Uuid) -> Option<ResidentInput> {
        match self.inputs.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.inputs.get(id).cloned(),
        }
    }

    pub(in crate::session) fn set_input(&mut self, id: Uuid, value: Option<ResidentInput>) {
        if self.inputs.insert(id, value).is_none() {
            self.order
                .push(super::history::RecordId::of(RecordKind::Input, id));
        }
    }

    /// An input is checked on its own, must name a meeting, feature and alternative that
    /// exist (as the command left them), and a vote must keep its meeting's rules, counted
    /// with the inputs this command staged before it.
    pub(in crate::session) fn stage_input(&mut self, edit: InputEdit) -> Result<()> {
        let InputEdit::Add(input) = edit;
        if self.input(input.id).is_some() {
            return Err(Error::request(Problem::InputExists {
                id: input.id.to_string(),
            }));
        }
        if let Some(problem) = input.problem() {
            return Err(Error::request(problem));
        }
        let meeting = self.meeting(input.meeting).ok_or_else(|| {
            Error::request(Problem::NoMeetingWithId {
                id: input.meeting.to_string(),
            })
        })?;
        if let Some(f) = input.feature
            && self.plan_feature(f).is_none()
        {
            return Err(Error::request(Problem::NoPlanFeature { id: f.to_string() }));
        }
        if let Some(a) = input.alternative
            && !self
                .alternatives
                .get(&a)
                .map_or_else(|| self.session.alternative(a).is_some(), Option::is_some)
        {
            return Err(Error::request(Problem::NoAlternativeWithId {
                id: a.to_string(),
            }));
        }
        let mut tally = self
            .session
            .inputs
            .tallies
            .get(&input.meeting)
            .cloned()
            .unwrap_or_default();
        for (id, staged) in &self.inputs {
            let committed = self.session.inputs.get(*id);
            if let Some(old) = committed.filter(|o| o.meeting == input.meeting) {
                tally.remove(old);
            }
            if let Some(new) = staged.as_ref().filter(|n| n.meeting == input.meeting) {
                tally.add(new);
            }
        }
        tally
            .check(&meeting.vote_rules, meeting.attendance, &input)
            .map_err(Error::request)?;
        self.set_input(input.id, Some(input));
        Ok(())
    }

    /// Removes every input of meeting `id` (the meeting is being deleted; undo puts them
    /// back).
    pub(in crate::session) fn drop_inputs_of(&mut self, id: Uuid) {
        let of: Vec<Uuid> = self
            .session
            .inputs
            .set
            .all()
            .filter(|i| i.meeting == id)
            .map(|i| i.id)
            .collect();
        for i in of {
            self.set_input(i, None);
        }
    }
}

impl Session {
    /// Adds inputs as they are, in one transaction and not as an undo step (the sample's
    /// records, like [`Session::add_meetings`]); no rules are checked.
    pub fn add_inputs(&mut self, inputs: &[ResidentInput]) -> Result<()> {
        self.add_records(inputs)
    }

    /// True when the last undo step added residents' inputs and nothing else, so "undo the
    /// last input" may undo it.
    pub fn last_step_is_input(&self) -> bool {
        // An input's provenance goes with it in the same step.
        self.last_changeset().is_some_and(|cs| {
            let input = |c: &&crate::model::change::RecordChange| {
                c.record.kind() == RecordKind::Input && c.op == Op::Insert
            };
            cs.changes.iter().any(|c| input(&c))
                && cs
                    .changes
                    .iter()
                    .all(|c| input(&c) || c.record.kind() == RecordKind::Provenance)
        })
    }

    /// Undoes the last action when it added a resident's input (the strip's "撤销上一条");
    /// anything else is refused, so the strip can never undo a plan edit.
    ///
    /// # Errors
    /// [`Problem::LastStepNotInput`], or what undo reports.
    pub fn undo_last_input(&mut self) -> Result<()> {
        if !self.last_step_is_input() {
            return Err(Error::request(Problem::LastStepNotInput));
        }
        self.undo().map(|_| ())
    }
}

impl<'s> Records<'s> {
    /// The inputs of a meeting, as they were made (then by id).
    pub fn inputs_of(&self, meeting: Uuid) -> Vec<&'s ResidentInput> {
        let mut of: Vec<&'s ResidentInput> = self
            .session
            .inputs
            .set
            .all()
            .filter(|i| i.meeting == meeting)
            .collect();
        of.sort_by(|a, b| a.made.cmp(&b.made).then(a.id.cmp(&b.id)));
        of
    }

    /// Every input, as they were made (then by id).
    pub fn inputs(&self) -> Vec<&'s ResidentInput> {
        let mut all: Vec<&'s ResidentInput> = self.session.inputs.set.all().collect();
        all.sort_by(|a, b| a.made.cmp(&b.made).then(a.id.cmp(&b.id)));
        all
    }

    /// The input with this id.
    pub fn input(&self, id: Uuid) -> Option<&'s ResidentInput> {
        self.session.inputs.get(id)
    }

    /// A meeting's tally (empty when nothing was said): per item, per participant, in total.
    /// Kept current per change, so it costs a lookup.
    pub fn tally(&self, meeting: Uuid) -> &'s MeetingTally {
        static EMPTY: std::sync::OnceLock<MeetingTally> = std::sync::OnceLock::new();
        self.session
            .inputs
            .tallies
            .get(&meeting)
            .unwrap_or_else(|| EMPTY.get_or_init(MeetingTally::default))
    }

    /// The votes participant `participant` has left at meeting `meeting` (`None`: no such
    /// meeting).
    pub fn votes_left(&self, meeting: Uuid, participant: u32) -> Option<u32> {
        let m = self.meeting(meeting)?;
        Some(self.tally(meeting).votes_left(&m.vote_rules, participant))
    }

    /// What to call an item in a list: a feature's name, an alternative's id, a place's
    /// coordinates.
    pub fn item_label(&self, item: InputItem) -> String {
        match item {
            InputItem::Feature(id) => self
                .session
                .plan_feature(id)
                .map(|f| f.feature.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.to_string()),
            InputItem::Alternative(id) => id.to_string(),
            InputItem::Place(x, y) => {
                let deg = crate::model::input::PLACE_CELL_DEG;
                format!(
                    "{:.5}, {:.5}",
                    (x as f64 + 0.5) * deg,
                    (y as f64 + 0.5) * deg
                )
            }
        }
    }
}
