//! NTIA's Irregular Terrain Model (ITM, Longley-Rice), version 1.2.2 of the algorithm.
//!
//! Written from NTIA's published algorithm and its public-domain reference implementation
//! (github.com/NTIA/itm), which this module follows function by function so that the
//! figures match: [`p2p`] is `ITM_P2P_TLS_Ex`, [`area`] is `ITM_AREA_TLS_Ex`. The return
//! codes ([`ItmError::code`]) and warning flags ([`Warnings`]) are NTIA's.
//!
//! Acknowledgement, as NTIA asks: the Irregular Terrain Model was created by the National
//! Telecommunications and Information Administration, Institute for Telecommunication
//! Sciences. This is a new implementation in Rust (fiberplan, 2026), not NTIA's code.
//!
//! ```
//! use fiberplan_radio::itm::{p2p, ItmParams, Climate, Polarization};
//! // 10 km over flat ground 100 m above sea level, 50 intervals of 200 m.
//! let elev = vec![100.0; 51];
//! let params = ItmParams { f_mhz: 800.0, ..ItmParams::default() };
//! let out = p2p(30.0, 1.5, &elev, 200.0, &params).unwrap();
//! assert!(out.a_db > 100.0 && out.a_db < 160.0);
//! assert_eq!(out.inter.mode, fiberplan_radio::itm::PropMode::LineOfSight);
//! # let _ = (Climate::ContinentalTemperate, Polarization::Vertical);
//! ```

pub mod cases;
mod complex;
mod diffraction;
mod line_of_sight;
mod log10;
mod longley_rice;
mod terrain;
mod troposcatter;
mod variability;

pub use complex::Complex;
pub use terrain::{delta_h, find_horizons, linear_least_squares_fit};
pub use variability::inverse_ccdf;

use log10::log10;
use std::fmt;

/// Radius of the earth used by Vogler's smooth-earth diffraction (`a_0`).
pub(crate) const A_0_M: f64 = 6370e3;
/// Earth radius of the effective distance in the variability curves (`a_9000`).
pub(crate) const A_9000_M: f64 = 9000e3;
pub(crate) const THIRD: f64 = 1.0 / 3.0;

/// NTIA's `MAX(x, y)` macro, `x > y ? x : y`. Unlike `f64::max` it gives `y` when either
/// is NaN: on degenerate paths (a diffraction line that is NaN) NTIA's mode and loss
/// follow from that, so every MAX and MIN of NTIA's is written with these, arguments in
/// NTIA's order.
#[inline(always)]
pub(crate) fn c_max(x: f64, y: f64) -> f64 {
    if x > y {
        x
    } else {
        y
    }
}

/// NTIA's `MIN(x, y)` macro, `x < y ? x : y` (see [`c_max`]).
#[inline(always)]
pub(crate) fn c_min(x: f64, y: f64) -> f64 {
    if x < y {
        x
    } else {
        y
    }
}

/// Radio climate (NTIA's codes 1-7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Climate {
    Equatorial = 1,
    ContinentalSubtropical = 2,
    MaritimeSubtropical = 3,
    Desert = 4,
    ContinentalTemperate = 5,
    MaritimeTemperateOverLand = 6,
    MaritimeTemperateOverSea = 7,
}

impl Climate {
    /// From NTIA's integer code; `None` for anything but 1-7.
    pub fn from_code(code: i64) -> Option<Climate> {
        use Climate::*;
        Some(match code {
            1 => Equatorial,
            2 => ContinentalSubtropical,
            3 => MaritimeSubtropical,
            4 => Desert,
            5 => ContinentalTemperate,
            6 => MaritimeTemperateOverLand,
            7 => MaritimeTemperateOverSea,
            _ => return None,
        })
    }
}

/// Antenna polarisation (NTIA: 0 horizontal, 1 vertical).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarization {
    Horizontal = 0,
    Vertical = 1,
}

/// Siting criteria of a terminal in area mode (NTIA: 0 random, 1 careful, 2 very careful).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Siting {
    Random = 0,
    Careful = 1,
    VeryCareful = 2,
}

/// Propagation mode of the path (NTIA's `MODE__*` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropMode {
    LineOfSight = 1,
    Diffraction = 2,
    Troposcatter = 3,
}

/// ITM's parameters common to point-to-point and area mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItmParams {
    /// Frequency, MHz (20-20,000; warning outside 40-10,000).
    pub f_mhz: f64,
    /// Refractivity at sea level, N-units (250-400).
    pub n_0: f64,
    /// Relative permittivity of the ground (>= 1).
    pub epsilon: f64,
    /// Ground conductivity, S/m (> 0).
    pub sigma: f64,
    /// Polarisation, NTIA's integer code (0 or 1); checked by the model.
    pub pol: i32,
    /// Radio climate, NTIA's integer code (1-7); checked by the model.
    pub climate: i32,
    /// Mode of variability: 0 single message, 1 accidental, 2 mobile, 3 broadcast,
    /// + 10 without location variability, + 20 without direct situation variability.
    pub mdvar: i32,
    /// Time, location and situation percentages, each in (0, 100).
    pub time: f64,
    pub location: f64,
    pub situation: f64,
}

impl Default for ItmParams {
    /// Average ground, continental temperate climate, vertical polarisation, 301 N-units,
    /// mobile mode at 50 % time / location / situation.
    fn default() -> Self {
        ItmParams {
            f_mhz: 900.0,
            n_0: 301.0,
            epsilon: 15.0,
            sigma: 0.005,
            pol: 1,
            climate: 5,
            mdvar: 12,
            time: 50.0,
            location: 50.0,
            situation: 50.0,
        }
    }
}

/// ITM's warning flags (NTIA's `WARN__*` bits): the result is computed but a parameter is
/// near or beyond the model's validated range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Warnings(pub u32);

impl Warnings {
    pub const TX_TERMINAL_HEIGHT: u32 = 0x0001;
    pub const RX_TERMINAL_HEIGHT: u32 = 0x0002;
    pub const FREQUENCY: u32 = 0x0004;
    pub const PATH_DISTANCE_TOO_BIG_1: u32 = 0x0008;
    pub const PATH_DISTANCE_TOO_BIG_2: u32 = 0x0010;
    pub const PATH_DISTANCE_TOO_SMALL_1: u32 = 0x0020;
    pub const PATH_DISTANCE_TOO_SMALL_2: u32 = 0x0040;
    pub const TX_HORIZON_ANGLE: u32 = 0x0080;
    pub const RX_HORIZON_ANGLE: u32 = 0x0100;
    pub const TX_HORIZON_DISTANCE_1: u32 = 0x0200;
    pub const RX_HORIZON_DISTANCE_1: u32 = 0x0400;
    pub const TX_HORIZON_DISTANCE_2: u32 = 0x0800;
    pub const RX_HORIZON_DISTANCE_2: u32 = 0x1000;
    pub const EXTREME_VARIABILITIES: u32 = 0x2000;
    pub const SURFACE_REFRACTIVITY: u32 = 0x4000;

    pub(crate) fn set(&mut self, flag: u32) {
        self.0 |= flag;
    }
    pub fn contains(self, flag: u32) -> bool {
        self.0 & flag != 0
    }
}

/// ITM's errors: the inputs it refuses, with NTIA's return codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItmError {
    #[error("TX terminal height is out of range (0.5-3000 m)")]
    TxTerminalHeight,
    #[error("RX terminal height is out of range (0.5-3000 m)")]
    RxTerminalHeight,
    #[error("invalid radio climate (1-7)")]
    InvalidRadioClimate,
    #[error("time percentage is out of range (0 < time < 100)")]
    InvalidTime,
    #[error("location percentage is out of range (0 < location < 100)")]
    InvalidLocation,
    #[error("situation percentage is out of range (0 < situation < 100)")]
    InvalidSituation,
    #[error("refractivity N_0 is out of range (250-400 N-units)")]
    Refractivity,
    #[error("frequency is out of range (20-20000 MHz)")]
    Frequency,
    #[error("invalid polarization (0 horizontal, 1 vertical)")]
    Polarization,
    #[error("epsilon is out of range (>= 1)")]
    Epsilon,
    #[error("sigma is out of range (> 0)")]
    Sigma,
    #[error("the imaginary part of the ground impedance is larger than its real part")]
    GroundImpedance,
    #[error("invalid mode of variability (0-3, 10-13, 20-23, 30-33)")]
    Mdvar,
    #[error("internally computed effective earth radius is invalid")]
    EffectiveEarth,
    #[error("path distance is out of range (> 0)")]
    PathDistance,
    #[error("delta_h (terrain irregularity) is out of range (>= 0)")]
    DeltaH,
    #[error("invalid TX siting criteria (0-2)")]
    TxSitingCriteria,
    #[error("invalid RX siting criteria (0-2)")]
    RxSitingCriteria,
    #[error("internally computed surface refractivity is too small (< 150 N-units)")]
    SurfaceRefractivitySmall,
    #[error("internally computed surface refractivity is too large (> 400 N-units)")]
    SurfaceRefractivityLarge,
    /// Not one of NTIA's codes: the profile is not a profile (fewer than 2 intervals, a
    /// non-positive interval or an elevation that is not a number).
    #[error("terrain profile is invalid: {0}")]
    Profile(&'static str),
}

impl ItmError {
    /// NTIA's return code (`ERROR__*`); 0 for [`ItmError::Profile`], which NTIA has not.
    pub fn code(self) -> i32 {
        use ItmError::*;
        match self {
            TxTerminalHeight => 1000,
            RxTerminalHeight => 1001,
            InvalidRadioClimate => 1002,
            InvalidTime => 1003,
            InvalidLocation => 1004,
            InvalidSituation => 1005,
            Refractivity => 1008,
            Frequency => 1009,
            Polarization => 1010,
            Epsilon => 1011,
            Sigma => 1012,
            GroundImpedance => 1013,
            Mdvar => 1014,
            EffectiveEarth => 1016,
            PathDistance => 1017,
            DeltaH => 1018,
            TxSitingCriteria => 1019,
            RxSitingCriteria => 1020,
            SurfaceRefractivitySmall => 1021,
            SurfaceRefractivityLarge => 1022,
            Profile(_) => 0,
        }
    }
}

/// The intermediate values NTIA's `_Ex` functions report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntermediateValues {
    /// Terminal horizon angles, radians.
    pub theta_hzn: [f64; 2],
    /// Terminal horizon distances, m.
    pub d_hzn_m: [f64; 2],
    /// Effective terminal heights, m.
    pub h_e_m: [f64; 2],
    /// Surface refractivity, N-units.
    pub n_s: f64,
    /// Terrain irregularity parameter, m.
    pub delta_h_m: f64,
    /// Reference attenuation (median loss beyond free space), dB.
    pub a_ref_db: f64,
    /// Free-space basic transmission loss, dB.
    pub a_fs_db: f64,
    /// Path distance, km.
    pub d_km: f64,
    pub mode: PropMode,
}

/// A prediction: basic transmission loss, warnings and the intermediate values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItmResult {
    /// Basic transmission loss, dB.
    pub a_db: f64,
    pub warnings: Warnings,
    pub inter: IntermediateValues,
}

impl fmt::Display for PropMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PropMode::LineOfSight => "line of sight",
            PropMode::Diffraction => "diffraction",
            PropMode::Troposcatter => "troposcatter",
        })
    }
}

/// Which computation the reference attenuation is for: point-to-point adds NTIA's clutter
/// constant C = 10 to the diffraction weighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    P2p,
    Area,
}

/// `ValidateInputs`: the checks common to both modes, in NTIA's order.
fn validate(h_tx: f64, h_rx: f64, p: &ItmParams, w: &mut Warnings) -> Result<(), ItmError> {
    if !(1.0..=1000.0).contains(&h_tx) {
        w.set(Warnings::TX_TERMINAL_HEIGHT);
    }
    if !(0.5..=3000.0).contains(&h_tx) {
        return Err(ItmError::TxTerminalHeight);
    }
    if !(1.0..=1000.0).contains(&h_rx) {
        w.set(Warnings::RX_TERMINAL_HEIGHT);
    }
    if !(0.5..=3000.0).contains(&h_rx) {
        return Err(ItmError::RxTerminalHeight);
    }
    if !(1..=7).contains(&p.climate) {
        return Err(ItmError::InvalidRadioClimate);
    }
    if !(250.0..=400.0).contains(&p.n_0) {
        return Err(ItmError::Refractivity);
    }
    if !(40.0..=10000.0).contains(&p.f_mhz) {
        w.set(Warnings::FREQUENCY);
    }
    if !(20.0..=20000.0).contains(&p.f_mhz) {
        return Err(ItmError::Frequency);
    }
    if p.pol != 0 && p.pol != 1 {
        return Err(ItmError::Polarization);
    }
    if p.epsilon.is_nan() || p.epsilon < 1.0 {
        return Err(ItmError::Epsilon);
    }
    if p.sigma.is_nan() || p.sigma <= 0.0 {
        return Err(ItmError::Sigma);
    }
    if !matches!(p.mdvar, 0..=3 | 10..=13 | 20..=23 | 30..=33) {
        return Err(ItmError::Mdvar);
    }
    let pct = |x: f64| x > 0.0 && x < 100.0;
    if !pct(p.situation) {
        return Err(ItmError::InvalidSituation);
    }
    if !pct(p.time) {
        return Err(ItmError::InvalidTime);
    }
    if !pct(p.location) {
        return Err(ItmError::InvalidLocation);
    }
    Ok(())
}

/// Surface refractivity, effective earth curvature and ground impedance
/// (`InitializePointToPoint`, also used by area mode with `h_sys = 0`).
fn initialize(f_mhz: f64, h_sys_m: f64, p: &ItmParams) -> (Complex, f64, f64) {
    const GAMMA_A: f64 = 157e-9; // curvature of the actual earth, ~1 / 6370 km
    let n_s = if h_sys_m == 0.0 {
        p.n_0
    } else {
        p.n_0 * (-h_sys_m / 9460.0).exp()
    };
    let gamma_e = GAMMA_A * (1.0 - 0.04665 * (n_s / 179.3).exp());
    let ep_r = Complex::new(p.epsilon, 18000.0 * p.sigma / f_mhz);
    let mut z_g = (ep_r - Complex::new(1.0, 0.0)).sqrt();
    if p.pol == Polarization::Vertical as i32 {
        z_g = z_g / ep_r;
    }
    (z_g, gamma_e, n_s)
}

/// Free-space basic transmission loss, dB (NTIA's constant 32.45).
pub fn free_space_loss_db(d_m: f64, f_mhz: f64) -> f64 {
    32.45 + 20.0 * log10(f_mhz) + 20.0 * log10(d_m / 1000.0)
}

/// Point-to-point prediction over a terrain profile.
///
/// `elev` holds the n + 1 elevations (m above sea level) from transmitter to receiver,
/// `interval_m` the distance between them: NTIA's `pfl` without its two leading numbers.
/// Heights are above ground. Returns NTIA's error when it would return one.
pub fn p2p(
    h_tx_m: f64,
    h_rx_m: f64,
    elev: &[f64],
    interval_m: f64,
    params: &ItmParams,
) -> Result<ItmResult, ItmError> {
    let w = p2p_check(h_tx_m, h_rx_m, elev, interval_m, params)?;
    let (z_g, gamma_e, n_s) = initialize(params.f_mhz, h_sys(elev), params);
    let h = [h_tx_m, h_rx_m];
    let q = terrain::quick_pfl(elev, interval_m, gamma_e, h);
    p2p_finish(h, params, z_g, gamma_e, n_s, q, w)
}

/// One point-to-point case, for [`p2p_pair`]: [`p2p`]'s arguments.
#[derive(Clone, Copy, Debug)]
pub struct P2pCase<'a> {
    pub h_tx_m: f64,
    pub h_rx_m: f64,
    pub elev: &'a [f64],
    pub interval_m: f64,
    pub params: &'a ItmParams,
}

impl P2pCase<'_> {
    /// [`p2p`] on this case.
    pub fn run(&self) -> Result<ItmResult, ItmError> {
        p2p(
            self.h_tx_m,
            self.h_rx_m,
            self.elev,
            self.interval_m,
            self.params,
        )
    }
}

/// [`p2p`] on two cases at once: exactly [`p2p`]'s result for each (every sum in the same
/// order), faster. The terrain analysis is chains of floating-point additions (the
/// sample position, the least-squares sums, the horizon distances), each bound by the
/// latency of one addition; two cases' chains in one loop overlap and take little more
/// time than one.
pub fn p2p_pair(a: &P2pCase<'_>, b: &P2pCase<'_>) -> [Result<ItmResult, ItmError>; 2] {
    let checked = (
        p2p_check(a.h_tx_m, a.h_rx_m, a.elev, a.interval_m, a.params),
        p2p_check(b.h_tx_m, b.h_rx_m, b.elev, b.interval_m, b.params),
    );
    let (Ok(wa), Ok(wb)) = checked else {
        return [a.run(), b.run()];
    };
    let (sa, sb) = h_sys_pair(a.elev, b.elev);
    let (z_ga, gamma_a, n_sa) = initialize(a.params.f_mhz, sa, a.params);
    let (z_gb, gamma_b, n_sb) = initialize(b.params.f_mhz, sb, b.params);
    let (ha, hb) = ([a.h_tx_m, a.h_rx_m], [b.h_tx_m, b.h_rx_m]);
    let (qa, qb) = terrain::quick_pfl_pair(
        (a.elev, a.interval_m, gamma_a, ha),
        (b.elev, b.interval_m, gamma_b, hb),
    );
    [
        p2p_finish(ha, a.params, z_ga, gamma_a, n_sa, qa, wa),
        p2p_finish(hb, b.params, z_gb, gamma_b, n_sb, qb, wb),
    ]
}

/// [`p2p`]'s input checks: its warnings so far, or its error.
fn p2p_check(
    h_tx_m: f64,
    h_rx_m: f64,
    elev: &[f64],
    interval_m: f64,
    params: &ItmParams,
) -> Result<Warnings, ItmError> {
    let mut w = Warnings::default();
    validate(h_tx_m, h_rx_m, params, &mut w)?;
    if elev.len() < 3 {
        return Err(ItmError::Profile("fewer than 2 intervals"));
    }
    if !(interval_m > 0.0 && interval_m.is_finite()) {
        return Err(ItmError::Profile(
            "the interval must be a positive number of metres",
        ));
    }
    // Every elevation looked at, without an exit per value (|e| < inf is false exactly
    // for infinities and NaN): the compiler's vector compares, a few instructions for
    // two values.
    // (The negated comparison is the point: NaN is not below infinity either.)
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    let bad = elev
        .iter()
        .fold(false, |bad, e| bad | !(e.abs() < f64::INFINITY));
    if bad {
        return Err(ItmError::Profile("an elevation is not a number"));
    }
    Ok(w)
}

/// The part of a profile the average path height is taken over (the first and last 10 %
/// left out) and its length.
fn h_sys_span(elev: &[f64]) -> (&[f64], f64) {
    let np = elev.len() - 1;
    let p10 = (0.1 * np as f64) as usize;
    (&elev[p10..=np - p10], (np - 2 * p10 + 1) as f64)
}

/// Average path height above sea level, ignoring the first and last 10 %.
fn h_sys(elev: &[f64]) -> f64 {
    let (span, len) = h_sys_span(elev);
    span.iter().sum::<f64>() / len
}

/// [`h_sys`] of two profiles, the two sums (each in order, from `Sum`'s -0.0) in one loop.
fn h_sys_pair(a: &[f64], b: &[f64]) -> (f64, f64) {
    let ((sa, la), (sb, lb)) = (h_sys_span(a), h_sys_span(b));
    let k = sa.len().min(sb.len());
    let (mut x, mut y) = (-0.0f64, -0.0f64);
    for (&p, &q) in sa[..k].iter().zip(&sb[..k]) {
        x += p;
        y += q;
    }
    for &p in &sa[k..] {
        x += p;
    }
    for &q in &sb[k..] {
        y += q;
    }
    (x / la, y / lb)
}

/// [`p2p`] from the terrain analysis on.
fn p2p_finish(
    h: [f64; 2],
    params: &ItmParams,
    z_g: Complex,
    gamma_e: f64,
    n_s: f64,
    q: terrain::PathGeometry,
    mut w: Warnings,
) -> Result<ItmResult, ItmError> {
    let (a_ref, mode) = longley_rice::reference_attenuation(
        &longley_rice::Path {
            theta_hzn: q.theta_hzn,
            d_hzn_m: q.d_hzn_m,
            h_e_m: q.h_e_m,
            h_m: h,
            f_mhz: params.f_mhz,
            z_g,
            gamma_e,
            n_s,
            delta_h_m: q.delta_h_m,
            d_m: q.d_m,
            mode: Mode::P2p,
        },
        &mut w,
    )?;
    let a_fs = free_space_loss_db(q.d_m, params.f_mhz);
    let a_db = variability::variability(params, q.h_e_m, q.delta_h_m, q.d_m, a_ref, &mut w) + a_fs;
    Ok(ItmResult {
        a_db,
        warnings: w,
        inter: IntermediateValues {
            theta_hzn: q.theta_hzn,
            d_hzn_m: q.d_hzn_m,
            h_e_m: q.h_e_m,
            n_s,
            delta_h_m: q.delta_h_m,
            a_ref_db: a_ref,
            a_fs_db: a_fs,
            d_km: q.d_m / 1000.0,
            mode,
        },
    })
}

/// Area-mode prediction: a path of `d_km` over terrain of irregularity `delta_h_m`, with
/// the terminals' siting criteria (NTIA codes 0-2).
#[allow(clippy::too_many_arguments)]
pub fn area(
    h_tx_m: f64,
    h_rx_m: f64,
    tx_siting: i32,
    rx_siting: i32,
    d_km: f64,
    delta_h_m: f64,
    params: &ItmParams,
) -> Result<ItmResult, ItmError> {
    let mut w = Warnings::default();
    validate(h_tx_m, h_rx_m, params, &mut w)?;
    if d_km.is_nan() || d_km <= 0.0 {
        return Err(ItmError::PathDistance);
    }
    if delta_h_m.is_nan() || delta_h_m < 0.0 {
        return Err(ItmError::DeltaH);
    }
    let siting = |s: i32| match s {
        0 => Some(Siting::Random),
        1 => Some(Siting::Careful),
        2 => Some(Siting::VeryCareful),
        _ => None,
    };
    let tx = siting(tx_siting).ok_or(ItmError::TxSitingCriteria)?;
    let rx = siting(rx_siting).ok_or(ItmError::RxSitingCriteria)?;
    let (z_g, gamma_e, n_s) = initialize(params.f_mhz, 0.0, params);
    let h = [h_tx_m, h_rx_m];
    let (h_e, d_hzn, theta_hzn) = terrain::initialize_area([tx, rx], gamma_e, delta_h_m, h);
    let d_m = d_km * 1000.0;
    let (a_ref, mode) = longley_rice::reference_attenuation(
        &longley_rice::Path {
            theta_hzn,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            h_m: h,
            f_mhz: params.f_mhz,
            z_g,
            gamma_e,
            n_s,
            delta_h_m,
            d_m,
            mode: Mode::Area,
        },
        &mut w,
    )?;
    let a_fs = free_space_loss_db(d_m, params.f_mhz);
    let a_db = a_fs + variability::variability(params, h_e, delta_h_m, d_m, a_ref, &mut w);
    Ok(ItmResult {
        a_db,
        warnings: w,
        inter: IntermediateValues {
            theta_hzn,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            n_s,
            delta_h_m,
            a_ref_db: a_ref,
            a_fs_db: a_fs,
            d_km,
            mode,
        },
    })
}
