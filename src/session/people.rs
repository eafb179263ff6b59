//! The roster (people, organisations) and tasks held in memory, and what views ask of them: a
//! person's page (their projects, meetings, street teams and tasks), the street teams, the
//! annual task list (年度任务清单) by street with overdue tasks marked.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::Session;
use super::views::Records;
use crate::model::Project;
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::project::list_items;

/// How a person takes part in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProjectPart {
    /// The project's mentor.
    Mentor,
    /// One of its planners.
    Planner,
    /// A member of its design team.
    DesignTeam,
}

/// Everything a person's page lists.
#[derive(Debug, Clone)]
pub struct PersonPage<'a> {
    /// The person.
    pub person: &'a Person,
    /// Their projects and how they take part, by code.
    pub projects: Vec<(&'a Project, ProjectPart)>,
    /// The meetings they chaired or attended, by date.
    pub meetings: Vec<&'a Meeting>,
    /// The streets whose team they are in.
    pub streets: Vec<String>,
    /// The tasks they own, by due date.
    pub tasks: Vec<&'a Task>,
}

/// One street's part of the annual task list.
#[derive(Debug, Clone, Default)]
pub struct AnnualStreet<'a> {
    /// The street; empty for projects and tasks that have none.
    pub street: String,
    /// The year's projects in the street, by code.
    pub projects: Vec<&'a Project>,
    /// The year's tasks in the street, by due date, each with whether it is overdue.
    pub tasks: Vec<(&'a Task, bool)>,
}

impl Session {
    /// Adds people, organisations and tasks as they are, in one transaction and not as an
    /// undo step (the sample's records, like [`Session::add_projects`]).
    pub fn add_roster(
        &mut self,
        people: &[Person],
        organisations: &[Organisation],
        tasks: &[Task],
    ) -> crate::error::Result<()> {
        self.add_records(people)?;
        self.add_records(organisations)?;
        self.add_records(tasks)
    }
}

impl<'s> Records<'s> {
    /// Every person, by name.
    pub fn people(&self) -> Vec<&'s Person> {
        let mut all: Vec<&'s Person> = self.session.people.all().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        all
    }

    /// The person with this id.
    pub fn person(&self, id: Uuid) -> Option<&'s Person> {
        self.session.people.get(id)
    }

    /// The person with this name.
    pub fn person_named(&self, name: &str) -> Option<&'s Person> {
        self.session.people.all().find(|p| p.name == name.trim())
    }

    /// Every organisation, by name.
    pub fn organisations(&self) -> Vec<&'s Organisation> {
        let mut all: Vec<&'s Organisation> = self.session.organisations.all().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        all
    }

    /// The organisation with this id.
    pub fn organisation(&self, id: Uuid) -> Option<&'s Organisation> {
        self.session.organisations.get(id)
    }

    /// The organisation with this name.
    pub fn organisation_named(&self, name: &str) -> Option<&'s Organisation> {
        self.session
            .organisations
            .all()
            .find(|o| o.name == name.trim())
    }

    /// Every task, by due date (undated last), then title.
    pub fn tasks(&self) -> Vec<&'s Task> {
        let mut all: Vec<&'s Task> = self.session.tasks.all().collect();
        all.sort_by(|a, b| task_order(a).cmp(&task_order(b)));
        all
    }

    /// The task with this id.
    pub fn task(&self, id: Uuid) -> Option<&'s Task> {
        self.session.tasks.get(id)
    }

    /// The tasks a meeting decided, by due date.
    pub fn tasks_of_meeting(&self, meeting: Uuid) -> Vec<&'s Task> {
        let mut of: Vec<&'s Task> = self
            .session
            .tasks
            .all()
            .filter(|t| t.meeting == Some(meeting))
            .collect();
        of.sort_by(|a, b| task_order(a).cmp(&task_order(b)));
        of
    }

    /// "Make the decisions tasks": one new task per decision of the meeting (its decisions
    /// split at `；`, `。` and line ends) that is not a task of the meeting yet, to do, for the
    /// meeting's project, as one command; `None` when there is nothing new.
    pub fn tasks_from_decisions(&self, meeting: Uuid) -> Option<super::Command> {
        let m = self.meeting(meeting)?;
        let existing: Vec<&str> = self
            .tasks_of_meeting(meeting)
            .into_iter()
            .map(|t| t.title.as_str())
            .collect();
        let adds: Vec<super::Command> = m
            .decisions
            .split(['；', ';', '。', '\n'])
            .map(str::trim)
            .filter(|d| !d.is_empty() && !existing.contains(d))
            .map(|d| {
                let mut t = Task::new(d);
                t.meeting = Some(meeting);
                t.project = m.project;
                super::Command::Task(super::RecordEdit::Add(t))
            })
            .collect();
        (!adds.is_empty()).then_some(super::Command::Batch(adds))
    }

    /// How `name` takes part in `project`, if at all.
    pub fn project_part(&self, project: &Project, name: &str) -> Option<ProjectPart> {
        let name = name.trim();
        if list_items(&project.mentor).contains(&name) {
            return Some(ProjectPart::Mentor);
        }
        if list_items(&project.planners).contains(&name) {
            return Some(ProjectPart::Planner);
        }
        let teams = list_items(&project.design_team);
        if teams.contains(&name) {
            return Some(ProjectPart::DesignTeam);
        }
        let member = self
            .person_named(name)
            .is_some_and(|p| !p.organisation.is_empty() && teams.contains(&p.organisation.trim()));
        member.then_some(ProjectPart::DesignTeam)
    }

    /// How many records name the person called `name` (or, with `organisation`, the
    /// organisation): the projects, meetings, tasks (and an organisation's people) a rename
    /// follows into and a delete takes the name out of, in one step.
    pub fn records_naming(&self, name: &str, organisation: bool) -> usize {
        let name = name.trim();
        let listed = |text: &str| list_items(text).contains(&name);
        let projects = self.session.projects().values().filter(|p| {
            if organisation {
                listed(&p.design_team) || listed(&p.departments) || p.owner_unit.trim() == name
            } else {
                listed(&p.mentor) || listed(&p.planners)
            }
        });
        let meetings = self.meetings().into_iter().filter(|m| {
            if organisation {
                listed(&m.departments)
            } else {
                m.chair.trim() == name || listed(&m.attendees)
            }
        });
        let tasks = self.tasks().into_iter().filter(|t| t.owner.trim() == name);
        let people = self
            .people()
            .into_iter()
            .filter(|p| organisation && p.organisation.trim() == name);
        projects.count() + meetings.count() + tasks.count() + people.count()
    }

    /// A person's page, `None` when there is no such person.
    pub fn person_page(&self, id: Uuid) -> Option<PersonPage<'s>> {
        let person = self.session.people.get(id)?;
        let name = person.name.as_str();
        let projects = self
            .session
            .projects()
            .values()
            .filter_map(|p| Some((p, self.project_part(p, name)?)))
            .collect();
        let meetings = self
            .meetings()
            .into_iter()
            .filter(|m| m.chair.trim() == name || list_items(&m.attendees).contains(&name))
            .collect();
        let tasks = self
            .tasks()
            .into_iter()
            .filter(|t| t.owner.trim() == name)
            .collect();
        Some(PersonPage {
            person,
            projects,
            meetings,
            streets: list_items(&person.streets)
                .into_iter()
                .map(str::to_string)
                .collect(),
            tasks,
        })
    }

    /// Each street's team, by street: its people, mentors first, then by name.
    pub fn street_teams(&self) -> BTreeMap<String, Vec<&'s Person>> {
        let mut teams: BTreeMap<String, Vec<&'s Person>> = BTreeMap::new();
        for p in self.people() {
            for s in list_items(&p.streets) {
                teams.entry(s.to_string()).or_default().push(p);
            }
        }
        for team in teams.values_mut() {
            team.sort_by_key(|p| (p.role, p.name.clone()));
        }
        teams
    }

    /// The streets a task belongs to: its project's (from the project's features), else its
    /// meeting's project's, else its owner's (a street office's own street, a person's street
    /// teams); empty when none says.
    pub fn task_streets(&self, task: &Task) -> BTreeSet<String> {
        self.task_streets_with(task, self.session.summaries_now())
    }

    fn task_streets_with(
        &self,
        task: &Task,
        summaries: &BTreeMap<String, super::ProjectSummary>,
    ) -> BTreeSet<String> {
        let project = task
            .project
            .or_else(|| task.meeting.and_then(|m| self.meeting(m)?.project))
            .and_then(|p| self.session.project(p));
        if let Some(s) = project.and_then(|p| summaries.get(&p.code))
            && !s.streets.is_empty()
        {
            return s.streets.clone();
        }
        // A street office owns its own street's tasks.
        if let Some(o) = self.organisation_named(&task.owner)
            && o.kind == crate::model::people::OrgKind::StreetOffice
        {
            return BTreeSet::from([o.name.clone()]);
        }
        self.person_named(&task.owner)
            .map(|p| {
                list_items(&p.streets)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The year a task falls in: its due date's, else its meeting's.
    pub fn task_year(&self, task: &Task) -> Option<i32> {
        task.due_year().or_else(|| {
            let m = self.meeting(task.meeting?)?;
            crate::model::project::parse_date(&m.date).map(|(y, _, _)| y)
        })
    }

    /// True when the project has an overdue task, or a stage planned to start before `today`
    /// that has not started.
    pub fn project_overdue(&self, project: &Project, today: &str) -> bool {
        let late_task = self
            .session
            .tasks
            .all()
            .any(|t| t.project == Some(project.id) && t.is_overdue(today));
        let late_stage = project.stage_dates.iter().any(|d| {
            d.actual.is_none()
                && d.planned
                    .as_deref()
                    .is_some_and(|p| !p.is_empty() && p < today)
        });
        late_task || late_stage
    }

    /// The annual task list (年度任务清单) of `year`: by street, the year's projects (batch
    /// year) and tasks (due that year, or decided at a meeting that year), each task marked
    /// overdue against `today`. A project or task spanning several streets is listed in each.
    pub fn annual_list(&self, year: i32, today: &str) -> Vec<AnnualStreet<'s>> {
        let summaries = self.session.summaries_now();
        let mut streets: BTreeMap<String, AnnualStreet<'s>> = BTreeMap::new();
        for p in self
            .session
            .projects()
            .values()
            .filter(|p| p.year == Some(year))
        {
            let of = summaries
                .get(&p.code)
                .map(|s| s.streets.clone())
                .unwrap_or_default();
            for s in street_keys(of) {
                street_entry(&mut streets, &s).projects.push(p);
            }
        }
        for t in self.tasks() {
            if self.task_year(t) != Some(year) {
                continue;
            }
            for s in street_keys(self.task_streets_with(t, summaries)) {
                street_entry(&mut streets, &s)
                    .tasks
                    .push((t, t.is_overdue(today)));
            }
        }
        streets.into_values().collect()
    }
}

/// Which tasks a task table covers; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    /// Tasks of this year (due, else decided).
    pub year: Option<i32>,
    /// Tasks in this street.
    pub street: Option<String>,
    /// Only tasks overdue on this day (`YYYY-MM-DD`).
    pub overdue_on: Option<String>,
}

/// One task as a table row, with what it derives.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow<'a> {
    /// The task.
    pub task: &'a Task,
    /// Its streets (see [`Records::task_streets`]).
    pub streets: Vec<String>,
    /// Its project's code, if any.
    pub project_code: String,
    /// Its meeting (date and kind), if any.
    pub meeting: Option<&'a Meeting>,
    /// Overdue on the day asked.
    pub overdue: bool,
}

/// The columns of `linli tasks --format csv`.
pub const TASK_CSV_COLUMNS: &[&str] = &[
    "street", "due", "status", "title", "owner", "project", "meeting", "overdue",
];

impl<'s> Records<'s> {
    /// The tasks the filter keeps, by due date, each marked overdue against `today`.
    pub fn task_table(&self, filter: &TaskFilter, today: &str) -> Vec<TaskRow<'s>> {
        let summaries = self.session.summaries_now();
        self.tasks()
            .into_iter()
            .filter(|t| filter.year.is_none_or(|y| self.task_year(t) == Some(y)))
            .filter(|t| filter.overdue_on.as_ref().is_none_or(|d| t.is_overdue(d)))
            .filter_map(|t| {
                let streets: Vec<String> =
                    self.task_streets_with(t, summaries).into_iter().collect();
                if filter.street.as_ref().is_some_and(|s| !streets.contains(s)) {
                    return None;
                }
                Some(TaskRow {
                    task: t,
                    streets,
                    project_code: t
                        .project
                        .and_then(|p| self.session.project(p))
                        .map(|p| p.code.clone())
                        .unwrap_or_default(),
                    meeting: t.meeting.and_then(|m| self.meeting(m)),
                    overdue: t.is_overdue(today),
                })
            })
            .collect()
    }
}

/// The CSV rows of a task table (status and meeting kind by their Chinese names, as QGIS
/// shows the coded fields).
pub fn task_csv_rows(rows: &[TaskRow<'_>]) -> Vec<Vec<crate::io::csv::Cell>> {
    use crate::io::csv::Cell;
    rows.iter()
        .map(|r| {
            vec![
                Cell::text(r.streets.join("、")),
                Cell::text(&r.task.due),
                Cell::text(r.task.status.name_zh()),
                Cell::text(&r.task.title),
                Cell::text(&r.task.owner),
                Cell::text(&r.project_code),
                Cell::text(
                    r.meeting
                        .map(|m| format!("{} {}", m.date, m.kind.name_zh()))
                        .unwrap_or_default(),
                ),
                Cell::number(u8::from(r.overdue)),
            ]
        })
        .collect()
}

/// A task table as a CSV or a sheet ([`TASK_CSV_COLUMNS`], [`task_csv_rows`]).
pub fn task_table_file<'a>(
    rows: &[TaskRow<'_>],
    lang: crate::i18n::Lang,
) -> crate::io::table::Table<'a> {
    crate::io::table::Table {
        sheet: crate::i18n::exports::ExportText::SheetTasks.get(lang),
        header: TASK_CSV_COLUMNS,
        rows: task_csv_rows(rows),
        notes: Vec::new(),
    }
}

fn street_keys(streets: BTreeSet<String>) -> Vec<String> {
    if streets.is_empty() {
        vec![String::new()]
    } else {
        streets.into_iter().collect()
    }
}

fn street_entry<'m, 'a>(
    streets: &'m mut BTreeMap<String, AnnualStreet<'a>>,
    street: &str,
) -> &'m mut AnnualStreet<'a> {
    streets
        .entry(street.to_string())
        .or_insert_with(|| AnnualStreet {
            street: street.to_string(),
            ..AnnualStreet::default()
        })
}

/// Tasks by due date, undated last, then title and id.
fn task_order(t: &Task) -> (bool, &str, &str, Uuid) {
    (t.due.is_empty(), t.due.as_str(), t.title.as_str(), t.id)
}
