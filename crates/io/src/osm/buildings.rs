//! OSM buildings: `building=*` ways (closed; centroid and geodesic footprint) and nodes
//! (a position, no footprint), with `building:levels` and `building:flats` when tagged
//! with a whole number (`2.5` levels counts as 2). `building=no` is not a building.
//! Multipolygon relations are not read (a few large buildings in village extracts).
//!
//! Read in a [`super::feature_pass`] of their own. Ways whose nodes the extract lacks, and
//! ways that do not close, are skipped and counted.

use super::feature_pass::{read_features, FeatureTags};
use crate::InputError;
use fiberplan_model::last_mile::Building;
use fiberplan_model::osm::OsmElement;
use geo::orient::{Direction, Orient};
use geo::{Centroid, GeodesicArea, LineString, Polygon};
use std::path::Path;

/// Buildings of an extract and what was skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildingsRead {
    /// Nodes first (file order), then ways (file order).
    pub buildings: Vec<Building>,
    /// Building ways that reference nodes missing from the extract.
    pub ways_incomplete: u64,
    /// Building ways that are not closed rings of at least three nodes.
    pub ways_open: u64,
}

#[derive(Clone, Default)]
struct BTags {
    building: Option<String>,
    levels: Option<u32>,
    flats: Option<u32>,
}

fn whole(v: &str) -> Option<u32> {
    let head: String = v
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    head.parse().ok()
}

impl FeatureTags for BTags {
    fn set(&mut self, k: &str, v: &str) {
        match k {
            "building" if v != "no" => self.building = Some(v.to_string()),
            "building:levels" => self.levels = whole(v),
            "building:flats" => self.flats = whole(v),
            _ => {}
        }
    }

    fn wanted(&self) -> bool {
        self.building.is_some()
    }
}

/// Reads every building of an OSM extract (format told by the first bytes, as
/// [`super::read_osm`]).
///
/// # Errors
/// An [`InputError`] naming the file when it cannot be read or is not OSM data.
pub fn read_buildings(path: &Path) -> Result<BuildingsRead, InputError> {
    let pass = read_features::<BTags>(path)?;
    let mut out = BuildingsRead::default();
    for (id, p, t) in &pass.node_hits {
        out.buildings.push(Building {
            osm_id: *id,
            element: OsmElement::Node,
            tag: t.building.clone().unwrap_or_default(),
            centroid: *p,
            footprint_m2: 0.0,
            levels: t.levels,
            flats: t.flats,
        });
    }
    for (id, refs, t) in &pass.way_hits {
        let Some(ring) = pass.positions(refs) else {
            out.ways_incomplete += 1;
            continue;
        };
        if ring.len() < 4 || refs.first() != refs.last() {
            out.ways_open += 1;
            continue;
        }
        let poly = Polygon::new(LineString::from(ring.clone()), vec![]);
        // Exterior counter-clockwise: a clockwise ring would measure the rest of the earth.
        let area = poly.orient(Direction::Default).geodesic_area_unsigned();
        let centroid = poly.centroid().map(|p| [p.x(), p.y()]).unwrap_or(ring[0]);
        out.buildings.push(Building {
            osm_id: *id,
            element: OsmElement::Way,
            tag: t.building.clone().unwrap_or_default(),
            centroid,
            footprint_m2: area,
            levels: t.levels,
            flats: t.flats,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_house_and_a_node_building() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.osm");
        // A 0.0001 x 0.0001 degree square at the equator: 11.13 m x 11.06 m = 123 m2.
        std::fs::write(
            &p,
            r#"<?xml version="1.0"?><osm version="0.6">
<node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.0001"/>
<node id="3" lat="0.0001" lon="0.0001"/><node id="4" lat="0.0001" lon="0"/>
<node id="5" lat="1" lon="1"><tag k="building" v="house"/><tag k="building:levels" v="2.5"/></node>
<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
<tag k="building" v="yes"/><tag k="building:flats" v="6"/></way>
<way id="11"><nd ref="1"/><nd ref="9"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>
<way id="12"><nd ref="1"/><nd ref="2"/><tag k="building" v="no"/></way>
</osm>"#,
        )
        .unwrap();
        let r = read_buildings(&p).unwrap();
        assert_eq!(r.buildings.len(), 2);
        assert_eq!(r.ways_incomplete, 1);
        let n = &r.buildings[0];
        assert_eq!(
            (n.osm_id, n.element, n.tag.as_str(), n.levels),
            (5, OsmElement::Node, "house", Some(2))
        );
        let w = &r.buildings[1];
        assert_eq!((w.osm_id, w.flats), (10, Some(6)));
        assert!((w.footprint_m2 - 123.1).abs() < 0.5, "{}", w.footprint_m2);
        assert!((w.centroid[0] - 0.00005).abs() < 1e-9);
    }

    #[test]
    fn a_truncated_xml_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.osm");
        std::fs::write(&p, r#"<osm version="0.6"><node id="1" lat="0" lon="0"/>"#).unwrap();
        assert!(read_buildings(&p)
            .unwrap_err()
            .problem
            .contains("truncated"));
    }
}
