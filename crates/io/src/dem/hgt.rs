//! SRTM / NASADEM `.hgt` tiles: a square grid of big-endian signed 16-bit metres, north
//! row first, 1201 x 1201 samples (3 arc-second) or 3601 x 3601 (1 arc-second), edges
//! shared with the neighbours. The name gives the south-west corner: `N44W072.hgt`.
//! -32768 marks a void.

use super::Grid;
use crate::InputError;
use std::path::Path;

/// The void value of `.hgt` files.
pub const HGT_VOID: i16 = -32768;

/// South-west corner (lon, lat) from a tile name such as `N44W072.hgt` or `s01e036.HGT`.
pub fn corner_from_name(name: &str) -> Option<(i32, i32)> {
    let b = name.as_bytes();
    if b.len() < 7 {
        return None;
    }
    let ns = b[0].to_ascii_uppercase();
    let ew = b[3].to_ascii_uppercase();
    let lat: i32 = name.get(1..3)?.parse().ok()?;
    let lon: i32 = name.get(4..7)?.parse().ok()?;
    let lat = match ns {
        b'N' => lat,
        b'S' => -lat,
        _ => return None,
    };
    let lon = match ew {
        b'E' => lon,
        b'W' => -lon,
        _ => return None,
    };
    if !(-90..90).contains(&lat) || !(-180..180).contains(&lon) {
        return None;
    }
    Some((lon, lat))
}

/// Decode tile bytes whose south-west corner is `(lon, lat)`.
pub fn parse_hgt(path: &Path, bytes: &[u8], lon: i32, lat: i32) -> Result<Grid, InputError> {
    let side = match bytes.len() {
        2_884_802 => 1201,
        25_934_402 => 3601,
        n => {
            return Err(InputError::file(
                path,
                format!(
                    "{n} bytes is not an .hgt tile (1201 x 1201 or 3601 x 3601 16-bit samples: 2884802 or 25934402 bytes); truncated or corrupt?"
                ),
            ))
        }
    };
    let z = bytes
        .chunks_exact(2)
        .map(|c| {
            let v = i16::from_be_bytes([c[0], c[1]]);
            if v == HGT_VOID {
                f32::NAN
            } else {
                v as f32
            }
        })
        .collect();
    let step = 1.0 / (side - 1) as f64;
    Ok(Grid {
        lon0: lon as f64,
        lat0: lat as f64 + 1.0,
        dlon: step,
        dlat: step,
        cols: side,
        rows: side,
        z,
    })
}

/// Read an `.hgt` tile; its position comes from the file name.
pub fn read_hgt(path: &Path) -> Result<Grid, InputError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (lon, lat) = corner_from_name(name).ok_or_else(|| {
        InputError::file(
            path,
            "an .hgt name must give its south-west corner, like N44W072.hgt",
        )
    })?;
    let bytes = crate::text::read_bounded(path, crate::text::LIMIT_RASTER)?;
    parse_hgt(path, &bytes, lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_corners() {
        assert_eq!(corner_from_name("N44W072.hgt"), Some((-72, 44)));
        assert_eq!(corner_from_name("s01e036.HGT"), Some((36, -1)));
        assert_eq!(corner_from_name("X44W072.hgt"), None);
        assert_eq!(corner_from_name("N4"), None);
    }

    #[test]
    fn wrong_sizes_are_refused() {
        let e = parse_hgt(Path::new("N00E000.hgt"), &[0u8; 1000], 0, 0).unwrap_err();
        assert!(e.to_string().contains("1000 bytes"), "{e}");
    }

    #[test]
    fn voids_become_nan_and_values_are_big_endian() {
        let mut bytes = vec![0u8; 2_884_802];
        bytes[0..2].copy_from_slice(&HGT_VOID.to_be_bytes());
        bytes[2..4].copy_from_slice(&258i16.to_be_bytes());
        let g = parse_hgt(Path::new("N00E000.hgt"), &bytes, 0, 0).unwrap();
        assert!(g.z[0].is_nan());
        assert_eq!(g.z[1], 258.0);
        assert_eq!(g.voids(), 1);
        assert_eq!(g.elevation(0.0, 1.0).map(f64::is_nan), Some(true));
        assert_eq!(g.elevation(0.5, 0.5), Some(0.0));
        assert_eq!(g.elevation(1.5, 0.5), None);
    }
}
