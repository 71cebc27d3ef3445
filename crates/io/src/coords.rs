//! Checks on WGS84 positions at the boundary: finite, in range, and in the expected region.

/// A lon/lat bounding box, `[min_lon, min_lat, max_lon, max_lat]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    pub name: &'static str,
    pub bbox: [f64; 4],
}

impl Region {
    /// Kazakhstan's bounding box with a margin of about 0.3 degrees.
    pub const KAZAKHSTAN: Region = Region {
        name: "Kazakhstan",
        bbox: [46.2, 40.3, 87.6, 55.7],
    };

    pub fn contains(&self, p: [f64; 2]) -> bool {
        let [x0, y0, x1, y1] = self.bbox;
        p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1
    }
}

/// Why a position is not a usable WGS84 `[lon, lat]`, if it is not.
pub fn check_lonlat(p: &[f64]) -> Result<[f64; 2], String> {
    if p.len() < 2 {
        return Err(format!("a position needs two numbers, found {}", p.len()));
    }
    let (x, y) = (p[0], p[1]);
    if !x.is_finite() || !y.is_finite() {
        return Err(format!("coordinate ({x}, {y}) is not a finite number"));
    }
    if x.abs() > 180.0 || y.abs() > 90.0 {
        return Err(format!(
            "coordinate ({x}, {y}) is outside WGS84 lon/lat range: projected coordinates? \
             Reproject to EPSG:4326 (e.g. ogr2ogr -t_srs EPSG:4326)"
        ));
    }
    Ok([x, y])
}

/// When most points fall outside `region` but inside it once swapped, lat and lon were
/// swapped: returns the message to show.
pub fn swapped_hint(points: &[[f64; 2]], region: &Region) -> Option<String> {
    if points.is_empty() {
        return None;
    }
    let outside = points.iter().filter(|p| !region.contains(**p)).count();
    let swapped_inside = points
        .iter()
        .filter(|p| region.contains([p[1], p[0]]))
        .count();
    (outside * 2 > points.len() && swapped_inside * 2 > points.len()).then(|| {
        format!(
            "latitude and longitude look swapped: {outside} of {} points fall outside {} but inside it \
             once swapped; GeoJSON and fiberplan's CSV take [lon, lat]",
            points.len(),
            region.name
        )
    })
}
