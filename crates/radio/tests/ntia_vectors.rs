//! NTIA's published ITM vectors (data/radio, from github.com/NTIA/itm): point-to-point
//! losses are rounded to 2 decimals and area losses to 1, so an exact port is within
//! 0.005 dB and 0.05 dB of them.

use fiberplan_radio::itm::cases::{area_row, p2p_params};
use fiberplan_radio::itm::p2p;
use fiberplan_radio::pfl::parse_pfl;

fn data(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/radio")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn rows(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().parse().unwrap()).collect())
        .collect()
}

#[test]
fn p2p_matches_ntia_vectors() {
    let cases = rows(&data("p2p.csv"));
    let pfls = data("pfls.csv");
    let pfls: Vec<&str> = pfls.lines().collect();
    assert_eq!(cases.len(), 5);
    for (i, c) in cases.iter().enumerate() {
        let pfl = parse_pfl(pfls[i]).unwrap();
        let params = p2p_params(c);
        let r = p2p(c[0], c[1], &pfl.elevations, pfl.interval_m, &params).unwrap();
        let published = c[12];
        assert!(
            (r.a_db - published).abs() <= 0.005 + 1e-9,
            "row {}: {} vs NTIA {published} ({:?})",
            i + 1,
            r.a_db,
            r.inter
        );
    }
}

#[test]
fn area_matches_ntia_vectors() {
    let cases = rows(&data("area.csv"));
    assert_eq!(cases.len(), 5);
    for (i, c) in cases.iter().enumerate() {
        let r = area_row(c).unwrap();
        let published = c[16];
        assert!(
            (r.a_db - published).abs() <= 0.05 + 1e-9,
            "row {}: {} vs NTIA {published}",
            i + 1,
            r.a_db
        );
    }
}
