//! OpenStreetMap extracts: `.osm.pbf` (a lean wire-format decoder, blocks in parallel,
//! checked against osmpbf in the tests) and OSM XML (`.osm`, `.osm.gz`, streaming with
//! quick-xml), read into [`OsmData`]: corridor ways with their node positions, and places.
//!
//! What is kept (all configurable with [`OsmReadOptions`]):
//! - roads: `highway=*` of the classes in [`OsmReadOptions::highway_classes`] (motorway down
//!   to track and service, with links; footways, paths, steps, cycleways, `proposed` and
//!   `construction` are left out by default);
//! - power lines: `power=line|minor_line`; railways: `railway=rail|narrow_gauge|light_rail`;
//! - existing cable: `telecom=line` or `communication=line`;
//! - places: `place=city|town|village|hamlet` nodes and closed ways (placed at their area
//!   centroid), `isolated_dwelling` on request; multipolygon relations are not read.
//!
//! Surface: `surface=*` decides paved / unpaved (see [`paved_from_tags`]); untagged is
//! `None` and the graph builder assumes by class.
//!
//! A corridor way that references nodes missing from the extract (the usual state of a
//! clipped extract) is split at the gaps; pieces with fewer than two nodes are dropped and
//! counted in [`OsmReadStats`]. A truncated or corrupt file is an [`InputError`] naming it.
//!
//! Architecture invariant: node positions are kept as 1e-7 degree integers (the PBF
//! resolution) in one sorted array; both readers round the same way, so a `.pbf` and its
//! `.osm` twin give identical [`OsmData`].

mod buildings;
mod feature_pass;
mod masts;
mod pbf_osmpbf;
mod places;
mod wire;
mod xml;

pub use buildings::{read_buildings, BuildingsRead};
pub use masts::{parse_height_m, read_masts, MastsRead, ANTENNA_MAX_M, SAME_MAST_M};
pub use places::{
    backbone_from_osm, place_id, pops_from_places, villages_from_places, PlaceFallback,
    VillageOptions, DEFAULT_POPULATION,
};

use crate::InputError;
use fiberplan_model::osm::{
    OsmData, OsmElement, OsmExtract, OsmPlace, OsmReadStats, OsmWayHead, OsmWayKind, OsmWayTable,
};
use fiberplan_model::population::parse_tolerant;
use fiberplan_model::LonLat;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What to keep of an extract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsmReadOptions {
    /// `highway` values read as road corridors.
    pub highway_classes: BTreeSet<String>,
    /// Read `power=line|minor_line` (default on).
    pub power_lines: bool,
    /// Read `railway=rail|narrow_gauge|light_rail` (default on).
    pub railways: bool,
    /// Read `telecom=line` / `communication=line` as the existing network (default on).
    pub telecom: bool,
    /// Take `place=isolated_dwelling` as places too (default off).
    pub isolated_dwellings: bool,
}

/// The default road classes: motorway down to track and service, with links.
pub const DEFAULT_HIGHWAY_CLASSES: &[&str] = &[
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "road",
    "service",
    "track",
];

/// Railway values read as railway corridors.
pub const RAILWAY_CLASSES: &[&str] = &["rail", "narrow_gauge", "light_rail"];

/// Place values read as places (plus `isolated_dwelling` on request).
pub const PLACE_TYPES: &[&str] = &["city", "town", "village", "hamlet"];

impl Default for OsmReadOptions {
    fn default() -> Self {
        OsmReadOptions {
            highway_classes: DEFAULT_HIGHWAY_CLASSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            power_lines: true,
            railways: true,
            telecom: true,
            isolated_dwellings: false,
        }
    }
}

impl OsmReadOptions {
    fn wants_place(&self, v: &str) -> bool {
        PLACE_TYPES.contains(&v) || (self.isolated_dwellings && v == "isolated_dwelling")
    }
}

/// Read an OSM extract. The format is told by the first bytes, not the name: gzip, XML
/// (`<?xml` or `<osm`), else PBF.
///
/// # Errors
/// An [`InputError`] naming the file (and the OSM element when one is at fault) when the
/// file cannot be read, is truncated or corrupt, or is not OSM data.
pub fn read_osm(path: &Path, opts: &OsmReadOptions) -> Result<OsmData, InputError> {
    Ok(read_osm_extract(path, opts)?.into_data())
}

/// [`read_osm`] with the corridor ways held flat ([`OsmExtract`]): what the road graph is
/// built from, in a fraction of the memory of [`OsmData`]'s ways on a country extract.
///
/// # Errors
/// As [`read_osm`].
pub fn read_osm_extract(path: &Path, opts: &OsmReadOptions) -> Result<OsmExtract, InputError> {
    read_osm_extract_with_progress(path, opts, &|_, _| {})
}

/// [`read_osm`] reporting progress: `progress(bytes read, file size)`, called from the
/// reading thread about every megabyte and at the end (for a progress bar).
pub fn read_osm_with_progress(
    path: &Path,
    opts: &OsmReadOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<OsmData, InputError> {
    Ok(read_osm_extract_with_progress(path, opts, progress)?.into_data())
}

/// [`read_osm_extract`] reporting progress as [`read_osm_with_progress`] does.
pub fn read_osm_extract_with_progress(
    path: &Path,
    opts: &OsmReadOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<OsmExtract, InputError> {
    use std::io::Read;
    let mut head = [0u8; 64];
    // Streaming, so no size limit; but only a regular file (`/dev/zero` would never end).
    let (mut f, bytes) = crate::text::open_regular(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(InputError::file(path, format!("cannot read: {e}"))),
        }
    }
    drop(f);
    if n == 0 {
        return Err(InputError::file(path, "empty file, not an OSM extract"));
    }
    let head = &head[..n];
    let mut raw = if head.starts_with(&[0x1f, 0x8b]) || looks_like_xml(head) {
        let file = std::fs::File::open(path)
            .map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
        let counted = Counting {
            inner: file,
            done: 0,
            told: 0,
            total: bytes,
            progress,
        };
        xml::read(path, counted, head.starts_with(&[0x1f, 0x8b]), opts)?
    } else {
        wire::read(path, bytes, opts, progress)?
    };
    progress(bytes, bytes);
    raw.stats.bytes = bytes;
    raw.finish(path)
}

/// A file that tells how far it has been read.
struct Counting<'a> {
    inner: std::fs::File,
    done: u64,
    told: u64,
    total: u64,
    progress: &'a (dyn Fn(u64, u64) + Sync),
}

impl std::io::Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if self.done - self.told >= 1 << 20 {
            self.told = self.done;
            (self.progress)(self.done, self.total);
        }
        Ok(n)
    }
}

fn looks_like_xml(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let t = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &head[i..])
        .unwrap_or(&[]);
    t.starts_with(b"<")
}

/// Paved or not from `surface` (then `tracktype`): `Some(true)` for asphalt, concrete,
/// paving stones, sett, chipseal...; `Some(false)` for gravel, dirt, ground, grass, sand,
/// compacted...; `tracktype=grade1` is paved, `grade2..5` unpaved; otherwise `None`.
pub fn paved_from_tags(surface: Option<&str>, tracktype: Option<&str>) -> Option<bool> {
    if let Some(s) = surface {
        let s = s.split([';', ':']).next().unwrap_or(s);
        match s {
            "paved" | "asphalt" | "concrete" | "paving_stones" | "sett" | "cobblestone"
            | "chipseal" | "unhewn_cobblestone" | "metal" | "bricks" | "brick" => {
                return Some(true)
            }
            "unpaved" | "gravel" | "fine_gravel" | "dirt" | "earth" | "ground" | "grass"
            | "sand" | "compacted" | "mud" | "pebblestone" | "rock" | "salt" | "snow" | "ice"
            | "woodchips" | "grass_paver" | "clay" | "soil" | "stone" => return Some(false),
            _ => {}
        }
    }
    match tracktype {
        Some("grade1") => Some(true),
        Some("grade2" | "grade3" | "grade4" | "grade5") => Some(false),
        _ => None,
    }
}

/// Tags of one element that the readers look at.
#[derive(Default)]
struct Tags<'a> {
    highway: Option<&'a str>,
    power: Option<&'a str>,
    railway: Option<&'a str>,
    telecom: Option<&'a str>,
    communication: Option<&'a str>,
    surface: Option<&'a str>,
    tracktype: Option<&'a str>,
    bridge: Option<&'a str>,
    tunnel: Option<&'a str>,
    name: Option<&'a str>,
    name_kk: Option<&'a str>,
    name_ru: Option<&'a str>,
    reference: Option<&'a str>,
    place: Option<&'a str>,
    population: Option<&'a str>,
}

/// Keys the readers look at; the XML reader keeps no others.
const KEYS: &[&str] = &[
    "highway",
    "power",
    "railway",
    "telecom",
    "communication",
    "surface",
    "tracktype",
    "bridge",
    "tunnel",
    "name",
    "name:kk",
    "name:ru",
    "ref",
    "place",
    "population",
];

impl<'a> Tags<'a> {
    fn set(&mut self, k: &str, v: &'a str) {
        let slot = match k {
            "highway" => &mut self.highway,
            "power" => &mut self.power,
            "railway" => &mut self.railway,
            "telecom" => &mut self.telecom,
            "communication" => &mut self.communication,
            "surface" => &mut self.surface,
            "tracktype" => &mut self.tracktype,
            "bridge" => &mut self.bridge,
            "tunnel" => &mut self.tunnel,
            "name" => &mut self.name,
            "name:kk" => &mut self.name_kk,
            "name:ru" => &mut self.name_ru,
            "ref" => &mut self.reference,
            "place" => &mut self.place,
            "population" => &mut self.population,
            _ => return,
        };
        *slot = Some(v);
    }

    /// The corridor kind and class of a way with these tags, if it is one.
    fn corridor(&self, opts: &OsmReadOptions) -> Option<(OsmWayKind, &'a str)> {
        if let Some(h) = self.highway {
            if opts.highway_classes.contains(h) {
                return Some((OsmWayKind::Road, h));
            }
        }
        if opts.railways {
            if let Some(r) = self.railway {
                if RAILWAY_CLASSES.contains(&r) {
                    return Some((OsmWayKind::Railway, r));
                }
            }
        }
        if opts.power_lines {
            if let Some(p @ ("line" | "minor_line")) = self.power {
                return Some((OsmWayKind::PowerLine, p));
            }
        }
        if opts.telecom && (self.telecom == Some("line") || self.communication == Some("line")) {
            return Some((OsmWayKind::Telecom, "line"));
        }
        None
    }

    fn way_head(&self, id: i64, kind: OsmWayKind, class: &str) -> WayHead {
        let yes = |v: Option<&str>| v.is_some_and(|v| v != "no");
        WayHead {
            id,
            kind,
            class: class.to_string(),
            paved: if kind == OsmWayKind::Road {
                paved_from_tags(self.surface, self.tracktype)
            } else {
                None
            },
            bridge: yes(self.bridge),
            tunnel: yes(self.tunnel),
            name: self.name.unwrap_or_default().to_string(),
            reference: self.reference.unwrap_or_default().to_string(),
        }
    }

    fn place(&self, id: i64, element: OsmElement, place: &str, lonlat: LonLat) -> OsmPlace {
        OsmPlace {
            id,
            element,
            place: place.to_string(),
            name: self.name.unwrap_or_default().to_string(),
            name_kk: self.name_kk.unwrap_or_default().to_string(),
            name_ru: self.name_ru.unwrap_or_default().to_string(),
            lonlat,
            population: self.population.and_then(parse_tolerant),
        }
    }
}

/// A corridor way before its nodes are resolved.
#[derive(Clone)]
struct WayHead {
    id: i64,
    kind: OsmWayKind,
    class: String,
    paved: Option<bool>,
    bridge: bool,
    tunnel: bool,
    name: String,
    reference: String,
}

/// What a reader collected, before node references are resolved.
#[derive(Default)]
struct Raw {
    /// Node positions `(id, [lon, lat] in 1e-7 degrees)`, in file order, one array per PBF
    /// block (one in all for XML): every node (XML, and the osmpbf oracle), or, after the
    /// lean PBF reader, only the positions given on ways (`LocationsOnWays`).
    node_blocks: Vec<Vec<(i64, [i32; 2])>>,
    /// The lean PBF reader's second pass: the positions of the nodes the kept ways
    /// reference, and no others. Real nodes win over `node_blocks`.
    needed: Option<Needed>,
    ways: Vec<(WayHead, Vec<i64>)>,
    /// Closed `place=*` ways: (place as if a node, refs).
    place_ways: Vec<(OsmPlace, Vec<i64>)>,
    places: Vec<OsmPlace>,
    bounds: Option<[f64; 4]>,
    stats: OsmReadStats,
}

/// A position not (yet) found: no real coordinate is -214.7 degrees.
const UNSET: [i32; 2] = [i32::MIN, i32::MIN];

/// The node ids that kept ways reference, sorted and unique, with their positions once
/// found (`UNSET` until then): 12 to 16 bytes per referenced node instead of 16 per node
/// of the file.
struct Needed {
    ids: Vec<i64>,
    pos: Vec<[i32; 2]>,
}

impl Needed {
    /// Every node id referenced by `ways` and `place_ways`.
    fn of(ways: &[(WayHead, Vec<i64>)], place_ways: &[(OsmPlace, Vec<i64>)]) -> Needed {
        let n: usize = ways.iter().map(|w| w.1.len()).sum::<usize>()
            + place_ways.iter().map(|w| w.1.len()).sum::<usize>();
        let mut ids = Vec::with_capacity(n);
        for (_, refs) in ways {
            ids.extend_from_slice(refs);
        }
        for (_, refs) in place_ways {
            ids.extend_from_slice(refs);
        }
        ids.par_sort_unstable();
        ids.dedup();
        ids.shrink_to_fit();
        let pos = vec![UNSET; ids.len()];
        Needed { ids, pos }
    }

    fn get(&self, id: i64, hint: &mut usize) -> Option<[i32; 2]> {
        find_near(&self.ids, id, hint)
            .map(|i| self.pos[i])
            .filter(|p| *p != UNSET)
    }

    /// The index of `id` when its position was found.
    fn index(&self, id: i64, hint: &mut usize) -> Option<u32> {
        find_near(&self.ids, id, hint)
            .filter(|&i| self.pos[i] != UNSET)
            // Every index fits: `check_node_count` refuses more nodes before any is looked up.
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Positions still unset taken from `index`.
    fn fill_from(&mut self, index: &NodeIndex) {
        for (id, p) in self.ids.iter().zip(self.pos.iter_mut()) {
            if *p == UNSET {
                if let Some(q) = index.get(*id) {
                    *p = q;
                }
            }
        }
    }
}

pub(crate) use fiberplan_model::osm::find_near;

/// 1e-7 degrees, the PBF resolution.
fn to_e7(deg: f64) -> i32 {
    (deg * 1e7).round() as i32
}

fn from_e7(p: [i32; 2]) -> LonLat {
    [p[0] as f64 * 1e-7, p[1] as f64 * 1e-7]
}

impl Raw {
    /// The extract: corridor ways resolved into an [`OsmWayTable`] (a way that references
    /// nodes the file lacks falls into pieces, pieces of fewer than two nodes dropped),
    /// closed place ways placed at their centroids. An error naming `path` when the ways
    /// reference more distinct nodes than a `u32` index can number.
    fn finish(mut self, path: &Path) -> Result<OsmExtract, InputError> {
        let needed = match self.needed.take() {
            Some(mut needed) => {
                // Positions given on ways stand in for nodes the file lacks (first wins).
                let on_ways = NodeIndex::new(std::mem::take(&mut self.node_blocks));
                if !on_ways.is_empty() {
                    needed.fill_from(&on_ways);
                }
                needed
            }
            None => {
                let index = NodeIndex::new(std::mem::take(&mut self.node_blocks));
                let mut needed = Needed::of(&self.ways, &self.place_ways);
                needed.fill_from(&index);
                needed
            }
        };
        check_node_count(needed.ids.len(), path)?;
        let mut stats = self.stats;
        let mut t = OsmWayTable::<[i32; 2]>::default();
        let mut classes: BTreeMap<String, u32> = BTreeMap::new();
        let mut strings: BTreeMap<String, u32> = BTreeMap::from([(String::new(), 0)]);
        // Resolve node references in parallel, a chunk of ways at a time, each slice of a
        // chunk into one flat list (no vector per way); the raw ways are consumed, so that
        // their refs are freed as the table is built.
        const CHUNK: usize = 1 << 14;
        const SLICE: usize = 1 << 10;
        let mut raw_ways = std::mem::take(&mut self.ways).into_iter();
        loop {
            let chunk: Vec<(WayHead, Vec<i64>)> = raw_ways.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let resolved: Vec<Resolved> = chunk
                .par_chunks(SLICE)
                .map(|ways| resolve_ways(ways, &needed))
                .collect();
            let mut heads = chunk.into_iter().map(|(h, _)| h);
            for r in resolved {
                let mut at = 0usize;
                let mut piece = 0usize;
                for &(missing, n_pieces) in &r.ways {
                    let head = heads.next().expect("one head a way");
                    if missing > 0 {
                        stats.missing_node_refs += missing as u64;
                        if n_pieces == 0 {
                            stats.ways_dropped += 1;
                        } else {
                            stats.ways_clipped += 1;
                        }
                    } else if n_pieces == 0 {
                        stats.ways_dropped += 1;
                    }
                    if n_pieces == 0 {
                        continue;
                    }
                    let class = intern(&mut classes, &mut t.classes, head.class);
                    let name = intern(&mut strings, &mut t.strings, head.name);
                    let reference = intern(&mut strings, &mut t.strings, head.reference);
                    for &len in &r.pieces[piece..piece + n_pieces as usize] {
                        t.heads.push(OsmWayHead {
                            id: head.id,
                            kind: head.kind,
                            class,
                            paved: head.paved,
                            bridge: head.bridge,
                            tunnel: head.tunnel,
                            name,
                            reference,
                        });
                        t.refs.extend_from_slice(&r.refs[at..at + len as usize]);
                        t.ends.push(t.refs.len());
                        at += len as usize;
                    }
                    piece += n_pieces as usize;
                }
            }
        }
        drop(raw_ways);
        t.heads.shrink_to_fit();
        t.ends.shrink_to_fit();
        t.refs.shrink_to_fit();
        let mut places = self.places;
        for (mut place, refs) in self.place_ways {
            let mut hint = 0usize;
            let ring: Option<Vec<LonLat>> = refs
                .iter()
                .map(|r| needed.get(*r, &mut hint).map(from_e7))
                .collect();
            if let Some(ring) = ring {
                if let Some(c) = ring_centroid(&ring) {
                    place.lonlat = c;
                    places.push(place);
                }
            }
        }
        t.node_ids = needed.ids;
        t.node_pos = needed.pos;
        let bounds = self.bounds.or_else(|| {
            let mut b: Option<[f64; 4]> = None;
            for &i in &t.refs {
                let p = from_e7(t.node_pos[i as usize]);
                let bb = b.get_or_insert([p[0], p[1], p[0], p[1]]);
                bb[0] = bb[0].min(p[0]);
                bb[1] = bb[1].min(p[1]);
                bb[2] = bb[2].max(p[0]);
                bb[3] = bb[3].max(p[1]);
            }
            b
        });
        Ok(OsmExtract {
            ways: t,
            places,
            bounds,
            stats,
        })
    }
}

/// Distinct nodes the kept ways may reference: their indices are `u32`.
const MAX_NODES: usize = u32::MAX as usize;

/// An error naming `path` when `n` distinct referenced nodes are more than a `u32` index
/// numbers ([`MAX_NODES`]): they would wrap, not fail.
fn check_node_count(n: usize, path: &Path) -> Result<(), InputError> {
    if n > MAX_NODES {
        return Err(InputError::file(
            path,
            format!(
                "the ways reference {n} distinct nodes, more than the {MAX_NODES} the reader can index"
            ),
        ));
    }
    Ok(())
}

/// `s`'s index in `table`, added when new (`map` indexes `table`).
fn intern(map: &mut BTreeMap<String, u32>, table: &mut Vec<String>, s: String) -> u32 {
    if let Some(&i) = map.get(&s) {
        return i;
    }
    let i = table.len() as u32;
    table.push(s.clone());
    map.insert(s, i);
    i
}

/// Some consecutive ways resolved: per way (refs the index lacks, pieces), the length of
/// each piece, and the pieces' node indices, all in way order.
struct Resolved {
    ways: Vec<(u32, u32)>,
    pieces: Vec<u32>,
    refs: Vec<u32>,
}

/// The pieces of corridor ways whose nodes `needed` has (a way clipped at the extract's
/// edge falls into several; pieces of fewer than two nodes are dropped).
fn resolve_ways(ways: &[(WayHead, Vec<i64>)], needed: &Needed) -> Resolved {
    let mut out = Resolved {
        ways: Vec::with_capacity(ways.len()),
        pieces: Vec::new(),
        refs: Vec::with_capacity(ways.iter().map(|w| w.1.len()).sum()),
    };
    for (_, refs) in ways {
        let mut hint = 0usize;
        let (mut missing, mut n_pieces) = (0u32, 0u32);
        // The current run of found nodes starts at `start` in `out.refs`.
        let mut start = out.refs.len();
        let mut close = |out: &mut Resolved, start: usize| {
            let len = out.refs.len() - start;
            if len >= 2 {
                out.pieces.push(len as u32);
                n_pieces += 1;
            } else {
                out.refs.truncate(start);
            }
        };
        for &r in refs {
            match needed.index(r, &mut hint) {
                Some(i) => out.refs.push(i),
                None => {
                    missing += 1;
                    close(&mut out, start);
                    start = out.refs.len();
                }
            }
        }
        close(&mut out, start);
        out.ways.push((missing, n_pieces));
    }
    out
}

/// Node positions by id. A sorted file (ids ascending within and across blocks, the
/// usual `Sort.Type_then_ID`) is searched block by block as read, with no copy; anything
/// else is flattened and stably sorted, the first of duplicate ids in file order kept.
enum NodeIndex {
    Blocks {
        firsts: Vec<i64>,
        blocks: Vec<Vec<(i64, [i32; 2])>>,
    },
    Flat(Vec<(i64, [i32; 2])>),
}

impl NodeIndex {
    fn new(blocks: Vec<Vec<(i64, [i32; 2])>>) -> NodeIndex {
        let sorted_within = blocks.iter().all(|b| b.windows(2).all(|w| w[0].0 < w[1].0));
        let sorted_across = blocks
            .windows(2)
            .all(|w| match (w[0].last(), w[1].first()) {
                (Some(a), Some(b)) => a.0 < b.0,
                _ => true,
            });
        if sorted_within && sorted_across {
            let blocks: Vec<_> = blocks.into_iter().filter(|b| !b.is_empty()).collect();
            NodeIndex::Blocks {
                firsts: blocks.iter().map(|b| b[0].0).collect(),
                blocks,
            }
        } else {
            let mut flat: Vec<(i64, [i32; 2])> = blocks.into_iter().flatten().collect();
            flat.sort_by_key(|n| n.0);
            flat.dedup_by_key(|n| n.0);
            NodeIndex::Flat(flat)
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            NodeIndex::Blocks { blocks, .. } => blocks.is_empty(),
            NodeIndex::Flat(v) => v.is_empty(),
        }
    }

    /// The position of `id`.
    fn get(&self, id: i64) -> Option<[i32; 2]> {
        let find =
            |v: &[(i64, [i32; 2])]| v.binary_search_by_key(&id, |n| n.0).ok().map(|i| v[i].1);
        match self {
            NodeIndex::Blocks { firsts, blocks } => {
                let b = firsts.partition_point(|&f| f <= id);
                if b == 0 {
                    None
                } else {
                    find(&blocks[b - 1])
                }
            }
            NodeIndex::Flat(v) => find(v),
        }
    }
}

/// Area centroid of a closed ring (the vertex mean when the area is zero).
fn ring_centroid(ring: &[LonLat]) -> Option<LonLat> {
    use geo::Centroid;
    if ring.len() < 3 {
        return None;
    }
    let poly = geo::Polygon::new(geo::LineString::from(ring.to_vec()), vec![]);
    poly.centroid().map(|p| [p.x(), p.y()]).or_else(|| {
        let n = ring.len() as f64;
        Some([
            ring.iter().map(|p| p[0]).sum::<f64>() / n,
            ring.iter().map(|p| p[1]).sum::<f64>() / n,
        ])
    })
}

#[cfg(test)]
mod tests;
