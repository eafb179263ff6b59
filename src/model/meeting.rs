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
