//! The words of project records: the form's labels, field names in messages, stage and
//! workflow names, meeting kinds, lifecycle guidance and the history's lines.

use super::{Lang, labelled};
use crate::model::local_time::LocalZone;
use crate::model::project::{HistoryEntry, MeetingKind, ProjectField};
use crate::model::workflow::{GateWarning, Workflow};

texts! {
    /// A fixed piece of the project interface's text.
    ProjectText;
    /// Projects window title and button.
    Projects => "项目管理", "Projects";
    /// The project form's title.
    ProjectForm => "项目档案", "Project record";
    /// Code field.
    Code => "项目编号", "Code";
    /// Name field.
    Name => "项目名称", "Name";
    /// Programmes field.
    Programme => "所属计划", "Programmes";
    /// Batch year field.
    Year => "批次年份", "Batch year";
    /// Workflow field.
    Workflow => "流程模板", "Workflow";
    /// Stage field.
    Stage => "当前阶段", "Current stage";
    /// Scope field.
    Scope => "建设内容", "Scope of works";
    /// Budget field.
    Budget => "预算（万元）", "Budget (10,000 CNY)";
    /// Actual cost field.
    Actual => "实际投入（万元）", "Actual cost (10,000 CNY)";
    /// Funding sources section.
    Funding => "资金来源", "Funding sources";
    /// Funding source name column.
    FundingSource => "来源", "Source";
    /// Funding amount column.
    FundingAmount => "金额（万元）", "Amount (10,000 CNY)";
    /// Add a funding source.
    AddFunding => "添加资金来源", "Add a funding source";
    /// Remove a funding source.
    RemoveFunding => "删除", "Remove";
    /// Owner unit field.
    OwnerUnit => "建设主体", "Owner unit";
    /// Design team field.
    DesignTeam => "设计团队", "Design team";
    /// Mentor field.
    Mentor => "导师", "Mentor";
    /// Planners field.
    Planners => "社区规划师", "Community planners";
    /// Departments field.
    Departments => "参与部门", "Departments involved";
    /// Progress field.
    Progress => "进度（%）", "Progress (%)";
    /// Comments field.
    Comments => "居民意见", "Residents' comments";
    /// Stage dates section.
    StageDates => "阶段日期", "Stage dates";
    /// Planned date column.
    Planned => "计划", "Planned";
    /// Actual date column.
    ActualDate => "实际", "Actual";
    /// Derived section heading.
    Derived => "由要素计算", "From the features";
    /// Street (derived).
    Street => "街道/镇", "Street";
    /// Community (derived).
    Community => "居委/村", "Community";
    /// Element types (derived).
    Elements => "要素类型", "Element types";
    /// Feature count (derived).
    Features => "要素数", "Features";
    /// Area total (derived).
    AreaTotal => "面积合计", "Total area";
    /// Length total (derived).
    LengthTotal => "长度合计", "Total length";
    /// Several streets or communities.
    Several => "（跨多个）", "(several)";
    /// Lifecycle guidance heading.
    Guidance => "流程提示", "Lifecycle guidance";
    /// History heading.
    History => "变更记录", "History";
    /// Provenance heading: who made the record and who last changed it.
    Provenance => "记录来源", "Provenance";
    /// Who made the record.
    MadeBy => "创建", "Created";
    /// Who last changed the record (also the table's column).
    LastChanged => "最后修改", "Last changed";
    /// Provenance not known: made before Linli kept it, or by another program.
    ProvenanceUnknown => "未知（早于来源记录，或由其他程序写入）", "unknown (made before provenance was kept, or by another program)";
    /// Save the form.
    Save => "保存", "Save";
    /// Discard the form's changes.
    Revert => "还原", "Revert";
    /// Next stage button.
    NextStage => "进入下一阶段", "Next stage";
    /// New project from the selection.
    NewFromSelection => "由选中要素新建项目", "New project from selection";
    /// New empty project.
    NewProject => "新建项目", "New project";
    /// Add the selected feature to the project.
    AddSelected => "加入选中要素", "Add selected feature";
    /// Remove the selected feature from its project.
    RemoveSelected => "移出选中要素", "Remove selected feature";
    /// Delete the project.
    DeleteProject => "删除项目", "Delete project";
    /// Zoom to the project's features.
    ZoomToProject => "缩放至项目", "Zoom to project";
    /// Filter box of the projects table.
    Filter => "筛选", "Filter";
    /// Show only unassigned features.
    OnlyUnassigned => "仅显示未归属项目的要素", "Show only unassigned features";
    /// Unassigned feature count.
    Unassigned => "未归属项目的要素", "Unassigned features";
    /// Planner name setting.
    PlannerName => "规划师姓名（记录变更人）", "Planner name (recorded with changes)";
    /// No project selected.
    NoProjectSelected => "（未选择项目）", "(no project selected)";
    /// The form has unsaved changes.
    Unsaved => "有未保存的修改", "Unsaved changes";
    /// The project's meetings heading.
    Meetings => "会议记录", "Meetings";
    /// Open the meeting form.
    RecordMeeting => "记录会议", "Record a meeting";
    /// Meeting kind field.
    MeetingKindLabel => "会议类型", "Meeting kind";
    /// Meeting date field.
    MeetingDate => "会议日期", "Date";
    /// Meeting place field.
    Place => "地点", "Place";
    /// Attendance count field.
    Attendance => "出席人数", "Attendance";
    /// Named attendees field.
    Attendees => "出席人员", "Attendees";
    /// Chair field.
    Chair => "主持人", "Chair";
    /// Agenda field.
    Agenda => "议程", "Agenda";
    /// Decisions field.
    Decisions => "决议", "Decisions";
    /// Residents' comments and votes field.
    MeetingComments => "居民意见与表决", "Residents' comments and votes";
    /// Save the meeting.
    SaveMeeting => "保存会议", "Save meeting";
    /// Delete a meeting.
    DeleteMeeting => "删除会议", "Delete meeting";
    /// Cancel the meeting form.
    Cancel => "取消", "Cancel";
    /// No meeting yet.
    NoMeetings => "（尚无会议记录）", "(no meetings yet)";
    /// Sorted ascending (after a column's name).
    SortAscending => "（升序）", " (ascending)";
    /// Sorted descending.
    SortDescending => "（降序）", " (descending)";
    /// The record was created.
    Created => "新建", "created";
    /// The project's attachments heading.
    Attachments => "附件", "Attachments";
    /// Attach a file to the project.
    Attach => "添加附件…", "Attach a file...";
    /// The kind a new attachment gets.
    AttachAs => "附件类别", "Attachment kind";
    /// Open an attachment with the system's viewer.
    OpenAttachment => "打开", "Open";
    /// Save an attachment to a file.
    SaveAttachmentAs => "另存为…", "Save as...";
    /// Remove an attachment.
    RemoveAttachment => "删除附件", "Remove attachment";
    /// An attachment's caption field.
    Caption => "说明", "Caption";
    /// No attachment yet.
    NoAttachments => "（尚无附件）", "(no attachments yet)";
    /// Attached.
    Attached => "已添加附件", "Attached";
    /// An attachment of a type the system is never asked to open (not an allowed image, PDF
    /// or office file whose bytes match its name).
    CannotOpenAttachment => "邻里不会打开这种类型的附件（可能不安全）；可用“另存为…”保存后再查看", "Linli does not open attachments of this type (it may be unsafe); use Save as... to save it and look at it yourself";
    /// The meeting's comments and votes, one by one.
    Notes => "意见与投票（可标注在地图上）", "Comments and votes (pinned on the map)";
    /// A comment (a note's kind).
    CommentLabel => "意见", "Comment";
    /// Edit a recorded meeting.
    EditMeeting => "编辑", "Edit";
    /// Add a comment.
    AddComment => "添加意见", "Add a comment";
    /// Add a vote.
    AddVote => "添加投票", "Add a vote";
    /// Pin a note to the map's centre.
    PinHere => "标注在地图中心", "Pin at the map centre";
    /// Remove a note's pin.
    Unpin => "取消标注", "Unpin";
    /// Remove a note.
    RemoveNote => "删除", "Remove";
    /// A note's text.
    NoteText => "内容", "Text";
    /// Keep the map's current view as the meeting's.
    KeepView => "记录当前地图视图", "Keep the current map view";
    /// Return to the meeting's map view.
    BackToMeetingView => "回到会议视图", "Back to the meeting's view";
    /// The meeting has a view bookmark.
    HasView => "已记录会议视图", "Meeting view kept";
    /// Show a meeting's pins on the map.
    ShowPins => "在地图上显示", "Show on the map";
    /// Statistics window title and button.
    Statistics => "项目统计", "Statistics";
    /// Group statistics by.
    GroupByLabel => "分组", "Group by";
    /// Statistics over the whole workspace.
    WholeWorkspace => "全部项目", "All projects";
    /// Statistics over the projects table's filter.
    TableFilter => "项目表当前筛选", "The projects table's filter";
    /// Group column.
    Group => "分组", "Group";
    /// Project count column.
    ProjectCount => "项目数", "Projects";
    /// Export the statistics as CSV.
    ExportCsv => "导出 CSV…", "Export CSV...";
    /// What the chart shows.
    ChartOf => "图表", "Chart";
    /// No group value.
    NoGroup => "（未填）", "(none)";
    /// Total row.
    Total => "合计", "Total";
    /// Group by street.
    ByStreet => "街道/镇", "Street";
    /// Group by element type.
    ByElement => "要素类型", "Element type";
    /// Group by stage.
    ByStage => "阶段", "Stage";
    /// Group by programme.
    ByProgramme => "所属计划", "Programme";
    /// Group by year.
    ByYear => "年份", "Year";
}

/// A provenance stamp as a line: who · which workspace · when (local time), or "unknown".
pub fn stamp_text(
    lang: Lang,
    stamp: &crate::model::provenance::Stamp,
    zone: &crate::model::local_time::LocalZone,
) -> String {
    if stamp.is_unknown() {
        return ProjectText::ProvenanceUnknown.get(lang).to_string();
    }
    let by = if stamp.by.is_empty() {
        match lang {
            Lang::Zh => "（未署名）",
            Lang::En => "(unnamed)",
        }
    } else {
        stamp.by.as_str()
    };
    format!(
        "{by} · {} · {}",
        stamp.workspace_name,
        zone.local_text(&stamp.at)
    )
}

/// A field's name in messages, by its key (`ProjectField::key`).
pub fn field_name(lang: Lang, key: &str) -> &'static str {
    let text = match key {
        "code" => ProjectText::Code,
        "name" => ProjectText::Name,
        "programme" => ProjectText::Programme,
        "year" => ProjectText::Year,
        "workflow" => ProjectText::Workflow,
        "stage" => ProjectText::Stage,
        "scope" => ProjectText::Scope,
        "budget_wan" => ProjectText::Budget,
        "actual_wan" => ProjectText::Actual,
        "funding" => ProjectText::Funding,
        "owner_unit" => ProjectText::OwnerUnit,
        "design_team" => ProjectText::DesignTeam,
        "mentor" => ProjectText::Mentor,
        "planners" => ProjectText::Planners,
        "departments" => ProjectText::Departments,
        "progress_pct" => ProjectText::Progress,
        "comments" => ProjectText::Comments,
        "stage_dates" => ProjectText::StageDates,
        _ => ProjectText::Created,
    };
    text.get(lang)
}

/// The label of a form field.
pub fn field_label(lang: Lang, field: ProjectField) -> &'static str {
    field_name(lang, field.key())
}

/// A workflow's name.
pub fn workflow_name(lang: Lang, workflow: &Workflow) -> &str {
    match lang {
        Lang::Zh => &workflow.name_zh,
        Lang::En => &workflow.name_en,
    }
}

/// A stage's name in the project's workflow; the stage as stored when the workflow lacks it.
pub fn stage_name<'a>(lang: Lang, workflow: Option<&'a Workflow>, stage: &'a str) -> &'a str {
    match workflow.and_then(|w| w.stage(stage)) {
        Some(s) => match lang {
            Lang::Zh => &s.name_zh,
            Lang::En => &s.name_en,
        },
        None => stage,
    }
}

/// An attachment kind's name.
pub fn attachment_kind_name(
    lang: Lang,
    kind: crate::model::attachment::AttachmentKind,
) -> &'static str {
    use crate::model::attachment::AttachmentKind as K;
    match (kind, lang) {
        (_, Lang::Zh) => kind.name_zh(),
        (K::Before, Lang::En) => "photo before",
        (K::After, Lang::En) => "photo after",
        (K::Drawing, Lang::En) => "drawing",
        (K::Document, Lang::En) => "document",
    }
}

/// A vote's name.
pub fn vote_name(lang: Lang, vote: crate::model::meeting::Vote) -> &'static str {
    use crate::model::meeting::Vote as V;
    match (vote, lang) {
        (_, Lang::Zh) => vote.name_zh(),
        (V::For, Lang::En) => "for",
        (V::Against, Lang::En) => "against",
        (V::Abstain, Lang::En) => "abstain",
    }
}

/// A meeting kind's name.
pub fn meeting_kind_name(lang: Lang, kind: MeetingKind) -> &'static str {
    match (kind, lang) {
        (_, Lang::Zh) => kind.name_zh(),
        (MeetingKind::Hearing, Lang::En) => "hearing",
        (MeetingKind::Coordination, Lang::En) => "coordination meeting",
        (MeetingKind::Evaluation, Lang::En) => "evaluation meeting",
        (MeetingKind::Joint, Lang::En) => "joint meeting",
        (MeetingKind::Training, Lang::En) => "training or workshop",
    }
}

/// A lifecycle warning as the planner reads it (guidance, never a block).
pub fn gate_warning_text(lang: Lang, workflow: Option<&Workflow>, warning: &GateWarning) -> String {
    match warning {
        GateWarning::MeetingMissing { stage, meeting } => {
            let stage = stage_name(lang, workflow, stage);
            let meeting = meeting_kind_name(lang, *meeting);
            match lang {
                Lang::Zh => format!("已进入“{stage}”，但尚未记录{meeting}（一图三会）"),
                Lang::En => format!(
                    "the project has reached \"{stage}\" but no {meeting} is recorded (one blueprint, three meetings)"
                ),
            }
        }
        GateWarning::OverGrantCap {
            budget_wan,
            cap_wan,
        } => match lang {
            Lang::Zh => format!("预算 {budget_wan} 万元超过每组 {cap_wan} 万元的资助上限"),
            Lang::En => format!(
                "the budget of {budget_wan} (10,000 CNY) is over the grant cap of {cap_wan} per group"
            ),
        },
    }
}

/// One line of a project's history: when (in the machine's zone, with its offset), who, what
/// changed (with the stage move).
pub fn history_text(lang: Lang, workflow: Option<&Workflow>, entry: &HistoryEntry) -> String {
    history_text_in(lang, workflow, entry, &LocalZone::system())
}

/// [`history_text`] with the time shown in `zone`.
pub fn history_text_in(
    lang: Lang,
    workflow: Option<&Workflow>,
    entry: &HistoryEntry,
    zone: &LocalZone,
) -> String {
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let mut what: Vec<String> = entry
        .fields
        .iter()
        .filter(|f| f.as_str() != "stage")
        .map(|f| field_name(lang, f).to_string())
        .collect();
    if let (Some(from), Some(to)) = (&entry.stage_from, &entry.stage_to) {
        let from = if from.is_empty() {
            "—"
        } else {
            stage_name(lang, workflow, from)
        };
        let to = stage_name(lang, workflow, to);
        what.insert(
            0,
            labelled(
                lang,
                ProjectText::Stage.get(lang),
                // No arrow: U+2192 is in none of the bundled fonts.
                &match lang {
                    Lang::Zh => format!("{from} 改为 {to}"),
                    Lang::En => format!("{from} to {to}"),
                },
            ),
        );
    }
    let who = if entry.who.is_empty() {
        "—"
    } else {
        &entry.who
    };
    let at = zone.local_text(&entry.at);
    format!("{at} {who}: {}", what.join(sep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_project_text_is_translated() {
        for t in ProjectText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
    }

    #[test]
    fn every_field_has_a_name() {
        use ProjectField as F;
        for f in [
            F::Code,
            F::Name,
            F::Programme,
            F::Year,
            F::Workflow,
            F::Stage,
            F::Scope,
            F::Budget,
            F::Actual,
            F::Funding(0),
            F::OwnerUnit,
            F::DesignTeam,
            F::Mentor,
            F::Planners,
            F::Departments,
            F::Progress,
            F::Comments,
            F::StageDates(0),
        ] {
            assert_ne!(field_label(Lang::Zh, f), ProjectText::Created.get(Lang::Zh));
        }
    }

    #[test]
    fn history_shows_the_stored_utc_time_as_local_time_with_its_offset() {
        let entry = HistoryEntry {
            at: "2026-12-06T19:00:51Z".into(),
            who: "王规划".into(),
            fields: vec!["name".into()],
            ..HistoryEntry::default()
        };
        let shanghai = LocalZone::fixed_hours(8);
        let line = history_text_in(Lang::Zh, None, &entry, &shanghai);
        assert!(
            line.starts_with("2026-12-07 03:00:51 +08:00 王规划"),
            "{line}"
        );
        assert!(!line.contains("UTC"), "{line}");
        let line = history_text_in(Lang::En, None, &entry, &LocalZone::fixed_hours(0));
        assert!(line.starts_with("2026-12-06 19:00:51 +00:00"), "{line}");
    }
}
