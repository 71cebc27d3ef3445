//! The graph under reduction ([`Work`]): live edges with the input edges each stands for,
//! incidence lists, contractions, and the compaction into a [`Reduction`].
//!
//! Memory is what bounds the country-size graphs (millions of edges), so nothing here is
//! a small allocation per edge or per node: the input edges an edge stands for are a run
//! of a linked list over the input edges (joining two runs is O(1)), and the incidence
//! lists share one block ([`Incidence`]).

use super::Reduction;
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;

/// End of a path's run (and "no run").
const NONE: u32 = u32::MAX;

/// The input edges an edge stands for: the run from `head` to `tail` along
/// [`Work::next`] (`head == NONE`: none, the run was taken).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    head: EdgeId,
    tail: EdgeId,
}

impl Run {
    const EMPTY: Run = Run {
        head: NONE,
        tail: NONE,
    };

    fn one(e: EdgeId) -> Run {
        Run { head: e, tail: e }
    }
}

/// Incidence lists of every node in one block: node `v`'s list is
/// `slots[start[v]..start[v] + len[v]]`, with room for `room[v]` entries; a list that
/// outgrows its room moves to the end of the block with twice the room (only contractions
/// grow a list: a degree-2 replacement takes the place of an edge that died).
#[derive(Debug, Default)]
pub(crate) struct Incidence {
    start: Vec<u32>,
    len: Vec<u32>,
    room: Vec<u32>,
    slots: Vec<u32>,
}

impl Incidence {
    /// Empty lists with room for `room(v)` entries each, for `n` nodes.
    fn with_room(n: usize, room: impl Fn(usize) -> usize) -> Incidence {
        let mut start = Vec::with_capacity(n);
        let mut rooms = Vec::with_capacity(n);
        let mut at = 0usize;
        for v in 0..n {
            let r = room(v);
            start.push(block_index(at));
            rooms.push(block_index(r));
            at += r;
        }
        Incidence {
            start,
            len: vec![0; n],
            room: rooms,
            slots: vec![0; at],
        }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.start.len()
    }

    fn push(&mut self, v: NodeId, e: u32) {
        let v = v as usize;
        if self.len[v] == self.room[v] {
            let (s, l) = (self.start[v] as usize, self.len[v] as usize);
            let room = (2 * l).max(4);
            let at = self.slots.len();
            self.slots.extend_from_within(s..s + l);
            self.slots.resize(at + room, 0);
            self.start[v] = block_index(at);
            self.room[v] = block_index(room);
        }
        self.slots[(self.start[v] + self.len[v]) as usize] = e;
        self.len[v] += 1;
    }

    /// Keeps the entries of `v`'s list that `keep` accepts, in their order.
    fn retain(&mut self, v: NodeId, keep: impl Fn(u32) -> bool) {
        let v = v as usize;
        let s = self.start[v] as usize;
        let mut kept = 0;
        for i in 0..self.len[v] as usize {
            let e = self.slots[s + i];
            if keep(e) {
                self.slots[s + kept] = e;
                kept += 1;
            }
        }
        self.len[v] = kept as u32;
    }

    /// Copies `v`'s list into `out` (cleared first).
    fn copy_into(&self, v: NodeId, out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self[v as usize]);
    }

    fn clear(&mut self, v: NodeId) {
        self.len[v as usize] = 0;
    }
}

impl std::ops::Index<usize> for Incidence {
    type Output = [u32];
    fn index(&self, v: usize) -> &[u32] {
        let s = self.start[v] as usize;
        &self.slots[s..s + self.len[v] as usize]
    }
}

/// A position in [`Incidence`]'s block as `u32`.
fn block_index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 incidence entries")
}

/// The graph being reduced: edges by id (input edges first, then edges made by the
/// degree-2 test), with liveness, the input edges each stands for and incidence lists
/// (which may hold dead edges until [`Work::live_inc`] prunes them).
pub(crate) struct Work {
    pub(crate) ends: Vec<(NodeId, NodeId)>,
    pub(crate) weight: Vec<Cost>,
    pub(crate) alive: Vec<bool>,
    /// Input edges of each edge, a run of `next`.
    run: Vec<Run>,
    /// The input edge after each input edge in its run (`NONE` at a run's tail).
    next: Vec<EdgeId>,
    pub(crate) inc: Incidence,
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
    /// Scratch list for the methods that walk one list while changing others.
    scratch: Vec<u32>,
}

impl Work {
    /// The input graph with self-loops dead and parallel edges reduced to the cheapest
    /// copy (ties to the smaller id).
    pub(crate) fn new(g: &Graph) -> Work {
        let n = g.num_nodes();
        let inc = Incidence::with_room(n, |v| g.degree(v as NodeId));
        let mut w = Work::blank(inc, g.num_edges(), g.num_edges());
        for (e, &(u, v, c)) in g.edges().iter().enumerate() {
            w.push_edge(u, v, c, Run::one(e as EdgeId));
        }
        w.drop_all_parallel();
        w
    }

    /// No edges yet, on the nodes of `inc` (empty lists with room), room for `m` edges,
    /// runs over `inputs` input edges.
    fn blank(inc: Incidence, m: usize, inputs: usize) -> Work {
        let n = inc.len();
        Work {
            ends: Vec::with_capacity(m),
            weight: Vec::with_capacity(m),
            alive: Vec::with_capacity(m),
            run: Vec::with_capacity(m),
            next: vec![NONE; inputs],
            inc,
            rep: (0..n as NodeId).collect(),
            fixed: Vec::new(),
            events: 0,
            logging: false,
            log: Vec::new(),
            mark: vec![u32::MAX; n],
            scratch: Vec::new(),
        }
    }

    /// Appends the edge `a-b` of weight `w` standing for `run` (dead when a loop).
    fn push_edge(&mut self, a: NodeId, b: NodeId, w: Cost, run: Run) {
        let id = self.ends.len() as u32;
        self.ends.push((a, b));
        self.weight.push(w);
        self.alive.push(a != b);
        self.run.push(run);
        if a != b {
            self.inc.push(a, id);
            self.inc.push(b, id);
        }
    }

    /// Replaces the dead edges `e1` (`a-v`) and `e2` (`v-b`) by one live edge `a-b` of
    /// weight `w` standing for their input edges, `e1`'s first.
    pub(crate) fn push_joined(&mut self, a: NodeId, b: NodeId, w: Cost, e1: u32, e2: u32) {
        let (p, q) = (self.take_path(e1), self.take_path(e2));
        let run = self.join(p, q);
        self.push_edge(a, b, w, run);
    }

    /// The run of `p`'s input edges followed by `q`'s.
    fn join(&mut self, p: Run, q: Run) -> Run {
        if p.head == NONE {
            return q;
        }
        if q.head == NONE {
            return p;
        }
        self.next[p.tail as usize] = q.head;
        Run {
            head: p.head,
            tail: q.tail,
        }
    }

    /// Appends the input edges of `run` to `out`, in order.
    fn extend_with(&self, run: Run, out: &mut Vec<EdgeId>) {
        if run.head == NONE {
            return;
        }
        let mut x = run.head;
        loop {
            out.push(x);
            if x == run.tail {
                break;
            }
            x = self.next[x as usize];
        }
    }

    fn drop_all_parallel(&mut self) {
        let mut touched = Vec::new();
        for v in 0..self.inc.len() as NodeId {
            self.drop_parallel(v, &mut touched);
            touched.clear();
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
        drop(new_of_old);
        order.sort_unstable();
        let m = order.len();
        let inc = Incidence::with_room(n, |v| g.degree(old_of_new[v]));
        let mut w = Work::blank(inc, m, m);
        for &(a, b, e) in &order {
            w.push_edge(a, b, g.weight(e), Run::one(e));
        }
        drop(order);
        w.drop_all_parallel();
        (w, old_of_new)
    }

    /// Takes the input edges of `e` (which must be dead or about to be dropped).
    fn take_path(&mut self, e: u32) -> Run {
        std::mem::replace(&mut self.run[e as usize], Run::EMPTY)
    }

    /// The live part renumbered compactly in breadth-first order (each component from its
    /// smallest node; nodes without edges kept only when marked in `keep`), edges sorted by
    /// their new endpoints: neighbours get nearby ids, so the searches of the rounds touch
    /// memory mostly in order. Also returns the node of `self` behind each new node.
    /// Only for a graph without contractions. Frees each part of `self` once the new graph
    /// no longer needs it (the two graphs are never held whole at once).
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
        drop(starts);
        self.inc = Incidence::default();
        self.mark = Vec::new();
        self.rep = Vec::new();
        let mut order: Vec<(NodeId, NodeId, u32)> = (0..self.ends.len() as u32)
            .filter(|&e| self.alive[e as usize])
            .map(|e| {
                let (u, v) = self.ends[e as usize];
                let (a, b) = (new_of_old[u as usize], new_of_old[v as usize]);
                (a.min(b), a.max(b), e)
            })
            .collect();
        drop(new_of_old);
        self.ends = Vec::new();
        self.alive = Vec::new();
        order.sort_unstable();
        let mut degree = vec![0u32; old_of_new.len()];
        for &(a, b, _) in &order {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let inc = Incidence::with_room(old_of_new.len(), |v| degree[v] as usize);
        drop(degree);
        let mut w = Work::blank(inc, order.len(), 0);
        w.next = std::mem::take(&mut self.next);
        for &(a, b, e) in &order {
            let run = self.take_path(e);
            w.push_edge(a, b, self.weight[e as usize], run);
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
    pub(crate) fn live_inc(&mut self, v: NodeId) -> &[u32] {
        let alive = &self.alive;
        self.inc.retain(v, |e| alive[e as usize]);
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
        let mut list = std::mem::take(&mut self.scratch);
        self.inc.copy_into(v, &mut list);
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
        self.scratch = list;
    }

    /// Contracts live edge `e`: its input edges become fixed, the endpoint with fewer
    /// live edges (ties: the larger id) is merged into the other, which is returned.
    /// Loops die, parallel copies are dropped; nodes whose degree fell go on `touched`.
    pub(crate) fn contract(&mut self, e: u32, touched: &mut Vec<NodeId>) -> NodeId {
        let (a, b) = self.ends[e as usize];
        self.kill(e);
        let p = self.take_path(e);
        let mut fixed = std::mem::take(&mut self.fixed);
        self.extend_with(p, &mut fixed);
        self.fixed = fixed;
        let (da, db) = (self.live_inc(a).len(), self.live_inc(b).len());
        let (keep, gone) = if (da, Reverse(a)) >= (db, Reverse(b)) {
            (a, b)
        } else {
            (b, a)
        };
        let mut moved = std::mem::take(&mut self.scratch);
        self.inc.copy_into(gone, &mut moved);
        self.inc.clear(gone);
        for &f in &moved {
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
                self.inc.push(keep, f);
            }
        }
        self.scratch = moved;
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
        self.inc = Incidence::default();
        let live = self.alive.iter().filter(|&&a| a).count();
        let mut edges = Vec::with_capacity(live);
        let mut path_start = Vec::with_capacity(live + 1);
        let mut path_edges = Vec::new();
        path_start.push(0);
        for e in 0..self.ends.len() {
            if self.alive[e] {
                let (a, b) = self.ends[e];
                edges.push((
                    new_of_old[a as usize],
                    new_of_old[b as usize],
                    self.weight[e],
                ));
                self.extend_with(self.run[e], &mut path_edges);
                path_start
                    .push(u32::try_from(path_edges.len()).expect("fewer than 2^32 input edges"));
            }
        }
        let mut fixed = self.fixed;
        fixed.sort_unstable();
        Reduction {
            graph: Graph::from_edges(old_of_new.len(), &edges),
            old_of_new,
            new_of_old,
            path_start,
            path_edges,
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
