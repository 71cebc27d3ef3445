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

/// One corridor way of an [`OsmWayTable`]: [`OsmWay`] without its node lists and strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OsmWayHead {
    /// OSM way id (several pieces of a clipped way share it).
    pub id: i64,
    pub kind: OsmWayKind,
    /// Index of its class in [`OsmWayTable::classes`].
    pub class: u32,
    pub paved: Option<bool>,
    pub bridge: bool,
    pub tunnel: bool,
    /// Indices of its `name` and `ref` in [`OsmWayTable::strings`] (0 is the empty string).
    pub name: u32,
    pub reference: u32,
}

/// Corridor ways held flat (issue 19): the same ways as `OsmData::ways`, in the same order,
/// but as a few large arrays instead of millions of small vectors. Each node id is kept
/// once with its position (1e-7 degree integers, or any other position type `P`), and a
/// way's nodes are indices into that table: 4 bytes a reference, plus 16 bytes a distinct
/// node, where an [`OsmWay`] took 24 bytes a reference in three allocations a way.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmWayTable<P = [i32; 2]> {
    pub heads: Vec<OsmWayHead>,
    /// Way `k`'s nodes are `refs[ends[k - 1]..ends[k]]` (`0..ends[0]` for the first).
    pub ends: Vec<usize>,
    /// Indices into `node_ids` / `node_pos`.
    pub refs: Vec<u32>,
    /// Node ids, sorted and distinct; may hold ids no way references.
    pub node_ids: Vec<i64>,
    /// Position of each of `node_ids`.
    pub node_pos: Vec<P>,
    /// Distinct classes (`OsmWay::class`).
    pub classes: Vec<String>,
    /// Distinct names and refs; `strings[0]` is the empty string.
    pub strings: Vec<String>,
}

impl<P> Default for OsmWayTable<P> {
    fn default() -> Self {
        OsmWayTable {
            heads: Vec::new(),
            ends: Vec::new(),
            refs: Vec::new(),
            node_ids: Vec::new(),
            node_pos: Vec::new(),
            classes: Vec::new(),
            strings: vec![String::new()],
        }
    }
}

impl<P: Copy> OsmWayTable<P> {
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The node indices of way `k`.
    pub fn way_refs(&self, k: usize) -> &[u32] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.refs[start..self.ends[k]]
    }

    pub fn class(&self, k: usize) -> &str {
        &self.classes[self.heads[k].class as usize]
    }

    pub fn name(&self, k: usize) -> &str {
        &self.strings[self.heads[k].name as usize]
    }

    pub fn reference(&self, k: usize) -> &str {
        &self.strings[self.heads[k].reference as usize]
    }

    /// Way `k` as an [`OsmWay`], its positions made by `pos`.
    pub fn way(&self, k: usize, pos: impl Fn(P) -> LonLat) -> OsmWay {
        let h = &self.heads[k];
        let refs = self.way_refs(k);
        OsmWay {
            id: h.id,
            kind: h.kind,
            class: self.class(k).to_string(),
            paved: h.paved,
            bridge: h.bridge,
            tunnel: h.tunnel,
            name: self.name(k).to_string(),
            reference: self.reference(k).to_string(),
            nodes: refs.iter().map(|&i| self.node_ids[i as usize]).collect(),
            coords: refs
                .iter()
                .map(|&i| pos(self.node_pos[i as usize]))
                .collect(),
        }
    }
}

impl OsmWayTable<LonLat> {
    /// The table of `ways`, in order. A node id given different positions by different
    /// ways keeps the first.
    ///
    /// # Panics
    /// With more than `u32::MAX` distinct nodes.
    pub fn from_ways(ways: &[OsmWay]) -> OsmWayTable<LonLat> {
        let mut nodes: Vec<(i64, LonLat)> = ways
            .iter()
            .flat_map(|w| w.nodes.iter().copied().zip(w.coords.iter().copied()))
            .collect();
        nodes.sort_by_key(|n| n.0);
        nodes.dedup_by_key(|n| n.0);
        let node_ids: Vec<i64> = nodes.iter().map(|n| n.0).collect();
        let node_pos: Vec<LonLat> = nodes.iter().map(|n| n.1).collect();
        let mut t = OsmWayTable {
            node_ids,
            node_pos,
            ..OsmWayTable::default()
        };
        use std::collections::BTreeMap;
        let mut classes = BTreeMap::new();
        let mut strings = BTreeMap::from([(String::new(), 0u32)]);
        for w in ways {
            fn intern(s: &str, table: &mut Vec<String>, map: &mut BTreeMap<String, u32>) -> u32 {
                *map.entry(s.to_string()).or_insert_with(|| {
                    table.push(s.to_string());
                    table.len() as u32 - 1
                })
            }
            let class = intern(&w.class, &mut t.classes, &mut classes);
            let name = intern(&w.name, &mut t.strings, &mut strings);
            let reference = intern(&w.reference, &mut t.strings, &mut strings);
            t.heads.push(OsmWayHead {
                id: w.id,
                kind: w.kind,
                class,
                paved: w.paved,
                bridge: w.bridge,
                tunnel: w.tunnel,
                name,
                reference,
            });
            let mut hint = 0usize;
            for n in &w.nodes {
                let i = find_near(&t.node_ids, *n, &mut hint).expect("every node was collected");
                t.refs
                    .push(u32::try_from(i).expect("at most u32::MAX nodes"));
            }
            t.ends.push(t.refs.len());
        }
        t
    }
}

/// What fiberplan keeps of an OSM extract, its corridor ways held flat
/// ([`OsmWayTable`]): what the readers make, and what the road graph is built from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OsmExtract {
    pub ways: OsmWayTable,
    /// As [`OsmData::places`].
    pub places: Vec<OsmPlace>,
    pub bounds: Option<[f64; 4]>,
    pub stats: OsmReadStats,
}

/// A position in 1e-7 degrees as the readers give it (`e7 as f64 * 1e-7`).
pub fn e7_lonlat(p: [i32; 2]) -> LonLat {
    [p[0] as f64 * 1e-7, p[1] as f64 * 1e-7]
}

impl OsmExtract {
    /// As [`OsmData`], each way with its own node lists and strings.
    pub fn into_data(self) -> OsmData {
        let ways = (0..self.ways.len())
            .map(|k| self.ways.way(k, e7_lonlat))
            .collect();
        OsmData {
            ways,
            places: self.places,
            bounds: self.bounds,
            stats: self.stats,
        }
    }

    /// The corridor table taken out, and the rest as [`OsmData`] holding only the telecom
    /// ways (the existing network: `backbone_from_osm`), the places, bounds and counts.
    pub fn split_telecom(self) -> (OsmWayTable, OsmData) {
        let ways = (0..self.ways.len())
            .filter(|&k| self.ways.heads[k].kind == OsmWayKind::Telecom)
            .map(|k| self.ways.way(k, e7_lonlat))
            .collect();
        (
            self.ways,
            OsmData {
                ways,
                places: self.places,
                bounds: self.bounds,
                stats: self.stats,
            },
        )
    }
}
