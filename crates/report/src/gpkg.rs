//! `plan.gpkg`: the plan's layers as an OGC GeoPackage 1.3 (the format QGIS opens natively).
//!
//! One feature table per layer ([`crate::formats::LAYERS`]: `villages`, `routes`, `pops`,
//! ...), EPSG:4326, with the required metadata tables (`gpkg_spatial_ref_sys`,
//! `gpkg_contents`, `gpkg_geometry_columns`) and geometries as GeoPackage binary: the `GP`
//! header with an envelope, then little-endian WKB (OGC 12-128r18, clauses 1.1 and 2.1).
//! The database is built in memory through SQLite (rusqlite's bundled build) and
//! serialised, so no temporary file is involved; the same plan gives the same bytes.

use crate::formats::{layers, value_text, FieldType, Layer};
use crate::plan_out::PlanContext;
use rusqlite::{params_from_iter, types::Value as Sql, Connection};
use serde_json::Value;

/// `application_id` of a GeoPackage: "GPKG".
const APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` of GeoPackage 1.3.0.
const USER_VERSION: i32 = 10300;

/// WKT of EPSG:4326 as the GeoPackage specification lists it.
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

/// A fixed `last_change`: outputs are byte-identical from run to run (the plan's own date
/// is in `summary.json`'s inputs, not here).
const LAST_CHANGE: &str = "1970-01-01T00:00:00.000Z";

/// The GeoPackage of the plan, as bytes.
pub fn geopackage(ctx: &PlanContext, lang: crate::Lang) -> rusqlite::Result<Vec<u8>> {
    write_layers(&layers(ctx, lang))
}

/// A GeoPackage with these layers.
pub fn write_layers(layers: &[Layer]) -> rusqlite::Result<Vec<u8>> {
    let db = Connection::open_in_memory()?;
    db.pragma_update(None, "application_id", APPLICATION_ID)?;
    db.pragma_update(None, "user_version", USER_VERSION)?;
    db.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));",
    )?;
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )?;
    let tx = db.unchecked_transaction()?;
    for l in layers {
        write_layer(&tx, l)?;
    }
    tx.commit()?;
    let data = db.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn write_layer(db: &Connection, l: &Layer) -> rusqlite::Result<()> {
    let mut cols = vec![
        "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
        format!("geom {}", l.geometry_type),
    ];
    for (name, t) in &l.fields {
        let ty = match t {
            FieldType::Integer => "INTEGER",
            FieldType::Real => "REAL",
            FieldType::Boolean => "BOOLEAN",
            FieldType::Text => "TEXT",
        };
        cols.push(format!("{} {ty}", quote(name)));
    }
    db.execute_batch(&format!(
        "CREATE TABLE {} ({});",
        quote(&l.name),
        cols.join(", ")
    ))?;
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let names: Vec<String> = l.fields.iter().map(|(n, _)| quote(n)).collect();
    let marks: Vec<String> = (0..=l.fields.len())
        .map(|i| format!("?{}", i + 1))
        .collect();
    let sql = format!(
        "INSERT INTO {} (geom{}{}) VALUES ({})",
        quote(&l.name),
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        marks.join(", ")
    );
    let mut insert = db.prepare(&sql)?;
    for f in &l.features {
        let coords = coordinates(&f.geometry);
        for p in &coords {
            bbox[0] = bbox[0].min(p[0]);
            bbox[1] = bbox[1].min(p[1]);
            bbox[2] = bbox[2].max(p[0]);
            bbox[3] = bbox[3].max(p[1]);
        }
        let mut row: Vec<Sql> = vec![gpkg_geometry(&f.geometry).map_or(Sql::Null, Sql::Blob)];
        for (name, t) in &l.fields {
            let v = f.properties.get(name).unwrap_or(&Value::Null);
            row.push(match (v, t) {
                (Value::Null, _) => Sql::Null,
                (Value::Bool(b), FieldType::Boolean) => Sql::Integer(*b as i64),
                (Value::Number(n), FieldType::Integer) => {
                    n.as_i64().map_or(Sql::Text(n.to_string()), Sql::Integer)
                }
                (Value::Number(n), FieldType::Real) => n.as_f64().map_or(Sql::Null, Sql::Real),
                (v, _) => Sql::Text(value_text(v)),
            });
        }
        insert.execute(params_from_iter(row))?;
    }
    let ext = |x: f64| {
        if x.is_finite() {
            Sql::Real(x)
        } else {
            Sql::Null
        }
    };
    db.execute(
        "INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, 4326)",
        rusqlite::params![
            l.name,
            format!("fiberplan plan: {} (kind {})", l.name, l.kind),
            LAST_CHANGE,
            ext(bbox[0]),
            ext(bbox[1]),
            ext(bbox[2]),
            ext(bbox[3]),
        ],
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        rusqlite::params![l.name, l.geometry_type],
    )?;
    Ok(())
}

/// Every position under a GeoJSON `coordinates` value (of a Point, LineString,
/// MultiLineString or Polygon, or one part of them).
fn positions_of(coordinates: &Value) -> Vec<[f64; 2]> {
    fn walk(v: &Value, out: &mut Vec<[f64; 2]>) {
        let Some(a) = v.as_array() else { return };
        if let (Some(x), Some(y)) = (
            a.first().and_then(Value::as_f64),
            a.get(1).and_then(Value::as_f64),
        ) {
            out.push([x, y]);
        } else {
            for i in a {
                walk(i, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(coordinates, &mut out);
    out
}

/// Every position of a GeoJSON geometry.
fn coordinates(g: &Value) -> Vec<[f64; 2]> {
    positions_of(&g["coordinates"])
}

/// GeoPackage binary of a GeoJSON Point, LineString or MultiLineString (others: `None`, a
/// NULL geometry): `GP`, version 0, flags (little-endian, envelope [minx, maxx, miny,
/// maxy]), srs_id 4326, the envelope, then WKB.
pub fn gpkg_geometry(g: &Value) -> Option<Vec<u8>> {
    let kind = g["type"].as_str()?;
    let pts = coordinates(g);
    // Each part as its positions; a Point is one part of one position.
    let parts: Vec<Vec<[f64; 2]>> = match kind {
        "Point" => vec![pts.first().copied().into_iter().collect()],
        "LineString" => vec![pts.clone()],
        "MultiLineString" => g["coordinates"]
            .as_array()?
            .iter()
            .map(positions_of)
            .collect(),
        _ => return None,
    };
    if pts.is_empty() || (kind != "Point" && parts.iter().any(|p| p.len() < 2)) {
        return None;
    }
    let mut b = Vec::with_capacity(8 + 32 + 9 + 9 * parts.len() + 16 * pts.len());
    b.extend_from_slice(b"GP");
    b.push(0); // version 1 of the binary format
    b.push(0b0000_0011); // envelope type 1 (xy), little-endian
    b.extend_from_slice(&4326i32.to_le_bytes());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in &pts {
        x0 = x0.min(p[0]);
        y0 = y0.min(p[1]);
        x1 = x1.max(p[0]);
        y1 = y1.max(p[1]);
    }
    for v in [x0, x1, y0, y1] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    let positions = |b: &mut Vec<u8>, part: &[[f64; 2]]| {
        for p in part {
            b.extend_from_slice(&p[0].to_le_bytes());
            b.extend_from_slice(&p[1].to_le_bytes());
        }
    };
    let line = |b: &mut Vec<u8>, part: &[[f64; 2]]| {
        b.push(1); // WKB little-endian
        b.extend_from_slice(&2u32.to_le_bytes());
        b.extend_from_slice(&(part.len() as u32).to_le_bytes());
        positions(b, part);
    };
    match kind {
        "Point" => {
            b.push(1);
            b.extend_from_slice(&1u32.to_le_bytes());
            positions(&mut b, &parts[0]);
        }
        "LineString" => line(&mut b, &parts[0]),
        _ => {
            b.push(1);
            b.extend_from_slice(&5u32.to_le_bytes());
            b.extend_from_slice(&(parts.len() as u32).to_le_bytes());
            for part in &parts {
                line(&mut b, part);
            }
        }
    }
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn point_blob_has_header_envelope_and_wkb() {
        let b = gpkg_geometry(&json!({"type": "Point", "coordinates": [1.5, -2.0]})).unwrap();
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        let f = |i: usize| f64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        assert_eq!([f(8), f(16), f(24), f(32)], [1.5, 1.5, -2.0, -2.0]);
        assert_eq!(b[40], 1);
        assert_eq!(u32::from_le_bytes(b[41..45].try_into().unwrap()), 1);
        assert_eq!([f(45), f(53)], [1.5, -2.0]);
        assert_eq!(b.len(), 61);
    }

    #[test]
    fn line_blob_counts_points() {
        let g = json!({"type": "LineString", "coordinates": [[0, 0], [2, 1], [1, 3]]});
        let b = gpkg_geometry(&g).unwrap();
        let f = |i: usize| f64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        assert_eq!([f(8), f(16), f(24), f(32)], [0.0, 2.0, 0.0, 3.0]);
        assert_eq!(u32::from_le_bytes(b[41..45].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(b[45..49].try_into().unwrap()), 3);
        assert_eq!(b.len(), 49 + 48);
    }

    #[test]
    fn multiline_blob_holds_each_part_as_a_wkb_line() {
        let g = json!({"type": "MultiLineString",
                       "coordinates": [[[179.5, 1], [180, 2]], [[-180, 2], [-179, 3], [-178, 3]]]});
        let b = gpkg_geometry(&g).unwrap();
        let f = |i: usize| f64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let u = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
        assert_eq!([f(8), f(16), f(24), f(32)], [-180.0, 180.0, 1.0, 3.0]);
        assert_eq!((b[40], u(41), u(45)), (1, 5, 2));
        assert_eq!((b[49], u(50), u(54)), (1, 2, 2));
        assert_eq!([f(58), f(66), f(74), f(82)], [179.5, 1.0, 180.0, 2.0]);
        assert_eq!((b[90], u(91), u(95)), (1, 2, 3));
        assert_eq!([f(99), f(107)], [-180.0, 2.0]);
        assert_eq!(b.len(), 99 + 48);
    }
}
