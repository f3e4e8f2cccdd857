//! The one error type of the crate.
//!
//! Every failure is an [`Error`]: an [`ErrorKind`] with a stable machine-readable
//! [`code`](Error::code), a message that names the offending value, and, where the value
//! came from a file or a table, its [`Location`] (file, line, column, field).

use std::fmt;

/// What kind of failure an [`Error`] is. Each kind has a stable [`code`](ErrorKind::code)
/// that bindings expose (Python `PosfeeError.code`, JavaScript `error.code`).
///
/// The enum is exhaustive on purpose: each binding maps the kinds with a `match` that has no
/// wildcard arm, so a new kind does not build until every surface has decided what it means.
///
/// # Example
/// ```
/// let err = posfee::Money::parse_amount("12.345").unwrap_err();
/// assert_eq!(err.kind(), posfee::ErrorKind::InvalidAmount);
/// assert_eq!(err.kind().code(), "invalid_amount");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A money amount could not be parsed or is out of range.
    InvalidAmount,
    /// A rate could not be parsed or is out of range.
    InvalidRate,
    /// A channel name is not known.
    InvalidChannel,
    /// A settlement mode (T1, D0, S0, ...) could not be parsed.
    InvalidSettlement,
    /// A date, time or date-time could not be parsed or is out of range.
    InvalidDate,
    /// A fee schedule is malformed or inconsistent (overlapping rules, cap below floor, ...).
    InvalidSchedule,
    /// No preset with the given name exists.
    UnknownPreset,
    /// No rule of the schedule applies to the trade.
    NoMatchingRule,
    /// The trade is earlier than the first version of the schedule.
    NoScheduleVersion,
    /// A date lies outside the years the calendar has data for.
    CalendarOutOfRange,
    /// Calendar data is malformed or inconsistent.
    InvalidCalendar,
    /// A request is inconsistent (for example a refund larger than its original trade).
    InvalidRequest,
    /// A row of an input table or file could not be read.
    InvalidRecord,
    /// An input/output operation failed.
    Io,
    /// An arithmetic result left the documented range.
    Overflow,
    /// A broken internal invariant (a bug in posfee, never bad input alone): for example a
    /// deposit report whose totals do not balance.
    Internal,
}

impl ErrorKind {
    /// The stable machine-readable code of this kind, in `snake_case`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::ErrorKind::CalendarOutOfRange.code(), "calendar_out_of_range");
    /// ```
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidAmount => "invalid_amount",
            ErrorKind::InvalidRate => "invalid_rate",
            ErrorKind::InvalidChannel => "invalid_channel",
            ErrorKind::InvalidSettlement => "invalid_settlement",
            ErrorKind::InvalidDate => "invalid_date",
            ErrorKind::InvalidSchedule => "invalid_schedule",
            ErrorKind::UnknownPreset => "unknown_preset",
            ErrorKind::NoMatchingRule => "no_matching_rule",
            ErrorKind::NoScheduleVersion => "no_schedule_version",
            ErrorKind::CalendarOutOfRange => "calendar_out_of_range",
            ErrorKind::InvalidCalendar => "invalid_calendar",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::InvalidRecord => "invalid_record",
            ErrorKind::Io => "io",
            ErrorKind::Overflow => "overflow",
            ErrorKind::Internal => "internal",
        }
    }

    /// Every kind, in declaration order (for bindings that mirror them as classes).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::ErrorKind::ALL.contains(&posfee::ErrorKind::Io));
    /// ```
    pub const ALL: [ErrorKind; 16] = [
        ErrorKind::InvalidAmount,
        ErrorKind::InvalidRate,
        ErrorKind::InvalidChannel,
        ErrorKind::InvalidSettlement,
        ErrorKind::InvalidDate,
        ErrorKind::InvalidSchedule,
        ErrorKind::UnknownPreset,
        ErrorKind::NoMatchingRule,
        ErrorKind::NoScheduleVersion,
        ErrorKind::CalendarOutOfRange,
        ErrorKind::InvalidCalendar,
        ErrorKind::InvalidRequest,
        ErrorKind::InvalidRecord,
        ErrorKind::Io,
        ErrorKind::Overflow,
        ErrorKind::Internal,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Where a bad value came from: any of file, line (1-based), column (1-based) and field.
///
/// # Example
/// ```
/// let at = posfee::Location::default().file("statement.csv").line(7).field("fee");
/// assert_eq!(at.to_string(), "statement.csv, line 7, field `fee`");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file (or table) name.
    pub file: Option<String>,
    /// The 1-based line or row number.
    pub line: Option<u64>,
    /// The 1-based column number.
    pub column: Option<u64>,
    /// The field (column name, or a dotted path such as `versions[0].rules[2].cap`).
    pub field: Option<String>,
}

impl Location {
    /// Sets the file name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Location::default().file("a.csv").file.as_deref(), Some("a.csv"));
    /// ```
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the 1-based line (row) number.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Location::default().line(3).line, Some(3));
    /// ```
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the 1-based column number.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Location::default().column(2).column, Some(2));
    /// ```
    pub fn column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }

    /// Sets the field name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Location::default().field("fee").field.as_deref(), Some("fee"));
    /// ```
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// This location with the parts of `outer` it lacks: file, line and column from `outer`
    /// where it has them; the field `outer.field` when this one is not already under it.
    /// [`Error::at`] moves an error's location this way.
    ///
    /// # Example
    /// ```
    /// use posfee::Location;
    /// let inner = Location::default().field("rules[2].cap");
    /// let moved = inner.within(Location::default().file("s.toml").line(4).field("versions[0]"));
    /// assert_eq!(moved.to_string(), "s.toml, line 4, field `versions[0].rules[2].cap`");
    /// ```
    pub fn within(self, outer: Location) -> Location {
        let Location { file, line, column, field } = outer;
        Location {
            file: file.or(self.file),
            line: line.or(self.line),
            column: column.or(self.column),
            field: match (field, self.field) {
                (Some(outer), Some(inner)) if !inner.starts_with(&outer) => Some(format!("{outer}.{inner}")),
                (Some(outer), None) => Some(outer),
                (_, inner) => inner,
            },
        }
    }

    /// The line and column (1-based, columns in characters) of byte `offset` of `text`: where
    /// a parser's byte span points.
    pub(crate) fn of_offset(text: &str, offset: usize) -> Location {
        let before = text.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |k| k + 1);
        Location::default().line(before.matches('\n').count() as u64 + 1).column(before[line_start..].chars().count() as u64 + 1)
    }

    fn is_empty(&self) -> bool {
        self.file.is_none() && self.line.is_none() && self.column.is_none() && self.field.is_none()
    }
}

/// A value as an error message shows it: a long one by its first 80 characters and `…`.
///
/// # Example
/// ```
/// assert_eq!(posfee::shown("12.345"), "12.345");
/// assert_eq!(posfee::shown(&"9".repeat(100)), format!("{}…", "9".repeat(80)));
/// ```
pub fn shown(text: &str) -> String {
    let mut shown: String = text.chars().take(80).collect();
    if text.chars().nth(80).is_some() {
        shown.push('…');
    }
    shown
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        }
        if let Some(line) = self.line {
            parts.push(format!("line {line}"));
        }
        if let Some(column) = self.column {
            parts.push(format!("column {column}"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// The error type of every fallible operation in posfee.
///
/// Query it with [`kind`](Error::kind), [`code`](Error::code) and
/// [`location`](Error::location); its `Display` is a sentence naming the offending value
/// and where it was.
///
/// # Example
/// ```
/// let err = posfee::Rate::parse("-0.6%").unwrap_err();
/// assert_eq!(err.code(), "invalid_rate");
/// assert!(err.to_string().contains("-0.6%"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    location: Location,
}

impl Error {
    /// Creates an error of `kind` with a message that should name the offending value.
    ///
    /// Private to the crate: every error comes from a rule of the core. A binding that fails
    /// on its own (a JavaScript number where money is expected, a Python int beyond 64 bits)
    /// makes its surface's error from the kind's code, without a core `Error`.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), location: Location::default() }
    }

    /// The kind of failure.
    ///
    /// # Example
    /// ```
    /// let err = posfee::Channel::parse("visa").unwrap_err();
    /// assert_eq!(err.kind(), posfee::ErrorKind::InvalidChannel);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine-readable code (same as `self.kind().code()`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Channel::parse("visa").unwrap_err().code(), "invalid_channel");
    /// ```
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message without the location.
    ///
    /// # Example
    /// ```
    /// let err = posfee::Money::parse_amount("12.345").unwrap_err();
    /// assert!(err.message().contains("12.345"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the offending value came from (possibly empty).
    ///
    /// # Example
    /// ```
    /// let err = posfee::Money::parse_amount("bad").unwrap_err()
    ///     .at(posfee::Location::default().line(4));
    /// assert_eq!(err.location().line, Some(4));
    /// ```
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Moves the error's line, if it has one, `by` lines down: an error of a part of a file
    /// whose lines were numbered from 1 while it was read, moved to its line in the file.
    #[cfg(feature = "reconcile")]
    pub(crate) fn shift_line(&mut self, by: u64) {
        if let Some(line) = &mut self.location.line {
            *line = line.saturating_add(by);
        }
    }

    /// Attaches a location, keeping any parts of the existing location that `location`
    /// does not set.
    ///
    /// # Example
    /// ```
    /// use posfee::{Location, Money};
    /// let err = Money::parse_amount("bad").unwrap_err().at(Location::default().field("fee"));
    /// let err = err.at(Location::default().file("s.csv").line(2));
    /// assert_eq!(err.location().to_string(), "s.csv, line 2, field `fee`");
    /// ```
    pub fn at(mut self, location: Location) -> Self {
        self.location = std::mem::take(&mut self.location).within(location);
        self
    }

    /// Shorthand for `self.at(Location::default().field(field))`.
    ///
    /// # Example
    /// ```
    /// let err = posfee::Rate::parse("bad").unwrap_err().in_field("rate");
    /// assert_eq!(err.location().field.as_deref(), Some("rate"));
    /// ```
    pub fn in_field(self, field: impl Into<String>) -> Self {
        self.at(Location::default().field(field))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.location)
        }
    }
}

impl std::error::Error for Error {}

/// The result type of posfee.
pub type Result<T, E = Error> = std::result::Result<T, E>;
