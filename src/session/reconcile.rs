//! Opening a workspace that another program (QGIS) edited: the plan rows as read are made what
//! Linli would have written. Street, community, element name, area and length are derived
//! again where missing or stale, a row without a proper UUID gets one; the fixes are written
//! in one transaction (not an undo step), or kept in memory only when the file is open
//! read-only. What was found is kept as the session's notes.

use super::{Session, plan, plan_derived};
use crate::error::{Problem, Result};
use crate::model::PlanFeature;
use crate::store::{self, PlanDerived, PlanLoad};

/// True when two derived measures differ by more than rounding (relative 1e-9).
fn stale(stored: Option<f64>, derived: Option<f64>) -> bool {
    match (stored, derived) {
        (None, None) => false,
        (Some(a), Some(b)) => (a - b).abs() > 1e-9 * a.abs().max(b.abs()).max(1.0),
        _ => true,
    }
}

impl Session {
    /// Puts the plan rows read from the store into memory, mending what needs it first.
    /// `boundaries_whole` is false when a street or community row could not be read: each
    /// feature's street and community are then kept as stored, not derived from what is left.
    pub(super) fn take_plan(&mut self, load: PlanLoad, boundaries_whole: bool) -> Result<()> {
        let PlanLoad { rows, mut notes } = load;
        let mut features = Vec::with_capacity(rows.len());
        let mut fixes: Vec<(&'static str, i64, PlanFeature)> = Vec::new();
        for row in rows {
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
            let changed = row.new_id
                || name_stale
                || f.street != location.street
                || f.community != location.community
                || stale(row.area_m2, derived.area_m2)
                || stale(row.length_m, derived.length_m);
            f.street = location.street;
            f.community = location.community;
            if changed {
                fixes.push((row.table, row.fid, f.clone()));
            }
            features.push((f, row.fid));
        }
        if !fixes.is_empty() && !self.store.is_read_only() {
            let tx = self.store.begin()?;
            for (table, fid, f) in &fixes {
                let derived: PlanDerived<'_> = plan_derived(&self.catalog, f);
                store::refresh_plan_row(&tx, table, *fid, f, derived)?;
            }
            tx.commit()?;
        }
        self.plan = plan::PlanSet::from_rows(features);
        // Rows left out first: they are what the user must act on; the rest was mended.
        notes.sort_by_key(|n| !matches!(n, Problem::UnreadablePlanRow { .. }));
        self.notes = notes;
        Ok(())
    }
}
