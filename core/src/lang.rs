//! The language of texts meant for people: Chinese (zh-CN) or English.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};

/// The language of a text for people (findings, dispute lists).
///
/// # Example
/// ```
/// use posfee::Lang;
/// assert_eq!(Lang::parse("zh-CN")?, Lang::Zh);
/// assert_eq!(Lang::En.pick("元", "yuan"), "yuan");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh` or `en`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Lang::Zh.name(), "zh");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses `zh`, `zh-CN`, `zh_Hans`, `cn`, `en`, `en-US`… (case-insensitive).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the text for any other language.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Lang::parse("EN-gb")?, posfee::Lang::En);
    /// assert_eq!(posfee::Lang::parse("fr").unwrap_err().code(), "invalid_request");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "zh" | "cn" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(Error::new(ErrorKind::InvalidRequest, format!("language {text:?} is not one of zh, en")).in_field("lang")),
        }
    }

    /// The text in this language, of a Chinese and an English one.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Lang::Zh.pick("元", "yuan"), "元");
    /// ```
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
