//! `fiberplan coverage`: mobile sites along roads (`roads`), 5G in a city (`city`), and
//! an independent recomputation of a run's covered share from its outputs (`verify`).

use super::inputs::InputArgs;
use super::{data_dir, init_threads, BadInput};
use fiberplan_cover::Options;
use fiberplan_io::dem::{Dem, Profile};
use fiberplan_io::mobile::read_mobile;
use fiberplan_io::mobile_inputs::{read_existing_sites, read_ref_classes, read_roads_geojson};
use fiberplan_io::osm::{read_masts, read_osm, OsmReadOptions, ANTENNA_MAX_M};
use fiberplan_load::{load, PlanInputs};
use fiberplan_mobile::backhaul::{join, Backhaul, Hub, Network, SiteToJoin};
use fiberplan_mobile::candidates::Kind;
use fiberplan_mobile::radio_link::{Pattern, ProfileFn, Propagation, Radio};
use fiberplan_mobile::road_coverage::{plan_roads, RoadCoverage, RoadInput};
use fiberplan_mobile::roads::{class_of, normalise_ref, RoadClass};
use fiberplan_mobile::sample::Road;
use fiberplan_model::mobile::{ExistingSite, MobileModel, RadioBudget, RoadLine};
use fiberplan_model::osm::OsmWayKind;
use fiberplan_model::{LonLat, PlanSettings};
use fiberplan_radio::itm::ItmParams;
use fiberplan_report::mobile_out;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Height assumed for a point of presence's microwave dish, m.
pub const POP_MAST_M: f64 = 30.0;

#[derive(clap::Subcommand, Debug)]
pub enum CoverageCmd {
    /// Sites so that a target share of road km gets the LTE threshold, at least cost, each
    /// backhauled by fibre or microwave.
    Roads(RoadsArgs),
    /// 5G sites over a city's area (50 m grid), against hexagonal dimensioning.
    City(CityArgs),
    /// Recompute a run's covered share from its coverage.geojson and summary.json.
    Verify(VerifyArgs),
}

/// The radio model flags of both runs.
#[derive(clap::Args, Debug, Clone)]
pub struct RadioArgs {
    /// DEM tiles (SRTM / NASADEM .hgt or GeoTIFF); repeat for several.
    #[arg(long)]
    pub dem: Vec<PathBuf>,
    /// `itm` (point-to-point over the DEM, area mode without one) or a `radio loss`
    /// model name (`hata-open`, `38901-rma-nlos`, `38901-uma-nlos`, ...).
    #[arg(long)]
    pub model: Option<String>,
    /// Terrain irregularity for ITM area mode without a DEM, m (30: the steppe's rolling plains).
    #[arg(long, default_value_t = 30.0)]
    pub delta_h_m: f64,
    /// Terrain profile sampling for ITM over the DEM, m.
    #[arg(long, default_value_t = 90.0)]
    pub step_m: f64,
    /// Farthest distance a site can cover, km.
    #[arg(long)]
    pub range_km: Option<f64>,
    /// Mobile model (TOML). Default: data/mobile.toml.
    #[arg(long)]
    pub mobile: Option<PathBuf>,
    /// Existing masts: GeoJSON Points, CSV id,lon,lat,height_m[,technologies], or an OSM
    /// extract (.pbf, .osm, .osm.gz) whose telecom masts and towers are read.
    #[arg(long)]
    pub existing: Option<PathBuf>,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// `plan`'s mobile-coverage flags: the extract's roads covered too, backhauled by the plan.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PlanMobileArgs {
    /// Add LTE coverage of the extract's motorway to secondary roads (needs --osm): sites
    /// backhauled by this plan's fibre or by microwave; writes coverage.geojson and a
    /// `mobile_roads` section in summary.json.
    #[arg(long)]
    pub mobile_roads: bool,
    /// Share of road km to cover with --mobile-roads.
    #[arg(long, default_value_t = 0.95)]
    pub mobile_target: f64,
    /// Existing masts for --mobile-roads (GeoJSON Points, CSV id,lon,lat,height_m[,technologies],
    /// or an OSM extract whose telecom masts are read).
    #[arg(long)]
    pub mobile_existing: Option<PathBuf>,
    /// DEM tiles for --mobile-roads (ITM over terrain; without: ITM area mode, flat terrain).
    #[arg(long)]
    pub dem: Vec<PathBuf>,
}

impl PlanMobileArgs {
    /// The radio flags of a `coverage roads` run with these settings.
    pub fn radio(&self) -> RadioArgs {
        RadioArgs {
            dem: self.dem.clone(),
            model: None,
            delta_h_m: 30.0,
            step_m: 90.0,
            range_km: None,
            mobile: None,
            existing: self.mobile_existing.clone(),
            threads: None,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct RoadsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Roads to cover as GeoJSON LineStrings with a `class` property (instead of the
    /// extract's motorway, trunk, primary and secondary roads).
    #[arg(long)]
    pub roads: Option<PathBuf>,
    /// Cover tertiary roads of the extract too.
    #[arg(long)]
    pub tertiary: bool,
    /// CSV `ref,class` overriding the class a road's ref implies.
    #[arg(long)]
    pub ref_classes: Option<PathBuf>,
    #[command(flatten)]
    pub radio: RadioArgs,
    /// Share of road km to cover.
    #[arg(long, default_value_t = 0.95)]
    pub target: f64,
    /// Road sampling interval, m.
    #[arg(long, default_value_t = 100.0)]
    pub sample_m: f64,
    /// Write the set-cover instance (candidates, segments, coverage sets) to this file.
    #[arg(long)]
    pub export_cover: Option<PathBuf>,
    /// Output folder: coverage.geojson, summary.json.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct CityArgs {
    /// City polygon(s) as GeoJSON.
    #[arg(long, conflicts_with = "city")]
    pub polygon: Option<PathBuf>,
    /// A city of the bundled districts: an oblast-level city (`Almaty`, `Astana`,
    /// `Shymkent`) or a district, by its English, Russian or Kazakh name.
    #[arg(long)]
    pub city: Option<String>,
    #[command(flatten)]
    pub radio: RadioArgs,
    /// Share of the city's area to cover.
    #[arg(long, default_value_t = 0.75)]
    pub target: f64,
    /// Grid spacing, m.
    #[arg(long, default_value_t = 50.0)]
    pub grid_m: f64,
    /// Write the set-cover instance (candidates, grid cells as 1 m segments, coverage sets,
    /// `# target_m` the cells to cover) to this file.
    #[arg(long)]
    pub export_cover: Option<PathBuf>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Output folder: coverage.geojson, summary.json.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Output folder of a `coverage roads` or `coverage city` run.
    pub dir: PathBuf,
    /// Worker threads.
    #[arg(long)]
    pub threads: Option<usize>,
}

pub fn run(cmd: CoverageCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        CoverageCmd::Roads(a) => roads(a),
        CoverageCmd::City(a) => city(a),
        CoverageCmd::Verify(a) => verify(a),
    }
}

fn check_share(flag: &str, v: f64) -> Result<(), BadInput> {
    if v > 0.0 && v <= 1.0 {
        Ok(())
    } else {
        Err(BadInput(format!("{flag} {v} is outside (0, 1]")))
    }
}

/// The declared radio model from the flags and the model file.
pub fn radio_from(
    a: &RadioArgs,
    budget: &RadioBudget,
    default_model: &str,
    default_range_km: f64,
    pattern: Pattern,
) -> Result<Radio, BadInput> {
    let range_km = a.range_km.unwrap_or(default_range_km);
    if !(range_km > 0.0 && range_km <= 200.0) {
        return Err(BadInput(format!(
            "--range-km {range_km} is outside (0, 200]"
        )));
    }
    if !(a.delta_h_m >= 0.0 && a.delta_h_m <= 1000.0) {
        return Err(BadInput(format!(
            "--delta-h-m {} is outside [0, 1000]",
            a.delta_h_m
        )));
    }
    if !(a.step_m >= 1.0 && a.step_m <= 10_000.0) {
        return Err(BadInput(format!(
            "--step-m {} is outside [1, 10000]",
            a.step_m
        )));
    }
    let name = a.model.clone().unwrap_or_else(|| default_model.to_string());
    let params = ItmParams {
        f_mhz: budget.f_mhz,
        ..ItmParams::default()
    };
    let propagation = if name == "itm" {
        if a.dem.is_empty() {
            Propagation::ItmArea {
                params,
                delta_h_m: a.delta_h_m,
            }
        } else {
            Propagation::ItmP2p {
                params,
                step_m: a.step_m,
            }
        }
    } else {
        Propagation::Named {
            model: name.parse().map_err(BadInput)?,
            name,
        }
    };
    Ok(Radio {
        budget: budget.clone(),
        propagation,
        pattern,
        range_m: range_km * 1000.0,
    })
}

/// Existing masts of `--existing`: GeoJSON or CSV, or the telecom masts of an OSM extract
/// (`.pbf`, `.osm`, `.osm.gz`), whose heights default to the model's mast height; with the
/// assumption that reading them made, to be declared.
fn existing_sites(
    a: &RadioArgs,
    model: &MobileModel,
) -> anyhow::Result<(Vec<ExistingSite>, Option<String>)> {
    let Some(p) = &a.existing else {
        return Ok((Vec::new(), None));
    };
    let name = p.to_string_lossy().to_ascii_lowercase();
    if !(name.ends_with(".pbf") || name.ends_with(".osm") || name.ends_with(".osm.gz")) {
        return Ok((read_existing_sites(p)?, None));
    }
    let m = read_masts(p, model.candidates.mast_height_m)?;
    let note = format!(
        "existing masts: {} from OpenStreetMap (man_made=mast/tower/communications_tower with \
         tower:type=communication or communication:*=yes; (c) OpenStreetMap contributors); \
         {} without a usable height tag taken at the model's {} m (estimate); {} taller than \
         {ANTENNA_MAX_M} m with their antennas taken at {ANTENNA_MAX_M} m (estimate); their \
         technologies are unknown, so each is an upgrade candidate; {} drawn twice and {} \
         incomplete ways skipped",
        m.sites.len(),
        m.height_defaulted,
        model.candidates.mast_height_m,
        m.height_capped,
        m.ways_duplicate,
        m.ways_incomplete
    );
    Ok((m.sites, Some(note)))
}

fn push_note(notes: &mut serde_json::Value, note: Option<String>) {
    if let (Some(a), Some(n)) = (notes.as_array_mut(), note) {
        a.push(n.into());
    }
}

fn mobile_model(a: &RadioArgs, data: &Path) -> anyhow::Result<(PathBuf, MobileModel)> {
    let path = a.mobile.clone().unwrap_or_else(|| data.join("mobile.toml"));
    let m = read_mobile(&path)?;
    Ok((path, m))
}

/// Profile and elevation functions over the DEM (none without one).
struct Terrain {
    dem: Option<Dem>,
    step_m: f64,
}

impl Terrain {
    fn profile(&self) -> impl Fn(LonLat, LonLat, &mut Vec<f64>) -> Option<f64> + Sync + '_ {
        move |a, b, buf: &mut Vec<f64>| {
            let dem = self.dem.as_ref()?;
            let mut p = Profile {
                interval_m: 0.0,
                elevations: std::mem::take(buf),
            };
            let ok = dem.profile_into(a, b, self.step_m, &mut p).is_ok();
            *buf = p.elevations;
            ok.then_some(p.interval_m)
        }
    }
}

fn classed_roads(lines: Vec<RoadLine>, overrides: &BTreeMap<String, RoadClass>) -> Vec<Road> {
    lines
        .into_iter()
        .map(|l| Road {
            id: l.id.split_whitespace().collect::<Vec<_>>().join("_"),
            class: class_of(&l.reference, &l.highway, overrides),
            highway: l.highway,
            reference: l.reference,
            coords: l.coords,
        })
        .collect()
}

/// The roads of an extract that mobile coverage covers (motorway to secondary, tertiary on request).
pub fn osm_roads(path: &Path, tertiary: bool) -> anyhow::Result<Vec<RoadLine>> {
    let mut classes = vec![
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
    ];
    if tertiary {
        classes.extend(["tertiary", "tertiary_link"]);
    }
    let opts = OsmReadOptions {
        highway_classes: classes.iter().map(|s| s.to_string()).collect(),
        power_lines: false,
        railways: false,
        telecom: false,
        isolated_dwellings: false,
    };
    let data = read_osm(path, &opts)?;
    Ok(data
        .ways
        .into_iter()
        .filter(|w| w.kind == OsmWayKind::Road)
        .enumerate()
        .map(|(k, w)| RoadLine {
            // Pieces of one clipped way share its id: number them.
            id: format!("w{}_{k}", w.id),
            highway: w.class,
            reference: w.reference,
            coords: w.coords,
        })
        .collect())
}

/// Join every new site of a road run to the network; `planned` marks graph nodes a
/// village plan already builds.
pub fn road_backhaul(
    rc: &RoadCoverage,
    inputs: &PlanInputs,
    model: &MobileModel,
    planned: Option<&[bool]>,
    existing_hubs: &[Hub],
    profile: Option<&ProfileFn<'_>>,
) -> Vec<(usize, Backhaul)> {
    let g = &inputs.graph;
    let mut fibre = planned
        .map(<[bool]>::to_vec)
        .unwrap_or_else(|| vec![false; g.nodes.len()]);
    for v in g.pop_node.iter().flatten().chain(&g.line_joints) {
        fibre[*v as usize] = true;
    }
    let net = Network {
        graph: g,
        fibre,
        offroad_per_km: inputs.costs.corridor.offroad_per_km,
    };
    let mut hubs: Vec<Hub> = inputs
        .backbone
        .pops
        .iter()
        .map(|p| Hub {
            name: format!("pop:{}", p.id),
            lonlat: p.lonlat,
            height_m: POP_MAST_M,
        })
        .collect();
    hubs.extend(existing_hubs.iter().cloned());
    let idx: Vec<usize> = rc
        .on_air
        .iter()
        .copied()
        .filter(|&i| !matches!(rc.candidates[i].kind, Kind::Existing | Kind::Upgrade))
        .collect();
    let sites: Vec<SiteToJoin> = idx
        .iter()
        .map(|&i| SiteToJoin {
            name: rc.candidates[i].id.clone(),
            lonlat: rc.candidates[i].lonlat,
            height_m: rc.candidates[i].height_m,
        })
        .collect();
    let b = join(&sites, &net, &hubs, &model.backhaul, profile);
    idx.into_iter().zip(b).collect()
}

/// One road-coverage job: the roads, the network inputs and the radio flags.
pub struct RoadsJob<'a> {
    pub lines: Vec<RoadLine>,
    pub ref_classes: Option<&'a Path>,
    pub inputs: &'a PlanInputs,
    pub radio: &'a RadioArgs,
    pub data: &'a Path,
    pub target: f64,
    pub sample_m: f64,
    /// Graph nodes a village plan already builds fibre to.
    pub planned: Option<Vec<bool>>,
    /// Where the roads came from, for the summary.
    pub roads_from: serde_json::Value,
}

/// What a road-coverage job gives: the result and its two output documents.
pub struct RoadsRun {
    pub rc: RoadCoverage,
    pub geojson: serde_json::Value,
    pub summary: serde_json::Value,
    pub siting_s: f64,
    pub backhaul_s: f64,
}

/// Site, backhaul and describe road coverage (shared by `coverage roads` and `plan --mobile-roads`).
pub fn run_roads(job: RoadsJob<'_>) -> anyhow::Result<RoadsRun> {
    check_share("--target", job.target)?;
    if !(job.sample_m >= 1.0 && job.sample_m <= 10_000.0) {
        return Err(BadInput(format!("--sample-m {} is outside [1, 10000]", job.sample_m)).into());
    }
    let (model_path, model) = mobile_model(job.radio, job.data)?;
    let overrides: BTreeMap<String, RoadClass> = match job.ref_classes {
        Some(p) => read_ref_classes(p)?
            .into_iter()
            .map(|(r, c)| {
                (
                    normalise_ref(&r),
                    RoadClass::parse(&c).expect("checked by the reader"),
                )
            })
            .collect(),
        None => BTreeMap::new(),
    };
    let roads = classed_roads(job.lines, &overrides);
    let (existing, existing_note) = existing_sites(job.radio, &model)?;
    let radio = radio_from(job.radio, &model.roads, "itm", 35.0, Pattern::Boresight)?;
    let terrain = Terrain {
        dem: if job.radio.dem.is_empty() {
            None
        } else {
            Some(Dem::read(&job.radio.dem)?)
        },
        step_m: job.radio.step_m,
    };
    let inputs = job.inputs;
    let profile = terrain.profile();
    let elevation = |p: LonLat| terrain.dem.as_ref()?.elevation(p[0], p[1]);
    let settlements: Vec<LonLat> = inputs.villages.iter().map(|v| v.lonlat).collect();
    let t1 = Instant::now();
    let rc = plan_roads(RoadInput {
        roads,
        existing: &existing,
        settlements: &settlements,
        model: &model,
        radio: &radio,
        sample_m: job.sample_m,
        target_share: job.target,
        elevation: terrain.dem.as_ref().map(|_| &elevation as &_),
        profile: &profile,
        options: Options::default(),
    })
    .map_err(|e| anyhow::Error::new(BadInput(e.to_string())))?;
    let siting_s = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let existing_hubs: Vec<Hub> = existing
        .iter()
        .map(|s| Hub {
            name: format!("existing:{}", s.id),
            lonlat: s.lonlat,
            height_m: s.height_m,
        })
        .collect();
    let backhaul = road_backhaul(
        &rc,
        inputs,
        &model,
        job.planned.as_deref(),
        &existing_hubs,
        terrain.dem.as_ref().map(|_| &profile as &ProfileFn<'_>),
    );
    let backhaul_s = t2.elapsed().as_secs_f64();
    let network = if job.planned.is_some() {
        format!(
            "the existing network and this plan's new fibre, along {}",
            inputs.corridors
        )
    } else {
        format!("the existing network, along {}", inputs.corridors)
    };
    let mut notes = serde_json::json!([
        "every cost is an estimate from the mobile model file; replace with the operator's prices",
        "a road segment counts as covered when its midpoint receives the threshold",
        if terrain.dem.is_some() { "terrain: bare-earth DEM profiles (no clutter)".to_string() }
        else { format!("no DEM: flat terrain assumed, ITM area mode with a terrain irregularity of {} m", job.radio.delta_h_m) },
        "road sites aim their sectors along the road: boresight gain towards every sample",
        format!("backhaul: fibre joins {network}; points of presence have a {POP_MAST_M} m mast for microwave; existing masts are fed"),
    ]);
    let mut summary = mobile_out::road_summary(&rc, &backhaul, job.target);
    summary["radio"] = radio.summary();
    summary["inputs"] = serde_json::json!({
        "roads": job.roads_from,
        "mobile_model": model_path.display().to_string(),
        "existing": job.radio.existing.as_ref().map(|p| p.display().to_string()),
        "dem": job.radio.dem.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "sample_m": job.sample_m,
        "backhaul_network": network,
        "backbone": inputs.backbone.description,
    });
    push_note(&mut notes, existing_note);
    summary["assumptions"] = notes.clone();
    let geojson = mobile_out::road_geojson(&rc, &backhaul, Some(&inputs.graph), &notes);
    Ok(RoadsRun {
        rc,
        geojson,
        summary,
        siting_s,
        backhaul_s,
    })
}

fn roads(a: RoadsArgs) -> anyhow::Result<ExitCode> {
    init_threads(a.radio.threads)?;
    check_share("--target", a.target)?;
    let t0 = Instant::now();
    let data = data_dir(a.inputs.data.as_deref());
    let mut roads_note = None;
    let lines =
        match (&a.roads, &a.inputs.osm) {
            (Some(p), _) => {
                let lines = read_roads_geojson(p)?;
                // A generated proxy says so in its top-level `note`: carry it into the outputs.
                roads_note = fiberplan_io::text::read_text(p)
                    .ok()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .and_then(|v| v.get("note").and_then(|n| n.as_str()).map(str::to_string));
                if let Some(n) = &roads_note {
                    eprintln!("coverage roads: note from {}: {n}", p.display());
                }
                lines
            }
            (None, Some(osm)) => osm_roads(osm, a.tertiary)?,
            (None, None) => return Err(BadInput(
                "coverage roads needs --osm EXTRACT or --roads FILE.geojson: Kazakhstan's own OSM \
                 extract is the real input (download it from a mirror such as Geofabrik); the \
                 national road proxy of `bench generate` is for benchmarks only"
                    .into(),
            )
            .into()),
        };
    let inputs = load(&a.inputs.spec_with(PlanSettings::default()))?;
    let read_s = t0.elapsed().as_secs_f64();
    let run = run_roads(RoadsJob {
        lines,
        ref_classes: a.ref_classes.as_deref(),
        inputs: &inputs,
        radio: &a.radio,
        data: &data,
        target: a.target,
        sample_m: a.sample_m,
        planned: None,
        roads_from: serde_json::json!({
            "file": a.roads.as_ref().or(a.inputs.osm.as_ref()).map(|p| p.display().to_string()),
            "from": if a.roads.is_some() { "GeoJSON" } else { "OpenStreetMap extract" },
            "tertiary": a.tertiary,
            "note": roads_note,
        }),
    })?;
    mobile_out::write_coverage_dir(&a.out, &run.geojson, &run.summary)
        .map_err(|e| super::radio::write_fault(&a.out, e))?;
    if let Some(p) = &a.export_cover {
        mobile_out::write_cover_export(p, &run.rc).map_err(|e| super::radio::write_fault(p, e))?;
    }
    let (rc, summary) = (&run.rc, &run.summary);
    let unconnected = summary["backhaul"]["unconnected_sites"]
        .as_u64()
        .unwrap_or(0);
    if unconnected > 0 {
        eprintln!(
            "coverage roads: warning: {unconnected} new sites have no backhaul (backhaul \"none\"): no \
             corridor of the network reaches them and no fed hub is in line of sight; the network \
             is {}; give --osm, --backbone or --villages near these roads",
            inputs.corridors
        );
    }
    eprintln!(
        "coverage roads: {:.1} km of road, {:.1} % covered (target {:.1} %), {} new sites, {} KZT \
         (bound {} KZT, gap {:.2} %, greedy {} KZT); backhaul {} KZT; read {read_s:.2} s, siting \
         {:.2} s, backhaul {:.2} s on {} threads; wrote {}",
        rc.road_m() as f64 / 1000.0,
        100.0 * summary["covered_share"].as_f64().unwrap_or(0.0),
        100.0 * a.target,
        summary["sites_new"],
        rc.solution.cost,
        rc.solution.lower_bound,
        mobile_out::gap_pct(&rc.solution).unwrap_or(f64::INFINITY),
        rc.solution.greedy_cost,
        summary["backhaul"]["cost_kzt"],
        run.siting_s,
        run.backhaul_s,
        rayon::current_num_threads(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The city polygons: a user's GeoJSON, or bundled districts by name.
fn city_polygons(a: &CityArgs, data: &Path) -> anyhow::Result<(String, Vec<Vec<Vec<LonLat>>>)> {
    use fiberplan_io::geojson_in::{polygons, prop_string, read_features};
    if let Some(p) = &a.polygon {
        let features = read_features(p)?;
        let mut out = Vec::new();
        for (i, f) in features.iter().enumerate() {
            out.extend(polygons(p, i, f)?);
        }
        if out.is_empty() {
            return Err(BadInput(format!("{}: no polygon", p.display())).into());
        }
        return Ok((p.display().to_string(), out));
    }
    let Some(name) = &a.city else {
        return Err(
            BadInput("coverage city needs --polygon FILE.geojson or --city NAME".into()).into(),
        );
    };
    let path = data.join("kz").join("districts_2024.geojson");
    let features = read_features(&path)?;
    let want = name.trim().to_lowercase();
    let city_level = format!("{want} (city)");
    let mut out = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let get = |k: &str| prop_string(f, k).unwrap_or_default().to_lowercase();
        let hit = get("ADM1_EN") == city_level
            || ["ADM2_EN", "ADM2_RU", "ADM2_KK"]
                .iter()
                .any(|k| get(k) == want);
        if hit {
            out.extend(polygons(&path, i, f)?);
        }
    }
    if out.is_empty() {
        return Err(BadInput(format!(
            "--city {name}: no oblast-level city or district of that name in {}",
            path.display()
        ))
        .into());
    }
    Ok((format!("{name} ({})", path.display()), out))
}

fn city(a: CityArgs) -> anyhow::Result<ExitCode> {
    use fiberplan_mobile::city::{plan_city, CityInput};
    init_threads(a.radio.threads)?;
    check_share("--target", a.target)?;
    if !(a.grid_m >= 5.0 && a.grid_m <= 1000.0) {
        return Err(BadInput(format!("--grid-m {} is outside [5, 1000]", a.grid_m)).into());
    }
    if !a.radio.dem.is_empty() {
        return Err(BadInput(
            "coverage city uses TR 38.901 (no terrain): --dem is not used here".into(),
        )
        .into());
    }
    let t0 = Instant::now();
    let data = data_dir(a.data.as_deref());
    let (model_path, model) = mobile_model(&a.radio, &data)?;
    let (city_name, polys) = city_polygons(&a, &data)?;
    let (existing, existing_note) = existing_sites(&a.radio, &model)?;
    let radio = radio_from(
        &a.radio,
        &model.city,
        "38901-uma-nlos",
        5.0,
        Pattern::ThreeSector,
    )?;
    let cells_bound = fiberplan_mobile::city::area_km2(&polys) * 1e6 / (a.grid_m * a.grid_m);
    if cells_bound > 5e6 {
        return Err(BadInput(format!(
            "the city's {} m grid would hold {cells_bound:.0} cells (limit 5,000,000): raise --grid-m",
            a.grid_m
        ))
        .into());
    }
    let cc = plan_city(CityInput {
        polygons: &polys,
        existing: &existing,
        model: &model,
        radio: &radio,
        grid_m: a.grid_m,
        target_share: a.target,
        options: Options::default(),
    })
    .map_err(|e| anyhow::Error::new(BadInput(e.to_string())))?;
    let mut notes = serde_json::json!([
        "every cost is an estimate from the mobile model file; replace with the operator's prices",
        "a grid cell counts as covered when its centre receives the threshold",
        format!("path loss: {} (3GPP TR 38.901; NLOS is max(PL_LOS, PL_NLOS)); no terrain, no building data", radio.model_name()),
        "sites have three sectors at 0/120/240 degrees",
        "backhaul of city sites is not costed: an urban site is assumed within reach of the city's fibre",
    ]);
    push_note(&mut notes, existing_note);
    let mut summary = mobile_out::city_summary(&cc, a.target);
    summary["radio"] = radio.summary();
    summary["inputs"] = serde_json::json!({
        "city": city_name,
        "mobile_model": model_path.display().to_string(),
        "existing": a.radio.existing.as_ref().map(|p| p.display().to_string()),
        "grid_m": a.grid_m,
    });
    summary["assumptions"] = notes.clone();
    let geojson = mobile_out::city_geojson(&cc, &notes);
    mobile_out::write_coverage_dir(&a.out, &geojson, &summary)
        .map_err(|e| super::radio::write_fault(&a.out, e))?;
    if let Some(p) = &a.export_cover {
        mobile_out::write_city_cover_export(p, &cc).map_err(|e| super::radio::write_fault(p, e))?;
    }
    eprintln!(
        "coverage city: {:.1} km2, {} cells, {:.1} % covered (target {:.1} %), {} new sites vs {} \
         by hexagonal dimensioning (R = {:.3} km); {} KZT (bound {}, gap {:.2} %); {:.2} s; wrote {}",
        cc.area_km2,
        cc.cells.len(),
        100.0 * summary["covered_share"].as_f64().unwrap_or(0.0),
        100.0 * a.target,
        summary["sites_new"],
        cc.hex_sites,
        cc.cell_range_km,
        cc.solution.cost,
        cc.solution.lower_bound,
        mobile_out::gap_pct(&cc.solution).unwrap_or(f64::INFINITY),
        t0.elapsed().as_secs_f64(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The radio model a run declared in its summary.json.
fn radio_of_summary(path: &Path, v: &serde_json::Value) -> anyhow::Result<(Radio, Vec<PathBuf>)> {
    let bad = |m: &str| BadInput(format!("{}: radio: {m}", path.display()));
    let r = &v["radio"];
    let num = |k: &str| {
        r[k].as_f64()
            .ok_or_else(|| bad(&format!("no number `{k}`")))
    };
    let budget = RadioBudget {
        technology: r["technology"].as_str().unwrap_or("").to_string(),
        f_mhz: num("f_mhz")?,
        rs_eirp_dbm: num("eirp_dbm")?,
        threshold_dbm: num("threshold_dbm")?,
        h_ut_m: num("h_ut_m")?,
        rx_gain_dbi: num("rx_gain_dbi")?,
        margin_db: num("margin_db")?,
    };
    let itm = &r["itm"];
    let inum = |k: &str| {
        itm[k]
            .as_f64()
            .ok_or_else(|| bad(&format!("no number `itm.{k}`")))
    };
    let params = || -> anyhow::Result<ItmParams> {
        Ok(ItmParams {
            f_mhz: budget.f_mhz,
            n_0: inum("n_0")?,
            epsilon: inum("epsilon")?,
            sigma: inum("sigma")?,
            pol: inum("polarization")? as i32,
            climate: inum("climate")? as i32,
            mdvar: inum("mdvar")? as i32,
            time: inum("time_pct")?,
            location: inum("location_pct")?,
            situation: inum("situation_pct")?,
        })
    };
    let name = r["model"].as_str().ok_or_else(|| bad("no `model`"))?;
    let propagation = match name {
        "itm-p2p" => Propagation::ItmP2p {
            params: params()?,
            step_m: inum("profile_step_m")?,
        },
        "itm-area" => Propagation::ItmArea {
            params: params()?,
            delta_h_m: num("delta_h_m")?,
        },
        n => Propagation::Named {
            model: n.parse().map_err(|e: String| bad(&e))?,
            name: n.to_string(),
        },
    };
    let pattern = if r["antenna"]
        .as_str()
        .unwrap_or("")
        .starts_with("three sectors")
    {
        Pattern::ThreeSector
    } else {
        Pattern::Boresight
    };
    let dem: Vec<PathBuf> = v["inputs"]["dem"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(PathBuf::from))
                .collect()
        })
        .unwrap_or_default();
    Ok((
        Radio {
            budget,
            propagation,
            pattern,
            range_m: num("range_km")? * 1000.0,
        },
        dem,
    ))
}

/// Recompute the covered share of a run from its sites, with the radio engine directly.
fn verify(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    use fiberplan_mobile::radio_link::Transmitter;
    use fiberplan_mobile::sample::midpoint;
    use fiberplan_radio::coverage::PointIndex;
    init_threads(a.threads)?;
    let sp = a.dir.join("summary.json");
    let gp = a.dir.join("coverage.geojson");
    let read_json = |p: &Path| -> anyhow::Result<serde_json::Value> {
        let t = fiberplan_io::text::read_text(p)?;
        Ok(serde_json::from_str(&t).map_err(|e| BadInput(format!("{}: {e}", p.display())))?)
    };
    let summary = read_json(&sp)?;
    let geo = read_json(&gp)?;
    let (radio, dem_files) = radio_of_summary(&sp, &summary)?;
    let terrain = Terrain {
        dem: if dem_files.is_empty() {
            None
        } else {
            Some(Dem::read(&dem_files)?)
        },
        step_m: match radio.propagation {
            Propagation::ItmP2p { step_m, .. } => step_m,
            _ => 90.0,
        },
    };
    let mut txs = Vec::new();
    let mut points = Vec::new();
    let mut weights = Vec::new();
    let coord =
        |c: &serde_json::Value| -> Option<LonLat> { Some([c[0].as_f64()?, c[1].as_f64()?]) };
    for f in geo["features"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let p = &f["properties"];
        let g = &f["geometry"];
        match p["kind"].as_str() {
            Some("site") if p["on_air"].as_bool() == Some(true) => txs.push(Transmitter {
                lonlat: coord(&g["coordinates"])
                    .ok_or_else(|| BadInput("site without a point".into()))?,
                height_m: p["height_m"].as_f64().unwrap_or(0.0),
            }),
            Some("road") => {
                let line: Vec<LonLat> = g["coordinates"]
                    .as_array()
                    .map(|a| a.iter().filter_map(coord).collect())
                    .unwrap_or_default();
                points.push(midpoint(&line));
                weights.push((p["km"].as_f64().unwrap_or(0.0) * 1000.0).round());
            }
            Some("cell") => {
                points.push(
                    coord(&g["coordinates"])
                        .ok_or_else(|| BadInput("cell without a point".into()))?,
                );
                weights.push(1.0);
            }
            _ => {}
        }
    }
    let index = PointIndex::new(&points);
    let profile = terrain.profile();
    let best = radio.best_levels(&txs, &points, &index, &profile);
    let t = radio.budget.threshold_dbm;
    let total: f64 = weights.iter().sum();
    let covered: f64 = best
        .iter()
        .zip(&weights)
        .filter(|(b, _)| b.is_some_and(|v| v >= t))
        .map(|(_, w)| w)
        .sum();
    let share = if total > 0.0 { covered / total } else { 0.0 };
    let reported = summary["covered_share"].as_f64().unwrap_or(f64::NAN);
    let v = serde_json::json!({
        "sites_on_air": txs.len(),
        "points": points.len(),
        "recomputed_share": share,
        "reported_share": reported,
        "difference_pct_points": 100.0 * (share - reported),
        "agrees_within_0_1_pct": (share - reported).abs() <= 0.001,
    });
    println!("{v}");
    Ok(if (share - reported).abs() <= 0.001 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
