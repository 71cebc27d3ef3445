//! The cost model: what a kilometre of corridor, a village node and a household drop cost.
//!
//! Every figure is whole tenge. The bundled default lives in `data/costs.toml`, where each
//! number is documented with its source.

use crate::Kzt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Cost model of a plan. Read from TOML by `fiberplan-io`; unknown fields are rejected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    /// Currency of every figure; only `"KZT"` is accepted.
    pub currency: String,
    pub corridor: CorridorCosts,
    /// Per connected village: node equipment (OLT/switch, cabinet, power).
    pub village_equipment_kzt: Kzt,
    /// Per household passed: drop cable, ONT and installation.
    pub household_connection_kzt: Kzt,
    /// Running costs and the horizon over which technologies are compared. Without it,
    /// technologies compare on capital cost alone.
    #[serde(default)]
    pub lifecycle: Option<Lifecycle>,
    /// Fixed wireless from a fibre node; without it, FWA is not offered.
    #[serde(default)]
    pub fwa: Option<FwaCosts>,
    /// Satellite per household; without it, satellite is not offered.
    #[serde(default)]
    pub satellite: Option<SatelliteCosts>,
}

/// Horizon, discounting and fibre running costs for a fair comparison of technologies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// Years of service compared (capital cost now, running costs each year).
    pub horizon_years: u32,
    /// Discount rate per year, percent.
    pub discount_rate_pct: f64,
    /// Fibre maintenance per km of new corridor per year.
    pub fibre_opex_per_km_year_kzt: Kzt,
    /// Fibre service cost per connected household per year (backhaul, support).
    pub fibre_opex_per_household_year_kzt: Kzt,
}

impl Lifecycle {
    /// Present value of 1 tenge a year for `horizon_years`, paid at each year's end:
    /// `(1 - (1 + r)^-n) / r`, or `n` when `r` is 0. Closed form, so its time does not grow
    /// with the horizon.
    pub fn annuity_factor(&self) -> f64 {
        let r = self.discount_rate_pct / 100.0;
        let n = self.horizon_years as f64;
        if r == 0.0 {
            n
        } else {
            (1.0 - (1.0 + r).powf(-n)) / r
        }
    }

    /// Present value of `per_year` tenge a year over the horizon, whole tenge.
    pub fn present_value(&self, per_year: Kzt) -> Kzt {
        (per_year as f64 * self.annuity_factor()).round() as Kzt
    }
}

/// Fixed wireless access (FWA / 5G) served from a fibre node within `radius_km`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FwaCosts {
    /// Greatest distance from a fibre node (a fibre village or point of presence).
    pub radius_km: f64,
    /// Per village site: mast, radio, power, installation.
    pub site_kzt: Kzt,
    /// Per household: outdoor unit and installation.
    pub per_household_kzt: Kzt,
    pub site_opex_year_kzt: Kzt,
    pub household_opex_year_kzt: Kzt,
}

/// Satellite broadband: a terminal per household plus service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatelliteCosts {
    /// Terminal and installation per household.
    pub terminal_per_household_kzt: Kzt,
    /// Service per household per year.
    pub service_per_household_year_kzt: Kzt,
}

/// Per-kilometre costs of new fibre corridor by type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorridorCosts {
    /// Straight-line proxy corridors (no road data): per km of costed length.
    pub proxy_per_km: Kzt,
    /// Off-road spur from a village or point of presence to the nearest corridor.
    pub offroad_per_km: Kzt,
    /// Road corridors by OSM `highway` class; classes missing here use `road_default`.
    #[serde(default)]
    pub road: BTreeMap<String, RoadClassCost>,
    /// Road classes not listed in `road`.
    pub road_default: RoadClassCost,
    /// Extra per km on bridges (cable in ducts on the structure).
    pub bridge_extra_per_km: Kzt,
    /// Extra per km in tunnels.
    pub tunnel_extra_per_km: Kzt,
    /// Aerial cable on existing power-line poles (`power=line|minor_line`).
    pub power_line_per_km: Kzt,
    /// Along a railway (right-of-way agreement, trench beside the track).
    pub railway_per_km: Kzt,
    /// One crossing under a railway (horizontal directional drilling).
    pub railway_crossing_kzt: Kzt,
}

/// Per-km cost along one road class, by surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadClassCost {
    pub paved_per_km: Kzt,
    pub unpaved_per_km: Kzt,
}

impl CorridorCosts {
    /// Per-km cost along a road of `class`, paved or not.
    pub fn road_per_km(&self, class: &str, paved: bool) -> Kzt {
        let c = self.road.get(class).unwrap_or(&self.road_default);
        if paved {
            c.paved_per_km
        } else {
            c.unpaved_per_km
        }
    }
}

impl CostModel {
    /// The largest accepted tenge figure (per km, per item or per year): 10^9 tenge, about a
    /// hundred times the dearest real figure, small enough that a plan's sums stay far from
    /// `i64::MAX` (README, "Input limits").
    pub const MAX_FIGURE_KZT: Kzt = 1_000_000_000;
    /// The longest accepted lifecycle horizon, years.
    pub const MAX_HORIZON_YEARS: u32 = 100;
    /// The highest accepted discount rate, percent a year.
    pub const MAX_DISCOUNT_RATE_PCT: f64 = 100.0;
    /// The largest accepted FWA radius, km.
    pub const MAX_FWA_RADIUS_KM: f64 = 100.0;

    /// The first figure outside its documented range, as (TOML key, problem): tenge figures
    /// from 0 to [`Self::MAX_FIGURE_KZT`], a horizon of 1 to [`Self::MAX_HORIZON_YEARS`] years, a
    /// discount rate from 0 to [`Self::MAX_DISCOUNT_RATE_PCT`] percent, an FWA radius above 0 and
    /// at most [`Self::MAX_FWA_RADIUS_KM`] km; every real number finite.
    pub fn check(&self) -> Result<(), (String, String)> {
        const MAX_FIGURE_KZT: Kzt = CostModel::MAX_FIGURE_KZT;
        const MAX_HORIZON_YEARS: u32 = CostModel::MAX_HORIZON_YEARS;
        const MAX_DISCOUNT_RATE_PCT: f64 = CostModel::MAX_DISCOUNT_RATE_PCT;
        const MAX_FWA_RADIUS_KM: f64 = CostModel::MAX_FWA_RADIUS_KM;
        for (key, v) in self.figures() {
            if v < 0 {
                return Err((key, format!("negative cost {v}")));
            }
            if v > MAX_FIGURE_KZT {
                return Err((
                    key,
                    format!("{v} tenge is above the limit of {MAX_FIGURE_KZT} for any one figure"),
                ));
            }
        }
        if let Some(l) = &self.lifecycle {
            if !(1..=MAX_HORIZON_YEARS).contains(&l.horizon_years) {
                return Err((
                    "lifecycle.horizon_years".into(),
                    format!(
                        "{} must be from 1 to {MAX_HORIZON_YEARS} years",
                        l.horizon_years
                    ),
                ));
            }
            let r = l.discount_rate_pct;
            if !(r.is_finite() && (0.0..=MAX_DISCOUNT_RATE_PCT).contains(&r)) {
                return Err((
                    "lifecycle.discount_rate_pct".into(),
                    format!("{r} must be a percentage from 0 to {MAX_DISCOUNT_RATE_PCT}"),
                ));
            }
        }
        if let Some(f) = &self.fwa {
            let d = f.radius_km;
            if !(d.is_finite() && d > 0.0 && d <= MAX_FWA_RADIUS_KM) {
                return Err((
                    "fwa.radius_km".into(),
                    format!(
                        "{d} must be above 0 and at most {MAX_FWA_RADIUS_KM} km (leave out [fwa] to offer no fixed wireless)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Every figure that must not be negative, with its TOML path, for validation.
    pub fn figures(&self) -> Vec<(String, Kzt)> {
        let c = &self.corridor;
        let mut v = vec![
            ("corridor.proxy_per_km".to_string(), c.proxy_per_km),
            ("corridor.offroad_per_km".to_string(), c.offroad_per_km),
            (
                "corridor.road_default.paved_per_km".to_string(),
                c.road_default.paved_per_km,
            ),
            (
                "corridor.road_default.unpaved_per_km".to_string(),
                c.road_default.unpaved_per_km,
            ),
            (
                "corridor.bridge_extra_per_km".to_string(),
                c.bridge_extra_per_km,
            ),
            (
                "corridor.tunnel_extra_per_km".to_string(),
                c.tunnel_extra_per_km,
            ),
            (
                "corridor.power_line_per_km".to_string(),
                c.power_line_per_km,
            ),
            ("corridor.railway_per_km".to_string(), c.railway_per_km),
            (
                "corridor.railway_crossing_kzt".to_string(),
                c.railway_crossing_kzt,
            ),
            (
                "village_equipment_kzt".to_string(),
                self.village_equipment_kzt,
            ),
            (
                "household_connection_kzt".to_string(),
                self.household_connection_kzt,
            ),
        ];
        if let Some(l) = &self.lifecycle {
            v.push((
                "lifecycle.fibre_opex_per_km_year_kzt".into(),
                l.fibre_opex_per_km_year_kzt,
            ));
            v.push((
                "lifecycle.fibre_opex_per_household_year_kzt".into(),
                l.fibre_opex_per_household_year_kzt,
            ));
        }
        if let Some(f) = &self.fwa {
            v.push(("fwa.site_kzt".into(), f.site_kzt));
            v.push(("fwa.per_household_kzt".into(), f.per_household_kzt));
            v.push(("fwa.site_opex_year_kzt".into(), f.site_opex_year_kzt));
            v.push((
                "fwa.household_opex_year_kzt".into(),
                f.household_opex_year_kzt,
            ));
        }
        if let Some(s) = &self.satellite {
            v.push((
                "satellite.terminal_per_household_kzt".into(),
                s.terminal_per_household_kzt,
            ));
            v.push((
                "satellite.service_per_household_year_kzt".into(),
                s.service_per_household_year_kzt,
            ));
        }
        for (k, r) in &c.road {
            v.push((format!("corridor.road.{k}.paved_per_km"), r.paved_per_km));
            v.push((
                format!("corridor.road.{k}.unpaved_per_km"),
                r.unpaved_per_km,
            ));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifecycle(horizon_years: u32, discount_rate_pct: f64) -> Lifecycle {
        Lifecycle {
            horizon_years,
            discount_rate_pct,
            fibre_opex_per_km_year_kzt: 0,
            fibre_opex_per_household_year_kzt: 0,
        }
    }

    /// The closed form equals the year-by-year sum it replaced.
    #[test]
    fn annuity_closed_form_matches_term_by_term() {
        for n in [1u32, 2, 5, 10, 30, 100] {
            for pct in [0.0, 0.5, 3.0, 10.0, 37.5, 100.0] {
                let r: f64 = pct / 100.0;
                let sum: f64 = (1..=n).map(|t| (1.0 + r).powi(-(t as i32))).sum();
                let got = lifecycle(n, pct).annuity_factor();
                assert!(
                    (got - sum).abs() <= 1e-9 * sum.max(1.0),
                    "n {n}, {pct} %: {got} vs {sum}"
                );
            }
        }
        // Hand-checked: 10 years at 10 % is 6.144567...
        assert!((lifecycle(10, 10.0).annuity_factor() - 6.144_567_105_704_68).abs() < 1e-12);
    }

    /// A horizon of four billion years is one `powf`, not four billion terms.
    #[test]
    fn annuity_of_a_huge_horizon_is_immediate() {
        let a = lifecycle(4_000_000_000, 10.0).annuity_factor();
        assert!((a - 10.0).abs() < 1e-9, "{a}");
    }
}
