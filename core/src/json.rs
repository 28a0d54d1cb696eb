//! A small, strict JSON reader (RFC 8259) for the options of `docs/abi.md`.
//!
//! The options are a few keys, arrays of strings and integers, so this reads
//! JSON into a [`Value`] tree and leaves the shape to the caller. It exists
//! instead of serde deserialisation to keep the WebAssembly module small:
//! numbers are kept as their text and read as integers by hand, so no float
//! parsing or formatting is linked.
//!
//! Strict: UTF-8 only, no byte order mark, no comments, no trailing commas,
//! no leading zeros, no control characters in strings, no unpaired surrogate
//! escapes, nothing after the value, at most [`MAX_DEPTH`] nested arrays
//! and objects (so the recursion is bounded whatever the input).

#[allow(unused_imports)]
use crate::prelude::*;

/// The deepest nesting of arrays and objects read (the options need 3).
pub const MAX_DEPTH: usize = 32;

/// One JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number as its text, checked against the JSON grammar; read it with
    /// [`Value::integer`].
    Number(&'a str),
    String(String),
    Array(Vec<Value<'a>>),
    /// Members in document order; duplicate keys are kept (the caller
    /// decides what they mean).
    Object(Vec<(String, Value<'a>)>),
}

/// A number that is not an integer the caller can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegerError {
    /// Not a number, or a number with a fraction or an exponent.
    NotAnInteger,
    /// An integer outside the range asked for.
    OutOfRange,
}

impl Value<'_> {
    /// The value as an unsigned integer no greater than `max`. Only numbers
    /// written as integers qualify: `5.0` and `5e0` are not integers here.
    pub fn unsigned(&self, max: u64) -> Result<u64, IntegerError> {
        match self.integer()? {
            (false, n) | (true, n @ 0) if n <= max => Ok(n),
            _ => Err(IntegerError::OutOfRange),
        }
    }

    /// The value as an `i64` (integers only, as for [`Value::unsigned`]).
    pub fn signed(&self) -> Result<i64, IntegerError> {
        let n = match self.integer()? {
            (false, n) => i64::try_from(n).ok(),
            (true, n) => 0i64.checked_sub_unsigned(n),
        };
        n.ok_or(IntegerError::OutOfRange)
    }

    /// Sign and magnitude of an integer.
    fn integer(&self) -> Result<(bool, u64), IntegerError> {
        let Value::Number(text) = self else {
            return Err(IntegerError::NotAnInteger);
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, *text),
        };
        let mut n = 0u64;
        for d in digits.bytes() {
            if !d.is_ascii_digit() {
                return Err(IntegerError::NotAnInteger);
            }
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(IntegerError::OutOfRange)?;
        }
        Ok((negative, n))
    }

    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Where and why the input is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes from the start of the line.
    pub column: usize,
    pub what: &'static str,
}

impl core::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.what, self.line, self.column
        )
    }
}

impl core::error::Error for SyntaxError {}

/// Reads one JSON value, with optional whitespace around it.
pub fn parse(input: &[u8]) -> Result<Value<'_>, SyntaxError> {
    let text = core::str::from_utf8(input)
        .map_err(|e| syntax_error(input, e.valid_up_to(), "invalid UTF-8"))?;
    let mut reader = Reader { text, pos: 0 };
    let result = reader.skip_whitespace().and_then(|()| {
        let value = reader.value(0)?;
        reader.skip_whitespace()?;
        if reader.pos < text.len() {
            return Err("trailing characters after the JSON value");
        }
        Ok(value)
    });
    result.map_err(|what| syntax_error(input, reader.pos, what))
}

fn syntax_error(input: &[u8], pos: usize, what: &'static str) -> SyntaxError {
    let before = &input[..pos.min(input.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    SyntaxError {
        line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
        column: 1 + pos - line_start,
        what,
    }
}

struct Reader<'a> {
    text: &'a str,
    /// Always on a character boundary of `text`.
    pos: usize,
}

type Step<T> = Result<T, &'static str>;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) -> Step<()> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
        Ok(())
    }

    /// Consumes `byte` or fails with `what`.
    fn expect(&mut self, byte: u8, what: &'static str) -> Step<()> {
        if self.peek() != Some(byte) {
            return Err(what);
        }
        self.pos += 1;
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Step<Value<'a>> {
        match self.peek() {
            None => Err("unexpected end of input, expected a value"),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err("expected a value"),
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Step<Value<'a>> {
        if !crate::text::cut(self.text, self.pos..).starts_with(word) {
            return Err("expected a value");
        }
        self.pos += word.len();
        Ok(value)
    }

    fn array(&mut self, depth: usize) -> Step<Value<'a>> {
        if depth > MAX_DEPTH {
            return Err("arrays and objects nested too deeply");
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace()?;
            items.push(self.value(depth)?);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err("expected `,` or `]`"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Step<Value<'a>> {
        if depth > MAX_DEPTH {
            return Err("arrays and objects nested too deeply");
        }
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace()?;
            if self.peek() != Some(b'"') {
                return Err("expected a string key");
            }
            let key = self.string()?;
            self.skip_whitespace()?;
            self.expect(b':', "expected `:`")?;
            self.skip_whitespace()?;
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err("expected `,` or `}`"),
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as text.
    fn number(&mut self) -> Step<&'a str> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("expected a digit"),
        }
        if let Some(b'0'..=b'9') = self.peek() {
            return Err("leading zero in a number");
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.one_or_more_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.one_or_more_digits()?;
        }
        Ok(crate::text::cut(self.text, start..self.pos))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Step<()> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err("expected a digit");
        }
        self.digits();
        Ok(())
    }

    /// A string, from its opening quote; escapes resolved.
    fn string(&mut self) -> Step<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control
            // character: all ASCII, so the slice ends on a boundary.
            let run = self.text.as_bytes()[self.pos..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or("unterminated string")?;
            out.push_str(crate::text::cut(self.text, self.pos..self.pos + run));
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                _ => return Err("control character in a string (it must be escaped)"),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Step<char> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err("invalid escape in a string"),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `XXXX` after `\u`, and for a high surrogate the `\uXXXX` of the low
    /// one that must follow.
    fn unicode_escape(&mut self) -> Step<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !crate::text::cut(self.text, self.pos..).starts_with("\\u") {
                    return Err("unpaired surrogate in a \\u escape");
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err("unpaired surrogate in a \\u escape");
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err("unpaired surrogate in a \\u escape"),
            c => c,
        };
        char::from_u32(code).ok_or("invalid \\u escape")
    }

    fn hex4(&mut self) -> Step<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or("expected four hexadecimal digits after \\u")?;
            n = n * 16 + digit;
            self.pos += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value<'_> {
        parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &[u8]) -> SyntaxError {
        match parse(text) {
            Ok(v) => panic!("{:?} parsed as {v:?}", String::from_utf8_lossy(text)),
            Err(e) => e,
        }
    }

    fn s(text: &str) -> Value<'static> {
        Value::String(text.into())
    }

    #[test]
    fn values() {
        assert_eq!(ok("null"), Value::Null);
        assert_eq!(ok(" true "), Value::Bool(true));
        assert_eq!(ok("\t\r\nfalse\n"), Value::Bool(false));
        assert_eq!(ok("\"\""), s(""));
        assert_eq!(ok("[]"), Value::Array(vec![]));
        assert_eq!(ok("{ }"), Value::Object(vec![]));
        assert_eq!(
            ok(r#" { "a" : [ 1 , -2.5e+3 , "x" ] , "b" : { } , "a" : null } "#),
            Value::Object(vec![
                (
                    "a".into(),
                    Value::Array(vec![Value::Number("1"), Value::Number("-2.5e+3"), s("x")])
                ),
                ("b".into(), Value::Object(vec![])),
                ("a".into(), Value::Null),
            ])
        );
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for n in ["0", "-0", "7", "10", "-12", "0.5", "1e9", "1E+9", "2.0e-3"] {
            assert_eq!(ok(n), Value::Number(n));
        }
        for n in [
            "01", "-", "+1", "1.", ".5", "1e", "1e+", "--1", "0x10", "1.e3", "Infinity", "NaN",
        ] {
            err(n.as_bytes());
        }
    }

    #[test]
    fn integers_only_when_written_as_integers() {
        let n = Value::Number;
        assert_eq!(n("0").unsigned(10), Ok(0));
        assert_eq!(n("-0").unsigned(10), Ok(0));
        assert_eq!(n("10").unsigned(10), Ok(10));
        assert_eq!(n("11").unsigned(10), Err(IntegerError::OutOfRange));
        assert_eq!(n("-1").unsigned(10), Err(IntegerError::OutOfRange));
        assert_eq!(n("18446744073709551615").unsigned(u64::MAX), Ok(u64::MAX));
        assert_eq!(
            n("18446744073709551616").unsigned(u64::MAX),
            Err(IntegerError::OutOfRange)
        );
        let long = "9".repeat(400);
        assert_eq!(n(&long).unsigned(u64::MAX), Err(IntegerError::OutOfRange));
        assert_eq!(n("-7").signed(), Ok(-7));
        assert_eq!(n("9223372036854775807").signed(), Ok(i64::MAX));
        assert_eq!(n("-9223372036854775808").signed(), Ok(i64::MIN));
        assert_eq!(
            n("9223372036854775808").signed(),
            Err(IntegerError::OutOfRange)
        );
        assert_eq!(
            n("-9223372036854775809").signed(),
            Err(IntegerError::OutOfRange)
        );
        for t in ["5.0", "5e0", "1E2", "-0.0"] {
            assert_eq!(n(t).unsigned(10), Err(IntegerError::NotAnInteger), "{t}");
            assert_eq!(n(t).signed(), Err(IntegerError::NotAnInteger), "{t}");
        }
        assert_eq!(s("5").unsigned(10), Err(IntegerError::NotAnInteger));
        assert_eq!(Value::Null.signed(), Err(IntegerError::NotAnInteger));
        assert_eq!(
            Value::Bool(true).unsigned(1),
            Err(IntegerError::NotAnInteger)
        );
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            ok(r#""a\"b\\c\/d\be\ff\ng\rh\ti""#),
            s("a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti")
        );
        assert_eq!(ok(r#""\u0041\u00e9\u7968""#), s("Aé票"));
        // A surrogate pair: U+1F600.
        assert_eq!(ok(r#""\ud83d\uDE00""#), s("\u{1F600}"));
        assert_eq!(ok("\"票据 😀\""), s("票据 😀"));
        assert_eq!(ok(r#""\u0000""#), s("\0"));
    }

    #[test]
    fn bad_strings() {
        for (text, what) in [
            (&br#""\ud83d""#[..], "unpaired surrogate in a \\u escape"),
            (br#""\ud83dx""#, "unpaired surrogate in a \\u escape"),
            (br#""\ud83d\u0041""#, "unpaired surrogate in a \\u escape"),
            (br#""\ude00""#, "unpaired surrogate in a \\u escape"),
            (br#""\u12""#, "expected four hexadecimal digits after \\u"),
            (br#""\x""#, "invalid escape in a string"),
            (
                b"\"a\nb\"",
                "control character in a string (it must be escaped)",
            ),
            (
                b"\"a\tb\"",
                "control character in a string (it must be escaped)",
            ),
            (b"\"abc", "unterminated string"),
            (b"\"abc\\", "invalid escape in a string"),
        ] {
            assert_eq!(err(text).what, what, "{}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(
            err(b"{\n  \"a\": 1,\n  \"b\" 2\n}"),
            SyntaxError {
                line: 3,
                column: 7,
                what: "expected `:`"
            }
        );
        assert_eq!(
            err(b"{\"a\":1,}").to_string(),
            "expected a string key at line 1, column 8"
        );
        assert_eq!(err(b"[1,]").what, "expected a value");
        assert_eq!(err(b"[1 2]").what, "expected `,` or `]`");
        assert_eq!(err(b"{\"a\":1 \"b\":2}").what, "expected `,` or `}`");
        assert_eq!(err(b"").what, "unexpected end of input, expected a value");
        assert_eq!(
            err(b"{\"a\":").what,
            "unexpected end of input, expected a value"
        );
        assert_eq!(err(b"[").what, "unexpected end of input, expected a value");
        assert_eq!(
            err(b"{} {}").what,
            "trailing characters after the JSON value"
        );
        assert_eq!(err(b"tru").what, "expected a value");
        assert_eq!(err(b"nul").what, "expected a value");
        assert_eq!(err(b"// c\n{}").what, "expected a value");
        assert_eq!(err(b"{'a':1}").what, "expected a string key");
        assert_eq!(err(b"\xef\xbb\xbf{}").what, "expected a value");
        let e = err(b"{\"a\":\"\xff\"}");
        assert_eq!((e.what, e.column), ("invalid UTF-8", 7));
        assert_eq!(err(b"\x0c{}").what, "expected a value");
    }

    /// Ours as serde_json's tree (a repeated key: the last one, as serde_json).
    fn as_serde(v: &Value<'_>) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap(),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(as_serde).collect()),
            Value::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), as_serde(v)))
                    .collect(),
            ),
        }
    }

    fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = proptest::sample::select(vec![
            "0",
            "-0",
            "17",
            "-9223372036854775808",
            "1.5e3",
            "2E-2",
            "true",
            "false",
            "null",
            "\"\"",
            "\"k\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u00e9\\n\\/\\\\\\\"\"",
            "\"票据\"",
        ])
        .prop_map(String::from);
        leaf.prop_recursive(4, 32, 4, |inner| {
            let ws = proptest::sample::select(vec!["", " ", "\n", "\t", "\r\n  "]);
            prop_oneof![
                (proptest::collection::vec(inner.clone(), 0..4), ws.clone()).prop_map(
                    |(items, ws)| format!("[{ws}{}{ws}]", items.join(&format!("{ws},{ws}")))
                ),
                (
                    proptest::collection::vec(
                        (proptest::sample::select(vec!["a", "b", "\\u0061"]), inner),
                        0..4
                    ),
                    ws
                )
                    .prop_map(|(members, ws)| {
                        let members: Vec<String> = members
                            .iter()
                            .map(|(k, v)| format!("\"{k}\"{ws}:{ws}{v}"))
                            .collect();
                        format!("{{{ws}{}{ws}}}", members.join(","))
                    }),
            ]
        })
    }

    proptest::proptest! {
        /// Near-JSON text: accepted exactly when serde_json accepts it, and
        /// read as the same value.
        #[test]
        fn agrees_with_serde_json(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "[", "]", ",", ":", " ", "\n", "\"k\"", "\"\\ud83d\\ude00\"",
                    "\"\\ud83d\"", "\"\\uDE00x\"", "\"\\u00e9\\n\\/\"", "\"\\q\"", "\"\u{1}\"",
                    "\"票\"", "\"", "1", "-0", "1.5e3", "01", "1.", "-", "2E-2", "true", "null",
                    "nul", "\u{e7}",
                ]),
                0..12,
            )
        ) {
            let text = tokens.concat().into_bytes();
            let theirs = serde_json::from_slice::<serde_json::Value>(&text);
            match (parse(&text), theirs) {
                (Ok(ours), Ok(theirs)) => proptest::prop_assert_eq!(as_serde(&ours), theirs),
                (Err(_), Err(_)) => {}
                // serde_json reads numbers as f64 and refuses huge exponents.
                (Ok(_), Err(e)) if e.to_string().contains("number out of range") => {}
                (ours, theirs) => proptest::prop_assert!(
                    false,
                    "{:?}: ours {:?}, serde_json {:?}",
                    String::from_utf8_lossy(&text),
                    ours,
                    theirs
                ),
            }
        }

        /// Valid JSON, nested: read as serde_json reads it.
        #[test]
        fn reads_valid_json_as_serde_json_does(text in json_text()) {
            let ours = parse(text.as_bytes());
            proptest::prop_assert!(ours.is_ok(), "{}: {:?}", text, ours);
            let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(as_serde(&ours.unwrap()), theirs);
        }

        #[test]
        fn any_bytes_are_read_or_refused(text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let _ = parse(&text);
        }
    }

    #[test]
    fn depth_is_bounded() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            err(nested(MAX_DEPTH + 1).as_bytes()).what,
            "arrays and objects nested too deeply"
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            err(objects.as_bytes()).what,
            "arrays and objects nested too deeply"
        );
        // Far deeper input fails the same way, without exhausting the stack.
        assert_eq!(
            err("[".repeat(1_000_000).as_bytes()).what,
            "arrays and objects nested too deeply"
        );
    }
}
