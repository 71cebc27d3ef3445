//! Kazakh and Russian text survive end to end (UTF-8 in, UTF-8 out): village names in
//! plan.geojson, villages.csv, the district packages, report.html and plan.html, and the
//! report labels in Kazakh or Russian.

use crate::common::*;

const NAMES: [&str; 4] = ["Қарабұлақ", "Алматы", "Ақкөл", "Шортанды"];

fn plan(lang: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("villages.csv");
    std::fs::write(
        &csv,
        format!(
            "id,name,lon,lat,population\nq1,{},71.814995,52.305344,1188\nq2,{},71.9,52.2,700\nq3,{},70.93,52.0,900\nq4,{},71.0,51.7,500\n",
            NAMES[0], NAMES[1], NAMES[2], NAMES[3]
        ),
    )
    .unwrap();
    let out = d.path().join("out");
    ok(&run(&[
        "plan",
        "--villages",
        csv.to_str().unwrap(),
        "--lang",
        lang,
        "--out",
        out.to_str().unwrap(),
    ]));
    d
}

fn read(p: &std::path::Path) -> String {
    let mut bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    // CSVs carry a byte-order mark for spreadsheet programs (issue 16); nothing else does.
    let csv = p.extension().is_some_and(|e| e == "csv");
    assert_eq!(
        bytes.starts_with(b"\xef\xbb\xbf"),
        csv,
        "{}: a BOM only on CSVs",
        p.display()
    );
    if csv {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", p.display()))
}

#[test]
fn kazakh_and_russian_names_round_trip_through_every_output() {
    for (lang, bill, district_field) in [
        ("kk", "Жұмыс көлемдерінің ведомосы", "district_kk"),
        ("ru", "Ведомость объёмов работ", "district_ru"),
    ] {
        let d = plan(lang);
        let out = d.path().join("out");
        let geo_text = read(&out.join("plan.geojson"));
        let csv_text = read(&out.join("villages.csv"));
        let map = read(&out.join("plan.html"));
        for n in NAMES {
            assert!(
                geo_text.contains(n),
                "{lang}: {n} in plan.geojson, unescaped"
            );
            assert!(csv_text.contains(n), "{lang}: {n} in villages.csv");
            assert!(map.contains(n), "{lang}: {n} in plan.html");
        }
        assert!(map.contains(&format!("<html lang=\"{lang}\">")));
        assert!(map.contains("<meta charset=\"utf-8\">"));
        // Names parse back to exactly what went in.
        let geo: serde_json::Value = serde_json::from_str(&geo_text).unwrap();
        let mut names: Vec<String> = geo["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == "village")
            .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        let mut want: Vec<String> = NAMES.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(names, want);
        // Each village's district package: its name, the district's name in the language,
        // and the labels in the language.
        let mut seen = 0;
        for f in geo["features"].as_array().unwrap() {
            let p = &f["properties"];
            if p["kind"] != "village" {
                continue;
            }
            let kato = p["district_kato"]
                .as_str()
                .expect("Akmola villages have a district");
            let dist_name = p[district_field].as_str().unwrap();
            assert!(
                dist_name
                    .chars()
                    .any(|c| ('\u{400}'..='\u{4ff}').contains(&c)),
                "{dist_name}"
            );
            let pkg = std::fs::read_dir(out.join("districts"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(kato))
                .unwrap_or_else(|| panic!("no package for {kato}"));
            let report = read(&pkg.join("report.html"));
            let name = p["name"].as_str().unwrap();
            assert!(
                report.contains(&format!("<td>{name}</td>")),
                "{lang}: {name} in {}",
                pkg.display()
            );
            assert!(
                report.contains(dist_name),
                "{lang}: {dist_name} in the report"
            );
            assert!(report.contains(bill), "{lang}: labels");
            assert!(read(&pkg.join("villages.csv")).contains(name));
            assert!(read(&pkg.join("plan.geojson")).contains(name));
            seen += 1;
        }
        assert_eq!(seen, 4);
    }
}
