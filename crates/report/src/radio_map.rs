//! `fiberplan radio coverage` outputs: the received power of a site over a grid as
//! GeoJSON points (RFC 7946), a PNG heat map of the same grid and a summary with the
//! assumptions. Plain data in; no radio knowledge here.

use crate::atomic::AtomicDir;
use std::fmt::Write as _;
use std::path::Path;

/// A coverage raster: `cols x rows` cells, row 0 the northern one; `cells[k]` is the
/// raster cell of `points[k]`, whose received power is `rx_dbm[k]` (None: no value).
pub struct CoverageMap<'a> {
    pub cols: usize,
    pub rows: usize,
    pub cells: &'a [usize],
    pub points: &'a [[f64; 2]],
    pub rx_dbm: &'a [Option<f64>],
    /// Colour scale, dBm: the lowest and highest received power of the ramp.
    pub scale_dbm: (f64, f64),
    /// Written as `summary.json`: model, assumptions, counts, attribution.
    pub summary: serde_json::Value,
}

/// The GeoJSON of the points with a value: `rx_dbm` with 2 decimals, positions with 6.
pub fn coverage_geojson(map: &CoverageMap<'_>) -> String {
    let mut s = String::with_capacity(map.points.len() * 100 + 200);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for (p, v) in map.points.iter().zip(map.rx_dbm) {
        let Some(v) = v else { continue };
        if !first {
            s.push(',');
        }
        first = false;
        s.push_str("\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
        push_fixed(&mut s, p[0], 6);
        s.push(',');
        push_fixed(&mut s, p[1], 6);
        s.push_str("]},\"properties\":{\"rx_dbm\":");
        push_fixed(&mut s, *v, 2);
        s.push_str("}}");
    }
    s.push_str("\n]}\n");
    s
}

/// Append `x` with `decimals` (at most 6) digits after the point, exactly as
/// `format!("{x:.decimals$}")` writes it (a third of its time on the 280,000 points of
/// a coverage map): the scaled value rounded to an integer, unless it lies too close to
/// a half for the product to decide, or is too large: then the formatter decides.
fn push_fixed(s: &mut String, x: f64, decimals: usize) {
    const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    let y = x.abs() * POW10[decimals];
    let r = y.round();
    // y's rounding error is at most half an ulp (< 1e-8 below 2^27): a fraction further
    // than 1e-6 from one half rounds the exact value the same way.
    // (NaN and infinities fail `y < 2^27` and go to the formatter as well.)
    let small = y < 134_217_728.0;
    if !small || ((y - y.floor()) - 0.5).abs() < 1e-6 {
        let _ = write!(s, "{x:.decimals$}");
        return;
    }
    if x.is_sign_negative() {
        s.push('-');
    }
    let r = r as u64;
    let scale = POW10[decimals] as u64;
    let _ = write!(s, "{}", r / scale);
    if decimals > 0 {
        s.push('.');
        let frac = r % scale;
        let digits = frac.to_string();
        for _ in digits.len()..decimals {
            s.push('0');
        }
        s.push_str(&digits);
    }
}

/// Colour of a received power on the ramp blue (weak) - cyan - green - yellow - red (strong).
fn ramp(v: f64, (lo, hi): (f64, f64)) -> [u8; 4] {
    const STOPS: [[f64; 3]; 5] = [
        [49.0, 54.0, 149.0],
        [65.0, 182.0, 196.0],
        [120.0, 198.0, 121.0],
        [254.0, 224.0, 76.0],
        [215.0, 48.0, 39.0],
    ];
    let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0) * 4.0;
    let i = (t as usize).min(3);
    let f = t - i as f64;
    let c = |k: usize| (STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f).round() as u8;
    [c(0), c(1), c(2), 255]
}

/// The heat map as PNG bytes: one pixel per cell, transparent where there is no value.
pub fn coverage_png(map: &CoverageMap<'_>) -> Vec<u8> {
    let mut rgba = vec![0u8; map.cols * map.rows * 4];
    for (&cell, v) in map.cells.iter().zip(map.rx_dbm) {
        if let Some(v) = v {
            rgba[cell * 4..cell * 4 + 4].copy_from_slice(&ramp(*v, map.scale_dbm));
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, map.cols as u32, map.rows as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().expect("PNG header into memory");
        w.write_image_data(&rgba).expect("PNG data into memory");
    }
    out
}

/// Write `coverage.geojson`, `coverage.png` and `summary.json` into `out`, atomically.
pub fn write_coverage(out: &Path, map: &CoverageMap<'_>) -> std::io::Result<()> {
    let mut dir = AtomicDir::new(out)?;
    dir.write("coverage.geojson", coverage_geojson(map).as_bytes())?;
    dir.write("coverage.png", &coverage_png(map))?;
    let mut summary = serde_json::to_string_pretty(&map.summary).map_err(std::io::Error::other)?;
    summary.push('\n');
    dir.write("summary.json", summary.as_bytes())?;
    dir.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals_as_the_formatter_writes_them() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut cases: Vec<f64> = vec![
            0.0,
            -0.0,
            0.125,
            -0.125,
            0.005,
            2.675,
            -80.125,
            1e-7,
            -1e-7,
            0.5,
            1.5,
            2.5,
            134_217_727.9,
            1e12,
            -71.5,
            44.999_999_5,
            99.995,
            f64::MAX,
        ];
        for _ in 0..20_000 {
            let u = next();
            let v = (u >> 11) as f64 / (1u64 << 53) as f64;
            cases.push(match u % 4 {
                0 => -180.0 + 360.0 * v,
                1 => -200.0 * v,
                2 => ((v * 1e6).round() + 0.5) / 1e6, // near ties at 6 decimals
                _ => ((v * 1e4).round() + 0.5) / 1e2, // near ties at 2 decimals
            });
        }
        for x in cases {
            for d in [2, 6] {
                let mut s = String::new();
                push_fixed(&mut s, x, d);
                assert_eq!(s, format!("{x:.d$}"), "{x:e} {d}");
            }
        }
    }

    #[test]
    fn geojson_and_png_by_hand() {
        let points = [[70.0, 50.0], [70.001, 50.0]];
        let rx = [Some(-80.125), None];
        let map = CoverageMap {
            cols: 2,
            rows: 1,
            cells: &[0, 1],
            points: &points,
            rx_dbm: &rx,
            scale_dbm: (-120.0, -40.0),
            summary: serde_json::json!({}),
        };
        let g = coverage_geojson(&map);
        assert!(
            g.contains("\"coordinates\":[70.000000,50.000000]},\"properties\":{\"rx_dbm\":-80.12}"),
            "{g}"
        );
        assert_eq!(g.matches("Feature\"").count(), 1);
        let png = coverage_png(&map);
        assert_eq!(&png[1..4], b"PNG");
        // The middle of the scale is green.
        assert_eq!(ramp(-80.0, (-120.0, -40.0)), [120, 198, 121, 255]);
        assert_eq!(ramp(-200.0, (-120.0, -40.0)), [49, 54, 149, 255]);
    }
}
