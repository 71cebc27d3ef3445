//! `fiberplan osm stats FILE`: what an OpenStreetMap extract gives the planner: corridor
//! ways and kilometres by class, places, and the planning graph built from them.

use super::{data_dir, init_threads};
use fiberplan_io::osm::{
    backbone_from_osm, read_osm_extract, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_io::read_costs;
use fiberplan_model::osm::OsmData;
use fiberplan_network::roads::{build_road_graph_table, RoadGraph, RoadGraphOptions};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Subcommand, Debug, Clone)]
pub enum OsmCmd {
    /// Print ways and km by class, places, components and timings of an extract
    /// (.osm.pbf, .osm or .osm.gz).
    Stats(StatsArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct StatsArgs {
    /// The extract: .osm.pbf, .osm or .osm.gz (told apart by content).
    pub file: PathBuf,
    /// Cost model (TOML) for the graph's corridor costs. Default: data/costs.toml.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Count `place=isolated_dwelling` as villages.
    #[arg(long)]
    pub include_isolated: bool,
    /// Leave power lines out of the corridors.
    #[arg(long)]
    pub no_power_lines: bool,
    /// Leave railways out of the corridors.
    #[arg(long)]
    pub no_railways: bool,
    /// Road classes to use, comma-separated (default: motorway down to track and service).
    #[arg(long, value_delimiter = ',')]
    pub highway: Option<Vec<String>>,
    /// Farthest a village may be from a corridor to be placed, metres.
    #[arg(long, default_value_t = 5000.0)]
    pub max_snap_m: f64,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

pub fn run(cmd: OsmCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        OsmCmd::Stats(args) => stats(args),
    }
}

/// Reader options from the flags.
pub fn read_options(
    include_isolated: bool,
    no_power: bool,
    no_rail: bool,
    highway: &Option<Vec<String>>,
) -> OsmReadOptions {
    let mut o = OsmReadOptions {
        power_lines: !no_power,
        railways: !no_rail,
        isolated_dwellings: include_isolated,
        ..Default::default()
    };
    if let Some(h) = highway {
        o.highway_classes = h
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    o
}

fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    init_threads(args.threads)?;
    let costs_path = args
        .costs
        .clone()
        .unwrap_or_else(|| data_dir(args.data.as_deref()).join("costs.toml"));
    let costs = read_costs(&costs_path)?;
    let opts = read_options(
        args.include_isolated,
        args.no_power_lines,
        args.no_railways,
        &args.highway,
    );
    let t0 = Instant::now();
    // The corridor ways held flat, the rest (telecom ways, places) as `OsmData`.
    let (ways, osm) = read_osm_extract(&args.file, &opts)?.split_telecom();
    let t_read = t0.elapsed();
    let villages = villages_from_places(
        &osm,
        &VillageOptions {
            include_isolated: args.include_isolated,
            ..Default::default()
        },
    );
    let (backbone, _) = backbone_from_osm(&osm);
    let gopts = RoadGraphOptions {
        max_snap_m: args.max_snap_m,
        power_lines: !args.no_power_lines,
        railways: !args.no_railways,
        ..Default::default()
    };
    let g = build_road_graph_table(ways, &villages, &backbone, &costs.corridor, &gopts)
        .map_err(|e| fiberplan_io::InputError::file(&args.file, e.to_string()))?;
    let t_total = t0.elapsed();
    let mut out = std::io::stdout().lock();
    let report = Report {
        file: &args.file,
        osm: &osm,
        g: &g,
        villages: villages.len(),
        tagged: villages.iter().filter(|v| !v.population_imputed).count(),
        backbone: &backbone.description,
        pops: backbone.pops.len(),
        t_read,
        t_total,
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.json())?)?;
    } else {
        report.text(&mut out)?;
    }
    Ok(ExitCode::SUCCESS)
}

struct Report<'a> {
    file: &'a std::path::Path,
    osm: &'a OsmData,
    g: &'a RoadGraph,
    villages: usize,
    tagged: usize,
    backbone: &'a str,
    pops: usize,
    t_read: Duration,
    t_total: Duration,
}

impl Report<'_> {
    fn places(&self) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for p in &self.osm.places {
            *m.entry(p.place.as_str()).or_default() += 1;
        }
        m
    }

    fn json(&self) -> serde_json::Value {
        let s = &self.osm.stats;
        let gs = &self.g.stats;
        let classes: Vec<_> = gs
            .by_class
            .iter()
            .map(|((k, c), v)| json!({"kind": k.as_str(), "class": c, "ways": v.ways, "km": round3(v.km)}))
            .collect();
        json!({
            "file": self.file.display().to_string(),
            "bytes": s.bytes,
            "nodes": s.nodes,
            "ways": s.ways,
            "relations": s.relations,
            "ways_clipped": s.ways_clipped,
            "ways_dropped": s.ways_dropped,
            "missing_node_refs": s.missing_node_refs,
            "bounds": self.osm.bounds,
            "corridors_by_class": classes,
            "places": self.places(),
            "villages": self.villages,
            "villages_with_population_tag": self.tagged,
            "points_of_presence": self.pops,
            "backbone": self.backbone,
            "graph": {
                "nodes": self.g.graph.nodes.len(),
                "corridors": self.g.graph.corridors.len(),
                "junction_nodes": gs.corridor_nodes,
                "road_corridors": gs.corridors,
                "components": gs.components,
                "largest_component_nodes": gs.largest_component_nodes,
                "railway_crossings": gs.railway_crossings,
                "villages_placed": gs.villages_placed,
                "villages_unplaced": gs.villages_unplaced,
                "pops_placed": gs.pops_placed,
                "line_joints": gs.line_joints,
                "offroad_spurs": gs.offroad_spurs,
                "offroad_km": round3(gs.offroad_km),
                "offroad_max_m": round3(gs.offroad_max_m),
            },
            "seconds": {"read": self.t_read.as_secs_f64(), "total": self.t_total.as_secs_f64()},
        })
    }

    fn text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let s = &self.osm.stats;
        let gs = &self.g.stats;
        let mb = s.bytes as f64 / 1e6;
        writeln!(
            out,
            "{}: {:.2} MB, {} nodes, {} ways, {} relations",
            self.file.display(),
            mb,
            s.nodes,
            s.ways,
            s.relations
        )?;
        if s.ways_clipped + s.ways_dropped > 0 {
            writeln!(
                out,
                "clipped at the extract's edge: {} ways cut, {} dropped (fewer than two nodes inside), {} node references missing",
                s.ways_clipped, s.ways_dropped, s.missing_node_refs
            )?;
        }
        writeln!(
            out,
            "\n{:<28} {:>7} {:>11}",
            "corridors by class", "ways", "km"
        )?;
        let mut total_km = 0.0;
        for ((k, c), v) in &gs.by_class {
            writeln!(
                out,
                "  {:<26} {:>7} {:>11.2}",
                format!("{}/{}", k.as_str(), c),
                v.ways,
                v.km
            )?;
            total_km += v.km;
        }
        writeln!(
            out,
            "  {:<26} {:>7} {:>11.2}",
            "total",
            gs.by_class.values().map(|v| v.ways).sum::<usize>(),
            total_km
        )?;
        let places: Vec<String> = self
            .places()
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(
            out,
            "\nplaces: {}",
            if places.is_empty() {
                "none".to_string()
            } else {
                places.join(", ")
            }
        )?;
        writeln!(
            out,
            "villages: {} ({} with a population tag, the rest imputed)",
            self.villages, self.tagged
        )?;
        writeln!(out, "points of presence: {} ({})", self.pops, self.backbone)?;
        writeln!(
            out,
            "\nplanning graph: {} junctions and ends, {} corridors, {} connected components (largest {} nodes), {} level crossings",
            gs.corridor_nodes, gs.corridors, gs.components, gs.largest_component_nodes, gs.railway_crossings
        )?;
        writeln!(
            out,
            "snapped: {} of {} villages placed ({} beyond the snap distance), {} of {} points of presence; {} off-road spurs, {:.2} km, longest {:.0} m",
            gs.villages_placed,
            gs.villages_placed + gs.villages_unplaced,
            gs.villages_unplaced,
            gs.pops_placed,
            gs.pops_placed + gs.pops_unplaced,
            gs.offroad_spurs,
            gs.offroad_km,
            gs.offroad_max_m
        )?;
        let secs = self.t_total.as_secs_f64();
        writeln!(
            out,
            "\ntime: read {:.1} ms, read + graph {:.1} ms ({:.1} MB/s, {:.2} M nodes/s)",
            self.t_read.as_secs_f64() * 1e3,
            secs * 1e3,
            mb / secs,
            s.nodes as f64 / secs / 1e6
        )?;
        writeln!(out, "data (c) OpenStreetMap contributors, ODbL 1.0")?;
        Ok(())
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use fiberplan_io::osm::read_osm;
    use fiberplan_model::{Backbone, CostModel};
    use fiberplan_network::roads::build_road_graph;
    use fiberplan_network::CorridorKind;

    fn costs() -> CostModel {
        let toml = r#"
currency = "KZT"
village_equipment_kzt = 0
household_connection_kzt = 0
[corridor]
proxy_per_km = 0
offroad_per_km = 2000
bridge_extra_per_km = 500
tunnel_extra_per_km = 700
power_line_per_km = 300
railway_per_km = 1200
railway_crossing_kzt = 10000
[corridor.road_default]
paved_per_km = 1000
unpaved_per_km = 800
"#;
        fiberplan_io::parse_costs(toml).expect("valid cost model")
    }

    /// Read an XML fixture and build its graph: a road 1-2-3 crossed at 2 by a track
    /// 4-2-5 whose next node is missing (clipped), a bridge 3-6, a village 200 m off the
    /// road and one 20 km away.
    #[test]
    fn xml_fixture_to_planning_graph() {
        let xml = r#"<?xml version="1.0"?><osm version="0.6">
 <node id="1" lat="45.0" lon="70.0"/><node id="2" lat="45.0" lon="70.01"/>
 <node id="3" lat="45.0" lon="70.02"/><node id="4" lat="44.99" lon="70.01"/>
 <node id="5" lat="45.01" lon="70.01"/><node id="6" lat="45.0" lon="70.03"/>
 <node id="9" lat="45.0018" lon="70.005"><tag k="place" v="village"/><tag k="population" v="350"/></node>
 <node id="10" lat="45.2" lon="70.0"><tag k="place" v="hamlet"/></node>
 <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="tertiary"/></way>
 <way id="101"><nd ref="4"/><nd ref="2"/><nd ref="5"/><nd ref="7"/><tag k="highway" v="track"/></way>
 <way id="102"><nd ref="3"/><nd ref="6"/><tag k="highway" v="tertiary"/><tag k="bridge" v="yes"/></way>
</osm>"#;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.osm");
        std::fs::write(&p, xml).unwrap();
        let osm = read_osm(&p, &OsmReadOptions::default()).unwrap();
        assert_eq!(osm.stats.ways_clipped, 1);
        let villages = villages_from_places(&osm, &VillageOptions::default());
        assert_eq!(villages.len(), 2);
        let g = build_road_graph(
            &osm,
            &villages,
            &Backbone::default(),
            &costs().corridor,
            &RoadGraphOptions::default(),
        )
        .unwrap();
        // Junctions and ends: 1, 2, 3, 4, 5, 6; the bridge (3-6) differs from 2-3 only by the
        // bridge flag, so the chain 2-3-6 is contracted: 5 nodes, 4 corridors.
        assert_eq!((g.stats.corridor_nodes, g.stats.corridors), (5, 4));
        // The village: a foot node splits 1-2, and a spur of about 200 m.
        assert_eq!((g.graph.nodes.len(), g.graph.corridors.len()), (7, 6));
        assert_eq!(
            g.graph.village_node[1], None,
            "the hamlet 22 km away is not placed"
        );
        let spur = g
            .graph
            .corridors
            .iter()
            .find(|c| c.kind == CorridorKind::Offroad)
            .unwrap();
        assert!((195.0..205.0).contains(&spur.length_m), "{}", spur.length_m);
        let bridged = g.graph.corridors.iter().find(|c| c.bridges == 1).unwrap();
        assert_eq!(g.graph.osm_ways(bridged), [100, 102]);
        assert_eq!(g.stats.components, 1);
        // Every vertex of every corridor is an OSM node, the foot or the village point.
        let mut allowed: Vec<[f64; 2]> = osm
            .ways
            .iter()
            .flat_map(|w| w.coords.iter().copied())
            .collect();
        allowed.push(villages[0].lonlat);
        allowed.push(g.graph.nodes[spur.b as usize]);
        for c in &g.graph.corridors {
            for v in c.geometry.iter() {
                assert!(allowed.contains(&v), "{v:?}");
            }
        }
    }
}

/// The bundled data the tests below read: the folder, its cost model, and every OSM extract
/// in it.
#[cfg(test)]
mod bundled_data {
    use fiberplan_model::CostModel;
    use std::path::PathBuf;

    pub const EXTRACTS: [&str; 5] = [
        "almaty_2013.osm.pbf",
        "andorra.osm.pbf",
        "harsdorf.osm.pbf",
        "neudrossenfeld.osm.pbf",
        "neudrossenfeld.osm.gz",
    ];

    pub fn dir() -> PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    pub fn costs() -> CostModel {
        super::read_costs(&dir().join("costs.toml")).unwrap()
    }
}

#[cfg(test)]
mod bundled {
    use super::*;
    use fiberplan_io::osm::read_osm;
    use fiberplan_model::osm::OsmWayKind;
    use fiberplan_network::roads::build_road_graph;
    use fiberplan_network::CorridorKind;
    use std::collections::BTreeSet;

    fn bits(p: [f64; 2]) -> (u64, u64) {
        (p[0].to_bits(), p[1].to_bits())
    }

    /// On every bundled extract: the graph keeps every metre of the corridor ways (km per
    /// class as read, within 1e-9), every corridor is drawn from its node to its node
    /// through OSM node positions, snap points and village points only, and no village is
    /// lost.
    #[test]
    fn bundled_extracts_build_sound_graphs() {
        let (dir, costs) = (bundled_data::dir(), bundled_data::costs());
        for f in bundled_data::EXTRACTS {
            let osm = read_osm(&dir.join("osm").join(f), &OsmReadOptions::default()).unwrap();
            let villages = villages_from_places(&osm, &VillageOptions::default());
            let (backbone, _) = backbone_from_osm(&osm);
            let r = build_road_graph(
                &osm,
                &villages,
                &backbone,
                &costs.corridor,
                &RoadGraphOptions::default(),
            )
            .unwrap();
            let g = &r.graph;
            assert_eq!(g.village_node.len(), villages.len(), "{f}");
            assert_eq!(
                g.pop_node.len(),
                backbone.pops.len() + r.line_joints.len(),
                "{f}"
            );
            let mut allowed: BTreeSet<(u64, u64)> = osm
                .ways
                .iter()
                .filter(|w| w.kind != OsmWayKind::Telecom)
                .flat_map(|w| w.coords.iter().map(|p| bits(*p)))
                .collect();
            allowed.extend(villages.iter().map(|v| bits(v.lonlat)));
            allowed.extend(backbone.pops.iter().map(|p| bits(p.lonlat)));
            let mut snap_points = BTreeSet::new();
            for c in &g.corridors {
                assert_ne!(c.a, c.b, "{f}: loop");
                assert_eq!(c.geometry.get(0), g.nodes[c.a as usize], "{f}");
                assert_eq!(c.geometry.last().unwrap(), g.nodes[c.b as usize], "{f}");
                assert!(c.cost_kzt >= 0);
                if c.kind == CorridorKind::Offroad {
                    snap_points.insert(bits(c.geometry.get(1)));
                }
            }
            // A village or pop within a metre of its foot sits on the foot itself.
            snap_points.extend(
                g.village_node
                    .iter()
                    .chain(&g.pop_node)
                    .flatten()
                    .map(|n| bits(g.nodes[*n as usize])),
            );
            for c in &g.corridors {
                for (i, p) in c.geometry.iter().enumerate() {
                    let ok = allowed.contains(&bits(p))
                        || ((i == 0 || i + 1 == c.geometry.len())
                            && snap_points.contains(&bits(p)));
                    assert!(ok, "{f}: vertex {p:?} of a {:?} corridor is neither an OSM node nor a snap point", c.kind);
                }
            }
            // Length kept: read ways vs graph corridors, by kind.
            let mut read_km = BTreeMap::new();
            for w in osm.ways.iter().filter(|w| w.kind != OsmWayKind::Telecom) {
                *read_km.entry(w.kind.as_str()).or_insert(0.0) +=
                    fiberplan_network::geodesy::length_m(&w.coords) / 1000.0;
            }
            let mut graph_km = BTreeMap::new();
            for c in g
                .corridors
                .iter()
                .filter(|c| c.kind != CorridorKind::Offroad)
            {
                *graph_km.entry(c.kind.as_str()).or_insert(0.0) += c.length_m / 1000.0;
            }
            assert_eq!(
                read_km.keys().collect::<Vec<_>>(),
                graph_km.keys().collect::<Vec<_>>(),
                "{f}"
            );
            for (k, km) in &read_km {
                let got: f64 = graph_km[k];
                assert!(
                    (got - km).abs() <= 1e-6 * km + 1e-9,
                    "{f} {k}: graph {got} km, ways {km} km"
                );
            }
            assert_eq!(
                r.stats.villages_placed + r.stats.villages_unplaced,
                villages.len()
            );
        }
    }
}

#[cfg(test)]
mod flat_ways {
    use super::*;
    use fiberplan_io::osm::read_osm;
    use fiberplan_network::roads::build_road_graph;

    /// On every bundled extract: the ways read flat (`read_osm_extract`, what `plan` and
    /// `validate` build from) give the same graph as the ways read one by one
    /// (`read_osm`), bit for bit, and the same extract once turned back into ways.
    #[test]
    fn flat_ways_build_the_same_graph() {
        let (dir, costs) = (bundled_data::dir(), bundled_data::costs());
        for f in bundled_data::EXTRACTS {
            let path = dir.join("osm").join(f);
            let opts = OsmReadOptions::default();
            let osm = read_osm(&path, &opts).unwrap();
            let flat = read_osm_extract(&path, &opts).unwrap();
            assert_eq!(flat.clone().into_data(), osm, "{f}");
            let villages = villages_from_places(&osm, &VillageOptions::default());
            let (backbone, _) = backbone_from_osm(&osm);
            let (ways, rest) = flat.split_telecom();
            assert_eq!(backbone_from_osm(&rest).0, backbone, "{f}");
            let gopts = RoadGraphOptions::default();
            let a = build_road_graph(&osm, &villages, &backbone, &costs.corridor, &gopts).unwrap();
            let b = build_road_graph_table(ways, &villages, &backbone, &costs.corridor, &gopts)
                .unwrap();
            let bits = |g: &fiberplan_network::PlanningGraph| -> Vec<(u64, u64)> {
                g.nodes
                    .iter()
                    .map(|p| (p[0].to_bits(), p[1].to_bits()))
                    .collect()
            };
            assert_eq!(bits(&a.graph), bits(&b.graph), "{f}");
            assert_eq!(a.graph.corridors, b.graph.corridors, "{f}");
            assert_eq!(a.graph.way_ids, b.graph.way_ids, "{f}");
            assert_eq!(a.graph.name_ids, b.graph.name_ids, "{f}");
            assert_eq!(a.graph.name_table, b.graph.name_table, "{f}");
            assert_eq!(a.graph.village_node, b.graph.village_node, "{f}");
            assert_eq!(a.graph.pop_node, b.graph.pop_node, "{f}");
            assert_eq!(a.node_osm_id, b.node_osm_id, "{f}");
            assert_eq!(a.stats, b.stats, "{f}");
            assert!(a.graph.corridors.len() > 100, "{f}");
        }
    }
}

#[cfg(test)]
mod determinism {
    use super::*;
    use fiberplan_io::osm::read_osm;
    use fiberplan_network::roads::build_road_graph;

    /// Same extract, 1 or 4 threads: the same graph, corridor by corridor.
    #[test]
    fn graph_is_the_same_whatever_the_thread_count() {
        let (dir, costs) = (bundled_data::dir(), bundled_data::costs());
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let osm =
                    read_osm(&dir.join("osm/andorra.osm.pbf"), &OsmReadOptions::default()).unwrap();
                let villages = villages_from_places(&osm, &VillageOptions::default());
                let (backbone, _) = backbone_from_osm(&osm);
                build_road_graph(
                    &osm,
                    &villages,
                    &backbone,
                    &costs.corridor,
                    &RoadGraphOptions::default(),
                )
                .unwrap()
            })
        };
        let (a, b) = (build(1), build(4));
        assert_eq!(a.graph.nodes, b.graph.nodes);
        assert_eq!(a.graph.corridors, b.graph.corridors);
        assert_eq!(a.graph.village_node, b.graph.village_node);
        assert_eq!(a.graph.pop_node, b.graph.pop_node);
        assert_eq!(a.stats, b.stats);
    }
}
