//! Existing masts of an extract: nodes and closed ways tagged `man_made=mast`, `tower` or
//! `communications_tower` that carry telecom equipment (`tower:type=communication`, or any
//! `communication:*=yes`), read in a [`super::feature_pass`] of their own.
//!
//! - Position: the node, or the mean of a way's distinct nodes (a tower drawn as its
//!   footprint). A way within [`SAME_MAST_M`] of a mast node is the same structure drawn
//!   twice and is skipped.
//! - Height: the `height` tag in metres (`371.5`, `371,5`, `30 m`) or feet (`98 ft`, `98'`);
//!   untagged or outside (0, 500] m, the caller's default, counted so it can be declared.
//!   The antenna is taken at no more than [`ANTENNA_MAX_M`]: the tag is the structure's
//!   height, and a television tower's mobile antennas hang far below its top.
//! - Technologies: unknown from OSM, so left empty (such a mast is an upgrade candidate).

use super::feature_pass::{read_features, FeatureTags};
use crate::InputError;
use fiberplan_model::mobile::ExistingSite;
use fiberplan_model::LonLat;
use geo::{Distance, Geodesic, Point};
use std::path::Path;

/// A way this close to a mast node is taken as the same mast, m.
pub const SAME_MAST_M: f64 = 100.0;

/// Highest antenna taken on a tagged structure, m.
pub const ANTENNA_MAX_M: f64 = 100.0;

/// Masts of an extract and what was estimated or skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MastsRead {
    /// Nodes first (file order), then ways (file order); ids `n<osm id>` / `w<osm id>`.
    pub sites: Vec<ExistingSite>,
    /// Masts whose height is the caller's default (no usable `height` tag).
    pub height_defaulted: u64,
    /// Masts taller than [`ANTENNA_MAX_M`], whose antenna is taken at that height.
    pub height_capped: u64,
    /// Mast ways that reference nodes missing from the extract.
    pub ways_incomplete: u64,
    /// Mast ways skipped as a second drawing of a mast node.
    pub ways_duplicate: u64,
}

#[derive(Default)]
struct MTags {
    structure: bool,
    telecom: bool,
    height: Option<String>,
}

impl FeatureTags for MTags {
    fn set(&mut self, k: &str, v: &str) {
        match k {
            "man_made" => {
                self.structure = matches!(v, "mast" | "tower" | "communications_tower");
                self.telecom |= v == "communications_tower";
            }
            "tower:type" => self.telecom |= v == "communication",
            "height" => self.height = Some(v.to_string()),
            _ if k.starts_with("communication:") => self.telecom |= v == "yes",
            _ => {}
        }
    }

    fn wanted(&self) -> bool {
        self.structure && self.telecom
    }
}

/// Metres of an OSM `height` value, or `None` when it is not a usable height.
pub fn parse_height_m(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, feet) = if let Some(n) = v.strip_suffix("ft") {
        (n, true)
    } else if let Some(n) = v.strip_suffix('\'') {
        (n, true)
    } else {
        (v.strip_suffix('m').unwrap_or(v), false)
    };
    let h: f64 = num.trim().replace(',', ".").parse().ok()?;
    let h = if feet { h * 0.3048 } else { h };
    (h.is_finite() && h > 0.0 && h <= 500.0).then_some(h)
}

/// Reads the telecom masts of an OSM extract; a mast without a usable height gets
/// `default_height_m`.
///
/// # Errors
/// An [`InputError`] naming the file when it cannot be read or is not OSM data.
pub fn read_masts(path: &Path, default_height_m: f64) -> Result<MastsRead, InputError> {
    let pass = read_features::<MTags>(path)?;
    let mut out = MastsRead::default();
    let mut height = |t: &MTags| match t.height.as_deref().and_then(parse_height_m) {
        Some(h) if h > ANTENNA_MAX_M => {
            out.height_capped += 1;
            ANTENNA_MAX_M
        }
        Some(h) => h,
        None => {
            out.height_defaulted += 1;
            default_height_m
        }
    };
    let mut sites = Vec::new();
    for (id, p, t) in &pass.node_hits {
        sites.push(ExistingSite {
            id: format!("n{id}"),
            lonlat: *p,
            height_m: height(t),
            technologies: Vec::new(),
        });
    }
    let (mut incomplete, mut duplicate) = (0, 0);
    for (id, refs, t) in &pass.way_hits {
        let Some(mut pts) = pass.positions(refs) else {
            incomplete += 1;
            continue;
        };
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        if pts.is_empty() {
            incomplete += 1;
            continue;
        }
        let k = pts.len() as f64;
        let at: LonLat = [
            pts.iter().map(|p| p[0]).sum::<f64>() / k,
            pts.iter().map(|p| p[1]).sum::<f64>() / k,
        ];
        let here = Point::new(at[0], at[1]);
        let near_node = pass
            .node_hits
            .iter()
            .any(|(_, q, _)| Geodesic.distance(here, Point::new(q[0], q[1])) <= SAME_MAST_M);
        if near_node {
            duplicate += 1;
            continue;
        }
        sites.push(ExistingSite {
            id: format!("w{id}"),
            lonlat: at,
            height_m: height(t),
            technologies: Vec::new(),
        });
    }
    out.sites = sites;
    out.ways_incomplete = incomplete;
    out.ways_duplicate = duplicate;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_in_metres_and_feet() {
        assert_eq!(parse_height_m("371.5"), Some(371.5));
        assert_eq!(parse_height_m("371,5"), Some(371.5));
        assert_eq!(parse_height_m("30 m"), Some(30.0));
        assert_eq!(parse_height_m("30m"), Some(30.0));
        assert!((parse_height_m("100 ft").unwrap() - 30.48).abs() < 1e-12);
        assert!((parse_height_m("100'").unwrap() - 30.48).abs() < 1e-12);
        assert_eq!(parse_height_m("tall"), None);
        assert_eq!(parse_height_m("0"), None);
        assert_eq!(parse_height_m("600"), None);
        assert_eq!(parse_height_m("NaN"), None);
    }

    #[test]
    fn telecom_masts_nodes_and_ways_one_structure_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.osm");
        std::fs::write(
            &p,
            r#"<?xml version="1.0"?><osm version="0.6">
<node id="1" lat="43.0" lon="77.0"><tag k="man_made" v="mast"/><tag k="tower:type" v="communication"/><tag k="height" v="42"/></node>
<node id="5" lat="43.4" lon="77.0"><tag k="man_made" v="tower"/><tag k="tower:type" v="communication"/><tag k="height" v="371,5"/></node>
<node id="2" lat="43.1" lon="77.0"><tag k="man_made" v="tower"/><tag k="tourism" v="viewpoint"/></node>
<node id="3" lat="43.2" lon="77.0"><tag k="man_made" v="mast"/><tag k="communication:mobile_phone" v="yes"/></node>
<node id="4" lat="43.3" lon="77.0"><tag k="man_made" v="antenna"/><tag k="communication:radio" v="yes"/></node>
<node id="10" lat="43.0001" lon="77.0001"/><node id="11" lat="43.0001" lon="77.0003"/><node id="12" lat="43.0003" lon="77.0003"/>
<node id="20" lat="43.5" lon="77.5"/><node id="21" lat="43.5" lon="77.5002"/><node id="22" lat="43.5002" lon="77.5002"/>
<way id="30"><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="10"/><tag k="man_made" v="tower"/><tag k="tower:type" v="communication"/></way>
<way id="31"><nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="20"/><tag k="man_made" v="communications_tower"/><tag k="height" v="98 ft"/></way>
<way id="32"><nd ref="20"/><nd ref="99"/><tag k="man_made" v="mast"/><tag k="tower:type" v="communication"/></way>
</osm>"#,
        )
        .unwrap();
        let r = read_masts(&p, 30.0).unwrap();
        let got: Vec<(&str, f64)> = r
            .sites
            .iter()
            .map(|s| (s.id.as_str(), s.height_m))
            .collect();
        // Node 2 is a viewpoint, node 4 an antenna; way 30 is node 1 drawn again.
        assert_eq!(got[..3], [("n1", 42.0), ("n5", 100.0), ("n3", 30.0)]);
        assert_eq!(got[3].0, "w31");
        assert!((got[3].1 - 29.8704).abs() < 1e-9, "98 ft: {}", got[3].1);
        assert_eq!(got.len(), 4);
        assert_eq!(
            (
                r.height_defaulted,
                r.height_capped,
                r.ways_incomplete,
                r.ways_duplicate
            ),
            (1, 1, 1, 1)
        );
        let w = &r.sites[3].lonlat;
        assert!((w[0] - 77.500_133_333_3).abs() < 1e-9 && (w[1] - 43.500_066_666_7).abs() < 1e-9);
    }
}
