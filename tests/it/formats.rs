//! Open formats out and in (issue 17): OFDS 0.3.0 validated against the official JSON schema
//! and the standard's other checks (ours, and the reference validator libcoveofds when its
//! venv exists), the GeoJSON form's round trip, an OFDS backbone planning like its GeoJSON
//! twin, and GeoPackage / KMZ read back by GDAL's `ogrinfo` (when gdal-bin is installed).

use crate::common::*;
use fiberplan_network::geodesy::{distance_m, length_m};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const ALL: [&str; 2] = ["--format", "geojson,gpkg,kmz,ofds"];

fn schema_validator() -> jsonschema::Validator {
    let dir = root().join("data/ofds/schema");
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap()
    };
    let network = read("network-schema.json");
    let id = network["$id"].as_str().unwrap().to_string();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_resource(id, jsonschema::Resource::from_contents(network).unwrap())
        .build(&read("network-package-schema.json"))
        .expect("OFDS schema compiles")
}

/// Schema errors of a package, one line each.
fn schema_errors(package: &Value) -> Vec<String> {
    schema_validator()
        .iter_errors(package)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// The standard's checks beyond the schema, as we implement them: unique ids; every span
/// end resolves to exactly one node; every node is used by a span; phase references resolve
/// with the phase's name; route ends at their nodes' locations (1 m); `fibreLength` (km) no
/// shorter than the route's geodesic length and at most `max_ratio` times it; the first
/// link is the schema, the crs is CRS84 and the id a UUID.
fn additional_check_failures(package: &Value, max_ratio: f64) -> Vec<String> {
    let mut bad = Vec::new();
    for (k, net) in package["networks"].as_array().unwrap().iter().enumerate() {
        let empty = vec![];
        let list = |key: &str| net[key].as_array().unwrap_or(&empty);
        if uuid_ok(net["id"].as_str()).is_none() {
            bad.push(format!("network {k}: id {} is not a UUID", net["id"]));
        }
        if net["links"][0]["href"] != fiberplan_report::ofds::NETWORK_SCHEMA_URL
            || net["links"][0]["rel"] != "describedby"
        {
            bad.push(format!("network {k}: links[0] is not the schema"));
        }
        if !list("nodes").is_empty()
            && net["crs"]
                != json!({"name": "urn:ogc:def:crs:OGC::CRS84", "uri": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"})
        {
            bad.push(format!("network {k}: crs {}", net["crs"]));
        }
        for key in ["nodes", "spans", "phases"] {
            let mut seen = BTreeSet::new();
            for x in list(key) {
                if !seen.insert(x["id"].to_string()) {
                    bad.push(format!("{key}: duplicate id {}", x["id"]));
                }
            }
        }
        let phases: BTreeMap<String, &Value> = list("phases")
            .iter()
            .map(|p| (p["id"].to_string(), &p["name"]))
            .collect();
        for x in list("nodes").iter().chain(list("spans")) {
            if let Some(ph) = x.get("phase") {
                if phases.get(&ph["id"].to_string()) != Some(&&ph["name"]) {
                    bad.push(format!("{}: phase {ph} does not resolve", x["id"]));
                }
            }
        }
        let mut used = BTreeSet::new();
        for s in list("spans") {
            let sid = &s["id"];
            let mut at = Vec::new();
            for end in ["start", "end"] {
                let hits: Vec<&Value> =
                    list("nodes").iter().filter(|n| n["id"] == s[end]).collect();
                if hits.len() != 1 {
                    bad.push(format!("span {sid}: {end} matches {} nodes", hits.len()));
                    continue;
                }
                used.insert(s[end].to_string());
                if let Some(c) = hits[0]["location"]["coordinates"].as_array() {
                    at.push(lonlat(&Value::Array(c.clone())));
                }
            }
            let Some(route) = s["route"]["coordinates"].as_array() else {
                continue;
            };
            let route: Vec<[f64; 2]> = route.iter().map(lonlat).collect();
            if at.len() == 2 {
                let (a, b) = (route[0], *route.last().unwrap());
                let fwd = distance_m(a, at[0]).max(distance_m(b, at[1]));
                let rev = distance_m(a, at[1]).max(distance_m(b, at[0]));
                if fwd.min(rev) > 1.0 {
                    bad.push(format!(
                        "span {sid}: route ends {:.1} m from its nodes",
                        fwd.min(rev)
                    ));
                }
            }
            let geodesic = length_m(&route);
            let Some(fibre) = s["fibreLength"].as_f64().map(|km| km * 1000.0) else {
                continue;
            };
            // fibreLength is rounded to the metre, and the route's positions to 6 decimals
            // (up to 0.08 m at each end, so 0.16 m of geodesic length, times the ratio).
            let slack = 0.5 + 0.16 * max_ratio + 1e-4 * geodesic;
            if fibre < geodesic - slack || fibre > max_ratio * geodesic + slack {
                bad.push(format!(
                    "span {sid}: fibreLength {fibre:.1} m against a {geodesic:.1} m route"
                ));
            }
        }
        for n in list("nodes") {
            if !used.contains(&n["id"].to_string()) {
                bad.push(format!("node {} is used by no span", n["id"]));
            }
        }
    }
    bad
}

fn uuid_ok(s: Option<&str>) -> Option<()> {
    let s = s?;
    let hex: Vec<usize> = s.split('-').map(str::len).collect();
    (hex == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())).then_some(())
}

fn lonlat(v: &Value) -> [f64; 2] {
    [
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_f64().unwrap_or(f64::NAN),
    ]
}

fn peers_bin(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let p = Path::new(&home)
        .join(".cache/fiberplan-peers/bin")
        .join(name);
    p.exists().then_some(p)
}

/// The reference validator on `file`: (schema errors against its bundled 0.3.0 schema,
/// additional-check failures), or `None` (SKIPPED) without the peers venv. Its CLI's `jsv`
/// validates against 0.4 only, so the 0.3.0 schema run goes through its Python API.
fn libcoveofds(file: &Path) -> Option<(Value, Value)> {
    let (Some(cli), Some(py)) = (peers_bin("libcoveofds"), peers_bin("python")) else {
        eprintln!(
            "SKIPPED: libcoveofds (the OFDS reference validator) is not installed: \
             run `sh ../shared/tools/peers/setup.sh` (.ci/run does)"
        );
        return None;
    };
    let pv = Command::new(cli).arg("pv").arg(file).output().unwrap();
    assert!(
        pv.status.success(),
        "{}",
        String::from_utf8_lossy(&pv.stderr)
    );
    let script = "import json, os, sys\n\
        import libcoveofds.schema as S, libcoveofds.jsonschemavalidate as J\n\
        s = S.OFDSSchema()\n\
        s.package_schema_url = os.path.join(os.path.dirname(S.__file__), 'data', 'schema-0-3-0.json')\n\
        print(json.dumps([e.json() for e in J.JSONSchemaValidator(s).validate(json.load(open(sys.argv[1])))], default=str))\n";
    let jsv = Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        jsv.status.success(),
        "{}",
        String::from_utf8_lossy(&jsv.stderr)
    );
    Some((
        serde_json::from_slice(&jsv.stdout).unwrap(),
        serde_json::from_slice(&pv.stdout).unwrap(),
    ))
}

/// Everything asked of an OFDS export in `dir`: schema, our checks, libcoveofds, the
/// GeoJSON form's round trip (ours and the reference converter's).
fn check_ofds_export(dir: &Path, max_ratio: f64) -> Value {
    let package = json(&dir.join("plan.ofds.json"));
    assert_eq!(schema_errors(&package), Vec::<String>::new());
    assert_eq!(
        additional_check_failures(&package, max_ratio),
        Vec::<String>::new()
    );
    let nodes = json(&dir.join("plan.ofds.nodes.geojson"));
    let spans = json(&dir.join("plan.ofds.spans.geojson"));
    let features: Vec<&Value> = nodes["features"]
        .as_array()
        .unwrap()
        .iter()
        .chain(spans["features"].as_array().unwrap())
        .collect();
    assert_eq!(
        fiberplan_io::ofds::package_from_geojson(&features),
        package,
        "JSON -> GeoJSON -> JSON must give the package back"
    );
    if let Some((jsv, pv)) = libcoveofds(&dir.join("plan.ofds.json")) {
        assert_eq!(jsv, json!([]), "libcoveofds schema errors");
        assert_eq!(pv, json!([]), "libcoveofds additional-check failures");
        // The reference converter, both ways, agrees with ours.
        let cli = peers_bin("libcoveofds").unwrap();
        let t = tempfile::tempdir().unwrap();
        let (n, s, j) = (
            t.path().join("n.geojson"),
            t.path().join("s.geojson"),
            t.path().join("j.json"),
        );
        let o = Command::new(&cli)
            .args(["jtogj".as_ref(), dir.join("plan.ofds.json").as_os_str()])
            .args([&n, &s])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(json(&n), nodes, "nodes GeoJSON differs from libcoveofds'");
        assert_eq!(json(&s), spans, "spans GeoJSON differs from libcoveofds'");
        let o = Command::new(&cli)
            .arg("gjtoj")
            .args([
                dir.join("plan.ofds.nodes.geojson"),
                dir.join("plan.ofds.spans.geojson"),
                j.clone(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(json(&j), package, "libcoveofds' GeoJSON -> JSON differs");
    }
    package
}

#[test]
fn the_schema_and_our_checks_can_fail_on_the_standards_own_examples() {
    let ex = |f: &str| json(&root().join("data/ofds/examples").join(f));
    assert_eq!(
        schema_errors(&ex("network-package.json")),
        Vec::<String>::new()
    );
    assert!(!schema_errors(&ex("network-package-invalid.json")).is_empty());
    let extra = ex("network-package-additional-checks.json");
    assert_eq!(schema_errors(&extra), Vec::<String>::new());
    let fails = additional_check_failures(&extra, 1e9);
    assert!(
        fails.iter().any(|f| f.contains("matches 0 nodes")),
        "{fails:?}"
    );
}

#[test]
fn equator_plan_in_every_format() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("p");
    ok(&plan_equator(&dir, &ALL));
    // Proxy corridors: fibreLength = drawn length x circuity 1.3.
    let package = check_ofds_export(&dir, 1.3 + 1e-6);
    let net = &package["networks"][0];
    // Hand-checked (tests/fixtures/README.md): P-A, A-B, A-C; nodes P, A, B, C.
    let ids: Vec<&str> = net["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(
        ids.contains(&"pop/P") && ids.contains(&"village/C"),
        "{ids:?}"
    );
    let km: f64 = net["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fibreLength"].as_f64().unwrap())
        .sum();
    assert!((km - 4.332).abs() < 0.002, "{km}");
    let pop = net["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "pop/P")
        .unwrap();
    assert_eq!(pop["status"], "operational");
    assert_eq!(pop["type"], json!(["pop"]));
    // The same plan gives the same id; GeoJSON stays written.
    let again = out.path().join("q");
    ok(&plan_equator(&again, &ALL));
    for f in ["plan.ofds.json", "plan.gpkg", "plan.kmz", "plan.geojson"] {
        assert_eq!(
            std::fs::read(dir.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
    ogr_layers(
        &dir.join("plan.gpkg"),
        &[("villages", 3), ("routes", 3), ("pops", 1)],
    );
    let gpkg = ogr_info(&dir.join("plan.gpkg"));
    if let Some(info) = gpkg {
        for field in [
            "households: Integer64",
            "cost_kzt: Integer64",
            "length_km: Real",
            "unreachable: Integer(Boolean)",
            "name: String",
            "kind: String",
        ] {
            assert!(info.contains(field), "{field} not in ogrinfo:\n{info}");
        }
        assert!(
            info.contains("Geometry: Point") && info.contains("Geometry: Line String"),
            "{info}"
        );
        assert!(
            info.contains("EPSG\",4326") || info.contains("WGS 84"),
            "{info}"
        );
    }
    // KMZ names its folders in the chosen language: English here.
    let en = out.path().join("en");
    ok(&plan_equator(&en, &["--format", "kmz", "--lang", "en"]));
    assert!(
        en.join("plan.geojson").exists(),
        "GeoJSON is always written"
    );
    assert!(!en.join("plan.gpkg").exists(), "only the chosen formats");
    ogr_layers(
        &en.join("plan.kmz"),
        &[
            ("Villages", 3),
            ("New fibre routes", 3),
            ("Points of presence (existing network)", 1),
        ],
    );
    if let Some(info) = ogr_info(&en.join("plan.kmz")) {
        // KML data values are text.
        for field in ["kind: String", "households: String", "length_km: String"] {
            assert!(info.contains(field), "{field} not in ogrinfo:\n{info}");
        }
    }
}

/// `ogrinfo -al -so FILE`, or `None` (SKIPPED) without gdal-bin.
fn ogr_info(file: &Path) -> Option<String> {
    match Command::new("ogrinfo")
        .arg("-al")
        .arg("-so")
        .arg(file)
        .output()
    {
        Ok(o) => {
            assert!(
                o.status.success(),
                "ogrinfo {}: {}",
                file.display(),
                String::from_utf8_lossy(&o.stderr)
            );
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(_) => {
            eprintln!("SKIPPED: ogrinfo (Debian gdal-bin) is not installed; .ci/run installs it");
            None
        }
    }
}

/// Layers and feature counts as GDAL reads them.
fn ogr_layers(file: &Path, expected: &[(&str, usize)]) {
    let Some(info) = ogr_info(file) else { return };
    let mut got: Vec<(String, usize)> = Vec::new();
    let mut name = None;
    for line in info.lines() {
        if let Some(n) = line.strip_prefix("Layer name: ") {
            name = Some(n.trim().to_string());
        }
        if let Some(c) = line.strip_prefix("Feature Count: ") {
            got.push((name.take().unwrap(), c.trim().parse().unwrap()));
        }
    }
    let want: Vec<(String, usize)> = expected.iter().map(|(n, c)| (n.to_string(), *c)).collect();
    assert_eq!(got, want, "{}:\n{info}", file.display());
}

#[test]
fn osm_plan_exports_valid_ofds() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("p");
    let o = run(&[
        "plan",
        "--out",
        dir.to_str().unwrap(),
        "--costs",
        "tests/bad_inputs/_common/costs.toml",
        "--osm",
        "data/osm/neudrossenfeld.osm.gz",
        "--format",
        "ofds,gpkg",
    ]);
    ok(&o);
    // Along roads the cable is the drawn route: fibreLength equals its geodesic length.
    let package = check_ofds_export(&dir, 1.0);
    assert!(package["networks"][0]["spans"].as_array().unwrap().len() > 1);
    let pg = json(&dir.join("summary.json"));
    let expected = [
        ("villages", pg["villages_total"].as_u64().unwrap() as usize),
        ("routes", pg["routes"].as_u64().unwrap() as usize),
        ("pops", pg["pops_used"].as_u64().unwrap() as usize),
    ];
    ogr_layers(&dir.join("plan.gpkg"), &expected);
}

#[test]
fn national_default_exports_valid_ofds_and_district_formats() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("p");
    ok(&run(&[
        "plan",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "geojson,ofds,gpkg,kmz",
    ]));
    let package = check_ofds_export(&dir, 1.3 + 1e-6);
    let s = json(&dir.join("summary.json"));
    let net = &package["networks"][0];
    assert_eq!(
        net["spans"].as_array().unwrap().len() as u64,
        s["routes"].as_u64().unwrap()
    );
    assert!(net["spans"][0]["countries"] == json!(["KZ"]));
    ogr_layers(
        &dir.join("plan.gpkg"),
        &[
            ("villages", s["villages_total"].as_u64().unwrap() as usize),
            ("routes", s["routes"].as_u64().unwrap() as usize),
            ("pops", s["pops_used"].as_u64().unwrap() as usize),
        ],
    );
    // Every district package with work has the formats too; their routes add up.
    let mut spans = 0;
    let mut packages = 0;
    for e in std::fs::read_dir(dir.join("districts")).unwrap() {
        let p = e.unwrap().path();
        if !p.is_dir() {
            continue;
        }
        // A package whose only work is a stretch of a route that mostly lies next door has
        // no whole route or village of its own: no format files.
        if !p.join("plan.ofds.json").exists() {
            let ds = json(&p.join("summary.json"));
            assert_eq!(
                ds["villages_connected"],
                0,
                "{} has no plan.ofds.json",
                p.display()
            );
            assert!(!p.join("plan.gpkg").exists() && !p.join("plan.kmz").exists());
            continue;
        }
        packages += 1;
        for f in [
            "plan.gpkg",
            "plan.kmz",
            "plan.ofds.json",
            "plan.ofds.nodes.geojson",
            "plan.ofds.spans.geojson",
        ] {
            assert!(p.join(f).exists(), "{} has no {f}", p.display());
        }
        let d = json(&p.join("plan.ofds.json"));
        assert_eq!(schema_errors(&d), Vec::<String>::new(), "{}", p.display());
        assert_eq!(
            additional_check_failures(&d, 1.3 + 1e-6),
            Vec::<String>::new()
        );
        spans += d["networks"][0]["spans"].as_array().map_or(0, Vec::len);
    }
    assert!(packages > 10);
    assert_eq!(spans as u64, s["routes"].as_u64().unwrap());
}

/// The equator network as an OFDS package: P and a second operational node Q on an
/// operational line, plus a planned span and node that must be left out.
fn equator_ofds() -> Value {
    json!({"networks": [{
        "id": "5f0c6f8e-6a43-4f8b-9a43-1b7a0c5f2d11",
        "name": "Equator test network",
        "nodes": [
            {"id": "P", "name": "Exchange", "status": "operational", "type": ["pop"],
             "location": {"type": "Point", "coordinates": [0.0, 0.0]}},
            {"id": "Q", "name": "Hut", "status": "operational",
             "location": {"type": "Point", "coordinates": [0.0, -0.02]}},
            {"id": "R", "name": "Planned", "status": "planned",
             "location": {"type": "Point", "coordinates": [0.03, 0.03]}}
        ],
        "spans": [
            {"id": "PQ", "status": "operational", "start": "P", "end": "Q",
             "route": {"type": "LineString", "coordinates": [[0.0, 0.0], [0.005, -0.01], [0.0, -0.02]]}},
            {"id": "QR", "status": "planned", "start": "Q", "end": "R"}
        ],
        "crs": {"name": "urn:ogc:def:crs:OGC::CRS84", "uri": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
        "links": [{"rel": "describedby", "href": fiberplan_report::ofds::NETWORK_SCHEMA_URL}]
    }]})
}

/// The same existing network as plain GeoJSON.
fn equator_geojson() -> Value {
    json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "P", "name": "Exchange"},
         "geometry": {"type": "Point", "coordinates": [0.0, 0.0]}},
        {"type": "Feature", "properties": {"id": "Q", "name": "Hut"},
         "geometry": {"type": "Point", "coordinates": [0.0, -0.02]}},
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[0.0, 0.0], [0.005, -0.01], [0.0, -0.02]]}}
    ]})
}

/// plan.geojson and summary.json without the backbone's description (it names the file).
fn plan_of(dir: &Path) -> (Value, Value) {
    let mut g = json(&dir.join("plan.geojson"));
    g.as_object_mut().unwrap().remove("backbone");
    let mut s = json(&dir.join("summary.json"));
    let o = s.as_object_mut().unwrap();
    o.remove("backbone");
    o["inputs"].as_object_mut().unwrap().remove("backbone");
    o["existing_fibre"].as_object_mut().unwrap().remove("rule");
    (g, s)
}

#[test]
fn ofds_backbone_plans_like_its_geojson_twin() {
    let t = tempfile::tempdir().unwrap();
    let ofds = t.path().join("network.json");
    let geo = t.path().join("network.geojson");
    std::fs::write(&ofds, equator_ofds().to_string()).unwrap();
    std::fs::write(&geo, equator_geojson().to_string()).unwrap();
    // The GeoJSON form of the same network: the spans file alone carries its nodes.
    let (_, spans) = fiberplan_report::ofds::to_geojson(&equator_ofds());
    let form = t.path().join("spans.geojson");
    std::fs::write(&form, spans.to_string()).unwrap();
    let plan = |backbone: &Path, name: &str| {
        let dir = t.path().join(name);
        let o = run(&[
            "plan",
            "--out",
            dir.to_str().unwrap(),
            "--villages",
            "tests/fixtures/equator/villages.csv",
            "--costs",
            "tests/fixtures/equator/costs.toml",
            "--backbone",
            backbone.to_str().unwrap(),
        ]);
        ok(&o);
        dir
    };
    let a = plan(&ofds, "ofds");
    let b = plan(&geo, "geojson");
    let (ga, sa) = plan_of(&a);
    let (gb, sb) = plan_of(&b);
    assert_eq!(ga, gb, "plan.geojson differs");
    assert_eq!(sa, sb, "summary.json differs");
    let d = json(&a.join("summary.json"))["backbone"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        d.contains("2 points of presence, 1 fibre lines") && d.contains("1 spans not operational"),
        "{d}"
    );
    // The spans file alone: Q-R is planned, so R is not an operational node; P and Q are.
    let c = plan(&form, "form");
    let (gc, _) = plan_of(&c);
    assert_eq!(gc, gb, "GeoJSON-form backbone plans differently");
}
