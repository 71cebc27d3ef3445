//! The declared radio model of a coverage run and the received level it gives: which
//! path-loss model (ITM point-to-point over a DEM, ITM area mode with a stated terrain
//! irregularity, or a named distance model), the link budget, and the antenna pattern.
//!
//! Received level = RS EIRP per resource element at boresight + pattern - path loss +
//! terminal gain - margin. Road sites aim their sectors along the road (boresight to
//! every sample, a declared simplification); city sites have three sectors at 0, 120 and
//! 240 degrees with the 3GPP pattern.

use fiberplan_model::mobile::RadioBudget;
use fiberplan_model::LonLat;
use fiberplan_radio::coverage::{great_circle_m, PointIndex};
use fiberplan_radio::itm::ItmParams;
use fiberplan_radio::link_budget::{received_power_dbm, Antenna};
use fiberplan_radio::{ItmAreaModel, ItmModel, Link, Model, PathLoss, ProfileRef};
use rayon::prelude::*;

/// Fills `buf` with the elevations from the first point to the second and returns the
/// interval (m); `None` off the DEM or on a void.
pub type ProfileFn<'a> = dyn Fn(LonLat, LonLat, &mut Vec<f64>) -> Option<f64> + Sync + 'a;

/// Which path-loss model.
#[derive(Clone, Debug, PartialEq)]
pub enum Propagation {
    /// ITM point-to-point over DEM profiles sampled every `step_m`.
    ItmP2p { params: ItmParams, step_m: f64 },
    /// ITM area mode with terrain irregularity `delta_h_m` (no DEM).
    ItmArea { params: ItmParams, delta_h_m: f64 },
    /// A `fiberplan radio loss` model by name (`38901-uma-nlos`, `hata-open`, ...).
    Named { name: String, model: Model },
}

/// Antenna pattern towards the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Boresight gain towards every point.
    Boresight,
    /// Three sectors at 0/120/240 degrees, 3GPP pattern (65 degree beamwidth, 30 dB floor).
    ThreeSector,
}

/// A site that transmits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transmitter {
    pub lonlat: LonLat,
    pub height_m: f64,
}

/// Everything a received level depends on.
#[derive(Clone, Debug)]
pub struct Radio {
    pub budget: RadioBudget,
    pub propagation: Propagation,
    pub pattern: Pattern,
    /// No point beyond this distance counts, m.
    pub range_m: f64,
}

enum Loss {
    P2p(ItmModel),
    Area(ItmAreaModel),
    Named(Model),
}

impl Radio {
    fn loss(&self) -> Loss {
        match &self.propagation {
            Propagation::ItmP2p { params, .. } => Loss::P2p(ItmModel {
                params: *params,
                range_m: self.range_m,
            }),
            Propagation::ItmArea { params, delta_h_m } => Loss::Area(ItmAreaModel {
                params: *params,
                delta_h_m: *delta_h_m,
                range_m: self.range_m,
            }),
            Propagation::Named { model, .. } => Loss::Named(*model),
        }
    }

    /// The model's name as outputs declare it.
    pub fn model_name(&self) -> String {
        match &self.propagation {
            Propagation::ItmP2p { .. } => "itm-p2p".into(),
            Propagation::ItmArea { .. } => "itm-area".into(),
            Propagation::Named { name, .. } => name.clone(),
        }
    }

    fn params(&self) -> Option<&ItmParams> {
        match &self.propagation {
            Propagation::ItmP2p { params, .. } | Propagation::ItmArea { params, .. } => {
                Some(params)
            }
            Propagation::Named { .. } => None,
        }
    }

    /// Received level (dBm) of `tx` at every point within range, `(point, dBm)` by
    /// ascending point; points the model refuses or the DEM cannot profile are left out.
    pub fn received(
        &self,
        tx: &Transmitter,
        points: &[LonLat],
        index: &PointIndex,
        profile: &ProfileFn<'_>,
    ) -> Vec<(u32, f64)> {
        let loss = self.loss();
        let model: &dyn PathLoss = match &loss {
            Loss::P2p(m) => m,
            Loss::Area(m) => m,
            Loss::Named(m) => m,
        };
        let needs_profile = matches!(loss, Loss::P2p(_));
        let b = &self.budget;
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for i in index.within(tx.lonlat, self.range_m) {
            let p = points[i];
            let d = great_circle_m(tx.lonlat, p).max(1.0);
            let link = Link::new(b.f_mhz, d, tx.height_m, b.h_ut_m);
            let l = if needs_profile {
                let Some(interval_m) = profile(tx.lonlat, p, &mut buf) else {
                    continue;
                };
                model.loss_db(
                    &link,
                    Some(ProfileRef {
                        interval_m,
                        elevations: &buf,
                    }),
                )
            } else {
                model.loss_db(&link, None)
            };
            let Ok(l) = l else { continue };
            let gain = match self.pattern {
                Pattern::Boresight => 0.0,
                Pattern::ThreeSector => {
                    Antenna::three_sector_gain_dbi(0.0, 0.0, bearing_deg(tx.lonlat, p))
                }
            };
            out.push((
                i as u32,
                received_power_dbm(b.rs_eirp_dbm + gain, l, b.rx_gain_dbi, b.margin_db),
            ));
        }
        out
    }

    /// For every transmitter, the points it covers (level >= threshold), ascending.
    /// Parallel over transmitters; the order of the result does not depend on threads.
    pub fn cover_sets(
        &self,
        txs: &[Transmitter],
        points: &[LonLat],
        index: &PointIndex,
        profile: &ProfileFn<'_>,
    ) -> Vec<Vec<u32>> {
        let t = self.budget.threshold_dbm;
        txs.par_iter()
            .map(|tx| {
                self.received(tx, points, index, profile)
                    .into_iter()
                    .filter(|&(_, dbm)| dbm >= t)
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect()
    }

    /// Best level at every point over `txs` (`None` where none reaches it with a value).
    pub fn best_levels(
        &self,
        txs: &[Transmitter],
        points: &[LonLat],
        index: &PointIndex,
        profile: &ProfileFn<'_>,
    ) -> Vec<Option<f64>> {
        let per_tx: Vec<Vec<(u32, f64)>> = txs
            .par_iter()
            .map(|tx| self.received(tx, points, index, profile))
            .collect();
        let mut best: Vec<Option<f64>> = vec![None; points.len()];
        for v in per_tx {
            for (i, dbm) in v {
                let b = &mut best[i as usize];
                if b.is_none_or(|x| dbm > x) {
                    *b = Some(dbm);
                }
            }
        }
        best
    }

    /// Distance (m) at which the boresight level on flat ground falls to the threshold:
    /// the cell range of hexagonal dimensioning. Bisection over (10 m, range]; `None`
    /// when even 10 m misses the threshold.
    pub fn cell_range_m(&self, height_m: f64) -> Option<f64> {
        let flat = Propagation::ItmArea {
            params: self.params().copied().unwrap_or_default(),
            delta_h_m: 0.0,
        };
        let me = Radio {
            propagation: match &self.propagation {
                Propagation::ItmP2p { .. } => flat,
                p => p.clone(),
            },
            pattern: Pattern::Boresight,
            ..self.clone()
        };
        let level = |d: f64| {
            let tx = Transmitter {
                lonlat: [0.0, 0.0],
                height_m,
            };
            let p = [(d / fiberplan_radio::coverage::R_EARTH_M).to_degrees(), 0.0];
            let idx = PointIndex::new(&[p]);
            me.received(&tx, &[p], &idx, &|_, _, _| None)
                .first()
                .map(|x| x.1)
        };
        let t = self.budget.threshold_dbm;
        if level(10.0).is_none_or(|v| v < t) {
            return None;
        }
        let (mut lo, mut hi) = (10.0, self.range_m);
        if level(hi).is_some_and(|v| v >= t) {
            return Some(hi);
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if level(mid).is_some_and(|v| v >= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(lo)
    }

    /// The `radio` object of summary.json: the declared model and link budget.
    pub fn summary(&self) -> serde_json::Value {
        let b = &self.budget;
        let mut v = serde_json::json!({
            "model": self.model_name(),
            "technology": b.technology,
            "f_mhz": b.f_mhz,
            "eirp_dbm": b.rs_eirp_dbm,
            "eirp_is": "reference-signal EIRP per resource element at boresight",
            "threshold_dbm": b.threshold_dbm,
            "threshold_is": "RSRP (LTE) / SS-RSRP (NR) at the terminal",
            "h_ut_m": b.h_ut_m,
            "rx_gain_dbi": b.rx_gain_dbi,
            "margin_db": b.margin_db,
            "range_km": self.range_m / 1000.0,
            "antenna": match self.pattern {
                Pattern::Boresight => "boresight towards every sample (sectors aimed along the road)",
                Pattern::ThreeSector => "three sectors at 0/120/240 deg, 3GPP pattern (65 deg, 30 dB floor), 0 dBi relative",
            },
            "estimated": true,
        });
        if let Some(p) = self.params() {
            v["itm"] = serde_json::json!({
                "n_0": p.n_0, "epsilon": p.epsilon, "sigma": p.sigma, "polarization": p.pol,
                "climate": p.climate, "mdvar": p.mdvar, "time_pct": p.time,
                "location_pct": p.location, "situation_pct": p.situation,
            });
        }
        match &self.propagation {
            Propagation::ItmP2p { step_m, .. } => v["itm"]["profile_step_m"] = (*step_m).into(),
            Propagation::ItmArea { delta_h_m, .. } => {
                v["delta_h_m"] = (*delta_h_m).into();
                v["itm"]["siting"] = "base station careful, terminal random".into();
            }
            Propagation::Named { .. } => {}
        }
        v
    }
}

/// Initial great-circle bearing from `a` to `b`, degrees clockwise from north.
pub fn bearing_deg(a: LonLat, b: LonLat) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dl = (b[0] - a[0]).to_radians();
    let y = dl.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fspl_radio() -> Radio {
        Radio {
            budget: RadioBudget {
                technology: "t".into(),
                f_mhz: 1000.0,
                rs_eirp_dbm: 40.0,
                threshold_dbm: -60.0,
                h_ut_m: 1.5,
                rx_gain_dbi: 0.0,
                margin_db: 0.0,
            },
            propagation: Propagation::Named {
                name: "fspl".into(),
                model: Model::FreeSpace,
            },
            pattern: Pattern::Boresight,
            range_m: 50_000.0,
        }
    }

    #[test]
    fn free_space_range_by_hand() {
        // 40 dBm - FSPL = -60 dBm: FSPL = 100 dB at 1 GHz, d_3d = 10^((100 - 32.45 - 60) / 20) km
        // = 2.3823 km (FSPL = 32.45 + 20 log f_MHz + 20 log d_km); heights 30 m and 1.5 m.
        let r = fspl_radio();
        let d3 = 10f64.powf((100.0 - 32.45 - 60.0) / 20.0) * 1000.0;
        let d2 = (d3 * d3 - 28.5f64 * 28.5).sqrt();
        let got = r.cell_range_m(30.0).unwrap();
        assert!((got - d2).abs() < 1.0, "{got} vs {d2}");
    }

    #[test]
    fn bearings() {
        assert!((bearing_deg([70.0, 45.0], [70.0, 46.0]) - 0.0).abs() < 1e-9);
        assert!((bearing_deg([70.0, 45.0], [71.0, 45.0]) - 90.0).abs() < 1.0);
        assert!((bearing_deg([70.0, 45.0], [70.0, 44.0]) - 180.0).abs() < 1e-9);
    }
}
