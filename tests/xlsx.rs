//! The bureau's spreadsheets (issue 21, item 9): `--format xlsx` for the projects, the tasks,
//! the statistics and the coverage table writes a workbook that opens (read back with
//! `calamine`) with the Chinese intact, numbers as number cells, the header row frozen and
//! the columns sized; the projects CSV has a Chinese label column beside each internal key.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::stdout;
use linli::session::report::{PROJECT_CSV_COLUMNS, STATS_CSV_COLUMNS};

fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    ws
}

/// The first sheet of the workbook at `path`: its name and cells.
fn first_sheet(path: &Path) -> (String, calamine::Range<Data>) {
    let bytes = std::fs::read(path).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    (name, range)
}

/// The first sheet's XML, for what calamine does not report (panes, column widths).
fn sheet_xml(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn column(range: &calamine::Range<Data>, key: &str) -> usize {
    header(range).iter().position(|h| h == key).unwrap()
}

fn out(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_projects_workbook_holds_the_chinese_name_and_typed_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let p = dir.path().join("项目.xlsx");
    let printed = stdout(&["export", out(&ws), "--format", "xlsx", "-o", out(&p)]);
    assert!(printed.contains("10"), "{printed}");
    let (name, range) = first_sheet(&p);
    assert_eq!(name, "Projects", "the CLI runs in English in the tests");
    assert_eq!(header(&range), PROJECT_CSV_COLUMNS);
    assert_eq!(range.height(), 1 + 10);
    let row = range
        .rows()
        .find(|r| r[0] == Data::String("PD-2024-HM-01".into()))
        .expect("the project's row");
    assert_eq!(row[1], Data::String("牡丹社区口袋花园".into()));
    assert_eq!(row[2], Data::String("缤纷社区".into()));
    // Numbers are number cells: they sum in the spreadsheet.
    assert_eq!(row[column(&range, "year")], Data::Float(2024.0));
    assert!(
        matches!(row[column(&range, "budget_wan")], Data::Float(b) if b > 0.0),
        "{:?}",
        row[column(&range, "budget_wan")]
    );
    assert!(matches!(row[column(&range, "features")], Data::Float(n) if n >= 1.0));
    assert!(matches!(row[column(&range, "area_m2")], Data::Float(a) if a > 0.0));
    // Each key has its Chinese name beside it.
    assert_eq!(
        row[column(&range, "elements_zh")],
        Data::String("口袋花园、公共设施".into())
    );
    assert_eq!(
        row[column(&range, "elements")],
        Data::String("pocket_garden、public_facility".into())
    );
    let stage_zh = row[column(&range, "stage_zh")].to_string();
    assert!(stage_zh.chars().any(|c| c >= '\u{4e00}'), "{stage_zh}");
    let workflow_zh = row[column(&range, "workflow_zh")].to_string();
    assert!(
        workflow_zh.chars().any(|c| c >= '\u{4e00}'),
        "{workflow_zh}"
    );
    // The header row is frozen and the columns are sized to their content (the Chinese name
    // wider than the code's minimum).
    let xml = sheet_xml(&p);
    assert!(
        xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    assert!(
        xml.contains("<cols>") && xml.contains("customWidth=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("<autoFilter"), "{xml}");
}

#[test]
fn the_projects_csv_has_a_chinese_label_beside_each_key() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let p = dir.path().join("p.csv");
    stdout(&["export", out(&ws), "--format", "csv", "-o", out(&p)]);
    let text = String::from_utf8(std::fs::read(&p).unwrap()[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(head, PROJECT_CSV_COLUMNS);
    for key in ["stage", "elements", "workflow"] {
        let at = head.iter().position(|h| *h == key).unwrap();
        assert_eq!(
            head[at + 1],
            format!("{key}_zh"),
            "the label is beside its key"
        );
    }
    let stage = head.iter().position(|h| *h == "stage").unwrap();
    let workflow = head.iter().position(|h| *h == "workflow").unwrap();
    let session = linli::Session::open_read_only(&ws).unwrap();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let code = cells[0];
        let project = &session.projects()[code];
        let w = session.workflows().of(project).unwrap();
        assert_eq!(
            cells[stage + 1],
            w.stage(cells[stage]).unwrap().name_zh,
            "{line}"
        );
        assert_eq!(cells[workflow + 1], w.name_zh, "{line}");
    }
    assert!(text.contains(",shaded_street,林荫街道,"), "{text}");
    assert!(text.contains(",pudong_1t3h,浦东一图三会,"), "{text}");
}

#[test]
fn the_projects_last_change_is_exported_in_local_time_with_its_offset() {
    use linli::model::local_time::LocalZone;
    use linli::session::{Command, ProjectEdit};
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = linli::Session::open(&ws).unwrap();
    let mut p = s.projects()["PD-2024-HM-01"].clone();
    p.progress_pct = Some(40.0);
    s.apply(Command::Project(ProjectEdit::Update(p))).unwrap();
    let at = s.projects()["PD-2024-HM-01"]
        .history
        .last()
        .unwrap()
        .at
        .clone();
    assert!(at.ends_with('Z'), "stored in UTC: {at}");
    let rows = s.analysis().project_table(&Default::default());
    let shanghai = LocalZone::fixed_hours(8);
    let cells = linli::session::report::project_csv_rows_in(&s, &rows, &shanghai);
    let updated = PROJECT_CSV_COLUMNS
        .iter()
        .position(|c| *c == "updated")
        .unwrap();
    let row = cells
        .iter()
        .find(|r| r[0] == linli::io::csv::Cell::text("PD-2024-HM-01"))
        .unwrap();
    let linli::io::csv::Cell::Text(shown) = &row[updated] else {
        panic!("{row:?}")
    };
    assert_eq!(shown, &shanghai.local_text(&at));
    assert!(
        shown.ends_with(" +08:00") && !shown.contains('Z'),
        "{shown}"
    );
    // 8 hours after the stored time, as a planner in Shanghai reads it.
    let utc_hour: u32 = at[11..13].parse().unwrap();
    let local_hour: u32 = shown[11..13].parse().unwrap();
    assert_eq!(local_hour, (utc_hour + 8) % 24, "{at} -> {shown}");
}

#[test]
fn statistics_tasks_and_coverage_are_workbooks_too() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    // Statistics: the groups, the projects in several groups, the total, the footnote.
    let s = dir.path().join("s.xlsx");
    stdout(&[
        "stats",
        out(&ws),
        "--by",
        "element",
        "--format",
        "xlsx",
        "-o",
        out(&s),
    ]);
    let (_, range) = first_sheet(&s);
    assert_eq!(header(&range), STATS_CSV_COLUMNS);
    let rows: Vec<&[Data]> = range.rows().collect();
    let total = rows
        .iter()
        .find(|r| r[0] == Data::String("(total)".into()))
        .expect("a total row");
    assert_eq!(total[1], Data::String("合计".into()));
    let budget = column(&range, "budget_wan");
    let as_f64 = |d: &Data| match d {
        Data::Float(v) => *v,
        other => panic!("not a number cell: {other:?}"),
    };
    let true_total: f64 = linli::Session::open_read_only(&ws)
        .unwrap()
        .projects()
        .values()
        .map(|p| p.budget_wan.unwrap_or(0.0))
        .sum();
    assert!((as_f64(&total[budget]) - true_total).abs() < 1e-6);
    // The groups and the several-groups row add up to the total.
    let data_rows: Vec<&&[Data]> = rows
        .iter()
        .skip(1)
        .take_while(|r| r[0] != Data::String("(total)".into()))
        .collect();
    let sum: f64 = data_rows.iter().map(|r| as_f64(&r[budget])).sum();
    assert!((sum - true_total).abs() < 1e-6, "{sum} vs {true_total}");
    assert!(
        data_rows
            .iter()
            .any(|r| r[1] == Data::String("口袋花园".into())),
        "element types by their Chinese names"
    );
    let footnote = rows.last().unwrap()[0].to_string();
    assert!(
        footnote.starts_with("* Budget and actual cost"),
        "{footnote}"
    );

    // Tasks.
    let t = dir.path().join("t.xlsx");
    stdout(&["tasks", out(&ws), "--format", "xlsx", "-o", out(&t)]);
    let (_, range) = first_sheet(&t);
    assert_eq!(header(&range)[..3], ["street", "due", "status"]);
    assert!(range.height() > 1);
    let overdue = column(&range, "overdue");
    assert!(
        range
            .rows()
            .skip(1)
            .all(|r| matches!(r[overdue], Data::Float(v) if v == 0.0 || v == 1.0))
    );

    // Coverage: shares as numbers.
    let c = dir.path().join("c.xlsx");
    stdout(&[
        "coverage",
        out(&ws),
        "--areas",
        "居村委",
        "--element",
        "pocket_garden",
        "--distance",
        "500",
        "-o",
        out(&c),
    ]);
    let (_, range) = first_sheet(&c);
    assert_eq!(
        header(&range),
        ["id", "name", "area_m2", "covered_m2", "covered_share"]
    );
    let share = column(&range, "covered_share");
    assert!(range.height() > 10);
    for r in range.rows().skip(1) {
        assert!(
            matches!(r[share], Data::Float(v) if (0.0..=1.0).contains(&v)),
            "{r:?}"
        );
        assert!(matches!(&r[1], Data::String(n) if !n.is_empty()), "{r:?}");
    }
}

#[test]
fn an_xlsx_over_the_workspace_is_refused_and_the_file_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let bytes = std::fs::read(&ws).unwrap();
    for args in [
        vec![
            "export",
            out(&ws),
            "--format",
            "xlsx",
            "-o",
            out(&ws),
            "--force",
        ],
        vec![
            "stats",
            out(&ws),
            "--by",
            "year",
            "--format",
            "xlsx",
            "-o",
            out(&ws),
        ],
    ] {
        let o = common::run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains("is the workspace itself"), "{e}");
        assert!(std::fs::read(&ws).unwrap() == bytes);
    }
}

#[cfg(feature = "gui")]
#[test]
fn the_statistics_window_exports_a_workbook() {
    use egui_kittest::kittest::Queryable;
    let (dir, path) = common::gui::sample_workspace();
    let mut harness = common::gui::open_app(&path);
    harness.get_by_label("项目统计").click();
    for _ in 0..3 {
        harness.step();
    }
    let target = dir.path().join("统计.xlsx");
    harness
        .state_mut()
        .set_save_dialog(std::sync::Arc::new(linli::gui::save::AnswerWith(
            target.clone(),
        )));
    harness.get_by_label("导出 Excel…").click();
    for _ in 0..5 {
        harness.step();
    }
    let (name, range) = first_sheet(&target);
    assert_eq!(name, "项目统计");
    assert_eq!(header(&range), STATS_CSV_COLUMNS);
    // A street's row: its name, then number cells.
    let row = range
        .rows()
        .find(|r| r[0] == Data::String("花木街道".into()))
        .expect("a street's row");
    assert!(matches!(row[2], Data::Float(n) if n >= 1.0), "{row:?}");
    assert!(matches!(row[5], Data::Float(_)), "{row:?}");
}

/// Steps the harness `n` frames.
#[cfg(feature = "gui")]
fn steps(harness: &mut egui_kittest::Harness<'static, linli::gui::LinliApp>, n: usize) {
    for _ in 0..n {
        harness.step();
    }
}

#[cfg(feature = "gui")]
#[test]
fn the_projects_table_exports_a_workbook() {
    use egui_kittest::kittest::Queryable;
    let (dir, path) = common::gui::sample_workspace();
    let mut harness = common::gui::open_app(&path);
    let answer = |harness: &mut egui_kittest::Harness<'static, linli::gui::LinliApp>, p: &Path| {
        harness
            .state_mut()
            .set_save_dialog(std::sync::Arc::new(linli::gui::save::AnswerWith(
                p.to_path_buf(),
            )));
    };
    // The projects table, as the window's filter keeps it.
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    let projects = dir.path().join("项目.xlsx");
    answer(&mut harness, &projects);
    harness.get_by_label("导出 Excel…").click();
    steps(&mut harness, 5);
    let (name, range) = first_sheet(&projects);
    assert_eq!(name, "项目");
    assert_eq!(header(&range), PROJECT_CSV_COLUMNS);
    assert_eq!(range.height(), 1 + 10);
    assert!(
        range
            .rows()
            .any(|r| r[1] == Data::String("牡丹社区口袋花园".into())
                && matches!(r[column(&range, "budget_wan")], Data::Float(_)))
    );
}

#[cfg(feature = "gui")]
#[test]
fn the_annual_task_list_exports_its_tasks() {
    use egui_kittest::kittest::Queryable;
    let (dir, path) = common::gui::sample_workspace();
    let mut harness = common::gui::open_app(&path);
    // The annual task list of its year.
    harness.get_by_label("人员·会议·任务").click();
    steps(&mut harness, 3);
    harness.get_by_label("年度任务清单").click();
    steps(&mut harness, 3);
    let tasks = dir.path().join("任务.csv");
    harness
        .state_mut()
        .set_save_dialog(std::sync::Arc::new(linli::gui::save::AnswerWith(
            tasks.clone(),
        )));
    harness.get_by_label("导出 CSV…").click();
    steps(&mut harness, 5);
    let text = String::from_utf8(std::fs::read(&tasks).unwrap()).unwrap();
    assert!(
        text.starts_with("\u{feff}street,due,status,title"),
        "{text}"
    );
    assert!(text.lines().count() > 1, "{text}");
}
