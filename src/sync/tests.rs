#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::model::change::RecordKind;

fn id(n: u128) -> RecordId {
    RecordId::of(RecordKind::Project, Uuid::from_u128(n))
}

fn rec(pairs: &[(&str, serde_json::Value)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::Json(v.clone())))
        .collect()
}

fn one(r: RecordId, fields: Fields) -> Snapshot {
    [(r, fields)].into_iter().collect()
}

/// Merges `theirs` into `ours` against `base` with no tombstones and no decisions.
fn run(base: &Snapshot, ours: &Snapshot, theirs: &Snapshot) -> Merged {
    merge(Sides {
        base: &base_of(base),
        ours,
        theirs,
        tombstones: &BTreeSet::new(),
        decisions: &[],
    })
}

fn start() -> Fields {
    rec(&[
        ("name", json!("口袋花园")),
        ("stage", json!("design")),
        ("budget_wan", json!(30)),
    ])
}

fn with(mut f: Fields, name: &str, v: serde_json::Value) -> Fields {
    f.insert(name.into(), Value::Json(v));
    f
}

#[test]
fn a_field_changed_on_one_side_takes_that_side() {
    let b = one(id(1), start());
    let theirs = one(id(1), with(start(), "stage", json!("build")));
    let m = run(&b, &b, &theirs);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.changes.changes.len(), 1);
    let c = &m.changes.changes[0];
    assert_eq!((c.op, c.fields.len()), (Op::Update, 1));
    assert_eq!(c.fields[0].before, Value::Json(json!("design")));
    assert_eq!(c.fields[0].after, Value::Json(json!("build")));
    // Changed on our side only: ours stays, nothing to write.
    let m = run(&b, &theirs, &b);
    assert!(m.changes.is_empty() && m.conflicts.is_empty());
}

#[test]
fn the_same_new_value_on_both_sides_is_no_conflict() {
    let b = one(id(1), start());
    let both = one(id(1), with(start(), "stage", json!("build")));
    let m = run(&b, &both, &both);
    assert!(m.changes.is_empty() && m.conflicts.is_empty());
    assert_eq!(m.base.len(), 1, "the base moves to the agreed value");
}

#[test]
fn different_fields_changed_on_the_two_sides_merge() {
    let b = one(id(1), start());
    let ours = one(id(1), with(start(), "name", json!("街角花园")));
    let theirs = one(id(1), with(start(), "budget_wan", json!(45)));
    let m = run(&b, &ours, &theirs);
    assert!(m.conflicts.is_empty());
    let mut after = ours.clone();
    apply_to(&mut after, &m.changes);
    assert_eq!(
        after[&id(1)],
        with(
            with(start(), "name", json!("街角花园")),
            "budget_wan",
            json!(45)
        )
    );
}

#[test]
fn geometry_is_one_field() {
    let square = |x: f64| json!({"type": "Polygon", "coordinates": [[[x, 0.0], [1.0, 0.0], [1.0, 1.0], [x, 0.0]]]});
    let base = with(start(), "geometry", square(0.0));
    let b = one(id(1), base.clone());
    let ours = one(id(1), with(base.clone(), "geometry", square(0.1)));
    let theirs = one(id(1), with(base.clone(), "geometry", square(0.2)));
    let m = run(&b, &ours, &theirs);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].field, "geometry");
    assert_eq!(m.conflicts[0].theirs, square(0.2));
    assert!(m.changes.is_empty(), "ours is kept until resolved");
}

#[test]
fn inserts_on_either_side_never_collide() {
    let b = one(id(1), start());
    let mut ours = b.clone();
    ours.insert(id(2), rec(&[("name", json!("我们的"))]));
    let mut theirs = b.clone();
    theirs.insert(id(3), rec(&[("name", json!("他们的"))]));
    let m = run(&b, &ours, &theirs);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.changes.changes.len(), 1);
    assert_eq!(m.changes.changes[0].op, Op::Insert);
    assert_eq!(m.changes.changes[0].record, id(3));
    let mut after = ours.clone();
    apply_to(&mut after, &m.changes);
    assert_eq!(after.len(), 3);
}

#[test]
fn a_deleted_record_never_comes_back() {
    // Deleted here after both agreed on it: their unchanged copy does not bring it back.
    let b = one(id(1), start());
    let m = run(&b, &Snapshot::new(), &b);
    assert!(m.changes.is_empty() && m.conflicts.is_empty());
    // Deleted here and never in our base with them (another street's copy of it): the
    // tombstone keeps it out.
    let tombstones: BTreeSet<RecordId> = [id(1)].into_iter().collect();
    let m = merge(Sides {
        base: &Base::new(),
        ours: &Snapshot::new(),
        theirs: &b,
        tombstones: &tombstones,
        decisions: &[],
    });
    assert!(m.changes.is_empty());
    assert_eq!(m.kept_deleted, vec![id(1)]);
    // Deleted there, unchanged here: deleted here too.
    let m = run(&b, &b, &Snapshot::new());
    assert_eq!(m.changes.changes[0].op, Op::Delete);
    assert_eq!(m.base, vec![(id(1), None)]);
}

#[test]
fn an_update_against_a_delete_is_a_conflict() {
    let b = one(id(1), start());
    let changed = one(id(1), with(start(), "stage", json!("build")));
    // Changed here, deleted there.
    let m = run(&b, &changed, &Snapshot::new());
    assert!(m.changes.is_empty());
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].field, WHOLE_RECORD);
    assert_eq!(m.conflicts[0].theirs, serde_json::Value::Null);
    // Deleted here, changed there.
    let m = run(&b, &Snapshot::new(), &changed);
    assert!(m.changes.is_empty());
    assert_eq!(m.conflicts[0].ours, serde_json::Value::Null);
    assert_eq!(m.conflicts[0].theirs, digest_fields(&changed[&id(1)]));
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_and_ours_stays() {
    let b = one(id(1), start());
    let ours = one(id(1), with(start(), "stage", json!("build")));
    let theirs = one(id(1), with(start(), "stage", json!("done")));
    let m = run(&b, &ours, &theirs);
    assert!(m.changes.is_empty());
    let c = &m.conflicts[0];
    assert_eq!(
        (c.field.as_str(), &c.base, &c.ours, &c.theirs),
        ("stage", &json!("design"), &json!("build"), &json!("done"))
    );
}

#[test]
fn merging_again_changes_nothing() {
    let b = one(id(1), start());
    let ours = one(id(1), with(start(), "stage", json!("build")));
    let mut theirs = one(
        id(1),
        with(with(start(), "stage", json!("done")), "name", json!("新名")),
    );
    theirs.insert(id(2), rec(&[("name", json!("新"))]));
    let mut base = base_of(&b);
    let tomb = BTreeSet::new();
    let sides = |base: &Base, ours: &Snapshot| {
        merge(Sides {
            base,
            ours,
            theirs: &theirs,
            tombstones: &tomb,
            decisions: &[],
        })
    };
    let first = sides(&base, &ours);
    assert_eq!(first.conflicts.len(), 1);
    let mut ours2 = ours.clone();
    apply_to(&mut ours2, &first.changes);
    apply_base(&mut base, &first.base);
    let again = sides(&base, &ours2);
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_resolution_made_there_settles_the_conflict_here() {
    let b = one(id(1), start());
    let ours = one(id(1), with(start(), "stage", json!("build")));
    let theirs = one(id(1), with(start(), "stage", json!("done")));
    let decision = Decision {
        record: id(1),
        field: "stage".into(),
        ours: json!("build"),
        chosen: json!("done"),
    };
    let m = merge(Sides {
        base: &base_of(&b),
        ours: &ours,
        theirs: &theirs,
        tombstones: &BTreeSet::new(),
        decisions: std::slice::from_ref(&decision),
    });
    assert!(m.conflicts.is_empty());
    assert_eq!(
        m.changes.changes[0].fields[0].after,
        Value::Json(json!("done"))
    );
    // A decision about another value of ours does not apply.
    let other = one(id(1), with(start(), "stage", json!("plan")));
    let m = merge(Sides {
        base: &base_of(&b),
        ours: &other,
        theirs: &theirs,
        tombstones: &BTreeSet::new(),
        decisions: &[decision],
    });
    assert_eq!(m.conflicts.len(), 1);
}

// The property: from one base, random changes on several copies, merged into the district in
// every order.

/// One copy's edit.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, usize, u8),
    Delete(usize),
    Insert(u8),
}

const RECORDS: usize = 5;
const FIELDS: [&str; 3] = ["name", "stage", "geometry"];

fn initial() -> Snapshot {
    (0..RECORDS)
        .map(|r| {
            let fields = FIELDS
                .iter()
                .map(|f| (f.to_string(), Value::Json(json!(format!("{f}{r}")))))
                .collect();
            (id(r as u128 + 1), fields)
        })
        .collect()
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (0..RECORDS, 0..FIELDS.len(), 0u8..3).prop_map(|(r, f, v)| Edit::Set(r, f, v)),
        1 => (0..RECORDS).prop_map(Edit::Delete),
        1 => (0u8..3).prop_map(Edit::Insert),
    ]
}

fn copy_of(n: usize, edits: &[Edit]) -> Snapshot {
    let mut s = initial();
    for (i, e) in edits.iter().enumerate() {
        match e {
            Edit::Set(r, f, v) => {
                if let Some(fields) = s.get_mut(&id(*r as u128 + 1)) {
                    fields.insert(FIELDS[*f].into(), Value::Json(json!(format!("v{v}"))));
                }
            }
            Edit::Delete(r) => {
                s.remove(&id(*r as u128 + 1));
            }
            Edit::Insert(v) => {
                let new = id(1000 * (n as u128 + 1) + i as u128);
                s.insert(new, rec(&[("name", json!(format!("new{v}")))]));
            }
        }
    }
    s
}

/// What merging the copies in `order` gives: the district and, per record, the conflicts
/// (field → every value seen in a conflict about it).
type Outcome = (
    Snapshot,
    BTreeMap<RecordId, BTreeMap<String, BTreeSet<String>>>,
);

fn merge_in_order(copies: &[Snapshot], order: &[usize]) -> Outcome {
    let mut district = initial();
    let mut tombstones = BTreeSet::new();
    let mut bases: Vec<Base> = copies.iter().map(|_| base_of(&initial())).collect();
    let mut conflicts: BTreeMap<RecordId, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for &i in order {
        let m = merge(Sides {
            base: &bases[i],
            ours: &district,
            theirs: &copies[i],
            tombstones: &tombstones,
            decisions: &[],
        });
        for c in &m.changes.changes {
            if c.op == Op::Delete {
                tombstones.insert(c.record);
            }
        }
        apply_to(&mut district, &m.changes);
        apply_base(&mut bases[i], &m.base);
        for c in m.conflicts {
            let values = conflicts
                .entry(c.record)
                .or_default()
                .entry(c.field)
                .or_default();
            values.insert(c.ours.to_string());
            values.insert(c.theirs.to_string());
        }
    }
    // Merging every copy again changes nothing.
    for (i, copy) in copies.iter().enumerate() {
        let again = merge(Sides {
            base: &bases[i],
            ours: &district,
            theirs: copy,
            tombstones: &tombstones,
            decisions: &[],
        });
        assert!(again.is_empty(), "merging copy {i} again: {again:?}");
    }
    (district, conflicts)
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for p in permutations(n - 1) {
        for at in 0..=p.len() {
            let mut q = p.clone();
            q.insert(at, n - 1);
            all.push(q);
        }
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn every_order_gives_the_same_district_and_the_same_conflicts(
        edits in prop::collection::vec(prop::collection::vec(edit_strategy(), 0..6), 3..=5)
    ) {
        let copies: Vec<Snapshot> = edits.iter().enumerate().map(|(n, e)| copy_of(n, e)).collect();
        let orders = permutations(copies.len());
        let (first_district, first_conflicts) = merge_in_order(&copies, &orders[0]);
        for order in &orders[1..] {
            let (district, conflicts) = merge_in_order(&copies, order);
            // The same records are in conflict.
            prop_assert_eq!(
                first_conflicts.keys().collect::<Vec<_>>(),
                conflicts.keys().collect::<Vec<_>>(),
                "order {:?}", order
            );
            for (record, fields) in &conflicts {
                let whole = fields.contains_key(WHOLE_RECORD)
                    || first_conflicts[record].contains_key(WHOLE_RECORD);
                if !whole {
                    // Field conflicts: the same fields, with the same values in play; every
                    // other field the same.
                    prop_assert_eq!(&first_conflicts[record], fields, "order {:?}", order);
                    let (a, b) = (&first_district[record], &district[record]);
                    for name in a.keys().filter(|n| !fields.contains_key(*n)) {
                        prop_assert_eq!(a.get(name), b.get(name));
                    }
                }
            }
            // Every record in no conflict is the same, or absent in both.
            let ids: BTreeSet<&RecordId> = first_district.keys().chain(district.keys()).collect();
            for r in ids.into_iter().filter(|r| !conflicts.contains_key(*r)) {
                prop_assert_eq!(first_district.get(r), district.get(r), "order {:?}", order);
            }
        }
    }
}

#[test]
fn a_projects_history_keeps_both_sides_entries() {
    let entry = |at: &str, f: &str| json!({"at": at, "who": "", "fields": [f]});
    let base = rec(&[("history", json!([entry("2026-01-01T00:00:00Z", "created")]))]);
    let ours = rec(&[(
        "history",
        json!([
            entry("2026-01-01T00:00:00Z", "created"),
            entry("2026-02-01T00:00:00Z", "name")
        ]),
    )]);
    let theirs = rec(&[(
        "history",
        json!([
            entry("2026-01-01T00:00:00Z", "created"),
            entry("2026-01-15T00:00:00Z", "stage")
        ]),
    )]);
    let m = run(&one(id(1), base), &one(id(1), ours), &one(id(1), theirs));
    assert!(m.conflicts.is_empty());
    let after = &m.changes.changes[0].fields[0].after;
    assert_eq!(
        after,
        &Value::Json(json!([
            entry("2026-01-01T00:00:00Z", "created"),
            entry("2026-01-15T00:00:00Z", "stage"),
            entry("2026-02-01T00:00:00Z", "name")
        ]))
    );
}
