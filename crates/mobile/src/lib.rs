//! Mobile coverage (work in progress).
