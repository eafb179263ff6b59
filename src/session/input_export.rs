//! Residents' input as files for the bureau: a table (CSV with a BOM or an Excel workbook,
//! through [`crate::io::table`]: typed cells, the formula guard) and GeoJSON points (RFC 7946,
//! `io::geojson_out`'s conventions: WGS84 lon/lat, one Feature per input, the properties the
//! table's columns), both written through [`super::Session::write_export`].

use uuid::Uuid;

use super::views::Records;
use crate::i18n::Lang;
use crate::io::csv::Cell;
use crate::io::table::{Table, TableFormat};
use crate::model::input::ResidentInput;
use crate::model::local_time::LocalZone;

/// The columns of the inputs' table and GeoJSON properties: key, type, meaning, 中文 (the
/// README's export section lists them from here).
pub const INPUT_COLUMNS: [(&str, &str, &str, &str); 15] = [
    ("id", "text (UUID)", "the input's id", "意见标识"),
    ("meeting_id", "text (UUID)", "the meeting's id", "会议标识"),
    (
        "meeting_date",
        "text (YYYY-MM-DD)",
        "the meeting's day",
        "会议日期",
    ),
    (
        "meeting_kind",
        "text",
        "the meeting's kind (Chinese name)",
        "会议类型",
    ),
    (
        "made_utc",
        "text (RFC 3339)",
        "when it was made, UTC",
        "记录时间（UTC）",
    ),
    (
        "made_local",
        "text",
        "when it was made, local time with offset",
        "记录时间（本地）",
    ),
    ("kind", "text", "support, concern, idea or vote", "类别键"),
    ("kind_zh", "text", "支持, 担忧, 想法 or 投票", "类别"),
    (
        "participant",
        "integer",
        "the participant's number, if any",
        "参与者编号",
    ),
    ("text", "text", "what was said", "内容"),
    (
        "feature_id",
        "text (UUID)",
        "the plan feature it is on, if any",
        "规划要素标识",
    ),
    (
        "feature_name",
        "text",
        "that feature's name",
        "规划要素名称",
    ),
    (
        "alternative_id",
        "text (UUID)",
        "the design alternative it is on, if any",
        "设计方案标识",
    ),
    (
        "lon",
        "number",
        "where it was pinned: longitude, WGS84 (GeoJSON: the point)",
        "经度",
    ),
    (
        "lat",
        "number",
        "where it was pinned: latitude, WGS84 (GeoJSON: the point)",
        "纬度",
    ),
];

impl<'s> Records<'s> {
    /// The inputs a file holds: those of `meeting`, or every input.
    pub fn inputs_for_export(&self, meeting: Option<Uuid>) -> Vec<&'s ResidentInput> {
        match meeting {
            Some(m) => self.inputs_of(m),
            None => self.inputs(),
        }
    }

    fn feature_name(&self, i: &ResidentInput) -> String {
        i.feature
            .and_then(|f| self.session.plan_feature(f))
            .map(|f| f.feature.name.clone())
            .unwrap_or_default()
    }

    fn meeting_of(&self, i: &ResidentInput) -> (String, String) {
        self.meeting(i.meeting).map_or_else(Default::default, |m| {
            (m.date.clone(), m.kind.name_zh().to_string())
        })
    }

    /// The inputs as a table in `format` (see [`INPUT_COLUMNS`]), times shown in `zone`.
    ///
    /// # Errors
    /// What the workbook writer reports, as an I/O error (see [`crate::io::table`]).
    pub fn inputs_table_bytes(
        &self,
        inputs: &[&ResidentInput],
        format: TableFormat,
        zone: &LocalZone,
        lang: Lang,
    ) -> std::io::Result<Vec<u8>> {
        let uuid = |u: Option<Uuid>| Cell::text(u.map(|u| u.to_string()).unwrap_or_default());
        let rows = inputs
            .iter()
            .map(|i| {
                let (date, kind) = self.meeting_of(i);
                vec![
                    Cell::text(i.id.to_string()),
                    Cell::text(i.meeting.to_string()),
                    Cell::text(date),
                    Cell::text(kind),
                    Cell::text(i.made.clone()),
                    Cell::text(zone.local_text(&i.made)),
                    Cell::text(i.kind.key()),
                    Cell::text(i.kind.name_zh()),
                    Cell::maybe(i.participant),
                    Cell::text(i.text.clone()),
                    uuid(i.feature),
                    Cell::text(self.feature_name(i)),
                    uuid(i.alternative),
                    Cell::Number(format!("{:.7}", i.lon_lat[0])),
                    Cell::Number(format!("{:.7}", i.lon_lat[1])),
                ]
            })
            .collect();
        let header: Vec<&str> = INPUT_COLUMNS.iter().map(|c| c.0).collect();
        Table {
            sheet: crate::i18n::exports::ExportText::SheetInputs.get(lang),
            header: &header,
            rows,
            notes: Vec::new(),
        }
        .bytes(format)
    }

    /// The inputs as an RFC 7946 FeatureCollection of points (see [`INPUT_COLUMNS`]).
    pub fn inputs_geojson(&self, inputs: &[&ResidentInput], zone: &LocalZone) -> String {
        let features: Vec<serde_json::Value> = inputs
            .iter()
            .map(|i| {
                let (date, kind) = self.meeting_of(i);
                let point = geo::Geometry::Point(geo::Point::new(i.lon_lat[0], i.lon_lat[1]));
                serde_json::json!({
                    "type": "Feature",
                    "id": i.id.to_string(),
                    "properties": {
                        "id": i.id.to_string(),
                        "meeting_id": i.meeting.to_string(),
                        "meeting_date": date,
                        "meeting_kind": kind,
                        "made_utc": i.made,
                        "made_local": zone.local_text(&i.made),
                        "kind": i.kind.key(),
                        "kind_zh": i.kind.name_zh(),
                        "participant": i.participant,
                        "text": i.text,
                        "feature_id": i.feature.map(|u| u.to_string()),
                        "feature_name": i.feature.map(|_| self.feature_name(i)),
                        "alternative_id": i.alternative.map(|u| u.to_string()),
                    },
                    "geometry": crate::io::geojson_out::geometry_json(&point),
                })
            })
            .collect();
        serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
    }
}
