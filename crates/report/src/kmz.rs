//! `plan.kmz`: the plan for Google Earth (OGC KML 2.2, zipped with `doc.kml` first).
//!
//! One folder per layer ([`crate::formats::LAYERS`]) named in the chosen language; routes,
//! villages and points of presence styled by technology; every popup field of
//! `plan.geojson` (with `kind`) as ExtendedData `Data`, which Google Earth shows in the
//! balloon. KML data values are text: GDAL reads them as String fields (typed `SchemaData`
//! is lost when GDAL reads a single-file KMZ; the GeoPackage carries the types). The zip
//! entry carries a fixed date so the same plan gives the same bytes.

use crate::formats::{layers, value_text, Layer};
use crate::i18n::Lang;
use crate::plan_out::{technology_colour, PlanContext, ATTRIBUTION, POP_COLOUR, ROUTE_COLOUR};
use fiberplan_plan::Technology;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::Write as _;

/// XML text with the five special characters escaped.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // Control characters other than tab and newlines are not XML.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

/// `#rrggbb` to KML's `aabbggrr`, opaque.
fn kml_colour(hex: &str) -> String {
    let h = hex.trim_start_matches('#');
    if h.len() != 6 {
        return "ff7f7f7f".into();
    }
    format!("ff{}{}{}", &h[4..6], &h[2..4], &h[0..2])
}

const TECHNOLOGIES: [Technology; 5] = [
    Technology::Fibre,
    Technology::Fwa,
    Technology::Satellite,
    Technology::ExistingFibre,
    Technology::None,
];
const ICON: &str = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png";

/// `doc.kml` of the plan.
pub fn kml(ctx: &PlanContext, lang: Lang) -> String {
    let l = lang.labels();
    let mut k = String::new();
    k.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    k.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(k, "<name>{}</name>", esc(l.title));
    let _ = writeln!(
        k,
        "<description>{}</description>",
        esc(&format!("{}. {}", ctx.backbone.description, ATTRIBUTION))
    );
    // Styles: one line style for new fibre (the only routed technology), one icon style per
    // village technology, one for points of presence.
    let _ = writeln!(
        k,
        "<Style id=\"route-fibre\"><LineStyle><color>{}</color><width>3</width></LineStyle></Style>",
        kml_colour(ROUTE_COLOUR)
    );
    for t in TECHNOLOGIES {
        let _ = writeln!(
            k,
            "<Style id=\"village-{}\"><IconStyle><color>{}</color><scale>0.8</scale><Icon><href>{ICON}</href></Icon></IconStyle></Style>",
            t.as_str(),
            kml_colour(technology_colour(t))
        );
    }
    let _ = writeln!(
        k,
        "<Style id=\"pop\"><IconStyle><color>{}</color><scale>1.1</scale><Icon><href>{ICON}</href></Icon></IconStyle></Style>",
        kml_colour(POP_COLOUR)
    );
    let layers = layers(ctx, lang);
    for layer in &layers {
        let title = match layer.kind.as_str() {
            "village" => l.villages.to_string(),
            "new_fibre" => l.new_routes.to_string(),
            "pop" => l.pops.to_string(),
            _ => layer.name.clone(),
        };
        let _ = writeln!(k, "<Folder>\n<name>{}</name>", esc(&title));
        for f in &layer.features {
            placemark(&mut k, layer, &f.properties, &f.geometry, lang);
        }
        k.push_str("</Folder>\n");
    }
    k.push_str("</Document>\n</kml>\n");
    k
}

fn prop<'a>(p: &'a Map<String, Value>, key: &str) -> &'a str {
    p.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A placemark's name in the chosen language (villages have ru/kk names; others fall back
/// to `name`, then `id`).
fn name_in(p: &Map<String, Value>, lang: Lang) -> String {
    let local = match lang {
        Lang::Ru => prop(p, "name_ru"),
        Lang::Kk => prop(p, "name_kk"),
        Lang::En => "",
    };
    [local, prop(p, "name"), prop(p, "id")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string()
}

fn placemark(k: &mut String, layer: &Layer, p: &Map<String, Value>, g: &Value, lang: Lang) {
    let l = lang.labels();
    let tech = prop(p, "technology");
    let style = match layer.kind.as_str() {
        "village" => format!("village-{}", if tech.is_empty() { "none" } else { tech }),
        "new_fibre" => "route-fibre".to_string(),
        "pop" => "pop".to_string(),
        _ => String::new(),
    };
    let name = match layer.kind.as_str() {
        "new_fibre" => format!("{} {}", l.tech_fibre, prop(p, "id")),
        "pop" if prop(p, "name").is_empty() => prop(p, "id").to_string(),
        _ => name_in(p, lang),
    };
    k.push_str("<Placemark>");
    let _ = write!(k, "<name>{}</name>", esc(&name));
    if !tech.is_empty() {
        let _ = write!(
            k,
            "<description>{}: {}</description>",
            esc(l.technology),
            esc(l.technology_name(tech))
        );
    }
    if !style.is_empty() {
        let _ = write!(k, "<styleUrl>#{style}</styleUrl>");
    }
    k.push_str("<ExtendedData>");
    for (name, _) in &layer.fields {
        match p.get(name) {
            None | Some(Value::Null) => {}
            Some(v) => {
                let _ = write!(
                    k,
                    "<Data name=\"{}\"><value>{}</value></Data>",
                    esc(name),
                    esc(&value_text(v))
                );
            }
        }
    }
    k.push_str("</ExtendedData>");
    geometry(k, g);
    k.push_str("</Placemark>\n");
}

fn coords(v: &Value) -> String {
    let f = |x: &Value| x.as_f64().unwrap_or(0.0);
    match v.as_array() {
        Some(a) if a.first().is_some_and(Value::is_number) => {
            format!("{},{}", f(&a[0]), a.get(1).map_or(0.0, f))
        }
        Some(a) => a.iter().map(coords).collect::<Vec<_>>().join(" "),
        None => String::new(),
    }
}

fn geometry(k: &mut String, g: &Value) {
    let c = &g["coordinates"];
    match g["type"].as_str() {
        Some("Point") => {
            let _ = write!(k, "<Point><coordinates>{}</coordinates></Point>", coords(c));
        }
        Some("LineString") => {
            let _ = write!(
                k,
                "<LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString>",
                coords(c)
            );
        }
        Some("MultiLineString") => {
            k.push_str("<MultiGeometry>");
            for l in c.as_array().into_iter().flatten() {
                let _ = write!(
                    k,
                    "<LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString>",
                    coords(l)
                );
            }
            k.push_str("</MultiGeometry>");
        }
        _ => {}
    }
}

/// `plan.kmz`: `doc.kml` deflated in a zip with a fixed date.
pub fn kmz(ctx: &PlanContext, lang: Lang) -> std::io::Result<Vec<u8>> {
    let doc = kml(ctx, lang);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    w.start_file("doc.kml", opts)
        .map_err(std::io::Error::other)?;
    w.write_all(doc.as_bytes())?;
    Ok(w.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_escapes() {
        assert_eq!(kml_colour("#d7191c"), "ff1c19d7");
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            coords(&serde_json::json!([[1.5, 2.0], [3, 4]])),
            "1.5,2 3,4"
        );
    }
}
