//! Editing plan features, with unlimited undo and redo.
//!
//! An [`Edit`] is plain data: the UI builds one (at the end of a click or a drag, so one drag
//! is one step) and hands it to [`Session::apply`]. Every applied edit is written to the
//! workspace in one transaction before `apply` returns — nothing the UI shows as done can be
//! lost — and recorded as the before and after state of each feature it touched. Undo writes
//! the before states back, redo the after states, each again in one transaction, and a feature
//! comes back into the row it had, so undoing to the start restores the workspace's content
//! exactly. Street and community are derived from the geometry whenever a feature is written.

use serde_json::Value;
use uuid::Uuid;

use crate::analysis::index::SpatialIndex;
use crate::error::{Error, Result};
use crate::model::{Feature, PlanFeature, Properties};
use crate::session::{Session, plan_derived};
use crate::store;

/// A new plan feature, as a draw tool makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeature {
    /// Its id (the caller makes it, so it can select the feature right away).
    pub id: Uuid,
    /// Element type key.
    pub element: String,
    /// WGS84 lon/lat geometry.
    pub geometry: geo::Geometry<f64>,
    /// Name, may be empty.
    pub name: String,
    /// Free properties.
    pub properties: Properties,
    /// Project code, if linked.
    pub project: Option<String>,
}

/// One user action on the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Draw a new feature.
    Add(NewFeature),
    /// Delete a feature.
    Delete(Uuid),
    /// Replace a feature's geometry: a move, a vertex moved, inserted or deleted.
    SetGeometry {
        /// The feature.
        id: Uuid,
        /// Its new geometry, WGS84 lon/lat.
        geometry: geo::Geometry<f64>,
    },
    /// Change a feature's element type.
    SetElement {
        /// The feature.
        id: Uuid,
        /// The new element type key.
        element: String,
    },
    /// Rename a feature.
    SetName {
        /// The feature.
        id: Uuid,
        /// The new name.
        name: String,
    },
    /// Link a feature to a project, or unlink it.
    SetProject {
        /// The feature.
        id: Uuid,
        /// The project code, or `None` to unlink.
        project: Option<String>,
    },
    /// Set (or with `None`, remove) one free property.
    SetProperty {
        /// The feature.
        id: Uuid,
        /// Property key.
        key: String,
        /// New value.
        value: Option<Value>,
    },
    /// Copy a feature, shifted.
    Duplicate {
        /// The feature to copy.
        id: Uuid,
        /// The copy's id.
        new_id: Uuid,
        /// Shift east, degrees of longitude.
        offset_lon: f64,
        /// Shift north, degrees of latitude.
        offset_lat: f64,
    },
}

impl Edit {
    /// The feature the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            Edit::Add(f) => f.id,
            Edit::Delete(id)
            | Edit::SetGeometry { id, .. }
            | Edit::SetElement { id, .. }
            | Edit::SetName { id, .. }
            | Edit::SetProject { id, .. }
            | Edit::SetProperty { id, .. } => *id,
            Edit::Duplicate { new_id, .. } => *new_id,
        }
    }
}

/// A feature's stored state: the feature and its row id.
type State = Option<(PlanFeature, i64)>;

#[derive(Debug, Clone)]
struct Change {
    id: Uuid,
    before: State,
    after: State,
}

#[derive(Debug, Clone)]
struct Step {
    changes: Vec<Change>,
}

/// The undo and redo stacks of a session (unlimited depth; gone when the session closes).
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Session {
    /// The plan feature with this id.
    pub fn plan_feature(&self, id: Uuid) -> Option<&PlanFeature> {
        self.plan.iter().find(|f| f.feature.id == id)
    }

    /// True when there is an edit to undo.
    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    /// True when there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    /// Applies an edit: validated, written in one transaction, then recorded for undo.
    /// On error nothing changes, in the workspace or in memory.
    pub fn apply(&mut self, edit: Edit) -> Result<Uuid> {
        let target = edit.target();
        let change = self.change_for(edit)?;
        let written = self.write_states(&[(change.id, change.after.clone())])?;
        let after = written.into_iter().next().and_then(|(_, s)| s);
        self.history.undo.push(Step {
            changes: vec![Change { after, ..change }],
        });
        self.history.redo.clear();
        Ok(target)
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> Result<bool> {
        self.travel(true)
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> Result<bool> {
        self.travel(false)
    }

    /// Moves one step back (undo: writes the before states, last change first) or forward
    /// (redo: the after states). A step whose write fails stays where it was.
    fn travel(&mut self, back: bool) -> Result<bool> {
        let popped = if back {
            self.history.undo.pop()
        } else {
            self.history.redo.pop()
        };
        let Some(step) = popped else {
            return Ok(false);
        };
        let states: Vec<(Uuid, State)> = if back {
            step.changes
                .iter()
                .rev()
                .map(|c| (c.id, c.before.clone()))
                .collect()
        } else {
            step.changes
                .iter()
                .map(|c| (c.id, c.after.clone()))
                .collect()
        };
        let result = self.write_states(&states);
        let (done, pending) = if back {
            (&mut self.history.redo, &mut self.history.undo)
        } else {
            (&mut self.history.undo, &mut self.history.redo)
        };
        match result {
            Ok(_) => {
                done.push(step);
                Ok(true)
            }
            Err(e) => {
                pending.push(step);
                Err(e)
            }
        }
    }

    fn current_state(&self, id: Uuid) -> State {
        let f = self.plan_feature(id)?;
        Some((f.clone(), *self.plan_rows.get(&id)?))
    }

    fn existing(&self, id: Uuid) -> Result<PlanFeature> {
        self.plan_feature(id)
            .cloned()
            .ok_or_else(|| Error::Invalid(format!("no plan feature {id}")))
    }

    /// The before and after state of the feature an edit touches, validated.
    fn change_for(&self, edit: Edit) -> Result<Change> {
        let (id, after) = match edit {
            Edit::Add(new) => {
                if self.plan_feature(new.id).is_some() {
                    return Err(Error::Invalid(format!(
                        "a plan feature {} already exists",
                        new.id
                    )));
                }
                let feature = PlanFeature {
                    feature: Feature {
                        id: new.id,
                        name: new.name,
                        geometry: new.geometry,
                        properties: new.properties,
                    },
                    element: new.element,
                    project: new.project,
                    street: None,
                    community: None,
                };
                (new.id, Some(feature))
            }
            Edit::Delete(id) => {
                self.existing(id)?;
                (id, None)
            }
            Edit::SetGeometry { id, geometry } => {
                let mut f = self.existing(id)?;
                f.feature.geometry = geometry;
                (id, Some(f))
            }
            Edit::SetElement { id, element } => {
                let mut f = self.existing(id)?;
                f.element = element;
                (id, Some(f))
            }
            Edit::SetName { id, name } => {
                let mut f = self.existing(id)?;
                f.feature.name = name;
                (id, Some(f))
            }
            Edit::SetProject { id, project } => {
                let mut f = self.existing(id)?;
                if let Some(code) = &project
                    && !self.projects().contains_key(code)
                {
                    return Err(Error::Invalid(format!("no project with code {code:?}")));
                }
                f.project = project;
                (id, Some(f))
            }
            Edit::SetProperty { id, key, value } => {
                let mut f = self.existing(id)?;
                match value {
                    Some(v) => {
                        f.feature.properties.insert(key, v);
                    }
                    None => {
                        f.feature.properties.shift_remove(&key);
                    }
                }
                (id, Some(f))
            }
            Edit::Duplicate {
                id,
                new_id,
                offset_lon,
                offset_lat,
            } => {
                use geo::Translate;
                if self.plan_feature(new_id).is_some() {
                    return Err(Error::Invalid(format!(
                        "a plan feature {new_id} already exists"
                    )));
                }
                let mut f = self.existing(id)?;
                f.feature.id = new_id;
                f.feature.geometry = f.feature.geometry.translate(offset_lon, offset_lat);
                (new_id, Some(f))
            }
        };
        if let Some(f) = &after {
            self.validate(f)?;
        }
        Ok(Change {
            id,
            before: self.current_state(id),
            after: after.map(|f| (f, 0)),
        })
    }

    fn validate(&self, f: &PlanFeature) -> Result<()> {
        let element = self.catalog.get(&f.element).ok_or_else(|| {
            Error::Invalid(format!(
                "element type {:?} is not in the catalog",
                f.element
            ))
        })?;
        validate_geometry(&f.feature.geometry).map_err(Error::Invalid)?;
        let kind = f.kind().ok_or_else(|| {
            Error::Invalid("a plan feature is points, lines or polygons, not a mix".into())
        })?;
        if !element.allowed.contains(&kind) {
            return Err(Error::Invalid(format!(
                "{} ({}) cannot be drawn as a {}",
                element.name_zh,
                element.key,
                kind.key()
            )));
        }
        Ok(())
    }

    /// Writes feature states in one transaction (re-deriving street and community), then
    /// updates memory. `Some((f, row))` puts `f` into row `row` when it has to be inserted (a
    /// row of 0 means "a new row"); `None` deletes. Returns the states as written.
    fn write_states(&mut self, states: &[(Uuid, State)]) -> Result<Vec<(Uuid, State)>> {
        let mut written = Vec::with_capacity(states.len());
        // Decide each row before the transaction borrows the store: a recorded row, else the
        // current row when the feature stays in the same plan table, else a new row.
        let located: Vec<(Uuid, State)> = states
            .iter()
            .map(|(id, state)| {
                let state = state.clone().map(|(mut f, row)| {
                    let location = self.locate_geometry(&f.feature.geometry);
                    f.street = location.street;
                    f.community = location.community;
                    let same_kind = self.plan_feature(*id).and_then(PlanFeature::kind) == f.kind();
                    let current = self.plan_rows.get(id).copied().filter(|_| same_kind);
                    let row = if row > 0 { row } else { current.unwrap_or(0) };
                    (f, row)
                });
                (*id, state)
            })
            .collect();
        let tx = self.store.begin()?;
        for (id, state) in &located {
            match state {
                Some((f, row)) => {
                    let fid = (*row > 0).then_some(*row);
                    let row =
                        store::write_plan_feature(&tx, f, plan_derived(&self.catalog, f), fid)?;
                    written.push((*id, Some((f.clone(), row))));
                }
                None => {
                    store::delete_plan_feature(&tx, *id)?;
                    written.push((*id, None));
                }
            }
        }
        store::refresh_plan_extents(&tx)?;
        tx.commit()?;
        for (id, state) in &written {
            let position = self.plan.iter().position(|f| f.feature.id == *id);
            match (state, position) {
                (Some((f, row)), Some(i)) => {
                    self.plan[i] = f.clone();
                    self.plan_rows.insert(*id, *row);
                }
                (Some((f, row)), None) => {
                    self.plan.push(f.clone());
                    self.plan_rows.insert(*id, *row);
                }
                (None, Some(i)) => {
                    self.plan.remove(i);
                    self.plan_rows.remove(id);
                }
                (None, None) => {}
            }
        }
        self.plan_index = SpatialIndex::build(self.plan.iter().map(|f| &f.feature.geometry));
        self.revision += 1;
        Ok(written)
    }
}

/// Checks that a geometry can be a plan feature: finite lon/lat degrees, lines of at least two
/// positions, closed rings of at least four.
pub fn validate_geometry(geometry: &geo::Geometry<f64>) -> Result<(), String> {
    use geo::{CoordsIter, Geometry as G};
    for c in geometry.coords_iter() {
        if !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0) {
            return Err(format!("({}, {}) is not a lon/lat position", c.x, c.y));
        }
    }
    let line_ok = |l: &geo::LineString<f64>| l.0.len() >= 2;
    let ring_ok = |l: &geo::LineString<f64>| l.0.len() >= 4 && l.is_closed();
    let polygon_ok =
        |p: &geo::Polygon<f64>| ring_ok(p.exterior()) && p.interiors().iter().all(ring_ok);
    let ok = match geometry {
        G::Point(_) | G::Line(_) | G::Rect(_) | G::Triangle(_) => true,
        G::MultiPoint(m) => !m.0.is_empty(),
        G::LineString(l) => line_ok(l),
        G::MultiLineString(m) => !m.0.is_empty() && m.0.iter().all(line_ok),
        G::Polygon(p) => polygon_ok(p),
        G::MultiPolygon(m) => !m.0.is_empty() && m.0.iter().all(polygon_ok),
        G::GeometryCollection(gc) => {
            !gc.0.is_empty() && gc.0.iter().all(|g| validate_geometry(g).is_ok())
        }
    };
    if ok {
        Ok(())
    } else {
        Err("a line needs two positions and a polygon a closed ring of at least four".into())
    }
}
