//! Residents' input at a meeting (居民意见与投票): a comment (support 支持, concern 担忧, idea
//! 想法) or a dot vote (投票), pinned where the facilitator tapped, on a plan feature or a
//! design alternative when the tap was on one. Records of their own, insert-only and keyed by
//! UUID (v7: time-ordered), so two workspaces' inputs merge without conflicts; the only removal
//! is undoing the last one.
//!
//! A meeting's [`VoteRules`] (as Decidim's: votes per participant, a per-item cap, stacking,
//! open or closed) decide whether a vote may be added; [`MeetingTally`] counts what was said
//! per item, kept current one input at a time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Problem;

/// The longest text an input may carry, in characters (a short comment, read aloud).
pub const MAX_INPUT_TEXT_CHARS: usize = 140;

/// The side of the grid cell inputs on a place (neither feature nor alternative) are counted
/// in, degrees (about 30 m north–south in Shanghai): taps a finger's width apart at a
/// community's scale count as one place.
pub const PLACE_CELL_DEG: f64 = 0.0003;

/// What a resident's input says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// 支持: for it.
    Support,
    /// 担忧: a concern.
    Concern,
    /// 想法: an idea.
    Idea,
    /// 投票: a dot vote, limited by the meeting's [`VoteRules`].
    Vote,
}

impl InputKind {
    /// Every kind, in the order the strip shows them.
    pub const ALL: [InputKind; 4] = [Self::Support, Self::Concern, Self::Idea, Self::Vote];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Support => "support",
            Self::Concern => "concern",
            Self::Idea => "idea",
            Self::Vote => "vote",
        }
    }

    /// Its Chinese name (the description QGIS shows for the stored key).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Support => "支持",
            Self::Concern => "担忧",
            Self::Idea => "想法",
            Self::Vote => "投票",
        }
    }

    /// Parses [`InputKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One resident's input at a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentInput {
    /// Stable identity (UUID v7: ordered by when it was made).
    pub id: Uuid,
    /// The meeting it was made at.
    pub meeting: Uuid,
    /// Comment or vote.
    pub kind: InputKind,
    /// What was said (at most [`MAX_INPUT_TEXT_CHARS`]); may be empty (a vote).
    #[serde(default)]
    pub text: String,
    /// The participant's number (1, 2, …), when the meeting counts participants by number.
    #[serde(default)]
    pub participant: Option<u32>,
    /// Where it was pinned (the tapped point), WGS84 `[lon, lat]`; kept whatever it is on.
    pub lon_lat: [f64; 2],
    /// The plan feature it is on, if the tap was on one.
    #[serde(default)]
    pub feature: Option<Uuid>,
    /// The design alternative it is on, if the tap was on one.
    #[serde(default)]
    pub alternative: Option<Uuid>,
    /// When it was made, UTC, RFC 3339 to the second (shown local through
    /// [`crate::model::local_time`]).
    pub made: String,
}

/// What an input counts for in the tally: a feature, an alternative, or the grid cell of a
/// place (see [`PLACE_CELL_DEG`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputItem {
    /// A plan feature, by id.
    Feature(Uuid),
    /// A design alternative, by id.
    Alternative(Uuid),
    /// A place: the grid cell's column and row.
    Place(i64, i64),
}

impl InputItem {
    /// The place item holding `[lon, lat]`.
    pub fn place(lon_lat: [f64; 2]) -> InputItem {
        let cell = |v: f64| (v / PLACE_CELL_DEG).floor() as i64;
        InputItem::Place(cell(lon_lat[0]), cell(lon_lat[1]))
    }
}

impl ResidentInput {
    /// An input of `kind` at meeting `meeting`, pinned at `lon_lat`, made now.
    pub fn new(meeting: Uuid, kind: InputKind, lon_lat: [f64; 2]) -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Self {
            id: Uuid::now_v7(),
            meeting,
            kind,
            text: String::new(),
            participant: None,
            lon_lat,
            feature: None,
            alternative: None,
            made: crate::model::project::utc_text(secs),
        }
    }

    /// What the input counts for: its alternative, else its feature, else its place.
    pub fn item(&self) -> InputItem {
        match (self.alternative, self.feature) {
            (Some(a), _) => InputItem::Alternative(a),
            (None, Some(f)) => InputItem::Feature(f),
            (None, None) => InputItem::place(self.lon_lat),
        }
    }

    /// The first problem of the record on its own, if any: text too long, a pin off the map,
    /// participant number 0, on a feature and an alternative at once.
    pub fn problem(&self) -> Option<Problem> {
        let chars = self.text.chars().count();
        if chars > MAX_INPUT_TEXT_CHARS {
            return Some(Problem::InputTextTooLong {
                chars,
                max: MAX_INPUT_TEXT_CHARS,
            });
        }
        let [lon, lat] = self.lon_lat;
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return Some(Problem::NotLonLatPosition { x: lon, y: lat });
        }
        if self.participant == Some(0) {
            return Some(Problem::ParticipantNumberInvalid {
                number: 0,
                attendance: None,
            });
        }
        if self.feature.is_some() && self.alternative.is_some() {
            return Some(Problem::InputOnTwoItems);
        }
        None
    }
}

/// A meeting's voting rules (as Decidim's): whether voting is open, how many votes each
/// participant has, how many votes one item may get, whether one participant may put several
/// votes on one item, and whether participants are counted by number. Comments are not
/// limited by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoteRules {
    /// Votes are taken.
    pub open: bool,
    /// How many votes each participant has (counted by number; see `anonymous_numbers`).
    pub votes_per_participant: u32,
    /// The most votes one item may get, if limited.
    pub per_item_cap: Option<u32>,
    /// One participant may put more than one vote on the same item.
    pub may_stack: bool,
    /// Participants are counted by anonymous numbers 1..N (N the attendance, when recorded):
    /// every vote names its number, and the votes per participant and stacking are enforced
    /// per number. Without numbers, a vote names no one and only the cap and open/closed apply.
    pub anonymous_numbers: bool,
}

impl Default for VoteRules {
    /// Open, three dots each (a common dot-voting allowance), no cap, no stacking, numbered.
    fn default() -> Self {
        Self {
            open: true,
            votes_per_participant: 3,
            per_item_cap: None,
            may_stack: false,
            anonymous_numbers: true,
        }
    }
}

/// Counts by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// 支持.
    pub support: u32,
    /// 担忧.
    pub concern: u32,
    /// 想法.
    pub idea: u32,
    /// 投票.
    pub votes: u32,
}

impl KindCounts {
    /// The count of `kind`.
    pub fn get(&self, kind: InputKind) -> u32 {
        match kind {
            InputKind::Support => self.support,
            InputKind::Concern => self.concern,
            InputKind::Idea => self.idea,
            InputKind::Vote => self.votes,
        }
    }

    fn slot(&mut self, kind: InputKind) -> &mut u32 {
        match kind {
            InputKind::Support => &mut self.support,
            InputKind::Concern => &mut self.concern,
            InputKind::Idea => &mut self.idea,
            InputKind::Vote => &mut self.votes,
        }
    }

    /// Every input counted.
    pub fn total(&self) -> u32 {
        self.support + self.concern + self.idea + self.votes
    }
}

/// One item's tally: its counts and where to show them (the mean of its inputs' pins).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ItemTally {
    /// What was said about it, by kind.
    pub counts: KindCounts,
    sum_lon: f64,
    sum_lat: f64,
}

impl ItemTally {
    /// Where the item's badge goes: the mean of its inputs' pins, WGS84 `[lon, lat]`.
    pub fn lon_lat(&self) -> [f64; 2] {
        let n = f64::from(self.counts.total().max(1));
        [self.sum_lon / n, self.sum_lat / n]
    }
}

/// One meeting's tally, updated one input at a time ([`MeetingTally::add`],
/// [`MeetingTally::remove`]): per item, per participant, and in total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingTally {
    /// Per item, in a stable order.
    pub items: BTreeMap<InputItem, ItemTally>,
    /// The votes each numbered participant has given.
    pub votes_by_participant: BTreeMap<u32, u32>,
    /// The votes each numbered participant has given each item.
    votes_by_participant_item: BTreeMap<(u32, InputItem), u32>,
    /// Everything, by kind.
    pub totals: KindCounts,
}

impl MeetingTally {
    /// Counts `input` in.
    pub fn add(&mut self, input: &ResidentInput) {
        let item = input.item();
        let t = self.items.entry(item).or_default();
        *t.counts.slot(input.kind) += 1;
        t.sum_lon += input.lon_lat[0];
        t.sum_lat += input.lon_lat[1];
        *self.totals.slot(input.kind) += 1;
        if input.kind == InputKind::Vote
            && let Some(p) = input.participant
        {
            *self.votes_by_participant.entry(p).or_default() += 1;
            *self.votes_by_participant_item.entry((p, item)).or_default() += 1;
        }
    }

    /// Counts `input` out (it was counted in before).
    pub fn remove(&mut self, input: &ResidentInput) {
        fn down<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) {
            if let Some(n) = map.get_mut(&key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&key);
                }
            }
        }
        let item = input.item();
        if let Some(t) = self.items.get_mut(&item) {
            let slot = t.counts.slot(input.kind);
            *slot = slot.saturating_sub(1);
            t.sum_lon -= input.lon_lat[0];
            t.sum_lat -= input.lon_lat[1];
            if t.counts.total() == 0 {
                self.items.remove(&item);
            }
        }
        let total = self.totals.slot(input.kind);
        *total = total.saturating_sub(1);
        if input.kind == InputKind::Vote
            && let Some(p) = input.participant
        {
            down(&mut self.votes_by_participant, p);
            down(&mut self.votes_by_participant_item, (p, item));
        }
    }

    /// The tally of `item` (zero when nothing was said about it).
    pub fn item(&self, item: InputItem) -> KindCounts {
        self.items.get(&item).map(|t| t.counts).unwrap_or_default()
    }

    /// The votes participant `participant` has left under `rules`.
    pub fn votes_left(&self, rules: &VoteRules, participant: u32) -> u32 {
        let used = self
            .votes_by_participant
            .get(&participant)
            .copied()
            .unwrap_or(0);
        rules.votes_per_participant.saturating_sub(used)
    }

    /// Whether `rules` allow `input` given what this tally holds; comments always are.
    /// `attendance` bounds the participant numbers when recorded.
    ///
    /// # Errors
    /// The rule the input breaks: voting closed, no participant number (or one out of
    /// range), no votes left, the item's cap reached, stacking not allowed.
    pub fn check(
        &self,
        rules: &VoteRules,
        attendance: Option<u32>,
        input: &ResidentInput,
    ) -> Result<(), Problem> {
        if let Some(p) = input.participant
            && (p == 0 || attendance.is_some_and(|n| rules.anonymous_numbers && p > n))
        {
            return Err(Problem::ParticipantNumberInvalid {
                number: p,
                attendance,
            });
        }
        if input.kind != InputKind::Vote {
            return Ok(());
        }
        if !rules.open {
            return Err(Problem::VotingClosed);
        }
        let item = input.item();
        if let Some(cap) = rules.per_item_cap
            && self.item(item).votes >= cap
        {
            return Err(Problem::VoteItemCapReached { cap });
        }
        if !rules.anonymous_numbers {
            return Ok(());
        }
        let Some(p) = input.participant else {
            return Err(Problem::VoteNeedsParticipant);
        };
        if self.votes_left(rules, p) == 0 {
            return Err(Problem::NoVotesLeft {
                participant: p,
                votes: rules.votes_per_participant,
            });
        }
        let on_item = self
            .votes_by_participant_item
            .get(&(p, item))
            .copied()
            .unwrap_or(0);
        if !rules.may_stack && on_item > 0 {
            return Err(Problem::VotesMayNotStack { participant: p });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn vote(meeting: Uuid, p: u32, feature: Uuid) -> ResidentInput {
        let mut v = ResidentInput::new(meeting, InputKind::Vote, [121.5, 31.2]);
        v.participant = Some(p);
        v.feature = Some(feature);
        v
    }

    #[test]
    fn the_rules_refuse_what_they_say_and_removal_gives_back() {
        let (m, f, g) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let rules = VoteRules {
            votes_per_participant: 2,
            per_item_cap: Some(2),
            ..VoteRules::default()
        };
        let mut t = MeetingTally::default();
        let first = vote(m, 1, f);
        assert_eq!(t.check(&rules, Some(10), &first), Ok(()));
        t.add(&first);
        assert_eq!(
            t.check(&rules, Some(10), &vote(m, 1, f)),
            Err(Problem::VotesMayNotStack { participant: 1 })
        );
        t.add(&vote(m, 2, f));
        assert_eq!(
            t.check(&rules, Some(10), &vote(m, 3, f)),
            Err(Problem::VoteItemCapReached { cap: 2 })
        );
        t.add(&vote(m, 1, g));
        assert_eq!(t.votes_left(&rules, 1), 0);
        assert!(matches!(
            t.check(&rules, Some(10), &vote(m, 1, Uuid::new_v4())),
            Err(Problem::NoVotesLeft { participant: 1, .. })
        ));
        assert!(matches!(
            t.check(&rules, Some(10), &vote(m, 11, g)),
            Err(Problem::ParticipantNumberInvalid { number: 11, .. })
        ));
        // A comment is not limited by the votes.
        let mut c = ResidentInput::new(m, InputKind::Concern, [121.5, 31.2]);
        c.feature = Some(f);
        assert_eq!(t.check(&rules, Some(10), &c), Ok(()));
        t.remove(&first);
        assert_eq!(t.votes_left(&rules, 1), 1);
        assert_eq!(t.item(InputItem::Feature(f)).votes, 1);
        let closed = VoteRules {
            open: false,
            ..rules
        };
        assert_eq!(
            t.check(&closed, None, &vote(m, 5, g)),
            Err(Problem::VotingClosed)
        );
    }

    #[test]
    fn places_a_finger_apart_count_as_one_and_text_is_short() {
        let a = InputItem::place([121.50001, 31.20001]);
        let b = InputItem::place([121.50004, 31.20003]);
        assert_eq!(a, b);
        let mut i = ResidentInput::new(Uuid::new_v4(), InputKind::Idea, [121.5, 31.2]);
        i.text = "想".repeat(MAX_INPUT_TEXT_CHARS + 1);
        assert!(matches!(
            i.problem(),
            Some(Problem::InputTextTooLong { .. })
        ));
    }
}
