//! `fiberplan diff`: the equator plan against the same plan without village C.

use crate::common::*;

/// The equator fixture at the cost model's flat village prices (`--no-last-mile`), which
/// the hand-computed figures below use.
fn equator_plan(villages: &str, out: &std::path::Path) {
    let mut args = vec![
        "plan",
        "--no-last-mile",
        "--villages",
        villages,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&EQUATOR_NETWORK);
    ok(&run(&args));
}

#[test]
fn dropping_village_c_removes_it_and_its_stretch() {
    let d = tempfile::tempdir().unwrap();
    let (a, b, out) = (
        d.path().join("a"),
        d.path().join("b"),
        d.path().join("diff"),
    );
    equator_plan("tests/fixtures/equator/villages.csv", &a);
    let no_c = d.path().join("no_c.csv");
    std::fs::write(
        &no_c,
        "id,name,lon,lat,households\nA,Alpha,0.01,0,100\nB,Beta,0.02,0,50\n",
    )
    .unwrap();
    equator_plan(no_c.to_str().unwrap(), &b);
    let o = run(&[
        "diff",
        a.to_str().unwrap(),
        b.join("plan.geojson").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.contains("0 added (0 households), 1 removed (10 households)"),
        "{stdout}"
    );
    let s = json(&out.join("summary.json"));
    assert_eq!(s["villages"]["removed"], 1);
    assert_eq!(s["villages"]["added"], 0);
    assert_eq!(s["households"]["removed"], 10);
    assert_eq!(s["villages_unchanged"], 2);
    // A-C: 0.01 degrees of latitude at the equator, 1.106 km drawn, 1.437 km costed (x 1.3).
    assert_eq!(s["drawn_km"]["removed"], 1.106);
    assert_eq!(s["new_fibre_km"]["removed"], 1.437);
    assert_eq!(s["drawn_km"]["added"], 0.0);
    // P-A and A-B: 0.01 degrees of longitude each, 1.113 km.
    assert_eq!(s["drawn_km"]["unchanged"], 2.226);
    // Village C cost 100,000 equipment + 10 x 1,000 connections in A, nothing in B.
    assert_eq!(s["village_cost_delta_kzt"], -110_000);
    // Both plan folders' summaries side by side: A-C's corridor (1,437,466) and C's 110,000.
    let t = &s["totals"]["cost_total_kzt"];
    assert_eq!(t["a"], 4_791_772);
    assert_eq!(t["delta"], -1_547_466);
    assert_eq!(s["totals"]["households_fibre"]["delta"], -10);
    // From the summaries' rounded figures: 2.894 - 4.332.
    assert_eq!(s["totals"]["new_fibre_km"]["delta"], -1.438);
    assert!(
        stdout.contains("cost_total_kzt: 4791772 -> 3244306 (-1547466)"),
        "{stdout}"
    );
    let geo = json(&out.join("diff.geojson"));
    let f = geo["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["properties"]["change"], "removed");
    assert_eq!(
        f[0]["geometry"]["coordinates"],
        serde_json::json!([[0.01, 0.0], [0.01, 0.01]])
    );
    assert_eq!(f[1]["properties"]["id"], "C");
    assert_eq!(f[1]["properties"]["technology_b"], "none");
    let table = std::fs::read_to_string(out.join("diff.csv")).unwrap();
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(
        table.contains("village,removed,C,Gamma,fibre,none,,,10,110000,0,,,"),
        "{table}"
    );
}

#[test]
fn a_plan_against_itself_has_no_changes() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a");
    equator_plan("tests/fixtures/equator/villages.csv", &a);
    let out = d.path().join("diff");
    ok(&run(&[
        "diff",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["villages_unchanged"], 3);
    assert_eq!(s["drawn_km"]["unchanged"], 3.332);
    assert_eq!(
        json(&out.join("diff.geojson"))["features"],
        serde_json::json!([])
    );
}

#[test]
fn a_file_that_is_not_a_plan_is_bad_input() {
    let o = run(&[
        "diff",
        "tests/fixtures/equator/costs.toml",
        "tests/fixtures/equator/villages.csv",
        "--out",
        "/nonexistent/never",
    ]);
    bad_input(&o, &["costs.toml", "not JSON"]);
}
