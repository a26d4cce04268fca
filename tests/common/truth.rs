//! The Wireshark truth files of the corpus (`tests/data/corpus/expected/
//! truth/<capture>.truth.jsonl`, one JSON object per frame, made with
//! tshark) and a JSON reader just large enough for them: objects, arrays,
//! strings with the usual escapes, integers, `true`/`false`/`null`.
//!
//! Accessors are strict on purpose: a key that is present with the wrong
//! JSON type panics rather than being skipped, so a test can never pass by
//! silently comparing nothing.

/// One JSON value. Numbers in the truth files are always integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Num(i128),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, keys in file order.
    Obj(Vec<(String, Json)>),
}

/// The bytes of `corpus/captures/<capture>`.
pub fn capture(capture: &str) -> Vec<u8> {
    std::fs::read(super::data_path(&format!("corpus/captures/{capture}"))).unwrap()
}

/// The truth of every frame of `corpus/captures/<capture>`, in frame order.
pub fn load(capture: &str) -> Vec<Json> {
    std::fs::read_to_string(super::data_path(&format!(
        "corpus/expected/truth/{capture}.truth.jsonl"
    )))
    .unwrap()
    .lines()
    .map(parse)
    .collect()
}

/// Parse one JSON text; panics on malformed input or trailing bytes.
pub fn parse(text: &str) -> Json {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value();
    p.ws();
    assert_eq!(p.i, p.s.len(), "trailing bytes in JSON line");
    v
}

impl Json {
    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The integer at `key` (`true`/`false` count as 1/0); panics if the
    /// key holds anything else.
    pub fn int(&self, key: &str) -> Option<i128> {
        match self.get(key)? {
            Json::Num(n) => Some(*n),
            Json::Bool(b) => Some(i128::from(*b)),
            other => panic!("{key} is not a number: {other:?}"),
        }
    }

    /// [`Json::int`] as an `i64`; panics if it does not fit.
    pub fn i64(&self, key: &str) -> Option<i64> {
        self.int(key).map(|n| i64::try_from(n).unwrap())
    }

    /// [`Json::int`] as a `u64`; panics if it does not fit.
    pub fn u64(&self, key: &str) -> Option<u64> {
        self.int(key).map(|n| u64::try_from(n).unwrap())
    }

    /// The string at `key`; panics if the key holds anything else.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Json::Str(s) => Some(s),
            other => panic!("{key} is not a string: {other:?}"),
        }
    }

    /// The array at `key`; panics if the key holds anything else.
    pub fn arr(&self, key: &str) -> Option<&[Json]> {
        match self.get(key)? {
            Json::Arr(a) => Some(a),
            other => panic!("{key} is not an array: {other:?}"),
        }
    }

    /// The integers of an array value; panics on anything else.
    pub fn ints(&self) -> Vec<i128> {
        match self {
            Json::Arr(a) => a
                .iter()
                .map(|x| match x {
                    Json::Num(n) => *n,
                    other => panic!("not a number: {other:?}"),
                })
                .collect(),
            other => panic!("not an array: {other:?}"),
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) {
        self.ws();
        assert_eq!(self.s[self.i], c, "JSON at {}", self.i);
        self.i += 1;
    }

    /// Consume `word` (a literal such as `true`).
    fn word(&mut self, word: &str) {
        assert!(self.s[self.i..].starts_with(word.as_bytes()), "JSON at {}", self.i);
        self.i += word.len();
    }

    fn value(&mut self) -> Json {
        self.ws();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                let mut kv = Vec::new();
                self.ws();
                if self.s[self.i] == b'}' {
                    self.i += 1;
                    return Json::Obj(kv);
                }
                loop {
                    self.ws();
                    let k = self.string();
                    self.eat(b':');
                    kv.push((k, self.value()));
                    self.ws();
                    match self.s[self.i] {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Json::Obj(kv);
                        }
                        c => panic!("JSON at {}: {:?} in an object", self.i, char::from(c)),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.s[self.i] == b']' {
                    self.i += 1;
                    return Json::Arr(a);
                }
                loop {
                    a.push(self.value());
                    self.ws();
                    match self.s[self.i] {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Json::Arr(a);
                        }
                        c => panic!("JSON at {}: {:?} in an array", self.i, char::from(c)),
                    }
                }
            }
            b'"' => Json::Str(self.string()),
            b't' => {
                self.word("true");
                Json::Bool(true)
            }
            b'f' => {
                self.word("false");
                Json::Bool(false)
            }
            b'n' => {
                self.word("null");
                Json::Null
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && (self.s[self.i] == b'-' || self.s[self.i].is_ascii_digit()) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                Json::Num(text.parse().unwrap_or_else(|_| panic!("number {text:?}")))
            }
        }
    }

    fn string(&mut self) -> String {
        assert_eq!(self.s[self.i], b'"', "JSON at {}: string expected", self.i);
        self.i += 1;
        let mut out = String::new();
        loop {
            let c = self.s[self.i];
            self.i += 1;
            match c {
                b'"' => return out,
                b'\\' => {
                    let e = self.s[self.i];
                    self.i += 1;
                    match e {
                        b'u' => {
                            let hex = std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                            self.i += 4;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap_or('?'));
                        }
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        other => out.push(char::from(other)),
                    }
                }
                _ => {
                    // A run of plain bytes, multi-byte UTF-8 included.
                    let start = self.i - 1;
                    while self.s[self.i] != b'"' && self.s[self.i] != b'\\' {
                        self.i += 1;
                    }
                    out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap());
                }
            }
        }
    }
}
