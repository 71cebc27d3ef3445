//! The last-mile model from TOML (`data/last_mile.toml`): every figure required, unknown
//! keys rejected, and each figure checked against its range:
//! - every number finite, not negative and at most 10^9 (`MAX_FIGURE_KZT`);
//! - `take_up_pct` in (0, 100]; `drop_limit_m`, `drum_length_m`, `flat_area_m2`,
//!   `street_m_per_premise`, `side_street_spacing_m` above 0; `min_mapped_share_pct` at
//!   most 100; `apartment_default_levels` at least 1;
//! - each class `[min, max]` with min < max, and `margin_db` below max - min (room for a
//!   line between the minimum and the maximum less the margin);
//! - a missing figure names itself and says that every figure is required;
//! - splitter ratios powers of two from 2 to 128, the same ratios priced and given a loss;
//! - `cable_sizes` not empty, ascending, above 0.

use crate::text::{parse_toml_as, read_text_bounded, LIMIT_TOML};
use crate::{InputError, Where};
use fiberplan_model::{CostModel, Kzt};

const MAX_FIGURE_KZT: Kzt = CostModel::MAX_FIGURE_KZT;
use fiberplan_model::last_mile::LastMileModel;
use std::path::Path;

pub fn read_last_mile(path: &Path) -> Result<LastMileModel, InputError> {
    let text = read_text_bounded(path, LIMIT_TOML)?;
    parse_last_mile(&text).map_err(|(place, m)| InputError::new(path, place, m))
}

/// Parse and check a last-mile model; the error carries its place.
pub fn parse_last_mile(text: &str) -> Result<LastMileModel, (Where, String)> {
    let m: LastMileModel = parse_toml_as(text, "last-mile model").map_err(|(w, m)| {
        if m.contains("missing field") {
            (
                w,
                format!("{m} (every figure is required: data/last_mile.toml lists each with its source)"),
            )
        } else {
            (w, m)
        }
    })?;
    let bad = |k: &str, m: String| Err((Where::Key(k.to_string()), m));
    for (k, v) in m.figures() {
        if !v.is_finite() {
            return bad(&k, format!("{v} is not a finite number"));
        }
        if v < 0.0 {
            return bad(&k, format!("negative figure {v}"));
        }
        // Tenge, metres, dB or m²: nothing real comes near 10^9, and products of capped
        // figures stay far from overflow.
        if v > MAX_FIGURE_KZT as f64 {
            return bad(&k, format!("{v} is above the limit of {MAX_FIGURE_KZT}"));
        }
    }
    if !(m.take_up_pct > 0.0 && m.take_up_pct <= 100.0) {
        return bad(
            "take_up_pct",
            format!("{} is outside (0, 100]", m.take_up_pct),
        );
    }
    let positive = [
        ("drop_limit_m", m.drop_limit_m),
        ("optics.drum_length_m", m.optics.drum_length_m),
        ("premises.flat_area_m2", m.premises.flat_area_m2),
        ("layout.street_m_per_premise", m.layout.street_m_per_premise),
        (
            "layout.side_street_spacing_m",
            m.layout.side_street_spacing_m,
        ),
    ];
    for (k, v) in positive {
        if v <= 0.0 {
            return bad(k, format!("{v} must be above 0"));
        }
    }
    if m.layout.min_mapped_share_pct > 100.0 {
        return bad("layout.min_mapped_share_pct", "must be at most 100".into());
    }
    if m.premises.apartment_default_levels == 0 {
        return bad(
            "premises.apartment_default_levels",
            "must be at least 1".into(),
        );
    }
    for (k, [lo, hi]) in [
        ("optics.class_b_plus_db", m.optics.class_b_plus_db),
        ("optics.class_c_plus_db", m.optics.class_c_plus_db),
    ] {
        if lo >= hi {
            return bad(k, format!("minimum {lo} dB is not below maximum {hi} dB"));
        }
        // A line must lose at least the minimum and at most the maximum less the margin.
        let margin = m.optics.margin_db;
        if hi - margin <= lo {
            return bad(
                "optics.margin_db",
                format!(
                    "a margin of {margin} dB leaves no room in {k} ({lo}-{hi} dB): no line could lose at least {lo} dB and at most {} dB",
                    hi - margin
                ),
            );
        }
    }
    for (k, keys) in [
        (
            "optics.splitter_loss_db",
            m.optics.splitter_loss_db.keys().collect::<Vec<_>>(),
        ),
        ("costs.splitter_kzt", m.costs.splitter_kzt.keys().collect()),
    ] {
        for r in keys {
            let ok = r
                .parse::<u32>()
                .is_ok_and(|r| (2..=128).contains(&r) && r.is_power_of_two());
            if !ok {
                return bad(
                    &format!("{k}.{r}"),
                    "a splitter ratio is a power of two from 2 to 128".into(),
                );
            }
        }
    }
    for r in m.optics.splitter_loss_db.keys() {
        if !m.costs.splitter_kzt.contains_key(r) {
            return bad(
                &format!("costs.splitter_kzt.{r}"),
                "missing: every ratio with a loss needs a price".into(),
            );
        }
    }
    for r in m.costs.splitter_kzt.keys() {
        if !m.optics.splitter_loss_db.contains_key(r) {
            return bad(
                &format!("optics.splitter_loss_db.{r}"),
                "missing: every priced ratio needs a loss".into(),
            );
        }
    }
    let s = &m.costs.cable_sizes;
    if s.is_empty() || s[0] == 0 || s.windows(2).any(|w| w[0] >= w[1]) {
        return bad(
            "costs.cable_sizes",
            "must be a non-empty ascending list of fibre counts above 0".into(),
        );
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/last_mile.toml"
        ))
        .unwrap()
    }

    #[test]
    fn the_bundled_model_reads() {
        let m = parse_last_mile(&bundled()).unwrap();
        assert_eq!(m.take_up_pct, 70.0);
        assert_eq!(m.splitter_loss(64), Some(20.5));
        assert_eq!(m.splitter_price(64), Some(45_000));
    }

    #[test]
    fn bad_figures_are_rejected_with_their_place() {
        let t = bundled();
        let cases = [
            (
                "take_up_pct = 70.0",
                "take_up_pct = 170.0",
                Where::Key("take_up_pct".into()),
            ),
            (
                "connector_db = 0.5",
                "connector_db = -0.5",
                Where::Key("optics.connector_db".into()),
            ),
            (
                "splice_db = 0.1",
                "splice_db = nan",
                Where::Key("optics.splice_db".into()),
            ),
            (
                "ont_kzt = 22_500",
                "ont_kzt = -1",
                Where::Key("costs.ont_kzt".into()),
            ),
            (
                "class_c_plus_db = [17.0, 32.0]",
                "class_c_plus_db = [33.0, 32.0]",
                Where::Key("optics.class_c_plus_db".into()),
            ),
        ];
        for (from, to, place) in cases {
            assert!(t.contains(from), "{from}");
            let (w, msg) = parse_last_mile(&t.replace(from, to)).unwrap_err();
            assert_eq!(w, place, "{msg}");
        }
        let (w, msg) =
            parse_last_mile(&t.replace("margin_db = 3.0", "margin_db = 3.0\nmargin_dbb = 1.0"))
                .unwrap_err();
        assert!(matches!(w, Where::Line(_)), "{w:?}");
        assert!(msg.contains("unknown field"), "{msg}");
        let (w, msg) = parse_last_mile(&t.replace("drop_limit_m = 250.0", "")).unwrap_err();
        assert_eq!(w, Where::File);
        assert!(msg.contains("every figure is required"), "{msg}");
        // B+ is 13-28 dB: a 15 dB margin leaves 13-13, no room; 14.9 dB leaves 0.1 dB.
        let (w, msg) =
            parse_last_mile(&t.replace("margin_db = 3.0", "margin_db = 15.0")).unwrap_err();
        assert_eq!(w, Where::Key("optics.margin_db".into()), "{msg}");
        assert!(msg.contains("optics.class_b_plus_db (13-28 dB)"), "{msg}");
        parse_last_mile(&t.replace("margin_db = 3.0", "margin_db = 14.9")).unwrap();
    }
}
