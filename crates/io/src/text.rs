//! Reading a file whole, with the byte-order mark dropped and errors that name the file.
//!
//! Every read is bounded: only regular files are read (a device such as `/dev/zero`, a FIFO
//! or a folder is refused before a byte is read), and each format has a size limit
//! (README, "Input limits"), checked on the file's size and again while reading, so that a
//! file growing under the reader cannot pass it either.

use crate::InputError;
use std::io::Read;
use std::path::Path;

const MIB: u64 = 1 << 20;

/// Size limit of tables read whole: CSV (villages, existing sites, KATO lists, national files).
pub const LIMIT_TABLE: u64 = 512 * MIB;
/// Size limit of JSON files (GeoJSON, OFDS): their tree takes about twenty times their bytes.
pub const LIMIT_JSON: u64 = 32 * MIB;
/// Size limit of TOML models and scenario files (the bundled ones are a few kilobytes).
pub const LIMIT_TOML: u64 = 16 * MIB;
/// Size limit of SteinLib `.stp` and PACE `.gr` instances (the largest public ones are
/// about 100 MiB).
pub const LIMIT_STP: u64 = 1024 * MIB;
/// Size limit of radio case tables and profile files read whole (their line spans are
/// 32-bit; `itm-p2p`'s streamed profile reader has no overall limit).
pub const LIMIT_CASES: u64 = u32::MAX as u64 - 1;
/// Size limit of DEM tiles (`.hgt`, GeoTIFF; a 1-arc-second SRTM tile is 25 MiB).
pub const LIMIT_RASTER: u64 = 1024 * MIB;

/// A human size: `512 MiB`, `16 MiB`.
fn size(n: u64) -> String {
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// Open `path` for reading if it is a regular file (after symlinks); anything else (a
/// device, a FIFO, a socket, a folder) is refused in one line. Returns the file and its
/// size. For streaming readers (OSM extracts) that have no overall size limit.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), InputError> {
    let meta =
        std::fs::metadata(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(InputError::file(
            path,
            format!("{what}: inputs must be regular files"),
        ));
    }
    let f = std::fs::File::open(path)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    Ok((f, meta.len()))
}

/// The bytes of a regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let (f, len) = open_regular(path)?;
    let too_big = || {
        InputError::file(
            path,
            format!(
                "larger than {}, the limit for this kind of input",
                size(limit)
            ),
        )
    };
    if len > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Read a UTF-8 text file of at most [`LIMIT_TABLE`] bytes; a leading byte-order mark is
/// accepted and dropped.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    read_text_bounded(path, LIMIT_TABLE)
}

/// [`read_text`] with another size limit ([`LIMIT_TOML`], [`LIMIT_STP`]).
pub fn read_text_bounded(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bounded(path, limit)?;
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
    let text = read_text_bounded(path, LIMIT_TOML)?;
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
        // No size limit: an OSM extract is hashed whole (it has been read by then).
        let (mut f, _) = open_regular(p)?;
        f.read_to_end(&mut all)
            .map_err(|e| InputError::file(p, format!("cannot read: {e}")))?;
    }
    Ok(all)
}

/// Refuse a CSV header that names a column twice (names compared trimmed and ignoring
/// case, as the readers match them; empty names are not compared): which of two `lon`
/// columns is meant cannot be guessed.
pub fn check_unique_headers(path: &Path, headers: &csv::StringRecord) -> Result<(), InputError> {
    let mut seen: Vec<String> = Vec::new();
    for h in headers.iter() {
        let key = h.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        if seen.contains(&key) {
            return Err(InputError::new(
                path,
                crate::Where::Line(1),
                format!("column `{}` appears twice in the header", h.trim()),
            ));
        }
        seen.push(key);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("fiberplan-io-text-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    #[test]
    fn devices_folders_and_fifos_are_refused_unread() {
        let e = read_text(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: not a regular file (a device, FIFO or socket): inputs must be regular files"
        );
        let e = read_text(Path::new("/")).unwrap_err();
        assert!(e.problem.starts_with("a folder"), "{e}");
        let fifo = tmp("fifo");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO for reading would block until a writer comes: never opened.
            let e = read_text(&fifo).unwrap_err();
            assert!(e.problem.starts_with("not a regular file"), "{e}");
            std::fs::remove_file(&fifo).unwrap();
        }
    }

    #[test]
    fn the_size_limit_holds() {
        let p = tmp("big.txt");
        std::fs::write(&p, "x".repeat(1025)).unwrap();
        let e = read_bounded(&p, 1024).unwrap_err();
        assert!(e.problem.starts_with("larger than 1024 bytes"), "{e}");
        assert_eq!(read_bounded(&p, 1025).unwrap().len(), 1025);
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let h = csv::StringRecord::from(vec!["id", "lon", "lat", " LON", "", ""]);
        let e = check_unique_headers(Path::new("v.csv"), &h).unwrap_err();
        assert_eq!(
            e.to_string(),
            "v.csv:1: column `LON` appears twice in the header"
        );
        let h = csv::StringRecord::from(vec!["id", "lon", "lat", "", ""]);
        check_unique_headers(Path::new("v.csv"), &h).unwrap();
    }
}
