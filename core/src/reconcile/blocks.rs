//! A file read in blocks of whole records, so that a large file is never held whole in
//! memory: each block is read, decoded and parsed while the next is read and decoded, in two
//! buffers that take turns.
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
        return Cow::Owned(decoded_gb18030(bytes));
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
    let decoded: Vec<String> = pieces.par_iter().map(|piece| decoded_gb18030(piece)).collect();
    Cow::Owned(decoded.concat())
}

/// Decodes a block of GB18030 (as [`decode_gb18030`] does, on the calling thread) into
/// `decoded`, which keeps its memory from block to block; returns the text.
fn decode_gb18030_into<'d>(bytes: &[u8], decoded: &'d mut String) -> Cow<'d, str> {
    match decode_into(bytes, decoded) {
        Some(written) => {
            let decoded: &'d String = decoded;
            decoded.get(..written).map_or_else(|| Cow::Owned(decoded_by_encoding_rs(bytes)), Cow::Borrowed)
        }
        None => Cow::Owned(decoded_by_encoding_rs(bytes)),
    }
}

/// The text of GB18030 `bytes`, in a new string.
fn decoded_gb18030(bytes: &[u8]) -> String {
    let mut decoded = String::new();
    match decode_into(bytes, &mut decoded) {
        Some(written) if decoded.is_char_boundary(written) => {
            decoded.truncate(written);
            decoded
        }
        _ => decoded_by_encoding_rs(bytes),
    }
}

/// Decodes GB18030 `bytes` at the start of `decoded`; returns the length of their text there
/// (`None` if the decoder left a place that does not start a character, which it does not).
///
/// encoding_rs's decoding into a `String` (and into a new one) writes a byte to every page of
/// the room it is given, which for GB18030 is three times the bytes: 25 MB of new pages for a
/// block of 8 MiB whose text takes 9, and on this project's machine a page of new memory costs
/// about 4 µs. Here the text is decoded into a `str` of zeros, as long as the bytes and an
/// eighth (GBK's Chinese text takes three bytes for two) and lengthened when a text needs
/// more; a caller that keeps it from block to block has its pages from the first block on.
fn decode_into(bytes: &[u8], decoded: &mut String) -> Option<usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let (mut rest, mut written) = (bytes, 0);
    let mut wanted = rest.len() + rest.len() / 8 + 64;
    loop {
        if decoded.len() < wanted {
            // An eighth more than wanted, so that the next blocks, a few bytes longer or
            // shorter, fit in it as it is (text and zeros: UTF-8, checked again each time).
            let mut room = std::mem::take(decoded).into_bytes();
            room.resize(wanted + wanted / 8, 0);
            *decoded = String::from_utf8(room).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        }
        // `written` is where a character starts: the decoder zeroes what follows its text up
        // to the next one.
        let (result, read, wrote, _) = decoder.decode_to_str(rest, decoded.get_mut(written..)?, true);
        (rest, written) = (&rest[read..], written + wrote);
        if result == encoding_rs::CoderResult::InputEmpty {
            return Some(written);
        }
        // Room for the rest at its longest (a byte can become U+FFFD, three bytes).
        wanted = written + 3 * rest.len() + 64;
    }
}

/// The text of GB18030 `bytes` as encoding_rs makes it in a string of its own.
fn decoded_by_encoding_rs(bytes: &[u8]) -> String {
    encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
}

/// The bytes read at a time (a block is at least this long, but for the last).
pub(crate) const BLOCK_BYTES: usize = 8 << 20;

/// The bytes read for a file's first block: an eighth of [`BLOCK_BYTES`], so that its rows are
/// parsed (on all cores) after a short read rather than after 8 MiB read on one core, and the
/// blocks after it grow (1, 2, 4, then 8 MiB), each read beside the parsing of the one before.
/// A statement's header is looked for in the first block; a file whose first lines are longer
/// than it holds is read again from a first block of [`BLOCK_BYTES`]
/// ([`BlockError::HeaderPastFirstBlock`]).
pub(crate) const FIRST_BLOCK_BYTES: usize = BLOCK_BYTES / 8;

/// The kernel copies a read's bytes from the file's pages (4 KiB each) to the buffer; it copies
/// them about four times slower when the buffer's address is 1 to 31 bytes ahead of the file's
/// position in their pages (a 111 MB file read in blocks of 8 MiB: 47 ms, against 12 ms when the
/// two are at the same place in a page and 13–17 ms at other distances, on this project's AMD
/// EPYC machine). A buffer from the allocator starts 16 bytes past a page, and a block's bytes
/// follow the bytes carried from the block before, which end anywhere; so each block is read
/// to an address at the file's position in a page.
pub(crate) const PAGE_BYTES: usize = 4096;

/// The blocks of a file, decoded, handed one after the other to [`Blocks::each`].
pub(crate) struct Blocks<R: Read> {
    source: R,
    file: String,
    dialect: Dialect,
    encoding: Encoding,
    /// Whether the source is read to its end.
    ended: bool,
    /// Whether a block was cut (the first has its byte-order mark taken off, and decides
    /// between UTF-8 and GBK for [`Encoding::Auto`]).
    started: bool,
    /// Bytes read in all.
    read_bytes: u64,
    limit_bytes: u64,
    /// The bytes read at a time ([`BLOCK_BYTES`]; smaller in tests).
    block_bytes: usize,
    /// The bytes the next block reads: [`FIRST_BLOCK_BYTES`] for the first, twice the block
    /// before's for each after it, up to `block_bytes` (see [`Blocks::cut_into`]).
    next_block_bytes: usize,
}

/// Why [`Blocks::each`] stopped early.
pub(crate) enum BlockError {
    /// The file is not UTF-8 after a first block that is: the whole file has to be decoded
    /// as one (the caller reads it again the usual way).
    NotUtf8,
    /// Reading failed, or the file is larger than the limit.
    Failed(Error),
    /// A statement's header was not found in a first block that holds fewer lines than the
    /// header is looked for in: when the file is longer than the block, the caller reads it
    /// again with a first block of [`BLOCK_BYTES`] (see [`Blocks::first_block`]), and returns
    /// this error if that fails too.
    HeaderPastFirstBlock(Error),
}

impl From<Error> for BlockError {
    fn from(error: Error) -> BlockError {
        BlockError::Failed(error)
    }
}

/// What a read in blocks gave, for a test that expects it to succeed: a failure panics,
/// naming `what` was read and why it failed.
#[cfg(test)]
pub(crate) fn read_or_panic<T>(read: std::result::Result<T, BlockError>, what: &str) -> T {
    match read {
        Ok(value) => value,
        Err(BlockError::Failed(error) | BlockError::HeaderPastFirstBlock(error)) => panic!("{what}: {error}"),
        Err(BlockError::NotUtf8) => panic!("{what}: not UTF-8"),
    }
}

/// Starts a block in `buffer`: room for `block_bytes` more, `carried` (the bytes read after
/// the block before) placed so that they end, and the bytes read next start, at the file's
/// position `read_bytes` in a page (see [`PAGE_BYTES`]); returns where `carried` starts.
pub(crate) fn start_block(buffer: &mut Vec<u8>, carried: &[u8], read_bytes: u64, block_bytes: usize) -> usize {
    buffer.clear();
    buffer.reserve(PAGE_BYTES + carried.len() + block_bytes);
    let ahead = (buffer.as_ptr() as usize + carried.len()).wrapping_sub(read_bytes as usize);
    let pad = ahead.wrapping_neg() % PAGE_BYTES;
    buffer.resize(pad, 0);
    buffer.extend_from_slice(carried);
    pad
}

/// The buffers of one of the two turns of [`Blocks::each`]: a block's bytes as read, and its
/// text when it is decoded from GB18030. Both are kept from block to block: on this project's
/// machine a page of new memory costs about 4 µs to fault in, and a decoded block of 8 MiB in
/// a new buffer each time cost a GBK statement's reading a sixth of its time.
#[derive(Default)]
struct Turn {
    bytes: Vec<u8>,
    decoded: String,
}

/// A block's text, what is known of it, and the bytes read after it (the start of the next).
type Cut<'b> = Option<(Cow<'b, str>, Known, &'b [u8])>;

impl<R: Read + Send> Blocks<R> {
    /// Blocks of `source` (named `file` in errors), cut by `dialect`'s rules and decoded
    /// with `encoding`; more than `limit_bytes` in all is an error.
    pub(crate) fn new(source: R, file: &str, dialect: Dialect, encoding: Encoding, limit_bytes: u64) -> Blocks<R> {
        Blocks {
            source,
            file: file.to_string(),
            dialect,
            encoding,
            ended: false,
            started: false,
            read_bytes: 0,
            limit_bytes,
            block_bytes: BLOCK_BYTES,
            next_block_bytes: FIRST_BLOCK_BYTES,
        }
    }

    /// The same blocks, of `bytes` bytes at a time (tests read small files in many blocks).
    #[cfg(test)]
    pub(crate) fn of_bytes(mut self, bytes: usize) -> Blocks<R> {
        self.block_bytes = bytes;
        self.next_block_bytes = bytes;
        self
    }

    /// The same blocks, the first of `first` bytes (instead of [`FIRST_BLOCK_BYTES`]), each
    /// after it twice as long as the one before up to the blocks' size.
    pub(crate) fn first_block(mut self, first: usize) -> Blocks<R> {
        self.next_block_bytes = first;
        self
    }

    /// The same blocks, the first of `first` bytes, each after it twice as long as the one
    /// before up to `bytes` (as files are read, [`FIRST_BLOCK_BYTES`] then up to
    /// [`BLOCK_BYTES`]).
    #[cfg(test)]
    pub(crate) fn growing(mut self, first: usize, bytes: usize) -> Blocks<R> {
        self.block_bytes = bytes;
        self.first_block(first)
    }

    /// Hands each block's text to `each` in order, with what is known of it (whether it
    /// holds a quote or a CR: found while looking for its end), while the next block is read, cut
    /// and decoded beside it (`rayon::join`: by a core that `each` leaves idle, else after
    /// it). Two buffers take turns; stops at the first error of either.
    pub(crate) fn each(mut self, mut each: impl FnMut(&str, Known) -> Result<()> + Send) -> std::result::Result<(), BlockError> {
        let (mut even, mut odd) = (Turn::default(), Turn::default());
        let mut block = self.cut_into(&mut even, &[])?;
        // Unrolled in two halves, so that each buffer is only ever borrowed by its own half.
        loop {
            let Some((text, known, rest)) = block else { return Ok(()) };
            let Some((text, known, rest)) = self.each_while_reading(&mut each, &text, known, rest, &mut odd)? else { return Ok(()) };
            block = self.each_while_reading(&mut each, &text, known, rest, &mut even)?;
        }
    }

    /// Hands `text` to `each` while the next block (starting with `rest`) is read into
    /// `turn`.
    fn each_while_reading<'b>(
        &mut self,
        each: &mut (impl FnMut(&str, Known) -> Result<()> + Send),
        text: &str,
        known: Known,
        rest: &[u8],
        turn: &'b mut Turn,
    ) -> std::result::Result<Cut<'b>, BlockError> {
        if self.ended && rest.is_empty() {
            each(text, known)?;
            return Ok(None);
        }
        let (parsed, next) = rayon::join(|| each(text, known), || self.cut_into(turn, rest));
        parsed?;
        next
    }

    /// Reads the next block into `turn`'s buffers, after `carried` (the bytes read after the
    /// block before): its text, what is known of it and the bytes after it (`None` after the last).
    fn cut_into<'b>(&mut self, turn: &'b mut Turn, carried: &[u8]) -> std::result::Result<Cut<'b>, BlockError> {
        let Turn { bytes: buffer, decoded } = turn;
        // The block starts after `pad` bytes of the buffer, so that the carried bytes end (and
        // the bytes read start) at the file's position in a page (see `PAGE_BYTES`).
        let block_bytes = self.next_block_bytes;
        self.next_block_bytes = block_bytes.saturating_mul(2).min(self.block_bytes);
        let pad = start_block(buffer, carried, self.read_bytes, block_bytes);
        let mut wanted = pad + block_bytes;
        let (end, no_quote, no_return, quotes_close) = loop {
            self.fill(buffer, wanted)?;
            let block = &buffer[pad..];
            // One search for a quote or a CR, then (after either) one for a quote.
            let (no_quote, no_return) = match memchr::memchr2(b'"', b'\r', block) {
                None => (true, true),
                Some(k) => (memchr::memchr(b'"', &block[k..]).is_none(), false),
            };
            if self.ended {
                break (block.len(), no_quote, no_return, no_quote);
            }
            match last_record_end(block, self.dialect, no_quote) {
                Some((end, quotes_close)) => break (end, no_quote, no_return, quotes_close),
                // No whole record yet: read more.
                None => wanted = buffer.len() + block_bytes,
            }
        };
        if end == 0 {
            return Ok(None);
        }
        let (mut bytes, rest) = buffer[pad..].split_at(end);
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
                    decode_gb18030_into(bytes, decoded)
                }
                Err(_) => return Err(BlockError::NotUtf8),
            },
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
            Encoding::Gb18030 => decode_gb18030_into(bytes, decoded),
        };
        // (Decoding never makes a quote or a CR: a `"` or CR of the text is that byte in UTF-8,
        // GBK and GB18030 alike, and the replacement character is neither. A block without a
        // CR has no lone CR: its lines end at line feeds alone.)
        Ok(Some((text, Known { no_quote, no_lone_return: no_return, quotes_close }, rest)))
    }

    /// Reads until `buffer` holds `wanted` bytes or the source ends.
    fn fill(&mut self, buffer: &mut Vec<u8>, wanted: usize) -> Result<()> {
        let before = buffer.len();
        if self.ended || before >= wanted {
            return Ok(());
        }
        let asked = wanted - before;
        let got = read_more(&mut self.source, buffer, asked, &self.file, &mut self.read_bytes, self.limit_bytes)?;
        self.ended = got < asked;
        Ok(())
    }
}

/// Reads up to `asked` more bytes of `source` into `buffer`'s spare room (not zeroed first, as
/// a `resize` would) and counts them in `read_bytes`; returns how many it read (fewer than
/// asked: the source ended). `read_to_end` retries an interrupted read itself. An error names
/// `file`: the source's (the buffer then as it was), or more than `limit_bytes` read in all.
pub(crate) fn read_more(
    source: &mut impl Read,
    buffer: &mut Vec<u8>,
    asked: usize,
    file: &str,
    read_bytes: &mut u64,
    limit_bytes: u64,
) -> Result<usize> {
    let before = buffer.len();
    buffer.reserve_exact(asked);
    if let Err(error) = source.take(asked as u64).read_to_end(buffer) {
        buffer.truncate(before);
        return Err(Error::new(ErrorKind::Io, format!("cannot read {file}: {error}")).at(Location::default().file(file)));
    }
    let got = buffer.len() - before;
    *read_bytes += got as u64;
    if *read_bytes > limit_bytes {
        let message = format!("input of more than {limit_bytes} bytes exceeds the limit");
        return Err(Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file)));
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::tokenize::records;
    use proptest::prelude::*;

    /// The blocks' texts and what was known of each, in order, and how reading them ended.
    fn texts<R: Read + Send>(blocks: Blocks<R>) -> (Vec<(String, Known)>, std::result::Result<(), BlockError>) {
        let mut texts = Vec::new();
        let ended = blocks.each(|block, known| {
            texts.push((block.to_string(), known));
            Ok(())
        });
        (texts, ended)
    }

    /// The blocks' texts joined.
    fn joined(texts: &[(String, Known)]) -> String {
        texts.iter().map(|(text, _)| text.as_str()).collect()
    }

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
            first_bytes in 1usize..24,
            comment in any::<bool>(),
        ) {
            let text: String = pieces.concat();
            let dialect = Dialect { delimiter: b',', comment };
            // Blocks that grow from the first (as a file's do), or shrink to `block_bytes`.
            let blocks = Blocks::new(text.as_bytes(), "t.csv", dialect, Encoding::Auto, u64::MAX).growing(first_bytes, block_bytes);
            let (blocks, ended) = texts(blocks);
            prop_assert!(ended.is_ok());
            let (mut by_block, mut line) = (Vec::new(), 1);
            for (block, known) in &blocks {
                prop_assert!(!known.no_quote || !block.contains('"'));
                by_block.extend(cut(block, line, dialect));
                line += crate::reconcile::tokenize::newlines(block.as_bytes());
            }
            prop_assert_eq!(&joined(&blocks), &text);
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

    proptest! {
        /// Texts decoded one after the other into one kept string (longer or shorter than the
        /// last, all Chinese, with bytes that decode to U+FFFD, which make a text three times
        /// its bytes) are each what encoding_rs makes of them alone.
        #[test]
        fn gb18030_decoded_into_a_kept_string_is_what_encoding_rs_makes(
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just(encoding_rs::GB18030.encode("沪上小馆").0.into_owned()),
                        Just(encoding_rs::GB18030.encode("😀€").0.into_owned()),
                        Just(b"20260507,100.00\n".to_vec()),
                        proptest::collection::vec(0x80u8..=0xFF, 1..40),
                        proptest::collection::vec(any::<u8>(), 1..40),
                    ],
                    0..40,
                ),
                1..6,
            )
        ) {
            let mut kept = String::new();
            for pieces in texts {
                let bytes = pieces.concat();
                let whole = encoding_rs::GB18030.decode_without_bom_handling(&bytes).0.into_owned();
                prop_assert_eq!(&decoded_gb18030(&bytes), &whole);
                prop_assert_eq!(decode_gb18030_into(&bytes, &mut kept), Cow::Borrowed(whole.as_str()));
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_taken_off_and_gbk_is_decoded_block_by_block() {
        let gbk = encoding_rs::GBK.encode("清算日期,金额\n消费,1\n退货,2\n").0.into_owned();
        let blocks = Blocks::new(&gbk[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX).of_bytes(4);
        let (blocks, ended) = texts(blocks);
        assert!(ended.is_ok() && blocks.len() > 1);
        assert_eq!(joined(&blocks), "清算日期,金额\n消费,1\n退货,2\n");
        let bom = b"\xEF\xBB\xBFa,b\n";
        let blocks = Blocks::new(&bom[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX);
        assert_eq!(joined(&texts(blocks).0), "a,b\n");
    }

    #[test]
    fn a_later_block_that_is_not_utf8_asks_for_the_whole_file_and_a_long_file_is_refused() {
        let mut bytes = b"a,b\n".to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode("消费\n").0);
        let blocks = Blocks::new(&bytes[..], "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX).of_bytes(4);
        let (blocks, ended) = texts(blocks);
        assert_eq!(joined(&blocks), "a,b\n");
        assert!(matches!(ended, Err(BlockError::NotUtf8)));
        let blocks = Blocks::new(&b"a,b\nc,d\n"[..], "t.csv", Dialect::csv(false), Encoding::Auto, 5).of_bytes(4);
        match texts(blocks) {
            (_, Err(BlockError::Failed(error))) => assert!(error.to_string().contains("exceeds the limit"), "{error}"),
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

    /// A source that notes, for each read that gives bytes, how far its buffer's address is
    /// ahead of the source's position in a page.
    struct Paged<'b> {
        bytes: &'b [u8],
        given: usize,
        ahead: Vec<usize>,
    }

    impl Read for Paged<'_> {
        fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
            let ahead = (into.as_ptr() as usize).wrapping_sub(self.given) % PAGE_BYTES;
            let count = (&self.bytes[self.given..]).read(into)?;
            if count > 0 {
                self.ahead.push(ahead);
            }
            self.given += count;
            Ok(count)
        }
    }

    #[test]
    fn each_block_is_read_to_an_address_at_the_files_position_in_a_page() {
        // Records of 1 to 97 bytes, so that the bytes carried from block to block end anywhere.
        let text: String = (0..400).map(|k| format!("{},{}\n", k, "x".repeat(k * 37 % 97))).collect();
        let mut source = Paged { bytes: text.as_bytes(), given: 0, ahead: Vec::new() };
        let blocks = Blocks::new(&mut source, "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX).of_bytes(300);
        let (blocks, ended) = texts(blocks);
        assert!(ended.is_ok() && blocks.len() > 50);
        assert_eq!(joined(&blocks), text);
        // (A read after a short one, here only the one that finds the end, may start anywhere.)
        let elsewhere = source.ahead.iter().filter(|&&ahead| ahead != 0).count();
        assert!(source.ahead.len() > 50 && elsewhere == 0, "{:?}", source.ahead);
    }

    #[test]
    fn short_and_interrupted_reads_give_the_whole_text_and_a_failed_read_names_the_file() {
        let text = "a,b\n消费,1\n退货,2\nc,\"d\ne\"\n";
        for block_bytes in [1, 4, 7, 64] {
            let source = Trickle { bytes: text.as_bytes(), calls: 0, given: 0, fail_after: usize::MAX };
            let blocks = Blocks::new(source, "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX).of_bytes(block_bytes);
            let (blocks, ended) = texts(blocks);
            assert!(ended.is_ok());
            assert_eq!(joined(&blocks), text, "blocks of {block_bytes} bytes");
        }
        let source = Trickle { bytes: text.as_bytes(), calls: 0, given: 0, fail_after: 10 };
        let blocks = Blocks::new(source, "t.csv", Dialect::csv(false), Encoding::Auto, u64::MAX).of_bytes(4);
        let failed = match texts(blocks).1 {
            Ok(()) => panic!("the failed read is reported"),
            Err(BlockError::Failed(error)) => error,
            Err(BlockError::NotUtf8 | BlockError::HeaderPastFirstBlock(_)) => panic!("the text is UTF-8 and has no header to find"),
        };
        assert_eq!(failed.kind(), ErrorKind::Io);
        assert!(failed.to_string().contains("cannot read t.csv: the disk went away"), "{failed}");
    }
}
