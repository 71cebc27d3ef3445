//! `fiberplan bench`: the national benchmark input (issue 8) and the phase report.

use crate::common::{bad_input, ok, run};
use fiberplan_io::stp::parse_stp;

/// Generate a coarse national proxy into `dir/name`; returns the file's bytes and the
/// summary line.
fn generate(dir: &std::path::Path, name: &str, seed: &str) -> (Vec<u8>, serde_json::Value) {
    let out = dir.join(name);
    let o = run(&[
        "bench",
        "generate",
        "--out",
        out.to_str().unwrap(),
        "--seed",
        seed,
        "--spacing-m",
        "20000",
        "--junctions",
        "400",
    ]);
    ok(&o);
    let summary: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("one JSON line on stdout");
    (std::fs::read(&out).unwrap(), summary)
}

#[test]
fn generate_is_a_rooted_stp_with_junctions_that_are_not_villages_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, summary) = generate(dir.path(), "a.stp", "7");
    let (b, _) = generate(dir.path(), "b.stp", "7");
    let (c, _) = generate(dir.path(), "c.stp", "8");
    assert!(a == b, "same seed, different bytes");
    assert!(a != c, "another seed gave the same instance");

    let stp = parse_stp(std::str::from_utf8(&a).unwrap()).expect("valid STP");
    let inst = &stp.instance;
    let g = &inst.graph;
    assert!(stp.prize_collecting);
    assert_eq!(
        inst.root,
        Some(0),
        "points of presence contracted into node 1"
    );
    assert_eq!(g.num_nodes() as u64, summary["nodes"].as_u64().unwrap());
    assert_eq!(g.num_edges() as u64, summary["edges"].as_u64().unwrap());
    // Households of the bundled villages are the prizes.
    assert_eq!(
        inst.total_prize(),
        summary["households"].as_i64().unwrap(),
        "prizes add up to the households"
    );
    assert!(inst.total_prize() > 1_000_000);
    let with_prize = inst.prizes.iter().skip(1).filter(|&&p| p > 0).count();
    assert!(with_prize > 6_000, "{with_prize} villages with households");
    // Junctions: branching nodes without households, many of them.
    let junctions = (1..g.num_nodes() as u32)
        .filter(|&v| inst.prize(v) == 0 && g.degree(v) >= 3)
        .count();
    assert!(
        junctions > 200,
        "{junctions} junctions that are not villages"
    );
    assert_eq!(
        junctions as u64,
        summary["branching_non_terminals"].as_u64().unwrap()
    );
    // Densified: no piece longer than the spacing; degree-2 shape nodes on the long roads
    // (few at this coarse spacing: most roads between neighbouring places are shorter).
    let shape = (1..g.num_nodes() as u32)
        .filter(|&v| inst.prize(v) == 0 && g.degree(v) == 2)
        .count();
    assert!(shape > 1_000, "{shape} degree-2 nodes");
    assert!(g.edges().iter().all(|e| e.2 >= 1 && e.2 <= 20_000));
}

#[test]
fn run_reports_phases_peak_memory_and_a_quota_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kz.stp");
    ok(&run(&[
        "bench",
        "generate",
        "--out",
        out.to_str().unwrap(),
        "--spacing-m",
        "50000",
        "--junctions",
        "100",
    ]));
    let tree = dir.path().join("tree.txt");
    let o = run(&[
        "bench",
        "run",
        out.to_str().unwrap(),
        "--quota-share",
        "0.1",
        "--out",
        tree.to_str().unwrap(),
    ]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON line");
    assert_eq!(v["mode"], "quota");
    let total: i64 = v["total_prize"].as_str().unwrap().parse().unwrap();
    let prize: i64 = v["prize"].as_str().unwrap().parse().unwrap();
    let quota: i64 = v["quota"].as_str().unwrap().parse().unwrap();
    assert_eq!(quota, (total as f64 * 0.1).ceil() as i64);
    assert!(prize >= quota, "prize {prize} below quota {quota}");
    for phase in ["read_s", "parse_csr_s", "solve_s", "write_s", "total_s"] {
        assert!(v[phase].as_f64().unwrap() >= 0.0, "{phase}");
    }
    if cfg!(target_os = "linux") {
        assert!(v["peak_rss_mib"].as_f64().unwrap() > 1.0);
    }
    assert!(v["after_run"]["reduced_nodes"].as_u64().unwrap() > 0);
    let text = std::fs::read_to_string(&tree).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        format!("VALUE {}", v["objective"].as_str().unwrap())
    );
    assert_eq!(
        text.lines().count() as u64,
        1 + v["tree_edges"].as_u64().unwrap()
    );
}

#[test]
fn bad_flags_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.stp");
    bad_input(
        &run(&[
            "bench",
            "generate",
            "--out",
            out.to_str().unwrap(),
            "--spacing-m",
            "0",
        ]),
        &["--spacing-m"],
    );
    let plain = dir.path().join("plain.stp");
    std::fs::write(
        &plain,
        "SECTION Graph\nNodes 2\nEdges 1\nE 1 2 5\nEND\nSECTION Terminals\nTerminals 2\nT 1\nT 2\nEND\nEOF\n",
    )
    .unwrap();
    bad_input(
        &run(&["bench", "run", plain.to_str().unwrap(), "--quota", "3"]),
        &["quota", "prizes"],
    );
    bad_input(
        &run(&["bench", "sweep", plain.to_str().unwrap()]),
        &["plain.stp", "prizes"],
    );
    bad_input(
        &run(&[
            "bench",
            "sweep",
            plain.to_str().unwrap(),
            "--price-factors",
            "1,-2",
        ]),
        &["--price-factors"],
    );
}

#[test]
fn sweep_meets_every_quota_scales_prices_and_is_the_same_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _) = generate(dir.path(), "kz.stp", "3");
    let file = dir.path().join("kz.stp");
    let sweep = |threads: &str, out: &str| -> (serde_json::Value, String) {
        let csv = dir.path().join(out);
        let o = run(&[
            "bench",
            "sweep",
            file.to_str().unwrap(),
            "--targets",
            "5",
            "--max-share",
            "0.5",
            "--price-factors",
            "1,2.5",
            "--threads",
            threads,
            "--out",
            csv.to_str().unwrap(),
        ]);
        ok(&o);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON line");
        (v, std::fs::read_to_string(&csv).unwrap())
    };
    let (v, one) = sweep("1", "one.csv");
    let (_, two) = sweep("2", "two.csv");
    assert_eq!(one, two, "thread count changed the results");
    assert_eq!(v["scenarios"], 10);
    assert_eq!(v["solves"], 5);
    assert!(v["reduced_nodes"].as_u64().unwrap() < v["nodes"].as_u64().unwrap());
    let total: i64 = v["total_prize"].as_str().unwrap().parse().unwrap();
    let rows: Vec<Vec<i64>> = one
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .map(|f| (f.parse::<f64>().unwrap() * 10.0).round() as i64)
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 10);
    for (i, pair) in rows.chunks(2).enumerate() {
        let quota = pair[0][0] / 10;
        assert_eq!(
            quota,
            (total as f64 * 0.5 * (i + 1) as f64 / 5.0).ceil() as i64
        );
        assert!(pair[0][3] / 10 >= quota, "prize below quota {quota}");
        // price factor 2.5 scales the same tree's cost
        assert_eq!((pair[0][1], pair[1][1]), (10, 25));
        let cost = pair[0][2] / 10;
        assert!(cost > 0);
        assert_eq!(pair[1][2] / 10, (cost * 2500 + 500) / 1000);
    }
}
