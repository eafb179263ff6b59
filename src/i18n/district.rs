//! The words of the district's exchange: handing out street workspaces, merging them back,
//! the conflicts view.

use std::path::Path;

use super::Lang;
use crate::model::sync::{MergeConflict, Peer, WorkspaceIdentity};
use crate::session::sync::{MergeReport, PackageReport};

texts! {
    /// A fixed piece of the district exchange's text.
    DistrictText;
    /// The top bar's button and the window's title.
    WindowTitle => "区街交换", "District exchange";
    /// The workspace's own name, as the window heads it.
    ThisWorkspace => "本工作空间", "This workspace";
    /// When a peer was last merged.
    LastMerged => "上次合并", "last merged";
    /// Show the record on the main map.
    ShowOnMap => "在地图上显示", "Show on the map";
    /// The menu entry that merges workspaces into this one.
    MergeMenu => "合并街道工作空间…", "Merge street workspaces…";
    /// The menu entry that hands out a street workspace.
    PackageMenu => "分发街道工作空间…", "Hand out a street workspace…";
    /// The menu entry and window title of the conflicts view.
    ConflictsTitle => "合并冲突", "Merge conflicts";
    /// The file dialog's filter name for workspaces.
    Workspaces => "Linli 工作空间", "Linli workspaces";
    /// The package window's street chooser.
    Street => "街道", "Street";
    /// Hand out: write the file.
    PackageButton => "分发…", "Hand out…";
    /// The column of the record a conflict is about.
    Record => "记录", "Record";
    /// The column of the field.
    Field => "字段", "Field";
    /// The workspace a conflict came from.
    From => "来自", "From";
    /// A conflict's status.
    Status => "状态", "Status";
    /// The base value.
    Base => "共同基础", "Base";
    /// This workspace's value.
    Ours => "本工作空间", "This workspace";
    /// The other workspace's value.
    Theirs => "对方", "Theirs";
    /// Take this workspace's value.
    TakeOurs => "采用本方", "Keep ours";
    /// Take the other workspace's value.
    TakeTheirs => "采用对方", "Take theirs";
    /// Take the value typed.
    TakeTyped => "采用输入的值", "Use the value typed";
    /// Show resolved conflicts too.
    ShowResolved => "显示已解决", "Show resolved";
    /// No conflicts.
    NoConflicts => "没有合并冲突", "No merge conflicts";
    /// A whole record deleted on one side.
    Deleted => "（已删除）", "(deleted)";
    /// The whole record.
    WholeRecord => "整条记录", "Whole record";
    /// The record's geometry on the map: base, ours, theirs.
    GeometryLegend => "灰：共同基础　蓝：本方　橙：对方", "grey: base   blue: ours   orange: theirs";
    /// Resolved with.
    ResolvedWith => "解决为", "Resolved with";
    /// The status line after a conflict was resolved.
    ConflictResolved => "已解决冲突", "Conflict resolved";
    /// The heading of a failed merge.
    MergeFailed => "合并失败，工作空间未改变", "Merge failed; the workspace is unchanged";
    /// The heading of a failed hand-out.
    PackageFailed => "分发失败", "Hand-out failed";
    /// The district server's address field.
    ServerAddress => "区服务器", "District server";
    /// The address field's hint.
    ServerAddressHint => "postgresql://角色@主机/数据库", "postgresql://role@host/database";
    /// The password field (typed each time, never stored).
    Password => "密码", "Password";
    /// The button that syncs with the district server.
    SyncButton => "同步", "Sync";
    /// A sync's first step.
    Connecting => "正在连接区服务器…", "Connecting to the district server…";
    /// A sync's last step.
    Committing => "正在提交…", "Committing…";
    /// The heading of a failed sync.
    SyncFailed => "同步失败，服务器未改变", "Sync failed; nothing changed on the server";
}

/// A sync's step while it merges what it pulled.
pub fn sync_merging(lang: Lang, pulled: usize) -> String {
    match lang {
        Lang::Zh => format!("已取回 {pulled} 条，正在合并…"),
        Lang::En => format!("pulled {pulled}; merging…"),
    }
}

/// A sync's step while it sends.
pub fn sync_sending(lang: Lang, records: usize) -> String {
    match lang {
        Lang::Zh => format!("正在上传 {records} 条…"),
        Lang::En => format!("sending {records}…"),
    }
}

/// The line after a merge.
pub fn merged(lang: Lang, r: &MergeReport) -> String {
    let joined = if r.joined {
        match lang {
            Lang::Zh => "（首次合并，已加入）",
            Lang::En => " (first merge: joined)",
        }
    } else {
        ""
    };
    match lang {
        Lang::Zh => format!(
            "已合并 “{}”{joined}：新增 {} 条、修改 {} 条、删除 {} 条记录，{} 个冲突{}",
            r.peer,
            r.inserted,
            r.updated,
            r.deleted,
            r.conflicts,
            if r.kept_deleted > 0 {
                format!("；{} 条本方已删除的记录未恢复", r.kept_deleted)
            } else {
                String::new()
            }
        ),
        Lang::En => format!(
            "merged {:?}{joined}: {} records added, {} changed, {} deleted, {} conflicts{}",
            r.peer,
            r.inserted,
            r.updated,
            r.deleted,
            r.conflicts,
            if r.kept_deleted > 0 {
                format!(
                    "; {} records deleted here were not brought back",
                    r.kept_deleted
                )
            } else {
                String::new()
            }
        ),
    }
}

/// The line after a street workspace was handed out.
pub fn packaged(lang: Lang, r: &PackageReport) -> String {
    match lang {
        Lang::Zh => format!(
            "已为 “{}” 写出 {}：{} 个规划要素、{} 个项目，共 {} 条记录，{} 个图层",
            r.street,
            r.path.display(),
            r.features,
            r.projects,
            r.records,
            r.layers
        ),
        Lang::En => format!(
            "wrote {} for {:?}: {} plan features, {} projects, {} records in all, {} layers",
            r.path.display(),
            r.street,
            r.features,
            r.projects,
            r.records,
            r.layers
        ),
    }
}

/// The line after the conflicts were written to a file.
pub fn conflicts_written(lang: Lang, count: usize, path: &Path) -> String {
    match lang {
        Lang::Zh => format!("已将 {count} 个合并冲突写入 {}", path.display()),
        Lang::En => format!("wrote {count} merge conflicts to {}", path.display()),
    }
}

/// The line after a conflict was resolved.
pub fn resolved(lang: Lang, c: &MergeConflict) -> String {
    match lang {
        Lang::Zh => format!("已解决 “{}” 字段 {} 的冲突", c.label, c.field),
        Lang::En => format!(
            "resolved the conflict on field {} of {:?}",
            c.field, c.label
        ),
    }
}

/// `linli info`'s lines about the workspace's identity, its peers and open conflicts.
pub fn info(lang: Lang, identity: &WorkspaceIdentity, peers: &[Peer], open: usize) -> String {
    let mut lines = vec![match lang {
        Lang::Zh => format!("  工作空间 “{}”，id {}", identity.name, identity.id),
        Lang::En => format!("  workspace {:?}, id {}", identity.name, identity.id),
    }];
    for p in peers {
        let merged = if p.last_merged.is_empty() {
            "-"
        } else {
            &p.last_merged
        };
        lines.push(match lang {
            Lang::Zh => format!(
                "  {}：“{}”，id {}，自 {}，上次合并 {merged}",
                p.role.name_zh(),
                p.name,
                p.id,
                p.since
            ),
            Lang::En => format!(
                "  {} {:?}, id {}, since {}, last merged {merged}",
                p.role.key(),
                p.name,
                p.id,
                p.since
            ),
        });
    }
    if open > 0 {
        lines.push(match lang {
            Lang::Zh => format!("  待解决的合并冲突：{open} 个（linli conflicts）"),
            Lang::En => format!("  open merge conflicts: {open} (linli conflicts)"),
        });
    }
    lines.join("\n")
}

/// What a field of a record is called in the conflicts view: a project's fields by the
/// project form's labels, a plan feature's by the inspector's words, the whole record as such;
/// any other field by its key.
pub fn field_label(lang: Lang, kind: crate::model::change::RecordKind, field: &str) -> String {
    use crate::model::change::RecordKind as K;
    if field == crate::model::sync::WHOLE_RECORD {
        return DistrictText::WholeRecord.get(lang).to_string();
    }
    let zh = lang == Lang::Zh;
    let pick = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
    match (kind, field) {
        (K::Project, "history") => pick("变更记录", "history"),
        (
            K::Project,
            key @ ("code" | "name" | "programme" | "year" | "workflow" | "stage" | "scope"
            | "budget_wan" | "actual_wan" | "funding" | "owner_unit" | "design_team"
            | "mentor" | "planners" | "departments" | "progress_pct" | "comments"
            | "stage_dates"),
        ) => super::projects::field_name(lang, key).to_string(),
        (K::Plan, "name") => pick("名称", "name"),
        (K::Plan, "element") => pick("要素类型", "element type"),
        (K::Plan, "project") => pick("项目", "project"),
        (K::Plan, "properties") => pick("属性", "properties"),
        (K::Plan, "geometry") => pick("图形", "geometry"),
        (K::Plan, "alternative") => pick("设计方案", "design alternative"),
        (_, key) => key.to_string(),
    }
}

/// `linli server init`'s report.
pub fn server_ready(lang: Lang, server: &str, from: i64, to: i64) -> String {
    match (lang, from == to) {
        (Lang::Zh, true) => format!("区服务器 {server} 已是第 {to} 版结构，未作改动"),
        (Lang::En, true) => {
            format!("the district server {server} has schema {to} already; nothing changed")
        }
        (Lang::Zh, false) if from == 0 => format!("区服务器 {server} 已初始化（第 {to} 版结构）"),
        (Lang::En, false) if from == 0 => {
            format!("set up the district server {server} (schema {to})")
        }
        (Lang::Zh, false) => format!("区服务器 {server} 已从第 {from} 版升级到第 {to} 版结构"),
        (Lang::En, false) => {
            format!("upgraded the district server {server} from schema {from} to {to}")
        }
    }
}

/// `linli server boundaries`' report.
pub fn server_boundaries(lang: Lang, server: &str, streets: usize) -> String {
    match lang {
        Lang::Zh => format!("已向区服务器 {server} 载入 {streets} 个街道边界"),
        Lang::En => format!("loaded {streets} street boundaries onto the district server {server}"),
    }
}

/// `linli sync`'s report.
pub fn synced(lang: Lang, server: &str, r: &crate::server::SyncReport) -> String {
    let m = &r.merge;
    match lang {
        Lang::Zh => format!(
            "与区服务器 {server} 同步：取回 {} 条，本地新增 {}、修改 {}、删除 {} 条，冲突 {} 处；上传新增 {}、修改 {}、删除 {} 条（服务器版本 {}）",
            r.pulled,
            m.inserted,
            m.updated,
            m.deleted,
            m.conflicts,
            r.inserted,
            r.updated,
            r.deleted,
            r.high_water
        ),
        Lang::En => format!(
            "synced with the district server {server}: pulled {}, here {} added, {} changed, {} deleted, {} conflicts; sent {} added, {} changed, {} deleted (server revision {})",
            r.pulled,
            m.inserted,
            m.updated,
            m.deleted,
            m.conflicts,
            r.inserted,
            r.updated,
            r.deleted,
            r.high_water
        ),
    }
}

/// `linli server grant`'s report: the role and what it works for (`streets` empty: the bureau).
pub fn server_granted(lang: Lang, role: &str, streets: &[String]) -> String {
    match (lang, streets.is_empty()) {
        (Lang::Zh, true) => {
            format!("登录角色 {role}：区局，只读全部记录，可在 linli_stats 中建统计视图")
        }
        (Lang::En, true) => format!(
            "login role {role}: the bureau, reads every record and may create statistics views in linli_stats"
        ),
        (Lang::Zh, false) => format!("登录角色 {role}：可读写 {} 的记录", streets.join("、")),
        (Lang::En, false) => format!(
            "login role {role}: reads and writes the records of {}",
            streets.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for t in DistrictText::ALL {
            assert!(
                !t.get(Lang::Zh).is_empty() && !t.get(Lang::En).is_empty(),
                "{t:?}"
            );
        }
    }
}
