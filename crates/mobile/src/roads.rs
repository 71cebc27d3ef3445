//! Road classes from refs: Kazakh refs mix Cyrillic and Latin look-alike letters and two
//! numbering schemes, so a ref is normalised before it is classed.
//!
//! Normalising (`normalise_ref`): Cyrillic look-alikes become their Latin twins (А→A,
//! В→B, Е→E, К→K, М→M, Н→H, О→O, Р→P, С→C, Т→T, У→Y, Х→X, І→I), letters upper-case, any
//! dash or space between the letters and the number becomes one `-` (`М 36`, `M36`,
//! `м–36` all read `M-36`). Several refs (`A-2;E 40`) are classed by the highest.
//!
//! Classing (`class_of`), first rule that applies:
//! 1. the normalised ref is in the user's ref-to-class CSV: that class;
//! 2. the prefix is `E` or `AH` (international), `M` (the Soviet-era scheme, still signed),
//!    `A` or `P` / `R` (the republican scheme since 2011, `Р` read as `P`): republican;
//! 3. a two-letter prefix starting with `K` (`KA`..`KX`, the oblast roads of each oblast's
//!    letter): oblast;
//! 4. no ref or another prefix: by the OSM class: motorway, trunk and primary republican,
//!    secondary oblast, the rest local.

use std::collections::BTreeMap;

/// The programme's road classes (republican roads by end 2026, oblast roads by end 2027).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoadClass {
    Republican,
    Oblast,
    Local,
}

impl RoadClass {
    pub const ALL: [RoadClass; 3] = [RoadClass::Republican, RoadClass::Oblast, RoadClass::Local];

    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Republican => "republican",
            RoadClass::Oblast => "oblast",
            RoadClass::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Option<RoadClass> {
        RoadClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The class an OSM `highway` value implies when the ref says nothing.
    pub fn of_highway(highway: &str) -> RoadClass {
        match highway.trim_end_matches("_link") {
            "motorway" | "trunk" | "primary" | "republican" => RoadClass::Republican,
            "secondary" | "oblast" => RoadClass::Oblast,
            _ => RoadClass::Local,
        }
    }
}

fn latin_twin(c: char) -> char {
    match c {
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'Е' | 'е' => 'E',
        'К' | 'к' => 'K',
        'М' | 'м' => 'M',
        'Н' | 'н' => 'H',
        'О' | 'о' => 'O',
        'Р' | 'р' => 'P',
        'С' | 'с' => 'C',
        'Т' | 'т' => 'T',
        'У' | 'у' => 'Y',
        'Х' | 'х' => 'X',
        'І' | 'і' => 'I',
        '‐' | '‑' | '‒' | '–' | '—' | '−' | '_' => '-',
        c => c.to_ascii_uppercase(),
    }
}

/// One ref in its normal form (see the module doc).
pub fn normalise_ref(r: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in r.trim().chars().map(latin_twin) {
        if c == '-' || c.is_whitespace() {
            pending_dash = !out.is_empty();
            continue;
        }
        let last = out.chars().last();
        let boundary = matches!(last, Some(l) if l.is_ascii_alphabetic() && c.is_ascii_digit());
        if pending_dash || boundary {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
        }
        out.push(c);
    }
    out
}

/// The refs of a `ref` value, normalised (`;`-separated in OSM).
pub fn refs(r: &str) -> Vec<String> {
    r.split(';')
        .map(normalise_ref)
        .filter(|s| !s.is_empty())
        .collect()
}

fn class_by_prefix(r: &str) -> Option<RoadClass> {
    let prefix: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    match prefix.as_str() {
        "E" | "AH" | "M" | "A" | "P" | "R" => Some(RoadClass::Republican),
        p if p.len() == 2 && p.starts_with('K') => Some(RoadClass::Oblast),
        _ => None,
    }
}

/// The class of a road from its `ref`, its OSM class and the user's overrides (keys are
/// normalised refs).
pub fn class_of(
    reference: &str,
    highway: &str,
    overrides: &BTreeMap<String, RoadClass>,
) -> RoadClass {
    let by_ref = refs(reference)
        .iter()
        .filter_map(|r| overrides.get(r).copied().or_else(|| class_by_prefix(r)))
        .min();
    by_ref.unwrap_or_else(|| RoadClass::of_highway(highway))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_and_schemes() {
        assert_eq!(normalise_ref("М-36"), "M-36");
        assert_eq!(normalise_ref("M36"), "M-36");
        assert_eq!(normalise_ref(" м – 36 "), "M-36");
        assert_eq!(normalise_ref("Р-4"), "P-4");
        assert_eq!(normalise_ref("КХ-43"), "KX-43");
        assert_eq!(normalise_ref("E 40"), "E-40");
        assert_eq!(refs("А-2;E 40"), vec!["A-2", "E-40"]);
        let none = BTreeMap::new();
        assert_eq!(class_of("А-2", "secondary", &none), RoadClass::Republican);
        assert_eq!(class_of("M-32", "primary", &none), RoadClass::Republican);
        assert_eq!(class_of("КН-7", "primary", &none), RoadClass::Oblast);
        assert_eq!(class_of("", "secondary", &none), RoadClass::Oblast);
        assert_eq!(class_of("", "trunk_link", &none), RoadClass::Republican);
        assert_eq!(class_of("", "tertiary", &none), RoadClass::Local);
        assert_eq!(class_of("X-1", "tertiary", &none), RoadClass::Local);
        // Cyrillic and Latin spellings of one ref are one key.
        let over = BTreeMap::from([("KH-7".to_string(), RoadClass::Local)]);
        assert_eq!(class_of("КН-7", "primary", &over), RoadClass::Local);
        // Several refs: the highest class wins.
        assert_eq!(
            class_of("КН-7;А-2", "tertiary", &none),
            RoadClass::Republican
        );
    }
}
