//! `reunion bench --network`: what the family together costs on the network and how
//! long an act takes to reach the others, on this machine (127.0.0.1), on a perfect
//! link and on impaired ones ([`reunion_net::lossy_link`]).
//!
//! A host plays the story for two headless participants: `mother` (the autopilot acts
//! for her) and `father` (who only follows). Each dials the host through a relay of
//! their own, so each one's traffic is counted apart. Figures:
//! - **bandwidth** per participant (both ways, UDP payload), in each beat of the story
//!   (a beat is a story node), per story second: the heaviest beat and the mean;
//! - **an act's way**: for every wait the mother meets, from her machine sending the
//!   act that met it (for the hand waits, her grip) to the host's director meeting the
//!   wait, and from there to the father's machine knowing the wait was met.
//!
//! The participants' machines update every 10 ms, as `reunion join` does; their
//! frames are part of an act's way, as they would be.
//!
//! Story time runs at twice real time (the host at 90 frames per story second, so 180
//! a wall second), so a whole playthrough takes about two minutes per link; the
//! delays are wall-clock milliseconds measured in this one process.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bevy::ecs::message::Messages;
use bevy::prelude::*;
use reunion_net::code::JoinCode;
use reunion_net::host::{SentCues, headless_host_on};
use reunion_net::join::{ActSent, Following, JoinStatus, headless_participant};
use reunion_net::lossy_link::{Impairment, LossyLink};
use reunion_stage::prelude::*;
use reunion_story::director::Cue;
use reunion_story::story::{Condition, NodeId, NodeKind};

const HZ: f32 = 90.0;
const SPEED: f64 = 2.0;
/// A participant's frame, as `reunion join` runs (it sleeps 10 ms a frame).
const PARTICIPANT_FRAME: Duration = Duration::from_millis(10);

/// One link the session is measured on.
struct Link {
    name: &'static str,
    impairment: Impairment,
}

fn links(quick: bool) -> Vec<Link> {
    let mut all = vec![Link {
        name: "loopback",
        impairment: Impairment::none(),
    }];
    if !quick {
        all.push(Link {
            name: "50 ms each way",
            impairment: Impairment {
                delay: Duration::from_millis(50)..Duration::from_millis(50),
                loss: 0.0,
                seed: 5,
            },
        });
        all.push(Link {
            name: "100-300 ms each way, 5 % lost",
            impairment: Impairment {
                delay: Duration::from_millis(100)..Duration::from_millis(300),
                loss: 0.05,
                seed: 5,
            },
        });
    }
    all
}

/// A wait the mother is meeting: when her act left, when the host met the wait.
struct Meeting {
    node: NodeId,
    act_sent: Option<Instant>,
    met_on_host: Option<Instant>,
}

/// An act's way, measured: (the wait's node, act → host, host → the other machine).
type Way = (NodeId, Duration, Duration);

/// Bytes (both ways) and story seconds of one beat, per participant.
#[derive(Default, Clone, Copy)]
struct BeatTraffic {
    bytes: [u64; 2],
    seconds: f64,
}

struct Measured {
    ways: Vec<Way>,
    beats: BTreeMap<NodeId, BeatTraffic>,
    total_bytes: [u64; 2],
    story_seconds: f64,
    dropped: u64,
    wall: Duration,
}

fn traffic(link: &LossyLink) -> u64 {
    let c = link.counts();
    c.up_bytes.load(Ordering::Relaxed) + c.down_bytes.load(Ordering::Relaxed)
}

fn measure(folder: &Path, story_file: &Path, link: &Link) -> Result<Measured, String> {
    let code = JoinCode::generate().map_err(|e| format!("no randomness: {e}"))?;
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let host_addr = socket.local_addr().map_err(|e| e.to_string())?;
    let relays = [
        LossyLink::start(host_addr, link.impairment.clone()).map_err(|e| e.to_string())?,
        LossyLink::start(host_addr, link.impairment.clone()).map_err(|e| e.to_string())?,
    ];
    let config = StageConfig {
        story: story_file.to_path_buf(),
        folder: Some(folder.to_path_buf()),
        ..StageConfig::default()
    };
    let dialled = [relays[0].addr(), relays[1].addr()];
    let (mut host, _) = headless_host_on(config, folder, socket, &dialled, &code, 2, HZ)?;
    let mut mother = headless_participant(relays[0].addr(), &code, "mother", folder, true)?;
    let mut father = headless_participant(relays[1].addr(), &code, "father", folder, false)?;
    for app in [&mut host, &mut mother, &mut father] {
        app.finish();
        app.cleanup();
    }
    let mut acts = mother.world().resource::<Messages<ActSent>>().get_cursor();
    let started = Instant::now();
    let mut frames: u64 = 0;
    let mut seen_batches = 0;
    let mut meetings: Vec<Meeting> = Vec::new();
    let mut ways = Vec::new();
    let mut beats: BTreeMap<NodeId, BeatTraffic> = BTreeMap::new();
    let mut last_bytes = [0u64; 2];
    let mut last_time = 0.0;
    let mut last_participant_frame = Instant::now();
    let over = |app: &App| app.world().resource::<JoinStatus>().clone();
    loop {
        if started.elapsed() > Duration::from_secs(900) {
            return Err("the story did not end within 15 minutes".into());
        }
        let due = (started.elapsed().as_secs_f64() * SPEED * f64::from(HZ)) as u64;
        let mut ran = false;
        if frames < due {
            host.update();
            frames += 1;
            ran = true;
            let now = Instant::now();
            let batches = &host.world().resource::<SentCues>().0;
            for (_, cues) in &batches[seen_batches..] {
                for cue in cues {
                    match cue {
                        Cue::Waiting { node, .. } => meetings.push(Meeting {
                            node: *node,
                            act_sent: None,
                            met_on_host: None,
                        }),
                        Cue::WaitMet { node } => {
                            for m in meetings.iter_mut().filter(|m| m.node == *node) {
                                m.met_on_host.get_or_insert(now);
                            }
                        }
                        Cue::WaitTimedOut { node } => meetings.retain(|m| m.node != *node),
                        _ => {}
                    }
                }
            }
            seen_batches = batches.len();
            if let Some(s) = host.world().get_resource::<StorySession>() {
                let beat = s.session.director.node();
                let t = s.session.director.session_time();
                let entry = beats.entry(beat).or_default();
                for (i, relay) in relays.iter().enumerate() {
                    let b = traffic(relay);
                    entry.bytes[i] += b - last_bytes[i];
                    last_bytes[i] = b;
                }
                entry.seconds += t - last_time;
                last_time = t;
            }
        }
        // The participants' machines run at `reunion join`'s pace.
        if last_participant_frame.elapsed() < PARTICIPANT_FRAME {
            if !ran {
                std::thread::sleep(Duration::from_micros(500));
            }
            continue;
        }
        last_participant_frame = Instant::now();
        mother.update();
        let now = Instant::now();
        let sent = acts
            .read(mother.world().resource::<Messages<ActSent>>())
            .count();
        if sent > 0 {
            // The last act before the wait was met is the one that met it (a wait
            // for all the candles takes several).
            for m in meetings.iter_mut().filter(|m| m.met_on_host.is_none()) {
                m.act_sent = Some(now);
            }
        }
        father.update();
        let now = Instant::now();
        let father_waits = father.world().resource::<Following>().0.waiting();
        meetings.retain(|m| {
            let (Some(sent), Some(met)) = (m.act_sent, m.met_on_host) else {
                // Met on the host without an act of hers (the world's doing): not hers.
                return m.met_on_host.is_none();
            };
            if father_waits == Some(m.node) {
                return true;
            }
            ways.push((m.node, met.saturating_duration_since(sent), now - met));
            false
        });
        let ended = host
            .world()
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended());
        if ended && over(&mother).is_final() && over(&father).is_final() {
            break;
        }
        for app in [&mother, &father] {
            if let JoinStatus::Refused(why) | JoinStatus::Lost(why) = over(app) {
                return Err(why);
            }
        }
    }
    let dropped = relays
        .iter()
        .map(|r| r.counts().dropped.load(Ordering::Relaxed))
        .sum();
    Ok(Measured {
        ways,
        beats,
        total_bytes: [traffic(&relays[0]), traffic(&relays[1])],
        story_seconds: last_time,
        dropped,
        wall: started.elapsed(),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

pub fn run(folder: &Path, story_file: &Path, quick: bool) -> ExitCode {
    let loaded = reunion_story::load::load_dir(folder);
    let Some(story) = loaded.story else {
        eprintln!("error: {}", loaded.diagnostics);
        return ExitCode::from(2);
    };
    let hand_wait = |n: NodeId| {
        matches!(
            &story.node(n).kind,
            NodeKind::Wait {
                until: Condition::HandHeld(_),
                ..
            }
        )
    };
    println!("reunion bench --network (story at {SPEED}x real time, host at {HZ} Hz)");
    for link in links(quick) {
        eprintln!("measuring: {} (about two minutes)...", link.name);
        let m = match measure(folder, story_file, &link) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("error: {}: {e}", link.name);
                return ExitCode::from(1);
            }
        };
        println!(
            "\n== {} ({} datagrams dropped, {:.0} s wall)",
            link.name,
            m.dropped,
            m.wall.as_secs_f64()
        );
        let per_second = |bytes: u64, seconds: f64| bytes as f64 / seconds.max(1e-9) / 1024.0;
        let heaviest = m
            .beats
            .iter()
            .filter(|(_, b)| b.seconds >= 1.0)
            .max_by(|a, b| {
                let load = |t: &BeatTraffic| (t.bytes[0] + t.bytes[1]) as f64 / t.seconds;
                load(a.1).total_cmp(&load(b.1))
            });
        for (i, who) in ["mother", "father"].iter().enumerate() {
            print!(
                "bandwidth, {who}: mean {:.1} KiB/s",
                per_second(m.total_bytes[i], m.story_seconds)
            );
            if let Some((node, b)) = heaviest {
                print!(
                    "; heaviest beat `{}` {:.1} KiB/s",
                    story.node(*node).id,
                    per_second(b.bytes[i], b.seconds)
                );
            }
            println!();
        }
        let to_host: Vec<f64> = m.ways.iter().map(|w| ms(w.1)).collect();
        let to_other: Vec<f64> = m.ways.iter().map(|w| ms(w.2)).collect();
        let whole: Vec<f64> = m.ways.iter().map(|w| ms(w.1 + w.2)).collect();
        let max = |xs: &[f64]| xs.iter().copied().fold(f64::NAN, f64::max);
        println!(
            "an act's way over {} waits: to the host's director median {:.0} ms (max {:.0}); on to the other participant median {:.0} ms (max {:.0}); whole median {:.0} ms (max {:.0})",
            m.ways.len(),
            median(to_host.clone()),
            max(&to_host),
            median(to_other.clone()),
            max(&to_other),
            median(whole.clone()),
            max(&whole)
        );
        for (node, a, b) in m.ways.iter().filter(|w| hand_wait(w.0)) {
            println!(
                "  grip at `{}`: {:.0} ms to the host's HandHeld, {:.0} ms on to the father's view",
                story.node(*node).id,
                ms(*a),
                ms(*b)
            );
        }
    }
    ExitCode::SUCCESS
}
