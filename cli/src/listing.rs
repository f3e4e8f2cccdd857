//! `posfee presets` and `posfee formats`: what ships with posfee.

use std::io::Write;

use crate::failure::Failure;
use crate::output;

/// The bundled fee schedules (presets): name and title (with --json also the Chinese title and
/// where the numbers come from).
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

pub fn presets(arguments: PresetsArguments, out: &mut dyn Write) -> Result<(), Failure> {
    let entries = posfee::preset_infos()?;
    if arguments.json {
        return output::print_json(out, &entries);
    }
    let rows: Vec<Vec<String>> = entries.into_iter().map(|e| vec![e.name.to_string(), e.title.unwrap_or_default()]).collect();
    output::print(out, &output::table(Some(&["preset", "title"]), &rows))
}

pub fn formats(arguments: FormatsArguments, out: &mut dyn Write) -> Result<(), Failure> {
    let entries = posfee::reconcile::format_infos()?;
    if arguments.json {
        return output::print_json(out, &entries);
    }
    let mut text = String::new();
    for entry in entries {
        text.push_str(&format!("{}\n  {}\n  source: {}\n", entry.name, entry.title, entry.source));
    }
    text.push_str("\nAlso accepted: the short names bank, wechat and alipay, auto (the first format that fits the file), and a .toml format profile of your own.\n");
    output::print(out, &text)
}
