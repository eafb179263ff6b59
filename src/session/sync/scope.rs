//! Which records are a street's: what `linli package` hands out to it, and what a street
//! takes from the district when it merges the district's file.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::model::PlanFeature;
use crate::model::RecordId;
use crate::store::{AnyRecord, Held};

/// Names in a `、`/`,`-joined list (a person's streets, a project's planners).
fn names(list: &str) -> impl Iterator<Item = &str> {
    list.split(['、', ',', '，', ';', '；', '/'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

/// The records of `street`: the plan features in it (by `street_of`, the street a feature's
/// geometry lies in) and the features of their projects; those projects and their design
/// alternatives, meetings, tasks, attachments and the meetings' residents' inputs; the people
/// on the street's team or named by those projects, and their organisations.
pub(super) fn street_scope(
    held: &BTreeMap<RecordId, Held>,
    street: &str,
    street_of: impl Fn(&PlanFeature) -> Option<String>,
) -> BTreeSet<RecordId> {
    let mut scope = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for (id, h) in held {
        if let AnyRecord::Plan(f) = &h.record
            && street_of(f).as_deref() == Some(street)
        {
            scope.insert(*id);
            codes.extend(f.project.clone());
        }
    }
    let mut projects: BTreeSet<Uuid> = BTreeSet::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    for (id, h) in held {
        match &h.record {
            AnyRecord::Plan(f) if f.project.as_ref().is_some_and(|c| codes.contains(c)) => {
                scope.insert(*id);
            }
            AnyRecord::Project(p) if codes.contains(&p.code) => {
                scope.insert(*id);
                projects.insert(p.id);
                for list in [&p.mentor, &p.planners, &p.design_team, &p.owner_unit] {
                    named.extend(names(list).map(str::to_string));
                }
            }
            _ => {}
        }
    }
    let mut meetings: BTreeSet<Uuid> = BTreeSet::new();
    for (id, h) in held {
        let ours = match &h.record {
            AnyRecord::Meeting(m) if m.project.is_some_and(|p| projects.contains(&p)) => {
                meetings.insert(m.id);
                true
            }
            AnyRecord::Attachment(a) => projects.contains(&a.info.project),
            AnyRecord::Alternative(a) => projects.contains(&a.project),
            AnyRecord::Person(p) if names(&p.streets).any(|s| s == street) => {
                named.insert(p.organisation.clone());
                true
            }
            _ => false,
        };
        if ours {
            scope.insert(*id);
        }
    }
    for (id, h) in held {
        let ours = match &h.record {
            AnyRecord::Task(t) => {
                t.project.is_some_and(|p| projects.contains(&p))
                    || t.meeting.is_some_and(|m| meetings.contains(&m))
            }
            AnyRecord::Input(i) => meetings.contains(&i.meeting),
            AnyRecord::Person(p) => named.contains(&p.name),
            _ => false,
        };
        if ours {
            scope.insert(*id);
            if let AnyRecord::Person(p) = &h.record {
                named.insert(p.organisation.clone());
            }
        }
    }
    for (id, h) in held {
        if let AnyRecord::Organisation(o) = &h.record
            && named.contains(&o.name)
        {
            scope.insert(*id);
        }
    }
    scope
}
