//! One plan from one request: prepare the villages' costs, find the fibre tree of the
//! objective ([`crate::fibre_tree`]), then everything that follows from it
//! ([`crate::outcome`]).

use crate::fibre_tree::{fibre_tree, Prepared};
use crate::outcome::outcome;
use crate::types::{Plan, PlanRequest};

/// Solve one plan.
pub fn solve_plan(req: &PlanRequest) -> Plan {
    let p = Prepared::new(req);
    let tree = fibre_tree(&p);
    outcome(&p, &tree)
}

#[cfg(test)]
mod tests {
    //! Every mode on one small graph whose answers can be checked by hand:
    //!
    //! ```text
    //! P ---1,000--- A(100 hh) ---1,000--- B(50 hh) ---100,000--- C(10 hh)
    //! ```
    //! Village equipment 500, household connection 10 per household: fibre to A costs
    //! 1,000 + 500 + 1,000 = 2,500; to A and B 2,000 + 1,000 + 1,500 = 4,500; to all three
    //! 102,000 + 1,500 + 1,600 = 105,100. Satellite is 100 per household (capital only).

    use super::*;
    use crate::{SolveCache, Technology};
    use fiberplan_model::{
        Backbone, CorridorCosts, CostModel, Mode, Objective, Phase, Pop, PopSource, RoadClassCost,
        SatelliteCosts, Scenario, Village,
    };
    use fiberplan_network::{Corridor, CorridorKind, PlanningGraph};

    fn village(id: &str, lon: f64, households: u64) -> Village {
        Village {
            id: id.into(),
            name: id.into(),
            lonlat: [lon, 0.0],
            place: "user".into(),
            population: households * 3,
            households,
            ..Village::default()
        }
    }

    fn corridor(a: u32, b: u32, lons: [f64; 2], cost_kzt: i64) -> Corridor {
        Corridor {
            a,
            b,
            geometry: vec![[lons[0], 0.0], [lons[1], 0.0]].into(),
            length_m: 1000.0,
            costed_length_m: 1000.0,
            cost_kzt,
            kind: CorridorKind::Proxy,
            class: Default::default(),
            paved: None,
            osm_ways: Default::default(),
            names: Default::default(),
            bridges: 0,
            tunnels: 0,
            railway_crossings: 0,
        }
    }

    struct World {
        villages: Vec<Village>,
        backbone: Backbone,
        graph: PlanningGraph,
        costs: CostModel,
    }

    fn world() -> World {
        let villages = vec![
            village("A", 0.01, 100),
            village("B", 0.02, 50),
            village("C", 0.5, 10),
        ];
        let backbone = Backbone {
            pops: vec![Pop {
                id: "P".into(),
                name: "P".into(),
                lonlat: [0.0, 0.0],
                source: PopSource::City,
            }],
            lines: Vec::new(),
            is_proxy: false,
            description: "test".into(),
        };
        let graph = PlanningGraph {
            nodes: vec![[0.0, 0.0], [0.01, 0.0], [0.02, 0.0], [0.5, 0.0]],
            corridors: vec![
                corridor(0, 1, [0.0, 0.01], 1_000),
                corridor(1, 2, [0.01, 0.02], 1_000),
                corridor(2, 3, [0.02, 0.5], 100_000),
            ],
            village_node: vec![Some(1), Some(2), Some(3)],
            pop_node: vec![Some(0)],
            line_joints: Vec::new(),
            ..Default::default()
        };
        let road = RoadClassCost {
            paved_per_km: 1,
            unpaved_per_km: 1,
        };
        let costs = CostModel {
            currency: "KZT".into(),
            corridor: CorridorCosts {
                proxy_per_km: 1,
                offroad_per_km: 1,
                road: Default::default(),
                road_default: road,
                bridge_extra_per_km: 0,
                tunnel_extra_per_km: 0,
                power_line_per_km: 1,
                railway_per_km: 1,
                railway_crossing_kzt: 0,
            },
            village_equipment_kzt: 500,
            household_connection_kzt: 10,
            lifecycle: None,
            fwa: None,
            satellite: Some(SatelliteCosts {
                terminal_per_household_kzt: 100,
                service_per_household_year_kzt: 0,
            }),
        };
        World {
            villages,
            backbone,
            graph,
            costs,
        }
    }

    fn scenario(mode: Mode) -> Scenario {
        Scenario {
            mode,
            target_households: Some(150),
            budget_kzt: Some(4_500),
            coverage_share: Some(0.9),
            ..Scenario::quota(0)
        }
    }

    fn plan(w: &World, s: &Scenario) -> crate::Plan {
        let view = w
            .graph
            .steiner_view(|i| w.villages[i].new_households() as i64);
        solve_plan(&PlanRequest {
            villages: &w.villages,
            backbone: &w.backbone,
            graph: &w.graph,
            view: &view,
            costs: &w.costs,
            scenario: s,
            objective: s.objective().unwrap(),
            solver: fiberplan_steiner::Options::default(),
            cache: None,
        })
    }

    fn techs(p: &crate::Plan) -> Vec<Technology> {
        p.villages.iter().map(|v| v.technology).collect()
    }

    #[test]
    fn quota_takes_the_cheapest_households() {
        let w = world();
        let p = plan(&w, &scenario(Mode::Quota));
        assert_eq!(
            techs(&p),
            [Technology::Fibre, Technology::Fibre, Technology::None]
        );
        let s = &p.summary;
        assert_eq!(
            s.objective,
            Objective::Quota {
                target_households: 150
            }
        );
        assert_eq!((s.households_fibre, s.solver_objective), (150, 2_000));
        assert_eq!(s.cost_total_kzt, 4_500);
        assert!(s.target_met());
        // The quota bound is Lagrangian: never above the optimum, close to it here.
        let lb = s.lower_bound.expect("a bound");
        assert!((1_900..=2_000).contains(&lb), "{lb}");
        assert!(s.gap_pct().is_some_and(|g| (0.0..=5.3).contains(&g)));
        // Routes are cut at fibre villages: P-A and A-B.
        assert_eq!((s.routes, s.pops_used), (2, 1));
    }

    #[test]
    fn connect_all_reaches_every_village() {
        let w = world();
        let p = plan(&w, &scenario(Mode::ConnectAll));
        assert_eq!(techs(&p), [Technology::Fibre; 3]);
        assert_eq!(p.summary.cost_total_kzt, 105_100);
        assert_eq!(p.summary.cost_corridor_kzt, 102_000);
        assert!(p.summary.target_met());
    }

    #[test]
    fn budget_buys_the_most_households_it_can() {
        let w = world();
        let p = plan(&w, &scenario(Mode::Budget));
        assert_eq!(p.summary.households_fibre, 150);
        assert_eq!(p.summary.cost_fibre_kzt(), 4_500);
        assert!(p.summary.target_met());
        let tight = Scenario {
            budget_kzt: Some(4_499),
            ..scenario(Mode::Budget)
        };
        let p = plan(&w, &tight);
        assert_eq!(p.summary.households_fibre, 100);
        assert_eq!(p.summary.cost_fibre_kzt(), 2_500);
    }

    #[test]
    fn least_cost_puts_the_far_village_on_satellite() {
        // C's fibre (100,000 of corridor + 600) is dearer than satellite (1,000); A and B are
        // cheaper on fibre (A: 2,500 against 10,000).
        let w = world();
        let p = plan(&w, &scenario(Mode::LeastCost));
        assert_eq!(
            techs(&p),
            [Technology::Fibre, Technology::Fibre, Technology::Satellite]
        );
        assert_eq!(p.summary.cost_satellite_kzt, 1_000);
        assert_eq!(p.summary.cost_total_kzt, 4_500 + 1_000);
        let (alt, cost) = p.villages[2].alternative.unwrap();
        assert_eq!((alt, cost), (Technology::Satellite, 1_000));
    }

    #[test]
    fn coverage_serves_the_share_of_the_population() {
        // 90 % of 480 people: A and B (450) are enough; C goes to satellite, which does
        // not count as coverage.
        let w = world();
        let p = plan(&w, &scenario(Mode::Coverage));
        assert_eq!(p.summary.households_fibre, 150);
        assert!((p.summary.coverage_share - 450.0 / 480.0).abs() < 1e-12);
        assert!(p.summary.target_met());
    }

    #[test]
    fn phases_give_years_within_their_budgets() {
        let w = world();
        let s = Scenario {
            phases: vec![
                Phase {
                    year: 2026,
                    budget_kzt: 2_500,
                },
                Phase {
                    year: 2027,
                    budget_kzt: 2_000,
                },
            ],
            ..scenario(Mode::Quota)
        };
        let p = plan(&w, &s);
        let years: Vec<Option<u16>> = p.villages.iter().map(|v| v.phase).collect();
        assert_eq!(years, [Some(2026), Some(2027), None]);
        assert_eq!(p.summary.phases, [(2026, 2_500), (2027, 2_000)]);
    }

    #[test]
    fn a_cached_solve_is_the_fresh_solve() {
        let w = world();
        let view = w
            .graph
            .steiner_view(|i| w.villages[i].new_households() as i64);
        let cache = SolveCache::default();
        let s = scenario(Mode::Quota);
        let req = |cache| PlanRequest {
            villages: &w.villages,
            backbone: &w.backbone,
            graph: &w.graph,
            view: &view,
            costs: &w.costs,
            scenario: &s,
            objective: s.objective().unwrap(),
            solver: fiberplan_steiner::Options::default(),
            cache,
        };
        let first = solve_plan(&req(Some(&cache)));
        let again = solve_plan(&req(Some(&cache)));
        let fresh = solve_plan(&req(None));
        assert_eq!(first.corridors, again.corridors);
        assert_eq!(first.corridors, fresh.corridors);
        assert_eq!(first.summary, fresh.summary);
    }

    /// A random world: villages 1..=n on a path from P (node 0) with random corridor
    /// costs, households and satellite price, plus random extra corridors.
    fn random_world(
        households: &[u64],
        path_costs: &[i64],
        extra: &[(usize, usize, i64)],
        satellite: i64,
    ) -> World {
        let mut w = world();
        let n = households.len();
        w.villages = (0..n)
            .map(|i| village(&format!("V{i}"), 0.01 * (i + 1) as f64, households[i]))
            .collect();
        w.graph.nodes = (0..=n).map(|i| [0.01 * i as f64, 0.0]).collect();
        w.graph.village_node = (1..=n).map(|i| Some(i as u32)).collect();
        let lon = |i: usize| 0.01 * i as f64;
        w.graph.corridors = (0..n)
            .map(|i| corridor(i as u32, i as u32 + 1, [lon(i), lon(i + 1)], path_costs[i]))
            .collect();
        for &(a, b, c) in extra {
            let (a, b) = (a % (n + 1), b % (n + 1));
            if a != b {
                w.graph
                    .corridors
                    .push(corridor(a as u32, b as u32, [lon(a), lon(b)], c));
            }
        }
        w.costs.satellite = Some(SatelliteCosts {
            terminal_per_household_kzt: satellite,
            service_per_household_year_kzt: 0,
        });
        w
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("FIBERPLAN_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)
        ))]
        /// In every mode the reported bound is in the objective's own units: never above
        /// the value, so the gap is never negative.
        #[test]
        fn no_mode_reports_a_bound_above_its_objective(
            households in proptest::collection::vec(1u64..300, 2..7),
            path in proptest::collection::vec(100i64..20_000, 7),
            extra in proptest::collection::vec((0usize..8, 0usize..8, 100i64..40_000), 0..5),
            satellite in 1i64..400,
            target in 1u64..600,
            budget in 0i64..60_000,
            share in 0.05f64..1.0,
        ) {
            let n = households.len();
            let w = random_world(&households, &path[..n], &extra, satellite);
            for mode in [Mode::Quota, Mode::ConnectAll, Mode::LeastCost, Mode::Budget, Mode::Coverage] {
                let s = Scenario {
                    mode,
                    target_households: Some(target),
                    budget_kzt: Some(budget),
                    coverage_share: Some(share),
                    ..Scenario::quota(0)
                };
                let p = plan(&w, &s);
                let sm = &p.summary;
                if let Some(lb) = sm.lower_bound {
                    proptest::prop_assert!(lb <= sm.solver_objective, "{mode:?}: bound {lb} above {}", sm.solver_objective);
                }
                if let Some(g) = sm.gap_pct() {
                    proptest::prop_assert!(g >= 0.0, "{mode:?}: gap {g}");
                }
            }
        }
    }
}
