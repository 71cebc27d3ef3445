//! The declared layout model for villages whose buildings are not mapped.
//!
//! - Along the village's OSM streets, when it has some: modelled premises every
//!   `2 x street_m_per_premise` metres on each side of the street (so one premise per
//!   `street_m_per_premise` metres of street), `setback_m` from it, streets nearest the
//!   centre first, until the village's households are placed.
//! - Otherwise a generated "fishbone": side streets `side_street_spacing_m` apart, each
//!   `2D` long, crossing one main street at the centre; premises on both sides of the side
//!   streets. `D` makes the extent square-ish: `D = sqrt(households x street_m_per_premise x
//!   spacing / 4)`. The layout is a tree, so its Steiner tree is exact.
//!
//! Every premise placed here is `modelled: true`. One household per premise (rural Kazakh
//! villages are detached houses on plots).

use crate::local::Local;
use crate::premises::Premise;
use crate::street_graph::Street;
use fiberplan_model::last_mile::LayoutModel;
use fiberplan_model::LonLat;

fn modelled(lonlat: LonLat) -> Premise {
    Premise {
        lonlat,
        households: 1,
        modelled: true,
        osm: None,
    }
}

/// A generated layout of `count` premises around `centre`: its streets and premises.
pub fn generated_layout(
    centre: LonLat,
    count: usize,
    m: &LayoutModel,
) -> (Vec<Street>, Vec<Premise>) {
    if count == 0 {
        return (Vec::new(), Vec::new());
    }
    let local = Local::new(centre);
    let spm = m.street_m_per_premise;
    let a = m.side_street_spacing_m;
    let need = count as f64 * spm;
    let half = (need * a / 4.0).sqrt().max(spm);
    let per_street = ((2.0 * half / spm).floor() as usize).max(2);
    let n = count.div_ceil(per_street);
    let x0 = -((n - 1) as f64) * a / 2.0;
    let mut streets = Vec::new();
    let mut premises = Vec::with_capacity(count);
    let street = |pts: Vec<[f64; 2]>, ids: Vec<i64>| Street {
        coords: pts.into_iter().map(|p| local.lonlat(p)).collect(),
        nodes: ids,
        class: "generated".into(),
        poles: false,
    };
    // Node ids: -(1 + 3k) south end, -(2 + 3k) crossing, -(3 + 3k) north end of street k.
    if n > 1 {
        streets.push(street(
            (0..n).map(|k| [x0 + k as f64 * a, 0.0]).collect(),
            (0..n).map(|k| -(2 + 3 * k as i64)).collect(),
        ));
    }
    for k in 0..n {
        let x = x0 + k as f64 * a;
        let kk = 3 * k as i64;
        streets.push(street(
            vec![[x, -half], [x, 0.0], [x, half]],
            vec![-(1 + kk), -(2 + kk), -(3 + kk)],
        ));
        let here = per_street.min(count - premises.len());
        for j in 0..here {
            let y = -half + (j / 2) as f64 * 2.0 * spm + spm;
            let side = if j % 2 == 0 { 1.0 } else { -1.0 };
            premises.push(modelled(local.lonlat([x + side * m.setback_m, y])));
        }
    }
    (streets, premises)
}

/// `count` modelled premises along `streets`, nearest the centre first; `None` when the
/// streets within `radius_m` are too short to hold them.
pub fn premises_along_streets(
    streets: &[Street],
    centre: LonLat,
    count: usize,
    radius_m: f64,
    m: &LayoutModel,
) -> Option<Vec<Premise>> {
    let local = Local::new(centre);
    // Segments with their distance from the centre.
    let mut segs: Vec<(f64, usize, usize)> = Vec::new();
    for (si, s) in streets.iter().enumerate() {
        for i in 0..s.coords.len().saturating_sub(1) {
            let (a, b) = (local.xy(s.coords[i]), local.xy(s.coords[i + 1]));
            let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
            let d = (mid[0] * mid[0] + mid[1] * mid[1]).sqrt();
            if d <= radius_m {
                segs.push((d, si, i));
            }
        }
    }
    segs.sort_by(|x, y| x.0.total_cmp(&y.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let step = 2.0 * m.street_m_per_premise;
    let mut out = Vec::with_capacity(count);
    for &(_, si, i) in &segs {
        let s = &streets[si];
        let (a, b) = (local.xy(s.coords[i]), local.xy(s.coords[i + 1]));
        let d = [b[0] - a[0], b[1] - a[1]];
        let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
        if len < 1.0 {
            continue;
        }
        let (ux, uy) = (d[0] / len, d[1] / len);
        let mut along = step / 2.0;
        while along < len && out.len() < count {
            for side in [1.0, -1.0] {
                if out.len() < count {
                    let p = [
                        a[0] + ux * along - side * uy * m.setback_m,
                        a[1] + uy * along + side * ux * m.setback_m,
                    ];
                    out.push(modelled(local.lonlat(p)));
                }
            }
            along += step;
        }
        if out.len() == count {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> LayoutModel {
        LayoutModel {
            street_m_per_premise: 14.0,
            side_street_spacing_m: 100.0,
            setback_m: 15.0,
            min_mapped_share_pct: 50.0,
        }
    }

    #[test]
    fn a_generated_layout_places_every_household() {
        for count in [1, 2, 7, 50, 333] {
            let (streets, premises) = generated_layout([70.0, 45.0], count, &model());
            assert_eq!(premises.len(), count);
            assert!(premises.iter().all(|p| p.modelled && p.households == 1));
            assert!(!streets.is_empty());
        }
    }

    #[test]
    fn one_hundred_households_get_the_declared_street_length() {
        // need = 1,400 m; D = sqrt(1400 x 100 / 4) = 187.1 m; 26 premises per side street;
        // 4 side streets of 374.2 m and a main street of 300 m: 1,796.7 m in the local
        // frame (111,320 m per degree); geodesically the meridian degree at 45 N is
        // 111,132 m, so the side streets are 0.17 % shorter: 1,794.6 m.
        let (streets, _) = generated_layout([70.0, 45.0], 100, &model());
        let len: f64 = streets
            .iter()
            .map(|s| {
                s.coords
                    .windows(2)
                    .map(|w| crate::local::distance_m(w[0], w[1]))
                    .sum::<f64>()
            })
            .sum();
        assert!((len - 1794.6).abs() < 0.1, "{len}");
    }

    #[test]
    fn premises_along_streets_fill_both_sides() {
        // 222.6 m of street at the equator holds 2 x floor((222.6 - 14) / 28 + 1) = 16.
        let s = Street {
            coords: vec![[0.0, 0.0], [0.002, 0.0]],
            nodes: vec![1, 2],
            class: "residential".into(),
            poles: false,
        };
        let m = model();
        assert_eq!(
            premises_along_streets(std::slice::from_ref(&s), [0.001, 0.0], 16, 1500.0, &m)
                .unwrap()
                .len(),
            16
        );
        assert!(premises_along_streets(&[s], [0.001, 0.0], 17, 1500.0, &m).is_none());
    }
}
