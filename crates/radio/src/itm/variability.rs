//! Variability: time, location and situation quantiles of the loss around the
//! reference attenuation, per radio climate (NTIA's `Variability`, curves from TN101).

use super::diffraction::terrain_roughness;
use super::{ItmParams, Warnings, A_9000_M, THIRD};

/// Inverse complementary normal CDF, Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4),
/// as ITM uses it: `q` in (0, 1).
pub fn inverse_ccdf(q: f64) -> f64 {
    const C: [f64; 3] = [2.515516, 0.802853, 0.010328];
    const D: [f64; 3] = [1.432788, 0.189269, 0.001308];
    let x = if q > 0.5 { 1.0 - q } else { q };
    let t = (-2.0 * x.ln()).sqrt();
    let zeta = ((C[2] * t + C[1]) * t + C[0]) / (((D[2] * t + D[1]) * t + D[0]) * t + 1.0);
    let v = t - zeta;
    if q > 0.5 {
        -v
    } else {
        v
    }
}

/// TN101v2 Eqns III.69-70.
fn curve(c1: f64, c2: f64, x1: f64, x2: f64, x3: f64, d_e: f64) -> f64 {
    let r = (d_e / x1).powi(2);
    (c1 + c2 / (1.0 + ((d_e - x2) / x3).powi(2))) * r / (1.0 + r)
}

// Climate curves, one column per climate (TN101 Fig 10.13 approximations).
const ALL_YEAR: [[f64; 7]; 5] = [
    [-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15],
    [12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9],
    [
        144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.0e3,
    ],
    [
        190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3,
    ],
    [133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3],
];
const BSM: [[f64; 7]; 5] = [
    [2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51],
    [159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8],
    [762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3],
    [
        123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3,
    ],
    [94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3],
];
const BSP: [[f64; 7]; 5] = [
    [2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43],
    [102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19],
    [636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3],
    [134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3],
    [95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3],
];
const C_D: [f64; 7] = [1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518];
const Z_D: [f64; 7] = [1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282];
const BFM: [[f64; 7]; 3] = [
    [1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0],
    [0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0],
];
const BFP: [[f64; 7]; 3] = [
    [1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0],
    [0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0],
    [0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0],
];

/// The loss beyond free space at the requested quantiles, dB. `params` has been
/// validated (climate 1-7, mdvar valid, percentages in (0, 100)).
pub(crate) fn variability(
    params: &ItmParams,
    h_e: [f64; 2],
    delta_h_m: f64,
    d_m: f64,
    a_ref_db: f64,
    w: &mut Warnings,
) -> f64 {
    let mut z_t = inverse_ccdf(params.time / 100.0);
    let mut z_l = inverse_ccdf(params.location / 100.0);
    let z_s = inverse_ccdf(params.situation / 100.0);
    let c = (params.climate - 1) as usize;
    let wn = params.f_mhz / 47.7;

    // Effective distance [Algorithm, Eqn 5.3].
    let d_ex = (2.0 * A_9000_M * h_e[0]).sqrt()
        + (2.0 * A_9000_M * h_e[1]).sqrt()
        + (575.7e12 / wn).powf(THIRD);
    let d_e = if d_m < d_ex {
        130e3 * d_m / d_ex
    } else {
        130e3 + d_m - d_ex
    };

    let mut mdvar = params.mdvar;
    // +20: no direct situation variability (interference studies) [Hufford, 1982].
    let plus20 = mdvar >= 20;
    if plus20 {
        mdvar -= 20;
    }
    let sigma_s = if plus20 {
        0.0
    } else {
        5.0 + 3.0 * (-d_e / 100e3).exp()
    };
    let plus10 = mdvar >= 10;
    if plus10 {
        mdvar -= 10;
    }

    let col = |t: &[[f64; 7]; 5]| curve(t[0][c], t[1][c], t[2][c], t[3][c], t[4][c], d_e);
    let v_med = col(&ALL_YEAR);
    match mdvar {
        0 => {
            z_t = z_s;
            z_l = z_s;
        }
        1 => z_l = z_s,
        2 => z_l = z_t,
        _ => {}
    }
    if z_t.abs() > 3.10 || z_l.abs() > 3.10 || z_s.abs() > 3.10 {
        w.set(Warnings::EXTREME_VARIABILITIES);
    }

    let sigma_l = if plus10 {
        0.0
    } else {
        let dh_d = terrain_roughness(d_m, delta_h_m);
        10.0 * wn * dh_d / (wn * dh_d + 13.0)
    };
    let y_l = sigma_l * z_l;

    let q = (0.133 * wn).ln();
    let g_minus = BFM[0][c] + BFM[1][c] / ((BFM[2][c] * q).powi(2) + 1.0);
    let g_plus = BFP[0][c] + BFP[1][c] / ((BFP[2][c] * q).powi(2) + 1.0);
    let sigma_t_minus = col(&BSM) * g_minus;
    let sigma_t_plus = col(&BSP) * g_plus;
    let sigma_td = C_D[c] * sigma_t_plus;
    let tgtd = (sigma_t_plus - sigma_td) * Z_D[c];
    let sigma_t = if z_t < 0.0 {
        sigma_t_minus
    } else if z_t <= Z_D[c] {
        sigma_t_plus
    } else {
        sigma_td + tgtd / z_t
    };
    let y_t = sigma_t * z_t;

    let y_s_temp =
        sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
    let (y_r, y_s) = match mdvar {
        0 => (
            0.0,
            (sigma_t * sigma_t + sigma_l * sigma_l + y_s_temp).sqrt() * z_s,
        ),
        1 => (y_t, (sigma_l * sigma_l + y_s_temp).sqrt() * z_s),
        2 => (
            (sigma_t * sigma_t + sigma_l * sigma_l).sqrt() * z_t,
            y_s_temp.sqrt() * z_s,
        ),
        _ => (y_t + y_l, y_s_temp.sqrt() * z_s),
    };
    let mut result = a_ref_db - v_med - y_r - y_s;
    // [Algorithm, Eqn 52]: a negative loss is compressed towards 0.
    if result < 0.0 {
        result = result * (29.0 - result) / (29.0 - 10.0 * result);
    }
    result
}
