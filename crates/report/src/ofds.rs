//! Open Fibre Data Standard 0.3.0 export: the plan as one OFDS network, in the JSON
//! publication form (`plan.ofds.json`, a network package) and the GeoJSON form
//! (`plan.ofds.nodes.geojson`, `plan.ofds.spans.geojson`).
//!
//! Nodes are the ends of the plan's routes: points of presence (`pop`, operational), joints
//! on existing lines and branch points (`aggregationPoint`: new splice closures, planned),
//! and fibre villages (`aggregationPoint` with `accessPoint`: the village's access node,
//! planned). Spans are the routes (`status: planned`, `phase` per rollout year), so every
//! node is used by a span, as the standard's checks ask. The network `id` is a UUID v5 of
//! the network's own content, so the same plan always gets the same id.
//!
//! Source: Open Fibre Data Standard 0.3.0, Open Data Services, Apache-2.0
//! (<https://github.com/Open-Telecoms-Data/open-fibre-data-standard>, tag `0__3__0`);
//! the schema ships in `data/ofds/`.

use crate::plan_out::{PlanContext, ATTRIBUTION};
use fiberplan_model::LonLat;
use fiberplan_network::CorridorKind;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// `links[0].href`: the standard requires the first link to be the canonical network schema.
pub const NETWORK_SCHEMA_URL: &str = "https://raw.githubusercontent.com/Open-Telecoms-Data/open-fibre-data-standard/0__3__0/schema/network-schema.json";

/// The only coordinate reference system OFDS 0.3.0 allows (WGS84 lon/lat).
pub const CRS_NAME: &str = "urn:ogc:def:crs:OGC::CRS84";
pub const CRS_URI: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// Namespace of the network ids (UUID v5 of the URL namespace and this name).
const ID_NAMESPACE: &str = "https://github.com/fiberplan/ofds-network";

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn r3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn point(p: LonLat) -> Value {
    json!({"type": "Point", "coordinates": [r6(p[0]), r6(p[1])]})
}

/// What a route end is, in order of precedence when several things share a graph node.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Pop(usize),
    Joint,
    Village,
    Branch,
}

/// The plan as an OFDS network package (`{"networks": [network]}`).
pub fn network_package(ctx: &PlanContext) -> Value {
    package_with(ctx, &ctx.graph.village_node)
}

/// The package when `ctx.villages` is a part of the graph's villages (a district):
/// `village_nodes[i]` is the graph node of `ctx.villages[i]`.
pub(crate) fn package_with(ctx: &PlanContext, village_nodes: &[Option<u32>]) -> Value {
    json!({ "networks": [network(ctx, village_nodes)] })
}

/// `plan.ofds.json`: a network package, pretty-printed.
pub fn package_text(package: &Value) -> String {
    let mut s = serde_json::to_string_pretty(package).expect("JSON values");
    s.push('\n');
    s
}

/// One OFDS network: nodes at the routes' ends, one span per route.
fn network(ctx: &PlanContext, village_nodes: &[Option<u32>]) -> Value {
    let p = ctx.plan;
    let g = ctx.graph;
    // Route ends in order of first appearance: a deterministic node order.
    let mut order: Vec<u32> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in &p.routes {
        for v in [r.from, r.to] {
            if seen.insert(v) {
                order.push(v);
            }
        }
    }
    let mut villages_at: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, vp) in p.villages.iter().enumerate() {
        if vp.technology != fiberplan_plan::Technology::Fibre {
            continue;
        }
        if let Some(v) = village_nodes.get(i).copied().flatten() {
            villages_at.entry(v).or_default().push(i);
        }
    }
    let mut role: BTreeMap<u32, Role> = BTreeMap::new();
    for u in &p.pops {
        let r = u.pop.map_or(Role::Joint, Role::Pop);
        let e = role.entry(u.node).or_insert(r.clone());
        if r < *e {
            *e = r;
        }
    }
    let role_of = |v: u32| -> Role {
        role.get(&v)
            .cloned()
            .unwrap_or(if villages_at.contains_key(&v) {
                Role::Village
            } else {
                Role::Branch
            })
    };
    let phase_ref = |y: u16| json!({"id": y.to_string(), "name": y.to_string()});

    let mut node_id: BTreeMap<u32, String> = BTreeMap::new();
    let mut nodes = Vec::new();
    for &v in &order {
        let mut m = Map::new();
        let (id, name, ty, status, access, phase) = match role_of(v) {
            Role::Pop(j) => {
                let pop = &ctx.backbone.pops[j];
                let name = if pop.name.is_empty() {
                    pop.id.clone()
                } else {
                    pop.name.clone()
                };
                (
                    format!("pop/{}", pop.id),
                    name,
                    "pop",
                    "operational",
                    None,
                    None,
                )
            }
            Role::Joint => (
                format!("joint/{v}"),
                format!("Splice onto existing fibre, node {v}"),
                "aggregationPoint",
                "planned",
                Some(false),
                None,
            ),
            Role::Village => {
                let vs = &villages_at[&v];
                let names: Vec<String> = vs
                    .iter()
                    .map(|&i| {
                        let x = &ctx.villages[i];
                        if x.name.is_empty() {
                            x.id.clone()
                        } else {
                            x.name.clone()
                        }
                    })
                    .collect();
                let phase = vs.iter().filter_map(|&i| p.villages[i].phase).min();
                (
                    format!("village/{}", ctx.villages[vs[0]].id),
                    names.join("; "),
                    "aggregationPoint",
                    "planned",
                    Some(true),
                    phase,
                )
            }
            Role::Branch => (
                format!("branch/{v}"),
                format!("Branch point, node {v}"),
                "aggregationPoint",
                "planned",
                Some(false),
                None,
            ),
        };
        m.insert("id".into(), json!(id));
        m.insert("name".into(), json!(name));
        if let Some(y) = phase {
            m.insert("phase".into(), phase_ref(y));
        }
        m.insert("status".into(), json!(status));
        m.insert("location".into(), point(g.nodes[v as usize]));
        m.insert("type".into(), json!([ty]));
        if let Some(a) = access {
            m.insert("accessPoint".into(), json!(a));
        }
        node_id.insert(v, id);
        nodes.push(Value::Object(m));
    }

    let mut spans = Vec::new();
    for (i, r) in p.routes.iter().enumerate() {
        let mut m = Map::new();
        let id = format!("route-{}", i + 1);
        m.insert("id".into(), json!(id));
        m.insert("name".into(), json!(format!("New fibre {id}")));
        if let Some(y) = r.phase {
            m.insert("phase".into(), phase_ref(y));
        }
        m.insert("status".into(), json!("planned"));
        m.insert("start".into(), json!(node_id[&r.from]));
        m.insert("end".into(), json!(node_id[&r.to]));
        m.insert("directed".into(), json!(false));
        let coords: Vec<Value> = r
            .geometry
            .iter()
            .map(|q| json!([r6(q[0]), r6(q[1])]))
            .collect();
        m.insert(
            "route".into(),
            json!({"type": "LineString", "coordinates": coords}),
        );
        m.insert("transmissionMedium".into(), json!(["fibre"]));
        // Aerial on power lines, buried elsewhere (the cost model's assumption).
        let mut deployment: Vec<&str> = Vec::new();
        for &c in &r.corridors {
            let d = match g.corridors[c as usize].kind {
                CorridorKind::PowerLine => "aboveGround",
                _ => "belowGround",
            };
            if !deployment.contains(&d) {
                deployment.push(d);
            }
        }
        deployment.sort_unstable();
        m.insert("deployment".into(), json!(deployment));
        m.insert("fibreLength".into(), json!(r3(r.costed_length_m / 1000.0)));
        m.insert("countries".into(), json!(["KZ"]));
        spans.push(Value::Object(m));
    }
    // A plan outside Kazakhstan (the equator fixture) names no country.
    if !ctx.villages.iter().any(|v| in_kazakhstan(v.lonlat)) {
        for s in &mut spans {
            s.as_object_mut().expect("span").shift_remove("countries");
        }
    }

    let phases = phases_in_order(&nodes, &spans);
    let mut net = Map::new();
    net.insert("id".into(), json!(""));
    net.insert(
        "name".into(),
        json!(format!(
            "fiberplan plan: {} routes, {} fibre villages",
            p.routes.len(),
            p.summary.villages_fibre
        )),
    );
    if !nodes.is_empty() {
        net.insert("nodes".into(), Value::Array(nodes));
    }
    if !spans.is_empty() {
        net.insert("spans".into(), Value::Array(spans));
    }
    if !phases.is_empty() {
        net.insert("phases".into(), Value::Array(phases));
    }
    net.insert("crs".into(), json!({"name": CRS_NAME, "uri": CRS_URI}));
    net.insert(
        "accuracyDetails".into(),
        json!(format!(
            "Planned routes, not surveyed. fibreLength is estimated: the drawn length along \
             roads, or along straight-line corridors times a road-circuity factor where no road \
             data was used. Existing network: {}. {}",
            ctx.backbone.description, ATTRIBUTION
        )),
    );
    net.insert("language".into(), json!("en"));
    net.insert(
        "links".into(),
        json!([{"rel": "describedby", "href": NETWORK_SCHEMA_URL}]),
    );
    let id = network_uuid(&Value::Object(net.clone()));
    net.insert("id".into(), json!(id));
    Value::Object(net)
}

/// UUID v5 of the network's content (serialised with an empty `id`).
fn network_uuid(net: &Value) -> String {
    let ns = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, ID_NAMESPACE.as_bytes());
    let body = serde_json::to_vec(net).expect("JSON values");
    uuid::Uuid::new_v5(&ns, &body).to_string()
}

fn in_kazakhstan(p: LonLat) -> bool {
    (46.2..=87.6).contains(&p[0]) && (40.3..=55.7).contains(&p[1])
}

/// The phases the nodes and spans refer to, in order of first reference (nodes, then
/// spans): the order the GeoJSON form gives back.
fn phases_in_order(nodes: &[Value], spans: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for x in nodes.iter().chain(spans) {
        if let Some(ph) = x.get("phase") {
            if !out.iter().any(|o| o["id"] == ph["id"]) {
                out.push(ph.clone());
            }
        }
    }
    out
}

/// The GeoJSON publication form of a network package: (nodes, spans) FeatureCollections.
/// Each feature carries its node or span with references resolved (phases in full, span
/// ends as whole nodes), the network's other fields under `network`, and `featureType`.
pub fn to_geojson(package: &Value) -> (Value, Value) {
    let mut node_features = Vec::new();
    let mut span_features = Vec::new();
    let empty = Vec::new();
    for net in package["networks"].as_array().unwrap_or(&empty) {
        let Value::Object(net) = net else { continue };
        let mut reduced = net.clone();
        let list = |k: &str| net.get(k).and_then(Value::as_array).unwrap_or(&empty);
        let (nodes, spans, phases) = (list("nodes"), list("spans"), list("phases"));
        for k in ["nodes", "spans", "phases", "organisations"] {
            reduced.shift_remove(k);
        }
        let reduced = Value::Object(reduced);
        let deref_phase = |m: &mut Map<String, Value>| {
            if let Some(ph) = m.get("phase") {
                if let Some(full) = phases.iter().find(|p| p["id"] == ph["id"]) {
                    m.insert("phase".into(), full.clone());
                }
            }
        };
        for n in nodes {
            let mut m = n.as_object().cloned().unwrap_or_default();
            let geometry = m.shift_remove("location").unwrap_or(Value::Null);
            deref_phase(&mut m);
            m.insert("network".into(), reduced.clone());
            m.insert("featureType".into(), json!("node"));
            node_features.push(json!({"type": "Feature", "geometry": geometry, "properties": m}));
        }
        for s in spans {
            let mut m = s.as_object().cloned().unwrap_or_default();
            let geometry = m.shift_remove("route").unwrap_or(Value::Null);
            deref_phase(&mut m);
            for end in ["start", "end"] {
                if let Some(id) = m.get(end) {
                    if let Some(node) = nodes.iter().find(|n| n["id"] == *id) {
                        m.insert(end.into(), node.clone());
                    }
                }
            }
            m.insert("network".into(), reduced.clone());
            m.insert("featureType".into(), json!("span"));
            span_features.push(json!({"type": "Feature", "geometry": geometry, "properties": m}));
        }
    }
    (
        json!({"type": "FeatureCollection", "features": node_features}),
        json!({"type": "FeatureCollection", "features": span_features}),
    )
}

/// `plan.ofds.nodes.geojson` and `plan.ofds.spans.geojson` of a network package.
pub fn geojson_texts(package: &Value) -> (String, String) {
    let (n, s) = to_geojson(package);
    let text = |v: &Value| {
        let mut t = serde_json::to_string(v).expect("JSON values");
        t.push('\n');
        t
    };
    (text(&n), text(&s))
}
