//! The offline map `plan.html` in a real browser (issue 6): Debian's headless Chromium opens
//! the file from disk with every network request sent to a dead proxy, the page's self-test
//! reports how many features each layer drew and clicks a village, and a screenshot is saved
//! under `target/browser/` as an artifact. Without Chromium the tests say SKIPPED and pass
//! (`.ci/run` installs it).

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FIBERPLAN_CHROMIUM") {
        return Some(p.into());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Run headless Chromium on `url` with `extra` flags; kill it after two minutes.
fn run_chromium(bin: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            // No network for the page: every request goes to a closed port.
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--virtual-time-budget=15000",
            "--window-size=1400,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The page's self-test record, from the DOM Chromium dumped.
fn selftest(bin: &Path, html: &Path, query: &str) -> Value {
    let url = format!("file://{}?{query}", html.display());
    let dom = run_chromium(bin, &url, &["--dump-dom"]);
    let start = dom
        .find("<pre id=\"selftest\"")
        .unwrap_or_else(|| panic!("no selftest element in the DOM of {url}"));
    let body = &dom[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find("</pre>").unwrap();
    let text = unescape(&body[open..close]);
    assert!(
        !text.is_empty(),
        "the page's script did not run (empty selftest) on {url}"
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn screenshot(bin: &Path, html: &Path, query: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    let url = format!("file://{}?{query}", html.display());
    run_chromium(bin, &url, &[&format!("--screenshot={}", png.display())]);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(bytes.len() > 20_000, "{} bytes: a blank page?", bytes.len());
    eprintln!("browser test artifact: {}", png.display());
    png
}

/// Features of the plan's GeoJSON by kind, and villages by technology.
fn counts(geo: &Value) -> (BTreeMap<String, usize>, BTreeMap<String, usize>, usize) {
    let mut kinds = BTreeMap::new();
    let mut tech = BTreeMap::new();
    let mut districts = BTreeSet::new();
    for f in geo["features"].as_array().unwrap() {
        let p = &f["properties"];
        *kinds
            .entry(p["kind"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
        if p["kind"] == "village" {
            *tech
                .entry(p["technology"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
            if let Some(k) = p["district_kato"].as_str() {
                districts.insert(k.to_string());
            }
        }
    }
    (kinds, tech, districts.len())
}

/// Every layer drew as many features as the GeoJSON holds; no tiles (offline); attribution.
fn check_layers(st: &Value, geo: &Value) {
    let (kinds, tech, districts) = counts(geo);
    let drawn = &st["drawn"];
    let k = |name: &str| kinds.get(name).copied().unwrap_or(0) as u64;
    assert_eq!(
        drawn["routes"].as_u64().unwrap_or(0),
        k("new_fibre"),
        "{st}"
    );
    assert_eq!(drawn["villages"].as_u64().unwrap(), k("village"), "{st}");
    assert_eq!(drawn["pops"].as_u64().unwrap(), k("pop"), "{st}");
    assert_eq!(
        drawn["boundaries"].as_u64().unwrap(),
        districts as u64,
        "{st}"
    );
    for (t, n) in &tech {
        assert_eq!(
            st["layers"][format!("villages:{t}")],
            *n as u64,
            "{t}: {st}"
        );
    }
    assert_eq!(st["tiles"], "offline", "no network, no tile layer");
    assert!(
        st["attribution"]
            .as_str()
            .unwrap()
            .contains("(c) OpenStreetMap contributors"),
        "{st}"
    );
}

/// The popup's rows as label -> value.
fn popup_rows(st: &Value) -> BTreeMap<String, String> {
    st["popup"]
        .as_str()
        .unwrap_or_else(|| panic!("no popup opened: {st}"))
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[test]
fn offline_map_of_the_equator_fixture_draws_every_feature_and_opens_a_popup() {
    let Some(bin) = chromium() else {
        eprintln!("SKIPPED: chromium not found (install Debian's chromium; .ci/run does)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    // The cost model's flat village prices (`--no-last-mile`), which the figures below use.
    ok(&plan_equator(
        out.path(),
        &["--lang", "en", "--no-last-mile"],
    ));
    let html = out.path().join("plan.html");
    let geo = json(&out.path().join("plan.geojson"));
    let st = selftest(&bin, &html, "selftest=A");
    check_layers(&st, &geo);
    assert_eq!(st["drawn"]["routes"], 3);
    assert_eq!(st["drawn"]["villages"], 3);
    assert_eq!(st["drawn"]["pops"], 1);
    assert_eq!(st["clicked"], "A");
    let popup = st["popup"].as_str().unwrap();
    assert!(popup.starts_with("Alpha"), "{popup}");
    let rows = popup_rows(&st);
    // Village A: 100 households; 100,000 equipment + 100 x 1,000 connections.
    assert_eq!(rows["Households"], "100");
    assert_eq!(rows["Technology"], "Fibre");
    assert_eq!(digits(&rows["Cost, KZT"]), "200000");
    // The panel says what the report says of the solution's quality, from summary.json's
    // certified bound, and names no price scale at the cost model's prices.
    let summary = json(&out.path().join("summary.json"));
    let quality = if summary["optimal"].as_bool().unwrap() {
        "Solution quality: proven optimal".to_string()
    } else {
        format!(
            "Solution quality: at most {:.2} % above the best possible plan (proven lower bound)",
            summary["gap_pct"].as_f64().unwrap()
        )
    };
    assert_eq!(st["notes"][0], quality.as_str(), "{st}");
    assert_eq!(st["notes"][1], "", "{st}");
    screenshot(&bin, &html, "selftest=A", "equator");

    // A scenario at other prices: the panel names the scales, as report.html does.
    let scaled = out.path().join("scaled");
    ok(&plan_equator(
        &scaled,
        &[
            "--lang",
            "en",
            "--no-last-mile",
            "--corridor-cost-scale",
            "1.5",
        ],
    ));
    let st = selftest(&bin, &scaled.join("plan.html"), "");
    assert_eq!(
        st["notes"][1],
        "This scenario's prices differ from the cost model's (x1 is the model's price): corridors ×1.5.",
        "{st}"
    );

    // With an existing fibre line in the backbone, the existing-network layer draws it.
    let backbone = out.path().join("backbone_with_line.geojson");
    std::fs::write(
        &backbone,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"P","name":"Exchange"},"geometry":{"type":"Point","coordinates":[0,0]}},
{"type":"Feature","properties":{"id":"L"},"geometry":{"type":"LineString","coordinates":[[0.05,-0.01],[0.05,0.01]]}}
]}"#,
    )
    .unwrap();
    let out2 = out.path().join("with_line");
    ok(&run(&[
        "plan",
        "--villages",
        "tests/fixtures/equator/villages.csv",
        "--backbone",
        backbone.to_str().unwrap(),
        "--costs",
        "tests/fixtures/equator/costs.toml",
        "--out",
        out2.to_str().unwrap(),
    ]));
    let st = selftest(&bin, &out2.join("plan.html"), "");
    check_layers(&st, &json(&out2.join("plan.geojson")));
    assert_eq!(st["drawn"]["lines"], 1, "{st}");
    assert!(st.get("popup").is_none(), "no click without ?selftest");
}

/// A national subset (Akmola's villages with a population tag, named in Kazakh and
/// Russian) on the bundled backbone proxy: district boundaries, Cyrillic popups.
#[test]
fn offline_map_of_a_national_subset_draws_every_feature_and_opens_a_kazakh_popup() {
    let Some(bin) = chromium() else {
        eprintln!("SKIPPED: chromium not found (install Debian's chromium; .ci/run does)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("akmola.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["id", "name", "lon", "lat", "population"])
        .unwrap();
    let mut rdr = csv::Reader::from_path(root().join("data/kz/populated_places.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (id, name, lon, lat, pop, adm1) = (
        col("osm_id"),
        col("name"),
        col("lon"),
        col("lat"),
        col("population_tag"),
        col("adm1_en"),
    );
    let mut n = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[adm1] == "Akmola" && r[pop].parse::<u64>().is_ok_and(|p| p > 0) {
            w.write_record([&r[id], &r[name], &r[lon], &r[lat], &r[pop]])
                .unwrap();
            n += 1;
        }
    }
    w.flush().unwrap();
    assert_eq!(
        n, 623,
        "Akmola villages with a population tag in the bundled data"
    );
    let dir = out.path().join("plan");
    ok(&run(&[
        "plan",
        "--villages",
        csv_path.to_str().unwrap(),
        "--lang",
        "kk",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let html = dir.join("plan.html");
    let geo = json(&dir.join("plan.geojson"));
    let st = selftest(&bin, &html, "selftest=2599328505");
    check_layers(&st, &geo);
    assert_eq!(st["drawn"]["villages"], 623);
    assert!(st["drawn"]["boundaries"].as_u64().unwrap() >= 10, "{st}");
    assert!(st["drawn"]["routes"].as_u64().unwrap() >= 100, "{st}");
    // Қарабұлақ near Stepnogorsk, 1,188 people: its popup in Kazakh.
    assert_eq!(st["clicked"], "2599328505");
    let popup = st["popup"].as_str().unwrap();
    assert!(popup.starts_with("Қарабұлақ"), "{popup}");
    let rows = popup_rows(&st);
    let v = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "2599328505")
        .unwrap();
    let p = &v["properties"];
    assert_eq!(
        digits(&rows["Үй шаруашылықтары"]),
        p["households"].to_string()
    );
    assert_eq!(digits(&rows["Халық саны"]), "1188");
    assert_eq!(
        rows["Технология"], "Оптикалық талшық",
        "connect-all: on fibre"
    );
    assert_eq!(digits(&rows["Құны, теңге"]), p["cost_kzt"].to_string());
    assert!(
        rows["Аудан"].contains(p["district_kato"].as_str().unwrap()),
        "{rows:?}"
    );

    // The district filter: Stepnogorsk's villages and routes only, and its package's totals.
    let kato = p["district_kato"].as_str().unwrap();
    // Its district report, in Kazakh, as the akimat opens it.
    let report = std::fs::read_dir(dir.join("districts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|d| d.file_name().unwrap().to_str().unwrap().starts_with(kato))
        .unwrap()
        .join("report.html");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("<html lang=\"kk\">"), "{}", report.display());
    assert!(text.contains("Қарабұлақ"), "{}", report.display());
    screenshot(&bin, &report, "", "akmola_report_kk");
    // The national report with its chart, in Kazakh.
    let national = dir.join("report.html");
    let text = std::fs::read_to_string(&national).unwrap();
    assert!(text.contains("Ел бойынша жиынтық") && text.contains("<svg"));
    screenshot(&bin, &national, "", "national_report_kk");
    let st = selftest(&bin, &html, &format!("selftest&district={kato}"));
    let in_district = |kind: &str| {
        geo["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == kind && f["properties"]["district_kato"] == kato)
            .count() as u64
    };
    assert_eq!(st["filtered"]["villages"], in_district("village"), "{st}");
    assert_eq!(
        st["filtered"]["routes"].as_u64().unwrap_or(0),
        in_district("new_fibre"),
        "{st}"
    );
    assert!(in_district("village") >= 2, "{}", in_district("village"));
    let pkg = std::fs::read_dir(dir.join("districts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(kato))
        .unwrap();
    let ds = json(&pkg.join("summary.json"));
    let summary: BTreeMap<String, String> = st["filtered_summary"]
        .as_str()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.trim().to_string(), digits(v)))
        .collect();
    assert_eq!(
        summary["Қосылатын үй шаруашылықтары"],
        ds["households_connected"].to_string(),
        "{summary:?}"
    );
    assert_eq!(
        summary["Барлығы, Құны, теңге"],
        ds["cost_total_kzt"].to_string(),
        "{summary:?}"
    );
    screenshot(&bin, &html, "selftest=2599328505", "akmola");
}

#[test]
fn offline_map_of_a_plan_with_mobile_roads_draws_every_site_and_segment() {
    let Some(bin) = chromium() else {
        eprintln!("SKIPPED: chromium not found (install Debian's chromium; .ci/run does)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("plan");
    ok(&run(&[
        "plan",
        "--osm",
        root()
            .join("data/osm/almaty_2013.osm.pbf")
            .to_str()
            .unwrap(),
        "--mobile-roads",
        "--lang",
        "en",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let cov = json(&dir.join("coverage.geojson"));
    let kind = |k: &str, covered: Option<bool>| {
        cov["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == k)
            .filter(|f| k != "site" || f["properties"]["on_air"] == true)
            .filter(|f| covered.is_none_or(|c| f["properties"]["covered"] == c))
            .count() as u64
    };
    let st = selftest(&bin, &dir.join("plan.html"), "");
    assert_eq!(st["layers"]["mobile_sites"], kind("site", None), "{st}");
    assert_eq!(
        st["layers"]["mobile_roads:true"],
        kind("road", Some(true)),
        "{st}"
    );
    assert_eq!(
        st["layers"]["mobile_roads:false"],
        kind("road", Some(false)),
        "{st}"
    );
    assert!(kind("site", None) >= 1 && kind("road", None) > 1000);
    // Each district package holds its share of each stage's map: together, every feature once.
    for name in ["coverage.geojson", "last_mile.geojson"] {
        let mut n = 0;
        for e in std::fs::read_dir(dir.join("districts")).unwrap() {
            let p = e.unwrap().path().join(name);
            if p.is_file() {
                n += json(&p)["features"].as_array().unwrap().len();
            }
        }
        let national = json(&dir.join(name));
        assert_eq!(n, national["features"].as_array().unwrap().len(), "{name}");
        assert!(n > 1000, "{name}: {n}");
    }
}
