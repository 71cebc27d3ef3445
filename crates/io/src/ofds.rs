//! The existing network from an Open Fibre Data Standard 0.3.0 file: a network package
//! (`{"networks": [...]}`), a lone network, or the GeoJSON form (features with
//! `featureType` `node` / `span`; the nodes file, the spans file, or both in one collection).
//!
//! Operational spans (or spans with no status) become fibre lines, operational nodes (or
//! nodes with no status) become points of presence; planned, proposed and other spans and
//! nodes are not part of the existing network and are counted in the description. Errors
//! name the network, node or span: a span end that matches no node, a node without a
//! location, a network id that is not a UUID, a `crs` other than the one OFDS allows
//! (WGS84 lon/lat, `urn:ogc:def:crs:OGC::CRS84`).
//!
//! Source: Open Fibre Data Standard 0.3.0 (Open Data Services, Apache-2.0), its schema and
//! the publication formats' reference pages; the schema ships in `data/ofds/`.

use crate::coords::check_lonlat;
use crate::text::{read_text_bounded, LIMIT_JSON};
use crate::{InputError, Where};
use fiberplan_model::antimeridian::split_line;
use fiberplan_model::{Backbone, LonLat, Pop, PopSource};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The one CRS OFDS 0.3.0 allows.
pub const CRS_NAME: &str = "urn:ogc:def:crs:OGC::CRS84";
pub const CRS_URI: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// True when a parsed JSON document is OFDS: a network package, a network (`links` with
/// `nodes` or `spans`), or GeoJSON whose features have an OFDS `featureType`.
pub fn is_ofds(v: &Value) -> bool {
    if v.get("networks").is_some_and(Value::is_array) {
        return true;
    }
    if v.get("links").is_some() && (v.get("nodes").is_some() || v.get("spans").is_some()) {
        return true;
    }
    v.get("type").and_then(Value::as_str) == Some("FeatureCollection")
        && v["features"].as_array().is_some_and(|fs| {
            fs.iter().any(|f| {
                matches!(
                    f["properties"]["featureType"].as_str(),
                    Some("node" | "span")
                )
            })
        })
}

/// The backbone from `path` when it is an OFDS document; `Ok(None)` when it is not (or is
/// not JSON at all: the GeoJSON reader then reports the problem).
pub fn read_if_ofds(path: &Path) -> Result<Option<Backbone>, InputError> {
    let text = read_text_bounded(path, LIMIT_JSON)?;
    let Ok(v) = serde_json::from_str::<Value>(&text) else {
        return Ok(None);
    };
    if !is_ofds(&v) {
        return Ok(None);
    }
    backbone_from_ofds(path, &v).map(Some)
}

/// A network package from the GeoJSON form: `features` of the nodes and spans collections.
/// References are put back (phases as `{id, name}` with the phases listed once, in order of
/// first reference; span ends as node ids) and every node embedded as a span end but
/// missing from the nodes is added, so a spans file alone is a whole network.
pub fn package_from_geojson(features: &[&Value]) -> Value {
    struct Net {
        meta: Map<String, Value>,
        nodes: Vec<Value>,
        spans: Vec<Value>,
        phases: Vec<Value>,
    }
    let mut nets: Vec<Net> = Vec::new();
    let mut span_ends: Vec<(usize, Value)> = Vec::new();
    let index = |meta: &Value, nets: &mut Vec<Net>| -> usize {
        let id = &meta["id"];
        if let Some(i) = nets.iter().position(|n| n.meta.get("id") == Some(id)) {
            return i;
        }
        nets.push(Net {
            meta: meta.as_object().cloned().unwrap_or_default(),
            nodes: Vec::new(),
            spans: Vec::new(),
            phases: Vec::new(),
        });
        nets.len() - 1
    };
    let phase_ref = |m: &mut Map<String, Value>, phases: &mut Vec<Value>| {
        if let Some(Value::Object(ph)) = m.get("phase") {
            if !phases.iter().any(|p| p["id"] == ph["id"]) {
                phases.push(Value::Object(ph.clone()));
            }
            let mut r = Map::new();
            for k in ["id", "name"] {
                if let Some(v) = ph.get(k) {
                    r.insert(k.into(), v.clone());
                }
            }
            m.insert("phase".into(), Value::Object(r));
        }
    };
    // Nodes first (their order is the nodes file's), then spans.
    for pass in ["node", "span"] {
        for f in features {
            let Some(props) = f["properties"].as_object() else {
                continue;
            };
            if props.get("featureType").and_then(Value::as_str) != Some(pass) {
                continue;
            }
            let i = index(props.get("network").unwrap_or(&Value::Null), &mut nets);
            let mut m = props.clone();
            m.shift_remove("network");
            m.shift_remove("featureType");
            let net = &mut nets[i];
            phase_ref(&mut m, &mut net.phases);
            let geometry = f.get("geometry").filter(|g| !g.is_null()).cloned();
            if pass == "node" {
                if let Some(g) = geometry {
                    m.insert("location".into(), g);
                }
                net.nodes.push(Value::Object(m));
            } else {
                for end in ["start", "end"] {
                    if let Some(Value::Object(node)) = m.get(end).cloned() {
                        m.insert(end.into(), node.get("id").cloned().unwrap_or(Value::Null));
                        span_ends.push((i, Value::Object(node)));
                    }
                }
                if let Some(g) = geometry {
                    m.insert("route".into(), g);
                }
                net.spans.push(Value::Object(m));
            }
        }
    }
    for (i, node) in span_ends {
        let net = &mut nets[i];
        if !net.nodes.iter().any(|n| n["id"] == node["id"]) {
            net.nodes.push(node);
        }
    }
    let networks: Vec<Value> = nets
        .into_iter()
        .map(|n| {
            let mut m = n.meta;
            for (k, v) in [("nodes", n.nodes), ("spans", n.spans), ("phases", n.phases)] {
                if !v.is_empty() {
                    m.insert(k.into(), Value::Array(v));
                }
            }
            Value::Object(m)
        })
        .collect();
    serde_json::json!({ "networks": networks })
}

/// The existing network of an OFDS document (see the module docs).
pub fn backbone_from_ofds(path: &Path, v: &Value) -> Result<Backbone, InputError> {
    let package = if v.get("type").and_then(Value::as_str) == Some("FeatureCollection") {
        let fs: Vec<&Value> = v["features"].as_array().into_iter().flatten().collect();
        package_from_geojson(&fs)
    } else if v.get("networks").is_some() {
        v.clone()
    } else {
        serde_json::json!({ "networks": [v] })
    };
    let nets = package["networks"].as_array().cloned().unwrap_or_default();
    if nets.is_empty() {
        return Err(InputError::file(
            path,
            "OFDS network package with no networks",
        ));
    }
    let mut bb = Backbone::default();
    let (mut skipped_nodes, mut skipped_spans, mut unrouted) = (0usize, 0usize, 0usize);
    let mut names = Vec::new();
    for (k, net) in nets.iter().enumerate() {
        let net_at = |m: String| InputError::new(path, Where::Key(format!("networks[{k}]")), m);
        let Some(net) = net.as_object() else {
            return Err(net_at("is not a JSON object".into()));
        };
        let id = match net.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(net_at("network `id` is not a string".into())),
            None => return Err(net_at("network has no `id` (a UUID)".into())),
        };
        if uuid::Uuid::try_parse(&id).is_err() {
            return Err(net_at(format!(
                "network id {id:?} is not a UUID (RFC 4122), as OFDS requires"
            )));
        }
        let list = |key: &str| -> Result<Vec<Value>, InputError> {
            match net.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(a)) => Ok(a.clone()),
                Some(_) => Err(net_at(format!("`{key}` is not an array"))),
            }
        };
        let (nodes, spans) = (list("nodes")?, list("spans")?);
        let has_coords = nodes.iter().any(|n| n.get("location").is_some())
            || spans.iter().any(|s| s.get("route").is_some());
        match net.get("crs") {
            None if has_coords => {
                return Err(net_at(
                    "network has coordinates but no `crs`: OFDS requires \
                     {\"name\": \"urn:ogc:def:crs:OGC::CRS84\", ...} (WGS84 lon/lat)"
                        .into(),
                ))
            }
            Some(crs)
                if crs["name"].as_str() != Some(CRS_NAME)
                    || crs["uri"].as_str() != Some(CRS_URI) =>
            {
                return Err(net_at(format!(
                    "wrong crs {}: OFDS 0.3.0 coordinates are WGS84 lon/lat ({CRS_NAME}); \
                     reproject to EPSG:4326",
                    serde_json::to_string(crs).unwrap_or_default()
                )))
            }
            _ => {}
        }
        if nodes.is_empty() && !spans.is_empty() {
            return Err(net_at(format!(
                "network {id} has {} spans but no `nodes`: every span's start and end must be a node",
                spans.len()
            )));
        }
        names.push(
            net.get("name")
                .and_then(Value::as_str)
                .map_or(id.clone(), |n| format!("{n} ({id})")),
        );
        // Nodes: unique ids, locations where needed.
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        let mut located: Vec<Option<LonLat>> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let nid = match n.get("id") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ => {
                    return Err(InputError::new(
                        path,
                        Where::Key(format!("networks[{k}].nodes[{i}]")),
                        "node without an `id`",
                    ))
                }
            };
            let at = |m: String| InputError::new(path, Where::Key(format!("node {nid:?}")), m);
            if by_id.insert(nid.clone(), i).is_some() {
                return Err(at("duplicate node id".into()));
            }
            let loc = match n.get("location") {
                None | Some(Value::Null) => None,
                Some(g) => Some(point(g).map_err(at)?),
            };
            located.push(loc);
            if operational(n) {
                let Some(lonlat) = loc else {
                    return Err(at(
                        "operational node has no `location`: a point of presence needs one".into(),
                    ));
                };
                bb.pops.push(Pop {
                    id: nid.clone(),
                    name: n
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    lonlat,
                    source: PopSource::User,
                });
            } else {
                skipped_nodes += 1;
            }
        }
        // Spans: unique ids, ends that resolve to exactly one node.
        let mut span_ids = std::collections::BTreeSet::new();
        for (i, s) in spans.iter().enumerate() {
            let sid = match s.get("id") {
                Some(Value::String(x)) if !x.is_empty() => x.clone(),
                _ => {
                    return Err(InputError::new(
                        path,
                        Where::Key(format!("networks[{k}].spans[{i}]")),
                        "span without an `id`",
                    ))
                }
            };
            let at = |m: String| InputError::new(path, Where::Key(format!("span {sid:?}")), m);
            if !span_ids.insert(sid.clone()) {
                return Err(at("duplicate span id".into()));
            }
            let mut ends = [None; 2];
            for (e, end) in ["start", "end"].into_iter().enumerate() {
                let Some(nid) = s.get(end).and_then(Value::as_str) else {
                    return Err(at(format!("no `{end}` node id")));
                };
                let Some(&j) = by_id.get(nid) else {
                    return Err(at(format!(
                        "{end} node {nid:?} is not among the network's nodes (dangling span end)"
                    )));
                };
                ends[e] = Some(j);
            }
            if !operational(s) {
                skipped_spans += 1;
                continue;
            }
            let line = match s.get("route") {
                None | Some(Value::Null) => {
                    let (a, b) = (
                        ends[0].and_then(|j| located[j]),
                        ends[1].and_then(|j| located[j]),
                    );
                    let (Some(a), Some(b)) = (a, b) else {
                        return Err(at(
                            "operational span has no `route` and its nodes no location".into(),
                        ));
                    };
                    unrouted += 1;
                    vec![a, b]
                }
                Some(g) => line_string(g).map_err(at)?,
            };
            // Cut at the antimeridian, as every backbone line is (RFC 7946, 3.1.9).
            bb.lines.extend(split_line(&line));
        }
    }
    if bb.pops.is_empty() && bb.lines.is_empty() {
        return Err(InputError::file(
            path,
            "OFDS network has no operational nodes or spans: nothing existing to attach to",
        ));
    }
    let mut d = format!(
        "OFDS network {} from {}: {} points of presence, {} fibre lines (operational)",
        names.join(", "),
        path.display(),
        bb.pops.len(),
        bb.lines.len()
    );
    if skipped_nodes + skipped_spans > 0 {
        d.push_str(&format!(
            "; {skipped_nodes} nodes and {skipped_spans} spans not operational, left out"
        ));
    }
    if unrouted > 0 {
        d.push_str(&format!(
            "; {unrouted} spans without a route drawn straight between their nodes"
        ));
    }
    bb.description = d;
    Ok(bb)
}

fn operational(x: &Value) -> bool {
    matches!(
        x.get("status").and_then(Value::as_str),
        None | Some("operational")
    )
}

fn position(v: &Value) -> Result<LonLat, String> {
    let nums: Option<Vec<f64>> = v
        .as_array()
        .map(|a| a.iter().map(Value::as_f64).collect::<Option<Vec<_>>>())
        .unwrap_or(None);
    let nums = nums.ok_or_else(|| format!("position {v} is not an array of numbers"))?;
    check_lonlat(&nums)
}

fn point(g: &Value) -> Result<LonLat, String> {
    if g["type"].as_str() != Some("Point") {
        return Err(format!(
            "location is {}, expected a GeoJSON Point",
            g["type"].as_str().unwrap_or("not a geometry")
        ));
    }
    position(&g["coordinates"])
}

fn line_string(g: &Value) -> Result<Vec<LonLat>, String> {
    if g["type"].as_str() != Some("LineString") {
        return Err(format!(
            "route is {}, expected a GeoJSON LineString",
            g["type"].as_str().unwrap_or("not a geometry")
        ));
    }
    let pts: Vec<LonLat> = g["coordinates"]
        .as_array()
        .ok_or("route has no coordinates")?
        .iter()
        .map(position)
        .collect::<Result<_, _>>()?;
    if pts.len() < 2 {
        return Err("route needs at least two positions".into());
    }
    Ok(pts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ID: &str = "a096d627-72e1-4f9b-b129-951b1737bff4";

    fn net(nodes: Value, spans: Value) -> Value {
        json!({"networks": [{"id": ID, "nodes": nodes, "spans": spans,
            "crs": {"name": CRS_NAME, "uri": CRS_URI},
            "links": [{"rel": "describedby", "href": "x"}]}]})
    }

    fn node(id: &str, x: f64, status: &str) -> Value {
        json!({"id": id, "status": status, "location": {"type": "Point", "coordinates": [x, 0.0]}})
    }

    #[test]
    fn operational_parts_become_the_backbone() {
        let v = net(
            json!([
                node("a", 0.0, "operational"),
                node("b", 1.0, "operational"),
                node("c", 2.0, "planned")
            ]),
            json!([
                {"id": "s1", "status": "operational", "start": "a", "end": "b",
                 "route": {"type": "LineString", "coordinates": [[0, 0], [0.5, 0.1], [1, 0]]}},
                {"id": "s2", "status": "planned", "start": "b", "end": "c"},
                {"id": "s3", "start": "a", "end": "b"}
            ]),
        );
        assert!(is_ofds(&v));
        let bb = backbone_from_ofds(Path::new("n.json"), &v).unwrap();
        assert_eq!(bb.pops.len(), 2);
        assert_eq!(bb.pops[1].id, "b");
        assert_eq!(
            bb.lines,
            vec![
                vec![[0.0, 0.0], [0.5, 0.1], [1.0, 0.0]],
                vec![[0.0, 0.0], [1.0, 0.0]]
            ]
        );
        assert!(bb
            .description
            .contains("1 nodes and 1 spans not operational"));
        assert!(bb.description.contains("1 spans without a route"));
    }

    #[test]
    fn errors_name_the_element() {
        let p = Path::new("n.json");
        let dangling = net(
            json!([node("a", 0.0, "operational")]),
            json!([{"id": "s1", "start": "a", "end": "zz"}]),
        );
        let e = backbone_from_ofds(p, &dangling).unwrap_err().to_string();
        assert!(e.contains("span \"s1\"") && e.contains("\"zz\""), "{e}");
        let mut bad_id = net(json!([node("a", 0.0, "operational")]), json!([]));
        bad_id["networks"][0]["id"] = json!("not-a-uuid");
        let e = backbone_from_ofds(p, &bad_id).unwrap_err().to_string();
        assert!(e.contains("not-a-uuid") && e.contains("UUID"), "{e}");
        let mut crs = net(json!([node("a", 0.0, "operational")]), json!([]));
        crs["networks"][0]["crs"] = json!({"name": "EPSG:3857", "uri": "x"});
        let e = backbone_from_ofds(p, &crs).unwrap_err().to_string();
        assert!(e.contains("wrong crs"), "{e}");
        let mut no_nodes = net(json!([]), json!([{"id": "s1", "start": "a", "end": "b"}]));
        no_nodes["networks"][0]
            .as_object_mut()
            .unwrap()
            .shift_remove("nodes");
        let e = backbone_from_ofds(p, &no_nodes).unwrap_err().to_string();
        assert!(e.contains("no `nodes`"), "{e}");
    }

    #[test]
    fn geojson_form_gives_the_package_back() {
        let phase = json!({"id": "1", "name": "One", "description": "first"});
        let meta = json!({"id": ID, "links": []});
        let n = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 0.0]},
            "properties": {"id": "a", "phase": phase, "network": meta, "featureType": "node"}});
        let a_node = json!({"id": "a", "phase": {"id": "1", "name": "One"},
            "location": {"type": "Point", "coordinates": [0.0, 0.0]}});
        let b_node = json!({"id": "b", "location": {"type": "Point", "coordinates": [1.0, 0.0]}});
        let s = json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0.0, 0.0], [1.0, 0.0]]},
            "properties": {"id": "s", "start": a_node, "end": b_node, "network": meta, "featureType": "span"}});
        let p = package_from_geojson(&[&n, &s]);
        let net = &p["networks"][0];
        assert_eq!(net["nodes"], json!([a_node, b_node]));
        assert_eq!(net["spans"][0]["start"], "a");
        assert_eq!(net["spans"][0]["end"], "b");
        assert_eq!(net["spans"][0]["route"]["type"], "LineString");
        assert_eq!(net["phases"], json!([phase]));
    }
}
