//! Voronoi regions of a node set: each node's nearest base by a multi-source Dijkstra.
//! Ties go to the smaller distance, then to the base reached first in `(distance, node)`
//! heap order, so the partition is deterministic.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Nearest-base labels with shortest-path predecessors.
#[derive(Clone, Debug)]
pub struct Voronoi {
    /// Base of each node (`NodeId::MAX` when unreachable from every base).
    pub base: Vec<NodeId>,
    /// Distance to the base (`Cost::MAX` when unreachable).
    pub dist: Vec<Cost>,
    /// Edge towards the base on a shortest path (`EdgeId::MAX` at bases).
    pub pred: Vec<EdgeId>,
}

impl Voronoi {
    /// Multi-source Dijkstra from `bases`. Complexity O(m log n).
    pub fn compute(g: &Graph, weights: &[Cost], bases: &[NodeId]) -> Voronoi {
        let n = g.num_nodes();
        let mut base = vec![NodeId::MAX; n];
        let mut dist = vec![Cost::MAX; n];
        let mut pred = vec![EdgeId::MAX; n];
        let mut heap = BinaryHeap::new();
        for &b in bases {
            base[b as usize] = b;
            dist[b as usize] = 0;
            heap.push(Reverse((0, b)));
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for (u, e) in g.neighbors(v) {
                let nd = d + weights[e as usize];
                if nd < dist[u as usize] {
                    dist[u as usize] = nd;
                    pred[u as usize] = e;
                    base[u as usize] = base[v as usize];
                    heap.push(Reverse((nd, u)));
                }
            }
        }
        Voronoi { base, dist, pred }
    }

    /// Appends the edges of the shortest path from `v` to its base.
    pub fn path_to_base(&self, g: &Graph, mut v: NodeId, out: &mut Vec<EdgeId>) {
        while self.pred[v as usize] != EdgeId::MAX {
            let e = self.pred[v as usize];
            out.push(e);
            v = g.other(e, v);
        }
    }
}
