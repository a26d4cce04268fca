//! The packetdrill script parser (the subset the FreeBSD TCP test suite
//! uses).
//!
//! The grammar is line-oriented:
//!
//! ```text
//! script   = { line }
//! line     = option | directive | event | comment | blank
//! option   = "--" name "=" value
//! directive= "#ifdef" NAME | "#ifndef" NAME | "#else" | "#endif"
//! event    = time action
//! time     = "*" | ["+"] secs | ["+"] secs "..." ["+"] secs
//! action   = ("<" | ">") packet | syscall | "`" command "`" | "%{" code "}%"
//! packet   = flags (seq ":" end "(" len ")" | "..." "(" len ")")
//!            ["ack" N] ["win" N] ["urg" N] ["<" (options | "...") ">"]
//! options  = option { "," option }
//! option   = "nop" | "eol" | "sackOK" | "mss" N | "wscale" N
//!          | "sack" { N ":" N } | "TS" "val" N "ecr" N
//! syscall  = name "(" [expr {"," expr}] ")" "=" expr [ERRNO] ["(" text ")"]
//! expr     = primary { "|" primary }
//! primary  = "..." | integer | SYMBOL | "[" [expr {"," expr}] "]" | string
//! ```
//!
//! `//` starts a comment that runs to the end of the line. `#ifdef` blocks
//! are kept when their symbol is among the `defines` given to [`parse`]
//! (packetdrill's `-D` flag).

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::ast::{Action, Event, Expr, PacketSpec, Script, Syscall, TcpOpt, Time, flag};

/// A script that cannot be parsed: the line and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was expected or found.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole script. `defines` are the symbols for which `#ifdef`
/// blocks are kept.
pub fn parse(text: &str, defines: &[&str]) -> Result<Script, ParseError> {
    let mut script = Script::default();
    // One entry per open #ifdef: (this block active, some branch taken).
    let mut conds: Vec<(bool, bool)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| ParseError { line, message };
        let text = strip_comment(raw).trim();
        if text.is_empty() {
            continue;
        }
        let active = conds.iter().all(|&(on, _)| on);
        if let Some(rest) = text.strip_prefix('#') {
            let mut words = rest.split_whitespace();
            match (words.next(), words.next()) {
                (Some("ifdef"), Some(sym)) | (Some("ifndef"), Some(sym)) => {
                    let defined = defines.contains(&sym);
                    let on = if rest.starts_with("ifdef") { defined } else { !defined };
                    conds.push((on, on));
                }
                (Some("else"), None) => {
                    let top = conds.last_mut().ok_or_else(|| err("#else without #ifdef".into()))?;
                    *top = (!top.1, true);
                }
                (Some("endif"), None) => {
                    conds.pop().ok_or_else(|| err("#endif without #ifdef".into()))?;
                }
                _ => return Err(err(format!("unknown directive `{text}`"))),
            }
            continue;
        }
        if !active {
            continue;
        }
        if let Some(opt) = text.strip_prefix("--") {
            let (name, value) = opt.split_once('=').unwrap_or((opt, ""));
            script.options.push((name.trim().to_owned(), value.trim().to_owned()));
            continue;
        }
        let mut cur = Cursor { s: text, pos: 0 };
        let time = cur.time().map_err(err)?;
        let action = cur.action().map_err(err)?;
        cur.ws();
        if !cur.rest().is_empty() {
            return Err(err(format!("unexpected trailing text `{}`", cur.rest())));
        }
        script.events.push(Event { line, time, action });
    }
    if !conds.is_empty() {
        return Err(ParseError {
            line: text.lines().count(),
            message: "unterminated #ifdef".into(),
        });
    }
    Ok(script)
}

/// Removes a `//` comment, ignoring `//` inside backticks or quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match (quote, bytes[i]) {
            (None, b'`' | b'"') => quote = Some(bytes[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'/') if bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// A position in one line.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

type PResult<T> = Result<T, String>;

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Consumes `token` (after whitespace) if it comes next.
    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> PResult<()> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected `{token}` at `{}`", self.rest()))
        }
    }

    /// The next run of characters satisfying `pred` (after whitespace).
    fn take_while(&mut self, pred: impl Fn(char) -> bool) -> &'a str {
        self.ws();
        let rest = self.rest();
        let n = rest.find(|c| !pred(c)).unwrap_or(rest.len());
        self.pos += n;
        &rest[..n]
    }

    fn word(&mut self) -> &'a str {
        self.take_while(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    fn peek_word(&mut self) -> &'a str {
        let save = self.pos;
        let w = self.word();
        self.pos = save;
        w
    }

    /// An unsigned decimal integer that fits `max`.
    fn uint(&mut self, what: &str, max: u64) -> PResult<u64> {
        let digits = self.take_while(|c| c.is_ascii_digit());
        match digits.parse::<u64>() {
            Ok(v) if v <= max => Ok(v),
            Ok(v) => Err(format!("{what} {v} is out of range (at most {max})")),
            Err(_) => Err(format!("expected {what} at `{}`", self.rest())),
        }
    }

    /// Seconds with up to six decimals, as microseconds.
    fn seconds(&mut self) -> PResult<u64> {
        let whole = self.uint("seconds", 1 << 32)?;
        let mut micros = whole * 1_000_000;
        if self.rest().starts_with('.') && !self.rest().starts_with("...") {
            self.pos += 1;
            let frac = self.take_while(|c| c.is_ascii_digit());
            if frac.len() > 6 {
                return Err(format!("time `{frac}` has more than microsecond precision"));
            }
            let mut scale = 100_000;
            for d in frac.bytes() {
                micros += u64::from(d - b'0') * scale;
                scale /= 10;
            }
        }
        Ok(micros)
    }

    fn time(&mut self) -> PResult<Time> {
        if self.eat("*") {
            return Ok(Time::Any);
        }
        let relative = self.eat("+");
        let start = self.seconds()?;
        if self.eat("...") {
            let end_relative = self.eat("+");
            let end = self.seconds()?;
            if end_relative != relative || end < start {
                return Err("inconsistent time range".into());
            }
            return Ok(Time::Range { start, end, relative });
        }
        Ok(if relative {
            Time::Relative(start)
        } else {
            Time::Absolute(start)
        })
    }

    fn action(&mut self) -> PResult<Action> {
        self.ws();
        if self.eat("<") {
            return Ok(Action::Inbound(self.packet()?));
        }
        if self.eat(">") {
            return Ok(Action::Outbound(self.packet()?));
        }
        if self.eat("`") {
            let rest = self.rest();
            let end = rest.find('`').ok_or("unterminated backtick command")?;
            self.pos += end + 1;
            return Ok(Action::Command(rest[..end].trim().to_owned()));
        }
        if self.eat("%{") {
            let rest = self.rest();
            let end = rest.find("}%").ok_or("unterminated %{ code }%")?;
            self.pos += end + 2;
            return Ok(Action::Code(rest[..end].trim().to_owned()));
        }
        let name = self.word();
        if name.is_empty() || !self.eat("(") {
            return Err(format!(
                "expected a segment, a command or a system call at `{}`",
                self.rest()
            ));
        }
        Ok(Action::Syscall(self.syscall(name)?))
    }

    fn packet(&mut self) -> PResult<PacketSpec> {
        let letters = self.take_while(|c| !c.is_whitespace());
        let mut flags = 0u8;
        for c in letters.chars() {
            let bit = match c {
                'F' => flag::FIN,
                'S' => flag::SYN,
                'R' => flag::RST,
                'P' => flag::PSH,
                '.' => flag::ACK,
                'U' => flag::URG,
                'E' => flag::ECE,
                'W' => flag::CWR,
                _ => return Err(format!("unknown TCP flag `{c}` in `{letters}`")),
            };
            if flags & bit != 0 {
                return Err(format!("flag `{c}` repeated in `{letters}`"));
            }
            flags |= bit;
        }
        if letters.is_empty() {
            return Err("expected TCP flags".into());
        }
        let seq = if self.eat("...") {
            None
        } else {
            let start = self.uint("sequence number", u32::MAX.into())?;
            self.expect(":")?;
            let end = self.uint("end sequence number", u32::MAX.into())?;
            Some((start as u32, end as u32))
        };
        self.expect("(")?;
        let len = self.uint("payload length", u32::MAX.into())? as u32;
        self.expect(")")?;
        if let Some((start, end)) = seq {
            if end.wrapping_sub(start) != len {
                return Err(format!("{start}:{end} does not span the length {len}"));
            }
        }
        let mut spec = PacketSpec {
            flags,
            seq: seq.map(|s| s.0),
            len,
            ack: None,
            win: None,
            urg: None,
            options: Some(Vec::new()),
        };
        loop {
            match self.peek_word() {
                "ack" => {
                    self.word();
                    spec.ack = Some(self.uint("ack", u32::MAX.into())? as u32);
                }
                "win" => {
                    self.word();
                    spec.win = Some(self.uint("window", u16::MAX.into())? as u16);
                }
                "urg" => {
                    self.word();
                    spec.urg = Some(self.uint("urgent pointer", u16::MAX.into())? as u16);
                }
                _ => break,
            }
        }
        if self.eat("<") {
            if self.eat("...") {
                spec.options = None;
            } else {
                let mut opts = Vec::new();
                loop {
                    opts.push(self.tcp_option()?);
                    if !self.eat(",") {
                        break;
                    }
                }
                spec.options = Some(opts);
            }
            self.expect(">")?;
        }
        Ok(spec)
    }

    fn tcp_option(&mut self) -> PResult<TcpOpt> {
        let name = self.word();
        Ok(match name {
            "nop" => TcpOpt::Nop,
            "eol" => TcpOpt::Eol,
            "sackOK" => TcpOpt::SackPermitted,
            "mss" => TcpOpt::Mss(self.uint("mss", u16::MAX.into())? as u16),
            "wscale" => TcpOpt::WindowScale(self.uint("wscale", u8::MAX.into())? as u8),
            "sack" => {
                let mut blocks = Vec::new();
                while self.rest().trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                    let left = self.uint("SACK left edge", u32::MAX.into())? as u32;
                    self.expect(":")?;
                    let right = self.uint("SACK right edge", u32::MAX.into())? as u32;
                    blocks.push((left, right));
                }
                if blocks.is_empty() || blocks.len() > 4 {
                    return Err(format!("a SACK option holds 1 to 4 blocks, not {}", blocks.len()));
                }
                TcpOpt::Sack(blocks)
            }
            "TS" => {
                if self.word() != "val" {
                    return Err("expected `TS val N ecr N`".into());
                }
                let val = self.uint("TS val", u32::MAX.into())? as u32;
                if self.word() != "ecr" {
                    return Err("expected `TS val N ecr N`".into());
                }
                let ecr = self.uint("TS ecr", u32::MAX.into())? as u32;
                TcpOpt::Timestamp { val, ecr }
            }
            _ => return Err(format!("unknown TCP option `{name}` at `{}`", self.rest())),
        })
    }

    fn syscall(&mut self, name: &str) -> PResult<Syscall> {
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.expr(0)?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        self.expect("=")?;
        let ret = self.expr(0)?;
        let errno = match self.peek_word() {
            w if w.starts_with('E') && w.chars().all(|c| c.is_ascii_uppercase()) => {
                self.word();
                Some(w.to_string())
            }
            _ => None,
        };
        // A parenthesised note such as `(Operation now in progress)` or
        // `(flags O_RDWR)` only documents the result.
        if self.eat("(") {
            let rest = self.rest();
            let end = rest.find(')').ok_or("unterminated note after the result")?;
            self.pos += end + 1;
        }
        Ok(Syscall {
            name: name.to_owned(),
            args,
            ret,
            errno,
        })
    }

    /// An expression; `depth` bounds the nesting of `[...]` lists.
    fn expr(&mut self, depth: usize) -> PResult<Expr> {
        let first = self.primary(depth)?;
        if !self.rest().trim_start().starts_with('|') {
            return Ok(first);
        }
        let mut terms = alloc::vec![first];
        while self.eat("|") {
            terms.push(self.primary(depth)?);
        }
        Ok(Expr::Or(terms))
    }

    fn primary(&mut self, depth: usize) -> PResult<Expr> {
        if depth > 8 {
            return Err("expression nested too deeply".into());
        }
        if self.eat("...") {
            return Ok(Expr::Ellipsis);
        }
        if self.eat("[") {
            let mut items = Vec::new();
            if !self.eat("]") {
                loop {
                    items.push(self.expr(depth + 1)?);
                    if self.eat("]") {
                        break;
                    }
                    self.expect(",")?;
                }
            }
            return Ok(Expr::List(items));
        }
        if self.eat("\"") {
            let rest = self.rest();
            let end = rest.find('"').ok_or("unterminated string")?;
            self.pos += end + 1;
            return Ok(Expr::Str(rest[..end].to_owned()));
        }
        let negative = self.eat("-");
        let token = self.word();
        if token.is_empty() {
            return Err(format!("expected an expression at `{}`", self.rest()));
        }
        let parsed = if let Some(hex) = token.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()
        } else if token.starts_with(|c: char| c.is_ascii_digit()) {
            token.parse::<i64>().ok()
        } else if negative {
            return Err(format!("`-` before the symbol `{token}`"));
        } else {
            return Ok(Expr::Symbol(token.to_owned()));
        };
        let value = parsed.ok_or_else(|| format!("bad integer `{token}`"))?;
        Ok(Expr::Int(if negative { -value } else { value }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Event {
        let script = parse(line, &[]).unwrap();
        assert_eq!(script.events.len(), 1);
        script.events[0].clone()
    }

    #[test]
    fn times() {
        assert_eq!(one("0.1 close(3) = 0").time, Time::Absolute(100_000));
        assert_eq!(one("+ 0.000001 close(3) = 0").time, Time::Relative(1));
        assert_eq!(one("* > S 0:0(0)").time, Time::Any);
        assert_eq!(
            one(" 1.00...6.00 connect(3, ..., ...) = -1 ETIMEDOUT (Operation timed out)").time,
            Time::Range {
                start: 1_000_000,
                end: 6_000_000,
                relative: false
            }
        );
        assert!(parse("0.1234567 close(3) = 0", &[]).is_err());
        assert!(parse("2.0...1.0 close(3) = 0", &[]).is_err());
    }

    #[test]
    fn segments() {
        let e = one("+0.00 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,eol,eol>");
        let Action::Outbound(p) = e.action else {
            panic!("not outbound")
        };
        assert_eq!(p.flags, flag::SYN | flag::ACK);
        assert_eq!((p.seq, p.len, p.ack, p.win), (Some(0), 0, Some(1), Some(65535)));
        assert_eq!(
            p.options,
            Some(vec![TcpOpt::Mss(1460), TcpOpt::SackPermitted, TcpOpt::Eol, TcpOpt::Eol])
        );
        let e = one("+0 < . 1:100(99) ack 1 win 5 <nop,nop,sack 200:300 400:500,TS val 7 ecr 9>");
        let Action::Inbound(p) = e.action else {
            panic!("not inbound")
        };
        assert_eq!(
            p.options.unwrap()[2..],
            [
                TcpOpt::Sack(vec![(200, 300), (400, 500)]),
                TcpOpt::Timestamp { val: 7, ecr: 9 }
            ]
        );
        let Action::Outbound(p) = one("* > SEW ...(0) win 1 <...>").action else {
            panic!()
        };
        assert_eq!(
            (p.seq, p.options, p.flags),
            (None, None, flag::SYN | flag::ECE | flag::CWR)
        );
        assert!(parse("+0 < S 0:5(0) win 1", &[]).is_err(), "length mismatch");
        assert!(parse("+0 < X 0:0(0)", &[]).is_err(), "bad flag");
        assert!(parse("+0 < S 0:0(0) win 70000", &[]).is_err(), "window too big");
        assert!(parse("+0 < S 0:0(0) <bogus 1>", &[]).is_err(), "bad option");
    }

    #[test]
    fn syscalls_and_commands() {
        let Action::Syscall(c) = one("+0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0").action else {
            panic!()
        };
        assert_eq!(c.name, "fcntl");
        assert_eq!(
            c.args[2],
            Expr::Or(vec![Expr::Symbol("O_RDWR".into()), Expr::Symbol("O_NONBLOCK".into())])
        );
        let Action::Syscall(c) = one("+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)").action
        else {
            panic!()
        };
        assert_eq!((c.ret, c.errno.as_deref()), (Expr::Int(-1), Some("EINPROGRESS")));
        let Action::Syscall(c) = one("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0").action else {
            panic!()
        };
        assert_eq!(c.args[3], Expr::List(vec![Expr::Symbol("ECONNRESET".into())]));
        assert_eq!(one("+0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)").action, {
            Action::Syscall(Syscall {
                name: "fcntl".into(),
                args: vec![Expr::Int(3), Expr::Symbol("F_GETFL".into())],
                ret: Expr::Int(2),
                errno: None,
            })
        });
        assert_eq!(
            one("+0 `sysctl -w a.b=1` // note").action,
            Action::Command("sysctl -w a.b=1".into())
        );
        assert_eq!(
            one("+0 %{ assert tcpi_state == TCPI_ESTABLISHED }%").action,
            Action::Code("assert tcpi_state == TCPI_ESTABLISHED".into())
        );
        assert!(parse("+0 close(3) = ", &[]).is_err());
        assert!(parse("+0 close(3 = 0", &[]).is_err());
    }

    #[test]
    fn damaged_lines_are_errors_not_panics() {
        let lines = [
            "+0.10 < S. 0:0(0) ack 1 win 32767 <mss 1460,sackOK,nop,nop,sack 1:2 3:4,TS val 1 ecr 2,wscale 7>",
            "1.00...6.00 connect(3, ..., ...) = -1 ETIMEDOUT (Operation timed out)",
            "+0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0 // done",
            "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [[[4]]]) = 0",
            "+0 `sysctl -w net.inet.tcp.sack.enable=1` %{ x }%",
            "99999999999999999999.9 < S 4294967295:4294967296(1) win 65536",
            "+0 read(-9223372036854775808, \"x\", 0x7fffffffffffffff) = -0x1",
        ];
        for line in lines {
            for end in 0..=line.len() {
                let _ = parse(&line[..end], &[]);
                let _ = parse(&line[end..], &[]);
            }
        }
        // Nesting is bounded.
        let deep = format!("+0 f({}1{}) = 0", "[".repeat(100), "]".repeat(100));
        assert!(parse(&deep, &[]).is_err());
    }

    #[test]
    fn options_and_ifdef() {
        let text = "--ip_version=ipv4\n#ifdef A\n+0 close(3) = 0\n#else\n+0 close(4) = 0\n#endif\n";
        let a = parse(text, &["A"]).unwrap();
        assert_eq!(a.options, vec![("ip_version".into(), "ipv4".into())]);
        assert_eq!(a.events.len(), 1);
        assert_eq!(a.events[0].line, 3);
        let b = parse(text, &[]).unwrap();
        assert_eq!(b.events[0].line, 5);
        assert!(parse("#ifdef A\n", &[]).is_err());
        assert!(parse("#endif\n", &[]).is_err());
    }
}
