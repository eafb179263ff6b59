//! The language tests of the error table: every problem, both languages.

use std::path::PathBuf;

use super::*;
use crate::error::Repair;

/// Chinese user data put in the samples: the one thing English may show that is not ASCII.
const USER_DATA: [&str; 3] = ["街道乡镇", "口袋花园", "花木街道"];

/// One sample of every problem. The match below makes a new variant a compile error here
/// too, so it cannot escape the language tests.
fn samples() -> Vec<Problem> {
    use GeometryProblem as G;
    use Problem as P;
    let s = |t: &str| t.to_string();
    let geometry = |part, problem| P::Geometry {
        kind: s("MultiPolygon"),
        part,
        problem,
    };
    let all = vec![
        P::CannotOpen {
            reason: s("No such file or directory (os error 2)"),
        },
        P::CannotRead {
            reason: s("Is a directory (os error 21)"),
        },
        P::CannotCreate {
            reason: s("Permission denied (os error 13)"),
        },
        P::CannotMoveIntoPlace {
            reason: s("Permission denied (os error 13)"),
        },
        P::IsFolder {
            expected: FileKind::GeoJson,
        },
        P::IsFolder {
            expected: FileKind::Workspace,
        },
        P::NotAFileName,
        P::TooLarge {
            bytes: 3_000_000_000,
            limit_gib: 2,
        },
        P::NotUtf8 { offset: 17 },
        P::EmptyFile,
        P::Json {
            detail: s("expected `,` or `]`"),
            line: 3,
            column: 14,
            cut_short: false,
        },
        P::Json {
            detail: s("EOF while parsing a list"),
            line: 9,
            column: 1,
            cut_short: true,
        },
        P::NotJson,
        P::NoTopLevelType,
        P::UnknownGeoJsonType {
            found: s("Topology"),
        },
        P::NoFeaturesArray,
        P::FeaturesNotArray {
            detail: s("invalid type: object, expected an array"),
        },
        P::NoFeatures,
        P::ForeignCrs {
            declared: s("urn:ogc:def:crs:EPSG::3857"),
        },
        P::NotAFeature { found: s("Point") },
        P::FeatureHasNoType,
        P::BadFeatureId,
        P::NoGeometry,
        P::GeometryHasNoType,
        P::UnknownGeometryType { found: s("Circle") },
        geometry(None, G::NestedTooDeep { max: 16 }),
        geometry(None, G::NeedsGeometries),
        geometry(None, G::EmptyCollection),
        geometry(None, G::NeedsCoordinates),
        geometry(None, G::NoPoints),
        geometry(None, G::NoLines),
        geometry(None, G::NoPolygons),
        geometry(Some(GeometryPart::Line(2)), G::LineTooShort { found: 1 }),
        geometry(Some(GeometryPart::Polygon(1)), G::NoRings),
        geometry(
            Some(GeometryPart::Polygon(0)),
            G::RingTooShort { ring: 1, found: 3 },
        ),
        geometry(None, G::RingNotClosed { ring: 0 }),
        geometry(
            None,
            G::NotFinite {
                x: f64::NAN,
                y: 31.2,
            },
        ),
        geometry(
            None,
            G::NotDegrees {
                x: 13_524_000.0,
                y: 3_662_000.0,
            },
        ),
        geometry(None, G::LatitudeBeyond90 { x: 31.2, y: 121.5 }),
        geometry(
            None,
            G::OutsideCrs {
                x: 1.0,
                y: 2.0,
                crs: s("EPSG:4549"),
            },
        ),
        P::PrjNotWkt { start: s("hello") },
        P::CrsNumberOutOfRange {
            parameter: s("False_Easting"),
            value: s("2000000000000000"),
        },
        P::ShapefileBroken {
            part: s(".shp"),
            detail: s("record 3: the file is cut short"),
        },
        P::DbfCountMismatch {
            shapes: 10,
            records: 9,
        },
        P::UnknownEncoding { name: s("klingon") },
        P::SourceLayerNeeded {
            layers: vec![s("roads"), s("街道乡镇")],
        },
        P::NoSuchSourceLayer {
            name: s("rivers"),
            layers: vec![s("roads")],
        },
        P::NoFeatureTables,
        P::NotATable {
            name: s("街道乡镇"),
        },
        P::ForeignReadStalled { seconds: 20 },
        P::NotMbTiles,
        P::NoTiles,
        P::TileTooLarge {
            width: 65_535,
            height: 256,
            max: 4096,
        },
        P::UnknownFormat,
        P::Several {
            listed: vec![
                (Some(3), P::NoGeometry),
                (None, P::NotAFeature { found: s("Point") }),
            ],
            total: 44,
        },
        P::Several {
            listed: vec![(Some(0), P::NoGeometry), (Some(1), P::NoGeometry)],
            total: 2,
        },
        P::NeedsRepair {
            repair: Repair::RingClosed {
                part: Some(GeometryPart::Polygon(1)),
                ring: 0,
            },
        },
        P::NeedsRepair {
            repair: Repair::RepeatedPositionsRemoved { count: 2 },
        },
        P::NeedsRepair {
            repair: Repair::ShortRingDropped {
                part: None,
                ring: 1,
                found: 3,
            },
        },
        P::NeedsRepair {
            repair: Repair::FlatRingDropped {
                part: None,
                ring: 0,
            },
        },
        P::NeedsRepair {
            repair: Repair::PolygonDropped {
                part: Some(GeometryPart::Polygon(2)),
            },
        },
        P::NeedsRepair {
            repair: Repair::FeatureDropped,
        },
        P::NotACatalog {
            detail: s("missing field `elements` at line 1 column 2"),
        },
        P::EmptyCatalog,
        P::BadElementKey {
            element: 2,
            key: s("pocket garden"),
        },
        P::DuplicateElementKey {
            element: 3,
            key: s("art_space"),
        },
        P::BadElementColour {
            element: 4,
            colour: s("green"),
        },
        P::BadSampleData {
            detail: s("expected value at line 1 column 1"),
        },
        P::SampleTakesNoCatalog,
        P::PlanTakesNoLayer,
        P::LayerNameNeeded,
        P::NoSuchWorkspaceLayer {
            name: s("roads"),
            layers: vec![s("街道乡镇")],
        },
        P::NoFacilities,
        P::DistanceNotPositive { value: -5.0 },
        P::NotLonLat {
            lon: 500.0,
            lat: 31.0,
        },
        P::WorkspaceExists,
        P::NoSuchWorkspace,
        P::NotSqlite,
        P::NotGeoPackage,
        P::NotLinliWorkspace,
        P::NoSchemaVersion,
        P::NewerSchema {
            found: 99,
            supported: 1,
        },
        P::DamagedOrNotWorkspace {
            detail: s("file is not a database"),
        },
        P::Damaged {
            detail: s("database disk image is malformed"),
        },
        P::NoWal { mode: s("delete") },
        P::CatalogEntryUnreadable {
            key: s("pocket_garden"),
            detail: s("EOF"),
        },
        P::UnreadableGeometry {
            layer: s("街道乡镇"),
            feature: s("0b6f9c1e-4c1d-4a57-9d1c-2f0e3c1a9b7d"),
        },
        P::FeatureIdNotUuid { text: s("42") },
        P::BadTableName {
            name: s("a\u{0}b"),
            detail: s("contains NUL"),
        },
        P::CannotEncodeGeometry {
            detail: s("empty point"),
        },
        P::CannotSerialise {
            what: s("properties"),
            detail: s("key must be a string"),
        },
        P::LayerNameEmpty,
        P::LayerNameInvalid { name: s("a\"b") },
        P::LayerNameReserved { name: s("gpkg_x") },
        P::LayerNameTaken {
            name: s("街道乡镇"),
        },
        P::ProjectCodeTaken {
            code: s("PD-2024-001"),
        },
        P::UnsupportedPlanGeometry { id: s("0b6f9c1e") },
        P::RoleLayerExists {
            role: s("streets"),
            existing: s("街道乡镇"),
        },
        P::FeatureNameMissing {
            field: s("name"),
            role: s("communities"),
        },
        P::NotAPolygonForRole { role: s("streets") },
        P::ElementTypeNotText,
        P::ElementTypeMissing,
        P::UnknownElementType {
            element: s("fountain"),
        },
        P::MixedGeometry,
        P::KindNotAllowed {
            name_zh: s("口袋花园"),
            key: s("pocket_garden"),
            allowed: vec![s("polygon"), s("point")],
            found: s("line"),
        },
        P::NoPlanFeature { id: s("0b6f9c1e") },
        P::PlanFeatureExists { id: s("0b6f9c1e") },
        P::NoSuchProject {
            code: s("PD-2024-009"),
        },
        P::NotLonLatPosition { x: 200.0, y: 95.0 },
        P::MalformedPlanGeometry,
        P::UnknownStreet {
            street: s("花木街道"),
        },
        P::UnknownExportFilter {
            field: s("community"),
            value: s("花木街道"),
        },
        P::CannotBeDrawnAs {
            name_zh: s("口袋花园"),
            key: s("pocket_garden"),
            kind: s("line"),
        },
        P::ProjectCodeEmpty,
        P::ProjectNameEmpty,
        P::YearOutOfRange {
            year: 1800,
            first: 1990,
            last: 2100,
        },
        P::UnknownWorkflow { key: s("xuhui") },
        P::UnknownStage {
            stage: s("nowhere"),
            workflow: s("pudong_1t3h"),
        },
        P::AmountNegative { value: -2.0 },
        P::FundingSourceEmpty,
        P::FundingOverBudget {
            total_wan: 12.0,
            budget_wan: 10.0,
        },
        P::ProgressOutOfRange { value: 120.0 },
        P::DateNotValid {
            text: s("2024-02-30"),
        },
        P::NotANumber { text: s("12,5") },
        P::OutputNeeded,
        P::NoSuchArea {
            kind: s("community"),
            name: s("Dongming"),
            close: vec![s("Dongming Road")],
        },
        P::BlueprintFormat { found: s("jpg") },
        P::PrintFailed { detail: s("x") },
        P::MeetingNeedsProject { kind: s("hearing") },
        P::NoAlternativeWithId { id: s("0b6f9c1e") },
        P::AlternativeLabelEmpty,
        P::NoMeetingWithId { id: s("0b6f9c1e") },
        P::InputExists { id: s("0b6f9c1e") },
        P::UnknownExportFormat {
            name: s("口袋花园.txt"),
        },
        P::InputTextTooLong {
            chars: 150,
            max: 140,
        },
        P::ParticipantNumberInvalid {
            number: 31,
            attendance: Some(30),
        },
        P::ParticipantNumberInvalid {
            number: 0,
            attendance: None,
        },
        P::InputOnTwoItems,
        P::VotingClosed,
        P::VoteItemCapReached { cap: 5 },
        P::VoteNeedsParticipant,
        P::NoVotesLeft {
            participant: 3,
            votes: 3,
        },
        P::VotesMayNotStack { participant: 3 },
        P::LastStepNotInput,
        P::UnknownMeetingKind { kind: s("party") },
        P::RosterNameEmpty {
            record: s("person"),
        },
        P::RosterNameTaken {
            record: s("organisation"),
            name: s("花木街道"),
        },
        P::NoRosterRecord {
            record: s("task"),
            id: s("0b6f9c1e"),
        },
        P::OwnerNotOnRoster {
            name: s("花木街道"),
        },
        P::UnknownRosterCode {
            field: s("role"),
            value: s("boss"),
        },
        P::MeetingPinOffMap { index: 2 },
        P::MeetingVoteValue { index: 1 },
        P::MeetingViewInvalid,
        P::AttachmentTooLarge {
            size_bytes: 30_000_000,
            limit_bytes: 20_971_520,
        },
        P::AttachmentTypeUnknown,
        P::AttachmentEmpty,
        P::NoAttachmentWithId { id: s("0b6f9c1e") },
        P::UnknownAttachmentKind { kind: s("movie") },
        P::ProjectFieldInvalid {
            field: s("budget_wan"),
            problem: Box::new(P::AmountNegative { value: -2.0 }),
        },
        P::ProjectCodeNotText,
        P::EmptyCommand,
        P::IntegrityCheck {
            detail: s("row 3 missing from index"),
        },
        P::WrongApplicationId { found: 0 },
        P::WrongUserVersion {
            found: 10400,
            expected: 10200,
        },
        P::TableMissing {
            table: s("linli_meta"),
        },
        P::ForeignKeyViolations { count: 2 },
        P::LayerWithoutTable {
            layer: s("街道乡镇"),
        },
        P::PlanFeatureInTwoTables { id: s("0b6f9c1e") },
        P::PlanFeatureUnknownElement {
            id: s("0b6f9c1e"),
            element: s("fountain"),
        },
        P::WorkspaceReadOnly,
        P::WorkspaceNotWritable,
        P::OldSchemaNotWritable { found: 3 },
        P::OutputIsWorkspace,
        P::OutputIsDatabase,
        P::OutputExists,
        P::OldSchemaReadOnly {
            found: 1,
            oldest: 2,
        },
        P::UnreadablePlanRow {
            table: s("plan_points"),
            fid: 7,
            detail: s("geometry missing"),
        },
        P::PlanIdReplaced {
            table: s("plan_lines"),
            fid: 3,
            found: s("42"),
            id: s("0b6f9c1e-4c1d-4a57-9d1c-2f0e3c1a9b7d"),
            written: true,
        },
        P::PlanIdReplaced {
            table: s("plan_lines"),
            fid: 3,
            found: s("42"),
            id: s("0b6f9c1e-4c1d-4a57-9d1c-2f0e3c1a9b7d"),
            written: false,
        },
        P::UnparsedProperties {
            table: s("plan_polygons"),
            fid: 2,
        },
        P::ChangedElsewhere {
            name: s("口袋花园"),
            id: s("0b6f9c1e"),
            field: s("element"),
        },
        P::RecordNotWritable {
            kind: s("plan"),
            id: s("0b6f9c1e"),
            detail: s("no geometry"),
        },
        P::DeletedElsewhere {
            name: s("口袋花园"),
            id: s("0b6f9c1e"),
        },
        P::AddedElsewhere {
            name: s("口袋花园"),
            id: s("0b6f9c1e"),
        },
        P::UnknownElementShown {
            id: s("0b6f9c1e"),
            element: s("rain_garden"),
        },
        P::TessellationFailed {
            layer: s("街道乡镇"),
            feature: 4,
            detail: s("ring too small"),
        },
        P::PlanFeatureUnknownProject {
            id: s("0b6f9c1e"),
            code: s("PD-2024-009"),
        },
        P::NoGeometryColumn {
            table: s("plan_points"),
            column: s("geom"),
        },
        P::SpatialIndexMissing {
            table: s("plan_points"),
            index: s("rtree_plan_points_geom"),
        },
        P::SpatialIndexTriggersMissing {
            table: s("plan_points"),
            found: 5,
            expected: 7,
        },
        P::WrongSrsId {
            table: s("plan_points"),
            fid: 4,
            found: 3857,
            expected: 4326,
        },
        P::InvalidGeometryBlobs {
            table: s("plan_points"),
            count: 3,
        },
        P::SpatialIndexInconsistent {
            table: s("plan_points"),
            geometries: 10,
            entries: 9,
            wrong: 1,
        },
        P::SpatialRefSysIncomplete,
        P::PlanFeatureMixedGeometry { id: s("0b6f9c1e") },
        P::ProjectIdTaken { id: s("0b6f9c1e") },
        P::NoProjectWithId { id: s("0b6f9c1e") },
        P::CannotMigrate {
            found: 0,
            first: 1,
            last: 2,
        },
        P::MigrationBusy,
        P::StillOpenElsewhere,
        P::MigrationStepFailed {
            from: 1,
            to: 2,
            step: s("projects get a stable UUID"),
            cause: Box::new(P::Database {
                detail: s("no such table: linli_projects"),
            }),
            backup: PathBuf::from("w.schema1-backup.gpkg"),
        },
        P::MigrationNotSaved {
            from: 1,
            detail: s("database is locked"),
        },
        P::BackupFailed {
            backup: PathBuf::from("w.schema1-backup.gpkg"),
            reason: s("No space left on device (os error 28)"),
        },
        P::TooManyBackups { count: 999 },
        P::Database {
            detail: s("database is locked"),
        },
        P::FileSystem {
            path: PathBuf::from("w.gpkg"),
            reason: s("Permission denied (os error 13)"),
        },
        P::Cancelled,
        P::SameWorkspace {
            name: s("花木街道"),
        },
        P::NoSuchStreet {
            street: s("街道乡镇"),
            known: s("花木街道"),
        },
        P::MergeUnreadable {
            count: 2,
            first: Box::new(P::EmptyCommand),
        },
        P::NoSuchConflict { id: s("0b6f9c1e") },
        P::ConflictResolved {
            label: s("口袋花园"),
            field: s("stage"),
        },
        P::ConflictValueNotKept { field: s("data") },
        P::MergeCodeTaken {
            code: s("PD-001"),
            ours: s("口袋花园"),
            theirs: s("花木街道"),
        },
        P::ServerUnreachable {
            server: s("postgresql://linli@127.0.0.1/pudong"),
            detail: s("connection refused"),
        },
        P::ServerRefused {
            server: s("postgresql://yangjing@127.0.0.1/pudong"),
            detail: s("new row violates row-level security policy"),
        },
        P::ServerSchema {
            server: s("postgresql://linli@127.0.0.1/pudong"),
            found: 0,
            expected: 1,
        },
        P::BadRoleName {
            role: s("花木街道"),
        },
        P::ServerWriteRefused {
            server: s("postgresql://yangjing@127.0.0.1/pudong"),
            name: s("口袋花园"),
            id: s("0b6f9c1e"),
        },
    ];
    // Every variant (and every geometry problem) must be sampled above.
    let mut seen = std::collections::BTreeSet::new();
    for p in &all {
        let key = match p {
            P::CannotOpen { .. } => "CannotOpen",
            P::CannotRead { .. } => "CannotRead",
            P::CannotCreate { .. } => "CannotCreate",
            P::CannotMoveIntoPlace { .. } => "CannotMoveIntoPlace",
            P::IsFolder { .. } => "IsFolder",
            P::NotAFileName => "NotAFileName",
            P::TooLarge { .. } => "TooLarge",
            P::NotUtf8 { .. } => "NotUtf8",
            P::EmptyFile => "EmptyFile",
            P::Json { .. } => "Json",
            P::NotJson => "NotJson",
            P::NoTopLevelType => "NoTopLevelType",
            P::UnknownGeoJsonType { .. } => "UnknownGeoJsonType",
            P::NoFeaturesArray => "NoFeaturesArray",
            P::FeaturesNotArray { .. } => "FeaturesNotArray",
            P::NoFeatures => "NoFeatures",
            P::ForeignCrs { .. } => "ForeignCrs",
            P::PrjNotWkt { .. } => "PrjNotWkt",
            P::CrsNumberOutOfRange { .. } => "CrsNumberOutOfRange",
            P::ShapefileBroken { .. } => "ShapefileBroken",
            P::DbfCountMismatch { .. } => "DbfCountMismatch",
            P::UnknownEncoding { .. } => "UnknownEncoding",
            P::SourceLayerNeeded { .. } => "SourceLayerNeeded",
            P::NoSuchSourceLayer { .. } => "NoSuchSourceLayer",
            P::NoFeatureTables => "NoFeatureTables",
            P::NotATable { .. } => "NotATable",
            P::ForeignReadStalled { .. } => "ForeignReadStalled",
            P::NotMbTiles => "NotMbTiles",
            P::NoTiles => "NoTiles",
            P::TileTooLarge { .. } => "TileTooLarge",
            P::UnknownFormat => "UnknownFormat",
            P::NotAFeature { .. } => "NotAFeature",
            P::FeatureHasNoType => "FeatureHasNoType",
            P::BadFeatureId => "BadFeatureId",
            P::NoGeometry => "NoGeometry",
            P::GeometryHasNoType => "GeometryHasNoType",
            P::UnknownGeometryType { .. } => "UnknownGeometryType",
            P::Several { .. } => "Several",
            P::NeedsRepair { repair } => match repair {
                Repair::RingClosed { .. } => "R::RingClosed",
                Repair::RepeatedPositionsRemoved { .. } => "R::RepeatedPositionsRemoved",
                Repair::ShortRingDropped { .. } => "R::ShortRingDropped",
                Repair::FlatRingDropped { .. } => "R::FlatRingDropped",
                Repair::PolygonDropped { .. } => "R::PolygonDropped",
                Repair::FeatureDropped => "R::FeatureDropped",
            },
            P::Geometry { problem, .. } => match problem {
                G::NestedTooDeep { .. } => "G::NestedTooDeep",
                G::NeedsGeometries => "G::NeedsGeometries",
                G::EmptyCollection => "G::EmptyCollection",
                G::NeedsCoordinates => "G::NeedsCoordinates",
                G::NoPoints => "G::NoPoints",
                G::NoLines => "G::NoLines",
                G::NoPolygons => "G::NoPolygons",
                G::LineTooShort { .. } => "G::LineTooShort",
                G::NoRings => "G::NoRings",
                G::RingTooShort { .. } => "G::RingTooShort",
                G::RingNotClosed { .. } => "G::RingNotClosed",
                G::NotFinite { .. } => "G::NotFinite",
                G::NotDegrees { .. } => "G::NotDegrees",
                G::LatitudeBeyond90 { .. } => "G::LatitudeBeyond90",
                G::OutsideCrs { .. } => "G::OutsideCrs",
            },
            P::NotACatalog { .. } => "NotACatalog",
            P::EmptyCatalog => "EmptyCatalog",
            P::BadElementKey { .. } => "BadElementKey",
            P::DuplicateElementKey { .. } => "DuplicateElementKey",
            P::BadElementColour { .. } => "BadElementColour",
            P::BadSampleData { .. } => "BadSampleData",
            P::SampleTakesNoCatalog => "SampleTakesNoCatalog",
            P::PlanTakesNoLayer => "PlanTakesNoLayer",
            P::LayerNameNeeded => "LayerNameNeeded",
            P::NoSuchWorkspaceLayer { .. } => "NoSuchWorkspaceLayer",
            P::NoFacilities => "NoFacilities",
            P::DistanceNotPositive { .. } => "DistanceNotPositive",
            P::NotLonLat { .. } => "NotLonLat",
            P::WorkspaceExists => "WorkspaceExists",
            P::NoSuchWorkspace => "NoSuchWorkspace",
            P::NotSqlite => "NotSqlite",
            P::NotGeoPackage => "NotGeoPackage",
            P::NotLinliWorkspace => "NotLinliWorkspace",
            P::NoSchemaVersion => "NoSchemaVersion",
            P::NewerSchema { .. } => "NewerSchema",
            P::DamagedOrNotWorkspace { .. } => "DamagedOrNotWorkspace",
            P::Damaged { .. } => "Damaged",
            P::NoWal { .. } => "NoWal",
            P::CatalogEntryUnreadable { .. } => "CatalogEntryUnreadable",
            P::UnreadableGeometry { .. } => "UnreadableGeometry",
            P::FeatureIdNotUuid { .. } => "FeatureIdNotUuid",
            P::BadTableName { .. } => "BadTableName",
            P::CannotEncodeGeometry { .. } => "CannotEncodeGeometry",
            P::CannotSerialise { .. } => "CannotSerialise",
            P::LayerNameEmpty => "LayerNameEmpty",
            P::LayerNameInvalid { .. } => "LayerNameInvalid",
            P::LayerNameReserved { .. } => "LayerNameReserved",
            P::LayerNameTaken { .. } => "LayerNameTaken",
            P::ProjectCodeTaken { .. } => "ProjectCodeTaken",
            P::UnsupportedPlanGeometry { .. } => "UnsupportedPlanGeometry",
            P::RoleLayerExists { .. } => "RoleLayerExists",
            P::FeatureNameMissing { .. } => "FeatureNameMissing",
            P::NotAPolygonForRole { .. } => "NotAPolygonForRole",
            P::ElementTypeNotText => "ElementTypeNotText",
            P::ElementTypeMissing => "ElementTypeMissing",
            P::UnknownElementType { .. } => "UnknownElementType",
            P::MixedGeometry => "MixedGeometry",
            P::KindNotAllowed { .. } => "KindNotAllowed",
            P::NoPlanFeature { .. } => "NoPlanFeature",
            P::PlanFeatureExists { .. } => "PlanFeatureExists",
            P::NoSuchProject { .. } => "NoSuchProject",
            P::NotLonLatPosition { .. } => "NotLonLatPosition",
            P::MalformedPlanGeometry => "MalformedPlanGeometry",
            P::UnknownStreet { .. } => "UnknownStreet",
            P::UnknownExportFilter { .. } => "UnknownExportFilter",
            P::CannotBeDrawnAs { .. } => "CannotBeDrawnAs",
            P::ProjectCodeEmpty => "ProjectCodeEmpty",
            P::ProjectNameEmpty => "ProjectNameEmpty",
            P::YearOutOfRange { .. } => "YearOutOfRange",
            P::UnknownWorkflow { .. } => "UnknownWorkflow",
            P::UnknownStage { .. } => "UnknownStage",
            P::AmountNegative { .. } => "AmountNegative",
            P::FundingSourceEmpty => "FundingSourceEmpty",
            P::FundingOverBudget { .. } => "FundingOverBudget",
            P::ProgressOutOfRange { .. } => "ProgressOutOfRange",
            P::DateNotValid { .. } => "DateNotValid",
            P::NotANumber { .. } => "NotANumber",
            P::OutputNeeded => "OutputNeeded",
            P::NoSuchArea { .. } => "NoSuchArea",
            P::BlueprintFormat { .. } => "BlueprintFormat",
            P::PrintFailed { .. } => "PrintFailed",
            P::MeetingNeedsProject { .. } => "MeetingNeedsProject",
            P::NoAlternativeWithId { .. } => "NoAlternativeWithId",
            P::AlternativeLabelEmpty => "AlternativeLabelEmpty",
            P::NoMeetingWithId { .. } => "NoMeetingWithId",
            P::InputExists { .. } => "InputExists",
            P::UnknownExportFormat { .. } => "UnknownExportFormat",
            P::InputTextTooLong { .. } => "InputTextTooLong",
            P::ParticipantNumberInvalid { .. } => "ParticipantNumberInvalid",
            P::InputOnTwoItems => "InputOnTwoItems",
            P::VotingClosed => "VotingClosed",
            P::VoteItemCapReached { .. } => "VoteItemCapReached",
            P::VoteNeedsParticipant => "VoteNeedsParticipant",
            P::NoVotesLeft { .. } => "NoVotesLeft",
            P::VotesMayNotStack { .. } => "VotesMayNotStack",
            P::LastStepNotInput => "LastStepNotInput",
            P::UnknownMeetingKind { .. } => "UnknownMeetingKind",
            P::RosterNameEmpty { .. } => "RosterNameEmpty",
            P::RosterNameTaken { .. } => "RosterNameTaken",
            P::NoRosterRecord { .. } => "NoRosterRecord",
            P::OwnerNotOnRoster { .. } => "OwnerNotOnRoster",
            P::UnknownRosterCode { .. } => "UnknownRosterCode",
            P::MeetingPinOffMap { .. } => "MeetingPinOffMap",
            P::MeetingVoteValue { .. } => "MeetingVoteValue",
            P::MeetingViewInvalid => "MeetingViewInvalid",
            P::AttachmentTooLarge { .. } => "AttachmentTooLarge",
            P::AttachmentTypeUnknown => "AttachmentTypeUnknown",
            P::AttachmentEmpty => "AttachmentEmpty",
            P::NoAttachmentWithId { .. } => "NoAttachmentWithId",
            P::UnknownAttachmentKind { .. } => "UnknownAttachmentKind",
            P::ProjectFieldInvalid { .. } => "ProjectFieldInvalid",
            P::ProjectCodeNotText => "ProjectCodeNotText",
            P::EmptyCommand => "EmptyCommand",
            P::IntegrityCheck { .. } => "IntegrityCheck",
            P::WrongApplicationId { .. } => "WrongApplicationId",
            P::WrongUserVersion { .. } => "WrongUserVersion",
            P::TableMissing { .. } => "TableMissing",
            P::ForeignKeyViolations { .. } => "ForeignKeyViolations",
            P::LayerWithoutTable { .. } => "LayerWithoutTable",
            P::PlanFeatureInTwoTables { .. } => "PlanFeatureInTwoTables",
            P::PlanFeatureUnknownElement { .. } => "PlanFeatureUnknownElement",
            P::WorkspaceReadOnly => "WorkspaceReadOnly",
            P::WorkspaceNotWritable => "WorkspaceNotWritable",
            P::OldSchemaNotWritable { .. } => "OldSchemaNotWritable",
            P::OutputIsWorkspace => "OutputIsWorkspace",
            P::OutputIsDatabase => "OutputIsDatabase",
            P::OutputExists => "OutputExists",
            P::OldSchemaReadOnly { .. } => "OldSchemaReadOnly",
            P::UnreadablePlanRow { .. } => "UnreadablePlanRow",
            P::PlanIdReplaced { .. } => "PlanIdReplaced",
            P::UnparsedProperties { .. } => "UnparsedProperties",
            P::ChangedElsewhere { .. } => "ChangedElsewhere",
            P::DeletedElsewhere { .. } => "DeletedElsewhere",
            P::RecordNotWritable { .. } => "RecordNotWritable",
            P::AddedElsewhere { .. } => "AddedElsewhere",
            P::UnknownElementShown { .. } => "UnknownElementShown",
            P::TessellationFailed { .. } => "TessellationFailed",
            P::PlanFeatureUnknownProject { .. } => "PlanFeatureUnknownProject",
            P::NoGeometryColumn { .. } => "NoGeometryColumn",
            P::SpatialIndexMissing { .. } => "SpatialIndexMissing",
            P::SpatialIndexTriggersMissing { .. } => "SpatialIndexTriggersMissing",
            P::WrongSrsId { .. } => "WrongSrsId",
            P::InvalidGeometryBlobs { .. } => "InvalidGeometryBlobs",
            P::SpatialIndexInconsistent { .. } => "SpatialIndexInconsistent",
            P::SpatialRefSysIncomplete => "SpatialRefSysIncomplete",
            P::PlanFeatureMixedGeometry { .. } => "PlanFeatureMixedGeometry",
            P::ProjectIdTaken { .. } => "ProjectIdTaken",
            P::NoProjectWithId { .. } => "NoProjectWithId",
            P::CannotMigrate { .. } => "CannotMigrate",
            P::MigrationBusy => "MigrationBusy",
            P::StillOpenElsewhere => "StillOpenElsewhere",
            P::MigrationStepFailed { .. } => "MigrationStepFailed",
            P::MigrationNotSaved { .. } => "MigrationNotSaved",
            P::BackupFailed { .. } => "BackupFailed",
            P::TooManyBackups { .. } => "TooManyBackups",
            P::Database { .. } => "Database",
            P::FileSystem { .. } => "FileSystem",
            P::Cancelled => "Cancelled",
            P::SameWorkspace { .. } => "SameWorkspace",
            P::NoSuchStreet { .. } => "NoSuchStreet",
            P::MergeUnreadable { .. } => "MergeUnreadable",
            P::NoSuchConflict { .. } => "NoSuchConflict",
            P::ConflictResolved { .. } => "ConflictResolved",
            P::ConflictValueNotKept { .. } => "ConflictValueNotKept",
            P::MergeCodeTaken { .. } => "MergeCodeTaken",
            P::ServerUnreachable { .. } => "ServerUnreachable",
            P::ServerRefused { .. } => "ServerRefused",
            P::ServerSchema { .. } => "ServerSchema",
            P::BadRoleName { .. } => "BadRoleName",
            P::ServerWriteRefused { .. } => "ServerWriteRefused",
        };
        seen.insert(key);
    }
    // 193 problems (Geometry is counted by its 15 geometry problems, NeedsRepair by its 6
    // repairs). A new variant is a compile error in the match above; add
    // its sample and count it here.
    assert_eq!(
        seen.len(),
        193 + 15 + 6,
        "a variant has no sample: {seen:?}"
    );
    all
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn without_user_data(text: &str) -> String {
    USER_DATA
        .iter()
        .fold(text.to_string(), |t, d| t.replace(d, ""))
}

#[test]
fn english_is_ascii_but_the_users_data() {
    for p in samples() {
        let en = problem_message(&p, Lang::En);
        let rest = without_user_data(&en);
        assert!(rest.is_ascii(), "{p:?}: not ASCII: {en}");
        assert!(!en.is_empty() && en == p.to_string(), "{p:?}");
    }
}

#[test]
fn chinese_is_chinese_with_chinese_punctuation() {
    for p in samples() {
        let zh = problem_message(&p, Lang::Zh);
        let en = problem_message(&p, Lang::En);
        assert_ne!(zh, en, "{p:?} is not translated");
        assert!(zh.chars().any(is_cjk), "{p:?}: no Chinese in {zh}");
        // ASCII sentence punctuation belongs to English; (x, y) pairs, --flags and the
        // parser's quoted details are data, not sentences.
        for bad in ["; ", ": ", "\"", ". "] {
            let rest = zh.replace("(os error", "");
            assert!(
                !rest.contains(bad) || p_has_detail(&p),
                "{p:?}: ASCII {bad:?} in {zh}"
            );
        }
    }
}

/// Problems whose parameters carry foreign text that may hold ASCII punctuation.
fn p_has_detail(p: &Problem) -> bool {
    matches!(
        p,
        Problem::Json { .. }
            | Problem::FeaturesNotArray { .. }
            | Problem::NotACatalog { .. }
            | Problem::BadSampleData { .. }
            | Problem::ForeignCrs { .. }
            | Problem::PrjNotWkt { .. }
            | Problem::ShapefileBroken { .. }
            | Problem::UnknownEncoding { .. }
            | Problem::NoSuchSourceLayer { .. }
            | Problem::NoSuchWorkspaceLayer { .. }
            | Problem::SourceLayerNeeded { .. }
            | Problem::LayerNameInvalid { .. }
            | Problem::MigrationStepFailed { .. }
    )
}

#[test]
fn the_file_and_the_place_come_first() {
    let e = Error::input(
        "街道.geojson",
        Some(3),
        Problem::Geometry {
            kind: "Polygon".into(),
            part: None,
            problem: GeometryProblem::RingNotClosed { ring: 0 },
        },
    );
    assert_eq!(
        error_message(&e, Lang::En),
        "街道.geojson: feature 3: Polygon: ring 0 is not closed (its first and last positions differ)"
    );
    assert_eq!(
        error_message(&e, Lang::Zh),
        "街道.geojson：要素 3：Polygon：环 0 未闭合（首尾坐标点不同）"
    );
    assert_eq!(e.to_string(), error_message(&e, Lang::En));
    let w = Error::workspace("w.gpkg", Problem::NotSqlite);
    assert!(error_message(&w, Lang::Zh).starts_with("w.gpkg：不是 GeoPackage"));
    let io = Error::io(
        PathBuf::from("out.geojson"),
        std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert_eq!(error_message(&io, Lang::Zh), "out.geojson：没有访问权限");
    assert!(error_message(&io, Lang::En).is_ascii());
    assert_eq!(error_message(&Error::Cancelled, Lang::Zh), "已取消");
    let busy = Error::database(crate::error::DatabaseCode::Busy, "database is locked");
    assert_eq!(
        error_message(&busy, Lang::Zh),
        "数据库错误：文件正被其他程序占用，请稍后再试（database is locked）"
    );
    assert!(error_message(&busy, Lang::En).is_ascii());
    let other = Error::database(crate::error::DatabaseCode::Other, "no such table: t");
    assert_eq!(
        error_message(&other, Lang::En),
        "database error: no such table: t"
    );
    assert_eq!(
        error_message(&other, Lang::Zh),
        "数据库错误：no such table: t"
    );
    let r = Error::request(Problem::LayerNameNeeded);
    assert_eq!(
        failure_text(Lang::En, Text::ImportFailed, &r),
        "Import failed; the workspace is unchanged: a layer name is needed: --layer NAME"
    );
    assert!(failure_text(Lang::Zh, Text::EditFailed, &r).starts_with("编辑未保存：需要图层名称"));
    let text = error_text(&r);
    assert_eq!(text.get(Lang::En), r.to_string());
    assert_eq!(text.get(Lang::Zh), "需要图层名称：--layer 名称");
}

#[test]
fn every_problem_belongs_to_exactly_one_family() {
    for p in samples() {
        for lang in [Lang::Zh, Lang::En] {
            let claimed = [
                input::message(&p, lang),
                records::message(&p, lang),
                workspace::message(&p, lang),
                sync::message(&p, lang),
            ];
            let n = claimed.iter().filter(|m| m.is_some()).count();
            assert_eq!(n, 1, "{p:?} is worded by {n} families");
        }
    }
}
