//! What each technology costs a village, now (capital) and over the horizon (lifecycle:
//! capital plus discounted running costs), under a scenario's scale factors.
//!
//! Fibre's corridor running cost is per km; the solver's weights are capital tenge, so it
//! enters as one factor on corridor capital: `1 + PV(opex per km-year) / proxy cost per km`.
//! (Exact for proxy corridors; for road classes dearer or cheaper than the proxy rate it
//! over- or under-states maintenance by that ratio, a few percent of a small term.)

use fiberplan_model::{CostModel, Kzt, Scenario, Village};

/// Costs of one village by technology. `None` where the technology is not offered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VillageCosts {
    /// Fibre equipment and household connections (no corridor).
    pub fibre_capex: Kzt,
    pub fibre_life: Kzt,
    /// Fixed wireless from a fibre node in range.
    pub fwa_capex: Option<Kzt>,
    pub fwa_life: Option<Kzt>,
    pub satellite_capex: Option<Kzt>,
    pub satellite_life: Option<Kzt>,
}

/// The cost model under one scenario.
#[derive(Clone, Debug)]
pub struct Economics {
    pub corridor_scale: f64,
    /// Lifecycle cost of a tenge of corridor capital.
    pub corridor_life_factor: f64,
    pub fwa_radius_m: Option<f64>,
    costs: CostModel,
    fwa_scale: f64,
    satellite_scale: f64,
}

/// The largest plan total accepted: a quarter of `i64::MAX` tenge (2.3e18), so that the
/// plan's sums (corridors, villages, phases, lifecycle) cannot reach `i64::MAX`.
pub const MAX_TOTAL_KZT: Kzt = Kzt::MAX / 4;

/// The largest scale factor a scenario may set (`Scenario::check`).
const MAX_SCALE: f64 = 100.0;

/// Check, before any plan, that no plan of these inputs can overflow whole-tenge totals:
/// the dearest plan imaginable (every corridor built, every village on its dearest
/// technology, every scale factor at its maximum of 100, running costs over the horizon)
/// must stay within [`MAX_TOTAL_KZT`]. Every total a plan sums (corridor, equipment,
/// households, FWA, satellite, phases, lifecycle) is a part of that bound, so when it
/// holds, no sum can wrap. `corridor_kzt` are the corridors' capital costs at scale 1.
///
/// The bound is summed in `i128` (exact for any input: at most 2^64 terms of `i64`).
///
/// # Errors
/// What would overflow (corridors or villages) and by how much, one line.
pub fn check_money_bound(
    costs: &CostModel,
    villages: &[Village],
    corridor_kzt: impl IntoIterator<Item = Kzt>,
) -> Result<(), String> {
    let pv_factor = costs.lifecycle.as_ref().map_or(0.0, |l| l.annuity_factor());
    let pv = |per_year: i128| (per_year as f64 * pv_factor).ceil() as i128;
    let corridors: i128 = corridor_kzt.into_iter().map(|c| c.max(0) as i128).sum();
    // Corridor capital and maintenance over the horizon, at the largest scale.
    let opex_per_km = costs
        .lifecycle
        .as_ref()
        .map_or(0, |l| l.fibre_opex_per_km_year_kzt) as f64;
    let life_factor = if costs.corridor.proxy_per_km > 0 {
        1.0 + opex_per_km * pv_factor / costs.corridor.proxy_per_km as f64
    } else {
        1.0
    };
    let corridor_bound = (corridors as f64 * MAX_SCALE * life_factor).ceil();
    let limit = MAX_TOTAL_KZT as f64;
    if corridor_bound > limit {
        return Err(format!(
            "corridor costs too large: building every corridor could cost {corridor_bound:.3e} tenge \
             (at a scale factor of 100, with maintenance), beyond the {limit:.3e} that exact \
             whole-tenge totals allow; check the per-km figures"
        ));
    }
    let c = costs;
    let mut villages_bound: i128 = 0;
    for v in villages {
        let hh = v.households as i128;
        let fibre_opex = c
            .lifecycle
            .as_ref()
            .map_or(0, |l| hh * l.fibre_opex_per_household_year_kzt as i128);
        let fibre = c.village_equipment_kzt as i128
            + hh * c.household_connection_kzt as i128
            + pv(fibre_opex);
        let fwa = c.fwa.as_ref().map_or(0, |f| {
            let capex = f.site_kzt as i128 + hh * f.per_household_kzt as i128;
            let opex = f.site_opex_year_kzt as i128 + hh * f.household_opex_year_kzt as i128;
            capex + pv(opex)
        });
        let sat = c.satellite.as_ref().map_or(0, |s| {
            hh * s.terminal_per_household_kzt as i128
                + pv(hh * s.service_per_household_year_kzt as i128)
        });
        villages_bound += fibre
            .max(fwa * MAX_SCALE as i128)
            .max(sat * MAX_SCALE as i128);
    }
    let total = corridor_bound + villages_bound as f64;
    if total > limit {
        return Err(format!(
            "village costs too large: connecting every village could cost {:.3e} tenge \
             (at a scale factor of 100, over the horizon; corridors {corridor_bound:.3e}), beyond \
             the {limit:.3e} that exact whole-tenge totals allow; check the per-village and \
             per-household figures",
            villages_bound as f64
        ));
    }
    Ok(())
}

fn scale(x: Kzt, f: f64) -> Kzt {
    (x as f64 * f).round() as Kzt
}

impl Economics {
    pub fn new(costs: &CostModel, s: &Scenario) -> Self {
        let corridor_life_factor = match &costs.lifecycle {
            Some(l) if costs.corridor.proxy_per_km > 0 => {
                1.0 + l.present_value(l.fibre_opex_per_km_year_kzt) as f64
                    / costs.corridor.proxy_per_km as f64
            }
            _ => 1.0,
        };
        Economics {
            corridor_scale: s.corridor_cost_scale,
            corridor_life_factor,
            fwa_radius_m: costs.fwa.as_ref().map(|f| f.radius_km * 1000.0),
            costs: costs.clone(),
            fwa_scale: s.fwa_cost_scale,
            satellite_scale: s.satellite_cost_scale,
        }
    }

    /// Present value of a yearly cost over the horizon (0 without a lifecycle section).
    fn pv(&self, per_year: Kzt) -> Kzt {
        self.costs
            .lifecycle
            .as_ref()
            .map_or(0, |l| l.present_value(per_year))
    }

    /// Corridor capital at this scenario's prices.
    pub fn corridor_capex(&self, solver_cost: Kzt) -> Kzt {
        scale(solver_cost, self.corridor_scale)
    }

    /// Corridor capital plus maintenance over the horizon.
    pub fn corridor_life(&self, solver_cost: Kzt) -> Kzt {
        scale(solver_cost, self.corridor_scale * self.corridor_life_factor)
    }

    pub fn village(&self, v: &Village) -> VillageCosts {
        let c = &self.costs;
        let hh = v.households as Kzt;
        let fibre_capex = c.village_equipment_kzt + hh * c.household_connection_kzt;
        let fibre_opex = c
            .lifecycle
            .as_ref()
            .map_or(0, |l| hh * l.fibre_opex_per_household_year_kzt);
        let fwa = c.fwa.as_ref().map(|f| {
            let capex = scale(f.site_kzt + hh * f.per_household_kzt, self.fwa_scale);
            let opex = scale(
                f.site_opex_year_kzt + hh * f.household_opex_year_kzt,
                self.fwa_scale,
            );
            (capex, capex + self.pv(opex))
        });
        let sat = c.satellite.as_ref().map(|s| {
            let capex = scale(hh * s.terminal_per_household_kzt, self.satellite_scale);
            let opex = scale(hh * s.service_per_household_year_kzt, self.satellite_scale);
            (capex, capex + self.pv(opex))
        });
        VillageCosts {
            fibre_capex,
            fibre_life: fibre_capex + self.pv(fibre_opex),
            fwa_capex: fwa.map(|x| x.0),
            fwa_life: fwa.map(|x| x.1),
            satellite_capex: sat.map(|x| x.0),
            satellite_life: sat.map(|x| x.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn costs(per_km: Kzt, per_household: Kzt) -> CostModel {
        use fiberplan_model::{CorridorCosts, RoadClassCost};
        let zero = RoadClassCost {
            paved_per_km: 0,
            unpaved_per_km: 0,
        };
        CostModel {
            currency: "KZT".into(),
            corridor: CorridorCosts {
                proxy_per_km: per_km,
                offroad_per_km: 0,
                road: Default::default(),
                road_default: zero,
                bridge_extra_per_km: 0,
                tunnel_extra_per_km: 0,
                power_line_per_km: 0,
                railway_per_km: 0,
                railway_crossing_kzt: 0,
            },
            village_equipment_kzt: 0,
            household_connection_kzt: per_household,
            lifecycle: None,
            fwa: None,
            satellite: None,
        }
    }

    fn village(households: u64) -> Village {
        Village {
            id: "v".into(),
            name: String::new(),
            name_kk: String::new(),
            name_ru: String::new(),
            lonlat: [70.0, 50.0],
            place: "user".into(),
            population: households * 3,
            households,
            population_imputed: false,
            kato: String::new(),
            rural_okrug: String::new(),
            existing_fibre: None,
            district: None,
        }
    }

    #[test]
    fn money_bound_refuses_totals_that_could_wrap() {
        let c = costs(1_000, 1_000);
        check_money_bound(&c, &[village(100)], [1_000_000]).unwrap();
        // 10^7 corridors of 10^12 tenge at scale 100: 10^21, beyond i64.
        let e = check_money_bound(&c, &[], std::iter::repeat_n(1_000_000_000_000, 10_000_000))
            .unwrap_err();
        assert!(e.starts_with("corridor costs too large"), "{e}");
        // Villages: 10^5 villages of 200,000 households at 10^9 tenge each: 2e19.
        let c = costs(1_000, 1_000_000_000);
        let vs = vec![village(200_000); 100_000];
        let e = check_money_bound(&c, &vs, [0]).unwrap_err();
        assert!(e.starts_with("village costs too large"), "{e}");
    }
}
