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
    f.scenario
        .check()
        .map_err(|m| (Where::Key("scenario".into()), m))?;
    if let Some(mc) = &f.monte_carlo {
        let v = &mc.vary;
        for (k, d) in [
            ("corridor_cost_scale", &v.corridor_cost_scale),
            ("fwa_cost_scale", &v.fwa_cost_scale),
            ("satellite_cost_scale", &v.satellite_cost_scale),
        ] {
            if let Some(d) = d {
                d.check()
                    .map_err(|m| (Where::Key(format!("monte_carlo.vary.{k}")), m))?;
            }
        }
        if mc.samples == 0 {
            return Err((
                Where::Key("monte_carlo.samples".into()),
                "must be at least 1".into(),
            ));
        }
    }
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
}
