//! Plan rows another program (QGIS) wrote, made what Linli would have written: street,
//! community, element name, area and length are derived again where missing or stale, a row
//! without a proper UUID gets one; the fixes are written in one transaction (not an undo step),
//! or kept in memory only when the file is open read-only. Opening settles every row this way
//! ([`Session::take_plan`]); picking up another program's changes while open (`refresh`)
//! settles only the rows that changed, through the same [`Session::settle_plan_row`].

use std::collections::HashMap;

use uuid::Uuid;

use super::{Locator, Session, plan, plan_derived};
use crate::error::{Problem, Result};
use crate::model::change::{Changeset, RecordChange, RecordKind};
use crate::model::{PlanFeature, RecordId};
use crate::store::{PlanLoad, StoredPlanRow};

/// True when two derived measures differ by more than rounding (relative 1e-9).
fn stale(stored: Option<f64>, derived: Option<f64>) -> bool {
    match (stored, derived) {
        (None, None) => false,
        (Some(a), Some(b)) => (a - b).abs() > 1e-9 * a.abs().max(b.abs()).max(1.0),
        _ => true,
    }
}

/// The measures a plan row holds in the file once settled (area m², length m), by feature:
/// what tells `refresh` that another program rewrote only a derived column.
pub(super) type StoredMeasures = HashMap<Uuid, (Option<f64>, Option<f64>)>;

/// A plan row as memory holds it once settled.
pub(super) struct Settled {
    /// The feature, street and community derived.
    pub(super) feature: PlanFeature,
    /// Its row id.
    pub(super) fid: i64,
    /// Its plan table.
    pub(super) table: &'static str,
    /// True when the row's derived columns (or id) must be written again.
    pub(super) fix: bool,
    /// True when its id is new (the row had none that was a UUID): written before the rest.
    pub(super) new_id: bool,
    /// Area and length as the file holds them once the fix, if any, is written.
    pub(super) measures: (Option<f64>, Option<f64>),
}

impl Session {
    /// Puts the plan rows read from the store into memory, mending what needs it first.
    /// `boundaries_whole` is false when a street or community row could not be read: each
    /// feature's street and community are then kept as stored, not derived from what is left.
    pub(super) fn take_plan(&mut self, load: PlanLoad, boundaries_whole: bool) -> Result<()> {
        let PlanLoad { rows, mut notes } = load;
        let settled: Vec<Settled> = rows
            .into_iter()
            .map(|row| self.settle_plan_row(row, boundaries_whole, &mut notes))
            .collect();
        self.mend_plan_rows(settled.iter().filter(|s| s.fix), boundaries_whole)?;
        let mut measures = StoredMeasures::with_capacity(settled.len());
        let features = settled
            .into_iter()
            .map(|s| {
                measures.insert(s.feature.feature.id, s.measures);
                (s.feature, s.fid)
            })
            .collect();
        self.plan = plan::PlanSet::from_rows(features);
        self.outside.settled_measures(measures);
        // Rows left out first: they are what the user must act on; the rest was mended.
        notes.sort_by_key(|n| !matches!(n, Problem::UnreadablePlanRow { .. }));
        self.notes = notes;
        Ok(())
    }

    /// One plan row as read, settled: street and community derived from its geometry (kept as
    /// stored when `boundaries_whole` is false), and whether the file must be mended. An
    /// element type not in the catalog is noted in `notes`.
    pub(super) fn settle_plan_row(
        &self,
        row: StoredPlanRow,
        boundaries_whole: bool,
        notes: &mut Vec<Problem>,
    ) -> Settled {
        let mut f = row.feature;
        let mut location = self.locate_geometry(&f.feature.geometry);
        if !boundaries_whole {
            location.street = f.street.clone();
            location.community = f.community.clone();
        }
        let derived = plan_derived(&self.catalog, &f);
        if self.catalog.get(&f.element).is_none() {
            notes.push(Problem::UnknownElementShown {
                id: f.feature.id.to_string(),
                element: f.element.clone(),
            });
        }
        let name_stale = row.element_name.as_deref().unwrap_or("") != derived.element_name;
        let fix = row.new_id
            || name_stale
            || f.street != location.street
            || f.community != location.community
            || stale(row.area_m2, derived.area_m2)
            || stale(row.length_m, derived.length_m);
        let measures = if fix {
            (derived.area_m2, derived.length_m)
        } else {
            (row.area_m2, row.length_m)
        };
        f.street = location.street;
        f.community = location.community;
        Settled {
            feature: f,
            fid: row.fid,
            table: row.table,
            fix,
            new_id: row.new_id,
            measures,
        }
    }

    /// Writes the derived columns (and ids) of settled rows: first the ids reading gave rows
    /// without a proper one, then one changeset settling every row ([`Op::Settle`]) through
    /// [`Store::apply`], which derives from each row as the file holds it (street and community
    /// kept as stored when `boundaries_whole` is false). Nothing on a read-only store (the
    /// fixes then live in memory only).
    ///
    /// [`Op::Settle`]: crate::model::change::Op::Settle
    /// [`Store::apply`]: crate::store::Store::apply
    pub(super) fn mend_plan_rows<'a>(
        &mut self,
        fixes: impl IntoIterator<Item = &'a Settled>,
        boundaries_whole: bool,
    ) -> Result<()> {
        if self.store.is_read_only() {
            return Ok(());
        }
        let mut ids = Vec::new();
        let mut settle = Changeset::default();
        for s in fixes {
            let id = s.feature.feature.id;
            if s.new_id {
                ids.push((s.table, s.fid, id));
            }
            settle
                .changes
                .push(RecordChange::settle(RecordId::of(RecordKind::Plan, id)));
        }
        if settle.is_empty() {
            return Ok(());
        }
        self.store.give_plan_ids(&ids)?;
        let locator = Locator {
            layers: &self.layers,
            indexes: &self.layer_indexes,
        };
        let derive = locator.deriver(&self.catalog, boundaries_whole);
        // Memory was made from these rows already. A row another program deleted since it
        // was read is refused: nothing is written, and the next look at the file drops it.
        let _refused_when_deleted_meanwhile = self.store.apply(&settle, &derive)?;
        Ok(())
    }
}
