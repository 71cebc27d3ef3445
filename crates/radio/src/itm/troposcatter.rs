//! Troposcatter loss (NTIA's `TroposcatterLoss`, `FFunction`, `H0Function`).

use super::log10::log10;
use super::longley_rice::Path;
use super::{c_max, c_min};

/// The attenuation function F(theta d) [Algorithm, 6.9].
fn f_function(td: f64) -> f64 {
    let (a, b, c) = if td <= 10e3 {
        (133.4, 0.332e-3, -10.0)
    } else if td <= 70e3 {
        (104.6, 0.212e-3, -2.5)
    } else {
        (71.8, 0.157e-3, 5.0)
    };
    a + b * td + c * log10(td)
}

/// One curve of the frequency gain function [Algorithm, 6.13].
fn h0_curve(j: usize, r: f64) -> f64 {
    const A: [f64; 5] = [25.0, 80.0, 177.0, 395.0, 705.0];
    const B: [f64; 5] = [24.0, 45.0, 68.0, 80.0, 105.0];
    let inv = 1.0 / r;
    10.0 * log10(1.0 + A[j] * inv.powi(4) + B[j] * (inv * inv))
}

/// Frequency gain function H_0(r, eta_s) [TN101v1, 9.2], eta_s clamped to 1-5.
fn h0_function(r: f64, eta_s: f64) -> f64 {
    let eta_s = c_min(c_max(eta_s, 1.0), 5.0);
    let i = eta_s as usize;
    let q = eta_s - i as f64;
    let mut result = h0_curve(i - 1, r);
    if q != 0.0 {
        result = (1.0 - q) * result + q * h0_curve(i, r);
    }
    result
}

pub(crate) struct Troposcatter<'a> {
    p: &'a Path,
    a_e: f64,
    theta_los: f64,
}

impl<'a> Troposcatter<'a> {
    pub(crate) fn new(p: &'a Path, a_e: f64, theta_los: f64) -> Self {
        Troposcatter { p, a_e, theta_los }
    }

    /// Troposcatter loss at `d` (m), dB; 1001 where it is undefined. `h0` carries H_0
    /// from the call at d_6 to the one at d_5, as NTIA's does.
    pub(crate) fn loss(&self, d: f64, h0: &mut f64) -> f64 {
        let p = self.p;
        let wn = p.f_mhz / 47.7;
        let h_0 = if *h0 > 15.0 {
            *h0
        } else {
            let mut ad = p.d_hzn_m[0] - p.d_hzn_m[1];
            let mut rr = p.h_e_m[1] / p.h_e_m[0];
            if ad < 0.0 {
                ad = -ad;
                rr = 1.0 / rr;
            }
            let theta = p.theta_hzn[0] + p.theta_hzn[1] + d / self.a_e;
            let r_1 = 2.0 * wn * theta * p.h_e_m[0];
            let r_2 = 2.0 * wn * theta * p.h_e_m[1];
            if r_1 < 0.2 && r_2 < 0.2 {
                return 1001.0;
            }
            let mut s = (d - ad) / (d + ad); // asymmetry
            let q = c_min(c_max(0.1, rr / s), 10.0);
            s = c_max(0.1, s);
            let h_0_m = (d - ad) * (d + ad) * theta * 0.25 / d; // height of the cross-over
            let n_s = p.n_s;
            let eta_s = (h_0_m / 1.7556e3)
                * (1.0
                    + (0.031 - n_s * 2.32e-3 + n_s * n_s * 5.67e-6)
                        * (-c_min(1.7, h_0_m / 8.0e3).powi(6)).exp());
            let h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2.0;
            let delta = c_min(
                h_00,
                6.0 * (0.6 - log10(c_max(eta_s, 1.0))) * log10(s) * log10(q),
            );
            let mut h_0 = c_max(h_00 + delta, 0.0);
            if eta_s < 1.0 {
                let sq2 = std::f64::consts::SQRT_2;
                h_0 = eta_s * h_0
                    + (1.0 - eta_s)
                        * 10.0
                        * log10(
                            ((1.0 + sq2 / r_1) * (1.0 + sq2 / r_2)).powi(2) * (r_1 + r_2)
                                / (r_1 + r_2 + 2.0 * sq2),
                        );
            }
            if h_0 > 15.0 && *h0 >= 0.0 {
                h_0 = *h0;
            }
            h_0
        };
        *h0 = h_0;
        let th = d / self.a_e - self.theta_los;
        f_function(th * d) + 10.0 * log10(wn * 47.7 * th.powi(4))
            - 0.1 * (p.n_s - 301.0) * (-th * d / 40e3).exp()
            + h_0
    }
}
