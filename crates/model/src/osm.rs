//! What fiberplan keeps of an OpenStreetMap extract: corridor ways and places.
//!
//! `fiberplan-io` reads `.osm.pbf` / `.osm` / `.osm.gz` files into an [`OsmData`];
//! `fiberplan-network` builds the road planning graph from it. The values live here so that
//! neither of those crates depends on the other.

use crate::LonLat;

/// What a corridor way runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmWayKind {
    /// `highway=*` of an included class.
    Road,
    /// `power=line|minor_line`.
    PowerLine,
    /// `railway=rail|narrow_gauge|light_rail`.
    Railway,
    /// `telecom=line` or `communication=line`: existing cable, not a new corridor.
    Telecom,
}

impl OsmWayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OsmWayKind::Road => "road",
            OsmWayKind::PowerLine => "power_line",
            OsmWayKind::Railway => "railway",
            OsmWayKind::Telecom => "telecom",
        }
    }
}

/// One corridor way, or one piece of it when the extract lacks some of its nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmWay {
    /// OSM way id (several pieces of a clipped way share it).
    pub id: i64,
    pub kind: OsmWayKind,
    /// The `highway` value for roads (`primary`, `track`, ...), the `power` value for power
    /// lines, the `railway` value for railways, `line` for telecom.
    pub class: String,
    /// From `surface` (and `tracktype`): `Some(true)` paved, `Some(false)` unpaved, `None`
    /// when untagged.
    pub paved: Option<bool>,
    /// `bridge=*` other than `no`.
    pub bridge: bool,
    /// `tunnel=*` other than `no` (`building_passage` included).
    pub tunnel: bool,
    /// `name`, empty when untagged.
    pub name: String,
    /// `ref` (road number such as `A-2`), empty when untagged.
    pub reference: String,
    /// OSM node ids, in way order; at least two.
    pub nodes: Vec<i64>,
    /// Positions of `nodes`, same length.
    pub coords: Vec<LonLat>,
}

/// Where a place was mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmElement {
    Node,
    /// A closed way, placed at its area centroid.
    Way,
}

/// A `place=*` node or closed way.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmPlace {
    pub id: i64,
    pub element: OsmElement,
    /// `city`, `town`, `village`, `hamlet` or `isolated_dwelling`.
    pub place: String,
    pub name: String,
    pub name_kk: String,
    pub name_ru: String,
    /// Node position, or the area centroid of a closed way.
    pub lonlat: LonLat,
    /// The `population` tag as parsed (see `fiberplan_io::osm::parse_population`).
    pub population: Option<u64>,
}

/// Counters of what a reader saw, for `fiberplan osm stats` and the benchmark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsmReadStats {
    /// Bytes of the file as stored (compressed for `.pbf` and `.gz`).
    pub bytes: u64,
    /// Every node element in the file.
    pub nodes: u64,
    /// Every way element in the file.
    pub ways: u64,
    pub relations: u64,
    /// Corridor ways that referenced nodes missing from the extract and were clipped.
    pub ways_clipped: u64,
    /// Corridor ways dropped because fewer than two of their nodes are in the extract.
    pub ways_dropped: u64,
    /// Node references of corridor ways that the extract lacks.
    pub missing_node_refs: u64,
}

/// What fiberplan keeps of an OSM extract.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OsmData {
    /// Corridor ways in file order (pieces of a clipped way in way order).
    pub ways: Vec<OsmWay>,
    /// Places in file order: nodes first, then closed ways.
    pub places: Vec<OsmPlace>,
    /// `[min_lon, min_lat, max_lon, max_lat]` from the file header or `<bounds>`, else of the
    /// nodes kept; `None` for an empty extract.
    pub bounds: Option<[f64; 4]>,
    pub stats: OsmReadStats,
}

/// Index of `id` in the sorted `ids`, searched from `hint` outwards (galloping); `hint`
/// is moved there. The refs of a way and the nodes of a block are mostly close in id
/// order, so that most look-ups touch a cache line or two instead of a whole binary search.
pub fn find_near(ids: &[i64], id: i64, hint: &mut usize) -> Option<usize> {
    let n = ids.len();
    if n == 0 {
        return None;
    }
    let h = (*hint).min(n - 1);
    let (lo, hi) = if ids[h] == id {
        *hint = h;
        return Some(h);
    } else if ids[h] < id {
        // Forward: ids[h + step / 2] < id; find ids[h + step] >= id.
        let mut step = 1;
        while h + step < n && ids[h + step] < id {
            step *= 2;
        }
        (h + step / 2 + 1, (h + step + 1).min(n))
    } else {
        let mut step = 1;
        while step <= h && ids[h - step] > id {
            step *= 2;
        }
        (h.saturating_sub(step), h - step / 2)
    };
    match ids[lo..hi].binary_search(&id) {
        Ok(i) => {
            *hint = lo + i;
            Some(lo + i)
        }
        Err(i) => {
            *hint = (lo + i).min(n - 1);
            None
        }
    }
}
