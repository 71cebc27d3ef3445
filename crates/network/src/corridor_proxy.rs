//! Straight-line corridor proxy (Delaunay). Filled in by the walking skeleton.
