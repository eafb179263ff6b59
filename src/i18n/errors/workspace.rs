//! The words of problems with the workspace file: opening, schema and migration, integrity checks, writing.

use super::*;

/// The words of a problem of this family in `lang`; `None` for a problem of another.
pub(super) fn message(p: &Problem, lang: Lang) -> Option<String> {
    use Problem as P;
    let zh = lang == Lang::Zh;
    let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    Some(match p {
        P::WorkspaceExists => t(
            "已存在；邻里不会覆盖已有的工作空间".into(),
            "already exists; Linli does not overwrite a workspace".into(),
        ),
        P::NoSuchWorkspace => t(
            "工作空间不存在（可用 `linli new` 创建）".into(),
            "no such workspace (create one with `linli new`)".into(),
        ),
        P::NotSqlite => t(
            "不是 GeoPackage（不是 SQLite 数据库）".into(),
            "is not a GeoPackage (not an SQLite database)".into(),
        ),
        P::NotGeoPackage => t(
            "是 SQLite 数据库，但不是 GeoPackage（application_id 不是 “GPKG”）".into(),
            "is an SQLite database but not a GeoPackage (application_id is not 'GPKG')".into(),
        ),
        P::NotLinliWorkspace => t(
            "是 GeoPackage，但不是邻里工作空间（没有 linli_meta 表）；请用 `linli new` 新建工作空间并导入其图层".into(),
            "is a GeoPackage but not a Linli workspace (it has no linli_meta table); create a workspace with `linli new` and import its layers".into(),
        ),
        P::NoSchemaVersion => t(
            "linli_meta 中没有可读的架构版本".into(),
            "has no readable schema version in linli_meta".into(),
        ),
        P::NewerSchema { found, supported } => t(
            format!(
                "由更新版本的邻里写入（工作空间架构版本 {found}，本程序最高读取 {supported}）；文件未被修改，请更新邻里后再打开"
            ),
            format!(
                "was written by a newer Linli (workspace schema {found}; this program reads up to {supported}); it was not modified: update Linli to open it"
            ),
        ),
        P::DamagedOrNotWorkspace { detail } => t(
            format!("文件已损坏或不是工作空间：{detail}"),
            format!("the file is damaged or not a workspace: {detail}"),
        ),
        P::Damaged { detail } => t(
            format!("文件已损坏：{detail}"),
            format!("the file is damaged: {detail}"),
        ),
        P::NoWal { mode } => t(
            format!("无法将日志模式切换为 WAL（当前为 {mode}）"),
            format!("cannot switch the journal to WAL (got {mode})"),
        ),
        P::CatalogEntryUnreadable { key, detail } => t(
            format!("目录条目 “{key}” 无法读取：{detail}"),
            format!("catalog entry {key:?} is unreadable: {detail}"),
        ),
        P::UnreadableGeometry { layer, feature } => t(
            format!("图层 “{layer}”：要素 {feature} 的几何无法读取"),
            format!("layer {layer:?}: feature {feature} has an unreadable geometry"),
        ),
        P::FeatureIdNotUuid { text } => t(
            format!("要素标识 “{text}” 不是 UUID"),
            format!("feature id {text:?} is not a UUID"),
        ),
        P::BadTableName { name, detail } => t(
            format!("表名 “{name}” 无效：{detail}"),
            format!("bad table name {name:?}: {detail}"),
        ),
        P::CannotEncodeGeometry { detail } => t(
            format!("无法编码几何：{detail}"),
            format!("cannot encode geometry: {detail}"),
        ),
        P::CannotSerialise { what, detail } => t(
            format!("无法写入{}：{detail}", serialised_zh(what)),
            format!("cannot write {what}: {detail}"),
        ),
        P::LayerNameEmpty => t("图层名称为空".into(), "the layer name is empty".into()),
        P::LayerNameInvalid { name } => t(
            format!("图层名称 “{name}”：最多 100 个字符，不能含引号或控制字符"),
            format!("layer name {name:?}: use at most 100 characters, no quotes or control characters"),
        ),
        P::LayerNameReserved { name } => t(
            format!("图层名称 “{name}” 为保留名称（以 gpkg_、rtree_、linli_、sqlite_ 或 plan_ 开头）"),
            format!("layer name {name:?} is reserved (it starts with gpkg_, rtree_, linli_, sqlite_ or plan_)"),
        ),
        P::LayerNameTaken { name } => t(
            format!("工作空间中已有名为 “{name}” 的图层"),
            format!("the workspace already has a layer named {name:?}"),
        ),
        P::ProjectCodeTaken { code } => t(
            format!("编号为 “{code}” 的项目已存在"),
            format!("a project with code {code:?} already exists"),
        ),
        P::PlanFeatureMixedGeometry { id } => t(
            format!("规划要素 {id}：只能是点、线或面中的一种，不能混合"),
            format!("plan feature {id}: a plan feature is points, lines or polygons, not a mix"),
        ),
        P::ProjectIdTaken { id } => t(
            format!("标识为 {id} 的项目已存在"),
            format!("a project with id {id} already exists"),
        ),
        P::NoProjectWithId { id } => t(
            format!("没有标识为 {id} 的项目"),
            format!("there is no project with id {id}"),
        ),
        P::CannotMigrate { found, first, last } => t(
            format!("工作空间架构版本为 {found}，本程序无法升级（只能将架构 {first} 升级到 {last}）"),
            format!(
                "has workspace schema {found}, which this program cannot migrate (it migrates schemas {first} to {last})"
            ),
        ),
        P::StillOpenElsewhere => t(
            "关闭时仍有其他程序或连接打开着此文件，修改日志（-wal）未能并入文件：复制时请连同 -wal 一起复制，或在其他程序关闭后再打开并退出邻里".into(),
            "is still open elsewhere at close, so its change log (-wal) could not be folded into the file: copy the -wal with it, or open and quit Linli once the other program has closed it".into(),
        ),
        P::MigrationBusy => t(
            "需要升级架构，但另一个程序正在使用此文件；请在那里关闭后重新打开".into(),
            "needs a schema upgrade but another program is using it; close it there and open it again".into(),
        ),
        P::MigrationStepFailed {
            from,
            to,
            step,
            cause,
            backup,
        } => t(
            format!(
                "从工作空间架构 {from} 升级到 {to}（{}）失败：{}；文件保持原样（副本位于 {}）",
                migration_step_zh(step),
                problem_message(cause, lang),
                backup.display()
            ),
            format!(
                "upgrading from workspace schema {from} to {to} ({step}) failed: {}; the file was left as it was (a copy is at {})",
                problem_message(cause, lang),
                backup.display()
            ),
        ),
        P::MigrationNotSaved { from, detail } => t(
            format!("从工作空间架构 {from} 升级时保存失败：{detail}；文件保持原样"),
            format!(
                "upgrading from workspace schema {from} failed when saving: {detail}; the file was left as it was"
            ),
        ),
        P::BackupFailed { backup, reason } => t(
            format!(
                "需要升级架构，但无法写入备份副本 {}（{reason}）；文件未被修改",
                backup.display()
            ),
            format!(
                "needs a schema upgrade, but its backup copy {} could not be written ({reason}); it was not modified",
                backup.display()
            ),
        ),
        P::TooManyBackups { count } => t(
            format!("需要升级架构，但已有 {count} 个备份；请先移走一些"),
            format!("needs a schema upgrade but {count} backups of it exist already; move some away"),
        ),
        P::Database { detail } => t(
            format!("数据库错误（{detail}）"),
            format!("database error: {detail}"),
        ),
        P::FileSystem { path, reason } => t(
            format!("{}：系统错误（{reason}）", path.display()),
            format!("{}: {reason}", path.display()),
        ),
        P::Cancelled => t("已取消".into(), "cancelled".into()),
        P::EmptyCommand => t(
            "空操作，没有任何改动".to_string(),
            "an empty command changes nothing".to_string(),
        ),
        P::IntegrityCheck { detail } => t(
            format!("SQLite 完整性检查：{detail}"),
            format!("SQLite integrity: {detail}"),
        ),
        P::WrongApplicationId { found } => t(
            format!("application_id 为 {found:#x}，不是 “GPKG”"),
            format!("application_id is {found:#x}, not 'GPKG'"),
        ),
        P::WrongUserVersion { found, expected } => t(
            format!("user_version 为 {found}，应为 {expected}（GeoPackage 1.2）"),
            format!("user_version is {found}, expected {expected} (GeoPackage 1.2)"),
        ),
        P::TableMissing { table } => {
            t(format!("缺少表 {table}"), format!("table {table} is missing"))
        }
        P::SpatialRefSysIncomplete => t(
            "gpkg_spatial_ref_sys 缺少必需的 EPSG:4326、0 或 -1 记录".into(),
            "gpkg_spatial_ref_sys lacks one of the required EPSG:4326, 0 and -1 rows".into(),
        ),
        P::ForeignKeyViolations { count } => t(
            format!("{count} 处外键约束冲突"),
            format!("{count} foreign key violations"),
        ),
        P::LayerWithoutTable { layer } => t(
            format!("图层 “{layer}” 列在 linli_layers 中，但 gpkg_contents 中没有它的要素表"),
            format!("layer {layer:?} is listed in linli_layers but has no feature table in gpkg_contents"),
        ),
        P::PlanFeatureInTwoTables { id } => t(
            format!("规划要素 {id} 出现在多个规划表中"),
            format!("plan feature {id} appears in more than one plan table"),
        ),
        P::PlanFeatureUnknownElement { id, element } => t(
            format!("规划要素 {id} 的要素类型 “{element}” 不在目录中"),
            format!("plan feature {id} has element type {element:?}, which is not in the catalog"),
        ),
        P::WorkspaceReadOnly => t(
            "以只读方式打开，未作任何修改".to_string(),
            "is open read-only; nothing was changed".to_string(),
        ),
        P::OldSchemaReadOnly { found, oldest } => t(
            format!(
                "由旧版邻里写入（工作空间架构版本 {found}），只读命令只读取第 {oldest} 版及以上；文件未被修改，请先运行 linli upgrade 升级"
            ),
            format!(
                "was written by an older Linli (workspace schema {found}); read-only commands read schema {oldest} and newer as they are, and the file was not modified: run linli upgrade first"
            ),
        ),
        P::WorkspaceNotWritable => t(
            "此文件无法写入（文件或磁盘只读），已以只读方式打开；修改未保存".into(),
            "cannot be written here (the file or its disk is read-only), so it is open read-only; the change was not saved".into(),
        ),
        P::OldSchemaNotWritable { found } => t(
            format!(
                "由旧版邻里写入（工作空间架构版本 {found}），需要升级，但此文件无法写入；文件未被修改，请将其复制到可写的文件夹后再打开副本"
            ),
            format!(
                "was written by an older Linli (workspace schema {found}) and needs an upgrade, but the file cannot be written here; it was not modified: copy it to a folder you can write to and open the copy"
            ),
        ),
        P::UnreadablePlanRow { table, fid, detail } => t(
            format!("{table} 第 {fid} 行无法读取，未载入（{detail}）；其余内容已打开"),
            format!("{table} row {fid} cannot be read and was left out ({detail}); everything else opened"),
        ),
        P::PlanIdReplaced {
            table,
            fid,
            found,
            id,
            written: true,
        } => t(
            format!("{table} 第 {fid} 行的标识 “{found}” 不是 UUID 或与他行重复，已改为 {id}"),
            format!("{table} row {fid}: id {found:?} was not a UUID or repeated another row's; it is now {id}"),
        ),
        P::PlanIdReplaced {
            table,
            fid,
            found,
            id,
            written: false,
        } => t(
            format!(
                "{table} 第 {fid} 行的标识 “{found}” 不是 UUID 或与他行重复；只读打开，暂以 {id} 代之，以编辑方式打开时写入新标识"
            ),
            format!(
                "{table} row {fid}: id {found:?} is not a UUID or repeats another row's; read-only, so {id} stands in for it until the workspace is opened for editing"
            ),
        ),
        P::UnparsedProperties { table, fid } => t(
            format!(
                "{table} 第 {fid} 行的属性不是 JSON 对象，已原样保留（属性 linli_unparsed_properties）"
            ),
            format!(
                "{table} row {fid}: properties are not a JSON object; kept verbatim (property linli_unparsed_properties)"
            ),
        ),
        P::ChangedElsewhere { name, id, field } => t(
            format!(
                "“{name}”（{id}）的字段 {field} 已被其他程序修改；为保留那次修改，本次更改未写入，已重新读取该记录"
            ),
            format!(
                "{name:?} ({id}): field {field} was changed by another program; this change was not written so as not to overwrite it, and the record was read again"
            ),
        ),
        P::RecordNotWritable { kind, id, detail } => t(
            format!("{kind} 记录 {id} 的字段无法组成记录：{detail}；未写入"),
            format!("the fields of {kind} record {id} do not make a record: {detail}; nothing was written"),
        ),
        P::DeletedElsewhere { name, id } => t(
            format!("“{name}”（{id}）已被其他程序删除；本次更改未写入"),
            format!("{name:?} ({id}) was deleted by another program; this change was not written"),
        ),
        P::AddedElsewhere { name, id } => t(
            format!("其他程序已添加 id 为 {id} 的记录（“{name}”）；本次更改未写入"),
            format!("another program added a record with id {id} ({name:?}); this change was not written"),
        ),
        P::UnknownElementShown { id, element } => t(
            format!("规划要素 {id} 的要素类型 “{element}” 不在目录中，按原样显示"),
            format!("plan feature {id} has element type {element:?}, which is not in the catalog; shown as it is"),
        ),
        P::TessellationFailed {
            layer,
            feature,
            detail,
        } => t(
            format!("图层 “{layer}” 要素 {feature} 无法绘制（{detail}），其余要素照常显示"),
            format!("layer {layer:?}: feature {feature} cannot be drawn ({detail}); the others are shown"),
        ),
        P::PlanFeatureUnknownProject { id, code } => t(
            format!("规划要素 {id} 关联的项目 “{code}” 不存在"),
            format!("plan feature {id} links to project {code:?}, which does not exist"),
        ),
        P::NoGeometryColumn { table, column } => t(
            format!("{table}：gpkg_geometry_columns 中没有 {column}（EPSG:4326）的记录"),
            format!("{table}: no gpkg_geometry_columns row for {column} in EPSG:4326"),
        ),
        P::SpatialIndexMissing { table, index } => t(
            format!("{table}：缺少空间索引 {index}"),
            format!("{table}: spatial index {index} is missing"),
        ),
        P::SpatialIndexTriggersMissing {
            table,
            found,
            expected,
        } => t(
            format!("{table}：空间索引触发器不全（{found}/{expected}）"),
            format!("{table}: spatial index triggers are missing ({found} of {expected})"),
        ),
        P::WrongSrsId {
            table,
            fid,
            found,
            expected,
        } => t(
            format!("{table}：要素 {fid} 的 srs_id 为 {found}（应为 {expected}）"),
            format!("{table}: feature {fid} has srs_id {found} (expected {expected})"),
        ),
        P::InvalidGeometryBlobs { table, count } => t(
            format!("{table}：{count} 个几何不是有效的 GeoPackage 几何数据"),
            format!("{table}: {count} geometries are not valid GeoPackage blobs"),
        ),
        P::SpatialIndexInconsistent {
            table,
            geometries,
            entries,
            wrong,
        } => t(
            format!("{table}：空间索引不一致（{geometries} 个几何，{entries} 个索引项，{wrong} 个缺失或错误）"),
            format!("{table}: spatial index is inconsistent ({geometries} geometries, {entries} index entries, {wrong} missing or wrong)"),
        ),
        _ => return None,
    })
}
