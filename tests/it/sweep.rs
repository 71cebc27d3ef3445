//! `fiberplan sweep` / `merge`: determinism across thread counts, resume after a stop,
//! shards merged byte for byte, and the least-cost mix rule on a hand-checked fixture.

use crate::common::*;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/equator/sweep.toml";

fn sweep(file: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["sweep", file, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    ok(&o);
    String::from_utf8(o.stdout).unwrap()
}

fn results(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("results.csv")).unwrap()
}

#[test]
fn results_are_identical_at_any_thread_count() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    sweep(FIXTURE, a.path(), &["--threads", "1"]);
    sweep(FIXTURE, b.path(), &["--threads", "2"]);
    let r = results(a.path());
    assert_eq!(r, results(b.path()));
    assert_eq!(r.lines().count(), 15, "header + 14 scenarios");
    assert_eq!(
        std::fs::read(a.path().join("frontier.svg")).unwrap(),
        std::fs::read(b.path().join("frontier.svg")).unwrap()
    );
    // Quota 110 at corridor cost x 2: the A+C tree (2,884,619 at x1) costs 5,769,238 of corridor.
    let row = r.lines().find(|l| l.starts_with("s00008,")).unwrap();
    assert!(row.starts_with("s00008,quota,110,,,2.0000,"), "{row}");
}

#[test]
fn a_stopped_sweep_resumes_to_the_same_results() {
    let (whole, parts) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    sweep(FIXTURE, whole.path(), &[]);
    let first = sweep(FIXTURE, parts.path(), &["--limit", "5"]);
    assert!(
        first.contains("5 scenarios solved, 0 already done, 9 left"),
        "{first}"
    );
    assert!(
        !parts.path().join("results.csv").exists(),
        "no results.csv before every row is in"
    );
    let second = sweep(FIXTURE, parts.path(), &[]);
    assert!(second.contains("(9 solved"), "{second}");
    assert!(second.contains("5 already done"), "{second}");
    assert_eq!(results(whole.path()), results(parts.path()));
}

#[test]
fn changed_inputs_never_reuse_old_rows() {
    let d = tempfile::tempdir().unwrap();
    for f in [
        "villages.csv",
        "backbone.geojson",
        "costs.toml",
        "sweep.toml",
    ] {
        std::fs::copy(
            root().join("tests/fixtures/equator").join(f),
            d.path().join(f),
        )
        .unwrap();
    }
    let file = d.path().join("sweep.toml");
    let out = d.path().join("out");
    sweep(file.to_str().unwrap(), &out, &[]);
    let before = results(&out);
    let costs = std::fs::read_to_string(d.path().join("costs.toml")).unwrap();
    std::fs::write(
        d.path().join("costs.toml"),
        costs.replace("proxy_per_km = 1_000_000", "proxy_per_km = 2_000_000"),
    )
    .unwrap();
    let again = sweep(file.to_str().unwrap(), &out, &[]);
    assert!(
        again.contains("(14 solved") && again.contains("0 already done"),
        "{again}"
    );
    assert_ne!(before, results(&out));
}

#[test]
fn three_shards_merge_to_the_single_run() {
    let whole = tempfile::tempdir().unwrap();
    sweep(FIXTURE, whole.path(), &[]);
    let shards: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    // Three separate processes, as three cluster jobs would be.
    let children: Vec<std::process::Child> = shards
        .iter()
        .enumerate()
        .map(|(i, d)| {
            std::process::Command::new(bin())
                .args([
                    "sweep",
                    FIXTURE,
                    "--out",
                    d.path().to_str().unwrap(),
                    "--shard",
                    &format!("{i}/3"),
                    "--threads",
                    "1",
                ])
                .current_dir(root())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let shard_rows: usize = shards
        .iter()
        .map(|d| results(d.path()).lines().count() - 1)
        .sum();
    assert_eq!(shard_rows, 14);
    let merged = tempfile::tempdir().unwrap();
    let mut args = vec!["merge".to_string()];
    args.extend(
        shards
            .iter()
            .map(|d| d.path().to_str().unwrap().to_string()),
    );
    args.extend([
        "--out".to_string(),
        merged.path().to_str().unwrap().to_string(),
    ]);
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&o);
    assert_eq!(
        std::fs::read(whole.path().join("results.csv")).unwrap(),
        std::fs::read(merged.path().join("results.csv")).unwrap()
    );
    assert_eq!(
        std::fs::read(whole.path().join("frontier.svg")).unwrap(),
        std::fs::read(merged.path().join("frontier.svg")).unwrap()
    );
}

#[test]
fn unknown_scenario_parameter_is_one_line_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("s.toml");
    std::fs::write(
        &f,
        "[scenario]\nmode = \"quota\"\ntarget_households = 5\ncorridor_scale = 2\n",
    )
    .unwrap();
    let o = run(&[
        "sweep",
        f.to_str().unwrap(),
        "--out",
        d.path().join("o").to_str().unwrap(),
    ]);
    bad_input(&o, &["s.toml:4", "unknown field `corridor_scale`"]);
}

/// The least-cost mix on the hand-checked `mix` fixture (tests/fixtures/README.md), and the
/// rule: no village is left on an alternative that costs more than its marginal fibre cost.
#[test]
fn least_cost_mix_takes_fibre_only_where_it_is_cheaper() {
    let out = tempfile::tempdir().unwrap();
    let o = run(&[
        "plan",
        "--mode",
        "least-cost",
        "--villages",
        "tests/fixtures/mix/villages.csv",
        "--backbone",
        "tests/fixtures/mix/backbone.geojson",
        "--costs",
        "tests/fixtures/mix/costs.toml",
        "--no-last-mile",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    ok(&o);
    let s = json(&out.path().join("summary.json"));
    assert_eq!(s["cost_breakdown_kzt"]["corridor"], 2_894_306);
    assert_eq!(s["cost_breakdown_kzt"]["satellite"], 1_300_000);
    assert_eq!(s["cost_total_kzt"], 4_544_306);
    let geo = json(&out.path().join("plan.geojson"));
    let mut tech = std::collections::BTreeMap::new();
    for f in geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "village")
    {
        let p = &f["properties"];
        let hh = p["households"].as_i64().unwrap();
        tech.insert(
            p["id"].as_str().unwrap().to_string(),
            p["technology"].as_str().unwrap().to_string(),
        );
        let fibre = p["fibre_marginal_kzt_per_household"].as_i64().unwrap() * hh;
        let alt = p["alternative_kzt_per_household"].as_i64().unwrap() * hh;
        match p["technology"].as_str().unwrap() {
            "fibre" => assert!(fibre <= alt + hh, "{p}"),
            _ => assert!(alt <= fibre + hh, "left on a dearer alternative: {p}"),
        }
    }
    let got: Vec<(&str, &str)> = tech.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("A", "fibre"),
            ("B", "fibre"),
            ("C", "satellite"),
            ("D", "satellite")
        ]
    );
    // C's figures, per household: fibre 1,547,466 / 10, satellite 100,000.
    let c = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "C")
        .unwrap();
    assert_eq!(c["properties"]["fibre_marginal_kzt_per_household"], 154_746);
    assert_eq!(c["properties"]["alternative_kzt_per_household"], 100_000);
}

/// `sweep --plans` and `plan` write one plan.geojson for one scenario, byte for byte
/// (routes with their districts, `phase` an integer in both).
#[test]
fn sweep_plans_and_plan_write_the_same_plan_geojson() {
    let (s, p) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The plan command's solver policy is effort 4; the sweep is told the same.
    sweep(FIXTURE, s.path(), &["--plans", "--effort", "4"]);
    let o = plan_equator(
        p.path(),
        &["--target-households", "110", "--corridor-cost-scale", "2"],
    );
    ok(&o);
    let from_sweep = std::fs::read(s.path().join("plans/s00008/plan.geojson")).unwrap();
    let from_plan = std::fs::read(p.path().join("plan.geojson")).unwrap();
    assert!(
        from_sweep == from_plan,
        "plan.geojson differs between sweep --plans and plan"
    );
    let v = json(&p.path().join("plan.geojson"));
    let phases: Vec<&serde_json::Value> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"]["phase"])
        .filter(|p| !p.is_null())
        .collect();
    assert!(!phases.is_empty());
    assert!(
        phases.iter().all(|p| p.as_u64() == Some(0)),
        "unphased: phase 0"
    );
}

/// The bundled scenario files vary only what their mode uses: no two scenarios of a file
/// give the same plan (issue 16: sensitivity.toml once varied satellite prices in quota
/// mode, where they change nothing, and 54 of its 72 rows were duplicates). bench.toml, the
/// 200-scenario benchmark, is left to `scripts/` for time.
#[test]
fn seed_files_vary_what_their_mode_uses() {
    for file in [
        "seeds/programme.toml",
        "seeds/coverage99.toml",
        "seeds/sensitivity.toml",
        "seeds/uncertainty.toml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sweep");
        ok(&run(&["sweep", file, "--out", out.to_str().unwrap()]));
        let mut rdr = csv::Reader::from_path(out.join("results.csv")).unwrap();
        let header = rdr.headers().unwrap().clone();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        let (cost, hh) = (col("cost_total_kzt"), col("households_fibre"));
        let rows: Vec<(String, String)> = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[cost].to_string(), r[hh].to_string())
            })
            .collect();
        let distinct: std::collections::BTreeSet<_> = rows.iter().collect();
        assert_eq!(
            distinct.len(),
            rows.len(),
            "{file}: repeated plans {rows:?}"
        );
    }
}

/// One solver policy: every scenario of the seed files, solved by `sweep`, gives the row
/// that `fiberplan plan` gives for the same scenario (flat household price, as
/// `--no-last-mile`). bench.toml's 200 scenarios are checked one in 25 (the grid's corners
/// and a spread between); the others all.
#[test]
fn plan_and_sweep_agree_on_every_seed_scenario() {
    let phases: &[&str] = &["--phase", "2026:40000000000", "--phase", "2027:40000000000"];
    for (file, step) in [
        ("seeds/programme.toml", 1),
        ("seeds/coverage99.toml", 1),
        ("seeds/sensitivity.toml", 1),
        ("seeds/uncertainty.toml", 1),
        ("seeds/bench.toml", 25),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sweep");
        ok(&run(&[
            "sweep",
            file,
            "--no-last-mile",
            "--out",
            out.to_str().unwrap(),
        ]));
        let mut rdr = csv::Reader::from_path(out.join("results.csv")).unwrap();
        let header = rdr.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        for row in rows.iter().step_by(step) {
            let get = |n: &str| row[col(n)].to_string();
            let mode = get("mode").replace('_', "-");
            let plan_out = dir.path().join(get("scenario_id"));
            let mut args: Vec<String> = ["plan", "--no-last-mile", "--mode", &mode, "--out"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            args.push(plan_out.to_str().unwrap().to_string());
            for (flag, key) in [
                ("--target-households", "target_households"),
                ("--budget-kzt", "budget_kzt"),
                ("--coverage", "coverage_target"),
                ("--corridor-cost-scale", "corridor_cost_scale"),
                ("--fwa-cost-scale", "fwa_cost_scale"),
                ("--satellite-cost-scale", "satellite_cost_scale"),
                ("--seed", "seed"),
            ] {
                let v = get(key);
                if !v.is_empty() && (key != "target_households" || mode == "quota") {
                    args.push(flag.to_string());
                    args.push(v);
                }
            }
            if file.ends_with("programme.toml") {
                args.extend(phases.iter().map(|s| s.to_string()));
            }
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            ok(&run(&argv));
            let s = json(&plan_out.join("summary.json"));
            let scenario = format!("{file} {}", get("scenario_id"));
            for key in [
                "households_fibre",
                "villages_fibre",
                "households_fwa",
                "households_satellite",
                "cost_total_kzt",
            ] {
                assert_eq!(s[key].to_string(), get(key), "{scenario}: {key}");
            }
            assert_eq!(
                format!("{:.3}", s["new_fibre_km"].as_f64().unwrap()),
                get("new_fibre_km"),
                "{scenario}: new_fibre_km"
            );
            std::fs::remove_dir_all(&plan_out).unwrap();
        }
    }
}

/// Take-up is a scenario parameter (issue 13): a sweep over take-ups and corridor prices on
/// the equator fixture, with the last mile, lays each village out once and designs it once
/// per take-up; every row is the `fiberplan plan --take-up` of the same scenario, and
/// results.csv carries the take-up. Byte-identical at one and two threads.
#[test]
fn take_up_rows_equal_plans_at_that_take_up() {
    let dir = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/equator");
    let file = dir.path().join("take_up.toml");
    std::fs::write(
        &file,
        format!(
            "[inputs]\nvillages = {:?}\nbackbone = {:?}\ncosts = {:?}\n\n\
             [scenario]\nmode = \"connect_all\"\ntake_up_pct = 50.0\n\n\
             [grid]\ncorridor_cost_scale = [1.0, 2.0]\ntake_up_pct = [35.0, 70.0]\n",
            fx.join("villages.csv"),
            fx.join("backbone.geojson"),
            fx.join("costs.toml")
        ),
    )
    .unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let f = file.to_str().unwrap();
    sweep(f, &a, &["--threads", "1"]);
    sweep(f, &b, &["--threads", "2"]);
    assert_eq!(results(&a), results(&b));
    let mut rdr = csv::Reader::from_path(a.join("results.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let take_ups: Vec<&str> = rows.iter().map(|r| &r[col("take_up_pct")]).collect();
    assert_eq!(take_ups, ["35.0000", "70.0000", "35.0000", "70.0000"]);
    let cost = |r: &csv::StringRecord| r[col("cost_total_kzt")].parse::<i64>().unwrap();
    // Take-up changes the cost (more connections), not the fibre plan.
    assert!(cost(&rows[1]) > cost(&rows[0]));
    assert_eq!(rows[0][col("new_fibre_km")], rows[1][col("new_fibre_km")]);
    for row in &rows {
        let get = |n: &str| row[col(n)].to_string();
        let out = dir.path().join(get("scenario_id"));
        ok(&plan_equator(
            &out,
            &[
                "--mode",
                "connect-all",
                "--corridor-cost-scale",
                &get("corridor_cost_scale"),
                "--take-up",
                &get("take_up_pct"),
            ],
        ));
        let s = json(&out.join("summary.json"));
        for key in [
            "households_fibre",
            "villages_fibre",
            "cost_total_kzt",
            "households_fwa",
            "households_satellite",
        ] {
            assert_eq!(
                s[key].to_string(),
                get(key),
                "{}: {key}",
                get("scenario_id")
            );
        }
        assert_eq!(
            s["last_mile"]["take_up_pct"].as_f64().unwrap(),
            get("take_up_pct").parse::<f64>().unwrap()
        );
    }
    // At the flat household price take-up plays no part: the column is empty and the
    // sweep says the key has no effect.
    let flat = dir.path().join("flat");
    let o = run(&[
        "sweep",
        f,
        "--no-last-mile",
        "--out",
        flat.to_str().unwrap(),
    ]);
    ok(&o);
    assert!(
        stderr(&o).contains("take_up_pct is set but has no effect at the flat household price"),
        "{}",
        stderr(&o)
    );
    let text = results(&flat);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert!(rdr
        .records()
        .all(|r| r.unwrap()[col("take_up_pct")].is_empty()));
}

/// Last-mile prices are a scenario parameter (issue 13): a sweep over
/// `last_mile_cost_scale` in two modes on the equator fixture re-prices the same designs;
/// every row is the `fiberplan plan --last-mile-cost-scale` of the same scenario, field by
/// field and in its last-mile cost, and results.csv carries the scale. Byte-identical at one
/// and two threads. In connect-all mode the fibre plan does not move with the scale, so the
/// difference of two rows' totals is exactly the difference of their last-mile costs.
#[test]
fn last_mile_cost_scale_rows_equal_plans_at_that_scale() {
    let dir = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/equator");
    let file = dir.path().join("scale.toml");
    std::fs::write(
        &file,
        format!(
            "[inputs]\nvillages = {:?}\nbackbone = {:?}\ncosts = {:?}\n\n\
             [scenario]\nmode = \"connect_all\"\n\n\
             [grid]\nmode = [\"connect_all\", \"least_cost\"]\nlast_mile_cost_scale = [1.0, 2.0, 0.75]\n",
            fx.join("villages.csv"),
            fx.join("backbone.geojson"),
            fx.join("costs.toml")
        ),
    )
    .unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let f = file.to_str().unwrap();
    sweep(f, &a, &["--threads", "1"]);
    sweep(f, &b, &["--threads", "2"]);
    assert_eq!(results(&a), results(&b));
    let mut rdr = csv::Reader::from_path(a.join("results.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let scales: Vec<&str> = rows
        .iter()
        .map(|r| &r[col("last_mile_cost_scale")])
        .collect();
    assert_eq!(
        scales,
        ["1.0000", "2.0000", "0.7500", "1.0000", "2.0000", "0.7500"]
    );
    let mut last_mile = Vec::new();
    for row in &rows {
        let get = |n: &str| row[col(n)].to_string();
        let out = dir.path().join(get("scenario_id"));
        ok(&plan_equator(
            &out,
            &[
                "--mode",
                &get("mode").replace('_', "-"),
                "--last-mile-cost-scale",
                &get("last_mile_cost_scale"),
            ],
        ));
        let s = json(&out.join("summary.json"));
        for key in [
            "households_fibre",
            "villages_fibre",
            "households_fwa",
            "villages_fwa",
            "households_satellite",
            "villages_satellite",
            "cost_total_kzt",
        ] {
            assert_eq!(
                s[key].to_string(),
                get(key),
                "{}: {key}",
                get("scenario_id")
            );
        }
        last_mile.push(s["last_mile"]["cost_kzt"].as_i64().unwrap());
    }
    let cost = |r: &csv::StringRecord| r[col("cost_total_kzt")].parse::<i64>().unwrap();
    assert!(last_mile[1] > last_mile[0] && last_mile[2] < last_mile[0]);
    for k in [1, 2] {
        assert_eq!(rows[k][col("new_fibre_km")], rows[0][col("new_fibre_km")]);
        assert_eq!(
            cost(&rows[k]) - cost(&rows[0]),
            last_mile[k] - last_mile[0],
            "connect-all row {k}"
        );
    }
    // At the flat household price the scale plays no part: the column is empty and the
    // sweep says the key has no effect.
    let flat = dir.path().join("flat");
    let o = run(&[
        "sweep",
        f,
        "--no-last-mile",
        "--out",
        flat.to_str().unwrap(),
    ]);
    ok(&o);
    assert!(
        stderr(&o).contains("last_mile_cost_scale is set but has no effect"),
        "{}",
        stderr(&o)
    );
    let text = results(&flat);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert!(rdr
        .records()
        .all(|r| r.unwrap()[col("last_mile_cost_scale")].is_empty()));
}
