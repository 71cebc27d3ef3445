//! The tables `fiberplan radio` reads: a CSV of cases (a header, then one case per row)
//! and a profile file (one NTIA profile per line). Cells stay text here; the command
//! knows which columns it needs and reports a bad cell with this file and line.
//!
//! Both are read for throughput (the point-to-point benchmark includes reading): a table's
//! cells live in one string, addressed by spans, and a profile file stays one string
//! with the spans of its lines, so no row or line costs an allocation.

use crate::{InputError, Where};
use std::ops::Range;
use std::path::Path;

/// A CSV table: trimmed header names and rows with their 1-based line numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseTable {
    pub headers: Vec<String>,
    pub rows: Vec<CaseRow>,
    /// Every cell's text, trimmed, a row's cells joined by commas, one row after another.
    text: String,
    /// Spans of the cells in `text`, row after row (`headers.len()` per row).
    cells: Vec<Range<u32>>,
    /// No cell holds a comma, a quote or a line break (so a row's text is its CSV line).
    plain: bool,
}

/// A data row: its line in the file and its index among the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub line: u64,
    pub index: usize,
}

impl CaseTable {
    /// Index of a column, or an error naming the file and the missing column.
    pub fn column(&self, path: &Path, name: &str) -> Result<usize, InputError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            InputError::new(path, Where::Line(1), format!("missing column `{name}`"))
        })
    }

    /// The trimmed text of a cell.
    #[inline]
    pub fn cell(&self, row: &CaseRow, col: usize) -> &str {
        let r = &self.cells[row.index * self.headers.len() + col];
        &self.text[r.start as usize..r.end as usize]
    }

    /// A row's trimmed cells joined by commas, when that is the row's CSV text (no cell
    /// of the table needs quotes): what a command echoing every column writes.
    #[inline]
    pub fn row_text(&self, row: &CaseRow) -> Option<&str> {
        if !self.plain {
            return None;
        }
        let n = self.headers.len();
        let first = self.cells.get(row.index * n)?;
        let last = self.cells.get(row.index * n + n - 1)?;
        Some(&self.text[first.start as usize..last.end as usize])
    }
}

/// Read a CSV case table. Every row must have as many cells as the header.
pub fn read_case_table(path: &Path) -> Result<CaseTable, InputError> {
    let bytes = crate::text::read_bounded(path, crate::text::LIMIT_CASES)?;
    if bytes.len() >= u32::MAX as usize {
        return Err(InputError::file(path, "a case table must be under 4 GB"));
    }
    if let Some(t) = read_plain(&bytes, path) {
        return t;
    }
    read_csv(&bytes, path)
}

/// The common case without the CSV reader: ASCII, no quotes, a first line with a header,
/// every '\r' part of a "\r\n". Rows are the lines; blank lines and rows of empty cells
/// are skipped, cells are trimmed and line numbers count '\n' as the CSV reader does.
/// `None` when the text is not that simple (the CSV reader then decides).
///
/// The rows are cut byte by byte (one pass a line: its end, then its commas), not
/// through `str::split`: reading the table is part of the ITM benchmarks.
fn read_plain(bytes: &[u8], path: &Path) -> Option<Result<CaseTable, InputError>> {
    if !bytes.is_ascii() || has_quote(bytes) {
        return None;
    }
    let n = bytes.len();
    let line_end = |from: usize| find_newline(&bytes[from..]).map_or(n, |p| from + p);
    let header_end = line_end(0);
    let header = std::str::from_utf8(without_cr(&bytes[..header_end])?).ok()?;
    if header.is_empty() {
        return None;
    }
    let headers: Vec<String> = header.split(',').map(|h| h.trim().to_string()).collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Some(Err(InputError::file(
            path,
            "empty file: expected a header row",
        )));
    }
    let columns = headers.len();
    let mut text: Vec<u8> = Vec::with_capacity(n);
    let mut cells: Vec<Range<u32>> = Vec::with_capacity(n / 4);
    let mut rows = Vec::new();
    let mut line = 1u64;
    // Lines as `split('\n')` gives them: the piece after the last '\n' too.
    let mut start = header_end + 1;
    while start <= n {
        let end = line_end(start);
        let raw = &bytes[start..end];
        // '\r' is a space byte: a line without any needs neither the '\r' rule nor trimming.
        let spaced = has_space(raw);
        let l = if spaced { without_cr(raw)? } else { raw };
        line += 1;
        start = end + 1;
        if l.is_empty() {
            continue;
        }
        let mark = (text.len(), cells.len());
        let any = if spaced && has_space(l) {
            let mut any = false;
            for (k, c) in l.split(|&c| c == b',').enumerate() {
                if k > 0 {
                    text.push(b',');
                }
                let c = trim(c);
                any |= !c.is_empty();
                let begin = text.len() as u32;
                text.extend_from_slice(c);
                cells.push(begin..text.len() as u32);
            }
            any
        } else {
            // Nothing to trim: the line is its cells joined by commas.
            let base = text.len();
            text.extend_from_slice(l);
            let mut from = base;
            let mut comma = |k: usize| {
                cells.push(from as u32..(base + k) as u32);
                from = base + k + 1;
            };
            // The commas 8 bytes at a time (each word's comma bytes as a mask, taken
            // lowest first), then the last few bytes one by one.
            let words = l.len() / 8;
            for (j, word) in l.chunks_exact(8).enumerate() {
                let mut m = commas(u64::from_le_bytes(word.try_into().expect("8 bytes")));
                while m != 0 {
                    comma(8 * j + (m.trailing_zeros() / 8) as usize);
                    m &= m - 1;
                }
            }
            for (k, &c) in l.iter().enumerate().skip(8 * words) {
                if c == b',' {
                    comma(k);
                }
            }
            cells.push(from as u32..(base + l.len()) as u32);
            l.len() > cells.len() - mark.1 - 1
        };
        if !any {
            // every cell empty
            text.truncate(mark.0);
            cells.truncate(mark.1);
            continue;
        }
        let count = cells.len() - mark.1;
        if count != columns {
            return Some(Err(InputError::new(
                path,
                Where::Line(line),
                format!("{count} cells, the header has {columns}"),
            )));
        }
        let index = rows.len();
        rows.push(CaseRow { line, index });
    }
    // ASCII throughout (checked above).
    let text = String::from_utf8(text).ok()?;
    Some(Ok(CaseTable {
        headers,
        rows,
        text,
        cells,
        plain: true,
    }))
}

/// Whether an ASCII line holds a byte [`is_space`]: 8 bytes at a time (a byte from 9 to
/// 13 or 32; with every byte under 0x80, adding up to 0x77 carries into no other byte),
/// then the last few one by one.
fn has_space(l: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut any = 0;
    for word in l.chunks_exact(8) {
        let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        let from_9 = w + 0x77 * ONES; // high bit: w >= 9
        let from_14 = w + 0x72 * ONES; // high bit: w >= 14
        let not_space = (w ^ (0x20 * ONES)) + 0x7f * ONES; // high bit: w != 32
        any |= (from_9 & !from_14) | !not_space;
    }
    any & (0x80 * ONES) != 0 || l[l.len() / 8 * 8..].iter().any(|&c| is_space(c))
}

/// Whether the text holds a '"' (then the CSV reader decides): 32 bytes at a time, as
/// [`find_newline`] looks (a test the compiler turns into vector compares).
fn has_quote(b: &[u8]) -> bool {
    let blocks = b.chunks_exact(32);
    let rest = blocks.remainder();
    blocks
        .map(|block| block.iter().fold(false, |any, &c| any | (c == b'"')))
        .fold(false, |any, q| any | q)
        || rest.contains(&b'"')
}

/// The high bit of each byte of `w` that is a comma (exactly: no borrow between bytes).
fn commas(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ 0x2c2c_2c2c_2c2c_2c2c;
    // A byte's high bit in (x & 0x7f) + 0x7f or x: set unless the byte is zero.
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Where the first '\n' of `b` is: 32 bytes at a time (a branch-free test the compiler
/// turns into vector compares), then byte by byte in the 32 that hold it.
fn find_newline(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 32 <= b.len() {
        if b[i..i + 32]
            .iter()
            .fold(false, |any, &c| any | (c == b'\n'))
        {
            break;
        }
        i += 32;
    }
    b[i..].iter().position(|&c| c == b'\n').map(|p| i + p)
}

/// A line without the '\r' of its "\r\n"; `None` when a '\r' stands alone.
fn without_cr(l: &[u8]) -> Option<&[u8]> {
    let l = l.strip_suffix(b"\r").unwrap_or(l);
    (!l.contains(&b'\r')).then_some(l)
}

/// The ASCII bytes `str::trim` trims: tab, line feed, vertical tab, form feed, carriage
/// return and space.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// An ASCII cell trimmed as `str::trim` trims it.
fn trim(c: &[u8]) -> &[u8] {
    let from = c.iter().position(|&b| !is_space(b)).unwrap_or(c.len());
    let to = c
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(from, |p| p + 1);
    &c[from..to]
}

/// Any CSV, through the `csv` crate (quotes, a byte-order mark, lone '\r' line ends).
fn read_csv(bytes: &[u8], path: &Path) -> Result<CaseTable, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| InputError::new(path, Where::Line(1), format!("bad header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(InputError::file(path, "empty file: expected a header row"));
    }
    let mut t = CaseTable {
        headers,
        rows: Vec::new(),
        text: String::with_capacity(bytes.len()),
        cells: Vec::new(),
        plain: true,
    };
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(InputError::new(
                    path,
                    Where::Line(line),
                    format!("bad CSV: {e}"),
                ));
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() != t.headers.len() {
            return Err(InputError::new(
                path,
                Where::Line(line),
                format!("{} cells, the header has {}", rec.len(), t.headers.len()),
            ));
        }
        for (k, c) in rec.iter().enumerate() {
            if k > 0 {
                t.text.push(',');
            }
            t.plain &= !c.contains([',', '"', '\n']);
            let start = t.text.len() as u32;
            t.text.push_str(c);
            t.cells.push(start..t.text.len() as u32);
        }
        let index = t.rows.len();
        t.rows.push(CaseRow { line, index });
    }
    Ok(t)
}

/// A text file of lines (profiles) held whole, blank lines at the end dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    text: String,
    spans: Vec<Range<usize>>,
}

impl Lines {
    pub fn len(&self) -> usize {
        self.spans.len()
    }
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
    /// Line `i` (0-based) without its line ending.
    pub fn get(&self, i: usize) -> &str {
        &self.text[self.spans[i].clone()]
    }
}

/// Read a text file of lines (profiles), dropping blank lines at the end.
pub fn read_lines(path: &Path) -> Result<Lines, InputError> {
    let text = crate::text::read_text_bounded(path, crate::text::LIMIT_CASES)?;
    let mut spans = Vec::new();
    let mut start = 0;
    for l in text.lines() {
        // `lines` splits at '\n' and drops one '\r' before it; drop any more.
        let l = l.trim_end_matches('\r');
        let begin = l.as_ptr() as usize - text.as_ptr() as usize;
        debug_assert!(begin >= start);
        spans.push(begin..begin + l.len());
        start = begin + l.len();
    }
    while spans
        .last()
        .is_some_and(|r| text[r.clone()].trim().is_empty())
    {
        spans.pop();
    }
    Ok(Lines { text, spans })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, body: &[u8]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("fiberplan-cases-{}-{name}", std::process::id()));
        std::fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn cells_are_trimmed_and_blank_rows_skipped() {
        let p = tmp(
            "t.csv",
            b"\xef\xbb\xbfa, b ,c\n1, 2,3\n\n,,\n\"x,y\",5 , 6\r\n",
        );
        let t = read_case_table(&p).unwrap();
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1], CaseRow { line: 5, index: 1 });
        let cells: Vec<&str> = (0..3).map(|c| t.cell(&t.rows[1], c)).collect();
        assert_eq!(cells, ["x,y", "5", "6"]);
        assert_eq!(t.row_text(&t.rows[0]), None); // "x,y" needs quotes
        let plain = read_plain(b"a,b, c\n1, 2 ,3\n4,5,6\n", Path::new("t.csv"))
            .unwrap()
            .unwrap();
        assert_eq!(plain.row_text(&plain.rows[0]), Some("1,2,3"));
        assert_eq!(plain.row_text(&plain.rows[1]), Some("4,5,6"));
        assert_eq!(t.cell(&t.rows[0], 1), "2");
        std::fs::write(&p, b"a,b\n1,2,3\n").unwrap();
        let e = read_case_table(&p).unwrap_err().to_string();
        assert!(e.contains("3 cells, the header has 2"), "{e}");
        std::fs::remove_file(&p).unwrap();
    }

    /// The plain reader and the CSV reader give the same table or the same error.
    fn both_ways(body: &[u8]) -> Result<CaseTable, String> {
        let p = Path::new("t.csv");
        let a = read_plain(body, p)
            .expect("plain text")
            .map_err(|e| e.to_string());
        let b = read_csv(body, p).map_err(|e| e.to_string());
        assert_eq!(a, b, "{:?}", String::from_utf8_lossy(body));
        a
    }

    #[test]
    fn plain_reader_agrees_with_csv() {
        let t = both_ways(b"a, b ,c\n1, 2,3\n\n,,\n 4 ,5,\t6\n  \n7,8,9").unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1].line, 5);
        assert_eq!(t.cell(&t.rows[1], 2), "6");
        // "\r\n": the same cells; the line numbers are the physical lines (the CSV reader
        // counts a row from the '\n' ending the line before it, one line early).
        let p = Path::new("t.csv");
        let crlf = read_plain(b"a,b\r\n1,2\r\n\r\n3,4\r\n", p)
            .unwrap()
            .unwrap();
        let lf = read_plain(b"a,b\n1,2\n\n3,4\n", p).unwrap().unwrap();
        assert_eq!(crlf, lf);
        assert_eq!(crlf.rows[1].line, 4);
        assert_eq!(
            read_csv(b"a,b\r\n1,2\r\n\r\n3,4\r\n", p).unwrap().cells,
            lf.cells
        );
        both_ways(b"a,b\n1,2\n3\n").unwrap_err();
        both_ways(b"a,b\n1,2\n3,4,5\n").unwrap_err();
        both_ways(b" , \n1,2\n").unwrap_err();
        both_ways(b"h_tx__meter,A__db\n1.5,\n,2\n").unwrap();
        // Not plain: left to the CSV reader.
        for body in [&b"a\r1\n"[..], b"\"a\",b\n", b"\na,b\n", b"\xef\xbb\xbfa\n"] {
            assert!(read_plain(body, Path::new("t.csv")).is_none());
        }
    }

    #[test]
    fn cells_trimmed_as_str_trim() {
        // Every text of up to 4 bytes over spaces, controls, a digit and a comma.
        const ALPHABET: [u8; 8] = [b' ', b'\t', 0x0b, 0x0c, b'\r', b'\n', b'7', 0x1f];
        for len in 0..=4u32 {
            for mut code in 0..8u32.pow(len) {
                let mut b = Vec::new();
                for _ in 0..len {
                    b.push(ALPHABET[(code % 8) as usize]);
                    code /= 8;
                }
                let s = std::str::from_utf8(&b).unwrap();
                assert_eq!(trim(&b), s.trim().as_bytes(), "{s:?}");
            }
        }
    }

    /// The plain reader written with `str::split` and `str::trim` (as it was before it
    /// read bytes): the oracle of the byte-by-byte one.
    fn read_plain_by_str(bytes: &[u8], path: &Path) -> Option<Result<CaseTable, InputError>> {
        fn next_line<'a>(lines: &mut std::str::Split<'a, char>) -> Option<Option<&'a str>> {
            let l = lines.next()?;
            let l = l.strip_suffix('\r').unwrap_or(l);
            Some((!l.contains('\r')).then_some(l))
        }
        if !bytes.is_ascii() || bytes.contains(&b'"') {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let mut lines = text.split('\n');
        let header = next_line(&mut lines)??;
        if header.is_empty() {
            return None;
        }
        let headers: Vec<String> = header.split(',').map(|h| h.trim().to_string()).collect();
        if headers.iter().all(|h| h.is_empty()) {
            return Some(Err(InputError::file(
                path,
                "empty file: expected a header row",
            )));
        }
        let mut t = CaseTable {
            headers,
            plain: true,
            ..CaseTable::default()
        };
        let mut line = 1u64;
        while let Some(l) = next_line(&mut lines) {
            let l = l?;
            line += 1;
            if l.is_empty() {
                continue;
            }
            let mark = (t.text.len(), t.cells.len());
            let mut count = 0;
            for c in l.split(',') {
                if count > 0 {
                    t.text.push(',');
                }
                let c = c.trim();
                let start = t.text.len() as u32;
                t.text.push_str(c);
                t.cells.push(start..t.text.len() as u32);
                count += 1;
            }
            if t.cells[mark.1..].iter().all(|r| r.is_empty()) {
                t.text.truncate(mark.0);
                t.cells.truncate(mark.1);
                continue;
            }
            if count != t.headers.len() {
                return Some(Err(InputError::new(
                    path,
                    Where::Line(line),
                    format!("{count} cells, the header has {}", t.headers.len()),
                )));
            }
            let index = t.rows.len();
            t.rows.push(CaseRow { line, index });
        }
        Some(Ok(t))
    }

    #[test]
    fn spaces_found_at_every_place() {
        for len in 0..40 {
            let mut l = vec![b'7'; len];
            assert!(!has_space(&l));
            for at in 0..len {
                for c in 0..0x80u8 {
                    l[at] = c;
                    assert_eq!(has_space(&l), is_space(c), "{len} {at} {c}");
                }
                l[at] = b'7';
            }
        }
    }

    #[test]
    fn commas_and_newlines_by_hand() {
        for (w, want) in [
            (*b"1,2,3,4,", 0x8000_8000_8000_8000u64),
            (*b",,,,,,,,", 0x8080_8080_8080_8080),
            (*b"\xac\x2d\x2b\x00,\xff\x2c\x01", 0x0080_0080_0000_0000),
        ] {
            assert_eq!(commas(u64::from_le_bytes(w)), want, "{w:?}");
        }
        let mut b = vec![b'7'; 100];
        assert_eq!(find_newline(&b), None);
        for at in [0, 31, 32, 33, 64, 99] {
            b[at] = b'\n';
            assert_eq!(find_newline(&b), Some(at));
            assert_eq!(find_newline(&b[..at]), None);
            b[at] = b'7';
        }
    }

    proptest::proptest! {
        #[test]
        fn commas_found_exactly(w: u64) {
            let want = w.to_le_bytes().iter().enumerate().fold(0u64, |m, (k, &c)| m | (((c == b',') as u64) << (8 * k + 7)));
            proptest::prop_assert_eq!(commas(w), want);
        }

        #[test]
        fn long_rows_agree_with_str_reader(body in "([0-9.,]{0,70}[ \r]?\n){0,6}[0-9.,]{0,70}", spaced in "([0-9., \t\u{b}\u{c}\u{1f}!]{0,40}\n){1,4}") {
            let p = Path::new("t.csv");
            let show = |r: Option<Result<CaseTable, InputError>>| r.map(|r| r.map_err(|e| e.to_string()));
            proptest::prop_assert_eq!(
                show(read_plain(spaced.as_bytes(), p)),
                show(read_plain_by_str(spaced.as_bytes(), p))
            );
            let p = Path::new("t.csv");
            let show = |r: Option<Result<CaseTable, InputError>>| r.map(|r| r.map_err(|e| e.to_string()));
            proptest::prop_assert_eq!(
                show(read_plain(body.as_bytes(), p)),
                show(read_plain_by_str(body.as_bytes(), p))
            );
        }

        #[test]
        fn plain_reader_agrees_with_str_reader(body in "[a1 ,\t\u{b}\u{c}\r\n\"]{0,60}") {
            // Whatever the text: both plain or both not, the same table or the same error.
            let p = Path::new("t.csv");
            let show = |r: Option<Result<CaseTable, InputError>>| r.map(|r| r.map_err(|e| e.to_string()));
            proptest::prop_assert_eq!(
                show(read_plain(body.as_bytes(), p)),
                show(read_plain_by_str(body.as_bytes(), p))
            );
        }
    }

    #[test]
    fn lines_keep_their_text_and_drop_trailing_blanks() {
        let p = tmp("l.txt", b"2,10,1,2,3\r\n\n  4,5\r\r\n \n\n");
        let l = read_lines(&p).unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!((l.get(0), l.get(1), l.get(2)), ("2,10,1,2,3", "", "  4,5"));
        std::fs::remove_file(&p).unwrap();
    }
}
