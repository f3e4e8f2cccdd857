//! What a command reports when it fails: the one line `posfee: error [code]: message`.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use posfee::ErrorKind;

/// A failed command: the core's error code (or `internal`) and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    code: &'static str,
    message: String,
    /// A core `calendar_out_of_range` error: the line adds what to do on the command line.
    calendar: bool,
}

/// The code of a command line that cannot be parsed or cannot work.
pub const USAGE: &str = "usage";
/// The code of an internal error (a bug).
pub const INTERNAL: &str = "internal";

impl Failure {
    /// A failure of `kind` made by the command line itself (not by the core).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure { code: kind.code(), message: message.into(), calendar: false }
    }

    /// A file that cannot be read or written.
    pub fn io(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Io, message)
    }

    /// An inconsistent request (two flags that do not go together, a value out of range).
    pub fn request(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::InvalidRequest, message)
    }

    /// A record of an input file that cannot be read, at `location`.
    pub fn record(message: impl Into<String>, location: &posfee::Location) -> Failure {
        Failure::new(ErrorKind::InvalidRecord, format!("{} (at {location})", message.into()))
    }

    /// The message (with its location).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `code: message`, for a cell of an error column.
    pub fn cell(&self) -> String {
        format!("{}: {}", self.code, one_line(&self.message))
    }

    /// A command line that cannot work (flags that do not go together), code `usage`.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: USAGE, message: message.into(), calendar: false }
    }

    fn internal(message: String) -> Failure {
        Failure { code: INTERNAL, message, calendar: false }
    }

    /// The error code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// 2 for bad input, 1 for a bug.
    pub fn exit_status(&self) -> i32 {
        if self.code == INTERNAL {
            crate::EXIT_INTERNAL
        } else {
            crate::EXIT_BAD_INPUT
        }
    }

    /// The line on stderr (without its newline).
    pub fn line(&self, command: &str) -> String {
        let mut message = self.message.clone();
        if self.calendar {
            let holidays = "pass --holidays FILE with that year's holiday data (posfee TOML or holiday-cn JSON)";
            let provisional = if command == "reconcile" || command == "quote" || command == "calendar" {
                ", or --provisional to count weekends only"
            } else {
                ""
            };
            message.push_str(&format!(". On the command line: {holidays}{provisional}"));
        }
        format!("posfee: error [{}]: {}", self.code, one_line(&message))
    }
}

impl From<posfee::Error> for Failure {
    fn from(error: posfee::Error) -> Failure {
        // Every kind listed (no wildcard): a new kind does not build until the command line
        // has decided whether its line needs a way out of its own.
        let calendar = match error.kind() {
            ErrorKind::CalendarOutOfRange => true,
            ErrorKind::InvalidAmount
            | ErrorKind::InvalidRate
            | ErrorKind::InvalidChannel
            | ErrorKind::InvalidSettlement
            | ErrorKind::InvalidDate
            | ErrorKind::InvalidSchedule
            | ErrorKind::UnknownPreset
            | ErrorKind::NoMatchingRule
            | ErrorKind::NoScheduleVersion
            | ErrorKind::InvalidCalendar
            | ErrorKind::InvalidRequest
            | ErrorKind::InvalidRecord
            | ErrorKind::Io
            | ErrorKind::Overflow
            | ErrorKind::Internal => false,
        };
        Failure { code: error.code(), message: error.to_string(), calendar }
    }
}

/// Collapses white space (new lines included) to single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

thread_local! {
    /// Set while a command runs on this thread: a panic's message is kept here instead of
    /// being printed by the default hook.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Runs `work`, turning a panic (a bug) into an internal [`Failure`] reported in one line.
pub fn catch_panic<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let kept = CAUGHT.with(|caught| {
                let mut caught = caught.borrow_mut();
                match caught.as_mut() {
                    Some(slot) => {
                        let text = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "a panic".to_string());
                        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                        *slot = Some(format!("{text}{place}"));
                        true
                    }
                    None => false,
                }
            });
            if !kept {
                previous(info);
            }
        }));
    });
    CAUGHT.with(|caught| *caught.borrow_mut() = Some(None));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(work));
    let message = CAUGHT.with(|caught| caught.borrow_mut().take().flatten());
    outcome.unwrap_or_else(|payload| {
        let text = message
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        Err(Failure::internal(format!("internal error in posfee (a bug; please report it with the command): {text}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_one_internal_line() {
        let failure = catch_panic::<()>(|| panic!("deliberate")).unwrap_err();
        assert_eq!(failure.exit_status(), 1);
        let line = failure.line("quote");
        assert!(line.starts_with("posfee: error [internal]: internal error in posfee"), "{line}");
        assert!(line.contains("deliberate"), "{line}");
    }

    #[test]
    fn calendar_errors_say_what_to_do_on_the_command_line() {
        let error = posfee::Calendar::china().day(posfee::parse_date("2031-01-01").unwrap()).unwrap_err();
        let line = Failure::from(error).line("quote");
        assert!(line.contains("--holidays FILE") && line.contains("--provisional"), "{line}");
    }
}
