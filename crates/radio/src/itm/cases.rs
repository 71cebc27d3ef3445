//! NTIA's case tables (`p2p.csv`, `area.csv`, and the larger sets built like them): the
//! input columns in NTIA's order, and ITM's inputs from a row's values in that order. One
//! place for the CLI (`fiberplan radio itm-p2p` / `itm-area`) and the reference tests.

use super::{area, ItmError, ItmParams, ItmResult};

/// A point-to-point row's inputs (the profile is apart), in NTIA's `p2p.csv` order.
pub const P2P_COLUMNS: [&str; 12] = [
    "h_tx__meter",
    "h_rx__meter",
    "epsilon",
    "sigma",
    "N_0",
    "f__mhz",
    "pol",
    "climate",
    "time",
    "location",
    "situation",
    "mdvar",
];

/// An area-mode row's inputs, in NTIA's `area.csv` order.
pub const AREA_COLUMNS: [&str; 16] = [
    "h_tx__meter",
    "h_rx__meter",
    "delta_h__meter",
    "mdvar",
    "d__km",
    "tx_siting_criteria",
    "rx_siting_criteria",
    "epsilon",
    "sigma",
    "N_0",
    "f__mhz",
    "pol",
    "climate",
    "time",
    "location",
    "situation",
];

/// ITM's parameters from a point-to-point row's values (in [`P2P_COLUMNS`] order; the
/// heights are `v[0]` and `v[1]`).
pub fn p2p_params(v: &[f64]) -> ItmParams {
    ItmParams {
        epsilon: v[2],
        sigma: v[3],
        n_0: v[4],
        f_mhz: v[5],
        pol: v[6] as i32,
        climate: v[7] as i32,
        time: v[8],
        location: v[9],
        situation: v[10],
        mdvar: v[11] as i32,
    }
}

/// ITM's parameters from an area-mode row's values (in [`AREA_COLUMNS`] order).
pub fn area_params(v: &[f64]) -> ItmParams {
    ItmParams {
        mdvar: v[3] as i32,
        epsilon: v[7],
        sigma: v[8],
        n_0: v[9],
        f_mhz: v[10],
        pol: v[11] as i32,
        climate: v[12] as i32,
        time: v[13],
        location: v[14],
        situation: v[15],
    }
}

/// Area mode on a row's values (in [`AREA_COLUMNS`] order).
pub fn area_row(v: &[f64]) -> Result<ItmResult, ItmError> {
    area(
        v[0],
        v[1],
        v[5] as i32,
        v[6] as i32,
        v[4],
        v[2],
        &area_params(v),
    )
}
