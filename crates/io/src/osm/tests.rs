use super::*;
use fiberplan_model::osm::OsmWayKind;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/osm")
        .join(name)
}

fn write_tmp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A hand-checkable extract: a secondary road 1-2-3 crossed at 2 by a track 4-2-5-6-7-8-9
/// whose node 7 is missing, a bridge 3-10, a footway, a power line, places (one with a
/// tolerant population, an isolated dwelling, a square place area).
const FIXTURE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
 <bounds minlat="49.9" minlon="10.9" maxlat="50.1" maxlon="11.1"/>
 <node id="1" lat="50.0" lon="11.0"/>
 <node id="2" lat="50.0" lon="11.02"/>
 <node id="3" lat="50.0" lon="11.04"><tag k="created_by" v="x"/></node>
 <node id="4" lat="49.99" lon="11.02"/>
 <node id="5" lat="50.01" lon="11.02"/>
 <node id="6" lat="50.02" lon="11.02"/>
 <node id="8" lat="50.04" lon="11.02"/>
 <node id="9" lat="50.05" lon="11.02"/>
 <node id="10" lat="50.0" lon="11.05"/>
 <node id="20" lat="50.03" lon="11.05">
  <tag k="place" v="village"/><tag k="name" v="A &amp; B"/><tag k="name:ru" v="Деревня"/>
  <tag k="population" v="1 234"/>
 </node>
 <node id="21" lat="50.06" lon="11.06"><tag k="place" v="isolated_dwelling"/></node>
 <node id="22" lat="49.95" lon="10.95"><tag k="place" v="hamlet"/><tag k="population" v="~50"/></node>
 <node id="30" lat="50.08" lon="10.90"/>
 <node id="31" lat="50.08" lon="10.92"/>
 <node id="32" lat="50.10" lon="10.92"/>
 <node id="33" lat="50.10" lon="10.90"/>
 <way id="100">
  <nd ref="1"/><nd ref="2"/><nd ref="3"/>
  <tag k="highway" v="secondary"/><tag k="surface" v="asphalt"/>
  <tag k="name" v="Hauptstraße"/><tag k="ref" v="St 2189"/>
 </way>
 <way id="101">
  <nd ref="4"/><nd ref="2"/><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="9"/>
  <tag k="highway" v="track"/><tag k="tracktype" v="grade3"/>
 </way>
 <way id="102"><nd ref="3"/><nd ref="10"/><tag k="highway" v="unclassified"/><tag k="bridge" v="yes"/></way>
 <way id="103"><nd ref="1"/><nd ref="4"/><tag k="highway" v="footway"/></way>
 <way id="104"><nd ref="5"/><nd ref="10"/><tag k="power" v="minor_line"/></way>
 <way id="105">
  <nd ref="30"/><nd ref="31"/><nd ref="32"/><nd ref="33"/><nd ref="30"/>
  <tag k="place" v="village"/><tag k="name" v="Square"/>
 </way>
 <relation id="200"><member type="way" ref="100" role=""/><tag k="type" v="route"/></relation>
</osm>
"#;

fn ids(d: &OsmData) -> Vec<(i64, Vec<i64>)> {
    d.ways.iter().map(|w| (w.id, w.nodes.clone())).collect()
}

#[test]
fn fixture_ways_are_filtered_and_clipped_at_the_missing_node() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_tmp(&dir, "f.osm", FIXTURE.as_bytes());
    let d = read_osm(&p, &OsmReadOptions::default()).unwrap();
    assert_eq!(
        ids(&d),
        vec![
            (100, vec![1, 2, 3]),
            (101, vec![4, 2, 5, 6]),
            (101, vec![8, 9]),
            (102, vec![3, 10]),
            (104, vec![5, 10]),
        ]
    );
    assert_eq!(d.stats.nodes, 16);
    assert_eq!(d.stats.ways, 6);
    assert_eq!(d.stats.relations, 1);
    assert_eq!(d.stats.ways_clipped, 1);
    assert_eq!(d.stats.missing_node_refs, 1);
    assert_eq!(d.bounds, Some([10.9, 49.9, 11.1, 50.1]));
    let w = &d.ways[0];
    assert_eq!(
        (w.kind, w.class.as_str(), w.paved, w.bridge),
        (OsmWayKind::Road, "secondary", Some(true), false)
    );
    assert_eq!(
        (w.name.as_str(), w.reference.as_str()),
        ("Hauptstraße", "St 2189")
    );
    assert_eq!(w.coords, vec![[11.0, 50.0], [11.02, 50.0], [11.04, 50.0]]);
    assert_eq!(d.ways[1].paved, Some(false));
    assert!(d.ways[3].bridge && d.ways[3].paved.is_none());
    assert_eq!(
        (d.ways[4].kind, d.ways[4].class.as_str()),
        (OsmWayKind::PowerLine, "minor_line")
    );
}

#[test]
fn fixture_places_with_tolerant_population_and_area_centroid() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_tmp(&dir, "f.osm", FIXTURE.as_bytes());
    let d = read_osm(&p, &OsmReadOptions::default()).unwrap();
    let got: Vec<_> = d
        .places
        .iter()
        .map(|p| (p.id, p.place.as_str(), p.population))
        .collect();
    assert_eq!(
        got,
        vec![
            (20, "village", Some(1234)),
            (22, "hamlet", Some(50)),
            (105, "village", None)
        ]
    );
    assert_eq!(d.places[0].name, "A & B");
    assert_eq!(d.places[0].name_ru, "Деревня");
    let c = d.places[2].lonlat;
    assert!(
        (c[0] - 10.91).abs() < 1e-9 && (c[1] - 50.09).abs() < 1e-9,
        "{c:?}"
    );
    let opts = OsmReadOptions {
        isolated_dwellings: true,
        ..Default::default()
    };
    let d = read_osm(&p, &opts).unwrap();
    assert_eq!(
        d.places
            .iter()
            .filter(|p| p.place == "isolated_dwelling")
            .count(),
        1
    );
}

#[test]
fn options_switch_kinds_off_and_classes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_tmp(&dir, "f.osm", FIXTURE.as_bytes());
    let mut opts = OsmReadOptions {
        power_lines: false,
        ..Default::default()
    };
    opts.highway_classes.insert("footway".into());
    let d = read_osm(&p, &opts).unwrap();
    let got: Vec<i64> = d.ways.iter().map(|w| w.id).collect();
    assert_eq!(got, vec![100, 101, 101, 102, 103]);
}

#[test]
fn gzip_is_told_by_its_bytes_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let plain = read_osm(
        &write_tmp(&dir, "a.osm", FIXTURE.as_bytes()),
        &OsmReadOptions::default(),
    )
    .unwrap();
    let gz = read_osm(
        &write_tmp(&dir, "a.osm", &gzip(FIXTURE.as_bytes())),
        &OsmReadOptions::default(),
    )
    .unwrap();
    assert_eq!(plain.ways, gz.ways);
    assert_eq!(plain.places, gz.places);
}

#[test]
fn villages_and_fallback_pop_from_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let d = read_osm(
        &write_tmp(&dir, "f.osm", FIXTURE.as_bytes()),
        &OsmReadOptions::default(),
    )
    .unwrap();
    let v = villages_from_places(&d, &VillageOptions::default());
    let got: Vec<_> = v
        .iter()
        .map(|v| {
            (
                v.id.as_str(),
                v.population,
                v.households,
                v.population_imputed,
            )
        })
        .collect();
    // The untagged village area takes the median of tagged villages (1234).
    assert_eq!(
        got,
        vec![
            ("node/20", 1234, 353, false),
            ("node/22", 50, 14, false),
            ("way/105", 1234, 353, true)
        ]
    );
    let (bb, how) = backbone_from_osm(&d);
    assert_eq!(how, PlaceFallback::MostPopulousVillage);
    assert_eq!(bb.pops.len(), 1);
    assert_eq!(bb.pops[0].id, "node/20");
    assert!(
        bb.description.contains("most populous"),
        "{}",
        bb.description
    );
}

#[test]
fn pops_rules_cities_then_centroid() {
    use fiberplan_model::osm::{OsmElement, OsmPlace};
    let place = |id, kind: &str, lon, pop| OsmPlace {
        id,
        element: OsmElement::Node,
        place: kind.into(),
        name: String::new(),
        name_kk: String::new(),
        name_ru: String::new(),
        lonlat: [lon, 45.0],
        population: pop,
    };
    let (bb, how) = pops_from_places(&[
        place(1, "village", 70.0, None),
        place(2, "town", 71.0, None),
    ]);
    assert_eq!(
        (how, bb.pops.len(), bb.pops[0].id.as_str()),
        (PlaceFallback::CitiesTowns, 1, "node/2")
    );
    let ps = [
        place(1, "village", 70.0, None),
        place(2, "hamlet", 71.0, None),
        place(3, "village", 72.0, None),
    ];
    let (bb, how) = pops_from_places(&ps);
    assert_eq!(
        (how, bb.pops[0].id.as_str()),
        (PlaceFallback::NearestCentroid, "node/2")
    );
    let (bb, how) = pops_from_places(&[]);
    assert_eq!((how, bb.pops.len()), (PlaceFallback::Nothing, 0));
}

#[test]
fn telecom_lines_are_the_backbone_when_mapped() {
    let xml = r#"<osm version="0.6"><node id="1" lat="1" lon="1"/><node id="2" lat="1" lon="2"/>
        <way id="5"><nd ref="1"/><nd ref="2"/><tag k="telecom" v="line"/></way></osm>"#;
    let dir = tempfile::tempdir().unwrap();
    let d = read_osm(
        &write_tmp(&dir, "t.osm", xml.as_bytes()),
        &OsmReadOptions::default(),
    )
    .unwrap();
    let (bb, how) = backbone_from_osm(&d);
    assert_eq!(how, PlaceFallback::TelecomLines);
    assert_eq!(bb.lines, vec![vec![[1.0, 1.0], [2.0, 1.0]]]);
    assert!(!bb.is_proxy);
}

#[test]
fn paved_rule() {
    assert_eq!(paved_from_tags(Some("asphalt"), None), Some(true));
    assert_eq!(paved_from_tags(Some("gravel"), Some("grade1")), Some(false));
    assert_eq!(paved_from_tags(None, Some("grade1")), Some(true));
    assert_eq!(paved_from_tags(Some("concrete:plates"), None), Some(true));
    assert_eq!(paved_from_tags(Some("weird"), None), None);
}

// ---- Bad files: one-line errors naming the file, never a panic. ----

fn err_of(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write_tmp(&dir, name, bytes);
    let e = read_osm(&p, &OsmReadOptions::default()).expect_err("must fail");
    let s = e.to_string();
    assert!(s.contains(name), "{s}");
    assert!(!s.contains('\n'), "{s}");
    s
}

/// Gigabytes of text between tags (or a small gzip file inflating to them) are an error
/// once a run passes 16 MiB, not read into memory whole; a long run under that is read.
#[test]
fn runs_without_markup_are_bounded() {
    let with_run = |n: usize, inside_tag: bool| -> Vec<u8> {
        let fill = "x".repeat(n);
        let doc = if inside_tag {
            format!(
                r#"<osm version="0.6"><node id="1" lat="45" lon="70"><tag k="note" v="{fill}"/></node></osm>"#
            )
        } else {
            format!(
                r#"<osm version="0.6">{}<node id="1" lat="45" lon="70"/></osm>"#,
                fill.replace('x', " ")
            )
        };
        doc.into_bytes()
    };
    let big = (16 << 20) + 1;
    for inside in [false, true] {
        let s = err_of("spaces.osm.gz", &gzip(&with_run(big, inside)));
        assert!(s.contains("more than 16 MiB without a tag"), "{s}");
        let s = err_of("spaces.osm", &with_run(big, inside));
        assert!(s.contains("more than 16 MiB without a tag"), "{s}");
        // The buildings' and masts' reader too.
        let dir = tempfile::tempdir().unwrap();
        let bomb = write_tmp(&dir, "b.osm.gz", &gzip(&with_run(big, inside)));
        let s = read_buildings(&bomb).unwrap_err().to_string();
        assert!(
            s.contains("b.osm.gz") && s.contains("more than 16 MiB without a tag"),
            "{s}"
        );
        let dir = tempfile::tempdir().unwrap();
        let ok = write_tmp(&dir, "long.osm", &with_run(1 << 20, inside));
        let d = read_osm(&ok, &OsmReadOptions::default()).unwrap();
        assert_eq!(d.stats.nodes, 1);
    }
}

#[test]
fn truncated_and_foreign_files_are_errors() {
    let cut = FIXTURE.len() / 2;
    assert!(err_of("cut.osm", &FIXTURE.as_bytes()[..cut]).contains("truncated"));
    let gz = gzip(FIXTURE.as_bytes());
    err_of("cut.osm.gz", &gz[..gz.len() - 20]);
    let pbf = std::fs::read(data("harsdorf.osm.pbf")).unwrap();
    err_of("cut.osm.pbf", &pbf[..pbf.len() / 2]);
    err_of("empty.osm.pbf", b"");
    err_of("html.osm", b"<html><body>Too many requests</body></html>");
    err_of(
        "junk.osm.pbf",
        b"\x00\x00\x00\x0dgarbage-garbage-garbage-garbage",
    );
    let s = err_of(
        "notes.txt",
        b"Just some notes about roads, not OSM data at all.\n",
    );
    assert!(s.contains("not an OSM file"), "{s}");
    let missing = tempfile::tempdir().unwrap().path().join("nope.osm.pbf");
    assert!(read_osm(&missing, &OsmReadOptions::default())
        .unwrap_err()
        .to_string()
        .contains("nope.osm.pbf"));
}

#[test]
fn bad_coordinates_name_the_node() {
    let xml = r#"<osm version="0.6"><node id="7" lat="95" lon="1"/></osm>"#;
    let s = err_of("bad.osm", xml.as_bytes());
    assert!(s.contains("node 7"), "{s}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Truncated or byte-flipped PBF: an error or a smaller extract, never a panic.
    #[test]
    fn mutated_pbf_never_panics(cut in 0.0f64..1.0, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..4)) {
        let mut bytes = std::fs::read(data("neudrossenfeld.osm.pbf")).unwrap();
        let n = ((bytes.len() as f64) * cut) as usize;
        bytes.truncate(n.max(1));
        for (at, b) in flips {
            let i = ((bytes.len() as f64) * at) as usize;
            if i < bytes.len() { bytes[i] ^= b; }
        }
        let dir = tempfile::tempdir().unwrap();
        let p = write_tmp(&dir, "m.osm.pbf", &bytes);
        if let Err(e) = read_osm(&p, &OsmReadOptions::default()) {
            prop_assert!(e.to_string().contains("m.osm.pbf"));
        }
    }

    /// Truncated or byte-flipped OSM XML in gzip: same.
    #[test]
    fn mutated_gz_never_panics(cut in 0.0f64..1.0, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..4)) {
        let mut bytes = std::fs::read(data("neudrossenfeld.osm.gz")).unwrap();
        let n = ((bytes.len() as f64) * cut) as usize;
        bytes.truncate(n.max(1));
        for (at, b) in flips {
            let i = ((bytes.len() as f64) * at) as usize;
            if i < bytes.len() { bytes[i] ^= b; }
        }
        let dir = tempfile::tempdir().unwrap();
        let p = write_tmp(&dir, "m.osm.gz", &bytes);
        if let Err(e) = read_osm(&p, &OsmReadOptions::default()) {
            prop_assert!(e.to_string().contains("m.osm.gz"));
        }
    }
}

// ---- The bundled extracts against pyosmium (tools/osm_expected.py). ----

struct Expected {
    file: &'static str,
    /// Places by type (nodes and complete closed ways).
    places: &'static [(&'static str, usize)],
    /// (kind/class, distinct ways with something to lay, geodesic km).
    ways: &'static [(&'static str, usize, f64)],
}

/// Figures printed by `tools/osm_expected.py data/osm/*` (pyosmium 4.3.2, geographiclib 2.1).
const EXPECTED: &[Expected] = &[
    Expected {
        file: "almaty_2013.osm.pbf",
        places: &[("city", 2), ("hamlet", 2), ("town", 1), ("village", 26)],
        ways: &[
            ("railway/rail", 65, 118.916822),
            ("road/living_street", 45, 7.888674),
            ("road/motorway_link", 2, 0.202487),
            ("road/primary", 435, 383.894256),
            ("road/primary_link", 84, 13.621362),
            ("road/residential", 2402, 1246.72558),
            ("road/road", 53, 43.209529),
            ("road/secondary", 312, 391.9557),
            ("road/secondary_link", 11, 3.103108),
            ("road/service", 248, 77.528132),
            ("road/tertiary", 217, 282.187072),
            ("road/tertiary_link", 2, 0.082734),
            ("road/track", 48, 59.768723),
            ("road/trunk", 29, 150.297437),
            ("road/trunk_link", 6, 0.463078),
            ("road/unclassified", 243, 233.973809),
        ],
    },
    Expected {
        file: "andorra.osm.pbf",
        places: &[("hamlet", 20), ("town", 7), ("village", 32)],
        ways: &[
            ("power_line/line", 11, 157.325908),
            ("road/living_street", 1, 0.128227),
            ("road/primary", 309, 119.131224),
            ("road/primary_link", 17, 1.312475),
            ("road/residential", 468, 90.44458),
            ("road/road", 5, 0.951388),
            ("road/secondary", 144, 154.805546),
            ("road/secondary_link", 4, 0.078179),
            ("road/service", 124, 16.621847),
            ("road/tertiary", 9, 9.092201),
            ("road/track", 152, 117.671604),
            ("road/unclassified", 98, 22.399438),
        ],
    },
    Expected {
        file: "harsdorf.osm.pbf",
        places: &[("village", 3)],
        ways: &[
            ("power_line/line", 1, 0.25768),
            ("power_line/minor_line", 2, 0.433342),
            ("railway/rail", 11, 6.835946),
            ("road/motorway", 6, 0.920301),
            ("road/residential", 41, 6.501906),
            ("road/secondary", 12, 6.582047),
            ("road/service", 11, 1.158975),
            ("road/tertiary", 3, 0.440044),
            ("road/track", 29, 8.145978),
            ("road/unclassified", 5, 0.70914),
        ],
    },
    Expected {
        file: "neudrossenfeld.osm.pbf",
        places: &[("hamlet", 5), ("village", 1)],
        ways: NEUDROSSENFELD_WAYS,
    },
    Expected {
        file: "neudrossenfeld.osm.gz",
        places: &[("hamlet", 5), ("village", 1)],
        ways: NEUDROSSENFELD_WAYS,
    },
];

const NEUDROSSENFELD_WAYS: &[(&str, usize, f64)] = &[
    ("power_line/minor_line", 2, 2.011619),
    ("road/living_street", 5, 0.354576),
    ("road/primary", 6, 2.737806),
    ("road/residential", 51, 6.695842),
    ("road/secondary", 1, 0.105692),
    ("road/service", 3, 0.107198),
    ("road/tertiary", 10, 1.889293),
    ("road/track", 30, 6.36393),
    ("road/unclassified", 7, 3.883254),
];

fn geodesic_km(coords: &[[f64; 2]]) -> f64 {
    use geo::{Distance, Geodesic, Point};
    coords
        .windows(2)
        .map(|w| Geodesic.distance(Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1])))
        .sum::<f64>()
        / 1000.0
}

#[test]
fn bundled_extracts_match_pyosmium() {
    let opts = OsmReadOptions {
        isolated_dwellings: true,
        ..Default::default()
    };
    for e in EXPECTED {
        let d = read_osm(&data(e.file), &opts).unwrap();
        let mut places: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &d.places {
            *places.entry(p.place.as_str()).or_default() += 1;
        }
        let want: BTreeMap<&str, usize> = e.places.iter().copied().collect();
        assert_eq!(places, want, "{}", e.file);
        let mut ways: BTreeMap<String, (std::collections::BTreeSet<i64>, f64)> = BTreeMap::new();
        for w in &d.ways {
            let s = ways
                .entry(format!("{}/{}", w.kind.as_str(), w.class))
                .or_default();
            s.0.insert(w.id);
            s.1 += geodesic_km(&w.coords);
        }
        assert_eq!(
            ways.len(),
            e.ways.len(),
            "{}: classes {:?}",
            e.file,
            ways.keys().collect::<Vec<_>>()
        );
        for &(key, n, km) in e.ways {
            let (ids, got_km) = &ways[key];
            assert_eq!(ids.len(), n, "{} {key}", e.file);
            assert!(
                (got_km - km).abs() <= 0.005 * km,
                "{} {key}: {got_km} km, pyosmium {km} km",
                e.file
            );
        }
    }
}

#[test]
fn pbf_and_xml_twins_read_the_same() {
    let opts = OsmReadOptions::default();
    let a = read_osm(&data("neudrossenfeld.osm.pbf"), &opts).unwrap();
    let b = read_osm(&data("neudrossenfeld.osm.gz"), &opts).unwrap();
    assert_eq!(a.ways, b.ways);
    assert_eq!(a.places, b.places);
    assert_eq!(
        (a.stats.nodes, a.stats.ways, a.stats.relations),
        (b.stats.nodes, b.stats.ways, b.stats.relations)
    );
}

#[test]
fn reading_is_deterministic_across_thread_counts() {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let p = data("andorra.osm.pbf");
    let a = one.install(|| read_osm(&p, &OsmReadOptions::default()).unwrap());
    let b = four.install(|| read_osm(&p, &OsmReadOptions::default()).unwrap());
    assert_eq!(a, b);
}

#[test]
fn unsorted_nodes_are_found_and_first_duplicate_wins() {
    let xml = r#"<osm version="0.6">
 <node id="9" lat="1" lon="3"/><node id="2" lat="1" lon="2"/><node id="2" lat="5" lon="5"/>
 <node id="-1" lat="1" lon="1"/>
 <way id="1"><nd ref="-1"/><nd ref="2"/><nd ref="9"/><tag k="highway" v="track"/></way></osm>"#;
    let dir = tempfile::tempdir().unwrap();
    let d = read_osm(
        &write_tmp(&dir, "u.osm", xml.as_bytes()),
        &OsmReadOptions::default(),
    )
    .unwrap();
    assert_eq!(d.ways[0].coords, vec![[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]);
}

#[test]
fn overpass_out_geom_positions_on_nd_are_used() {
    let xml = r#"<osm version="0.6"><node id="2" lat="45.0" lon="70.02"/><way id="3">
 <nd ref="1" lat="45.0" lon="70.0"/><nd ref="2" lat="45.0" lon="70.01"/>
 <tag k="highway" v="track"/></way></osm>"#;
    let dir = tempfile::tempdir().unwrap();
    let d = read_osm(
        &write_tmp(&dir, "g.osm", xml.as_bytes()),
        &OsmReadOptions::default(),
    )
    .unwrap();
    // Node 2 as an element (before the way, as in every OSM file) wins over its <nd>.
    assert_eq!(d.ways[0].coords, vec![[70.0, 45.0], [70.02, 45.0]]);
}

/// A PBF with locations on ways and no untagged nodes (see testdata/README.md) reads as
/// the full file does.
#[test]
fn locations_on_ways_file() {
    let low = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/osm/testdata/neudrossenfeld_low.osm.pbf");
    let opts = OsmReadOptions::default();
    let a = read_osm(&low, &opts).unwrap();
    let b = read_osm(&data("neudrossenfeld.osm.pbf"), &opts).unwrap();
    assert_eq!(a.ways, b.ways);
    assert_eq!(a.places, b.places);
}

/// The lean decoder reads every bundled PBF (and the locations-on-ways fixture) exactly as
/// osmpbf does.
#[test]
fn lean_decoder_matches_osmpbf() {
    let mut files: Vec<PathBuf> = [
        "almaty_2013.osm.pbf",
        "andorra.osm.pbf",
        "harsdorf.osm.pbf",
        "neudrossenfeld.osm.pbf",
    ]
    .iter()
    .map(|f| data(f))
    .collect();
    files.push(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/osm/testdata/neudrossenfeld_low.osm.pbf"),
    );
    for opts in [
        OsmReadOptions::default(),
        OsmReadOptions {
            isolated_dwellings: true,
            power_lines: false,
            ..Default::default()
        },
    ] {
        for f in &files {
            let len = std::fs::metadata(f).unwrap().len();
            let a = super::wire::read(f, len, &opts, &|_, _| {})
                .unwrap()
                .finish(f)
                .unwrap();
            let b = super::pbf_osmpbf::read(f, &opts)
                .unwrap()
                .finish(f)
                .unwrap();
            assert_eq!(a, b, "{}", f.display());
            assert!(!a.ways.is_empty());
        }
    }
}

#[test]
fn progress_reaches_the_file_size() {
    let calls = std::sync::Mutex::new(Vec::new());
    let p = data("almaty_2013.osm.pbf");
    let size = std::fs::metadata(&p).unwrap().len();
    read_osm_with_progress(&p, &OsmReadOptions::default(), &|done, total| {
        calls.lock().unwrap().push((done, total))
    })
    .unwrap();
    let calls = calls.into_inner().unwrap();
    assert_eq!(calls.last(), Some(&(size, size)));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
}

/// The two-pass reader on blocks out of id order and with duplicate nodes (whole files
/// concatenated: Andorra, Harsdorf, Andorra again): the same extract as osmpbf's one pass,
/// which keeps every node and takes the first of duplicate ids in file order.
#[test]
fn two_pass_reader_on_unsorted_blocks_and_duplicates() {
    let mut bytes = std::fs::read(data("andorra.osm.pbf")).unwrap();
    bytes.extend(std::fs::read(data("harsdorf.osm.pbf")).unwrap());
    bytes.extend(std::fs::read(data("andorra.osm.pbf")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let p = write_tmp(&dir, "mixed.osm.pbf", &bytes);
    let opts = OsmReadOptions::default();
    let a = read_osm(&p, &opts).unwrap();
    let mut b = super::pbf_osmpbf::read(&p, &opts)
        .unwrap()
        .finish(&p)
        .unwrap()
        .into_data();
    b.stats.bytes = a.stats.bytes;
    assert_eq!(a, b);
    assert!(a.ways.len() > 2000, "{}", a.ways.len());
}

proptest! {
    /// The galloping search finds what a binary search finds, from any hint.
    #[test]
    fn find_near_is_a_binary_search(
        mut ids in proptest::collection::vec(-50i64..50, 0..40),
        id in -60i64..60,
        hint in 0usize..50,
    ) {
        ids.sort_unstable();
        ids.dedup();
        let mut h = hint;
        let got = find_near(&ids, id, &mut h);
        prop_assert_eq!(got, ids.binary_search(&id).ok());
        prop_assert!(ids.is_empty() || h < ids.len());
    }
}

#[test]
fn more_nodes_than_u32_indices_is_an_error_naming_the_file() {
    let p = Path::new("/data/huge.osm.pbf");
    assert!(super::check_node_count(u32::MAX as usize, p).is_ok());
    let e = super::check_node_count(u32::MAX as usize + 1, p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("/data/huge.osm.pbf"), "{e}");
    assert!(e.contains("4294967296 distinct nodes"), "{e}");
}
