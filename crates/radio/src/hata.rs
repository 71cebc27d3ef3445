//! Okumura-Hata (150-1500 MHz) and its COST-231 extension (1500-2000 MHz).
//!
//! Conventions (fiberplan's, so results compare with published values): distances are
//! the 2-D distance in km; the mobile-antenna correction a(h_m) is the small/medium-city
//! one, (1.1 log f - 0.7) h_m - (1.56 log f - 0.8), except for the large-city urban model,
//! which uses 8.29 (log 1.54 h_m)^2 - 1.1 below 200 MHz and 3.2 (log 11.75 h_m)^2 - 4.97
//! from there up (Hata gives the second from 400 MHz). Suburban and open area are the
//! textbook corrections of the small/medium-city urban loss; COST-231's metropolitan
//! centre adds C_m = 3 dB.
//!
//! References: M. Hata, "Empirical formula for propagation loss in land mobile radio
//! services", IEEE Trans. Veh. Technol. 29(3), 1980; COST Action 231 final report (1999),
//! ch. 4.4.

/// Which Hata environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HataEnv {
    Open,
    Suburban,
    UrbanSmallMedium,
    UrbanLarge,
}

/// Which COST-231 Hata environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost231Env {
    /// Medium city and suburban centres with moderate tree density: C_m = 0 dB.
    Medium,
    /// Metropolitan centres: C_m = 3 dB.
    Metropolitan,
}

/// a(h_m) for small and medium cities.
pub fn a_hm_small_medium(f_mhz: f64, h_m: f64) -> f64 {
    let lf = f_mhz.log10();
    (1.1 * lf - 0.7) * h_m - (1.56 * lf - 0.8)
}

/// a(h_m) for large cities.
pub fn a_hm_large(f_mhz: f64, h_m: f64) -> f64 {
    if f_mhz < 200.0 {
        8.29 * (1.54 * h_m).log10().powi(2) - 1.1
    } else {
        3.2 * (11.75 * h_m).log10().powi(2) - 4.97
    }
}

/// Okumura-Hata median path loss, dB (no range check: see [`hata_range`]).
pub fn hata_db(env: HataEnv, f_mhz: f64, d_km: f64, h_b: f64, h_m: f64) -> f64 {
    let lf = f_mhz.log10();
    let base =
        69.55 + 26.16 * lf - 13.82 * h_b.log10() + (44.9 - 6.55 * h_b.log10()) * d_km.log10();
    let urban_small = base - a_hm_small_medium(f_mhz, h_m);
    match env {
        HataEnv::UrbanSmallMedium => urban_small,
        HataEnv::UrbanLarge => base - a_hm_large(f_mhz, h_m),
        HataEnv::Suburban => urban_small - 2.0 * (f_mhz / 28.0).log10().powi(2) - 5.4,
        HataEnv::Open => urban_small - 4.78 * lf * lf + 18.33 * lf - 40.94,
    }
}

/// COST-231 Hata median path loss, dB (no range check: see [`cost231_range`]).
pub fn cost231_db(env: Cost231Env, f_mhz: f64, d_km: f64, h_b: f64, h_m: f64) -> f64 {
    let c_m = match env {
        Cost231Env::Medium => 0.0,
        Cost231Env::Metropolitan => 3.0,
    };
    46.3 + 33.9 * f_mhz.log10() - 13.82 * h_b.log10() - a_hm_small_medium(f_mhz, h_m)
        + (44.9 - 6.55 * h_b.log10()) * d_km.log10()
        + c_m
}

/// The validity ranges of Hata's formula, as `(what, low, high, value)` for each input.
pub fn hata_range(f_mhz: f64, d_km: f64, h_b: f64, h_m: f64) -> [(&'static str, f64, f64, f64); 4] {
    [
        ("f_mhz", 150.0, 1500.0, f_mhz),
        ("d_2d_km", 1.0, 20.0, d_km),
        ("h_bs_m", 30.0, 200.0, h_b),
        ("h_ut_m", 1.0, 10.0, h_m),
    ]
}

/// The validity ranges of COST-231 Hata.
pub fn cost231_range(
    f_mhz: f64,
    d_km: f64,
    h_b: f64,
    h_m: f64,
) -> [(&'static str, f64, f64, f64); 4] {
    [
        ("f_mhz", 1500.0, 2000.0, f_mhz),
        ("d_2d_km", 1.0, 20.0, d_km),
        ("h_bs_m", 30.0, 200.0, h_b),
        ("h_ut_m", 1.0, 10.0, h_m),
    ]
}
