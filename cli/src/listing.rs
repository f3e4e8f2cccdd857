//! `posfee presets` and `posfee formats`: what ships with posfee.

use std::io::Write;

use posfee::reconcile::Profile;
use posfee::Schedule;

use crate::failure::Failure;
use crate::output;

/// The bundled fee schedules (presets): name and title.
#[derive(clap::Args)]
pub struct PresetsArguments {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The statement formats posfee reads: name, title and where the layout comes from, in the
/// order `--format auto` tries them.
#[derive(clap::Args)]
pub struct FormatsArguments {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Entry {
    name: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

pub fn presets(arguments: PresetsArguments, out: &mut dyn Write) -> Result<(), Failure> {
    let entries = posfee::presets()
        .into_iter()
        .map(|name| {
            let schedule = Schedule::preset(name)?;
            Ok(Entry { name: name.to_string(), title: schedule.title().unwrap_or_default().to_string(), source: None })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    if arguments.json {
        return output::print_json(out, &entries);
    }
    let rows: Vec<Vec<String>> = entries.into_iter().map(|e| vec![e.name, e.title]).collect();
    output::print(out, &output::table(Some(&["preset", "title"]), &rows))
}

pub fn formats(arguments: FormatsArguments, out: &mut dyn Write) -> Result<(), Failure> {
    let entries = posfee::reconcile::formats()
        .into_iter()
        .map(|name| {
            let profile = Profile::builtin(name)?;
            Ok(Entry { name: profile.name().to_string(), title: profile.title().to_string(), source: Some(profile.source().to_string()) })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    if arguments.json {
        return output::print_json(out, &entries);
    }
    let mut text = String::new();
    for entry in entries {
        text.push_str(&format!("{}\n  {}\n  source: {}\n", entry.name, entry.title, entry.source.unwrap_or_default()));
    }
    text.push_str("\nAlso accepted: the short names bank, wechat and alipay, auto (the first format that fits the file), and a .toml format profile of your own.\n");
    output::print(out, &text)
}
