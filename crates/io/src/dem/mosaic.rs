//! Several elevation grids at once, and great-circle profiles across them.

use super::{geotiff, hgt, Grid};
use crate::InputError;
use std::path::Path;

/// A set of tiles. A position takes the first tile that covers it.
#[derive(Clone, Debug, Default)]
pub struct Dem {
    pub tiles: Vec<Grid>,
}

/// A terrain profile in NTIA's layout: equal intervals from the first point to the last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub interval_m: f64,
    pub elevations: Vec<f64>,
}

/// Mean earth radius (IUGG), m: profiles are laid on the sphere.
const R_EARTH_M: f64 = 6_371_008.8;

impl Dem {
    /// Read `.hgt` and GeoTIFF (`.tif`, `.tiff`) tiles by extension.
    pub fn read(paths: &[impl AsRef<Path>]) -> Result<Dem, InputError> {
        let mut tiles = Vec::with_capacity(paths.len());
        for p in paths {
            let p = p.as_ref();
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            tiles.push(match ext.as_str() {
                "hgt" => hgt::read_hgt(p)?,
                "tif" | "tiff" => geotiff::read_geotiff(p)?,
                _ => {
                    return Err(InputError::file(
                        p,
                        "unknown DEM format: expected .hgt or .tif / .tiff",
                    ))
                }
            });
        }
        Ok(Dem { tiles })
    }

    /// Bilinear elevation (m); `None` outside every tile, NaN at a void.
    pub fn elevation(&self, lon: f64, lat: f64) -> Option<f64> {
        self.tiles.iter().find_map(|t| t.elevation(lon, lat))
    }

    /// Great-circle profile from `from` to `to` (`[lon, lat]`), with the interval closest to
    /// `step_m` that divides the path evenly (at least 2 intervals). Samples are exact
    /// great-circle points at every 16th sample and the ends, with linear steps in
    /// between (off the great circle by under 0.1 m for 100 m steps). Returns `None` when
    /// a sample is outside the tiles or on a void, with the sample's position.
    pub fn profile(&self, from: [f64; 2], to: [f64; 2], step_m: f64) -> Result<Profile, [f64; 2]> {
        let mut p = Profile::default();
        self.profile_into(from, to, step_m, &mut p)?;
        Ok(p)
    }

    /// [`Dem::profile`] into a reused buffer.
    pub fn profile_into(
        &self,
        from: [f64; 2],
        to: [f64; 2],
        step_m: f64,
        out: &mut Profile,
    ) -> Result<(), [f64; 2]> {
        out.elevations.clear();
        let a = unit(from);
        let b = unit(to);
        let dot = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).clamp(-1.0, 1.0);
        let cross = [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ];
        let omega = (cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2])
            .sqrt()
            .atan2(dot);
        let d = omega * R_EARTH_M;
        let n = ((d / step_m).round() as usize).max(2);
        out.interval_m = d / n as f64;
        const KNOT: usize = 16;
        let point = |t: f64| -> [f64; 2] {
            if omega < 1e-12 {
                return from;
            }
            let s = omega.sin();
            let ka = ((1.0 - t) * omega).sin() / s;
            let kb = (t * omega).sin() / s;
            let v = [
                ka * a[0] + kb * b[0],
                ka * a[1] + kb * b[1],
                ka * a[2] + kb * b[2],
            ];
            [
                v[1].atan2(v[0]).to_degrees(),
                v[2].atan2(v[0].hypot(v[1])).to_degrees(),
            ]
        };
        let mut k0 = 0;
        let mut p0 = from;
        while k0 < n {
            let k1 = (k0 + KNOT).min(n);
            let p1 = if k1 == n {
                to
            } else {
                point(k1 as f64 / n as f64)
            };
            let mut dlon = p1[0] - p0[0];
            if dlon > 180.0 {
                dlon -= 360.0;
            } else if dlon < -180.0 {
                dlon += 360.0;
            }
            for k in k0..k1 {
                let f = (k - k0) as f64 / (k1 - k0) as f64;
                let mut lon = p0[0] + dlon * f;
                if lon > 180.0 {
                    lon -= 360.0;
                } else if lon < -180.0 {
                    lon += 360.0;
                }
                let lat = p0[1] + (p1[1] - p0[1]) * f;
                match self.elevation(lon, lat) {
                    Some(z) if z.is_finite() => out.elevations.push(z),
                    _ => return Err([lon, lat]),
                }
            }
            k0 = k1;
            p0 = p1;
        }
        match self.elevation(to[0], to[1]) {
            Some(z) if z.is_finite() => out.elevations.push(z),
            _ => return Err(to),
        }
        Ok(())
    }
}

fn unit(p: [f64; 2]) -> [f64; 3] {
    let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp() -> Dem {
        // 1 degree tile, 11 x 11, elevation = 100 * lon offset + 10 * row.
        let mut z = Vec::new();
        for r in 0..11 {
            for c in 0..11 {
                z.push((100 * c + 10 * r) as f32);
            }
        }
        Dem {
            tiles: vec![Grid {
                lon0: 10.0,
                lat0: 51.0,
                dlon: 0.1,
                dlat: 0.1,
                cols: 11,
                rows: 11,
                z,
            }],
        }
    }

    #[test]
    fn bilinear_is_exact_on_a_plane() {
        let d = ramp();
        // lon 10.25 -> column 2.5 -> 250; lat 50.95 -> row 0.5 -> 5.
        assert!((d.elevation(10.25, 50.95).unwrap() - 255.0).abs() < 1e-9);
        assert_eq!(d.elevation(9.9, 50.5), None);
    }

    #[test]
    fn profile_along_a_meridian() {
        let d = ramp();
        // Along lon 10.5 from lat 50.1 to 50.9: elevation 500 + 10 * row.
        let p = d.profile([10.5, 50.1], [10.5, 50.9], 1000.0).unwrap();
        let n = p.elevations.len() - 1;
        assert!((p.interval_m * n as f64 - 0.8f64.to_radians() * R_EARTH_M).abs() < 1e-6);
        assert!((p.elevations[0] - 590.0).abs() < 1e-6 && (p.elevations[n] - 510.0).abs() < 1e-6);
        for (k, z) in p.elevations.iter().enumerate() {
            let lat = 50.1 + 0.8 * k as f64 / n as f64;
            assert!(
                (z - (500.0 + 10.0 * (51.0 - lat) / 0.1)).abs() < 1e-6,
                "{k}: {z}"
            );
        }
        assert!(d.profile([10.5, 50.1], [11.5, 50.1], 1000.0).is_err());
    }
}
