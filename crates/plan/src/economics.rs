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

/// A fibre village's designed access network (the last mile), whole tenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DesignedAccess {
    /// OLT site share and PON ports: in place of the cost model's village equipment.
    pub equipment_kzt: Kzt,
    /// Splitters, closures, cables, poles and trenches, drops, ONTs and splices: in place of
    /// households x the flat household price.
    pub connections_kzt: Kzt,
    /// Households passed by the design (the calibration's denominator).
    pub households_passed: u64,
}

/// What pricing a plan with its designs changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DesignedPricing {
    /// Fibre villages priced by their design, and those left at the flat price (cities
    /// above the design's size limit).
    pub villages_designed: usize,
    pub villages_flat: usize,
    /// The designed villages at the cost model's flat prices and by their designs.
    pub flat_kzt: Kzt,
    pub designed_kzt: Kzt,
}

/// Prices every fibre village that has a design by that design instead of the cost model's
/// village equipment and flat household price: its `cost_kzt`, the plan's equipment,
/// household and total costs, its phase's spend and its lifecycle `fibre_marginal_kzt`
/// (running costs unchanged) move by the difference. `designed[i]` is village i's design
/// (`None`: not designed; a shorter slice leaves the rest flat).
///
/// The fibre tree is not re-solved: in quota, coverage and connect-all modes it does not
/// depend on village prices; budget and least-cost plans should be solved at prices
/// calibrated from designs first ([`calibrated_costs`]).
///
/// # Errors
/// A sum beyond 64-bit tenge, naming the village.
pub fn price_with_designs(
    plan: &mut crate::Plan,
    costs: &CostModel,
    villages: &[Village],
    designed: &[Option<DesignedAccess>],
) -> Result<DesignedPricing, String> {
    let mut out = DesignedPricing::default();
    let sm = &mut plan.summary;
    for (i, vp) in plan.villages.iter_mut().enumerate() {
        if vp.technology != crate::Technology::Fibre {
            continue;
        }
        let Some(d) = designed.get(i).copied().flatten() else {
            out.villages_flat += 1;
            continue;
        };
        let overflow = || {
            format!(
                "village {}: its designed last-mile cost overflows 64-bit tenge in the plan's totals",
                villages.get(i).map_or("?", |v| v.id.as_str())
            )
        };
        let new = d
            .equipment_kzt
            .checked_add(d.connections_kzt)
            .ok_or_else(overflow)?;
        let old = vp.cost_kzt;
        let delta = new.checked_sub(old).ok_or_else(overflow)?;
        let old_connections = old
            .checked_sub(costs.village_equipment_kzt)
            .ok_or_else(overflow)?;
        let add = |x: Kzt, plus: Kzt, minus: Kzt| {
            x.checked_add(plus)
                .and_then(|y| y.checked_sub(minus))
                .ok_or_else(overflow)
        };
        sm.cost_equipment_kzt = add(
            sm.cost_equipment_kzt,
            d.equipment_kzt,
            costs.village_equipment_kzt,
        )?;
        sm.cost_households_kzt = add(sm.cost_households_kzt, d.connections_kzt, old_connections)?;
        sm.cost_total_kzt = add(sm.cost_total_kzt, delta, 0)?;
        if let Some(year) = vp.phase {
            if let Some(p) = sm.phases.iter_mut().find(|p| p.0 == year) {
                p.1 = add(p.1, delta, 0)?;
            }
        }
        if let Some(m) = vp.fibre_marginal_kzt {
            vp.fibre_marginal_kzt = Some(add(m, delta, 0)?);
        }
        vp.cost_kzt = new;
        out.villages_designed += 1;
        out.flat_kzt = add(out.flat_kzt, old, 0)?;
        out.designed_kzt = add(out.designed_kzt, new, 0)?;
    }
    Ok(out)
}

/// The cost model with its village equipment and household price calibrated from designs:
/// equipment = the designs' mean OLT part per village, household price = their other parts
/// per household passed, each rounded to the nearest tenge (half up). Without a design (or
/// without a household passed) the model's own figure stays.
///
/// # Errors
/// A sum beyond 64-bit tenge.
pub fn calibrated_costs(
    costs: &CostModel,
    designs: impl IntoIterator<Item = DesignedAccess>,
) -> Result<CostModel, String> {
    let (mut n, mut eq, mut conn, mut hh) = (0i128, 0i128, 0i128, 0i128);
    for d in designs {
        n += 1;
        eq += d.equipment_kzt as i128;
        conn += d.connections_kzt as i128;
        hh += d.households_passed as i128;
    }
    let round = |a: i128, b: i128| -> Result<Kzt, String> {
        Kzt::try_from((2 * a + b).div_euclid(2 * b))
            .map_err(|_| "the designs' calibrated price overflows 64-bit tenge".to_string())
    };
    let mut c = costs.clone();
    if n > 0 {
        c.village_equipment_kzt = round(eq, n)?;
    }
    if hh > 0 {
        c.household_connection_kzt = round(conn, hh)?;
    }
    Ok(c)
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
            lonlat: [70.0, 50.0],
            place: "user".into(),
            population: households * 3,
            households,
            ..Village::default()
        }
    }

    fn village_plan(
        technology: crate::Technology,
        cost_kzt: Kzt,
        phase: Option<u16>,
    ) -> crate::VillagePlan {
        crate::VillagePlan {
            technology,
            unreachable: false,
            cost_kzt,
            phase,
            fibre_marginal_kzt: (technology == crate::Technology::Fibre).then_some(cost_kzt + 500),
            alternative: None,
        }
    }

    /// Three villages at 1,000 tenge of equipment and 100 per household: A (10 households,
    /// fibre in 2026), B (20, fibre in 2027, no design), C (5, FWA, 700); corridors 5,000.
    fn three_village_plan() -> (crate::Plan, CostModel, Vec<Village>) {
        use crate::Technology::{Fibre, Fwa};
        let mut c = costs(1_000, 100);
        c.village_equipment_kzt = 1_000;
        let summary = crate::Summary {
            objective: fiberplan_model::Objective::Quota {
                target_households: 30,
            },
            villages_total: 3,
            households_total: 35,
            population_total: 105,
            villages_fibre: 2,
            households_fibre: 30,
            population_fibre: 90,
            villages_fwa: 1,
            households_fwa: 5,
            villages_satellite: 0,
            households_satellite: 0,
            villages_existing_fibre: 0,
            households_existing_fibre: 0,
            coverage_share: 1.0,
            villages_unreachable: 0,
            new_fibre_km: 5.0,
            routes: 1,
            pops_used: 1,
            cost_corridor_kzt: 5_000,
            cost_equipment_kzt: 2_000,
            cost_households_kzt: 3_000,
            cost_fwa_kzt: 700,
            cost_satellite_kzt: 0,
            cost_total_kzt: 10_700,
            phases: vec![(2026, 6_000), (2027, 4_700)],
            villages_unphased: 0,
            solver: String::new(),
            solver_objective: 5_000,
            lower_bound: None,
            solver_cut_short: false,
        };
        let plan = crate::Plan {
            villages: vec![
                village_plan(Fibre, 2_000, Some(2026)),
                village_plan(Fibre, 3_000, Some(2027)),
                village_plan(Fwa, 700, Some(2027)),
            ],
            routes: Vec::new(),
            pops: Vec::new(),
            summary,
            corridors: Vec::new(),
        };
        let mut vs = vec![village(10), village(20), village(5)];
        for (v, id) in vs.iter_mut().zip(["a", "b", "c"]) {
            v.id = id.into();
        }
        (plan, c, vs)
    }

    #[test]
    fn designed_villages_replace_the_flat_price_in_every_total() {
        let (mut plan, c, vs) = three_village_plan();
        let a = DesignedAccess {
            equipment_kzt: 300,
            connections_kzt: 450,
            households_passed: 10,
        };
        // C is FWA: a design given for it is not used.
        let p = price_with_designs(&mut plan, &c, &vs, &[Some(a), None, Some(a)]).unwrap();
        assert_eq!(
            p,
            DesignedPricing {
                villages_designed: 1,
                villages_flat: 1,
                flat_kzt: 2_000,
                designed_kzt: 750,
            }
        );
        let s = &plan.summary;
        // A: 1,000 + 10 x 100 = 2,000 -> 300 + 450 = 750 (-1,250).
        assert_eq!(plan.villages[0].cost_kzt, 750);
        assert_eq!(plan.villages[0].fibre_marginal_kzt, Some(1_250));
        assert_eq!(plan.villages[1].cost_kzt, 3_000);
        assert_eq!(plan.villages[2].cost_kzt, 700);
        assert_eq!(s.cost_equipment_kzt, 2_000 - 1_000 + 300);
        assert_eq!(s.cost_households_kzt, 3_000 - 1_000 + 450);
        assert_eq!(s.cost_total_kzt, 9_450);
        assert_eq!(
            s.cost_total_kzt,
            s.cost_fibre_kzt() + s.cost_fwa_kzt + s.cost_satellite_kzt
        );
        assert_eq!(s.phases, [(2026, 4_750), (2027, 4_700)]);
    }

    #[test]
    fn a_design_that_overflows_the_totals_is_an_error_naming_the_village() {
        let (mut plan, c, vs) = three_village_plan();
        let huge = DesignedAccess {
            equipment_kzt: Kzt::MAX,
            connections_kzt: 1,
            households_passed: 10,
        };
        let e = price_with_designs(&mut plan, &c, &vs, &[Some(huge)]).unwrap_err();
        assert!(e.starts_with("village a: "), "{e}");
        // Its own cost fits, the plan's equipment total does not.
        let (mut plan, c, vs) = three_village_plan();
        let big = DesignedAccess {
            equipment_kzt: Kzt::MAX - 10,
            connections_kzt: 10,
            households_passed: 10,
        };
        let e = price_with_designs(&mut plan, &c, &vs, &[Some(big)]).unwrap_err();
        assert!(e.contains("overflows"), "{e}");
    }

    #[test]
    fn calibrated_prices_are_the_designs_means_rounded_half_up() {
        let c = costs(1_000, 150_000);
        let d = |equipment_kzt, connections_kzt, households_passed| DesignedAccess {
            equipment_kzt,
            connections_kzt,
            households_passed,
        };
        // Equipment (300 + 500) / 2 = 400; households 1,450 / 30 = 48.33 -> 48.
        let k = calibrated_costs(&c, [d(300, 450, 10), d(500, 1_000, 20)]).unwrap();
        assert_eq!(
            (k.village_equipment_kzt, k.household_connection_kzt),
            (400, 48)
        );
        // 1,455 / 30 = 48.5 -> 49; 301 / 2 = 150.5 -> 151.
        let k = calibrated_costs(&c, [d(300, 455, 10), d(1, 1_000, 20)]).unwrap();
        assert_eq!(
            (k.village_equipment_kzt, k.household_connection_kzt),
            (151, 49)
        );
        // No design: the model's own figures.
        let k = calibrated_costs(&c, []).unwrap();
        assert_eq!(k, c);
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
