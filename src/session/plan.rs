//! The plan features held in memory: a slot vector with an id map, the row ids of the store
//! and an R-tree, all updated per feature so an edit costs O(log n), not a rebuild.

use std::collections::HashMap;

use uuid::Uuid;

use crate::analysis::index::{BoxLonLat, SpatialIndex};
use crate::model::PlanFeature;

/// The plan features of a session.
///
/// Features live in slots (`0..len`); a deleted feature's slot is taken by the last one, so
/// removal is O(1) and every slot stays filled. Views key their caches by slot and learn which
/// slots changed from the session's change log.
#[derive(Debug, Default)]
pub(crate) struct PlanSet {
    features: Vec<PlanFeature>,
    /// Slot of each feature, by id.
    slot_of: HashMap<Uuid, usize>,
    /// Row id of each feature in its plan table, so undo can put a row back as it was.
    rows: HashMap<Uuid, i64>,
    /// R-tree over the slots' bounding boxes.
    index: SpatialIndex,
}

impl super::record_set::Keeps<PlanFeature> for PlanSet {
    fn label(&self, id: Uuid) -> Option<String> {
        self.get(id).map(crate::model::Record::label)
    }
    fn keep(&mut self, f: PlanFeature, row: i64) -> Option<usize> {
        Some(self.put(f, row))
    }
    fn forget(&mut self, id: Uuid) -> Option<usize> {
        self.remove(id)
    }
}

impl PlanSet {
    /// Builds the set from the store's rows, indexing them in bulk.
    pub(crate) fn from_rows(rows: Vec<(PlanFeature, i64)>) -> Self {
        let (features, row_ids): (Vec<PlanFeature>, Vec<i64>) = rows.into_iter().unzip();
        let slot_of = features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.feature.id, i))
            .collect();
        let rows = features.iter().map(|f| f.feature.id).zip(row_ids).collect();
        let index = SpatialIndex::build(features.iter().map(|f| &f.feature.geometry));
        Self {
            features,
            slot_of,
            rows,
            index,
        }
    }

    /// Every feature, by slot.
    pub(crate) fn features(&self) -> &[PlanFeature] {
        &self.features
    }

    /// Number of features.
    pub(crate) fn len(&self) -> usize {
        self.features.len()
    }

    /// The feature with this id (O(1)).
    pub(crate) fn get(&self, id: Uuid) -> Option<&PlanFeature> {
        self.features.get(*self.slot_of.get(&id)?)
    }

    /// The slot of the feature with this id (O(1)).
    pub(crate) fn slot(&self, id: Uuid) -> Option<usize> {
        self.slot_of.get(&id).copied()
    }

    /// The feature's row id in its plan table.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.rows.get(&id).copied()
    }

    /// Inserts or replaces a feature (by its id) stored in row `row`; returns its slot.
    pub(crate) fn put(&mut self, feature: PlanFeature, row: i64) -> usize {
        let id = feature.feature.id;
        self.rows.insert(id, row);
        match self.slot_of.get(&id).copied() {
            Some(slot) => {
                self.index
                    .remove(slot, &self.features[slot].feature.geometry);
                self.index.insert(slot, &feature.feature.geometry);
                self.features[slot] = feature;
                slot
            }
            None => {
                let slot = self.features.len();
                self.index.insert(slot, &feature.feature.geometry);
                self.features.push(feature);
                self.slot_of.insert(id, slot);
                slot
            }
        }
    }

    /// Appends new features (an import) and returns their slots. A large batch rebuilds the
    /// R-tree in bulk, which is faster than inserting one by one.
    pub(crate) fn extend(
        &mut self,
        new: impl IntoIterator<Item = (PlanFeature, i64)>,
    ) -> Vec<usize> {
        let start = self.features.len();
        for (feature, row) in new {
            let id = feature.feature.id;
            self.rows.insert(id, row);
            self.slot_of.insert(id, self.features.len());
            self.features.push(feature);
        }
        let added = self.features.len() - start;
        if added > 1000 && added > start / 4 {
            self.index = SpatialIndex::build(self.features.iter().map(|f| &f.feature.geometry));
        } else {
            for slot in start..self.features.len() {
                self.index
                    .insert(slot, &self.features[slot].feature.geometry);
            }
        }
        (start..self.features.len()).collect()
    }

    /// Removes a feature; returns the slot it left (now holding the former last feature, or
    /// past the end when it was the last).
    pub(crate) fn remove(&mut self, id: Uuid) -> Option<usize> {
        let slot = self.slot_of.remove(&id)?;
        self.rows.remove(&id);
        let last = self.features.len() - 1;
        self.index
            .remove(slot, &self.features[slot].feature.geometry);
        if slot != last {
            self.index
                .remove(last, &self.features[last].feature.geometry);
        }
        self.features.swap_remove(slot);
        if slot != last {
            let moved = &self.features[slot];
            self.slot_of.insert(moved.feature.id, slot);
            self.index.insert(slot, &moved.feature.geometry);
        }
        Some(slot)
    }

    /// Slots of the features meeting the box, ascending.
    pub(crate) fn in_box(&self, area: BoxLonLat) -> Vec<usize> {
        self.index.in_box(self.geometry_of(), area)
    }

    /// The slot of the feature nearest to a point.
    pub(crate) fn nearest(&self, lon: f64, lat: f64) -> Option<usize> {
        self.index
            .nearest(self.geometry_of(), lon, lat)
            .map(|(i, _)| i)
    }

    fn geometry_of<'a>(&'a self) -> impl Fn(usize) -> Option<&'a geo::Geometry<f64>> + 'a {
        |i| self.features.get(i).map(|f| &f.feature.geometry)
    }

    /// True when the id map, rows and index agree with the slots (tests and debug checks).
    #[cfg(test)]
    pub(crate) fn is_consistent(&self) -> bool {
        self.features.len() == self.slot_of.len()
            && self.features.len() == self.rows.len()
            && self
                .features
                .iter()
                .enumerate()
                .all(|(i, f)| self.slot_of.get(&f.feature.id) == Some(&i))
            && self.index.len()
                == self
                    .features
                    .iter()
                    .filter(|f| BoxLonLat::of(&f.feature.geometry).is_some())
                    .count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::Feature;

    fn feature(x: f64) -> PlanFeature {
        PlanFeature {
            feature: Feature {
                id: Uuid::new_v4(),
                name: String::new(),
                geometry: geo::Geometry::Point(geo::Point::new(x, 0.0)),
                properties: Default::default(),
            },
            element: "public_facility".into(),
            project: None,
            alternative: None,
            street: None,
            community: None,
        }
    }

    #[test]
    fn slots_ids_and_index_stay_in_step() {
        let mut set = PlanSet::default();
        let ids: Vec<Uuid> = (0..20)
            .map(|i| {
                let f = feature(f64::from(i));
                let id = f.feature.id;
                set.put(f, i64::from(i) + 1);
                id
            })
            .collect();
        assert!(set.is_consistent());
        // Delete from the front, the middle and the end; move one.
        for id in [ids[0], ids[7], ids[19]] {
            set.remove(id).unwrap();
            assert!(set.is_consistent());
            assert!(set.get(id).is_none());
        }
        let mut moved = set.get(ids[5]).unwrap().clone();
        moved.feature.geometry = geo::Geometry::Point(geo::Point::new(100.0, 0.0));
        let slot = set.put(moved, 6);
        assert_eq!(set.slot(ids[5]), Some(slot));
        assert!(set.is_consistent());
        assert_eq!(set.nearest(99.0, 0.0), Some(slot));
        let around = BoxLonLat {
            min_lon: 2.5,
            min_lat: -1.0,
            max_lon: 4.5,
            max_lat: 1.0,
        };
        let found: Vec<Uuid> = set
            .in_box(around)
            .into_iter()
            .map(|i| set.features()[i].feature.id)
            .collect();
        assert_eq!(found.len(), 2);
        assert!(found.contains(&ids[3]) && found.contains(&ids[4]));
    }
}
