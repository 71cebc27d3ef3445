//! The reference attenuation (NTIA's `LongleyRice`): a diffraction line fitted far
//! beyond the horizon, a line-of-sight curve joined to it, and a troposcatter line past
//! the diffraction-troposcatter transition distance.

use super::{
    c_max, c_min, diffraction, line_of_sight, troposcatter, Complex, ItmError, Mode, PropMode,
    Warnings,
};

/// Everything the reference attenuation depends on.
pub(crate) struct Path {
    pub theta_hzn: [f64; 2],
    pub d_hzn_m: [f64; 2],
    pub h_e_m: [f64; 2],
    /// Structural heights.
    pub h_m: [f64; 2],
    pub f_mhz: f64,
    pub z_g: Complex,
    pub gamma_e: f64,
    pub n_s: f64,
    pub delta_h_m: f64,
    pub d_m: f64,
    pub mode: Mode,
}

fn dim(x: f64, y: f64) -> f64 {
    if x > y {
        x - y
    } else {
        0.0
    }
}

/// Reference attenuation (dB, never negative) and the propagation mode.
pub(crate) fn reference_attenuation(
    p: &Path,
    w: &mut Warnings,
) -> Result<(f64, PropMode), ItmError> {
    let a_e = 1.0 / p.gamma_e;
    let d_hzn_s = [
        (2.0 * p.h_e_m[0] * a_e).sqrt(),
        (2.0 * p.h_e_m[1] * a_e).sqrt(),
    ];
    let d_sml = d_hzn_s[0] + d_hzn_s[1]; // smooth earth line-of-sight distance
    let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1]; // line-of-sight distance of the path
    let theta_los = -c_max(p.theta_hzn[0] + p.theta_hzn[1], -d_ml / a_e);

    if p.theta_hzn[0].abs() > 200e-3 {
        w.set(Warnings::TX_HORIZON_ANGLE);
    }
    if p.theta_hzn[1].abs() > 200e-3 {
        w.set(Warnings::RX_HORIZON_ANGLE);
    }
    if p.d_hzn_m[0] < 0.1 * d_hzn_s[0] {
        w.set(Warnings::TX_HORIZON_DISTANCE_1);
    }
    if p.d_hzn_m[1] < 0.1 * d_hzn_s[1] {
        w.set(Warnings::RX_HORIZON_DISTANCE_1);
    }
    if p.d_hzn_m[0] > 3.0 * d_hzn_s[0] {
        w.set(Warnings::TX_HORIZON_DISTANCE_2);
    }
    if p.d_hzn_m[1] > 3.0 * d_hzn_s[1] {
        w.set(Warnings::RX_HORIZON_DISTANCE_2);
    }
    if p.n_s < 150.0 {
        return Err(ItmError::SurfaceRefractivitySmall);
    }
    if p.n_s > 400.0 {
        return Err(ItmError::SurfaceRefractivityLarge);
    }
    if p.n_s < 250.0 {
        w.set(Warnings::SURFACE_REFRACTIVITY);
    }
    if !(4_000_000.0..=13_333_333.0).contains(&a_e) {
        return Err(ItmError::EffectiveEarth);
    }
    if p.z_g.re <= p.z_g.im.abs() {
        return Err(ItmError::GroundImpedance);
    }

    let diff = diffraction::Diffraction::new(p, a_e, theta_los, d_sml);
    // Two distances far into the diffraction region give the diffraction line.
    let scale = (a_e * a_e / p.f_mhz).powf(super::THIRD);
    let d_3 = c_max(d_sml, d_ml + 5.0 * scale);
    let d_4 = d_3 + 10.0 * scale;
    let a_3 = diff.loss(d_3);
    let a_4 = diff.loss(d_4);
    let m_d = (a_4 - a_3) / (d_4 - d_3);
    let a_d0 = a_3 - m_d * d_3;

    let d = p.d_m;
    let d_min = (p.h_e_m[0] - p.h_e_m[1]).abs() / 200e-3;
    if d < d_min {
        w.set(Warnings::PATH_DISTANCE_TOO_SMALL_1);
    }
    if d < 1e3 {
        w.set(Warnings::PATH_DISTANCE_TOO_SMALL_2);
    }
    if d > 1000e3 {
        w.set(Warnings::PATH_DISTANCE_TOO_BIG_1);
    }
    if d > 2000e3 {
        w.set(Warnings::PATH_DISTANCE_TOO_BIG_2);
    }

    let (a_ref, mode) = if d < d_sml {
        let los = line_of_sight::LineOfSight {
            h_e_m: p.h_e_m,
            z_g: p.z_g,
            delta_h_m: p.delta_h_m,
            m_d,
            a_d0,
            d_sml_m: d_sml,
            f_mhz: p.f_mhz,
        };
        let a_sml = d_sml * m_d + a_d0;
        // [ERL 79-ITS 67, Eqns 3.16a, 3.16d]
        let mut d_0 = 0.04 * p.f_mhz * p.h_e_m[0] * p.h_e_m[1];
        let d_1 = if a_d0 >= 0.0 {
            d_0 = c_min(d_0, 0.5 * d_ml);
            d_0 + 0.25 * (d_ml - d_0)
        } else {
            c_max(-a_d0 / m_d, 0.25 * d_ml)
        };
        let a_1 = los.loss(d_1);
        let mut fitted = false;
        let mut k_1 = 0.0;
        let mut k_2 = 0.0;
        if d_0 < d_1 {
            let a_0 = los.loss(d_0);
            let q = (d_sml / d_0).ln();
            // [ERL 79-ITS 67, Eqn 3.20]
            k_2 = c_max(
                0.0,
                ((d_sml - d_0) * (a_1 - a_0) - (d_1 - d_0) * (a_sml - a_0))
                    / ((d_sml - d_0) * (d_1 / d_0).ln() - (d_1 - d_0) * q),
            );
            fitted = a_d0 > 0.0 || k_2 > 0.0;
            if fitted {
                // [ERL 79-ITS 67, Eqn 3.21]
                k_1 = (a_sml - a_0 - k_2 * q) / (d_sml - d_0);
                if k_1 < 0.0 {
                    k_1 = 0.0;
                    k_2 = dim(a_sml, a_0) / q;
                    if k_2 == 0.0 {
                        k_1 = m_d;
                    }
                }
            }
        }
        if !fitted {
            k_1 = dim(a_sml, a_1) / (d_sml - d_1);
            k_2 = 0.0;
            if k_1 == 0.0 {
                k_1 = m_d;
            }
        }
        let a_o = a_sml - k_1 * d_sml - k_2 * d_sml.ln();
        (a_o + k_1 * d + k_2 * d.ln(), PropMode::LineOfSight)
    } else {
        // Two distances far into the troposcatter region give the troposcatter line.
        let d_5 = d_ml + 200e3;
        let d_6 = d_ml + 400e3;
        let tropo = troposcatter::Troposcatter::new(p, a_e, theta_los);
        let mut h0 = -1.0;
        let a_6 = tropo.loss(d_6, &mut h0);
        let a_5 = tropo.loss(d_5, &mut h0);
        let (m_s, a_s0, d_x) = if a_5 < 1000.0 {
            let m_s = (a_6 - a_5) / 200e3;
            let d_x = c_max(
                c_max(d_sml, d_ml + 1.088 * scale * p.f_mhz.ln()),
                (a_5 - a_d0 - m_s * d_5) / (m_d - m_s),
            );
            (m_s, (m_d - m_s) * d_x + a_d0, d_x)
        } else {
            // No usable troposcatter: the diffraction line continues.
            (m_d, a_d0, 10e6)
        };
        if d > d_x {
            (m_s * d + a_s0, PropMode::Troposcatter)
        } else {
            (m_d * d + a_d0, PropMode::Diffraction)
        }
    };
    Ok((c_max(a_ref, 0.0), mode))
}
