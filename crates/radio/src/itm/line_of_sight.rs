//! Line-of-sight loss: the two-ray (direct plus ground-reflected) attenuation weighted
//! with the extended diffraction line (NTIA's `LineOfSightLoss`).

use super::diffraction::{sigma_h, terrain_roughness};
use super::log10::log10;
use super::{c_max, c_min, Complex};
use std::f64::consts::PI;

pub(crate) struct LineOfSight {
    pub h_e_m: [f64; 2],
    pub z_g: Complex,
    pub delta_h_m: f64,
    pub m_d: f64,
    pub a_d0: f64,
    pub d_sml_m: f64,
    pub f_mhz: f64,
}

impl LineOfSight {
    /// Loss at distance `d` (m), dB.
    pub(crate) fn loss(&self, d: f64) -> f64 {
        let sigma = sigma_h(terrain_roughness(d, self.delta_h_m));
        let wn = self.f_mhz / 47.7;
        let hh = self.h_e_m[0] + self.h_e_m[1];
        // [Algorithm, Eqns 4.46-4.48]: grazing angle and effective reflection coefficient.
        let sin_psi = hh / (d * d + hh * hh).sqrt();
        let s = Complex::new(sin_psi, 0.0);
        let mut r_e =
            ((s - self.z_g) / (s + self.z_g)).scale((-c_min(10.0, wn * sigma * sin_psi)).exp());
        let q = r_e.norm_sqr();
        if q < 0.25 || q < sin_psi {
            r_e = r_e.scale((sin_psi / q).sqrt());
        }
        // Phase difference between the rays [Algorithm, Eqns 4.49-4.50].
        let mut delta_phi = wn * 2.0 * self.h_e_m[0] * self.h_e_m[1] / d;
        if delta_phi > PI / 2.0 {
            delta_phi = PI - (PI / 2.0) * (PI / 2.0) / delta_phi;
        }
        let rr = Complex::new(delta_phi.cos(), -delta_phi.sin()) + r_e;
        let a_t = -10.0 * log10(rr.norm_sqr());
        let a_d = self.m_d * d + self.a_d0;
        let w = 1.0 / (1.0 + self.f_mhz * self.delta_h_m / c_max(10e3, self.d_sml_m));
        w * a_t + (1.0 - w) * a_d
    }
}
