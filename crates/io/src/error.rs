//! The one error type of every reader: a file, a place in it, and the problem.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Where {
    /// The file as a whole.
    File,
    /// 1-based line number (CSV rows count their header as line 1).
    Line(u64),
    /// 0-based index of a GeoJSON feature.
    Feature(usize),
    /// An OSM element.
    Osm { kind: &'static str, id: i64 },
    /// A key path in a TOML or JSON document, e.g. `corridor.proxy_per_km`.
    Key(String),
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Where::File => Ok(()),
            Where::Line(l) => write!(f, ":{l}"),
            Where::Feature(i) => write!(f, ": feature {i}"),
            Where::Osm { kind, id } => write!(f, ": {kind} {id}"),
            Where::Key(k) => write!(f, ": {k}"),
        }
    }
}

/// Bad input: shown to the user as one line, `FILE[:LINE | : PLACE]: problem`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}", path.display(), place, problem)]
pub struct InputError {
    pub path: PathBuf,
    pub place: Where,
    /// What is wrong, and the fix when it is obvious. One line.
    pub problem: String,
}

impl InputError {
    pub fn new(path: &Path, place: Where, problem: impl Into<String>) -> Self {
        let problem: String = problem.into();
        // One line, always: a multi-line message from a parser is folded.
        let problem = problem.split_whitespace().collect::<Vec<_>>().join(" ");
        InputError {
            path: path.to_path_buf(),
            place,
            problem,
        }
    }
    pub fn file(path: &Path, problem: impl Into<String>) -> Self {
        Self::new(path, Where::File, problem)
    }
}
