//! Office files (issue 16): CSVs with a byte-order mark, `routes.csv`, totals by oblast, and
//! the `.xlsx` workbooks read back by LibreOffice.

use crate::common::*;
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

/// A CSV file's records (header first), checking that it starts with the byte-order mark.
fn bom_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text
        .strip_prefix(BOM)
        .unwrap_or_else(|| panic!("{} has no UTF-8 byte-order mark", path.display()));
    plain_csv(body)
}

fn plain_csv(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn equator_routes_serve_the_hand_computed_villages_and_totals_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(&plan_equator(
        &out,
        &["--mode", "connect-all", "--no-last-mile"],
    ));
    let routes = bom_csv(&out.join("routes.csv"));
    let col = |name: &str| routes[0].iter().position(|h| h == name).unwrap();
    let pick = |r: &Vec<String>| {
        (
            r[col("end_village_id")].clone(),
            r[col("villages_served")].clone(),
            r[col("households_served")].clone(),
            r[col("length_km")].clone(),
            r[col("cost_kzt")].clone(),
        )
    };
    let mut got: Vec<_> = routes[1..].iter().map(pick).collect();
    got.sort();
    let s = |x: &str| x.to_string();
    // PA carries A, B and C; AB carries B; AC carries C (tests/fixtures/README.md).
    assert_eq!(
        got,
        vec![
            (s("A"), s("3"), s("160"), s("1.447"), s("1447153")),
            (s("B"), s("1"), s("50"), s("1.447"), s("1447153")),
            (s("C"), s("1"), s("10"), s("1.437"), s("1437466")),
        ]
    );
    let summary = json(&out.join("summary.json"));
    let by_oblast = summary["by_oblast"].as_array().unwrap();
    assert_eq!(by_oblast.len(), 1, "the fixture lies outside every oblast");
    assert_eq!(by_oblast[0]["cost_total_kzt"], 4_791_772);
    assert_eq!(by_oblast[0]["cost_corridor_kzt"], 4_331_772);
    assert_eq!(by_oblast[0]["households_fibre"], 160);
    assert!(by_oblast[0]["oblast_en"].is_null());
    // Every CSV of the plan and its packages carries the mark; a district's routes too.
    bom_csv(&out.join("villages.csv"));
    bom_csv(&out.join("districts/index.csv"));
    let pieces = bom_csv(&out.join("districts/unassigned/routes.csv"));
    assert_eq!(pieces.len(), 4);
}

/// LibreOffice's `soffice`, or `None` (SKIPPED) when it is not installed.
fn soffice() -> Option<PathBuf> {
    let found = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "SKIPPED: soffice (Debian libreoffice-calc) is not installed; .ci/run installs it"
        );
        return None;
    }
    Some(PathBuf::from("soffice"))
}

/// `soffice --headless ARGS FILE --outdir WORK` with its own profile in `work`; panics
/// with LibreOffice's message when the conversion fails.
fn libreoffice_convert(soffice: &Path, args: &[&str], file: &Path, work: &Path) {
    std::fs::create_dir_all(work).unwrap();
    let profile = format!("file://{}", work.join("profile").display());
    let o = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .arg("--headless")
        .args(args)
        .arg(file)
        .arg("--outdir")
        .arg(work)
        .output()
        .expect("run soffice");
    assert!(
        o.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every sheet of `xlsx` as CSV, converted by LibreOffice: sheet name -> records.
fn sheets_by_libreoffice(
    soffice: &Path,
    xlsx: &Path,
    work: &Path,
) -> Vec<(String, Vec<Vec<String>>)> {
    std::fs::create_dir_all(work).unwrap();
    let stem = xlsx.file_stem().unwrap().to_str().unwrap().to_string();
    let copy = work.join(format!("{stem}.xlsx"));
    std::fs::copy(xlsx, &copy).unwrap();
    // Comma, double quote, UTF-8, raw values (not as shown), every sheet to its own file.
    libreoffice_convert(
        soffice,
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        ],
        &copy,
        work,
    );
    let mut sheets = Vec::new();
    for e in std::fs::read_dir(work).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(sheet) = name
            .strip_prefix(&format!("{stem}-"))
            .and_then(|n| n.strip_suffix(".csv"))
        {
            let text = std::fs::read_to_string(&p).unwrap();
            sheets.push((sheet.to_string(), plain_csv(&text)));
        }
    }
    sheets.sort();
    sheets
}

/// The same figures: equal text, booleans as LibreOffice prints them, or equal numbers.
fn same_table(what: &str, sheet: &[Vec<String>], csv: &[Vec<String>]) {
    assert_eq!(sheet.len(), csv.len(), "{what}: row count");
    for (r, (a, b)) in sheet.iter().zip(csv).enumerate() {
        // LibreOffice drops trailing empty cells of a row only when the whole row ends empty.
        for c in 0..b.len() {
            let x = a.get(c).map(String::as_str).unwrap_or("");
            let y = b[c].as_str();
            let same = x == y
                || x.eq_ignore_ascii_case(y)
                || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q);
            assert!(
                same,
                "{what}: row {r} column {} is {x:?} in the workbook, {y:?} in the CSV",
                b.get(c).map(|_| &csv[0][c]).unwrap()
            );
        }
    }
}

#[test]
fn national_workbooks_open_in_libreoffice_with_the_csv_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(&run(&[
        "plan",
        "--out",
        out.to_str().unwrap(),
        "--no-last-mile",
    ]));

    // Totals by oblast add up to the national summary, to the tenge.
    let summary = json(&out.join("summary.json"));
    let by_oblast = summary["by_oblast"].as_array().unwrap();
    assert!(by_oblast.len() >= 17, "{} oblasts", by_oblast.len());
    for (key, pointer) in [
        ("cost_total_kzt", "/cost_total_kzt"),
        ("cost_corridor_kzt", "/cost_breakdown_kzt/corridor"),
        ("households_fibre", "/households_fibre"),
        ("villages_fibre", "/villages_fibre"),
        ("villages_total", "/villages_total"),
    ] {
        let sum: i64 = by_oblast.iter().map(|o| o[key].as_i64().unwrap()).sum();
        assert_eq!(
            Some(sum),
            summary.pointer(pointer).and_then(|v| v.as_i64()),
            "{key}"
        );
    }

    let routes = bom_csv(&out.join("routes.csv"));
    assert_eq!(
        routes.len() - 1,
        summary["routes"].as_u64().unwrap() as usize
    );

    // chart.svg: one bar pair per oblast (the plan is not phased: no by-year panel), each
    // cost bar as long as its share of the largest oblast's cost.
    let chart = std::fs::read_to_string(out.join("chart.svg")).unwrap();
    let widths: Vec<f64> = chart
        .split("<rect class=\"cost\"")
        .skip(1)
        .map(|r| {
            let w = r.split("width=\"").nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), by_oblast.len());
    let costs: Vec<f64> = by_oblast
        .iter()
        .map(|o| o["cost_total_kzt"].as_f64().unwrap())
        .collect();
    let (wmax, cmax) = (
        widths.iter().cloned().fold(0.0, f64::max),
        costs.iter().cloned().fold(0.0, f64::max),
    );
    for (w, c) in widths.iter().zip(&costs) {
        assert!((w / wmax - c / cmax).abs() < 1e-3, "bar {w} for cost {c}");
    }

    // chart.png: that chart rasterised at the SVG's size, its bars in their colours.
    let size = |attr: &str| -> u32 {
        let v = chart.split(&format!(" {attr}=\"")).nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    };
    let png_bytes = std::fs::read(out.join("chart.png")).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png_bytes[..]))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (size("width"), size("height")));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let count = |rgb: [u8; 3]| {
        buf.chunks(4)
            .filter(|p| p[..3] == rgb && p[3] == 255)
            .count()
    };
    // Every oblast's cost bar is at least 14 pixels high; the bars are red and green.
    let (red, green) = (count([0xd7, 0x19, 0x1c]), count([0x1a, 0x96, 0x41]));
    assert!(red > 14 * by_oblast.len(), "{red} red pixels");
    assert!(green > 14 * by_oblast.len(), "{green} green pixels");

    // The national report: the headline figures, the quality of the plan, the chart, and a
    // row per oblast.
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Сводка по стране"), "{report:.500}");
    let gap = summary["gap_pct"].as_f64().unwrap();
    assert_eq!(
        summary["optimal"], false,
        "a gap of {gap} % is not proven optimal"
    );
    let said = report.split("не более чем на ").nth(1).unwrap();
    let said: f64 = said[..said.find(' ').unwrap()]
        .replace(',', ".")
        .parse()
        .unwrap();
    assert!(
        (said - gap).abs() <= 0.005 + 1e-9,
        "report {said}, summary {gap}"
    );
    assert_eq!(
        report.split("<rect class=\"cost\"").count(),
        by_oblast.len() + 1
    );
    let table = &report[report.find("id=\"by-oblast\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><td>").count(), by_oblast.len());

    // Each district report charts cost and households by technology: one bar pair per
    // technology the package plans (not phased: no by-year panel).
    let mut charted = 0;
    for e in std::fs::read_dir(out.join("districts")).unwrap() {
        let dir = e.unwrap().path();
        if !dir.join("report.html").is_file() {
            continue;
        }
        let s = json(&dir.join("summary.json"));
        let planned = s["villages_by_technology"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|t| !["none", "existing_fibre"].contains(&t.as_str()))
            .count();
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        // Route stretches without a village of the district still chart as fibre.
        let fibre_routes = s["cost_breakdown_kzt"]["corridor"].as_i64().unwrap() > 0
            && s["villages_by_technology"].get("fibre").is_none();
        assert_eq!(
            html.matches("<rect class=\"cost\"").count(),
            planned + usize::from(fibre_routes),
            "{}",
            dir.display()
        );
        charted += 1;
    }
    assert!(charted > 100, "{charted} district reports");

    // A BOM CSV reads back as input.
    let o = run(&[
        "validate",
        "--villages",
        out.join("villages.csv").to_str().unwrap(),
    ]);
    ok(&o);
    let villages = bom_csv(&out.join("villages.csv"));
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        said.contains(&format!("{} villages", villages.len() - 1)),
        "{said}"
    );

    // The default language is Russian.
    every_imputed_figure_carries_its_estimate_mark(&out);

    // Identity: most villages carry their settlement's KATO code (77.6 % matched by name in
    // their district when written), always inside their own district's code, and an okrug.
    let col = |n: &str| villages[0].iter().position(|h| h == n).unwrap();
    let (kato, okrug, district) = (
        col("settlement_kato"),
        col("rural_okrug"),
        col("district_kato"),
    );
    let matched: Vec<&Vec<String>> = villages[1..]
        .iter()
        .filter(|r| !r[kato].is_empty())
        .collect();
    assert!(
        matched.len() * 100 >= (villages.len() - 1) * 70,
        "{} of {} villages have a KATO code",
        matched.len(),
        villages.len() - 1
    );
    for r in &matched {
        assert_eq!(r[kato].len(), 9, "{r:?}");
        assert_eq!(r[kato][..4], r[district][..4], "{r:?}");
    }
    assert!(matched.iter().filter(|r| !r[okrug].is_empty()).count() * 10 >= matched.len() * 9);

    let Some(soffice) = soffice() else { return };
    let sheets = sheets_by_libreoffice(&soffice, &out.join("plan.xlsx"), &dir.path().join("lo"));
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "about",
            "bill of quantities",
            "by district",
            "by oblast",
            "routes",
            "villages"
        ]
    );
    let sheet = |n: &str| &sheets.iter().find(|(s, _)| s == n).unwrap().1;
    same_table("villages", sheet("villages"), &villages);
    same_table("routes", sheet("routes"), &routes);
    let oblasts = sheet("by oblast");
    let total_col = oblasts[0]
        .iter()
        .position(|h| h == "cost_total_kzt")
        .unwrap();
    let total: f64 = oblasts[1..]
        .iter()
        .map(|r| r[total_col].parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, summary["cost_total_kzt"].as_f64().unwrap());
    let boq = sheet("bill of quantities");
    let last = boq.last().unwrap();
    assert_eq!(last[0], "total");
    assert_eq!(
        last[3].parse::<f64>().unwrap(),
        summary["cost_total_kzt"].as_f64().unwrap()
    );

    // One district's workbook holds its package's CSVs.
    let index = bom_csv(&out.join("districts/index.csv"));
    let folder = &index[1][0];
    let pkg = out.join("districts").join(folder);
    let sheets = sheets_by_libreoffice(&soffice, &pkg.join("plan.xlsx"), &dir.path().join("lo-d"));
    let sheet = |n: &str| &sheets.iter().find(|(s, _)| s == n).unwrap().1;
    same_table(
        "district villages",
        sheet("villages"),
        &bom_csv(&pkg.join("villages.csv")),
    );
    same_table(
        "district routes",
        sheet("routes"),
        &bom_csv(&pkg.join("routes.csv")),
    );
}

/// Every imputed figure in a Russian report carries its "оценка" mark, and nothing else
/// does; the map's popups mark the same villages. `out`: a national plan in Russian.
fn every_imputed_figure_carries_its_estimate_mark(out: &Path) {
    let villages = bom_csv(&out.join("villages.csv"));
    let col = |n: &str| villages[0].iter().position(|h| h == n).unwrap();
    let (id, pop, hh) = (
        col("id"),
        col("population_imputed"),
        col("households_imputed"),
    );
    let imputed: std::collections::BTreeSet<&str> = villages[1..]
        .iter()
        .filter(|r| r[pop] == "true")
        .map(|r| r[id].as_str())
        .collect();
    assert!(!imputed.is_empty(), "the national data impute populations");
    assert!(villages[1..].iter().all(|r| r[hh] == r[pop]));
    let (mut marked, mut rows) = (0, 0);
    for e in std::fs::read_dir(out.join("districts")).unwrap() {
        let report = e.unwrap().path().join("report.html");
        let Ok(html) = std::fs::read_to_string(&report) else {
            continue;
        };
        let table = html.split("<table id=\"villages\">").nth(1).unwrap();
        let table = table.split("</table>").next().unwrap();
        let mut any = false;
        for row in table.split("<tr>").skip(2) {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .map(|c| c.split_once('>').unwrap().1.split("</td>").next().unwrap())
                .collect();
            let is_imputed = imputed.contains(cells[1]);
            assert_eq!(
                cells[2].ends_with("(оценка)"),
                is_imputed,
                "{}: village {} shows {:?}",
                report.display(),
                cells[1],
                cells[2]
            );
            rows += 1;
            marked += usize::from(is_imputed);
            any |= is_imputed;
        }
        assert_eq!(
            html.contains("«оценка»:"),
            any,
            "{}: the mark's note",
            report.display()
        );
    }
    assert!(
        marked > 0 && rows > marked,
        "{marked} of {rows} rows marked"
    );
    // The map's popups mark the same villages.
    let map = std::fs::read_to_string(out.join("plan.html")).unwrap();
    assert_eq!(map.matches("\"est\":true").count(), imputed.len());
}

/// Villages named like formulas reach LibreOffice Calc as text. Calc opens the plan's
/// `villages.csv` and holds no formula in it, while the input file, whose names are the same
/// bare text, opens with them computed: the check itself can fail.
#[test]
fn names_that_look_like_formulas_open_as_text_in_libreoffice() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let villages = dir.path().join("formulas.csv");
    std::fs::write(
        &villages,
        "id,name,lon,lat,households\nA,=1+2,0.01,0,100\nB,@SUM(4;5),0.02,0,50\nC,+6*7,0.01,0.01,10\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let mut args = vec![
        "plan",
        "--villages",
        villages.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-last-mile",
    ];
    args.extend_from_slice(&EQUATOR_NETWORK);
    ok(&run(&args));
    let work = dir.path().join("lo");
    let opened = |csv: &Path| -> String {
        libreoffice_convert(
            &soffice,
            &["--infilter=CSV:44,34,76,1", "--convert-to", "fods"],
            csv,
            &work,
        );
        let stem = csv.file_stem().unwrap().to_str().unwrap();
        std::fs::read_to_string(work.join(format!("{stem}.fods"))).unwrap()
    };
    let input = opened(&villages);
    assert!(
        input.contains("table:formula=\"of:=1+2\""),
        "control: {input}"
    );
    let output = opened(&out.join("villages.csv"));
    assert!(!output.contains("table:formula"), "{output}");
    for name in ["=1+2", "@SUM(4;5)", "+6*7"] {
        assert!(
            output.contains(&format!("<text:p>&apos;{name}</text:p>")),
            "{name} is not text in {output}"
        );
    }
}

/// A scenario's price scales are named under every report (national and district, in the
/// report's language), and only when they are not 1: an official reading the costs sees
/// that they are not the cost model's.
#[test]
fn reports_name_a_scenario_price_scale() {
    let dir = tempfile::tempdir().unwrap();
    let note = |out: &Path, file: &str| -> Option<String> {
        let html = std::fs::read_to_string(out.join(file)).unwrap();
        let start = html.find("<p class=\"note\" id=\"price-scales\">")?;
        let rest = &html[start..];
        let text = &rest[rest.find('>').unwrap() + 1..rest.find("</p>").unwrap()];
        Some(text.replace("&#39;", "'"))
    };
    let plain = dir.path().join("plain");
    ok(&plan_equator(&plain, &["--no-last-mile", "--lang", "en"]));
    assert_eq!(note(&plain, "report.html"), None);
    assert_eq!(note(&plain, "districts/unassigned/report.html"), None);
    let scaled = dir.path().join("scaled");
    ok(&plan_equator(
        &scaled,
        &[
            "--no-last-mile",
            "--lang",
            "en",
            "--corridor-cost-scale",
            "1.5",
            "--satellite-cost-scale",
            "0.85",
        ],
    ));
    let expected = "This scenario's prices differ from the cost model's (x1 is the model's price): corridors ×1.5; satellite ×0.85.";
    assert_eq!(note(&scaled, "report.html").as_deref(), Some(expected));
    assert_eq!(
        note(&scaled, "districts/unassigned/report.html").as_deref(),
        Some(expected)
    );
    let ru = dir.path().join("ru");
    ok(&plan_equator(
        &ru,
        &["--no-last-mile", "--lang", "ru", "--fwa-cost-scale", "2"],
    ));
    assert_eq!(
        note(&ru, "report.html").as_deref(),
        Some("Цены этого сценария отличаются от модели затрат (×1 — цена модели): фиксированный беспроводной доступ ×2.")
    );
}
