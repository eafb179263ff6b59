//! What the roster form relies on, through the façade on the sample workspace: the count of
//! records naming an entry is the number of records its delete rewrites; a project's owner
//! unit joins the roster on save and follows the organisation's rename, in one undo step.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use linli::Session;
use linli::model::people::OrgKind;
use linli::session::{Command, ProjectEdit, RecordEdit};

fn sample(dir: &std::path::Path) -> Session {
    let ws = dir.join("w.gpkg");
    linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap()
}

/// Projects, meetings, tasks and people as text, to count the records an edit rewrote.
fn records(s: &Session) -> Vec<String> {
    let mut out: Vec<String> = s.projects().values().map(|p| format!("{p:?}")).collect();
    out.extend(s.records().meetings().iter().map(|m| format!("{m:?}")));
    out.extend(s.records().tasks().iter().map(|t| format!("{t:?}")));
    out.extend(s.records().people().iter().map(|p| format!("{p:?}")));
    out
}

fn rewritten(before: &[String], after: &[String]) -> usize {
    after.iter().filter(|r| !before.contains(r)).count()
}

#[test]
fn the_records_naming_an_entry_are_those_its_delete_rewrites() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample(dir.path());
    for name in ["周启明", "何静", "孙立群"] {
        let id = s.records().person_named(name).unwrap().id;
        let mentions = s.records().records_naming(name, false);
        assert!(mentions > 0, "{name} is named in the sample");
        let before = records(&s);
        s.apply(Command::Person(RecordEdit::Delete(id))).unwrap();
        // The person's own row goes; every other record that named them is rewritten.
        let after = records(&s);
        assert_eq!(rewritten(&before, &after), mentions, "{name}");
        assert_eq!(s.records().records_naming(name, false), 0);
    }
    for name in ["上海同筑城市设计事务所", "区房管局"] {
        let id = s.records().organisation_named(name).unwrap().id;
        let mentions = s.records().records_naming(name, true);
        assert!(mentions > 0, "{name} is named in the sample");
        let before = records(&s);
        s.apply(Command::Organisation(RecordEdit::Delete(id)))
            .unwrap();
        assert_eq!(rewritten(&before, &records(&s)), mentions, "{name}");
    }
}

#[test]
fn an_owner_unit_joins_the_roster_and_follows_its_rename_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample(dir.path());
    let mut project = s.projects().values().next().unwrap().clone();
    project.owner_unit = "浦东新区建设和交通委员会".into();
    s.apply(ProjectEdit::Update(project.clone())).unwrap();
    let org = s
        .records()
        .organisation_named("浦东新区建设和交通委员会")
        .expect("on the roster")
        .clone();
    assert_eq!(org.kind, OrgKind::Other);
    assert_eq!(s.records().records_naming(&org.name, true), 1);

    let renamed = linli::model::people::Organisation {
        name: "区建设交通委".into(),
        ..org.clone()
    };
    s.apply(Command::Organisation(RecordEdit::Update(renamed)))
        .unwrap();
    assert_eq!(s.project(project.id).unwrap().owner_unit, "区建设交通委");
    assert!(s.undo().unwrap());
    assert_eq!(
        s.project(project.id).unwrap().owner_unit,
        "浦东新区建设和交通委员会"
    );
    assert_eq!(
        s.records().organisation(org.id).unwrap().name,
        "浦东新区建设和交通委员会"
    );
}
