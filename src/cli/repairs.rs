//! The import report: what the CLI prints after an import (a summary line and the first
//! repairs) and the `--report FILE` CSV with all of them.

use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::i18n::errors::repair_message;
use crate::io::csv::{Cell, csv_text};
use crate::io::geojson_in::Repairs;
use crate::io::repair::repair_kind;

/// How many repairs the CLI prints; `--report` writes all that were listed
/// ([`crate::io::repair::LISTED_REPAIRS`]) and counts the rest.
pub const PRINTED_REPAIRS: usize = 20;

/// The lines to print for `repairs`: nothing when there were none, else the summary, the
/// first [`PRINTED_REPAIRS`] and how many more.
pub fn repair_lines(repairs: &Repairs, lang: Lang) -> Vec<String> {
    if repairs.total == 0 {
        return Vec::new();
    }
    let mut lines = vec![
        CliText::RepairSummary {
            repairs: repairs.total,
            features: repairs.features,
            dropped: repairs.dropped,
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
    if repairs.total > PRINTED_REPAIRS {
        let more = CliText::RepairsMore {
            more: repairs.total - PRINTED_REPAIRS,
        };
        lines.push(format!("  {}", more.get(lang)));
    }
    lines
}

/// Every repair as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese):
/// `feature,source_id,repair,description` with the description in `lang`.
pub fn repairs_csv(repairs: &Repairs, lang: Lang) -> String {
    let mut rows: Vec<Vec<Cell>> = repairs
        .iter()
        .map(|r| {
            vec![
                Cell::number(r.feature),
                Cell::text(r.source_id.as_deref().unwrap_or("")),
                Cell::text(repair_kind(&r.repair)),
                Cell::text(repair_message(&r.repair, lang)),
            ]
        })
        .collect();
    if repairs.unlisted() > 0 {
        // Counted, not held: one row says how many.
        let more = CliText::RepairsMore {
            more: repairs.unlisted(),
        };
        rows.push(vec![
            Cell::text(""),
            Cell::text(""),
            Cell::text("not_listed"),
            Cell::text(more.get(lang)),
        ]);
    }
    csv_text(&["feature", "source_id", "repair", "description"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Repair;
    use crate::io::geojson_in::RepairEntry;

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
        let repairs = Repairs::from((0..25).map(entry).collect::<Vec<RepairEntry>>());
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
        assert!(repair_lines(&Repairs::default(), Lang::Zh).is_empty());
        // Beyond the listed, counted: the summary and the CSV say how many.
        let many = Repairs::from(
            (0..crate::io::repair::LISTED_REPAIRS + 7)
                .map(entry)
                .collect::<Vec<_>>(),
        );
        assert_eq!(many.len(), crate::io::repair::LISTED_REPAIRS);
        let lines = repair_lines(&many, Lang::En);
        assert!(
            lines[0].starts_with("made 10007 repairs in 10007 features"),
            "{}",
            lines[0]
        );
        let csv = repairs_csv(&many, Lang::En);
        assert!(csv.lines().last().unwrap().contains("7 more"), "{csv:.80}");
    }
}
