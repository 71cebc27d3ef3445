//! One interface over every path-loss model: [`PathLoss`] takes a link (frequency,
//! distance, heights) and, for terrain models, an elevation profile.

use crate::hata::{self, Cost231Env, HataEnv};
use crate::itm::{self, ItmError, ItmParams};
use crate::tr38901::{self, Link38901, OutOfRange, Scenario};
use std::str::FromStr;

/// A link between a base station (transmitter) and a user terminal (receiver).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub f_mhz: f64,
    /// Horizontal (great-circle) distance, m.
    pub d_2d_m: f64,
    /// Base-station antenna height above ground, m.
    pub h_bs_m: f64,
    /// User-terminal antenna height above ground, m.
    pub h_ut_m: f64,
    /// TR 38.901 RMa average building height, m (default 5).
    pub h_building_m: f64,
    /// TR 38.901 RMa average street width, m (default 20).
    pub street_width_m: f64,
}

impl Link {
    /// A link with the TR's default building height and street width.
    pub fn new(f_mhz: f64, d_2d_m: f64, h_bs_m: f64, h_ut_m: f64) -> Link {
        Link {
            f_mhz,
            d_2d_m,
            h_bs_m,
            h_ut_m,
            h_building_m: 5.0,
            street_width_m: 20.0,
        }
    }
}

/// A terrain profile from the base station to the terminal: n + 1 elevations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProfileRef<'a> {
    pub interval_m: f64,
    pub elevations: &'a [f64],
}

/// Why a model gives no loss for a link.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LossError {
    #[error("{what} = {value} is outside {model}'s range ({low}..={high})")]
    OutOfRange {
        model: &'static str,
        what: &'static str,
        value: f64,
        low: f64,
        high: f64,
    },
    #[error(transparent)]
    Tr38901(#[from] OutOfRange),
    #[error("ITM error {code}: {error}", code = .0.code(), error = .0)]
    Itm(ItmError),
    #[error("this model needs a terrain profile")]
    NeedsProfile,
}

/// A path-loss model: basic transmission loss (dB) of a link.
pub trait PathLoss: Sync {
    fn loss_db(&self, link: &Link, profile: Option<ProfileRef<'_>>) -> Result<f64, LossError>;
    /// Two links at once: exactly two [`PathLoss::loss_db`] calls' results (a model that
    /// computes pairs faster, as ITM point-to-point does, overrides it).
    fn loss_db_pair(
        &self,
        a: (&Link, Option<ProfileRef<'_>>),
        b: (&Link, Option<ProfileRef<'_>>),
    ) -> [Result<f64, LossError>; 2] {
        [self.loss_db(a.0, a.1), self.loss_db(b.0, b.1)]
    }
    /// The distance beyond which the model is not used (coverage candidates), m.
    fn max_range_m(&self) -> f64;
}

/// The distance-based models of `fiberplan radio loss`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    FreeSpace,
    Hata(HataEnv),
    Cost231(Cost231Env),
    Tr38901 { scenario: Scenario, los: bool },
}

impl FromStr for Model {
    type Err = String;
    fn from_str(s: &str) -> Result<Model, String> {
        use Scenario::*;
        Ok(match s {
            "fspl" => Model::FreeSpace,
            "hata-open" => Model::Hata(HataEnv::Open),
            "hata-suburban" => Model::Hata(HataEnv::Suburban),
            "hata-urban-small" => Model::Hata(HataEnv::UrbanSmallMedium),
            "hata-urban-large" => Model::Hata(HataEnv::UrbanLarge),
            "cost231-medium" => Model::Cost231(Cost231Env::Medium),
            "cost231-metro" => Model::Cost231(Cost231Env::Metropolitan),
            "38901-rma-los" => Model::Tr38901 {
                scenario: RMa,
                los: true,
            },
            "38901-rma-nlos" => Model::Tr38901 {
                scenario: RMa,
                los: false,
            },
            "38901-uma-los" => Model::Tr38901 {
                scenario: UMa,
                los: true,
            },
            "38901-uma-nlos" => Model::Tr38901 {
                scenario: UMa,
                los: false,
            },
            "38901-umi-los" => Model::Tr38901 {
                scenario: UMi,
                los: true,
            },
            "38901-umi-nlos" => Model::Tr38901 {
                scenario: UMi,
                los: false,
            },
            _ => {
                return Err(format!(
                    "unknown model `{s}`: expected one of {}",
                    Model::NAMES.join(", ")
                ))
            }
        })
    }
}

impl Model {
    pub const NAMES: [&'static str; 13] = [
        "fspl",
        "hata-open",
        "hata-suburban",
        "hata-urban-small",
        "hata-urban-large",
        "cost231-medium",
        "cost231-metro",
        "38901-rma-los",
        "38901-rma-nlos",
        "38901-uma-los",
        "38901-uma-nlos",
        "38901-umi-los",
        "38901-umi-nlos",
    ];
}

fn ranges(model: &'static str, r: [(&'static str, f64, f64, f64); 4]) -> Result<(), LossError> {
    for (what, low, high, value) in r {
        if !(value >= low && value <= high) {
            return Err(LossError::OutOfRange {
                model,
                what,
                value,
                low,
                high,
            });
        }
    }
    Ok(())
}

impl PathLoss for Model {
    fn loss_db(&self, l: &Link, _profile: Option<ProfileRef<'_>>) -> Result<f64, LossError> {
        let d_km = l.d_2d_m / 1000.0;
        match *self {
            Model::FreeSpace => {
                let d3 = l.d_2d_m.hypot(l.h_bs_m - l.h_ut_m);
                if !(l.f_mhz > 0.0 && d3 > 0.0 && l.f_mhz.is_finite() && d3.is_finite()) {
                    return Err(LossError::OutOfRange {
                        model: "free space",
                        what: "f_mhz and distance",
                        value: l.f_mhz.min(d3),
                        low: f64::MIN_POSITIVE,
                        high: f64::MAX,
                    });
                }
                Ok(crate::free_space::fspl_db(d3, l.f_mhz))
            }
            Model::Hata(env) => {
                ranges(
                    "Okumura-Hata",
                    hata::hata_range(l.f_mhz, d_km, l.h_bs_m, l.h_ut_m),
                )?;
                Ok(hata::hata_db(env, l.f_mhz, d_km, l.h_bs_m, l.h_ut_m))
            }
            Model::Cost231(env) => {
                ranges(
                    "COST-231 Hata",
                    hata::cost231_range(l.f_mhz, d_km, l.h_bs_m, l.h_ut_m),
                )?;
                Ok(hata::cost231_db(env, l.f_mhz, d_km, l.h_bs_m, l.h_ut_m))
            }
            Model::Tr38901 { scenario, los } => {
                let link = Link38901 {
                    f_ghz: l.f_mhz / 1000.0,
                    d_2d_m: l.d_2d_m,
                    h_bs_m: l.h_bs_m,
                    h_ut_m: l.h_ut_m,
                    h_building_m: l.h_building_m,
                    street_width_m: l.street_width_m,
                };
                tr38901::validate(scenario, los, &link)?;
                Ok(if los {
                    tr38901::los_db(scenario, &link)
                } else {
                    tr38901::nlos_db(scenario, &link)
                })
            }
        }
    }

    fn max_range_m(&self) -> f64 {
        match *self {
            Model::FreeSpace => f64::INFINITY,
            Model::Hata(_) | Model::Cost231(_) => 20_000.0,
            Model::Tr38901 {
                scenario: Scenario::RMa,
                los: true,
            } => 10_000.0,
            Model::Tr38901 { .. } => 5_000.0,
        }
    }
}

/// ITM point-to-point over the link's terrain profile, median (or as `params` ask).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItmModel {
    pub params: ItmParams,
    /// Coverage range, m.
    pub range_m: f64,
}

impl PathLoss for ItmModel {
    fn loss_db(&self, l: &Link, profile: Option<ProfileRef<'_>>) -> Result<f64, LossError> {
        let p = profile.ok_or(LossError::NeedsProfile)?;
        let params = ItmParams {
            f_mhz: l.f_mhz,
            ..self.params
        };
        itm::p2p(l.h_bs_m, l.h_ut_m, p.elevations, p.interval_m, &params)
            .map(|r| r.a_db)
            .map_err(LossError::Itm)
    }
    fn loss_db_pair(
        &self,
        a: (&Link, Option<ProfileRef<'_>>),
        b: (&Link, Option<ProfileRef<'_>>),
    ) -> [Result<f64, LossError>; 2] {
        let (Some(pa), Some(pb)) = (a.1, b.1) else {
            return [self.loss_db(a.0, a.1), self.loss_db(b.0, b.1)];
        };
        let params = |l: &Link| ItmParams {
            f_mhz: l.f_mhz,
            ..self.params
        };
        let (qa, qb) = (params(a.0), params(b.0));
        fn case<'a>(l: &Link, p: ProfileRef<'a>, params: &'a ItmParams) -> itm::P2pCase<'a> {
            itm::P2pCase {
                h_tx_m: l.h_bs_m,
                h_rx_m: l.h_ut_m,
                elev: p.elevations,
                interval_m: p.interval_m,
                params,
            }
        }
        itm::p2p_pair(&case(a.0, pa, &qa), &case(b.0, pb, &qb))
            .map(|r| r.map(|r| r.a_db).map_err(LossError::Itm))
    }
    fn max_range_m(&self) -> f64 {
        self.range_m
    }
}

/// ITM area mode: no profile, the terrain described by its irregularity Δh (m). The
/// honest model where no DEM is at hand (Δh = 30 m for the steppe's rolling plains, 90 m
/// for hills, per the ITM documentation's table); siting criteria careful at the base
/// station, random at the terminal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItmAreaModel {
    pub params: ItmParams,
    pub delta_h_m: f64,
    /// Coverage range, m.
    pub range_m: f64,
}

impl PathLoss for ItmAreaModel {
    fn loss_db(&self, l: &Link, _profile: Option<ProfileRef<'_>>) -> Result<f64, LossError> {
        let params = ItmParams {
            f_mhz: l.f_mhz,
            ..self.params
        };
        itm::area(
            l.h_bs_m,
            l.h_ut_m,
            1,
            0,
            l.d_2d_m / 1000.0,
            self.delta_h_m,
            &params,
        )
        .map(|r| r.a_db)
        .map_err(LossError::Itm)
    }
    fn max_range_m(&self) -> f64 {
        self.range_m
    }
}
