//! Spreadsheet-safe CSV: text that a spreadsheet would run as a formula is written inert.
//!
//! Excel and LibreOffice Calc read a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return as a formula ("CSV injection", OWASP), so a village or district name
//! taken from OSM or a user's file could run `=HYPERLINK(...)` or worse on the machine of the
//! official who opens `villages.csv`. Such a cell is written with a leading apostrophe, which
//! both programs show as the start of text. Numbers (anything that parses as `f64`, such as
//! `-12.5`) are never formulas and are left alone, so numeric columns stay numeric. A cell
//! that already starts with an apostrophe followed by a trigger gets one more, so that
//! [`restore`] is the exact inverse of [`defuse`] (the `.xlsx` workbooks, whose text cells
//! are never formulas, show the original text).

use std::borrow::Cow;

fn triggers(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && s.parse::<f64>().is_err()
}

fn needs_apostrophe(s: &str) -> bool {
    triggers(s) || s.strip_prefix('\'').is_some_and(needs_apostrophe)
}

/// `field` as it is written to a CSV cell: with a leading apostrophe when a spreadsheet
/// would otherwise read it as a formula.
pub fn defuse(field: &str) -> Cow<'_, str> {
    if needs_apostrophe(field) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// The text [`defuse`] was given, from the text it returned.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_apostrophe(rest) => rest,
        _ => cell,
    }
}

/// An in-memory CSV writer whose every field goes through [`defuse`].
pub struct SafeCsv(csv::Writer<Vec<u8>>);

impl Default for SafeCsv {
    fn default() -> Self {
        Self::new()
    }
}

impl SafeCsv {
    pub fn new() -> Self {
        SafeCsv(csv::Writer::from_writer(Vec::new()))
    }

    /// Writes one record. In memory, so the only failure is a field count that differs from
    /// the first record's: a bug, hence the panic.
    pub fn write_record<I, T>(&mut self, record: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let fields: Vec<T> = record.into_iter().collect();
        let cells: Vec<Cow<'_, str>> = fields.iter().map(|f| defuse(f.as_ref())).collect();
        self.0
            .write_record(cells.iter().map(|c| c.as_bytes()))
            .expect("in-memory CSV with a fixed number of fields");
    }

    /// The CSV text written so far.
    pub fn into_string(self) -> String {
        let bytes = self.0.into_inner().expect("in-memory CSV");
        String::from_utf8(bytes).expect("UTF-8 in, UTF-8 out")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_defused_and_numbers_are_not() {
        for (input, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+7 701 000", "'+7 701 000"),
            ("-DDE", "'-DDE"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("'=x", "''=x"),
            ("''=x", "'''=x"),
            ("-12.5", "-12.5"),
            ("+3", "+3"),
            ("-1e5", "-1e5"),
            ("Almaty", "Almaty"),
            ("'quoted'", "'quoted'"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(defuse(input), cell, "{input:?}");
            assert_eq!(restore(cell), input, "{cell:?}");
        }
    }

    #[test]
    fn the_writer_quotes_and_defuses_every_field() {
        let mut w = SafeCsv::new();
        w.write_record(["name", "households"]);
        w.write_record(["=1+1,x", "-3"]);
        assert_eq!(w.into_string(), "name,households\n\"'=1+1,x\",-3\n");
    }

    proptest::proptest! {
        #[test]
        fn restore_inverts_defuse(s in "['=+@\\t\\r-]{0,3}[a-z0-9.=+-]{0,4}") {
            let cell = defuse(&s);
            proptest::prop_assert_eq!(restore(&cell), s.as_str());
            proptest::prop_assert!(!triggers(&cell));
        }
    }
}
