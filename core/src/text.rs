//! Text helpers shared by the parsers.

/// Checks that `text` is a whole number as a surface writes one (an optional sign, then
/// digits, of any length); otherwise an [`ErrorKind::InvalidRequest`](crate::ErrorKind) in
/// `field` saying that the text is not `what` (`a year`, `a whole number of seconds`).
pub(crate) fn check_whole_number(text: &str, what: &str, field: &str) -> crate::Result<()> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let message = format!("{:?} is not {what}", crate::error::shown(text));
    Err(crate::Error::new(crate::ErrorKind::InvalidRequest, message).in_field(field))
}

/// `text` without surrounding whitespace, as [`str::trim`], with a fast path for the common
/// case of a value that starts and ends with a visible ASCII character.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    if text.is_empty() || surely_trimmed(text.as_bytes()) {
        text
    } else {
        text.trim()
    }
}

/// Whether the bytes of a text surely start and end with something other than whitespace
/// (so that [`trim`] leaves it as it is); `false` says nothing.
#[inline]
pub(crate) fn surely_trimmed(bytes: &[u8]) -> bool {
    bytes.first().is_some_and(|&first| starts_unspaced(first)) && surely_ends_unspaced(bytes)
}

/// Whether `bytes` surely end with something other than whitespace: [`ends_unspaced`] of the
/// last byte, or a last character whose lead byte is 0xE4 or more (CJK and beyond, as
/// 馆 = E9 A6 86, whose last byte alone says nothing); `false` says nothing.
#[inline]
pub(crate) fn surely_ends_unspaced(bytes: &[u8]) -> bool {
    let Some(&last) = bytes.last() else { return false };
    if ends_unspaced(last) {
        return true;
    }
    let continuation = |b: u8| (0x80..0xC0).contains(&b);
    continuation(last) && bytes.iter().rev().skip(1).take(3).find(|&&b| !continuation(b)).is_some_and(|&lead| lead >= 0xE4)
}

/// Whether a text whose first byte is `first` surely does not start with whitespace: visible
/// ASCII, or the lead byte of a character from U+4000 on (CJK and beyond; the last
/// multi-byte whitespace is U+3000).
#[inline]
pub(crate) fn starts_unspaced(first: u8) -> bool {
    first.is_ascii_graphic() || first >= 0xE4
}

/// Whether a text whose last byte is `last` surely does not end with whitespace: visible
/// ASCII, or the last byte of a multi-byte character other than the ends of the multi-byte
/// whitespace (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000).
#[inline]
pub(crate) fn ends_unspaced(last: u8) -> bool {
    last.is_ascii_graphic() || matches!(last, 0x8B..=0x9E | 0xA1..=0xA7 | 0xAA..=0xAE | 0xB0..=0xBF)
}

/// Whether `bytes` surely hold no whitespace character anywhere: no byte up to the ASCII
/// space, and none of the lead bytes of the multi-byte whitespace (0xC2 for U+0085 and
/// U+00A0, 0xE1 for U+1680, 0xE2 for U+2000–U+205F, 0xE3 for U+3000). One pass without
/// branches (it vectorizes); `false` says nothing.
#[inline]
#[cfg(feature = "reconcile")]
pub(crate) fn surely_unspaced(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |unspaced, &byte| unspaced & (byte > b' ') & !matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3))
}

#[cfg(feature = "reconcile")]
/// A count with its English noun in the right number: `1 trade`, `2 trades`, `0 trades`.
pub(crate) fn counted(count: i128, singular: &str, plural: &str) -> String {
    if count == 1 || count == -1 {
        format!("{count} {singular}")
    } else {
        format!("{count} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::{counted, ends_unspaced, starts_unspaced, surely_ends_unspaced, surely_unspaced, trim};

    #[test]
    fn whitespace_is_never_where_the_fast_checks_say_it_is_not() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|c| c.is_whitespace()) {
            let mut buffer = [0; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            assert!(!starts_unspaced(bytes[0]) && !ends_unspaced(bytes[bytes.len() - 1]), "{c:?}");
            assert!(!surely_unspaced(bytes), "{c:?}");
            for before in ["", "a", "馆", "\u{1F600}", "\u{3000}"] {
                assert!(!surely_ends_unspaced(format!("{before}{c}").as_bytes()), "{before}{c:?}");
            }
        }
    }

    #[test]
    fn trims_like_str_trim() {
        assert!(surely_ends_unspaced("沪上小馆".as_bytes()) && surely_ends_unspaced("a\u{1F600}".as_bytes()));
        for text in ["", " ", "a", " a", "a ", "\ta\n", "消费", " 消费 ", "\u{3000}a\u{3000}", "a b", "1.00", "小馆\u{3000}", "馆"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn counted_nouns_agree_with_their_number() {
        assert_eq!(counted(1, "trade", "trades"), "1 trade");
        assert_eq!(counted(0, "trade", "trades"), "0 trades");
        assert_eq!(counted(2, "business day", "business days"), "2 business days");
        assert_eq!(counted(-1, "trade", "trades"), "-1 trade");
    }
}
