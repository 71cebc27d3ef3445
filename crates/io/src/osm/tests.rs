use super::*;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/osm")
        .join(name)
}

#[test]
fn smoke_all_extracts() {
    for f in [
        "harsdorf.osm.pbf",
        "neudrossenfeld.osm.pbf",
        "neudrossenfeld.osm.gz",
        "andorra.osm.pbf",
        "almaty_2013.osm.pbf",
    ] {
        let t = std::time::Instant::now();
        let d = read_osm(&data(f), &OsmReadOptions::default()).unwrap();
        eprintln!(
            "{f}: {:?} ways {} places {} bounds {:?} in {:?}",
            d.stats,
            d.ways.len(),
            d.places.len(),
            d.bounds,
            t.elapsed()
        );
    }
}
