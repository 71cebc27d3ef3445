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
    let o = village(&out, &[]);
    ok(&o);
    // The printed line counts splitters by ratio (it said "4 splitters 1:64" for three 1:64
    // and one 1:16).
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(
        printed.contains("4 splitters (3 x 1:64 + 1 x 1:16; split 1:64)"),
        "{printed}"
    );
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

/// Rows of a CSV file as header -> value maps (a byte-order mark dropped).
fn csv_rows(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The plan's cost of its fibre villages comes from their designs, and the last mile's bill
/// of quantities adds up: villages to the national total, district packages to the national
/// total, exactly (a national plan of 30,000 households: 20-odd villages in several districts).
#[test]
fn the_plan_is_priced_by_its_designs_and_the_bills_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let (out, flat) = (dir.path().join("lm"), dir.path().join("flat"));
    let base = [
        "plan",
        "--target-households",
        "30000",
        "--threads",
        "2",
        "--out",
    ];
    let mut args = base.to_vec();
    args.push(out.to_str().unwrap());
    ok(&run(&args));
    let mut args = base.to_vec();
    args.extend([flat.to_str().unwrap(), "--no-last-mile"]);
    ok(&run(&args));
    let s = json(&out.join("summary.json"));
    let f = json(&flat.join("summary.json"));
    let lm = &s["last_mile"];
    let p = &lm["pricing"];
    // Every fibre village is designed (none is a city) and priced by its design.
    let fibre = s["villages_fibre"].as_u64().unwrap();
    assert!(fibre >= 10, "{fibre} fibre villages");
    assert_eq!(p["villages_designed"].as_u64().unwrap(), fibre);
    assert_eq!(p["villages_flat_price"], 0);
    let b = &s["cost_breakdown_kzt"];
    let (eq, hh) = (
        b["village_equipment"].as_i64().unwrap(),
        b["household_connection"].as_i64().unwrap(),
    );
    assert_eq!(eq + hh, lm["cost_kzt"].as_i64().unwrap());
    assert_eq!(
        lm["cost_kzt"].as_i64().unwrap(),
        p["designed_villages_by_design_kzt"].as_i64().unwrap()
    );
    // The flat run (same quota: the same villages) costs what the pricing says the designed
    // villages cost at the flat price; corridors are the same.
    let fb = &f["cost_breakdown_kzt"];
    assert_eq!(f["villages_fibre"], s["villages_fibre"]);
    assert_eq!(fb["corridor"], b["corridor"]);
    assert_eq!(
        fb["village_equipment"].as_i64().unwrap() + fb["household_connection"].as_i64().unwrap(),
        p["designed_villages_at_flat_price_kzt"].as_i64().unwrap()
    );
    assert_eq!(
        s["cost_total_kzt"].as_i64().unwrap() - f["cost_total_kzt"].as_i64().unwrap(),
        p["designed_villages_by_design_kzt"].as_i64().unwrap()
            - p["designed_villages_at_flat_price_kzt"].as_i64().unwrap()
    );
    // villages.csv: a fibre village's cost is its last-mile cost.
    let mut n = 0;
    for r in csv_rows(&out.join("villages.csv")) {
        if r["technology"] == "fibre" {
            assert_eq!(r["cost_kzt"], r["last_mile_cost_kzt"], "{}", r["id"]);
            n += 1;
        } else {
            assert_eq!(r["last_mile_cost_kzt"], "", "{}", r["id"]);
        }
    }
    assert_eq!(n, fibre);
    // last_mile_boq.csv: one row per designed village and a TOTAL equal to their sum and to
    // the summary.
    let int_cols = [
        "premises",
        "households_passed",
        "households_connected",
        "olt_ports",
        "last_stage_ports",
        "closures",
        "new_poles",
        "splices",
        "onts",
        "drops",
        "olt_kzt",
        "splitters_kzt",
        "closures_kzt",
        "cable_kzt",
        "poles_and_trenches_kzt",
        "drops_kzt",
        "onts_kzt",
        "splices_kzt",
        "cost_kzt",
    ];
    let km_cols = ["feeder_km", "distribution_km", "drop_km", "trench_km"];
    let sums = |rows: &[std::collections::BTreeMap<String, String>]| {
        let ints: Vec<i64> = int_cols
            .iter()
            .map(|c| rows.iter().map(|r| r[*c].parse::<i64>().unwrap()).sum())
            .collect();
        let kms: Vec<f64> = km_cols
            .iter()
            .map(|c| rows.iter().map(|r| r[*c].parse::<f64>().unwrap()).sum())
            .collect();
        (ints, kms)
    };
    let national = csv_rows(&out.join("last_mile_boq.csv"));
    let (total, villages) = national.split_last().unwrap();
    assert_eq!(total["village_id"], "TOTAL");
    assert_eq!(villages.len() as u64, fibre);
    let (vi, vk) = sums(villages);
    let (ti, tk) = sums(std::slice::from_ref(total));
    assert_eq!(vi, ti);
    for (a, b) in vk.iter().zip(&tk) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
    assert_eq!(total["cost_kzt"], lm["cost_kzt"].to_string());
    assert_eq!(total["onts"], lm["households_connected"].to_string());
    assert_eq!(
        total["trench_km"].parse::<f64>().unwrap(),
        lm["trench_km"].as_f64().unwrap()
    );
    // District packages: their TOTAL rows and summaries add up to the national ones exactly.
    let mut rows = Vec::new();
    let (mut cost, mut connected, mut premises, mut packages) = (0i64, 0u64, 0u64, 0);
    let mut package_features = 0;
    let mut ratios: std::collections::BTreeMap<String, u64> = Default::default();
    for e in std::fs::read_dir(out.join("districts")).unwrap() {
        let d = e.unwrap().path();
        if !d.join("last_mile_boq.csv").exists() {
            continue;
        }
        packages += 1;
        let r = csv_rows(&d.join("last_mile_boq.csv"));
        let (t, vs) = r.split_last().unwrap();
        assert_eq!(
            sums(vs).0,
            sums(std::slice::from_ref(t)).0,
            "{}",
            d.display()
        );
        rows.push(t.clone());
        let ds = json(&d.join("last_mile_summary.json"));
        let dl = &ds["last_mile"];
        assert_eq!(dl["cost_kzt"].to_string(), t["cost_kzt"], "{}", d.display());
        cost += dl["cost_kzt"].as_i64().unwrap();
        connected += dl["households_connected"].as_u64().unwrap();
        premises += dl["premises"].as_u64().unwrap();
        for (k, v) in dl["splitters_by_ratio"].as_object().unwrap() {
            *ratios.entry(k.clone()).or_default() += v.as_u64().unwrap();
        }
        // The district's own last_mile.geojson holds its villages' premises.
        let g = json(&d.join("last_mile.geojson"));
        assert!(g["attribution"].as_str().unwrap().contains("OpenStreetMap"));
        package_features += g["features"].as_array().unwrap().len();
        let ps = g["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == "premise")
            .count() as u64;
        assert_eq!(ps, dl["premises"].as_u64().unwrap(), "{}", d.display());
    }
    assert!(
        packages >= 2,
        "{packages} district packages with a last mile"
    );
    assert_eq!(sums(&rows).0, ti);
    // Every feature of the national map is in exactly one package (each is a village's).
    let national_map = json(&out.join("last_mile.geojson"));
    assert_eq!(
        package_features,
        national_map["features"].as_array().unwrap().len()
    );
    assert_eq!(cost, lm["cost_kzt"].as_i64().unwrap());
    assert_eq!(connected, lm["households_connected"].as_u64().unwrap());
    assert_eq!(premises, lm["premises"].as_u64().unwrap());
    let national_ratios: std::collections::BTreeMap<String, u64> = lm["splitters_by_ratio"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(ratios, national_ratios);

    // The packages' villages.csv carry the national villages.csv's last-mile columns, row
    // for row, and add up to the national totals; each package's report.html has the
    // district's designed villages in its last-mile table, an access map each, modelled
    // premises labelled as such.
    let national_rows = csv_rows(&out.join("villages.csv"));
    let by_id: std::collections::BTreeMap<&str, &std::collections::BTreeMap<String, String>> =
        national_rows
            .iter()
            .map(|r| (r["id"].as_str(), r))
            .collect();
    let lm_cols = [
        "last_mile_premises",
        "last_mile_fill_pct",
        "last_mile_trench_km",
        "last_mile_trench_lower_bound_km",
        "last_mile_cost_kzt",
        "olt_site",
    ];
    let (mut pkg_rows, mut pkg_cost, mut pkg_premises, mut pkg_trench) = (0, 0i64, 0i64, 0f64);
    let mut maps = 0;
    for e in std::fs::read_dir(out.join("districts")).unwrap() {
        let d = e.unwrap().path();
        if !d.is_dir() {
            continue;
        }
        let mut designed = 0;
        for r in csv_rows(&d.join("villages.csv")) {
            let n = by_id[r["id"].as_str()];
            for c in lm_cols {
                assert_eq!(r[c], n[c], "{} {}: {c}", d.display(), r["id"]);
            }
            pkg_rows += 1;
            if !r["last_mile_cost_kzt"].is_empty() {
                designed += 1;
                pkg_cost += r["last_mile_cost_kzt"].parse::<i64>().unwrap();
                pkg_premises += r["last_mile_premises"].parse::<i64>().unwrap();
                pkg_trench += r["last_mile_trench_km"].parse::<f64>().unwrap();
            }
        }
        let html = std::fs::read_to_string(d.join("report.html")).unwrap();
        let svgs = html.matches("<svg class=\"access-map\"").count();
        assert_eq!(svgs, designed, "{}", d.display());
        if designed > 0 {
            let table = html.split("<table id=\"last-mile\">").nth(1).unwrap();
            let table = table.split("</table>").next().unwrap();
            // Header, a row a village, the total.
            assert_eq!(
                table.matches("<tr").count(),
                designed + 2,
                "{}",
                d.display()
            );
            assert!(
                html.contains("class=\"premises-modelled\""),
                "{}",
                d.display()
            );
            assert!(html.contains("<title>объект смоделирован (модель застройки)</title>"));
        }
        maps += svgs;
    }
    assert_eq!(maps as u64, fibre);
    // Districts without work get no package; no village is in two.
    assert!(pkg_rows <= national_rows.len());
    assert_eq!(pkg_cost, lm["cost_kzt"].as_i64().unwrap());
    assert_eq!(pkg_premises, lm["premises"].as_i64().unwrap());
    assert!((pkg_trench - lm["trench_km"].as_f64().unwrap()).abs() < 1e-6);
}

/// Least-cost mode chooses at prices calibrated from designs, and the plan's totals stay
/// consistent (the `mix` fixture of tests/fixtures/README.md, designed on the layout model).
#[test]
fn least_cost_selects_at_prices_calibrated_from_designs() {
    let out = tempfile::tempdir().unwrap();
    ok(&run(&[
        "plan",
        "--mode",
        "least-cost",
        "--villages",
        "tests/fixtures/mix/villages.csv",
        "--backbone",
        "tests/fixtures/mix/backbone.geojson",
        "--costs",
        "tests/fixtures/mix/costs.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]));
    let s = json(&out.path().join("summary.json"));
    let sel = &s["last_mile"]["pricing"]["selection"];
    assert!(
        sel["prices"].as_str().unwrap().starts_with("calibrated"),
        "{sel}"
    );
    let b = &s["cost_breakdown_kzt"];
    let parts: i64 = [
        "corridor",
        "village_equipment",
        "household_connection",
        "fwa",
        "satellite",
    ]
    .iter()
    .map(|k| b[*k].as_i64().unwrap_or(0))
    .sum();
    assert_eq!(parts, s["cost_total_kzt"].as_i64().unwrap());
    let designed = s["last_mile"]["pricing"]["villages_designed"]
        .as_u64()
        .unwrap();
    assert_eq!(designed, s["villages_fibre"].as_u64().unwrap());
    if designed > 0 {
        assert_eq!(
            b["village_equipment"].as_i64().unwrap() + b["household_connection"].as_i64().unwrap(),
            s["last_mile"]["cost_kzt"].as_i64().unwrap()
        );
    }
}

/// Doubling the take-up (`plan --take-up 35` against `--take-up 70`) on the equator fixture
/// (connect-all: A 100, B 50 and C 10 households, all on the layout model, one household a
/// premise), prices of data/last_mile.toml:
/// - connections floor(households x take-up) per village: 35 + 17 + 3 = 55 against
///   70 + 35 + 7 = 112, so 57 more ONTs at 22,500 KZT = 1,282,500 KZT;
/// - 57 more drops at 20,000 KZT installation, plus 300 KZT/m of drop cable: 30 KZT a
///   decimetre x (16,124 - 8,050) dm (drop cable 1.6124 against 0.805 km) = 242,220 KZT;
///   1,382,220 KZT;
/// - splices (splitters + their used ports + drops): 2 + 57 + 57 = 116 more at 2,500 KZT
///   = 290,000 KZT;
/// - splitters: 2 x 1:2, 2 x 1:8, 2 x 1:16, 1 x 1:32 (105,000 KZT) against 1:2, 1:4,
///   2 x 1:8, 3 x 1:16, 1:64 (142,500 KZT): 37,500 KZT; closures 15 against 17 at 30,000
///   KZT: 60,000 KZT;
/// - the OLT (4 B+ ports and the site), the street route, poles and trench are the same
///   (held from the layout); cable: 159,004 KZT more (fibre counts and sizes, feeder and
///   distribution along more of the tree).
///
/// Total: 3,211,224 KZT more, and the plan's cost moves by exactly that.
#[test]
fn doubling_take_up_changes_onts_and_cost_by_exact_figures() {
    let dir = tempfile::tempdir().unwrap();
    let plan_at = |t: &str| {
        let out = dir.path().join(t);
        ok(&crate::common::plan_equator(
            &out,
            &["--mode", "connect-all", "--take-up", t],
        ));
        json(&out.join("summary.json"))
    };
    let (lo, hi) = (plan_at("35"), plan_at("70"));
    let (a, b) = (&lo["last_mile"], &hi["last_mile"]);
    let boq = |x: &serde_json::Value, k: &str| x["bill_of_quantities"][k].as_i64().unwrap();
    let part = |x: &serde_json::Value, k: &str| x["cost_breakdown_kzt"][k].as_i64().unwrap();
    assert_eq!(
        (a["take_up_pct"].as_f64(), b["take_up_pct"].as_f64()),
        (Some(35.0), Some(70.0))
    );
    assert_eq!(a["households_passed"], 160);
    assert_eq!(b["households_passed"], 160);
    assert_eq!((boq(a, "onts"), boq(b, "onts")), (55, 112));
    assert_eq!((boq(a, "drops"), boq(b, "drops")), (55, 112));
    assert_eq!(part(b, "onts") - part(a, "onts"), 1_282_500);
    let drop_dm =
        |x: &serde_json::Value| (x["cable_km"]["drop"].as_f64().unwrap() * 1e4).round() as i64;
    assert_eq!((drop_dm(a), drop_dm(b)), (8_050, 16_124));
    assert_eq!(
        part(b, "drops") - part(a, "drops"),
        57 * 20_000 + 30 * (16_124 - 8_050)
    );
    assert_eq!(boq(b, "splices") - boq(a, "splices"), 116);
    assert_eq!(part(b, "splices") - part(a, "splices"), 290_000);
    let ratios = |x: &serde_json::Value| x["splitters_by_ratio"].to_string();
    assert_eq!(ratios(a), r#"{"1:2":2,"1:8":2,"1:16":2,"1:32":1}"#);
    assert_eq!(ratios(b), r#"{"1:2":1,"1:4":1,"1:8":2,"1:16":3,"1:64":1}"#);
    assert_eq!(part(b, "splitters") - part(a, "splitters"), 37_500);
    assert_eq!((boq(a, "closures"), boq(b, "closures")), (15, 17));
    assert_eq!(part(b, "closures") - part(a, "closures"), 60_000);
    assert_eq!(part(a, "olt"), part(b, "olt"));
    assert_eq!(part(b, "cable") - part(a, "cable"), 159_004);
    // The trench is the street route plus the connected drops: the route is held.
    let route_dm = |x: &serde_json::Value| {
        (x["trench_km"].as_f64().unwrap() * 1e4).round() as i64 - drop_dm(x)
    };
    assert_eq!(route_dm(a), route_dm(b));
    assert_eq!(
        a["bill_of_quantities"]["street_route_km"],
        b["bill_of_quantities"]["street_route_km"]
    );
    assert_eq!(part(a, "poles_and_trenches"), part(b, "poles_and_trenches"));
    // The rest of the difference: splitters, OLT ports, closures, cables and splices that
    // the design installs for 112 connections instead of 55 (each part exact).
    let diff = |k: &str| part(b, k) - part(a, k);
    let total = b["cost_kzt"].as_i64().unwrap() - a["cost_kzt"].as_i64().unwrap();
    assert_eq!(
        total,
        [
            "olt",
            "splitters",
            "closures",
            "cable",
            "poles_and_trenches",
            "drops",
            "onts",
            "splices"
        ]
        .iter()
        .map(|k| diff(k))
        .sum::<i64>()
    );
    assert_eq!(total, TAKE_UP_DOUBLING_KZT, "{a}\n{b}");
    // The plan's cost moves by the same figure (corridors unchanged).
    assert_eq!(
        hi["cost_total_kzt"].as_i64().unwrap() - lo["cost_total_kzt"].as_i64().unwrap(),
        total
    );
    // --take-up is checked like a scenario file's take_up_pct.
    for bad in ["0", "100.5", "NaN", "inf"] {
        let o = crate::common::plan_equator(&dir.path().join("bad"), &["--take-up", bad]);
        crate::common::bad_input(&o, &["--take-up", "take_up_pct"]);
    }
}

/// `--last-mile-cost-scale 2` re-prices the equator fixture's designs at doubled unit prices
/// (issue 13): the same bill of quantities; every part that is a whole price times a count
/// (OLT ports and sites, splitters, closures, ONTs, splices) exactly doubles; the parts
/// priced per km (cable, civil works, drop cable) are rounded down once on the doubled
/// prices, so each is twice its figure at scale 1 or up to one tenge per rounding more; the
/// plan's total moves by exactly the last mile's difference (corridors unchanged).
#[test]
fn doubling_last_mile_prices_doubles_the_bill_by_its_rounding_rule() {
    let dir = tempfile::tempdir().unwrap();
    let plan_at = |s: &str| {
        let out = dir.path().join(s);
        ok(&crate::common::plan_equator(
            &out,
            &["--mode", "connect-all", "--last-mile-cost-scale", s],
        ));
        json(&out.join("summary.json"))
    };
    let (one, two) = (plan_at("1"), plan_at("2"));
    let (a, b) = (&one["last_mile"], &two["last_mile"]);
    assert_eq!(a["bill_of_quantities"], b["bill_of_quantities"]);
    let part = |x: &serde_json::Value, k: &str| x["cost_breakdown_kzt"][k].as_i64().unwrap();
    // The fixture's figures at the model's prices (connect-all: 4 B+ ports and the site;
    // 17 closures at 30,000; 112 ONTs at 22,500; 236 splices at 2,500) and doubled.
    for (k, at_one) in [
        ("olt", 1_800_000),
        ("splitters", 142_500),
        ("closures", 510_000),
        ("onts", 2_520_000),
        ("splices", 590_000),
    ] {
        assert_eq!((part(a, k), part(b, k)), (at_one, 2 * at_one), "{k}");
    }
    // Cable: one rounding per village; civil: one per street section; drops: one per
    // village (the installation part is a whole price times the drops).
    let villages = a["villages"].as_i64().unwrap();
    for k in ["cable", "drops"] {
        let extra = part(b, k) - 2 * part(a, k);
        assert!((0..=villages).contains(&extra), "{k}: {extra}");
    }
    assert!(part(b, "poles_and_trenches") >= 2 * part(a, "poles_and_trenches"));
    let parts = [
        "olt",
        "splitters",
        "closures",
        "cable",
        "poles_and_trenches",
        "drops",
        "onts",
        "splices",
    ];
    let total = |x: &serde_json::Value| parts.iter().map(|k| part(x, k)).sum::<i64>();
    assert_eq!(total(a), a["cost_kzt"].as_i64().unwrap());
    assert_eq!(total(b), b["cost_kzt"].as_i64().unwrap());
    assert!(total(b) >= 2 * total(a));
    assert_eq!(
        two["cost_total_kzt"].as_i64().unwrap() - one["cost_total_kzt"].as_i64().unwrap(),
        total(b) - total(a)
    );
    assert_eq!(two["new_fibre_km"], one["new_fibre_km"]);
    // The flag is checked like a scenario file's last_mile_cost_scale.
    for bad in ["0", "-1", "100.5", "NaN", "inf"] {
        let flag = format!("--last-mile-cost-scale={bad}");
        let o = crate::common::plan_equator(&dir.path().join("bad"), &[flag.as_str()]);
        crate::common::bad_input(&o, &["--last-mile-cost-scale", "last_mile_cost_scale"]);
    }
}

/// The cost difference of [`doubling_take_up_changes_onts_and_cost_by_exact_figures`].
const TAKE_UP_DOUBLING_KZT: i64 = 3_211_224;
