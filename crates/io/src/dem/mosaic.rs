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
        self.profile_impl(from, to, step_m, out, true)
    }

    /// A ray for coverage maps: [`Dem::profile_into`]'s samples up to the first one
    /// outside the tiles or on a void (all of them when there is none). `out.elevations`
    /// holds that valid prefix; the interval is set either way.
    pub fn ray_into(&self, from: [f64; 2], to: [f64; 2], step_m: f64, out: &mut Profile) {
        // profile_impl pushes every valid sample before it stops at an invalid one.
        let _ = self.profile_impl(from, to, step_m, out, true);
    }

    /// `fast`: segments inside one tile skip the per-sample tile search (the tests compare
    /// both ways).
    fn profile_impl(
        &self,
        from: [f64; 2],
        to: [f64; 2],
        step_m: f64,
        out: &mut Profile,
        fast: bool,
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
        let s = omega.sin();
        let point = |t: f64| -> [f64; 2] {
            if omega < 1e-12 {
                return from;
            }
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
            if let Some(g) = fast.then(|| self.segment_tile(p0, dlon, p1[1])).flatten() {
                // The whole segment lies in one tile that no earlier tile touches: the
                // same arithmetic as `elevation`, without the search and bounds checks.
                let (cmax, rmax) = ((g.cols - 1) as f64, (g.rows - 1) as f64);
                let m = (k1 - k0) as f64;
                // j / 16 is exact either way: a multiplication instead of a division.
                let inv = if k1 - k0 == KNOT {
                    1.0 / KNOT as f64
                } else {
                    0.0
                };
                for k in k0..k1 {
                    let j = (k - k0) as f64;
                    let f = if inv != 0.0 { j * inv } else { j / m };
                    let lon = p0[0] + dlon * f;
                    let lat = p0[1] + (p1[1] - p0[1]) * f;
                    let x = ((lon - g.lon0) / g.dlon).clamp(0.0, cmax);
                    let y = ((g.lat0 - lat) / g.dlat).clamp(0.0, rmax);
                    let z = g.bilinear(x, y);
                    if !z.is_finite() {
                        return Err([lon, lat]);
                    }
                    out.elevations.push(z);
                }
                k0 = k1;
                p0 = p1;
                continue;
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

impl Dem {
    /// The tile that holds every sample of a profile segment from `p0` to
    /// `(p0[0] + dlon, lat1)` (linear in lon / lat), when it is also the first tile covering
    /// each of them: it covers both ends (so the whole straight segment: a grid's extent is
    /// a rectangle) and no earlier tile's extent meets the segment's box. `None` otherwise
    /// (or across the antimeridian): then every sample is looked up on its own.
    fn segment_tile(&self, p0: [f64; 2], dlon: f64, lat1: f64) -> Option<&Grid> {
        let lon1 = p0[0] + dlon;
        if !(-180.0..=180.0).contains(&lon1) {
            return None;
        }
        let (w, e) = (p0[0].min(lon1), p0[0].max(lon1));
        let (s, n) = (p0[1].min(lat1), p0[1].max(lat1));
        for g in &self.tiles {
            if g.pixel(p0[0], p0[1]).is_some() && g.pixel(lon1, lat1).is_some() {
                return Some(g);
            }
            // An earlier tile that might cover part of the segment: look up sample by sample.
            let eps = 1e-6;
            let (gw, ge) = (
                g.lon0 - eps * g.dlon,
                g.lon0 + ((g.cols - 1) as f64 + eps) * g.dlon,
            );
            let (gn, gs) = (
                g.lat0 + eps * g.dlat,
                g.lat0 - ((g.rows - 1) as f64 + eps) * g.dlat,
            );
            if e >= gw && w <= ge && n >= gs && s <= gn {
                return None;
            }
        }
        None
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
    fn one_tile_segments_sample_as_the_search_does() {
        // A small first tile over part of the ramp, with other values: where it covers a
        // sample it wins, and the fast path must see that.
        let mut d = ramp();
        d.tiles.insert(
            0,
            Grid {
                lon0: 10.42,
                lat0: 50.63,
                dlon: 0.01,
                dlat: 0.01,
                cols: 5,
                rows: 4,
                z: (0..20).map(|i| 5000.0 + i as f32).collect(),
            },
        );
        let mut x = 1u64;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut a, mut b) = (Profile::default(), Profile::default());
        let mut crossed = 0;
        for _ in 0..300 {
            let from = [10.0 + next(), 50.0 + next()];
            let to = [10.0 + next(), 50.0 + next()];
            let step = 50.0 + 3000.0 * next();
            let ra = d.profile_impl(from, to, step, &mut a, true);
            let rb = d.profile_impl(from, to, step, &mut b, false);
            assert_eq!(ra, rb);
            assert_eq!(a.interval_m.to_bits(), b.interval_m.to_bits());
            let bits = |p: &Profile| p.elevations.iter().map(|z| z.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "{from:?} {to:?} {step}");
            crossed += a.elevations.iter().any(|&z| z >= 5000.0) as usize;
        }
        assert!(crossed > 10, "{crossed} profiles met the first tile");
    }

    #[test]
    fn a_ray_keeps_the_samples_before_a_void() {
        let mut d = ramp();
        let full = d.profile([10.5, 50.1], [10.5, 50.9], 1000.0).unwrap();
        // A void on row 3 (lat 50.7): samples north of lat 50.6 meet it.
        d.tiles[0].z[3 * 11 + 5] = f32::NAN;
        let mut ray = Profile::default();
        d.ray_into([10.5, 50.1], [10.5, 50.9], 1000.0, &mut ray);
        assert_eq!(ray.interval_m, full.interval_m);
        assert!(!ray.elevations.is_empty() && ray.elevations.len() < full.elevations.len());
        assert_eq!(ray.elevations[..], full.elevations[..ray.elevations.len()]);
        let at = full.elevations.len() - 1;
        let lat = 50.1 + 0.8 * ray.elevations.len() as f64 / at as f64;
        assert!(lat > 50.6 && lat < 50.7 + 1e-9, "{lat}");
        // No void: the whole profile.
        d.ray_into([10.5, 50.1], [10.5, 50.5], 1000.0, &mut ray);
        assert_eq!(ray, d.profile([10.5, 50.1], [10.5, 50.5], 1000.0).unwrap());
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
