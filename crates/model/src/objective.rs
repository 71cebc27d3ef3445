//! What a plan must achieve: the scenario's mode with the one target that mode reads.

use crate::{Kzt, Mode};
use serde::{Deserialize, Serialize};

/// A plan's objective. Serialised as the scenario files and `summary.json` write it: the
/// `mode` and, for the modes that have one, their target under its own key.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Objective {
    /// Least cost bringing fibre to at least this many households.
    Quota {
        /// Households to bring fibre to.
        target_households: u64,
    },
    /// Most households on fibre whose fibre costs at most this much.
    Budget {
        /// The budget, whole tenge.
        budget_kzt: Kzt,
    },
    /// Least cost serving this share of the population by fibre or wireless.
    Coverage {
        /// Share of the population, 0 to 1.
        coverage_share: f64,
    },
    /// Every reachable village on fibre.
    ConnectAll,
    /// Each village on its cheapest technology over the horizon.
    LeastCost,
}

/// What a plan reached, as [`Objective::target_met`] reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reached {
    /// Households on fibre.
    pub households_fibre: u64,
    /// Capital cost of the fibre part (corridors, village equipment, connections).
    pub cost_fibre_kzt: Kzt,
    /// Population on fibre or wireless over all population.
    pub coverage_share: f64,
}

impl Objective {
    /// The mode this objective belongs to.
    pub fn mode(&self) -> Mode {
        match self {
            Objective::Quota { .. } => Mode::Quota,
            Objective::Budget { .. } => Mode::Budget,
            Objective::Coverage { .. } => Mode::Coverage,
            Objective::ConnectAll => Mode::ConnectAll,
            Objective::LeastCost => Mode::LeastCost,
        }
    }

    /// The household quota, in quota mode.
    pub fn target_households(&self) -> Option<u64> {
        match *self {
            Objective::Quota { target_households } => Some(target_households),
            _ => None,
        }
    }

    /// The budget, in budget mode.
    pub fn budget_kzt(&self) -> Option<Kzt> {
        match *self {
            Objective::Budget { budget_kzt } => Some(budget_kzt),
            _ => None,
        }
    }

    /// The population share, in coverage mode.
    pub fn coverage_share(&self) -> Option<f64> {
        match *self {
            Objective::Coverage { coverage_share } => Some(coverage_share),
            _ => None,
        }
    }

    /// Whether a plan that reached `r` meets this objective. Connect-all and least-cost
    /// have no target to miss: they are met by construction.
    pub fn target_met(&self, r: &Reached) -> bool {
        match *self {
            Objective::Quota { target_households } => r.households_fibre >= target_households,
            Objective::Budget { budget_kzt } => r.cost_fibre_kzt <= budget_kzt,
            Objective::Coverage { coverage_share } => r.coverage_share >= coverage_share,
            Objective::ConnectAll | Objective::LeastCost => true,
        }
    }
}

/// How far `value` may be above the optimum, in percent of the lower bound `bound`: `None`
/// without a positive bound. Both in the same units (the solver's objective).
pub fn gap_pct(value: i64, bound: Option<i64>) -> Option<f64> {
    bound
        .filter(|&lb| lb > 0)
        .map(|lb| 100.0 * (value - lb) as f64 / lb as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_scenario_keys() {
        let q = Objective::Quota {
            target_households: 400_000,
        };
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"mode":"quota","target_households":400000}"#
        );
        assert_eq!(
            serde_json::to_string(&Objective::ConnectAll).unwrap(),
            r#"{"mode":"connect_all"}"#
        );
        let b: Objective = serde_json::from_str(r#"{"mode":"budget","budget_kzt":5}"#).unwrap();
        assert_eq!(b, Objective::Budget { budget_kzt: 5 });
        assert!(serde_json::from_str::<Objective>(r#"{"mode":"quota"}"#).is_err());
    }

    #[test]
    fn target_met_per_mode() {
        let r = Reached {
            households_fibre: 100,
            cost_fibre_kzt: 1_000,
            coverage_share: 0.5,
        };
        let met = |o: Objective| o.target_met(&r);
        assert!(met(Objective::Quota {
            target_households: 100
        }));
        assert!(!met(Objective::Quota {
            target_households: 101
        }));
        assert!(met(Objective::Budget { budget_kzt: 1_000 }));
        assert!(!met(Objective::Budget { budget_kzt: 999 }));
        assert!(met(Objective::Coverage {
            coverage_share: 0.5
        }));
        assert!(!met(Objective::Coverage {
            coverage_share: 0.51
        }));
        assert!(met(Objective::ConnectAll) && met(Objective::LeastCost));
    }

    #[test]
    fn gap_needs_a_positive_bound() {
        assert_eq!(gap_pct(110, Some(100)), Some(10.0));
        assert_eq!(gap_pct(110, Some(0)), None);
        assert_eq!(gap_pct(110, None), None);
    }
}
