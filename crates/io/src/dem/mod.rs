//! Terrain and radio inputs: elevation tiles and the case tables of `fiberplan radio`.
//!
//! - [`hgt`]: SRTM / NASADEM `.hgt` tiles (1 and 3 arc-second, big-endian i16, voids).
//! - [`geotiff`]: single-band GeoTIFF DEMs in geographic coordinates (the `tiff` crate
//!   decodes; the georeferencing tags are read here).
//! - [`Dem`]: several tiles at once, bilinear elevation, great-circle profiles.
//! - [`cases`]: the CSV case tables and NTIA profile files the radio commands read.

pub mod cases;
pub mod geotiff;
pub mod hgt;
mod mosaic;

pub use mosaic::{Dem, Profile};

/// Value marking a missing sample in a grid (`.hgt` voids, GeoTIFF nodata).
pub const VOID: f32 = f32::NAN;

/// One elevation grid on a regular lon/lat lattice. Row 0 is the northern edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Longitude of the centre of column 0 (for `.hgt`: the western edge, since samples
    /// sit on the edges).
    pub lon0: f64,
    /// Latitude of the centre of row 0 (the northern edge for `.hgt`).
    pub lat0: f64,
    /// Degrees between columns and between rows (rows go south).
    pub dlon: f64,
    pub dlat: f64,
    pub cols: usize,
    pub rows: usize,
    /// Elevations in metres, row-major; voids are NaN.
    pub z: Vec<f32>,
}

impl Grid {
    /// Fractional column and row of a position, or `None` outside the grid.
    #[inline]
    pub fn pixel(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let x = (lon - self.lon0) / self.dlon;
        let y = (self.lat0 - lat) / self.dlat;
        let eps = 1e-9;
        if x < -eps
            || y < -eps
            || x > (self.cols - 1) as f64 + eps
            || y > (self.rows - 1) as f64 + eps
        {
            return None;
        }
        Some((
            x.clamp(0.0, (self.cols - 1) as f64),
            y.clamp(0.0, (self.rows - 1) as f64),
        ))
    }

    /// Bilinear elevation at fractional pixel `(x, y)`; NaN when a corner is a void.
    #[inline]
    pub fn bilinear(&self, x: f64, y: f64) -> f64 {
        let c0 = (x as usize).min(self.cols - 2);
        let r0 = (y as usize).min(self.rows - 2);
        let fx = x - c0 as f64;
        let fy = y - r0 as f64;
        let i = r0 * self.cols + c0;
        let (a, b) = (self.z[i] as f64, self.z[i + 1] as f64);
        let (c, d) = (
            self.z[i + self.cols] as f64,
            self.z[i + self.cols + 1] as f64,
        );
        let top = a + (b - a) * fx;
        let bottom = c + (d - c) * fx;
        top + (bottom - top) * fy
    }

    /// Bilinear elevation at a position; `None` outside, NaN at a void.
    pub fn elevation(&self, lon: f64, lat: f64) -> Option<f64> {
        self.pixel(lon, lat).map(|(x, y)| self.bilinear(x, y))
    }

    /// Number of void samples.
    pub fn voids(&self) -> usize {
        self.z.iter().filter(|v| v.is_nan()).count()
    }
}
