//! Villages that already have fibre, and their place in the planning graph.
//!
//! Three sources, in this order of precedence:
//! - the villages file's `has_fibre` column or property (read with the villages);
//! - a list of village ids (`--has-fibre FILE`), which also replaces the proxy;
//! - for the bundled national villages only, a declared proxy, since no public map of who
//!   has fibre exists: the district's administrative centre as the KATO classifier numbers
//!   it (settlement code `AABB30100`: the first settlement of the okrug coded 30, which the
//!   classifier gives to the district centre's administration; where the centre is a town
//!   it is a point of presence already), and every village within a set distance of a
//!   city's or town's point of presence (suburbs, and villages a town's network passes).
//!
//! A village with fibre becomes a point of presence (its node joins the root of the
//! planning graph), so its neighbours may attach to it, and its households are not demand.

use crate::{InputSpec, LoadError};
use fiberplan_io::{read_id_list, InputError, Where};
use fiberplan_model::{Backbone, ExistingFibre, Pop, PopSource, Village};
use fiberplan_network::geodesy::distance_m;
use fiberplan_network::PlanningGraph;
use std::collections::BTreeMap;
use std::path::Path;

/// Whether a settlement KATO code is a district's administrative centre (`AABB30100`).
pub fn is_district_centre_kato(kato: &str) -> bool {
    kato.len() == 9 && kato.bytes().all(|b| b.is_ascii_digit()) && kato.ends_with("30100")
}

/// Mark the villages named in the id list at `path`; an id that is no village is an error
/// at its line.
pub fn mark_listed(path: &Path, villages: &mut [Village]) -> Result<(), LoadError> {
    let index: BTreeMap<&str, usize> = villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut marks = Vec::new();
    for (id, line) in read_id_list(path)? {
        let Some(&i) = index.get(id.as_str()) else {
            let shown: String = id.chars().take(40).collect();
            return Err(InputError::new(
                path,
                Where::Line(line),
                format!("village id {shown:?} is not among the plan's villages"),
            )
            .into());
        };
        marks.push(i);
    }
    for i in marks {
        villages[i].existing_fibre = Some(ExistingFibre::List);
    }
    Ok(())
}

/// The declared proxy: district centres, and villages within `km` of a city's or town's
/// point of presence. Villages already marked keep their mark.
pub fn mark_proxy(villages: &mut [Village], backbone: &Backbone, km: f64) {
    let towns: Vec<_> = backbone
        .pops
        .iter()
        .filter(|p| matches!(p.source, PopSource::City | PopSource::Town))
        .map(|p| p.lonlat)
        .collect();
    let radius_m = km * 1000.0;
    for v in villages.iter_mut().filter(|v| v.existing_fibre.is_none()) {
        if is_district_centre_kato(&v.kato) {
            v.existing_fibre = Some(ExistingFibre::ProxyDistrictCentre);
        } else if radius_m > 0.0 && towns.iter().any(|&t| distance_m(t, v.lonlat) <= radius_m) {
            v.existing_fibre = Some(ExistingFibre::ProxyNearTown);
        }
    }
}

/// Say in the backbone's description (repeated in every output) which villages count as
/// having fibre, and on what grounds.
pub fn describe(spec: &InputSpec, villages: &[Village], backbone: &mut Backbone) {
    let count = |f: fn(ExistingFibre) -> bool| {
        villages
            .iter()
            .filter(|v| v.existing_fibre.is_some_and(f))
            .count()
    };
    let proxy = count(|b| b.is_assumed());
    let given = count(|b| !b.is_assumed());
    let mut parts = Vec::new();
    if given > 0 {
        let from = match &spec.has_fibre {
            Some(p) => format!("the list {}", p.display()),
            None => "the villages file's has_fibre column".into(),
        };
        parts.push(format!("{given} villages with fibre by {from}"));
    }
    if proxy > 0 {
        let km = spec.settings.fibre_proxy_km;
        let near = if km > 0.0 {
            format!(" and villages within {km} km of a city's or town's point of presence")
        } else {
            String::new()
        };
        parts.push(format!(
            "{proxy} villages assumed to have fibre (declared proxy: district centres by their \
             KATO code{near}; --has-fibre FILE replaces it, --no-fibre-proxy drops it)"
        ));
    }
    if !parts.is_empty() {
        backbone.description = format!("{}; plus {}", backbone.description, parts.join("; "));
    }
}

/// Make every village with fibre that sits on the graph a point of presence: appended to
/// the backbone with its node, so that `graph.pop_node` still matches `backbone.pops`.
pub fn add_fibre_villages_as_pops(
    villages: &[Village],
    backbone: &mut Backbone,
    graph: &mut PlanningGraph,
) {
    for (v, node) in villages.iter().zip(&graph.village_node) {
        if let (Some(_), Some(node)) = (v.existing_fibre, node) {
            backbone.pops.push(Pop {
                id: v.id.clone(),
                name: v.name.clone(),
                lonlat: v.lonlat,
                source: PopSource::VillageWithFibre,
            });
            graph.pop_node.push(Some(*node));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn village(id: &str, lon: f64, kato: &str) -> Village {
        Village {
            id: id.into(),
            lonlat: [lon, 45.0],
            households: 100,
            kato: kato.into(),
            ..Village::default()
        }
    }

    fn town(lon: f64) -> Pop {
        Pop {
            id: "T".into(),
            name: "T".into(),
            lonlat: [lon, 45.0],
            source: PopSource::Town,
        }
    }

    #[test]
    fn district_centres_by_their_kato_code() {
        assert!(is_district_centre_kato("434030100"));
        assert!(!is_district_centre_kato("434030200"));
        assert!(!is_district_centre_kato("434031100"));
        assert!(!is_district_centre_kato(""));
        assert!(!is_district_centre_kato("4340301000"));
    }

    #[test]
    fn proxy_marks_centres_and_villages_near_towns_only() {
        // A railway station does not count as a town.
        let mut vs = vec![
            village("centre", 10.0, "434030100"),
            village("near", 70.06, ""),
            village("far", 70.08, ""),
            village("by_station", 80.0, ""),
            village("given", 90.0, ""),
        ];
        vs[4].existing_fibre = Some(ExistingFibre::Input);
        let mut station = town(80.0);
        station.source = PopSource::RailwayStation;
        let bb = Backbone {
            pops: vec![town(70.0), station],
            ..Backbone::default()
        };
        mark_proxy(&mut vs, &bb, 5.0);
        let got: Vec<_> = vs.iter().map(|v| v.existing_fibre).collect();
        assert_eq!(
            got,
            [
                Some(ExistingFibre::ProxyDistrictCentre),
                Some(ExistingFibre::ProxyNearTown),
                None,
                None,
                Some(ExistingFibre::Input),
            ]
        );
        // 0.06 degrees is about 4.7 km and 0.08 about 6.3 km: the distance decides.
        let d = |lon: f64| distance_m([70.0, 45.0], [lon, 45.0]);
        assert!(
            d(70.06) < 5000.0 && d(70.08) > 6000.0,
            "{} {}",
            d(70.06),
            d(70.08)
        );
        let mut none = vec![village("near", 70.06, "")];
        mark_proxy(&mut none, &bb, 0.0);
        assert_eq!(none[0].existing_fibre, None);
    }

    #[test]
    fn listed_ids_are_marked_and_unknown_ids_named_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.csv");
        std::fs::File::create(&ok)
            .unwrap()
            .write_all(b"id,note\nb,has a node\n")
            .unwrap();
        let mut vs = vec![village("a", 1.0, ""), village("b", 2.0, "")];
        mark_listed(&ok, &mut vs).unwrap();
        // A comment above the header: the header is still found.
        std::fs::write(&ok, "# from the akimat\nid;note\nb;x\n").unwrap();
        mark_listed(&ok, &mut vs).unwrap();
        assert_eq!(vs[0].existing_fibre, None);
        assert_eq!(vs[1].existing_fibre, Some(ExistingFibre::List));

        let bad = dir.path().join("bad.txt");
        std::fs::File::create(&bad)
            .unwrap()
            .write_all(b"# villages with fibre\na\nzz\n")
            .unwrap();
        let e = mark_listed(&bad, &mut vs).unwrap_err().to_string();
        assert!(
            e.ends_with("bad.txt:3: village id \"zz\" is not among the plan's villages"),
            "{e}"
        );
        // Nothing is marked when the list has an error.
        assert_eq!(vs[0].existing_fibre, None);
    }

    #[test]
    fn fibre_villages_join_the_points_of_presence() {
        let mut vs = vec![
            village("a", 1.0, ""),
            village("b", 2.0, ""),
            village("c", 3.0, ""),
        ];
        vs[1].existing_fibre = Some(ExistingFibre::List);
        vs[2].existing_fibre = Some(ExistingFibre::List);
        let mut bb = Backbone {
            pops: vec![town(0.0)],
            ..Backbone::default()
        };
        let mut g = PlanningGraph {
            village_node: vec![Some(1), Some(2), None],
            pop_node: vec![Some(0)],
            ..PlanningGraph::default()
        };
        add_fibre_villages_as_pops(&vs, &mut bb, &mut g);
        assert_eq!(g.pop_node, [Some(0), Some(2)]);
        assert_eq!(bb.pops.len(), 2);
        assert_eq!(bb.pops[1].id, "b");
        assert_eq!(bb.pops[1].source, PopSource::VillageWithFibre);
    }
}
