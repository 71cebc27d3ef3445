//! Link budget: EIRP, antenna gain (omni and a 3-sector pattern), received power, and
//! the technology thresholds (figures and their sources live in
//! `data/radio/link_budget.toml`; this module only does the arithmetic).

/// EIRP (dBm) of a transmitter: power + antenna gain - feeder losses.
pub fn eirp_dbm(tx_power_dbm: f64, antenna_gain_dbi: f64, feeder_loss_db: f64) -> f64 {
    tx_power_dbm + antenna_gain_dbi - feeder_loss_db
}

/// A base-station antenna.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Antenna {
    /// Same gain in every direction.
    Omni { gain_dbi: f64 },
    /// One sector of a 3-sector site: the 3GPP horizontal pattern
    /// A(phi) = -min(12 (phi / phi_3dB)^2, A_m) with phi_3dB = 65 deg and A_m = 30 dB
    /// (TR 36.814 Table A.2.1.1-2, TR 38.901 Table 7.3-1), around `azimuth_deg`.
    Sector { gain_dbi: f64, azimuth_deg: f64 },
}

impl Antenna {
    /// Gain (dBi) towards a bearing (degrees clockwise from north).
    pub fn gain_dbi(&self, bearing_deg: f64) -> f64 {
        match *self {
            Antenna::Omni { gain_dbi } => gain_dbi,
            Antenna::Sector {
                gain_dbi,
                azimuth_deg,
            } => {
                let mut phi = (bearing_deg - azimuth_deg) % 360.0;
                if phi > 180.0 {
                    phi -= 360.0;
                } else if phi < -180.0 {
                    phi += 360.0;
                }
                gain_dbi - (12.0 * (phi / 65.0).powi(2)).min(30.0)
            }
        }
    }

    /// Best gain over the three sectors of a site whose first sector points at `azimuth_deg`.
    pub fn three_sector_gain_dbi(gain_dbi: f64, azimuth_deg: f64, bearing_deg: f64) -> f64 {
        (0..3)
            .map(|k| {
                Antenna::Sector {
                    gain_dbi,
                    azimuth_deg: azimuth_deg + 120.0 * k as f64,
                }
                .gain_dbi(bearing_deg)
            })
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Received power (dBm): EIRP - path loss + receive gain - clutter / body / building margins.
pub fn received_power_dbm(
    eirp_dbm: f64,
    path_loss_db: f64,
    rx_gain_dbi: f64,
    margins_db: f64,
) -> f64 {
    eirp_dbm - path_loss_db + rx_gain_dbi - margins_db
}

/// Thermal noise floor (dBm) over a bandwidth at 290 K plus a noise figure.
pub fn noise_floor_dbm(bandwidth_hz: f64, noise_figure_db: f64) -> f64 {
    -174.0 + 10.0 * bandwidth_hz.log10() + noise_figure_db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_by_hand() {
        assert_eq!(eirp_dbm(43.0, 17.0, 2.0), 58.0);
        assert_eq!(received_power_dbm(58.0, 130.0, 0.0, 8.0), -80.0);
        // 10 MHz, NF 7 dB: -174 + 70 + 7 = -97 dBm.
        assert!((noise_floor_dbm(10e6, 7.0) + 97.0).abs() < 1e-9);
        let s = Antenna::Sector {
            gain_dbi: 18.0,
            azimuth_deg: 0.0,
        };
        assert_eq!(s.gain_dbi(0.0), 18.0);
        assert!((s.gain_dbi(65.0) - 6.0).abs() < 1e-12); // 3 dB down at half the beamwidth, 12 dB at the full 65 deg
        assert_eq!(s.gain_dbi(180.0), -12.0); // floor A_m = 30 dB
        assert!(
            (Antenna::three_sector_gain_dbi(18.0, 0.0, 60.0)
                - (18.0 - 12.0 * (60.0f64 / 65.0).powi(2)))
            .abs()
                < 1e-12
        );
    }
}
