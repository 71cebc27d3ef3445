//! Makes the inputs of the large NTIA reference set and merges NTIA's answers into the
//! committed vectors (`tests/data/ntia_itm_p2p.csv`, `tests/data/ntia_itm_area.csv`).
//!
//! ```text
//! cargo run --release -p fiberplan-radio --example ntia_reference_cases -- gen DIR
//!   DIR/p2p_spec.csv   profile column + NTIA's 12 p2p inputs, one row per case
//!   DIR/cases.csv      the 12 inputs (NTIA's p2p.csv columns)   } what NTIA's driver reads
//!   DIR/pfls.csv       line i: row i's profile in NTIA's layout  }
//!   DIR/area.csv       NTIA's area.csv columns
//! (run NTIA's ITM on them; each answer line: rtn,A__db,mode,warnings[,...])
//! cargo run ... -- merge SPEC ANSWERS HEADER OUT
//!   OUT: HEADER's lines (the provenance, as # comments), the column names, then each
//!   SPEC row with the first four fields of the ANSWERS line of the same number.
//! ```
//!
//! Everything is drawn from fixed seeds: `gen` writes the same files every time.

#[path = "../tests/common/ntia_cases.rs"]
mod ntia_cases;

use fiberplan_radio::itm::cases::{AREA_COLUMNS, P2P_COLUMNS};
use ntia_cases::{profile_line, read_tile, SplitMix, NTIA_OUTPUTS, SHAPES};
use std::fmt::Write as _;
use std::path::Path;

/// Cases of each kind.
const DEM_CASES: usize = 5_000;
const SYN_CASES: usize = 5_000;
const AREA_CASES: usize = 2_000;

/// The tile's extent, less a margin so that bilinear samples stay inside.
const LON: (f64, f64) = (-71.999, -71.001);
const LAT: (f64, f64) = (44.001, 44.999);

fn log_uniform(r: &mut SplitMix, lo: f64, hi: f64) -> f64 {
    (lo.ln() + r.unit() * (hi.ln() - lo.ln())).exp()
}

fn pick<T: Copy>(r: &mut SplitMix, v: &[T]) -> T {
    v[r.range(0, v.len() as i64 - 1) as usize]
}

/// A terminal height, m: mostly 1-300, some very low, some very high (warnings from 1000).
fn height(r: &mut SplitMix) -> String {
    let h = match r.range(0, 19) {
        0..=10 => log_uniform(r, 1.0, 300.0),
        11..=13 => r.unit() * 19.0 + 1.0,
        14..=16 => log_uniform(r, 300.0, 3000.0),
        _ => 0.5 + 0.5 * r.unit(),
    };
    format!("{h:.2}")
}

/// A low antenna, 1-30 m.
fn low_height(r: &mut SplitMix) -> String {
    format!("{:.2}", log_uniform(r, 1.0, 30.0))
}

fn percent(r: &mut SplitMix) -> String {
    match r.range(0, 9) {
        0..=3 => pick(r, &["1", "5", "10", "50", "90", "95", "99"]).to_string(),
        4..=7 => format!("{:.2}", 0.1 + 99.8 * r.unit()),
        _ => pick(r, &["0.01", "0.1", "0.5", "99.5", "99.9", "99.99"]).to_string(),
    }
}

/// The parameters both modes share: (epsilon, sigma, N_0, f, pol, climate, time, location,
/// situation, mdvar) as text.
fn common(r: &mut SplitMix) -> [String; 10] {
    let eps = match r.range(0, 3) {
        0 => format!("{:.2}", 1.0 + 99.0 * r.unit()),
        _ => pick(r, &["2", "4", "5", "10", "15", "25", "80", "81"]).to_string(),
    };
    let sigma = match r.range(0, 3) {
        0 => format!("{:.3e}", log_uniform(r, 1e-5, 5.0)),
        _ => pick(r, &["0.0001", "0.001", "0.005", "0.01", "0.03", "5"]).to_string(),
    };
    let n_0 = match r.range(0, 2) {
        0 => "301".to_string(),
        _ => format!("{:.1}", 250.0 + 150.0 * r.unit()),
    };
    let f = match r.range(0, 19) {
        0 => pick(r, &["20", "40", "10000", "20000"]).to_string(),
        _ => format!("{:.1}", log_uniform(r, 20.0, 20_000.0)),
    };
    let mdvar = pick(
        r,
        &[0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33],
    );
    [
        eps,
        sigma,
        n_0,
        f,
        r.range(0, 1).to_string(),
        r.range(1, 7).to_string(),
        percent(r),
        percent(r),
        percent(r),
        mdvar.to_string(),
    ]
}

/// One in fifty rows gets one input ITM refuses (each of NTIA's validation errors).
fn spoil(r: &mut SplitMix, names: &[&str], v: &mut [String]) {
    if r.range(0, 49) != 0 {
        return;
    }
    let (col, bad) = pick(
        r,
        &[
            ("h_tx__meter", "0.4"),
            ("h_tx__meter", "3001"),
            ("h_rx__meter", "0.3"),
            ("h_rx__meter", "3500"),
            ("climate", "0"),
            ("climate", "8"),
            ("N_0", "249"),
            ("N_0", "401"),
            ("f__mhz", "19.9"),
            ("f__mhz", "20001"),
            ("pol", "2"),
            ("epsilon", "0.9"),
            ("epsilon", "1"), // accepted, but the ground impedance is refused (1013)
            ("sigma", "0"),
            ("mdvar", "4"),
            ("mdvar", "34"),
            ("time", "0"),
            ("location", "100"),
            ("situation", "0"),
        ],
    );
    if let Some(i) = names.iter().position(|n| *n == col) {
        v[i] = bad.to_string();
    }
}

/// A profile from the tile: a random start, bearing and length (1 km to the tile's
/// span; half of them 30 km or more), mostly 200-600 intervals, some up to 2,000.
fn dem_spec(r: &mut SplitMix) -> String {
    loop {
        let lon0 = LON.0 + (LON.1 - LON.0) * r.unit();
        let lat0 = LAT.0 + (LAT.1 - LAT.0) * r.unit();
        // Half short to long, half long (diffraction and troposcatter).
        let d_km = if r.range(0, 1) == 0 {
            log_uniform(r, 1.0, 140.0)
        } else {
            30.0 + 110.0 * r.unit()
        };
        let bearing = std::f64::consts::TAU * r.unit();
        let dlat = d_km * bearing.cos() / 111.2;
        let dlon = d_km * bearing.sin() / (111.2 * lat0.to_radians().cos());
        let (lon1, lat1) = (lon0 + dlon, lat0 + dlat);
        if !(LON.0..=LON.1).contains(&lon1) || !(LAT.0..=LAT.1).contains(&lat1) {
            continue;
        }
        let n = if r.range(0, 9) == 0 {
            r.range(600, 2000)
        } else {
            r.range(200, 600)
        };
        let step = (d_km * 1000.0 / n as f64).max(1.0);
        return format!("dem:{lon0:.6}:{lat0:.6}:{lon1:.6}:{lat1:.6}:{step:.2}");
    }
}

/// A synthetic profile: 1-200 km, mostly 200-600 intervals, some 600-4,000, some short
/// (2-199); half the paths 40-200 km.
fn syn_spec(r: &mut SplitMix, seed: u64) -> String {
    let shape = pick(r, &SHAPES);
    let n = match r.range(0, 24) {
        0..=1 => r.range(2, 199),
        2..=4 => r.range(600, 4000),
        _ => r.range(200, 600),
    };
    let d_m = if r.range(0, 1) == 0 {
        log_uniform(r, 1_000.0, 200_000.0)
    } else {
        40_000.0 + 160_000.0 * r.unit()
    };
    let interval = (d_m / n as f64).max(0.001);
    format!("syn:{shape}:{seed}:{n}:{interval:.3}")
}

fn gen(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let dem = read_tile();
    let mut r = SplitMix(14);
    let (mut spec, mut cases, mut pfls) = (String::new(), String::new(), String::new());
    writeln!(spec, "profile,{}", P2P_COLUMNS.join(",")).unwrap();
    writeln!(cases, "{}", P2P_COLUMNS.join(",")).unwrap();
    for i in 0..DEM_CASES + SYN_CASES {
        // DEM and synthetic rows alternate until the DEM ones run out.
        let p = if i % 2 == 0 && i / 2 < DEM_CASES {
            dem_spec(&mut r)
        } else {
            let seed = r.next() >> 1;
            syn_spec(&mut r, seed)
        };
        // Half the links between low antennas: beyond the horizon sooner.
        let mut v: Vec<String> = if r.range(0, 1) == 0 {
            vec![low_height(&mut r), low_height(&mut r)]
        } else {
            vec![height(&mut r), height(&mut r)]
        };
        v.extend(common(&mut r));
        spoil(&mut r, &P2P_COLUMNS, &mut v);
        let line = profile_line(&p, &dem);
        writeln!(spec, "{p},{}", v.join(",")).unwrap();
        writeln!(cases, "{}", v.join(",")).unwrap();
        writeln!(pfls, "{line}").unwrap();
    }
    std::fs::write(dir.join("p2p_spec.csv"), spec).unwrap();
    std::fs::write(dir.join("cases.csv"), cases).unwrap();
    std::fs::write(dir.join("pfls.csv"), pfls).unwrap();

    let mut area = String::new();
    writeln!(area, "{}", AREA_COLUMNS.join(",")).unwrap();
    for _ in 0..AREA_CASES {
        let c = common(&mut r);
        let delta_h = match r.range(0, 5) {
            0 => "0".to_string(),
            _ => format!("{:.1}", log_uniform(&mut r, 1.0, 1000.0)),
        };
        let d_km = format!("{:.2}", log_uniform(&mut r, 1.0, 2000.0));
        let mut v = vec![
            height(&mut r),
            height(&mut r),
            delta_h,
            c[9].clone(),
            d_km,
            r.range(0, 2).to_string(),
            r.range(0, 2).to_string(),
        ];
        v.extend(c[..9].iter().cloned());
        spoil(&mut r, &AREA_COLUMNS, &mut v);
        writeln!(area, "{}", v.join(",")).unwrap();
    }
    std::fs::write(dir.join("area.csv"), area).unwrap();
}

fn merge(spec: &Path, answers: &Path, header: &Path, out: &Path) {
    let spec = std::fs::read_to_string(spec).unwrap();
    let answers = std::fs::read_to_string(answers).unwrap();
    let header = std::fs::read_to_string(header).unwrap();
    let mut o = String::new();
    for l in header.lines() {
        writeln!(o, "# {l}").unwrap();
    }
    let mut rows = spec.lines();
    writeln!(o, "{},{}", rows.next().unwrap(), NTIA_OUTPUTS.join(",")).unwrap();
    let mut ans = answers.lines();
    for row in rows {
        let a: Vec<&str> = ans.next().expect("an answer per row").split(',').collect();
        writeln!(o, "{row},{}", a[..4].join(",")).unwrap();
    }
    assert!(ans.next().is_none(), "more answers than rows");
    std::fs::write(out, o).unwrap();
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    match a.get(1).map(String::as_str) {
        Some("gen") if a.len() == 3 => gen(Path::new(&a[2])),
        Some("merge") if a.len() == 6 => merge(
            Path::new(&a[2]),
            Path::new(&a[3]),
            Path::new(&a[4]),
            Path::new(&a[5]),
        ),
        _ => {
            eprintln!("usage: ntia_reference_cases gen DIR | merge SPEC ANSWERS HEADER OUT");
            std::process::exit(2);
        }
    }
}
