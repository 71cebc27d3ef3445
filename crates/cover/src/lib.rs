//! Weighted partial set cover (work in progress).
