//! Text helpers shared by the parsers.

/// `text` without surrounding whitespace, as [`str::trim`], with a fast path for the common
/// case of a value that starts and ends with a visible ASCII character.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn trims_like_str_trim() {
        for text in ["", " ", "a", " a", "a ", "\ta\n", "消费", " 消费 ", "\u{3000}a\u{3000}", "a b", "1.00"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }
}
