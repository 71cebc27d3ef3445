//! ITM point-to-point on 200-point profiles, parsing included: each iteration parses a
//! profile line in NTIA's layout and runs the model. Fixed seed; profiles are rough
//! synthetic terrain (random walk plus ridges) so the three propagation modes all occur.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fiberplan_radio::itm::{p2p, ItmParams};
use fiberplan_radio::pfl::{format_pfl, parse_pfl_into, Pfl};

/// SplitMix64: a tiny fixed-seed generator, so the benchmark needs no crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn profiles(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let interval = 25.0 + 250.0 * rng.next();
            let mut z = 200.0 + 800.0 * rng.next();
            let rough = 1.0 + 30.0 * rng.next();
            let elev: Vec<f64> = (0..200)
                .map(|_| {
                    z = (z + rough * (rng.next() - 0.5) * 2.0).max(0.0);
                    (z * 1000.0).round() / 1000.0
                })
                .collect();
            format_pfl(interval, &elev)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let lines = profiles(1000, 14);
    let params = ItmParams {
        f_mhz: 800.0,
        ..ItmParams::default()
    };
    let mut g = c.benchmark_group("itm_p2p_200pt");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("parse+p2p", |b| {
        let mut pfl = Pfl::default();
        b.iter(|| {
            let mut sum = 0.0;
            for l in &lines {
                parse_pfl_into(l, &mut pfl).unwrap();
                sum += p2p(30.0, 1.5, &pfl.elevations, pfl.interval_m, &params)
                    .map(|r| r.a_db)
                    .unwrap_or(0.0);
            }
            sum
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
