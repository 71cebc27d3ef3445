//! The cost model from TOML: every field required, unknown fields rejected, no negative figure.

use crate::text::{line_of, read_text};
use crate::{InputError, Where};
use fiberplan_model::CostModel;
use std::path::Path;

pub fn read_costs(path: &Path) -> Result<CostModel, InputError> {
    let text = read_text(path)?;
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
    for (key, v) in model.figures() {
        if v < 0 {
            return Err((Where::Key(key), format!("negative cost {v}")));
        }
    }
    Ok(model)
}
