//! Who is in the session (the host's side): names, colours, and who may send.

use crate::protocol::{COLOURS, HOST_COLOUR, Hello, Welcome};

/// The participants the host let in, in the order they joined.
#[derive(Debug, Default, Clone)]
pub struct Roster<K> {
    members: Vec<(K, Welcome)>,
    /// Those whose connection was lost, kept so they rejoin as themselves.
    away: Vec<Welcome>,
    joined_ever: usize,
    /// The host's own participant, when the host takes part (its window): slot 0.
    host: Option<Welcome>,
}

/// Names longer than this are refused (they are shown in the others' views and logs).
pub const MAX_NAME: usize = 32;

impl<K: PartialEq + Copy> Roster<K> {
    /// Lets `who` in, or says why not: the story must be the host's, the name
    /// plain, short and not taken, and a client says hello once.
    pub fn hello(&mut self, who: K, hello: &Hello, story: &[u8; 32]) -> Result<Welcome, String> {
        if self.name_of(who).is_some() {
            return Err("this participant already said hello".into());
        }
        if &hello.story != story {
            return Err(format!(
                "your story is not the host's (content {} here, {} on the host): install the same story folder on both machines and give it with --story",
                crate::content::short(&hello.story),
                crate::content::short(story)
            ));
        }
        let name = hello.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME
            || name.chars().any(|c| c.is_control())
        {
            return Err(format!(
                "a participant's name is 1 to {MAX_NAME} printable characters"
            ));
        }
        if self.members.iter().any(|(_, w)| w.name == name)
            || self.host.as_ref().is_some_and(|h| h.name == name)
        {
            return Err(format!(
                "`{name}` is already in the session: join --as another name"
            ));
        }
        // Someone who was here before comes back as themselves, in their colour.
        let welcome = match self.away.iter().position(|w| w.name == name) {
            Some(i) => self.away.remove(i),
            None => {
                self.joined_ever += 1;
                let slot = self.joined_ever - 1 + usize::from(self.host.is_some());
                Welcome {
                    name: name.to_owned(),
                    colour: COLOURS[(self.joined_ever - 1) % COLOURS.len()],
                    slot: u8::try_from(slot).unwrap_or(u8::MAX),
                }
            }
        };
        self.members.push((who, welcome.clone()));
        Ok(welcome)
    }

    /// Whether `name` was in the session and lost its connection (a hello under that
    /// name is a rejoin).
    /// The host takes part too, as `name`: it stands in slot 0, in the host's colour,
    /// and no participant may join under its name.
    pub fn with_host(mut self, name: &str) -> Self {
        self.host = Some(Welcome {
            name: name.trim().to_owned(),
            colour: HOST_COLOUR,
            slot: 0,
        });
        self
    }

    /// The host's own participant, if the host takes part.
    pub fn host(&self) -> Option<&Welcome> {
        self.host.as_ref()
    }

    pub fn was_away(&self, name: &str) -> bool {
        let name = name.trim();
        self.away.iter().any(|w| w.name == name)
    }

    /// The name of a participant let in; `None` for anyone else.
    pub fn name_of(&self, who: K) -> Option<&str> {
        self.members
            .iter()
            .find(|(k, _)| *k == who)
            .map(|(_, w)| w.name.as_str())
    }

    /// Whether someone named `name` is in the session now.
    pub fn is_in(&self, name: &str) -> bool {
        self.members.iter().any(|(_, w)| w.name == name)
    }

    /// A participant left (or their connection was lost); returns their name. They
    /// may rejoin under it.
    pub fn leave(&mut self, who: K) -> Option<String> {
        let i = self.members.iter().position(|(k, _)| *k == who)?;
        let welcome = self.members.remove(i).1;
        let name = welcome.name.clone();
        self.away.push(welcome);
        Some(name)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Everyone let in, with their welcome.
    pub fn members(&self) -> impl Iterator<Item = (K, &Welcome)> + '_ {
        self.members.iter().map(|(k, w)| (*k, w))
    }

    /// Everyone whose connection was lost (or who left), who may rejoin.
    pub fn away(&self) -> impl Iterator<Item = &Welcome> + '_ {
        self.away.iter()
    }

    /// Everyone let in.
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.members.iter().map(|(k, _)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(name: &str, story: u8) -> Hello {
        Hello {
            name: name.into(),
            story: [story; 32],
            mirrors: false,
            console: None,
        }
    }

    #[test]
    fn participants_get_names_and_colours_in_the_order_they_join() {
        let mut r = Roster::default();
        let a = r.hello(1, &hello("mother", 7), &[7; 32]).expect("in");
        let b = r.hello(2, &hello(" father ", 7), &[7; 32]).expect("in");
        assert_eq!((a.name.as_str(), b.name.as_str()), ("mother", "father"));
        assert_ne!(a.colour, b.colour);
        assert_eq!(r.name_of(2), Some("father"));
        assert_eq!(r.name_of(3), None);
        assert_eq!(r.len(), 2);
        assert_eq!(r.leave(1), Some("mother".into()));
        assert_eq!(r.keys().collect::<Vec<_>>(), vec![2]);
        // Whoever joins next gets a colour nobody had.
        let c = r.hello(3, &hello("aunt", 7), &[7; 32]).expect("in");
        assert_ne!(c.colour, a.colour);
        assert_ne!(c.colour, b.colour);
    }

    #[test]
    fn a_host_who_takes_part_stands_first_and_keeps_its_name() {
        let mut alone = Roster::default();
        let first = alone.hello(1, &hello("mother", 7), &[7; 32]).expect("in");
        assert_eq!(
            first.slot, 0,
            "without the host the first participant is on the mark"
        );
        let mut r = Roster::default().with_host("grandma");
        assert_eq!(r.host().map(|h| h.slot), Some(0));
        let e = r
            .hello(1, &hello("grandma", 7), &[7; 32])
            .expect_err("the host's name");
        assert!(e.contains("already in the session"), "{e}");
        let a = r.hello(1, &hello("mother", 7), &[7; 32]).expect("in");
        let b = r.hello(2, &hello("father", 7), &[7; 32]).expect("in");
        assert_eq!((a.slot, b.slot), (1, 2));
        assert_ne!(a.colour, HOST_COLOUR);
        // Who left comes back to their slot.
        r.leave(1);
        assert_eq!(
            r.hello(3, &hello("mother", 7), &[7; 32])
                .expect("back")
                .slot,
            1
        );
    }

    #[test]
    fn a_participant_who_was_lost_rejoins_as_themselves_in_their_colour() {
        let mut r = Roster::default();
        let mother = r.hello(1, &hello("mother", 7), &[7; 32]).expect("in");
        let father = r.hello(2, &hello("father", 7), &[7; 32]).expect("in");
        assert!(!r.was_away("father"));
        assert_eq!(r.leave(2), Some("father".into()));
        assert!(r.was_away("father"));
        assert!(r.was_away(" father "));
        // Back on a new connection: the same welcome.
        let again = r.hello(5, &hello("father", 7), &[7; 32]).expect("back in");
        assert_eq!(again, father);
        assert!(!r.was_away("father"));
        assert_eq!(r.name_of(5), Some("father"));
        // A newcomer's colour is still nobody else's.
        let aunt = r.hello(6, &hello("aunt", 7), &[7; 32]).expect("in");
        assert_ne!(aunt.colour, mother.colour);
        assert_ne!(aunt.colour, father.colour);
    }

    #[test]
    fn another_story_a_taken_name_or_a_bad_name_is_refused_with_a_reason() {
        let mut r = Roster::default();
        let e = r
            .hello(1, &hello("mother", 1), &[7; 32])
            .expect_err("story");
        assert!(e.contains("not the host's"), "{e}");
        assert!(r.is_empty());
        r.hello(1, &hello("mother", 7), &[7; 32]).expect("in");
        let e = r
            .hello(2, &hello("mother", 7), &[7; 32])
            .expect_err("taken");
        assert!(e.contains("already in the session"), "{e}");
        let e = r.hello(1, &hello("again", 7), &[7; 32]).expect_err("twice");
        assert!(e.contains("already said hello"), "{e}");
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(MAX_NAME + 1)] {
            assert!(r.hello(3, &hello(bad, 7), &[7; 32]).is_err(), "{bad:?}");
        }
        assert_eq!(r.len(), 1);
    }
}

/// Whether a participant may send `event` for `story`: only what a participant's body
/// or voice causes (never an operator's cue, a line's or a transition's end, which are
/// the host's world), and only naming cast, things and sockets the story has. A client
/// is not trusted: an id out of range would otherwise reach the director.
pub fn participant_may_send(
    story: &reunion_story::story::Story,
    event: &reunion_story::director::StoryEvent,
) -> bool {
    use reunion_story::director::StoryEvent as E;
    use reunion_story::story::{ActorId, ThingId};
    let actor = |a: &ActorId| a.index() < story.cast.len();
    let thing = |t: &ThingId| {
        story
            .places
            .get(t.place.index())
            .is_some_and(|p| usize::from(t.index) < p.things.len())
    };
    match event {
        E::HandHeld(a) | E::Distance(a, _) | E::Touched(a, _) => actor(a),
        E::GazeOn(a) => a.as_ref().is_none_or(actor),
        E::HandReleased
        | E::CandlePlaced(_)
        | E::AllCandlesPlaced
        | E::CandlesLit
        | E::CandlesBlownOut
        | E::ParticipantSpoke
        | E::ParticipantSaid { .. }
        | E::ParticipantExit => true,
        E::PickedUp(t) | E::PutDown(t) | E::TouchedThing(t) | E::Lit(t) | E::PutOut(t) => thing(t),
        E::Placed {
            thing: t,
            into,
            socket,
        } => thing(t) && thing(into) && usize::from(*socket) < story.thing(*into).sockets.len(),
        // Intents are the host's matcher's reading of words, never a participant's claim.
        E::OperatorCue(_) | E::LineFinished(_) | E::TransitionFinished | E::IntentsHeard { .. } => {
            false
        }
    }
}

#[cfg(test)]
mod event_tests {
    use super::*;
    use reunion_story::director::StoryEvent;
    use reunion_story::story::{ActorId, PlaceId, ThingId};

    #[test]
    fn only_a_participants_own_events_naming_what_the_story_has_are_taken() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        let story = reunion_story::load::load_dir(&dir)
            .story
            .expect("the reference story");
        assert!(participant_may_send(
            &story,
            &StoryEvent::HandHeld(ActorId(0))
        ));
        assert!(participant_may_send(&story, &StoryEvent::GazeOn(None)));
        assert!(participant_may_send(&story, &StoryEvent::ParticipantSpoke));
        assert!(!participant_may_send(
            &story,
            &StoryEvent::HandHeld(ActorId(500))
        ));
        assert!(!participant_may_send(
            &story,
            &StoryEvent::Distance(ActorId(9), 1.0)
        ));
        let far = ThingId {
            place: PlaceId(0),
            index: 60_000,
        };
        assert!(!participant_may_send(&story, &StoryEvent::PickedUp(far)));
        let nowhere = ThingId {
            place: PlaceId(999),
            index: 0,
        };
        assert!(!participant_may_send(&story, &StoryEvent::Lit(nowhere)));
        assert!(!participant_may_send(
            &story,
            &StoryEvent::OperatorCue("end".into())
        ));
        assert!(!participant_may_send(
            &story,
            &StoryEvent::TransitionFinished
        ));
    }
}
