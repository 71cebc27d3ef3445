//! Settings of the planning model that are not scenario parameters: how population turns
//! into households and how straight lines stand in for roads. One definition of each default
//! and range, read by the CLI flags, scenario files, `validate` and `sweep`.

use serde::{Deserialize, Serialize};

/// The model's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanSettings {
    /// People per household, to turn population into households.
    pub household_size: f64,
    /// Road-circuity factor of the straight-line corridor proxy.
    pub circuity: f64,
    /// Count isolated dwellings as villages.
    pub include_isolated: bool,
    /// The national default's declared existing-fibre proxy: district centres, and
    /// villages within `fibre_proxy_km` of a city's or town's point of presence, are taken
    /// to have fibre already. Off, every village of the bundled data is a candidate.
    pub fibre_proxy: bool,
    /// The proxy's distance from a city or town, km (0: district centres only).
    pub fibre_proxy_km: f64,
}

/// A setting outside its range: the setting's name and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingError {
    /// Which setting (`household_size` or `circuity`).
    pub key: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl SettingError {
    /// The error in the words of the command-line flag: `--household-size 0.5 must be ...`.
    pub fn as_flag(&self) -> String {
        format!("--{} {}", self.key.replace('_', "-"), self.problem)
    }
}

impl PlanSettings {
    /// The default household size (people per household).
    pub const HOUSEHOLD_SIZE: f64 = 3.5;
    /// Accepted household sizes.
    pub const HOUSEHOLD_SIZE_RANGE: (f64, f64) = (1.0, 20.0);
    /// The default circuity of the corridor proxy.
    pub const CIRCUITY: f64 = 1.3;
    /// Accepted circuity factors.
    pub const CIRCUITY_RANGE: (f64, f64) = (1.0, 5.0);
    /// The proxy's default distance from a town: a suburb or a village that a town's
    /// network already passes (see README, "Villages that already have fibre").
    pub const FIBRE_PROXY_KM: f64 = 5.0;
    /// Accepted proxy distances, km.
    pub const FIBRE_PROXY_KM_RANGE: (f64, f64) = (0.0, 50.0);

    /// The settings every command uses unless told otherwise.
    pub const DEFAULT: PlanSettings = PlanSettings {
        household_size: Self::HOUSEHOLD_SIZE,
        circuity: Self::CIRCUITY,
        include_isolated: false,
        fibre_proxy: true,
        fibre_proxy_km: Self::FIBRE_PROXY_KM,
    };

    /// The first setting outside its range, if any.
    pub fn check(&self) -> Result<(), SettingError> {
        let within = |x: f64, (lo, hi): (f64, f64)| x.is_finite() && x >= lo && x <= hi;
        if !within(self.household_size, Self::HOUSEHOLD_SIZE_RANGE) {
            return Err(SettingError {
                key: "household_size",
                problem: format!(
                    "{} must be between {} and {}",
                    self.household_size,
                    Self::HOUSEHOLD_SIZE_RANGE.0,
                    Self::HOUSEHOLD_SIZE_RANGE.1
                ),
            });
        }
        if !within(self.circuity, Self::CIRCUITY_RANGE) {
            return Err(SettingError {
                key: "circuity",
                problem: format!(
                    "{} must be between {} and {}",
                    self.circuity,
                    Self::CIRCUITY_RANGE.0,
                    Self::CIRCUITY_RANGE.1
                ),
            });
        }
        if !within(self.fibre_proxy_km, Self::FIBRE_PROXY_KM_RANGE) {
            return Err(SettingError {
                key: "fibre_proxy_km",
                problem: format!(
                    "{} must be between {} and {}",
                    self.fibre_proxy_km,
                    Self::FIBRE_PROXY_KM_RANGE.0,
                    Self::FIBRE_PROXY_KM_RANGE.1
                ),
            });
        }
        Ok(())
    }
}

impl Default for PlanSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(PlanSettings::DEFAULT.check().is_ok());
        let bad = |household_size, circuity| {
            PlanSettings {
                household_size,
                circuity,
                ..PlanSettings::DEFAULT
            }
            .check()
            .unwrap_err()
            .key
        };
        assert_eq!(bad(0.5, 1.3), "household_size");
        assert_eq!(bad(f64::NAN, 1.3), "household_size");
        assert_eq!(bad(3.5, 5.01), "circuity");
        assert_eq!(bad(3.5, f64::INFINITY), "circuity");
        let far = PlanSettings {
            fibre_proxy_km: 50.5,
            ..PlanSettings::DEFAULT
        };
        assert_eq!(
            far.check().unwrap_err().as_flag(),
            "--fibre-proxy-km 50.5 must be between 0 and 50"
        );
    }
}
