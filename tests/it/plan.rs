//! `fiberplan plan`: exact figures on the equator fixture, the national default's targets
//! and consistency, bad input.

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn plan_fixture(extra: &[&str]) -> (tempfile::TempDir, Value, Value) {
    let out = tempfile::tempdir().unwrap();
    let o = plan_equator(out.path(), extra);
    ok(&o);
    let summary = json(&out.path().join("summary.json"));
    let geo = json(&out.path().join("plan.geojson"));
    (out, summary, geo)
}

fn features<'a>(geo: &'a Value, kind: &str) -> Vec<&'a Value> {
    geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

fn technology(geo: &Value) -> BTreeMap<String, String> {
    features(geo, "village")
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                f["properties"]["technology"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn equator_connect_all_is_the_hand_computed_optimum() {
    // The flat prices of the fixture's costs.toml (the last mile prices by design).
    let (_d, s, geo) = plan_fixture(&["--no-last-mile"]);
    assert_eq!(s["cost_breakdown_kzt"]["corridor"], 4_331_772);
    assert_eq!(s["cost_breakdown_kzt"]["village_equipment"], 300_000);
    assert_eq!(s["cost_breakdown_kzt"]["household_connection"], 160_000);
    assert_eq!(s["cost_total_kzt"], 4_791_772);
    assert_eq!(s["objective"], 4_331_772);
    assert_eq!(s["new_fibre_km"], 4.332);
    assert_eq!(s["households_fibre"], 160);
    assert_eq!(s["villages_fibre"], 3);
    let routes = features(&geo, "new_fibre");
    assert_eq!(routes.len(), 3);
    let mut costs: Vec<i64> = routes
        .iter()
        .map(|r| r["properties"]["cost_kzt"].as_i64().unwrap())
        .collect();
    costs.sort();
    assert_eq!(costs, vec![1_437_466, 1_447_153, 1_447_153]);
    let pops = features(&geo, "pop");
    assert_eq!(pops.len(), 1);
    assert_eq!(pops[0]["properties"]["id"], "P");
    assert_eq!(
        pops[0]["geometry"]["coordinates"],
        serde_json::json!([0.0, 0.0])
    );
}

#[test]
fn equator_quota_110_takes_a_and_c_not_a_and_b() {
    let (_d, s, geo) = plan_fixture(&["--target-households", "110"]);
    assert_eq!(s["objective"], 2_884_619);
    assert_eq!(s["households_fibre"], 110);
    let t = technology(&geo);
    assert_eq!(
        (t["A"].as_str(), t["B"].as_str(), t["C"].as_str()),
        ("fibre", "none", "fibre")
    );
}

#[test]
fn equator_quota_120_takes_a_and_b() {
    let (_d, s, geo) = plan_fixture(&["--target-households", "120"]);
    assert_eq!(s["objective"], 2_894_306);
    assert_eq!(s["households_fibre"], 150);
    let t = technology(&geo);
    assert_eq!(
        (t["A"].as_str(), t["B"].as_str(), t["C"].as_str()),
        ("fibre", "fibre", "none")
    );
}

#[test]
fn exported_stp_solves_to_the_plan_objective() {
    let d = tempfile::tempdir().unwrap();
    let stp = d.path().join("g.stp");
    let (_o, s, _g) = plan_fixture(&["--export-stp", stp.to_str().unwrap()]);
    // TP lines carry households: all 160 of them is the connect-all plan.
    let o = run(&["steiner", "solve", stp.to_str().unwrap(), "--quota", "160"]);
    ok(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out.lines().next().unwrap(),
        format!("VALUE {}", s["objective"])
    );
}

#[test]
fn villages_outside_kazakhstan_need_a_backbone() {
    let o = run(&[
        "plan",
        "--villages",
        "tests/fixtures/equator/villages.csv",
        "--out",
        "/nonexistent/never",
    ]);
    bad_input(&o, &["villages.csv", "outside Kazakhstan", "--backbone"]);
}

#[test]
fn missing_costs_file_is_one_line_exit_2() {
    let o = run(&[
        "plan",
        "--costs",
        "no/such/costs.toml",
        "--out",
        "/nonexistent/never",
    ]);
    bad_input(&o, &["no/such/costs.toml", "cannot read"]);
}

/// The national default: target met, outputs agree with each other.
#[test]
fn national_default_meets_target_and_is_consistent() {
    let out = tempfile::tempdir().unwrap();
    let stp = out.path().join("national.stp");
    let o = run(&[
        "plan",
        "--out",
        out.path().to_str().unwrap(),
        "--export-stp",
        stp.to_str().unwrap(),
    ]);
    ok(&o);
    let s = json(&out.path().join("summary.json"));
    let geo = json(&out.path().join("plan.geojson"));
    assert!(geo.get("crs").is_none());
    assert_eq!(s["target_households"], 400_000);
    assert!(s["households_fibre"].as_u64().unwrap() >= 400_000);

    // Route lengths add up to new_fibre_km; costs add up to the total.
    let routes = features(&geo, "new_fibre");
    let km: f64 = routes
        .iter()
        .map(|r| r["properties"]["length_km"].as_f64().unwrap())
        .sum();
    let total_km = s["new_fibre_km"].as_f64().unwrap();
    assert!(
        (km - total_km).abs() <= 0.005 * total_km,
        "{km} vs {total_km}"
    );
    let route_cost: i64 = routes
        .iter()
        .map(|r| r["properties"]["cost_kzt"].as_i64().unwrap())
        .sum();
    assert_eq!(
        route_cost,
        s["cost_breakdown_kzt"]["corridor"].as_i64().unwrap()
    );
    assert_eq!(
        route_cost,
        s["objective"].as_i64().unwrap(),
        "objective is the tree's corridor cost"
    );
    let villages = features(&geo, "village");
    let village_cost: i64 = villages
        .iter()
        .map(|v| v["properties"]["cost_kzt"].as_i64().unwrap())
        .sum();
    let b = &s["cost_breakdown_kzt"];
    assert_eq!(
        village_cost,
        b["village_equipment"].as_i64().unwrap() + b["household_connection"].as_i64().unwrap()
    );
    assert_eq!(
        route_cost + village_cost,
        s["cost_total_kzt"].as_i64().unwrap()
    );

    // Every coordinate inside Kazakhstan's bounding box, 6 decimals at most.
    let in_kz = |c: &Value| {
        let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        (46.0..=88.0).contains(&x) && (40.0..=56.0).contains(&y) && (x * 1e6).round() / 1e6 == x
    };
    for f in geo["features"].as_array().unwrap() {
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Point" => assert!(in_kz(&g["coordinates"]), "{g}"),
            "LineString" => assert!(
                g["coordinates"].as_array().unwrap().iter().all(in_kz),
                "{g}"
            ),
            t => panic!("unexpected geometry {t}"),
        }
    }

    // Every fibre village is a vertex of the routes, connected through them to a pop.
    let key = |c: &Value| (c[0].to_string(), c[1].to_string());
    let mut adj: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for r in &routes {
        let cs = r["geometry"]["coordinates"].as_array().unwrap();
        for w in cs.windows(2) {
            adj.entry(key(&w[0])).or_default().push(key(&w[1]));
            adj.entry(key(&w[1])).or_default().push(key(&w[0]));
        }
    }
    let pops: Vec<_> = features(&geo, "pop")
        .iter()
        .map(|p| key(&p["geometry"]["coordinates"]))
        .collect();
    let mut seen: BTreeSet<(String, String)> = pops.iter().cloned().collect();
    let mut stack: Vec<_> = pops.clone();
    while let Some(v) = stack.pop() {
        for w in adj.get(&v).into_iter().flatten() {
            if seen.insert(w.clone()) {
                stack.push(w.clone());
            }
        }
    }
    let fibre: Vec<_> = villages
        .iter()
        .filter(|v| v["properties"]["technology"] == "fibre")
        .collect();
    assert_eq!(fibre.len() as u64, s["villages_fibre"].as_u64().unwrap());
    for v in &fibre {
        assert!(
            seen.contains(&key(&v["geometry"]["coordinates"])),
            "{} not connected to a pop",
            v["properties"]["id"]
        );
    }
    let hh: u64 = fibre
        .iter()
        .map(|v| v["properties"]["households"].as_u64().unwrap())
        .sum();
    assert_eq!(hh, s["households_fibre"].as_u64().unwrap());

    // The declared existing-fibre proxy: district centres and villages near towns have
    // fibre, get no cost, and are neither fibre villages nor part of the quota.
    let e = &s["existing_fibre"];
    assert!(e["assumed_by_proxy"].as_bool().unwrap(), "{e}");
    for basis in ["proxy_district_centre", "proxy_near_town"] {
        assert!(
            e["by_basis"][basis]["villages"].as_u64().unwrap() > 0,
            "{e}"
        );
    }
    let served: Vec<_> = villages
        .iter()
        .filter(|v| v["properties"]["assumed_served"] == true)
        .collect();
    assert_eq!(served.len() as u64, e["villages"].as_u64().unwrap());
    assert_eq!(
        served.len() as u64,
        s["villages_existing_fibre"].as_u64().unwrap()
    );
    for v in &served {
        let p = &v["properties"];
        assert_eq!(p["technology"], "existing_fibre", "{p}");
        assert_eq!(p["cost_kzt"], 0, "{p}");
        assert!(p["existing_fibre_basis"]
            .as_str()
            .unwrap()
            .starts_with("proxy_"));
    }
    assert!(s["inputs"]["backbone"]
        .as_str()
        .unwrap()
        .contains("villages assumed to have fibre (declared proxy"));

    // villages.csv agrees with plan.geojson row by row.
    let mut rdr = csv::Reader::from_path(out.path().join("villages.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), villages.len());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for (row, v) in rows.iter().zip(&villages) {
        let p = &v["properties"];
        assert_eq!(&row[col("id")], p["id"].as_str().unwrap());
        assert_eq!(&row[col("technology")], p["technology"].as_str().unwrap());
        assert_eq!(&row[col("assumed_served")], p["assumed_served"].to_string());
        assert_eq!(
            row[col("households")].parse::<u64>().unwrap(),
            p["households"].as_u64().unwrap()
        );
        assert_eq!(
            row[col("cost_kzt")].parse::<i64>().unwrap(),
            p["cost_kzt"].as_i64().unwrap()
        );
    }

    // The exported graph holds the plan's tree at the plan's objective: the solver run on it
    // for the same quota costs the same.
    let o = run(&[
        "steiner",
        "solve",
        stp.to_str().unwrap(),
        "--quota",
        "400000",
    ]);
    ok(&o);
    let first = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(first, format!("VALUE {}", s["objective"]));
}

/// `plan --osm`: the XML and PBF forms of one extract give the same plan, along roads.
#[test]
fn osm_extract_in_both_formats_gives_the_same_road_plan() {
    let plan = |f: &str| {
        let out = tempfile::tempdir().unwrap();
        let o = run(&["plan", "--osm", f, "--out", out.path().to_str().unwrap()]);
        ok(&o);
        (
            json(&out.path().join("summary.json")),
            json(&out.path().join("plan.geojson")),
        )
    };
    let (s_pbf, g_pbf) = plan("data/osm/neudrossenfeld.osm.pbf");
    let (s_xml, g_xml) = plan("data/osm/neudrossenfeld.osm.gz");
    assert_eq!(g_pbf["features"], g_xml["features"]);
    assert_eq!(s_pbf["cost_total_kzt"], s_xml["cost_total_kzt"]);
    assert_eq!(s_pbf["mode"], "connect_all");
    assert_eq!(
        s_pbf["villages_fibre"].as_u64().unwrap() + s_pbf["villages_unreachable"].as_u64().unwrap(),
        s_pbf["villages_total"].as_u64().unwrap()
    );
    let routes = features(&g_pbf, "new_fibre");
    assert!(!routes.is_empty());
    for r in &routes {
        let p = &r["properties"];
        assert!(
            p["corridor_type"].as_str().unwrap().contains("road")
                || p["corridor_type"] == "offroad",
            "{p}"
        );
        assert!(p["length_km"].as_f64().unwrap() >= p["drawn_length_km"].as_f64().unwrap());
    }
    assert!(routes.iter().any(|r| !r["properties"]["osm_way_ids"]
        .as_array()
        .unwrap()
        .is_empty()));
}

/// The stdout cost line's parts add up to its total, FWA and satellite included
/// (tests/fixtures/README.md, mix/: 2,894,306 + 350,000 + 1,300,000).
#[test]
fn stdout_cost_breakdown_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "plan",
        "--out",
        dir.path().to_str().unwrap(),
        "--villages",
        "tests/fixtures/mix/villages.csv",
        "--backbone",
        "tests/fixtures/mix/backbone.geojson",
        "--costs",
        "tests/fixtures/mix/costs.toml",
        "--mode",
        "least-cost",
        "--no-last-mile",
    ]);
    ok(&o);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("cost "))
        .unwrap_or_else(|| panic!("no cost line in {stdout}"));
    let numbers: Vec<i64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 6, "{line}");
    assert_eq!(numbers[0], 4_544_306, "{line}");
    assert_eq!(numbers[1..].iter().sum::<i64>(), numbers[0], "{line}");
    assert!(line.contains("satellite 1300000"), "{line}");
}

/// A village lying on an existing fibre line attaches where it lies (no route); one 0.001°
/// of latitude beside it attaches at its projection onto the line: 110.574 m (the equator's
/// meridional degree, tests/fixtures/README.md) x 1.3 = 143.747 m at 1,000,000 KZT/km
/// (README: "a village may attach anywhere along them").
#[test]
fn villages_attach_to_a_fibre_line_where_they_lie() {
    let dir = tempfile::tempdir().unwrap();
    let backbone = dir.path().join("backbone.geojson");
    std::fs::write(
        &backbone,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"L1"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.05,0]]}}]}"#,
    )
    .unwrap();
    let villages = dir.path().join("villages.csv");
    std::fs::write(
        &villages,
        "id,name,lon,lat,households\nA,Alpha,0.013,0,100\nB,Beta,0.031,0.001,50\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    ok(&run(&[
        "plan",
        "--out",
        out.to_str().unwrap(),
        "--villages",
        villages.to_str().unwrap(),
        "--backbone",
        backbone.to_str().unwrap(),
        "--costs",
        "tests/fixtures/equator/costs.toml",
        "--mode",
        "connect-all",
        "--no-last-mile",
    ]));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["villages_fibre"], 2);
    assert_eq!(s["routes"], 1, "only B needs a route");
    assert_eq!(s["cost_breakdown_kzt"]["corridor"], 143_747, "{s}");
}

/// Villages that have fibre, from the villages file's column or from a list: no cost, not
/// demand, a point of presence for their neighbours. On the equator fixture B (50
/// households) is 1.1 km beyond A from the exchange; with B's fibre, A (100) and C (10) are
/// still built, B is not, and a quota of 110 households is met without B's 50.
#[test]
fn villages_with_fibre_get_no_route_and_feed_their_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let with_col = dir.path().join("villages.csv");
    std::fs::write(
        &with_col,
        "id,name,lon,lat,households,has_fibre\nA,Alpha,0.01,0,100,\nB,Beta,0.02,0,50,yes\nC,Gamma,0.01,0.01,10,0\n",
    )
    .unwrap();
    let list = dir.path().join("with_fibre.txt");
    std::fs::write(&list, "# villages with fibre\nB\n").unwrap();
    let plan = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "plan",
            "--out",
            out.to_str().unwrap(),
            "--backbone",
            "tests/fixtures/equator/backbone.geojson",
            "--costs",
            "tests/fixtures/equator/costs.toml",
            "--no-last-mile",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let quota = ["--mode", "quota", "--target-households", "110"];
    ok(&plan(
        &a,
        &[&["--villages", with_col.to_str().unwrap()][..], &quota].concat(),
    ));
    ok(&plan(
        &b,
        &[
            &[
                "--villages",
                "tests/fixtures/equator/villages.csv",
                "--has-fibre",
                list.to_str().unwrap(),
            ][..],
            &quota,
        ]
        .concat(),
    ));
    for (out, basis) in [(&a, "input"), (&b, "list")] {
        let s = json(&out.join("summary.json"));
        assert_eq!(s["households_fibre"], 110, "{s}");
        assert_eq!(s["villages_fibre"], 2);
        assert_eq!(s["target_met"], true);
        assert_eq!(s["villages_existing_fibre"], 1);
        assert_eq!(s["households_existing_fibre"], 50);
        assert_eq!(s["existing_fibre"]["by_basis"][basis]["households"], 50);
        assert_eq!(s["existing_fibre"]["assumed_by_proxy"], false);
        let geo = json(&out.join("plan.geojson"));
        let beta = features(&geo, "village")
            .into_iter()
            .find(|v| v["properties"]["id"] == "B")
            .unwrap();
        assert_eq!(beta["properties"]["technology"], "existing_fibre");
        assert_eq!(beta["properties"]["assumed_served"], true);
        assert_eq!(beta["properties"]["existing_fibre_basis"], basis);
        assert_eq!(beta["properties"]["cost_kzt"], 0);
        // Corridors, village equipment and connections of A and C only.
        let b = &s["cost_breakdown_kzt"];
        assert_eq!(b["village_equipment"], 200_000);
        assert_eq!(b["household_connection"], 110_000);
    }
    // The list and the column say the same: the same plan.
    let (sa, sb) = (json(&a.join("summary.json")), json(&b.join("summary.json")));
    assert_eq!(sa["cost_total_kzt"], sb["cost_total_kzt"]);

    // Without the fibre at B, the same quota costs no less.
    let c = dir.path().join("c");
    ok(&plan(
        &c,
        &[
            &["--villages", "tests/fixtures/equator/villages.csv"][..],
            &quota,
        ]
        .concat(),
    ));
    let sc = json(&c.join("summary.json"));
    assert!(sc["cost_total_kzt"].as_i64() >= sa["cost_total_kzt"].as_i64());

    // An id that is no village, and a bad has_fibre cell, are errors at their line.
    std::fs::write(&list, "B\nZ9\n").unwrap();
    let o = plan(
        &dir.path().join("d"),
        &[
            "--villages",
            "tests/fixtures/equator/villages.csv",
            "--has-fibre",
            list.to_str().unwrap(),
        ],
    );
    bad_input(
        &o,
        &[
            "with_fibre.txt:2",
            "\"Z9\" is not among the plan's villages",
        ],
    );
    std::fs::write(
        &with_col,
        "id,lon,lat,households,has_fibre\nA,0.01,0,100,maybe\n",
    )
    .unwrap();
    let o = plan(
        &dir.path().join("e"),
        &["--villages", with_col.to_str().unwrap()],
    );
    bad_input(&o, &["villages.csv:2", "`has_fibre` is \"maybe\""]);
}

/// A fibre line and villages across the antimeridian plan as they do anywhere else: the
/// same layout shifted 10 degrees west costs the same to the tenge (before the line was cut
/// at ±180 and the proxy unwrapped, the villages never reached the line). Routes that cross
/// ±180 are cut there in plan.geojson (RFC 7946, 3.1.9): C and D, far from the line on
/// either side of 180, share one route. Binary fractions of a degree keep the shift exact.
#[test]
fn plans_across_the_antimeridian_cost_what_they_cost_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let plan = |shift: f64, tag: &str| {
        let w = |lon: f64| {
            let x = lon + shift;
            if x > 180.0 {
                x - 360.0
            } else {
                x
            }
        };
        // The line runs 179.5 -> 180.25 (= -179.75); shifted, it gets a vertex where the
        // original is cut, so both have the same joints.
        let line: Vec<String> = [179.5, 179.75, 180.0, 180.25]
            .iter()
            .map(|&lon| format!("[{},65]", w(lon)))
            .collect();
        let backbone = dir.path().join(format!("backbone_{tag}.geojson"));
        std::fs::write(
            &backbone,
            format!(
                r#"{{"type":"FeatureCollection","features":[
                {{"type":"Feature","properties":{{"id":"P"}},"geometry":{{"type":"Point","coordinates":[{},65]}}}},
                {{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}]}}"#,
                w(179.5),
                line.join(",")
            ),
        )
        .unwrap();
        let villages = dir.path().join(format!("villages_{tag}.csv"));
        std::fs::write(
            &villages,
            format!(
                "id,name,lon,lat,households\nA,Alpha,{},65.03125,100\nB,Beta,{},64.96875,50\nC,Gamma,{},65.25,30\nD,Delta,{},65.25,30\n",
                w(179.875),
                w(180.0625),
                w(179.96875),
                w(180.03125)
            ),
        )
        .unwrap();
        let out = dir.path().join(format!("out_{tag}"));
        ok(&run(&[
            "plan",
            "--out",
            out.to_str().unwrap(),
            "--villages",
            villages.to_str().unwrap(),
            "--backbone",
            backbone.to_str().unwrap(),
            "--costs",
            "tests/fixtures/equator/costs.toml",
            "--mode",
            "connect-all",
            "--no-last-mile",
        ]));
        out
    };
    let (across, away) = (plan(0.0, "across"), plan(-10.0, "away"));
    let (s, t) = (
        json(&across.join("summary.json")),
        json(&away.join("summary.json")),
    );
    assert_eq!(s["villages_fibre"], 4, "{s}");
    assert_eq!(
        s["cost_breakdown_kzt"]["corridor"], t["cost_breakdown_kzt"]["corridor"],
        "across ±180: {s}\naway: {t}"
    );
    assert_eq!(s["new_fibre_km"], t["new_fibre_km"]);
    // No drawn segment spans ±180; the crossing route is a MultiLineString cut at 180.
    let g = json(&across.join("plan.geojson"));
    let mut cut = 0;
    for f in g["features"].as_array().unwrap() {
        let parts: Vec<&serde_json::Value> = match f["geometry"]["type"].as_str().unwrap() {
            "LineString" => vec![&f["geometry"]["coordinates"]],
            "MultiLineString" => {
                cut += 1;
                f["geometry"]["coordinates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .collect()
            }
            _ => continue,
        };
        for part in parts {
            let lons: Vec<f64> = part
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p[0].as_f64().unwrap())
                .collect();
            assert!(lons.windows(2).all(|w| (w[1] - w[0]).abs() <= 180.0), "{f}");
        }
    }
    assert!(cut >= 1, "a route crosses 180 in this layout: {g}");
}

/// Along OSM roads too, a village on a fibre line attaches where it lies: a 5.5 km road with
/// fibre along it (joints every 921 m) and a village on it 1.44 km along. Its foot on the
/// line is a joint at its own road node, so the plan has no route at all (before, a 406 m
/// route along the road to the nearer spaced joint).
#[test]
fn villages_attach_to_a_fibre_line_where_they_lie_along_osm_roads() {
    let dir = tempfile::tempdir().unwrap();
    let osm = dir.path().join("road.osm");
    std::fs::write(
        &osm,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="0.0" lon="0.0"/>
  <node id="2" lat="0.0" lon="0.05"/>
  <node id="3" lat="0.0" lon="0.013"><tag k="place" v="village"/><tag k="name" v="Alpha"/><tag k="population" v="350"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="tertiary"/></way>
</osm>
"#,
    )
    .unwrap();
    let backbone = dir.path().join("backbone.geojson");
    std::fs::write(
        &backbone,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"L1"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.05,0]]}}]}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    ok(&run(&[
        "plan",
        "--out",
        out.to_str().unwrap(),
        "--osm",
        osm.to_str().unwrap(),
        "--backbone",
        backbone.to_str().unwrap(),
        "--costs",
        "tests/fixtures/equator/costs.toml",
        "--mode",
        "connect-all",
        "--no-last-mile",
    ]));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["villages_fibre"], 1, "{s}");
    assert_eq!(s["routes"], 0, "the village lies at a joint: {s}");
    assert_eq!(s["cost_breakdown_kzt"]["corridor"], 0, "{s}");
}

#[test]
fn prove_closes_the_gap_of_the_almaty_connect_all_plan() {
    // The default solve of this street network leaves a gap (its bound is below its cost);
    // `--prove` must end with a proven optimum no dearer than the default's tree, and say so
    // in summary.json, report.html and the map's panel data.
    let d = tempfile::tempdir().unwrap();
    let plan = |name: &str, extra: &[&str]| {
        let out = d.path().join(name);
        let mut args = vec![
            "plan",
            "--out",
            out.to_str().unwrap(),
            "--osm",
            "data/osm/almaty_2013.osm.pbf",
            "--no-last-mile",
        ];
        args.extend_from_slice(extra);
        ok(&run(&args));
        (out.clone(), json(&out.join("summary.json")))
    };
    let (_, default) = plan("default", &[]);
    assert_eq!(default["mode"], "connect_all", "{default}");
    assert_eq!(
        default["optimal"], false,
        "the fixture must start with a gap: {default}"
    );
    let (out, proven) = plan("proven", &["--prove"]);
    assert_eq!(proven["optimal"], true, "{proven}");
    assert_eq!(proven["lower_bound"], proven["objective"], "{proven}");
    assert!(
        proven["objective"].as_i64().unwrap() <= default["objective"].as_i64().unwrap(),
        "{proven} against {default}"
    );
    assert!(
        proven["objective"].as_i64().unwrap() >= default["lower_bound"].as_i64().unwrap(),
        "the default's certified bound holds for the optimum: {proven} against {default}"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    // The default language is Russian: "доказано оптимально" is "proven optimal".
    assert!(report.contains("доказано оптимально"), "report.html");
}

#[test]
fn prove_is_refused_in_a_mode_it_does_not_cover() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let o = plan_equator(&out, &["--mode", "least-cost", "--prove"]);
    bad_input(&o, &["--prove", "quota and connect-all", "least-cost"]);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn national_quota_prove_reaches_the_independent_optimum() {
    // The national quota plan's fibre tree, proven: 12,328,244,770 is the optimum of its
    // exported graph (`--export-stp`, quota 400,000) found offline by an independent exact
    // solver (a HiGHS MIP with a cut loop on the directed cut formulation).
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    ok(&run(&[
        "plan",
        "--out",
        out.to_str().unwrap(),
        "--prove",
        "--no-last-mile",
    ]));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["mode"], "quota", "{s}");
    assert_eq!(s["optimal"], true, "{s}");
    assert_eq!(s["objective"], 12_328_244_770_i64, "{s}");
    assert_eq!(s["lower_bound"], s["objective"], "{s}");
    assert!(s["households_fibre"].as_u64().unwrap() >= 400_000, "{s}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("доказано оптимально"), "report.html");
}
