//! Single-band GeoTIFF DEMs in geographic coordinates (degrees). The `tiff` crate decodes
//! the pixels; the georeferencing comes from the GeoTIFF tags: ModelPixelScale (33550),
//! ModelTiepoint (33922), the GeoKey directory (34735: model type, raster type) and GDAL's
//! nodata (42113). Pixel-is-area rasters have their tie point at a pixel's corner, pixel-
//! is-point rasters at its centre; both become a [`Grid`] of sample centres.

use super::Grid;
use crate::InputError;
use std::io::Cursor;
use std::path::Path;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const MODEL_TYPE_GEOGRAPHIC: u16 = 2;
const RASTER_PIXEL_IS_POINT: u16 = 2;

fn geokey(dir: &[u16], key: u16) -> Option<u16> {
    // Header of 4 shorts, then (key, location, count, value) quadruples.
    dir.get(4..)?
        .chunks_exact(4)
        .find(|k| k[0] == key && k[1] == 0)
        .map(|k| k[3])
}

/// Decode GeoTIFF bytes.
pub fn parse_geotiff(path: &Path, bytes: &[u8]) -> Result<Grid, InputError> {
    let bad = |what: String| InputError::file(path, what);
    let mut dec = Decoder::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("not a readable TIFF: {e}")))?
        .with_limits(Limits::unlimited());
    let (cols, rows) = dec
        .dimensions()
        .map_err(|e| bad(format!("bad TIFF dimensions: {e}")))?;
    let (cols, rows) = (cols as usize, rows as usize);
    if cols < 2 || rows < 2 {
        return Err(bad(format!(
            "a DEM needs at least 2 x 2 samples, this one is {cols} x {rows}"
        )));
    }
    let scale = dec.get_tag_f64_vec(Tag::ModelPixelScaleTag).map_err(|_| {
        bad(
            "no ModelPixelScale tag: not a GeoTIFF (or a rotated one, which is not supported)"
                .into(),
        )
    })?;
    let tie = dec
        .get_tag_f64_vec(Tag::ModelTiepointTag)
        .map_err(|_| bad("no ModelTiepoint tag: not a GeoTIFF".into()))?;
    if scale.len() < 2 || tie.len() < 6 || !(scale[0] > 0.0 && scale[1] > 0.0) {
        return Err(bad("malformed ModelPixelScale / ModelTiepoint tags".into()));
    }
    let keys = dec
        .get_tag_u16_vec(Tag::GeoKeyDirectoryTag)
        .unwrap_or_default();
    if let Some(t) = geokey(&keys, GT_MODEL_TYPE) {
        if t != MODEL_TYPE_GEOGRAPHIC {
            return Err(bad(format!(
                "model type {t} is projected: reproject the DEM to geographic WGS84 degrees (EPSG:4326)"
            )));
        }
    }
    let point = geokey(&keys, GT_RASTER_TYPE) == Some(RASTER_PIXEL_IS_POINT);
    let nodata: Option<f64> = match dec.find_tag(Tag::GdalNodata) {
        Ok(Some(v)) => v
            .into_string()
            .ok()
            .and_then(|s| s.trim_matches(char::from(0)).trim().parse().ok()),
        _ => None,
    };
    let img = dec
        .read_image()
        .map_err(|e| bad(format!("cannot decode the raster: {e}")))?;
    let conv = |v: f64| {
        if nodata == Some(v) || !v.is_finite() {
            f32::NAN
        } else {
            v as f32
        }
    };
    let z: Vec<f32> = match img {
        DecodingResult::I16(v) => v.into_iter().map(|x| conv(x as f64)).collect(),
        DecodingResult::U16(v) => v.into_iter().map(|x| conv(x as f64)).collect(),
        DecodingResult::I32(v) => v.into_iter().map(|x| conv(x as f64)).collect(),
        DecodingResult::U8(v) => v.into_iter().map(|x| conv(x as f64)).collect(),
        DecodingResult::F32(v) => v.into_iter().map(|x| conv(x as f64)).collect(),
        DecodingResult::F64(v) => v.into_iter().map(conv).collect(),
        _ => {
            return Err(bad(
                "unsupported sample type for a DEM (use 16/32-bit integers or floats)".into(),
            ))
        }
    };
    if z.len() != cols * rows {
        return Err(bad(format!(
            "{} samples for {cols} x {rows}: more than one band?",
            z.len()
        )));
    }
    let (dlon, dlat) = (scale[0], scale[1]);
    // Tie point (i, j) -> (X, Y): shift to the centre of sample (0, 0).
    let half = if point { 0.0 } else { 0.5 };
    let lon0 = tie[3] + (half - tie[0]) * dlon;
    let lat0 = tie[4] - (half - tie[1]) * dlat;
    if !(-180.5..=180.5).contains(&lon0) || !(-90.5..=90.5).contains(&lat0) {
        return Err(bad(format!(
            "origin ({lon0}, {lat0}) is not in degrees: the DEM must be in geographic WGS84 (EPSG:4326)"
        )));
    }
    Ok(Grid {
        lon0,
        lat0,
        dlon,
        dlat,
        cols,
        rows,
        z,
    })
}

/// Read a GeoTIFF DEM.
pub fn read_geotiff(path: &Path) -> Result<Grid, InputError> {
    let bytes = crate::text::read_bounded(path, crate::text::LIMIT_RASTER)?;
    parse_geotiff(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiff::encoder::{colortype::GrayI16, TiffEncoder};

    /// A 3 x 2 GeoTIFF written with the `tiff` crate's encoder: the fixture is made here.
    fn fixture(point: bool, nodata: Option<&str>) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut enc = TiffEncoder::new(&mut buf).unwrap();
            let mut img = enc.new_image::<GrayI16>(3, 2).unwrap();
            img.encoder()
                .write_tag(Tag::ModelPixelScaleTag, &[0.5f64, 0.25, 0.0][..])
                .unwrap();
            img.encoder()
                .write_tag(
                    Tag::ModelTiepointTag,
                    &[0.0f64, 0.0, 0.0, 10.0, 50.0, 0.0][..],
                )
                .unwrap();
            let raster = if point { RASTER_PIXEL_IS_POINT } else { 1 };
            let keys: [u16; 12] = [
                1,
                1,
                0,
                2,
                GT_MODEL_TYPE,
                0,
                1,
                2,
                GT_RASTER_TYPE,
                0,
                1,
                raster,
            ];
            img.encoder()
                .write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
                .unwrap();
            if let Some(n) = nodata {
                img.encoder().write_tag(Tag::GdalNodata, n).unwrap();
            }
            img.write_data(&[1i16, 2, 3, 4, -9999, 6]).unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn area_and_point_rasters_and_nodata() {
        let p = Path::new("t.tif");
        let g = parse_geotiff(p, &fixture(false, Some("-9999"))).unwrap();
        // Pixel-is-area: the tie point is the corner, sample (0, 0) is half a pixel in.
        assert_eq!((g.lon0, g.lat0, g.cols, g.rows), (10.25, 49.875, 3, 2));
        assert_eq!(g.z[0], 1.0);
        assert!(g.z[4].is_nan());
        assert_eq!(g.voids(), 1);
        let g = parse_geotiff(p, &fixture(true, None)).unwrap();
        assert_eq!((g.lon0, g.lat0), (10.0, 50.0));
        assert_eq!(g.z[4], -9999.0);
        assert_eq!(g.elevation(10.25, 50.0), Some(1.5));
        let e = parse_geotiff(p, &fixture(true, None)[..100]).unwrap_err();
        assert!(e.to_string().starts_with("t.tif: "), "{e}");
    }
}
