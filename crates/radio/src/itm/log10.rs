//! Common logarithm through the natural one, inline: ITM takes some 21 `log10`s per
//! area-mode case, and the C library's `log10` is a call that splits off the exponent and
//! then calls `log` itself (glibc's `e_log10.c`, fdlibm's formulation). Doing the split
//! here and calling [`f64::ln`] gives the same bits for half the instructions: the same
//! operations in the same order, with fdlibm's constants.
//!
//! For x = 2^k m with m in [1, 2): when k < 0, m is taken in [0.5, 1) instead (k one
//! higher), so that k log10(2) and log10(m) have the same sign; then
//! `log10(x) = (k * LOG10_2LO + IVLN10 * ln(m)) + k * LOG10_2HI`, log10(2) split into a
//! head with trailing zero bits (k * head is exact) and the rounding error of the head.
//!
//! Acknowledgement: the constants (`LOG10_2HI`, `LOG10_2LO`, `IVLN10`) and this formulation
//! of log10 (the exponent split, m taken in [0.5, 1) below one, the order of the two
//! products) are taken from fdlibm's `e_log10.c`, whose notice follows:
//!
//! > Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//! >
//! > Developed at SunSoft, a Sun Microsystems, Inc. business.
//! > Permission to use, copy, modify, and distribute this
//! > software is freely granted, provided that this notice
//! > is preserved.

/// The high part of log10(2): 40 significant bits, so that k * LOG10_2HI is exact.
const LOG10_2HI: f64 = f64::from_bits(0x3fd3_4413_509f_6000);
/// log10(2) - LOG10_2HI.
const LOG10_2LO: f64 = f64::from_bits(0x3d59_fef3_11f1_2b36);
/// 1 / ln(10), rounded.
const IVLN10: f64 = f64::from_bits(0x3fdb_cb7b_1526_e50e);

/// log10(x). Positive normal numbers take the split above; zero, subnormals, negatives,
/// infinities and NaN go to [`f64::log10`] (their answers are the library's).
#[inline]
pub(crate) fn log10(x: f64) -> f64 {
    let bits = x.to_bits();
    if !(0x0010_0000_0000_0000..0x7ff0_0000_0000_0000).contains(&bits) {
        return x.log10();
    }
    let k = (bits >> 52) as i64 - 1023;
    let below_one = (k < 0) as i64;
    let y = (k + below_one) as f64;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | (((0x3ff - below_one) as u64) << 52));
    let z = y * LOG10_2LO + IVLN10 * m.ln();
    z + y * LOG10_2HI
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The split is exact: 2^k m is x again, m in [0.5, 2).
    #[test]
    fn split_constants() {
        // LOG10_2HI + LOG10_2LO is log10(2) to within an ulp of the sum's precision.
        let l2 = std::f64::consts::LOG10_2;
        assert!((LOG10_2HI + LOG10_2LO - l2).abs() <= f64::EPSILON * l2);
        // The head's last 13 bits are zero: 40 significant bits, and k * LOG10_2HI is
        // exact for every exponent (|k| < 2^11).
        assert_eq!(LOG10_2HI.to_bits().trailing_zeros(), 13);
        assert!((IVLN10 - std::f64::consts::LOG10_E).abs() <= f64::EPSILON * IVLN10);
    }

    #[test]
    fn exact_powers_and_special_values() {
        for k in -300..=300 {
            let x = 10f64.powi(k);
            assert!((log10(x) - k as f64).abs() <= 1e-12 * (k.abs() as f64).max(1.0));
        }
        assert_eq!(log10(1.0), 0.0);
        assert_eq!(log10(0.0), f64::NEG_INFINITY);
        assert!(log10(-1.0).is_nan());
        assert!(log10(f64::NAN).is_nan());
        assert_eq!(log10(f64::INFINITY), f64::INFINITY);
        assert_eq!(
            log10(f64::MIN_POSITIVE / 4.0),
            (f64::MIN_POSITIVE / 4.0).log10()
        );
    }

    // On glibc, f64::log10 is the library's split-then-log: the bits must agree everywhere.
    // (Other C libraries compute log10 their own way; there the answers agree to an ulp.)
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200_000))]
        #[test]
        fn same_bits_as_the_library_anywhere(bits in 0u64..=u64::MAX) {
            let x = f64::from_bits(bits);
            let (ours, lib) = (log10(x), x.log10());
            prop_assert!(ours.to_bits() == lib.to_bits() || (ours.is_nan() && lib.is_nan()),
                "x = {x:e}: {ours:e} against {lib:e}");
        }

        #[test]
        fn same_bits_as_the_library_on_itm_scales(x in 1e-12f64..1e12) {
            prop_assert_eq!(log10(x).to_bits(), x.log10().to_bits(), "x = {:e}", x);
        }
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn same_bits_near_powers_of_two_and_ten() {
        for k in -1022..1024 {
            let p = 2f64.powi(k);
            let mut x = p;
            let mut y = p;
            for _ in 0..64 {
                assert_eq!(log10(x).to_bits(), x.log10().to_bits(), "x = {x:e}");
                assert_eq!(log10(y).to_bits(), y.log10().to_bits(), "y = {y:e}");
                x = x.next_up();
                y = y.next_down();
            }
        }
        for k in -307..=308 {
            let mut x = 10f64.powi(k);
            for _ in 0..64 {
                assert_eq!(log10(x).to_bits(), x.log10().to_bits(), "x = {x:e}");
                x = x.next_up();
            }
        }
    }
}
