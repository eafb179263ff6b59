//! [`Problem`]: every kind of thing that can go wrong, with its parameters, as data (the words
//! are in `i18n::errors`).

use std::path::PathBuf;

use super::{FileKind, GeometryPart, GeometryProblem, Repair};

/// What went wrong, as data: one variant per distinct message. The zh-CN and English words are
/// in `i18n::errors`; a variant without them does not compile.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    // --- Any file ---
    /// The file could not be opened; `reason` is the operating system's words.
    CannotOpen {
        /// The OS error text.
        reason: String,
    },
    /// The file could not be read; `reason` is the operating system's words.
    CannotRead {
        /// The OS error text.
        reason: String,
    },
    /// The file could not be created; `reason` is the operating system's words.
    CannotCreate {
        /// The OS error text.
        reason: String,
    },
    /// A newly made file could not be renamed over its final path.
    CannotMoveIntoPlace {
        /// The OS error text.
        reason: String,
    },
    /// A folder was given where a file was expected.
    IsFolder {
        /// The kind of file expected.
        expected: FileKind,
    },
    /// The path has no file name (an export target such as `/` or `..`).
    NotAFileName,

    // --- GeoJSON import (src/io) ---
    /// The file is over the import size limit.
    TooLarge {
        /// The file's size.
        bytes: u64,
        /// The limit, in GiB.
        limit_gib: u64,
    },
    /// The bytes are not UTF-8.
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The file is empty (or only white space).
    EmptyFile,
    /// JSON that does not parse, or does not have the shape GeoJSON needs.
    Json {
        /// The parser's words (English, in GeoJSON's terms).
        detail: String,
        /// Line in the file, 1-based.
        line: usize,
        /// Column in the line, 1-based.
        column: usize,
        /// The text ends before the JSON does.
        cut_short: bool,
    },
    /// The text starts with neither `{` nor `[`.
    NotJson,
    /// The top-level object has no `type`.
    NoTopLevelType,
    /// The top-level `type` is no GeoJSON type.
    UnknownGeoJsonType {
        /// The type found.
        found: String,
    },
    /// A FeatureCollection without a `features` member.
    NoFeaturesArray,
    /// `features` is not an array of objects.
    FeaturesNotArray {
        /// The parser's words.
        detail: String,
    },
    /// The file parsed but holds no feature.
    NoFeatures,
    /// The file declares (or the user gave) a CRS that Linli does not know.
    ForeignCrs {
        /// The CRS name as declared.
        declared: String,
    },
    /// A part of a Shapefile (`.shp`, `.dbf`) that cannot be read: cut short or damaged.
    ShapefileBroken {
        /// Which file: `.shp`, `.dbf`.
        part: String,
        /// The reader's words (English).
        detail: String,
    },
    /// A Shapefile whose `.dbf` holds another number of records than the `.shp` has shapes.
    DbfCountMismatch {
        /// Shapes in the `.shp`.
        shapes: usize,
        /// Records in the `.dbf`.
        records: usize,
    },
    /// `--encoding` names no encoding.
    UnknownEncoding {
        /// The name given.
        name: String,
    },
    /// A GeoPackage with several feature tables and no `--source-layer`.
    SourceLayerNeeded {
        /// Its feature tables.
        layers: Vec<String>,
    },
    /// `--source-layer` names no feature table of the GeoPackage.
    NoSuchSourceLayer {
        /// The name given.
        name: String,
        /// Its feature tables.
        layers: Vec<String>,
    },
    /// A GeoPackage without feature tables.
    NoFeatureTables,
    /// A foreign SQLite file (a GeoPackage to import, an MBTiles basemap) names something to
    /// read that is not a real table (a view, whose query may never end, or nothing).
    NotATable {
        /// The name the file gave.
        name: String,
    },
    /// A read of a foreign SQLite file made no progress for this long and was stopped.
    ForeignReadStalled {
        /// The limit, whole seconds.
        seconds: u64,
    },
    /// An SQLite file that is not an MBTiles tile set (no `tiles` or `metadata` table).
    NotMbTiles,
    /// An MBTiles file without a single tile.
    NoTiles,
    /// A basemap tile wider or taller than the map can show as one texture.
    TileTooLarge {
        /// Its width, pixels.
        width: u32,
        /// Its height, pixels.
        height: u32,
        /// The largest side allowed, pixels.
        max: u32,
    },
    /// A file of a format Linli does not read.
    UnknownFormat,
    /// A `.prj` (or a GeoPackage CRS definition) that is not WKT.
    PrjNotWkt {
        /// Its first characters.
        start: String,
    },
    /// A CRS definition (`.prj`, a GeoPackage's WKT) holding a number no CRS has: not finite,
    /// astronomically large, or a projection parameter out of its range (a false easting of
    /// 2e15 m, a scale factor of 0): refused rather than computed with.
    CrsNumberOutOfRange {
        /// The parameter (`False_Easting`) or the node (`SPHEROID`) holding it.
        parameter: String,
        /// The value as read.
        value: String,
    },
    /// A feature's `type` is not "Feature".
    NotAFeature {
        /// The type found.
        found: String,
    },
    /// A feature has no `type`.
    FeatureHasNoType,
    /// A feature's `id` is neither a string nor a number.
    BadFeatureId,
    /// A feature's geometry is null or missing.
    NoGeometry,
    /// A geometry has no `type`.
    GeometryHasNoType,
    /// A geometry's `type` is no GeoJSON geometry type.
    UnknownGeometryType {
        /// The type found.
        found: String,
    },
    /// Something is wrong inside a geometry of type `kind`.
    Geometry {
        /// The GeoJSON type of the geometry ("Polygon").
        kind: String,
        /// The member of a multi-geometry, when the problem is in one.
        part: Option<GeometryPart>,
        /// What is wrong.
        problem: GeometryProblem,
    },

    /// Several problems in one input file: the first [`LISTED_PROBLEMS`] with their feature
    /// index, and how many there were in all.
    Several {
        /// The problems listed, each with its feature index (none for the file).
        listed: Vec<(Option<usize>, Problem)>,
        /// How many problems were found.
        total: usize,
    },
    /// `--strict`: the file would need this repair to be imported.
    NeedsRepair {
        /// The repair an import without `--strict` would make.
        repair: Repair,
    },

    // --- Catalog files (src/model/catalog.rs) and the bundled sample ---
    /// The text is not a catalog.
    NotACatalog {
        /// The parser's words.
        detail: String,
    },
    /// The catalog has no element types.
    EmptyCatalog,
    /// An element key is empty or not ASCII letters, digits and `_`.
    BadElementKey {
        /// The element's index in the catalog.
        element: usize,
        /// The key as written.
        key: String,
    },
    /// Two elements share a key.
    DuplicateElementKey {
        /// The element's index in the catalog.
        element: usize,
        /// The key.
        key: String,
    },
    /// An element colour is not `#RRGGBB`.
    BadElementColour {
        /// The element's index in the catalog.
        element: usize,
        /// The colour as written.
        colour: String,
    },
    /// Bundled sample data does not parse (a build defect).
    BadSampleData {
        /// The parser's words.
        detail: String,
    },

    // --- The command line (src/cli) ---
    /// `new --sample` with `--catalog`.
    SampleTakesNoCatalog,
    /// `import --role plan` with `--layer`.
    PlanTakesNoLayer,
    /// An import without a layer name.
    LayerNameNeeded,
    /// A coverage analysis names a layer the workspace does not have.
    NoSuchWorkspaceLayer {
        /// The name given.
        name: String,
        /// The workspace's layers.
        layers: Vec<String>,
    },
    /// A walking distance that is not a positive number of metres.
    DistanceNotPositive {
        /// The distance given, metres.
        value: f64,
    },
    /// A coverage analysis with no facility (no element type, no layer, or nothing in them).
    NoFacilities,
    /// A position that is not lon/lat degrees.
    NotLonLat {
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },

    // --- The workspace store (src/store) ---
    /// `new` on a file that exists.
    WorkspaceExists,
    /// No file at the workspace path.
    NoSuchWorkspace,
    /// The file is not an SQLite database.
    NotSqlite,
    /// An SQLite database that is not a GeoPackage.
    NotGeoPackage,
    /// A GeoPackage without `linli_meta`.
    NotLinliWorkspace,
    /// `linli_meta` has no readable schema version.
    NoSchemaVersion,
    /// Written by a newer Linli; the file was not modified.
    NewerSchema {
        /// The file's schema version.
        found: i64,
        /// The newest version this program reads.
        supported: i64,
    },
    /// SQLite reports damage, or the file is not a workspace at all.
    DamagedOrNotWorkspace {
        /// SQLite's words.
        detail: String,
    },
    /// `PRAGMA quick_check` failed.
    Damaged {
        /// SQLite's words.
        detail: String,
    },
    /// The journal would not switch to WAL.
    NoWal {
        /// The mode SQLite kept.
        mode: String,
    },
    /// A catalog row in the workspace does not parse.
    CatalogEntryUnreadable {
        /// The element key.
        key: String,
        /// The parser's words.
        detail: String,
    },
    /// A stored feature's geometry blob does not decode.
    UnreadableGeometry {
        /// The layer's name or the plan table.
        layer: String,
        /// The feature's UUID.
        feature: String,
    },
    /// A stored feature id is not a UUID.
    FeatureIdNotUuid {
        /// The id as stored.
        text: String,
    },
    /// An identifier cannot be quoted for SQL.
    BadTableName {
        /// The identifier.
        name: String,
        /// Why.
        detail: String,
    },
    /// A geometry cannot be written as a GeoPackage blob.
    CannotEncodeGeometry {
        /// The encoder's words.
        detail: String,
    },
    /// Data cannot be serialised for the workspace (catalog, properties, GeoPackage DDL).
    CannotSerialise {
        /// What was being written ("catalog", "properties", "triggers").
        what: String,
        /// The serialiser's words.
        detail: String,
    },
    /// An empty layer name.
    LayerNameEmpty,
    /// A layer name too long or with quotes or control characters.
    LayerNameInvalid {
        /// The name.
        name: String,
    },
    /// A layer name with a reserved prefix.
    LayerNameReserved {
        /// The name.
        name: String,
    },
    /// A layer name already used.
    LayerNameTaken {
        /// The name.
        name: String,
    },
    /// A project code already used.
    ProjectCodeTaken {
        /// The code.
        code: String,
    },
    /// A plan feature whose geometry mixes points, lines and polygons (the store's refusal,
    /// naming the feature; the session's check before it is [`Problem::MixedGeometry`]).
    PlanFeatureMixedGeometry {
        /// The feature's UUID.
        id: String,
    },
    /// A project id already used (inserting a project twice).
    ProjectIdTaken {
        /// The project's UUID.
        id: String,
    },
    /// No project with this id (updating or deleting one that is gone).
    NoProjectWithId {
        /// The project's UUID.
        id: String,
    },
    /// A workspace schema older than the first migration step this program has.
    CannotMigrate {
        /// The file's schema version.
        found: i64,
        /// The oldest schema this program migrates.
        first: i64,
        /// The schema it migrates to.
        last: i64,
    },
    /// A workspace needing a migration is open in another program (the WAL cannot be folded
    /// into the file before the backup copy).
    MigrationBusy,
    /// Closing could not fold the write-ahead log into the file and remove it: another
    /// connection (another program, or a reader of this one) still has the workspace open, so
    /// the file alone does not hold every change yet.
    StillOpenElsewhere,
    /// A migration step failed; the transaction was rolled back.
    MigrationStepFailed {
        /// The schema the step starts from.
        from: i64,
        /// The schema it ends at.
        to: i64,
        /// The step's description (`Migration::description`, English; known steps have
        /// Chinese words in the table).
        step: String,
        /// Why the step failed.
        cause: Box<Problem>,
        /// The backup copy taken before migrating.
        backup: PathBuf,
    },
    /// The migration's transaction did not commit; the file is as it was.
    MigrationNotSaved {
        /// The schema the file has.
        from: i64,
        /// SQLite's words.
        detail: String,
    },
    /// The backup copy before a migration could not be written; nothing was changed.
    BackupFailed {
        /// The backup's path.
        backup: PathBuf,
        /// The OS error text.
        reason: String,
    },
    /// Every backup name (`…-backup-2` … `-999`) beside the workspace is taken.
    TooManyBackups {
        /// How many backups exist.
        count: usize,
    },
    /// SQLite failed underneath (as the cause inside another problem).
    Database {
        /// SQLite's words.
        detail: String,
    },
    /// The file system failed underneath (as the cause inside another problem).
    FileSystem {
        /// The path being read or written.
        path: PathBuf,
        /// The OS error text.
        reason: String,
    },
    /// The user cancelled (as the cause inside another problem).
    Cancelled,
    /// A plan feature whose geometry Linli cannot store.
    UnsupportedPlanGeometry {
        /// The feature's UUID.
        id: String,
    },

    // --- The session (src/session; to be used there when it is converted) ---
    /// A second streets or communities layer.
    RoleLayerExists {
        /// The role's key (`LayerRole::key`: "streets", "communities").
        role: String,
        /// The existing layer's name.
        existing: String,
    },
    /// A street or community feature without a name.
    FeatureNameMissing {
        /// The property read for names.
        field: String,
        /// The layer's role key (`LayerRole::key`).
        role: String,
    },
    /// A street or community feature that is not a polygon.
    NotAPolygonForRole {
        /// The layer's role key (`LayerRole::key`).
        role: String,
    },
    /// `element_type` is not a string.
    ElementTypeNotText,
    /// A plan feature without `element_type`.
    ElementTypeMissing,
    /// An element type not in the workspace's catalog.
    UnknownElementType {
        /// The type as given.
        element: String,
    },
    /// A geometry mixing points, lines and polygons.
    MixedGeometry,
    /// An element type drawn with a geometry kind it does not allow.
    KindNotAllowed {
        /// The element's Chinese name.
        name_zh: String,
        /// The element's key.
        key: String,
        /// The geometry kinds it allows (`GeometryKind::key`: "point", "line", "polygon").
        allowed: Vec<String>,
        /// The kind found (`GeometryKind::key`).
        found: String,
    },
    /// No plan feature with this id.
    NoPlanFeature {
        /// The UUID.
        id: String,
    },
    /// A plan feature with this id exists already.
    PlanFeatureExists {
        /// The UUID.
        id: String,
    },
    /// No project with this code.
    NoSuchProject {
        /// The code.
        code: String,
    },
    /// A plan geometry position that is not lon/lat.
    NotLonLatPosition {
        /// First number.
        x: f64,
        /// Second number.
        y: f64,
    },
    /// A plan geometry with too few positions or open rings.
    MalformedPlanGeometry,
    /// An export filter naming a street the streets layer lacks.
    UnknownStreet {
        /// The street as given.
        street: String,
    },
    /// An export filter naming a community, programme or stage the workspace does not have.
    UnknownExportFilter {
        /// Which filter: `community`, `programme` or `stage`.
        field: String,
        /// The value as given.
        value: String,
    },

    /// An element type drawn (in an edit) with a geometry kind it does not allow.
    CannotBeDrawnAs {
        /// The element's Chinese name.
        name_zh: String,
        /// The element's key.
        key: String,
        /// The kind drawn (`GeometryKind::key`).
        kind: String,
    },

    /// A project without a code.
    ProjectCodeEmpty,
    /// A project without a name.
    ProjectNameEmpty,
    /// A batch year outside the years accepted.
    YearOutOfRange {
        /// The year given.
        year: i64,
        /// The first year accepted.
        first: i64,
        /// The last year accepted.
        last: i64,
    },
    /// A workflow template key this program does not have.
    UnknownWorkflow {
        /// The key given.
        key: String,
    },
    /// A stage the project's workflow does not have.
    UnknownStage {
        /// The stage given.
        stage: String,
        /// The workflow's key.
        workflow: String,
    },
    /// An amount of money that is negative or not a number.
    AmountNegative {
        /// The amount given, 万元.
        value: f64,
    },
    /// A funding source without a name.
    FundingSourceEmpty,
    /// Funding sources adding up to more than the budget.
    FundingOverBudget {
        /// The funding sources' total, 万元.
        total_wan: f64,
        /// The budget, 万元.
        budget_wan: f64,
    },
    /// A progress outside 0–100 %.
    ProgressOutOfRange {
        /// The value given, percent.
        value: f64,
    },
    /// A hearing, coordination or evaluation meeting without its project.
    MeetingNeedsProject {
        /// The meeting kind's key.
        kind: String,
    },
    /// A meeting's comment or vote pinned to a point off the map (1-based position).
    MeetingPinOffMap {
        /// Which note, counting from 1.
        index: usize,
    },
    /// A vote without its value, or a comment with one (1-based position).
    MeetingVoteValue {
        /// Which note, counting from 1.
        index: usize,
    },
    /// A meeting's map view whose centre is off the map or whose zoom is out of range.
    MeetingViewInvalid,
    /// A file too big to attach.
    AttachmentTooLarge {
        /// Its size in bytes.
        size_bytes: u64,
        /// The largest allowed, in bytes.
        limit_bytes: u64,
    },
    /// A file whose bytes are not an image (PNG, JPEG, GIF, WebP) or a PDF.
    AttachmentTypeUnknown,
    /// An empty file given as an attachment.
    AttachmentEmpty,
    /// No attachment with this id.
    NoAttachmentWithId {
        /// The UUID.
        id: String,
    },
    /// An attachment kind or content this program does not know (in a workspace).
    UnknownAttachmentKind {
        /// The kind as stored.
        kind: String,
    },
    /// A meeting kind this program does not know (in a workspace).
    UnknownMeetingKind {
        /// The kind as stored.
        kind: String,
    },
    /// No design alternative with this id.
    NoAlternativeWithId {
        /// The id given.
        id: String,
    },
    /// A design alternative without a label (方案 A…).
    AlternativeLabelEmpty,
    /// No meeting with this id.
    NoMeetingWithId {
        /// The UUID.
        id: String,
    },
    /// An output file whose extension names no format this export writes.
    UnknownExportFormat {
        /// The file name as given.
        name: String,
    },
    /// A resident's input with this id exists already.
    InputExists {
        /// The UUID.
        id: String,
    },
    /// A resident's input whose text is longer than allowed.
    InputTextTooLong {
        /// Its length, characters.
        chars: usize,
        /// The most allowed, characters.
        max: usize,
    },
    /// A participant number that is 0, or above the meeting's attendance.
    ParticipantNumberInvalid {
        /// The number given.
        number: u32,
        /// The meeting's attendance, when recorded.
        attendance: Option<u32>,
    },
    /// A resident's input on a plan feature and a design alternative at once.
    InputOnTwoItems,
    /// A vote at a meeting whose voting is closed.
    VotingClosed,
    /// A vote on an item that has all the votes it may get.
    VoteItemCapReached {
        /// The item's cap.
        cap: u32,
    },
    /// A vote without a participant number where participants are counted by number.
    VoteNeedsParticipant,
    /// A vote by a participant who has used all their votes.
    NoVotesLeft {
        /// The participant's number.
        participant: u32,
        /// How many votes each participant has.
        votes: u32,
    },
    /// A second vote by one participant on one item where votes may not stack.
    VotesMayNotStack {
        /// The participant's number.
        participant: u32,
    },
    /// "Undo the last input" when the last action was not an input.
    LastStepNotInput,
    /// A person, organisation or task without a name (title).
    RosterNameEmpty {
        /// Which record: `person`, `organisation`, `task`.
        record: String,
    },
    /// A person or organisation name already on the roster.
    RosterNameTaken {
        /// Which record: `person`, `organisation`.
        record: String,
        /// The name.
        name: String,
    },
    /// No person, organisation or task with this id.
    NoRosterRecord {
        /// Which record: `person`, `organisation`, `task`.
        record: String,
        /// The UUID.
        id: String,
    },
    /// A task's owner that is neither a person nor an organisation on the roster.
    OwnerNotOnRoster {
        /// The name given.
        name: String,
    },
    /// A coded value of a roster table this program does not know (in a workspace).
    UnknownRosterCode {
        /// The column (`role`, `kind`, `status`).
        field: String,
        /// The value as stored.
        value: String,
    },
    /// `--format csv` without `-o FILE`.
    OutputNeeded,
    /// A blueprint names a street or community the workspace's boundary layers do not have.
    NoSuchArea {
        /// `street` or `community`.
        kind: String,
        /// The name given.
        name: String,
        /// The closest names the workspace has (at most a few).
        close: Vec<String>,
    },
    /// A blueprint's output file does not end in `.pdf`, `.png` or `.svg`.
    BlueprintFormat {
        /// The extension found (empty when none).
        found: String,
    },
    /// A blueprint could not be rendered (the PDF writer or PNG encoder failed).
    PrintFailed {
        /// What failed, in the library's words.
        detail: String,
    },
    /// A form field that needs a number holds something else.
    NotANumber {
        /// The text given.
        text: String,
    },
    /// A date that is not a real `YYYY-MM-DD` day.
    DateNotValid {
        /// The text given.
        text: String,
    },
    /// A project field that cannot be written as given.
    ProjectFieldInvalid {
        /// The field's key (`ProjectField::key`: `budget_wan`, `stage_dates`…).
        field: String,
        /// What is wrong with it.
        problem: Box<Problem>,
    },
    /// `project_code` is not a string.
    ProjectCodeNotText,
    /// A command with nothing in it (an empty batch).
    EmptyCommand,

    // --- Sharing the workspace file: read-only opens, rows changed by other programs ---
    /// A change was asked of a workspace opened read-only (`info`, `check`, `locate`, `export`).
    WorkspaceReadOnly,
    /// A read-only command met a workspace older than it reads as it is; opening it for
    /// writing (`linli upgrade`, the window, an import) upgrades it first.
    OldSchemaReadOnly {
        /// The file's schema version.
        found: i64,
        /// The oldest schema read without upgrading.
        oldest: i64,
    },
    /// The workspace file cannot be written here (its permissions, a read-only disk or share):
    /// it is open read-only, and a change was asked of it.
    WorkspaceNotWritable,
    /// A workspace older than this program reads as it is, in a file that cannot be written
    /// here, so it cannot be upgraded where it is.
    OldSchemaNotWritable {
        /// The file's schema version.
        found: i64,
    },

    // --- Files the user names for an export or a report ---
    /// The output is the open workspace itself (or one of its SQLite side files), however the
    /// path is spelled: an export never replaces it.
    OutputIsWorkspace,
    /// The output is an existing SQLite database (a GeoPackage, another workspace): an export
    /// never replaces one.
    OutputIsDatabase,
    /// The output exists and replacing it was not asked for (`--force`).
    OutputExists,
    /// One row of a plan table could not be read; the rest of the workspace opened.
    UnreadablePlanRow {
        /// The plan table.
        table: String,
        /// The row's fid.
        fid: i64,
        /// What was wrong (SQLite's words, or which column).
        detail: String,
    },
    /// A plan or project row's id was not a UUID (typed in another program), or repeated
    /// another row's; it was given one.
    PlanIdReplaced {
        /// The plan table.
        table: String,
        /// The row's fid.
        fid: i64,
        /// The id as found (empty when there was none).
        found: String,
        /// The UUID it has now.
        id: String,
        /// False when the file is open read-only: the UUID holds in memory only, and another
        /// one is given next time until the workspace is opened for editing.
        written: bool,
    },
    /// A plan row's `properties` text is not a JSON object; it is kept verbatim (under the
    /// property `linli_unparsed_properties`) and written back unchanged.
    UnparsedProperties {
        /// The plan table or layer.
        table: String,
        /// The row's fid.
        fid: i64,
    },
    /// A change refused (apply, undo or redo): another program changed this field of the
    /// record since this session read it; nothing was written and the record was read again.
    ChangedElsewhere {
        /// The record's name (or its id when it has none).
        name: String,
        /// The record's UUID.
        id: String,
        /// The field.
        field: String,
    },
    /// A change's fields do not make a record of its kind (a changeset built by hand or read
    /// from a file): nothing was written.
    RecordNotWritable {
        /// The record's kind (`plan`, `project`, …).
        kind: String,
        /// The record's UUID.
        id: String,
        /// What is wrong.
        detail: String,
    },
    /// A change refused: another program deleted the record since this session read it.
    DeletedElsewhere {
        /// The record's name (or its id when it has none).
        name: String,
        /// The record's UUID.
        id: String,
    },
    /// A change refused: another program added a record with this id since this session read
    /// the workspace (an undone delete cannot put it back).
    AddedElsewhere {
        /// The record's name (or its id when it has none).
        name: String,
        /// The record's UUID.
        id: String,
    },
    /// A plan feature names an element type the catalog does not have (typed in another
    /// program): shown as it is, listed by `linli check`.
    UnknownElementShown {
        /// The feature's UUID.
        id: String,
        /// The element type as stored.
        element: String,
    },
    /// Building the map's shapes of one feature failed; the feature is not drawn, the others are.
    TessellationFailed {
        /// The layer.
        layer: String,
        /// The feature's index in the layer.
        feature: usize,
        /// The tessellator's words.
        detail: String,
    },

    // --- Integrity findings of `linli check` (src/store `check`) ---
    /// `PRAGMA integrity_check` reported a row.
    IntegrityCheck {
        /// SQLite's words.
        detail: String,
    },
    /// `application_id` is not 'GPKG'.
    WrongApplicationId {
        /// The id found.
        found: i64,
    },
    /// `user_version` is not the GeoPackage version Linli writes.
    WrongUserVersion {
        /// The version found.
        found: i64,
        /// The version expected.
        expected: i64,
    },
    /// A required table is missing.
    TableMissing {
        /// The table.
        table: String,
    },
    /// `gpkg_spatial_ref_sys` lacks one of the rows GeoPackage requires (4326, 0, -1).
    SpatialRefSysIncomplete,
    /// Foreign key violations.
    ForeignKeyViolations {
        /// How many.
        count: u64,
    },
    /// A layer in `linli_layers` without its feature table.
    LayerWithoutTable {
        /// The layer's name.
        layer: String,
    },
    /// A plan feature in more than one plan table.
    PlanFeatureInTwoTables {
        /// The UUID.
        id: String,
    },
    /// A stored plan feature whose element type the catalog lacks.
    PlanFeatureUnknownElement {
        /// The UUID.
        id: String,
        /// The element type stored.
        element: String,
    },
    /// A stored plan feature linked to a project that does not exist.
    PlanFeatureUnknownProject {
        /// The UUID.
        id: String,
        /// The project code stored.
        code: String,
    },
    /// A feature table without its `gpkg_geometry_columns` row.
    NoGeometryColumn {
        /// The table.
        table: String,
        /// The geometry column.
        column: String,
    },
    /// A feature table without its R-tree.
    SpatialIndexMissing {
        /// The table.
        table: String,
        /// The R-tree table.
        index: String,
    },
    /// Some of the R-tree's triggers are missing.
    SpatialIndexTriggersMissing {
        /// The table.
        table: String,
        /// Triggers found.
        found: u64,
        /// Triggers expected.
        expected: u64,
    },
    /// A stored geometry with the wrong `srs_id`.
    WrongSrsId {
        /// The table.
        table: String,
        /// The feature's fid.
        fid: i64,
        /// The srs_id found.
        found: i64,
        /// The srs_id expected.
        expected: i64,
    },
    /// Stored geometries that are not GeoPackage blobs.
    InvalidGeometryBlobs {
        /// The table.
        table: String,
        /// How many.
        count: u64,
    },
    /// The R-tree does not match the geometries.
    SpatialIndexInconsistent {
        /// The table.
        table: String,
        /// Geometries in the table.
        geometries: u64,
        /// Entries in the R-tree.
        entries: u64,
        /// Entries missing or wrong.
        wrong: u64,
    },
    /// A merge given this workspace itself, or a copy of it made outside Linli (the same
    /// workspace id): a street workspace comes from `linli package`.
    SameWorkspace {
        /// The workspace's name.
        name: String,
    },
    /// No street of that name in the workspace's streets layer.
    NoSuchStreet {
        /// The name asked for.
        street: String,
        /// Some of the streets there are, `、`-joined.
        known: String,
    },
    /// A merge refused: rows of a workspace cannot be read, and a record missing from a
    /// side would be taken as deleted.
    MergeUnreadable {
        /// How many problems reading found.
        count: usize,
        /// The first of them.
        first: Box<Problem>,
    },
    /// No merge conflict with this id.
    NoSuchConflict {
        /// The id asked for.
        id: String,
    },
    /// The conflict was resolved already.
    ConflictResolved {
        /// What to call the record.
        label: String,
        /// The field.
        field: String,
    },
    /// A conflict about a file's content cannot take the other side's value here: the base
    /// keeps only its digest.
    ConflictValueNotKept {
        /// The field.
        field: String,
    },
    /// A merge refused: a project of the other workspace has a code one of this workspace's
    /// other projects has (features link to projects by code).
    MergeCodeTaken {
        /// The code.
        code: String,
        /// This workspace's project of that code.
        ours: String,
        /// The other workspace's.
        theirs: String,
    },
    /// The district server cannot be reached (or the address does not parse).
    ServerUnreachable {
        /// The server's address, without its password.
        server: String,
        /// What the connection reported.
        detail: String,
    },
    /// The district server refused a statement (a permission, a row-level security policy,
    /// a constraint): nothing of the statement's transaction was written.
    ServerRefused {
        /// The server's address, without its password.
        server: String,
        /// PostgreSQL's message.
        detail: String,
    },
    /// The district server's schema is not the one this program reads.
    ServerSchema {
        /// The server's address, without its password.
        server: String,
        /// The version it has (0: none, the database was never set up by `linli server init`).
        found: i64,
        /// The version this program reads.
        expected: i64,
    },
    /// The district server did not let a record be written: it is another street's, or it
    /// changed since it was read. Nothing of the sync was written there.
    ServerWriteRefused {
        /// The server's address, without its password.
        server: String,
        /// What to call the record.
        name: String,
        /// Its id.
        id: String,
    },
    /// A workspace synced with a server as one street, asked to sync as another: its base and
    /// high-water mark are that street's.
    SyncStreetMismatch {
        /// The server's address, without its password.
        server: String,
        /// The street the workspace syncs as.
        synced: String,
        /// The street asked for.
        asked: String,
    },
    /// A login role name that is not a plain identifier.
    BadRoleName {
        /// The name given.
        role: String,
    },
}
