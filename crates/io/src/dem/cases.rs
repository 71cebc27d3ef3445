//! The tables `fiberplan radio` reads: a CSV of cases (a header, then one case per row)
//! and a profile file (one NTIA profile per line). Cells stay text here; the command
//! knows which columns it needs and reports a bad cell with this file and line.

use crate::{InputError, Where};
use std::path::Path;

/// A CSV table: trimmed header names and rows with their 1-based line numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseTable {
    pub headers: Vec<String>,
    pub rows: Vec<CaseRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CaseRow {
    pub line: u64,
    pub cells: Vec<String>,
}

impl CaseTable {
    /// Index of a column, or an error naming the file and the missing column.
    pub fn column(&self, path: &Path, name: &str) -> Result<usize, InputError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            InputError::new(path, Where::Line(1), format!("missing column `{name}`"))
        })
    }
}

/// Read a CSV case table. Every row must have as many cells as the header.
pub fn read_case_table(path: &Path) -> Result<CaseTable, InputError> {
    let bytes =
        std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| InputError::new(path, Where::Line(1), format!("bad header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(InputError::file(path, "empty file: expected a header row"));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            InputError::new(path, Where::Line(line), format!("bad CSV: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() != headers.len() {
            return Err(InputError::new(
                path,
                Where::Line(line),
                format!("{} cells, the header has {}", rec.len(), headers.len()),
            ));
        }
        rows.push(CaseRow {
            line,
            cells: rec.iter().map(str::to_string).collect(),
        });
    }
    Ok(CaseTable { headers, rows })
}

/// Read a text file of lines (profiles), dropping blank lines at the end.
pub fn read_lines(path: &Path) -> Result<Vec<String>, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    Ok(lines)
}
