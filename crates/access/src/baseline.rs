//! The benchmark's peer: splitters at k-means centres of the premises, each premise by its
//! shortest street path to its splitter, each splitter by its shortest path to the feed.
//!
//! Cable is counted as literature heuristics do: per splitter, the union of its premises'
//! shortest paths (one distribution cable), and the union of the splitters' shortest paths
//! from the feed point (the feeder), plus the drops. Same street graph, premises, splitter
//! count and drops as the design it is compared with.

use crate::local::Local;
use crate::trench::VillageLayout;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Cable of the baseline design, decimetres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BaselineCable {
    pub splitters: usize,
    pub feeder_dm: i64,
    pub distribution_dm: i64,
    /// Drops of the connected premises (`connected[i] > 0`), as in the design.
    pub drop_dm: i64,
}

impl BaselineCable {
    pub fn total_dm(&self) -> i64 {
        self.feeder_dm + self.distribution_dm + self.drop_dm
    }
}

/// Shortest-path predecessors (edge ids) from `src` over the whole street graph.
fn dijkstra(layout: &VillageLayout, adj: &[Vec<(u32, u32)>], src: u32) -> Vec<u32> {
    let n = layout.graph.nodes.len();
    let mut dist = vec![i64::MAX; n];
    let mut pred = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    dist[src as usize] = 0;
    heap.push(Reverse((0i64, src)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for &(w, e) in &adj[v as usize] {
            let nd = d + layout.graph.edges[e as usize].length_dm;
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                pred[w as usize] = e;
                heap.push(Reverse((nd, w)));
            }
        }
    }
    pred
}

/// Length of the union of shortest paths from the source of `pred` to `targets`.
fn union_dm(layout: &VillageLayout, pred: &[u32], targets: &[u32], used: &mut [bool]) -> i64 {
    let mut total = 0;
    let mut marked = Vec::new();
    for &t in targets {
        let mut v = t;
        while pred[v as usize] != u32::MAX && !used[pred[v as usize] as usize] {
            let e = pred[v as usize];
            used[e as usize] = true;
            marked.push(e);
            let se = &layout.graph.edges[e as usize];
            total += se.length_dm;
            v = if se.a == v { se.b } else { se.a };
        }
    }
    for e in marked {
        used[e as usize] = false;
    }
    total
}

/// The baseline for a laid-out village with `k` splitters (k-means++ seeded by `seed`,
/// then Lloyd iterations to a fixpoint or 50 rounds) over every premise; `connected`
/// gives the drops counted.
pub fn baseline(layout: &VillageLayout, k: usize, connected: &[u32], seed: u64) -> BaselineCable {
    let g = &layout.graph;
    let idx: Vec<usize> = (0..layout.premises.len())
        .filter(|&i| layout.reached[i])
        .collect();
    let drop_dm = (0..layout.premises.len())
        .filter(|&i| connected[i] > 0 && layout.reached[i])
        .map(|i| g.drop_dm[i])
        .sum();
    if idx.is_empty() || k == 0 {
        return BaselineCable {
            drop_dm,
            ..Default::default()
        };
    }
    let k = k.min(idx.len());
    let local = Local::new(g.nodes[g.feed() as usize]);
    let pts: Vec<[f64; 2]> = idx
        .iter()
        .map(|&i| local.xy(layout.premises[i].lonlat))
        .collect();
    let d2 = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
    // k-means++ with a SplitMix64 stream.
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut rnd = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut centres = vec![pts[(rnd() * pts.len() as f64) as usize % pts.len()]];
    let mut best: Vec<f64> = pts.iter().map(|&p| d2(p, centres[0])).collect();
    while centres.len() < k {
        let total: f64 = best.iter().sum();
        let mut r = rnd() * total;
        let mut pick = pts.len() - 1;
        for (i, &b) in best.iter().enumerate() {
            if r < b {
                pick = i;
                break;
            }
            r -= b;
        }
        centres.push(pts[pick]);
        for (i, p) in pts.iter().enumerate() {
            best[i] = best[i].min(d2(*p, pts[pick]));
        }
    }
    let mut assign = vec![0usize; pts.len()];
    for _ in 0..50 {
        let mut changed = false;
        for (i, p) in pts.iter().enumerate() {
            let c = (0..k)
                .min_by(|&a, &b| {
                    d2(*p, centres[a])
                        .total_cmp(&d2(*p, centres[b]))
                        .then(a.cmp(&b))
                })
                .unwrap_or(0);
            if c != assign[i] {
                assign[i] = c;
                changed = true;
            }
        }
        let mut sum = vec![[0.0f64; 3]; k];
        for (i, p) in pts.iter().enumerate() {
            sum[assign[i]][0] += p[0];
            sum[assign[i]][1] += p[1];
            sum[assign[i]][2] += 1.0;
        }
        for c in 0..k {
            if sum[c][2] > 0.0 {
                centres[c] = [sum[c][0] / sum[c][2], sum[c][1] / sum[c][2]];
            }
        }
        if !changed {
            break;
        }
    }
    // Splitters at the street node nearest each centre, among the nodes of the feed's piece.
    let n = g.nodes.len();
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (e, se) in g.edges.iter().enumerate() {
        adj[se.a as usize].push((se.b, e as u32));
        adj[se.b as usize].push((se.a, e as u32));
    }
    let from_feed = dijkstra(layout, &adj, g.feed());
    let reachable: Vec<u32> = (0..n as u32)
        .filter(|&v| v == g.feed() || from_feed[v as usize] != u32::MAX)
        .collect();
    let xy: Vec<[f64; 2]> = reachable
        .iter()
        .map(|&v| local.xy(g.nodes[v as usize]))
        .collect();
    let nodes: Vec<u32> = centres
        .iter()
        .map(|c| {
            let j = (0..xy.len())
                .min_by(|&a, &b| d2(*c, xy[a]).total_cmp(&d2(*c, xy[b])).then(a.cmp(&b)))
                .unwrap_or(0);
            reachable[j]
        })
        .collect();
    let mut used = vec![false; g.edges.len()];
    let feeder_dm = union_dm(layout, &from_feed, &nodes, &mut used);
    let mut distribution_dm = 0;
    for (c, &s) in nodes.iter().enumerate() {
        let members: Vec<u32> = idx
            .iter()
            .zip(&assign)
            .filter(|(_, &a)| a == c)
            .map(|(&i, _)| g.snapped_node[i])
            .collect();
        if members.is_empty() {
            continue;
        }
        let pred = dijkstra(layout, &adj, s);
        distribution_dm += union_dm(layout, &pred, &members, &mut used);
    }
    BaselineCable {
        splitters: k,
        feeder_dm,
        distribution_dm,
        drop_dm,
    }
}
