//! A file read in blocks of whole records, so that a large file is never held whole in
//! memory: each block is read, decoded and parsed, and its bytes are reused for the next.
//!
//! A block ends after the last line feed of its bytes that ends a record (one inside a
//! quoted field does not; see [`last_record_end`]); a record longer than a block makes the
//! block grow. The text of the blocks, one after the other, is the text of the file, and the
//! records are those the whole text gives: each block starts where the csv crate's reading
//! stands at a record's start.

use std::borrow::Cow;
use std::io::Read;

use super::profile::Encoding;
use super::tokenize::{last_record_end, Dialect, Known};
use crate::error::{Error, ErrorKind, Location, Result};

/// Decodes GB18030 (and so GBK, whose decoder it is) on all cores: the bytes are cut after
/// line feeds into pieces of about 4 MiB (a line feed is never part of a GB18030 character, so
/// each piece decodes as it does inside the whole) and the pieces are decoded in parallel.
pub(crate) fn decode_gb18030(bytes: &[u8]) -> Cow<'_, str> {
    use rayon::prelude::*;
    const PIECE_BYTES: usize = 4 << 20;
    if bytes.len() < 2 * PIECE_BYTES {
        return encoding_rs::GB18030.decode_without_bom_handling(bytes).0;
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = match memchr::memchr(b'\n', bytes.get(start + PIECE_BYTES..).unwrap_or(&[])) {
            Some(k) => start + PIECE_BYTES + k + 1,
            None => bytes.len(),
        };
        pieces.push(&bytes[start..end]);
        start = end;
    }
    let decoded: Vec<Cow<'_, str>> = pieces.par_iter().map(|piece| encoding_rs::GB18030.decode_without_bom_handling(piece).0).collect();
    Cow::Owned(decoded.concat())
}

/// The bytes read at a time (a block is at least this long, but for the last).
pub(crate) const BLOCK_BYTES: usize = 16 << 20;

/// The blocks of a file, decoded.
pub(crate) struct Blocks<R: Read> {
    source: R,
    file: String,
    dialect: Dialect,
    encoding: Encoding,
    /// Bytes read and not yet handed out, from `handed` on.
    buffer: Vec<u8>,
    /// The bytes at the start of `buffer` handed out in the last block.
    handed: usize,
    /// Whether the source is read to its end.
    ended: bool,
    /// Whether a block was handed out (the first has its byte-order mark taken off, and
    /// decides between UTF-8 and GBK for [`Encoding::Auto`]).
    started: bool,
    /// Bytes read in all.
    read_bytes: u64,
    limit_bytes: u64,
    /// The bytes read at a time ([`BLOCK_BYTES`]; smaller in tests).
    block_bytes: usize,
}

/// Why [`Blocks::next`] stopped early.
pub(crate) enum BlockError {
    /// The file is not UTF-8 after a first block that is: the whole file has to be decoded
    /// as one (the caller reads it again the usual way).
    NotUtf8,
    /// Reading failed, or the file is larger than the limit.
    Failed(Error),
}

impl From<Error> for BlockError {
    fn from(error: Error) -> BlockError {
        BlockError::Failed(error)
    }
}

impl<R: Read> Blocks<R> {
    /// Blocks of `source` (named `file` in errors), cut by `dialect`'s rules and decoded
    /// with `encoding`; more than `limit_bytes` in all is an error.
    pub(crate) fn new(source: R, file: &str, dialect: Dialect, encoding: Encoding, limit_bytes: u64) -> Blocks<R> {
        Blocks {
            source,
            file: file.to_string(),
            dialect,
            encoding,
            buffer: Vec::new(),
            handed: 0,
            ended: false,
            started: false,
            read_bytes: 0,
            limit_bytes,
            block_bytes: BLOCK_BYTES,
        }
    }

    /// The same blocks, of `bytes` bytes at a time (tests read small files in many blocks).
    #[cfg(test)]
    pub(crate) fn of_bytes(mut self, bytes: usize) -> Blocks<R> {
        self.block_bytes = bytes;
        self
    }

    /// The next block's text, and what is known of it (whether it holds a quote: found
    /// while looking for its end); `None` after the last.
    pub(crate) fn next(&mut self) -> std::result::Result<Option<(Cow<'_, str>, Known)>, BlockError> {
        self.buffer.drain(..self.handed);
        self.handed = 0;
        let mut wanted = self.block_bytes;
        let (end, no_quote) = loop {
            self.fill(wanted)?;
            let no_quote = memchr::memchr(b'"', &self.buffer).is_none();
            if self.ended {
                break (self.buffer.len(), no_quote);
            }
            match last_record_end(&self.buffer, self.dialect, no_quote) {
                Some(end) => break (end, no_quote),
                // No whole record yet: read more.
                None => wanted = self.buffer.len() + self.block_bytes,
            }
        };
        if end == 0 {
            return Ok(None);
        }
        self.handed = end;
        let mut bytes = &self.buffer[..end];
        let first = !self.started;
        self.started = true;
        if first {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match self.encoding {
            Encoding::Auto => match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) if first => {
                    // The file as a whole is not UTF-8: GBK from here on, as the whole-file
                    // reader decodes it (encoding_rs decodes GBK as GB18030).
                    self.encoding = Encoding::Gb18030;
                    decode_gb18030(bytes)
                }
                Err(_) => return Err(BlockError::NotUtf8),
            },
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
            Encoding::Gb18030 => decode_gb18030(bytes),
        };
        // (Decoding never makes a quote: a `"` of the text is a `"` byte in UTF-8, GBK and
        // GB18030 alike, and the replacement character is none.)
        Ok(Some((text, Known { no_quote, no_lone_return: false })))
    }

    /// Reads until `buffer` holds `wanted` bytes or the source ends.
    fn fill(&mut self, wanted: usize) -> Result<()> {
        let before = self.buffer.len();
        if self.ended || before >= wanted {
            return Ok(());
        }
        // Read into the buffer's spare room (not zeroed first, as a `resize` would).
        // `read_to_end` reads until the `take` limit or the end of the source, retrying an
        // interrupted read itself: fewer bytes than asked means the source ended.
        let asked = wanted - before;
        self.buffer.reserve_exact(asked);
        if let Err(error) = (&mut self.source).take(asked as u64).read_to_end(&mut self.buffer) {
            self.buffer.truncate(before);
            let at = Location::default().file(self.file.clone());
            return Err(Error::new(ErrorKind::Io, format!("cannot read {}: {error}", self.file)).at(at));
        }
        let filled = self.buffer.len();
        self.ended = filled - before < asked;
        self.read_bytes += (filled - before) as u64;
        if self.read_bytes > self.limit_bytes {
            let message = format!("input of more than {} bytes exceeds the limit", self.limit_bytes);
            return Err(Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(self.file.clone())));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::tokenize::records;
    use proptest::prelude::*;

    /// (line, fields) of every record of `text`.
    fn cut(text: &str, first_line: u64, dialect: Dialect) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        records(text, first_line, dialect, Known::default(), |source, fields, line| {
            out.push((line, fields.iter().map(|r| source[r.clone()].to_string()).collect()))
        });
        out
    }

    proptest! {
        /// Blocks of any size, one after the other, are the text, and cutting them one by one
        /// gives the records (and lines) of the whole text.
        #[test]
        fn blocks_give_the_records_of_the_whole_text(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", ",", "\"", "\"\"", "\n", "\r\n", "\r", "#", "消费", "x,\"y\nz\",w\n"]),
                0..80,
            ),
            block_bytes in 1usize..24,
            comment in any::<bool>(),
        ) {
            let text: String = pieces.concat();
            let dialect = Dialect { delimiter: b',', comment };
            let mut blocks = Blocks::new(text.as_bytes(), "t.csv", dialect, Encoding::Auto, u64::MAX);
            blocks.block_bytes = block_bytes;
            let (mut joined, mut by_block, mut line) = (String::new(), Vec::new(), 1);
            while let Some((block, known)) = blocks.next().ok().flatten() {
                prop_assert!(!known.no_quote || !block.contains('"'));
                by_block.extend(cut(&block, line, dialect));
                line += crate::reconcile::tokenize::newlines(block.as_bytes());
                joined.push_str(&block);
            }
            prop_assert_eq!(&joined, &text);
            prop_assert_eq!(by_block, cut(&text, 1, dialect));
        }
    }

    #[test]
    fn gb18030_decodes_in_pieces_as_it_does_whole() {
        // Ten megabytes of GBK text with four-byte GB18030 characters, a lead byte before a
        // line feed and one at the very end (each a replacement character either way).
        let line = encoding_rs::GB18030.encode("20260507,沪上小馆,消费,€,😀,100.00\n").0.into_owned();
        let mut bytes = Vec::new();
        while bytes.len() < 10 << 20 {
            bytes.extend_from_slice(&line);
            if bytes.len() % 7 == 0 {
                bytes.extend_from_slice(b"\x81\n");
            }
        }
        bytes.push(0x81);
        assert_eq!(decode_gb18030(&bytes), encoding_rs::GB18030.decode_without_bom_handling(&bytes).0);
        assert_eq!(encoding_rs::GBK.decode_without_bom_handling(&bytes).0, encoding_rs::GB18030.decode_without_bom_handling(&bytes).0);
    }

    #[test]
    fn a_byte_order_mark_is_taken_off_and_gbk_is_decoded_block_by_block() {
        let gbk = encoding_rs::GBK.encode("清算日期,金额\n消费,1\n退货,2\n").0.into_owned();
        let mut blocks = Blocks::new(&gbk[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
        blocks.block_bytes = 4;
        let mut text = String::new();
        while let Ok(Some((block, _))) = blocks.next() {
            text.push_str(&block);
        }
        assert_eq!(text, "清算日期,金额\n消费,1\n退货,2\n");
        let bom = b"\xEF\xBB\xBFa,b\n";
        let mut blocks = Blocks::new(&bom[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
        assert_eq!(blocks.next().ok().flatten().map(|(block, _)| block).as_deref(), Some("a,b\n"));
    }

    #[test]
    fn a_later_block_that_is_not_utf8_asks_for_the_whole_file_and_a_long_file_is_refused() {
        let mut bytes = b"a,b\n".to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode("消费\n").0);
        let mut blocks = Blocks::new(&bytes[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
        blocks.block_bytes = 4;
        assert!(matches!(blocks.next(), Ok(Some(_))));
        assert!(matches!(blocks.next(), Err(BlockError::NotUtf8)));
        let mut blocks = Blocks::new(&b"a,b\nc,d\n"[..], "t.csv", Dialect::csv(false), Encoding::Auto, 5);
        blocks.block_bytes = 4;
        let _ = blocks.next();
        match blocks.next() {
            Err(BlockError::Failed(error)) => assert!(error.to_string().contains("exceeds the limit"), "{error}"),
            _ => panic!("a long file is refused"),
        }
    }

    /// A source that gives at most three bytes a read, is interrupted every other read, and
    /// fails for good after `fail_after` bytes.
    struct Trickle<'b> {
        bytes: &'b [u8],
        calls: usize,
        given: usize,
        fail_after: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls % 2 == 0 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            if self.given >= self.fail_after {
                return Err(std::io::Error::other("the disk went away"));
            }
            let count = into.len().min(3).min(self.bytes.len() - self.given).min(self.fail_after - self.given);
            into[..count].copy_from_slice(&self.bytes[self.given..self.given + count]);
            self.given += count;
            Ok(count)
        }
    }

    #[test]
    fn short_and_interrupted_reads_give_the_whole_text_and_a_failed_read_names_the_file() {
        let text = "a,b\n消费,1\n退货,2\nc,\"d\ne\"\n";
        for block_bytes in [1, 4, 7, 64] {
            let source = Trickle { bytes: text.as_bytes(), calls: 0, given: 0, fail_after: usize::MAX };
            let mut blocks = Blocks::new(source, "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
            blocks.block_bytes = block_bytes;
            let mut joined = String::new();
            while let Some((block, _)) = blocks.next().ok().flatten() {
                joined.push_str(&block);
            }
            assert_eq!(joined, text, "blocks of {block_bytes} bytes");
        }
        let source = Trickle { bytes: text.as_bytes(), calls: 0, given: 0, fail_after: 10 };
        let mut blocks = Blocks::new(source, "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
        blocks.block_bytes = 4;
        let failed = loop {
            match blocks.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("the failed read is reported"),
                Err(BlockError::Failed(error)) => break error,
                Err(BlockError::NotUtf8) => panic!("the text is UTF-8"),
            }
        };
        assert_eq!(failed.kind(), ErrorKind::Io);
        assert!(failed.to_string().contains("cannot read t.csv: the disk went away"), "{failed}");
    }
}
