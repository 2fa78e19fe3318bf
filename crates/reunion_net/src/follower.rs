//! A joined participant's side of the story, without a director: the host's cues come
//! in, the participant's acts go out.
//!
//! [`Follower`] keeps what the participant's machine knows: the transcript as the
//! host's lines come, a [`StandIn`] that turns the participant's actions into story
//! events, and (headless) the autopilot that acts as a person would. World reactions
//! to cues (candles catching fire) are the host's: the stand-in's echoes are dropped
//! here, so nothing reaches the director twice.

use std::sync::Arc;

use reunion_story::director::{Cue, StoryEvent};
use reunion_story::participant::StandIn;
use reunion_story::participant::{Autopilot, Participant};
use reunion_story::session::TranscriptLine;
use reunion_story::story::{NodeKind, Story};

/// What a joined machine knows of the story.
pub struct Follower {
    story: Arc<Story>,
    stand_in: StandIn,
    autopilot: Option<Autopilot>,
    /// The lines as the host's cues said them.
    pub transcript: Vec<TranscriptLine>,
    /// The host's story clock, as last heard.
    now: f64,
    /// The place the participant stands in, as the host's cues last said.
    place: Option<reunion_story::story::PlaceId>,
    /// The wait the story is at, as the host's cues last said.
    waiting: Option<reunion_story::story::NodeId>,
    ended: bool,
}

impl Follower {
    /// With `autopilot`, an automatic participant acts on this machine.
    pub fn new(story: Arc<Story>, autopilot: bool) -> Self {
        Self {
            story,
            stand_in: StandIn::default(),
            autopilot: autopilot.then(Autopilot::new),
            transcript: Vec::new(),
            now: 0.0,
            place: None,
            waiting: None,
            ended: false,
        }
    }

    /// This participant is `name` among several: the autopilot meets the waits
    /// addressed to them or to anyone, and leaves the others' to them.
    pub fn named(mut self, name: &str) -> Self {
        if self.autopilot.is_some() {
            self.autopilot = Some(Autopilot::named(name));
        }
        self
    }

    pub fn story(&self) -> &Arc<Story> {
        &self.story
    }

    /// The host's clock moved on.
    pub fn clock(&mut self, now: f64) {
        self.now = self.now.max(now);
    }

    /// The host's cues of one frame, issued at story time `at`.
    pub fn cues(&mut self, at: f64, cues: &[Cue]) {
        self.clock(at);
        for cue in cues {
            match cue {
                Cue::Say { node, speaker, .. } => self.transcript.push(TranscriptLine {
                    at,
                    node: *node,
                    speaker: Some(*speaker),
                }),
                Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                    self.place = Some(*place);
                }
                Cue::Waiting { node, .. } => self.waiting = Some(*node),
                Cue::WaitMet { node } | Cue::WaitTimedOut { node }
                    if self.waiting == Some(*node) =>
                {
                    self.waiting = None;
                }
                Cue::Ended { node } => {
                    if matches!(
                        self.story.node(*node).kind,
                        NodeKind::End { aftercare: Some(_) }
                    ) {
                        self.transcript.push(TranscriptLine {
                            at,
                            node: *node,
                            speaker: None,
                        });
                    }
                    self.ended = true;
                }
                _ => {}
            }
            // The host's stand-in reports the world's reactions; this one only keeps
            // track (what is held, placed, lit) for the participant's next acts.
            let _echo = self.stand_in.observe(&self.story, cue);
            if let Some(p) = &mut self.autopilot {
                p.observe(&self.story, cue, at);
            }
        }
    }

    /// The story events the participant caused by now, for the host.
    pub fn due(&mut self) -> Vec<StoryEvent> {
        let Some(p) = &mut self.autopilot else {
            return Vec::new();
        };
        let actions = p.due(self.now);
        let mut events = Vec::new();
        for a in &actions {
            events.extend(self.stand_in.act(&self.story, a));
        }
        events
    }

    /// The place the participant stands in (none before the story's first).
    pub fn place(&self) -> Option<reunion_story::story::PlaceId> {
        self.place
    }

    /// The wait the story is at (none between waits).
    pub fn waiting(&self) -> Option<reunion_story::story::NodeId> {
        self.waiting
    }

    /// Whether the host's story ended.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The host's clock as last heard.
    pub fn now(&self) -> f64 {
        self.now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reunion_story::director::Input;
    use reunion_story::session::{Session, play_headless};

    fn reference() -> Arc<Story> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        let loaded = reunion_story::load::load_dir(&dir);
        Arc::new(
            loaded
                .story
                .unwrap_or_else(|| panic!("{}", loaded.diagnostics)),
        )
    }

    fn lines(story: &Story, t: &[TranscriptLine]) -> Vec<(String, Option<String>)> {
        t.iter()
            .map(|l| {
                (
                    story.node(l.node).id.clone(),
                    l.speaker.map(|s| story.actor(s).name[0].clone()),
                )
            })
            .collect()
    }

    /// A host's session with nobody acting on it, and followers whose acts reach it a
    /// frame later (as over a network): the story ends with the lines of a single
    /// participant's playthrough, and each follower heard every line.
    fn play_with_followers(n: usize) {
        let story = reference();
        let mut alone =
            Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
        play_headless(&mut alone, 90.0, 3600.0).expect("the story ends alone");

        let mut host = Session::new(Arc::clone(&story));
        let mut followers: Vec<Follower> = (0..n)
            .map(|_| Follower::new(Arc::clone(&story), true))
            .collect();
        let mut cues = host.start();
        let mut in_flight: Vec<StoryEvent> = Vec::new();
        let dt = 1.0 / 90.0;
        for _ in 0..(3600 * 90) {
            let at = host.director.session_time();
            for f in &mut followers {
                f.cues(at, &cues);
            }
            if host.director.is_ended() {
                break;
            }
            let events = std::mem::take(&mut in_flight);
            cues = Vec::new();
            for e in events {
                cues.extend(host.input(Input::Event(e)));
            }
            cues.extend(host.input(Input::Tick(dt)));
            for f in &mut followers {
                f.clock(host.director.session_time());
                in_flight.extend(f.due());
            }
        }
        assert!(
            host.director.is_ended(),
            "the story ends with {n} followers"
        );
        let expected = lines(&story, &alone.transcript);
        assert_eq!(lines(&story, &host.transcript), expected);
        for f in &followers {
            assert!(f.is_ended());
            assert_eq!(lines(&story, &f.transcript), expected);
        }
    }

    #[test]
    fn one_follower_plays_the_reference_story_as_one_participant_does() {
        play_with_followers(1);
    }

    #[test]
    fn two_followers_play_the_reference_story_with_the_same_lines() {
        play_with_followers(2);
    }

    #[test]
    fn without_an_autopilot_a_follower_only_listens() {
        let story = reference();
        let mut f = Follower::new(Arc::clone(&story), false);
        let mut host = Session::new(Arc::clone(&story));
        let cues = host.start();
        f.cues(0.0, &cues);
        f.clock(100.0);
        assert!(f.due().is_empty());
        assert!(!f.transcript.is_empty() || cues.iter().all(|c| !matches!(c, Cue::Say { .. })));
    }
}
