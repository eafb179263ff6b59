//! Design alternatives (方案 A/B/C…): the designs a project holds side by side, as from
//! Pudong's design competitions, each its own set of plan features with its own team and cost.
//!
//! A plan feature names the alternative it belongs to ([`crate::model::PlanFeature::alternative`]).
//! What counts as the project's plan — on the map, in exports, statistics and coverage — is
//! every feature with no alternative and every feature of a [`AlternativeStatus::Chosen`]
//! alternative ([`in_plan`]); the features of a candidate or an archived alternative are shown
//! and counted only when asked. Choosing one alternative (`session::Command::ChooseAlternative`)
//! archives the project's others in the same step.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::people::coded;

coded! {
    /// Where an alternative stands.
    AlternativeStatus {
        /// 备选: proposed, not (yet) the project's plan.
        Candidate = ("candidate", "备选"),
        /// 采用: the project's plan.
        Chosen = ("chosen", "采用"),
        /// 归档: set aside, kept on record.
        Archived = ("archived", "归档"),
    }
}

/// One design alternative of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// Stable identity; plan features name it.
    pub id: Uuid,
    /// The project it is a design for (the project's UUID).
    pub project: Uuid,
    /// Its short name: 方案 A, 方案 B, 原方案….
    pub label: String,
    /// The design team (设计团队), a roster organisation's name or free text.
    #[serde(default)]
    pub team: String,
    /// Its estimated cost.
    ///
    /// # Units
    /// 万元 (10,000 yuan).
    #[serde(default)]
    pub cost_wan: Option<f64>,
    /// What the design proposes.
    #[serde(default)]
    pub description: String,
    /// Candidate, chosen or archived.
    pub status: AlternativeStatus,
}

impl Alternative {
    /// A new candidate alternative of `project` called `label`.
    pub fn new(project: Uuid, label: &str) -> Self {
        Self {
            id: Uuid::new_v4(),
            project,
            label: label.to_string(),
            team: String::new(),
            cost_wan: None,
            description: String::new(),
            status: AlternativeStatus::Candidate,
        }
    }

    /// What is wrong with the record as entered, if anything: an empty label, a negative or
    /// non-finite cost.
    pub fn problem(&self) -> Option<crate::error::Problem> {
        if self.label.trim().is_empty() {
            return Some(crate::error::Problem::AlternativeLabelEmpty);
        }
        if let Some(cost) = self.cost_wan
            && !(cost.is_finite() && cost >= 0.0)
        {
            return Some(crate::error::Problem::AmountNegative { value: cost });
        }
        None
    }
}

/// Whether a plan feature belonging to `alternative` is part of the plan, given each
/// alternative's status (`None`: no alternative with that id, as when another program wrote a
/// stray id — kept in the plan, so nothing disappears from the counts unannounced).
///
/// ```
/// use linli::model::alternative::{AlternativeStatus, in_plan};
/// use uuid::Uuid;
/// let a = Uuid::from_u128(1);
/// assert!(in_plan(None, |_| None));
/// assert!(in_plan(Some(a), |_| Some(AlternativeStatus::Chosen)));
/// assert!(!in_plan(Some(a), |_| Some(AlternativeStatus::Candidate)));
/// assert!(in_plan(Some(a), |_| None));
/// ```
pub fn in_plan(
    alternative: Option<Uuid>,
    status: impl Fn(Uuid) -> Option<AlternativeStatus>,
) -> bool {
    alternative.is_none_or(|a| status(a).is_none_or(|s| s == AlternativeStatus::Chosen))
}

/// The label of the next alternative of a project whose alternatives are called `taken`:
/// 方案 A, then B, C… (the first letter no label uses), or 方案 27 and on past Z.
pub fn next_label(taken: &[&str]) -> String {
    for c in 'A'..='Z' {
        let label = format!("方案 {c}");
        if !taken.contains(&label.as_str()) {
            return label;
        }
    }
    let mut n = 27;
    loop {
        let label = format!("方案 {n}");
        if !taken.contains(&label.as_str()) {
            return label;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_run_through_the_alphabet_skipping_taken_ones() {
        assert_eq!(next_label(&[]), "方案 A");
        assert_eq!(next_label(&["方案 A", "方案 C"]), "方案 B");
        let all: Vec<String> = ('A'..='Z').map(|c| format!("方案 {c}")).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(next_label(&all), "方案 27");
    }

    #[test]
    fn a_label_is_needed_and_a_cost_is_not_negative() {
        let mut a = Alternative::new(Uuid::from_u128(1), "方案 A");
        assert_eq!(a.problem(), None);
        a.cost_wan = Some(-1.0);
        assert!(a.problem().is_some());
        a.cost_wan = Some(12.5);
        a.label = " ".into();
        assert_eq!(
            a.problem(),
            Some(crate::error::Problem::AlternativeLabelEmpty)
        );
    }
}
