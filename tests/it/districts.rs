//! District review packages (issue 6): they partition the national plan, and the equator
//! fixture (outside every district) lands whole in `districts/unassigned/`.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn kind<'a>(geo: &'a Value, k: &str) -> Vec<&'a Value> {
    geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == k)
        .collect()
}

fn packages(out: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(out.join("districts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Every connected village and every route kilometre in exactly one district; district sums
/// equal the national summary (integer costs exactly, km within rounding).
#[test]
fn district_packages_partition_the_national_plan() {
    let out = tempfile::tempdir().unwrap();
    ok(&run(&["plan", "--out", out.path().to_str().unwrap()]));
    let s = json(&out.path().join("summary.json"));
    let geo = json(&out.path().join("plan.geojson"));
    let pk = packages(out.path());
    assert!(pk.len() > 50, "{} packages", pk.len());

    let mut seen_villages: BTreeMap<String, String> = BTreeMap::new();
    let mut route_cost: BTreeMap<String, i64> = BTreeMap::new();
    let mut route_km: BTreeMap<String, f64> = BTreeMap::new();
    let mut route_packages: BTreeMap<String, usize> = BTreeMap::new();
    let (mut cost, mut corridor, mut villages_cost, mut hh, mut nv) =
        (0i64, 0i64, 0i64, 0u64, 0u64);
    let mut km = 0.0;
    for p in &pk {
        let ds = json(&p.join("summary.json"));
        let dg = json(&p.join("plan.geojson"));
        let kato = ds["district_kato"].as_str().unwrap_or("").to_string();
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(&kato), "{name} vs {kato}");
        cost += ds["cost_total_kzt"].as_i64().unwrap();
        corridor += ds["cost_breakdown_kzt"]["corridor"].as_i64().unwrap();
        villages_cost += ds["cost_breakdown_kzt"]["villages"].as_i64().unwrap();
        hh += ds["households_connected"].as_u64().unwrap();
        nv += ds["villages_connected"].as_u64().unwrap();
        km += ds["new_fibre_km"].as_f64().unwrap();
        // The package's own features add up to its summary.
        let mut pkm = 0.0;
        let mut pcost = 0;
        for r in kind(&dg, "new_fibre") {
            let pr = &r["properties"];
            assert_eq!(pr["district_kato"], ds["district_kato"], "{name}");
            let id = pr["id"].as_str().unwrap().to_string();
            *route_cost.entry(id.clone()).or_default() += pr["cost_kzt"].as_i64().unwrap();
            *route_packages.entry(id.clone()).or_default() += 1;
            *route_km.entry(id).or_default() += pr["length_km"].as_f64().unwrap();
            pkm += pr["length_km"].as_f64().unwrap();
            pcost += pr["cost_kzt"].as_i64().unwrap();
        }
        assert_eq!(pcost, ds["cost_breakdown_kzt"]["corridor"], "{name}");
        assert!(
            (pkm - ds["new_fibre_km"].as_f64().unwrap()).abs() < 0.01,
            "{name}"
        );
        for v in kind(&dg, "village") {
            let pr = &v["properties"];
            assert_eq!(pr["district_kato"], ds["district_kato"], "{name}");
            let id = pr["id"].as_str().unwrap().to_string();
            assert!(
                seen_villages.insert(id.clone(), name.to_string()).is_none(),
                "village {id} in two packages"
            );
        }
        let rows = csv::Reader::from_path(p.join("villages.csv"))
            .unwrap()
            .records()
            .count();
        assert_eq!(rows, kind(&dg, "village").len(), "{name}");
        assert_eq!(
            rows as u64,
            ds["villages_total"].as_u64().unwrap(),
            "{name}"
        );
        let html = std::fs::read_to_string(p.join("report.html")).unwrap();
        assert!(
            html.contains("Ведомость объёмов работ"),
            "{name}: Russian labels by default"
        );
        assert!(html.contains("<svg"), "{name}: a map");
    }
    let b = &s["cost_breakdown_kzt"];
    assert_eq!(cost, s["cost_total_kzt"].as_i64().unwrap());
    assert_eq!(corridor, b["corridor"].as_i64().unwrap());
    assert_eq!(cost - corridor, villages_cost);
    assert_eq!(
        hh,
        s["households_fibre"].as_u64().unwrap()
            + s["households_fwa"].as_u64().unwrap_or(0)
            + s["households_satellite"].as_u64().unwrap_or(0)
    );
    assert_eq!(
        nv,
        s["villages_fibre"].as_u64().unwrap()
            + s["villages_fwa"].as_u64().unwrap_or(0)
            + s["villages_satellite"].as_u64().unwrap_or(0)
    );
    let total_km = s["new_fibre_km"].as_f64().unwrap();
    assert!(
        (km - total_km).abs() < 0.001 * pk.len() as f64,
        "{km} vs {total_km}"
    );

    // Every national route is split among districts without loss: cost exactly, km within rounding.
    let routes = kind(&geo, "new_fibre");
    assert_eq!(route_cost.len(), routes.len());
    for r in routes {
        let pr = &r["properties"];
        let id = pr["id"].as_str().unwrap();
        assert_eq!(route_cost[id], pr["cost_kzt"].as_i64().unwrap(), "{id}");
        assert!(
            (route_km[id] - pr["length_km"].as_f64().unwrap()).abs() < 0.0051,
            "{id}"
        );
    }
    // Clipping is exercised: routes that cross a district boundary are in several packages.
    let split = route_packages.values().filter(|&&n| n > 1).count();
    assert!(split >= 10, "{split} routes cross a district boundary");
    // Every village the plan connects is in exactly one package: its own district's
    // (villages with fibre already are in their district's package when it has work).
    for v in kind(&geo, "village") {
        let pr = &v["properties"];
        if pr["technology"] != "none" && pr["technology"] != "existing_fibre" {
            let id = pr["id"].as_str().unwrap();
            let folder = &seen_villages[id];
            assert!(
                folder.starts_with(pr["district_kato"].as_str().unwrap()),
                "{id} in {folder}"
            );
        }
    }
    // The index lists every package.
    let index = csv::Reader::from_path(out.path().join("districts/index.csv"))
        .unwrap()
        .records()
        .count();
    assert_eq!(index, pk.len());
}

/// The equator fixture lies in no district: one `unassigned` package holds the whole plan,
/// with the hand-checked figures; `--lang en` switches the labels.
#[test]
fn equator_plan_is_one_unassigned_package_in_english() {
    let out = tempfile::tempdir().unwrap();
    // The flat prices of the fixture's costs.toml (the last mile prices by design).
    ok(&plan_equator(
        out.path(),
        &["--lang", "en", "--no-last-mile"],
    ));
    let pk = packages(out.path());
    assert_eq!(pk.len(), 1);
    assert!(pk[0].ends_with("unassigned"));
    let ds = json(&pk[0].join("summary.json"));
    assert_eq!(ds["cost_total_kzt"], 4_791_772);
    assert_eq!(ds["cost_breakdown_kzt"]["corridor"], 4_331_772);
    assert_eq!(ds["villages_connected"], 3);
    assert_eq!(ds["households_connected"], 160);
    assert_eq!(ds["new_fibre_km"], 4.332);
    assert_eq!(ds["lang"], "en");
    let html = std::fs::read_to_string(pk[0].join("report.html")).unwrap();
    assert!(html.contains("Bill of quantities"));
    assert!(html.contains("4,791,772"), "total cost, grouped");
    assert!(html.contains("<td>Alpha</td>"));
}

#[test]
fn unknown_language_is_bad_input() {
    let o = run(&["plan", "--lang", "de", "--out", "/nonexistent/never"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ru, kk or en"), "{}", stderr(&o));
}
