//! The graph under reduction ([`Work`]): live edges with the input edges each stands for,
//! incidence lists, contractions, and the compaction into a [`Reduction`].

use super::Reduction;
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;

/// The graph being reduced: edges by id (input edges first, then edges made by the
/// degree-2 test), with liveness, the input edges each stands for and incidence lists
/// (which may hold dead edges until [`Work::live_inc`] prunes them).
pub(crate) struct Work {
    pub(crate) ends: Vec<(NodeId, NodeId)>,
    pub(crate) weight: Vec<Cost>,
    pub(crate) alive: Vec<bool>,
    /// Input edges of each edge; empty for an untouched input edge below `lazy_below`,
    /// which stands for itself (saves an allocation per input edge).
    pub(crate) paths: Vec<Vec<EdgeId>>,
    lazy_below: u32,
    /// Input edge of each edge below `lazy_below` (empty: the same id).
    orig: Vec<EdgeId>,
    pub(crate) inc: Vec<Vec<u32>>,
    /// Node a contracted node was merged into (itself while it stands alone).
    pub(crate) rep: Vec<NodeId>,
    /// Input edges contracted into nodes.
    pub(crate) fixed: Vec<EdgeId>,
    /// Edges killed or contracted so far (a round with no new event is a fixpoint).
    pub(crate) events: u64,
    /// When on, endpoints of killed edges and of moved edges are appended to `log`.
    pub(crate) logging: bool,
    pub(crate) log: Vec<NodeId>,
    /// Scratch, one per node: an edge id or `u32::MAX`, always reset after use.
    mark: Vec<u32>,
}

impl Work {
    /// The input graph with self-loops dead and parallel edges reduced to the cheapest
    /// copy (ties to the smaller id).
    pub(crate) fn new(g: &Graph) -> Work {
        let n = g.num_nodes();
        let inc = (0..n as NodeId)
            .map(|v| Vec::with_capacity(g.degree(v)))
            .collect();
        let mut w = Work::blank(inc, g.num_edges(), g.num_edges() as u32);
        for &(u, v, c) in g.edges() {
            w.push_edge(u, v, c, Vec::new());
        }
        for v in 0..n as NodeId {
            w.drop_parallel(v, &mut Vec::new());
        }
        w
    }

    /// No edges yet, on the nodes of `inc` (empty lists, maybe with capacity), room for
    /// `m` edges; edges below `lazy_below` find their input edge through `orig`.
    fn blank(inc: Vec<Vec<u32>>, m: usize, lazy_below: u32) -> Work {
        let n = inc.len();
        Work {
            ends: Vec::with_capacity(m),
            weight: Vec::with_capacity(m),
            alive: Vec::with_capacity(m),
            paths: Vec::with_capacity(m),
            lazy_below,
            orig: Vec::new(),
            inc,
            rep: (0..n as NodeId).collect(),
            fixed: Vec::new(),
            events: 0,
            logging: false,
            log: Vec::new(),
            mark: vec![u32::MAX; n],
        }
    }

    /// Appends the edge `a-b` of weight `w` standing for `path` (dead when a loop).
    fn push_edge(&mut self, a: NodeId, b: NodeId, w: Cost, path: Vec<EdgeId>) {
        let id = self.ends.len() as u32;
        self.ends.push((a, b));
        self.weight.push(w);
        self.alive.push(a != b);
        self.paths.push(path);
        if a != b {
            self.inc[a as usize].push(id);
            self.inc[b as usize].push(id);
        }
    }

    /// [`Work::new`] on `g` renumbered in breadth-first order (each component from its
    /// smallest node), edges sorted by their new endpoints, so that neighbours sit close in
    /// memory. Also returns the input node behind each node.
    pub(super) fn new_ordered(g: &Graph) -> (Work, Vec<NodeId>) {
        let n = g.num_nodes();
        let (old_of_new, new_of_old) = breadth_first_numbering(
            n,
            |_| true,
            |v, out| out.extend(g.neighbors(v).map(|x| x.0)),
        );
        let mut order: Vec<(NodeId, NodeId, EdgeId)> = g
            .edges()
            .iter()
            .enumerate()
            .map(|(e, &(u, v, _))| {
                let (a, b) = (new_of_old[u as usize], new_of_old[v as usize]);
                (a.min(b), a.max(b), e as EdgeId)
            })
            .collect();
        order.sort_unstable();
        let m = order.len();
        let inc = old_of_new
            .iter()
            .map(|&v| Vec::with_capacity(g.degree(v)))
            .collect();
        let mut w = Work::blank(inc, m, m as u32);
        w.orig.reserve(m);
        for &(a, b, e) in &order {
            w.push_edge(a, b, g.weight(e), Vec::new());
            w.orig.push(e);
        }
        for v in 0..n as NodeId {
            w.drop_parallel(v, &mut Vec::new());
        }
        (w, old_of_new)
    }

    /// Takes the input edges of `e` (which must be dead or about to be dropped).
    pub(crate) fn take_path(&mut self, e: u32) -> Vec<EdgeId> {
        let p = std::mem::take(&mut self.paths[e as usize]);
        if p.is_empty() && e < self.lazy_below {
            vec![if self.orig.is_empty() {
                e
            } else {
                self.orig[e as usize]
            }]
        } else {
            p
        }
    }

    /// The live part renumbered compactly in breadth-first order (each component from its
    /// smallest node; nodes without edges kept only when marked in `keep`), edges sorted by
    /// their new endpoints: neighbours get nearby ids, so the searches of the rounds touch
    /// memory mostly in order. Also returns the node of `self` behind each new node.
    /// Only for a graph without contractions.
    pub(super) fn compact(mut self, keep: &[bool]) -> (Work, Vec<NodeId>) {
        let n = self.inc.len();
        let starts: Vec<bool> = (0..n as NodeId)
            .map(|s| !self.live_inc(s).is_empty() || keep[s as usize])
            .collect();
        let (old_of_new, new_of_old) = breadth_first_numbering(
            n,
            |s| starts[s as usize],
            |v, out| {
                for &f in &self.inc[v as usize] {
                    out.push(self.other(f, v));
                }
            },
        );
        let mut order: Vec<(NodeId, NodeId, u32)> = (0..self.ends.len() as u32)
            .filter(|&e| self.alive[e as usize])
            .map(|e| {
                let (u, v) = self.ends[e as usize];
                let (a, b) = (new_of_old[u as usize], new_of_old[v as usize]);
                (a.min(b), a.max(b), e)
            })
            .collect();
        order.sort_unstable();
        let mut w = Work::blank(vec![Vec::new(); old_of_new.len()], order.len(), 0);
        for &(a, b, e) in &order {
            let path = self.take_path(e);
            w.push_edge(a, b, self.weight[e as usize], path);
        }
        (w, old_of_new)
    }

    pub(crate) fn other(&self, e: u32, v: NodeId) -> NodeId {
        let (a, b) = self.ends[e as usize];
        if a == v {
            b
        } else {
            a
        }
    }
    pub(crate) fn live_inc(&mut self, v: NodeId) -> &Vec<u32> {
        let alive = &self.alive;
        self.inc[v as usize].retain(|&e| alive[e as usize]);
        &self.inc[v as usize]
    }
    pub(crate) fn kill(&mut self, e: u32) {
        if self.alive[e as usize] {
            self.events += 1;
            if self.logging {
                let (a, b) = self.ends[e as usize];
                self.log.push(a);
                self.log.push(b);
            }
        }
        self.alive[e as usize] = false;
    }

    /// Keeps only the cheapest live edge (ties: smaller id) from `v` to each neighbour;
    /// pushes the far ends of killed copies on `touched`. O(deg v).
    fn drop_parallel(&mut self, v: NodeId, touched: &mut Vec<NodeId>) {
        let list = std::mem::take(&mut self.inc[v as usize]);
        for &e in &list {
            if !self.alive[e as usize] {
                continue;
            }
            let u = self.other(e, v);
            let b = self.mark[u as usize];
            if b == u32::MAX || !self.alive[b as usize] {
                self.mark[u as usize] = e;
            } else if (self.weight[e as usize], e) < (self.weight[b as usize], b) {
                self.kill(b);
                self.mark[u as usize] = e;
                touched.push(u);
            } else {
                self.kill(e);
                touched.push(u);
            }
        }
        for &e in &list {
            let u = self.other(e, v);
            self.mark[u as usize] = u32::MAX;
        }
        self.inc[v as usize] = list;
    }

    /// Contracts live edge `e`: its input edges become fixed, the endpoint with fewer
    /// live edges (ties: the larger id) is merged into the other, which is returned.
    /// Loops die, parallel copies are dropped; nodes whose degree fell go on `touched`.
    pub(crate) fn contract(&mut self, e: u32, touched: &mut Vec<NodeId>) -> NodeId {
        let (a, b) = self.ends[e as usize];
        self.kill(e);
        let mut p = self.take_path(e);
        self.fixed.append(&mut p);
        let (da, db) = (self.live_inc(a).len(), self.live_inc(b).len());
        let (keep, gone) = if (da, Reverse(a)) >= (db, Reverse(b)) {
            (a, b)
        } else {
            (b, a)
        };
        let moved = std::mem::take(&mut self.inc[gone as usize]);
        for f in moved {
            if !self.alive[f as usize] {
                continue;
            }
            let (x, y) = self.ends[f as usize];
            let (x, y) = (
                if x == gone { keep } else { x },
                if y == gone { keep } else { y },
            );
            self.ends[f as usize] = (x, y);
            if self.logging {
                self.log.push(x);
                self.log.push(y);
            }
            if x == y {
                self.kill(f);
            } else {
                self.inc[keep as usize].push(f);
            }
        }
        self.rep[gone as usize] = keep;
        self.drop_parallel(keep, touched);
        touched.push(keep);
        keep
    }

    /// Current representative of input node `v` (iterative, with path halving).
    pub(crate) fn find(&mut self, mut v: NodeId) -> NodeId {
        while self.rep[v as usize] != v {
            let up = self.rep[self.rep[v as usize] as usize];
            self.rep[v as usize] = up;
            v = up;
        }
        v
    }

    /// Renumbers the survivors: nodes that are their own representative with a live
    /// edge or marked in `keep`; a merged node maps to its representative's new id.
    pub(super) fn finish(mut self, keep: &[bool]) -> Reduction {
        let n = self.inc.len();
        let mut new_of_old = vec![NodeId::MAX; n];
        let mut old_of_new = Vec::new();
        for v in 0..n as NodeId {
            if self.rep[v as usize] != v {
                continue;
            }
            let deg = self.live_inc(v).len();
            if deg > 0 || keep[v as usize] {
                new_of_old[v as usize] = old_of_new.len() as NodeId;
                old_of_new.push(v);
            }
        }
        for v in 0..n as NodeId {
            if self.rep[v as usize] != v {
                let r = self.find(v);
                new_of_old[v as usize] = new_of_old[r as usize];
            }
        }
        let mut edges = Vec::new();
        let mut paths = Vec::new();
        for e in 0..self.ends.len() {
            if self.alive[e] {
                let (a, b) = self.ends[e];
                edges.push((
                    new_of_old[a as usize],
                    new_of_old[b as usize],
                    self.weight[e],
                ));
                paths.push(self.take_path(e as u32));
            }
        }
        let mut fixed = self.fixed;
        fixed.sort_unstable();
        Reduction {
            graph: Graph::from_edges(old_of_new.len(), &edges),
            old_of_new,
            new_of_old,
            paths,
            fixed,
        }
    }
}

/// Breadth-first numbering of nodes `0..n`: each component from its smallest node that
/// `start` accepts, `neighbours(v, out)` pushing `v`'s neighbours (repeats are fine).
/// Returns the old node of each new one and the new id of each old one (`NodeId::MAX`
/// when not reached).
fn breadth_first_numbering(
    n: usize,
    start: impl Fn(NodeId) -> bool,
    mut neighbours: impl FnMut(NodeId, &mut Vec<NodeId>),
) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut new_of_old = vec![NodeId::MAX; n];
    let mut old_of_new: Vec<NodeId> = Vec::with_capacity(n);
    let mut next = Vec::new();
    for s in 0..n as NodeId {
        if new_of_old[s as usize] != NodeId::MAX || !start(s) {
            continue;
        }
        new_of_old[s as usize] = old_of_new.len() as NodeId;
        let mut head = old_of_new.len();
        old_of_new.push(s);
        while head < old_of_new.len() {
            let v = old_of_new[head];
            head += 1;
            next.clear();
            neighbours(v, &mut next);
            for &u in &next {
                if new_of_old[u as usize] == NodeId::MAX {
                    new_of_old[u as usize] = old_of_new.len() as NodeId;
                    old_of_new.push(u);
                }
            }
        }
    }
    (old_of_new, new_of_old)
}
