//! The words of the roster, tasks and the record tables: people and organisations, their roles
//! and kinds, task statuses, the person page, the annual task list and the table pickers.

use super::Lang;
use crate::model::people::{OrgKind, PersonRole, TaskStatus};

texts! {
    /// A fixed piece of the roster's and tables' text.
    PeopleText;
    /// The records window's title and its tool-bar button.
    RecordsTitle => "人员·会议·任务", "People, meetings, tasks";
    /// People table tab and title.
    People => "人员名册", "People";
    /// Organisations list title.
    Organisations => "单位", "Organisations";
    /// Meetings table tab.
    Meetings => "会议列表", "Meetings";
    /// Annual task list tab and title.
    AnnualList => "年度任务清单", "Annual task list";
    /// Projects table tab.
    ProjectTable => "项目列表", "Projects";
    /// Name column.
    Name => "姓名", "Name";
    /// Role column.
    Role => "身份", "Role";
    /// Organisation column.
    Organisation => "所属单位", "Organisation";
    /// Street teams column.
    Streets => "街镇团队", "Street teams";
    /// Contact field.
    Contact => "联系方式", "Contact";
    /// Notes field.
    Notes => "备注", "Notes";
    /// Search box.
    Search => "搜索", "Search";
    /// A picker's "any" entry.
    Any => "全部", "Any";
    /// Street picker.
    Street => "街镇", "Street";
    /// Programme picker.
    Programme => "计划", "Programme";
    /// Year picker.
    Year => "年份", "Year";
    /// Stage picker.
    Stage => "阶段", "Stage";
    /// Element type picker.
    Element => "要素类型", "Element type";
    /// Person picker.
    Person => "人员", "Person";
    /// Overdue only.
    OverdueOnly => "仅逾期", "Overdue only";
    /// Overdue column.
    Overdue => "逾期", "Overdue";
    /// The mark of an overdue task.
    OverdueMark => "【逾期】", "[overdue]";
    /// Task title column.
    Task => "任务", "Task";
    /// Tasks section.
    Tasks => "任务", "Tasks";
    /// Task owner column.
    Owner => "负责人", "Owner";
    /// Due date column.
    Due => "截止日期", "Due";
    /// Status column.
    Status => "状态", "Status";
    /// A task's project.
    Project => "项目", "Project";
    /// Projects section of a person page.
    PersonProjects => "参与项目", "Projects";
    /// Meetings section of a person page.
    PersonMeetings => "参加的会议", "Meetings attended";
    /// Person page heading.
    PersonPage => "人员页面", "Person";
    /// Date column.
    Date => "日期", "Date";
    /// Meeting kind column.
    Kind => "类型", "Kind";
    /// Place column.
    Place => "地点", "Place";
    /// Attendees of a meeting.
    Attendees => "参会人员", "Attendees";
    /// Chair column.
    Chair => "主持人", "Chair";
    /// Attendance column.
    Attendance => "人数", "Attended";
    /// Meeting record heading.
    MeetingRecord => "会议记录", "Meeting record";
    /// Decisions of a meeting.
    Decisions => "决议", "Decisions";
    /// Make tasks from decisions.
    TasksFromDecisions => "决议转为任务", "Make tasks from the decisions";
    /// Add a task.
    AddTask => "添加任务", "Add a task";
    /// Add a person.
    AddPerson => "添加人员", "Add a person";
    /// Save.
    Save => "保存", "Save";
    /// Delete.
    Delete => "删除", "Delete";
    /// Back to the table.
    Back => "返回列表", "Back to the table";
    /// Mentor part.
    AsMentor => "导师", "mentor";
    /// Planner part.
    AsPlanner => "规划师", "planner";
    /// Design-team part.
    AsDesignTeam => "设计团队", "design team";
    /// Street with no name.
    NoStreet => "（未定街镇）", "(no street)";
    /// Nothing listed.
    Nothing => "（无）", "(none)";
    /// Rows shown.
    Shown => "条", "shown";
    /// The hint in a roster picker's box.
    PickHint => "输入以筛选，回车添加", "Type to filter; Enter adds";
    /// A roster picker's button that adds a name not on the roster (it joins it on save).
    AddName => "新增", "Add new";
    /// Hover text of a chosen name's remove button.
    RemoveName => "移除", "Remove";
    /// Edit a roster entry.
    Edit => "编辑", "Edit";
    /// Add an organisation.
    AddOrganisation => "添加单位", "Add an organisation";
    /// The person form's title.
    PersonForm => "人员信息", "Person";
    /// The organisation form's title.
    OrganisationForm => "单位信息", "Organisation";
    /// An organisation's name field.
    OrgName => "单位名称", "Name";
    /// The members column of the organisations table.
    Members => "人员数", "Members";
    /// Confirms a delete.
    ConfirmDelete => "确认删除", "Delete for good";
    /// Cancels a form.
    Cancel => "取消", "Cancel";
    /// A vote (a meeting note's kind).
    Vote => "表决", "Vote";
    /// Where a meeting note is pinned (its lon, lat follow).
    PinnedAt => "标注位置", "pinned at";
    /// A meeting record's comments and votes.
    CommentsAndVotes => "居民意见与表决", "Residents' comments and votes";
}

/// The question before a roster entry named `name` is deleted: how many records name it
/// (`mentions`), from which it will be taken out.
pub fn delete_question(lang: Lang, name: &str, mentions: usize) -> String {
    match (lang, mentions) {
        (Lang::Zh, 0) => format!("删除“{name}”？没有记录提到这个名字。"),
        (Lang::Zh, n) => {
            format!("删除“{name}”？有 {n} 条记录提到这个名字，删除后将从这些记录中移除。")
        }
        (Lang::En, 0) => format!("Delete \"{name}\"? No record names it."),
        (Lang::En, 1) => {
            format!("Delete \"{name}\"? 1 record names it; it will be taken out of it.")
        }
        (Lang::En, n) => {
            format!("Delete \"{name}\"? {n} records name it; it will be taken out of them.")
        }
    }
}

/// A person's role in `lang`.
pub fn role_name(lang: Lang, role: PersonRole) -> &'static str {
    match (role, lang) {
        (_, Lang::Zh) => role.name_zh(),
        (PersonRole::Mentor, Lang::En) => "mentor",
        (PersonRole::Planner, Lang::En) => "community planner",
        (PersonRole::PlannerSpecial, Lang::En) => "appointed planner",
        (PersonRole::PlannerYouth, Lang::En) => "young planner",
        (PersonRole::PlannerResident, Lang::En) => "resident planner",
        (PersonRole::Designer, Lang::En) => "design-team member",
        (PersonRole::Staff, Lang::En) => "department staff",
        (PersonRole::Other, Lang::En) => "other",
    }
}

/// An organisation's kind in `lang`.
pub fn org_kind_name(lang: Lang, kind: OrgKind) -> &'static str {
    match (kind, lang) {
        (_, Lang::Zh) => kind.name_zh(),
        (OrgKind::DesignTeam, Lang::En) => "design team",
        (OrgKind::Department, Lang::En) => "department",
        (OrgKind::StreetOffice, Lang::En) => "street office",
        (OrgKind::Other, Lang::En) => "other organisation",
    }
}

/// A task's status in `lang`.
pub fn status_name(lang: Lang, status: TaskStatus) -> &'static str {
    match (status, lang) {
        (_, Lang::Zh) => status.name_zh(),
        (TaskStatus::Todo, Lang::En) => "to do",
        (TaskStatus::Doing, Lang::En) => "in progress",
        (TaskStatus::Done, Lang::En) => "done",
        (TaskStatus::Shelved, Lang::En) => "shelved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_roster_text_and_code_is_translated() {
        for t in PeopleText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
        for r in PersonRole::ALL {
            assert!(role_name(Lang::En, *r).is_ascii());
            assert_eq!(role_name(Lang::Zh, *r), r.name_zh());
        }
        for k in OrgKind::ALL {
            assert!(org_kind_name(Lang::En, *k).is_ascii());
        }
        for s in TaskStatus::ALL {
            assert!(status_name(Lang::En, *s).is_ascii());
        }
        assert!(delete_question(Lang::Zh, "林晓雯", 3).contains("3 条记录"));
        assert!(delete_question(Lang::En, "林晓雯", 1).contains("1 record names"));
    }
}
