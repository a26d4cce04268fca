//! The copy-saving calls of `netspec::tcp::Connection`:
//! `poll_transmit_segment` (header and payload written straight into the
//! caller's frame) must send exactly the bytes `poll_transmit` plus
//! `TcpHeader::emit` would, and `readable` + `consume` must deliver exactly
//! the bytes `recv` would, through loss, SACK recovery, retransmission
//! timeouts and ring wrap-around.

use std::time::Duration;

use netspec::tcp::{Config, Connection, Instant, MAX_TCP_HEADER, State};
use netspec::transport::tcp::{TcpSegment, fill_checksum_v4};
use std::net::Ipv4Addr;

const MSS: usize = 1460;

/// Two copies of the same client/server pair, driven with the same inputs:
/// `x` sends with `poll_transmit` and reads with `recv`, `y` sends with
/// `poll_transmit_segment` and reads with `readable` + `consume`.
struct Twins {
    x: [Connection; 2],
    y: [Connection; 2],
    now: Instant,
    /// Segments offered to the link so far (drives the loss pattern).
    sent: usize,
}

impl Twins {
    fn new(cfg: Config) -> Self {
        let mut server = Connection::new(cfg.clone(), 80);
        server.accept_isn(0x2000_0000);
        server.listen().unwrap();
        let mut client = Connection::new(cfg, 40000);
        client.connect(Instant::ZERO, 80, 0x1000_0000).unwrap();
        Twins {
            x: [client.clone(), server.clone()],
            y: [client, server],
            now: Instant::ZERO,
            sent: 0,
        }
    }

    /// Move every segment connection `from` has now to the other one,
    /// dropping those `lose` picks; checks both paths send the same bytes.
    /// Returns whether anything was sent.
    fn flush(&mut self, from: usize, lose: &dyn Fn(usize, usize) -> bool) -> bool {
        let to = 1 - from;
        let mut any = false;
        loop {
            let mut payload = [0u8; MSS];
            let mut wire_x = [0u8; MAX_TCP_HEADER + MSS];
            let mut wire_y = [0u8; MAX_TCP_HEADER + MSS];
            let tx = self.x[from].poll_transmit(self.now, &mut payload);
            let ty = self.y[from].poll_transmit_segment(self.now, &mut wire_y);
            assert_eq!(tx, ty, "segment {}", self.sent);
            let Some(t) = tx else { break };
            let h = t.header.emit(&mut wire_x).unwrap();
            wire_x[h..h + t.payload_len].copy_from_slice(&payload[..t.payload_len]);
            let n = h + t.payload_len;
            assert_eq!(wire_x[..n], wire_y[..n], "segment {} bytes", self.sent);
            any = true;
            self.sent += 1;
            if lose(self.sent, t.payload_len) {
                continue;
            }
            let (src, dst) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
            fill_checksum_v4(&mut wire_y[..n], src, dst).unwrap();
            let seg = TcpSegment::parse(&wire_y[..n]).unwrap();
            assert!(seg.verify_checksum_v4(src, dst));
            self.x[to].on_segment(self.now, &seg);
            self.y[to].on_segment(self.now, &seg);
        }
        any
    }

    /// Read up to `chunk` bytes from both servers, `recv` against
    /// `readable` + `consume`, and append them to `out`.
    fn read(&mut self, chunk: usize, out: &mut Vec<u8>) -> bool {
        let view = self.y[1].readable();
        let k = view.len().min(chunk);
        if k == 0 {
            return false;
        }
        let mut buf = vec![0u8; k];
        assert_eq!(self.x[1].recv(&mut buf), Ok(k));
        assert_eq!(&view[..k], &buf[..]);
        out.extend_from_slice(&buf);
        assert_eq!(self.y[1].consume(k), k);
        true
    }

    /// Jump to the earliest timer of either pair and fire it.
    fn tick(&mut self) {
        let next = self.x.iter().filter_map(|c| c.poll_timeout()).min().expect("a timer");
        assert_eq!(next, self.y.iter().filter_map(|c| c.poll_timeout()).min().unwrap());
        self.now = self.now.max(next);
        for c in self.x.iter_mut().chain(self.y.iter_mut()) {
            c.on_timeout(self.now);
        }
    }
}

/// Send `data` from client to server through `Twins` with the loss
/// pattern `lose` and read chunk size `chunk`; returns what arrived.
fn transfer(cfg: Config, data: &[u8], chunk: usize, lose: &dyn Fn(usize, usize) -> bool) -> Vec<u8> {
    let mut t = Twins::new(cfg);
    let (mut sent, mut closed, mut out) = (0, false, Vec::new());
    let limit = Instant::ZERO + Duration::from_secs(3600);
    while t.now < limit {
        let mut busy = t.flush(0, lose);
        busy |= t.flush(1, lose);
        while sent < data.len() {
            let n = t.x[0].send(&data[sent..]).unwrap_or(0);
            assert_eq!(t.y[0].send(&data[sent..]).unwrap_or(0), n);
            if n == 0 {
                break;
            }
            sent += n;
            busy = true;
        }
        if sent == data.len() && !closed {
            t.x[0].close(t.now);
            t.y[0].close(t.now);
            closed = true;
            busy = true;
        }
        while t.read(chunk, &mut out) {
            busy = true;
        }
        if t.y[1].peer_closed() && t.y[1].readable().is_empty() {
            assert_eq!(t.x[1].recv(&mut [0u8; 8]), Ok(0));
            break;
        }
        if !busy {
            t.tick();
        }
    }
    for (x, y) in t.x.iter().zip(&t.y) {
        assert_eq!(x.state(), y.state());
        assert_eq!(x.stats(), y.stats());
    }
    assert_eq!(t.y[1].state(), State::CloseWait);
    out
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[test]
fn lossless_transfer_matches() {
    let d = data(300_000);
    // A read size that does not divide the ring makes the view wrap.
    assert_eq!(transfer(Config::default(), &d, 1000, &|_, _| false), d);
}

#[test]
fn lossy_transfer_with_sack_matches() {
    let d = data(200_000);
    // Lose some data segments: out-of-order data, SACK blocks of varying
    // count in the ACKs, fast retransmits and hole retransmissions.
    let lose = |i: usize, len: usize| len > 0 && (i % 13 == 4 || i % 29 == 7 || i % 31 == 8);
    assert_eq!(transfer(Config::default(), &d, 4096, &lose), d);
}

#[test]
fn lossy_transfer_without_options_matches() {
    let d = data(100_000);
    let cfg = Config {
        timestamps: false,
        sack: false,
        window_scaling: false,
        ..Config::default()
    };
    // Every 9th segment of any kind, ACKs included, is lost.
    assert_eq!(transfer(cfg, &d, 3000, &|i, _| i % 9 == 0), d);
}

#[test]
fn lossy_transfer_freebsd_profile_matches() {
    let d = data(100_000);
    let lose = |i: usize, len: usize| len > 0 && i % 17 == 3;
    assert_eq!(transfer(Config::freebsd(), &d, 777, &lose), d);
}

#[test]
fn small_buffers() {
    let mut c = Connection::new(Config::default(), 40000);
    c.connect(Instant::ZERO, 80, 1000).unwrap();
    // Too small for the largest header: nothing is taken.
    assert_eq!(
        c.poll_transmit_segment(Instant::ZERO, &mut [0u8; MAX_TCP_HEADER - 1]),
        None
    );
    let mut buf = [0u8; MAX_TCP_HEADER];
    let t = c
        .poll_transmit_segment(Instant::ZERO, &mut buf)
        .expect("the SYN is still due");
    let seg = TcpSegment::parse(&buf[..t.header.header_len()]).unwrap();
    assert_eq!(seg.seq(), 1000);
    assert_eq!(seg.to_header(), t.header);
}

#[test]
fn segment_buffer_bounds_the_payload() {
    // A buffer shorter than header + MSS makes smaller segments, each
    // fitting the buffer.
    let mut t = Twins::new(Config::default());
    t.flush(0, &|_, _| false);
    t.flush(1, &|_, _| false);
    t.flush(0, &|_, _| false);
    let c = &mut t.y[0];
    assert_eq!(c.state(), State::Established);
    assert_eq!(c.send(&data(5000)), Ok(5000));
    let mut buf = [0u8; 200];
    let mut total = 0;
    while let Some(tx) = c.poll_transmit_segment(t.now, &mut buf) {
        let n = tx.header.header_len() + tx.payload_len;
        assert!(n <= buf.len());
        let seg = TcpSegment::parse(&buf[..n]).unwrap();
        assert_eq!(seg.payload(), &data(5000)[total..total + tx.payload_len]);
        total += tx.payload_len;
    }
    assert!(total > 0);
}

/// Send `data` with the server reading through `on_segment_direct`, whose
/// reader takes `take(n)` of each `n` bytes offered (the rest stays
/// buffered and is read with `recv`), losing the segments `lose` picks.
/// Returns the stream as read and how many bytes went each way.
fn direct_transfer(
    data: &[u8],
    take: &dyn Fn(usize) -> usize,
    lose: &dyn Fn(usize, usize) -> bool,
) -> (Vec<u8>, usize, usize) {
    let cfg = Config::default();
    let mut server = Connection::new(cfg.clone(), 80);
    server.listen().unwrap();
    let mut client = Connection::new(cfg, 40000);
    let mut now = Instant::ZERO;
    client.connect(now, 80, 7).unwrap();
    let (mut out, mut direct, mut buffered) = (Vec::new(), 0, 0);
    let (mut sent, mut count, mut closed) = (0, 0, false);
    let mut wire = [0u8; MAX_TCP_HEADER + MSS];
    let limit = Instant::ZERO + Duration::from_secs(3600);
    while now < limit {
        let mut busy = false;
        for dir in 0..2 {
            let (from, to) = if dir == 0 {
                (&mut client, &mut server)
            } else {
                (&mut server, &mut client)
            };
            while let Some(t) = from.poll_transmit_segment(now, &mut wire) {
                busy = true;
                count += 1;
                if lose(count, t.payload_len) {
                    continue;
                }
                let seg = TcpSegment::parse(&wire[..t.header.header_len() + t.payload_len]).unwrap();
                to.on_segment_direct(now, &seg, &mut |p| {
                    // Only the server receives data; offers are never empty.
                    assert!(dir == 0 && !p.is_empty());
                    let k = take(p.len()).min(p.len());
                    out.extend_from_slice(&p[..k]);
                    direct += k;
                    // Claiming more than offered is clipped.
                    k + usize::from(k == p.len())
                });
            }
        }
        let n = client.send(&data[sent..]).unwrap_or(0);
        sent += n;
        busy |= n > 0;
        if sent == data.len() && !closed {
            client.close(now);
            closed = true;
        }
        let mut buf = [0u8; 3000];
        while let Ok(n @ 1..) = server.recv(&mut buf) {
            out.extend_from_slice(&buf[..n]);
            buffered += n;
            busy = true;
        }
        if server.peer_closed() && server.readable().is_empty() {
            break;
        }
        if !busy {
            now = [client.poll_timeout(), server.poll_timeout()]
                .into_iter()
                .flatten()
                .min()
                .expect("a timer")
                .max(now);
            client.on_timeout(now);
            server.on_timeout(now);
        }
    }
    (out, direct, buffered)
}

#[test]
fn direct_delivery_lossless() {
    let d = data(200_000);
    let (out, direct, buffered) = direct_transfer(&d, &|n| n, &|_, _| false);
    assert_eq!(out, d);
    assert_eq!((direct, buffered), (d.len(), 0));
}

#[test]
fn direct_delivery_partial_takes() {
    let d = data(150_000);
    // The reader takes a third of each offer: the rest is buffered, and
    // later segments wait behind it (offered nothing) until it is read.
    let (out, direct, buffered) = direct_transfer(&d, &|n| n / 3, &|_, _| false);
    assert_eq!(out, d);
    assert!(direct > 0 && buffered > 0);
}

#[test]
fn direct_delivery_with_loss() {
    let d = data(150_000);
    // Out-of-order data is buffered; the segment filling the hole is
    // buffered too, so the stream stays in order.
    let lose = |i: usize, len: usize| len > 0 && (i % 11 == 3 || i % 23 == 5);
    let (out, direct, buffered) = direct_transfer(&d, &|n| n, &lose);
    assert_eq!(out, d);
    assert!(direct > 0 && buffered > 0);
}
