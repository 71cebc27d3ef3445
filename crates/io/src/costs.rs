//! The cost model from TOML: every field required, unknown fields rejected, every figure in
//! its documented range (`CostModel::check`; README, "Input limits").

use crate::text::{line_of, read_text_bounded, LIMIT_TOML};
use crate::{InputError, Where};
use fiberplan_model::CostModel;
use std::path::Path;

pub fn read_costs(path: &Path) -> Result<CostModel, InputError> {
    let text = read_text_bounded(path, LIMIT_TOML)?;
    parse_costs(&text).map_err(|(place, m)| InputError::new(path, place, m))
}

/// Parse and check a cost model; the error carries its place.
pub fn parse_costs(text: &str) -> Result<CostModel, (Where, String)> {
    let model: CostModel = toml::from_str(text).map_err(|e| {
        let missing = e.message().starts_with("missing field");
        let place = match e.span() {
            // A missing top-level field spans the whole document: no line to point at.
            Some(s) if missing && s.start == 0 => Where::File,
            Some(s) => Where::Line(line_of(text, s.start)),
            None => Where::File,
        };
        let fix = if missing {
            " (every figure is required: data/costs.toml lists them all with their sources)"
        } else {
            ""
        };
        (place, format!("cost model: {}{fix}", e.message()))
    })?;
    if model.currency != "KZT" {
        return Err((
            Where::Key("currency".into()),
            format!(
                "{:?}: only \"KZT\" (whole tenge) is supported",
                model.currency
            ),
        ));
    }
    model.check().map_err(|(key, m)| (Where::Key(key), m))?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../../../tests/bad_inputs/_common/costs.toml");

    fn with(extra: &str) -> Result<CostModel, (Where, String)> {
        parse_costs(&format!("{BASE}\n{extra}\n"))
    }

    const LIFECYCLE: &str = "fibre_opex_per_km_year_kzt = 1\nfibre_opex_per_household_year_kzt = 1";
    const FWA: &str =
        "site_kzt = 1\nper_household_kzt = 1\nsite_opex_year_kzt = 1\nhousehold_opex_year_kzt = 1";

    fn key_of(r: Result<CostModel, (Where, String)>) -> String {
        match r.unwrap_err().0 {
            Where::Key(k) => k,
            other => panic!("not a key: {other:?}"),
        }
    }

    #[test]
    fn the_bundled_cost_model_is_in_range() {
        let text = include_str!("../../../data/costs.toml");
        parse_costs(text).unwrap();
    }

    #[test]
    fn fwa_radius_must_be_a_finite_positive_distance() {
        for r in ["nan", "-1.0", "0.0", "inf", "100.5"] {
            let e = with(&format!("[fwa]\nradius_km = {r}\n{FWA}"));
            assert_eq!(key_of(e), "fwa.radius_km", "radius {r}");
        }
        with(&format!("[fwa]\nradius_km = 100.0\n{FWA}")).unwrap();
    }

    #[test]
    fn discount_rate_and_horizon_in_range() {
        for (h, r, key) in [
            ("10", "inf", "lifecycle.discount_rate_pct"),
            ("10", "nan", "lifecycle.discount_rate_pct"),
            ("10", "-100.0", "lifecycle.discount_rate_pct"),
            ("10", "100.5", "lifecycle.discount_rate_pct"),
            ("4000000000", "10.0", "lifecycle.horizon_years"),
            ("0", "10.0", "lifecycle.horizon_years"),
            ("101", "10.0", "lifecycle.horizon_years"),
        ] {
            let e = with(&format!(
                "[lifecycle]\nhorizon_years = {h}\ndiscount_rate_pct = {r}\n{LIFECYCLE}"
            ));
            assert_eq!(key_of(e), key, "horizon {h}, rate {r}");
        }
        let ok = with(&format!(
            "[lifecycle]\nhorizon_years = 100\ndiscount_rate_pct = 0.0\n{LIFECYCLE}"
        ))
        .unwrap();
        assert_eq!(ok.lifecycle.unwrap().annuity_factor(), 100.0);
    }

    #[test]
    fn a_huge_figure_is_refused_with_its_key() {
        let text = BASE.replace(
            "proxy_per_km = 1_000_000",
            "proxy_per_km = 9_000_000_000_000_000_000",
        );
        let e = parse_costs(&text).unwrap_err();
        assert_eq!(e.0, Where::Key("corridor.proxy_per_km".into()));
        assert!(e.1.contains("above the limit of 1000000000"), "{}", e.1);
        let text = BASE.replace("proxy_per_km = 1_000_000", "proxy_per_km = 1_000_000_000");
        parse_costs(&text).unwrap();
    }
}
