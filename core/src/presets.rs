//! Preset schedules shipped as data files in `core/data/presets/`.

use crate::error::{Error, ErrorKind, Result};
use crate::schedule::Schedule;

const PRESETS: [(&str, &str); 5] = [
    ("sft-traditional", include_str!("../data/presets/sft-traditional.toml")),
    ("sft-esign", include_str!("../data/presets/sft-esign.toml")),
    ("sft-smart", include_str!("../data/presets/sft-smart.toml")),
    ("standard", include_str!("../data/presets/standard.toml")),
    ("standard-d0", include_str!("../data/presets/standard-d0.toml")),
];

/// The names of the preset schedules.
///
/// # Example
/// ```
/// assert!(posfee::presets().contains(&"sft-traditional"));
/// ```
pub fn presets() -> Vec<&'static str> {
    PRESETS.iter().map(|(name, _)| *name).collect()
}

/// The TOML text of a preset, as shipped (with its comments on where the numbers come from).
///
/// # Errors
/// [`ErrorKind::UnknownPreset`] naming the preset and listing the known ones.
///
/// # Example
/// ```
/// assert!(posfee::preset_toml("sft-smart")?.contains("0.38%"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn preset_toml(name: &str) -> Result<&'static str> {
    PRESETS
        .iter()
        .find(|(preset, _)| *preset == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| Error::new(ErrorKind::UnknownPreset, format!("preset {name:?} is not known; presets are {}", presets().join(", "))))
}

impl Schedule {
    /// Loads a preset schedule by name (see [`presets`]).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownPreset`] naming the preset.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("sft-traditional")?;
    /// assert_eq!(schedule.name(), "sft-traditional");
    /// assert_eq!(posfee::Schedule::preset("nope").unwrap_err().code(), "unknown_preset");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn preset(name: &str) -> Result<Schedule> {
        Schedule::from_toml(preset_toml(name)?)
    }
}
