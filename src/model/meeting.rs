//! Meetings (会议): the three of 一图三会 held for a project (hearing, coordination,
//! evaluation), and joint meetings and trainings, which need no project.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Problem;
use crate::model::project::{MeetingKind, parse_date};

/// One meeting's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Stable identity (a record read without one, as the sample's, gets a fresh one).
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// The project it was held for (by the project's id), if any.
    #[serde(default)]
    pub project: Option<Uuid>,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Where (居委会活动室…).
    #[serde(default)]
    pub place: String,
    /// How many attended.
    #[serde(default)]
    pub attendance: Option<u32>,
    /// Named attendees, `、`-joined.
    #[serde(default)]
    pub attendees: String,
    /// The chair (a joint meeting's 召集人).
    #[serde(default)]
    pub chair: String,
    /// Departments present, `、`-joined.
    #[serde(default)]
    pub departments: String,
    /// The agenda.
    #[serde(default)]
    pub agenda: String,
    /// What was decided.
    #[serde(default)]
    pub decisions: String,
    /// Residents' comments and votes.
    #[serde(default)]
    pub comments: String,
    /// Residents' comments and votes one by one, each optionally pinned to a map point.
    #[serde(default)]
    pub notes: Vec<MeetingNote>,
    /// The map view shown at the meeting, to return to.
    #[serde(default)]
    pub view: Option<MapBookmark>,
    /// The views prepared for presenting at the meeting, in order (幻灯片).
    #[serde(default)]
    pub slides: Vec<Slide>,
    /// How residents vote at it (their inputs are records of their own:
    /// [`crate::model::input::ResidentInput`]).
    #[serde(default)]
    pub vote_rules: crate::model::input::VoteRules,
}

/// One prepared view of a meeting's presentation: where the camera goes, which layers show,
/// which projects (or design alternatives) stand out, and the title said over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slide {
    /// Shown large on screen while the slide is up.
    #[serde(default)]
    pub title: String,
    /// The camera: centre and zoom.
    pub view: MapBookmark,
    /// The layers shown, by their stable keys (a layer not listed is hidden; an empty list
    /// keeps the layers as they are).
    #[serde(default)]
    pub layers: Vec<String>,
    /// Projects whose features are emphasised (the rest are muted), by project id.
    #[serde(default)]
    pub highlight: Vec<Uuid>,
    /// Design alternatives emphasised, by alternative id.
    #[serde(default)]
    pub alternatives: Vec<Uuid>,
}

/// Whether a meeting note is a comment or a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// A resident's comment (意见).
    Comment,
    /// A resident's vote (投票).
    Vote,
}

/// A vote's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vote {
    /// 支持.
    For,
    /// 反对.
    Against,
    /// 弃权.
    Abstain,
}

impl NoteKind {
    /// Every kind.
    pub const ALL: [NoteKind; 2] = [Self::Comment, Self::Vote];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::Vote => "vote",
        }
    }

    /// Its Chinese name (the description QGIS shows for the stored key).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Comment => "意见",
            Self::Vote => "投票",
        }
    }

    /// Parses [`NoteKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

impl Vote {
    /// Every value.
    pub const ALL: [Vote; 3] = [Self::For, Self::Against, Self::Abstain];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Abstain => "abstain",
        }
    }

    /// Its Chinese name (the description QGIS shows for the stored key).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::For => "支持",
            Self::Against => "反对",
            Self::Abstain => "弃权",
        }
    }

    /// Parses [`Vote::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One resident's comment or vote at a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingNote {
    /// Comment or vote.
    pub kind: NoteKind,
    /// What was said (a vote's reason, or what it was about).
    #[serde(default)]
    pub text: String,
    /// A vote's value (`None` for a comment).
    #[serde(default)]
    pub vote: Option<Vote>,
    /// Where on the map it points, WGS84 `[lon, lat]`, if anywhere.
    #[serde(default)]
    pub lon_lat: Option<[f64; 2]>,
}

/// A map view to return to: its centre and zoom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapBookmark {
    /// The centre, WGS84 longitude.
    pub lon: f64,
    /// The centre, WGS84 latitude.
    pub lat: f64,
    /// The Web Mercator zoom level (fractional).
    pub zoom: f64,
}

impl Meeting {
    /// A meeting of `kind` on `date`, everything else empty.
    pub fn new(kind: MeetingKind, date: &str, project: Option<Uuid>) -> Self {
        Self {
            id: Uuid::new_v4(),
            project,
            kind,
            date: date.to_string(),
            place: String::new(),
            attendance: None,
            attendees: String::new(),
            chair: String::new(),
            departments: String::new(),
            agenda: String::new(),
            decisions: String::new(),
            comments: String::new(),
            notes: Vec::new(),
            view: None,
            slides: Vec::new(),
            vote_rules: Default::default(),
        }
    }

    /// The first problem of the record, if any: a meeting needs a real date, and the three
    /// meetings of 一图三会 belong to a project.
    pub fn problem(&self) -> Option<Problem> {
        if parse_date(&self.date).is_none() {
            return Some(Problem::DateNotValid {
                text: self.date.clone(),
            });
        }
        let needs_project = matches!(
            self.kind,
            MeetingKind::Hearing | MeetingKind::Coordination | MeetingKind::Evaluation
        );
        if needs_project && self.project.is_none() {
            return Some(Problem::MeetingNeedsProject {
                kind: self.kind.key().to_string(),
            });
        }
        let on_earth = |lon: f64, lat: f64| {
            lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(&lon)
                && (-90.0..=90.0).contains(&lat)
        };
        for (i, note) in self.notes.iter().enumerate() {
            if note.lon_lat.is_some_and(|[lon, lat]| !on_earth(lon, lat)) {
                return Some(Problem::MeetingPinOffMap { index: i + 1 });
            }
            if (note.kind == NoteKind::Vote) != note.vote.is_some() {
                return Some(Problem::MeetingVoteValue { index: i + 1 });
            }
        }
        let view_ok = |v: &MapBookmark| on_earth(v.lon, v.lat) && (0.0..=24.0).contains(&v.zoom);
        if self.view.as_ref().is_some_and(|v| !view_ok(v))
            || self.slides.iter().any(|s| !view_ok(&s.view))
        {
            return Some(Problem::MeetingViewInvalid);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_a_date_and_the_three_meetings_a_project() {
        let p = Some(Uuid::new_v4());
        assert_eq!(
            Meeting::new(MeetingKind::Hearing, "2025-03-01", p).problem(),
            None
        );
        assert!(matches!(
            Meeting::new(MeetingKind::Hearing, "2025-3-1", p).problem(),
            Some(Problem::DateNotValid { .. })
        ));
        assert!(matches!(
            Meeting::new(MeetingKind::Evaluation, "2025-03-01", None).problem(),
            Some(Problem::MeetingNeedsProject { .. })
        ));
        assert_eq!(
            Meeting::new(MeetingKind::Training, "2025-03-01", None).problem(),
            None
        );
    }
}
