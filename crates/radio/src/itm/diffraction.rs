//! Diffraction loss beyond the horizon: knife-edge (Fresnel) and smooth-earth (Vogler's
//! three radii) losses weighted by terrain irregularity, plus the clutter factor
//! (NTIA's `DiffractionLoss`, `KnifeEdgeDiffraction`, `SmoothEarthDiffraction`,
//! `HeightFunction`, `FresnelIntegral`).

use super::log10::log10;
use super::longley_rice::Path;
use super::{c_min, Mode, A_0_M, THIRD};

/// Terrain irregularity over a distance: [ERL 79-ITS 67, Eqn 3] in metres.
pub(crate) fn terrain_roughness(d_m: f64, delta_h_m: f64) -> f64 {
    delta_h_m * (1.0 - 0.8 * (-d_m / 50e3).exp())
}

/// RMS deviation of terrain within the first Fresnel zone [ERL 79-ITS 67, Eqn 3.6a].
pub(crate) fn sigma_h(delta_h_m: f64) -> f64 {
    0.78 * delta_h_m * (-0.5 * delta_h_m.powf(0.25)).exp()
}

/// Knife-edge loss for a squared Fresnel parameter v^2 [TN101v2, Eqn III.24].
fn fresnel_integral(v2: f64) -> f64 {
    if v2 < 5.76 {
        6.02 + 9.11 * v2.sqrt() - 1.27 * v2
    } else {
        12.953 + 10.0 * log10(v2)
    }
}

/// Vogler's height-gain function F(x, K), dB.
fn height_function(x_km: f64, k: f64) -> f64 {
    if x_km < 200.0 {
        let w = -k.ln();
        if k < 1e-5 || x_km * w.powi(3) > 5495.0 {
            if x_km > 1.0 {
                17.372 * x_km.ln() - 117.0
            } else {
                -117.0
            }
        } else {
            2.5e-5 * (x_km * x_km) / k - 8.686 * w - 15.0
        }
    } else {
        let mut r = 0.05751 * x_km - 4.343 * x_km.ln();
        if x_km < 2000.0 {
            let w = 0.0134 * x_km * (-0.005 * x_km).exp();
            r = (1.0 - w) * r + w * (17.372 * x_km.ln() - 117.0);
        }
        r
    }
}

/// Vogler's x and K for an earth of radius `radius` (m) over `d_km`.
fn vogler_x_k(radius: f64, d_km: f64, f_third: f64, f_mthird: f64, abs_z_g: f64) -> (f64, f64) {
    let c_0 = ((4.0 / 3.0) * A_0_M / radius).powf(THIRD);
    let k = 0.017778 * c_0 * f_mthird / abs_z_g;
    let x = (1.607 - k) * (c_0 * c_0) * f_third * d_km; // NTIA's grouping
    (x, k)
}

/// The diffraction loss of one path at any distance; terms independent of the distance
/// are computed once (the same operations on the same values as at every distance, so
/// the same bits).
pub(crate) struct Diffraction<'a> {
    p: &'a Path,
    a_e: f64,
    theta_los: f64,
    a_fo: f64,
    term1: f64,
    abs_z_g: f64,
    /// f^(1/3) and f^(-1/3).
    f_third: f64,
    f_mthird: f64,
    /// Vogler's x and the height gains F(x, K) of the two horizons' radii (smooth earth's
    /// terms 1 and 2; term 0 depends on the distance).
    x_hzn: [f64; 2],
    height_gain: [f64; 2],
}

impl<'a> Diffraction<'a> {
    pub(crate) fn new(p: &'a Path, a_e: f64, theta_los: f64, d_sml: f64) -> Self {
        // Clutter factor [ERL 79-ITS 67, Eqn 3.38c], roughness taken at d_sML.
        let sigma = sigma_h(terrain_roughness(d_sml, p.delta_h_m));
        let a_fo = c_min(
            15.0,
            5.0 * log10(1.0 + 1e-5 * p.h_m[0] * p.h_m[1] * p.f_mhz * sigma),
        );
        let mut q = p.h_m[0] * p.h_m[1];
        let qk = p.h_e_m[0] * p.h_e_m[1] - q;
        // For low antennas with known path parameters, C ~= 10 [ERL 79-ITS 67, p. 3-8].
        if p.mode == Mode::P2p {
            q += 10.0;
        }
        let abs_z_g = p.z_g.abs();
        let f_third = p.f_mhz.powf(THIRD);
        let f_mthird = p.f_mhz.powf(-THIRD);
        let mut x_hzn = [0.0; 2];
        let mut height_gain = [0.0; 2];
        for i in 0..2 {
            let radius = 0.5 * p.d_hzn_m[i] * p.d_hzn_m[i] / p.h_e_m[i];
            let d_km = p.d_hzn_m[i] / 1000.0;
            let (x, k) = vogler_x_k(radius, d_km, f_third, f_mthird, abs_z_g);
            x_hzn[i] = x;
            height_gain[i] = height_function(x, k);
        }
        Diffraction {
            p,
            a_e,
            theta_los,
            a_fo,
            term1: (1.0 + qk / q).sqrt(),
            abs_z_g,
            f_third,
            f_mthird,
            x_hzn,
            height_gain,
        }
    }

    fn knife_edge(&self, d: f64) -> f64 {
        let p = self.p;
        let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1];
        let theta_nlos = d / self.a_e - self.theta_los;
        let d_nlos = d - d_ml;
        let k = 0.0795775 * (p.f_mhz / 47.7) * (theta_nlos * theta_nlos); // NTIA's grouping
        let v_1 = k * p.d_hzn_m[0] * d_nlos / (d_nlos + p.d_hzn_m[0]);
        let v_2 = k * p.d_hzn_m[1] * d_nlos / (d_nlos + p.d_hzn_m[1]);
        fresnel_integral(v_1) + fresnel_integral(v_2)
    }

    /// Vogler's three radii: the path's at distance `d`, and the two horizons' (whose
    /// terms [`Diffraction::new`] computed).
    fn smooth_earth(&self, d: f64) -> f64 {
        let p = self.p;
        let theta_nlos = d / self.a_e - self.theta_los;
        let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1];
        let radius = (d - d_ml) / (d / self.a_e - self.theta_los);
        let d_km = radius * theta_nlos / 1000.0;
        let (x, _) = vogler_x_k(radius, d_km, self.f_third, self.f_mthird, self.abs_z_g);
        let x_0 = x + self.x_hzn[0] + self.x_hzn[1];
        let g = 0.05751 * x_0 - 10.0 * log10(x_0);
        g - self.height_gain[0] - self.height_gain[1] - 20.0
    }

    /// Diffraction loss at distance `d` (m), dB.
    pub(crate) fn loss(&self, d: f64) -> f64 {
        let p = self.p;
        let a_k = self.knife_edge(d);
        let a_se = self.smooth_earth(d);
        let delta_h_d = terrain_roughness(d, p.delta_h_m);
        let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1];
        let q = (self.term1 + (-self.theta_los * self.a_e + d_ml) / d)
            * c_min(delta_h_d * p.f_mhz / 47.7, 6283.2);
        let w = 25.1 / (25.1 + q.sqrt());
        w * a_se + (1.0 - w) * a_k + self.a_fo
    }
}
