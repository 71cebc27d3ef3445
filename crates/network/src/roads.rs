//! The planning graph over real corridors: OSM roads, power lines and railways.
//!
//! # How it is built
//! 1. Nodes only where corridor ways meet or end: every OSM node referenced by two ways (or
//!    twice by one) or ending a way is a junction (node use counting, as osm4routing2 does);
//!    ways are split there. A closed way touching the rest at one node is split at its
//!    middle vertex too, so that no corridor is a loop.
//! 2. Each piece is a [`Corridor`]: geometry vertex by vertex (every vertex an OSM node),
//!    geodesic length, cost = length x per-km rate of its type, whole tenge:
//!    - roads: `CorridorCosts::road_per_km(class, paved)`; an untagged surface is taken as
//!      paved for motorway..tertiary (and links) and unpaved below ([`assume_paved`]);
//!      bridges add `bridge_extra_per_km`, tunnels `tunnel_extra_per_km`;
//!    - a level crossing (an OSM node shared by a road and a railway) adds one
//!      `railway_crossing_kzt`, charged once, to the first road piece that touches it;
//!    - power lines `power_line_per_km`, railways `railway_per_km`.
//! 3. Degree-2 chains are contracted when both sides are of the same kind, class and
//!    surface: geometry joined, lengths and costs added, way ids and names kept in order.
//!    Steps 2 and 3 work on light pieces (ends, figures, runs of their ways' points); each
//!    [`Corridor`] is made once, after contraction: a country extract's millions of pieces
//!    as whole corridors took more memory than its ways (issue 19, BENCHMARKS.md). The ways
//!    come as one flat table ([`OsmWayTable`]: node ids once, sorted, with their positions;
//!    ways as indices into it), not a vector per way.
//! 4. Villages, points of presence and joints of existing lines are snapped
//!    ([`crate::snap`]) to the nearest corridor segment: the foot of the perpendicular
//!    becomes a node, the distance off the road an [`CorridorKind::Offroad`] corridor.
//!    Beyond `max_snap_m` a village gets `village_node = None`: the planner reports it
//!    unreachable, never drops it.
//!
//! Architecture invariant: the same [`OsmData`] gives the same graph, byte for byte, whatever
//! the thread count: nodes are numbered in OSM node id order, corridors in way order.

use crate::corridor_proxy::projection_joints;
use crate::geodesy::{distance_m, LocalProjection};
use crate::snap::{snap_points, SnapOptions};
use crate::{ClassId, Corridor, CorridorKind, Geometry, PlanningGraph, TooManyClasses};
use fiberplan_model::osm::{e7_lonlat, OsmData, OsmWay, OsmWayHead, OsmWayKind, OsmWayTable};
use fiberplan_model::{Backbone, CorridorCosts, Kzt, LonLat, Pop, PopSource, Village};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Choices when building the road graph.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadGraphOptions {
    /// A village or point of presence farther than this from every corridor is not placed
    /// (default 5 km).
    pub max_snap_m: f64,
    /// A village this close to a corridor sits on it: no off-road spur (default 1 m).
    pub on_road_m: f64,
    /// Vertices of existing lines (backbone lines, OSM telecom lines) within this distance
    /// of a corridor become points of presence there (default 500 m).
    pub line_joint_m: f64,
    /// Points along existing lines tried as joints: every vertex, and points this far
    /// apart between vertices (default 1 km).
    pub line_joint_spacing_m: f64,
    /// Use power lines as corridors (default on).
    pub power_lines: bool,
    /// Use railways as corridors (default on).
    pub railways: bool,
}

impl Default for RoadGraphOptions {
    fn default() -> Self {
        RoadGraphOptions {
            max_snap_m: 5_000.0,
            on_road_m: 1.0,
            line_joint_m: 500.0,
            line_joint_spacing_m: 1_000.0,
            power_lines: true,
            railways: true,
        }
    }
}

/// Length and count of corridors of one kind and class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassStats {
    /// OSM ways read; each piece of a way clipped at the extract's edge counts as one.
    pub ways: usize,
    /// Geodesic kilometres.
    pub km: f64,
}

/// What the builder made of the extract.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoadGraphStats {
    /// By (kind, class): ways and geodesic km, before snapping.
    pub by_class: BTreeMap<(CorridorKind, String), ClassStats>,
    /// Nodes and corridors before snapping (junctions and ends only).
    pub corridor_nodes: usize,
    pub corridors: usize,
    /// Connected components of the corridor network before snapping.
    pub components: usize,
    /// Nodes of the largest component before snapping.
    pub largest_component_nodes: usize,
    pub villages_placed: usize,
    /// Villages beyond `max_snap_m` (or an extract without corridors).
    pub villages_unplaced: usize,
    pub pops_placed: usize,
    pub pops_unplaced: usize,
    /// Line joints that became points of presence.
    pub line_joints: usize,
    /// Level crossings charged.
    pub railway_crossings: usize,
    /// Off-road spurs: count, total km, longest metres.
    pub offroad_spurs: usize,
    pub offroad_km: f64,
    pub offroad_max_m: f64,
}

/// The road planning graph and what the builder saw.
#[derive(Clone, Debug, Default)]
pub struct RoadGraph {
    /// `village_node` has one entry per input village; `pop_node` one per backbone pop
    /// followed by one per [`RoadGraph::line_joints`] entry.
    pub graph: PlanningGraph,
    /// Points of presence made from joints of existing lines; append them to the backbone's
    /// pops to match `graph.pop_node`.
    pub line_joints: Vec<Pop>,
    /// OSM node id of each graph node; `None` for snap points and village / pop points.
    pub node_osm_id: Vec<Option<i64>>,
    /// Connected component of each graph node (after snapping), numbered by first node.
    pub node_component: Vec<u32>,
    pub stats: RoadGraphStats,
}

/// Surface assumed when `surface` is untagged: paved for motorway, trunk, primary,
/// secondary, tertiary and their links; unpaved below.
pub fn assume_paved(class: &str) -> bool {
    matches!(
        class.strip_suffix("_link").unwrap_or(class),
        "motorway" | "trunk" | "primary" | "secondary" | "tertiary"
    )
}

/// Segments longer than this are measured with Karney's algorithm (`geodesy::distance_m`).
const CHORD_MAX_M: f64 = 20_000.0;

/// Geodesic length of a polyline on the WGS84 ellipsoid, metres: the same figure as
/// `geodesy::length_m` (geo's Karney geodesic) to within 1e-7 of each segment's length,
/// about five times faster on road data.
///
/// Each segment of up to 20 km is measured by its chord `c` between the ellipsoid points
/// (Earth-centred coordinates) lengthened by the arc correction `c^3 / (24 R^2)`, `R` the
/// Gaussian radius of curvature at the segment's latitude; the correction is a millimetre
/// at 20 km and a micrometre at 1 km, and the error of using `R` for the section's true
/// radius is 1.4 % of it. Longer segments use Karney's algorithm. Tested against
/// `geodesy::distance_m` on random segments anywhere on Earth.
pub fn polyline_length_m(line: &[LonLat]) -> f64 {
    polyline_length_of(line.iter().copied())
}

/// [`polyline_length_m`] of the points `line` gives, in order.
fn polyline_length_of(mut line: impl Iterator<Item = LonLat>) -> f64 {
    const A: f64 = 6_378_137.0;
    const F: f64 = 1.0 / 298.257_223_563;
    const E2: f64 = F * (2.0 - F);
    let ecef = |p: LonLat| {
        let (sl, cl) = p[1].to_radians().sin_cos();
        let (so, co) = p[0].to_radians().sin_cos();
        let n = A / (1.0 - E2 * sl * sl).sqrt();
        ([n * cl * co, n * cl * so, n * (1.0 - E2) * sl], sl)
    };
    let Some(first) = line.next() else {
        return 0.0;
    };
    let mut prev_p = first;
    let mut prev = ecef(first);
    let mut total = 0.0;
    for p in line {
        let cur = ecef(p);
        let (a, b) = (prev.0, cur.0);
        let c = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2) + (b[2] - a[2]).powi(2)).sqrt();
        total += if c > CHORD_MAX_M {
            distance_m(prev_p, p)
        } else {
            let s = (prev.1 + cur.1) / 2.0;
            let k = 1.0 - E2 * s * s;
            // Meridional M and prime-vertical N radii; R^2 = M N.
            let r2 = A * A * (1.0 - E2) / (k * k);
            c + c * c * c / (24.0 * r2)
        };
        prev = cur;
        prev_p = p;
    }
    total
}

/// Per-km rate of a way, whole tenge (bridge and tunnel extras included). A `*_link`
/// class the cost model does not list costs as its road (`primary_link` as `primary`).
pub fn way_per_km(w: &OsmWay, c: &CorridorCosts) -> Kzt {
    per_km(w.kind, &w.class, w.paved, w.bridge, w.tunnel, c)
}

/// [`way_per_km`] of a way's kind, class, surface and flags.
fn per_km(
    kind: OsmWayKind,
    class: &str,
    paved: Option<bool>,
    bridge: bool,
    tunnel: bool,
    c: &CorridorCosts,
) -> Kzt {
    let base = match kind {
        OsmWayKind::Road => {
            // A link road (`primary_link`) costs as its road unless the model prices it.
            let base_class = match class.strip_suffix("_link") {
                Some(base) if !c.road.contains_key(class) => base,
                _ => class,
            };
            c.road_per_km(base_class, paved.unwrap_or_else(|| assume_paved(class)))
        }
        OsmWayKind::PowerLine => c.power_line_per_km,
        OsmWayKind::Railway => c.railway_per_km,
        OsmWayKind::Telecom => 0,
    };
    base + if bridge { c.bridge_extra_per_km } else { 0 }
        + if tunnel { c.tunnel_extra_per_km } else { 0 }
}

/// A way point as an [`OsmWayTable`] holds it: `[i32; 2]` in 1e-7 degrees as the readers
/// give it, or any `[lon, lat]`.
pub trait WayPoint: Copy + Send + Sync {
    fn lonlat(self) -> LonLat;
    /// The geometry of these points: the same as `Geometry::from` of their `lonlat`s.
    fn geometry(points: Vec<Self>) -> Geometry;
}

impl WayPoint for LonLat {
    fn lonlat(self) -> LonLat {
        self
    }
    fn geometry(points: Vec<Self>) -> Geometry {
        Geometry::from(points)
    }
}

impl WayPoint for [i32; 2] {
    fn lonlat(self) -> LonLat {
        e7_lonlat(self)
    }
    fn geometry(points: Vec<Self>) -> Geometry {
        Geometry::from_e7(points)
    }
}

/// Whether the graph uses a way: roads, and power lines and railways unless switched off;
/// never telecom lines; at least two nodes, each with its position.
fn keeps(w: &OsmWay, opts: &RoadGraphOptions) -> bool {
    (match w.kind {
        OsmWayKind::Road => true,
        OsmWayKind::PowerLine => opts.power_lines,
        OsmWayKind::Railway => opts.railways,
        OsmWayKind::Telecom => false,
    }) && w.nodes.len() >= 2
        && w.nodes.len() == w.coords.len()
}

fn corridor_kind(k: OsmWayKind) -> CorridorKind {
    match k {
        OsmWayKind::Road => CorridorKind::Road,
        OsmWayKind::PowerLine => CorridorKind::PowerLine,
        OsmWayKind::Railway => CorridorKind::Railway,
        OsmWayKind::Telecom => CorridorKind::Proxy,
    }
}

/// Where a joint of an existing line comes from (its pop's id says so).
#[derive(Clone, Copy)]
enum JointSrc {
    /// Vertex `vertex` of line `line` (`step` 0), or the `step`-th spaced point after it.
    Along {
        line: usize,
        vertex: usize,
        step: usize,
    },
    /// Village `.0`'s foot on its nearest line.
    Foot(usize),
}

/// Build the planning graph of an extract.
///
/// # Arguments
/// - `osm`: ways and places as read by `fiberplan_io::osm::read_osm`; telecom ways are not
///   corridors (pass them as `backbone.lines`, see `fiberplan_io::osm::backbone_from_osm`).
/// - `villages`: placed in order into `graph.village_node`.
/// - `backbone`: its pops are placed into `graph.pop_node`; vertices of its lines within
///   `opts.line_joint_m` of a corridor (and points every `opts.line_joint_spacing_m`
///   between them), and each village's foot on its nearest line within that spacing, become
///   extra pops ([`RoadGraph::line_joints`]), one per graph node.
/// - `costs`: the corridor part of the cost model (`&cost_model.corridor`).
///
/// # Complexity
/// O(R log R) for R node references, plus O(V log S) snapping V points on S segments.
pub fn build_road_graph(
    osm: &OsmData,
    villages: &[Village],
    backbone: &Backbone,
    costs: &CorridorCosts,
    opts: &RoadGraphOptions,
) -> Result<RoadGraph, TooManyClasses> {
    let ways: Vec<OsmWay> = osm
        .ways
        .iter()
        .filter(|w| keeps(w, opts))
        .cloned()
        .collect();
    build_road_graph_owned(ways, villages, backbone, costs, opts)
}

/// [`build_road_graph`] taking the extract's ways (`OsmData::ways`) by value. The same
/// graph, byte for byte.
pub fn build_road_graph_owned(
    mut ways: Vec<OsmWay>,
    villages: &[Village],
    backbone: &Backbone,
    costs: &CorridorCosts,
    opts: &RoadGraphOptions,
) -> Result<RoadGraph, TooManyClasses> {
    ways.retain(|w| keeps(w, opts));
    let table = OsmWayTable::from_ways(&ways);
    drop(ways);
    build_road_graph_table(table, villages, backbone, costs, opts)
}

/// [`build_road_graph`] from the corridor ways held flat (`OsmExtract::ways`, as
/// `fiberplan_io::osm::read_osm_extract` reads them), taken by value: no vector per way,
/// so that a country extract's millions of ways neither take 24 bytes a node reference nor
/// leave the allocator's pages pinned (issue 19). The same graph as [`build_road_graph`] on
/// the same ways, byte for byte.
pub fn build_road_graph_table<P: WayPoint>(
    table: OsmWayTable<P>,
    villages: &[Village],
    backbone: &Backbone,
    costs: &CorridorCosts,
    opts: &RoadGraphOptions,
) -> Result<RoadGraph, TooManyClasses> {
    let kept: Vec<u32> = (0..table.len())
        .filter(|&k| {
            (match table.heads[k].kind {
                OsmWayKind::Road => true,
                OsmWayKind::PowerLine => opts.power_lines,
                OsmWayKind::Railway => opts.railways,
                OsmWayKind::Telecom => false,
            }) && table.way_refs(k).len() >= 2
        })
        .map(|k| k as u32)
        .collect();
    let classes = number_classes(&table, &kept)?;
    let mut out = RoadGraph::default();
    let (mut g, mut node_osm_id, crossings) =
        split_and_contract(table, &kept, classes, costs, &mut out.stats);
    out.stats.railway_crossings = crossings;
    out.stats.corridor_nodes = g.nodes.len();
    out.stats.corridors = g.corridors.len();
    let (comp, ncomp) = components(&g);
    out.stats.components = ncomp;
    let mut sizes = vec![0usize; ncomp];
    for c in &comp {
        sizes[*c as usize] += 1;
    }
    out.stats.largest_component_nodes = sizes.iter().copied().max().unwrap_or(0);

    // Points to place: villages, then pops, then line vertices (joints).
    let mut points: Vec<LonLat> = villages.iter().map(|v| v.lonlat).collect();
    points.extend(backbone.pops.iter().map(|p| p.lonlat));
    let mut joint_src: Vec<JointSrc> = Vec::new();
    for (li, line) in backbone.lines.iter().enumerate() {
        for (vi, p) in line.iter().enumerate() {
            joint_src.push(JointSrc::Along {
                line: li,
                vertex: vi,
                step: 0,
            });
            points.push(*p);
            if let Some(q) = line.get(vi + 1) {
                let steps = if opts.line_joint_spacing_m > 0.0 {
                    (distance_m(*p, *q) / opts.line_joint_spacing_m).ceil() as usize
                } else {
                    1
                };
                for k in 1..steps {
                    let t = k as f64 / steps as f64;
                    joint_src.push(JointSrc::Along {
                        line: li,
                        vertex: vi,
                        step: k,
                    });
                    points.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
                }
            }
        }
    }
    // Each village's foot on its nearest line within the spacing is a joint too, so that a
    // village beside a line attaches where it lies, not at a spaced joint (the proxy does
    // the same).
    if !backbone.lines.is_empty() && !villages.is_empty() && opts.line_joint_spacing_m > 0.0 {
        let lat = villages.iter().map(|v| v.lonlat[1]).sum::<f64>() / villages.len() as f64;
        let proj = LocalProjection::new(lat);
        let feet = projection_joints(
            &points[..villages.len()],
            &backbone.lines,
            &proj,
            opts.line_joint_spacing_m,
        );
        for (i, p) in feet {
            joint_src.push(JointSrc::Foot(i));
            points.push(p);
        }
    }
    let nv = villages.len();
    let np = backbone.pops.len();
    let max_m: Vec<f64> = (0..points.len())
        .map(|i| {
            if i < nv + np {
                opts.max_snap_m
            } else {
                opts.line_joint_m
            }
        })
        .collect();
    let snap_opts = SnapOptions {
        on_road_m: opts.on_road_m,
        offroad_per_km: costs.offroad_per_km,
    };
    let before = g.corridors.len();
    let placed = snap_points(&mut g, &points, &max_m, &snap_opts);
    node_osm_id.resize(g.nodes.len(), None);
    for c in &g.corridors[before..] {
        if c.kind == CorridorKind::Offroad {
            out.stats.offroad_spurs += 1;
            out.stats.offroad_km += c.length_m / 1000.0;
            out.stats.offroad_max_m = out.stats.offroad_max_m.max(c.length_m);
        }
    }
    g.village_node = placed[..nv].to_vec();
    g.pop_node = placed[nv..nv + np].to_vec();
    // Joints: one pop per graph node reached, in line order.
    let mut seen = std::collections::BTreeSet::new();
    for (k, src) in joint_src.iter().enumerate() {
        if let Some(node) = placed[nv + np + k] {
            if seen.insert(node) {
                out.line_joints.push(Pop {
                    id: match *src {
                        JointSrc::Along {
                            line,
                            vertex,
                            step: 0,
                        } => format!("line{line}/v{vertex}"),
                        JointSrc::Along { line, vertex, step } => {
                            format!("line{line}/v{vertex}+{step}")
                        }
                        JointSrc::Foot(v) => format!("foot/{}", villages[v].id),
                    },
                    name: String::new(),
                    lonlat: points[nv + np + k],
                    source: PopSource::LineJoint,
                });
                g.pop_node.push(Some(node));
            }
        }
    }
    out.stats.villages_placed = g.village_node.iter().flatten().count();
    out.stats.villages_unplaced = nv - out.stats.villages_placed;
    out.stats.pops_placed = g.pop_node[..np].iter().flatten().count();
    out.stats.pops_unplaced = np - out.stats.pops_placed;
    out.stats.line_joints = out.line_joints.len();
    let (comp, _) = components(&g);
    out.node_component = comp;
    out.node_osm_id = node_osm_id;
    out.graph = g;
    Ok(out)
}

/// A stretch of corridor before it becomes a [`Corridor`]: its ends, figures and where its
/// points are, but no geometry, class or names of its own (its way holds those). A country
/// extract cuts millions of these; as full corridors (a geometry, a class string,
/// way and name lists each) they took more memory than the extract's ways.
struct Piece {
    a: u32,
    b: u32,
    /// The way it was cut from: its kind, class and surface (the same along a contracted
    /// chain), and, until merged, its way id and names.
    way: u32,
    /// Its points: the way's points `from..=to`.
    from: u32,
    to: u32,
    length_m: f64,
    cost_kzt: Kzt,
    bridges: u32,
    tunnels: u32,
    railway_crossings: u32,
    /// Once contracted with another piece: its points and lists.
    merged: Option<Box<Merged>>,
}

/// The points and lists of a contracted chain.
struct Merged {
    /// Runs of way points `(way, from, to)`, `from > to` read backwards, in order.
    runs: Vec<[u32; 3]>,
    osm_ways: Vec<i64>,
    names: Vec<String>,
    /// Its geometry, made from `runs` once the chain is whole (see `split_and_contract`).
    geometry: Geometry,
}

/// The kept ways of a table, numbered in order (a piece's `way`), and what the corridors
/// read of them besides their points: their id and names.
struct Ways<'a> {
    heads: &'a [OsmWayHead],
    strings: &'a [String],
    kept: &'a [u32],
}

impl Ways<'_> {
    fn id(&self, wn: usize) -> i64 {
        self.heads[self.kept[wn] as usize].id
    }

    /// `name` and `ref`, the empty ones left out.
    fn names(&self, wn: usize) -> impl Iterator<Item = &str> {
        let h = &self.heads[self.kept[wn] as usize];
        [h.name, h.reference]
            .into_iter()
            .map(|i| self.strings[i as usize].as_str())
            .filter(|s| !s.is_empty())
    }
}

/// Kept ways per block of [`WayPoints`].
const BLOCK_WAYS: usize = 1 << 14;

/// The kept ways' points, way after way (a position per node reference), in blocks of
/// [`BLOCK_WAYS`] ways. They replace the table's node positions and references once the
/// ways are cut, and a block is freed as soon as the corridors along its ways are made, so
/// that a country's way points and its corridors' geometry are never held whole at once
/// (issue 19).
struct WayPoints<P> {
    blocks: Vec<Vec<P>>,
    /// Where each kept way's points start in its block.
    start: Vec<u32>,
}

impl<P: WayPoint> WayPoints<P> {
    /// The points of the kept ways `kept` of `t`. The blocks are made on rayon's threads,
    /// like the corridors' geometry that takes their room once they are freed (glibc's
    /// malloc keeps a freed block for its own thread's arena).
    fn of(t: &OsmWayTable<P>, kept: &[u32]) -> WayPoints<P> {
        let made: Vec<(Vec<P>, Vec<u32>)> = kept
            .par_chunks(BLOCK_WAYS)
            .map(|ks| {
                let n: usize = ks.iter().map(|&k| t.way_refs(k as usize).len()).sum();
                let mut b = Vec::with_capacity(n);
                let mut start = Vec::with_capacity(ks.len());
                for &k in ks {
                    start.push(b.len() as u32);
                    b.extend(
                        t.way_refs(k as usize)
                            .iter()
                            .map(|&i| t.node_pos[i as usize]),
                    );
                }
                (b, start)
            })
            .collect();
        let mut start = Vec::with_capacity(kept.len());
        let mut blocks = Vec::with_capacity(made.len());
        for (b, s) in made {
            start.extend_from_slice(&s);
            blocks.push(b);
        }
        WayPoints { blocks, start }
    }

    /// The points of kept way `wn`; empty once its block is freed.
    fn way(&self, wn: usize) -> &[P] {
        let b = &self.blocks[wn / BLOCK_WAYS];
        let s = self.start[wn] as usize;
        let e = if (wn + 1).is_multiple_of(BLOCK_WAYS) || wn + 1 == self.start.len() {
            b.len()
        } else {
            self.start[wn + 1] as usize
        };
        b.get(s..e).unwrap_or(&[])
    }

    /// Frees the blocks of ways before kept way `wn` (their points are no longer read).
    fn free_before(&mut self, wn: usize) {
        for b in &mut self.blocks[..wn / BLOCK_WAYS] {
            *b = Vec::new();
        }
    }
}

/// The class of each kept way (by position in `kept`) as a [`ClassId`], and the distinct
/// classes in order of first use. An error when there are more than a [`ClassId`] numbers
/// (the reader keeps only the classes asked for, so only a hand-made table can have them).
fn number_classes<P: WayPoint>(
    t: &OsmWayTable<P>,
    kept: &[u32],
) -> Result<(Vec<ClassId>, Vec<Box<str>>), TooManyClasses> {
    let mut ids: BTreeMap<&str, ClassId> = BTreeMap::new();
    let mut table: Vec<Box<str>> = Vec::new();
    let mut of_way = Vec::with_capacity(kept.len());
    for &k in kept {
        let class = t.class(k as usize);
        let id = match ids.get(class) {
            Some(&id) => id,
            None if class.is_empty() => ClassId::NONE,
            None => {
                let id = ClassId::of_index(table.len())?;
                table.push(class.into());
                ids.insert(class, id);
                id
            }
        };
        of_way.push(id);
    }
    Ok((of_way, table))
}

/// What a piece's corridor takes from its way.
struct WayLook {
    kind: CorridorKind,
    paved: Option<bool>,
    class: ClassId,
}

impl Piece {
    fn runs(&self) -> Vec<[u32; 3]> {
        match &self.merged {
            Some(m) => m.runs.clone(),
            None => vec![[self.way, self.from, self.to]],
        }
    }

    fn lists(&self, ways: &Ways) -> (Vec<i64>, Vec<String>) {
        match &self.merged {
            Some(m) => (m.osm_ways.clone(), m.names.clone()),
            None => (vec![ways.id(self.way as usize)], {
                // Exactly the room it needs (a collected filter takes room for four).
                let mut v = Vec::with_capacity(ways.names(self.way as usize).count());
                v.extend(ways.names(self.way as usize).map(str::to_string));
                v
            }),
        }
    }
}

/// Runs read from the other end.
fn reverse_runs(runs: &mut [[u32; 3]]) {
    runs.reverse();
    for r in runs.iter_mut() {
        r.swap(1, 2);
    }
}

/// The points of `runs`, in order, with exactly the room they need.
fn run_points<P: WayPoint>(pts: &WayPoints<P>, runs: &[[u32; 3]]) -> Vec<P> {
    let n: usize = runs.iter().map(|r| r[1].abs_diff(r[2]) as usize + 1).sum();
    let mut out = Vec::with_capacity(n);
    for &[w, from, to] in runs {
        let r = pts.way(w as usize);
        if from <= to {
            out.extend_from_slice(&r[from as usize..=to as usize]);
        } else {
            out.extend(r[to as usize..=from as usize].iter().rev());
        }
    }
    out
}

/// Cuts a way (its node indices `wi`) at its junctions (nodes `node_of` numbers), calling
/// `piece(start, end, a, b)` for each piece `wi[start..=end]` from node `a` to node `b`, in
/// order. A loop back to its own start is split at its middle vertex, which `mid` numbers
/// (given its index in the table).
fn cut_way(
    wi: &[u32],
    node_of: &mut [u32],
    mut mid: impl FnMut(u32) -> u32,
    mut piece: impl FnMut(usize, usize, u32, u32),
) {
    let mut start = 0usize;
    let mut k = 1usize;
    while k < wi.len() {
        if node_of[wi[k] as usize] == u32::MAX {
            k += 1;
            continue;
        }
        let (a, b) = (node_of[wi[start] as usize], node_of[wi[k] as usize]);
        if a == b && k - start < 2 {
            // The same node twice in a row: nothing to lay.
            start = k;
            k += 1;
            continue;
        }
        let end = if a == b {
            let m = start + (k - start) / 2;
            node_of[wi[m] as usize] = mid(wi[m]);
            m
        } else {
            k
        };
        piece(start, end, a, node_of[wi[end] as usize]);
        start = end;
        k = end + 1;
    }
}

/// Steps 1 to 3: junctions, pieces, costs, and degree-2 chains contracted. Returns the
/// graph, the OSM ids of its nodes, and the number of level crossings charged.
///
/// The pieces are light records pointing into the ways' points; corridors (geometry,
/// class, lists) are made once, after contraction, so that the pieces of a chain are never
/// whole corridors. Figures are added in the order a chain was contracted, as before.
///
/// The table goes as it is used: its node ids once the nodes are numbered (loops' middle
/// vertices included, in a first cut), its references and positions once the ways are cut
/// (their points copied way after way into [`WayPoints`]), and those points block by block
/// as the corridors are made (issue 19).
fn split_and_contract<P: WayPoint>(
    mut t: OsmWayTable<P>,
    kept: &[u32],
    (way_class, class_table): (Vec<ClassId>, Vec<Box<str>>),
    costs: &CorridorCosts,
    stats: &mut RoadGraphStats,
) -> (PlanningGraph, Vec<Option<i64>>, usize) {
    // Node uses, by index in the table (which may hold nodes no kept way references: they
    // are used by none and never become graph nodes; nodes are numbered in id order).
    let n_ids = t.node_ids.len();
    let mut uses = vec![0u8; n_ids];
    // Bit 0: a road uses the node; bit 1: a railway does.
    let mut kinds = vec![0u8; n_ids];
    for &k in kept {
        let wi = t.way_refs(k as usize);
        let kind = t.heads[k as usize].kind;
        for &i in wi {
            uses[i as usize] = uses[i as usize].saturating_add(1);
            kinds[i as usize] |= match kind {
                OsmWayKind::Road => 1,
                OsmWayKind::Railway => 2,
                _ => 0,
            };
        }
        for i in [wi[0], wi[wi.len() - 1]] {
            uses[i as usize] = uses[i as usize].saturating_add(1);
        }
    }
    let mut node_of = vec![u32::MAX; n_ids];
    let mut nodes: Vec<LonLat> = Vec::new();
    let mut osm_id = Vec::new();
    for (i, &u) in uses.iter().enumerate() {
        if u >= 2 {
            node_of[i] = nodes.len() as u32;
            nodes.push([f64::NAN; 2]);
            osm_id.push(Some(t.node_ids[i]));
        }
    }
    drop(uses);
    // The first cut only numbers the middle vertices of loops, in the order the pieces
    // meet them; each is used by its way alone (a node used twice is a junction), so the
    // second cut, which finds them numbered, cuts the very same pieces.
    for &k in kept {
        cut_way(
            t.way_refs(k as usize),
            &mut node_of,
            |i| {
                nodes.push([f64::NAN; 2]);
                osm_id.push(Some(t.node_ids[i as usize]));
                nodes.len() as u32 - 1
            },
            |_, _, _, _| {},
        );
    }
    t.node_ids = Vec::new();
    let mut charged = vec![false; n_ids];
    let mut pieces: Vec<Piece> = Vec::new();
    let mut crossings = 0usize;
    let look: Vec<WayLook> = kept
        .iter()
        .zip(&way_class)
        .map(|(&k, &class)| {
            let h = &t.heads[k as usize];
            WayLook {
                kind: corridor_kind(h.kind),
                paved: if h.kind == OsmWayKind::Road {
                    Some(h.paved.unwrap_or_else(|| assume_paved(t.class(k as usize))))
                } else {
                    None
                },
                class,
            }
        })
        .collect();
    // What the cutting reads of a way besides its points: its rate and flags.
    let per_km_of: Vec<Kzt> = kept
        .iter()
        .map(|&k| {
            let h = &t.heads[k as usize];
            per_km(
                h.kind,
                t.class(k as usize),
                h.paved,
                h.bridge,
                h.tunnel,
                costs,
            )
        })
        .collect();
    for (&k, l) in kept.iter().zip(&look) {
        stats
            .by_class
            .entry((l.kind, t.class(k as usize).to_string()))
            .or_default()
            .ways += 1;
    }
    for (wn, l) in look.iter().enumerate() {
        let wi = t.way_refs(kept[wn] as usize);
        let h = &t.heads[kept[wn] as usize];
        let (bridge, tunnel) = (h.bridge, h.tunnel);
        cut_way(
            wi,
            &mut node_of,
            // Never called: the first cut numbered every middle vertex.
            |_| u32::MAX,
            |start, end, a, b| {
                let mut p = Piece {
                    a,
                    b,
                    way: wn as u32,
                    from: start as u32,
                    to: end as u32,
                    // Lengths and costs are filled in below, in parallel.
                    length_m: 0.0,
                    cost_kzt: 0,
                    bridges: bridge as u32,
                    tunnels: tunnel as u32,
                    railway_crossings: 0,
                    merged: None,
                };
                if l.kind == CorridorKind::Road {
                    for i in [wi[start], wi[end]] {
                        if kinds[i as usize] == 3 && !charged[i as usize] {
                            charged[i as usize] = true;
                            crossings += 1;
                            p.railway_crossings += 1;
                        }
                    }
                }
                nodes[a as usize] = t.node_pos[wi[start] as usize].lonlat();
                nodes[b as usize] = t.node_pos[wi[end] as usize].lonlat();
                pieces.push(p);
            },
        );
    }
    drop((kinds, node_of, charged));
    // The ways' points, way after way, in place of the table's references and positions.
    let mut pts = WayPoints::of(&t, kept);
    let OsmWayTable {
        heads,
        strings,
        refs,
        node_pos,
        ends,
        ..
    } = t;
    drop((refs, node_pos, ends));
    let ways = Ways {
        heads: &heads,
        strings: &strings,
        kept,
    };
    // Geodesic lengths (the costly part), order kept.
    let crossing_kzt = costs.railway_crossing_kzt;
    pieces.par_iter_mut().for_each(|p| {
        let r = &pts.way(p.way as usize)[p.from as usize..=p.to as usize];
        p.length_m = polyline_length_of(r.iter().map(|q| q.lonlat()));
        p.cost_kzt = (p.length_m * per_km_of[p.way as usize] as f64 / 1000.0).round() as Kzt
            + p.railway_crossings as Kzt * crossing_kzt;
    });
    drop(per_km_of);
    // Kilometres by kind and class, summed in piece order as before (each class's sum
    // starts from 0, so the same figures to the bit).
    let mut km: BTreeMap<(CorridorKind, ClassId), f64> = BTreeMap::new();
    for p in &pieces {
        let l = &look[p.way as usize];
        *km.entry((l.kind, l.class)).or_default() += p.length_m / 1000.0;
    }
    for ((kind, class), km) in km {
        let class = class.index().map_or("", |i| &class_table[i]).to_string();
        if let Some(st) = stats.by_class.get_mut(&(kind, class)) {
            st.km += km;
        }
    }
    let (mut pieces, nodes, osm_id) = contract_chains(&ways, &look, pieces, nodes, osm_id);
    // A contracted chain may run along ways far apart: its geometry is made now, so that
    // the corridors made in order read only their own way's points, and each block of
    // points can go once the corridors have passed it.
    pieces.par_iter_mut().for_each(|p| {
        if let Some(m) = &mut p.merged {
            m.geometry = P::geometry(run_points(&pts, &m.runs));
            m.runs = Vec::new();
        }
    });
    let in_way_order = pieces.windows(2).all(|w| w[0].way <= w[1].way);
    let mut g = PlanningGraph {
        nodes,
        corridors: Vec::with_capacity(pieces.len()),
        class_table,
        ..PlanningGraph::default()
    };
    // Names interned: one string each in `g.name_table`.
    let mut name_index: std::collections::HashMap<Arc<str>, u32> = Default::default();
    let mut name_ids: Vec<u32> = Vec::new();
    // In chunks, each freed once its corridors are made: the one buffer of a country's
    // pieces (about 200 MiB) would otherwise be held whole to the end.
    for mut chunk in into_chunks(pieces, 1 << 14) {
        let made: Vec<Corridor> = chunk
            .par_iter_mut()
            .map(|p| {
                let geometry = match &mut p.merged {
                    Some(m) => std::mem::take(&mut m.geometry),
                    None => P::geometry(run_points(&pts, &[[p.way, p.from, p.to]])),
                };
                Corridor {
                    a: p.a,
                    b: p.b,
                    geometry,
                    length_m: p.length_m,
                    costed_length_m: p.length_m,
                    cost_kzt: p.cost_kzt,
                    kind: look[p.way as usize].kind,
                    class: look[p.way as usize].class,
                    paved: look[p.way as usize].paved,
                    // The lists are added below, in order.
                    osm_ways: Default::default(),
                    names: Default::default(),
                    bridges: p.bridges,
                    tunnels: p.tunnels,
                    railway_crossings: p.railway_crossings,
                }
            })
            .collect();
        for (mut c, p) in made.into_iter().zip(&chunk) {
            let id = [ways.id(p.way as usize)];
            let (ids, names): (&[i64], Vec<&str>) = match &p.merged {
                Some(m) => (&m.osm_ways, m.names.iter().map(|s| s.as_str()).collect()),
                None => (&id, ways.names(p.way as usize).collect()),
            };
            c.osm_ways = g.push_way_ids(ids);
            name_ids.clear();
            for n in names {
                let id = match name_index.get(n) {
                    Some(&id) => id,
                    None => {
                        let id = g.name_table.len() as u32;
                        let s: Arc<str> = Arc::from(n);
                        g.name_table.push(s.clone());
                        name_index.insert(s, id);
                        id
                    }
                };
                name_ids.push(id);
            }
            c.names = g.push_name_ids(&name_ids);
            g.corridors.push(c);
        }
        // The pieces come in way order: the ways before this chunk's last are done.
        if let (true, Some(last)) = (in_way_order, chunk.last()) {
            pts.free_before(last.way as usize);
        }
    }
    g.way_ids.shrink_to_fit();
    g.name_ids.shrink_to_fit();
    (g, osm_id, crossings)
}

/// `v` cut into consecutive chunks of `n` items (the last one shorter), in order. The chunks
/// are cut from the end and `v` gives its room back as it goes, so that `v` and its chunks
/// are never held whole at once.
fn into_chunks<T>(mut v: Vec<T>, n: usize) -> Vec<Vec<T>> {
    let n = n.max(1);
    let mut out = Vec::with_capacity(v.len().div_ceil(n));
    while !v.is_empty() {
        out.push(v.split_off((v.len() - 1) / n * n));
        v.shrink_to_fit();
    }
    out.reverse();
    out
}

/// Step 3: contract degree-2 nodes between pieces of the same kind, class and surface.
/// Removes the contracted nodes and renumbers the rest in their order; returns the pieces
/// left, the nodes and their OSM ids.
fn contract_chains(
    ways: &Ways,
    look: &[WayLook],
    mut pieces: Vec<Piece>,
    nodes: Vec<LonLat>,
    osm_id: Vec<Option<i64>>,
) -> (Vec<Piece>, Vec<LonLat>, Vec<Option<i64>>) {
    let n = nodes.len();
    // Incident pieces of each node while it has at most two (more are never contracted).
    const MANY: u32 = u32::MAX;
    let mut inc: Vec<[u32; 2]> = vec![[MANY, MANY]; n];
    let mut deg = vec![0u8; n];
    for (i, p) in pieces.iter().enumerate() {
        for v in [p.a as usize, p.b as usize] {
            if (deg[v] as usize) < 2 {
                inc[v][deg[v] as usize] = i as u32;
            }
            deg[v] = deg[v].saturating_add(1);
        }
    }
    let mut alive = vec![true; pieces.len()];
    let mut node_alive = vec![true; n];
    for v in 0..n {
        if deg[v] != 2 {
            continue;
        }
        let (c1, c2) = (inc[v][0] as usize, inc[v][1] as usize);
        if c1 == c2 {
            continue;
        }
        let (x, y) = (&pieces[c1], &pieces[c2]);
        let (wx, wy) = (x.way as usize, y.way as usize);
        if look[wx].kind != look[wy].kind
            || look[wx].class != look[wy].class
            || look[wx].paved != look[wy].paved
        {
            continue;
        }
        let other1 = if x.a as usize == v { x.b } else { x.a };
        let other2 = if y.a as usize == v { y.b } else { y.a };
        if other1 == other2 {
            continue; // would make a loop
        }
        // c1 oriented to end at v, c2 oriented to start at v; c2's first point (v) dropped.
        let mut first = x.runs();
        if x.a as usize == v {
            reverse_runs(&mut first);
        }
        let mut second = y.runs();
        if y.b as usize == v {
            reverse_runs(&mut second);
        }
        let r = &mut second[0];
        if r[1] == r[2] {
            second.remove(0);
        } else if r[1] < r[2] {
            r[1] += 1;
        } else {
            r[1] -= 1;
        }
        first.extend_from_slice(&second);
        let (mut ways_y, mut names_y) = y.lists(ways);
        if y.b as usize == v {
            ways_y.reverse();
            names_y.reverse();
        }
        let x_reversed = x.a as usize == v;
        let (mut ways_x, mut names_x) = x.lists(ways);
        if x_reversed {
            ways_x.reverse();
            names_x.reverse();
        }
        for w in ways_y {
            if !ways_x.contains(&w) {
                ways_x.push(w);
            }
        }
        for s in names_y {
            if !names_x.contains(&s) {
                names_x.push(s);
            }
        }
        let (length_m, cost_kzt) = (y.length_m, y.cost_kzt);
        let (bridges, tunnels, crossings) = (y.bridges, y.tunnels, y.railway_crossings);
        pieces[c2].merged = None;
        let x = &mut pieces[c1];
        x.a = other1;
        x.b = other2;
        x.length_m += length_m;
        x.cost_kzt += cost_kzt;
        x.bridges += bridges;
        x.tunnels += tunnels;
        x.railway_crossings += crossings;
        x.merged = Some(Box::new(Merged {
            runs: first,
            osm_ways: ways_x,
            names: names_x,
            geometry: Geometry::default(),
        }));
        alive[c2] = false;
        node_alive[v] = false;
        deg[v] = 0;
        let o2 = other2 as usize;
        for e in inc[o2].iter_mut() {
            if *e as usize == c2 {
                *e = c1 as u32;
            }
        }
    }
    // Renumbered, and the nodes and their ids compacted where they are (copies of both
    // would be held beside them).
    drop((inc, deg));
    let mut new_id = vec![u32::MAX; n];
    let mut kept_n = 0u32;
    for (v, &a) in node_alive.iter().enumerate() {
        if a {
            new_id[v] = kept_n;
            kept_n += 1;
        }
    }
    let (mut nodes, mut ids) = (nodes, osm_id);
    let mut v = 0;
    nodes.retain(|_| {
        v += 1;
        node_alive[v - 1]
    });
    let mut v = 0;
    ids.retain(|_| {
        v += 1;
        node_alive[v - 1]
    });
    nodes.shrink_to_fit();
    ids.shrink_to_fit();
    let mut i = 0;
    pieces.retain(|_| {
        i += 1;
        alive[i - 1]
    });
    for p in &mut pieces {
        p.a = new_id[p.a as usize];
        p.b = new_id[p.b as usize];
    }
    (pieces, nodes, ids)
}

/// Connected components: the component of each node (numbered in order of their smallest
/// node) and their number.
pub fn components(g: &PlanningGraph) -> (Vec<u32>, usize) {
    let n = g.nodes.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for c in &g.corridors {
        let (ra, rb) = (find(&mut parent, c.a), find(&mut parent, c.b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi as usize] = lo;
        }
    }
    let mut label = vec![u32::MAX; n];
    let mut comp = vec![0u32; n];
    let mut count = 0u32;
    for v in 0..n as u32 {
        let r = find(&mut parent, v) as usize;
        if label[r] == u32::MAX {
            label[r] = count;
            count += 1;
        }
        comp[v as usize] = label[r];
    }
    (comp, count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::{distance_m, length_m};
    use fiberplan_model::RoadClassCost;
    use proptest::prelude::*;

    #[test]
    fn chunks_keep_order_and_sizes() {
        assert!(into_chunks(Vec::<u8>::new(), 3).is_empty());
        let v: Vec<u32> = (0..10).collect();
        let c = into_chunks(v.clone(), 4);
        assert_eq!(c, vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7], vec![8, 9]]);
        assert_eq!(into_chunks(v.clone(), 5).len(), 2);
        assert_eq!(into_chunks(v.clone(), 1).len(), 10);
        assert_eq!(into_chunks(v.clone(), 64), vec![v]);
    }

    fn costs() -> CorridorCosts {
        CorridorCosts {
            proxy_per_km: 0,
            offroad_per_km: 2_000,
            road: BTreeMap::from([(
                "primary".into(),
                RoadClassCost {
                    paved_per_km: 1_500,
                    unpaved_per_km: 1_200,
                },
            )]),
            road_default: RoadClassCost {
                paved_per_km: 1_000,
                unpaved_per_km: 800,
            },
            bridge_extra_per_km: 500,
            tunnel_extra_per_km: 700,
            power_line_per_km: 300,
            railway_per_km: 1_200,
            railway_crossing_kzt: 10_000,
        }
    }

    fn way(id: i64, kind: OsmWayKind, class: &str, nodes: &[(i64, [f64; 2])]) -> OsmWay {
        OsmWay {
            id,
            kind,
            class: class.into(),
            paved: None,
            bridge: false,
            tunnel: false,
            name: format!("w{id}"),
            reference: String::new(),
            nodes: nodes.iter().map(|n| n.0).collect(),
            coords: nodes.iter().map(|n| n.1).collect(),
        }
    }

    fn road(id: i64, class: &str, nodes: &[(i64, [f64; 2])]) -> OsmWay {
        way(id, OsmWayKind::Road, class, nodes)
    }

    fn village(id: &str, lonlat: LonLat) -> Village {
        Village {
            id: id.into(),
            name: id.into(),
            name_kk: String::new(),
            name_ru: String::new(),
            lonlat,
            place: "village".into(),
            population: 100,
            households: 30,
            population_imputed: false,
            kato: String::new(),
            rural_okrug: String::new(),
            existing_fibre: None,
            district: None,
        }
    }

    fn build(ways: Vec<OsmWay>, villages: &[Village]) -> RoadGraph {
        let osm = OsmData {
            ways,
            ..Default::default()
        };
        build_road_graph(
            &osm,
            villages,
            &Backbone::default(),
            &costs(),
            &RoadGraphOptions::default(),
        )
        .unwrap()
    }

    fn check_invariants(g: &PlanningGraph) {
        for c in &g.corridors {
            assert_ne!(c.a, c.b, "no loops");
            assert_eq!(c.geometry.get(0), g.nodes[c.a as usize]);
            assert_eq!(c.geometry.last().unwrap(), g.nodes[c.b as usize]);
            assert!((c.length_m - length_m(&c.geometry.to_vec())).abs() < 1e-6);
        }
    }

    const A: (i64, [f64; 2]) = (1, [70.0, 45.0]);
    const X: (i64, [f64; 2]) = (2, [70.01, 45.0]);
    const B: (i64, [f64; 2]) = (3, [70.02, 45.0]);
    const C: (i64, [f64; 2]) = (4, [70.01, 44.99]);
    const D: (i64, [f64; 2]) = (5, [70.01, 45.01]);

    #[test]
    fn two_ways_crossing_make_four_corridors_at_five_nodes() {
        let r = build(
            vec![
                road(10, "residential", &[A, X, B]),
                road(11, "residential", &[C, X, D]),
            ],
            &[],
        );
        let g = &r.graph;
        check_invariants(g);
        assert_eq!((g.nodes.len(), g.corridors.len()), (5, 4));
        assert_eq!(
            r.node_osm_id,
            vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
        let len_ax = distance_m(A.1, X.1);
        assert!((g.corridors[0].length_m - len_ax).abs() < 1e-6);
        // Untagged residential is taken as unpaved: 800 per km.
        assert_eq!(g.corridors[0].cost_kzt, (len_ax * 0.8).round() as Kzt);
        assert_eq!(g.corridors[0].paved, Some(false));
        assert_eq!(g.names(&g.corridors[0]).collect::<Vec<_>>(), ["w10"]);
        assert_eq!(r.stats.components, 1);
        let st = &r.stats.by_class[&(CorridorKind::Road, "residential".to_string())];
        assert_eq!(st.ways, 2);
        let want_km = (length_m(&[A.1, X.1, B.1]) + length_m(&[C.1, X.1, D.1])) / 1000.0;
        assert!((st.km - want_km).abs() < 1e-9);
    }

    #[test]
    fn degree_two_chains_contract_when_alike_only() {
        let r = build(
            vec![
                road(10, "residential", &[A, X]),
                road(11, "residential", &[X, B]),
            ],
            &[],
        );
        let g = &r.graph;
        check_invariants(g);
        assert_eq!((g.nodes.len(), g.corridors.len()), (2, 1));
        let c = &g.corridors[0];
        assert_eq!(c.geometry, vec![A.1, X.1, B.1]);
        assert_eq!(r.graph.osm_ways(c), [10, 11]);
        assert_eq!(r.graph.names(c).collect::<Vec<_>>(), ["w10", "w11"]);
        assert_eq!(
            c.cost_kzt,
            (distance_m(A.1, X.1) * 0.8).round() as Kzt
                + (distance_m(X.1, B.1) * 0.8).round() as Kzt
        );
        // Second way drawn backwards: still one corridor, geometry in order.
        let r = build(
            vec![
                road(10, "residential", &[A, X]),
                road(11, "residential", &[B, X]),
            ],
            &[],
        );
        assert_eq!(r.graph.corridors.len(), 1);
        assert_eq!(r.graph.corridors[0].geometry, vec![A.1, X.1, B.1]);
        // Different class: the junction stays.
        let r = build(
            vec![
                road(10, "residential", &[A, X]),
                road(11, "primary", &[X, B]),
            ],
            &[],
        );
        assert_eq!((r.graph.nodes.len(), r.graph.corridors.len()), (3, 2));
        let link = road(12, "primary_link", &[A, X]);
        assert_eq!(
            way_per_km(&link, &costs()),
            1_500,
            "priced as primary (paved by default)"
        );
        assert_eq!(
            r.graph.corridors[1].cost_kzt,
            (distance_m(X.1, B.1) * 1.5).round() as Kzt
        );
    }

    #[test]
    fn a_closed_way_is_split_and_never_a_loop() {
        let ring = [
            A,
            (6, [70.0, 45.01]),
            (7, [69.99, 45.01]),
            (8, [69.99, 45.0]),
            A,
        ];
        let r = build(
            vec![road(10, "service", &ring), road(11, "service", &[A, X])],
            &[],
        );
        check_invariants(&r.graph);
        assert_eq!((r.graph.nodes.len(), r.graph.corridors.len()), (3, 3));
        let total: f64 = r.graph.corridors.iter().map(|c| c.length_m).sum();
        assert!((total - length_m(&ring.map(|n| n.1)) - distance_m(A.1, X.1)).abs() < 1e-6);
    }

    #[test]
    fn level_crossing_is_charged_once_and_bridges_cost_extra() {
        let mut bridge = road(12, "unclassified", &[B, (9, [70.03, 45.0])]);
        bridge.bridge = true;
        let rail = way(20, OsmWayKind::Railway, "rail", &[C, X, D]);
        let r = build(vec![road(10, "residential", &[A, X, B]), rail, bridge], &[]);
        let g = &r.graph;
        check_invariants(g);
        assert_eq!(r.stats.railway_crossings, 1);
        let charged: Vec<_> = g
            .corridors
            .iter()
            .filter(|c| c.railway_crossings > 0)
            .collect();
        assert_eq!(charged.len(), 1);
        assert_eq!(charged[0].kind, CorridorKind::Road);
        assert_eq!(
            charged[0].cost_kzt,
            (distance_m(A.1, X.1) * 0.8).round() as Kzt + 10_000
        );
        let rail_c = g
            .corridors
            .iter()
            .find(|c| c.kind == CorridorKind::Railway)
            .unwrap();
        assert_eq!(rail_c.cost_kzt, (rail_c.length_m * 1.2).round() as Kzt);
        let b = g.corridors.iter().find(|c| c.bridges == 1).unwrap();
        assert_eq!(b.cost_kzt, (b.length_m * (0.8 + 0.5)).round() as Kzt);
    }

    #[test]
    fn village_off_the_road_gets_a_foot_node_and_a_spur() {
        let v = village("v", [70.005, 45.001]);
        let r = build(
            vec![road(10, "residential", &[A, B])],
            std::slice::from_ref(&v),
        );
        let g = &r.graph;
        check_invariants(g);
        // A, B, the foot on the road, the village point.
        assert_eq!((g.nodes.len(), g.corridors.len()), (4, 3));
        let vn = g.village_node[0].unwrap() as usize;
        assert_eq!(g.nodes[vn], v.lonlat);
        let spur = g
            .corridors
            .iter()
            .find(|c| c.kind == CorridorKind::Offroad)
            .unwrap();
        let foot = g.nodes[spur.b as usize];
        assert!(
            (foot[0] - 70.005).abs() < 1e-9 && foot[1] == 45.0,
            "{foot:?}"
        );
        assert!((spur.length_m - distance_m(v.lonlat, foot)).abs() < 1e-9);
        assert!((110.0..113.0).contains(&spur.length_m), "{}", spur.length_m);
        assert_eq!(spur.cost_kzt, (spur.length_m * 2.0).round() as Kzt);
        // The road is split with its cost kept exactly.
        let whole = (distance_m(A.1, B.1) * 0.8).round() as Kzt;
        let roads: Kzt = g
            .corridors
            .iter()
            .filter(|c| c.kind == CorridorKind::Road)
            .map(|c| c.cost_kzt)
            .sum();
        assert_eq!(roads, whole);
        assert_eq!((r.stats.villages_placed, r.stats.offroad_spurs), (1, 1));
    }

    #[test]
    fn village_on_a_vertex_uses_it_and_far_village_is_unplaced() {
        let on = village("on", X.1);
        let far = village("far", [70.01, 46.0]);
        let r = build(vec![road(10, "residential", &[A, X, B])], &[on, far]);
        let g = &r.graph;
        check_invariants(g);
        assert_eq!((g.nodes.len(), g.corridors.len()), (3, 2));
        assert_eq!(g.nodes[g.village_node[0].unwrap() as usize], X.1);
        assert_eq!(g.village_node[1], None);
        assert_eq!((r.stats.villages_placed, r.stats.villages_unplaced), (1, 1));
    }

    #[test]
    fn pops_and_line_joints_are_placed() {
        let osm = OsmData {
            ways: vec![road(10, "residential", &[A, X, B])],
            ..Default::default()
        };
        let backbone = Backbone {
            pops: vec![Pop {
                id: "p".into(),
                name: "P".into(),
                lonlat: A.1,
                source: PopSource::Town,
            }],
            lines: vec![vec![[70.02, 45.0005], [70.02, 45.2]]],
            is_proxy: false,
            description: String::new(),
        };
        let r =
            build_road_graph(&osm, &[], &backbone, &costs(), &RoadGraphOptions::default()).unwrap();
        assert_eq!(r.graph.pop_node.len(), 2);
        assert_eq!(r.graph.pop_node[0], Some(0));
        assert_eq!(
            r.line_joints.len(),
            1,
            "only the vertex near the road joins"
        );
        assert_eq!(r.line_joints[0].source, PopSource::LineJoint);
        assert_eq!(r.stats.line_joints, 1);
        // A line 100 m beside the road, drawn with two vertices 1.6 km apart: its ends and
        // one point between them (1 km spacing) join the road at A, X and B.
        let beside = Backbone {
            lines: vec![vec![[70.0, 45.0009], [70.02, 45.0009]]],
            ..Default::default()
        };
        let r =
            build_road_graph(&osm, &[], &beside, &costs(), &RoadGraphOptions::default()).unwrap();
        let ids: Vec<&str> = r.line_joints.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["line0/v0", "line0/v0+1", "line0/v1"]);
        let road_end: Vec<LonLat> = r
            .graph
            .pop_node
            .iter()
            .map(|n| {
                let spur = r.graph.corridors.iter().find(|c| Some(c.a) == *n).unwrap();
                assert_eq!(spur.kind, CorridorKind::Offroad);
                r.graph.nodes[spur.b as usize]
            })
            .collect();
        assert_eq!(road_end, vec![A.1, X.1, B.1]);
    }

    proptest! {
        /// The chord-based length agrees with Karney's geodesic to 1e-7 of the length
        /// (segments up to 20 km; longer ones are Karney's own), anywhere on Earth.
        #[test]
        fn polyline_length_agrees_with_karney(
            lon in -180.0f64..180.0,
            lat in -85.0f64..85.0,
            pts in proptest::collection::vec((-0.2f64..0.2, -0.2f64..0.2), 1..6),
        ) {
            let mut line = vec![[lon, lat]];
            for (dx, dy) in pts {
                let last = *line.last().unwrap();
                line.push([last[0] + dx, (last[1] + dy).clamp(-89.0, 89.0)]);
            }
            for w in line.windows(2) {
                let want = distance_m(w[0], w[1]);
                let got = polyline_length_m(w);
                prop_assert!((got - want).abs() <= 1e-7 * want + 1e-9, "{w:?}: {got} vs {want}");
            }
            let want = length_m(&line);
            prop_assert!((polyline_length_m(&line) - want).abs() <= 1e-7 * want + 1e-9);
        }
    }

    #[test]
    fn empty_extract_places_nothing() {
        let r = build(vec![], &[village("v", A.1)]);
        assert_eq!(r.graph.village_node, vec![None]);
        assert_eq!(r.stats.components, 0);
    }

    /// Every corridor reads back its way's class; an extract with more distinct classes
    /// than a class id numbers is an error, one fewer is not.
    #[test]
    fn classes_are_numbered_and_capped() {
        let ways = |n: i64| -> Vec<OsmWay> {
            (0..n)
                .map(|i| {
                    let lon = 60.0 + (i % 1000) as f64 * 0.01;
                    let lat = 40.0 + (i / 1000) as f64 * 0.01;
                    road(
                        i,
                        &format!("c{i}"),
                        &[(2 * i, [lon, lat]), (2 * i + 1, [lon + 0.005, lat])],
                    )
                })
                .collect()
        };
        let build = |w: Vec<OsmWay>| {
            let osm = OsmData {
                ways: w,
                ..Default::default()
            };
            build_road_graph(
                &osm,
                &[],
                &Backbone::default(),
                &costs(),
                &RoadGraphOptions::default(),
            )
        };
        let max = i64::from(u16::MAX);
        let r = build(ways(max)).unwrap();
        assert_eq!(r.graph.class_table.len(), u16::MAX as usize);
        for c in &r.graph.corridors {
            let way = r.graph.osm_ways(c)[0];
            assert_eq!(r.graph.class(c), format!("c{way}"));
        }
        assert_eq!(build(ways(max + 1)).unwrap_err(), TooManyClasses);
    }
}
