//! Compact undirected graph in compressed sparse row (CSR) form.
//!
//! Every input edge keeps its id (its index in the slice given to [`Graph::from_edges`]);
//! both directions of an edge appear in the adjacency arrays. Parallel edges are kept
//! (solvers treat them correctly, reductions drop all but the cheapest copy); self-loops
//! are kept as edges but left out of the adjacency, since no tree ever uses one.

/// Node index, 0-based.
pub type NodeId = u32;
/// Edge index, 0-based: the position of the edge in the input slice.
pub type EdgeId = u32;
/// Integer edge weight, prize or objective value.
pub type Cost = i64;

/// An undirected graph with non-negative integer weights, stored as CSR.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    edges: Vec<(NodeId, NodeId, Cost)>,
    offsets: Vec<u32>,
    adj_node: Vec<NodeId>,
    adj_edge: Vec<EdgeId>,
}

impl Graph {
    /// Builds the graph; edge ids are indices into `edges`.
    ///
    /// # Panics
    /// If an endpoint is `>= num_nodes` or a weight is negative: both are programming
    /// errors here, since the readers in `fiberplan-io` validate files at the boundary.
    ///
    /// # Complexity
    /// O(n + m).
    pub fn from_edges(num_nodes: usize, edges: &[(NodeId, NodeId, Cost)]) -> Graph {
        let mut degree = vec![0u32; num_nodes + 1];
        for &(u, v, w) in edges {
            assert!(
                (u as usize) < num_nodes && (v as usize) < num_nodes,
                "edge ({u}, {v}) has an endpoint outside 0..{num_nodes}"
            );
            assert!(w >= 0, "edge ({u}, {v}) has a negative weight {w}");
            if u != v {
                degree[u as usize + 1] += 1;
                degree[v as usize + 1] += 1;
            }
        }
        for i in 0..num_nodes {
            degree[i + 1] += degree[i];
        }
        let offsets = degree;
        let total = offsets[num_nodes] as usize;
        let mut fill: Vec<u32> = offsets[..num_nodes].to_vec();
        let mut adj_node = vec![0; total];
        let mut adj_edge = vec![0; total];
        for (id, &(u, v, _)) in edges.iter().enumerate() {
            if u == v {
                continue;
            }
            let a = &mut fill[u as usize];
            adj_node[*a as usize] = v;
            adj_edge[*a as usize] = id as EdgeId;
            *a += 1;
            let b = &mut fill[v as usize];
            adj_node[*b as usize] = u;
            adj_edge[*b as usize] = id as EdgeId;
            *b += 1;
        }
        Graph {
            edges: edges.to_vec(),
            offsets,
            adj_node,
            adj_edge,
        }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of edges, self-loops and parallel copies included.
    pub fn num_edges(&self) -> usize {
        self.edges.len()
    }

    /// Endpoints and weight of edge `e`.
    pub fn edge(&self, e: EdgeId) -> (NodeId, NodeId, Cost) {
        self.edges[e as usize]
    }

    /// Weight of edge `e`.
    pub fn weight(&self, e: EdgeId) -> Cost {
        self.edges[e as usize].2
    }

    /// All edges, indexed by id.
    pub fn edges(&self) -> &[(NodeId, NodeId, Cost)] {
        &self.edges
    }

    /// Number of adjacency entries of `v` (self-loops excluded, parallel edges counted).
    pub fn degree(&self, v: NodeId) -> usize {
        (self.offsets[v as usize + 1] - self.offsets[v as usize]) as usize
    }

    /// Neighbours of `v` with the id of the connecting edge, in input order.
    pub fn neighbors(&self, v: NodeId) -> impl Iterator<Item = (NodeId, EdgeId)> + '_ {
        let (a, b) = (
            self.offsets[v as usize] as usize,
            self.offsets[v as usize + 1] as usize,
        );
        self.adj_node[a..b]
            .iter()
            .copied()
            .zip(self.adj_edge[a..b].iter().copied())
    }

    /// The endpoint of `e` that is not `v`.
    pub fn other(&self, e: EdgeId, v: NodeId) -> NodeId {
        let (a, b, _) = self.edges[e as usize];
        if a == v {
            b
        } else {
            a
        }
    }

    /// Sum of all edge weights (an upper bound on any tree's cost).
    pub fn total_weight(&self) -> Cost {
        self.edges.iter().map(|e| e.2).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_lists_both_directions_and_skips_loops() {
        let g = Graph::from_edges(3, &[(0, 1, 5), (1, 2, 7), (2, 2, 1), (0, 1, 3)]);
        assert_eq!(g.num_nodes(), 3);
        assert_eq!(g.num_edges(), 4);
        let n1: Vec<_> = g.neighbors(1).collect();
        assert_eq!(n1, vec![(0, 0), (2, 1), (0, 3)]);
        assert_eq!(g.degree(2), 1);
        assert_eq!(g.edge(3), (0, 1, 3));
        assert_eq!(g.other(1, 2), 1);
        assert_eq!(g.total_weight(), 16);
    }
}
