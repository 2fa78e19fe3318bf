//! A bad network on one machine: a UDP relay between participants and the host that
//! delays every datagram by a random time and drops some, for the tests and benches
//! of what latency and loss do to a session (127.0.0.1 only, no privileges needed,
//! unlike `tc netem`).
//!
//! Participants dial the relay's address instead of the host's; the relay opens one
//! socket towards the host for each participant, so the host sees them apart as it
//! would on a real network. Each datagram, either way, is dropped with probability
//! `loss`, or else delivered after a delay drawn uniformly from `delay` (so later
//! datagrams may overtake earlier ones, as on the internet). The draws come from a
//! seeded generator: a run's drops are the same for the same traffic.
//!
//! The host must accept tokens naming the relay's address (its public address, see
//! [`crate::host::listen`]).

use std::collections::BinaryHeap;
use std::net::{SocketAddr, UdpSocket};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the link does to each datagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Impairment {
    /// One-way delay, drawn uniformly from this range for each datagram.
    pub delay: Range<Duration>,
    /// The share of datagrams dropped (0 to 1), each way.
    pub loss: f64,
    /// The seed of the draws.
    pub seed: u64,
}

impl Impairment {
    /// A perfect link (the relay only forwards).
    pub fn none() -> Self {
        Self {
            delay: Duration::ZERO..Duration::ZERO,
            loss: 0.0,
            seed: 1,
        }
    }
}

/// Counts of what crossed the link, each way.
#[derive(Debug, Default)]
pub struct LinkCounts {
    /// Datagrams and bytes from participants to the host (delivered).
    pub up_packets: AtomicU64,
    pub up_bytes: AtomicU64,
    /// Datagrams and bytes from the host to participants (delivered).
    pub down_packets: AtomicU64,
    pub down_bytes: AtomicU64,
    /// Datagrams dropped, either way.
    pub dropped: AtomicU64,
}

/// The running relay; dropping it stops it.
pub struct LossyLink {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    counts: Arc<LinkCounts>,
    thread: Option<JoinHandle<()>>,
}

impl LossyLink {
    /// Starts a relay on a free port of 127.0.0.1 towards `host`.
    pub fn start(host: SocketAddr, impairment: Impairment) -> std::io::Result<Self> {
        let outside = UdpSocket::bind("127.0.0.1:0")?;
        outside.set_nonblocking(true)?;
        let addr = outside.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(LinkCounts::default());
        let relay = Relay {
            outside,
            host,
            towards_host: Vec::new(),
            in_flight: BinaryHeap::new(),
            draws: Draws::new(impairment.seed),
            impairment,
            counts: Arc::clone(&counts),
            sequence: 0,
        };
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("lossy link".into())
            .spawn(move || relay.run(&stopping))?;
        Ok(Self {
            addr,
            stop,
            counts,
            thread: Some(thread),
        })
    }

    /// The address participants dial.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What crossed so far.
    pub fn counts(&self) -> &LinkCounts {
        &self.counts
    }
}

impl Drop for LossyLink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Which way a datagram goes: to the host (from the participant at `from`) or to
/// the participant at `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    Up { from: SocketAddr },
    Down { to: SocketAddr },
}

/// A datagram on its way, ordered by when it arrives (earliest first in the heap).
#[derive(Debug, PartialEq, Eq)]
struct InFlight {
    at: Instant,
    sequence: u64,
    way: Way,
    bytes: Vec<u8>,
}

impl Ord for InFlight {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.sequence).cmp(&(self.at, self.sequence))
    }
}

impl PartialOrd for InFlight {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

struct Relay {
    outside: UdpSocket,
    host: SocketAddr,
    /// For each participant seen: its address and the socket that speaks for it to
    /// the host.
    towards_host: Vec<(SocketAddr, UdpSocket)>,
    in_flight: BinaryHeap<InFlight>,
    draws: Draws,
    impairment: Impairment,
    counts: Arc<LinkCounts>,
    sequence: u64,
}

impl Relay {
    fn run(mut self, stop: &AtomicBool) {
        let mut buf = vec![0u8; 2048];
        while !stop.load(Ordering::Relaxed) {
            let mut busy = false;
            while let Ok((n, from)) = self.outside.recv_from(&mut buf) {
                busy = true;
                let bytes = buf[..n].to_vec();
                self.admit(Way::Up { from }, bytes);
            }
            for i in 0..self.towards_host.len() {
                let to = self.towards_host[i].0;
                while let Ok(n) = self.towards_host[i].1.recv(&mut buf) {
                    busy = true;
                    let bytes = buf[..n].to_vec();
                    self.admit(Way::Down { to }, bytes);
                }
            }
            let now = Instant::now();
            while self.in_flight.peek().is_some_and(|p| p.at <= now) {
                let p = self.in_flight.pop().expect("peeked");
                busy = true;
                self.deliver(p);
            }
            if !busy {
                std::thread::sleep(Duration::from_micros(500));
            }
        }
    }

    /// A datagram enters the link: dropped, or on its way.
    fn admit(&mut self, way: Way, bytes: Vec<u8>) {
        if self.draws.chance() < self.impairment.loss {
            self.counts.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let Range { start, end } = self.impairment.delay;
        let delay = start + end.saturating_sub(start).mul_f64(self.draws.chance());
        self.sequence += 1;
        self.in_flight.push(InFlight {
            at: Instant::now() + delay,
            sequence: self.sequence,
            way,
            bytes,
        });
    }

    fn deliver(&mut self, p: InFlight) {
        match p.way {
            Way::Up { from } => {
                let Some(socket) = self.socket_for(from) else {
                    return;
                };
                if socket.send(&p.bytes).is_ok() {
                    self.counts.up_packets.fetch_add(1, Ordering::Relaxed);
                    self.counts
                        .up_bytes
                        .fetch_add(p.bytes.len() as u64, Ordering::Relaxed);
                }
            }
            Way::Down { to } => {
                if self.outside.send_to(&p.bytes, to).is_ok() {
                    self.counts.down_packets.fetch_add(1, Ordering::Relaxed);
                    self.counts
                        .down_bytes
                        .fetch_add(p.bytes.len() as u64, Ordering::Relaxed);
                }
            }
        }
    }

    /// The socket that speaks for the participant at `from`, opened on first sight.
    fn socket_for(&mut self, from: SocketAddr) -> Option<&UdpSocket> {
        if let Some(i) = self.towards_host.iter().position(|(a, _)| *a == from) {
            return Some(&self.towards_host[i].1);
        }
        let socket = UdpSocket::bind("127.0.0.1:0").ok()?;
        socket.connect(self.host).ok()?;
        socket.set_nonblocking(true).ok()?;
        self.towards_host.push((from, socket));
        self.towards_host.last().map(|(_, s)| s)
    }
}

/// A small seeded generator (xorshift64*): draws in [0, 1).
struct Draws(u64);

impl Draws {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn chance(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_spread_over_zero_to_one_and_repeat_for_a_seed() {
        let mut a = Draws::new(7);
        let mut b = Draws::new(7);
        let xs: Vec<f64> = (0..10_000).map(|_| a.chance()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
        let below = xs.iter().filter(|x| **x < 0.1).count();
        assert!((800..1200).contains(&below), "{below}");
        assert!(xs.iter().all(|x| *x == b.chance()));
    }

    /// A datagram echoed by a "host" crosses the link both ways, late; with loss,
    /// about that share does not come back.
    #[test]
    fn the_link_delays_and_drops_as_told() {
        let host = UdpSocket::bind("127.0.0.1:0").expect("host");
        let host_addr = host.local_addr().expect("addr");
        host.set_read_timeout(Some(Duration::from_millis(5)))
            .expect("timeout");
        let echo_stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&echo_stop);
        let echo = std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            while !stopping.load(Ordering::Relaxed) {
                if let Ok((n, from)) = host.recv_from(&mut buf) {
                    let _ = host.send_to(&buf[..n], from);
                }
            }
        });
        let link = LossyLink::start(
            host_addr,
            Impairment {
                delay: Duration::from_millis(40)..Duration::from_millis(60),
                loss: 0.0,
                seed: 3,
            },
        )
        .expect("link");
        let me = UdpSocket::bind("127.0.0.1:0").expect("me");
        me.set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        let sent = Instant::now();
        me.send_to(b"hello", link.addr()).expect("send");
        let mut buf = [0u8; 64];
        let n = me.recv(&mut buf).expect("the echo comes back");
        let round_trip = sent.elapsed();
        assert_eq!(&buf[..n], b"hello");
        assert!(
            round_trip >= Duration::from_millis(80),
            "two delays of at least 40 ms: {round_trip:?}"
        );
        // The relay counts a datagram after passing it on: the echo may arrive first.
        let counted = Instant::now();
        while link.counts().down_packets.load(Ordering::Relaxed) == 0
            && counted.elapsed() < Duration::from_secs(2)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(link.counts().up_packets.load(Ordering::Relaxed), 1);
        assert_eq!(link.counts().down_packets.load(Ordering::Relaxed), 1);
        drop(link);

        let lossy = LossyLink::start(
            host_addr,
            Impairment {
                delay: Duration::ZERO..Duration::from_millis(2),
                loss: 0.3,
                seed: 11,
            },
        )
        .expect("link");
        me.set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let mut back = 0;
        for i in 0..200u32 {
            me.send_to(&i.to_le_bytes(), lossy.addr()).expect("send");
            if me.recv(&mut buf).is_ok() {
                back += 1;
            }
        }
        // Each echo crosses twice: about 0.7 × 0.7 of them come back.
        assert!((70..130).contains(&back), "{back} of 200 came back");
        assert!(lossy.counts().dropped.load(Ordering::Relaxed) > 40);
        echo_stop.store(true, Ordering::Relaxed);
        let _ = echo.join();
    }
}
