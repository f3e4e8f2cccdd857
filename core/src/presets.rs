//! Preset schedules shipped as data files in `core/data/presets/`.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::lang::Lang;
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

/// A preset's name, titles and where its numbers come from: an entry of a list to choose from
/// (`posfee presets --json`, the page's preset menu).
///
/// # Example
/// ```
/// let smart = posfee::preset_infos()?.into_iter().find(|p| p.name == "sft-smart").unwrap();
/// assert_eq!(smart.title_zh.as_deref(), Some("盛付通智能POS"));
/// assert!(smart.source.is_some());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresetInfo {
    /// The preset's name ([`presets`]).
    pub name: &'static str,
    /// Its title ([`Schedule::title`]).
    pub title: Option<String>,
    /// Its title in Chinese (the title when it has none in Chinese).
    pub title_zh: Option<String>,
    /// Where the numbers come from ([`Schedule::source`]).
    pub source: Option<String>,
}

/// Every preset's [`PresetInfo`], in [`presets`] order.
///
/// # Errors
/// A preset that does not parse (a bug: the shipped presets are tested).
///
/// # Example
/// ```
/// let names: Vec<_> = posfee::preset_infos()?.into_iter().map(|p| p.name).collect();
/// assert_eq!(names, posfee::presets());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn preset_infos() -> Result<Vec<PresetInfo>> {
    PRESETS
        .iter()
        .map(|&(name, text)| {
            let schedule = Schedule::from_toml(text)?;
            Ok(PresetInfo {
                name,
                title: schedule.title().map(str::to_owned),
                title_zh: schedule.title_in(Lang::Zh).map(str::to_owned),
                source: schedule.source().map(str::to_owned),
            })
        })
        .collect()
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
