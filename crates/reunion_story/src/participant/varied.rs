//! [`VariedAutopilot`]: the autopilot as many different people, one per seed. Some
//! are slow, some never answer a wait (it runs out), some look away, speak, step
//! closer, touch her or let go of her hand when nothing asks for it. The soak run
//! (`reunion bench --soak`) plays the story in a loop with a new one each session.
//!
//! It is the [`Autopilot`] with its actions delayed (0 to 8 s), a few dropped, and
//! asides of its own; the hand she offers is always taken in the end (only later),
//! so a paused lead by the hand, which has no timeout, never waits forever. The same
//! seed gives the same person.

use crate::director::Cue;
use crate::format::TouchZone;
use crate::story::*;

use super::{Autopilot, Participant, ParticipantAction};

/// One of the many people the autopilot can be, chosen by a seed.
#[derive(Clone, Debug)]
pub struct VariedAutopilot {
    autopilot: Autopilot,
    rng: fastrand::Rng,
    /// Actions to do, with their session times (not in order).
    plan: Vec<(f64, ParticipantAction)>,
    /// When the next aside comes (session seconds).
    next_aside: f64,
    /// The cast's ids, for asides.
    cast: Vec<String>,
    /// How slow this person is: the most an answer is delayed, seconds.
    slowness: f64,
    /// How often this person lets a wait run out, 0..1.
    drops: f64,
}

/// The mean time between two asides, seconds.
const ASIDE_EVERY: f64 = 25.0;

impl VariedAutopilot {
    pub fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let slowness = 0.5 + rng.f64() * 7.5;
        let drops = rng.f64() * 0.25;
        let next_aside = exponential(&mut rng, ASIDE_EVERY);
        Self {
            autopilot: Autopilot::new(),
            rng,
            plan: Vec::new(),
            next_aside,
            cast: Vec::new(),
            slowness,
            drops,
        }
    }

    /// Something a person might do with nothing asked of them.
    fn aside(&mut self) -> ParticipantAction {
        let someone = if self.cast.is_empty() {
            String::new()
        } else {
            self.cast[self.rng.usize(..self.cast.len())].clone()
        };
        match self.rng.u8(..7) {
            0 => ParticipantAction::LookAway,
            1 => ParticipantAction::LookAt(someone),
            2 => ParticipantAction::Speak,
            3 => ParticipantAction::ComeNear(someone, 0.5 + self.rng.f32() * 1.5),
            4 => {
                let zone = [
                    TouchZone::Head,
                    TouchZone::Cheek,
                    TouchZone::Shoulder,
                    TouchZone::Hand,
                ][self.rng.usize(..4)];
                ParticipantAction::Touch(someone, zone)
            }
            5 => ParticipantAction::LetGo,
            _ => ParticipantAction::PutDown,
        }
    }
}

/// An exponentially distributed wait with this mean.
fn exponential(rng: &mut fastrand::Rng, mean: f64) -> f64 {
    -mean * (1.0_f64 - rng.f64()).ln()
}

impl Participant for VariedAutopilot {
    fn observe(&mut self, story: &Story, cue: &Cue, now: f64) {
        if self.cast.is_empty() {
            self.cast = story.cast.iter().map(|a| a.id.clone()).collect();
        }
        self.autopilot.observe(story, cue, now);
    }

    fn due(&mut self, now: f64) -> Vec<ParticipantAction> {
        for action in self.autopilot.due(now) {
            // Her hand is always taken again, only perhaps later: a paused lead by
            // the hand has no timeout.
            let keep =
                matches!(action, ParticipantAction::TakeHand(_)) || self.rng.f64() >= self.drops;
            if keep {
                let delay = self.rng.f64() * self.slowness;
                self.plan.push((now + delay, action));
            }
        }
        if now >= self.next_aside {
            let aside = self.aside();
            self.plan.push((now, aside));
            self.next_aside = now + exponential(&mut self.rng, ASIDE_EVERY);
        }
        self.plan.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ready = self.plan.iter().take_while(|(at, _)| *at <= now).count();
        self.plan.drain(..ready).map(|(_, a)| a).collect()
    }

    fn has_more(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::session::{Session, play_headless};

    fn reference() -> Arc<Story> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        Arc::new(
            crate::load::load_dir(&dir)
                .story
                .expect("the reference story"),
        )
    }

    fn transcript(story: &Arc<Story>, seed: u64) -> (Vec<String>, f64) {
        let mut session =
            Session::new(Arc::clone(story)).with_participant(Box::new(VariedAutopilot::new(seed)));
        play_headless(&mut session, 30.0, 3600.0)
            .unwrap_or_else(|s| panic!("seed {seed}: {}", s.reason));
        assert!(session.director.is_ended(), "seed {seed}: not ended");
        let lines = session
            .transcript
            .iter()
            .map(|l| l.render(story, LangId(1)))
            .collect();
        (lines, session.director.session_time())
    }

    #[test]
    fn every_person_reaches_the_end_of_the_reference_story() {
        let story = reference();
        for seed in 0..24 {
            let (lines, time) = transcript(&story, seed);
            assert!(lines.len() > 10, "seed {seed}: {} lines", lines.len());
            // Before the 40-minute time limit would end it for them.
            assert!(time < 2400.0, "seed {seed}: {time:.0} s");
        }
    }

    #[test]
    fn a_seed_is_one_person_and_seeds_differ() {
        let story = reference();
        assert_eq!(transcript(&story, 7), transcript(&story, 7));
        let differ = (0..8).any(|s| transcript(&story, s) != transcript(&story, s + 8));
        assert!(differ, "eight seeds made the same sessions as eight others");
    }
}
