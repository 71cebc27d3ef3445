//! OSM buildings: `building=*` ways (closed; centroid and geodesic footprint) and nodes
//! (a position, no footprint), with `building:levels` and `building:flats` when tagged
//! with a whole number (`2.5` levels counts as 2). `building=no` is not a building.
//! Multipolygon relations are not read (a few large buildings in village extracts).
//!
//! A second pass over the extract, apart from [`super::read_osm`]'s corridor pass, so that
//! the corridor reader keeps its speed: PBF through the osmpbf crate, XML and `.osm.gz`
//! streamed with quick-xml. Ways whose nodes the extract lacks, and ways that do not close,
//! are skipped and counted.

use crate::InputError;
use fiberplan_model::last_mile::Building;
use fiberplan_model::osm::OsmElement;
use fiberplan_model::LonLat;
use geo::orient::{Direction, Orient};
use geo::{Centroid, GeodesicArea, LineString, Polygon};
use std::io::{BufRead, Read};
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

#[derive(Default)]
struct Collect {
    nodes: Vec<(i64, [f64; 2])>,
    node_buildings: Vec<(i64, [f64; 2], BTags)>,
    ways: Vec<(i64, Vec<i64>, BTags)>,
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

impl BTags {
    fn set(&mut self, k: &str, v: &str) {
        match k {
            "building" if v != "no" => self.building = Some(v.to_string()),
            "building:levels" => self.levels = whole(v),
            "building:flats" => self.flats = whole(v),
            _ => {}
        }
    }
}

/// Reads every building of an OSM extract (format told by the first bytes, as
/// [`super::read_osm`]).
///
/// # Errors
/// An [`InputError`] naming the file when it cannot be read or is not OSM data.
pub fn read_buildings(path: &Path) -> Result<BuildingsRead, InputError> {
    let mut head = [0u8; 64];
    let (mut f, _) = crate::text::open_regular(path)?;
    let n = f
        .read(&mut head)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    drop(f);
    if n == 0 {
        return Err(InputError::file(path, "empty file, not an OSM extract"));
    }
    let open = || {
        std::fs::File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))
    };
    let c = if head[..n].starts_with(&[0x1f, 0x8b]) {
        let dec = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(open()?));
        xml(path, std::io::BufReader::new(dec))?
    } else if head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
        || head[..n].starts_with(b"\xEF\xBB\xBF")
    {
        xml(path, std::io::BufReader::new(open()?))?
    } else {
        pbf(path)?
    };
    Ok(finish(c))
}

fn pbf(path: &Path) -> Result<Collect, InputError> {
    use osmpbf::{Element, ElementReader};
    let reader = ElementReader::from_path(path)
        .map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut c = Collect::default();
    let tags_of = |it: &mut dyn Iterator<Item = (&str, &str)>| {
        let mut t = BTags::default();
        for (k, v) in it {
            t.set(k, v);
        }
        t
    };
    reader
        .for_each(|el| match el {
            Element::Node(nd) => {
                let p = [nd.lon(), nd.lat()];
                c.nodes.push((nd.id(), p));
                let t = tags_of(&mut nd.tags());
                if t.building.is_some() {
                    c.node_buildings.push((nd.id(), p, t));
                }
            }
            Element::DenseNode(nd) => {
                let p = [nd.lon(), nd.lat()];
                c.nodes.push((nd.id(), p));
                let t = tags_of(&mut nd.tags());
                if t.building.is_some() {
                    c.node_buildings.push((nd.id(), p, t));
                }
            }
            Element::Way(w) => {
                let t = tags_of(&mut w.tags());
                if t.building.is_some() {
                    c.ways.push((w.id(), w.refs().collect(), t));
                }
            }
            Element::Relation(_) => {}
        })
        .map_err(|e| InputError::file(path, format!("corrupt or truncated OSM PBF: {e}")))?;
    Ok(c)
}

fn xml<R: BufRead>(path: &Path, input: R) -> Result<Collect, InputError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut c = Collect::default();
    // The element being read: kind (1 node, 2 way, 3 other), id, position, tags, refs.
    let mut kind = 0u8;
    let mut id = 0i64;
    let mut pos = [0.0f64; 2];
    let mut tags = BTags::default();
    let mut refs: Vec<i64> = Vec::new();
    let mut closed = false;
    let attr = |e: &quick_xml::events::BytesStart, key: &[u8]| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            InputError::file(
                path,
                format!(
                    "malformed or truncated OSM XML near byte {}: {e}",
                    reader.error_position()
                ),
            )
        })?;
        let (e, empty) = match ev {
            Event::Start(e) => (Some(e.into_owned()), false),
            Event::Empty(e) => (Some(e.into_owned()), true),
            Event::End(e) => {
                match e.name().as_ref() {
                    b"node" | b"way" | b"relation" => {
                        flush(&mut c, kind, id, pos, &mut tags, &mut refs);
                        kind = 0;
                    }
                    b"osm" => closed = true,
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = e {
            let num = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<f64>().ok());
            match e.name().as_ref() {
                b"node" | b"way" | b"relation" => {
                    kind = match e.name().as_ref() {
                        b"node" => 1,
                        b"way" => 2,
                        _ => 3,
                    };
                    id = attr(&e, b"id").and_then(|v| v.parse().ok()).unwrap_or(0);
                    if attr(&e, b"action").as_deref() == Some("delete") {
                        kind = 3;
                    }
                    if kind == 1 {
                        match (num(b"lon"), num(b"lat")) {
                            (Some(lon), Some(lat)) => pos = [lon, lat],
                            _ => kind = 3,
                        }
                    }
                    if empty {
                        flush(&mut c, kind, id, pos, &mut tags, &mut refs);
                        kind = 0;
                    }
                }
                b"tag" if kind != 0 => {
                    if let (Some(k), Some(v)) = (attr(&e, b"k"), attr(&e, b"v")) {
                        tags.set(&k, &v);
                    }
                }
                b"nd" if kind == 2 => {
                    if let Some(r) = attr(&e, b"ref").and_then(|v| v.parse().ok()) {
                        refs.push(r);
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    if !closed {
        return Err(InputError::file(
            path,
            "truncated OSM XML: the file ends before </osm>",
        ));
    }
    Ok(c)
}

fn flush(c: &mut Collect, kind: u8, id: i64, pos: [f64; 2], tags: &mut BTags, refs: &mut Vec<i64>) {
    let t = std::mem::take(tags);
    let r = std::mem::take(refs);
    match kind {
        1 => {
            let p = [(pos[0] * 1e7).round() * 1e-7, (pos[1] * 1e7).round() * 1e-7];
            c.nodes.push((id, p));
            if t.building.is_some() {
                c.node_buildings.push((id, p, t));
            }
        }
        2 if t.building.is_some() => c.ways.push((id, r, t)),
        _ => {}
    }
}

fn finish(mut c: Collect) -> BuildingsRead {
    c.nodes.sort_by_key(|n| n.0);
    c.nodes.dedup_by_key(|n| n.0);
    let mut out = BuildingsRead::default();
    for (id, p, t) in c.node_buildings {
        out.buildings.push(Building {
            osm_id: id,
            element: OsmElement::Node,
            tag: t.building.unwrap_or_default(),
            centroid: p,
            footprint_m2: 0.0,
            levels: t.levels,
            flats: t.flats,
        });
    }
    for (id, refs, t) in c.ways {
        let ring: Option<Vec<LonLat>> = refs
            .iter()
            .map(|r| {
                c.nodes
                    .binary_search_by_key(r, |n| n.0)
                    .ok()
                    .map(|i| c.nodes[i].1)
            })
            .collect();
        let Some(ring) = ring else {
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
            osm_id: id,
            element: OsmElement::Way,
            tag: t.building.unwrap_or_default(),
            centroid,
            footprint_m2: area,
            levels: t.levels,
            flats: t.flats,
        });
    }
    out
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
