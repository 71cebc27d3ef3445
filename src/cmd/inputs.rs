//! The flags that name a plan's inputs and the model's settings, shared by `plan` and
//! `validate`, and their one conversion into the load layer's [`InputSpec`].

use super::{data_dir, BadInput};
use fiberplan_load::InputSpec;
use fiberplan_model::PlanSettings;
use std::path::PathBuf;

/// The input files every command that plans reads (flattened into `plan` and `validate`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Villages (GeoJSON Points or CSV with id, lon, lat, households or population).
    #[arg(long)]
    pub villages: Option<PathBuf>,
    /// Existing fibre network (GeoJSON: Points of presence, LineStrings of fibre).
    #[arg(long)]
    pub backbone: Option<PathBuf>,
    /// OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): plan along its roads. Villages come
    /// from its places unless --villages is given; without a target, every reachable
    /// village is connected.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Cost model (TOML). Default: data/costs.toml.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Villages that already have fibre: a CSV with an `id` column, or one id a line. They
    /// get no new route; with the bundled villages this list replaces the declared proxy.
    #[arg(long, value_name = "FILE")]
    pub has_fibre: Option<PathBuf>,
    /// Households by settlement KATO code: a CSV with `kato` (9 digits) and `households`
    /// columns, as an akimat fills it in; replaces the villages' own figures.
    #[arg(long, value_name = "FILE")]
    pub households_by_kato: Option<PathBuf>,
}

/// The model's settings as flags (defaults and ranges from [`PlanSettings`]).
#[derive(clap::Args, Debug, Clone)]
pub struct SettingsArgs {
    /// People per household, to turn population into households (1 to 20).
    #[arg(long, default_value_t = PlanSettings::HOUSEHOLD_SIZE)]
    pub household_size: f64,
    /// Road-circuity factor of the straight-line corridor proxy (1 to 5).
    #[arg(long, default_value_t = PlanSettings::CIRCUITY)]
    pub circuity: f64,
    /// Count isolated dwellings as villages (national data).
    #[arg(long)]
    pub include_isolated: bool,
    /// Bundled national data: do not assume that district centres and villages near towns
    /// have fibre (the declared existing-fibre proxy); every village is a candidate.
    #[arg(long)]
    pub no_fibre_proxy: bool,
    /// The proxy's distance from a city's or town's point of presence, km (0 to 50; 0:
    /// district centres only).
    #[arg(long, default_value_t = PlanSettings::FIBRE_PROXY_KM)]
    pub fibre_proxy_km: f64,
}

impl SettingsArgs {
    /// The settings, checked against their ranges.
    pub fn settings(&self) -> Result<PlanSettings, BadInput> {
        let s = PlanSettings {
            household_size: self.household_size,
            circuity: self.circuity,
            include_isolated: self.include_isolated,
            fibre_proxy: !self.no_fibre_proxy,
            fibre_proxy_km: self.fibre_proxy_km,
        };
        s.check().map_err(|e| BadInput(e.as_flag()))?;
        Ok(s)
    }
}

impl InputArgs {
    /// The load layer's spec: these files, the data folder resolved, `settings` checked.
    pub fn spec(&self, settings: &SettingsArgs) -> Result<InputSpec, BadInput> {
        Ok(self.spec_with(settings.settings()?))
    }

    /// The spec with settings that are already checked.
    pub fn spec_with(&self, settings: PlanSettings) -> InputSpec {
        InputSpec {
            villages: self.villages.clone(),
            backbone: self.backbone.clone(),
            osm: self.osm.clone(),
            costs: self.costs.clone(),
            has_fibre: self.has_fibre.clone(),
            households_by_kato: self.households_by_kato.clone(),
            data: data_dir(self.data.as_deref()),
            settings,
        }
    }
}
