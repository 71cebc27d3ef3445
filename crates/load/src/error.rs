//! The load layer's one error type.

use fiberplan_io::InputError;

/// Why inputs could not be loaded. Every variant is the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file is missing, malformed or out of range: the file, the place and the problem.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The inputs are readable but cannot make a plan together (no existing network, a
    /// scenario without its target); one line saying why.
    #[error("{0}")]
    Invalid(String),
}
