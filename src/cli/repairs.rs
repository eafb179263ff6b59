//! The import report: what the CLI prints after an import (a summary line and the first
//! repairs) and the `--report FILE` CSV with all of them.

use std::collections::BTreeSet;

use crate::error::Repair;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::i18n::errors::repair_message;
use crate::io::csv::{Cell, csv_text};
use crate::io::geojson_in::RepairEntry;

/// How many repairs the CLI prints; `--report` writes all.
pub const PRINTED_REPAIRS: usize = 20;

/// The lines to print for `repairs`: nothing when there were none, else the summary, the
/// first [`PRINTED_REPAIRS`] and how many more.
pub fn repair_lines(repairs: &[RepairEntry], lang: Lang) -> Vec<String> {
    if repairs.is_empty() {
        return Vec::new();
    }
    let features: BTreeSet<usize> = repairs.iter().map(|r| r.feature).collect();
    let dropped = repairs
        .iter()
        .filter(|r| r.repair == Repair::FeatureDropped)
        .count();
    let mut lines = vec![
        CliText::RepairSummary {
            repairs: repairs.len(),
            features: features.len(),
            dropped,
        }
        .get(lang),
    ];
    for r in repairs.iter().take(PRINTED_REPAIRS) {
        let line = CliText::RepairLine {
            feature: r.feature,
            source_id: r.source_id.as_deref(),
            repair: &r.repair,
        };
        lines.push(format!("  {}", line.get(lang)));
    }
    if repairs.len() > PRINTED_REPAIRS {
        let more = CliText::RepairsMore {
            more: repairs.len() - PRINTED_REPAIRS,
        };
        lines.push(format!("  {}", more.get(lang)));
    }
    lines
}

/// A stable key per kind of repair, for scripts reading the CSV in either language.
fn repair_key(r: &Repair) -> &'static str {
    match r {
        Repair::RingClosed { .. } => "ring_closed",
        Repair::RepeatedPositionsRemoved { .. } => "repeated_positions_removed",
        Repair::ShortRingDropped { .. } => "short_ring_dropped",
        Repair::FlatRingDropped { .. } => "flat_ring_dropped",
        Repair::PolygonDropped { .. } => "polygon_dropped",
        Repair::FeatureDropped => "feature_dropped",
    }
}

/// Every repair as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese):
/// `feature,source_id,repair,description` with the description in `lang`.
pub fn repairs_csv(repairs: &[RepairEntry], lang: Lang) -> String {
    let rows: Vec<Vec<Cell>> = repairs
        .iter()
        .map(|r| {
            vec![
                Cell::number(r.feature),
                Cell::text(r.source_id.as_deref().unwrap_or("")),
                Cell::text(repair_key(&r.repair)),
                Cell::text(repair_message(&r.repair, lang)),
            ]
        })
        .collect();
    csv_text(&["feature", "source_id", "repair", "description"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_quotes_and_the_printout_stops_at_twenty() {
        let entry = |feature| RepairEntry {
            feature,
            source_id: Some("way,1".into()),
            repair: Repair::RingClosed {
                part: None,
                ring: 0,
            },
        };
        let repairs: Vec<RepairEntry> = (0..25).map(entry).collect();
        let csv = repairs_csv(&repairs, Lang::En);
        assert_eq!(csv.lines().count(), 26);
        assert!(
            csv.contains("\r\n3,\"way,1\",ring_closed,ring 0 was not closed"),
            "{csv}"
        );
        let lines = repair_lines(&repairs, Lang::En);
        assert_eq!(lines.len(), 1 + 20 + 1);
        assert!(
            lines[0].starts_with("made 25 repairs in 25 features; every feature was imported"),
            "{}",
            lines[0]
        );
        assert!(lines[21].contains("5 more"), "{}", lines[21]);
        assert!(repair_lines(&[], Lang::Zh).is_empty());
    }
}
