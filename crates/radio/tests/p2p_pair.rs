//! `itm::p2p_pair` gives exactly `itm::p2p`'s result for each of its two cases (the same
//! bits: every sum is taken in the same order), on random terrain of different lengths,
//! on NTIA's vectors and on inputs ITM refuses.

use fiberplan_radio::itm::{p2p_pair, ItmParams, P2pCase};
use fiberplan_radio::pfl::parse_pfl;
use proptest::prelude::*;

/// Both ways, compared through `Debug` (every field, -0.0 and NaN included).
fn same(a: &P2pCase<'_>, b: &P2pCase<'_>) -> Result<(), TestCaseError> {
    let [pa, pb] = p2p_pair(a, b);
    prop_assert_eq!(format!("{pa:?}"), format!("{:?}", a.run()));
    prop_assert_eq!(format!("{pb:?}"), format!("{:?}", b.run()));
    Ok(())
}

/// A random walk with an optional ridge (a horizon) and flat stretches.
fn terrain() -> impl Strategy<Value = (Vec<f64>, f64)> {
    (
        3usize..320,
        0.0f64..1500.0,
        0.0f64..40.0,
        prop::option::of((0.0f64..1.0, 0.0f64..600.0)),
        10.0f64..400.0,
        prop::collection::vec(-1.0f64..1.0, 320),
    )
        .prop_map(|(n, start, rough, ridge, xi, steps)| {
            let mut z = start;
            let mut v: Vec<f64> = steps[..n]
                .iter()
                .map(|s| {
                    z = (z + rough * s).max(0.0);
                    (z * 1000.0).round() / 1000.0
                })
                .collect();
            if let Some((at, h)) = ridge {
                let k = (at * (n - 1) as f64) as usize;
                v[k] += h;
            }
            (v, xi)
        })
}

fn params() -> impl Strategy<Value = ItmParams> {
    (
        20.0f64..20_000.0,
        0usize..4,
        1i32..8,
        0i32..2,
        prop::sample::select(vec![0, 1, 2, 3, 11, 12, 13]),
        1.0f64..99.0,
    )
        .prop_map(|(f_mhz, ground, climate, pol, mdvar, pct)| ItmParams {
            f_mhz,
            epsilon: [4.0, 15.0, 25.0, 80.0][ground],
            sigma: [0.001, 0.005, 0.01, 0.03][ground],
            climate,
            pol,
            mdvar,
            time: pct,
            location: 100.0 - pct,
            situation: 50.0,
            ..ItmParams::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn pair_equals_two_singles(
        (za, xa) in terrain(), (zb, xb) in terrain(),
        pa in params(), pb in params(),
        ha in (0.5f64..300.0, 0.5f64..30.0), hb in (0.5f64..300.0, 0.5f64..30.0),
    ) {
        let a = P2pCase { h_tx_m: ha.0, h_rx_m: ha.1, elev: &za, interval_m: xa, params: &pa };
        let b = P2pCase { h_tx_m: hb.0, h_rx_m: hb.1, elev: &zb, interval_m: xb, params: &pb };
        same(&a, &b)?;
        same(&b, &a)?;
        same(&a, &a)?;
    }
}

#[test]
#[allow(clippy::needless_range_loop)] // `case` takes the index
fn pairs_of_ntia_vectors_and_refused_inputs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/radio");
    let pfls = std::fs::read_to_string(dir.join("pfls.csv")).unwrap();
    let profiles: Vec<_> = pfls.lines().map(|l| parse_pfl(l).unwrap()).collect();
    let params = ItmParams {
        f_mhz: 3500.0,
        ..ItmParams::default()
    };
    let bad_f = ItmParams {
        f_mhz: 5.0,
        ..ItmParams::default()
    };
    let case = |i: usize, p| P2pCase {
        h_tx_m: 15.0 + 10.0 * i as f64,
        h_rx_m: 3.0,
        elev: &profiles[i].elevations,
        interval_m: profiles[i].interval_m,
        params: p,
    };
    for i in 0..profiles.len() {
        for j in 0..profiles.len() {
            same(&case(i, &params), &case(j, &params)).unwrap();
            // One refused (frequency, too short a profile, a zero interval): each as alone.
            same(&case(i, &bad_f), &case(j, &params)).unwrap();
            let short = P2pCase {
                elev: &profiles[j].elevations[..2],
                ..case(j, &params)
            };
            same(&case(i, &params), &short).unwrap();
            let no_interval = P2pCase {
                interval_m: 0.0,
                ..case(j, &params)
            };
            same(&no_interval, &case(i, &params)).unwrap();
        }
    }
    // Flat ground of -0.0: the average height's sum starts where `Sum` starts.
    let zeros = vec![-0.0; 40];
    let flat = P2pCase {
        elev: &zeros,
        interval_m: 100.0,
        ..case(0, &params)
    };
    same(&flat, &case(1, &params)).unwrap();
    same(&flat, &flat).unwrap();
}
