//! Longitudes across the antimeridian (±180°).
//!
//! GeoJSON (RFC 7946, 3.1.9) joins two positions by a straight line in `[lon, lat]`, so a
//! line from 179.9° to -179.9° would go the long way round the globe; such lines are cut at
//! the antimeridian into parts that do not cross it ([`split_line`]). Planar work on a set
//! of places that straddles ±180° (a triangulation, a nearest-segment search) runs in an
//! unwrapped frame ([`LonFrame`]) where longitudes are continuous, and positions go back to
//! `[-180, 180]` on the way out. For data that does not straddle the antimeridian the frame
//! is the identity, bit for bit.

use crate::LonLat;

/// Whether the segment `a`-`b` crosses the antimeridian: its shorter way round does, which
/// is the case when the longitudes differ by more than 180°.
pub fn crosses(a: LonLat, b: LonLat) -> bool {
    (b[0] - a[0]).abs() > 180.0
}

/// Cut a line at every crossing of the antimeridian. The crossing's latitude is
/// interpolated along the straight segment of the unwrapped longitudes; the part ending at
/// the crossing ends on `±180` on its own side, the next starts on the other. A line that
/// does not cross comes back whole, as one part.
pub fn split_line(line: &[LonLat]) -> Vec<Vec<LonLat>> {
    let mut parts: Vec<Vec<LonLat>> = Vec::new();
    let mut cur: Vec<LonLat> = Vec::with_capacity(line.len());
    for (i, &p) in line.iter().enumerate() {
        if i > 0 {
            let a = line[i - 1];
            if crosses(a, p) {
                // Unwrap p next to a, find where the segment meets a's side of ±180.
                let east = a[0] > 0.0;
                let edge = if east { 180.0 } else { -180.0 };
                let b_lon = if east { p[0] + 360.0 } else { p[0] - 360.0 };
                let t = (edge - a[0]) / (b_lon - a[0]);
                let lat = a[1] + t * (p[1] - a[1]);
                // A vertex lying on ±180 is the crossing itself: not repeated.
                if a[0] != edge {
                    cur.push([edge, lat]);
                }
                parts.push(std::mem::take(&mut cur));
                if p[0] != -edge {
                    cur.push([-edge, lat]);
                }
            }
        }
        cur.push(p);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    // A part made of one crossing point only (a vertex exactly on ±180) says nothing.
    parts.retain(|p| p.len() >= 2 || line.len() < 2);
    parts
}

/// An unwrapped longitude frame for a set of places: longitudes west of `cut` move by
/// +360°, so that a set straddling ±180° becomes continuous. `cut` lies in the widest
/// empty span of longitudes; when that span already holds ±180 nothing moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonFrame {
    cut: Option<f64>,
}

impl LonFrame {
    /// The identity frame.
    pub const IDENTITY: LonFrame = LonFrame { cut: None };

    /// The frame for these longitudes (any order; non-finite ones are ignored).
    pub fn for_lons(lons: impl IntoIterator<Item = f64>) -> LonFrame {
        let mut v: Vec<f64> = lons.into_iter().filter(|x| x.is_finite()).collect();
        if v.len() < 2 {
            return LonFrame::IDENTITY;
        }
        v.sort_by(f64::total_cmp);
        let wrap_gap = v[0] + 360.0 - v[v.len() - 1];
        let (mut best, mut at) = (wrap_gap, None);
        for w in v.windows(2) {
            let gap = w[1] - w[0];
            if gap > best {
                best = gap;
                at = Some((w[0] + w[1]) / 2.0);
            }
        }
        LonFrame { cut: at }
    }

    /// Whether the frame moves anything.
    pub fn is_identity(&self) -> bool {
        self.cut.is_none()
    }

    /// A position in the unwrapped frame.
    pub fn unwrap(&self, p: LonLat) -> LonLat {
        match self.cut {
            Some(c) if p[0] < c => [p[0] + 360.0, p[1]],
            _ => p,
        }
    }

    /// A position of the unwrapped frame back in `[-180, 180]`.
    pub fn wrap(&self, p: LonLat) -> LonLat {
        if p[0] > 180.0 {
            [p[0] - 360.0, p[1]]
        } else {
            p
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_across_the_antimeridian_is_cut_at_its_crossing() {
        // 179.5 -> -179.5 covers one degree; the crossing is halfway, at the mean latitude.
        let parts = split_line(&[[179.0, 10.0], [179.5, 10.0], [-179.5, 12.0], [-179.0, 12.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[179.0, 10.0], [179.5, 10.0], [180.0, 11.0]],
                vec![[-180.0, 11.0], [-179.5, 12.0], [-179.0, 12.0]],
            ]
        );
        // Westward too: -179.75 -> 179.75 crosses halfway in longitude.
        let parts = split_line(&[[-179.75, 0.0], [179.75, 4.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[-179.75, 0.0], [-180.0, 2.0]],
                vec![[180.0, 2.0], [179.75, 4.0]]
            ]
        );
    }

    #[test]
    fn a_vertex_on_the_antimeridian_is_not_repeated() {
        let parts = split_line(&[[179.5, 1.0], [180.0, 1.0], [-179.5, 1.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[179.5, 1.0], [180.0, 1.0]],
                vec![[-180.0, 1.0], [-179.5, 1.0]]
            ]
        );
    }

    #[test]
    fn a_line_that_does_not_cross_is_one_part() {
        let line = vec![[170.0, 1.0], [179.0, 2.0]];
        assert_eq!(split_line(&line), vec![line.clone()]);
        let line = vec![[-100.0, 1.0], [70.0, 2.0]]; // 170 degrees: the short way
        assert_eq!(split_line(&line), vec![line]);
    }

    #[test]
    fn the_frame_is_the_identity_away_from_the_antimeridian() {
        let f = LonFrame::for_lons([50.0, 87.0, 46.5, 60.0]);
        assert!(f.is_identity());
        assert_eq!(f.unwrap([46.5, 40.0]), [46.5, 40.0]);
        // Both hemispheres but far from 180: the widest gap holds 180, nothing moves.
        assert!(LonFrame::for_lons([-10.0, 10.0]).is_identity());
    }

    #[test]
    fn the_frame_makes_straddling_places_continuous() {
        let f = LonFrame::for_lons([179.5, 179.9, -179.8, -179.5]);
        assert!(!f.is_identity());
        assert!((f.unwrap([-179.8, 65.0])[0] - 180.2).abs() < 1e-9);
        assert_eq!(f.unwrap([179.5, 65.0]), [179.5, 65.0]);
        let u = f.unwrap([-179.5, 1.0]);
        assert_eq!(u, [180.5, 1.0]);
        assert_eq!(f.wrap(u), [-179.5, 1.0]);
    }
}
