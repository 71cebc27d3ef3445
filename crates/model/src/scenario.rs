//! A scenario: what one plan must achieve and the cost assumptions it runs under.

use crate::{Kzt, Objective};
use serde::{Deserialize, Serialize};

/// What the plan optimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Least cost bringing fibre to at least `target_households` households.
    Quota,
    /// Most households on fibre within `budget_kzt` (total cost, all technologies).
    Budget,
    /// Least cost serving `coverage_share` of the population by fibre or wireless.
    Coverage,
    /// Every reachable village on fibre.
    ConnectAll,
    /// Each village on its cheapest technology over the horizon (prize-collecting tree).
    LeastCost,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Quota => "quota",
            Mode::Budget => "budget",
            Mode::Coverage => "coverage",
            Mode::ConnectAll => "connect_all",
            Mode::LeastCost => "least_cost",
        }
    }

    /// Whether a scenario parameter (its TOML key) can change this mode's plan. Each mode's
    /// target is read by that mode alone, and only least-cost and coverage assign FWA and
    /// satellite (the other modes leave villages off fibre unconnected, so those prices
    /// change nothing but the "why not fibre" notes).
    pub fn uses(self, parameter: &str) -> bool {
        match parameter {
            "target_households" => self == Mode::Quota,
            "budget_kzt" => self == Mode::Budget,
            "coverage_share" => self == Mode::Coverage,
            "fwa_cost_scale" | "satellite_cost_scale" => {
                matches!(self, Mode::LeastCost | Mode::Coverage)
            }
            _ => true,
        }
    }
}

/// One year of a phased rollout and what may be spent in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub year: u16,
    pub budget_kzt: Kzt,
}

/// A scenario's parameters. Scale factors multiply the cost model's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub mode: Mode,
    #[serde(default)]
    pub target_households: Option<u64>,
    #[serde(default)]
    pub budget_kzt: Option<Kzt>,
    /// Share of the population to serve by fibre or wireless, 0 to 1 (coverage mode).
    #[serde(default)]
    pub coverage_share: Option<f64>,
    #[serde(default = "one")]
    pub corridor_cost_scale: f64,
    #[serde(default = "one")]
    pub fwa_cost_scale: f64,
    #[serde(default = "one")]
    pub satellite_cost_scale: f64,
    /// Take-up: share of households passed that take a connection, percent (0, 100].
    /// `None`: the last-mile model's `take_up_pct` (`data/last_mile.toml`), the one
    /// default. Read only when fibre villages are priced by their last-mile designs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub take_up_pct: Option<f64>,
    /// Multiplies every last-mile unit price (equipment, cable, trench and poles, labour,
    /// OLT site) of the designed fibre villages; the designs are re-priced, not redone
    /// (`fiberplan_access::PriceBasis`). Left out of serialised scenarios at its default of
    /// 1, so outputs at the default do not change.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub last_mile_cost_scale: f64,
    /// Yearly budgets that phase the plan (the plan itself is set by `mode`).
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

fn default_seed() -> u64 {
    1
}

impl Scenario {
    /// A quota scenario with default assumptions.
    pub fn quota(households: u64) -> Self {
        Scenario {
            mode: Mode::Quota,
            target_households: Some(households),
            budget_kzt: None,
            coverage_share: None,
            corridor_cost_scale: 1.0,
            fwa_cost_scale: 1.0,
            satellite_cost_scale: 1.0,
            take_up_pct: None,
            last_mile_cost_scale: 1.0,
            phases: Vec::new(),
            seed: 1,
        }
    }

    /// The objective of the scenario's mode, with that mode's target; an error names the
    /// target the mode needs and lacks.
    pub fn objective(&self) -> Result<Objective, String> {
        Ok(match self.mode {
            Mode::Quota => Objective::Quota {
                target_households: self
                    .target_households
                    .ok_or("mode quota needs target_households")?,
            },
            Mode::Budget => Objective::Budget {
                budget_kzt: self.budget_kzt.ok_or("mode budget needs budget_kzt")?,
            },
            Mode::Coverage => Objective::Coverage {
                coverage_share: self
                    .coverage_share
                    .ok_or("mode coverage needs coverage_share")?,
            },
            Mode::ConnectAll => Objective::ConnectAll,
            Mode::LeastCost => Objective::LeastCost,
        })
    }

    /// Why a take-up (percent) is not one: it must be finite, above 0 and at most 100.
    pub fn check_take_up(t: f64) -> Result<(), String> {
        if t.is_finite() && t > 0.0 && t <= 100.0 {
            Ok(())
        } else {
            Err(format!(
                "take_up_pct {t} must be a percentage of households passed above 0 and at most 100"
            ))
        }
    }

    /// Why a price scale factor (`key` its TOML name) is not one: it must be finite, above 0
    /// and at most 100, as every scale of a scenario.
    pub fn check_scale(key: &str, v: f64) -> Result<(), String> {
        if v.is_finite() && v > 0.0 && v <= 100.0 {
            Ok(())
        } else {
            Err(format!("{key} {v} must be a positive factor (at most 100)"))
        }
    }

    /// Why the scenario cannot be planned, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        self.objective()?;
        if let Some(b) = self.budget_kzt {
            if b < 0 {
                return Err(format!("budget_kzt {b} is negative"));
            }
        }
        if let Some(s) = self.coverage_share {
            if !(s.is_finite() && (0.0..=1.0).contains(&s)) {
                return Err(format!("coverage_share {s} must be between 0 and 1"));
            }
        }
        for (k, v) in [
            ("corridor_cost_scale", self.corridor_cost_scale),
            ("fwa_cost_scale", self.fwa_cost_scale),
            ("satellite_cost_scale", self.satellite_cost_scale),
            ("last_mile_cost_scale", self.last_mile_cost_scale),
        ] {
            Self::check_scale(k, v)?;
        }
        if let Some(t) = self.take_up_pct {
            Self::check_take_up(t)?;
        }
        let mut years: Vec<u16> = self.phases.iter().map(|p| p.year).collect();
        let n = years.len();
        years.sort_unstable();
        years.dedup();
        if years.len() != n {
            return Err("phases repeat a year".into());
        }
        if let Some(p) = self.phases.iter().find(|p| p.budget_kzt < 0) {
            return Err(format!("phase {} has a negative budget", p.year));
        }
        Ok(())
    }
}

/// A scenario file: shared inputs, a base scenario, and optionally a sweep over it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default)]
    pub inputs: Inputs,
    pub scenario: Scenario,
    #[serde(default)]
    pub grid: Option<Grid>,
    #[serde(default)]
    pub monte_carlo: Option<MonteCarlo>,
}

impl ScenarioFile {
    /// The most scenarios one file may expand to (grid points times Monte Carlo samples):
    /// a sweep holds every scenario in memory, and 100,000 plans are days of work already.
    pub const MAX_SCENARIOS: u64 = 100_000;

    /// The number of scenarios the file expands to, computed (with checked multiplication)
    /// before anything is materialised; an error is (TOML key, problem): an empty grid list,
    /// an empty `[grid]`, no Monte Carlo samples, a bad distribution, or more than
    /// [`Self::MAX_SCENARIOS`]. Each expanded scenario is still checked on its own
    /// ([`Scenario::check`]) when the grid is expanded.
    pub fn check(&self) -> Result<u64, (String, String)> {
        const MAX: u64 = ScenarioFile::MAX_SCENARIOS;
        if let Some(t) = self.scenario.take_up_pct {
            Scenario::check_take_up(t).map_err(|m| ("scenario.take_up_pct".to_string(), m))?;
        }
        let lm = self.scenario.last_mile_cost_scale;
        Scenario::check_scale("last_mile_cost_scale", lm)
            .map_err(|m| ("scenario.last_mile_cost_scale".to_string(), m))?;
        self.scenario
            .check()
            .map_err(|m| ("scenario".to_string(), m))?;
        let too_many = |key: &str| {
            (
                key.to_string(),
                format!("more than {MAX} scenarios (the most one file may expand to); split the sweep into several files"),
            )
        };
        let mut count: u64 = 1;
        if let Some(g) = &self.grid {
            let lens = [
                ("mode", g.mode.as_ref().map(Vec::len)),
                (
                    "target_households",
                    g.target_households.as_ref().map(Vec::len),
                ),
                ("budget_kzt", g.budget_kzt.as_ref().map(Vec::len)),
                ("coverage_share", g.coverage_share.as_ref().map(Vec::len)),
                (
                    "corridor_cost_scale",
                    g.corridor_cost_scale.as_ref().map(Vec::len),
                ),
                ("fwa_cost_scale", g.fwa_cost_scale.as_ref().map(Vec::len)),
                (
                    "satellite_cost_scale",
                    g.satellite_cost_scale.as_ref().map(Vec::len),
                ),
                ("take_up_pct", g.take_up_pct.as_ref().map(Vec::len)),
                (
                    "last_mile_cost_scale",
                    g.last_mile_cost_scale.as_ref().map(Vec::len),
                ),
                ("seed", g.seed.as_ref().map(Vec::len)),
            ];
            if lens.iter().all(|(_, n)| n.is_none()) {
                return Err((
                    "grid".into(),
                    "no parameter listed: a [grid] needs at least one list of values (or leave it out)".into(),
                ));
            }
            for (k, n) in lens {
                let Some(n) = n else { continue };
                if n == 0 {
                    return Err((
                        format!("grid.{k}"),
                        "empty list: a grid of no values has no scenarios".into(),
                    ));
                }
                count = count
                    .checked_mul(n as u64)
                    .filter(|c| *c <= MAX)
                    .ok_or_else(|| too_many("grid"))?;
            }
            for &t in g.take_up_pct.iter().flatten() {
                Scenario::check_take_up(t).map_err(|m| ("grid.take_up_pct".to_string(), m))?;
            }
            for &v in g.last_mile_cost_scale.iter().flatten() {
                Scenario::check_scale("last_mile_cost_scale", v)
                    .map_err(|m| ("grid.last_mile_cost_scale".to_string(), m))?;
            }
        }
        if let Some(mc) = &self.monte_carlo {
            let v = &mc.vary;
            for (k, d) in [
                ("corridor_cost_scale", &v.corridor_cost_scale),
                ("fwa_cost_scale", &v.fwa_cost_scale),
                ("satellite_cost_scale", &v.satellite_cost_scale),
                ("last_mile_cost_scale", &v.last_mile_cost_scale),
            ] {
                if let Some(d) = d {
                    d.check()
                        .map_err(|m| (format!("monte_carlo.vary.{k}"), m))?;
                }
            }
            if let Some(d) = &v.take_up_pct {
                d.check_take_up()
                    .map_err(|m| ("monte_carlo.vary.take_up_pct".to_string(), m))?;
            }
            if mc.samples == 0 {
                return Err(("monte_carlo.samples".into(), "must be at least 1".into()));
            }
            count = count
                .checked_mul(mc.samples as u64)
                .filter(|c| *c <= MAX)
                .ok_or_else(|| too_many("monte_carlo.samples"))?;
        }
        Ok(count)
    }
}

impl ScenarioFile {
    /// One line per parameter the file varies (a grid list of two or more values, or a
    /// Monte Carlo draw) that no mode of the file uses ([`Mode::uses`]): its values give the
    /// same plans, so the sweep spends its time on duplicates.
    ///
    /// `last_mile: false` (a sweep at the flat household price, `--no-last-mile`): a
    /// take-up set anywhere in the file is named too, since nothing is priced by it.
    pub fn parameters_without_effect(&self, last_mile: bool) -> Vec<String> {
        let mut modes = vec![self.scenario.mode];
        let mut varied: Vec<&str> = Vec::new();
        if let Some(g) = &self.grid {
            if let Some(m) = &g.mode {
                modes = m.clone();
            }
            let many = |n: Option<usize>| n.is_some_and(|n| n > 1);
            for (k, n) in [
                (
                    "target_households",
                    g.target_households.as_ref().map(Vec::len),
                ),
                ("budget_kzt", g.budget_kzt.as_ref().map(Vec::len)),
                ("coverage_share", g.coverage_share.as_ref().map(Vec::len)),
                ("fwa_cost_scale", g.fwa_cost_scale.as_ref().map(Vec::len)),
                (
                    "satellite_cost_scale",
                    g.satellite_cost_scale.as_ref().map(Vec::len),
                ),
            ] {
                if many(n) {
                    varied.push(k);
                }
            }
        }
        if let Some(mc) = &self.monte_carlo {
            let v = &mc.vary;
            for (k, d) in [
                ("fwa_cost_scale", &v.fwa_cost_scale),
                ("satellite_cost_scale", &v.satellite_cost_scale),
            ] {
                if d.is_some() && !varied.contains(&k) {
                    varied.push(k);
                }
            }
        }
        modes.sort();
        modes.dedup();
        let names: Vec<&str> = modes.iter().map(|m| m.as_str()).collect();
        let mut out: Vec<String> = varied
            .into_iter()
            .filter(|k| !modes.iter().any(|m| m.uses(k)))
            .map(|k| {
                format!(
                    "{k} varies but has no effect in mode {}: its values give the same plans",
                    names.join(", ")
                )
            })
            .collect();
        let take_up_set = self.scenario.take_up_pct.is_some()
            || self.grid.as_ref().is_some_and(|g| g.take_up_pct.is_some())
            || self
                .monte_carlo
                .as_ref()
                .is_some_and(|mc| mc.vary.take_up_pct.is_some());
        if !last_mile && take_up_set {
            out.push(
                "take_up_pct is set but has no effect at the flat household price (--no-last-mile): only the last-mile designs are priced by take-up".into(),
            );
        }
        let scale_set = self.scenario.last_mile_cost_scale != 1.0
            || self
                .grid
                .as_ref()
                .is_some_and(|g| g.last_mile_cost_scale.is_some())
            || self
                .monte_carlo
                .as_ref()
                .is_some_and(|mc| mc.vary.last_mile_cost_scale.is_some());
        if !last_mile && scale_set {
            out.push(
                "last_mile_cost_scale is set but has no effect at the flat household price (--no-last-mile): it scales the last-mile designs' prices".into(),
            );
        }
        out
    }
}

/// Inputs shared by every scenario of a file; paths are relative to the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    pub villages: Option<String>,
    pub backbone: Option<String>,
    pub costs: Option<String>,
    pub household_size: Option<f64>,
    pub circuity: Option<f64>,
}

/// Lists of values; the sweep runs their cartesian product over the base scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub mode: Option<Vec<Mode>>,
    pub target_households: Option<Vec<u64>>,
    pub budget_kzt: Option<Vec<Kzt>>,
    pub coverage_share: Option<Vec<f64>>,
    pub corridor_cost_scale: Option<Vec<f64>>,
    pub fwa_cost_scale: Option<Vec<f64>>,
    pub satellite_cost_scale: Option<Vec<f64>>,
    /// Take-up percentages (each in (0, 100]).
    pub take_up_pct: Option<Vec<f64>>,
    pub last_mile_cost_scale: Option<Vec<f64>>,
    pub seed: Option<Vec<u64>>,
}

/// Seeded random draws of uncertain cost factors, `samples` per grid point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonteCarlo {
    pub samples: u32,
    pub seed: u64,
    pub vary: Vary,
}

/// Which factors vary and how. The price factors' draws multiply the grid point's factor;
/// the take-up is drawn as the percentage itself (`min`, `max` in percent, at most 100),
/// kept to the 0.1 % the design resolves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vary {
    pub corridor_cost_scale: Option<Distribution>,
    pub fwa_cost_scale: Option<Distribution>,
    pub satellite_cost_scale: Option<Distribution>,
    pub take_up_pct: Option<Distribution>,
    pub last_mile_cost_scale: Option<Distribution>,
}

/// A distribution of a cost factor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
}

impl Distribution {
    /// The value at cumulative probability `u` in [0, 1) (inverse CDF).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Distribution::Uniform { min, max } => min + u * (max - min),
            Distribution::Triangular { min, mode, max } => {
                let f = if max > min {
                    (mode - min) / (max - min)
                } else {
                    0.5
                };
                if u < f {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
        }
    }

    /// [`Distribution::check`] for a take-up drawn in percent: also at most 100.
    pub fn check_take_up(&self) -> Result<(), String> {
        self.check()?;
        let max = match *self {
            Distribution::Uniform { max, .. } | Distribution::Triangular { max, .. } => max,
        };
        if max > 100.0 {
            return Err(format!(
                "max {max} must be at most 100: a take-up is drawn in percent of households passed"
            ));
        }
        Ok(())
    }

    pub fn check(&self) -> Result<(), String> {
        let ok = match *self {
            Distribution::Uniform { min, max } => {
                min.is_finite() && max.is_finite() && 0.0 < min && min <= max
            }
            Distribution::Triangular { min, mode, max } => {
                [min, mode, max].iter().all(|x| x.is_finite())
                    && 0.0 < min
                    && min <= mode
                    && mode <= max
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{self:?}: needs 0 < min <= (mode <=) max"))
        }
    }
}
