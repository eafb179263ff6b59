//! The words of problems with a request: catalogs, layers, plan features, projects, meetings, attachments and the roster.

use super::*;

/// The words of a problem of this family in `lang`; `None` for a problem of another.
pub(super) fn message(p: &Problem, lang: Lang) -> Option<String> {
    use Problem as P;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    Some(match p {
        P::NotACatalog { detail } => t(
            format!("不是要素类型目录：{detail}"),
            format!("not a catalog: {detail}"),
        ),
        P::EmptyCatalog => t(
            "目录中没有任何要素类型".into(),
            "the catalog has no element types".into(),
        ),
        P::BadElementKey { element, key } => t(
            format!("要素类型 {element}：键 “{key}” 只能由 ASCII 字母、数字或 _ 组成"),
            format!("element {element}: key {key:?} must be ASCII letters, digits or _"),
        ),
        P::DuplicateElementKey { element, key } => t(
            format!("要素类型 {element}：键 “{key}” 重复出现"),
            format!("element {element}: key {key:?} appears twice"),
        ),
        P::BadElementColour { element, colour } => t(
            format!("要素类型 {element}：颜色 “{colour}” 不是 #RRGGBB 格式"),
            format!("element {element}: colour {colour:?} is not #RRGGBB"),
        ),
        P::BadSampleData { detail } => t(
            format!("内置示例数据无法读取：{detail}"),
            format!("the bundled sample data does not parse: {detail}"),
        ),
        P::SampleTakesNoCatalog => t(
            "--sample 使用内置目录，请去掉 --catalog".into(),
            "--sample uses the bundled catalog; drop --catalog".into(),
        ),
        P::PlanTakesNoLayer => t(
            "规划要素写入工作空间的规划表，请去掉 --layer".into(),
            "plan features go to the workspace's plan tables; drop --layer".into(),
        ),
        P::NoSuchWorkspaceLayer { name, layers } => t(
            format!("工作区中没有名为 “{name}” 的图层；可选：{}", layers.join("、")),
            format!("the workspace has no layer named {name:?}; there are: {}", layers.join(", ")),
        ),
        P::DistanceNotPositive { value } => t(
            format!("步行距离须为正的米数，收到 {value}"),
            format!("the walking distance must be a positive number of metres, not {value}"),
        ),
        P::NoFacilities => t(
            "没有可分析的设施：请选择要素类型（--element）或设施图层（--facilities），且其中须有要素".into(),
            "no facilities to analyse: choose element types (--element) or a facility layer (--facilities) that holds features".into(),
        ),
        P::LayerNameNeeded => t(
            "需要图层名称：--layer 名称".into(),
            "a layer name is needed: --layer NAME".into(),
        ),
        P::NotLonLat { lon, lat } => t(
            format!("({lon}, {lat}) 不是以度为单位的经纬度位置"),
            format!("({lon}, {lat}) is not a lon/lat position in degrees"),
        ),
        P::UnsupportedPlanGeometry { id } => t(
            format!("规划要素 {id}：不支持的几何类型"),
            format!("plan feature {id}: unsupported geometry"),
        ),
        P::RoleLayerExists { role, existing } => t(
            format!(
                "工作空间已有{}图层（“{existing}”）；请用 --role reference 导入此图层",
                role_text(role, lang)
            ),
            format!(
                "the workspace already has a {role} layer ({existing:?}); import this one with --role reference"
            ),
        ),
        P::FeatureNameMissing { field, role } => t(
            format!(
                "属性 “{field}” 中没有名称；{}图层的要素需要名称（可用 --name-field 指定字段）",
                role_text(role, lang)
            ),
            format!(
                "has no name in property {field:?}; {role} need names (choose the field with --name-field)"
            ),
        ),
        P::NotAPolygonForRole { role } => t(
            format!("不是面；{}图层的要素必须是面", role_text(role, lang)),
            format!("is not a polygon; {role} must be polygons"),
        ),
        P::ElementTypeNotText => t(
            "“element_type” 必须是字符串".into(),
            "\"element_type\" must be a string".into(),
        ),
        P::ElementTypeMissing => t(
            "没有 “element_type”；规划要素需要目录中的一种要素类型".into(),
            "has no \"element_type\"; a plan feature needs one of the catalog's types".into(),
        ),
        P::UnknownElementType { element } => t(
            format!("要素类型 “{element}” 不在目录中"),
            format!("element type {element:?} is not in the catalog"),
        ),
        P::MixedGeometry => t(
            "规划要素只能是点、线或面中的一种，不能混合".into(),
            "a plan feature is points, lines or polygons, not a mix".into(),
        ),
        P::KindNotAllowed {
            name_zh,
            key,
            allowed,
            found,
        } => t(
            format!(
                "{name_zh}（{key}）应绘制为{}；此要素为{}",
                allowed.iter().map(|k| kind_zh(k)).collect::<Vec<_>>().join("或"),
                kind_zh(found)
            ),
            format!(
                "{name_zh} ({key}) is drawn as {}; this feature is a {found}",
                allowed.join(" or ")
            ),
        ),
        P::NoPlanFeature { id } => t(format!("没有规划要素 {id}"), format!("no plan feature {id}")),
        P::PlanFeatureExists { id } => t(
            format!("规划要素 {id} 已存在"),
            format!("a plan feature {id} already exists"),
        ),
        P::NoSuchProject { code } => t(
            format!("没有编号为 “{code}” 的项目"),
            format!("no project with code {code:?}"),
        ),
        P::NotLonLatPosition { x, y } => t(
            format!("({x}, {y}) 不是经纬度位置"),
            format!("({x}, {y}) is not a lon/lat position"),
        ),
        P::MalformedPlanGeometry => t(
            "线至少需要两个坐标点，面至少需要一个由四个坐标点组成的闭合环".into(),
            "a line needs two positions and a polygon a closed ring of at least four".into(),
        ),
        P::UnknownStreet { street } => t(
            format!("工作空间的街道图层中没有名为 “{street}” 的街道"),
            format!("no street named {street:?} in the workspace's streets layer"),
        ),
        P::UnknownExportFilter { field, value } => {
            let zh = match field.as_str() {
                "community" => "居村委",
                "programme" => "项目类别",
                "stage" => "阶段",
                other => other,
            };
            t(
                format!("工作空间中没有名为 “{value}” 的{zh}"),
                format!("no {field} named {value:?} in the workspace"),
            )
        }
        P::CannotBeDrawnAs { name_zh, key, kind } => t(
            format!("{name_zh}（{key}）不能绘制为{}", kind_zh(kind)),
            format!("{name_zh} ({key}) cannot be drawn as a {kind}"),
        ),
        P::ProjectNameEmpty => t("项目需要名称".into(), "a project needs a name".into()),
        P::YearOutOfRange { year, first, last } => t(
            format!("年份 {year} 不在 {first}–{last} 之间"),
            format!("the year {year} is not between {first} and {last}"),
        ),
        P::UnknownWorkflow { key } => t(
            format!("没有名为 “{key}” 的流程模板"),
            format!("there is no workflow template {key:?}"),
        ),
        P::UnknownStage { stage, workflow } => {
            let workflows = crate::model::workflow::Workflows::bundled();
            let name = workflows
                .get(workflow)
                .map_or(workflow.as_str(), |w| crate::i18n::projects::workflow_name(lang, w))
                .to_string();
            t(
                format!("流程“{name}”中没有阶段 “{stage}”"),
                format!("the workflow {name:?} has no stage {stage:?}"),
            )
        }
        P::AmountNegative { value } => t(
            format!("金额 {value} 万元不能为负数"),
            format!("the amount {value} (10,000 CNY) cannot be negative"),
        ),
        P::FundingSourceEmpty => t("资金来源需要名称".into(), "a funding source needs a name".into()),
        P::FundingOverBudget {
            total_wan,
            budget_wan,
        } => t(
            format!("各资金来源合计 {total_wan} 万元，超过预算 {budget_wan} 万元"),
            format!(
                "the funding sources add up to {total_wan} (10,000 CNY), more than the budget of {budget_wan}"
            ),
        ),
        P::ProgressOutOfRange { value } => t(
            format!("进度 {value}% 不在 0–100% 之间"),
            format!("a progress of {value}% is not between 0 and 100%"),
        ),
        P::MeetingNeedsProject { kind } => {
            let name = crate::model::project::MeetingKind::from_key(kind)
                .map_or(kind.as_str(), |k| crate::i18n::projects::meeting_kind_name(lang, k));
            t(
                format!("{name}需要所属项目"),
                format!("a {name} belongs to a project"),
            )
        }
        P::MeetingPinOffMap { index } => t(
            format!("第 {index} 条意见或投票的位置不在地图范围内"),
            format!("comment or vote {index} is pinned off the map"),
        ),
        P::MeetingVoteValue { index } => t(
            format!("第 {index} 条：投票需要选择支持、反对或弃权，意见不带票"),
            format!("note {index}: a vote needs for, against or abstain, and a comment takes none"),
        ),
        P::MeetingViewInvalid => t(
            "会议视图的中心不在地图范围内或缩放级别不在 0–24 之间".to_string(),
            "the meeting's map view has its centre off the map or a zoom outside 0 to 24".to_string(),
        ),
        P::AttachmentTooLarge {
            size_bytes,
            limit_bytes,
        } => {
            let mb = |b: u64| format!("{:.1}", b as f64 / 1_048_576.0);
            t(
                format!("文件有 {} MB，附件最大 {} MB", mb(*size_bytes), mb(*limit_bytes)),
                format!(
                    "the file is {} MB; an attachment may be at most {} MB",
                    mb(*size_bytes),
                    mb(*limit_bytes)
                ),
            )
        }
        P::AttachmentTypeUnknown => t(
            "文件内容不是图片（PNG、JPEG、GIF、WebP）也不是 PDF".to_string(),
            "the file's content is neither an image (PNG, JPEG, GIF, WebP) nor a PDF".to_string(),
        ),
        P::AttachmentEmpty => t(
            "文件是空的".to_string(),
            "the file is empty".to_string(),
        ),
        P::NoAttachmentWithId { id } => t(
            format!("没有标识为 {id} 的附件"),
            format!("there is no attachment with id {id}"),
        ),
        P::UnknownAttachmentKind { kind } => t(
            format!("未知的附件类别 “{kind}”"),
            format!("unknown attachment kind {kind:?}"),
        ),
        P::UnknownMeetingKind { kind } => t(
            format!("未知的会议类型 “{kind}”"),
            format!("unknown meeting kind {kind:?}"),
        ),
        P::NoAlternativeWithId { id } => t(
            format!("没有标识为 {id} 的设计方案"),
            format!("there is no design alternative with id {id}"),
        ),
        P::AlternativeLabelEmpty => t(
            "设计方案需要名称（如“方案 A”）".into(),
            "a design alternative needs a label (such as Plan A)".into(),
        ),
        P::NoMeetingWithId { id } => t(
            format!("没有标识为 {id} 的会议"),
            format!("there is no meeting with id {id}"),
        ),
        P::UnknownExportFormat { name } => t(
            format!("{name}：请用 .csv、.xlsx 或 .geojson 作为扩展名"),
            format!("{name}: use .csv, .xlsx or .geojson as the extension"),
        ),
        P::InputExists { id } => t(
            format!("标识为 {id} 的居民意见已存在"),
            format!("a resident's input with id {id} exists already"),
        ),
        P::InputTextTooLong { chars, max } => t(
            format!("意见有 {chars} 个字，最多 {max} 个字，请简短些"),
            format!("the input has {chars} characters; at most {max} are allowed, keep it short"),
        ),
        P::ParticipantNumberInvalid { number, attendance } => match attendance {
            Some(n) => t(
                format!("参与者编号 {number} 无效：本次会议编号为 1–{n}"),
                format!("participant number {number} is not valid: this meeting numbers 1 to {n}"),
            ),
            None => t(
                format!("参与者编号 {number} 无效：编号从 1 开始"),
                format!("participant number {number} is not valid: numbers start at 1"),
            ),
        },
        P::InputOnTwoItems => t(
            "一条意见只能针对一个规划要素或一个设计方案".to_string(),
            "an input is on one plan feature or one design alternative, not both".to_string(),
        ),
        P::VotingClosed => t(
            "本次会议的投票已关闭".to_string(),
            "voting is closed at this meeting".to_string(),
        ),
        P::VoteItemCapReached { cap } => t(
            format!("该项已达到 {cap} 票的上限"),
            format!("this item has reached its cap of {cap} votes"),
        ),
        P::VoteNeedsParticipant => t(
            "投票需要参与者编号".to_string(),
            "a vote needs the participant's number".to_string(),
        ),
        P::NoVotesLeft { participant, votes } => t(
            format!("{participant} 号参与者的 {votes} 票已用完"),
            format!("participant {participant} has used all {votes} votes"),
        ),
        P::VotesMayNotStack { participant } => t(
            format!("{participant} 号参与者已投过该项，本次会议不允许重复投票"),
            format!("participant {participant} has voted for this item already; votes may not stack at this meeting"),
        ),
        P::LastStepNotInput => t(
            "上一步不是居民意见，无法撤销意见".to_string(),
            "the last action was not a resident's input; there is no input to undo".to_string(),
        ),
        P::RosterNameEmpty { record } => t(
            format!("{}需要名称", roster_record(true, record)),
            format!("{} needs a name", roster_record(false, record)),
        ),
        P::RosterNameTaken { record, name } => t(
            format!("名册中已有名为 “{name}” 的{}", roster_record(true, record)),
            format!("the roster already has {} named {name:?}", roster_record(false, record)),
        ),
        P::NoRosterRecord { record, id } => t(
            format!("没有标识为 {id} 的{}", roster_record(true, record)),
            format!("there is no record of {} with id {id}", roster_record(false, record)),
        ),
        P::OwnerNotOnRoster { name } => t(
            format!("负责人 “{name}” 不在人员或单位名册中"),
            format!("the owner {name:?} is neither a person nor an organisation on the roster"),
        ),
        P::UnknownRosterCode { field, value } => t(
            format!("名册字段 {field} 的未知取值 “{value}”"),
            format!("unknown value {value:?} in the roster's {field} column"),
        ),
        P::NoSuchArea { kind, name, close } => {
            let (zh_kind, en_kind) = if kind == "street" {
                ("街道", "street")
            } else {
                ("社区（居村委）", "community")
            };
            let zh_close = if close.is_empty() {
                String::new()
            } else {
                format!("；相近的名称：{}", close.join("、"))
            };
            let en_close = if close.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = close.iter().map(|n| format!("{n:?}")).collect();
                format!("; close names: {}", quoted.join(", "))
            };
            t(
                format!("工作空间中没有名为 “{name}” 的{zh_kind}{zh_close}"),
                format!("the workspace has no {en_kind} named {name:?}{en_close}"),
            )
        }
        P::BlueprintFormat { found } => t(
            format!("蓝图只能保存为 .pdf、.png 或 .svg（此处为 “{found}”）"),
            format!("a blueprint is written as .pdf, .png or .svg (not {found:?})"),
        ),
        P::PrintFailed { detail } => t(
            format!("无法生成蓝图：{detail}"),
            format!("the blueprint could not be rendered: {detail}"),
        ),
        P::OutputNeeded => t(
            "--format csv 需要用 -o 指定输出文件".into(),
            "--format csv needs an output file (-o FILE)".into(),
        ),
        P::OutputIsWorkspace => t(
            "是当前打开的工作空间本身；导出不会覆盖工作空间，请另选文件名".into(),
            "is the workspace itself; an export never replaces the workspace: choose another file name".into(),
        ),
        P::OutputIsDatabase => t(
            "是已有的 GeoPackage/SQLite 数据库；导出只会替换邻里以前导出的 GeoPackage，不会覆盖其他数据库，请另选文件名".into(),
            "is an existing GeoPackage/SQLite database; an export replaces only a GeoPackage Linli exported, never another database: choose another file name".into(),
        ),
        P::OutputExists => t(
            "文件已存在，未覆盖（如需替换，请加 --force）".into(),
            "already exists and was not replaced (add --force to replace it)".into(),
        ),
        P::NotANumber { text } => t(
            format!("“{text}” 不是数字"),
            format!("{text:?} is not a number"),
        ),
        P::DateNotValid { text } => t(
            format!("“{text}” 不是有效日期（应为 YYYY-MM-DD，如 2024-03-15）"),
            format!("{text:?} is not a date (YYYY-MM-DD, e.g. 2024-03-15)"),
        ),
        P::ProjectFieldInvalid { field, problem } => {
            let name = crate::i18n::projects::field_name(lang, field);
            crate::i18n::labelled(lang, name, &problem_message(problem, lang))
        }
        P::ProjectCodeEmpty => t(
            "项目编号不能为空".to_string(),
            "a project needs a code".to_string(),
        ),
        P::ProjectCodeNotText => t(
            "“project_code” 必须是文本".to_string(),
            "\"project_code\" must be a string".to_string(),
        ),
        _ => return None,
    })
}
