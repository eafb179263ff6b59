//! The project records held in memory: by code (what plan features link by and views list),
//! with O(1) lookups by id and the row id of each in the store, updated per record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::plan::PlanSet;
use super::{Session, plan_derived};
use crate::error::Result;
use crate::model::change::Changeset;
use crate::model::project::MeetingKind;
use crate::model::setting::Setting;
use crate::model::workflow::{GateWarning, Workflows};
use crate::model::{PlanFeature, Project};

/// The projects of a session.
#[derive(Debug, Default)]
pub(crate) struct ProjectSet {
    by_code: BTreeMap<String, Project>,
    /// Code of each project, by id.
    code_of: HashMap<Uuid, String>,
    /// Row id of each project in `linli_projects`, so undo can put a row back as it was.
    rows: HashMap<Uuid, i64>,
}

impl super::record_set::Keeps<Project> for ProjectSet {
    fn label(&self, id: Uuid) -> Option<String> {
        self.get(id).map(crate::model::Record::label)
    }
    fn keep(&mut self, p: Project, row: i64) -> Option<usize> {
        self.put(p, row);
        None
    }
    fn forget(&mut self, id: Uuid) -> Option<usize> {
        self.remove(id);
        None
    }
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
        Setting::id_of(Setting::PLANNER)
            .and_then(|id| self.settings.get(id))
            .map_or("", |s| s.value.as_str())
    }

    /// Sets the planner's name for this workspace: a changeset of the planner setting through
    /// the store like every change (checked against the file: a name another program set
    /// meanwhile is not overwritten), but not an undo step — it is who is working, not work.
    pub fn set_planner(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        let before = Setting::id_of(Setting::PLANNER).and_then(|id| self.settings.get(id));
        let after = Setting::new(Setting::PLANNER, name);
        let mut changes = Changeset::default();
        changes.push(before, after.as_ref());
        self.commit(&changes).map(|_| ())
    }

    /// Adds project records as they are (the sample's, a bulk load): one changeset of
    /// inserts, not an undo step.
    pub fn add_projects(&mut self, projects: &[Project]) -> Result<()> {
        self.add_records(projects)
    }

    /// What project `code` derives from its features in the plan (empty when it has none;
    /// the features of its candidate and archived design alternatives are not counted),
    /// computed from the plan as it is (not from the cache [`Session::summaries_now`] keeps).
    pub fn project_summary(&self, code: &str) -> ProjectSummary {
        let mut ids: Vec<Uuid> = self
            .plan()
            .iter()
            .filter(|f| f.project.as_deref() == Some(code))
            .map(|f| f.feature.id)
            .collect();
        ids.sort();
        summary_of(
            &self.catalog,
            &self.plan,
            &self.alternatives_outside_plan(),
            ids,
        )
    }

    /// Every project's summary, by code (a copy of [`Session::summaries_now`]).
    pub fn project_summaries(&self) -> BTreeMap<String, ProjectSummary> {
        self.summaries_now().clone()
    }

    /// Every project's summary, by code, borrowed: computed in one pass over the plan on first
    /// use, then kept current edit by edit (an edit recomputes only the projects it touched,
    /// see [`Summaries::update`]); a bulk change (an import) drops it to be computed again.
    pub fn summaries_now(&self) -> &BTreeMap<String, ProjectSummary> {
        &self
            .summaries
            .get_or_init(|| {
                let outside = self.alternatives_outside_plan();
                Summaries::build(&self.catalog, &self.plan, &self.projects, outside)
            })
            .by_code
    }

    /// Every project's summary counting the features of its candidate and archived design
    /// alternatives too (the statistics' `--alternatives`): computed when first asked for after
    /// a change, not kept current edit by edit.
    pub fn summaries_with_alternatives(&self) -> &BTreeMap<String, ProjectSummary> {
        &self
            .summaries_all
            .get_or_init(|| {
                Summaries::build(&self.catalog, &self.plan, &self.projects, BTreeSet::new())
            })
            .by_code
    }

    /// The lifecycle guidance for a project, given the meetings recorded for it.
    pub fn gate_warnings(&self, project: &Project) -> Vec<GateWarning> {
        let held: Vec<MeetingKind> = self
            .records()
            .meetings_of(project.id)
            .iter()
            .map(|m| m.kind)
            .collect();
        self.workflows.gate_warnings(project, &held)
    }
}

/// The summary of the features with these ids (sorted, so sums add in one order whichever
/// way the summary was reached).
fn summary_of(
    catalog: &crate::model::catalog::Catalog,
    plan: &PlanSet,
    outside: &BTreeSet<Uuid>,
    ids: impl IntoIterator<Item = Uuid>,
) -> ProjectSummary {
    let mut summary = ProjectSummary::default();
    let counted = |f: &&PlanFeature| f.alternative.is_none_or(|a| !outside.contains(&a));
    for f in ids
        .into_iter()
        .filter_map(|id| plan.get(id))
        .filter(counted)
    {
        summary.features.push(f.feature.id);
        summary.streets.extend(f.street.clone());
        summary.communities.extend(f.community.clone());
        summary.elements.insert(f.element.clone());
        let derived = plan_derived(catalog, f);
        summary.area_m2 += derived.area_m2.unwrap_or(0.0);
        summary.length_m += derived.length_m.unwrap_or(0.0);
    }
    summary
}

/// The projects' summaries a session keeps, with what keeps them current: the features linked
/// to each code (projects' codes and codes no project holds alike, so a project that appears,
/// by undo or a rename, finds its features without a scan).
#[derive(Debug, Default)]
pub(crate) struct Summaries {
    by_code: BTreeMap<String, ProjectSummary>,
    linked: HashMap<String, BTreeSet<Uuid>>,
    /// The design alternatives whose features are not counted (see
    /// [`Session::alternatives_outside_plan`]); a change of an alternative drops the summaries.
    outside: BTreeSet<Uuid>,
}

/// What one written record changed for the summaries: a plan feature's link (its id, the code
/// before, the code after), or a project's code (before, after).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SummaryTouch {
    /// A plan feature written or deleted.
    Feature(Uuid, Option<String>, Option<String>),
    /// A project written or deleted.
    Project(Option<String>, Option<String>),
}

impl Summaries {
    /// Every project's summary, from the plan.
    fn build(
        catalog: &crate::model::catalog::Catalog,
        plan: &PlanSet,
        projects: &ProjectSet,
        outside: BTreeSet<Uuid>,
    ) -> Self {
        let mut linked: HashMap<String, BTreeSet<Uuid>> = HashMap::new();
        for f in plan.features() {
            if let Some(code) = &f.project {
                linked.entry(code.clone()).or_default().insert(f.feature.id);
            }
        }
        let by_code = projects
            .by_code()
            .keys()
            .map(|code| {
                let ids = linked.get(code).into_iter().flatten().copied();
                (code.clone(), summary_of(catalog, plan, &outside, ids))
            })
            .collect();
        Self {
            by_code,
            linked,
            outside,
        }
    }

    /// After records were written (memory already holding their new state): moves the touched
    /// features between codes and recomputes the summary of every code touched, and only
    /// those — a feature's edit its project's, a relink both projects', a project's rename or
    /// deletion its old and new code's.
    pub(crate) fn update(
        &mut self,
        catalog: &crate::model::catalog::Catalog,
        plan: &PlanSet,
        projects: &ProjectSet,
        touched: &[SummaryTouch],
    ) {
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        for t in touched {
            let (before, after) = match t {
                SummaryTouch::Feature(id, before, after) => {
                    if let Some(ids) = before.as_ref().and_then(|c| self.linked.get_mut(c)) {
                        ids.remove(id);
                    }
                    if let Some(code) = after {
                        self.linked.entry(code.clone()).or_default().insert(*id);
                    }
                    (before, after)
                }
                SummaryTouch::Project(before, after) => (before, after),
            };
            codes.extend(before.iter().chain(after).map(String::as_str));
        }
        for code in codes {
            let ids = self.linked.get(code);
            if ids.is_some_and(BTreeSet::is_empty) {
                self.linked.remove(code);
            }
            if projects.by_code().contains_key(code) {
                let ids = self.linked.get(code).into_iter().flatten().copied();
                let summary = summary_of(catalog, plan, &self.outside, ids);
                self.by_code.insert(code.to_string(), summary);
            } else {
                self.by_code.remove(code);
            }
        }
    }
}
