//! 3GPP TR 38.901 (V17.0.0) path loss, Table 7.4.1-1, for rural macro (RMa), urban macro
//! (UMa) and urban micro street canyon (UMi), line of sight and not, the LOS
//! probabilities of Table 7.4.2-1 and the shadow-fading deviations of Table 7.4.1-1.
//!
//! Conventions: d_2D decides the breakpoint regime, d_3D goes into the formulas,
//! c = 3.0e8 m/s in the breakpoint distances, h_E = 1 m for UMa and UMi (the TR's value
//! for h_UT < 13 m, and its expectation otherwise), f_c in GHz. NLOS is the TR's
//! max(PL_LOS, PL'_NLOS). No shadow fading unless asked for ([`shadow_fading_db`]).

/// Which scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    RMa,
    UMa,
    UMi,
}

/// Inputs of a TR 38.901 path loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link38901 {
    pub f_ghz: f64,
    pub d_2d_m: f64,
    pub h_bs_m: f64,
    pub h_ut_m: f64,
    /// Average building height (RMa), m; the TR's default is 5.
    pub h_building_m: f64,
    /// Average street width (RMa), m; the TR's default is 20.
    pub street_width_m: f64,
}

/// An input outside the TR's applicability range.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{what} = {value} is outside TR 38.901's range for {scenario:?} {los} ({low}..={high})")]
pub struct OutOfRange {
    pub scenario: Scenario,
    pub los: &'static str,
    pub what: &'static str,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

const C: f64 = 3.0e8;

impl Link38901 {
    pub fn d_3d_m(&self) -> f64 {
        self.d_2d_m.hypot(self.h_bs_m - self.h_ut_m)
    }
}

fn check(
    s: Scenario,
    los: bool,
    what: &'static str,
    value: f64,
    low: f64,
    high: f64,
) -> Result<(), OutOfRange> {
    if value >= low && value <= high {
        Ok(())
    } else {
        Err(OutOfRange {
            scenario: s,
            los: if los { "LOS" } else { "NLOS" },
            what,
            value,
            low,
            high,
        })
    }
}

/// Validate a link against the TR's ranges for the scenario.
pub fn validate(s: Scenario, los: bool, l: &Link38901) -> Result<(), OutOfRange> {
    match s {
        Scenario::RMa => {
            check(s, los, "f_ghz", l.f_ghz, 0.5, 7.0)?;
            check(
                s,
                los,
                "d_2d_m",
                l.d_2d_m,
                10.0,
                if los { 10_000.0 } else { 5_000.0 },
            )?;
            check(s, los, "h_bs_m", l.h_bs_m, 10.0, 150.0)?;
            check(s, los, "h_ut_m", l.h_ut_m, 1.0, 10.0)?;
            check(s, los, "h_building_m", l.h_building_m, 5.0, 50.0)?;
            check(s, los, "street_width_m", l.street_width_m, 5.0, 50.0)?;
        }
        Scenario::UMa | Scenario::UMi => {
            check(s, los, "f_ghz", l.f_ghz, 0.5, 100.0)?;
            check(s, los, "d_2d_m", l.d_2d_m, 10.0, 5_000.0)?;
            let h_bs = if s == Scenario::UMa { 25.0 } else { 10.0 };
            check(s, los, "h_bs_m", l.h_bs_m, h_bs, h_bs)?;
            check(s, los, "h_ut_m", l.h_ut_m, 1.5, 22.5)?;
        }
    }
    Ok(())
}

fn rma_pl1(f: f64, d3: f64, h: f64) -> f64 {
    let hp = h.powf(1.72);
    20.0 * (40.0 * std::f64::consts::PI * d3 * f / 3.0).log10() + (0.03 * hp).min(10.0) * d3.log10()
        - (0.044 * hp).min(14.77)
        + 0.002 * h.log10() * d3
}

/// Line-of-sight path loss, dB (inputs as [`validate`] accepts).
pub fn los_db(s: Scenario, l: &Link38901) -> f64 {
    let f = l.f_ghz;
    let d3 = l.d_3d_m();
    match s {
        Scenario::RMa => {
            let d_bp = 2.0 * std::f64::consts::PI * l.h_bs_m * l.h_ut_m * f * 1e9 / C;
            if l.d_2d_m <= d_bp {
                rma_pl1(f, d3, l.h_building_m)
            } else {
                rma_pl1(f, d_bp, l.h_building_m) + 40.0 * (d3 / d_bp).log10()
            }
        }
        Scenario::UMa | Scenario::UMi => {
            let h_e = 1.0;
            let d_bp = 4.0 * (l.h_bs_m - h_e) * (l.h_ut_m - h_e) * f * 1e9 / C;
            let (a, b) = if s == Scenario::UMa {
                (28.0, 22.0)
            } else {
                (32.4, 21.0)
            };
            if l.d_2d_m <= d_bp {
                a + b * d3.log10() + 20.0 * f.log10()
            } else {
                let k = if s == Scenario::UMa { 9.0 } else { 9.5 };
                a + 40.0 * d3.log10() + 20.0 * f.log10()
                    - k * (d_bp * d_bp + (l.h_bs_m - l.h_ut_m).powi(2)).log10()
            }
        }
    }
}

/// Non-line-of-sight path loss: max(PL_LOS, PL'_NLOS), dB.
pub fn nlos_db(s: Scenario, l: &Link38901) -> f64 {
    let f = l.f_ghz;
    let d3 = l.d_3d_m();
    let nlos = match s {
        Scenario::RMa => {
            let (w, h, hb, hu) = (l.street_width_m, l.h_building_m, l.h_bs_m, l.h_ut_m);
            161.04 - 7.1 * w.log10() + 7.5 * h.log10()
                - (24.37 - 3.7 * (h / hb).powi(2)) * hb.log10()
                + (43.42 - 3.1 * hb.log10()) * (d3.log10() - 3.0)
                + 20.0 * f.log10()
                - (3.2 * (11.75 * hu).log10().powi(2) - 4.97)
        }
        Scenario::UMa => 13.54 + 39.08 * d3.log10() + 20.0 * f.log10() - 0.6 * (l.h_ut_m - 1.5),
        Scenario::UMi => 35.3 * d3.log10() + 22.4 + 21.3 * f.log10() - 0.3 * (l.h_ut_m - 1.5),
    };
    los_db(s, l).max(nlos)
}

/// LOS probability (Table 7.4.2-1) at a 2-D distance and UT height.
pub fn los_probability(s: Scenario, d_2d_m: f64, h_ut_m: f64) -> f64 {
    match s {
        Scenario::RMa => {
            if d_2d_m <= 10.0 {
                1.0
            } else {
                (-(d_2d_m - 10.0) / 1000.0).exp()
            }
        }
        Scenario::UMa => {
            if d_2d_m <= 18.0 {
                return 1.0;
            }
            let c = if h_ut_m <= 13.0 {
                0.0
            } else {
                ((h_ut_m - 13.0) / 10.0).powf(1.5)
            };
            (18.0 / d_2d_m + (-d_2d_m / 63.0).exp() * (1.0 - 18.0 / d_2d_m))
                * (1.0 + c * 1.25 * (d_2d_m / 100.0).powi(3) * (-d_2d_m / 150.0).exp())
        }
        Scenario::UMi => {
            if d_2d_m <= 18.0 {
                1.0
            } else {
                18.0 / d_2d_m + (-d_2d_m / 36.0).exp() * (1.0 - 18.0 / d_2d_m)
            }
        }
    }
}

/// Shadow-fading standard deviation (dB), Table 7.4.1-1.
pub fn shadow_sigma_db(s: Scenario, los: bool, l: &Link38901) -> f64 {
    match (s, los) {
        (Scenario::RMa, true) => {
            let d_bp = 2.0 * std::f64::consts::PI * l.h_bs_m * l.h_ut_m * l.f_ghz * 1e9 / C;
            if l.d_2d_m <= d_bp {
                4.0
            } else {
                6.0
            }
        }
        (Scenario::RMa, false) => 8.0,
        (Scenario::UMa, true) => 4.0,
        (Scenario::UMa, false) => 6.0,
        (Scenario::UMi, true) => 4.0,
        (Scenario::UMi, false) => 7.82,
    }
}

/// A seeded log-normal shadow-fading draw (dB): the same `(seed, key)` always gives the
/// same value, whatever the thread or order. SplitMix64 and Box-Muller.
pub fn shadow_fading_db(sigma_db: f64, seed: u64, key: u64) -> f64 {
    let mut state = seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let (u1, u2) = (next(), next());
    sigma_db * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
