//! Choosing the profile a caller means: every surface (Python's `statement_format`, the
//! command line's `--format`) names a statement format the same way.

use super::profile::Profile;
use crate::error::Result;

/// The short names of earlier releases, still accepted.
const ALIASES: [(&str, &str); 3] = [("bank", "bank-pos"), ("wechat", "wechat-merchant"), ("alipay", "alipay-business")];

impl Profile {
    /// The profile `format` names for a file whose first bytes are `head`: `auto` sniffs
    /// ([`Profile::sniff`]); a name ending in `.toml` is a profile file of the user's own;
    /// anything else is a shipped profile ([`formats`](super::formats)), the short names
    /// `bank`, `wechat` and `alipay` included.
    ///
    /// # Errors
    /// As [`Profile::sniff`], [`Profile::from_file`] or [`Profile::builtin`].
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::Profile;
    /// assert_eq!(Profile::resolve("wechat", b"")?.name(), "wechat-merchant");
    /// assert_eq!(Profile::resolve("auto", "清算日期,交易日期,交易时间,交易金额,手续费,卡类别\n".as_bytes())?.name(), "bank-pos");
    /// assert_eq!(Profile::resolve("my-bank.toml", b"").unwrap_err().code(), "io");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn resolve(format: &str, head: &[u8]) -> Result<Profile> {
        let format = format.trim();
        if format == "auto" {
            return Profile::sniff(head);
        }
        if format.to_ascii_lowercase().ends_with(".toml") {
            return Profile::from_file(format);
        }
        let name = ALIASES.iter().find(|(short, _)| *short == format).map_or(format, |(_, name)| name);
        Profile::builtin(name)
    }
}
