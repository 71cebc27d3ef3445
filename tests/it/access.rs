//! `fiberplan village`: one village's access network end to end, on the bundled Bavarian
//! extract (mapped buildings) and on the output contract of issue 13.

use crate::common::{json, ok, run, stderr};

fn village(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "village",
        "--osm",
        "data/osm/neudrossenfeld.osm.pbf",
        "--village",
        "node/1754614684",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_village_gets_its_access_network_and_the_contract_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    ok(&village(&out, &[]));
    let s = json(&out.join("summary.json"));
    let lm = &s["last_mile"];
    for key in [
        "premises",
        "premises_modelled",
        "households_passed",
        "households_connected",
        "splitters_by_ratio",
        "fill_pct",
        "drop_limit_m",
        "cable_km",
        "trench_km",
        "trench_lower_bound_km",
        "worst_margin_db",
        "lines_over_budget",
        "lines_flagged",
        "cost_kzt",
    ] {
        assert!(!lm[key].is_null(), "last_mile.{key} missing: {lm}");
    }
    assert_eq!(s["village"]["premises_source"], "buildings");
    let g = json(&out.join("last_mile.geojson"));
    let feats = g["features"].as_array().unwrap();
    let kind = |k: &'static str| feats.iter().filter(move |f| f["properties"]["kind"] == k);
    assert_eq!(kind("olt").count(), 1);
    let premises: Vec<_> = kind("premise").collect();
    assert_eq!(premises.len() as u64, lm["premises"].as_u64().unwrap());
    // Every connected premise hangs off a splitter whose chain ends at the OLT.
    let olt_id = kind("olt").next().unwrap()["properties"]["id"].clone();
    let splitters: std::collections::BTreeMap<String, serde_json::Value> = kind("splitter")
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                f["properties"].clone(),
            )
        })
        .collect();
    let mut connected = 0;
    for p in &premises {
        let pr = &p["properties"];
        let c = pr["connected_households"].as_u64().unwrap();
        connected += c;
        if c == 0 {
            continue;
        }
        let mut s = splitters[pr["splitter_id"].as_str().unwrap()].clone();
        let mut hops = 0;
        while s["parent_id"] != olt_id {
            s = splitters[s["parent_id"].as_str().unwrap()].clone();
            hops += 1;
            assert!(hops < 3);
        }
        assert!(["B+", "C+"].contains(&pr["optics_class"].as_str().unwrap()));
    }
    assert_eq!(connected, lm["households_connected"].as_u64().unwrap());
    for s in splitters.values() {
        assert!(s["ports_used"].as_u64().unwrap() <= s["ratio"].as_u64().unwrap());
    }
    // cable km = the sum of the cable features, per type.
    for t in ["feeder", "distribution", "drop"] {
        let m: f64 = kind("cable")
            .filter(|f| f["properties"]["cable_type"] == t)
            .map(|f| f["properties"]["length_m"].as_f64().unwrap())
            .sum();
        let km = lm["cable_km"][t].as_f64().unwrap();
        assert!((m / 1000.0 - km).abs() < 1e-6, "{t}: {m} m vs {km} km");
    }
    assert!(lm["trench_km"].as_f64().unwrap() >= lm["trench_lower_bound_km"].as_f64().unwrap());
    // Bill of quantities: ONTs = connected households, drops = connected premises = drop
    // cables, installed last-stage ports = the ratios of the splitters feeding premises.
    let boq = &lm["bill_of_quantities"];
    assert_eq!(boq["onts"], lm["households_connected"]);
    let connected_premises = premises
        .iter()
        .filter(|p| p["properties"]["connected_households"].as_u64().unwrap() > 0)
        .count() as u64;
    assert_eq!(boq["drops"].as_u64().unwrap(), connected_premises);
    let drop_cables = kind("cable")
        .filter(|f| f["properties"]["cable_type"] == "drop")
        .count() as u64;
    assert_eq!(drop_cables, connected_premises);
    let last_stage: std::collections::BTreeSet<&str> = premises
        .iter()
        .filter_map(|p| p["properties"]["splitter_id"].as_str())
        .collect();
    let ports: u64 = last_stage
        .iter()
        .map(|id| splitters[*id]["ratio"].as_u64().unwrap())
        .sum();
    assert_eq!(boq["last_stage_ports"].as_u64().unwrap(), ports);
    assert!(ports >= connected);
    // Fill on this village (287 houses, 200 connected at 70 %): three 1:64 and a 1:16,
    // 208 ports, 96.15 % (the fewest 1:64 alone: 256 ports, 78.1 %).
    assert_eq!(connected, 200);
    assert_eq!(ports, 208);
    assert_eq!(lm["fill_pct"].as_f64().unwrap(), 96.15);
    assert!(g["attribution"].as_str().unwrap().contains("OpenStreetMap"));
}

#[test]
fn the_village_design_is_byte_identical_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    ok(&village(&a, &["--threads", "1"]));
    ok(&village(&b, &["--threads", "2"]));
    for f in ["last_mile.geojson", "summary.json"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn an_unknown_village_or_take_up_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "village",
        "--osm",
        "data/osm/neudrossenfeld.osm.pbf",
        "--village",
        "Atlantis",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("no village \"Atlantis\""), "{e}");
    let o = village(&dir.path().join("v"), &["--take-up", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
