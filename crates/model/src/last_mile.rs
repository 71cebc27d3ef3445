//! The last mile: OSM buildings as read, and the access-network model (take-up, optics,
//! premise rules, the declared layout model, prices) that `fiberplan-access` designs with.
//!
//! `fiberplan-io` reads buildings from extracts and the model from `data/last_mile.toml`
//! (every figure documented there with its source); no I/O here.

use crate::osm::OsmElement;
use crate::{Kzt, LonLat};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One `building=*` element of an extract.
#[derive(Clone, Debug, PartialEq)]
pub struct Building {
    /// OSM id of the node or way.
    pub osm_id: i64,
    pub element: OsmElement,
    /// The `building` value (`yes`, `house`, `garage`, ...).
    pub tag: String,
    /// Area centroid of a way, the position of a node.
    pub centroid: LonLat,
    /// Geodesic footprint area in m²; 0 for a node.
    pub footprint_m2: f64,
    /// `building:levels`, when tagged with a whole number.
    pub levels: Option<u32>,
    /// `building:flats`, when tagged with a whole number.
    pub flats: Option<u32>,
}

/// The access-network model: read from TOML by `fiberplan-io`, unknown fields rejected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastMileModel {
    /// Share of households passed that take a connection, percent (0-100].
    pub take_up_pct: f64,
    /// Longest drop from the street to a building, metres; longer drops are flagged.
    pub drop_limit_m: f64,
    pub optics: Optics,
    pub premises: PremiseRules,
    pub layout: LayoutModel,
    pub costs: AccessCosts,
}

/// Optical budget figures (ITU-T G.984.2 classes, G.652.D fibre, PLC splitters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Optics {
    /// Fibre attenuation at 1310 nm (upstream), dB/km.
    pub fibre_db_per_km_1310: f64,
    /// Fibre attenuation at 1490 nm (downstream), dB/km.
    pub fibre_db_per_km_1490: f64,
    /// Worst-case splitter insertion loss by ratio (`"2"`, `"4"`, ... `"64"`), dB.
    pub splitter_loss_db: BTreeMap<String, f64>,
    /// Loss of one mated connector pair, dB.
    pub connector_db: f64,
    /// Connector pairs on every line (OLT patch, ODF, splitter in and out, ONT).
    pub connectors_per_line: u32,
    /// Loss of one fusion splice, dB.
    pub splice_db: f64,
    /// Splices on every line besides those at drum joints.
    pub splices_per_line: u32,
    /// Cable drum length: one more splice per this many metres of fibre path.
    pub drum_length_m: f64,
    /// Safety margin every line must keep below its class maximum, dB.
    pub margin_db: f64,
    /// Class B+: minimum and maximum ODN loss, dB.
    pub class_b_plus_db: [f64; 2],
    /// Class C+: minimum and maximum ODN loss, dB.
    pub class_c_plus_db: [f64; 2],
}

/// How buildings become premises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremiseRules {
    /// `building` values that are never dwellings (garages, sheds, barns, ...).
    pub outbuilding_tags: Vec<String>,
    /// Buildings (ways) with a smaller footprint are outbuildings, m².
    pub min_footprint_m2: f64,
    /// A building smaller than this shares the plot of a larger building nearby, m².
    pub plot_share_max_m2: f64,
    /// ... when within this distance of it, metres.
    pub plot_share_radius_m: f64,
    /// Floor area per flat for apartment buildings without `building:flats`, m².
    pub flat_area_m2: f64,
    /// Levels assumed for an apartment building without `building:levels`.
    pub apartment_default_levels: u32,
    /// Buildings farther than this from their village's centre are not its premises, m.
    pub village_radius_m: f64,
    /// Streets farther than this beyond the premises' extent are left out, metres.
    pub street_margin_m: f64,
}

/// The declared layout model for villages without mapped buildings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutModel {
    /// Street length per premise (both sides of a street built up), metres.
    pub street_m_per_premise: f64,
    /// Distance between parallel side streets of a generated layout, metres.
    pub side_street_spacing_m: f64,
    /// Drop length (setback from the street) of a modelled premise, metres.
    pub setback_m: f64,
    /// Mapped buildings count when they give at least this share of the village's households.
    pub min_mapped_share_pct: f64,
}

/// Prices of the access network, whole tenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessCosts {
    /// Aerial cable placed on poles: hardware and labour per km (cable itself apart).
    pub aerial_per_km_kzt: Kzt,
    /// New poles per km where no pole line stands.
    pub new_poles_per_km_kzt: Kzt,
    /// Underground: trench, duct and reinstatement per km.
    pub underground_per_km_kzt: Kzt,
    /// Street classes (`highway` values) whose sections are built underground.
    pub underground_classes: Vec<String>,
    /// Cable per km: a base and an amount per fibre of the installed size.
    pub cable_base_per_km_kzt: Kzt,
    pub cable_per_fibre_km_kzt: Kzt,
    /// Installed cable sizes (fibres), ascending.
    pub cable_sizes: Vec<u32>,
    /// Drop cable per metre.
    pub drop_per_m_kzt: Kzt,
    /// Drop installation per connected premise.
    pub drop_install_kzt: Kzt,
    pub ont_kzt: Kzt,
    /// Splitter by ratio (`"2"` ... `"64"`), in its closure.
    pub splitter_kzt: BTreeMap<String, Kzt>,
    /// Splice closure at a splitter or a cable joint.
    pub closure_kzt: Kzt,
    pub splice_kzt: Kzt,
    /// One OLT port with class B+ and with class C+ optics.
    pub olt_port_b_plus_kzt: Kzt,
    pub olt_port_c_plus_kzt: Kzt,
    /// OLT at the point of presence: its share of shelf, line card and power.
    pub olt_site_pop_kzt: Kzt,
    /// OLT in the village: outdoor cabinet, power connection, batteries, small OLT.
    pub olt_site_village_kzt: Kzt,
    /// Flat price per household passed, kept for quick runs (`costs.toml`'s figure).
    pub flat_household_kzt: Kzt,
}

impl LastMileModel {
    /// Every number of the model with its key path, for range checks.
    pub fn figures(&self) -> Vec<(String, f64)> {
        let o = &self.optics;
        let p = &self.premises;
        let l = &self.layout;
        let c = &self.costs;
        let mut v: Vec<(String, f64)> = vec![
            ("take_up_pct".into(), self.take_up_pct),
            ("drop_limit_m".into(), self.drop_limit_m),
            ("optics.fibre_db_per_km_1310".into(), o.fibre_db_per_km_1310),
            ("optics.fibre_db_per_km_1490".into(), o.fibre_db_per_km_1490),
            ("optics.connector_db".into(), o.connector_db),
            ("optics.splice_db".into(), o.splice_db),
            ("optics.drum_length_m".into(), o.drum_length_m),
            ("optics.margin_db".into(), o.margin_db),
            ("optics.class_b_plus_db[0]".into(), o.class_b_plus_db[0]),
            ("optics.class_b_plus_db[1]".into(), o.class_b_plus_db[1]),
            ("optics.class_c_plus_db[0]".into(), o.class_c_plus_db[0]),
            ("optics.class_c_plus_db[1]".into(), o.class_c_plus_db[1]),
            ("premises.min_footprint_m2".into(), p.min_footprint_m2),
            ("premises.plot_share_max_m2".into(), p.plot_share_max_m2),
            ("premises.plot_share_radius_m".into(), p.plot_share_radius_m),
            ("premises.flat_area_m2".into(), p.flat_area_m2),
            ("premises.village_radius_m".into(), p.village_radius_m),
            ("premises.street_margin_m".into(), p.street_margin_m),
            ("layout.street_m_per_premise".into(), l.street_m_per_premise),
            (
                "layout.side_street_spacing_m".into(),
                l.side_street_spacing_m,
            ),
            ("layout.setback_m".into(), l.setback_m),
            ("layout.min_mapped_share_pct".into(), l.min_mapped_share_pct),
        ];
        for (k, x) in &o.splitter_loss_db {
            v.push((format!("optics.splitter_loss_db.{k}"), *x));
        }
        let money: Vec<(&str, Kzt)> = vec![
            ("aerial_per_km_kzt", c.aerial_per_km_kzt),
            ("new_poles_per_km_kzt", c.new_poles_per_km_kzt),
            ("underground_per_km_kzt", c.underground_per_km_kzt),
            ("cable_base_per_km_kzt", c.cable_base_per_km_kzt),
            ("cable_per_fibre_km_kzt", c.cable_per_fibre_km_kzt),
            ("drop_per_m_kzt", c.drop_per_m_kzt),
            ("drop_install_kzt", c.drop_install_kzt),
            ("ont_kzt", c.ont_kzt),
            ("closure_kzt", c.closure_kzt),
            ("splice_kzt", c.splice_kzt),
            ("olt_port_b_plus_kzt", c.olt_port_b_plus_kzt),
            ("olt_port_c_plus_kzt", c.olt_port_c_plus_kzt),
            ("olt_site_pop_kzt", c.olt_site_pop_kzt),
            ("olt_site_village_kzt", c.olt_site_village_kzt),
            ("flat_household_kzt", c.flat_household_kzt),
        ];
        for (k, x) in money {
            v.push((format!("costs.{k}"), x as f64));
        }
        for (k, x) in &c.splitter_kzt {
            v.push((format!("costs.splitter_kzt.{k}"), *x as f64));
        }
        v
    }

    /// Loss of a splitter of `ratio`, when the model lists it.
    pub fn splitter_loss(&self, ratio: u32) -> Option<f64> {
        self.optics
            .splitter_loss_db
            .get(&ratio.to_string())
            .copied()
    }

    /// Price of a splitter of `ratio`, when the model lists it.
    pub fn splitter_price(&self, ratio: u32) -> Option<Kzt> {
        self.costs.splitter_kzt.get(&ratio.to_string()).copied()
    }
}
