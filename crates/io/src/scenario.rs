//! Scenario files (TOML): inputs, a base scenario, a grid and Monte Carlo draws. Unknown
//! parameters are errors, with the line they are on.

use crate::text::{line_of, read_text_bounded, LIMIT_TOML};
use crate::{InputError, Where};
use fiberplan_model::ScenarioFile;
use std::path::Path;

pub fn read_scenario_file(path: &Path) -> Result<ScenarioFile, InputError> {
    let text = read_text_bounded(path, LIMIT_TOML)?;
    parse_scenario_file(&text).map_err(|(place, m)| InputError::new(path, place, m))
}

pub fn parse_scenario_file(text: &str) -> Result<ScenarioFile, (Where, String)> {
    let f: ScenarioFile = toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| Where::Line(line_of(text, s.start)))
            .unwrap_or(Where::File);
        (place, format!("scenario file: {}", e.message()))
    })?;
    // One checker for `validate --scenarios` and `sweep`: ranges, empty grids and the
    // scenario count (capped) before anything is expanded.
    f.check().map_err(|(k, m)| (Where::Key(k), m))?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_parameter_names_its_line() {
        let e = parse_scenario_file(
            "[scenario]\nmode = \"quota\"\ntarget_households = 5\ntarget_hoseholds = 6\n",
        )
        .unwrap_err();
        assert_eq!(e.0, Where::Line(4));
        assert!(e.1.contains("unknown field `target_hoseholds`"), "{}", e.1);
    }

    #[test]
    fn grid_and_monte_carlo() {
        let f = parse_scenario_file(
            "[scenario]\nmode = \"quota\"\ntarget_households = 5\n[grid]\ntarget_households = [1, 2]\n\
             [monte_carlo]\nsamples = 3\nseed = 9\n[monte_carlo.vary.corridor_cost_scale]\n\
             distribution = \"triangular\"\nmin = 0.8\nmode = 1.0\nmax = 1.5\n",
        )
        .unwrap();
        assert_eq!(f.grid.unwrap().target_households, Some(vec![1, 2]));
        assert_eq!(f.monte_carlo.unwrap().samples, 3);
    }

    #[test]
    fn quota_without_target_is_an_error() {
        let e = parse_scenario_file("[scenario]\nmode = \"quota\"\n").unwrap_err();
        assert!(e.1.contains("needs target_households"), "{}", e.1);
    }

    #[test]
    fn empty_grids_are_refused() {
        let base = "[scenario]\nmode = \"quota\"\ntarget_households = 5\n";
        let e =
            parse_scenario_file(&format!("{base}[grid]\ntarget_households = []\n")).unwrap_err();
        assert_eq!(e.0, Where::Key("grid.target_households".into()));
        let e = parse_scenario_file(&format!("{base}[grid]\n")).unwrap_err();
        assert_eq!(e.0, Where::Key("grid".into()));
    }

    #[test]
    fn the_scenario_count_is_capped_before_expansion() {
        let base = "[scenario]\nmode = \"quota\"\ntarget_households = 5\n";
        let list = |n: usize| format!("[{}]", vec!["1"; n].join(","));
        // 1000^3 = 10^9 grid points: refused from the list lengths alone.
        let big = format!(
            "{base}[grid]\ntarget_households = {l}\nbudget_kzt = {l}\nseed = {l}\n",
            l = list(1000)
        );
        let e = parse_scenario_file(&big).unwrap_err();
        assert_eq!(e.0, Where::Key("grid".into()));
        assert!(e.1.starts_with("more than 100000 scenarios"), "{}", e.1);
        // 4e9 Monte Carlo draws.
        let mc =
            format!("{base}[monte_carlo]\nsamples = 4000000000\nseed = 1\n[monte_carlo.vary]\n");
        let e = parse_scenario_file(&mc).unwrap_err();
        assert_eq!(e.0, Where::Key("monte_carlo.samples".into()));
        // Exactly at the cap is fine: 100 x 1000.
        let ok = format!(
            "{base}[grid]\nseed = {}\n[monte_carlo]\nsamples = 1000\nseed = 1\n[monte_carlo.vary]\n",
            list(100)
        );
        assert_eq!(parse_scenario_file(&ok).unwrap().check().unwrap(), 100_000);
    }

    #[test]
    fn parameters_a_mode_ignores_are_named() {
        let quota = "[scenario]\nmode = \"quota\"\ntarget_households = 5\n";
        let f = parse_scenario_file(&format!(
            "{quota}[grid]\nfwa_cost_scale = [1.0, 2.0]\ncorridor_cost_scale = [1.0, 2.0]\n"
        ))
        .unwrap();
        assert_eq!(
            f.parameters_without_effect(true),
            ["fwa_cost_scale varies but has no effect in mode quota: its values give the same plans"]
        );
        // A Monte Carlo draw of the satellite price, and a budget list, in quota mode.
        let f = parse_scenario_file(&format!(
            "{quota}[grid]\nbudget_kzt = [1, 2]\n[monte_carlo]\nsamples = 2\nseed = 1\n\
             [monte_carlo.vary.satellite_cost_scale]\ndistribution = \"uniform\"\nmin = 0.5\nmax = 2.0\n"
        ))
        .unwrap();
        let w = f.parameters_without_effect(true);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].starts_with("budget_kzt") && w[1].starts_with("satellite_cost_scale"));
        // One value is no variation; a mode list with least_cost uses the FWA price.
        let f = parse_scenario_file(&format!(
            "{quota}[grid]\nfwa_cost_scale = [2.0]\nsatellite_cost_scale = [1.0, 2.0]\n\
             mode = [\"quota\", \"least_cost\"]\n"
        ))
        .unwrap();
        assert!(f.parameters_without_effect(true).is_empty());
    }

    #[test]
    fn take_up_is_a_parameter_checked_by_key() {
        let quota = "[scenario]\nmode = \"quota\"\ntarget_households = 5\n";
        let f = parse_scenario_file(&format!(
            "{quota}take_up_pct = 35.0\n[grid]\ntake_up_pct = [35.0, 70.0]\n"
        ))
        .unwrap();
        assert_eq!(f.scenario.take_up_pct, Some(35.0));
        assert_eq!(f.check().unwrap(), 2);
        // Take-up changes every mode's cost with the last mile, none at the flat price.
        assert!(f.parameters_without_effect(true).is_empty());
        let w = f.parameters_without_effect(false);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("take_up_pct is set but has no effect"),
            "{w:?}"
        );
        for (text, key) in [
            ("take_up_pct = 0.0\n", "scenario.take_up_pct"),
            ("take_up_pct = 100.5\n", "scenario.take_up_pct"),
            ("take_up_pct = nan\n", "scenario.take_up_pct"),
            ("take_up_pct = -inf\n", "scenario.take_up_pct"),
            ("[grid]\ntake_up_pct = [50.0, 120.0]\n", "grid.take_up_pct"),
            (
                "[monte_carlo]\nsamples = 2\nseed = 1\n[monte_carlo.vary.take_up_pct]\n\
                 distribution = \"uniform\"\nmin = 50.0\nmax = 110.0\n",
                "monte_carlo.vary.take_up_pct",
            ),
        ] {
            let e = parse_scenario_file(&format!("{quota}{text}")).unwrap_err();
            assert_eq!(e.0, Where::Key(key.into()), "{text}: {}", e.1);
        }
        let e = parse_scenario_file(&format!("{quota}take_up_pct = 0.0\n")).unwrap_err();
        assert_eq!(
            e.1,
            "take_up_pct 0 must be a percentage of households passed above 0 and at most 100"
        );
    }
}
