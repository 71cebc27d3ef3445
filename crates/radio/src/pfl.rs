//! NTIA's profile text layout: `n, interval_m, z_0, ..., z_n` on one comma-separated
//! line. Parsing is part of the point-to-point benchmark, so numbers take a fast exact
//! path (Clinger's: at most 15 significant digits and a power of ten up to 10^22, where
//! one division is correctly rounded) and fall back to the standard parser otherwise.

/// Why a profile line is not a profile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PflError {
    #[error("field {field} ({text:?}) is not a number")]
    NotANumber { field: usize, text: String },
    #[error("the number of intervals must be a whole number >= 2, got {0}")]
    BadCount(String),
    #[error("the interval must be a positive number of metres, got {0}")]
    BadInterval(String),
    #[error("the line is not UTF-8 text")]
    NotUtf8,
    #[error("{declared} intervals need {need} elevations, the line has {got}")]
    WrongLength {
        declared: usize,
        need: usize,
        got: usize,
    },
}

/// A parsed profile: the interval and the n + 1 elevations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pfl {
    pub interval_m: f64,
    pub elevations: Vec<f64>,
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parse one decimal number exactly as `str::parse::<f64>` would.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut n_digits = 0u32;
    let mut frac_digits = 0usize;
    let mut seen_dot = false;
    let mut any = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                any = true;
                if mantissa == 0 && c == b'0' {
                    // leading zeros do not count as significant digits
                } else {
                    n_digits += 1;
                }
                mantissa = mantissa.wrapping_mul(10).wrapping_add((c - b'0') as u64);
                if seen_dot {
                    frac_digits += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return s.trim().parse().ok(),
        }
    }
    if !any {
        return s.trim().parse().ok();
    }
    if n_digits > 15 || frac_digits > 22 {
        return s.parse().ok();
    }
    // Through i64: one instruction (u64 needs several without AVX-512), the same exact value.
    let v = mantissa as i64 as f64 / POW10[frac_digits];
    Some(if neg { -v } else { v })
}

/// Parse a profile line into `out` (reusing its allocation).
pub fn parse_pfl_into(line: &str, out: &mut Pfl) -> Result<(), PflError> {
    if scan_plain(line.trim().as_bytes(), &mut out.elevations) {
        // The fast scan read every field as a plain decimal; `elevations` holds all of them.
        let fields = std::mem::take(&mut out.elevations);
        let r = check(line, &fields, out);
        if r.is_ok() {
            out.elevations = fields;
            out.elevations.drain(..2);
        }
        return r;
    }
    parse_general(line, out)
}

/// [`parse_pfl_into`] on a line given as bytes (what a streamed profile file hands out):
/// the same profile or the same error for any UTF-8 text, without checking the text
/// first when it is plain decimals (the fast scan accepts nothing but ASCII digits,
/// signs, dots and commas). Text that is not UTF-8 is [`PflError::NotUtf8`].
pub fn parse_pfl_bytes(line: &[u8], out: &mut Pfl) -> Result<(), PflError> {
    if scan_plain(line.trim_ascii(), &mut out.elevations) {
        let f = &out.elevations;
        let (count, interval) = (f[0], f[1]);
        if count >= 2.0
            && count.fract() == 0.0
            && count < 1e7
            && interval > 0.0
            && interval.is_finite()
            && f.len() - 2 == count as usize + 1
        {
            out.interval_m = interval;
            out.elevations.drain(..2);
            return Ok(());
        }
    }
    // Anything else (other whitespace, exponents, a bad count...): the text path decides.
    match std::str::from_utf8(line) {
        Ok(text) => parse_pfl_into(text, out),
        Err(_) => Err(PflError::NotUtf8),
    }
}

/// Where the first '\n' of `b` is: 32 bytes at a time (a branch-free test the compiler
/// turns into vector compares), then byte by byte in the 32 that hold it. How a
/// streamed profile file is cut into lines.
pub fn find_newline(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 32 <= b.len() {
        let block = &b[i..i + 32];
        if block.iter().fold(false, |any, &c| any | (c == b'\n')) {
            break;
        }
        i += 32;
    }
    b[i..].iter().position(|&c| c == b'\n').map(|p| i + p)
}

/// Count, interval and length checks on the numbers of a line (`fields` = all of them).
fn check(line: &str, fields: &[f64], out: &mut Pfl) -> Result<(), PflError> {
    let text = |i: usize| {
        line.trim()
            .split(',')
            .nth(i)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let count = fields[0];
    if !(count >= 2.0 && count.fract() == 0.0 && count < 1e7) {
        return Err(PflError::BadCount(text(0)));
    }
    let interval = fields[1];
    if !(interval > 0.0 && interval.is_finite()) {
        return Err(PflError::BadInterval(text(1)));
    }
    let n = count as usize;
    if fields.len() - 2 != n + 1 {
        return Err(PflError::WrongLength {
            declared: n,
            need: n + 1,
            got: fields.len() - 2,
        });
    }
    out.interval_m = interval;
    Ok(())
}

/// Number of leading ASCII digits in the 8 bytes of `w` (first byte lowest), and `w`
/// with '0' taken off every byte.
#[inline]
fn digit_run(w: u64) -> (usize, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let t = w ^ (0x30 * ONES);
    // A byte is not a digit when t >= 10 as a byte: the high bit of (t & 0x7f) + 0x76
    // (no carry between bytes) or of t itself.
    let non_digit = (((t & (0x7f * ONES)) + 0x76 * ONES) | t) & (0x80 * ONES);
    ((non_digit.trailing_zeros() / 8) as usize, t)
}

/// The value of the first `d` (0-7) digits of `t` (digit values, first byte lowest).
#[inline]
fn digits_value(t: u64, d: usize) -> u64 {
    if d == 0 {
        return 0;
    }
    // Move the d digits to the top bytes (zeros below are leading zeros), then combine
    // pairs, quads and the two halves (Lemire's eight-digit parse).
    let v = t << (8 * (8 - d));
    let v = (v * 10) + (v >> 8);
    (((v & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32)))
        .wrapping_add(((v >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32))))
        >> 32
}

/// One pass over a line of plain decimals (`-12.345`, no spaces, no exponents, at most 15
/// digits in all, so that the mantissa is exact): pushes every field and returns true, or
/// false at anything else (the general parser then decides).
///
/// Away from the line's end, each field's end is found first, from the commas among the
/// next 16 bytes, so that the next field's start does not wait for this field's digits
/// (the digits are read 8 bytes at a time, off that chain). Near the end, byte by byte.
fn scan_plain(b: &[u8], out: &mut Vec<f64>) -> bool {
    out.clear();
    let n = b.len();
    let mut i = 0;
    // A field of up to 15 bytes ends at a comma within 16 bytes; its digit words are read
    // up to 8 bytes past its dot: 24 bytes from i stay inside the line.
    while i + 24 <= n {
        let w0 = word(b, i);
        let w1 = word(b, i + 8);
        let commas = (comma_mask(w0) as u128) | ((comma_mask(w1) as u128) << 64);
        if commas == 0 {
            break; // a field of 16 bytes or more: byte by byte
        }
        let end = i + (commas.trailing_zeros() / 8) as usize;
        match plain_field(b, i, end) {
            Some(v) => out.push(v),
            None => return false,
        }
        i = end + 1;
    }
    loop {
        let neg = i < n && b[i] == b'-';
        i += neg as usize;
        let start = i;
        let mut mantissa: u64 = 0;
        while i < n && b[i].wrapping_sub(b'0') < 10 {
            mantissa = mantissa * 10 + (b[i] - b'0') as u64;
            i += 1;
            if i - start > 15 {
                return false;
            }
        }
        let int_digits = i - start;
        let mut frac = 0;
        if i < n && b[i] == b'.' {
            i += 1;
            let f0 = i;
            while i < n && b[i].wrapping_sub(b'0') < 10 {
                mantissa = mantissa * 10 + (b[i] - b'0') as u64;
                i += 1;
                if int_digits + (i - f0) > 15 {
                    return false;
                }
            }
            frac = i - f0;
        }
        if int_digits + frac == 0 {
            return false;
        }
        // Clinger: mantissa < 10^15 < 2^53 and 10^frac are exact, one division rounds once.
        let v = mantissa as i64 as f64 / POW10[frac];
        out.push(if neg { -v } else { v });
        if i == n {
            break;
        }
        if b[i] != b',' {
            return false;
        }
        i += 1;
        if i == n {
            return false; // a trailing comma: the general parser allows it
        }
    }
    out.len() >= 2
}

#[inline]
fn word(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"))
}

/// The high bit of every byte of `w` that is a comma, and maybe of bytes above the first
/// one (borrows): the lowest set bit is exact.
#[inline]
fn comma_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = w ^ (b',' as u64 * ONES);
    x.wrapping_sub(ONES) & !x & (0x80 * ONES)
}

/// The plain decimal `b[s..e]` (at most 15 bytes, with 8 readable bytes past its dot or
/// its digits): `None` when it is not one (the line then goes to the general parser).
#[inline]
fn plain_field(b: &[u8], s: usize, e: usize) -> Option<f64> {
    let neg = b[s] == b'-';
    let st = s + neg as usize;
    if e - st <= 8 {
        return short_field(word(b, st), e - st).map(|v| if neg { -v } else { v });
    }
    let (d, t) = digit_run(word(b, st));
    let p = st + d;
    let (mantissa, digits, frac) = if p >= e {
        // Digits to the field's end.
        if d >= 8 {
            return slow_field(&b[s..e]);
        }
        (digits_value(t, d), d, 0)
    } else if b[p] == b'.' && d < 8 {
        let j = p + 1;
        let (f, t2) = digit_run(word(b, j));
        if f >= 8 {
            return slow_field(&b[s..e]);
        }
        if j + f != e {
            return None; // something else after the digits
        }
        (
            digits_value(t, d) * POW10_U64[f] + digits_value(t2, f),
            d + f,
            f,
        )
    } else if d >= 8 {
        return slow_field(&b[s..e]);
    } else {
        return None;
    };
    if digits == 0 || digits > 15 {
        return None;
    }
    let v = mantissa as i64 as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// An unsigned plain decimal of `len` (0-8) bytes, the first `len` bytes of `w` (first
/// byte lowest): digits with at most one dot. The dot is taken out by moving the digits
/// before it up one byte, and the (at most 8) digits are read at once.
#[inline]
fn short_field(w: u64, len: usize) -> Option<f64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let t = w ^ (0x30 * ONES);
    // Non-digit bytes among the first len (as digit_run's test).
    let inside = if len == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    let non_digit = (((t & (0x7f * ONES)) + 0x76 * ONES) | t) & (0x80 * ONES) & inside;
    let (digits, frac, t) = if non_digit == 0 {
        (len, 0, t)
    } else {
        let p = (non_digit.trailing_zeros() / 8) as usize;
        // One non-digit, a dot ('.' ^ '0' = 0x1e).
        if non_digit & (non_digit - 1) != 0 || (t >> (8 * p)) & 0xff != 0x1e {
            return None;
        }
        let below = (1u64 << (8 * p)) - 1;
        (
            len - 1,
            len - 1 - p,
            ((t & below) << 8) | (t & !below & !(0xff << (8 * p))),
        )
    };
    if digits == 0 {
        return None;
    }
    // The digits now fill bytes (len - digits)..len: align them to the low end.
    let t = t >> (8 * (len - digits));
    Some(digits_value(t, digits) as i64 as f64 / POW10[frac])
}

/// [`plain_field`] byte by byte, for fields whose digit runs are 8 or longer.
fn slow_field(f: &[u8]) -> Option<f64> {
    let (neg, f) = match f.first() {
        Some(b'-') => (true, &f[1..]),
        _ => (false, f),
    };
    let mut mantissa: u64 = 0;
    let (mut digits, mut frac, mut dot) = (0, 0, false);
    for &c in f {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (c - b'0') as u64;
                digits += 1;
                frac += dot as usize;
                if digits > 15 {
                    return None;
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let v = mantissa as i64 as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

const POW10_U64: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// The field-by-field parser: any number `str::parse` accepts, spaces, a trailing comma.
fn parse_general(line: &str, out: &mut Pfl) -> Result<(), PflError> {
    out.elevations.clear();
    let mut fields = line.trim().split(',');
    let count_text = fields.next().unwrap_or("").trim();
    let count = parse_f64(count_text).ok_or_else(|| PflError::NotANumber {
        field: 1,
        text: count_text.into(),
    })?;
    if !(count >= 2.0 && count.fract() == 0.0 && count < 1e7) {
        return Err(PflError::BadCount(count_text.into()));
    }
    let n = count as usize;
    let interval_text = fields.next().unwrap_or("").trim();
    let interval = parse_f64(interval_text).ok_or_else(|| PflError::NotANumber {
        field: 2,
        text: interval_text.into(),
    })?;
    if !(interval > 0.0 && interval.is_finite()) {
        return Err(PflError::BadInterval(interval_text.into()));
    }
    out.interval_m = interval;
    out.elevations.reserve(n + 1);
    for (i, f) in fields.enumerate() {
        let t = f.trim();
        if t.is_empty() && i == n + 1 {
            continue; // a trailing comma
        }
        match parse_f64(t) {
            Some(v) if v.is_finite() => out.elevations.push(v),
            _ => {
                return Err(PflError::NotANumber {
                    field: i + 3,
                    text: t.into(),
                })
            }
        }
    }
    if out.elevations.len() != n + 1 {
        return Err(PflError::WrongLength {
            declared: n,
            need: n + 1,
            got: out.elevations.len(),
        });
    }
    Ok(())
}

/// Parse a profile line.
pub fn parse_pfl(line: &str) -> Result<Pfl, PflError> {
    let mut p = Pfl::default();
    parse_pfl_into(line, &mut p)?;
    Ok(p)
}

/// Format a profile in NTIA's layout (elevations with up to 6 decimals, no trailing zeros).
pub fn format_pfl(interval_m: f64, elevations: &[f64]) -> String {
    let mut s = format!(
        "{},{}",
        elevations.len().saturating_sub(1),
        trim_num(interval_m)
    );
    for z in elevations {
        s.push(',');
        s.push_str(&trim_num(*z));
    }
    s
}

fn trim_num(x: f64) -> String {
    let t = format!("{x:.6}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_ntia_layout() {
        let p = parse_pfl("3, 99.97805, 318.903931, 310.356445,1,-2.5").unwrap();
        assert_eq!(p.interval_m, 99.97805);
        assert_eq!(p.elevations, vec![318.903931, 310.356445, 1.0, -2.5]);
        assert!(matches!(
            parse_pfl("3,10,1,2,3"),
            Err(PflError::WrongLength { .. })
        ));
        assert!(matches!(
            parse_pfl("1.5,10,1,2,3"),
            Err(PflError::BadCount(_))
        ));
        assert!(matches!(
            parse_pfl("2,0,1,2,3"),
            Err(PflError::BadInterval(_))
        ));
        assert!(matches!(
            parse_pfl("2,10,1,x,3"),
            Err(PflError::NotANumber { field: 4, .. })
        ));
        assert_eq!(format_pfl(100.0, &[1.5, 2.0, -0.0]), "2,100,1.5,2,0");
        // The fast scan's edges: bare dots, signs, 15 and 16 digits, -0.
        let p = parse_pfl("4,10,.5,1.,-0,123456789.012345,-1234567890.123456").unwrap();
        assert_eq!(p.elevations[..3], [0.5, 1.0, 0.0]);
        assert!(p.elevations[2].is_sign_negative());
        assert_eq!(p.elevations[3], 123456789.012345);
        assert_eq!(p.elevations[4], -1234567890.123456);
        for bad in ["2,10,1,.,3", "2,10,1,-,3", "2,10,1,2,3,", "2,10,1,2,3,,"] {
            let mut a = Pfl::default();
            let mut b = Pfl::default();
            assert_eq!(
                parse_pfl_into(bad, &mut a),
                parse_general(bad, &mut b),
                "{bad}"
            );
        }
    }

    #[test]
    fn short_fields_equal_std() {
        let word_of = |f: &str| {
            let mut w = *b"9,7.5,-3";
            w[..f.len()].copy_from_slice(f.as_bytes());
            u64::from_le_bytes(w)
        };
        for f in [
            "0", "7", "12", "1.5", ".5", "5.", "123.456", "1234.567", "12345678", "99999999",
            "0.000001", "00000001", "9.999999", "1077.002", "", ".", "..", "1.2.3", "12,4", "-1",
            "+1", "1e3", " 5", "7x",
        ] {
            let got = short_field(word_of(f), f.len());
            let want = f
                .parse::<f64>()
                .ok()
                .filter(|_| f.bytes().all(|c| c == b'.' || c.is_ascii_digit()));
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{f:?}");
        }
    }

    #[test]
    fn newlines_found_like_position() {
        let mut b = vec![b'7'; 200];
        assert_eq!(find_newline(&b), None);
        for at in [0, 1, 31, 32, 33, 63, 64, 150, 199] {
            b[at] = b'\n';
            assert_eq!(find_newline(&b), Some(at));
            assert_eq!(find_newline(&b[..at]), None);
            b[at] = b'7';
        }
        b[40] = b'\n';
        b[90] = b'\n';
        assert_eq!(find_newline(&b), Some(40));
        assert_eq!(find_newline(&b[41..]), Some(49));
        assert_eq!(find_newline(b""), None);
    }

    #[test]
    fn bytes_by_hand() {
        let mut p = Pfl::default();
        parse_pfl_bytes(b" 2,100,1.5,-2,30\r", &mut p).unwrap();
        assert_eq!(
            (p.interval_m, p.elevations.clone()),
            (100.0, vec![1.5, -2.0, 30.0])
        );
        parse_pfl_bytes(b"2, 1e2, 1,2,3", &mut p).unwrap();
        assert_eq!(
            (p.interval_m, p.elevations.clone()),
            (100.0, vec![1.0, 2.0, 3.0])
        );
        assert_eq!(
            parse_pfl_bytes(b"3,100,1,2,3", &mut p),
            Err(PflError::WrongLength {
                declared: 3,
                need: 4,
                got: 3
            })
        );
        assert_eq!(
            parse_pfl_bytes(b"2,100,1,2,\xff", &mut p),
            Err(PflError::NotUtf8)
        );
    }

    #[test]
    fn eight_byte_digit_runs() {
        for text in [
            "1234.567", "0.0,1,2,", "98765432", ".5,-1", "7-1.5e3", "1234567,",
        ] {
            let mut w = [b'x'; 8];
            w[..text.len().min(8)].copy_from_slice(&text.as_bytes()[..text.len().min(8)]);
            let (d, t) = digit_run(u64::from_le_bytes(w));
            let expect = text.bytes().take_while(u8::is_ascii_digit).count().min(8);
            assert_eq!(d, expect, "{text}");
            if d < 8 {
                let v: u64 = if d == 0 {
                    0
                } else {
                    text[..d].parse().unwrap()
                };
                assert_eq!(digits_value(t, d), v, "{text}");
            }
        }
        // Every byte value next to digits.
        for c in 0..=255u8 {
            let w = u64::from_le_bytes([b'4', b'2', c, b'1', b'9', b'9', b'9', b'9']);
            let (d, t) = digit_run(w);
            let expect = if c.is_ascii_digit() { 8 } else { 2 };
            assert_eq!(d, expect, "{c}");
            if d == 2 {
                assert_eq!(digits_value(t, 2), 42);
            }
        }
    }

    proptest! {
        #[test]
        fn fast_path_equals_std(x in -1e6f64..1e6, decimals in 0usize..9) {
            let s = format!("{x:.decimals$}");
            prop_assert_eq!(parse_f64(&s), s.parse::<f64>().ok());
        }
        #[test]
        fn fast_scan_equals_general(v in proptest::collection::vec(-9000.0f64..9000.0, 3..40), d in 0usize..7) {
            let line = format!("{},12.5,{}", v.len() - 1, v.iter().map(|x| format!("{x:.d$}")).collect::<Vec<_>>().join(","));
            let mut a = Pfl::default();
            let mut b = Pfl::default();
            prop_assert_eq!(parse_pfl_into(&line, &mut a), parse_general(&line, &mut b));
            prop_assert_eq!(a, b);
        }
        #[test]
        fn bytes_equal_text(s in "[-0-9.,]{0,60}", pre in "[ \t\r\u{b}\u{c}\u{2003}]{0,2}", post in "[ \t\r\n\u{b}\u{85}]{0,2}") {
            // Streamed lines come as bytes: the same profile or error as the text path.
            for line in [format!("{pre}3,25.5,{s}{post}"), format!("{pre}{s}{post}"), format!("3,25.5,1,2,3,{s}{post}")] {
                let mut a = Pfl::default();
                let mut b = Pfl::default();
                prop_assert_eq!(parse_pfl_bytes(line.as_bytes(), &mut a), parse_pfl_into(&line, &mut b));
                prop_assert_eq!(a, b);
            }
        }
        #[test]
        fn fast_scan_equals_general_on_long_text(s in "[-0-9.,]{20,120}") {
            let line = format!("2,10,{s}");
            let mut a = Pfl::default();
            let mut b = Pfl::default();
            prop_assert_eq!(parse_pfl_into(&line, &mut a), parse_general(&line, &mut b));
            if a != b {
                prop_assert!(parse_general(&line, &mut b).is_err());
            }
        }
        #[test]
        fn fast_scan_equals_general_on_long_lines_of_odd_fields(
            picks in proptest::collection::vec(0usize..22, 30..90)
        ) {
            // Fields the comma-first loop must take, hand back or refuse as before.
            const FIELDS: [&str; 22] = [
                "1077.002", "988.1", "-12.5", "0", "-0", "1.", ".5", "12345678", "123456789.5",
                "1.23456789", "-1234567.1234567", "123456789012345", "1234567890123456", "",
                ".", "-", "+1", "1e3", " 5", "1.2.3", "7x", "00000000000001.5",
            ];
            let body: Vec<&str> = picks.iter().map(|&k| FIELDS[k]).collect();
            let line = format!("{},10,{}", body.len() - 1, body.join(","));
            let mut a = Pfl::default();
            let mut b = Pfl::default();
            let ra = parse_pfl_into(&line, &mut a);
            let rb = parse_general(&line, &mut b);
            prop_assert_eq!(&ra, &rb);
            if ra.is_ok() {
                let bits = |p: &Pfl| p.elevations.iter().map(|z| z.to_bits()).collect::<Vec<_>>();
                prop_assert_eq!(bits(&a), bits(&b));
            }
        }
        #[test]
        fn fast_scan_equals_general_on_any_text(s in "[-0-9.,]{0,40}") {
            let line = format!("2,10,{s}");
            let mut a = Pfl::default();
            let mut b = Pfl::default();
            prop_assert_eq!(parse_pfl_into(&line, &mut a), parse_general(&line, &mut b));
            if a != b {
                // After an error the buffers may differ; only values of a success count.
                prop_assert!(parse_general(&line, &mut b).is_err());
            }
        }
        #[test]
        fn any_text_never_panics(s in "[-+0-9.eE]{0,20}") {
            let _ = parse_f64(&s);
        }
    }
}
