//! CSV for spreadsheet programs: the one writer of every CSV Linli produces (projects, tasks,
//! statistics, coverage, the import's repair report).
//!
//! Excel, LibreOffice and WPS run a cell that begins with `=`, `+`, `-` or `@` as a formula
//! (`=HYPERLINK(...)` typed as a project's name would be a live link in the bureau's sheet),
//! and tab or carriage return start one in some of them. As OWASP recommends, a text cell that
//! begins with one of those is written with a `'` in front, which the spreadsheet shows as
//! plain text. Numbers the program itself formats (`-3.5`, a budget, a share) stay numbers.

use std::borrow::Cow;

/// One CSV cell: text (anything a user or a file supplied, escaped when it could run as a
/// formula) or a number Linli formatted itself (kept as it is, so `-2.5` stays numeric).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text: escaped with a leading `'` when it begins like a formula.
    Text(String),
    /// A number formatted by Linli (or empty for none).
    Number(String),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// A number cell from anything that displays as a number (`f64`, `usize`...).
    pub fn number(v: impl std::fmt::Display) -> Self {
        Cell::Number(v.to_string())
    }

    /// An optional number: empty when `None`.
    pub fn maybe(v: Option<impl std::fmt::Display>) -> Self {
        Cell::Number(v.map(|v| v.to_string()).unwrap_or_default())
    }

    /// The cell's text as written before quoting: a text cell escaped, a number as it is. A
    /// "number" that does not read as one is escaped like text, so no cell can slip through.
    pub fn written(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => escape_formula(s),
            Cell::Number(s) if s.is_empty() || s.parse::<f64>().is_ok_and(f64::is_finite) => {
                Cow::Borrowed(s)
            }
            Cell::Number(s) => escape_formula(s),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

/// `text` as a spreadsheet shows it as text: with `'` in front when it begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return (OWASP's list); otherwise unchanged.
///
/// ```
/// use linli::io::csv::escape_formula;
/// assert_eq!(escape_formula("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
/// assert_eq!(escape_formula("-2+3"), "'-2+3");
/// assert_eq!(escape_formula("口袋花园"), "口袋花园");
/// ```
pub fn escape_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// One field quoted when it holds a comma, a quote or a line break (RFC 4180).
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// CSV text for Excel: a UTF-8 byte order mark (so it reads the Chinese), the header, then
/// each row, lines ended by CRLF; cells escaped by [`Cell::written`] and quoted as RFC 4180
/// says.
pub fn csv_text(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: &mut dyn Iterator<Item = Cow<'_, str>>| {
        for (i, c) in cells.enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, &c);
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().map(|h| Cow::Borrowed(*h)));
    for row in rows {
        line(&mut row.iter().map(Cell::written));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_run_is_escaped_and_numbers_stay_numbers() {
        let rows = vec![vec![
            Cell::text("=HYPERLINK(\"http://x\",\"y\")"),
            Cell::text("+cmd"),
            Cell::text("@SUM(1)"),
            Cell::text("-2+3"),
            Cell::text("\tx"),
            Cell::text("花木街道"),
            Cell::number(-2.5),
            Cell::maybe(None::<f64>),
            Cell::Number("=1+1".into()),
        ]];
        let text = csv_text(&["a"], &rows);
        assert_eq!(
            text,
            "\u{feff}a\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd,'@SUM(1),'-2+3,'\tx,花木街道,-2.5,,'=1+1\r\n"
        );
    }

    #[test]
    fn csv_has_a_bom_crlf_and_quotes_what_needs_it() {
        let text = csv_text(&["a", "b"], &[vec!["口袋花园".into(), "x, \"y\"".into()]]);
        assert_eq!(text, "\u{feff}a,b\r\n口袋花园,\"x, \"\"y\"\"\"\r\n");
    }
}
