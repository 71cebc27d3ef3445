//! `fiberplan village --osm FILE --village ID --out DIR`: the access network of one village
//! in detail, from an extract's buildings and streets (or the declared layout model where
//! none are mapped). Writes `last_mile.geojson` and `summary.json` into DIR.
//!
//! The OLT may stand at the nearest point of presence of the extract (its cities and
//! towns, as `plan --osm` uses them; fibre length = geodesic distance x 1.3, the circuity
//! factor of costs.toml's proxy corridors) or in the village.

use super::{data_dir, init_threads, BadInput};
use fiberplan_access::village_input::{from_osm, VillageFacts};
use fiberplan_access::{design_villages, OltSite, SiteOption, VillageJob};
use fiberplan_io::last_mile::read_last_mile;
use fiberplan_io::osm::{
    place_id, read_buildings, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Circuity of a corridor from the point of presence (as costs.toml's proxy corridors).
const DETOUR: f64 = fiberplan_model::PlanSettings::CIRCUITY;

#[derive(clap::Args, Debug, Clone)]
pub struct VillageArgs {
    /// The extract: .osm.pbf, .osm or .osm.gz.
    #[arg(long)]
    pub osm: PathBuf,
    /// The village: its place id (`node/123`, `way/123`), the bare OSM id, or its name.
    #[arg(long)]
    pub village: String,
    /// Output folder (created; last_mile.geojson and summary.json are replaced atomically).
    #[arg(long)]
    pub out: PathBuf,
    /// Last-mile model (TOML). Default: data/last_mile.toml.
    #[arg(long)]
    pub last_mile: Option<PathBuf>,
    /// Take-up rate, percent of households passed (default: the model's).
    #[arg(long)]
    pub take_up: Option<f64>,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

pub fn run(args: VillageArgs) -> anyhow::Result<ExitCode> {
    init_threads(args.threads)?;
    let model_path = args
        .last_mile
        .clone()
        .unwrap_or_else(|| data_dir(args.data.as_deref()).join("last_mile.toml"));
    let mut model = read_last_mile(&model_path)?;
    if let Some(t) = args.take_up {
        if !(t > 0.0 && t <= 100.0) {
            return Err(BadInput(format!("--take-up {t}: must be in (0, 100]")).into());
        }
        model.take_up_pct = t;
    }
    let opts = OsmReadOptions {
        railways: false,
        telecom: false,
        ..OsmReadOptions::default()
    };
    let osm = read_osm(&args.osm, &opts)?;
    let villages = villages_from_places(&osm, &VillageOptions::default());
    let want = args.village.as_str();
    let Some(target) = villages
        .iter()
        .position(|v| v.id == want || v.id.split('/').nth(1) == Some(want) || v.name == want)
    else {
        return Err(BadInput(format!(
            "{}: no village {want:?} (the extract has {} villages; ids look like {})",
            args.osm.display(),
            villages.len(),
            villages.first().map_or("node/123", |v| v.id.as_str())
        ))
        .into());
    };
    let v = &villages[target];
    // Every place is a centre buildings may belong to; towns and cities are the PoPs.
    let mut facts: Vec<VillageFacts> = villages
        .iter()
        .map(|v| VillageFacts {
            id: v.id.clone(),
            centre: v.lonlat,
            households: v.households,
            imputed: v.population_imputed,
        })
        .collect();
    let towns: Vec<_> = osm
        .places
        .iter()
        .filter(|p| p.place == "town" || p.place == "city")
        .collect();
    for t in &towns {
        facts.push(VillageFacts {
            id: place_id(t),
            centre: t.lonlat,
            households: 0,
            imputed: true,
        });
    }
    let buildings = read_buildings(&args.osm)?;
    let (mut inputs, premises) = from_osm(&osm, &facts, &buildings.buildings, &model);
    let (input, report) = inputs.swap_remove(target);
    let nearest_town = towns
        .iter()
        .map(|t| (fiberplan_access::local::distance_m(t.lonlat, v.lonlat), *t))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)))
        .map(|(d, t)| (d, place_id(t), t.lonlat));
    let sites = olt_sites(&model, &v.id, v.lonlat, nearest_town);
    let (layout, design) = design_villages(
        vec![VillageJob {
            input,
            sites: sites.clone(),
        }],
        &model,
    )
    .pop()
    .expect("one job gives one result")?;
    let b = &design.boq;
    let gap = if b.trench_lower_bound_dm > 0 {
        (b.trench_dm - b.trench_lower_bound_dm) as f64 * 100.0 / b.trench_lower_bound_dm as f64
    } else {
        0.0
    };
    let village = json!({
        "id": v.id,
        "name": v.name,
        "households_declared": report.declared_households,
        "households_declared_imputed": report.declared_imputed,
        "households_from_buildings": report.building_households,
        "households_designed": report.design_households,
        "premises_source": report.source.as_str(),
        "buildings_read": premises.buildings,
        "outbuildings_left_out": premises.outbuildings,
        "small_footprints_left_out": premises.too_small,
        "sharing_a_plot": premises.plot_shared,
        "street_links_added": layout.graph.links,
        "trench_solver": layout.solver,
        "trench_gap_pct": (gap * 100.0).round() / 100.0,
        "olt_site_options": sites.iter().map(|s| json!({
            "site": s.site.as_str(), "id": s.id, "fibre_km": (s.fibre_m / 100.0).round() / 10.0,
        })).collect::<Vec<_>>(),
        "pop_fibre_length": format!("geodesic distance x {DETOUR} (declared circuity)"),
    });
    fiberplan_report::last_mile_out::write_village(
        &args.out,
        &design,
        village,
        model.drop_limit_m,
        model.take_up_pct,
    )?;
    println!(
        "{} {}: {} premises ({}), {} households connected of {}, {} splitters {}, fill {:.1} %, trench {:.2} km (bound {:.2} km, gap {:.2} %), OLT {} {}, {} KZT",
        v.id,
        v.name,
        b.premises,
        report.source.as_str(),
        b.households_connected,
        b.households_passed,
        b.splitters_by_ratio.values().sum::<u64>(),
        design.split.label(),
        b.fill_pct(),
        b.trench_dm as f64 / 10_000.0,
        b.trench_lower_bound_dm as f64 / 10_000.0,
        gap,
        design.olt.site.as_str(),
        design.olt.class.as_str(),
        b.cost.total_kzt
    );
    Ok(ExitCode::SUCCESS)
}

/// Largest settlement the last mile designs (the national default's largest fibre village
/// has 10,134 households).
pub const MAX_DESIGN_HOUSEHOLDS: u64 = 50_000;

/// The last mile of a plan: the access network of every fibre village (`plan` runs it
/// unless `--no-last-mile`). Villages in an `--osm` extract use its buildings and streets;
/// the others (the national default) the declared layout model. The OLT may stand at the
/// nearest point of presence the plan uses (fibre = geodesic distance x 1.3, a declared
/// approximation of the route) or in the village. Returns one design per village (`None`
/// for villages not on fibre) and the model used.
pub fn plan_last_mile(
    villages: &[fiberplan_model::Village],
    plan: &fiberplan_plan::Plan,
    osm_path: Option<&std::path::Path>,
    data: Option<&std::path::Path>,
) -> anyhow::Result<(
    Vec<Option<fiberplan_access::VillageDesign>>,
    fiberplan_model::last_mile::LastMileModel,
)> {
    use fiberplan_access::{Premise, VillageInput};
    let model = read_last_mile(&data_dir(data).join("last_mile.toml"))?;
    let fibre: Vec<usize> = (0..villages.len())
        .filter(|&i| plan.villages[i].technology == fiberplan_plan::Technology::Fibre)
        .collect();
    let mut inputs: Vec<Option<VillageInput>> = vec![None; villages.len()];
    if let Some(path) = osm_path {
        let opts = OsmReadOptions {
            railways: false,
            telecom: false,
            ..OsmReadOptions::default()
        };
        let osm = read_osm(path, &opts)?;
        let buildings = read_buildings(path)?;
        let facts: Vec<VillageFacts> = villages
            .iter()
            .map(|v| VillageFacts {
                id: v.id.clone(),
                centre: v.lonlat,
                households: v.households,
                imputed: v.population_imputed,
            })
            .collect();
        let (all, _) = from_osm(&osm, &facts, &buildings.buildings, &model);
        for (i, (input, _)) in all.into_iter().enumerate() {
            if fibre.contains(&i) {
                inputs[i] = Some(input);
            }
        }
    }
    let pops: Vec<[f64; 2]> = plan.pops.iter().map(|p| p.lonlat).collect();
    // A settlement this large is a city: the village model (one feed, a declared street
    // layout) does not apply, and designing it premise by premise would take gigabytes.
    let (fibre, cities): (Vec<usize>, Vec<usize>) = fibre
        .into_iter()
        .partition(|&i| villages[i].households <= MAX_DESIGN_HOUSEHOLDS);
    if !cities.is_empty() {
        eprintln!(
            "last mile: {} fibre settlements above {MAX_DESIGN_HOUSEHOLDS} households (cities) are \
             not designed; they keep the cost model's flat household price",
            cities.len()
        );
    }
    let mut jobs = Vec::with_capacity(fibre.len());
    for &i in &fibre {
        let v = &villages[i];
        let input = inputs[i].take().unwrap_or_else(|| VillageInput {
            id: v.id.clone(),
            feed: v.lonlat,
            premises: vec![
                Premise {
                    lonlat: v.lonlat,
                    households: 1,
                    modelled: true,
                    osm: None,
                };
                v.households as usize
            ],
            streets: Vec::new(),
        });
        let nearest_pop = pops
            .iter()
            .map(|p| (fiberplan_access::local::distance_m(*p, v.lonlat), *p))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(d, p)| (d, format!("pop@{:.5},{:.5}", p[0], p[1]), p));
        let sites = olt_sites(&model, &v.id, v.lonlat, nearest_pop);
        jobs.push(VillageJob { input, sites });
    }
    let mut out: Vec<Option<fiberplan_access::VillageDesign>> = vec![None; villages.len()];
    for (&i, r) in fibre.iter().zip(design_villages(jobs, &model)) {
        out[i] = Some(r?.1);
    }
    Ok((out, model))
}

/// Where a village's OLT may stand: at its nearest point of presence `pop` (distance in
/// metres, id, position; fibre along the declared detour), when there is one, and in the
/// village itself.
fn olt_sites(
    model: &fiberplan_model::last_mile::LastMileModel,
    village_id: &str,
    village: fiberplan_model::LonLat,
    pop: Option<(f64, String, fiberplan_model::LonLat)>,
) -> Vec<SiteOption> {
    let mut sites = Vec::new();
    if let Some((d, id, lonlat)) = pop {
        sites.push(SiteOption {
            site: OltSite::Pop,
            id,
            lonlat,
            fibre_m: d * DETOUR,
            site_kzt: model.costs.olt_site_pop_kzt,
        });
    }
    sites.push(SiteOption {
        site: OltSite::Village,
        id: village_id.to_string(),
        lonlat: village,
        fibre_m: 0.0,
        site_kzt: model.costs.olt_site_village_kzt,
    });
    sites
}
