//! NTIA's profile text layout: `n, interval_m, z_0, ..., z_n` on one comma-separated
//! line. Parsing is part of the point-to-point benchmark, so numbers take a fast exact
//! path (Clinger's: at most 15 significant digits and a power of ten up to 10^22, where
//! one division is correctly rounded) and fall back to the standard parser otherwise.

use std::cell::RefCell;

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
    // Short unsigned cells (most of a case table's): digits with at most one dot, at most
    // 15 bytes, so at most 15 digits and an exact mantissa.
    if !b.is_empty() && b.len() <= 15 {
        let (mut mantissa, mut dot, mut plain) = (0u64, b.len(), true);
        for (k, &c) in b.iter().enumerate() {
            let d = c.wrapping_sub(b'0');
            if d < 10 {
                mantissa = mantissa * 10 + d as u64;
            } else if c == b'.' && dot == b.len() {
                dot = k;
            } else {
                plain = false;
                break;
            }
        }
        // At least one digit: not "." alone.
        if plain && b.len() > 1 - (dot == b.len()) as usize {
            let frac = if dot < b.len() { b.len() - 1 - dot } else { 0 };
            return Some(mantissa as i64 as f64 / POW10[frac & 15]);
        }
    }
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
///
/// The count and the interval are read first, so that the elevations are scanned
/// straight into `out.elevations` (no copy down by two afterwards).
pub fn parse_pfl_bytes(line: &[u8], out: &mut Pfl) -> Result<(), PflError> {
    if let Some((count, interval, rest)) = plain_head(line.trim_ascii()) {
        if count >= 2.0
            && count.fract() == 0.0
            && count < 1e7
            && interval > 0.0
            && interval.is_finite()
            && scan_fields(rest, &mut out.elevations, count as usize + 1)
            && out.elevations.len() == count as usize + 1
        {
            out.interval_m = interval;
            return Ok(());
        }
    }
    // Anything else (other whitespace, exponents, a bad count...): the text path decides.
    match std::str::from_utf8(line) {
        Ok(text) => parse_pfl_into(text, out),
        Err(_) => Err(PflError::NotUtf8),
    }
}

/// The first two fields of a line when both are plain decimals (see [`slow_field`]), and
/// the text after the second comma.
fn plain_head(b: &[u8]) -> Option<(f64, f64, &[u8])> {
    let c0 = b.iter().position(|&c| c == b',')?;
    let count = slow_field(&b[..c0])?;
    let r = &b[c0 + 1..];
    let c1 = r.iter().position(|&c| c == b',')?;
    let interval = slow_field(&r[..c1])?;
    Some((count, interval, &r[c1 + 1..]))
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

/// The value of 8 digits in `v` (digit values 0-9, first digit in the lowest byte; zero
/// bytes below the digits are leading zeros): Lemire's eight-digit parse, pairs, quads
/// and the two halves, each step one mask, one multiplication and one shift.
#[inline(always)]
fn eight_digits(v: u64) -> u64 {
    let v = (v.wrapping_mul(10 << 8 | 1)) >> 8;
    let v = ((v & 0x00ff_00ff_00ff_00ff).wrapping_mul(100 << 16 | 1)) >> 16;
    ((v & 0x0000_ffff_0000_ffff).wrapping_mul(10_000 << 32 | 1)) >> 32
}

/// How a field of up to 8 bytes is read, by the shape of its word: which of its 8 bytes
/// are not digits (see [`word_field`], and [`shape`] that makes the table).
#[derive(Clone, Copy)]
struct Shape {
    /// 8 times the first non-digit byte's index (0 when every byte is a digit).
    first: u32,
    /// With a dot first: the field's length (the second non-digit, the comma, at `q`;
    /// 8 when the word has none, and the comma must be the byte after it).
    dot_len: u32,
    /// The bits the digits (q - 1 of them, the dot taken out) move up to the word's top.
    dot_shift: u32,
    /// With a comma first: the field's length (the comma's index), 0 when it is empty.
    whole_len: u32,
    /// The bits a whole number's digits move up to the word's top.
    whole_shift: u32,
    /// The digits before the first non-digit (`lo`), and, one byte down, the digits
    /// between the dot and the comma (`hi`).
    lo: u64,
    hi: u64,
    /// Byte `q - 1` of the word from the field's second byte on (byte `q` of the
    /// field), and what it must be: the comma. Never matched when the field would have
    /// no digit (`.,`).
    q_mask: u64,
    q_comma: u64,
    /// 10^(digits after the dot).
    pow: f64,
}

/// The low `n` bytes of a word.
const fn bytes(n: u32) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// The way to read a word whose non-digit bytes are the bits of `m` (bit j: byte j).
const fn shape(m: u32) -> Shape {
    let p = if m == 0 { 0 } else { m.trailing_zeros() };
    let rest = m & m.wrapping_sub(1);
    let q = if m == 0 || rest == 0 {
        8
    } else {
        rest.trailing_zeros()
    };
    let lo = if m == 0 { 0 } else { bytes(p) };
    // After the dot: bytes p + 1 .. q of the word, at p .. q - 1 once moved down a byte.
    let hi = bytes(q - 1) & !bytes(p);
    let (q_mask, q_comma) = if m != 0 && q >= 2 {
        (0xffu64 << (8 * (q - 1)), (b',' as u64) << (8 * (q - 1)))
    } else {
        (0, 1)
    };
    let frac = q - 1 - p;
    Shape {
        first: 8 * p,
        dot_len: q,
        dot_shift: if q >= 2 { 8 * (9 - q) } else { 0 },
        whole_len: if m != 0 { p } else { 0 },
        whole_shift: 8 * ((8 - p) & 7),
        lo,
        hi,
        q_mask,
        q_comma,
        pow: if m != 0 && q >= 2 {
            POW10[frac as usize]
        } else {
            1.0
        },
    }
}

/// [`shape`] of every byte mask.
static SHAPES: [Shape; 256] = {
    let mut t = [shape(0); 256];
    let mut m = 0;
    while m < 256 {
        t[m] = shape(m as u32);
        m += 1;
    }
    t
};

/// An unsigned plain decimal at the start of the word `w` (the line's next 8 bytes, first
/// byte lowest; `w1` the 8 bytes from the second one on): digits with at most one dot,
/// at most 8 bytes, ending at a comma. Returns the value (exactly `str::parse`'s: at
/// most 8 digits, one division by a power of ten, Clinger's exact case) and the field's
/// length, or `None` for anything else (a sign, a longer field, an empty one...), which
/// the caller reads the slow way or hands to the general parser.
///
/// The word's non-digit bytes, as 8 bits, pick its [`Shape`] from a table: where the
/// first non-digit is, which must be the comma (a whole number) or the dot, and then
/// where the second is, which must be the comma. The digits after the dot move down one
/// byte over it, and one shift up both drops everything from the comma on and puts the
/// digits at the top, where they are read at once.
#[inline(always)]
fn word_field(w: u64, w1: u64) -> Option<(f64, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let t = w ^ (0x30 * ONES);
    // The high bit of every byte that is not an ASCII digit: t >= 10 as a byte, the high
    // bit of t + 0x76 or of t itself. A byte of t from 0x80 up (not ASCII: flagged by t)
    // may carry into the bytes above it; those are past the first two flagged bytes, the
    // only ones the shape depends on, or the first flagged byte is it, which is refused.
    let nd = ((t.wrapping_add(0x76 * ONES)) | t) & (0x80 * ONES);
    // Those 8 bits gathered into one byte: bit 8j + 7 to bit 56 + j (49 - 7j up; no two
    // products meet, so nothing carries).
    let m = (nd.wrapping_mul(0x0002_0408_1020_4081) >> 56) as usize;
    let s = &SHAPES[m & 255];
    let c = (w >> s.first) as u8;
    if c == b'.' {
        if w1 & s.q_mask != s.q_comma {
            return None;
        }
        let digits = (t & s.lo) | ((t >> 8) & s.hi);
        // Clinger: the mantissa (< 10^8) and 10^frac are exact, one division rounds once.
        let v = eight_digits(digits << s.dot_shift) as i64 as f64 / s.pow;
        Some((v, s.dot_len as usize))
    } else if c == b',' && s.whole_len != 0 {
        let v = eight_digits((t & s.lo) << s.whole_shift) as i64 as f64;
        Some((v, s.whole_len as usize))
    } else {
        None
    }
}

/// One pass over a line of plain decimals (`-12.345`, no spaces, no exponents, at most 15
/// digits in all, so that the mantissa is exact): every field and true, or false at
/// anything else (the general parser then decides).
fn scan_plain(b: &[u8], out: &mut Vec<f64>) -> bool {
    scan_fields(b, out, usize::MAX) && out.len() >= 2
}

/// The fields of `b` into `out` (at least one), or false when one is not a plain decimal
/// or there are more than `max`.
///
/// A long line is cut at the first comma from its middle on, and its two halves are read
/// in one loop, a field of each a step ([`scan_halves`]): where the next field starts
/// depends on this field's word (its load, then the steps that find its end), a chain
/// of dependent steps that bounds a one-field loop; two independent chains overlap.
/// Every field is read as [`scan_slots`] would read it on the whole line, as a field's
/// value depends on its own bytes only, so the values are the same.
fn scan_fields(b: &[u8], out: &mut Vec<f64>, max: usize) -> bool {
    let n = b.len();
    if n >= 64 {
        if let Some(p) = b[n / 2..].iter().position(|&c| c == b',') {
            let m = n / 2 + p;
            // The first half's values into `out`, the second's into the thread's buffer
            // and then after them (`out` and the buffer keep their lengths from line to
            // line: nothing to zero).
            out.resize(max.min(m / 2 + 1), 0.0);
            return SECOND_HALF.with_borrow_mut(|sy| {
                sy.resize(max.min((n - m) / 2 + 1), 0.0);
                let Some((kx, ky)) = scan_halves(b, m, out, sy) else {
                    return false;
                };
                if kx + ky > max {
                    return false;
                }
                out.truncate(kx);
                out.extend_from_slice(&sy[..ky]);
                true
            });
        }
    }
    out.resize(max.min(n / 2 + 1), 0.0);
    match scan_slots(b, out) {
        Some(k) => {
            out.truncate(k);
            true
        }
        None => false,
    }
}

thread_local! {
    /// The values of a line's second half (see [`scan_fields`]).
    static SECOND_HALF: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// Where the field at the start of the word `w` ends: its first comma's byte (8 when it
/// has none). The same end [`word_field`] checks, found apart from the value and the
/// table, in fewer steps, so that the next field's load waits for this short chain.
#[inline(always)]
fn comma_in(w: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = w ^ (b',' as u64 * ONES);
    ((x.wrapping_sub(ONES) & !x & (0x80 * ONES)).trailing_zeros() / 8) as usize
}

/// The fields of the line `b` cut at its comma `m`: those before it into `sx`, those
/// after it into `sy`, a field of each half a step while both have a word's field ahead,
/// then each half on its own ([`scan_slots`]). How many fields each half has, or `None`
/// as [`scan_slots`].
///
/// The first half's fields are read from the line's words as long as they start before
/// `m` (the comma at `m` ends the last of them, and the second half's 9 bytes and more
/// lie beyond it), so that only the line's end is read byte by byte. A field's end is
/// the length [`word_field`] gives (from its shape table): a longer chain than
/// [`comma_in`]'s, but fewer instructions, and with two chains in the loop that was the
/// faster (`pfl_parse_bench`: fewer instructions and less CPU time than with `comma_in`
/// here, BENCHMARKS.md's radio, twelfth session).
fn scan_halves(b: &[u8], m: usize, sx: &mut [f64], sy: &mut [f64]) -> Option<(usize, usize)> {
    let (mut rx, mut ry) = (b, &b[m + 1..]);
    let y_len = ry.len();
    // Both halves have had k fields; a half with more fields than slots is refused by
    // scan_slots at the first field it has no slot for.
    let slots = sx.len().min(sy.len());
    let mut k = 0;
    while rx.len() > y_len && k < slots {
        let (Some(cx), Some(cy)) = (rx.first_chunk::<9>(), ry.first_chunk::<9>()) else {
            break;
        };
        let wx = u64::from_le_bytes(cx[..8].try_into().expect("8 bytes"));
        let wx1 = u64::from_le_bytes(cx[1..].try_into().expect("8 bytes"));
        let wy = u64::from_le_bytes(cy[..8].try_into().expect("8 bytes"));
        let wy1 = u64::from_le_bytes(cy[1..].try_into().expect("8 bytes"));
        let (Some((vx, lx)), Some((vy, ly))) = (word_field(wx, wx1), word_field(wy, wy1)) else {
            break;
        };
        sx[k] = vx;
        sy[k] = vy;
        k += 1;
        rx = &rx[lx + 1..];
        ry = &ry[ly + 1..];
    }
    let mut kx = k;
    if rx.len() > y_len {
        kx += scan_slots(&rx[..rx.len() - y_len - 1], &mut sx[k..])?;
    }
    let ky = k + scan_slots(ry, &mut sy[k..])?;
    Some((kx, ky))
}

/// The fields of `b` (at least one) into `slots`: how many, or `None` when one is not a
/// plain decimal or there are more than `slots` holds.
///
/// Away from the text's end, a field of up to 8 bytes is read from the word at its start
/// ([`word_field`]); other fields (signs, more digits) are cut at their comma and read
/// byte by byte. Near the end, byte by byte. Values go to slots made beforehand (a line
/// of n bytes has at most n / 2 + 1 fields; a profile line says how many it has, and
/// `out`, reused from line to line, mostly has them already), not pushed one by one.
fn scan_slots(b: &[u8], slots: &mut [f64]) -> Option<usize> {
    let n = b.len();
    let mut k = 0;
    let mut i = 0;
    loop {
        // word_field reads 9 bytes: fields from their words while 9 are left, on a
        // slice that steps over each (no index to check against the line's length).
        let mut rest = &b[i..];
        while rest.len() >= 9 {
            let w = u64::from_le_bytes(rest[..8].try_into().expect("8 bytes"));
            let w1 = u64::from_le_bytes(rest[1..9].try_into().expect("8 bytes"));
            let Some((v, len)) = word_field(w, w1) else {
                break;
            };
            *slots.get_mut(k)? = v;
            k += 1;
            // The field ends at the word's first comma (or at byte 8), which is what
            // word_field checked (see `comma_in`).
            let comma = comma_in(w);
            debug_assert_eq!(comma, len);
            rest = &rest[comma + 1..];
        }
        i = n - rest.len();
        if rest.len() < 9 {
            break;
        }
        // Any other field: to its comma (the last field goes to the loop below).
        let Some(len) = b[i..].iter().position(|&c| c == b',') else {
            break;
        };
        *slots.get_mut(k)? = slow_field(&b[i..i + len])?;
        k += 1;
        i += len + 1;
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
                return None;
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
                    return None;
                }
            }
            frac = i - f0;
        }
        if int_digits + frac == 0 {
            return None;
        }
        // Clinger: mantissa < 10^15 < 2^53 and 10^frac are exact, one division rounds once.
        let v = mantissa as i64 as f64 / POW10[frac];
        *slots.get_mut(k)? = if neg { -v } else { v };
        k += 1;
        if i == n {
            break;
        }
        if b[i] != b',' {
            return None;
        }
        i += 1;
        if i == n {
            return None; // a trailing comma: the general parser allows it
        }
    }
    Some(k)
}

/// The comma-separated fields of a short line (a case table's row, at most
/// [`ROW_MAX`] bytes) into `out` when every one is a plain decimal (`-12.345`: an
/// optional minus, digits with at most one dot, at most 15 digits), each exactly
/// `str::parse`'s value: how many there are, or `None` for anything else (another
/// field, an empty one, more fields than `out` holds, a longer line).
///
/// The line is copied into a buffer padded with commas, so that every field, the last
/// one too, is read from the 8 bytes at its start ([`word_field`]) when it has at most
/// 8; longer ones (a sign, more digits) byte by byte.
pub fn scan_row(b: &[u8], out: &mut [f64]) -> Option<usize> {
    const CAP: usize = ROW_MAX + 9;
    if b.len() > ROW_MAX {
        return None;
    }
    let mut buf = [b','; CAP];
    buf[..b.len()].copy_from_slice(b);
    let end = b.len(); // a comma there ends the last field
    let (mut i, mut k) = (0, 0);
    // i <= end <= ROW_MAX: the 9 bytes from i are in the buffer.
    while i <= end {
        let w = u64::from_le_bytes(buf[i..i + 8].try_into().expect("8 bytes"));
        let w1 = u64::from_le_bytes(buf[i + 1..i + 9].try_into().expect("8 bytes"));
        let (v, len) = match word_field(w, w1) {
            Some(f) => f,
            None => {
                let len = buf[i..=end].iter().position(|&c| c == b',')?;
                (slow_field(&buf[i..i + len])?, len)
            }
        };
        *out.get_mut(k)? = v;
        k += 1;
        i += len + 1;
    }
    Some(k)
}

/// The longest line [`scan_row`] reads.
pub const ROW_MAX: usize = 192;

/// A plain decimal field (`-12.345`: an optional minus, digits with at most one dot, at
/// most 15 digits), byte by byte; `None` when it is not one.
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

    /// What `word_field` must answer for 9 bytes: the field before the first comma, when
    /// it is an unsigned plain decimal of at most 8 bytes, its value by `str::parse`.
    fn word_field_oracle(b: &[u8; 9]) -> Option<(f64, usize)> {
        let len = b.iter().position(|&c| c == b',')?;
        let f = std::str::from_utf8(&b[..len]).ok()?;
        let plain = f.bytes().all(|c| c == b'.' || c.is_ascii_digit())
            && f.bytes().filter(|&c| c == b'.').count() <= 1
            && f.bytes().any(|c| c.is_ascii_digit());
        plain.then(|| (f.parse::<f64>().unwrap(), len))
    }

    fn word_field_of(b: &[u8; 9]) -> Option<(f64, usize)> {
        word_field(
            u64::from_le_bytes(b[..8].try_into().unwrap()),
            u64::from_le_bytes(b[1..].try_into().unwrap()),
        )
    }

    #[test]
    fn word_fields_equal_std_on_every_short_text() {
        // Every 9 bytes over digits, dot, comma, minus, another byte and one that is not
        // ASCII (0xff carries in the digit test): the word's answer is str::parse's, and
        // it answers every plain field but 8 bare digits.
        const ALPHABET: [u8; 7] = [b'0', b'7', b'.', b',', b'-', b'x', 0xff];
        let mut b = [0u8; 9];
        for mut code in 0..7u32.pow(9) {
            for c in b.iter_mut() {
                *c = ALPHABET[(code % 7) as usize];
                code /= 7;
            }
            let got = word_field_of(&b);
            let want = word_field_oracle(&b);
            if want.is_some_and(|(_, len)| len == 8) && !b[..8].contains(&b'.') {
                assert_eq!(got, None, "{:?}", std::str::from_utf8(&b));
                continue;
            }
            assert_eq!(
                got.map(|(v, l)| (v.to_bits(), l)),
                want.map(|(v, l)| (v.to_bits(), l)),
                "{:?}",
                std::str::from_utf8(&b)
            );
        }
    }

    #[test]
    fn word_fields_by_hand() {
        for (text, want) in [
            ("1077.002,", Some((1077.002, 8))),
            ("0.0,1,2,3", Some((0.0, 3))),
            ("98765432,", None),
            (".5,-1,xxx", Some((0.5, 2))),
            ("5.,xxxxxx", Some((5.0, 2))),
            ("1234567.,", Some((1234567.0, 8))),
            ("9.999999,", Some((9.999999, 8))),
            ("0.000001,", Some((1e-6, 8))),
            ("12,4.5,xx", Some((12.0, 2))),
            ("-1.5,xxxx", None),
            (".,1234567", None),
            ("1.2.3,xxx", None),
            ("1234.5678", None),
            (",1,2,3,4,", None),
        ] {
            let b: [u8; 9] = text.as_bytes().try_into().unwrap();
            assert_eq!(word_field_of(&b), want, "{text}");
        }
        // Every byte value at every place of a few fields, alone and beside a byte that
        // is not ASCII.
        for base in [
            *b"42.19,999",
            *b"123.4567,",
            *b"1234567.,",
            *b"7654321,9",
            *b"9.9,9.9,9",
        ] {
            for at in 0..9 {
                for other in [None, Some((at + 3) % 9)] {
                    for c in 0..=255u8 {
                        let mut b = base;
                        b[at] = c;
                        if let Some(o) = other {
                            b[o] = 0xc3;
                        }
                        let want = word_field_oracle(&b);
                        // 8 bare digits are left to the slow path.
                        let want = want.filter(|&(_, l)| l < 8 || b[..8].contains(&b'.'));
                        assert_eq!(
                            word_field_of(&b).map(|(v, l)| (v.to_bits(), l)),
                            want.map(|(v, l)| (v.to_bits(), l)),
                            "{b:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn rows_by_hand() {
        let mut out = [0.0; 16];
        assert_eq!(
            scan_row(b"165.2,16.09,80,0.01,350,5830.3,0,4", &mut out),
            Some(8)
        );
        assert_eq!(
            out[..8],
            [165.2, 16.09, 80.0, 0.01, 350.0, 5830.3, 0.0, 4.0]
        );
        assert_eq!(
            scan_row(b"-0,12345678,.5,5.,1234567890.12345", &mut out),
            Some(5)
        );
        assert!(out[0].is_sign_negative());
        assert_eq!(out[1..5], [12345678.0, 0.5, 5.0, 1234567890.12345]);
        assert_eq!(scan_row(b"7", &mut out), Some(1));
        assert_eq!(out[0], 7.0);
        for bad in [
            "",
            "1,",
            ",1",
            "1,,2",
            "1e3",
            "+1",
            "1, 2",
            "x",
            "1.2.3",
            "12345678901234567",
        ] {
            assert_eq!(scan_row(bad.as_bytes(), &mut out), None, "{bad}");
        }
        assert_eq!(scan_row(b"1,2,3", &mut out[..2]), None);
        let long = vec![b'1'; ROW_MAX + 1];
        assert_eq!(scan_row(&long, &mut out), None);
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
        fn cells_equal_std(s in "[0-9.]{0,17}", t in "[-+0-9.eE]{0,18}") {
            // The short-cell path and the rest: str::parse's value, bit for bit.
            for s in [&s, &t] {
                prop_assert_eq!(parse_f64(s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{:?}", s);
            }
        }
        #[test]
        fn rows_equal_std(cells in proptest::collection::vec("[-0-9.]{0,12}|[0-9]{1,17}|[-+0-9.e ]{0,4}", 1..24)) {
            // Any row: every cell's str::parse value, bit for bit, when each is a plain
            // decimal of at most 15 digits; None otherwise.
            let line = cells.join(",");
            let mut out = [0.0; 20];
            let plain = |c: &str| {
                let digits = c.bytes().filter(u8::is_ascii_digit).count();
                let body = c.strip_prefix('-').unwrap_or(c);
                (1..=15).contains(&digits)
                    && body.bytes().all(|b| b == b'.' || b.is_ascii_digit())
                    && body.bytes().filter(|&b| b == b'.').count() <= 1
            };
            let want = (line.len() <= ROW_MAX && cells.len() <= 20 && cells.iter().all(|c| plain(c)))
                .then(|| cells.iter().map(|c| c.parse::<f64>().unwrap().to_bits()).collect::<Vec<_>>());
            let got = scan_row(line.as_bytes(), &mut out).map(|k| out[..k].iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            prop_assert_eq!(got, want, "{:?}", line);
        }
        #[test]
        fn any_text_never_panics(s in "[-+0-9.eE]{0,20}") {
            let _ = parse_f64(&s);
        }
    }
}
