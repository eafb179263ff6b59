//! People and teams (单位人事) and tasks (工作管理): the roster of mentors, community planners
//! in their three tiers, design-team members and department staff; the organisations they
//! belong to (design teams, departments, street offices); and the tasks a meeting's decisions
//! become, each with an owner, a due date and a status.
//!
//! Records name each other the way planners write them, by name: a project's mentor,
//! planners, design team and departments, a meeting's chair, attendees and departments, a
//! person's organisation and a task's owner are names of roster entries, unique within people
//! and within organisations (as a project's code is unique), so QGIS shows readable text and a
//! file from before the roster keeps working. The session renames and unlinks them together
//! when a roster entry is renamed or deleted, in the same step.
//!
//! A person's street teams (`streets`) are the streets they serve: Pudong's team per street
//! is one mentor and two planners.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Problem;
use crate::model::project::parse_date;

/// A coded field: each value has a stored key and the Chinese name QGIS and the window show.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($key:literal, $zh:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $v),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The key stored in files.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$v => $key),+
                }
            }

            /// Its Chinese name (also the description of the stored key in the file's coded
            /// values).
            pub fn name_zh(self) -> &'static str {
                match self {
                    $($name::$v => $zh),+
                }
            }

            /// Parses [`Self::key`].
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.key() == key)
            }

            /// (key, Chinese name) of every value, for an enum constraint.
            pub fn codes() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|k| (k.key(), k.name_zh())).collect()
            }
        }
    };
}

pub(crate) use coded;

coded! {
    /// What a person on the roster is.
    PersonRole {
        /// 导师: a street's mentor (an academic or senior planner).
        Mentor = ("mentor", "导师"),
        /// A community planner whose tier is not recorded.
        Planner = ("planner", "社区规划师"),
        /// 特聘社区规划师: an appointed professional planner.
        PlannerSpecial = ("planner_special", "特聘社区规划师"),
        /// 青年社区规划师: a young planner.
        PlannerYouth = ("planner_youth", "青年社区规划师"),
        /// 居民社区规划师: a resident planner.
        PlannerResident = ("planner_resident", "居民社区规划师"),
        /// A member of a design team.
        Designer = ("designer", "设计团队成员"),
        /// Staff of a department or street office.
        Staff = ("staff", "部门工作人员"),
        /// Anyone else (a residents' representative at a meeting).
        Other = ("other", "其他"),
    }
}

impl PersonRole {
    /// True for the community planners of every tier.
    pub fn is_planner(self) -> bool {
        matches!(
            self,
            Self::Planner | Self::PlannerSpecial | Self::PlannerYouth | Self::PlannerResident
        )
    }
}

coded! {
    /// What an organisation is.
    OrgKind {
        /// 设计团队: a design team or firm.
        DesignTeam = ("design_team", "设计团队"),
        /// 委办局/部门: a district bureau or department (规划资源局, 绿化市容局…).
        Department = ("department", "委办局/部门"),
        /// 街镇: a street or town office.
        StreetOffice = ("street_office", "街镇"),
        /// 其他: a residents' committee, a company, a school.
        Other = ("other", "其他单位"),
    }
}

coded! {
    /// Where a task stands.
    TaskStatus {
        /// 待办: not started.
        Todo = ("todo", "待办"),
        /// 进行中: under way.
        Doing = ("doing", "进行中"),
        /// 完成: done.
        Done = ("done", "完成"),
        /// 搁置: put aside.
        Shelved = ("shelved", "搁置"),
    }
}

/// A person on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Stable identity (a record read without one, as the sample's, gets a fresh one).
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// Name, unique among people.
    pub name: String,
    /// What they are.
    pub role: PersonRole,
    /// The organisation they belong to (its name), if any.
    #[serde(default)]
    pub organisation: String,
    /// The streets whose team they are in, `、`-joined.
    #[serde(default)]
    pub streets: String,
    /// Phone or e-mail.
    #[serde(default)]
    pub contact: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

impl Person {
    /// A person with this name and role, everything else empty.
    pub fn new(name: &str, role: PersonRole) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.trim().to_string(),
            role,
            organisation: String::new(),
            streets: String::new(),
            contact: String::new(),
            notes: String::new(),
        }
    }
}

/// An organisation: a design team, a department, a street office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable identity.
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// Name, unique among organisations.
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

impl Organisation {
    /// An organisation with this name and kind.
    pub fn new(name: &str, kind: OrgKind) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.trim().to_string(),
            kind,
            notes: String::new(),
        }
    }
}

/// A task (工作任务), usually a meeting's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Stable identity.
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    /// What is to be done.
    pub title: String,
    /// The meeting that decided it, if any.
    #[serde(default)]
    pub meeting: Option<Uuid>,
    /// The project it is for, if any.
    #[serde(default)]
    pub project: Option<Uuid>,
    /// Who does it: the name of a person or an organisation on the roster.
    #[serde(default)]
    pub owner: String,
    /// When it is due, `YYYY-MM-DD`; empty: no date.
    #[serde(default)]
    pub due: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

impl Task {
    /// A task with this title, to do, everything else empty.
    pub fn new(title: &str) -> Self {
        Self {
            id: Uuid::new_v4(),
            title: title.trim().to_string(),
            meeting: None,
            project: None,
            owner: String::new(),
            due: String::new(),
            status: TaskStatus::Todo,
            notes: String::new(),
        }
    }

    /// Overdue on `today` (`YYYY-MM-DD`): due before today and not done.
    pub fn is_overdue(&self, today: &str) -> bool {
        !self.due.is_empty() && self.due.as_str() < today && self.status != TaskStatus::Done
    }

    /// The year it is due, if it has a date.
    pub fn due_year(&self) -> Option<i32> {
        parse_date(&self.due).map(|(y, _, _)| y)
    }

    /// The record's first problem, if any: a title, and a real due date when one is given.
    pub fn problem(&self) -> Option<Problem> {
        if self.title.trim().is_empty() {
            return Some(Problem::RosterNameEmpty {
                record: "task".into(),
            });
        }
        if !self.due.is_empty() && parse_date(&self.due).is_none() {
            return Some(Problem::DateNotValid {
                text: self.due.clone(),
            });
        }
        None
    }
}

pub use crate::model::local_time::today_local;

/// `text`, a `、`-joined list, with the item `old` replaced by `new` (or removed when `new` is
/// `None`); `None` when `old` is not in it, so untouched text stays exactly as typed.
pub fn replace_item(text: &str, old: &str, new: Option<&str>) -> Option<String> {
    let items = crate::model::project::list_items(text);
    if !items.contains(&old) {
        return None;
    }
    let mut out: Vec<&str> = Vec::with_capacity(items.len());
    for item in items {
        let item = if item == old { new } else { Some(item) };
        if let Some(item) = item
            && !out.contains(&item)
        {
            out.push(item);
        }
    }
    Some(out.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_is_before_today_and_not_done() {
        let mut t = Task::new("补充无障碍坡道");
        assert!(!t.is_overdue("2025-06-01"), "no date, never overdue");
        t.due = "2025-05-31".into();
        assert!(t.is_overdue("2025-06-01"));
        assert!(!t.is_overdue("2025-05-31"), "due today is not late yet");
        t.status = TaskStatus::Doing;
        assert!(t.is_overdue("2025-06-01"));
        t.status = TaskStatus::Done;
        assert!(!t.is_overdue("2025-06-01"));
        t.due = "2025-02-30".into();
        assert!(matches!(t.problem(), Some(Problem::DateNotValid { .. })));
        assert_eq!(today_local().len(), 10);
    }

    #[test]
    fn codes_round_trip_and_items_are_replaced() {
        for r in PersonRole::ALL {
            assert_eq!(PersonRole::from_key(r.key()), Some(*r));
        }
        assert_eq!(TaskStatus::from_key("shelved"), Some(TaskStatus::Shelved));
        assert_eq!(OrgKind::codes().len(), 4);
        assert_eq!(
            replace_item("张三, 李四", "李四", Some("李小四")).as_deref(),
            Some("张三、李小四")
        );
        assert_eq!(
            replace_item("张三、李四", "张三", None).as_deref(),
            Some("李四")
        );
        assert_eq!(replace_item("张三", "王五", None), None);
    }
}
