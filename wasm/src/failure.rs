//! The binding's error: a core error, or a value the binding itself cannot take (a request
//! that is not an object, a `n` that is not a whole number), told with the core's kind codes.
//! The core's errors come only from its rules; this type is how the binding adds its own, and
//! how either becomes a JS `Error` ([`crate::to_js_error`]).

use std::fmt;

use posfee::{ErrorKind, Location};

/// A failure of a call: a core error as it is, or one of the binding's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An error of the core.
    Core(posfee::Error),
    /// A value the binding cannot take: its kind (for `error.code`), message and location.
    Binding {
        /// The kind.
        kind: ErrorKind,
        /// The message, naming the value.
        message: String,
        /// Where the value was.
        location: Location,
    },
}

impl Error {
    /// A failure the binding finds itself.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::Binding { kind, message: message.into(), location: Location::default() }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(error) => error.kind(),
            Error::Binding { kind, .. } => *kind,
        }
    }

    /// The kind's stable code.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The message, without the location.
    pub fn message(&self) -> &str {
        match self {
            Error::Core(error) => error.message(),
            Error::Binding { message, .. } => message,
        }
    }

    /// Where the bad value was.
    pub fn location(&self) -> &Location {
        match self {
            Error::Core(error) => error.location(),
            Error::Binding { location, .. } => location,
        }
    }

    /// The failure inside the request field `field` (as [`posfee::Error::in_field`]).
    pub fn in_field(self, field: &str) -> Error {
        match self {
            Error::Core(error) => Error::Core(error.in_field(field)),
            Error::Binding { kind, message, location } => {
                Error::Binding { kind, message, location: location.within(Location::default().field(field)) }
            }
        }
    }
}

impl From<posfee::Error> for Error {
    fn from(error: posfee::Error) -> Error {
        Error::Core(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(error) => error.fmt(f),
            Error::Binding { message, location, .. } => match &location.field {
                // The binding's own failures name at most a field of the request.
                Some(field) => write!(f, "{message} (at field `{field}`)"),
                None => f.write_str(message),
            },
        }
    }
}

impl std::error::Error for Error {}
