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
}
