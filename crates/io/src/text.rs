//! Reading a file whole, with the byte-order mark dropped and errors that name the file.

use crate::InputError;
use std::path::Path;

/// Read a UTF-8 text file; a leading byte-order mark is accepted and dropped.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes =
        std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            Err(InputError::new(
                path,
                crate::Where::Line(line),
                "not UTF-8 text (save the file as UTF-8)",
            ))
        }
    }
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> u64 {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// Parse a TOML model into its type; a syntax or shape error carries its line, prefixed by
/// `what` ("last-mile model", "mobile model").
pub fn parse_toml_as<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T, (crate::Where, String)> {
    toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(s) if s.start > 0 => crate::Where::Line(line_of(text, s.start)),
            _ => crate::Where::File,
        };
        (place, format!("{what}: {}", e.message()))
    })
}

/// Read a TOML file as a table; a syntax error names the file and its line. For files whose
/// reader checks only the syntax (scenario files until their reader exists).
pub fn read_toml(path: &Path) -> Result<toml::Table, InputError> {
    let text = read_text(path)?;
    text.parse::<toml::Table>().map_err(|e| {
        let place = e
            .span()
            .map(|s| crate::Where::Line(line_of(&text, s.start)))
            .unwrap_or(crate::Where::File);
        InputError::new(path, place, format!("malformed TOML: {}", e.message()))
    })
}

/// The bytes of several files, each prefixed by the length of its path: what a sweep's
/// content key hashes, so that a changed input changes every key.
pub fn files_bytes(paths: &[std::path::PathBuf]) -> Result<Vec<u8>, InputError> {
    let mut all = Vec::new();
    for p in paths {
        all.extend_from_slice(p.to_string_lossy().len().to_le_bytes().as_slice());
        let bytes =
            std::fs::read(p).map_err(|e| InputError::file(p, format!("cannot read: {e}")))?;
        all.extend(bytes);
    }
    Ok(all)
}
