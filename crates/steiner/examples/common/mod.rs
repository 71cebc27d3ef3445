//! What the examples share: a reader of the SteinLib prize instances they take.

use fiberplan_steiner::{Cost, Graph, Instance, NodeId};

/// A SteinLib prize instance (`Nodes`, `E u v w`, `TP v p`, `Root v`), rooted, no
/// terminals; the examples' own quick reader (the CLI's is in `fiberplan-io`).
pub fn read(path: &str) -> Instance {
    let text = std::fs::read_to_string(path).expect("readable file");
    let (mut n, mut edges, mut prizes, mut root) = (0usize, Vec::new(), Vec::new(), None);
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["Nodes", v] => {
                n = v.parse().expect("node count");
                prizes = vec![0; n];
            }
            ["E", u, v, w] => edges.push((
                u.parse::<NodeId>().expect("node") - 1,
                v.parse::<NodeId>().expect("node") - 1,
                w.parse::<Cost>().expect("cost"),
            )),
            ["TP", v, p] => {
                prizes[v.parse::<usize>().expect("node") - 1] = p.parse().expect("prize")
            }
            ["Root" | "RootP", v] => root = Some(v.parse::<NodeId>().expect("node") - 1),
            _ => {}
        }
    }
    Instance {
        graph: Graph::from_edges(n, &edges),
        terminals: vec![],
        root,
        prizes,
    }
}
