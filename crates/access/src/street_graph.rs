//! The street graph of a village: OSM street ways (or a generated layout) cut at every
//! way node and at every premise's street point, with integer geodesic lengths.
//!
//! Each premise is snapped to the nearest point of the nearest street segment (an R-tree
//! of segments in a local metric frame); its drop runs straight from that point to the
//! building. Street pieces that the village's premises need but that no street joins to
//! the feed point's piece are joined by a straight off-street link between their closest
//! nodes (Prim's order over pieces, nearest first), drawn and costed like any section.

use crate::local::{distance_dm, Local};
use fiberplan_model::LonLat;
use fiberplan_network::geodesy::segment_foot;
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;
use std::collections::BTreeMap;

/// One street way: positions, their node ids (shared nodes join ways), its class.
#[derive(Clone, Debug, PartialEq)]
pub struct Street {
    pub coords: Vec<LonLat>,
    /// Node ids, same length as `coords` (OSM ids; generated layouts use negative ids).
    pub nodes: Vec<i64>,
    /// `highway` value (`residential`, `track`, ...), `generated` for a layout street.
    pub class: String,
    /// A pole line (e.g. `power=minor_line`) runs along it: aerial cable needs no new poles.
    pub poles: bool,
}

/// One edge of the street graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreetEdge {
    pub a: u32,
    pub b: u32,
    /// Geodesic length, whole decimetres.
    pub length_dm: i64,
    /// Index of the street it lies on; `None` for an off-street link.
    pub street: Option<u32>,
}

/// The graph, with every snapped point's node and drop.
#[derive(Clone, Debug)]
pub struct StreetGraph {
    pub nodes: Vec<LonLat>,
    pub edges: Vec<StreetEdge>,
    /// Node of each snapped point (premises in order, then the feed point last).
    pub snapped_node: Vec<u32>,
    /// Straight geodesic distance from each point to its street point, decimetres.
    pub drop_dm: Vec<i64>,
    /// Off-street links added to join street pieces.
    pub links: usize,
}

impl StreetGraph {
    /// The feed point's node.
    pub fn feed(&self) -> u32 {
        *self
            .snapped_node
            .last()
            .expect("the feed point is always snapped")
    }
}

/// Builds the street graph and snaps `points` (premises, then the feed point last) to it.
/// Returns `None` when there is no street segment at all.
pub fn build_street_graph(streets: &[Street], points: &[LonLat]) -> Option<StreetGraph> {
    let origin = *points.last()?;
    let local = Local::new(origin);
    let mut nodes: Vec<LonLat> = Vec::new();
    let mut by_id: BTreeMap<i64, u32> = BTreeMap::new();
    // Segments: (node a, node b, street).
    let mut segs: Vec<(u32, u32, u32)> = Vec::new();
    for (si, s) in streets.iter().enumerate() {
        let ids: Vec<u32> = s
            .nodes
            .iter()
            .zip(&s.coords)
            .map(|(&id, &p)| {
                *by_id.entry(id).or_insert_with(|| {
                    nodes.push(p);
                    (nodes.len() - 1) as u32
                })
            })
            .collect();
        for w in ids.windows(2) {
            if w[0] != w[1] {
                segs.push((w[0], w[1], si as u32));
            }
        }
    }
    if segs.is_empty() {
        return None;
    }
    let xy: Vec<[f64; 2]> = nodes.iter().map(|p| local.xy(*p)).collect();
    let tree: RTree<GeomWithData<Line<[f64; 2]>, usize>> = RTree::bulk_load(
        segs.iter()
            .enumerate()
            .map(|(i, &(a, b, _))| GeomWithData::new(Line::new(xy[a as usize], xy[b as usize]), i))
            .collect(),
    );
    // Snap every point: (segment, t along it, snapped position).
    let mut on_seg: Vec<Vec<(f64, usize)>> = vec![Vec::new(); segs.len()];
    let mut snaps: Vec<[f64; 2]> = Vec::with_capacity(points.len());
    for (pi, p) in points.iter().enumerate() {
        let q = local.xy(*p);
        let near = tree.nearest_neighbor(&q).expect("segments are not empty");
        let (t, foot) = segment_foot(q, near.geom().from, near.geom().to);
        snaps.push(foot);
        on_seg[near.data].push((t, pi));
    }
    let mut snapped_node = vec![0u32; points.len()];
    let mut edges: Vec<StreetEdge> = Vec::new();
    for (si, &(a, b, street)) in segs.iter().enumerate() {
        let list = &mut on_seg[si];
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let seg_len = {
            let (pa, pb) = (xy[a as usize], xy[b as usize]);
            ((pb[0] - pa[0]).powi(2) + (pb[1] - pa[1]).powi(2)).sqrt()
        };
        // Points within 0.5 m of each other or of an end share its node.
        let mut prev = a;
        let mut prev_t = 0.0;
        for &(t, pi) in list.iter() {
            let node = if (t * seg_len) < 0.5 && prev == a {
                a
            } else if ((1.0 - t) * seg_len) < 0.5 {
                b
            } else if (t - prev_t) * seg_len < 0.5 && prev != a {
                prev
            } else {
                nodes.push(local.lonlat(snaps[pi]));
                let n = (nodes.len() - 1) as u32;
                edges.push(StreetEdge {
                    a: prev,
                    b: n,
                    length_dm: distance_dm(nodes[prev as usize], nodes[n as usize]),
                    street: Some(street),
                });
                prev = n;
                prev_t = t;
                n
            };
            snapped_node[pi] = node;
        }
        edges.push(StreetEdge {
            a: prev,
            b,
            length_dm: distance_dm(nodes[prev as usize], nodes[b as usize]),
            street: Some(street),
        });
    }
    let drop_dm = points
        .iter()
        .zip(&snapped_node)
        .map(|(p, &n)| distance_dm(*p, nodes[n as usize]))
        .collect();
    let mut g = StreetGraph {
        nodes,
        edges,
        snapped_node,
        drop_dm,
        links: 0,
    };
    join_pieces(&mut g, &local);
    Some(g)
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Joins every piece holding a snapped point to the feed point's piece by straight links,
/// nearest piece first.
fn join_pieces(g: &mut StreetGraph, local: &Local) {
    let n = g.nodes.len();
    let mut uf: Vec<u32> = (0..n as u32).collect();
    for e in &g.edges {
        let (ra, rb) = (find(&mut uf, e.a), find(&mut uf, e.b));
        if ra != rb {
            uf[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let feed_root = find(&mut uf, g.feed());
    // Pieces that hold a snapped point, other than the feed's: root -> their nodes.
    let mut wanted: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &s in &g.snapped_node {
        let r = find(&mut uf, s);
        if r != feed_root {
            wanted.entry(r).or_default();
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut joined: Vec<GeomWithData<[f64; 2], u32>> = Vec::new();
    for v in 0..n as u32 {
        let r = find(&mut uf, v);
        if r == feed_root {
            joined.push(GeomWithData::new(local.xy(g.nodes[v as usize]), v));
        } else if let Some(list) = wanted.get_mut(&r) {
            list.push(v);
        }
    }
    let mut tree = RTree::bulk_load(joined);
    while !wanted.is_empty() {
        // The piece nearest to the joined part, and its closest node pair.
        let mut best: Option<(f64, u32, u32, u32)> = None;
        for (&r, list) in &wanted {
            for &v in list {
                let p = local.xy(g.nodes[v as usize]);
                if let Some(o) = tree.nearest_neighbor(&p) {
                    let d = (o.geom()[0] - p[0]).powi(2) + (o.geom()[1] - p[1]).powi(2);
                    let cand = (d, r, v, o.data);
                    if best.is_none_or(|b| (cand.0, cand.1, cand.2) < (b.0, b.1, b.2)) {
                        best = Some(cand);
                    }
                }
            }
        }
        let Some((_, r, v, u)) = best else { break };
        g.edges.push(StreetEdge {
            a: u,
            b: v,
            length_dm: distance_dm(g.nodes[u as usize], g.nodes[v as usize]),
            street: None,
        });
        g.links += 1;
        for w in wanted.remove(&r).unwrap_or_default() {
            tree.insert(GeomWithData::new(local.xy(g.nodes[w as usize]), w));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premises_split_the_street_at_their_snap_points() {
        // A street along the equator from 0 to 0.002 degrees (about 222.6 m).
        let s = Street {
            coords: vec![[0.0, 0.0], [0.002, 0.0]],
            nodes: vec![1, 2],
            class: "residential".into(),
            poles: false,
        };
        // Two houses 0.0001 degrees (about 11.06 m) north of the street, feed at its west end.
        let pts = [[0.0005, 0.0001], [0.0015, 0.0001], [0.0, 0.0]];
        let g = build_street_graph(&[s], &pts).unwrap();
        assert_eq!(g.nodes.len(), 4);
        assert_eq!(g.edges.len(), 3);
        assert_eq!(g.feed(), 0);
        // Drops: 11.06 m.
        assert_eq!(g.drop_dm, vec![111, 111, 0]);
        // 222.64 m in pieces of 55.66, 111.32 and 55.66 m, each rounded to decimetres.
        let total: i64 = g.edges.iter().map(|e| e.length_dm).sum();
        assert_eq!(total, 557 + 1113 + 557);
        assert_eq!(g.links, 0);
    }

    #[test]
    fn a_detached_street_piece_is_linked_to_the_feed_piece() {
        let a = Street {
            coords: vec![[0.0, 0.0], [0.001, 0.0]],
            nodes: vec![1, 2],
            class: "residential".into(),
            poles: false,
        };
        let b = Street {
            coords: vec![[0.0012, 0.0], [0.002, 0.0]],
            nodes: vec![3, 4],
            class: "residential".into(),
            poles: false,
        };
        let pts = [[0.0018, 0.0001], [0.0, 0.0]];
        let g = build_street_graph(&[a, b], &pts).unwrap();
        assert_eq!(g.links, 1);
        let link = g.edges.last().unwrap();
        assert_eq!(link.street, None);
        // 0.0002 degrees at the equator: 22.26 m.
        assert_eq!(link.length_dm, 223);
    }
}
