//! Free-space path loss (Friis): 20 log10(4 pi d f / c).

/// Speed of light, m/s (exact, SI).
pub const C_M_PER_S: f64 = 299_792_458.0;

/// Free-space path loss (dB) over `d_m` metres at `f_mhz`.
///
/// ```
/// // 1 km at 1 GHz: 92.45 dB.
/// let l = fiberplan_radio::free_space::fspl_db(1000.0, 1000.0);
/// assert!((l - 92.45).abs() < 0.01);
/// ```
pub fn fspl_db(d_m: f64, f_mhz: f64) -> f64 {
    20.0 * (4.0 * std::f64::consts::PI * d_m * f_mhz * 1e6 / C_M_PER_S).log10()
}
