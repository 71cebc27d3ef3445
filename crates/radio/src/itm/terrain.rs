//! Terrain analysis of a profile: radio horizons, the terrain irregularity parameter
//! delta h, least-squares fits and effective heights (NTIA's `FindHorizons`,
//! `ComputeDeltaH`, `LinearLeastSquaresFit`, `QuickPfl`), and their area-mode estimates
//! (`InitializeArea`).
//!
//! A profile here is `z`: n + 1 elevations at `xi` metres apart (NTIA's `pfl` is
//! `[n, xi, z...]`).

use super::Siting;

/// C's `fdim`: the positive difference.
fn fdim(x: f64, y: f64) -> f64 {
    if x > y {
        x - y
    } else {
        0.0
    }
}

/// Horizon angles (radians) and distances (m) of both terminals, structural heights `h`.
/// Without an obstruction the horizon is the other terminal.
pub fn find_horizons(z: &[f64], xi: f64, a_e_m: f64, h: [f64; 2]) -> ([f64; 2], [f64; 2]) {
    let np = z.len() - 1;
    let d = np as f64 * xi;
    let z_tx = z[0] + h[0];
    let z_rx = z[np] + h[1];
    let half_curv = 1.0 / (2.0 * a_e_m);
    let mut theta = [
        (z_rx - z_tx) / d - d * half_curv,
        -(z_rx - z_tx) / d - d * half_curv,
    ];
    let mut d_hzn = [d, d];
    let mut d_tx = 0.0;
    let mut d_rx = d;
    for &zi in &z[1..np] {
        d_tx += xi;
        d_rx -= xi;
        let t_tx = (zi - z_tx) / d_tx - d_tx * half_curv;
        let t_rx = -(z_rx - zi) / d_rx - d_rx * half_curv;
        if t_tx > theta[0] {
            theta[0] = t_tx;
            d_hzn[0] = d_tx;
        }
        if t_rx > theta[1] {
            theta[1] = t_rx;
            d_hzn[1] = d_rx;
        }
    }
    (theta, d_hzn)
}

/// Least-squares line through the profile points between `d_start` and `d_end` (metres
/// from the transmitter), evaluated at both ends of the whole profile.
pub fn linear_least_squares_fit(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> (f64, f64) {
    let np = (z.len() - 1) as i64;
    let npf = np as f64;
    let mut i_start = fdim(d_start / xi, 0.0) as i64;
    let mut i_end = np - fdim(npf, d_end / xi) as i64;
    if i_end <= i_start {
        i_start = fdim(i_start as f64, 1.0) as i64;
        i_end = np - fdim(npf, i_end as f64 + 1.0) as i64;
    }
    let x_length = (i_end - i_start) as f64;
    let mut mid = -0.5 * x_length;
    let mid_end = i_end as f64 + mid;
    let (a, b) = (z[i_start as usize], z[i_end as usize]);
    let mut sum_y = 0.5 * (a + b);
    let mut scaled = 0.5 * (a - b) * mid;
    let mut i = i_start as usize;
    for _ in 2..=(i_end - i_start) {
        i += 1;
        mid += 1.0;
        sum_y += z[i];
        scaled += z[i] * mid;
    }
    sum_y /= x_length;
    scaled = scaled * 12.0 / ((x_length * x_length + 2.0) * x_length);
    (sum_y - scaled * mid_end, sum_y + scaled * (npf - mid_end))
}

/// Terrain irregularity parameter delta h (m): the interdecile range of the heights
/// above a fitted line between `d_start` and `d_end`, sampled at up to 245 points and
/// scaled to an infinite path ([ERL 79-ITS 67, Eqn 3] inverted).
pub fn delta_h(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> f64 {
    let np = z.len() - 1;
    let mut x_start = d_start / xi;
    let x_end = d_end / xi;
    if x_end - x_start < 2.0 {
        return 0.0;
    }
    let p10 = ((0.1 * (x_end - x_start + 8.0)) as i64).clamp(4, 25) as usize;
    let n = 10 * p10 - 5;
    let p90 = n - p10;
    let np_s = (n - 1) as f64;
    let step = (x_end - x_start) / np_s;
    let mut i = x_start as i64 as usize;
    x_start -= (i + 1) as f64;
    let mut s = [0.0f64; 245];
    let s = &mut s[..n];
    for sj in s.iter_mut() {
        while x_start > 0.0 && i + 1 < np {
            x_start -= 1.0;
            i += 1;
        }
        *sj = z[i + 1] + (z[i + 1] - z[i]) * x_start;
        x_start += step;
    }
    let (mut fit, fit_end) = linear_least_squares_fit(s, 1.0, 0.0, np_s);
    let slope = (fit_end - fit) / np_s;
    for sj in s.iter_mut() {
        *sj -= fit;
        fit += slope;
    }
    // Descending order statistics, as NTIA's nth_element with std::greater: q10 is the
    // p10-th largest, q90 (index p90 = n - p10 descending) the p10-th smallest.
    debug_assert_eq!(n - 1 - p90, p10 - 1);
    let (q10, q90) = kth_largest_and_smallest(s, p10);
    (q10 - q90) / (1.0 - 0.8 * (-(d_end - d_start) / 50e3).exp())
}

/// An integer key whose order is `f64::total_cmp`'s (IEEE 754 totalOrder), and back.
fn order_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

fn from_order_key(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

/// The `k`-th largest and the `k`-th smallest of `s` (at most 245 values, 2k <= len)
/// in `f64::total_cmp` order: what NTIA's two `nth_element` calls find.
///
/// Selection runs on integer keys of the same order. Thresholds from a sample of 16
/// values (their 4th largest and 4th smallest) pick out, without branches, the values
/// that can hold each statistic (about a quarter of them); when fewer than `k` pass a
/// threshold, that side selects from all values.
pub(crate) fn kth_largest_and_smallest(s: &[f64], k: usize) -> (f64, f64) {
    let n = s.len();
    assert!(k >= 1 && 2 * k <= n && n <= 245);
    let mut keys = [0i64; 245];
    let keys = &mut keys[..n];
    for (key, &v) in keys.iter_mut().zip(s) {
        *key = order_key(v);
    }
    let mut sample = [0i64; 16];
    for (j, x) in sample.iter_mut().enumerate() {
        *x = keys[j * n / 16];
    }
    sample.sort_unstable();
    let (hi_t, lo_t) = (sample[12], sample[3]);
    let mut hi_buf = [0i64; 245];
    let mut lo_buf = [0i64; 245];
    let (mut h, mut l) = (0, 0);
    for &x in keys.iter() {
        hi_buf[h] = x;
        h += (x >= hi_t) as usize;
        lo_buf[l] = x;
        l += (x <= lo_t) as usize;
    }
    // Every value at or above hi_t is in hi_buf: with k of them, the k-th largest is too.
    let hi = if h >= k {
        *hi_buf[..h].select_nth_unstable(h - k).1
    } else {
        *keys.select_nth_unstable(n - k).1
    };
    let lo = if l >= k {
        *lo_buf[..l].select_nth_unstable(k - 1).1
    } else {
        *keys.select_nth_unstable(k - 1).1
    };
    (from_order_key(hi), from_order_key(lo))
}

/// What `quick_pfl` extracts from a profile.
pub(crate) struct PathGeometry {
    pub theta_hzn: [f64; 2],
    pub d_hzn_m: [f64; 2],
    pub h_e_m: [f64; 2],
    pub delta_h_m: f64,
    pub d_m: f64,
}

/// Horizons, delta h and effective heights of a profile (NTIA's `QuickPfl`).
pub(crate) fn quick_pfl(z: &[f64], xi: f64, gamma_e: f64, h: [f64; 2]) -> PathGeometry {
    let np = z.len() - 1;
    let d = np as f64 * xi;
    let a_e = 1.0 / gamma_e;
    let (mut theta, mut d_hzn) = find_horizons(z, xi, a_e, h);
    // Terrain is considered from 15 tower heights (or a tenth of the horizon) out.
    let d_start = (15.0 * h[0]).min(0.1 * d_hzn[0]);
    let d_end = d - (15.0 * h[1]).min(0.1 * d_hzn[1]);
    let dh = delta_h(z, xi, d_start, d_end);
    let horizon = |h_e: f64| (2.0 * h_e * a_e).sqrt() * (-0.07 * (dh / h_e.max(5.0)).sqrt()).exp();
    let mut h_e = [0.0; 2];
    if d_hzn[0] + d_hzn[1] > 1.5 * d {
        // Well within line of sight: horizons from the effective heights.
        let (fit_tx, fit_rx) = linear_least_squares_fit(z, xi, d_start, d_end);
        h_e[0] = h[0] + fdim(z[0], fit_tx);
        h_e[1] = h[1] + fdim(z[np], fit_rx);
        for i in 0..2 {
            d_hzn[i] = horizon(h_e[i]);
        }
        let combined = d_hzn[0] + d_hzn[1];
        if combined <= d {
            let q = (d / combined).powi(2);
            for i in 0..2 {
                h_e[i] *= q;
                d_hzn[i] = horizon(h_e[i]);
            }
        }
        for i in 0..2 {
            let q = (2.0 * h_e[i] * a_e).sqrt();
            theta[i] = (0.65 * dh * (q / d_hzn[i] - 1.0) - 2.0 * h_e[i]) / q;
        }
    } else {
        let (fit_tx, _) = linear_least_squares_fit(z, xi, d_start, 0.9 * d_hzn[0]);
        h_e[0] = h[0] + fdim(z[0], fit_tx);
        let (_, fit_rx) = linear_least_squares_fit(z, xi, d - 0.9 * d_hzn[1], d_end);
        h_e[1] = h[1] + fdim(z[np], fit_rx);
    }
    PathGeometry {
        theta_hzn: theta,
        d_hzn_m: d_hzn,
        h_e_m: h_e,
        delta_h_m: dh,
        d_m: d,
    }
}

/// Area mode: effective heights, horizon distances and angles estimated from delta h and
/// the siting criteria ([Algorithm, Eqns 3.2-3.4]). Returns `(h_e, d_hzn, theta_hzn)`.
pub(crate) fn initialize_area(
    siting: [Siting; 2],
    gamma_e: f64,
    dh: f64,
    h: [f64; 2],
) -> ([f64; 2], [f64; 2], [f64; 2]) {
    let mut h_e = [0.0; 2];
    let mut d_hzn = [0.0; 2];
    let mut theta = [0.0; 2];
    for i in 0..2 {
        h_e[i] = match siting[i] {
            Siting::Random => h[i],
            s => {
                let mut b = if s == Siting::Careful { 4.0 } else { 9.0 };
                if h[i] < 5.0 {
                    b *= (0.1 * std::f64::consts::PI * h[i]).sin();
                }
                h[i] + (1.0 + b) * (-(2.0 * h[i] / dh.max(1e-3)).min(20.0)).exp()
            }
        };
        let d_ls = (2.0 * h_e[i] / gamma_e).sqrt();
        d_hzn[i] = d_ls * (-0.07 * (dh / h_e[i].max(5.0)).sqrt()).exp();
        theta[i] = (0.65 * dh * (d_ls / d_hzn[i] - 1.0) - 2.0 * h_e[i]) / d_ls;
    }
    (h_e, d_hzn, theta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_of_a_line_is_the_line() {
        let z: Vec<f64> = (0..11).map(|i| 100.0 + 2.0 * i as f64).collect();
        let (a, b) = linear_least_squares_fit(&z, 10.0, 0.0, 100.0);
        assert!(
            (a - 100.0).abs() < 1e-9 && (b - 120.0).abs() < 1e-9,
            "{a} {b}"
        );
    }

    #[test]
    fn flat_terrain_has_no_irregularity_and_no_horizon() {
        let z = vec![50.0; 101];
        assert_eq!(delta_h(&z, 100.0, 300.0, 9_700.0), 0.0);
        let (_, d_hzn) = find_horizons(&z, 100.0, 8_500e3, [30.0, 30.0]);
        assert_eq!(d_hzn, [10_000.0, 10_000.0]);
    }

    /// The order statistics by sorting, the slow and obvious way.
    fn kth_by_sorting(s: &[f64], k: usize) -> (f64, f64) {
        let mut v = s.to_vec();
        v.sort_by(|a, b| b.total_cmp(a));
        (v[k - 1], v[v.len() - k])
    }

    #[test]
    fn order_statistics_by_hand() {
        let s = [3.0, -1.0, 7.5, 0.0, -0.0, 2.0, 7.5, -4.0];
        assert_eq!(kth_largest_and_smallest(&s, 1), (7.5, -4.0));
        assert_eq!(kth_largest_and_smallest(&s, 2), (7.5, -1.0));
        assert_eq!(kth_largest_and_smallest(&s, 3), (3.0, -0.0));
        // total order: -0.0 before 0.0
        let (a, b) = kth_largest_and_smallest(&s, 4);
        assert_eq!((a, b.to_bits()), (2.0, 0.0f64.to_bits()));
        for x in [-1e300, -2.5, -0.0, 0.0, 1e-310, 3.0, f64::MAX] {
            assert_eq!(from_order_key(order_key(x)).to_bits(), x.to_bits());
        }
        assert!(order_key(-0.0) < order_key(0.0) && order_key(-3.0) < order_key(-2.0));
    }

    proptest::proptest! {
        #[test]
        fn order_statistics_equal_sorting(
            v in proptest::collection::vec(proptest::prop_oneof![-500.0f64..500.0, proptest::strategy::Just(0.0), proptest::strategy::Just(-0.0), proptest::strategy::Just(12.5)], 50..246),
            k in 1usize..26,
        ) {
            let k = k.min(v.len() / 2);
            let (a, b) = kth_largest_and_smallest(&v, k);
            let (c, d) = kth_by_sorting(&v, k);
            proptest::prop_assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), d.to_bits()));
        }

        #[test]
        fn order_statistics_of_spikes(n in 35usize..246, k in 1usize..26, spikes in proptest::collection::vec((0usize..245, -900.0f64..900.0), 0..40)) {
            // Flat ground with narrow spikes: the sample often misses them, so a side
            // falls back to selecting from all values.
            let k = k.min(n / 2);
            let mut v = vec![1.0; n];
            for (at, h) in spikes {
                v[at % n] = h;
            }
            let (a, b) = kth_largest_and_smallest(&v, k);
            let (c, d) = kth_by_sorting(&v, k);
            proptest::prop_assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), d.to_bits()));
        }

        #[test]
        fn monotone_and_constant_runs(n in 35usize..246, k in 1usize..26, up in proptest::bool::ANY) {
            let k = k.min(n / 2);
            let v: Vec<f64> = (0..n).map(|i| if up { i as f64 } else { -(i as f64) } / 7.0).collect();
            proptest::prop_assert_eq!(kth_largest_and_smallest(&v, k), kth_by_sorting(&v, k));
            let flat = vec![4.25; n];
            proptest::prop_assert_eq!(kth_largest_and_smallest(&flat, k), (4.25, 4.25));
        }
    }

    #[test]
    fn a_ridge_is_the_horizon() {
        let mut z = vec![0.0; 101];
        z[40] = 300.0;
        let (theta, d_hzn) = find_horizons(&z, 100.0, 8_500e3, [10.0, 10.0]);
        assert_eq!(d_hzn, [4_000.0, 6_000.0]);
        assert!(theta[0] > 0.07 && theta[1] > 0.04);
    }
}
