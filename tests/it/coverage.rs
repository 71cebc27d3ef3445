//! `fiberplan coverage roads / city / verify`: the contract of issue 15 end to end.
//!
//! Every bundled OSM extract is run once (shared by the tests below, in
//! `CARGO_TARGET_TMPDIR/coverage`) and checked against the contract: the GeoJSON kinds and
//! properties, the summary's figures recomputed from the features, road km against the
//! independent pyosmium + geographiclib figures of `crates/io/src/osm/tests.rs`, `verify`
//! agreeing (and disagreeing once a chosen site is removed), the `--export-cover` file
//! against the GeoJSON and the outside greedy (`scripts/greedy_cover.py`). Then a DEM run
//! (NASADEM tile N44W072, New England) with roads, villages and a point of presence written
//! here, a 6 km x 6 km city square in Almaty, byte-identical outputs at 1 and 2 threads, and
//! the hostile inputs of `tests/bad_inputs/mobile_*` (exit 2, one line, nothing written).
//! Figures from `data/mobile.toml` (prices, radio budgets) are restated here on purpose: a
//! change there must be seen by a test.

use crate::common::{bad_input, json, ok, root, run, stderr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

/// The bundled extracts and the km of their motorway, trunk, primary and secondary roads
/// with links (the classes `coverage roads` covers by default), summed from the figures
/// pyosmium and geographiclib give (`EXPECTED` in `crates/io/src/osm/tests.rs`).
const EXTRACTS: [(&str, f64); 5] = [
    // motorway_link 0.202487 + primary 383.894256 + primary_link 13.621362 + secondary
    // 391.9557 + secondary_link 3.103108 + trunk 150.297437 + trunk_link 0.463078
    ("almaty_2013.osm.pbf", 943.537428),
    // primary 119.131224 + primary_link 1.312475 + secondary 154.805546 + secondary_link
    // 0.078179
    ("andorra.osm.pbf", 275.327424),
    // motorway 0.920301 + secondary 6.582047
    ("harsdorf.osm.pbf", 7.502348),
    // primary 2.737806 + secondary 0.105692
    ("neudrossenfeld.osm.pbf", 2.843498),
    ("neudrossenfeld.osm.gz", 2.843498),
];

const TILE: &str = "data/dem/N44W072.hgt";

/// A shared output folder under `CARGO_TARGET_TMPDIR/coverage`, emptied first.
fn shared_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("coverage")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One shared run: its folder (`out/`, `cover.txt`, its input files).
struct Shared {
    dir: PathBuf,
}

impl Shared {
    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }
    fn cover(&self) -> PathBuf {
        self.dir.join("cover.txt")
    }
}

/// `coverage roads --osm data/osm/NAME --threads T --export-cover DIR/cover.txt --out DIR/out`.
fn roads_args(osm: &str, threads: &str, dir: &Path) -> Vec<String> {
    [
        "coverage",
        "roads",
        "--osm",
        &format!("data/osm/{osm}"),
        "--threads",
        threads,
        "--export-cover",
        s(&dir.join("cover.txt")),
        "--out",
        s(&dir.join("out")),
    ]
    .map(String::from)
    .to_vec()
}

fn run_owned(args: &[String]) -> Output {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&a)
}

/// The bundled extract `i` of [`EXTRACTS`], run once at 2 threads.
fn extract_run(i: usize) -> &'static Shared {
    static RUNS: [OnceLock<Shared>; 5] = [const { OnceLock::new() }; 5];
    RUNS[i].get_or_init(|| {
        let dir = shared_dir(&format!("roads_{}", EXTRACTS[i].0));
        ok(&run_owned(&roads_args(EXTRACTS[i].0, "2", &dir)));
        Shared { dir }
    })
}

fn features(g: &Value) -> &[Value] {
    g["features"].as_array().expect("features")
}

fn kind(f: &Value) -> &str {
    f["properties"]["kind"].as_str().unwrap_or("")
}

fn of_kind<'a>(g: &'a Value, k: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    features(g).iter().filter(move |f| kind(f) == k)
}

fn int(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("{v} is not an integer"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// km as written (metres / 1000) back to whole metres.
fn metres(km: &Value) -> u64 {
    (num(km) * 1000.0).round() as u64
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn position(p: &Value) -> [f64; 2] {
    let a = p.as_array().expect("a position");
    assert!(a.len() == 2 || a.len() == 3, "position {p}");
    let (lon, lat) = (num(&a[0]), num(&a[1]));
    assert!((-180.0..=180.0).contains(&lon), "longitude {lon}");
    assert!((-90.0..=90.0).contains(&lat), "latitude {lat}");
    [lon, lat]
}

/// RFC 7946: a FeatureCollection of Features, WGS84 lon/lat, no `crs`, lines of two or
/// more positions.
fn check_rfc7946(g: &Value) {
    assert_eq!(g["type"], "FeatureCollection");
    assert!(g.get("crs").is_none(), "RFC 7946 has no `crs` member");
    for f in features(g) {
        assert_eq!(f["type"], "Feature", "{f}");
        assert!(f["properties"].is_object(), "{f}");
        let geom = &f["geometry"];
        match geom["type"].as_str() {
            Some("Point") => {
                position(&geom["coordinates"]);
            }
            Some("LineString") => {
                let c = geom["coordinates"].as_array().unwrap();
                assert!(c.len() >= 2, "a LineString of {} positions", c.len());
                c.iter().for_each(|p| {
                    position(p);
                });
            }
            t => panic!("geometry {t:?} in {f}"),
        }
    }
}

/// The ITM parameters a summary declares for an ITM model.
fn check_itm(radio: &Value) {
    let itm = &radio["itm"];
    for k in [
        "n_0",
        "epsilon",
        "sigma",
        "polarization",
        "climate",
        "mdvar",
        "time_pct",
        "location_pct",
        "situation_pct",
    ] {
        num(&itm[k]);
    }
    // ITM's defaults for a continental temperate climate (NTIA's ITM, climate 5).
    assert_eq!(itm["climate"], 5);
    assert_eq!(num(&itm["n_0"]), 301.0);
}

/// `covered` agrees with a best level written with 2 decimals: at or above the threshold
/// when covered, below it (or none) when not.
fn level_agrees(covered: bool, best: &Value, threshold: f64) -> bool {
    match best.as_f64() {
        Some(b) if covered => b >= threshold - 0.005,
        Some(b) => b < threshold + 0.005,
        None => !covered,
    }
}

/// What a road run's outputs say, after checking them against the contract.
struct RoadRun {
    summary: Value,
    geojson: Value,
    road_m: u64,
    covered_m: u64,
}

/// The contract of `coverage roads` on one output folder (see the issue's "Contract").
fn check_roads(out: &Path) -> RoadRun {
    let g = json(&out.join("coverage.geojson"));
    let sm = json(&out.join("summary.json"));
    check_rfc7946(&g);
    let radio = &sm["radio"];
    // LTE 800 budget of data/mobile.toml.
    assert_eq!(num(&radio["f_mhz"]), 806.0);
    assert_eq!(num(&radio["eirp_dbm"]), 33.2);
    assert_eq!(num(&radio["threshold_dbm"]), -110.0);
    assert_eq!(num(&radio["h_ut_m"]), 1.5);
    match radio["model"].as_str() {
        Some("itm-area") => {
            assert_eq!(num(&radio["delta_h_m"]), 30.0);
            check_itm(radio);
        }
        Some("itm-p2p") => {
            assert_eq!(num(&radio["itm"]["profile_step_m"]), 90.0);
            check_itm(radio);
        }
        m => panic!("model {m:?}"),
    }
    let threshold = num(&radio["threshold_dbm"]);

    let mut sites: BTreeMap<String, &Value> = BTreeMap::new();
    for f in of_kind(&g, "site") {
        assert_eq!(f["geometry"]["type"], "Point");
        let p = &f["properties"];
        let id = p["candidate_id"]
            .as_str()
            .expect("candidate_id")
            .to_string();
        assert!(p["new"].is_boolean() && p["on_air"].is_boolean(), "{p}");
        assert!(num(&p["height_m"]) > 0.0, "{p}");
        let cost = int(&p["cost_kzt"]);
        assert!(cost >= 0, "{p}");
        let bh = p["backhaul"].as_str().unwrap();
        assert!(
            ["fibre", "microwave", "existing"].contains(&bh),
            "backhaul {bh:?} of {id}: the contract's fibre, microwave or existing"
        );
        assert!(int(&p["backhaul_cost_kzt"]) >= 0);
        match p["site_type"].as_str().unwrap() {
            "existing" => {
                assert_eq!(p["new"], false);
                assert_eq!(cost, 0, "an existing site is paid for");
                assert_eq!(bh, "existing");
            }
            "upgrade" => {
                // Equipment only, on a mast that stands (data/mobile.toml).
                assert_eq!(cost, 25_000_000);
                assert_eq!(bh, "existing");
            }
            t @ ("road" | "village" | "high_ground") => {
                assert_eq!(p["new"], true);
                // A 40 m mast: 30,000,000 + 40 x 600,000; equipment 25,000,000.
                assert_eq!(num(&p["height_m"]), 40.0, "{t}");
                assert_eq!(int(&p["mast_kzt"]), 54_000_000);
                assert_eq!(int(&p["equipment_kzt"]), 25_000_000);
                let power = int(&p["power_kzt"]);
                let text = p["power"].as_str().unwrap();
                if let Some(km) = text
                    .strip_prefix("grid, ")
                    .and_then(|t| t.strip_suffix(" km of 10 kV line"))
                {
                    // 6,000,000 KZT a km, at most 15 km (km printed with 2 decimals).
                    let km: f64 = km.parse().unwrap();
                    assert!(km <= 15.0, "{text}");
                    assert!(
                        (power as f64 - km * 6e6).abs() <= 0.005 * 6e6,
                        "{text}: {power}"
                    );
                } else {
                    assert!(text.starts_with("off-grid"), "{text}");
                    assert_eq!(power, 20_000_000);
                }
                assert_eq!(cost, 54_000_000 + 25_000_000 + power);
                if t == "village" {
                    assert_eq!(power, 0, "a village has power");
                }
            }
            t => panic!("site_type {t}"),
        }
        assert!(sites.insert(id.clone(), f).is_none(), "site {id} twice");
    }

    let (mut road_m, mut covered_m) = (0u64, 0u64);
    let mut by_class: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut seg_ids = BTreeSet::new();
    for f in of_kind(&g, "road") {
        assert_eq!(f["geometry"]["type"], "LineString");
        let p = &f["properties"];
        let id = p["segment_id"].as_str().expect("segment_id");
        assert!(seg_ids.insert(id.to_string()), "segment {id} twice");
        let class = p["class"].as_str().unwrap();
        assert!(
            ["republican", "oblast", "local"].contains(&class),
            "{class}"
        );
        assert!(p["ref"].is_string(), "{p}");
        // Zero-length pieces do occur (km 0.0 after rounding to whole metres; reported).
        let m = metres(&p["km"]);
        let covered = p["covered"].as_bool().expect("covered");
        let best = &p["best_dbm"];
        assert!(best.is_null() || best.is_number(), "{p}");
        // Covered exactly when the best level reaches the threshold (best_dbm has 2 decimals).
        assert!(level_agrees(covered, best, threshold), "{p}");
        road_m += m;
        let e = by_class.entry(class.to_string()).or_default();
        e.0 += m;
        if covered {
            covered_m += m;
            e.1 += m;
        }
    }
    assert!(road_m > 0);

    let mut backhaul_by_site = BTreeMap::new();
    for f in of_kind(&g, "backhaul") {
        assert_eq!(f["geometry"]["type"], "LineString");
        let p = &f["properties"];
        let site = p["site"].as_str().unwrap();
        let s = &sites
            .get(site)
            .unwrap_or_else(|| panic!("backhaul of {site}"))["properties"];
        assert_eq!(s["on_air"], true);
        assert_eq!(p["type"], s["backhaul"], "{p}");
        assert_eq!(p["cost_kzt"], s["backhaul_cost_kzt"], "{p}");
        // The line starts at the site.
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let s_at = &sites[site]["geometry"]["coordinates"];
        assert_eq!(position(&c[0]), position(s_at));
        assert!(backhaul_by_site.insert(site.to_string(), ()).is_none());
    }

    // Summary figures from the features.
    assert_eq!(metres(&sm["road_km"]), road_m);
    assert_eq!(metres(&sm["covered_km"]), covered_m);
    let share = num(&sm["covered_share"]);
    assert!(
        (share - covered_m as f64 / road_m as f64).abs() < 1e-12,
        "{share}"
    );
    let target = num(&sm["target_share"]);
    assert!(share >= target, "covered {share} < target {target}");
    assert_eq!(sm["target_met"], true);
    for c in sm["by_class"].as_array().unwrap() {
        let (all, cov) = by_class
            .get(c["class"].as_str().unwrap())
            .copied()
            .unwrap_or_default();
        assert_eq!(
            (metres(&c["road_km"]), metres(&c["covered_km"])),
            (all, cov)
        );
    }
    let on_air: Vec<&Value> = sites
        .values()
        .map(|f| &f["properties"])
        .filter(|p| p["on_air"] == true)
        .collect();
    let new_on_air = on_air.iter().filter(|p| p["new"] == true).count();
    assert_eq!(int(&sm["sites_new"]), new_on_air as i64);
    assert_eq!(
        int(&sm["sites_existing"]),
        sites
            .values()
            .filter(|f| f["properties"]["site_type"] == "existing")
            .count() as i64
    );
    // Every shown site that is not on the air is an existing mast (an unused upgrade).
    for f in sites.values() {
        let p = &f["properties"];
        assert!(
            p["on_air"] == true
                || ["existing", "upgrade"].contains(&p["site_type"].as_str().unwrap()),
            "{p}"
        );
    }
    let cost = int(&sm["cost_kzt"]);
    assert_eq!(
        cost,
        on_air.iter().map(|p| int(&p["cost_kzt"])).sum::<i64>(),
        "cost_kzt is the on-air sites' own cost"
    );
    let lb = int(&sm["lower_bound_kzt"]);
    assert!(0 <= lb && lb <= cost, "bound {lb}, cost {cost}");
    let gap = num(&sm["gap_pct"]);
    // The gap over the cost, or over the bound (the fibre plans' convention, which the
    // mobile outputs are moving to): either way recomputed from the two figures.
    let (by_cost, by_bound) = if cost == 0 {
        (0.0, 0.0)
    } else {
        (
            round2(100.0 * (cost - lb) as f64 / cost as f64),
            round2(100.0 * (cost - lb) as f64 / lb.max(1) as f64),
        )
    };
    assert!(
        gap == by_cost || gap == by_bound,
        "gap {gap}, cost {cost}, bound {lb}"
    );
    assert!(gap <= 5.0, "certified gap {gap} % > 5 %");
    assert_eq!(
        int(&sm["backhaul"]["cost_kzt"]),
        on_air
            .iter()
            .map(|p| int(&p["backhaul_cost_kzt"]))
            .sum::<i64>()
    );
    // A sum of no lengths is -0.0 in Rust: the summary must say 0.0, not -0.0.
    assert!(!num(&sm["backhaul"]["new_fibre_km"]).is_sign_negative());
    RoadRun {
        summary: sm,
        geojson: g,
        road_m,
        covered_m,
    }
}

/// A parsed `--export-cover` file, checked line by line against the documented format.
struct Export {
    target_m: Option<u64>,
    /// id, cost, new, lon, lat, height.
    cands: Vec<(String, u64, bool, f64, f64, f64)>,
    /// id, metres.
    segs: Vec<(String, u64)>,
    /// Per candidate (file order), the segment ids.
    covers: Vec<Vec<String>>,
}

fn parse_export(path: &Path) -> Export {
    let text = std::fs::read_to_string(path).unwrap();
    let target_m = text.lines().find_map(|l| {
        let v = l
            .trim()
            .strip_prefix('#')?
            .trim()
            .strip_prefix("target_m ")?;
        Some(v.trim().parse::<u64>().unwrap())
    });
    let mut lines = text.lines().enumerate().filter_map(|(n, l)| {
        let t = l.trim();
        (!t.is_empty() && !t.starts_with('#')).then(|| {
            (
                n + 1,
                t.split_whitespace().map(String::from).collect::<Vec<_>>(),
            )
        })
    });
    fn header(lines: &mut impl Iterator<Item = (usize, Vec<String>)>, name: &str) -> usize {
        let (n, f) = lines.next().unwrap_or_else(|| panic!("no `{name}` line"));
        assert!(
            f.len() == 2 && f[0] == name,
            "line {n}: {f:?}, expected `{name} N`"
        );
        f[1].parse::<usize>().unwrap()
    }
    let nc = header(&mut lines, "candidates");
    let mut cands = Vec::new();
    for _ in 0..nc {
        let (n, f) = lines.next().expect("a C line");
        assert!(f.len() == 7 && f[0] == "C", "line {n}: {f:?}");
        assert!(f[3] == "0" || f[3] == "1", "line {n}: new {}", f[3]);
        let cost: u64 = f[2].parse().unwrap();
        if f[3] == "0" {
            assert_eq!(cost, 0, "line {n}: an existing site costs 0");
        }
        cands.push((
            f[1].clone(),
            cost,
            f[3] == "1",
            f[4].parse().unwrap(),
            f[5].parse().unwrap(),
            f[6].parse().unwrap(),
        ));
    }
    let ns = header(&mut lines, "segments");
    let mut segs = Vec::new();
    for _ in 0..ns {
        let (n, f) = lines.next().expect("an S line");
        assert!(f.len() == 5 && f[0] == "S", "line {n}: {f:?}");
        // km with three decimals: whole metres.
        let (whole, frac) = f[2].split_once('.').expect("km with decimals");
        assert_eq!(frac.len(), 3, "line {n}: {}", f[2]);
        let m = whole.parse::<u64>().unwrap() * 1000 + frac.parse::<u64>().unwrap();
        position(&serde_json::json!([
            f[3].parse::<f64>().unwrap(),
            f[4].parse::<f64>().unwrap()
        ]));
        segs.push((f[1].clone(), m));
    }
    let (n, f) = lines.next().expect("a covers line");
    assert_eq!(f, ["covers"], "line {n}");
    let mut covers = Vec::new();
    for c in &cands {
        let (n, f) = lines.next().expect("a V line");
        assert!(
            f.len() >= 2 && f[0] == "V" && f[1] == c.0,
            "line {n}: {:?}",
            &f[..2.min(f.len())]
        );
        covers.push(f[2..].to_vec());
    }
    assert!(lines.next().is_none(), "lines after the covers section");
    let ids: BTreeSet<&String> = cands.iter().map(|c| &c.0).collect();
    assert_eq!(ids.len(), cands.len(), "candidate ids unique");
    Export {
        target_m,
        cands,
        segs,
        covers,
    }
}

/// The export against the run's GeoJSON and summary: the same ids, lengths, sites, and
/// the coverage sets of the sites on the air give exactly the covered segments.
fn check_export(e: &Export, r: &RoadRun) {
    let roads: Vec<&Value> = of_kind(&r.geojson, "road").collect();
    assert_eq!(e.segs.len(), roads.len());
    for ((id, m), f) in e.segs.iter().zip(&roads) {
        assert_eq!(id, f["properties"]["segment_id"].as_str().unwrap());
        assert_eq!(*m, metres(&f["properties"]["km"]), "segment {id}");
    }
    let seg_ids: BTreeSet<&str> = e.segs.iter().map(|s| s.0.as_str()).collect();
    let by_id: BTreeMap<&str, usize> = e
        .cands
        .iter()
        .enumerate()
        .map(|(i, c)| (c.0.as_str(), i))
        .collect();
    let mut union = BTreeSet::new();
    for f in of_kind(&r.geojson, "site") {
        let p = &f["properties"];
        let id = p["candidate_id"].as_str().unwrap();
        let i = *by_id
            .get(id)
            .unwrap_or_else(|| panic!("site {id} is not a candidate of the export"));
        let c = &e.cands[i];
        assert_eq!(c.1 as i64, int(&p["cost_kzt"]), "{id}");
        assert_eq!(c.2, p["new"] == true, "{id}");
        // serde_json reads floats to within an ulp (no float_roundtrip feature here).
        let q = position(&f["geometry"]["coordinates"]);
        assert!(
            (c.3 - q[0]).abs() < 1e-9 && (c.4 - q[1]).abs() < 1e-9,
            "{id}: {c:?} {q:?}"
        );
        assert_eq!(c.5, num(&p["height_m"]), "{id}");
        if p["on_air"] == true {
            union.extend(e.covers[i].iter().map(String::as_str));
        }
    }
    let covered: BTreeSet<&str> = roads
        .iter()
        .filter(|f| f["properties"]["covered"] == true)
        .map(|f| f["properties"]["segment_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        union, covered,
        "the coverage sets of the sites on the air are the covered segments"
    );
    let mut coverable = BTreeSet::new();
    for v in &e.covers {
        for sid in v {
            assert!(seg_ids.contains(sid.as_str()), "unknown segment {sid}");
            coverable.insert(sid.as_str());
        }
    }
    let coverable_m: u64 = e
        .segs
        .iter()
        .filter(|s| coverable.contains(s.0.as_str()))
        .map(|s| s.1)
        .sum();
    let share = num(&r.summary["target_share"]);
    let want = ((share * r.road_m as f64).ceil() as u64).min(coverable_m);
    assert_eq!(e.target_m, Some(want), "# target_m");
    assert!(r.covered_m >= want);
}

/// `scripts/greedy_cover.py FILE` as JSON, `None` (reported) without python3.
fn outside_greedy(file: &Path) -> Option<Value> {
    let o = match std::process::Command::new("python3")
        .arg(root().join("scripts/greedy_cover.py"))
        .arg(file)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("SKIPPED: python3 not runnable ({e}): the outside greedy did not run");
            return None;
        }
    };
    assert!(
        o.status.success(),
        "greedy_cover.py: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn roads_contract_on_every_bundled_extract() {
    for (i, (name, km)) in EXTRACTS.iter().enumerate() {
        let r = check_roads(&extract_run(i).out());
        let got = r.road_m as f64 / 1000.0;
        // Whole-metre segments against pyosmium's geodesic km: 0.01 % and 2 m.
        assert!(
            (got - km).abs() <= 1e-4 * km + 0.002,
            "{name}: {got} km of road, pyosmium {km} km"
        );
        assert_eq!(num(&r.summary["target_share"]), 0.95, "{name}");
        assert_eq!(r.summary["radio"]["model"], "itm-area", "{name}: no DEM");
        assert!(int(&r.summary["sites_new"]) >= 1, "{name}");
        // No DEM, no high ground.
        let text = std::fs::read_to_string(extract_run(i).cover()).unwrap();
        assert!(!text.contains("\nC high:"), "{name}");
    }
    // Almaty's refs: the new scheme (`A350`, `A 351`) and the old with a Cyrillic look-alike
    // (`M39; М36`) are republican; roads without a ref go by their OSM class.
    let g = json(&extract_run(0).out().join("coverage.geojson"));
    let mut refs = BTreeSet::new();
    for f in of_kind(&g, "road") {
        let p = &f["properties"];
        let (r, class) = (p["ref"].as_str().unwrap(), p["class"].as_str().unwrap());
        refs.insert(r);
        let by_highway = match p["highway"].as_str().unwrap().trim_end_matches("_link") {
            "motorway" | "trunk" | "primary" => "republican",
            "secondary" => "oblast",
            h => panic!("highway {h}"),
        };
        let want = if r.is_empty() {
            by_highway
        } else {
            "republican"
        };
        assert_eq!(class, want, "{p}");
    }
    assert!(
        refs.contains("M39; М36") && refs.contains("A 351"),
        "{refs:?}"
    );
}

#[test]
fn tertiary_roads_are_covered_on_request() {
    let d = tempfile::tempdir().unwrap();
    let mut args = roads_args("neudrossenfeld.osm.pbf", "2", d.path());
    args.push("--tertiary".into());
    ok(&run_owned(&args));
    let r = check_roads(&d.path().join("out"));
    // primary 2.737806 + secondary 0.105692 + tertiary 1.889293 (pyosmium).
    let got = r.road_m as f64 / 1000.0;
    assert!((got - 4.732791).abs() <= 0.002, "{got}");
    let tertiary: Vec<&Value> = of_kind(&r.geojson, "road")
        .filter(|f| f["properties"]["highway"] == "tertiary")
        .collect();
    let m: u64 = tertiary
        .iter()
        .map(|f| metres(&f["properties"]["km"]))
        .sum();
    assert!((m as f64 - 1889.293).abs() <= 2.0, "{m} m of tertiary road");
    // Classes by the documented rule (crates/mobile/src/roads.rs): `B 85` is no Kazakh
    // prefix, so the primary road is republican by its OSM class, `St 2189` oblast as a
    // secondary road; the Kreisstrassen `KU 11` and `KU 18` read as an oblast's `K?` ref.
    let classes: BTreeSet<(&str, &str, &str)> = of_kind(&r.geojson, "road")
        .map(|f| {
            let p = &f["properties"];
            let g = |k: &str| p[k].as_str().unwrap();
            (g("highway"), g("ref"), g("class"))
        })
        .collect();
    assert_eq!(
        classes,
        BTreeSet::from([
            ("primary", "B 85", "republican"),
            ("secondary", "St 2189", "oblast"),
            ("tertiary", "KU 11", "oblast"),
            ("tertiary", "KU 18", "oblast"),
        ])
    );
    check_export(&parse_export(&d.path().join("cover.txt")), &r);
}

#[test]
fn existing_masts_are_free_and_upgrades_cost_equipment() {
    let d = tempfile::tempdir().unwrap();
    let masts = d.path().join("masts.csv");
    // m1 carries LTE 800 (coverage already paid for); m2 has GSM only (an upgrade).
    std::fs::write(
        &masts,
        "id,lon,lat,height_m,technologies\nm1,11.50,50.00,30,lte_800\nm2,11.56,50.03,45,gsm\n",
    )
    .unwrap();
    let mut args = roads_args("harsdorf.osm.pbf", "2", d.path());
    args.extend(["--existing".into(), s(&masts).into()]);
    ok(&run_owned(&args));
    let r = check_roads(&d.path().join("out"));
    let sites: BTreeMap<&str, &Value> = of_kind(&r.geojson, "site")
        .map(|f| {
            (
                f["properties"]["candidate_id"].as_str().unwrap(),
                &f["properties"],
            )
        })
        .collect();
    let m1 = sites["existing:m1"];
    assert_eq!(m1["site_type"], "existing");
    assert_eq!(m1["new"], false);
    assert_eq!(m1["on_air"], true);
    assert_eq!(m1["cost_kzt"], 0);
    assert_eq!(m1["height_m"], 30.0);
    assert_eq!(sites["existing:m2"]["site_type"], "upgrade");
    assert_eq!(r.summary["sites_existing"], 1);
    let e = parse_export(&d.path().join("cover.txt"));
    let c = |id: &str| e.cands.iter().find(|c| c.0 == id).unwrap().clone();
    assert_eq!(
        c("existing:m1"),
        ("existing:m1".into(), 0, false, 11.5, 50.0, 30.0)
    );
    assert_eq!(c("existing:m2").1, 25_000_000);
    check_export(&e, &r);
    // The free mast a few km from the roads covers them all: nothing to buy.
    assert_eq!(r.covered_m, r.road_m);
    assert_eq!(
        (int(&r.summary["sites_new"]), int(&r.summary["cost_kzt"])),
        (0, 0)
    );
    if let Some(gr) = outside_greedy(&d.path().join("cover.txt")) {
        assert_eq!(gr["cost_kzt"], 0);
        assert_eq!(gr["chosen_ids"], serde_json::json!(["existing:m1"]));
    }
}

#[test]
fn masts_of_an_osm_extract_are_existing_sites() {
    // The Almaty extract maps its television tower twice (node 681341192, 371.5 m, and way
    // 54044085 around it) and no other telecom mast.
    let d = tempfile::tempdir().unwrap();
    let mut args = roads_args("almaty_2013.osm.pbf", "2", d.path());
    args.extend(["--existing".into(), "data/osm/almaty_2013.osm.pbf".into()]);
    ok(&run_owned(&args));
    let r = check_roads(&d.path().join("out"));
    let masts: Vec<&Value> = of_kind(&r.geojson, "site")
        .filter(|f| {
            f["properties"]["candidate_id"]
                .as_str()
                .unwrap()
                .starts_with("existing:")
        })
        .collect();
    assert_eq!(masts.len(), 1, "the tower drawn twice is one site");
    let p = &masts[0]["properties"];
    assert_eq!(p["candidate_id"], "existing:n681341192");
    // Technologies unknown: an upgrade; the antenna capped at 100 m on a 371.5 m tower.
    assert_eq!(p["site_type"], "upgrade");
    assert_eq!(p["height_m"], 100.0);
    assert_eq!(p["estimated"], true);
    let note = r.summary["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|n| n.starts_with("existing masts:"))
        .expect("the OSM masts are declared");
    for part in [
        "1 from OpenStreetMap",
        "(c) OpenStreetMap contributors",
        "0 without a usable height tag",
        "1 taller than 100 m",
        "1 drawn twice",
    ] {
        assert!(note.contains(part), "{part:?} missing from {note:?}");
    }
    let e = parse_export(&d.path().join("cover.txt"));
    let c = e
        .cands
        .iter()
        .find(|c| c.0 == "existing:n681341192")
        .expect("the mast is a candidate in the export");
    assert_eq!((c.1, c.2, c.5), (25_000_000, true, 100.0));
    check_export(&e, &r);
}

/// `coverage verify DIR`: exit code and its JSON line.
fn verify(dir: &Path) -> (Option<i32>, Value) {
    let o = run(&["coverage", "verify", s(dir), "--threads", "2"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let v = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("verify printed {out:?} ({e}); stderr {}", stderr(&o)));
    (o.status.code(), v)
}

#[test]
fn verify_agrees_on_every_extract_and_disagrees_without_a_chosen_site() {
    for (i, (name, _)) in EXTRACTS.iter().enumerate() {
        let out = extract_run(i).out();
        let (code, v) = verify(&out);
        assert_eq!(code, Some(0), "{name}: {v}");
        assert_eq!(v["agrees_within_0_1_pct"], true);
        let reported = num(&json(&out.join("summary.json"))["covered_share"]);
        assert!((num(&v["reported_share"]) - reported).abs() < 1e-12, "{v}");
        assert!(
            (num(&v["recomputed_share"]) - reported).abs() <= 0.001,
            "{name}: {v}"
        );
        let g = json(&out.join("coverage.geojson"));
        assert_eq!(int(&v["points"]), of_kind(&g, "road").count() as i64);
        assert_eq!(
            int(&v["sites_on_air"]),
            of_kind(&g, "site")
                .filter(|f| f["properties"]["on_air"] == true)
                .count() as i64
        );
    }
    // Almaty without one of its chosen sites: the recomputed share falls, verify says so.
    let src = extract_run(0).out();
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(src.join("summary.json"), d.path().join("summary.json")).unwrap();
    let mut g = json(&src.join("coverage.geojson"));
    let feats = g["features"].as_array_mut().unwrap();
    let k = feats
        .iter()
        .position(|f| {
            kind(f) == "site" && f["properties"]["on_air"] == true && f["properties"]["new"] == true
        })
        .expect("a chosen site");
    let removed = feats.remove(k);
    std::fs::write(d.path().join("coverage.geojson"), g.to_string()).unwrap();
    let (code, v) = verify(d.path());
    assert_eq!(
        code,
        Some(1),
        "without {}: {v}",
        removed["properties"]["candidate_id"]
    );
    assert_eq!(v["agrees_within_0_1_pct"], false);
    assert!(
        num(&v["recomputed_share"]) < num(&v["reported_share"]) - 0.001,
        "{v}"
    );
}

#[test]
fn export_cover_matches_the_geojson_and_the_outside_greedy() {
    for (i, (name, _)) in EXTRACTS.iter().enumerate() {
        let shared = extract_run(i);
        let r = check_roads(&shared.out());
        let e = parse_export(&shared.cover());
        check_export(&e, &r);
        let sm = &r.summary;
        assert_eq!(int(&sm["candidates"]), e.cands.len() as i64, "{name}");
        let (cost, greedy, lb) = (
            int(&sm["cost_kzt"]),
            int(&sm["greedy_cost_kzt"]),
            int(&sm["lower_bound_kzt"]),
        );
        assert!(
            lb <= cost && cost <= greedy,
            "{name}: {lb} <= {cost} <= {greedy}"
        );
        assert_eq!(
            num(&sm["saving_vs_greedy_pct"]),
            round2(100.0 * (greedy - cost) as f64 / greedy as f64)
        );
        if let Some(gr) = outside_greedy(&shared.cover()) {
            assert_eq!(int(&gr["cost_kzt"]), greedy, "{name}: outside greedy {gr}");
            assert!(int(&gr["covered_m"]) >= int(&gr["target_m"]));
            assert_eq!(gr["target_m"].as_u64(), e.target_m);
        }
    }
    // Almaty: the siting beats greedy (hand-checked: greedy takes three villages at
    // 79,000,000 each; two sites do it).
    let alm = json(&extract_run(0).out().join("summary.json"));
    assert_eq!(int(&alm["greedy_cost_kzt"]), 3 * 79_000_000);
    assert!(int(&alm["cost_kzt"]) < int(&alm["greedy_cost_kzt"]));
}

/// DEM elevation as `io::dem` reads it: bilinear between the 3" samples of the tile.
struct Tile(Vec<i16>);

impl Tile {
    fn read() -> Tile {
        let b = std::fs::read(root().join(TILE)).unwrap();
        assert_eq!(b.len(), 2 * 1201 * 1201);
        Tile(
            b.chunks_exact(2)
                .map(|c| i16::from_be_bytes([c[0], c[1]]))
                .collect(),
        )
    }
    fn z(&self, p: [f64; 2]) -> f64 {
        let x = (p[0] + 72.0) * 1200.0;
        let y = (45.0 - p[1]) * 1200.0;
        let (c, r) = (x.floor() as usize, y.floor() as usize);
        let (fx, fy) = (x - c as f64, y - r as f64);
        let at = |r: usize, c: usize| self.0[r * 1201 + c] as f64;
        let top = at(r, c) + (at(r, c + 1) - at(r, c)) * fx;
        let bottom = at(r + 1, c) + (at(r + 1, c + 1) - at(r + 1, c)) * fx;
        top + (bottom - top) * fy
    }
}

fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (p1, p2) = (a[1].to_radians(), b[1].to_radians());
    let (dp, dl) = (p2 - p1, (b[0] - a[0]).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// Roads through the White Mountains (New Hampshire), on the bundled tile.
const DEM_ROADS: [(&str, &str, &str, &[[f64; 2]]); 3] = [
    (
        "r1",
        "primary",
        "US 2",
        &[[-71.60, 44.40], [-71.50, 44.41], [-71.40, 44.40]],
    ),
    (
        "r2",
        "secondary",
        "NH 16",
        &[[-71.40, 44.40], [-71.30, 44.35], [-71.20, 44.30]],
    ),
    (
        "r3",
        "oblast",
        "",
        &[[-71.50, 44.41], [-71.52, 44.50], [-71.55, 44.60]],
    ),
];

/// Roads, villages and a point of presence near the tile (the bundled national network
/// is in Kazakhstan), run with the DEM once at 2 threads.
fn dem_run() -> &'static Shared {
    static RUN: OnceLock<Shared> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = shared_dir("roads_dem");
        let feats: Vec<Value> = DEM_ROADS
            .iter()
            .map(|(id, class, r, line)| {
                serde_json::json!({"type": "Feature",
                    "properties": {"id": id, "class": class, "ref": r},
                    "geometry": {"type": "LineString", "coordinates": line}})
            })
            .collect();
        std::fs::write(
            dir.join("roads.geojson"),
            serde_json::json!({"type": "FeatureCollection", "features": feats}).to_string(),
        )
        .unwrap();
        std::fs::write(
            dir.join("villages.csv"),
            "id,name,lon,lat,households\nV1,Lancaster,-71.57,44.49,300\n\
             V2,Jefferson,-71.48,44.42,100\nV3,Gorham,-71.18,44.39,200\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("backbone.geojson"),
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P1","name":"Exchange"},"geometry":{"type":"Point","coordinates":[-71.6,44.4]}}]}"#,
        )
        .unwrap();
        ok(&run_owned(&dem_args(&dir, "2")));
        Shared { dir }
    })
}

fn dem_args(dir: &Path, threads: &str) -> Vec<String> {
    [
        "coverage",
        "roads",
        "--roads",
        s(&dir.join("roads.geojson")),
        "--villages",
        s(&dir.join("villages.csv")),
        "--backbone",
        s(&dir.join("backbone.geojson")),
        "--dem",
        TILE,
        "--threads",
        threads,
        "--export-cover",
        s(&dir.join("cover.txt")),
        "--out",
        s(&dir.join("out")),
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn dem_run_declares_itm_p2p_and_sites_on_high_ground() {
    let shared = dem_run();
    let r = check_roads(&shared.out());
    let sm = &r.summary;
    assert_eq!(sm["radio"]["model"], "itm-p2p");
    assert!(
        sm["radio"].get("delta_h_m").is_none(),
        "no area mode over a DEM"
    );
    assert_eq!(sm["inputs"]["dem"], serde_json::json!([TILE]));
    // Road km by class: r1 (primary) is republican, r2 (secondary) and r3 (`oblast`) oblast.
    let len = |line: &[[f64; 2]]| {
        line.windows(2)
            .map(|w| haversine_m(w[0], w[1]))
            .sum::<f64>()
    };
    let class_m = |c: &str| {
        sm["by_class"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["class"] == c)
            .map(|x| metres(&x["road_km"]))
            .unwrap() as f64
    };
    // Geodesic (the product) against haversine (here): within 0.5 %.
    let rep = len(DEM_ROADS[0].3);
    let obl = len(DEM_ROADS[1].3) + len(DEM_ROADS[2].3);
    assert!(
        (class_m("republican") - rep).abs() <= 0.005 * rep,
        "{} vs {rep}",
        class_m("republican")
    );
    assert!(
        (class_m("oblast") - obl).abs() <= 0.005 * obl,
        "{} vs {obl}",
        class_m("oblast")
    );
    assert_eq!(class_m("local"), 0.0);
    let refs: BTreeSet<&str> = of_kind(&r.geojson, "road")
        .map(|f| f["properties"]["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, BTreeSet::from(["", "NH 16", "US 2"]));

    let (code, v) = verify(&shared.out());
    assert_eq!(code, Some(0), "{v}");

    // High ground: candidates where the tile rises 20 m or more above their road candidate
    // within 2 km, and some of them chosen.
    let e = parse_export(&shared.cover());
    check_export(&e, &r);
    let tile = Tile::read();
    let at: BTreeMap<&str, [f64; 2]> = e.cands.iter().map(|c| (c.0.as_str(), [c.3, c.4])).collect();
    let mut high = 0;
    for (id, p) in &at {
        let Some(rest) = id.strip_prefix("high:") else {
            continue;
        };
        high += 1;
        let q = at[format!("road:{rest}").as_str()];
        assert!(haversine_m(*p, q) <= 2000.0 + 15.0, "{id}");
        let gain = tile.z(*p) - tile.z(q);
        assert!(
            gain >= 20.0 - 0.01,
            "{id}: {gain} m above its road candidate"
        );
    }
    assert!(
        high >= 10,
        "{high} high-ground candidates in the White Mountains"
    );
    let chosen_high = of_kind(&r.geojson, "site")
        .filter(|f| {
            f["properties"]["site_type"] == "high_ground" && f["properties"]["on_air"] == true
        })
        .count();
    assert!(chosen_high >= 1, "no high-ground site chosen");
    assert_eq!(int(&sm["sites_by_type"]["high_ground"]), chosen_high as i64);
    // Backhaul to the network written here: every new site fed, none left out.
    assert_eq!(int(&sm["backhaul"]["unconnected_sites"]), 0);
    if let Some(gr) = outside_greedy(&shared.cover()) {
        assert_eq!(gr["cost_kzt"], sm["greedy_cost_kzt"]);
    }
}

/// A square `km` on a side centred on `c`, as a GeoJSON polygon (counter-clockwise).
fn square(c: [f64; 2], km: f64) -> String {
    let h = km * 500.0;
    let dlat = h / 111_132.954;
    let dlon = h / (111_319.49 * c[1].to_radians().cos());
    let (w, e, so, n) = (c[0] - dlon, c[0] + dlon, c[1] - dlat, c[1] + dlat);
    serde_json::json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "Almaty centre"},
        "geometry": {"type": "Polygon", "coordinates": [[[w, so], [e, so], [e, n], [w, n], [w, so]]]}}]})
    .to_string()
}

/// A 6 km x 6 km square around Almaty's centre at a 100 m grid, once at 2 threads.
/// (Smaller squares are no test of "fewer than hexagonal dimensioning": at 2 or 3 km a
/// side both give 2 and 3 sites, and the bound proves no fewer will do.)
fn city_run() -> &'static Shared {
    static RUN: OnceLock<Shared> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = shared_dir("city");
        std::fs::write(dir.join("city.geojson"), square([76.93, 43.25], 6.0)).unwrap();
        ok(&run_owned(&city_args(&dir, "2")));
        Shared { dir }
    })
}

fn city_args(dir: &Path, threads: &str) -> Vec<String> {
    [
        "coverage",
        "city",
        "--polygon",
        s(&dir.join("city.geojson")),
        "--grid-m",
        "100",
        "--threads",
        threads,
        "--out",
        s(&dir.join("out")),
    ]
    .map(String::from)
    .to_vec()
}

/// TR 38.901 UMa NLOS cell range of data/mobile.toml's NR budget, km: the largest 2-D
/// distance where max(PL_LOS, PL_NLOS) <= 41.9 dBm - 3 dB + 105 dBm = 143.9 dB
/// (h_BS 25 m, h_UT 1.5 m, 3.5 GHz; NLOS is the larger here).
fn uma_nlos_range_km() -> f64 {
    let budget = 41.9 + 0.0 - 3.0 - (-105.0);
    // PL'_NLOS = 13.54 + 39.08 log10(d3D) + 20 log10(fc) - 0.6 (h_UT - 1.5)
    let d3 = 10f64.powf((budget - 13.54 - 20.0 * 3.5f64.log10()) / 39.08);
    (d3 * d3 - 23.5 * 23.5).sqrt() / 1000.0
}

#[test]
fn city_covers_75_pct_with_fewer_sites_than_hexagons() {
    let out = city_run().out();
    let g = json(&out.join("coverage.geojson"));
    let sm = json(&out.join("summary.json"));
    check_rfc7946(&g);
    let radio = &sm["radio"];
    assert_eq!(radio["model"], "38901-uma-nlos");
    assert_eq!(
        (
            num(&radio["f_mhz"]),
            num(&radio["eirp_dbm"]),
            num(&radio["threshold_dbm"]),
            num(&radio["h_ut_m"])
        ),
        (3500.0, 41.9, -105.0, 1.5)
    );
    // 6 km x 6 km: 36 km2 and 60 x 60 cells of 100 m.
    let area = num(&sm["area_km2"]);
    assert!((area - 36.0).abs() <= 0.05, "{area}");
    assert_eq!(sm["cells"], 3600);
    let cells: Vec<&Value> = of_kind(&g, "cell").collect();
    assert_eq!(cells.len(), 3600);
    let t = num(&radio["threshold_dbm"]);
    let mut covered = 0;
    for c in &cells {
        assert_eq!(c["geometry"]["type"], "Point");
        let p = &c["properties"];
        let cov = p["covered"].as_bool().unwrap();
        assert!(level_agrees(cov, &p["best_dbm"], t), "{p}");
        covered += cov as i64;
    }
    assert_eq!(int(&sm["covered_cells"]), covered);
    let share = num(&sm["covered_share"]);
    assert!((share - covered as f64 / 3600.0).abs() < 1e-12, "{share}");
    assert_eq!(num(&sm["target_share"]), 0.75);
    assert!(share >= 0.75, "{share}");

    let r = num(&sm["cell_range_km"]);
    assert_eq!(r, (uma_nlos_range_km() * 1000.0).round() / 1000.0);
    assert_eq!(r, 1.141);
    let hex = int(&sm["hex_sites"]);
    assert_eq!(hex, (0.75 * area / (1.95 * r * r)).ceil() as i64);
    let new = int(&sm["sites_new"]);
    assert!(new < hex, "{new} sites, hexagonal dimensioning {hex}");
    // City sites: a 30,000,000 light mast and 25,000,000 of equipment each, 25 m up.
    let sites: Vec<&Value> = of_kind(&g, "site").map(|f| &f["properties"]).collect();
    assert_eq!(sites.len() as i64, new);
    for p in &sites {
        assert_eq!(p["site_type"], "city_grid");
        assert_eq!(
            (&p["new"], &p["on_air"]),
            (&Value::Bool(true), &Value::Bool(true))
        );
        assert_eq!(num(&p["height_m"]), 25.0);
        assert_eq!(int(&p["cost_kzt"]), 55_000_000);
    }
    assert_eq!(int(&sm["cost_kzt"]), 55_000_000 * new);
    let lb = int(&sm["lower_bound_kzt"]);
    assert!(lb <= int(&sm["cost_kzt"]));
    assert!(num(&sm["gap_pct"]) <= 5.0, "{}", sm["gap_pct"]);

    let (code, v) = verify(&out);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["points"], 3600);

    // A city that is not there: one line, nothing written.
    let d = tempfile::tempdir().unwrap();
    let o = run(&[
        "coverage",
        "city",
        "--city",
        "Nosuchcity",
        "--out",
        s(&d.path().join("out")),
    ]);
    bad_input(&o, &["--city Nosuchcity", "data/kz/districts_2024.geojson"]);
    assert!(std::fs::read_dir(d.path()).unwrap().next().is_none());
}

/// A 5 km x 5 km square (2,500 cells of 100 m, 169 candidates): the Lagrangian (= LP) bound
/// is 6.92 sites, the cover 8 sites (the optimum: HiGHS on the `--export-cover` file,
/// `scripts/cover_oracle.py`, proves it too). The bound rounded to whole sites (7) left a
/// 14.29 % gap; the depth-first branch and bound closes it: no 7 sites reach 75 %.
#[test]
fn city_gap_is_closed_on_a_5_km_square() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("city.geojson"), square([76.93, 43.25], 5.0)).unwrap();
    ok(&run_owned(&city_args(d.path(), "2")));
    let sm = json(&d.path().join("out").join("summary.json"));
    assert_eq!(sm["cells"], 2500);
    assert!(num(&sm["covered_share"]) >= 0.75);
    assert_eq!(int(&sm["sites_new"]), 8);
    assert_eq!(int(&sm["cost_kzt"]), 8 * 55_000_000);
    assert_eq!(int(&sm["lower_bound_kzt"]), int(&sm["cost_kzt"]));
    assert_eq!(num(&sm["gap_pct"]), 0.0);
}

#[test]
fn outputs_are_byte_identical_at_1_and_2_threads() {
    let d = tempfile::tempdir().unwrap();
    let cases: [(&Shared, Vec<String>); 3] = [
        (extract_run(0), roads_args(EXTRACTS[0].0, "1", d.path())),
        (dem_run(), {
            let mut a = dem_args(&dem_run().dir, "1");
            let n = a.len();
            a[n - 3] = s(&d.path().join("dem_cover.txt")).into();
            a[n - 1] = s(&d.path().join("dem_out")).into();
            a
        }),
        (city_run(), {
            let mut a = city_args(&city_run().dir, "1");
            let n = a.len();
            a[n - 1] = s(&d.path().join("city_out")).into();
            a
        }),
    ];
    for (shared, args) in &cases {
        ok(&run_owned(args));
        let out = PathBuf::from(args.last().unwrap());
        for f in ["coverage.geojson", "summary.json"] {
            assert!(
                std::fs::read(out.join(f)).unwrap() == std::fs::read(shared.out().join(f)).unwrap(),
                "{} differs between 1 and 2 threads ({args:?})",
                f
            );
        }
        if let Some(k) = args.iter().position(|a| a == "--export-cover") {
            assert!(
                std::fs::read(&args[k + 1]).unwrap() == std::fs::read(shared.cover()).unwrap(),
                "the cover export differs between 1 and 2 threads ({args:?})"
            );
        }
    }
}

/// The `tests/bad_inputs/mobile_*` cases (run for their messages by `bad_inputs.rs`) with
/// `--out` in a fresh folder: exit 2, one line, and nothing written there.
#[test]
fn hostile_inputs_exit_2_with_one_line_and_write_nothing() {
    let base = root().join("tests/bad_inputs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("mobile_")
        })
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "only {} mobile_* cases", dirs.len());
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("tests/bad_inputs/{name}");
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut args: Vec<String> = std::fs::read_to_string(dir.join("args.txt"))
            .unwrap()
            .replace("{dir}", &rel)
            .split_whitespace()
            .map(String::from)
            .collect();
        let k = args
            .iter()
            .position(|a| a == "--out")
            .expect("--out in args.txt");
        args[k + 1] = s(&out).into();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let mut lines = expected.lines();
        assert_eq!(lines.next(), Some("exit 2"), "{name}");
        let msg = lines.next().unwrap();
        let o = run_owned(&args);
        bad_input(&o, &[]);
        let err = stderr(&o);
        let got = err.trim_end();
        let got = got.strip_prefix("fiberplan: error: ").unwrap_or(got);
        // The exact line, or its start for a line ending ` ...` (as bad_inputs.rs reads it).
        match msg.strip_suffix(" ...") {
            Some(start) => assert!(got.starts_with(start), "{name}: {got}"),
            None => assert_eq!(got, msg, "{name}"),
        }
        // A file's problem names the file and the place (line, feature or key).
        if msg.starts_with("tests/") {
            let place = msg.split(": ").next().unwrap();
            assert!(place.starts_with(&rel), "{name}: {place}");
        }
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{name}: rejected but left {left:?}");
    }
    // Without roads: it says what it needs.
    let d = tempfile::tempdir().unwrap();
    let o = run(&["coverage", "roads", "--out", s(&d.path().join("out"))]);
    bad_input(&o, &["--osm", "--roads"]);
    // verify on an empty folder and on none.
    bad_input(
        &run(&["coverage", "verify", s(d.path())]),
        &["summary.json"],
    );
    bad_input(
        &run(&["coverage", "verify", s(&d.path().join("none"))]),
        &["summary.json"],
    );
    assert!(std::fs::read_dir(d.path()).unwrap().next().is_none());
}

/// Output faults (issue 19): a file where the output folder, its parent or the cover
/// export's folder goes: exit 2, one line naming the path, the file untouched.
#[test]
fn output_faults_exit_2_with_one_line_naming_the_path() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("a_file");
    std::fs::write(&file, "not a folder").unwrap();
    for out in [file.join("out"), file.clone()] {
        let mut args = roads_args("neudrossenfeld.osm.pbf", "2", d.path());
        let k = args.iter().position(|a| a == "--out").unwrap();
        args[k + 1] = s(&out).into();
        let o = run_owned(&args);
        bad_input(&o, &[s(&out)]);
    }
    let cover = file.join("cover.txt");
    let mut args = roads_args("neudrossenfeld.osm.pbf", "2", d.path());
    let k = args.iter().position(|a| a == "--export-cover").unwrap();
    args[k + 1] = s(&cover).into();
    bad_input(&run_owned(&args), &[s(&cover)]);
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
}
