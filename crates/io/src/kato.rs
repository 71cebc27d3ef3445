//! The official settlement classifier KATO (`data/kz/kato_2022-10-17_ru.csv`: `id;parent_id;
//! code;name`, `;`-separated, UTF-8 with a byte-order mark) and the matching of villages to
//! its settlements: a village gets a settlement's 9-digit code and rural okrug when its name
//! matches exactly one settlement of its own district.
//!
//! KATO codes nest: `AABBCCDDD` with the district in `AABB`, the rural okrug in `CC` (codes
//! ending `000` below a district are okrugs or town administrations) and the settlement in
//! `DDD`. Names carry a kind prefix (`с.`, `п.`, `г.`, `ст.`); Russian names in the
//! classifier, often Kazakh or transliterated names in OpenStreetMap, so both are folded to
//! one spelling before comparing.

use crate::{InputError, Where};
use fiberplan_model::{District, Village};
use std::collections::BTreeMap;
use std::path::Path;

/// One settlement of the classifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// 9-digit code.
    pub code: String,
    /// Its name as the classifier gives it (`с.Абралы`).
    pub name: String,
    /// The rural okrug it belongs to (`Абралинский с.о.`), empty when none.
    pub okrug: String,
}

/// The classifier's settlements (rows whose code does not end in `000`).
pub fn read_kato(path: &Path) -> Result<Vec<Settlement>, InputError> {
    let text = crate::text::read_text(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut rows: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.splitn(4, ';').collect();
        let [id, parent, code, name] = f[..] else {
            return Err(InputError::new(
                path,
                Where::Line(i as u64 + 1),
                "expected 4 fields: id;parent_id;code;name",
            ));
        };
        if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InputError::new(
                path,
                Where::Line(i as u64 + 1),
                format!("code {code:?} is not 9 digits"),
            ));
        }
        rows.insert(
            id.to_string(),
            (
                parent.to_string(),
                code.to_string(),
                name.trim().to_string(),
            ),
        );
    }
    let mut out = Vec::new();
    for (parent, code, name) in rows.values() {
        if code.ends_with("000") {
            continue;
        }
        // The okrug: the nearest ancestor coded as one (`…000`, not a district `…00000`).
        let mut okrug = String::new();
        let mut at = parent.as_str();
        for _ in 0..8 {
            let Some((up, c, n)) = rows.get(at) else {
                break;
            };
            if c.ends_with("00000") {
                break;
            }
            if c.ends_with("000") {
                okrug = n.clone();
                break;
            }
            at = up;
        }
        out.push(Settlement {
            code: code.clone(),
            name: name.clone(),
            okrug,
        });
    }
    Ok(out)
}

/// A name folded for comparison: kind prefix dropped, lower case, Kazakh letters and `ё`
/// as their Russian look-alikes, only letters and digits kept.
pub fn fold_name(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let mut s = lower.as_str();
    for p in ["с.", "п.", "г.", "а.", "ст.", "рзд.", "с ", "п ", "г "] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest;
            break;
        }
    }
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'ә' => 'а',
                'і' | 'ı' => 'и',
                'ң' => 'н',
                'ғ' => 'г',
                'ү' | 'ұ' => 'у',
                'қ' => 'к',
                'ө' => 'о',
                'һ' => 'х',
                'ё' => 'е',
                c => c,
            };
            c.is_alphanumeric().then_some(c)
        })
        .collect()
}

/// Households by settlement KATO code, as an akimat fills them in: a CSV (`,` `;` or tab)
/// with a `kato` column (9 digits) and a `households` column. Each row comes with its line.
pub fn read_households_by_kato(path: &Path) -> Result<Vec<(String, u64, u64)>, InputError> {
    let text = crate::text::read_text(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (mut rdr, headers) = crate::villages::checked_csv(path, text, false)?;
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                InputError::new(
                    path,
                    Where::Line(1),
                    format!("no `{name}` column: expected kato and households"),
                )
            })
    };
    let (c_kato, c_hh) = (col("kato")?, col("households")?);
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let (rec, line) = crate::villages::csv_record(path, rec)?;
        let at = |m: String| InputError::new(path, Where::Line(line), m);
        let code = rec.get(c_kato).unwrap_or("").trim();
        if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
            let shown: String = code.chars().take(40).collect();
            return Err(at(format!(
                "kato {shown:?} is not a 9-digit settlement code"
            )));
        }
        let cell = rec.get(c_hh).unwrap_or("").trim();
        let households: u64 = cell.parse().map_err(|_| {
            let shown: String = cell.chars().take(40).collect();
            at(format!("households {shown:?} is not a whole number"))
        })?;
        if households > crate::villages::MAX_HOUSEHOLDS {
            return Err(at(format!(
                "households {households} is absurd for a village (over {})",
                crate::villages::MAX_HOUSEHOLDS
            )));
        }
        if let Some(prev) = seen.insert(code.to_string(), line) {
            return Err(at(format!("kato {code} appears twice (also line {prev})")));
        }
        out.push((code.to_string(), households, line));
    }
    if out.is_empty() {
        return Err(InputError::file(path, "no rows: expected kato,households"));
    }
    Ok(out)
}

/// Give the villages whose settlement code is in `rows` those households (population from
/// them and `household_size`; no longer imputed). A code the classifier does not know is an
/// error at its line; a known code that no village carries is counted and returned.
pub fn apply_households(
    path: &Path,
    rows: &[(String, u64, u64)],
    settlements: &[Settlement],
    villages: &mut [Village],
    household_size: f64,
) -> Result<(usize, usize), InputError> {
    let known: std::collections::BTreeSet<&str> =
        settlements.iter().map(|s| s.code.as_str()).collect();
    let mut by_code: BTreeMap<&str, u64> = BTreeMap::new();
    for (code, h, line) in rows {
        if !known.contains(code.as_str()) {
            return Err(InputError::new(
                path,
                Where::Line(*line),
                format!("kato {code} is no settlement of the classifier"),
            ));
        }
        by_code.insert(code, *h);
    }
    let mut used: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut set = 0;
    for v in villages.iter_mut() {
        if let Some((&code, &h)) = by_code.get_key_value(v.kato.as_str()) {
            v.households = h;
            v.population = (h as f64 * household_size).round() as u64;
            v.population_imputed = false;
            used.insert(code);
            set += 1;
        }
    }
    Ok((set, by_code.len() - used.len()))
}

/// Give each village the code and okrug of the one settlement of its district whose folded
/// name equals one of the village's names; villages with no such settlement, or several,
/// keep empty fields. Returns how many were matched.
pub fn match_villages(
    villages: &mut [Village],
    districts: &[District],
    settlements: &[Settlement],
) -> usize {
    // District prefix (AABB) and folded name -> settlements.
    let mut by_key: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
    for (i, s) in settlements.iter().enumerate() {
        by_key
            .entry((&s.code[..4], fold_name(&s.name)))
            .or_default()
            .push(i);
    }
    let mut matched = 0;
    for v in villages.iter_mut() {
        let Some(d) = v.district.and_then(|d| districts.get(d)) else {
            continue;
        };
        if d.kato.len() < 4 {
            continue;
        }
        let prefix = &d.kato[..4];
        let mut found: Option<usize> = None;
        let mut ambiguous = false;
        for n in [&v.name_ru, &v.name, &v.name_kk] {
            if n.is_empty() {
                continue;
            }
            if let Some(hits) = by_key.get(&(prefix, fold_name(n))) {
                match (hits.len(), found) {
                    (1, None) => found = Some(hits[0]),
                    (1, Some(f)) if f == hits[0] => {}
                    _ => ambiguous = true,
                }
            }
        }
        if let (Some(i), false) = (found, ambiguous) {
            v.kato = settlements[i].code.clone();
            v.rural_okrug = settlements[i].okrug.clone();
            matched += 1;
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    const KATO: &str = "\u{feff}id;parent_id;code;name
1;0;100000000;область Абай
2;1;101000000;Семей Г.А.
4;2;101033000;Абралинский с.о.
5;4;101033100;с.Абралы
6;5;101033102;с.Акшабай
7;2;101035100;с.Карааул
8;2;101037100;с.Акшабай
";

    fn village(name: &str, name_kk: &str) -> Village {
        Village {
            id: "1".into(),
            name: name.into(),
            name_kk: name_kk.into(),
            lonlat: [80.0, 50.0],
            place: "village".into(),
            population: 100,
            households: 30,
            district: Some(0),
            ..Village::default()
        }
    }

    #[test]
    fn settlements_get_their_okrug_and_names_match_across_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kato.csv");
        std::fs::write(&p, KATO).unwrap();
        let s = read_kato(&p).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].code, "101033100");
        assert_eq!(s[0].okrug, "Абралинский с.о.");
        // A settlement under a settlement (101033102 under 101033100) still finds the okrug;
        // one directly under the district (101035100) has none.
        assert_eq!(s[1].okrug, "Абралинский с.о.");
        assert_eq!(s[2].okrug, "");
        assert_eq!(fold_name("с.Қараауыл"), fold_name("Караауыл"));
        let districts = [District {
            kato: "101000000".into(),
            ..Default::default()
        }];
        let mut v = [
            village("Абралы", ""),
            village("Акшабай", ""),
            village("Нет такого", ""),
            village("Qaraaul", "Қарааул"),
        ];
        assert_eq!(match_villages(&mut v, &districts, &s), 2);
        assert_eq!(
            (v[0].kato.as_str(), v[0].rural_okrug.as_str()),
            ("101033100", "Абралинский с.о.")
        );
        // Two settlements of the district share the name: no guess.
        assert_eq!(v[1].kato, "");
        assert_eq!(v[2].kato, "");
        assert_eq!(v[3].kato, "101035100");
    }

    #[test]
    fn a_malformed_row_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kato.csv");
        std::fs::write(&p, "id;parent_id;code;name\n1;0;12ab;x\n").unwrap();
        let e = read_kato(&p).unwrap_err().to_string();
        assert!(
            e.contains("kato.csv:2") && e.contains("not 9 digits"),
            "{e}"
        );
    }

    #[test]
    fn an_akimats_households_replace_the_villages_own() {
        let dir = tempfile::tempdir().unwrap();
        let k = dir.path().join("kato.csv");
        std::fs::write(&k, KATO).unwrap();
        let s = read_kato(&k).unwrap();
        let mut v = [village("Абралы", ""), village("Карааул", "")];
        v[0].kato = "101033100".into();
        v[0].population_imputed = true;
        let p = dir.path().join("hh.csv");
        std::fs::write(
            &p,
            "\u{feff}kato;households;note\n101033100;212;перепись\n101037100;40;\n",
        )
        .unwrap();
        let rows = read_households_by_kato(&p).unwrap();
        assert_eq!(rows[1], ("101037100".to_string(), 40, 3));
        // 212 households of 3.5 people: 742; the second code is known but carried by none.
        assert_eq!(
            apply_households(&p, &rows, &s, &mut v, 3.5).unwrap(),
            (1, 1)
        );
        assert_eq!(
            (v[0].households, v[0].population, v[0].population_imputed),
            (212, 742, false)
        );
        assert_eq!(v[1].households, 30);

        let mut bad = |body: &str| {
            std::fs::write(&p, body).unwrap();
            match read_households_by_kato(&p) {
                Ok(rows) => apply_households(&p, &rows, &s, &mut v, 3.5)
                    .unwrap_err()
                    .to_string(),
                Err(e) => e.to_string(),
            }
        };
        let e = bad("kato,households\n101033100,12\n101033100,13\n");
        assert!(e.contains("hh.csv:3") && e.contains("appears twice"), "{e}");
        let e = bad("kato,households\n10103310,12\n");
        assert!(e.contains("hh.csv:2") && e.contains("not a 9-digit"), "{e}");
        let e = bad("kato,households\n101033100,-5\n");
        assert!(
            e.contains("hh.csv:2") && e.contains("not a whole number"),
            "{e}"
        );
        let e = bad("kato,households\n999999999,5\n");
        assert!(
            e.contains("hh.csv:2") && e.contains("no settlement of the classifier"),
            "{e}"
        );
        let e = bad("code,households\n");
        assert!(
            e.contains("hh.csv:1") && e.contains("no `kato` column"),
            "{e}"
        );
    }
}
