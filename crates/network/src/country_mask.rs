//! A raster mask of a country (scanline fill of its polygons), to keep corridors inside it.
//!
//! Exact polygon tests against tens of thousands of boundary vertices for every candidate
//! corridor are slow, and the oblast borders of the public data do not share vertices, so
//! their union is not free either. A 0.01-degree raster (about 1 km) filled once by scanline
//! answers "is this point in the country" in O(1); corridors are sampled every kilometre.

use fiberplan_model::LonLat;

const CELL_DEG: f64 = 0.01;

/// Inside/outside raster of a set of polygons (even-odd within each polygon, union across).
#[derive(Clone, Debug)]
pub struct CountryMask {
    x0: f64,
    y0: f64,
    w: usize,
    h: usize,
    inside: Vec<bool>,
}

impl CountryMask {
    /// Rasterise `polygons` (each: outer ring then holes, `[lon, lat]`).
    pub fn new(polygons: &[Vec<Vec<LonLat>>]) -> Self {
        let pts = polygons.iter().flatten().flatten();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pts {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        if x0 > x1 {
            return CountryMask {
                x0: 0.0,
                y0: 0.0,
                w: 0,
                h: 0,
                inside: Vec::new(),
            };
        }
        let w = ((x1 - x0) / CELL_DEG).ceil() as usize + 1;
        let h = ((y1 - y0) / CELL_DEG).ceil() as usize + 1;
        let mut inside = vec![false; w * h];
        let mut xs: Vec<f64> = Vec::new();
        for poly in polygons {
            // Edges of this polygon bucketed by the rows they span.
            let mut rows: Vec<Vec<(f64, f64, f64, f64)>> = vec![Vec::new(); h];
            for ring in poly {
                for s in ring.windows(2) {
                    let (a, b) = (s[0], s[1]);
                    if a[1] == b[1] {
                        continue;
                    }
                    let (lo, hi) = (a[1].min(b[1]), a[1].max(b[1]));
                    let r0 = (((lo - y0) / CELL_DEG) - 0.5).ceil().max(0.0) as usize;
                    let r1 = ((((hi - y0) / CELL_DEG) - 0.5).floor() as usize).min(h - 1);
                    for row in rows.iter_mut().take(r1 + 1).skip(r0) {
                        row.push((a[0], a[1], b[0], b[1]));
                    }
                }
            }
            for (r, edges) in rows.iter().enumerate() {
                let y = y0 + (r as f64 + 0.5) * CELL_DEG;
                xs.clear();
                for &(ax, ay, bx, by) in edges {
                    if (ay <= y && by > y) || (by <= y && ay > y) {
                        xs.push(ax + (y - ay) / (by - ay) * (bx - ax));
                    }
                }
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    let c0 = ((pair[0] - x0) / CELL_DEG - 0.5).ceil().max(0.0) as usize;
                    let c1 = ((pair[1] - x0) / CELL_DEG - 0.5).floor();
                    if c1 < 0.0 {
                        continue;
                    }
                    for c in c0..=(c1 as usize).min(w - 1) {
                        inside[r * w + c] = true;
                    }
                }
            }
        }
        CountryMask {
            x0,
            y0,
            w,
            h,
            inside,
        }
    }

    /// Whether the raster cell of `p` is inside.
    pub fn contains(&self, p: LonLat) -> bool {
        let c = ((p[0] - self.x0) / CELL_DEG).floor();
        let r = ((p[1] - self.y0) / CELL_DEG).floor();
        if c < 0.0 || r < 0.0 || c as usize >= self.w || r as usize >= self.h {
            return false;
        }
        self.inside[r as usize * self.w + c as usize]
    }

    /// Whether `p` or any cell within `cells` cells of it is inside (places on the border).
    pub fn near(&self, p: LonLat, cells: i64) -> bool {
        (-cells..=cells).any(|dy| {
            (-cells..=cells)
                .any(|dx| self.contains([p[0] + dx as f64 * CELL_DEG, p[1] + dy as f64 * CELL_DEG]))
        })
    }

    /// Whether the straight corridor from `a` to `b` stays inside, sampled every ~1 km and
    /// ignoring the first and last `margin_m` metres (places right on the border).
    pub fn keeps_inside(&self, a: LonLat, b: LonLat, length_m: f64, margin_m: f64) -> bool {
        let steps = (length_m / 1000.0).ceil().max(1.0) as usize;
        (1..steps).all(|i| {
            let t = i as f64 / steps as f64;
            let along = t * length_m;
            if along < margin_m || length_m - along < margin_m {
                return true;
            }
            self.contains([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_with_notch() -> Vec<Vec<Vec<LonLat>>> {
        // A 1x1 degree square at (70,45) with a 0.4-degree-wide notch cut from the top.
        vec![vec![vec![
            [70.0, 45.0],
            [71.0, 45.0],
            [71.0, 46.0],
            [70.7, 46.0],
            [70.7, 45.5],
            [70.3, 45.5],
            [70.3, 46.0],
            [70.0, 46.0],
            [70.0, 45.0],
        ]]]
    }

    #[test]
    fn points_inside_outside_and_in_the_notch() {
        let m = CountryMask::new(&square_with_notch());
        assert!(m.contains([70.5, 45.2]));
        assert!(m.contains([70.1, 45.9]));
        assert!(!m.contains([70.5, 45.8]), "the notch is outside");
        assert!(!m.contains([72.0, 45.5]));
    }

    #[test]
    fn a_corridor_across_the_notch_leaves_the_country() {
        let m = CountryMask::new(&square_with_notch());
        let (a, b) = ([70.1, 45.8], [70.9, 45.8]);
        let len = crate::geodesy::distance_m(a, b);
        assert!(!m.keeps_inside(a, b, len, 2000.0));
        let (c, d) = ([70.1, 45.2], [70.9, 45.2]);
        assert!(m.keeps_inside(c, d, crate::geodesy::distance_m(c, d), 2000.0));
    }
}
