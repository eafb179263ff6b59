//! Splitting a GeoJSON file as it is read, so a big FeatureCollection is never held whole: the
//! top-level members are kept as raw text (they are small: `type`, `crs`, `name`), and each
//! element of the `features` array (or of a top-level array) is handed over as its own text,
//! with the line and column where it starts, then dropped.
//!
//! The splitter only follows brackets and strings; each piece is parsed (and its JSON checked)
//! by serde_json afterwards, so a syntax error inside a feature is still reported by the parser
//! with its place in the file.

use std::io::{BufRead, BufReader, Read};

/// Top-level members as `(key, raw JSON value)`, in file order.
pub(crate) type Members = Vec<(String, String)>;

/// Where a piece starts: lines before it, and its column (0-based) on its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Origin {
    /// Lines before the piece.
    pub lines: usize,
    /// Bytes before the piece on its first line.
    pub column: usize,
}

/// What the file's top level is.
#[derive(Debug)]
pub(crate) enum Top {
    /// A bare array of features (DataV's form); its elements were handed over.
    Array,
    /// An object; `members` holds every member but a `features` array, as raw JSON text;
    /// `streamed` says whether a `features` array was found and its elements handed over.
    Object {
        /// `(key, raw value)` in file order.
        members: Members,
        /// A `features` array was handed over element by element.
        streamed: bool,
    },
}

/// Why a file could not be split.
#[derive(Debug)]
pub(crate) enum SplitError<E> {
    /// Empty or white space only.
    Empty,
    /// Starts with neither `{` nor `[`.
    NotJson,
    /// Not UTF-8 at byte `offset`.
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: u64,
    },
    /// Broken structure at a place.
    Syntax {
        /// What was wrong.
        detail: String,
        /// Line, 1-based.
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// The text ended first.
        cut_short: bool,
    },
    /// Reading failed.
    Io(std::io::Error),
    /// The element handler refused.
    Handler(E),
}

/// Bytes of a reader with their place, optionally recording them.
struct Source<R: Read> {
    inner: BufReader<R>,
    offset: u64,
    line: usize,
    line_start: u64,
    recording: Option<Vec<u8>>,
}

impl<R: Read> Source<R> {
    fn peek<E>(&mut self) -> Result<Option<u8>, SplitError<E>> {
        let buf = self.inner.fill_buf().map_err(SplitError::Io)?;
        Ok(buf.first().copied())
    }

    fn next<E>(&mut self) -> Result<Option<u8>, SplitError<E>> {
        let Some(b) = self.peek()? else {
            return Ok(None);
        };
        self.inner.consume(1);
        self.offset += 1;
        if b == b'\n' {
            self.line += 1;
            self.line_start = self.offset;
        }
        if let Some(r) = self.recording.as_mut() {
            r.push(b);
        }
        Ok(Some(b))
    }

    fn origin(&self) -> Origin {
        Origin {
            lines: self.line,
            column: (self.offset - self.line_start) as usize,
        }
    }

    fn error<E>(&self, detail: &str, cut_short: bool) -> SplitError<E> {
        SplitError::Syntax {
            detail: detail.to_string(),
            line: self.line + 1,
            column: (self.offset - self.line_start) as usize + 1,
            cut_short,
        }
    }

    fn skip_space<E>(&mut self) -> Result<(), SplitError<E>> {
        while let Some(b) = self.peek()? {
            if !b.is_ascii_whitespace() {
                break;
            }
            self.next::<E>()?;
        }
        Ok(())
    }

    /// Consumes one JSON value (not checked beyond brackets and strings).
    fn skip_value<E>(&mut self) -> Result<(), SplitError<E>> {
        let eof = |s: &Self| s.error("EOF while parsing a value", true);
        match self.peek()? {
            None => Err(eof(self)),
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => self.skip_nested(),
            Some(_) => {
                // A number, true, false or null: up to the next delimiter.
                while let Some(b) = self.peek()? {
                    if b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}') {
                        break;
                    }
                    self.next::<E>()?;
                }
                Ok(())
            }
        }
    }

    /// Consumes an object or array, a buffer at a time: only brackets and strings are
    /// followed, byte by byte in a tight loop over what is buffered, and the place (line,
    /// column, the recording) is brought up to date once per buffer.
    fn skip_nested<E>(&mut self) -> Result<(), SplitError<E>> {
        let mut closers: Vec<u8> = Vec::new();
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let buf = self.inner.fill_buf().map_err(SplitError::Io)?;
            if buf.is_empty() {
                let detail = if in_string {
                    "EOF while parsing a string"
                } else {
                    "EOF while parsing a value"
                };
                return Err(self.error(detail, true));
            }
            let mut used = buf.len();
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' => closers.push(b'}'),
                    b'[' => closers.push(b']'),
                    b'}' | b']' => {
                        let matched = closers.pop() == Some(b);
                        if !matched || closers.is_empty() {
                            used = i + 1;
                            end = Some(matched);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let chunk = &buf[..used];
            let mut from = 0;
            while let Some(at) = chunk[from..].iter().position(|&b| b == b'\n') {
                from += at + 1;
                self.line += 1;
                self.line_start = self.offset + from as u64;
            }
            if let Some(r) = self.recording.as_mut() {
                r.extend_from_slice(chunk);
            }
            self.inner.consume(used);
            self.offset += used as u64;
            match end {
                Some(true) => return Ok(()),
                Some(false) => return Err(self.error("mismatched bracket", false)),
                None => {}
            }
        }
    }

    fn skip_string<E>(&mut self) -> Result<(), SplitError<E>> {
        self.next::<E>()?; // the opening quote
        loop {
            match self.next()? {
                None => return Err(self.error("EOF while parsing a string", true)),
                Some(b'\\') => {
                    self.next::<E>()?;
                }
                Some(b'"') => return Ok(()),
                Some(_) => {}
            }
        }
    }

    /// One value as text, recorded.
    fn capture<E>(&mut self) -> Result<(String, Origin), SplitError<E>> {
        let origin = self.origin();
        let start = self.offset;
        self.recording = Some(Vec::new());
        let outcome = self.skip_value();
        let bytes = self.recording.take().unwrap_or_default();
        outcome?;
        let text = String::from_utf8(bytes).map_err(|e| SplitError::NotUtf8 {
            offset: start + e.utf8_error().valid_up_to() as u64,
        })?;
        Ok((text, origin))
    }
}

/// Splits the GeoJSON read from `reader`. `element(index, text, origin)` is called for each
/// feature of a top-level array or of the top-level object's `features` array, in order, and
/// may refuse; `members` is called once, before the first element of `features`, with the
/// members read so far (so a `crs` before the features is known in time). `read(bytes)` says
/// how far reading is.
pub(crate) fn split<R: Read, E>(
    reader: R,
    members: &mut dyn FnMut(&Members) -> Result<(), E>,
    element: &mut dyn FnMut(usize, &str, Origin) -> Result<(), E>,
    read: &mut dyn FnMut(u64),
) -> Result<Top, SplitError<E>> {
    let mut s = Source {
        inner: BufReader::with_capacity(1 << 16, reader),
        offset: 0,
        line: 0,
        line_start: 0,
        recording: None,
    };
    // A UTF-8 byte-order mark is not part of the text.
    if s.inner
        .fill_buf()
        .map_err(SplitError::Io)?
        .starts_with(b"\xEF\xBB\xBF")
    {
        s.inner.consume(3);
        s.offset = 3;
        s.line_start = 3;
    }
    s.skip_space()?;
    let mut count = 0usize;
    let mut array = |s: &mut Source<R>, count: &mut usize| -> Result<(), SplitError<E>> {
        s.next::<E>()?; // [
        s.skip_space()?;
        if s.peek()? == Some(b']') {
            s.next::<E>()?;
            return Ok(());
        }
        loop {
            s.skip_space()?;
            let (text, origin) = s.capture()?;
            element(*count, &text, origin).map_err(SplitError::Handler)?;
            *count += 1;
            if (*count).is_multiple_of(1024) {
                read(s.offset);
            }
            s.skip_space()?;
            match s.next()? {
                Some(b',') => {}
                Some(b']') => return Ok(()),
                Some(_) => return Err(s.error("expected `,` or `]`", false)),
                None => return Err(s.error("EOF while parsing a list", true)),
            }
        }
    };
    let top = match s.peek()? {
        None => return Err(SplitError::Empty),
        Some(b'[') => {
            array(&mut s, &mut count)?;
            Top::Array
        }
        Some(b'{') => {
            s.next::<E>()?;
            let mut kept: Members = Vec::new();
            let mut streamed = false;
            s.skip_space()?;
            if s.peek()? == Some(b'}') {
                s.next::<E>()?;
            } else {
                loop {
                    s.skip_space()?;
                    let next = s.peek()?;
                    if next != Some(b'"') {
                        return Err(s.error("expected a member name", next.is_none()));
                    }
                    let (key, _) = s.capture()?;
                    let key: String = serde_json::from_str(&key)
                        .map_err(|_| s.error("invalid member name", false))?;
                    s.skip_space()?;
                    match s.next()? {
                        Some(b':') => {}
                        None => return Err(s.error("EOF while parsing an object", true)),
                        Some(_) => return Err(s.error("expected `:`", false)),
                    }
                    s.skip_space()?;
                    if key == "features" && !streamed && s.peek()? == Some(b'[') {
                        members(&kept).map_err(SplitError::Handler)?;
                        array(&mut s, &mut count)?;
                        streamed = true;
                    } else {
                        let (value, _) = s.capture()?;
                        kept.push((key, value));
                    }
                    s.skip_space()?;
                    match s.next()? {
                        Some(b',') => {}
                        Some(b'}') => break,
                        Some(_) => return Err(s.error("expected `,` or `}`", false)),
                        None => return Err(s.error("EOF while parsing an object", true)),
                    }
                }
            }
            Top::Object {
                members: kept,
                streamed,
            }
        }
        Some(_) => return Err(SplitError::NotJson),
    };
    s.skip_space()?;
    if s.peek()?.is_some() {
        return Err(s.error("trailing characters", false));
    }
    read(s.offset);
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pieces = Vec<(String, Origin)>;

    fn run(text: &str) -> Result<(Top, Pieces), SplitError<()>> {
        run_from(text.as_bytes())
    }

    fn run_from(reader: impl Read) -> Result<(Top, Pieces), SplitError<()>> {
        let mut got = Vec::new();
        let top = split(
            reader,
            &mut |_| Ok(()),
            &mut |_, t, o| {
                got.push((t.to_string(), o));
                Ok(())
            },
            &mut |_| {},
        )?;
        Ok((top, got))
    }

    /// A reader that hands over a few bytes at a time, so values span buffer refills.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(3);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn run_trickled(text: &str) -> Result<Pieces, SplitError<()>> {
        run_from(Trickle(text.as_bytes())).map(|(_, pieces)| pieces)
    }

    #[test]
    fn pieces_and_places_do_not_depend_on_how_the_file_is_buffered() {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n {\"a\":\"]}\\\"\\n\",\n\"b\":[[1,2],\n[3,4]]},\n[1,2], {\"名\":\"邻里\"}]}";
        let (_, whole) = run(text).unwrap();
        assert_eq!(whole.len(), 3);
        assert_eq!(
            whole[2].1,
            Origin {
                lines: 5,
                column: 7
            }
        );
        assert_eq!(run_trickled(text).unwrap(), whole);
        let place = |e: SplitError<()>| match e {
            SplitError::Syntax {
                detail,
                line,
                column,
                cut_short,
            } => (detail, line, column, cut_short),
            other => panic!("a syntax error, not {other:?}"),
        };
        for broken in ["[{\"a\":\n [1,2}]", "[{\"a\":\"b", "[{\"a\":[1,\n2"] {
            let whole = place(run(broken).unwrap_err());
            assert_eq!(place(run_trickled(broken).unwrap_err()), whole, "{broken}");
        }
        assert_eq!(
            place(run("[{\"a\":\n [1,2}]").unwrap_err()),
            ("mismatched bracket".to_string(), 2, 7, false)
        );
        assert_eq!(
            place(run("[{\"a\":\"b").unwrap_err()).0,
            "EOF while parsing a string"
        );
    }

    #[test]
    fn features_come_one_by_one_with_their_place() {
        let text =
            "{\"type\":\"FeatureCollection\",\n\"features\":[\n {\"a\":\"]}\\\"\"},\n[1,2]]}";
        let (top, got) = run(text).unwrap();
        let Top::Object { members, streamed } = top else {
            panic!("an object")
        };
        assert!(streamed);
        assert_eq!(
            members,
            [("type".to_string(), "\"FeatureCollection\"".to_string())]
        );
        assert_eq!(got[0].0, "{\"a\":\"]}\\\"\"}");
        assert_eq!(
            got[0].1,
            Origin {
                lines: 2,
                column: 1
            }
        );
        assert_eq!(got[1].0, "[1,2]");
        assert!(matches!(run("[{}, {}]").unwrap().0, Top::Array));
        assert!(matches!(
            run("[{}, {"),
            Err(SplitError::Syntax {
                cut_short: true,
                ..
            })
        ));
        assert!(matches!(run("[{}] x"), Err(SplitError::Syntax { .. })));
        assert!(matches!(run("  "), Err(SplitError::Empty)));
        assert!(matches!(run("<xml>"), Err(SplitError::NotJson)));
    }
}
