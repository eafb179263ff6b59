//! The words of problems with the district's exchange: merging, handing out, conflicts.

use super::*;

/// The words of a problem of this family in `lang`; `None` for a problem of another.
pub(super) fn message(p: &Problem, lang: Lang) -> Option<String> {
    use Problem as P;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    Some(match p {
        P::SameWorkspace { name } => t(
            format!(
                "这是本工作空间自身或其副本（工作空间 id 相同，“{name}”）；街道工作空间请用 linli package 分发"
            ),
            format!(
                "this is the workspace itself or a copy of it (the same workspace id, {name:?}); hand out street workspaces with linli package"
            ),
        ),
        P::NoSuchStreet { street, known } => t(
            format!("街道图层中没有 “{street}”（有：{known}）"),
            format!("the streets layer has no {street:?} (it has: {known})"),
        ),
        P::MergeUnreadable { count, first } => t(
            format!(
                "有 {count} 处无法读取（首处：{}），缺失的记录会被当作已删除，因此未合并；请先用 linli check 检查",
                problem_message(first, lang)
            ),
            format!(
                "{count} rows cannot be read (first: {}); a missing record would be taken as deleted, so nothing was merged: run linli check first",
                problem_message(first, lang)
            ),
        ),
        P::NoSuchConflict { id } => t(
            format!("没有 id 为 {id} 的合并冲突"),
            format!("no merge conflict has id {id}"),
        ),
        P::ConflictResolved { label, field } => t(
            format!("“{label}” 的字段 {field} 的冲突已解决"),
            format!("the conflict on field {field} of {label:?} is resolved already"),
        ),
        P::ConflictValueNotKept { field } => t(
            format!(
                "字段 {field} 是文件内容，冲突只记录了对方文件的摘要；请保留本方的值或再合并一次对方的文件"
            ),
            format!(
                "field {field} is a file's content and the conflict keeps only a digest of theirs: keep ours, or merge their file again"
            ),
        ),
        P::MergeCodeTaken { code, ours, theirs } => t(
            format!(
                "项目编号 {code} 在两个工作空间中属于不同的项目（本方 “{ours}”，对方 “{theirs}”），要素按编号关联项目；请先在一方改用另一个编号，再合并。未合并任何内容"
            ),
            format!(
                "project code {code} belongs to different projects in the two workspaces (ours {ours:?}, theirs {theirs:?}) and features link to projects by code: give one of them another code, then merge again; nothing was merged"
            ),
        ),
        P::ServerUnreachable { server, detail } => t(
            format!("无法连接区服务器 {server}：{detail}"),
            format!("cannot reach the district server {server}: {detail}"),
        ),
        P::ServerRefused { server, detail } => t(
            format!("区服务器 {server} 拒绝了此操作，未写入任何内容：{detail}"),
            format!("the district server {server} refused, and nothing was written: {detail}"),
        ),
        P::ServerSchema {
            server,
            found: 0,
            expected,
        } => t(
            format!(
                "区服务器 {server} 尚未初始化（需要第 {expected} 版结构）：请先运行 linli server init"
            ),
            format!(
                "the district server {server} is not set up (schema {expected} is needed): run linli server init first"
            ),
        ),
        P::ServerSchema {
            server,
            found,
            expected,
        } if found < expected => t(
            format!(
                "区服务器 {server} 的结构是第 {found} 版，本程序需要第 {expected} 版：请运行 linli server init --upgrade"
            ),
            format!(
                "the district server {server} has schema {found} and this program reads {expected}: run linli server init --upgrade"
            ),
        ),
        P::ServerSchema {
            server,
            found,
            expected,
        } => t(
            format!(
                "区服务器 {server} 的结构是第 {found} 版，比本程序（第 {expected} 版）新：请升级 Linli"
            ),
            format!(
                "the district server {server} has schema {found}, newer than this program's {expected}: upgrade Linli"
            ),
        ),
        P::ServerWriteRefused { server, name, id } => t(
            format!(
                "区服务器 {server} 不允许写入记录 “{name}”（{id}）：它属于其他街道，或刚被他人修改；服务器上未写入任何内容"
            ),
            format!(
                "the district server {server} did not let record {name:?} ({id}) be written: it is another street's, or someone changed it meanwhile; nothing was written there"
            ),
        ),
        P::SyncStreetMismatch {
            server,
            synced,
            asked,
        } => t(
            format!(
                "本工作空间以 {synced} 的身份与区服务器 {server} 同步，不能改以 {asked} 同步：请为 {asked} 使用它自己的工作空间"
            ),
            format!(
                "this workspace syncs with the district server {server} as {synced}, not as {asked}: use {asked}'s own workspace"
            ),
        ),
        P::BadRoleName { role } => t(
            format!("角色名 “{role}” 只能由小写字母、数字和下划线组成，且以字母开头"),
            format!(
                "role name {role:?} must be lowercase letters, digits and underscores, starting with a letter"
            ),
        ),
        _ => return None,
    })
}
