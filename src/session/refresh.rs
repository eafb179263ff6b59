//! Picking up, while the workspace is open, what another program committed to it (QGIS
//! through GDAL, a second Linli): [`Session::refresh_if_changed`], or in three steps for a
//! window that reads off its UI thread — [`Session::outside_reader`] (one pragma: did anyone
//! else commit?), [`OutsideReader::read`] (on a worker, with its own read-only connection) and
//! [`Session::take_outside`] (back on the session's thread).
//!
//! The store's connection tells when another connection committed (`PRAGMA data_version`,
//! see `store::watch`); this session's own commits and checkpoints never move it. Then the
//! records are read again exactly as opening reads them, plan rows settled through the same
//! path (`reconcile`), and only what differs from memory is put or removed, so a rename of one
//! plan feature among 100,000 changes one map slot. To read less, every table's rows are
//! digested without decoding: a plan family or boundary layer whose digest did not move since
//! memory last agreed with the file (and this session has not written since) is not decoded.
//!
//! The undo history is kept: undo and redo already refuse to write over a row another program
//! changed since this session wrote it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use uuid::Uuid;

use super::reconcile::StoredMeasures;
use super::record_set::{Keyed, RecordSet};
use super::{Session, projects};
use crate::analysis::index::SpatialIndex;
use crate::error::Result;
use crate::model::alternative::Alternative;
use crate::model::attachment::AttachmentInfo;
use crate::model::catalog::GeometryKind;
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::setting::Setting;
use crate::model::{Layer, LayerRole, Project};
use crate::store::{self, PlanLoad, Store};

/// What [`Session::refresh_if_changed`] took in from another program's commits: how many
/// records of each kind were added, changed or removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Plan features.
    pub features: usize,
    /// Projects.
    pub projects: usize,
    /// Meetings.
    pub meetings: usize,
    /// People of the roster.
    pub people: usize,
    /// Organisations of the roster.
    pub organisations: usize,
    /// Tasks.
    pub tasks: usize,
    /// Attachments' records.
    pub attachments: usize,
    /// Workspace settings (the planner's name).
    pub settings: usize,
    /// Projects' design alternatives.
    pub alternatives: usize,
    /// Residents' inputs.
    pub inputs: usize,
    /// Merge conflicts.
    pub conflicts: usize,
    /// Layers added, removed or changed (street and community boundaries): the map rebuilds
    /// its layers, not only the changed plan slots.
    pub layers: usize,
}

impl Refreshed {
    /// Records of every kind, layers included.
    pub fn total(&self) -> usize {
        let Self {
            features,
            projects,
            meetings,
            people,
            organisations,
            tasks,
            attachments,
            settings,
            alternatives,
            inputs,
            conflicts,
            layers,
        } = *self;
        features
            + projects
            + meetings
            + people
            + organisations
            + tasks
            + attachments
            + settings
            + alternatives
            + inputs
            + conflicts
            + layers
    }
}

/// What the session knows of the file as it last agreed with it.
#[derive(Debug, Default)]
pub(super) struct Watch {
    /// This session, as readings name it.
    session: Uuid,
    /// The store's data version when memory last took in the file (`None`: never looked).
    version: Option<i64>,
    /// Digests of the in-memory layers' tables as of the file memory last agreed with: as for
    /// plan rows (see [`PlanRowDigests`]), a table whose bytes did not move holds what memory
    /// holds.
    digests: Option<BTreeMap<String, Option<u64>>>,
    /// Each plan row's digest and uuid as of the file memory last agreed with (see
    /// [`PlanRowDigests`]).
    plan_rows: Option<Arc<PlanRowDigests>>,
    /// Area and length as each plan row holds them in the file, by feature (see
    /// [`StoredMeasures`]).
    measures: StoredMeasures,
}

impl Watch {
    /// The watch of a session whose store had data version `version` before it was read.
    pub(super) fn opened(version: Option<i64>) -> Self {
        Self {
            session: Uuid::new_v4(),
            version,
            ..Self::default()
        }
    }

    /// Records the measures the plan rows hold once settled (opening settles every row).
    pub(super) fn settled_measures(&mut self, measures: StoredMeasures) {
        self.measures = measures;
    }
}

/// Each plan row's digest and uuid (as its text reads), by table and row id. A row whose bytes
/// are as they were when memory last agreed with the file holds what memory holds: memory
/// changes only with this session's own commits (which change the row's bytes, or put them back
/// as they were, with memory) and with what it takes in. So only rows whose digest moved are
/// decoded, compared and settled, whoever wrote them.
type PlanRowDigests = HashMap<(&'static str, i64), (u64, Option<Uuid>)>;

/// The plan tables, in the order the store reads them.
fn plan_tables() -> [&'static str; 3] {
    [
        GeometryKind::Point,
        GeometryKind::Line,
        GeometryKind::Polygon,
    ]
    .map(|k| store::plan_table(k).0)
}

/// What to read of the file to take in other programs' commits, and where memory stood: made
/// by [`Session::outside_reader`] on the session's thread, read by [`OutsideReader::read`] on
/// any thread (the window's worker), with a read-only connection of its own, so the UI thread
/// never waits for 100,000 plan rows to be read and decoded.
#[derive(Debug, Clone)]
pub struct OutsideReader {
    /// The session it was made for (a reading is never taken into another).
    session: Uuid,
    path: PathBuf,
    /// How the worker opens it ([`Store::reader_uri`]).
    uri: String,
    /// The session store's data version when asked: the reading holds at least that.
    version: i64,
    /// The session store's own change count when asked: if it moves before the reading is
    /// taken in, the reading may be older than memory and is dropped.
    own_changes: u64,
    /// The boundary tables' digests memory agrees with.
    known: Option<BTreeMap<String, Option<u64>>>,
    /// The plan rows' digests memory agrees with.
    known_rows: Option<Arc<PlanRowDigests>>,
    /// Nobody else committed: only the plan rows' digests are to be taken, for the next look
    /// to compare with (the first look after opening).
    digests_only: bool,
    /// The layers memory holds (name, role key), and which of them are in memory.
    layer_list: Vec<(String, String)>,
    boundary_tables: Vec<String>,
}

/// What an [`OutsideReader`] read, under one snapshot; [`Session::take_outside`] takes it in.
#[derive(Debug)]
pub struct OutsideReading {
    session: Uuid,
    version: i64,
    own_changes: u64,
    digests_only: bool,
    digests: BTreeMap<String, Option<u64>>,
    plan_rows: PlanRowDigests,
    /// The layers, when their list or a boundary table moved, and whether every boundary row
    /// could be read.
    layers: Option<(Vec<Layer>, bool)>,
    /// The plan rows whose digest moved (every row when `plan_whole`), when any did.
    plan: Option<PlanLoad>,
    /// True when `plan` holds every row: features not in it are gone.
    plan_whole: bool,
    /// The features whose rows are gone, when `plan` holds only the moved rows.
    plan_gone: Vec<Uuid>,
    projects: Vec<(Project, i64)>,
    meetings: Vec<(Meeting, i64)>,
    people: Vec<(Person, i64)>,
    organisations: Vec<(Organisation, i64)>,
    tasks: Vec<(Task, i64)>,
    attachments: Vec<(AttachmentInfo, i64)>,
    settings: Vec<(Setting, i64)>,
    alternatives: Vec<(Alternative, i64)>,
    inputs: Vec<(crate::model::input::ResidentInput, i64)>,
    conflicts: Vec<(crate::model::sync::MergeConflict, i64)>,
}

impl OutsideReader {
    /// Reads what changed through a read-only connection of its own (see
    /// [`Store::reader_uri`]): for a worker thread.
    pub fn read(self) -> Result<OutsideReading> {
        let store = Store::open_reader(&self.path, &self.uri)?;
        self.read_from(&store)
    }

    /// Reads, under one snapshot of `store`, what changed since memory last agreed with the
    /// file: every table digested without decoding, then only the families whose digest
    /// moved (plan, boundaries) decoded; the other records, few, always.
    fn read_from(self, store: &Store) -> Result<OutsideReading> {
        let snapshot = store.read_snapshot()?;
        let mut plan_rows = PlanRowDigests::new();
        for table in plan_tables() {
            for (fid, digest, uuid) in store.row_digests(table)? {
                let uuid = uuid.and_then(|u| Uuid::parse_str(u.trim()).ok());
                plan_rows.insert((table, fid), (digest, uuid));
            }
        }
        let mut reading = OutsideReading {
            session: self.session,
            version: self.version,
            own_changes: self.own_changes,
            digests_only: self.digests_only,
            digests: BTreeMap::new(),
            plan_rows,
            layers: None,
            plan: None,
            plan_whole: false,
            plan_gone: Vec::new(),
            projects: Vec::new(),
            meetings: Vec::new(),
            people: Vec::new(),
            organisations: Vec::new(),
            tasks: Vec::new(),
            attachments: Vec::new(),
            settings: Vec::new(),
            alternatives: Vec::new(),
            inputs: Vec::new(),
            conflicts: Vec::new(),
        };
        for table in &self.boundary_tables {
            let digest = store.table_digest(table)?;
            reading.digests.insert(table.clone(), digest);
        }
        if self.digests_only {
            return Ok(reading);
        }
        let known = self.known.as_ref();
        let moved =
            |table: &String| known.is_none_or(|k| k.get(table) != reading.digests.get(table));
        let list: Vec<(String, String)> = store
            .layer_list()?
            .into_iter()
            .filter(|(_, role)| LayerRole::from_key(role) != Some(LayerRole::Plan))
            .collect();
        if list != self.layer_list || self.boundary_tables.iter().any(moved) {
            reading.layers = Some(read_layers(store)?);
        }
        // Which plan rows moved, and which are gone, since memory agreed with the file.
        let changed: HashSet<(&'static str, i64)> = reading
            .plan_rows
            .iter()
            .filter(|(key, (digest, _))| {
                self.known_rows
                    .as_ref()
                    .is_none_or(|known| known.get(*key).map(|k| k.0) != Some(*digest))
            })
            .map(|(key, _)| *key)
            .collect();
        reading.plan_whole = self.known_rows.is_none() || reading.layers.is_some();
        if let Some(known) = &self.known_rows {
            reading.plan_gone = known
                .iter()
                .filter(|(key, _)| !reading.plan_rows.contains_key(*key))
                .filter_map(|(_, (_, uuid))| *uuid)
                .collect();
        }
        if reading.plan_whole || !changed.is_empty() {
            // The plan store reads every row (it decodes them all: the worker's time, not the
            // window's); only the moved ones go back.
            let mut load = store.read_plan()?;
            if !reading.plan_whole {
                load.rows.retain(|r| changed.contains(&(r.table, r.fid)));
            }
            reading.plan = Some(load);
        }
        reading.projects = store.read_projects()?.0;
        reading.meetings = store.meeting_rows()?.0;
        reading.people = store.roster_rows()?.0;
        reading.organisations = store.roster_rows()?.0;
        reading.tasks = store.roster_rows()?.0;
        reading.attachments = store.attachment_rows()?.0;
        reading.settings = <Setting as crate::store::Table>::read(store, None)?.0;
        reading.alternatives = store.alternative_rows()?.0;
        reading.inputs = store.input_rows(None)?.0;
        reading.conflicts = store.conflict_rows()?.0;
        drop(snapshot);
        Ok(reading)
    }
}

/// Reference, street and community layers as opening reads them, and whether every boundary
/// row could be read.
fn read_layers(store: &Store) -> Result<(Vec<Layer>, bool)> {
    let (layers, notes) = super::read_layers(store, &store.layers()?)?;
    Ok((layers, notes.is_empty()))
}

impl Session {
    /// Takes in what another program committed to the workspace since this session last
    /// looked, and says what changed (`None`: nothing differs from memory), reading on this
    /// thread with the session's own connection: [`Session::outside_reader`],
    /// [`OutsideReader::read`] and [`Session::take_outside`] in one (the window reads on a
    /// worker instead). When nobody else committed it costs one pragma (the first call after
    /// opening also takes the rows' digests: see [`Session::outside_reader`]).
    pub fn refresh_if_changed(&mut self) -> Result<Option<Refreshed>> {
        let Some(reader) = self.outside_reader()? else {
            return Ok(None);
        };
        let reading = reader.read_from(&self.store)?;
        self.take_outside(reading)
    }

    /// What to read when another connection committed to the file since memory last agreed
    /// with it (`None`: nobody did; one pragma, cheap enough for every idle tick). The first
    /// look after opening reads, even when nobody committed, the plan rows' digests only, so
    /// the next change elsewhere is compared row by row, not with every feature.
    pub fn outside_reader(&self) -> Result<Option<OutsideReader>> {
        let version = self.store.data_version()?;
        let digests_only = self.outside.version == Some(version);
        if digests_only && self.outside.plan_rows.is_some() {
            return Ok(None);
        }
        let own_changes = self.store.own_changes();
        let known = self.outside.digests.clone();
        Ok(Some(OutsideReader {
            session: self.outside.session,
            path: self.store.path().to_path_buf(),
            uri: self.store.reader_uri(),
            version,
            own_changes,
            known,
            known_rows: self.outside.plan_rows.clone(),
            digests_only,
            layer_list: self
                .layers
                .iter()
                .map(|l| (l.name.clone(), l.role.key().to_string()))
                .collect(),
            boundary_tables: self
                .layers
                .iter()
                .filter(|l| l.stored.is_none())
                .map(|l| l.name.clone())
                .collect(),
        }))
    }

    /// Takes in what an [`OutsideReader`] read: records are put through opening's path —
    /// plan rows mended, their street, community, element name, area and length derived again
    /// — and only those that differ from memory are replaced, added or removed. The revision
    /// moves when anything did; the plan's change log lists the changed slots, so views update
    /// only those. `None` when nothing differs, and when the reading is not for this session
    /// or this session wrote since it was asked for (it may be older than memory: dropped, and
    /// the next look reads again).
    pub fn take_outside(&mut self, reading: OutsideReading) -> Result<Option<Refreshed>> {
        if reading.session != self.outside.session
            || reading.own_changes != self.store.own_changes()
        {
            return Ok(None);
        }
        if reading.digests_only {
            // Memory agrees with those digests only if nobody committed since they were asked
            // for (a commit before the reader's snapshot moves the version too).
            if self.store.data_version()? == reading.version {
                self.outside.plan_rows = Some(Arc::new(reading.plan_rows));
                self.outside.digests = Some(reading.digests);
            }
            return Ok(None);
        }
        let refreshed = self.take_outside_changes(reading)?;
        Ok((refreshed.total() > 0).then_some(refreshed))
    }

    /// Puts what was read into memory, only where it differs.
    fn take_outside_changes(&mut self, reading: OutsideReading) -> Result<Refreshed> {
        let OutsideReading {
            session: _,
            version,
            own_changes: _,
            digests_only: _,
            digests,
            plan_rows,
            layers,
            plan,
            plan_whole,
            plan_gone,
            projects,
            meetings,
            people,
            organisations,
            tasks,
            attachments,
            settings,
            alternatives,
            inputs,
            conflicts,
        } = reading;
        let mut refreshed = Refreshed::default();
        let layers = layers.filter(|(layers, _)| *layers != self.layers);
        let boundaries_whole = match layers {
            Some((layers, whole)) => {
                refreshed.layers = layers.len().abs_diff(self.layers.len()).max(1);
                self.take_layers(layers)?;
                whole
            }
            None => true,
        };
        let rederive_all = refreshed.layers > 0;
        let mut slots = Vec::new();
        if plan.is_some() || !plan_gone.is_empty() {
            let gone = if plan_whole { None } else { Some(plan_gone) };
            let load = plan.unwrap_or_default();
            slots = self.take_plan_changes(load, gone, boundaries_whole, rederive_all)?;
            refreshed.features = slots.len();
        }
        refreshed.projects = sync(&mut self.projects, projects);
        refreshed.meetings = sync(&mut self.meetings, meetings);
        refreshed.people = sync(&mut self.people, people);
        refreshed.organisations = sync(&mut self.organisations, organisations);
        refreshed.tasks = sync(&mut self.tasks, tasks);
        refreshed.attachments = sync(&mut self.attachments, attachments);
        refreshed.settings = sync(&mut self.settings, settings);
        refreshed.alternatives = sync(&mut self.alternatives, alternatives);
        refreshed.inputs = sync(&mut self.inputs, inputs);
        refreshed.conflicts = sync(&mut self.conflicts, conflicts);
        // Memory now agrees with the file as of the reading. The digests stay valid until
        // this session writes (the mends above included: then the next look reads the plan).
        self.outside.version = Some(version);
        self.outside.digests = Some(digests);
        self.outside.plan_rows = Some(Arc::new(plan_rows));
        if refreshed.total() > 0 {
            // The plan's slots when only records changed, else `None`: the views rebuild.
            let plan_only = (refreshed.layers == 0).then_some(slots);
            if refreshed.alternatives > 0 {
                // What counts as the plan moved: every view and summary is made again.
                self.record_change(None);
            } else if refreshed.features + refreshed.projects > 0 {
                self.record_change(plan_only);
            } else {
                self.bump_revision(plan_only);
            }
        }
        Ok(refreshed)
    }

    /// Replaces the layers and their R-trees, bringing new reference layers' pyramids up to
    /// date as opening does.
    fn take_layers(&mut self, layers: Vec<Layer>) -> Result<()> {
        if !self.store.is_read_only() {
            let stored: Vec<String> = layers
                .iter()
                .filter(|l| l.stored.is_some())
                .map(|l| l.name.clone())
                .collect();
            self.store.refresh_pyramids(&stored)?;
        }
        self.layer_indexes = layers
            .iter()
            .map(|l| SpatialIndex::build(l.features.iter().map(|f| &f.geometry)))
            .collect();
        self.layers = layers;
        Ok(())
    }

    /// Puts the plan rows that differ from memory (every row when `rederive_all`: the
    /// boundaries changed) through opening's path, removes the features no longer in the file
    /// (`gone`, or when `None` every feature `load`, then every row, does not hold), and
    /// returns the slots that changed.
    fn take_plan_changes(
        &mut self,
        load: PlanLoad,
        gone: Option<Vec<Uuid>>,
        boundaries_whole: bool,
        rederive_all: bool,
    ) -> Result<Vec<usize>> {
        let PlanLoad { rows, notes: _ } = load;
        let mut notes = Vec::new();
        let mut in_file = HashSet::with_capacity(rows.len());
        let mut settled = Vec::new();
        for row in rows {
            let id = row.feature.feature.id;
            in_file.insert(id);
            let element_name = self
                .catalog
                .get(&row.feature.element)
                .map_or("", |e| e.name_zh.as_str());
            let unchanged = !rederive_all
                && !row.new_id
                && self.plan.row(id) == Some(row.fid)
                && self.plan.get(id) == Some(&row.feature)
                && row.element_name.as_deref().unwrap_or("") == element_name
                && self.outside.measures.get(&id) == Some(&(row.area_m2, row.length_m));
            if !unchanged {
                settled.push(self.settle_plan_row(row, boundaries_whole, &mut notes));
            }
        }
        self.mend_plan_rows(settled.iter().filter(|s| s.fix), boundaries_whole)?;
        // A row gone from one table whose feature is among the rows read moved to another.
        let gone: Vec<Uuid> = match gone {
            Some(gone) => gone
                .into_iter()
                .filter(|id| !in_file.contains(id) && self.plan.get(*id).is_some())
                .collect(),
            None => self
                .plan
                .features()
                .iter()
                .map(|f| f.feature.id)
                .filter(|id| !in_file.contains(id))
                .collect(),
        };
        let mut slots = Vec::new();
        for id in gone {
            self.outside.measures.remove(&id);
            slots.extend(self.plan.remove(id));
        }
        for s in settled {
            let id = s.feature.feature.id;
            self.outside.measures.insert(id, s.measures);
            let same = self.plan.row(id) == Some(s.fid) && self.plan.get(id) == Some(&s.feature);
            if !same {
                slots.push(self.plan.put(s.feature, s.fid));
            }
        }
        slots.sort_unstable();
        slots.dedup();
        Ok(slots)
    }
}

/// A record set as refresh sees it: records by id with their row ids.
trait Mirror {
    type Record: PartialEq;
    fn id_of(record: &Self::Record) -> Uuid;
    fn get_record(&self, id: Uuid) -> Option<&Self::Record>;
    fn row_of(&self, id: Uuid) -> Option<i64>;
    fn ids(&self) -> Vec<Uuid>;
    fn put_record(&mut self, record: Self::Record, row: i64);
    fn remove_record(&mut self, id: Uuid);
}

/// Makes `set` hold `rows` (as read), touching only records that differ; returns how many
/// were added, changed or removed.
fn sync<S: Mirror>(set: &mut S, rows: Vec<(S::Record, i64)>) -> usize {
    let mut in_file = HashSet::with_capacity(rows.len());
    let mut changed = 0;
    for (record, row) in rows {
        let id = S::id_of(&record);
        in_file.insert(id);
        if set.get_record(id) != Some(&record) || set.row_of(id) != Some(row) {
            set.put_record(record, row);
            changed += 1;
        }
    }
    for id in set.ids() {
        if !in_file.contains(&id) {
            set.remove_record(id);
            changed += 1;
        }
    }
    changed
}

/// [`Mirror`] for a set with `get`, `row`, `put` and `remove` by id; `$ids` lists its ids.
macro_rules! mirror {
    ($set:ty, $record:ty, $ids:expr) => {
        impl Mirror for $set {
            type Record = $record;
            fn id_of(record: &$record) -> Uuid {
                record.id
            }
            fn get_record(&self, id: Uuid) -> Option<&$record> {
                self.get(id)
            }
            fn row_of(&self, id: Uuid) -> Option<i64> {
                self.row(id)
            }
            fn ids(&self) -> Vec<Uuid> {
                $ids(self)
            }
            fn put_record(&mut self, record: $record, row: i64) {
                self.put(record, row);
            }
            fn remove_record(&mut self, id: Uuid) {
                self.remove(id);
            }
        }
    };
}

mirror!(
    super::inputs::InputSet,
    crate::model::input::ResidentInput,
    super::inputs::InputSet::ids
);
mirror!(projects::ProjectSet, Project, |s: &Self| s
    .by_code()
    .values()
    .map(|p| p.id)
    .collect());
impl<T: Keyed + PartialEq> Mirror for RecordSet<T> {
    type Record = T;
    fn id_of(record: &T) -> Uuid {
        record.key()
    }
    fn get_record(&self, id: Uuid) -> Option<&T> {
        self.get(id)
    }
    fn row_of(&self, id: Uuid) -> Option<i64> {
        self.row(id)
    }
    fn ids(&self) -> Vec<Uuid> {
        self.all().map(Keyed::key).collect()
    }
    fn put_record(&mut self, record: T, row: i64) {
        self.put(record, row);
    }
    fn remove_record(&mut self, id: Uuid) {
        self.remove(id);
    }
}
