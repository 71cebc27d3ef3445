//! The mobile-coverage model from TOML (`data/mobile.toml`): every figure required,
//! unknown keys rejected, every number finite and not negative, prices at most 10^9 tenge,
//! distances and heights above 0 and at most 10,000 (candidate spacings at least 10 m on
//! roads and 1 m in cities), `fresnel_clearance` in (0, 1], `k_factor` at least 0.5.

use crate::text::{parse_toml_as, read_text_bounded, LIMIT_TOML};
use crate::{InputError, Where};
use fiberplan_model::{CostModel, Kzt};

const MAX_FIGURE_KZT: Kzt = CostModel::MAX_FIGURE_KZT;
use fiberplan_model::mobile::{MobileModel, RadioBudget};

/// The largest accepted distance or height of the model (km or m as the key says).
pub const MAX_MODEL_FIGURE: f64 = 10_000.0;
use std::path::Path;

pub fn read_mobile(path: &Path) -> Result<MobileModel, InputError> {
    let text = read_text_bounded(path, LIMIT_TOML)?;
    parse_mobile(&text).map_err(|(place, m)| InputError::new(path, place, m))
}

/// Parse and check a mobile model; the error carries its place.
pub fn parse_mobile(text: &str) -> Result<MobileModel, (Where, String)> {
    let m: MobileModel = parse_toml_as(text, "mobile model")?;
    let bad = |k: &str, m: String| Err((Where::Key(k.to_string()), m));
    let s = &m.site;
    for (k, v) in [
        ("site.mast_base_kzt", s.mast_base_kzt),
        ("site.mast_per_m_kzt", s.mast_per_m_kzt),
        ("site.equipment_kzt", s.equipment_kzt),
        ("site.power_line_per_km_kzt", s.power_line_per_km_kzt),
        ("site.off_grid_power_kzt", s.off_grid_power_kzt),
        ("backhaul.microwave_link_kzt", m.backhaul.microwave_link_kzt),
    ] {
        if v < 0 {
            return bad(k, format!("negative price {v}"));
        }
        if v > MAX_FIGURE_KZT {
            return bad(
                k,
                format!("{v} tenge is above the limit of {MAX_FIGURE_KZT} for any one figure"),
            );
        }
    }
    let c = &m.candidates;
    let b = &m.backhaul;
    for (k, v) in [
        ("site.power_line_max_km", s.power_line_max_km),
        ("candidates.road_spacing_km", c.road_spacing_km),
        ("candidates.village_max_km", c.village_max_km),
        ("candidates.high_ground_radius_km", c.high_ground_radius_km),
        ("candidates.mast_height_m", c.mast_height_m),
        ("candidates.city_spacing_m", c.city_spacing_m),
        ("candidates.city_height_m", c.city_height_m),
        ("backhaul.microwave_max_km", b.microwave_max_km),
        ("backhaul.microwave_f_ghz", b.microwave_f_ghz),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return bad(k, format!("{v} must be a finite number above 0"));
        }
        if v > MAX_MODEL_FIGURE {
            return bad(k, format!("{v} is above the limit of {MAX_MODEL_FIGURE}"));
        }
    }
    // Candidate spacings divide lengths into sites: a vanishing spacing would ask for
    // endless candidates.
    for (k, v, min) in [
        ("candidates.road_spacing_km", c.road_spacing_km, 0.01),
        ("candidates.city_spacing_m", c.city_spacing_m, 1.0),
    ] {
        if v < min {
            return bad(k, format!("{v} is below the minimum of {min}"));
        }
    }
    if !(c.high_ground_min_gain_m.is_finite()
        && c.high_ground_min_gain_m >= 0.0
        && c.high_ground_min_gain_m <= MAX_MODEL_FIGURE)
    {
        return bad(
            "candidates.high_ground_min_gain_m",
            format!(
                "{} must be a finite number, 0 or more",
                c.high_ground_min_gain_m
            ),
        );
    }
    if !(b.fresnel_clearance > 0.0 && b.fresnel_clearance <= 1.0) {
        return bad(
            "backhaul.fresnel_clearance",
            format!("{} is outside (0, 1]", b.fresnel_clearance),
        );
    }
    if !(b.k_factor.is_finite() && b.k_factor >= 0.5) {
        return bad(
            "backhaul.k_factor",
            format!("{} must be at least 0.5", b.k_factor),
        );
    }
    check_budget("roads", &m.roads)?;
    check_budget("city", &m.city)?;
    Ok(m)
}

fn check_budget(name: &str, r: &RadioBudget) -> Result<(), (Where, String)> {
    let bad = |k: &str, m: String| Err((Where::Key(format!("{name}.{k}")), m));
    if !(r.f_mhz.is_finite() && (20.0..=100_000.0).contains(&r.f_mhz)) {
        return bad("f_mhz", format!("{} is outside 20..=100000 MHz", r.f_mhz));
    }
    if !(r.h_ut_m.is_finite() && r.h_ut_m > 0.0 && r.h_ut_m <= 100.0) {
        return bad("h_ut_m", format!("{} is outside (0, 100] m", r.h_ut_m));
    }
    for (k, v) in [
        ("rs_eirp_dbm", r.rs_eirp_dbm),
        ("threshold_dbm", r.threshold_dbm),
        ("rx_gain_dbi", r.rx_gain_dbi),
        ("margin_db", r.margin_db),
    ] {
        if !v.is_finite() || v.abs() > 300.0 {
            return bad(k, format!("{v} is not a plausible dB figure"));
        }
    }
    if r.margin_db < 0.0 {
        return bad("margin_db", format!("negative margin {}", r.margin_db));
    }
    if r.technology.trim().is_empty() {
        return bad("technology", "empty name".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: &str = include_str!("../../../data/mobile.toml");

    #[test]
    fn bundled_model_reads() {
        let m = parse_mobile(BUNDLED).unwrap();
        assert_eq!(m.site.mast_base_kzt, 30_000_000);
        assert_eq!(m.roads.technology, "lte_800");
        assert_eq!(m.city.f_mhz, 3500.0);
    }

    #[test]
    fn errors_name_their_key() {
        let t = BUNDLED.replace("mast_base_kzt = 30_000_000", "mast_base_kzt = -1");
        assert_eq!(
            parse_mobile(&t).unwrap_err().0,
            Where::Key("site.mast_base_kzt".into())
        );
        let t = BUNDLED.replace("fresnel_clearance = 0.6", "fresnel_clearance = 1.5");
        assert_eq!(
            parse_mobile(&t).unwrap_err().0,
            Where::Key("backhaul.fresnel_clearance".into())
        );
        let t = BUNDLED.replace("[roads]", "[roads]\nbogus = 1");
        assert!(matches!(parse_mobile(&t).unwrap_err().0, Where::Line(_)));
        let t = BUNDLED.replace("f_mhz = 806.0", "f_mhz = 5.0");
        assert_eq!(
            parse_mobile(&t).unwrap_err().0,
            Where::Key("roads.f_mhz".into())
        );
    }
}
