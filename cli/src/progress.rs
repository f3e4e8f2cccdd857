//! Progress bars on long runs (indicatif), drawn only when stderr is a terminal: output that
//! goes to a file or a pipe never has them, so runs compare byte for byte.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Rows (or trades) from which a run counts as long.
pub const LONG_RUN_ROWS: u64 = 200_000;

/// A bar, or nothing when the run is short or stderr is not a terminal.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar of `total` steps of `unit` when `long` and stderr is a terminal.
    pub fn new(total: u64, unit: &str, long: bool) -> Progress {
        if !long || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = format!("{{msg:<24}} [{{bar:30}}] {{pos}}/{{len}} {unit} [{{elapsed_precise}}<{{eta_precise}}]");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(Some(bar))
    }

    /// Moves to `position` with a label of the current stage.
    pub fn stage(&self, position: u64, label: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_message(label);
            bar.set_position(position);
        }
    }

    /// Moves to `position`.
    pub fn set(&self, position: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(position);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
