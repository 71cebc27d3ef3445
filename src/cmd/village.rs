//! `fiberplan village --osm FILE --village ID --out DIR`: the access network of one village
//! in detail, from an extract's buildings and streets (or the declared layout model where
//! none are mapped). Writes `last_mile.geojson` and `summary.json` into DIR.
//!
//! The OLT may stand at the nearest point of presence of the extract (its cities and
//! towns, as `plan --osm` uses them; fibre length = geodesic distance x 1.3, the circuity
//! factor of costs.toml's proxy corridors) or in the village.

use super::{data_dir, init_threads, BadInput};
use fiberplan_access::plan_stage::{olt_sites, LastMileStage, DETOUR};
use fiberplan_access::village_input::{from_osm, VillageFacts};
use fiberplan_access::{design_villages, PriceScale, VillageDesign, VillageJob};
use fiberplan_io::last_mile::read_last_mile;
use fiberplan_io::osm::{
    place_id, read_buildings, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_plan::economics::{
    calibrated_costs, price_with_designs, DesignedAccess, DesignedPricing,
};
use fiberplan_report::last_mile_out::PlanLastMile;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    let sites = olt_sites(
        &model,
        &v.id,
        v.lonlat,
        nearest_town.as_ref().map(|(d, id, p)| (*d, id, *p)),
    );
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
    )
    .map_err(super::plan::out_fault)?;
    println!(
        "{} {}: {} premises ({}), {} households connected of {}, {} splitters ({}; split {}), fill {:.1} %, trench {:.2} km (bound {:.2} km, gap {:.2} %), OLT {} {}, {} KZT",
        v.id,
        v.name,
        b.premises,
        report.source.as_str(),
        b.households_connected,
        b.households_passed,
        b.splitters_by_ratio.values().sum::<u64>(),
        b.splitters_label(),
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

/// Reads the last-mile model and, with an extract, its buildings and streets for the
/// plan's villages: the stage that designs them ([`LastMileStage`]). `keep_geometry: false`
/// keeps only each design's bill (a sweep prices, it draws nothing).
pub fn last_mile_stage(
    inputs: &fiberplan_load::PlanInputs,
    osm_path: Option<&std::path::Path>,
    data: Option<&std::path::Path>,
    keep_geometry: bool,
) -> anyhow::Result<LastMileStage> {
    let model = read_last_mile(&data_dir(data).join("last_mile.toml"))?;
    let villages = &inputs.villages;
    let mut osm_inputs = Vec::new();
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
        osm_inputs = all.into_iter().map(|(input, _)| Some(input)).collect();
    }
    Ok(LastMileStage::new(
        model,
        villages,
        osm_inputs,
        &inputs.backbone.pops,
        keep_geometry,
    ))
}

/// The designs of `plan`'s fibre villages that the stage designs (cities keep the flat
/// price), by village index, and the plan priced by them.
fn design_and_price(
    stage: &LastMileStage,
    inputs: &fiberplan_load::PlanInputs,
    plan: &mut fiberplan_plan::Plan,
    take_up_pct: f64,
    scale: PriceScale,
) -> anyhow::Result<(Vec<Option<Arc<VillageDesign>>>, DesignedPricing)> {
    let fibre: Vec<usize> = (0..plan.villages.len())
        .filter(|&i| plan.villages[i].technology == fiberplan_plan::Technology::Fibre)
        .filter(|&i| stage.designable(i))
        .collect();
    let mut designs: Vec<Option<Arc<VillageDesign>>> = vec![None; plan.villages.len()];
    for (&i, d) in fibre.iter().zip(stage.designs_at(&fibre, take_up_pct)?) {
        // The stored design at the model's prices, re-priced at the scenario's scale (the
        // same rule for plan and every sweep row); an overflow is the inputs' fault.
        designs[i] = Some(if scale == PriceScale::ONE {
            d
        } else {
            Arc::new(d.repriced(scale).map_err(|e| {
                BadInput(format!(
                    "last_mile_cost_scale {}: {e}",
                    scale.0 as f64 / 1e6
                ))
            })?)
        });
    }
    let access: Vec<Option<DesignedAccess>> = designs
        .iter()
        .map(|d| d.as_deref().map(designed_access))
        .collect();
    let pricing =
        price_with_designs(plan, &inputs.costs, &inputs.villages, &access).map_err(BadInput)?;
    Ok((designs, pricing))
}

/// A design's cost as the plan prices it: the OLT part in place of the village equipment,
/// the rest in place of the flat household price.
pub fn designed_access(d: &VillageDesign) -> DesignedAccess {
    let c = &d.boq.cost;
    DesignedAccess {
        equipment_kzt: c.olt_kzt,
        connections_kzt: c.total_kzt - c.olt_kzt,
        households_passed: d.boq.households_passed,
    }
}

/// The last mile of a plan (`plan` runs it unless `--no-last-mile`): every fibre village's
/// access network designed ([`LastMileStage`]: an extract's buildings and streets, else the
/// declared layout model; the OLT at the nearest point of presence or in the village), and
/// the plan's costs taken from the designs instead of the flat household price.
///
/// Selection: quota, coverage and connect-all plans do not depend on village prices. Budget
/// and least-cost plans are solved a second time at the equipment and household price
/// calibrated from the first plan's designs (`calibrated_costs`); the second plan's
/// villages are designed (those of the first reused) and priced by their designs.
/// Cities above the stage's size limit keep the flat price.
pub fn plan_last_mile(
    planner: &fiberplan_load::Planner,
    scenario: &fiberplan_model::Scenario,
    plan: &mut fiberplan_plan::Plan,
    osm_path: Option<&std::path::Path>,
    data: Option<&std::path::Path>,
) -> anyhow::Result<PlanLastMile> {
    let stage = last_mile_stage(planner.inputs(), osm_path, data, true)?;
    price_last_mile(&stage, planner, scenario, plan)
}

/// [`plan_last_mile`] on a stage shared by many scenarios (a sweep): villages designed
/// by an earlier scenario are re-priced, not designed again.
pub fn price_last_mile(
    stage: &LastMileStage,
    planner: &fiberplan_load::Planner,
    scenario: &fiberplan_model::Scenario,
    plan: &mut fiberplan_plan::Plan,
) -> anyhow::Result<PlanLastMile> {
    let inputs = planner.inputs();
    let take_up = stage.take_up_of(scenario);
    let scale = PriceScale::of(scenario.last_mile_cost_scale);
    let (mut designs, mut pricing) = design_and_price(stage, inputs, plan, take_up, scale)?;
    let flat = &inputs.costs;
    let mut selection = json!({
        "prices": "the cost model's (costs.toml): quota, coverage and connect-all plans do not depend on village prices",
        "village_equipment_kzt": flat.village_equipment_kzt,
        "household_connection_kzt": flat.household_connection_kzt,
    });
    use fiberplan_model::Mode;
    if matches!(scenario.mode, Mode::Budget | Mode::LeastCost) {
        let calibrated =
            calibrated_costs(flat, designs.iter().flatten().map(|d| designed_access(d)))
                .map_err(BadInput)?;
        if calibrated != *flat {
            *plan = planner.plan_at(scenario, &calibrated)?;
            (designs, pricing) = design_and_price(stage, inputs, plan, take_up, scale)?;
        }
        selection = json!({
            "prices": "calibrated from the designs of a first plan at the cost model's prices: equipment = their mean OLT part per village, household price = their other parts per household passed",
            "village_equipment_kzt": calibrated.village_equipment_kzt,
            "household_connection_kzt": calibrated.household_connection_kzt,
        });
    }
    let p = &pricing;
    let model = stage.model();
    let mut pricing = json!({
            "plan_costs": "each designed fibre village costs its design (OLT site share and ports as village equipment, the rest as household connections) instead of the cost model's village equipment and flat household price",
            "villages_designed": p.villages_designed,
            "villages_flat_price": p.villages_flat,
            "flat_price_villages_note": format!("fibre settlements above {} households (cities) are not designed and keep the flat price", fiberplan_access::plan_stage::MAX_DESIGN_HOUSEHOLDS),
            "designed_villages_at_flat_price_kzt": p.flat_kzt,
            "designed_villages_by_design_kzt": p.designed_kzt,
            "selection": selection,
            "olt_sites": format!("the nearest point of presence of the existing network (fibre = geodesic distance x {DETOUR}, declared circuity; line joints are not sites) or the village"),
    });
    if scale != PriceScale::ONE {
        pricing["last_mile_cost_scale"] = json!(scenario.last_mile_cost_scale);
        pricing["last_mile_cost_scale_rule"] = json!("every last-mile unit price of the designs x the scale (to the nearest millionth), rounded half to even to whole tenge, then times its quantity; the designs are those at the model's prices, re-priced; cities at the flat price are not scaled");
    }
    Ok(PlanLastMile {
        designs,
        drop_limit_m: model.drop_limit_m,
        take_up_pct: take_up,
        pricing,
    })
}
