//! Numbers written as text the way the standard formatter writes them, faster: the
//! `A__db` column of `radio itm-p2p` / `itm-area` is a few percent of their time through
//! `format!("{:.2}")`.

use std::io::Write as _;

/// Append `x` with 2 decimals exactly as `format!("{x:.2}")` writes it: the value times
/// 100 rounded to an integer, unless the product lies too close to a half to decide the
/// rounding of the exact value, or is too large (or not finite): then the formatter
/// writes it.
pub fn push_fixed2(out: &mut Vec<u8>, x: f64) {
    let y = x.abs() * 100.0;
    // y's rounding error is at most half an ulp (< 1e-8 below 2^27): a fraction further
    // than 1e-6 from one half rounds the exact value the same way. NaN and infinities
    // fail `y < 2^27` and go to the formatter.
    let small = y < 134_217_728.0;
    if !small || ((y - y.floor()) - 0.5).abs() < 1e-6 {
        write!(out, "{x:.2}").expect("write to a Vec");
        return;
    }
    if x.is_sign_negative() {
        out.push(b'-');
    }
    let r = y.round() as u64;
    push_u64(out, r / 100);
    let f = (r % 100) as u8;
    out.extend_from_slice(&[b'.', b'0' + f / 10, b'0' + f % 10]);
}

/// Append the decimal digits of `v` (as `format!("{v}")`).
pub fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed2(x: f64) -> String {
        let mut v = Vec::new();
        push_fixed2(&mut v, x);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn by_hand_and_on_ties() {
        for x in [
            0.0,
            -0.0,
            0.125,
            -0.125,
            0.005,
            0.015,
            2.675,
            1.005,
            -80.125,
            -1e-7,
            1e-7,
            0.5,
            99.995,
            123.455,
            145.675,
            1_342_177.27,
            1_342_177.28,
            1e12,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(fixed2(x), format!("{x:.2}"), "{x:e}");
        }
        let mut v = Vec::new();
        for n in [0, 7, 10, 99, 100, 12_345, u64::MAX] {
            v.clear();
            push_u64(&mut v, n);
            assert_eq!(v, n.to_string().as_bytes());
        }
    }

    proptest! {
        #[test]
        fn equals_the_formatter(x in -1e7f64..1e7) {
            prop_assert_eq!(fixed2(x), format!("{x:.2}"));
        }
        #[test]
        fn equals_the_formatter_near_ties(k in -100_000_000i64..100_000_000, ulps in -4i64..5) {
            // k / 100 + 0.005 and its neighbours: exact halves and the values around them.
            let t = (k as f64 + 0.5) / 100.0;
            let x = f64::from_bits((t.to_bits() as i64 + ulps) as u64);
            prop_assert_eq!(fixed2(x), format!("{x:.2}"));
        }
        #[test]
        fn equals_the_formatter_on_any_bits(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(fixed2(x), format!("{x:.2}"));
        }
    }
}
