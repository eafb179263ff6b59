//! The merge conflicts as the bureau's table: `linli conflicts` (TSV, CSV with BOM, xlsx).

use super::Session;
use crate::io::csv::Cell;
use crate::io::table::{Table, TableFormat};
use crate::model::sync::{MergeConflict, WHOLE_RECORD};

/// The conflicts table's columns: key, type, meaning, 中文 (the README lists them).
pub const CONFLICT_COLUMNS: [(&str, &str, &str, &str); 12] = [
    (
        "id",
        "text (UUID)",
        "the conflict's id (linli resolve takes it)",
        "冲突标识",
    ),
    (
        "status",
        "text",
        "open or resolved",
        "状态（open 待解决 / resolved 已解决）",
    ),
    (
        "from",
        "text",
        "the workspace merged in (a street, or the district)",
        "来自（街道或区）",
    ),
    (
        "kind",
        "text",
        "the record's kind (plan, project, meeting…)",
        "记录类型",
    ),
    ("record_id", "text (UUID)", "the record's id", "记录标识"),
    ("record", "text", "what the record is called", "记录名称"),
    (
        "field",
        "text",
        "the field, or * for the whole record",
        "字段（* 为整条记录）",
    ),
    (
        "base",
        "JSON",
        "the value both sides started from",
        "共同基础值",
    ),
    (
        "ours",
        "JSON",
        "this workspace's value (kept while open)",
        "本工作空间的值",
    ),
    ("theirs", "JSON", "the other workspace's value", "对方的值"),
    (
        "found_utc",
        "text (RFC 3339)",
        "when the merge found it, UTC",
        "发现时间（UTC）",
    ),
    (
        "resolution",
        "JSON",
        "the value it was resolved with",
        "解决所用的值",
    ),
];

/// A value as a cell shows it: text as it is, anything else as compact JSON, nothing for
/// null.
pub fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn row(c: &MergeConflict) -> Vec<String> {
    vec![
        c.id.to_string(),
        c.status.key().to_string(),
        c.peer_name.clone(),
        c.kind.key().to_string(),
        c.record.to_string(),
        c.label.clone(),
        if c.field == WHOLE_RECORD {
            "*".to_string()
        } else {
            c.field.clone()
        },
        value_text(&c.base),
        value_text(&c.ours),
        value_text(&c.theirs),
        c.found.clone(),
        value_text(&c.resolution),
    ]
}

impl Session {
    /// The conflicts (only the open ones unless `all`) as tab-separated lines, the header
    /// first; tabs and line breaks inside a value become spaces.
    pub fn conflicts_tsv(&self, all: bool) -> Vec<String> {
        let mut lines = vec![CONFLICT_COLUMNS.map(|c| c.0).join("\t")];
        for c in self.merge_conflicts() {
            if all || c.is_open() {
                let cells: Vec<String> = row(c)
                    .into_iter()
                    .map(|v| v.replace(['\t', '\n', '\r'], " "))
                    .collect();
                lines.push(cells.join("\t"));
            }
        }
        lines
    }

    /// The conflicts (only the open ones unless `all`) as a file in `format`, and how many.
    ///
    /// # Errors
    /// What the workbook writer reports, as an I/O error (see [`crate::io::table`]).
    pub fn conflicts_table_bytes(
        &self,
        all: bool,
        format: TableFormat,
    ) -> std::io::Result<(Vec<u8>, usize)> {
        let rows: Vec<Vec<Cell>> = self
            .merge_conflicts()
            .into_iter()
            .filter(|c| all || c.is_open())
            .map(|c| row(c).into_iter().map(Cell::text).collect())
            .collect();
        let count = rows.len();
        let header = CONFLICT_COLUMNS.map(|c| c.0);
        let bytes = Table {
            sheet: "conflicts",
            header: &header,
            rows,
            notes: Vec::new(),
        }
        .bytes(format)?;
        Ok((bytes, count))
    }
}
