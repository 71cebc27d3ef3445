//! The graph every plan is solved on, and its view as a rooted Steiner instance.

use fiberplan_model::{Kzt, LonLat};
use fiberplan_steiner::{Cost, Graph, Instance, NodeId};
use std::sync::Arc;

/// What a corridor runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CorridorKind {
    /// Straight line between two places, costed at length x circuity (no road data).
    Proxy,
    /// An OSM road (`highway=*`).
    Road,
    /// Aerial cable on an existing power line.
    PowerLine,
    /// Along a railway.
    Railway,
    /// Off-road spur from a village or point of presence to the nearest corridor.
    Offroad,
}

impl CorridorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorridorKind::Proxy => "proxy",
            CorridorKind::Road => "road",
            CorridorKind::PowerLine => "power_line",
            CorridorKind::Railway => "railway",
            CorridorKind::Offroad => "offroad",
        }
    }
}

/// One edge of the planning graph: a stretch of possible new fibre between two nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Corridor {
    pub a: u32,
    pub b: u32,
    /// Drawn geometry from node `a` to node `b`, both ends included.
    pub geometry: Geometry,
    /// Geodesic length of `geometry`, metres.
    pub length_m: f64,
    /// Length the cost is based on: `length_m` x circuity for the proxy, `length_m` otherwise.
    pub costed_length_m: f64,
    /// Cost of building this corridor, whole tenge; the solver's edge weight.
    pub cost_kzt: Kzt,
    pub kind: CorridorKind,
    /// OSM class for roads (`primary`, `track`, ...), railways and power lines; none
    /// otherwise (read with [`PlanningGraph::class`]).
    pub class: ClassId,
    /// Road surface, when known.
    pub paved: Option<bool>,
    /// OSM way ids along this corridor, in order, without repeats: a run of the graph's
    /// [`PlanningGraph::way_ids`] (read with [`PlanningGraph::osm_ways`]).
    pub osm_ways: ListRange,
    /// Road names (`name`/`ref`) along this corridor, in order, without repeats: a run of
    /// the graph's [`PlanningGraph::name_ids`] (read with [`PlanningGraph::names`]).
    pub names: ListRange,
    /// Number of bridge / tunnel stretches and railway crossings along the corridor.
    pub bridges: u32,
    pub tunnels: u32,
    pub railway_crossings: u32,
}

/// A corridor's class as an index into [`PlanningGraph::class_table`], plus one; 0 is no
/// class. Two bytes where a shared string took sixteen: a country has millions of corridors
/// and a few dozen classes (issue 19).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassId(u16);

impl ClassId {
    /// No class: proxy and off-road corridors.
    pub const NONE: ClassId = ClassId(0);

    /// Its index in [`PlanningGraph::class_table`]; `None` for [`ClassId::NONE`].
    pub fn index(self) -> Option<usize> {
        self.0.checked_sub(1).map(usize::from)
    }

    /// The id of `class_table[index]`, when the table is small enough to number it.
    pub fn of_index(index: usize) -> Result<ClassId, TooManyClasses> {
        u16::try_from(index + 1)
            .map(ClassId)
            .map_err(|_| TooManyClasses)
    }
}

/// More distinct corridor classes than a [`ClassId`] can number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyClasses;

impl std::fmt::Display for TooManyClasses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "more than {} distinct corridor classes (OSM highway, railway and power values)",
            u16::MAX
        )
    }
}

impl std::error::Error for TooManyClasses {}

/// A corridor's run `start..start + len` in one of the graph's shared lists: a country has
/// millions of corridors, most with one way id and a name or none, which as lists of their
/// own took more room than the ids (issue 19). Pieces of a split corridor share its run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListRange {
    pub start: u32,
    pub len: u32,
}

impl ListRange {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// A corridor's points, as compact as they can be stored exactly: a country extract's
/// corridors hold tens of millions of points (issue 19).
///
/// OSM positions are whole 1e-7 degrees (the PBF resolution) read as `e7 as f64 * 1e-7`;
/// such a line is kept as `[i32; 2]` per point, half the room of `[f64; 2]`, and gives back
/// the very same `f64` bits. A line with any other point (a snapped foot, a village, a
/// proxy line) keeps its `f64` bits whole, behind a marker slot. Either way a point reads
/// back bit for bit as it was given, so outputs do not change.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Geometry(Box<[[i32; 2]]>);

/// First slot of a line kept as `f64` bits (no real position is -214.7 degrees).
const F64_MARK: [i32; 2] = [i32::MIN, i32::MIN];

/// `p` as whole 1e-7 degrees, when that reads back as exactly `p`.
fn as_e7(p: LonLat) -> Option<[i32; 2]> {
    let e7 = |d: f64| {
        let x = (d * 1e7).round();
        (x.abs() < 2e9 && (x as i32) as f64 * 1e-7 == d && d.to_bits() != (-0.0f64).to_bits())
            .then_some(x as i32)
    };
    Some([e7(p[0])?, e7(p[1])?]).filter(|q| *q != F64_MARK)
}

fn split_bits(x: f64) -> [i32; 2] {
    let b = x.to_bits();
    [b as u32 as i32, (b >> 32) as u32 as i32]
}

fn join_bits(s: [i32; 2]) -> f64 {
    f64::from_bits(s[0] as u32 as u64 | (s[1] as u32 as u64) << 32)
}

impl Geometry {
    /// Number of points.
    pub fn len(&self) -> usize {
        if self.is_f64() {
            (self.0.len() - 1) / 2
        } else {
            self.0.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn is_f64(&self) -> bool {
        self.0.first() == Some(&F64_MARK)
    }

    /// Point `i`; panics when out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> LonLat {
        if self.is_f64() {
            [join_bits(self.0[1 + 2 * i]), join_bits(self.0[2 + 2 * i])]
        } else {
            let q = self.0[i];
            [q[0] as f64 * 1e-7, q[1] as f64 * 1e-7]
        }
    }

    pub fn first(&self) -> Option<LonLat> {
        (!self.is_empty()).then(|| self.get(0))
    }

    pub fn last(&self) -> Option<LonLat> {
        (!self.is_empty()).then(|| self.get(self.len() - 1))
    }

    /// The points in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = LonLat> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The points as a plain vector.
    pub fn to_vec(&self) -> Vec<LonLat> {
        self.iter().collect()
    }
}

impl From<&[LonLat]> for Geometry {
    fn from(points: &[LonLat]) -> Self {
        let e7: Option<Vec<[i32; 2]>> = points.iter().map(|p| as_e7(*p)).collect();
        match e7 {
            Some(v) => Geometry(v.into_boxed_slice()),
            None => {
                let mut v = Vec::with_capacity(1 + 2 * points.len());
                v.push(F64_MARK);
                for p in points {
                    v.push(split_bits(p[0]));
                    v.push(split_bits(p[1]));
                }
                Geometry(v.into_boxed_slice())
            }
        }
    }
}

impl Geometry {
    /// The line of these positions in 1e-7 degrees (`e7 as f64 * 1e-7` each, as the OSM
    /// readers give them): the same as `Geometry::from` of those `LonLat`s, made without a
    /// copy when every point can be kept as it is.
    pub fn from_e7(points: Vec<[i32; 2]>) -> Geometry {
        // `as_e7` of `e7 as f64 * 1e-7` gives `e7` back whenever |e7| < 2e9.
        let kept =
            |q: &[i32; 2]| *q != F64_MARK && q.iter().all(|c| c.unsigned_abs() < 2_000_000_000);
        if points.iter().all(kept) {
            Geometry(points.into_boxed_slice())
        } else {
            let v: Vec<LonLat> = points
                .iter()
                .map(|q| [q[0] as f64 * 1e-7, q[1] as f64 * 1e-7])
                .collect();
            Geometry::from(v)
        }
    }
}

impl From<Vec<LonLat>> for Geometry {
    fn from(points: Vec<LonLat>) -> Self {
        Geometry::from(points.as_slice())
    }
}

impl std::fmt::Debug for Geometry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq<Vec<LonLat>> for Geometry {
    fn eq(&self, other: &Vec<LonLat>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(p, q)| p == *q)
    }
}

/// Nodes, corridors, and where the villages and points of presence sit on them.
#[derive(Clone, Debug, Default)]
pub struct PlanningGraph {
    /// Node positions.
    pub nodes: Vec<LonLat>,
    pub corridors: Vec<Corridor>,
    /// Node of each input village (same index as the village list); `None` when it could
    /// not be placed on the graph (written as `unreachable`).
    pub village_node: Vec<Option<u32>>,
    /// Node of each point of presence (same index as the backbone's pops); `None` when not placed.
    pub pop_node: Vec<Option<u32>>,
    /// Nodes on existing fibre lines (sorted): part of the existing network, like points of
    /// presence; the ones a plan attaches to are reported as `pop` features.
    pub line_joints: Vec<u32>,
    /// The corridors' OSM way ids, run after run ([`Corridor::osm_ways`]).
    pub way_ids: Vec<i64>,
    /// The corridors' road names, run after run ([`Corridor::names`]), as indices into
    /// `name_table`.
    pub name_ids: Vec<u32>,
    /// Distinct road names, in order of first use.
    pub name_table: Vec<Arc<str>>,
    /// Distinct corridor classes ([`Corridor::class`]), in order of first use.
    pub class_table: Vec<Box<str>>,
}

/// The planning graph as a rooted Steiner instance: all points of presence contracted into
/// node 0 (the root), every other node shifted by one.
pub struct SteinerView {
    pub instance: Instance,
    /// Planning-graph node of each instance node (`None` for the root).
    pub node_of: Vec<Option<u32>>,
    /// Instance node of each planning-graph node (pop nodes map to the root, 0).
    pub inst_of: Vec<NodeId>,
    /// Corridor of each instance edge (edges inside the root are dropped).
    pub corridor_of: Vec<u32>,
}

impl PlanningGraph {
    /// The class of `c` (`primary`, `track`, `rail`, ...); empty when it has none.
    pub fn class(&self, c: &Corridor) -> &str {
        c.class.index().map_or("", |i| &self.class_table[i])
    }

    /// The OSM way ids along `c`, in order.
    pub fn osm_ways(&self, c: &Corridor) -> &[i64] {
        &self.way_ids[c.osm_ways.range()]
    }

    /// The road names along `c`, in order.
    pub fn names<'a>(&'a self, c: &Corridor) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        self.name_ids[c.names.range()]
            .iter()
            .map(|&i| &*self.name_table[i as usize])
    }

    /// Appends `ids` to [`PlanningGraph::way_ids`]: the run for [`Corridor::osm_ways`].
    pub fn push_way_ids(&mut self, ids: &[i64]) -> ListRange {
        let start = u32::try_from(self.way_ids.len()).expect("fewer than 2^32 way ids");
        self.way_ids.extend_from_slice(ids);
        ListRange {
            start,
            len: ids.len() as u32,
        }
    }

    /// Appends the names of `table` indices `ids` to [`PlanningGraph::name_ids`]: the run
    /// for [`Corridor::names`].
    pub fn push_name_ids(&mut self, ids: &[u32]) -> ListRange {
        let start = u32::try_from(self.name_ids.len()).expect("fewer than 2^32 names");
        self.name_ids.extend_from_slice(ids);
        ListRange {
            start,
            len: ids.len() as u32,
        }
    }

    /// Contract the points of presence into one root and make villages terminals with
    /// `prize(village index)` as their prize (households, or a technology's cost).
    ///
    /// Several villages on one node add up their prizes.
    pub fn steiner_view(&self, prize: impl Fn(usize) -> Cost) -> SteinerView {
        let n = self.nodes.len();
        let mut is_pop = vec![false; n];
        for v in self.pop_node.iter().flatten().chain(&self.line_joints) {
            is_pop[*v as usize] = true;
        }
        let mut inst_of = vec![0 as NodeId; n];
        let mut node_of = vec![None];
        for v in 0..n {
            if !is_pop[v] {
                inst_of[v] = node_of.len() as NodeId;
                node_of.push(Some(v as u32));
            }
        }
        let mut edges = Vec::with_capacity(self.corridors.len());
        let mut corridor_of = Vec::with_capacity(self.corridors.len());
        for (i, c) in self.corridors.iter().enumerate() {
            let (a, b) = (inst_of[c.a as usize], inst_of[c.b as usize]);
            if a == b {
                continue;
            }
            edges.push((a, b, c.cost_kzt));
            corridor_of.push(i as u32);
        }
        let mut prizes = vec![0 as Cost; node_of.len()];
        let mut terminals = Vec::new();
        for (i, v) in self.village_node.iter().enumerate() {
            if let Some(v) = v {
                // A village on a point of presence is the root's prize: served at no corridor cost.
                let t = inst_of[*v as usize];
                prizes[t as usize] += prize(i);
                if t != 0 {
                    terminals.push(t);
                }
            }
        }
        terminals.sort_unstable();
        terminals.dedup();
        SteinerView {
            instance: Instance {
                graph: Graph::from_edges(node_of.len(), &edges),
                terminals,
                root: Some(0),
                prizes,
            },
            node_of,
            inst_of,
            corridor_of,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_bits(g: &Geometry, pts: &[LonLat]) -> bool {
        g.len() == pts.len()
            && g.iter()
                .zip(pts)
                .all(|(p, q)| p[0].to_bits() == q[0].to_bits() && p[1].to_bits() == q[1].to_bits())
    }

    #[test]
    fn osm_positions_are_kept_as_e7() {
        // As the OSM readers make them: whole 1e-7 degrees times 1e-7.
        let pts: Vec<LonLat> = [[766_543_210, 431_234_567], [-1_799_999_999, -899_999_999]]
            .iter()
            .map(|q: &[i32; 2]| [q[0] as f64 * 1e-7, q[1] as f64 * 1e-7])
            .collect();
        let g = Geometry::from(pts.as_slice());
        assert!(!g.is_f64());
        assert_eq!(g.0.len(), 2, "one [i32; 2] per point");
        assert!(same_bits(&g, &pts));
        assert_eq!(g.first(), Some(pts[0]));
        assert_eq!(g.last(), Some(pts[1]));
    }

    #[test]
    fn other_points_keep_their_f64_bits() {
        // A foot of a perpendicular, a negative zero, a point off the 1e-7 grid.
        for extra in [[76.123_456_789_1, 43.2], [-0.0, 0.0], [1e-9, 5.0]] {
            let pts = vec![[76.0, 43.0], extra, [76.1, 43.1]];
            let g = Geometry::from(pts.clone());
            assert!(g.is_f64(), "{extra:?}");
            assert!(same_bits(&g, &pts), "{extra:?}");
            assert_eq!(g.to_vec().len(), 3);
        }
        assert!(Geometry::from(Vec::new()).is_empty());
        assert_eq!(Geometry::default().first(), None);
    }

    proptest! {
        #[test]
        fn any_points_read_back_bit_for_bit(
            pts in prop::collection::vec((-180.0f64..180.0, -90.0f64..90.0), 0..8),
            e7 in prop::collection::vec((-1_800_000_000i32..1_800_000_000, -900_000_000i32..900_000_000), 0..8),
        ) {
            let mut all: Vec<LonLat> = e7.iter().map(|&(x, y)| [x as f64 * 1e-7, y as f64 * 1e-7]).collect();
            let g = Geometry::from(all.clone());
            prop_assert!(!g.is_f64());
            prop_assert!(same_bits(&g, &all));
            all.extend(pts.iter().map(|&(x, y)| [x, y]));
            let g = Geometry::from(all.clone());
            prop_assert!(same_bits(&g, &all));
            prop_assert_eq!(g.iter().rev().count(), all.len());
        }
    }
}
