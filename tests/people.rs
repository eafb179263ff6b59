//! People, teams and tasks through the façade: a roster with a street team (1 mentor + 2
//! planners), people assigned to a project and a meeting, a meeting's decisions made tasks,
//! renames that follow the names, reopening, undo back to the start, the overdue rule, the
//! annual list, a schema-4 file's names becoming roster entries, and `linli tasks` / `linli
//! people` / `linli projects --person --overdue`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;
use linli::error::Problem;
use linli::model::meeting::Meeting;
use linli::model::people::{OrgKind, Organisation, Person, PersonRole, Task, TaskStatus};
use linli::model::project::MeetingKind;
use linli::session::report::ProjectFilter;
use linli::session::{Command, MeetingEdit, ProjectEdit, ProjectPart, RecordEdit, TaskFilter};

fn sample(dir: &std::path::Path) -> (std::path::PathBuf, Session) {
    let ws = dir.join("w.gpkg");
    let s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    (ws, s)
}

fn person(name: &str, role: PersonRole, streets: &str) -> Person {
    Person {
        streets: streets.into(),
        ..Person::new(name, role)
    }
}

#[test]
fn a_street_team_assigned_and_tasked_survives_reopening_and_undoes_to_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let before = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let people_before = s.records().people().len();
    let mut steps = 0;

    // A street team for 周家渡街道: one mentor, two planners; a design team with a member.
    let mentor = person("测试导师", PersonRole::Mentor, "周家渡街道");
    let p1 = person("测试规划师甲", PersonRole::PlannerSpecial, "周家渡街道");
    let p2 = person("测试规划师乙", PersonRole::PlannerResident, "周家渡街道");
    let team = Organisation::new("测试设计团队", OrgKind::DesignTeam);
    s.apply(Command::Organisation(RecordEdit::Add(team.clone())))
        .unwrap();
    steps += 1;
    for p in [&mentor, &p1, &p2] {
        s.apply(Command::Person(RecordEdit::Add(p.clone())))
            .unwrap();
        steps += 1;
    }
    let designer = Person {
        organisation: team.name.clone(),
        ..Person::new("测试设计师", PersonRole::Designer)
    };
    s.apply(Command::Person(RecordEdit::Add(designer.clone())))
        .unwrap();
    steps += 1;
    let teams = s.records().street_teams();
    let zjd: Vec<&str> = teams["周家渡街道"]
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(zjd, vec!["测试导师", "测试规划师甲", "测试规划师乙"]);

    // A name no one else has: a second 测试导师 is refused, naming it, and changes nothing.
    let twin = Person::new("测试导师", PersonRole::Planner);
    let e = s.apply(Command::Person(RecordEdit::Add(twin))).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::RosterNameTaken { name, .. }) if name == "测试导师"),
        "{e}"
    );

    // Assign them to a project and a meeting.
    let mut project = s.projects().values().next().unwrap().clone();
    project.mentor = mentor.name.clone();
    project.planners = format!("{}、{}", p1.name, p2.name);
    project.design_team = team.name.clone();
    s.apply(ProjectEdit::Update(project.clone())).unwrap();
    steps += 1;
    let mut meeting = Meeting::new(MeetingKind::Joint, "2025-03-20", None);
    meeting.chair = mentor.name.clone();
    meeting.attendees = format!("{}、{}、新来的居民代表", p1.name, p2.name);
    meeting.decisions = "补种三棵乡土树；增设无障碍坡道；下月复核".into();
    meeting.project = Some(project.id);
    s.apply(MeetingEdit::Add(meeting.clone())).unwrap();
    steps += 1;
    // A name not on the roster joined it in the same step.
    let newcomer = s.records().person_named("新来的居民代表").unwrap();
    assert_eq!(newcomer.role, PersonRole::Other);
    assert_eq!(s.records().people().len(), people_before + 5);

    // The decisions become tasks, as one step; doing it again adds nothing.
    let make = s.records().tasks_from_decisions(meeting.id).unwrap();
    s.apply(make).unwrap();
    steps += 1;
    assert!(s.records().tasks_from_decisions(meeting.id).is_none());
    let tasks: Vec<Task> = s
        .records()
        .tasks_of_meeting(meeting.id)
        .into_iter()
        .cloned()
        .collect();
    let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles.len(), 3);
    assert!(titles.contains(&"增设无障碍坡道"));
    assert!(tasks.iter().all(|t| t.project == Some(project.id)));
    // Give each an owner (a person, then a department) and a due date.
    let mut t0 = tasks[0].clone();
    t0.owner = p1.name.clone();
    t0.due = "2025-04-30".into();
    t0.status = TaskStatus::Doing;
    s.apply(Command::Task(RecordEdit::Update(t0.clone())))
        .unwrap();
    steps += 1;
    let mut t1 = tasks[1].clone();
    t1.owner = "绿化市容所".into();
    t1.due = "2099-01-31".into();
    s.apply(Command::Task(RecordEdit::Update(t1.clone())))
        .unwrap();
    steps += 1;
    // An owner not on the roster is refused.
    let mut bad = tasks[2].clone();
    bad.owner = "无名氏".into();
    let e = s.apply(Command::Task(RecordEdit::Update(bad))).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::OwnerNotOnRoster { .. })),
        "{e}"
    );

    // The person's page lists the project, the meeting, the street team and the task.
    let page = s.records().person_page(p1.id).unwrap();
    assert_eq!(page.projects.len(), 1);
    assert_eq!(page.projects[0].0.id, project.id);
    assert_eq!(page.projects[0].1, ProjectPart::Planner);
    assert_eq!(page.meetings.len(), 1);
    assert_eq!(page.streets, vec!["周家渡街道".to_string()]);
    assert_eq!(page.tasks.len(), 1);
    // The design team's member works on the project through the team.
    let page = s.records().person_page(designer.id).unwrap();
    assert_eq!(page.projects[0].1, ProjectPart::DesignTeam);

    // Renaming the mentor renames them on the project and as the meeting's chair, one step.
    let mut renamed = s.records().person(mentor.id).unwrap().clone();
    renamed.name = "测试导师（新）".into();
    s.apply(Command::Person(RecordEdit::Update(renamed)))
        .unwrap();
    steps += 1;
    assert_eq!(s.project(project.id).unwrap().mentor, "测试导师（新）");
    assert_eq!(
        s.records().meeting(meeting.id).unwrap().chair,
        "测试导师（新）"
    );
    // Deleting a planner takes their name off the project and their task.
    s.apply(Command::Person(RecordEdit::Delete(p1.id))).unwrap();
    steps += 1;
    assert_eq!(s.project(project.id).unwrap().planners, "测试规划师乙");
    assert_eq!(s.records().task(t0.id).unwrap().owner, "");

    // Reopen (beside the session, read-only): everything is there.
    let after = common::dump(&ws);
    {
        let r = Session::open_read_only(&ws).unwrap();
        assert!(r.records().person_named("测试导师（新）").is_some());
        assert!(r.records().person(p1.id).is_none());
        assert_eq!(r.records().tasks_of_meeting(meeting.id).len(), 3);
        assert_eq!(r.records().task(t1.id).unwrap().owner, "绿化市容所");
        assert_eq!(r.records().task(t0.id).unwrap().due, "2025-04-30");
        assert_eq!(
            r.records().organisation(team.id).unwrap().kind,
            OrgKind::DesignTeam
        );
        assert_eq!(r.project(project.id).unwrap().design_team, "测试设计团队");
        let teams = r.records().street_teams();
        assert_eq!(teams["周家渡街道"].len(), 2);
    }
    assert_ne!(after, before);

    // Undo it all: back to the start, byte for byte of content.
    let mut undone = 0;
    while s.undo().unwrap() {
        undone += 1;
    }
    assert_eq!(undone, steps);
    assert_eq!(common::dump(&ws), before, "undone to the exact start");
    assert_eq!(s.records().people().len(), people_before);
}

#[test]
fn every_roster_step_undoes_back_to_the_exact_start() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let before = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let mentor = person("撤销导师", PersonRole::Mentor, "洋泾街道");
    s.apply(Command::Person(RecordEdit::Add(mentor.clone())))
        .unwrap();
    let team = Organisation::new("撤销设计团队", OrgKind::DesignTeam);
    s.apply(Command::Organisation(RecordEdit::Add(team.clone())))
        .unwrap();
    let mut project = s.projects().values().next().unwrap().clone();
    project.mentor = mentor.name.clone();
    project.planners = "撤销规划师".into();
    project.design_team = team.name.clone();
    s.apply(ProjectEdit::Update(project.clone())).unwrap();
    let joint = s
        .records()
        .meetings()
        .into_iter()
        .find(|m| m.kind == MeetingKind::Joint)
        .unwrap()
        .clone();
    let make = s.records().tasks_from_decisions(joint.id);
    let existing = s.records().tasks_of_meeting(joint.id).len();
    if let Some(make) = make {
        s.apply(make).unwrap();
    }
    let mut t = Task::new("撤销测试任务");
    t.meeting = Some(joint.id);
    t.owner = team.name.clone();
    t.due = "2024-01-01".into();
    s.apply(Command::Task(RecordEdit::Add(t.clone()))).unwrap();
    let mut renamed = s.records().organisation(team.id).unwrap().clone();
    renamed.name = "撤销设计团队二".into();
    s.apply(Command::Organisation(RecordEdit::Update(renamed)))
        .unwrap();
    assert_eq!(s.records().task(t.id).unwrap().owner, "撤销设计团队二");
    assert_eq!(s.project(project.id).unwrap().design_team, "撤销设计团队二");
    s.apply(Command::Task(RecordEdit::Delete(t.id))).unwrap();
    s.apply(Command::Person(RecordEdit::Delete(mentor.id)))
        .unwrap();
    assert!(s.records().tasks_of_meeting(joint.id).len() >= existing);
    let changed = common::dump(&ws);
    assert_ne!(changed, before);
    while s.undo().unwrap() {}
    assert_eq!(common::dump(&ws), before, "undone to the exact start");
    while s.redo().unwrap() {}
    assert_eq!(common::dump(&ws), changed, "redone to the end");
}

#[test]
fn overdue_is_due_before_today_and_not_done_and_the_annual_list_marks_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, s) = sample(dir.path());
    let today = "2024-10-01";
    let list = s.records().annual_list(2024, today);
    let all: Vec<(&Task, bool)> = list.iter().flat_map(|st| st.tasks.clone()).collect();
    assert!(!all.is_empty());
    for (t, overdue) in &all {
        let expected = !t.due.is_empty() && t.due.as_str() < today && t.status != TaskStatus::Done;
        assert_eq!(*overdue, expected, "{}", t.title);
    }
    // The sample's joint meeting decided tasks: the one not reported by 31 July is overdue.
    let late: Vec<&str> = all
        .iter()
        .filter(|(_, o)| *o)
        .map(|(t, _)| t.title.as_str())
        .collect();
    assert!(late.contains(&"报送塘桥街道 2024 年度任务清单"), "{late:?}");
    assert!(!late.contains(&"报送陆家嘴街道 2024 年度任务清单"));
    // By street: the task for 牡丹's project is under 花木街道, with the 2024 projects there.
    let huamu = list.iter().find(|st| st.street == "花木街道").unwrap();
    assert!(huamu.projects.iter().any(|p| p.code == "PD-2024-HM-01"));
    assert!(
        huamu
            .tasks
            .iter()
            .any(|(t, _)| t.title == "牡丹社区口袋花园深化设计")
    );
    // The task table's overdue filter keeps exactly the overdue ones.
    let rows = s.records().task_table(
        &TaskFilter {
            year: Some(2024),
            overdue_on: Some(today.into()),
            ..TaskFilter::default()
        },
        today,
    );
    assert!(rows.iter().all(|r| r.overdue));
    assert_eq!(
        rows.len(),
        s.records()
            .tasks()
            .iter()
            .filter(|t| s.records().task_year(t) == Some(2024) && t.is_overdue(today))
            .count()
    );
    // The project filter by person and by overdue.
    let by_person = s.analysis().project_table(&ProjectFilter {
        person: Some("周启明".into()),
        ..ProjectFilter::default()
    });
    let codes: Vec<&str> = by_person.iter().map(|r| r.project.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["PD-2019-LJZ-02", "PD-2023-WF-01", "PD-2024-LJZ-01"]
    );
    let overdue = s.analysis().project_table(&ProjectFilter {
        overdue_on: Some(today.into()),
        ..ProjectFilter::default()
    });
    let codes: Vec<&str> = overdue.iter().map(|r| r.project.code.as_str()).collect();
    assert!(codes.contains(&"PD-2024-HM-01"), "{codes:?}");
    assert!(!codes.contains(&"PD-2019-LJZ-02"), "{codes:?}");
}

#[test]
fn the_sample_has_street_teams_design_teams_departments_and_attended_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, s) = sample(dir.path());
    let teams = s.records().street_teams();
    let ljz = &teams["陆家嘴街道"];
    assert_eq!(
        ljz.iter().filter(|p| p.role == PersonRole::Mentor).count(),
        1
    );
    assert_eq!(ljz.iter().filter(|p| p.role.is_planner()).count(), 2);
    assert!(
        s.records()
            .organisations()
            .iter()
            .any(|o| o.kind == OrgKind::DesignTeam)
    );
    assert!(
        s.records()
            .organisations()
            .iter()
            .any(|o| o.kind == OrgKind::Department)
    );
    let joint = s
        .records()
        .meetings()
        .into_iter()
        .find(|m| m.kind == MeetingKind::Joint)
        .unwrap();
    assert!(!s.records().tasks_of_meeting(joint.id).is_empty());
    assert!(!joint.chair.is_empty());
    // Every name a project or task gives is on the roster.
    for p in s.projects().values() {
        for name in linli::model::project::list_items(&p.planners) {
            assert!(s.records().person_named(name).is_some(), "{name}");
        }
    }
    for t in s.records().tasks() {
        assert!(
            s.records().person_named(&t.owner).is_some()
                || s.records().organisation_named(&t.owner).is_some(),
            "{}",
            t.owner
        );
    }
}

#[test]
fn a_schema_4_files_names_become_roster_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    // Make it a schema-4 file: drop what schemas 7 to 9 added, the roster tables (schema 5) and
    // the attachments, notes and view bookmark (schema 6), and what registers them.
    common::back_to_schema_6(&ws);
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TABLE linli_people; DROP TABLE linli_organisations; DROP TABLE linli_tasks;
             DELETE FROM gpkg_contents WHERE table_name IN ('linli_people','linli_organisations','linli_tasks');
             DELETE FROM gpkg_data_columns WHERE table_name IN ('linli_people','linli_organisations','linli_tasks');
             DELETE FROM gpkg_data_column_constraints WHERE constraint_name IN ('linli_person_role','linli_org_kind','linli_task_status');
             DROP TABLE linli_projects_media; DROP TABLE linli_media; DROP TABLE gpkgext_relations;
             DROP TABLE linli_meeting_notes; DROP TABLE rtree_linli_meeting_notes_geom;
             DELETE FROM gpkg_contents WHERE table_name IN ('linli_media','linli_projects_media','linli_meeting_notes');
             DELETE FROM gpkg_geometry_columns WHERE table_name = 'linli_meeting_notes';
             DELETE FROM gpkg_extensions WHERE extension_name = 'related_tables'
                 OR table_name IN ('linli_media','linli_projects_media','linli_meeting_notes','gpkgext_relations');
             DELETE FROM gpkg_data_columns WHERE table_name IN ('linli_media','linli_meeting_notes');
             DELETE FROM gpkg_data_column_constraints WHERE constraint_name IN ('linli_attachment_kind','linli_note_kind','linli_vote');
             ALTER TABLE linli_meetings DROP COLUMN view_lon;
             ALTER TABLE linli_meetings DROP COLUMN view_lat;
             ALTER TABLE linli_meetings DROP COLUMN view_zoom;
             UPDATE linli_meta SET value = '4' WHERE key = 'schema_version';",
        )
        .unwrap();
    }
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.migrated().map(|m| m.from), Some(4));
    assert!(dir.path().join("w.schema4-backup.gpkg").exists());
    let mentor = s.records().person_named("周启明").unwrap();
    assert_eq!(mentor.role, PersonRole::Mentor);
    assert_eq!(
        s.records().person_named("林晓雯").unwrap().role,
        PersonRole::Planner
    );
    assert_eq!(
        s.records()
            .organisation_named("上海同筑城市设计事务所")
            .unwrap()
            .kind,
        OrgKind::DesignTeam
    );
    assert_eq!(
        s.records().organisation_named("交警支队").unwrap().kind,
        OrgKind::Department
    );
    // A meeting's chair became a person too.
    assert!(s.records().person_named("钱国栋").is_some());
    let page = s.records().person_page(mentor.id).unwrap();
    assert_eq!(page.projects.len(), 3);
    assert!(s.records().tasks().is_empty(), "schema 4 had no tasks");
}

use common::stdout;

#[test]
fn the_command_line_lists_people_and_tasks_and_filters_projects_by_person_and_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    let today = linli::model::people::today_local();
    let overdue_tasks = s
        .records()
        .tasks()
        .iter()
        .filter(|t| t.is_overdue(&today))
        .count();
    let overdue_projects: Vec<String> = s
        .projects()
        .values()
        .filter(|p| s.records().project_overdue(p, &today))
        .map(|p| p.code.clone())
        .collect();
    let task_count = s.records().tasks().len();
    let people = s.records().people().len();
    drop(s);
    let ws = ws.to_str().unwrap();

    let by_person = stdout(&["projects", ws, "--person", "孙立群"]);
    let codes: Vec<&str> = by_person
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(codes, vec!["PD-2022-TQ-01", "PD-2024-HM-01"]);
    let late = stdout(&["projects", ws, "--overdue"]);
    let codes: Vec<String> = late
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(codes, overdue_projects);

    let all = stdout(&["tasks", ws]);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(
        lines[0],
        "street\tdue\tstatus\ttitle\towner\tproject\tmeeting\toverdue"
    );
    assert_eq!(lines.len(), 1 + task_count);
    let late = stdout(&["tasks", ws, "--overdue"]);
    assert_eq!(late.lines().count(), 1 + overdue_tasks);
    assert!(late.lines().skip(1).all(|l| l.ends_with("\t1")));
    let huamu = stdout(&["tasks", ws, "--year", "2024", "--street", "花木街道"]);
    assert!(huamu.contains("牡丹社区口袋花园深化设计"), "{huamu}");
    assert!(!huamu.contains("塘桥街道 2024"), "{huamu}");

    let csv = dir.path().join("t.csv");
    let written = stdout(&[
        "tasks",
        ws,
        "--year",
        "2024",
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(written.contains("t.csv"), "{written}");
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("报送塘桥街道 2024 年度任务清单"));
    assert!(text.contains("联席会议"));
    assert!(!text.contains("巨野路"), "2027's task is not in 2024");

    let roster = stdout(&["people", ws]);
    let lines: Vec<&str> = roster.lines().collect();
    assert_eq!(
        lines[0],
        "name\trole\torganisation\tstreets\tprojects\tmeetings\ttasks"
    );
    let zhou = lines.iter().find(|l| l.starts_with("周启明\t")).unwrap();
    let cols: Vec<&str> = zhou.split('\t').collect();
    assert_eq!(cols[1], "mentor");
    assert_eq!(cols[4], "3", "{zhou}");
    assert_eq!(
        lines.iter().take_while(|l| !l.is_empty()).count(),
        1 + people
    );
    let zh = common::linli()
        .env("LANG", "zh_CN.UTF-8")
        .args(["people", ws])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&zh.stdout).contains("周启明\t导师"));
}

#[test]
fn a_roster_row_another_program_left_unreadable_is_left_out_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    let people = s.records().people().len();
    drop(s);
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute_batch(
            "INSERT INTO linli_people (uuid, name, role) VALUES ('not-a-uuid', '某甲', 'mentor');
             INSERT INTO linli_people (uuid, name, role) VALUES ('6f1c3f9e-4a44-4c1b-9a63-0d8c1f2b7a10', '某乙', 'boss');",
        )
        .unwrap();
    }
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.records().people().len(), people, "the rest opened");
    let notes: Vec<&Problem> = s
        .notes()
        .iter()
        .filter(
            |n| matches!(n, Problem::UnreadablePlanRow { table, .. } if table == "linli_people"),
        )
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", s.notes());
    assert!(notes[1].to_string().contains("boss"), "{}", notes[1]);
}
