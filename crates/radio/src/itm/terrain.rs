//! Terrain analysis of a profile: radio horizons, the terrain irregularity parameter
//! delta h, least-squares fits and effective heights (NTIA's `FindHorizons`,
//! `ComputeDeltaH`, `LinearLeastSquaresFit`, `QuickPfl`), and their area-mode estimates
//! (`InitializeArea`).
//!
//! A profile here is `z`: n + 1 elevations at `xi` metres apart (NTIA's `pfl` is
//! `[n, xi, z...]`).

use std::cell::RefCell;

use super::{c_max, c_min, Siting};

/// C's `fdim`: the positive difference, NaN when either is NaN.
fn fdim(x: f64, y: f64) -> f64 {
    if x > y {
        x - y
    } else if x <= y {
        0.0
    } else {
        x + y
    }
}

/// Horizon angles (radians) and distances (m) of both terminals, structural heights `h`.
/// Without an obstruction the horizon is the other terminal.
pub fn find_horizons(z: &[f64], xi: f64, a_e_m: f64, h: [f64; 2]) -> ([f64; 2], [f64; 2]) {
    let mut s = Horizons::new(z, xi, a_e_m, h);
    for &zi in &z[1..z.len() - 1] {
        s.step(zi);
    }
    (s.theta, s.d_hzn)
}

/// [`find_horizons`] as a state stepped over the inner points, so that two profiles'
/// searches can share one loop (see [`quick_pfl_pair`]).
struct Horizons {
    z_tx: f64,
    z_rx: f64,
    half_curv: f64,
    xi: f64,
    d_tx: f64,
    d_rx: f64,
    theta: [f64; 2],
    d_hzn: [f64; 2],
}

impl Horizons {
    fn new(z: &[f64], xi: f64, a_e_m: f64, h: [f64; 2]) -> Horizons {
        let np = z.len() - 1;
        let d = np as f64 * xi;
        let z_tx = z[0] + h[0];
        let z_rx = z[np] + h[1];
        let half_curv = 1.0 / (2.0 * a_e_m);
        Horizons {
            z_tx,
            z_rx,
            half_curv,
            xi,
            d_tx: 0.0,
            d_rx: d,
            theta: [
                (z_rx - z_tx) / d - d * half_curv,
                -(z_rx - z_tx) / d - d * half_curv,
            ],
            d_hzn: [d, d],
        }
    }

    #[inline(always)]
    fn step(&mut self, zi: f64) {
        self.d_tx += self.xi;
        self.d_rx -= self.xi;
        let t_tx = (zi - self.z_tx) / self.d_tx - self.d_tx * self.half_curv;
        let t_rx = -(self.z_rx - zi) / self.d_rx - self.d_rx * self.half_curv;
        if t_tx > self.theta[0] {
            self.theta[0] = t_tx;
            self.d_hzn[0] = self.d_tx;
        }
        if t_rx > self.theta[1] {
            self.theta[1] = t_rx;
            self.d_hzn[1] = self.d_rx;
        }
    }
}

/// Least-squares line through the profile points between `d_start` and `d_end` (metres
/// from the transmitter), evaluated at both ends of the whole profile.
pub fn linear_least_squares_fit(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> (f64, f64) {
    Fit::new(z, xi, d_start, d_end).run()
}

/// [`linear_least_squares_fit`] as a state stepped over the points, so that two fits'
/// sums (chains of additions) can share one loop; each keeps its own order of additions.
struct Fit<'a> {
    /// The points the steps add, in order (the fit's inner points).
    inner: &'a [f64],
    x_length: f64,
    mid: f64,
    mid_end: f64,
    npf: f64,
    sum_y: f64,
    scaled: f64,
}

impl<'a> Fit<'a> {
    fn new(z: &'a [f64], xi: f64, d_start: f64, d_end: f64) -> Fit<'a> {
        let np = (z.len() - 1) as i64;
        let npf = np as f64;
        let mut i_start = fdim(d_start / xi, 0.0) as i64;
        let mut i_end = np - fdim(npf, d_end / xi) as i64;
        if i_end <= i_start {
            i_start = fdim(i_start as f64, 1.0) as i64;
            i_end = np - fdim(npf, i_end as f64 + 1.0) as i64;
        }
        let x_length = (i_end - i_start) as f64;
        let mid = -0.5 * x_length;
        let (a, b) = (z[i_start as usize], z[i_end as usize]);
        let inner = if i_end - i_start > 1 {
            &z[i_start as usize + 1..i_end as usize]
        } else {
            &[]
        };
        Fit {
            inner,
            x_length,
            mid,
            mid_end: i_end as f64 + mid,
            npf,
            sum_y: 0.5 * (a + b),
            scaled: 0.5 * (a - b) * mid,
        }
    }

    /// One inner point `zi` (the next of `inner`) into the sums.
    #[inline(always)]
    fn step(&mut self, zi: f64) {
        self.mid += 1.0;
        self.sum_y += zi;
        self.scaled += zi * self.mid;
    }

    /// Every step, then the line's ends.
    fn run(mut self) -> (f64, f64) {
        for &zi in self.inner {
            self.step(zi);
        }
        self.finish()
    }

    /// The line's ends, once every step is taken.
    fn finish(self) -> (f64, f64) {
        let x = self.x_length;
        let sum_y = self.sum_y / x;
        let scaled = self.scaled * 12.0 / ((x * x + 2.0) * x);
        (
            sum_y - scaled * self.mid_end,
            sum_y + scaled * (self.npf - self.mid_end),
        )
    }
}

/// Two fits in one loop (their additions interleaved, each in its own order).
fn fit_pair(mut a: Fit<'_>, mut b: Fit<'_>) -> ((f64, f64), (f64, f64)) {
    let (ia, ib) = (a.inner, b.inner);
    let k = ia.len().min(ib.len());
    for (&x, &y) in ia[..k].iter().zip(&ib[..k]) {
        a.step(x);
        b.step(y);
    }
    for &x in &ia[k..] {
        a.step(x);
    }
    for &y in &ib[k..] {
        b.step(y);
    }
    (a.finish(), b.finish())
}

/// Terrain irregularity parameter delta h (m): the interdecile range of the heights
/// above a fitted line between `d_start` and `d_end`, sampled at up to 245 points and
/// scaled to an infinite path ([ERL 79-ITS 67, Eqn 3] inverted).
pub fn delta_h(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> f64 {
    let Some(mut a) = Sampler::new(z, xi, d_start, d_end) else {
        return 0.0;
    };
    let mut s = [0.0f64; 245];
    let s = &mut s[..a.n];
    for sj in s.iter_mut() {
        *sj = a.next();
    }
    let (mut fit, fit_end) = linear_least_squares_fit(s, 1.0, 0.0, a.np_s);
    let slope = (fit_end - fit) / a.np_s;
    for sj in s.iter_mut() {
        *sj -= fit;
        fit += slope;
    }
    a.finish(s)
}

/// Delta h of two profiles at once: the same values as [`delta_h`] on each, with the two
/// samplings, fits and detrendings (chains of additions) sharing loops.
fn delta_h_pair(a: (&[f64], f64, f64, f64), b: (&[f64], f64, f64, f64)) -> (f64, f64) {
    let (Some(mut p), Some(mut q)) = (
        Sampler::new(a.0, a.1, a.2, a.3),
        Sampler::new(b.0, b.1, b.2, b.3),
    ) else {
        return (delta_h(a.0, a.1, a.2, a.3), delta_h(b.0, b.1, b.2, b.3));
    };
    let mut sp = [0.0f64; 245];
    let mut sq = [0.0f64; 245];
    let (sp, sq) = (&mut sp[..p.n], &mut sq[..q.n]);
    let k = p.n.min(q.n);
    for (x, y) in sp[..k].iter_mut().zip(sq[..k].iter_mut()) {
        *x = p.next();
        *y = q.next();
    }
    for x in sp[k..].iter_mut() {
        *x = p.next();
    }
    for y in sq[k..].iter_mut() {
        *y = q.next();
    }
    let ((mut fp, fp_end), (mut fq, fq_end)) = fit_pair(
        Fit::new(sp, 1.0, 0.0, p.np_s),
        Fit::new(sq, 1.0, 0.0, q.np_s),
    );
    let (slope_p, slope_q) = ((fp_end - fp) / p.np_s, (fq_end - fq) / q.np_s);
    for (x, y) in sp[..k].iter_mut().zip(sq[..k].iter_mut()) {
        *x -= fp;
        fp += slope_p;
        *y -= fq;
        fq += slope_q;
    }
    for x in sp[k..].iter_mut() {
        *x -= fp;
        fp += slope_p;
    }
    for y in sq[k..].iter_mut() {
        *y -= fq;
        fq += slope_q;
    }
    (p.finish(sp), q.finish(sq))
}

thread_local! {
    /// The order keys and the two candidate buffers of [`kth_largest_and_smallest`],
    /// kept per thread: fresh arrays would be zeroed (6 kB) at every call, and only
    /// entries written in the same call are read.
    static SELECT: RefCell<Select> = const {
        RefCell::new(Select {
            keys: [0; 245],
            hi: [0; 256],
            lo: [0; 256],
        })
    };
}

/// Scratch of [`kth_largest_and_smallest`].
struct Select {
    keys: [i64; 245],
    hi: [i64; 256],
    lo: [i64; 256],
}

/// Delta h's sampling of a profile: `n` points evenly between `d_start` and `d_end`,
/// linearly interpolated, stepped one at a time.
struct Sampler<'a> {
    z: &'a [f64],
    np: usize,
    n: usize,
    p10: usize,
    np_s: f64,
    step: f64,
    x: f64,
    i: usize,
    d_span: f64,
}

impl<'a> Sampler<'a> {
    /// `None` when the span is under 2 intervals (delta h is 0).
    fn new(z: &'a [f64], xi: f64, d_start: f64, d_end: f64) -> Option<Sampler<'a>> {
        let x_start = d_start / xi;
        let x_end = d_end / xi;
        if x_end - x_start < 2.0 {
            return None;
        }
        let p10 = ((0.1 * (x_end - x_start + 8.0)) as i64).clamp(4, 25) as usize;
        let n = 10 * p10 - 5;
        let np_s = (n - 1) as f64;
        let i = x_start as i64 as usize;
        Some(Sampler {
            z,
            np: z.len() - 1,
            n,
            p10,
            np_s,
            step: (x_end - x_start) / np_s,
            x: x_start - (i + 1) as f64,
            i,
            d_span: d_end - d_start,
        })
    }

    #[inline(always)]
    fn next(&mut self) -> f64 {
        // NTIA's `while (x > 0 && i + 1 < np) { x -= 1; i++; }`, its first step apart:
        // with a step of at most one interval (most profiles) it is the only one.
        if self.x > 0.0 && self.i + 1 < self.np {
            self.x -= 1.0;
            self.i += 1;
            while self.x > 0.0 && self.i + 1 < self.np {
                self.x -= 1.0;
                self.i += 1;
            }
        }
        // z[i] and z[i + 1], with one bounds check.
        let w: &[f64; 2] = self.z[self.i..self.i + 2].try_into().expect("2 points");
        let v = w[1] + (w[1] - w[0]) * self.x;
        self.x += self.step;
        v
    }

    /// Delta h from the detrended samples `s`.
    fn finish(&self, s: &[f64]) -> f64 {
        // Descending order statistics, as NTIA's nth_element with std::greater: q10 is the
        // p10-th largest, q90 (index p90 = n - p10 descending) the p10-th smallest.
        let (q10, q90) = kth_largest_and_smallest(s, self.p10);
        (q10 - q90) / (1.0 - 0.8 * (-self.d_span / 50e3).exp())
    }
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
    SELECT.with_borrow_mut(|scratch| select_in(scratch, s, k))
}

/// [`kth_largest_and_smallest`] in the thread's scratch.
fn select_in(scratch: &mut Select, s: &[f64], k: usize) -> (f64, f64) {
    let n = s.len();
    assert!(k >= 1 && 2 * k <= n && n <= 245);
    let Select {
        keys,
        hi: hi_buf,
        lo: lo_buf,
    } = scratch;
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
    // 256 entries, indices masked: h, l < n <= 245, so the mask changes nothing but
    // spares the bounds checks in the loop.
    let (mut h, mut l) = (0, 0);
    for &x in keys.iter() {
        hi_buf[h & 255] = x;
        h += (x >= hi_t) as usize;
        lo_buf[l & 255] = x;
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
    let (theta, d_hzn) = find_horizons(z, xi, 1.0 / gamma_e, h);
    let q = Quick::new(z, xi, gamma_e, h, theta, d_hzn);
    let dh = delta_h(z, xi, q.d_start, q.d_end);
    let (f, g) = q.fits(z, xi);
    let fits = match g {
        None => (f.run(), (0.0, 0.0)),
        Some(g) => fit_pair(f, g),
    };
    q.finish(z, dh, fits)
}

/// [`quick_pfl`] of two profiles at once: the same geometry for each, with the two
/// horizon searches, delta h computations and least-squares fits (chains of
/// floating-point additions, bound by their latency) interleaved in shared loops.
pub(crate) fn quick_pfl_pair(
    a: (&[f64], f64, f64, [f64; 2]),
    b: (&[f64], f64, f64, [f64; 2]),
) -> (PathGeometry, PathGeometry) {
    let (za, zb) = (a.0, b.0);
    let mut ha = Horizons::new(za, a.1, 1.0 / a.2, a.3);
    let mut hb = Horizons::new(zb, b.1, 1.0 / b.2, b.3);
    let (ia, ib) = (&za[1..za.len() - 1], &zb[1..zb.len() - 1]);
    let k = ia.len().min(ib.len());
    for (&x, &y) in ia[..k].iter().zip(&ib[..k]) {
        ha.step(x);
        hb.step(y);
    }
    for &x in &ia[k..] {
        ha.step(x);
    }
    for &y in &ib[k..] {
        hb.step(y);
    }
    let qa = Quick::new(za, a.1, a.2, a.3, ha.theta, ha.d_hzn);
    let qb = Quick::new(zb, b.1, b.2, b.3, hb.theta, hb.d_hzn);
    let (dha, dhb) = delta_h_pair(
        (za, a.1, qa.d_start, qa.d_end),
        (zb, b.1, qb.d_start, qb.d_end),
    );
    // One or two fits each: in pairs.
    let (fa, ga) = qa.fits(za, a.1);
    let (fb, gb) = qb.fits(zb, b.1);
    let (fa, fb) = fit_pair(fa, fb);
    let (ga, gb) = match (ga, gb) {
        (Some(x), Some(y)) => fit_pair(x, y),
        (Some(x), None) => (x.run(), (0.0, 0.0)),
        (None, Some(y)) => ((0.0, 0.0), y.run()),
        (None, None) => ((0.0, 0.0), (0.0, 0.0)),
    };
    (qa.finish(za, dha, (fa, ga)), qb.finish(zb, dhb, (fb, gb)))
}

/// `QuickPfl` between the horizon search and delta h: the span delta h and the fits use.
struct Quick {
    theta: [f64; 2],
    d_hzn: [f64; 2],
    a_e: f64,
    d: f64,
    h: [f64; 2],
    d_start: f64,
    d_end: f64,
    /// Well within line of sight: one fit over the span, horizons from the effective heights.
    los: bool,
}

impl Quick {
    fn new(
        z: &[f64],
        xi: f64,
        gamma_e: f64,
        h: [f64; 2],
        theta: [f64; 2],
        d_hzn: [f64; 2],
    ) -> Quick {
        let np = z.len() - 1;
        let d = np as f64 * xi;
        // Terrain is considered from 15 tower heights (or a tenth of the horizon) out.
        let d_start = c_min(15.0 * h[0], 0.1 * d_hzn[0]);
        let d_end = d - c_min(15.0 * h[1], 0.1 * d_hzn[1]);
        Quick {
            theta,
            d_hzn,
            a_e: 1.0 / gamma_e,
            d,
            h,
            d_start,
            d_end,
            los: d_hzn[0] + d_hzn[1] > 1.5 * d,
        }
    }

    /// The effective heights' fits: one over the span (line of sight), or one from each
    /// terminal to 0.9 of its horizon.
    fn fits<'a>(&self, z: &'a [f64], xi: f64) -> (Fit<'a>, Option<Fit<'a>>) {
        if self.los {
            (Fit::new(z, xi, self.d_start, self.d_end), None)
        } else {
            (
                Fit::new(z, xi, self.d_start, 0.9 * self.d_hzn[0]),
                Some(Fit::new(z, xi, self.d - 0.9 * self.d_hzn[1], self.d_end)),
            )
        }
    }

    /// The geometry from delta h and the fits' results (`fits.1` unused in line of sight).
    fn finish(self, z: &[f64], dh: f64, fits: ((f64, f64), (f64, f64))) -> PathGeometry {
        let Quick {
            mut theta,
            mut d_hzn,
            a_e,
            d,
            h,
            ..
        } = self;
        let np = z.len() - 1;
        let horizon =
            |h_e: f64| (2.0 * h_e * a_e).sqrt() * (-0.07 * (dh / c_max(h_e, 5.0)).sqrt()).exp();
        let mut h_e = [0.0; 2];
        if self.los {
            let (fit_tx, fit_rx) = fits.0;
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
            h_e[0] = h[0] + fdim(z[0], fits.0 .0);
            h_e[1] = h[1] + fdim(z[np], fits.1 .1);
        }
        PathGeometry {
            theta_hzn: theta,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            delta_h_m: dh,
            d_m: d,
        }
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
                h[i] + (1.0 + b) * (-c_min(20.0, 2.0 * h[i] / c_max(1e-3, dh))).exp()
            }
        };
        let d_ls = (2.0 * h_e[i] / gamma_e).sqrt();
        d_hzn[i] = d_ls * (-0.07 * (dh / c_max(h_e[i], 5.0)).sqrt()).exp();
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
