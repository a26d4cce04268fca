//! The connection state diagram of RFC 9293 §3.3.2, Figure 5, as data.
//!
//! ```text
//!                             +---------+ ---------\      active OPEN
//!                             |  CLOSED |            \    -----------
//!                             +---------+<---------\   \   create TCB
//!                               |     ^              \   \  snd SYN
//!                  passive OPEN |     |   CLOSE        \   \
//!                  ------------ |     | ----------       \   \
//!                   create TCB  |     | delete TCB         \   \
//!                               V     |                      \   \
//!           rcv RST (note 1)  +---------+            CLOSE    |    \
//!        -------------------->|  LISTEN |          ---------- |     |
//!       /                     +---------+          delete TCB |     |
//!      /           rcv SYN      |     |     SEND              |     |
//!     /           -----------   |     |    -------            |     V
//! +--------+      snd SYN,ACK  /       \   snd SYN          +--------+
//! |        |<-----------------           ------------------>|        |
//! |  SYN   |                    rcv SYN                     |  SYN   |
//! |  RCVD  |<-----------------------------------------------|  SENT  |
//! |        |                  snd SYN,ACK                   |        |
//! |        |------------------           -------------------|        |
//! +--------+   rcv ACK of SYN  \       /  rcv SYN,ACK       +--------+
//!    |         --------------   |     |   -----------
//!    |                x         |     |     snd ACK
//!    |                          V     V
//!    |  CLOSE                 +---------+
//!    | -------                |  ESTAB  |
//!    | snd FIN                +---------+
//!    |                 CLOSE    |     |    rcv FIN
//!    V                -------   |     |    -------
//! +---------+         snd FIN  /       \   snd ACK         +---------+
//! |  FIN    |<----------------          ------------------>|  CLOSE  |
//! | WAIT-1  |------------------                            |   WAIT  |
//! +---------+          rcv FIN  \                          +---------+
//!   | rcv ACK of FIN   -------   |                          CLOSE  |
//!   | --------------   snd ACK   |                         ------- |
//!   V        x                   V                         snd FIN V
//! +---------+               +---------+                    +---------+
//! |FINWAIT-2|               | CLOSING |                    | LAST-ACK|
//! +---------+               +---------+                    +---------+
//!   |              rcv ACK of FIN |                 rcv ACK of FIN |
//!   |  rcv FIN     -------------- |    Timeout=2MSL -------------- |
//!   |  -------            x       V    ------------        x       V
//!    \ snd ACK              +---------+delete TCB          +---------+
//!      -------------------->|TIME-WAIT|------------------->| CLOSED  |
//!                           +---------+                    +---------+
//! ```
//!
//! The figure leaves out the error paths that the text adds (a reset, an
//! abort, a retransmission or user timeout take any state to CLOSED) and
//! the FIN-WAIT-1 → TIME-WAIT shortcut when one segment carries both the
//! peer's FIN and the ACK of ours (§3.10.7.4, "eighth, check the FIN bit").
//! [`EDGES`] lists them all, each with its cause; a connection only ever
//! makes a transition found in this table ([`is_edge`]), which the
//! property tests check. With RFC 5961 off, an in-window SYN resets a
//! synchronized connection (`RcvSyn` to CLOSED, RFC 793 behaviour); in
//! SYN-RECEIVED from a passive OPEN it returns the TCB to LISTEN
//! (§3.10.7.4 fourth check). The LISTEN → SYN-SENT edge (SEND on a passive
//! connection with a known foreign socket) is not offered: netspec's
//! `listen` takes no foreign socket.

use super::State;
use super::State::*;

/// Why a connection changed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The user's passive OPEN (`listen`).
    PassiveOpen,
    /// The user's active OPEN (`connect`): a SYN goes out.
    ActiveOpen,
    /// A SYN arrived (in LISTEN, or in SYN-SENT for a simultaneous open).
    RcvSyn,
    /// A SYN,ACK acknowledging our SYN arrived in SYN-SENT.
    RcvSynAck,
    /// An ACK of our SYN arrived in SYN-RECEIVED.
    RcvAckOfSyn,
    /// The user's CLOSE: a FIN is queued (or the TCB deleted).
    Close,
    /// A FIN arrived.
    RcvFin,
    /// The ACK of our FIN arrived.
    RcvAckOfFin,
    /// A FIN arrived together with the ACK of our FIN.
    RcvFinAckOfFin,
    /// The 2·MSL TIME-WAIT timer expired.
    TimeWaitExpired,
    /// An acceptable RST arrived.
    RcvRst,
    /// The user's ABORT.
    Abort,
    /// R2 retransmissions (or the connect timeout) passed without answer.
    RetransmitTimeout,
    /// The USER TIMEOUT expired.
    UserTimeout,
}

/// Every transition a connection can make: `(from, to, cause)`.
pub const EDGES: &[(State, State, Cause)] = &[
    (Closed, Listen, Cause::PassiveOpen),
    (Closed, SynSent, Cause::ActiveOpen),
    (Listen, SynReceived, Cause::RcvSyn),
    (Listen, Closed, Cause::Close),
    (Listen, Closed, Cause::Abort),
    (SynSent, SynReceived, Cause::RcvSyn),
    (SynSent, Established, Cause::RcvSynAck),
    (SynSent, Closed, Cause::Close),
    (SynSent, Closed, Cause::Abort),
    (SynSent, Closed, Cause::RcvRst),
    (SynSent, Closed, Cause::RetransmitTimeout),
    (SynSent, Closed, Cause::UserTimeout),
    (SynReceived, Established, Cause::RcvAckOfSyn),
    (SynReceived, FinWait1, Cause::Close),
    (SynReceived, Listen, Cause::RcvRst),
    (SynReceived, Listen, Cause::RcvSyn),
    (SynReceived, Closed, Cause::RcvSyn),
    (SynReceived, Closed, Cause::RcvRst),
    (SynReceived, Closed, Cause::Abort),
    (SynReceived, Closed, Cause::RetransmitTimeout),
    (SynReceived, Closed, Cause::UserTimeout),
    (Established, FinWait1, Cause::Close),
    (Established, CloseWait, Cause::RcvFin),
    (Established, Closed, Cause::RcvRst),
    (Established, Closed, Cause::RcvSyn),
    (Established, Closed, Cause::Abort),
    (Established, Closed, Cause::RetransmitTimeout),
    (Established, Closed, Cause::UserTimeout),
    (FinWait1, FinWait2, Cause::RcvAckOfFin),
    (FinWait1, Closing, Cause::RcvFin),
    (FinWait1, TimeWait, Cause::RcvFinAckOfFin),
    (FinWait1, Closed, Cause::RcvRst),
    (FinWait1, Closed, Cause::RcvSyn),
    (FinWait1, Closed, Cause::Abort),
    (FinWait1, Closed, Cause::RetransmitTimeout),
    (FinWait1, Closed, Cause::UserTimeout),
    (FinWait2, TimeWait, Cause::RcvFin),
    (FinWait2, Closed, Cause::RcvRst),
    (FinWait2, Closed, Cause::RcvSyn),
    (FinWait2, Closed, Cause::Abort),
    (CloseWait, LastAck, Cause::Close),
    (CloseWait, Closed, Cause::RcvRst),
    (CloseWait, Closed, Cause::RcvSyn),
    (CloseWait, Closed, Cause::Abort),
    (CloseWait, Closed, Cause::RetransmitTimeout),
    (CloseWait, Closed, Cause::UserTimeout),
    (Closing, TimeWait, Cause::RcvAckOfFin),
    (Closing, Closed, Cause::RcvRst),
    (Closing, Closed, Cause::RcvSyn),
    (Closing, Closed, Cause::Abort),
    (Closing, Closed, Cause::RetransmitTimeout),
    (Closing, Closed, Cause::UserTimeout),
    (LastAck, Closed, Cause::RcvAckOfFin),
    (LastAck, Closed, Cause::RcvRst),
    (LastAck, Closed, Cause::RcvSyn),
    (LastAck, Closed, Cause::Abort),
    (LastAck, Closed, Cause::RetransmitTimeout),
    (LastAck, Closed, Cause::UserTimeout),
    (TimeWait, Closed, Cause::TimeWaitExpired),
    (TimeWait, Closed, Cause::RcvRst),
    (TimeWait, Closed, Cause::RcvSyn),
    (TimeWait, Closed, Cause::Abort),
];

/// Whether `from → to` for `cause` is in [`EDGES`].
pub fn is_edge(from: State, to: State, cause: Cause) -> bool {
    EDGES.iter().any(|&(f, t, c)| f == from && t == to && c == cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_no_self_loops() {
        for (i, a) in EDGES.iter().enumerate() {
            assert_ne!(a.0, a.1);
            assert!(!EDGES[i + 1..].contains(a), "{a:?} listed twice");
        }
        assert!(is_edge(Closed, Listen, Cause::PassiveOpen));
        assert!(!is_edge(Listen, Established, Cause::RcvAckOfSyn));
    }
}
