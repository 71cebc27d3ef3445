//! `plan.html`: one self-contained page that opens offline by double-click. Leaflet (pinned
//! from the npm registry, see `build.rs`) and the plan's data are inlined; an online
//! OpenStreetMap tile layer is added only when a tile actually loads.
//!
//! Layers: existing network (points of presence the plan attaches to, existing fibre lines),
//! new routes by phase and technology, villages sized by households and coloured by
//! technology, district boundaries (simplified). Click popups, a legend, a summary panel and
//! a district filter.
//!
//! Self-test: after rendering, the page writes into `<pre id="selftest">` how many features
//! each layer drew; with `?selftest` in the address it also clicks the largest connected
//! village (or `?selftest=ID`) and records the popup's text. The browser test reads it with
//! headless Chromium's `--dump-dom`.

use crate::clip::DistrictClipper;
use crate::district_packages::{split_by_district, totals};
use crate::i18n::Lang;
use crate::plan_out::PlanContext;
use crate::report_html::{esc, simplify, technology_colour, POP_COLOUR};
use fiberplan_model::LonLat;
use fiberplan_plan::Technology;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;

const LEAFLET_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/leaflet.js"));
const LEAFLET_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/leaflet.css"));

fn r5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

fn r3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn pt(p: LonLat) -> Value {
    json!([r5(p[0]), r5(p[1])])
}

fn fc(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

fn feature(geometry: Value, props: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": props})
}

/// A FeatureCollection whose features are made one at a time as it is serialised, so the
/// national map's hundreds of thousands of features never stand as one `Value` tree (on a
/// country-size plan that tree was the write phase's peak). Serialises once.
struct LazyCollection<'a>(RefCell<Option<Box<dyn Iterator<Item = Value> + 'a>>>);

impl<'a> LazyCollection<'a> {
    fn new(features: impl Iterator<Item = Value> + 'a) -> Self {
        LazyCollection(RefCell::new(Some(Box::new(features))))
    }
}

impl Serialize for LazyCollection<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Features<'b, 'a>(&'b LazyCollection<'a>);
        impl Serialize for Features<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let features = self.0 .0.borrow_mut().take();
                s.collect_seq(features.expect("a collection is serialised once"))
            }
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", "FeatureCollection")?;
        m.serialize_entry("features", &Features(self))?;
        m.end()
    }
}

/// The page's data, in the order its JSON lists the keys.
#[derive(Serialize)]
struct PageData<'a> {
    lang: &'a str,
    labels: Value,
    attribution: &'a str,
    backbone: String,
    quality: String,
    price_scales: Option<String>,
    proxy: bool,
    summary: Value,
    districts: Map<String, Value>,
    tech_colours: Map<String, Value>,
    route_colour: &'a str,
    pop_colour: &'a str,
    boundaries: Value,
    routes: LazyCollection<'a>,
    villages: LazyCollection<'a>,
    pops: LazyCollection<'a>,
    lines: LazyCollection<'a>,
    mobile_sites: Value,
    mobile_roads: Value,
}

/// Writes into a page's buffer with every `</` turned into `<\/`: inside `<script>`, `</`
/// would end the element, and JSON reads `<\/` as `</`. `</` can only stand inside a JSON
/// string, so this changes no value. The byte before the JSON is the page's own `>`.
struct ScriptSafe<'a>(&'a mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            if b == b'/' && self.0.last() == Some(&b'<') {
                self.0.push(b'\\');
            }
            self.0.push(b);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A village's name in the page's language.
/// The whole page.
pub fn plan_html(ctx: &PlanContext, polygons: &[Vec<Vec<Vec<LonLat>>>], lang: Lang) -> String {
    let l = lang.labels();
    let p = ctx.plan;
    let clipper = DistrictClipper::new(polygons);

    // Districts: the ones any village lies in (their boundaries are drawn), with package totals.
    let used: BTreeSet<usize> = ctx.villages.iter().filter_map(|v| v.district).collect();
    let mut district_totals = Map::new();
    for w in split_by_district(ctx, &clipper) {
        let t = totals(ctx, &w);
        let key = w.district.map(|d| d.to_string()).unwrap_or_default();
        district_totals.insert(
            key,
            json!({
                "villages": t.villages_connected,
                "households": t.households_connected,
                "km": r3(t.new_fibre_km),
                "cost": t.cost_total_kzt,
            }),
        );
    }
    let mut districts = Map::new();
    let mut boundaries = Vec::new();
    for &d in &used {
        let Some(dist) = ctx.districts.get(d) else {
            continue;
        };
        let name = lang.district_name(dist);
        districts.insert(
            d.to_string(),
            json!({"kato": dist.kato, "name": name, "oblast": lang.oblast_name(dist),
                   "totals": district_totals.get(&d.to_string())}),
        );
        if let Some(polys) = polygons.get(d) {
            let coords: Vec<Value> = polys
                .iter()
                .map(|poly| {
                    Value::Array(
                        poly.iter()
                            .map(|ring| {
                                let s = simplify(ring, 0.005);
                                Value::Array(
                                    s.iter().map(|q| json!([r3(q[0]), r3(q[1])])).collect(),
                                )
                            })
                            .filter(|r| r.as_array().is_some_and(|a| a.len() >= 4))
                            .collect(),
                    )
                })
                .filter(|p| p.as_array().is_some_and(|a| !a.is_empty()))
                .collect();
            boundaries.push(feature(
                json!({"type": "MultiPolygon", "coordinates": coords}),
                json!({"d": d, "kato": dist.kato, "name": name, "oblast": lang.oblast_name(dist)}),
            ));
        }
    }

    let routes = LazyCollection::new(p.routes.iter().enumerate().map(move |(i, r)| {
        let types: Vec<String> = ctx
            .route_kinds(r)
            .iter()
            .map(|k| l.corridor_type_name(k))
            .collect();
        feature(
            json!(crate::plan_schema::PlanGeometry::line(
                r.geometry.iter().map(|q| [r5(q[0]), r5(q[1])]).collect()
            )),
            json!({"id": format!("route-{}", i + 1), "km": r3(r.costed_length_m / 1000.0),
                       "cost": r.cost_kzt, "phase": r.phase, "tech": "fibre",
                       "types": types.join(", "), "d": r.district}),
        )
    }));
    let villages = LazyCollection::new(ctx.villages.iter().zip(&p.villages).map(move |(v, vp)| {
        let mut m = Map::new();
        m.insert("id".into(), json!(v.id));
        let shown = lang.village_name(v);
        m.insert("name".into(), json!(shown));
        let mut other: Vec<&str> = Vec::new();
        for n in [&v.name, &v.name_kk, &v.name_ru] {
            if !n.is_empty() && *n != shown && !other.contains(&n.as_str()) {
                other.push(n);
            }
        }
        if !other.is_empty() {
            m.insert("alt".into(), json!(other.join(" / ")));
        }
        m.insert("hh".into(), json!(v.households));
        if v.population_imputed {
            m.insert("est".into(), json!(true));
        }
        let why = crate::report_html::reason(l, lang, v, vp);
        if !why.is_empty() {
            m.insert("why".into(), json!(why));
        }
        m.insert("pop".into(), json!(v.population));
        m.insert("tech".into(), json!(vp.technology.as_str()));
        m.insert("phase".into(), json!(vp.phase));
        m.insert("cost".into(), json!(vp.cost_kzt));
        m.insert("d".into(), json!(v.district));
        if vp.unreachable {
            m.insert("unr".into(), json!(true));
        }
        feature(
            json!({"type": "Point", "coordinates": pt(v.lonlat)}),
            Value::Object(m),
        )
    }));
    let clipper = &clipper;
    let pops = LazyCollection::new(p.pops.iter().map(move |u| {
        let (id, name) = match u.pop.map(|j| &ctx.backbone.pops[j]) {
            Some(pop) => (pop.id.clone(), pop.name.clone()),
            None => (format!("joint/{}", u.node), String::new()),
        };
        feature(
            json!({"type": "Point", "coordinates": pt(u.lonlat)}),
            json!({"id": id, "name": name, "d": clipper.locate(u.lonlat)}),
        )
    }));
    let lines = LazyCollection::new(ctx.backbone.lines.iter().map(|line| {
        feature(
            json!({"type": "LineString", "coordinates": line.iter().map(|q| pt(*q)).collect::<Vec<_>>()}),
            json!({}),
        )
    }));

    // Mobile coverage of the roads, when planned: sites on air and road segments.
    let (mut msites, mut mroads) = (Vec::new(), Vec::new());
    for f in ctx
        .mobile
        .and_then(|m| m["features"].as_array())
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let p = &f["properties"];
        let d = crate::district_packages::mobile_feature_at(f).and_then(|q| clipper.locate(q));
        match p["kind"].as_str() {
            Some("site") if p["on_air"].as_bool() == Some(true) => msites.push(feature(
                f["geometry"].clone(),
                json!({"id": p["candidate_id"], "type": p["site_type"], "h": p["height_m"],
                       "cost": p["cost_kzt"], "bh": p["backhaul"], "bhc": p["backhaul_cost_kzt"],
                       "why": p["backhaul_reason"], "d": d}),
            )),
            Some("road") => mroads.push(feature(
                f["geometry"].clone(),
                json!({"id": p["segment_id"], "cls": p["class"], "ref": p["ref"], "km": p["km"],
                       "cov": p["covered"], "dbm": p["best_dbm"], "d": d}),
            )),
            _ => {}
        }
    }
    let mobile_labels = match lang {
        Lang::Ru => {
            json!({"sites": "Базовые станции (оценка)", "covered": "Дороги с покрытием", "uncovered": "Дороги без покрытия", "backhaul": "Транспортная сеть", "height": "Высота, м", "level": "Уровень, дБм"})
        }
        Lang::Kk => {
            json!({"sites": "Базалық станциялар (бағалау)", "covered": "Қамтылған жолдар", "uncovered": "Қамтылмаған жолдар", "backhaul": "Тасымалдау желісі", "height": "Биіктігі, м", "level": "Деңгейі, дБм"})
        }
        Lang::En => {
            json!({"sites": "Mobile sites (estimated)", "covered": "Roads covered", "uncovered": "Roads not covered", "backhaul": "Backhaul", "height": "Height, m", "level": "Level, dBm"})
        }
    };

    // National totals, from the plan's villages and routes.
    let mut by_tech = Map::new();
    for t in [
        Technology::Fibre,
        Technology::Fwa,
        Technology::Satellite,
        Technology::ExistingFibre,
        Technology::None,
    ] {
        let (n, hh) = ctx
            .villages
            .iter()
            .zip(&p.villages)
            .filter(|(_, vp)| vp.technology == t)
            .fold((0u64, 0u64), |(n, hh), (v, _)| (n + 1, hh + v.households));
        by_tech.insert(t.as_str().into(), json!({"villages": n, "households": hh}));
    }
    let summary = json!({
        "villages": p.villages.iter().filter(|vp| vp.technology.is_planned()).count(),
        "households": ctx.villages.iter().zip(&p.villages).filter(|(_, vp)| vp.technology.is_planned()).map(|(v, _)| v.households).sum::<u64>(),
        // 0.0 + : an empty float sum is -0.0.
        "km": r3(0.0 + p.routes.iter().map(|r| r.costed_length_m).sum::<f64>() / 1000.0),
        "cost": p.summary.cost_total_kzt,
        "by_tech": by_tech,
    });
    let tech_colours: Map<String, Value> = [
        Technology::Fibre,
        Technology::Fwa,
        Technology::Satellite,
        Technology::ExistingFibre,
        Technology::None,
    ]
    .iter()
    .map(|t| (t.as_str().to_string(), json!(technology_colour(*t))))
    .collect();
    let labels = json!({
        "title": l.title, "district": l.district, "oblast": l.oblast, "summary": l.summary,
        "phase": l.phase, "unphased": l.unphased, "technology": l.technology,
        "villages": l.villages, "households": l.households, "population": l.population,
        "cost": l.cost_kzt, "km": l.km, "new_routes": l.new_routes, "pops": l.pops,
        "boundaries": l.boundaries, "all_districts": l.all_districts, "legend": l.legend,
        "connected_villages": l.connected_villages, "connected_households": l.connected_households,
        "new_fibre_km": l.new_fibre_km, "total": l.total, "corridor_type": l.corridor_type,
        "existing_lines": l.existing_lines, "unreachable": l.unreachable,
        "estimate": l.estimate, "estimate_note": l.estimate_note, "reason": l.reason,
        "tech": {"fibre": l.tech_fibre, "fwa": l.tech_fwa, "satellite": l.tech_satellite, "none": l.tech_none},
        "mobile": mobile_labels,
        "size_note": match lang { Lang::Ru => "размер — число домохозяйств", Lang::Kk => "өлшемі — үй шаруашылықтарының саны", Lang::En => "size: households" },
    });
    let data = PageData {
        lang: lang.code(),
        labels,
        attribution: l.attribution,
        backbone: ctx.backbone_note(lang),
        quality: format!(
            "{}: {}",
            l.quality,
            crate::report_html::quality_note(ctx, lang)
        ),
        price_scales: crate::report_html::price_scale_note(ctx, lang),
        proxy: ctx.backbone.is_proxy,
        summary,
        districts,
        tech_colours,
        route_colour: crate::report_html::ROUTE_COLOUR,
        pop_colour: POP_COLOUR,
        boundaries: fc(boundaries),
        routes,
        villages,
        pops,
        lines,
        mobile_sites: fc(msites),
        mobile_roads: fc(mroads),
    };

    let mut h = String::with_capacity(LEAFLET_JS.len() + 20_000);
    h.push_str("<!DOCTYPE html>\n<html lang=\"");
    h.push_str(lang.code());
    h.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>fiberplan — ");
    h.push_str(&esc(l.title));
    h.push_str("</title>\n<style>\n");
    h.push_str(LEAFLET_CSS);
    h.push_str("\n</style>\n<style>\n");
    h.push_str(PAGE_CSS);
    h.push_str("\n</style>\n</head>\n<body>\n<div id=\"map\"></div>\n<div id=\"panel\"><h1>");
    h.push_str(&esc(l.title));
    h.push_str("</h1><select id=\"district\"></select><div id=\"summary\"></div><div id=\"legend\"></div><p class=\"note\" id=\"quality\"></p><p class=\"note\" id=\"price-scales\" hidden></p><p class=\"note\" id=\"backbone\"></p></div>\n<pre id=\"selftest\" hidden></pre>\n<script>\n");
    h.push_str(LEAFLET_JS);
    h.push_str("\n</script>\n<script type=\"application/json\" id=\"plan-data\">");
    let mut h = h.into_bytes();
    serde_json::to_writer(ScriptSafe(&mut h), &data).expect("the page's data serialises");
    let mut h = String::from_utf8(h).expect("JSON text is UTF-8");
    h.push_str("</script>\n<script>\n");
    h.push_str(PAGE_JS);
    h.push_str("\n</script>\n</body>\n</html>\n");
    h
}

const PAGE_CSS: &str = r#"html,body{margin:0;height:100%;font-family:'DejaVu Sans',Arial,sans-serif}
.vlabel{padding:0 3px;font-size:11px;opacity:0.85}
#map{position:absolute;top:0;bottom:0;left:0;right:300px}
#panel{position:absolute;top:0;bottom:0;right:0;width:284px;padding:8px;overflow-y:auto;background:#fff;border-left:1px solid #ccc;font-size:13px}
#panel h1{font-size:15px;margin:4px 0 8px}#district{width:100%;margin-bottom:8px}
#panel table{border-collapse:collapse;width:100%}#panel td{padding:2px 4px;border-bottom:1px solid #eee}td.n{text-align:right;white-space:nowrap}
.sw{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;vertical-align:middle;border:1px solid #333}
.ln{display:inline-block;width:18px;height:3px;margin-right:6px;vertical-align:middle}
.note{color:#666;font-size:11px}.leaflet-popup-content table td{padding:1px 4px}"#;

const PAGE_JS: &str = r#"(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('plan-data').textContent);
  var T = D.labels;
  var locale = D.lang === 'en' ? 'en-US' : 'ru-RU';
  function num(n) { return n == null ? '' : Number(n).toLocaleString(locale); }
  function kmf(x) { return Number(x).toLocaleString(locale, {minimumFractionDigits: 2, maximumFractionDigits: 2}); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]; }); }
  function phaseName(p) { return p == null ? T.unphased : String(p); }
  function districtName(d) { var x = D.districts[String(d)]; return x ? x.name + ' (' + x.kato + ')' : ''; }
  function rows(pairs) {
    return '<table>' + pairs.filter(function (p) { return p[1] !== '' && p[1] != null; }).map(function (p) {
      return '<tr><td>' + esc(p[0]) + '</td><td class="n">' + esc(p[1]) + '</td></tr>'; }).join('') + '</table>';
  }

  var map = L.map('map', {zoomSnap: 0.25, fadeAnimation: false}).setView([48, 67], 5);
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution(esc(D.attribution));
  // Routes and points of presence above the village circles (overlayPane is 400).
  map.createPane('routes').style.zIndex = 450;
  map.createPane('pops').style.zIndex = 460;

  // District filter: null = all districts.
  var filterD = null;
  function inDistrict(f) { return filterD === null || String(f.properties.d) === filterD; }

  var groups = [];
  var overlays = {};
  function group(kind, key, name, features, options, filter) {
    var layer = L.geoJSON(null, options);
    var g = {kind: kind, key: key, name: name, features: features, layer: layer, filter: filter};
    groups.push(g);
    overlays[name] = layer;
    return g;
  }

  var boundaryStyle = {color: '#555', weight: 1, fillColor: '#888', fillOpacity: 0.03};
  group('boundaries', '', T.boundaries, D.boundaries.features, {
    style: function (f) { return filterD !== null && String(f.properties.d) === filterD ? {color: '#000', weight: 3, fillOpacity: 0} : boundaryStyle; },
    onEachFeature: function (f, l) { l.bindPopup('<b>' + esc(f.properties.name) + '</b> (' + esc(f.properties.kato) + ')<br>' + esc(T.oblast) + ': ' + esc(f.properties.oblast)); }
  }, function () { return true; });

  if (D.lines.features.length) {
    group('lines', '', T.existing_lines, D.lines.features, {style: {color: D.pop_colour, weight: 2, dashArray: '4 4'}}, function () { return true; });
  }

  // New routes: one layer per phase and technology, coloured by phase.
  // Unphased routes in the route red; each phase its own colour.
  var palette = ['#e66101', '#5e3c99', '#018571', '#a6611a', '#0571b0', '#ca0020'];
  var phased = 0;
  var routeKeys = [];
  D.routes.features.forEach(function (f) {
    var k = (f.properties.phase == null ? '' : String(f.properties.phase)) + '|' + f.properties.tech;
    if (routeKeys.indexOf(k) < 0) routeKeys.push(k);
  });
  routeKeys.sort();
  var routeColour = {};
  routeKeys.forEach(function (k) {
    var phase = k.split('|')[0];
    routeColour[k] = phase === '' ? D.route_colour : palette[phased++ % palette.length];
    var tech = k.split('|')[1];
    group('routes', k, T.new_routes + ' — ' + phaseName(phase === '' ? null : phase) + ' — ' + T.tech[tech],
      D.routes.features.filter(function (f) { return (f.properties.phase == null ? '' : String(f.properties.phase)) + '|' + f.properties.tech === k; }),
      {style: {color: routeColour[k], weight: 3}, pane: 'routes',
       onEachFeature: function (f, l) {
         var p = f.properties;
         l.bindPopup('<b>' + esc(p.id) + '</b>' + rows([[T.km, kmf(p.km)], [T.cost, num(p.cost)], [T.phase, phaseName(p.phase)],
           [T.technology, T.tech[p.tech]], [T.corridor_type, p.types], [T.district, districtName(p.d)]]));
       }}, inDistrict);
  });

  group('pops', '', T.pops, D.pops.features, {
    pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 5, color: D.pop_colour, weight: 2, fillColor: '#fff', fillOpacity: 1, pane: 'pops'}); },
    onEachFeature: function (f, l) { l.bindPopup('<b>' + esc(f.properties.name || f.properties.id) + '</b><br>' + esc(T.pops) + '<br>id ' + esc(f.properties.id)); }
  }, inDistrict);

  // Villages: one layer per technology, unconnected drawn first (underneath).
  ['none', 'satellite', 'fwa', 'fibre'].forEach(function (tech) {
    var fs = D.villages.features.filter(function (f) { return f.properties.tech === tech; });
    if (!fs.length) return;
    group('villages', tech, T.villages + ' — ' + T.tech[tech], fs, {
      pointToLayer: function (f, ll) {
        var r = Math.max(2, Math.min(10, 1.5 + Math.sqrt(f.properties.hh) / 6));
        return L.circleMarker(ll, {radius: r, color: '#333', weight: 0.5, fillColor: D.tech_colours[tech], fillOpacity: tech === 'none' ? 0.5 : 0.9});
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        // Names beside the villages once a district is chosen (a national view would be a blur).
        if (filterD !== null) l.bindTooltip(esc(p.name || p.id), {permanent: true, direction: 'right', className: 'vlabel'});
        var est = p.est ? ' (' + T.estimate + ')' : '';
        l.bindPopup('<b>' + esc(p.name) + '</b>' + (p.alt ? '<br>' + esc(p.alt) : '') + rows([
          [T.households, num(p.hh) + est], [T.population, num(p.pop) + est],
          [T.technology, T.tech[p.tech] + (p.unr ? ' (' + T.unreachable + ')' : '')],
          [T.phase, p.tech === 'none' ? '' : phaseName(p.phase)], [T.cost, num(p.cost)],
          [T.reason, p.why || ''],
          [T.district, districtName(p.d)], ['id', p.id]]));
      }
    }, inDistrict);
  });

  // Mobile coverage along the roads (plan --mobile-roads).
  [[true, '#1a9641', T.mobile.covered], [false, '#d7191c', T.mobile.uncovered]].forEach(function (c) {
    var fs = D.mobile_roads.features.filter(function (f) { return f.properties.cov === c[0]; });
    if (!fs.length) return;
    group('mobile_roads', String(c[0]), c[2], fs, {style: {color: c[1], weight: 2, opacity: 0.8},
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup('<b>' + esc(p.ref || p.id) + '</b>' + rows([[T.km, kmf(p.km)], [T.mobile.level, p.dbm == null ? '' : String(p.dbm)], [T.district, districtName(p.d)]]));
      }}, inDistrict);
  });
  if (D.mobile_sites.features.length) {
    group('mobile_sites', '', T.mobile.sites, D.mobile_sites.features, {
      pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 7, color: '#fff', weight: 2, fillColor: '#7b3294', fillOpacity: 1}); },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup('<b>' + esc(p.id) + '</b> (' + esc(p.type) + ')' + rows([[T.mobile.height, String(p.h)], [T.cost, num(p.cost)],
          [T.mobile.backhaul, p.bh + ' ' + num(p.bhc)], [T.district, districtName(p.d)]]) + '<p class="note">' + esc(p.why) + '</p>');
      }
    }, inDistrict);
  }

  groups.forEach(function (g) { g.layer.addTo(map); });
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  L.control.scale({imperial: false}).addTo(map);

  function refresh() {
    groups.forEach(function (g) {
      g.layer.clearLayers();
      g.layer.addData({type: 'FeatureCollection', features: g.features.filter(g.filter)});
    });
    var b = L.latLngBounds([]);
    groups.forEach(function (g) {
      if (g.kind === 'boundaries' && filterD !== null) {
        g.layer.eachLayer(function (l) { if (String(l.feature.properties.d) === filterD) b.extend(l.getBounds()); });
      } else if (g.kind !== 'boundaries' && g.kind !== 'lines') {
        g.layer.eachLayer(function (l) { b.extend(l.getBounds ? l.getBounds() : l.getLatLng()); });
      }
    });
    if (!b.isValid()) D.boundaries.features.length && groups[0].layer.eachLayer(function (l) { b.extend(l.getBounds()); });
    if (b.isValid()) map.fitBounds(b.pad(0.05), {animate: false}); else map.setView([48, 67], 5);
    summary();
  }

  function summary() {
    var s, title;
    if (filterD === null) {
      s = D.summary; title = T.summary;
    } else {
      var d = D.districts[filterD] || {};
      var t = d.totals || {villages: 0, households: 0, km: 0, cost: 0};
      s = {villages: t.villages, households: t.households, km: t.km, cost: t.cost};
      title = d.name + ' (' + d.kato + ')';
    }
    var pairs = [[T.connected_villages, num(s.villages)], [T.connected_households, num(s.households)],
                 [T.new_fibre_km, kmf(s.km)], [T.total + ', ' + T.cost, num(s.cost)]];
    if (s.by_tech) {
      ['fibre', 'fwa', 'satellite'].forEach(function (t) {
        if (s.by_tech[t].villages) pairs.push([T.tech[t], num(s.by_tech[t].villages) + ' / ' + num(s.by_tech[t].households)]);
      });
    }
    document.getElementById('summary').innerHTML = '<h2 style="font-size:14px">' + esc(title) + '</h2>' + rows(pairs);
  }

  // District filter: districts with work first in name order.
  var sel = document.getElementById('district');
  var opt = document.createElement('option'); opt.value = ''; opt.textContent = T.all_districts; sel.appendChild(opt);
  Object.keys(D.districts).map(function (k) { return [k, D.districts[k]]; })
    .filter(function (e) { return e[1].totals; })
    .sort(function (a, b) { return a[1].name.localeCompare(b[1].name, locale); })
    .forEach(function (e) {
      var o = document.createElement('option'); o.value = e[0]; o.textContent = e[1].name + ' — ' + e[1].oblast; sel.appendChild(o);
    });
  sel.addEventListener('change', function () { filterD = sel.value === '' ? null : sel.value; refresh(); });

  // Legend.
  var lg = '<h2 style="font-size:14px">' + esc(T.legend) + '</h2>';
  routeKeys.forEach(function (k) {
    var phase = k.split('|')[0];
    lg += '<div><span class="ln" style="background:' + routeColour[k] + '"></span>' + esc(T.new_routes + ' — ' + phaseName(phase === '' ? null : phase) + ' — ' + T.tech[k.split('|')[1]]) + '</div>';
  });
  // Only the technologies the plan has.
  ['fibre', 'fwa', 'satellite', 'none'].forEach(function (t) {
    if (!D.villages.features.some(function (f) { return f.properties.tech === t; })) return;
    lg += '<div><span class="sw" style="background:' + D.tech_colours[t] + '"></span>' + esc(T.tech[t]) + '</div>';
  });
  lg += '<div class="note">' + esc(T.villages + ': ' + T.size_note) + '</div>';
  lg += '<div><span class="sw" style="background:#fff;border:2px solid ' + D.pop_colour + '"></span>' + esc(T.pops) + '</div>';
  if (D.lines.features.length) lg += '<div><span class="ln" style="background:' + D.pop_colour + '"></span>' + esc(T.existing_lines) + '</div>';
  lg += '<div><span class="ln" style="background:#555;height:1px"></span>' + esc(T.boundaries) + '</div>';
  document.getElementById('legend').innerHTML = lg;
  document.getElementById('backbone').textContent = D.backbone;
  document.getElementById('quality').textContent = D.quality;
  if (D.price_scales) {
    var ps = document.getElementById('price-scales');
    ps.textContent = D.price_scales;
    ps.hidden = false;
  }

  refresh();

  // The OpenStreetMap tile layer, only when a tile loads (the page works offline without it).
  var tiles = 'offline';
  if (navigator.onLine !== false) {
    var probe = new Image();
    probe.onload = function () {
      tiles = 'online';
      L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {maxZoom: 19}).addTo(map).bringToBack();
    };
    probe.src = 'https://tile.openstreetmap.org/0/0/0.png';
  }

  // Self-test for the browser test: features drawn per layer; with ?selftest, click a village.
  function selftest() {
    var res = {layers: {}, drawn: {}};
    groups.forEach(function (g) {
      var n = 0;
      g.layer.eachLayer(function (l) { if (l._path && l._path.isConnected) n++; });
      res.layers[g.kind + (g.key ? ':' + g.key : '')] = n;
      res.drawn[g.kind] = (res.drawn[g.kind] || 0) + n;
    });
    var q = new URLSearchParams(location.search);
    if (q.has('selftest')) {
      var want = q.get('selftest'), target = null, best = -1;
      groups.forEach(function (g) {
        if (g.kind !== 'villages') return;
        g.layer.eachLayer(function (l) {
          var p = l.feature.properties;
          if (want ? p.id === want : (p.tech !== 'none' && p.hh > best)) { target = l; best = p.hh; }
        });
      });
      if (target) {
        var el = target._path, r = el.getBoundingClientRect();
        el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window,
          clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
        var c = document.querySelector('.leaflet-popup-content');
        res.clicked = target.feature.properties.id;
        res.popup = c ? c.innerText : null;
      }
    }
    // With &district=KATO: apply the district filter and count again.
    if (q.has('district')) {
      var kato = q.get('district');
      var key = Object.keys(D.districts).filter(function (k) { return D.districts[k].kato === kato; })[0];
      sel.value = key === undefined ? '' : key;
      sel.dispatchEvent(new Event('change'));
      res.filtered = {};
      groups.forEach(function (g) {
        var n = 0;
        g.layer.eachLayer(function (l) { if (l._path && l._path.isConnected) n++; });
        res.filtered[g.kind] = (res.filtered[g.kind] || 0) + n;
      });
      res.filtered_summary = document.getElementById('summary').innerText;
    }
    res.tiles = tiles;
    // The panel's notes as a reader sees them (the price note is empty at the model's prices).
    res.notes = ['quality', 'price-scales', 'backbone'].map(function (id) {
      return document.getElementById(id).innerText;
    });
    res.attribution = document.querySelector('.leaflet-control-attribution').textContent;
    var pre = document.getElementById('selftest');
    pre.textContent = JSON.stringify(res);
    pre.setAttribute('data-done', '1');
  }
  setTimeout(selftest, 0);
})();"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn script_end_is_escaped_across_writes() {
        let mut buf = b"<script>".to_vec();
        let mut w = ScriptSafe(&mut buf);
        // "</" split over two writes, one inside a write, and a lone "/" and "<".
        w.write_all(b"\"a<").unwrap();
        w.write_all(b"/b </c / <\"").unwrap();
        assert_eq!(buf, b"<script>\"a<\\/b <\\/c / <\"".to_vec());
    }

    #[test]
    fn a_lazy_collection_is_the_collection_of_its_features() {
        let features: Vec<Value> = (0..3)
            .map(|i| {
                feature(
                    json!({"type": "Point", "coordinates": pt([i as f64 * 0.123456789, 1.0])}),
                    json!({"id": i, "name": "</script>"}),
                )
            })
            .collect();
        let lazy = LazyCollection::new(features.clone().into_iter());
        assert_eq!(
            serde_json::to_string(&lazy).unwrap(),
            serde_json::to_string(&fc(features)).unwrap()
        );
        let empty = LazyCollection::new(std::iter::empty());
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"type":"FeatureCollection","features":[]}"#
        );
    }
}
