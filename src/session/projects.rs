//! The project records held in memory: by code (what plan features link by and views list),
//! with O(1) lookups by id and the row id of each in the store, updated per record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::{Session, plan_derived};
use crate::error::Result;
use crate::model::Project;
use crate::model::project::MeetingKind;
use crate::model::workflow::{GateWarning, Workflows};

/// The projects of a session.
#[derive(Debug, Default)]
pub(crate) struct ProjectSet {
    by_code: BTreeMap<String, Project>,
    /// Code of each project, by id.
    code_of: HashMap<Uuid, String>,
    /// Row id of each project in `linli_projects`, so undo can put a row back as it was.
    rows: HashMap<Uuid, i64>,
}

impl ProjectSet {
    /// Builds the set from the store's rows.
    pub(crate) fn from_rows(rows: Vec<(Project, i64)>) -> Self {
        let mut set = Self::default();
        for (project, row) in rows {
            set.put(project, row);
        }
        set
    }

    /// Every project, by code.
    pub(crate) fn by_code(&self) -> &BTreeMap<String, Project> {
        &self.by_code
    }

    /// The project with this id.
    pub(crate) fn get(&self, id: Uuid) -> Option<&Project> {
        self.by_code.get(self.code_of.get(&id)?)
    }

    /// The project's row id.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.rows.get(&id).copied()
    }

    /// Inserts or replaces a project (by its id), stored in row `row`.
    pub(crate) fn put(&mut self, project: Project, row: i64) {
        if let Some(old_code) = self.code_of.insert(project.id, project.code.clone()) {
            self.by_code.remove(&old_code);
        }
        self.rows.insert(project.id, row);
        self.by_code.insert(project.code.clone(), project);
    }

    /// Removes a project.
    pub(crate) fn remove(&mut self, id: Uuid) {
        if let Some(code) = self.code_of.remove(&id) {
            self.by_code.remove(&code);
        }
        self.rows.remove(&id);
    }
}

/// What a project's record derives from its linked plan features: never typed, always
/// computed from the features as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectSummary {
    /// The linked features' ids, sorted.
    pub features: Vec<Uuid>,
    /// The streets they lie in (more than one: the rare project spanning several).
    pub streets: BTreeSet<String>,
    /// The communities they lie in.
    pub communities: BTreeSet<String>,
    /// Their element type keys.
    pub elements: BTreeSet<String>,
    /// Total area of the polygons.
    ///
    /// # Units
    /// m², on the ellipsoid.
    pub area_m2: f64,
    /// Total length of the lines.
    ///
    /// # Units
    /// Metres, on the ellipsoid.
    pub length_m: f64,
}

impl Session {
    /// The workflow templates projects follow.
    pub fn workflows(&self) -> &Workflows {
        &self.workflows
    }

    /// The planner's name recorded with every project change (empty when not set).
    pub fn planner(&self) -> &str {
        &self.planner
    }

    /// Sets the planner's name for this workspace (a setting written at once, not an undo
    /// step: it changes no record).
    pub fn set_planner(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        self.store.set_planner_name(name)?;
        self.planner = name.to_string();
        Ok(())
    }

    /// What project `code` derives from its features (empty when it has none).
    pub fn project_summary(&self, code: &str) -> ProjectSummary {
        let mut summary = ProjectSummary::default();
        for f in self
            .plan()
            .iter()
            .filter(|f| f.project.as_deref() == Some(code))
        {
            add_feature(&mut summary, self, f);
        }
        summary.features.sort();
        summary
    }

    /// Every project's summary, by code, in one pass over the plan.
    pub fn project_summaries(&self) -> BTreeMap<String, ProjectSummary> {
        self.summaries_now().clone()
    }

    /// Every project's summary, by code, computed once per revision and borrowed.
    pub fn summaries_now(&self) -> &BTreeMap<String, ProjectSummary> {
        self.summaries.get_or_init(|| self.summaries_of_plan())
    }

    fn summaries_of_plan(&self) -> BTreeMap<String, ProjectSummary> {
        let mut out: BTreeMap<String, ProjectSummary> = self
            .projects()
            .keys()
            .map(|c| (c.clone(), ProjectSummary::default()))
            .collect();
        for f in self.plan() {
            if let Some(summary) = f.project.as_ref().and_then(|c| out.get_mut(c)) {
                add_feature(summary, self, f);
            }
        }
        for s in out.values_mut() {
            s.features.sort();
        }
        out
    }

    /// The lifecycle guidance for a project, given the meetings recorded for it.
    pub fn gate_warnings(&self, project: &Project) -> Vec<GateWarning> {
        let held: Vec<MeetingKind> = self
            .meetings_of(project.id)
            .iter()
            .map(|m| m.kind)
            .collect();
        self.workflows.gate_warnings(project, &held)
    }
}

fn add_feature(summary: &mut ProjectSummary, session: &Session, f: &crate::model::PlanFeature) {
    summary.features.push(f.feature.id);
    summary.streets.extend(f.street.clone());
    summary.communities.extend(f.community.clone());
    summary.elements.insert(f.element.clone());
    let derived = plan_derived(session.catalog(), f);
    summary.area_m2 += derived.area_m2.unwrap_or(0.0);
    summary.length_m += derived.length_m.unwrap_or(0.0);
}
