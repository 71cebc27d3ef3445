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
}

impl SettingsArgs {
    /// The settings, checked against their ranges.
    pub fn settings(&self) -> Result<PlanSettings, BadInput> {
        let s = PlanSettings {
            household_size: self.household_size,
            circuity: self.circuity,
            include_isolated: self.include_isolated,
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
            data: data_dir(self.data.as_deref()),
            settings,
        }
    }
}
