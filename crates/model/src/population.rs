//! Tolerant parsing of population tags, as mappers write them.
//!
//! The rule, applied to OSM `population` tags and to user files alike:
//! - thousands separators are dropped: spaces (also no-break and thin spaces), `,` `'` `_`
//!   and `.` when followed by exactly three digits (`1.234` is 1234, `12.5` is 12);
//! - a leading `~`, `ca.`, `≈`, `около`, `>` or `<` is ignored;
//! - a range `500-600` or `500–600` takes its lower bound (the conservative figure);
//! - a trailing note (`1200 (2019)`, `1200;1300`) is cut at the first character that
//!   cannot belong to the number;
//! - anything else (empty, `unknown`, negative) is `None`.

/// Parse a population figure per the module rule.
///
/// ```
/// use fiberplan_model::population::parse_tolerant;
/// assert_eq!(parse_tolerant("1 234"), Some(1234));
/// assert_eq!(parse_tolerant("~500"), Some(500));
/// assert_eq!(parse_tolerant("500-600"), Some(500));
/// assert_eq!(parse_tolerant("1.234"), Some(1234));
/// assert_eq!(parse_tolerant("unknown"), None);
/// ```
pub fn parse_tolerant(raw: &str) -> Option<u64> {
    let mut s = raw.trim();
    for prefix in ["~", "ca.", "ca", "≈", "около", "примерно", ">", "<", "+"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let mut digits = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            digits.push(c);
        } else if matches!(
            c,
            ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | ',' | '\'' | '_' | '.'
        ) {
            // A separator only when digits came before and exactly three digits follow.
            let next3 = chars
                .get(i + 1..i + 4)
                .is_some_and(|w| w.iter().all(char::is_ascii_digit));
            let then_end = chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
            if digits.is_empty() || !(next3 && then_end) {
                break;
            }
        } else {
            break;
        }
        i += 1;
    }
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_tolerant;

    #[test]
    fn forms_seen_in_osm() {
        let cases = [
            ("1234", Some(1234)),
            ("1 234", Some(1234)),
            ("1\u{a0}234", Some(1234)),
            ("12,345", Some(12345)),
            ("1,234,567", Some(1234567)),
            ("1.234", Some(1234)),
            ("12.5", Some(12)),
            ("~500", Some(500)),
            ("ca. 300", Some(300)),
            ("около 700", Some(700)),
            ("500-600", Some(500)),
            ("500–600", Some(500)),
            ("1200 (2019)", Some(1200)),
            ("1200;1300", Some(1200)),
            ("", None),
            ("unknown", None),
            ("-5", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_tolerant(raw), want, "{raw:?}");
        }
    }
}
