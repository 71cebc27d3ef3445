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
