//! Hand-checkable reductions.

use super::*;

#[test]
fn prize_leaf_worth_less_than_its_edge_is_cut_off() {
    // root 0 - 1 (edge 5) with prize 3 at 1, root 0 - 2 (edge 5) with prize 6 at 2
    let g = Graph::from_edges(3, &[(0, 1, 5), (0, 2, 5)]);
    let r = reduce_pcst(&g, &[0, 3, 6], Some(0), 16);
    assert_eq!(r.graph.num_nodes(), 3, "prize nodes stay");
    assert_eq!(r.graph.num_edges(), 1);
    assert_eq!(
        (r.path_start.as_slice(), r.path(0)),
        (&[0, 1][..], &[1][..])
    );
    // a tie (prize = edge) also goes; the root is never cut off
    let r = reduce_pcst(&g, &[9, 5, 6], Some(1), 16);
    assert_eq!(
        r.graph.num_edges(),
        2,
        "node 1 is the root; node 0 is not a leaf"
    );
    let r = reduce_pcst(&g, &[0, 5, 6], Some(0), 16);
    assert_eq!(
        (r.path_start.as_slice(), r.path(0)),
        (&[0, 1][..], &[1][..])
    );
}

#[test]
fn chains_collapse_and_expand_back() {
    // 0 - 1 - 2 - 3 with terminal ends, a pendant 4 at 1, a parallel 0-1 copy,
    // and a long edge 0-3 that the path beats.
    let g = Graph::from_edges(
        5,
        &[
            (0, 1, 2),
            (1, 2, 3),
            (2, 3, 4),
            (1, 4, 1),
            (0, 1, 5),
            (0, 3, 10),
        ],
    );
    let mut keep = vec![false; 5];
    keep[0] = true;
    keep[3] = true;
    let r = reduce(&g, &keep, 8);
    assert_eq!(r.graph.num_nodes(), 2);
    assert_eq!(r.graph.num_edges(), 1);
    assert_eq!(r.graph.edge(0).2, 9);
    assert_eq!(r.expand(&[0]), vec![0, 1, 2]);
    assert_eq!(r.map_node(3), Some(1));
    assert_eq!(r.map_node(4), None);
}
