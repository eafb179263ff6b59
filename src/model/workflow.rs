//! Workflow templates: the stages a project walks through and the gates between them.
//!
//! Districts run different lifecycles — Pudong's 一图三会 flow (需求征集 → … → 运维, with three
//! meetings) and Yangpu's half-year 提案期 → 初选期 → 实验期 → 实践期 with a grant cap — so a
//! workflow is data (`assets/workflows.json`), like the catalog, not branches in the code.
//! Gates are guidance: a warning the planner reads, never a block.

use serde::{Deserialize, Serialize};

use crate::model::project::{MeetingKind, Project};

/// The workflow templates bundled with the program.
pub const BUNDLED_WORKFLOWS_JSON: &str = include_str!("../../assets/workflows.json");

/// One stage of a workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Stable key stored in the workspace (`design`).
    pub key: String,
    /// Chinese name (方案设计).
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// A gate: entering `stage` expects a meeting of a kind to have been held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    /// The stage being entered.
    pub stage: String,
    /// The meeting kind expected before it (`MeetingKind::key`).
    pub requires_meeting: String,
}

/// A lifecycle template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// Stable key stored with each project (`pudong_1t3h`).
    pub key: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// The gates between stages.
    #[serde(default)]
    pub gates: Vec<Gate>,
    /// How long a round runs, when the programme fixes it (Yangpu: half a year).
    ///
    /// # Units
    /// Months.
    #[serde(default)]
    pub duration_months: Option<u32>,
    /// The most a project may be granted (Yangpu: 2 万元 per group).
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    #[serde(default)]
    pub grant_cap_wan: Option<f64>,
}

impl Workflow {
    /// The position of a stage given by key or by Chinese name (older workspaces and imports
    /// carry the name).
    pub fn position(&self, stage: &str) -> Option<usize> {
        self.stages
            .iter()
            .position(|s| s.key == stage || s.name_zh == stage)
    }

    /// The stage given by key or Chinese name.
    pub fn stage(&self, stage: &str) -> Option<&Stage> {
        self.position(stage).and_then(|i| self.stages.get(i))
    }
}

/// Guidance about a project's lifecycle (a warning, never a block).
#[derive(Debug, Clone, PartialEq)]
pub enum GateWarning {
    /// The project is at or past `stage` but no meeting of kind `meeting` is recorded.
    MeetingMissing {
        /// The stage key.
        stage: String,
        /// The meeting kind expected.
        meeting: MeetingKind,
    },
    /// The budget is over the programme's grant cap.
    OverGrantCap {
        /// The project's budget, 万元.
        budget_wan: f64,
        /// The cap, 万元.
        cap_wan: f64,
    },
}

/// The bundled templates; the first is the default.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflows {
    templates: Vec<Workflow>,
}

impl Workflows {
    /// The templates bundled with the program (checked by a unit test; an unparsable file
    /// gives no templates rather than aborting).
    pub fn bundled() -> Self {
        Self {
            templates: serde_json::from_str(BUNDLED_WORKFLOWS_JSON).unwrap_or_default(),
        }
    }

    /// Every template, the default first.
    pub fn all(&self) -> &[Workflow] {
        &self.templates
    }

    /// The template with this key; an empty key means the default.
    pub fn get(&self, key: &str) -> Option<&Workflow> {
        if key.is_empty() {
            return self.templates.first();
        }
        self.templates.iter().find(|w| w.key == key)
    }

    /// The template a project follows (its own, else the default).
    pub fn of(&self, project: &Project) -> Option<&Workflow> {
        self.get(&project.workflow)
    }

    /// The lifecycle guidance for a project, given the kinds of meeting recorded for it.
    pub fn gate_warnings(&self, project: &Project, held: &[MeetingKind]) -> Vec<GateWarning> {
        let Some(workflow) = self.of(project) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(current) = workflow.position(&project.stage) {
            for gate in &workflow.gates {
                let Some(at) = workflow.position(&gate.stage) else {
                    continue;
                };
                let Some(meeting) = MeetingKind::from_key(&gate.requires_meeting) else {
                    continue;
                };
                if current >= at && !held.contains(&meeting) {
                    out.push(GateWarning::MeetingMissing {
                        stage: gate.stage.clone(),
                        meeting,
                    });
                }
            }
        }
        if let (Some(cap_wan), Some(budget_wan)) = (workflow.grant_cap_wan, project.budget_wan)
            && budget_wan > cap_wan
        {
            out.push(GateWarning::OverGrantCap {
                budget_wan,
                cap_wan,
            });
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_templates_parse_and_gates_name_real_stages() {
        let w = Workflows::bundled();
        assert_eq!(w.all().len(), 2);
        let pudong = w.get("").unwrap();
        assert_eq!(pudong.key, "pudong_1t3h");
        assert_eq!(pudong.stages.len(), 11);
        assert_eq!(pudong.position("方案设计"), pudong.position("design"));
        for t in w.all() {
            for g in &t.gates {
                assert!(t.position(&g.stage).is_some(), "{g:?}");
                assert!(
                    MeetingKind::from_key(&g.requires_meeting).is_some(),
                    "{g:?}"
                );
            }
        }
        let yangpu = w.get("yangpu_4stage").unwrap();
        assert_eq!(yangpu.grant_cap_wan, Some(2.0));
        assert_eq!(yangpu.stages.len(), 4);
    }

    #[test]
    fn gates_warn_past_their_stage_without_the_meeting() {
        let w = Workflows::bundled();
        let mut p = Project {
            stage: "siting".into(),
            ..Project::default()
        };
        assert!(w.gate_warnings(&p, &[]).is_empty());
        p.stage = "design".into();
        assert_eq!(
            w.gate_warnings(&p, &[]),
            vec![GateWarning::MeetingMissing {
                stage: "design".into(),
                meeting: MeetingKind::Hearing
            }]
        );
        assert!(w.gate_warnings(&p, &[MeetingKind::Hearing]).is_empty());
        p.stage = "completion".into();
        assert_eq!(w.gate_warnings(&p, &[MeetingKind::Hearing]).len(), 1);
        let y = Project {
            workflow: "yangpu_4stage".into(),
            stage: "proposal".into(),
            budget_wan: Some(2.5),
            ..Project::default()
        };
        assert_eq!(
            w.gate_warnings(&y, &[]),
            vec![GateWarning::OverGrantCap {
                budget_wan: 2.5,
                cap_wan: 2.0
            }]
        );
    }
}
