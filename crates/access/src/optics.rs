//! The optical budget of a GPON line, at the worse of 1310 nm (upstream) and 1490 nm
//! (downstream).
//!
//! `line_loss_db = max over the two wavelengths of [attenuation x fibre km] + the splitter
//! losses of the chain + connectors x connector loss + (splices per line + one per drum of
//! fibre path) x splice loss`. No safety margin is in it: `margin_db` is the class maximum
//! minus the loss, and a line fits when `margin_db >= optics.margin_db` and the loss is at
//! least the class minimum (a short line on strong optics overloads the receiver).
//! Classes after ITU-T G.984.2 Amendment 1: B+ 13-28 dB, C+ 17-32 dB.

use fiberplan_model::last_mile::Optics;

/// The OLT/ONT optics class of a PON port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpticsClass {
    BPlus,
    CPlus,
}

impl OpticsClass {
    pub fn as_str(self) -> &'static str {
        match self {
            OpticsClass::BPlus => "B+",
            OpticsClass::CPlus => "C+",
        }
    }

    /// `[minimum, maximum]` ODN loss of the class, dB.
    pub fn range_db(self, o: &Optics) -> [f64; 2] {
        match self {
            OpticsClass::BPlus => o.class_b_plus_db,
            OpticsClass::CPlus => o.class_c_plus_db,
        }
    }
}

/// Loss of one line, dB: `fibre_m` of fibre path from the OLT to the ONT, through
/// splitters whose losses sum to `splitter_db`.
pub fn line_loss_db(fibre_m: f64, splitter_db: f64, o: &Optics) -> f64 {
    let km = fibre_m / 1000.0;
    let fibre = km * o.fibre_db_per_km_1310.max(o.fibre_db_per_km_1490);
    let drums = if o.drum_length_m > 0.0 {
        (fibre_m / o.drum_length_m).floor()
    } else {
        0.0
    };
    let splices = o.splices_per_line as f64 + drums;
    fibre + splitter_db + o.connectors_per_line as f64 * o.connector_db + splices * o.splice_db
}

/// Whether a line with this loss fits `class` with the margin and above the minimum, as
/// [`misfit`] decides it, without the words (the design counts misfits of every option).
pub fn fits(loss_db: f64, class: OpticsClass, o: &Optics) -> bool {
    let [lo, hi] = class.range_db(o);
    let milli = |x: f64| (x * 1000.0).round() as i64;
    milli(loss_db) + milli(o.margin_db) <= milli(hi) && milli(loss_db) >= milli(lo)
}

/// Why a line with this loss does not fit `class`, or `None` when it fits with the margin.
pub fn misfit(loss_db: f64, class: OpticsClass, o: &Optics) -> Option<String> {
    let [lo, hi] = class.range_db(o);
    // Compare at 1/1000 dB so that a line exactly at the limit fits whatever the rounding.
    let milli = |x: f64| (x * 1000.0).round() as i64;
    if milli(loss_db) + milli(o.margin_db) > milli(hi) {
        Some(format!(
            "line loss {loss_db:.2} dB leaves less than {:.1} dB below the {} maximum of {hi} dB",
            o.margin_db,
            class.as_str()
        ))
    } else if milli(loss_db) < milli(lo) {
        Some(format!(
            "line loss {loss_db:.2} dB is under the {} minimum of {lo} dB (receiver overload)",
            class.as_str()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    pub(crate) fn optics() -> Optics {
        Optics {
            fibre_db_per_km_1310: 0.35,
            fibre_db_per_km_1490: 0.25,
            splitter_loss_db: BTreeMap::from([
                ("4".to_string(), 7.3),
                ("16".to_string(), 13.8),
                ("32".to_string(), 17.2),
                ("64".to_string(), 20.5),
            ]),
            connector_db: 0.5,
            connectors_per_line: 4,
            splice_db: 0.1,
            splices_per_line: 4,
            drum_length_m: 4000.0,
            margin_db: 3.0,
            class_b_plus_db: [13.0, 28.0],
            class_c_plus_db: [17.0, 32.0],
        }
    }

    #[test]
    fn hand_computed_lines() {
        let o = optics();
        // 10 km through 1:64: 3.5 (1310 nm) + 20.5 + 2.0 + (4 + 2 drums) x 0.1 = 26.6 dB.
        let l = line_loss_db(10_000.0, 20.5, &o);
        assert!((l - 26.6).abs() < 1e-9, "{l}");
        // B+ maximum 28: margin 1.4 < 3 -> misfit; C+ 32: margin 5.4 fits.
        assert!(misfit(l, OpticsClass::BPlus, &o).is_some());
        assert_eq!(misfit(l, OpticsClass::CPlus, &o), None);
        // 1.2 km through 1:4 + 1:16: 0.42 + 21.1 + 2.0 + 0.4 = 23.92 dB fits B+ with 4.08.
        let l = line_loss_db(1_200.0, 7.3 + 13.8, &o);
        assert!((l - 23.92).abs() < 1e-9, "{l}");
        assert_eq!(misfit(l, OpticsClass::BPlus, &o), None);
        // 300 m through 1:4 only: 0.105 + 7.3 + 2.0 + 0.4 = 9.805 dB: under the B+ minimum.
        let l = line_loss_db(300.0, 7.3, &o);
        assert!(misfit(l, OpticsClass::BPlus, &o)
            .unwrap()
            .contains("minimum"));
    }

    #[test]
    fn a_line_exactly_at_the_margin_fits() {
        let o = optics();
        // loss 25.0 on B+: margin exactly 3.0
        assert_eq!(misfit(25.0, OpticsClass::BPlus, &o), None);
        assert!(misfit(25.001, OpticsClass::BPlus, &o).is_some());
        assert!(fits(25.0, OpticsClass::BPlus, &o));
        assert!(!fits(25.001, OpticsClass::BPlus, &o));
        assert!(fits(13.0, OpticsClass::BPlus, &o));
        assert!(!fits(12.999, OpticsClass::BPlus, &o));
        for loss in [
            10.0, 12.9995, 13.0, 20.0, 25.0, 25.0004, 25.0006, 29.0, 31.0,
        ] {
            for class in [OpticsClass::BPlus, OpticsClass::CPlus] {
                assert_eq!(
                    fits(loss, class, &o),
                    misfit(loss, class, &o).is_none(),
                    "{loss}"
                );
            }
        }
    }
}
