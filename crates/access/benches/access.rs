//! Access-network benchmark: every village of the bundled OSM extracts designed from its
//! buildings and streets, against the baseline (k-means splitters, shortest street paths,
//! same splitter count) in the same run; and the national default's villages on the
//! declared layout model, timed.
//!
//! `cargo bench -p fiberplan-access --bench access` (set `ACCESS_BENCH_NATIONAL=0` to skip
//! the national part). Prints one row per village and the aggregates of BENCHMARKS.md.

use fiberplan_access::baseline::baseline;
use fiberplan_access::design::connections;
use fiberplan_access::village_input::{from_osm, PremiseSource, VillageFacts};
use fiberplan_access::{
    design, design_villages, lay_out, OltSite, Premise, SiteOption, VillageInput, VillageJob,
};
use fiberplan_io::last_mile::read_last_mile;
use fiberplan_io::osm::{
    read_buildings, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let model = read_last_mile(&data.join("last_mile.toml")).expect("bundled model");
    println!("extract\tvillage\tsource\tpremises\ttrench_km\tbound_km\tgap_pct\tcable_km\tbaseline_km\tsaving_pct\tfill_pct\tms");
    let mut gaps = Vec::new();
    let (mut ours, mut base) = (0i64, 0i64);
    let mut slowest = (0.0f64, 0u64, String::new());
    let mut fills = Vec::new();
    let mut sizes = Vec::new();
    for name in [
        "neudrossenfeld.osm.pbf",
        "harsdorf.osm.pbf",
        "almaty_2013.osm.pbf",
        "andorra.osm.pbf",
    ] {
        let path = data.join("osm").join(name);
        let opts = OsmReadOptions {
            railways: false,
            telecom: false,
            ..OsmReadOptions::default()
        };
        let osm = read_osm(&path, &opts).expect("bundled extract");
        let villages = villages_from_places(&osm, &VillageOptions::default());
        let mut facts: Vec<VillageFacts> = villages
            .iter()
            .map(|v| VillageFacts {
                id: v.id.clone(),
                centre: v.lonlat,
                households: v.households,
                imputed: v.population_imputed,
            })
            .collect();
        for p in osm
            .places
            .iter()
            .filter(|p| p.place == "town" || p.place == "city")
        {
            facts.push(VillageFacts {
                id: format!("town/{}", p.id),
                centre: p.lonlat,
                households: 0,
                imputed: true,
            });
        }
        let buildings = read_buildings(&path).expect("bundled extract");
        let (inputs, _) = from_osm(&osm, &facts, &buildings.buildings, &model);
        // The place (village or town) with the most premises from mapped buildings, and
        // the same place gathering the buildings of 5 km around it (the issue's
        // 3,000-premise village: no place of the bundled extracts has that many within
        // the model's 1.5 km).
        let largest = inputs
            .iter()
            .filter(|(_, r)| r.source == PremiseSource::Buildings)
            .max_by(|a, b| (a.0.premises.len(), &b.0.id).cmp(&(b.0.premises.len(), &a.0.id)))
            .map(|(i, _)| i.id.clone())
            .and_then(|id| {
                let mut wide = model.clone();
                wide.premises.village_radius_m = 5000.0;
                let (all, _) = from_osm(&osm, &facts, &buildings.buildings, &wide);
                all.into_iter().map(|(i, _)| i).find(|i| i.id == id)
            });
        let mut extract = fiberplan_access::Boq::default();
        for (input, report) in inputs.into_iter().take(villages.len()) {
            if report.source != PremiseSource::Buildings || input.premises.len() < 20 {
                continue;
            }
            let id = input.id.clone();
            let t = Instant::now();
            let site = SiteOption {
                site: OltSite::Village,
                id: id.clone(),
                lonlat: input.feed,
                fibre_m: 0.0,
                site_kzt: model.costs.olt_site_village_kzt,
            };
            let Some(layout) = lay_out(input, 0) else {
                continue;
            };
            let d = design(&layout, &model, &[site]).expect("design");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let b = &d.boq;
            extract.add(b).expect("bundled extracts sum within 64 bits");
            // The baseline gets as many splitters as the design's last stage.
            let stage = d.splitters.iter().map(|s| s.stage).max().unwrap_or(1);
            let last_stage = d.splitters.iter().filter(|s| s.stage == stage).count();
            let conn = connections(&layout, model.take_up_pct);
            let bl = baseline(&layout, last_stage, &conn, 1);
            let cable: i64 = d.cables.iter().map(|c| c.length_dm).sum();
            let gap = (b.trench_dm - b.trench_lower_bound_dm) as f64 * 100.0
                / b.trench_lower_bound_dm.max(1) as f64;
            gaps.push(gap);
            ours += cable;
            base += bl.total_dm();
            if ms > slowest.0 {
                slowest = (ms, b.premises, format!("{name} {id}"));
            }
            println!(
                "{name}\t{id}\t{}\t{}\t{:.3}\t{:.3}\t{:.2}\t{:.3}\t{:.3}\t{:.1}\t{:.1}\t{:.1}",
                report.source.as_str(),
                b.premises,
                b.trench_dm as f64 / 1e4,
                b.trench_lower_bound_dm as f64 / 1e4,
                gap,
                cable as f64 / 1e4,
                bl.total_dm() as f64 / 1e4,
                (1.0 - cable as f64 / bl.total_dm() as f64) * 100.0,
                b.fill_pct(),
                ms
            );
        }
        fills.push(format!("{name} {:.1} %", extract.fill_pct()));
        if let Some(big) = largest.filter(|b| b.premises.len() >= 3000) {
            largest_place(name, big, &model, &mut sizes);
        }
    }
    println!("fill by extract: {}", fills.join(", "));
    for l in &sizes {
        println!("{l}");
    }
    let within = gaps.iter().filter(|&&g| g <= 5.0).count();
    println!(
        "OSM villages: {}; trench within 5 % of the bound: {} ({:.1} %); mean gap {:.2} %; cable {:.2} km vs baseline {:.2} km: {:.1} % less; slowest {:.0} ms ({} premises, {})",
        gaps.len(),
        within,
        within as f64 * 100.0 / gaps.len().max(1) as f64,
        gaps.iter().sum::<f64>() / gaps.len().max(1) as f64,
        ours as f64 / 1e4,
        base as f64 / 1e4,
        (1.0 - ours as f64 / base.max(1) as f64) * 100.0,
        slowest.0,
        slowest.1,
        slowest.2
    );
    if std::env::var("ACCESS_BENCH_NATIONAL").as_deref() == Ok("0") {
        return;
    }
    // The national default's villages on the declared layout model.
    let nat =
        fiberplan_io::read_national(&data.join("kz"), &Default::default()).expect("national data");
    let jobs: Vec<VillageJob> = nat
        .villages
        .iter()
        .map(|v| VillageJob {
            input: VillageInput {
                id: v.id.clone(),
                feed: v.lonlat,
                premises: vec![
                    Premise {
                        lonlat: v.lonlat,
                        households: 1,
                        modelled: true,
                        osm: None
                    };
                    v.households as usize
                ],
                streets: Vec::new(),
            },
            sites: vec![
                SiteOption {
                    site: OltSite::Pop,
                    id: "pop".into(),
                    lonlat: v.lonlat,
                    fibre_m: 15_000.0,
                    site_kzt: model.costs.olt_site_pop_kzt,
                },
                SiteOption {
                    site: OltSite::Village,
                    id: v.id.clone(),
                    lonlat: v.lonlat,
                    fibre_m: 0.0,
                    site_kzt: model.costs.olt_site_village_kzt,
                },
            ],
        })
        .collect();
    let households: u64 = nat.villages.iter().map(|v| v.households).sum();
    let t = Instant::now();
    let out = design_villages(jobs, &model);
    let secs = t.elapsed().as_secs_f64();
    let mut total = fiberplan_access::Boq::default();
    let mut chosen = std::collections::BTreeMap::new();
    for r in &out {
        let d = &r.as_ref().expect("design").1;
        total.add(&d.boq).unwrap();
        *chosen
            .entry(format!("{} {:?}", d.split.label(), d.clustering))
            .or_insert(0u32) += 1;
    }
    println!("national designs by split and clustering: {chosen:?}");
    println!(
        "national default (all {} villages, {} households, layout model, PoP at 15 km): {:.1} s on {} threads; fill {:.1} %; flagged {}; over budget {}; {} KZT ({} KZT per household passed)",
        nat.villages.len(),
        households,
        secs,
        rayon::current_num_threads(),
        total.fill_pct(),
        total.lines_flagged,
        total.lines_over_budget,
        total.cost.total_kzt,
        total.cost.total_kzt / total.households_passed.max(1) as i64
    );
}

/// Times the largest place of an extract: the 3,000 premises nearest its feed point (the
/// issue's 3,000-premise village: the same streets, buildings and model), and all of them.
/// Street graph, trench tree and design, OLT in the place; best of three runs each.
fn largest_place(
    name: &str,
    big: VillageInput,
    model: &fiberplan_model::last_mile::LastMileModel,
    out: &mut Vec<String>,
) {
    let feed = big.feed;
    let mut near: Vec<(f64, usize)> = big
        .premises
        .iter()
        .enumerate()
        .map(|(i, p)| (fiberplan_access::local::distance_m(feed, p.lonlat), i))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut subset = big.clone();
    subset.premises = near[..3000]
        .iter()
        .map(|&(_, i)| big.premises[i].clone())
        .collect();
    subset.id = format!("{} (3,000 nearest premises)", big.id);
    for input in [subset, big] {
        let site = SiteOption {
            site: OltSite::Village,
            id: input.id.clone(),
            lonlat: input.feed,
            fibre_m: 0.0,
            site_kzt: model.costs.olt_site_village_kzt,
        };
        let mut best = (f64::MAX, f64::MAX);
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let layout = lay_out(input.clone(), 0).expect("streets");
            let lay_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let d = design(&layout, model, std::slice::from_ref(&site)).expect("design");
            let design_ms = t.elapsed().as_secs_f64() * 1000.0;
            if lay_ms + design_ms < best.0 + best.1 {
                best = (lay_ms, design_ms);
            }
            last = Some((layout, d));
        }
        let (layout, d) = last.expect("three runs");
        let b = &d.boq;
        out.push(format!(
            "largest place of {name}: {}: {} premises, {} households connected, {} street nodes; trench {:.2} km (bound {:.2} km); fill {:.1} %; flagged {}; {:.0} ms ({:.0} ms street graph and trench tree, {:.0} ms design), {} threads",
            input.id,
            b.premises,
            b.households_connected,
            layout.graph.nodes.len(),
            b.trench_dm as f64 / 1e4,
            b.trench_lower_bound_dm as f64 / 1e4,
            b.fill_pct(),
            b.lines_flagged,
            best.0 + best.1,
            best.0,
            best.1,
            rayon::current_num_threads(),
        ));
    }
}
