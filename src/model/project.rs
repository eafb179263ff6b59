//! The project record (项目) and what it carries: funding sources, per-stage dates, the dated
//! history of its changes, and the checks a record must pass before it is written.
//!
//! Several fields hold a list of names (programmes, planners, departments): they are kept as
//! one text joined with `、`, which is how a planner writes them and how QGIS shows them;
//! [`list_items`] splits such a text on any of the usual separators. The checks a record
//! must pass live in `model::check`, beside the workflows they need.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A project record. Street, community, element types and area/length totals are not stored
/// here: they are derived from the linked plan features whenever they are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The project's stable identity, kept across code changes and when the files of several
    /// streets are merged (DESIGN.md: records are keyed by UUID, never by fid or code). A record
    /// read without one (the sample's JSON, an import) gets a fresh random id.
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// The project's code, unique in the workspace (PD-2024-LJZ-01).
    pub code: String,
    /// Name (陆家嘴滨江口袋花园).
    pub name: String,
    /// Programmes (缤纷社区, 童悦空间…), `、`-joined when more than one.
    #[serde(default)]
    pub programme: String,
    /// Batch year.
    #[serde(default)]
    pub year: Option<i32>,
    /// The workflow template's key (`pudong_1t3h`); empty: the default template.
    #[serde(default)]
    pub workflow: String,
    /// Lifecycle stage: a stage key of the workflow (older records: its Chinese name).
    #[serde(default)]
    pub stage: String,
    /// Scope of works (建设内容).
    #[serde(default)]
    pub scope: String,
    /// Budget.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    #[serde(default)]
    pub budget_wan: Option<f64>,
    /// Actual cost so far.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    #[serde(default)]
    pub actual_wan: Option<f64>,
    /// Funding sources, each with its amount; their sum may not exceed the budget.
    #[serde(default)]
    pub funding: Vec<Funding>,
    /// Owner unit (建设主体).
    #[serde(default)]
    pub owner_unit: String,
    /// Design team.
    #[serde(default)]
    pub design_team: String,
    /// Mentor (导师).
    #[serde(default)]
    pub mentor: String,
    /// Community planners, `、`-joined.
    #[serde(default)]
    pub planners: String,
    /// Departments involved, `、`-joined.
    #[serde(default)]
    pub departments: String,
    /// Progress.
    ///
    /// # Units
    /// Percent, 0–100.
    #[serde(default)]
    pub progress_pct: Option<f64>,
    /// Residents' comments.
    #[serde(default)]
    pub comments: String,
    /// Planned and actual dates per stage.
    #[serde(default)]
    pub stage_dates: Vec<StageDates>,
    /// Every change of the record, oldest first (written by the session, never by the form).
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

impl Default for Project {
    fn default() -> Self {
        Self {
            id: Uuid::nil(),
            code: String::new(),
            name: String::new(),
            programme: String::new(),
            year: None,
            workflow: String::new(),
            stage: String::new(),
            scope: String::new(),
            budget_wan: None,
            actual_wan: None,
            funding: Vec::new(),
            owner_unit: String::new(),
            design_team: String::new(),
            mentor: String::new(),
            planners: String::new(),
            departments: String::new(),
            progress_pct: None,
            comments: String::new(),
            stage_dates: Vec::new(),
            history: Vec::new(),
        }
    }
}

/// One funding source (区级财政, 街镇, 社会资金, 自治金…) and its amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    /// The source's name.
    pub source: String,
    /// The amount.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    pub amount_wan: f64,
}

/// The planned and actual dates of one stage, as `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageDates {
    /// The stage key.
    pub stage: String,
    /// When the stage is planned to start.
    #[serde(default)]
    pub planned: Option<String>,
    /// When it actually started.
    #[serde(default)]
    pub actual: Option<String>,
}

/// One change of a project record: when, by whom, which fields, and the stage move if any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// UTC time, RFC 3339 to the second (`2026-12-01T17:05:00Z`).
    pub at: String,
    /// The planner's name set for the workspace (may be empty).
    pub who: String,
    /// Keys of the fields changed ([`ProjectField::key`]), or `created`.
    pub fields: Vec<String>,
    /// The stage before, when the stage changed.
    pub stage_from: Option<String>,
    /// The stage after, when the stage changed.
    pub stage_to: Option<String>,
}

/// The kinds of meeting a project's lifecycle refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingKind {
    /// 事前听证会: the hearing at initiation.
    Hearing,
    /// 事中协调会: coordination during design.
    Coordination,
    /// 事后评议会: evaluation after completion.
    Evaluation,
    /// 联席会议: a joint meeting of departments (Xuhui), which needs no project.
    Joint,
    /// A training or workshop (Yangpu), which needs no project.
    Training,
}

impl MeetingKind {
    /// Every kind, in the order of a project's life.
    pub const ALL: [MeetingKind; 5] = [
        Self::Hearing,
        Self::Coordination,
        Self::Evaluation,
        Self::Joint,
        Self::Training,
    ];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Hearing => "hearing",
            Self::Coordination => "coordination",
            Self::Evaluation => "evaluation",
            Self::Joint => "joint",
            Self::Training => "training",
        }
    }

    /// Its Chinese name: the one the interface shows (`i18n`) and the description QGIS shows
    /// for the stored key (the file's coded values, like the catalog's `name_zh`).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Hearing => "事前听证会",
            Self::Coordination => "事中协调会",
            Self::Evaluation => "事后评议会",
            Self::Joint => "联席会议",
            Self::Training => "培训/工作坊",
        }
    }

    /// Parses [`MeetingKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// The fields of a project a check can point at, so a form shows the reason beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProjectField {
    /// The code.
    Code,
    /// The name.
    Name,
    /// The programmes.
    Programme,
    /// The batch year.
    Year,
    /// The workflow template.
    Workflow,
    /// The current stage.
    Stage,
    /// The scope of works.
    Scope,
    /// The budget.
    Budget,
    /// The actual cost.
    Actual,
    /// Funding source number `i` (0-based).
    Funding(usize),
    /// The owner unit.
    OwnerUnit,
    /// The design team.
    DesignTeam,
    /// The mentor.
    Mentor,
    /// The planners.
    Planners,
    /// The departments.
    Departments,
    /// Progress.
    Progress,
    /// Residents' comments.
    Comments,
    /// The dates of stage row `i` (0-based).
    StageDates(usize),
}

impl ProjectField {
    /// A stable key, used in the history and in error messages (`funding`, `stage_dates`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Programme => "programme",
            Self::Year => "year",
            Self::Workflow => "workflow",
            Self::Stage => "stage",
            Self::Scope => "scope",
            Self::Budget => "budget_wan",
            Self::Actual => "actual_wan",
            Self::Funding(_) => "funding",
            Self::OwnerUnit => "owner_unit",
            Self::DesignTeam => "design_team",
            Self::Mentor => "mentor",
            Self::Planners => "planners",
            Self::Departments => "departments",
            Self::Progress => "progress_pct",
            Self::Comments => "comments",
            Self::StageDates(_) => "stage_dates",
        }
    }
}

/// The earliest and latest batch years accepted.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

impl Project {
    /// The fields whose values differ between two versions of a record (history aside).
    pub fn changed_fields(&self, other: &Project) -> Vec<ProjectField> {
        use ProjectField as F;
        let mut out = Vec::new();
        let mut check = |same: bool, field| {
            if !same {
                out.push(field);
            }
        };
        check(self.code == other.code, F::Code);
        check(self.name == other.name, F::Name);
        check(self.programme == other.programme, F::Programme);
        check(self.year == other.year, F::Year);
        check(self.workflow == other.workflow, F::Workflow);
        check(self.stage == other.stage, F::Stage);
        check(self.scope == other.scope, F::Scope);
        check(self.budget_wan == other.budget_wan, F::Budget);
        check(self.actual_wan == other.actual_wan, F::Actual);
        check(self.funding == other.funding, F::Funding(0));
        check(self.owner_unit == other.owner_unit, F::OwnerUnit);
        check(self.design_team == other.design_team, F::DesignTeam);
        check(self.mentor == other.mentor, F::Mentor);
        check(self.planners == other.planners, F::Planners);
        check(self.departments == other.departments, F::Departments);
        check(self.progress_pct == other.progress_pct, F::Progress);
        check(self.comments == other.comments, F::Comments);
        check(self.stage_dates == other.stage_dates, F::StageDates(0));
        out
    }

    /// The dates recorded for a stage, if any.
    pub fn dates_of(&self, stage: &str) -> Option<&StageDates> {
        self.stage_dates.iter().find(|d| d.stage == stage)
    }
}

/// The items of a `、`-joined list, trimmed, empty ones dropped (also splits on `,`, `，`,
/// `;` and `；`, which people type too).
pub fn list_items(text: &str) -> Vec<&str> {
    text.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A UTC time as RFC 3339 to the second (`2026-12-01T17:05:00Z`), from seconds since 1970.
pub fn utc_text(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    // Civil from days (H. Hinnant's algorithm), proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Parses a `YYYY-MM-DD` date into (year, month, day); `None` unless it is a real day.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_lists() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("24-1-1"), None);
        assert_eq!(
            list_items("张三、李四, 王五；"),
            vec!["张三", "李四", "王五"]
        );
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(utc_text(1_796_054_400), "2026-11-30T16:00:00Z");
    }
}
