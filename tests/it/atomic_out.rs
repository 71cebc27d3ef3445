//! Whole-folder atomic outputs (issue 19): after a failed or killed run the output folder is
//! byte-identical to before, a run that succeeds leaves exactly its own complete set (plus
//! what was not fiberplan's), and nothing is written outside `--out`.
//!
//! Faults that need root (a tmpfs, `chattr +i`) or an unprivileged user (a read-only folder
//! means nothing to root) print `SKIPPED` with the reason when they cannot be set up here.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every entry under `dir`: files with their bytes, folders and links marked.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, m: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            let ty = std::fs::symlink_metadata(&p).unwrap().file_type();
            if ty.is_dir() {
                m.insert(format!("{rel}/"), Vec::new());
                walk(base, &p, m);
            } else if ty.is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                m.insert(rel, format!("-> {}", t.display()).into_bytes());
            } else {
                m.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

/// The snapshot to compare two runs by: without `timings.json`, which differs run to run.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    comparable(snapshot(dir))
}

fn comparable(mut m: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    m.retain(|k, _| !k.ends_with("timings.json"));
    m
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn same(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>, what: &str) {
    if before == after {
        return;
    }
    let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    for k in keys {
        if before.get(k) != after.get(k) {
            panic!(
                "{what}: the output folder changed at {k} ({} before, {} after)",
                before
                    .get(k)
                    .map_or("absent".into(), |b| format!("{} bytes", b.len())),
                after
                    .get(k)
                    .map_or("absent".into(), |b| format!("{} bytes", b.len()))
            );
        }
    }
}

/// A failed run: exit 2 and one line naming `needle`, no panic.
fn failed(o: &std::process::Output, needle: &str) {
    bad_input(o, &[needle]);
}

fn equator_args(out: &Path, target: &str) -> Vec<String> {
    let mut a: Vec<String> = vec!["plan".into(), "--out".into(), out.display().to_string()];
    a.extend(
        EQUATOR_VILLAGES
            .iter()
            .chain(&EQUATOR_NETWORK)
            .map(|s| s.to_string()),
    );
    a.extend(["--target-households".into(), target.into()]);
    a
}

fn run_s(args: &[String]) -> std::process::Output {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&a)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A folder with one good plan (old outputs, 110 households) and a rerun's arguments
/// (160 households: different outputs).
fn planned(tmp: &Path) -> (PathBuf, BTreeMap<String, Vec<u8>>, Vec<String>) {
    let out = tmp.join("out");
    ok(&run_s(&equator_args(&out, "110")));
    let before = snapshot(&out);
    assert!(
        before.contains_key(".fiberplan-output"),
        "{:?}",
        before.keys()
    );
    (out.clone(), before, equator_args(&out, "160"))
}

#[test]
fn a_successful_rerun_leaves_exactly_the_new_set() {
    let d = tempfile::tempdir().unwrap();
    let (out, before, again) = planned(d.path());
    // A stale file listed as the old run's (as a district of a bigger plan would be), a
    // user's notes and another run's folder inside.
    std::fs::write(out.join("stale.csv"), "old").unwrap();
    let mut m = std::fs::read_to_string(out.join(".fiberplan-output")).unwrap();
    m.push_str("stale.csv\n");
    std::fs::write(out.join(".fiberplan-output"), m).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let other = d.path().join("out/250k");
    ok(&run_s(&equator_args(&other, "160")));
    let other_before = snapshot(&other);

    ok(&run_s(&again));
    let fresh = d.path().join("fresh");
    ok(&run_s(&equator_args(&fresh, "160")));
    let mut want = outputs(&fresh);
    want.insert("notes.txt".into(), b"mine".to_vec());
    want.insert("250k/".into(), Vec::new());
    for (k, v) in &other_before {
        if !k.ends_with("timings.json") {
            want.insert(format!("250k/{k}"), v.clone());
        }
    }
    same(&comparable(want), &outputs(&out), "rerun");
    assert_ne!(
        before.get("summary.json"),
        outputs(&out).get("summary.json")
    );
    assert_eq!(
        names(d.path()),
        ["fresh", "out"],
        "staging left beside --out"
    );
}

#[test]
fn a_folder_in_place_of_a_file_fails_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let (out, _, again) = planned(d.path());
    std::fs::remove_file(out.join("summary.json")).unwrap();
    std::fs::create_dir(out.join("summary.json")).unwrap();
    std::fs::write(out.join("summary.json/keep.txt"), "mine").unwrap();
    let before = snapshot(&out);
    failed(&run_s(&again), "summary.json");
    same(&before, &snapshot(&out), "a folder in place of a file");
    assert_eq!(names(d.path()), ["out"], "staging left beside --out");
}

#[test]
fn a_non_output_folder_is_not_replaced() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.tex"), "mine").unwrap();
    let before = snapshot(&out);
    failed(
        &run_s(&equator_args(&out, "110")),
        "not a fiberplan output folder",
    );
    same(&before, &snapshot(&out), "a folder of someone else's files");
    assert_eq!(names(d.path()), ["mine"]);
}

/// A read-only subfolder no longer matters (the folder is replaced whole, as the unprivileged
/// user that owns it); a read-only parent, where the new folder is staged, fails before
/// anything changes. Root ignores permissions: run as `nobody` through `setpriv`.
#[test]
fn read_only_folders() {
    let unprivileged: Vec<String> = if !is_root() {
        Vec::new()
    } else if Command::new("setpriv").arg("--version").output().is_ok() {
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]
        .map(String::from)
        .to_vec()
    } else {
        eprintln!("SKIPPED read_only_folders: root, and no setpriv to run as another user");
        return;
    };
    let as_user = |args: &[String]| {
        let mut c = if unprivileged.is_empty() {
            Command::new(bin())
        } else {
            let mut c = Command::new(&unprivileged[0]);
            c.args(&unprivileged[1..]).arg(bin());
            c
        };
        c.args(args).current_dir(root()).output().unwrap()
    };
    let d = tempfile::tempdir().unwrap();
    if is_root() {
        let o = Command::new("chown")
            .args(["65534:65534", d.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success());
        // The binary and the fixtures must be readable by nobody.
        if !as_user(&["--version".into()]).status.success() {
            eprintln!(
                "SKIPPED read_only_folders: nobody cannot run {}",
                bin().display()
            );
            return;
        }
    }
    let out = d.path().join("out");
    ok(&as_user(&equator_args(&out, "110")));
    let ro = |p: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    ro(&out.join("districts/unassigned"), 0o555);
    ro(&out.join("districts"), 0o555);
    ok(&as_user(&equator_args(&out, "160")));
    let fresh = d.path().join("fresh");
    ok(&as_user(&equator_args(&fresh, "160")));
    same(&outputs(&fresh), &outputs(&out), "read-only subfolder");
    assert_eq!(
        names(d.path()),
        ["fresh", "out"],
        "old folder left beside --out"
    );

    // A read-only parent: the new folder cannot be staged.
    std::fs::remove_dir_all(&fresh).unwrap();
    let before = snapshot(&out);
    ro(d.path(), 0o555);
    let o = as_user(&equator_args(&out, "110"));
    ro(d.path(), 0o755);
    failed(&o, &d.path().display().to_string());
    same(&before, &snapshot(&out), "read-only parent");
    assert_eq!(names(d.path()), ["out"]);
}

/// `chattr +i` on the output folder: even root cannot swap it. The run fails at the swap,
/// after staging everything, and nothing changes.
#[test]
fn an_immutable_output_folder_fails_at_the_swap_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let (out, before, again) = planned(d.path());
    let chattr = |flag: &str| {
        Command::new("chattr")
            .args([flag, out.to_str().unwrap()])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !chattr("+i") {
        eprintln!("SKIPPED an_immutable_output_folder: chattr +i refused here");
        return;
    }
    struct Unfreeze<F: Fn(&str) -> bool>(F);
    impl<F: Fn(&str) -> bool> Drop for Unfreeze<F> {
        fn drop(&mut self) {
            (self.0)("-i");
        }
    }
    let _guard = Unfreeze(chattr);
    failed(&run_s(&again), "out");
    same(&before, &snapshot(&out), "immutable folder");
    assert_eq!(names(d.path()), ["out"], "staging left beside --out");
}

/// A full disk: a 2 MiB tmpfs as the parent of `--out`, filled but for one page.
#[test]
fn a_full_disk_fails_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    std::fs::create_dir(&m).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs", m.to_str().unwrap()])
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("SKIPPED a_full_disk: mounting a tmpfs is refused here (not root?)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).output();
        }
    }
    let _guard = Unmount(m.clone());
    let (out, before, again) = planned(&m);
    // Fill the disk, then give back one page: the rerun runs out part-way through staging.
    {
        use std::io::Write;
        let mut f = std::fs::File::create(m.join("fill")).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(4096)).unwrap();
    }
    failed(&run_s(&again), "No space left");
    same(&before, &snapshot(&out), "full disk");
    assert_eq!(names(&m), ["fill", "out"], "staging left beside --out");
}

/// SIGKILL while staging and during the commit (the national plan: ~500 files synced):
/// the folder is the old or the new complete set, and the next run clears the leftovers.
#[test]
fn a_kill_during_the_commit_leaves_old_or_new_and_the_next_run_cleans_up() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let args = |target: &str| -> Vec<String> {
        vec![
            "plan".into(),
            "--out".into(),
            out.display().to_string(),
            "--target-households".into(),
            target.into(),
        ]
    };
    ok(&run_s(&args("400000")));
    let old = outputs(&out);
    let mut states = Vec::new();
    // Killed as soon as the staging folder exists (staging), then as soon as its marker
    // exists (the commit: carry-over, sync, swap).
    for probe in ["", ".fiberplan-output"] {
        let mut child = Command::new(bin())
            .args(args("300000"))
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stage = d
            .path()
            .join(format!(".out.fiberplan-new-{}", child.id()))
            .join(probe);
        let mut hit = false;
        while child.try_wait().unwrap().is_none() {
            if stage.exists() {
                child.kill().unwrap();
                hit = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        child.wait().unwrap();
        assert!(hit, "the run ended before {} appeared", stage.display());
        states.push(outputs(&out));
    }
    assert!(
        names(d.path()).len() > 1,
        "a killed run leaves its staging folder: {:?}",
        names(d.path())
    );
    ok(&run_s(&args("300000")));
    let new = outputs(&out);
    assert_ne!(old, new);
    for (i, s) in states.iter().enumerate() {
        let which = if *s == old {
            "old"
        } else if *s == new {
            "new"
        } else {
            same(&old, s, &format!("kill {i}"));
            unreachable!()
        };
        eprintln!("kill {i}: the folder held the {which} complete set");
    }
    assert_eq!(
        names(d.path()),
        ["out"],
        "leftovers not cleaned by the next run"
    );
}

/// `--export-stp` is part of the commit: a run that fails after staging it leaves the old
/// file; inside `--out` it is one of the folder's outputs.
#[test]
fn export_stp_moves_with_the_commit() {
    let d = tempfile::tempdir().unwrap();
    let (out, _, _) = planned(d.path());
    let stp = d.path().join("graph.stp");
    std::fs::write(&stp, "old").unwrap();
    std::fs::remove_file(out.join("plan.html")).unwrap();
    std::fs::create_dir(out.join("plan.html")).unwrap();
    let before = snapshot(d.path());
    let mut a = equator_args(&out, "160");
    a.extend(["--export-stp".into(), stp.display().to_string()]);
    failed(&run_s(&a), "plan.html");
    same(
        &before,
        &snapshot(d.path()),
        "--export-stp with a failed commit",
    );
    std::fs::remove_dir(out.join("plan.html")).unwrap();
    ok(&run_s(&a));
    assert!(std::fs::read_to_string(&stp)
        .unwrap()
        .contains("SECTION Graph"));
    let inside = out.join("graph.stp");
    let mut a = equator_args(&out, "160");
    a.extend(["--export-stp".into(), inside.display().to_string()]);
    ok(&run_s(&a));
    let marker = std::fs::read_to_string(out.join(".fiberplan-output")).unwrap();
    assert!(marker.lines().any(|l| l == "graph.stp"), "{marker}");
}

/// A `--data` folder whose district code would climb out of `--out`: refused, nothing
/// written anywhere.
#[test]
fn a_hostile_district_code_writes_nothing_outside_out() {
    let d = tempfile::tempdir().unwrap();
    let kz = d.path().join("data/kz");
    std::fs::create_dir_all(&kz).unwrap();
    let square = r#"{"type":"Polygon","coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}"#;
    std::fs::write(
        kz.join("districts_2024.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"KATO":"../../../evil","ADM2_EN":"Evil"}},"geometry":{square}}}]}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        kz.join("oblasts_2024.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"ADM1_EN":"Evil"}},"geometry":{square}}}]}}"#
        ),
    )
    .unwrap();
    let work = d.path().join("a/b/c");
    std::fs::create_dir_all(&work).unwrap();
    let out = work.join("out");
    let mut a = equator_args(&out, "110");
    a.extend(["--data".into(), d.path().join("data").display().to_string()]);
    let before = snapshot(d.path());
    let o = run_s(&a);
    bad_input(&o, &["districts_2024.geojson: feature 0", "KATO", "evil"]);
    same(&before, &snapshot(d.path()), "hostile district code");
}

/// Names that look like paths, markup or spreadsheet formulas, in every input that carries
/// a name: village ids and names (CSV), the backbone's ids and names (GeoJSON), district and
/// oblast names of a `--data` folder, OSM place names and a scenario file's runs. `plan`
/// with every format, `plan --osm` and `sweep --plans` write nothing outside `--out`, every
/// output name is plain (a district folder keeps only the letters and digits of its English
/// name), and the HTML pages carry the names escaped, never as markup.
#[test]
fn hostile_names_in_every_input_stay_inside_out_and_escaped() {
    const EVIL: [&str; 6] = [
        "../../../evil",
        "/etc/passwd",
        "..\\\\..\\\\win",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "=HYPERLINK(\"\"http://x\"\")",
    ];
    let d = tempfile::tempdir().unwrap();
    let inputs = d.path().join("in");
    let kz = inputs.join("data/kz");
    std::fs::create_dir_all(&kz).unwrap();
    std::fs::copy(
        root().join("data/last_mile.toml"),
        inputs.join("data/last_mile.toml"),
    )
    .unwrap();
    let square = r#"{"type":"Polygon","coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}"#;
    std::fs::write(
        kz.join("districts_2024.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"KATO":"196200000","ADM2_EN":"{}","ADM2_KK":"{}","ADM2_RU":"{}","ADM1_EN":"{}"}},"geometry":{square}}}]}}"#,
            EVIL[0], EVIL[3], EVIL[2], EVIL[1]
        ),
    )
    .unwrap();
    std::fs::write(
        kz.join("oblasts_2024.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"ADM1_EN":"{}"}},"geometry":{square}}}]}}"#,
            EVIL[1]
        ),
    )
    .unwrap();
    // CSV quoting doubles the quotes of the formula; JSON escapes the backslashes.
    let csv_name = |s: &str| format!("\"{}\"", s.replace("\\\\", "\\"));
    std::fs::write(
        inputs.join("villages.csv"),
        format!(
            "id,name,lon,lat,households\n{},{},0.01,0,100\n{},{},0.02,0,50\n{},{},0.01,0.01,10\n",
            csv_name(EVIL[0]),
            csv_name(EVIL[3]),
            csv_name(EVIL[1]),
            csv_name(EVIL[5]),
            csv_name(EVIL[2]),
            csv_name(EVIL[4]),
        ),
    )
    .unwrap();
    std::fs::write(
        inputs.join("backbone.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":"{}","name":"{}"}},"geometry":{{"type":"Point","coordinates":[0,0]}}}}]}}"#,
            EVIL[0], EVIL[4]
        ),
    )
    .unwrap();
    std::fs::write(
        inputs.join("sweep.toml"),
        format!(
            "[inputs]\nvillages = {:?}\nbackbone = {:?}\ncosts = {:?}\n\n[scenario]\nmode = \"quota\"\ntarget_households = 110\n\n[grid]\ntarget_households = [50, 110]\n",
            inputs.join("villages.csv"),
            inputs.join("backbone.geojson"),
            root().join("tests/fixtures/equator/costs.toml"),
        ),
    )
    .unwrap();
    // An OSM extract: a road and a village whose names are hostile.
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    std::fs::write(
        inputs.join("roads.osm"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="0.0" lon="0.0"/>
  <node id="2" lat="0.0" lon="0.02"/>
  <node id="3" lat="0.0005" lon="0.02"><tag k="place" v="village"/><tag k="name" v="{}"/><tag k="name:kk" v="{}"/><tag k="population" v="300"/></node>
  <node id="4" lat="0.0" lon="0.0"><tag k="telecom" v="exchange"/><tag k="name" v="{}"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="{}"/></way>
</osm>
"#,
            esc(EVIL[0]),
            esc(EVIL[3]),
            esc(EVIL[4]),
            esc(EVIL[1])
        ),
    )
    .unwrap();
    let work = d.path().join("a/b/c");
    std::fs::create_dir_all(&work).unwrap();
    let before = snapshot(d.path());
    let s = |p: &Path| p.display().to_string();
    let (plan_out, osm_out, sweep_out) = (work.join("plan"), work.join("osm"), work.join("sweep"));
    let costs = s(&root().join("tests/fixtures/equator/costs.toml"));
    ok(&run_s(&[
        "plan".into(),
        "--out".into(),
        s(&plan_out),
        "--villages".into(),
        s(&inputs.join("villages.csv")),
        "--backbone".into(),
        s(&inputs.join("backbone.geojson")),
        "--costs".into(),
        costs.clone(),
        "--data".into(),
        s(&inputs.join("data")),
        "--format".into(),
        "geojson,gpkg,kmz,ofds".into(),
        "--target-households".into(),
        "110".into(),
    ]));
    ok(&run_s(&[
        "plan".into(),
        "--out".into(),
        s(&osm_out),
        "--osm".into(),
        s(&inputs.join("roads.osm")),
        "--costs".into(),
        costs,
        "--data".into(),
        s(&inputs.join("data")),
    ]));
    ok(&run_s(&[
        "sweep".into(),
        s(&inputs.join("sweep.toml")),
        "--plans".into(),
        "--out".into(),
        s(&sweep_out),
    ]));
    // Outside the three output folders nothing changed.
    let mut after = snapshot(d.path());
    let mut written = Vec::new();
    after.retain(|k, _| {
        let inside = ["a/b/c/plan", "a/b/c/osm", "a/b/c/sweep"]
            .iter()
            .any(|o| k.starts_with(&format!("{o}/")) || k == &format!("{o}/"));
        if inside {
            written.push(k.clone());
        }
        !inside
    });
    let mut before_outside = before.clone();
    before_outside.insert("a/b/c/".into(), Vec::new());
    same(&before_outside, &after, "hostile names");
    assert!(written.len() > 30, "{written:?}");
    // Output names come from fiberplan's own list and district codes with a cleaned
    // English name (`196200000_evil`): plain characters, no climbing.
    for k in &written {
        let plain = k.split('/').filter(|c| !c.is_empty()).all(|c| {
            c != ".."
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch))
        });
        assert!(plain, "an output name taken unclean from an input: {k}");
    }
    // Markup from the inputs never reaches a page as markup: outside the pages' own script
    // elements no input tag appears, and inside them (data as JSON) no input closes one.
    let snap = snapshot(d.path());
    let pages: Vec<&String> = snap.keys().filter(|k| k.ends_with(".html")).collect();
    assert!(pages.len() >= 4, "{pages:?}");
    for k in pages {
        let html = String::from_utf8_lossy(&snap[k]).into_owned();
        assert!(
            !html.contains("alert(1)</script>"),
            "{k}: an input closes a script element"
        );
        let mut markup = String::new();
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<script") {
            markup.push_str(&rest[..i]);
            rest = rest[i..]
                .find("</script>")
                .map_or("", |j| &rest[i + j + "</script>".len()..]);
        }
        markup.push_str(rest);
        for bad in ["<script>alert", "<img src=x"] {
            assert!(!markup.contains(bad), "{k} holds {bad:?} as markup");
        }
    }
    // No CSV cell is a spreadsheet formula: text that starts with = + - @ (or a tab or
    // carriage return) is written after an apostrophe; numbers stay numbers.
    let mut formulas_defused = 0;
    let outputs = snap
        .iter()
        .filter(|(k, _)| k.starts_with("a/b/c/") && k.ends_with(".csv"));
    for (k, body) in outputs {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_slice());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                let cell = cell.trim_start_matches('\u{feff}');
                let first = cell.chars().next();
                let formula = matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r'))
                    && cell.parse::<f64>().is_err();
                assert!(!formula, "{k}: the cell {cell:?} would run as a formula");
                if cell == "'=HYPERLINK(\"http://x\")" {
                    formulas_defused += 1;
                }
            }
        }
    }
    // The village named by the formula is in the national and the district villages.csv of
    // `plan` and of each of the sweep's two plans.
    assert!(formulas_defused >= 2, "{formulas_defused}");
}
