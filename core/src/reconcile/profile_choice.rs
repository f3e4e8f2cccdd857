//! Choosing the profile a caller means: every surface (Python's `statement_format`, the
//! command line's `--format`) names a statement format the same way.

use std::path::Path;

use super::profile::Profile;
use crate::error::Result;

/// The short names of earlier releases, still accepted.
const ALIASES: [(&str, &str); 3] = [("bank", "bank-pos"), ("wechat", "wechat-merchant"), ("alipay", "alipay-business")];

impl Profile {
    /// The profile `format` names for the file `file` whose first bytes are `head`: `auto` sniffs
    /// ([`Profile::sniff`]); a name ending in `.toml` is a profile file of the user's own;
    /// anything else is a shipped profile ([`formats`](super::formats)), the short names
    /// `bank`, `wechat` and `alipay` included.
    ///
    /// # Errors
    /// As [`Profile::sniff`], [`Profile::from_file`] or [`Profile::builtin`]: an error of a
    /// profile file names that file, any other names `file` (the statement).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::Profile;
    /// assert_eq!(Profile::resolve("wechat", b"", "s.csv")?.name(), "wechat-merchant");
    /// assert_eq!(Profile::resolve("auto", "清算日期,交易日期,交易时间,交易金额,手续费,卡类别\n".as_bytes(), "s.csv")?.name(), "bank-pos");
    /// let err = Profile::resolve("my-bank.toml", b"", "s.csv").unwrap_err();
    /// assert_eq!((err.code(), err.location().file.as_deref()), ("io", Some("my-bank.toml")));
    /// assert_eq!(Profile::resolve("visa", b"", "s.csv").unwrap_err().location().file.as_deref(), Some("s.csv"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn resolve(format: &str, head: &[u8], file: &str) -> Result<Profile> {
        super::profile::SHIPPED.resolve(format, file, &ALIASES, |path| Profile::from_file(path), || Profile::sniff(head))
    }

    /// [`Profile::resolve`] for the file at `path`: its first [`Profile::SNIFF_BYTES`] bytes
    /// choose the profile, or all of it when it is an Excel workbook (sniffed on its sheet).
    ///
    /// # Errors
    /// As [`Profile::resolve`]; [`ErrorKind::Io`](crate::ErrorKind::Io) naming the file when it cannot be read.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::Profile;
    /// let path = std::env::temp_dir().join("posfee-doc-resolve.csv");
    /// std::fs::write(&path, "清算日期,交易日期,交易时间,交易金额,手续费,卡类别\n")?;
    /// assert_eq!(Profile::resolve_file("auto", &path)?.name(), "bank-pos");
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_file(format: &str, path: &Path) -> Result<Profile> {
        let mut head = crate::read_file_head(path, Profile::SNIFF_BYTES)?;
        if format.trim() == "auto" && super::workbook::is_workbook(&head) {
            head = crate::read_file(path)?;
        }
        Profile::resolve(format, &head, &path.display().to_string())
    }
}
