//! The bureau's tables (projects, tasks, statistics, coverage) as a file: CSV (see
//! [`crate::io::csv`]) or an Excel workbook (`.xlsx`, written by `rust_xlsxwriter`).
//!
//! LibreOffice's default CSV import ignores the byte order mark and shows Chinese as mojibake;
//! an xlsx file has no such question. The workbook holds one sheet: the header row in bold,
//! frozen so it stays in view, with a filter on it; every number Linli formatted as a number
//! cell (a budget sums in the spreadsheet), every text as a text cell (never a formula, so
//! nothing needs the CSV's `'` escape); columns as wide as their content (a Chinese character
//! counts two); the table's notes (a footnote saying how a column adds up) under it.

use crate::io::csv::{Cell, csv_text};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

/// What file a table is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV, UTF-8 with a byte order mark (Excel).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl TableFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// A table ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<'a> {
    /// The sheet's name in a workbook (at most 31 characters, no `[]:*?/\`; others are cut or
    /// replaced).
    pub sheet: &'a str,
    /// The column keys (the header row).
    pub header: &'a [&'a str],
    /// The rows, each as many cells as the header.
    pub rows: Vec<Vec<Cell>>,
    /// Footnotes written under the table in a workbook (a CSV keeps only the table, which
    /// scripts read).
    pub notes: Vec<String>,
}

/// The longest text a spreadsheet cell holds (Excel's limit); longer text is cut there.
const MAX_CELL_CHARS: usize = 32_767;

impl Table<'_> {
    /// The file's bytes in `format`.
    ///
    /// # Errors
    /// Only what the workbook writer reports (nothing a table of Linli's can cause: texts are
    /// cut to a cell's limit, the sheet name is made valid), as an I/O error.
    pub fn bytes(&self, format: TableFormat) -> std::io::Result<Vec<u8>> {
        match format {
            TableFormat::Csv => Ok(csv_text(self.header, &self.rows).into_bytes()),
            TableFormat::Xlsx => self.xlsx().map_err(std::io::Error::other),
        }
    }

    fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(self.sheet))?;
        let head = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin)
            .set_background_color(0xE8EEF4);
        let mut widths: Vec<usize> = self.header.iter().map(|h| display_width(h)).collect();
        for (c, h) in self.header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), *h, &head)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = row_num(r + 1);
            for (c, cell) in row.iter().enumerate() {
                let shown = match cell {
                    Cell::Number(s) if s.is_empty() => continue,
                    Cell::Number(s) => match s.parse::<f64>() {
                        Ok(v) if v.is_finite() => {
                            sheet.write_number(r, col(c), v)?;
                            s.as_str()
                        }
                        _ => write_text(sheet, r, col(c), s)?,
                    },
                    Cell::Text(s) if s.is_empty() => continue,
                    Cell::Text(s) => write_text(sheet, r, col(c), s)?,
                };
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(display_width(shown));
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(col(c), (*w).clamp(6, 60) as f64 + 2.0)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        if !self.header.is_empty() {
            let last_row = row_num(self.rows.len());
            sheet.autofilter(0, 0, last_row, col(self.header.len() - 1))?;
        }
        let note = Format::new().set_italic();
        for (i, text) in self.notes.iter().enumerate() {
            let r = row_num(self.rows.len() + 2 + i);
            sheet.write_string_with_format(r, 0, cut(text), &note)?;
        }
        book.save_to_buffer()
    }
}

/// Writes a text cell (cut to the cell's limit); returns what is shown, for the width.
fn write_text<'s>(
    sheet: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    c: u16,
    text: &'s str,
) -> Result<&'s str, XlsxError> {
    let text = cut(text);
    sheet.write_string(r, c, text)?;
    Ok(text)
}

/// `text` cut to [`MAX_CELL_CHARS`] characters.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// A column index as the workbook counts it (tables have a few dozen columns at most).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A row index as the workbook counts it.
fn row_num(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// How wide `text` shows in a spreadsheet's default font, in characters: a CJK (or other
/// wide) character counts two. Only the longest line counts.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| {
            line.chars()
                .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// A valid sheet name: the characters Excel refuses replaced by `_`, at most 31 characters,
/// never empty.
fn sheet_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .take(31)
        .collect();
    let name = name.trim_matches('\'').to_string();
    if name.trim().is_empty() {
        "Sheet1".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_chinese_twice_and_sheet_names_are_valid() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("口袋花园"), 8);
        assert_eq!(display_width("a\n口袋"), 4);
        assert_eq!(sheet_name("项目/统计:2025"), "项目_统计_2025");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
        let long = "字".repeat(MAX_CELL_CHARS + 5);
        assert_eq!(cut(&long).chars().count(), MAX_CELL_CHARS);
    }

    #[test]
    fn a_table_is_a_workbook_or_the_same_csv() {
        let table = Table {
            sheet: "项目",
            header: &["name", "budget_wan"],
            rows: vec![vec![Cell::text("=1+1"), Cell::number(12.5)]],
            notes: vec!["注".into()],
        };
        let csv = table.bytes(TableFormat::Csv).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            csv_text(table.header, &table.rows)
        );
        let xlsx = table.bytes(TableFormat::Xlsx).unwrap();
        // A zip archive (the workbook is read back in tests/xlsx.rs).
        assert_eq!(&xlsx[..2], b"PK");
    }
}
