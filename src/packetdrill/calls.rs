//! Decoding a script's system call lines (`socket`, `bind`, `read`,
//! `setsockopt`, …) into the [`Call`]s a [`Stack`](super::stack::Stack)
//! performs, with FreeBSD's values for the flag symbols the scripts use.

use alloc::format;
use alloc::string::String;

use super::ast::{Expr, Syscall};
use super::stack::Call;

fn int(e: Option<&Expr>, what: &str) -> Result<i64, String> {
    match e {
        Some(Expr::Int(v)) => Ok(*v),
        Some(Expr::List(items)) if items.len() == 1 => int(items.first(), what),
        other => Err(format!("{what} `{other:?}`")),
    }
}

fn symbol<'e>(e: Option<&'e Expr>, what: &str) -> Result<&'e str, String> {
    match e {
        Some(Expr::Symbol(s)) => Ok(s),
        other => Err(format!("{what} `{other:?}`")),
    }
}

pub(super) fn call_fd(call: &Call) -> Option<i64> {
    match call {
        Call::Socket => None,
        Call::Bind(fd)
        | Call::Listen(fd, _)
        | Call::Accept(fd)
        | Call::Connect(fd)
        | Call::Close(fd)
        | Call::Shutdown(fd, _)
        | Call::Recv { fd, .. }
        | Call::Send { fd, .. }
        | Call::SetSockOpt { fd, .. }
        | Call::GetSockOpt { fd, .. }
        | Call::GetFlags(fd)
        | Call::SetFlags(fd, _) => Some(*fd),
    }
}

/// Flag symbols the scripts use, with FreeBSD's values.
fn flag_value(e: &Expr) -> Result<i64, String> {
    match e {
        Expr::Int(v) => Ok(*v),
        Expr::Symbol(s) => match s.as_str() {
            "O_RDONLY" => Ok(0),
            "O_WRONLY" => Ok(1),
            "O_RDWR" => Ok(2),
            "O_NONBLOCK" => Ok(4),
            "MSG_PEEK" => Ok(2),
            "MSG_DONTWAIT" => Ok(0x80),
            "SHUT_RD" => Ok(0),
            "SHUT_WR" => Ok(1),
            "SHUT_RDWR" => Ok(2),
            _ => Err(format!("flag `{s}`")),
        },
        Expr::Or(items) => items.iter().try_fold(0, |acc, i| Ok(acc | flag_value(i)?)),
        other => Err(format!("flag expression `{other:?}`")),
    }
}

/// Turns a system call line into a [`Call`]; `Err` names what is not
/// supported.
pub(super) fn decode_call(sc: &Syscall) -> Result<Call, String> {
    let a = &sc.args;
    let fd = || int(a.first(), "file descriptor");
    Ok(match sc.name.as_str() {
        "socket" => match (a.get(1), a.get(2)) {
            (Some(Expr::Symbol(t)), Some(Expr::Symbol(p))) if t == "SOCK_STREAM" && p == "IPPROTO_TCP" => Call::Socket,
            _ => return Err("a socket other than SOCK_STREAM/IPPROTO_TCP".into()),
        },
        "bind" => Call::Bind(fd()?),
        "listen" => Call::Listen(fd()?, int(a.get(1), "backlog")?),
        "accept" => Call::Accept(fd()?),
        "connect" => Call::Connect(fd()?),
        "close" => Call::Close(fd()?),
        "shutdown" => Call::Shutdown(fd()?, flag_value(a.get(1).ok_or("shutdown without `how`")?)?),
        "read" | "recv" => {
            let flags = match a.get(3) {
                Some(e) => flag_value(e)?,
                None => 0,
            };
            if flags & !2 != 0 {
                return Err(format!("recv flags {flags:#x}"));
            }
            let len = int(a.get(2), "length")?;
            Call::Recv {
                fd: fd()?,
                len: usize::try_from(len).map_err(|_| "negative length")?,
                peek: flags & 2 != 0,
            }
        }
        "write" | "send" => {
            if let Some(e) = a.get(3) {
                if flag_value(e)? != 0 {
                    return Err("send flags".into());
                }
            }
            let len = int(a.get(2), "length")?;
            Call::Send {
                fd: fd()?,
                len: usize::try_from(len).map_err(|_| "negative length")?,
            }
        }
        "setsockopt" => Call::SetSockOpt {
            fd: fd()?,
            name: symbol(a.get(2), "option")?.into(),
            value: int(a.get(3), "value")?,
        },
        "getsockopt" => Call::GetSockOpt {
            fd: fd()?,
            name: symbol(a.get(2), "option")?.into(),
        },
        "fcntl" => match symbol(a.get(1), "fcntl command")? {
            "F_GETFL" => Call::GetFlags(fd()?),
            "F_SETFL" => Call::SetFlags(fd()?, flag_value(a.get(2).ok_or("F_SETFL without flags")?)?),
            other => return Err(format!("fcntl {other}")),
        },
        other => return Err(format!("system call `{other}`")),
    })
}
