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

/// Latin words in `text` (two letters or more).
fn latin_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect()
}

/// What a reader sees of an HTML page: text outside tags, scripts and styles.
fn visible_text(html: &str) -> String {
    let mut kept = html.to_string();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        let mut rest = kept.as_str();
        let mut out = String::new();
        while let Some(i) = rest.find(open) {
            out.push_str(&rest[..i]);
            rest = rest[i..]
                .find(close)
                .map_or("", |j| &rest[i + j + close.len()..]);
        }
        out.push_str(rest);
        kept = out;
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in kept.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Entities are markup, not words (`&nbsp;` between digit groups).
    let mut plain = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('&') {
        plain.push_str(&rest[..i]);
        match rest[i..].find(';').filter(|&j| j <= 10) {
            Some(j) => {
                plain.push(' ');
                rest = &rest[i + j + 1..];
            }
            None => {
                plain.push('&');
                rest = &rest[i + 1..];
            }
        }
    }
    plain.push_str(rest);
    plain
}

/// Every string inside a JSON value.
fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// The national plan in Kazakh and in Russian: no English word in what a reader sees (the
/// district reports, the map's labels and notes, the chart, the GeoJSON titles and
/// descriptions), other than proper names (places, OpenStreetMap, licences) and units.
#[test]
fn no_english_word_in_kazakh_or_russian_outputs() {
    // Proper names, licences and units that stay as they are.
    const ALLOWED: [&str; 9] = [
        "OpenStreetMap",
        "contributors",
        "ODbL",
        "CC",
        "BY",
        "geokz",
        "arodionoff",
        "KZT",
        "fiberplan",
    ];
    for lang in ["kk", "ru"] {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        ok(&run(&[
            "plan",
            "--no-last-mile",
            "--lang",
            lang,
            "--out",
            out.to_str().unwrap(),
        ]));
        // Latin words of place names are proper names.
        let mut names: std::collections::BTreeSet<String> =
            ALLOWED.iter().map(|s| s.to_string()).collect();
        let villages = read(&out.join("villages.csv"));
        let mut rdr = csv::Reader::from_reader(villages.as_bytes());
        let h = rdr.headers().unwrap().clone();
        let cols: Vec<usize> = [
            "name",
            "name_kk",
            "name_ru",
            "district_en",
            "district_kk",
            "district_ru",
            "oblast_en",
        ]
        .iter()
        .map(|n| h.iter().position(|x| x == *n).unwrap())
        .collect();
        for r in rdr.records() {
            let r = r.unwrap();
            for &c in &cols {
                names.extend(latin_words(&r[c]));
            }
        }
        let mut texts: Vec<(String, String)> = Vec::new();
        for e in std::fs::read_dir(out.join("districts")).unwrap() {
            let p = e.unwrap().path().join("report.html");
            if !p.is_file() {
                continue;
            }
            texts.push((p.display().to_string(), visible_text(&read(&p))));
        }
        let map = read(&out.join("plan.html"));
        let start = map.find("id=\"plan-data\"").unwrap();
        let body = &map[start..];
        let json_text = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
        let data: serde_json::Value = serde_json::from_str(json_text).unwrap();
        for key in ["labels", "attribution", "backbone"] {
            let mut s = Vec::new();
            json_strings(&data[key], &mut s);
            texts.push((format!("plan.html {key}"), s.join(" ")));
        }
        texts.push(("plan.html".into(), visible_text(&map)));
        texts.push((
            "report.html".into(),
            visible_text(&read(&out.join("report.html"))),
        ));
        let chart = read(&out.join("chart.svg"));
        texts.push(("chart.svg".into(), visible_text(&chart)));
        let geo = json(&out.join("plan.geojson"));
        for f in geo["features"].as_array().unwrap() {
            for key in ["title", "description"] {
                if let Some(s) = f["properties"][key].as_str() {
                    texts.push(("plan.geojson".into(), s.to_string()));
                }
            }
        }
        assert!(texts.len() > 100, "{lang}: {} texts", texts.len());
        for (place, text) in &texts {
            let english: Vec<String> = latin_words(text)
                .into_iter()
                .filter(|w| !names.contains(w))
                .collect();
            assert!(
                english.is_empty(),
                "{lang}: {place}: English words {english:?} in {text:.300}"
            );
        }
    }
}
