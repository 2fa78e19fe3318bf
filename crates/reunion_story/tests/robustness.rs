//! Robustness (#9): the checker and the director under what people and machines do to
//! them. `docs/robustness.md` tells how each part was made and what it found.
//!
//! | module | what it checks |
//! | --- | --- |
//! | `findings` | what the fuzz target (`fuzz/`) and writing it found, a test per finding; its corpus and regression inputs check without a panic |
//! | `random_participants` | the reference story under random participants and operators: no panic, never a wait without a deadline ahead, and it ends |
//! | `failure_injection` | missing, unreadable and odd files, paths out of the story folder: a clear message at `file:line:col`, no panic |

use std::path::{Path, PathBuf};
use std::sync::Arc;

use reunion_story::diagnostic::Diagnostic;
use reunion_story::load::{load_dir, parse_ron};
use reunion_story::prelude::*;

/// This crate's folder, read at run time first (the build cache is shared between
/// clones, so a path baked in at compile time may be another clone's).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn repo_dir() -> PathBuf {
    manifest_dir().join("../..")
}

fn reference_dir() -> PathBuf {
    repo_dir().join("assets/stories/nayeon")
}

fn reference() -> Arc<Story> {
    let loaded = load_dir(&reference_dir());
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("the reference story compiles"))
}

/// The text of a shipped file of the reference story.
fn shipped(name: &str) -> String {
    std::fs::read_to_string(reference_dir().join(name)).expect("a shipped file")
}

/// The 1-based line and column (in characters) where `needle` first appears in `text`
/// on a line that also contains `on_line`.
fn position_of(text: &str, on_line: &str, needle: &str) -> (usize, usize) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(on_line) && l.contains(needle))
        .unwrap_or_else(|| panic!("no line with `{on_line}` and `{needle}`"));
    let byte = line.find(needle).expect("on the line");
    (i + 1, line[..byte].chars().count() + 1)
}

/// The only error whose message contains `what`.
fn error_with<'a>(loaded: &'a Loaded, what: &str) -> &'a Diagnostic {
    let found: Vec<_> = loaded
        .diagnostics
        .errors()
        .filter(|d| d.message.contains(what))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "wanted one error with `{what}` in:\n{}",
        loaded.diagnostics
    );
    found[0]
}

mod findings {
    //! One test per finding of the fuzz target or of writing it, named after the
    //! behaviour; and every input of the committed corpus and regressions, read the
    //! way the target reads it, checks, renders and plays without a panic (so CI,
    //! which never builds the fuzz crate, still runs what it found).

    use super::*;
    use reunion_story::format::StoryFile;
    use reunion_story::load::{MemFiles, STORY_FILE, check_relative_path, load, model_files};
    use reunion_story::spans::{SpanTree, field, key_name};

    /// Loads a story from memory with the reference story's scenes, or `scene` for
    /// every place when given.
    fn load_mem(story: &str, scene: Option<&str>) -> Loaded {
        let mut files = MemFiles::default();
        files
            .files
            .insert(PathBuf::from(STORY_FILE), story.to_owned());
        if let Ok(parsed) = parse_ron::<StoryFile>(Path::new(STORY_FILE), story) {
            for (_, file) in parsed.places.iter() {
                if let Ok(rel) = check_relative_path(file) {
                    let text = match scene {
                        Some(s) => s.to_owned(),
                        None => {
                            std::fs::read_to_string(reference_dir().join(&rel)).unwrap_or_default()
                        }
                    };
                    files.files.insert(rel, text);
                }
            }
        }
        load(&files, Path::new(STORY_FILE), Path::new("s"))
    }

    #[test]
    fn every_node_of_the_reference_story_is_located_at_its_own_key() {
        // Found while writing the fuzz target's oracle: after a `Wait(until: Any([...]))`
        // the span scanner lost its place and every later node was located at `nodes`.
        let text = shipped("story.ron");
        let parsed: StoryFile = parse_ron(Path::new("story.ron"), &text).expect("parses");
        let tree = SpanTree::scan(&text);
        for id in parsed.nodes.keys() {
            let span = tree.locate(&[field("nodes"), key_name(id)]);
            assert_eq!(
                &text[span.start..span.end],
                format!("\"{id}\""),
                "node `{id}` located at {}:{}",
                span.pos.line,
                span.pos.col
            );
        }
    }

    #[test]
    fn a_diagnostic_after_a_wait_on_any_points_at_its_own_node() {
        // The same finding as the checker shows it: a typo in a node written after a
        // `Wait(until: Any([...]))` is reported at the typo, not at `nodes: {`.
        let text = shipped("story.ron").replacen(
            "speaker: \"friend\",\n            text: {",
            "speaker: \"freind\",\n            text: {",
            1,
        );
        let loaded = load_mem(&text, None);
        let d = error_with(&loaded, "`freind` is not in the cast");
        assert_eq!(
            (d.line, d.col),
            position_of(&text, "speaker:", "\"freind\""),
            "{d}"
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean `friend`?"));
    }

    #[test]
    fn a_place_with_more_candle_sockets_than_a_byte_counts_plays_without_overflow() {
        // Found reading the code while writing the fuzz target: each cake may have up
        // to 12 sockets, but a place's total was summed in a `u8`, which overflowed
        // (a panic in a debug build) with 22 cakes.
        let mut things = String::from(
            "\"nayeon\": (is: Actor(\"nayeon\"), at: (0.0, 0.0, -2.0), facing: 180.0),\n",
        );
        for i in 0..22 {
            things.push_str(&format!(
                "\"cake_{i}\": (is: Cake(candle_sockets: 12), at: ({i}.0, 0.5, -1.0)),\n"
            ));
        }
        let scene =
            format!("(environment: Park(), start: (at: (0.0, 0.0, 0.0)), things: {{ {things} }})");
        let story = r#"(
    format: 1, title: "Cakes", languages: ["en"],
    cast: { "nayeon": (name: { "en": "Nayeon" }) },
    places: { "park": "park.scene.ron" },
    start: "arrive",
    nodes: {
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        "ask": Say(speaker: "nayeon", text: { "en": "Candles?" }),
        "candles": Wait(until: AllCandlesPlaced, timeout: 900.0),
        "end": End(),
    },
)"#;
        let mut files = MemFiles::default();
        files
            .files
            .insert(PathBuf::from(STORY_FILE), story.to_owned());
        files.files.insert(PathBuf::from("park.scene.ron"), scene);
        let loaded = load(&files, Path::new(STORY_FILE), Path::new("s"));
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let story = Arc::new(loaded.story.expect("compiles"));
        assert_eq!(
            story.candle_sockets(reunion_story::story::PlaceId(0)),
            u8::MAX
        );
        let mut session = Session::new(story).with_participant(Box::new(Autopilot::new()));
        play_headless(&mut session, 10.0, 1200.0).unwrap_or_else(|s| panic!("{s}"));
        assert_eq!(
            session.stand_in.candles_placed(),
            u8::MAX,
            "every socket the count holds"
        );
    }

    /// The inputs under `fuzz/corpus/check_story/` and `fuzz/regressions/check_story/`.
    fn fuzz_inputs() -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in ["fuzz/corpus/check_story", "fuzz/regressions/check_story"] {
            let Ok(entries) = std::fs::read_dir(repo_dir().join(dir)) else {
                continue;
            };
            out.extend(entries.map(|e| e.expect("an entry").path()));
        }
        out.sort();
        out
    }

    /// What the fuzz target does with one input (less its check of the span scanner,
    /// which `every_node_of_the_reference_story_is_located_at_its_own_key` does for
    /// the shipped story).
    fn check_like_the_fuzz_target(data: &[u8]) -> Loaded {
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let loaded = match data.split_first() {
            Some((b'P', rest)) => load_mem(&shipped("story.ron"), Some(&lossy(rest))),
            Some((b'B', rest)) => {
                let (story, parts) = match rest.iter().position(|b| *b == 0) {
                    Some(at) => (lossy(&rest[..at]), &rest[at + 1..]),
                    None => (lossy(rest), &[][..]),
                };
                let mut files = MemFiles::default();
                if let Ok(parsed) = parse_ron::<StoryFile>(Path::new(STORY_FILE), &story) {
                    let mut parts = parts.splitn(parsed.places.len() + 1, |b| *b == 0);
                    for (_, file) in parsed.places.iter() {
                        let part = parts.next();
                        if let (Ok(rel), Some(part)) = (check_relative_path(file), part) {
                            files.files.insert(rel, lossy(part));
                        }
                    }
                    if let Some(model) = parts.next() {
                        for rel in model_files(&parsed) {
                            files.bytes.insert(rel, model.to_vec());
                        }
                    }
                }
                files.files.insert(PathBuf::from(STORY_FILE), story);
                load(&files, Path::new(STORY_FILE), Path::new("s"))
            }
            Some((b'X', rest)) => {
                let text = lossy(rest);
                if let Err(d) = Script::parse(Path::new("s.script.ron"), &text, &reference()) {
                    let _ = d.to_string();
                }
                SpanTree::scan(&text);
                return load_mem(&shipped("story.ron"), None);
            }
            _ => load_mem(&lossy(data), None),
        };
        let _ = loaded.diagnostics.to_string();
        let _ = serde_json::to_string(&loaded.diagnostics).expect("diagnostics serialise");
        if let Some(story) = &loaded.story {
            let mut session =
                Session::new(Arc::new(story.clone())).with_participant(Box::new(Autopilot::new()));
            let _ = play_headless(&mut session, 2.0, 600.0);
        }
        loaded
    }

    #[test]
    fn every_fuzz_corpus_and_regression_input_checks_without_a_panic() {
        let inputs = fuzz_inputs();
        assert!(
            inputs.len() >= 8,
            "the committed fuzz corpus is missing: {inputs:?}"
        );
        let mut compiled = 0;
        for path in &inputs {
            let data = std::fs::read(path).expect("a fuzz input");
            let loaded = std::panic::catch_unwind(|| check_like_the_fuzz_target(&data))
                .unwrap_or_else(|_| panic!("{} panicked the checker", path.display()));
            compiled += usize::from(loaded.story.is_some());
        }
        // The corpus holds the shipped story and scenes, which compile.
        assert!(compiled >= 1, "no corpus input compiled");
    }
}

mod random_participants {
    //! Property tests: the reference story played by a participant who does random
    //! things at random moments (late, early, letting go mid-lead, candles where there
    //! is no cake, the exit gesture at any time) beside an operator pressing random
    //! buttons (hold, resume, repeat, skip, jump, end gently, stop now), then left to
    //! the autopilot. Every frame the director must be somewhere valid: ended, held
    //! (because it was asked to be), or with its next step a bounded time ahead — a
    //! wait's deadline, a line's end, a pause's end, a transition's end — except a
    //! lead by the hand whose hand was let go, which goes on when the hand, offered
    //! again, is taken. Every run ends within an hour of session time.
    //!
    //! Deterministic: a fixed RNG (`TestRng::deterministic_rng`), a fixed number of
    //! cases, no failure persistence; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` do not
    //! change what runs.

    use std::collections::VecDeque;

    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
    use reunion_story::director::line_seconds;
    use reunion_story::format::TouchZone;
    use reunion_story::story::{NodeKind, Transition};

    /// Random sessions played.
    const CASES: u32 = 128;
    /// Frames per second of the simulated sessions.
    const HZ: f32 = 10.0;
    /// Every run must end within this much session time.
    const LIMIT_SECONDS: f64 = 3600.0;
    /// Random happenings fall within this first part of the session.
    const RANDOM_SECONDS: f64 = 450.0;

    /// Something that happens at a moment of the session.
    #[derive(Clone, Debug)]
    enum Happening {
        /// The participant does something (through the stand-in's rules).
        Act(ParticipantAction),
        /// The facilitator presses a button.
        Operator(OperatorCommand),
        /// The world reports something by itself: a detector, the exit gesture, the
        /// end of a clip or of a fade on screen.
        World(StoryEvent),
    }

    /// How one random participant and operator behave.
    #[derive(Clone, Debug)]
    struct Behaviour {
        /// Happenings at session seconds, in any order.
        happenings: Vec<(f64, Happening)>,
        /// Whether the participant answers what waits ask before settling down (as the
        /// autopilot would, `lateness` seconds later); if not, only the happenings.
        answers: bool,
        lateness: f64,
        /// From here on the participant is the autopilot, on time.
        settle_at: f64,
        /// How long the facilitator leaves the story held before resuming it.
        resume_after: f64,
        lang: u8,
    }

    /// The participant of a [`Behaviour`]: an autopilot that sees every cue, whose
    /// answers come late or not at all until it settles, plus the random actions.
    struct Unruly {
        autopilot: Autopilot,
        acts: VecDeque<(f64, ParticipantAction)>,
        late: VecDeque<(f64, ParticipantAction)>,
        answers: bool,
        lateness: f64,
        settle_at: f64,
        settled: bool,
        /// Whose hand is on offer in a paused lead, for the moment it settles.
        lead_paused: Option<String>,
    }

    impl Unruly {
        fn new(b: &Behaviour) -> Self {
            let mut acts: Vec<(f64, ParticipantAction)> = b
                .happenings
                .iter()
                .filter_map(|(t, h)| match h {
                    Happening::Act(a) => Some((*t, a.clone())),
                    _ => None,
                })
                .collect();
            acts.sort_by(|a, b| a.0.total_cmp(&b.0));
            Self {
                autopilot: Autopilot::new(),
                acts: acts.into(),
                late: VecDeque::new(),
                answers: b.answers,
                lateness: b.lateness,
                settle_at: b.settle_at,
                settled: false,
                lead_paused: None,
            }
        }
    }

    impl Participant for Unruly {
        fn observe(&mut self, story: &Story, cue: &Cue, now: f64) {
            match cue {
                Cue::LeadPaused(a) => self.lead_paused = Some(story.actor(*a).id.clone()),
                Cue::LeadResumed(_) | Cue::TransitionEnded { .. } => self.lead_paused = None,
                _ => {}
            }
            self.autopilot.observe(story, cue, now);
        }

        fn due(&mut self, now: f64) -> Vec<ParticipantAction> {
            let mut out = Vec::new();
            let answers = self.autopilot.due(now);
            if now >= self.settle_at {
                if !self.settled {
                    self.settled = true;
                    // A person who sees her hand held out takes it.
                    out.extend(self.lead_paused.take().map(ParticipantAction::TakeHand));
                    out.extend(self.late.drain(..).map(|(_, a)| a));
                }
                out.extend(answers);
            } else if self.answers {
                self.late
                    .extend(answers.into_iter().map(|a| (now + self.lateness, a)));
            }
            while self.late.front().is_some_and(|(t, _)| *t <= now) {
                out.push(self.late.pop_front().expect("front exists").1);
            }
            while self.acts.front().is_some_and(|(t, _)| *t <= now) {
                out.push(self.acts.pop_front().expect("front exists").1);
            }
            out
        }

        fn has_more(&self) -> bool {
            true
        }
    }

    fn actor_name() -> impl Strategy<Value = String> {
        prop_oneof![Just("nayeon"), Just("friend"), Just("nobody")].prop_map(String::from)
    }

    fn zone() -> impl Strategy<Value = TouchZone> {
        prop_oneof![
            Just(TouchZone::Head),
            Just(TouchZone::Cheek),
            Just(TouchZone::Shoulder),
            Just(TouchZone::Hand),
        ]
    }

    fn action() -> impl Strategy<Value = ParticipantAction> {
        use ParticipantAction as A;
        prop_oneof![
            1 => actor_name().prop_map(A::LookAt),
            1 => Just(A::LookAway),
            1 => (actor_name(), 0.0_f32..6.0).prop_map(|(a, m)| A::ComeNear(a, m)),
            3 => actor_name().prop_map(A::TakeHand),
            3 => Just(A::LetGo),
            2 => Just(A::PlaceCandle),
            1 => Just(A::BlowOut),
            1 => Just(A::Speak),
            1 => (actor_name(), zone()).prop_map(|(a, z)| A::Touch(a, z)),
        ]
    }

    fn operator(nodes: u32) -> impl Strategy<Value = OperatorCommand> {
        use OperatorCommand as O;
        prop_oneof![
            1 => Just(O::Hold),
            1 => Just(O::Resume),
            1 => Just(O::RepeatLine),
            2 => Just(O::SkipLine),
            // A few past the last node: the console cannot send those, the director
            // must ignore them anyway.
            2 => (0..nodes + 3).prop_map(|n| O::JumpTo(NodeId(n))),
            1 => Just(O::EndGently),
            1 => Just(O::StopNow),
        ]
    }

    fn world(nodes: u32, actors: u16) -> impl Strategy<Value = StoryEvent> {
        use StoryEvent as E;
        prop_oneof![
            3 => Just(E::ParticipantExit),
            1 => Just(E::TransitionFinished),
            1 => (0..nodes).prop_map(|n| E::LineFinished(NodeId(n))),
            1 => proptest::option::of(0..actors).prop_map(|a| E::GazeOn(a.map(ActorId))),
            1 => (0..actors, 0.0_f32..6.0).prop_map(|(a, m)| E::Distance(ActorId(a), m)),
            1 => Just(E::OperatorCue("anything".into())),
        ]
    }

    fn behaviour(story: &Story) -> impl Strategy<Value = Behaviour> {
        let nodes = story.nodes.len() as u32;
        let actors = story.cast.len() as u16;
        let happening = prop_oneof![
            4 => action().prop_map(Happening::Act),
            2 => operator(nodes).prop_map(Happening::Operator),
            2 => world(nodes, actors).prop_map(Happening::World),
        ];
        (
            proptest::collection::vec((0.0..RANDOM_SECONDS, happening), 0..40),
            any::<bool>(),
            0.0..25.0,
            0.0..RANDOM_SECONDS,
            1.0..90.0,
            0..story.languages.len() as u8,
        )
            .prop_map(
                |(happenings, answers, lateness, settle_at, resume_after, lang)| Behaviour {
                    happenings,
                    answers,
                    lateness,
                    settle_at,
                    resume_after,
                    lang,
                },
            )
    }

    /// The longest anything in the story takes once started: a wait's timeout, a line,
    /// a pause, a transition. Nothing the director waits for may be further ahead.
    fn longest_step(story: &Story) -> f64 {
        let mut longest = 0.0_f64;
        for node in &story.nodes {
            let s = match &node.kind {
                NodeKind::Say(line) => line
                    .text
                    .iter()
                    .map(|t| line_seconds(t).max(line.pause))
                    .fold(0.0, f32::max),
                NodeKind::Wait { timeout, .. } => timeout.unwrap_or(f32::INFINITY),
                NodeKind::Pause { seconds, .. } => *seconds,
                NodeKind::Go { transition, .. } => transition.seconds(),
                _ => 0.0,
            };
            longest = longest.max(f64::from(s));
        }
        longest + 1e-3
    }

    /// Plays one behaviour, checking the director after every input; the session at
    /// the end.
    fn play(story: &Arc<Story>, b: &Behaviour) -> Result<Session, TestCaseError> {
        let longest = longest_step(story);
        let mut session =
            Session::new(Arc::clone(story)).with_participant(Box::new(Unruly::new(b)));
        session.director.set_language(LangId(b.lang));
        let mut others: Vec<(f64, Happening)> = b
            .happenings
            .iter()
            .filter(|(_, h)| !matches!(h, Happening::Act(_)))
            .cloned()
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut others: VecDeque<_> = others.into();
        let mut held_since: Option<f64> = None;
        let dt = 1.0 / HZ;
        session.start();
        while !session.director.is_ended() {
            let now = session.director.session_time();
            let at = |s: &Session| story.node(s.director.node()).id.clone();
            prop_assert!(
                now <= LIMIT_SECONDS,
                "did not end within {LIMIT_SECONDS} s: at `{}`, {:?}",
                at(&session),
                session.director.phase()
            );
            // The facilitator and the world.
            while others.front().is_some_and(|(t, _)| *t <= now) {
                let (_, h) = others.pop_front().expect("front exists");
                let to_calm = matches!(
                    h,
                    Happening::Operator(OperatorCommand::StopNow)
                        | Happening::World(StoryEvent::ParticipantExit)
                );
                match h {
                    Happening::Operator(cmd) => session.input(Input::Operator(cmd)),
                    Happening::World(e) => session.input(Input::Event(e)),
                    Happening::Act(_) => unreachable!("acts go through the participant"),
                };
                let d = &session.director;
                if to_calm {
                    prop_assert!(
                        d.is_ended() || (d.is_held() && d.in_calm_place()),
                        "an exit must hold the story in the calm place, at `{}`",
                        at(&session)
                    );
                }
            }
            // The facilitator resumes a held story after a while.
            if session.director.is_held() {
                let since = *held_since.get_or_insert(now);
                if now - since >= b.resume_after {
                    session.input(Input::Operator(OperatorCommand::Resume));
                    let d = &session.director;
                    prop_assert!(d.is_ended() || (!d.is_held() && !d.in_calm_place()));
                    held_since = None;
                }
            } else {
                held_since = None;
            }

            let before = (
                session.director.phase().clone(),
                session.director.story_time(),
                session.director.session_time(),
            );
            session.step(dt, []);
            let d = &session.director;
            prop_assert!(session.stuck().is_none(), "stuck: {:?}", session.stuck());
            prop_assert!((d.session_time() - before.2 - f64::from(dt)).abs() < 1e-6);
            if d.is_ended() || d.is_held() {
                continue;
            }
            // Not held: the story clock runs, and the next step is ahead, not too far.
            let t = d.story_time();
            prop_assert!(t > before.1, "the story clock stopped while not held");
            let ahead = match *d.phase() {
                // An answer holds the flow: the next step is its end.
                _ if d.answering().is_some() => d.answer_remaining().unwrap_or_default(),
                Phase::Idle => {
                    return Err(TestCaseError::fail(format!(
                        "idle while not held, at `{}`",
                        at(&session)
                    )));
                }
                Phase::Waiting { deadline, .. } => match deadline {
                    Some(deadline) => deadline - t,
                    None => {
                        return Err(TestCaseError::fail(format!(
                            "a wait with no deadline at `{}` (every wait of the reference story has a timeout)",
                            at(&session)
                        )));
                    }
                },
                Phase::Speaking { until, .. } | Phase::Pausing { until } => until - t,
                Phase::Transition { remaining, .. } => {
                    let going_on = match &before.0 {
                        Phase::Transition { remaining: r, .. } => remaining < *r,
                        _ => true,
                    };
                    if !going_on {
                        // Only a lead by the hand stands still, while its hand is not
                        // held; she offers it again, so taking it goes on.
                        let NodeKind::Go {
                            transition: Transition::LeadByHand { actor, .. },
                            ..
                        } = &story.node(d.node()).kind
                        else {
                            return Err(TestCaseError::fail(format!(
                                "a transition stood still at `{}`",
                                at(&session)
                            )));
                        };
                        prop_assert_ne!(d.hand_held_by(), Some(*actor));
                        let mut world = session.stand_in.clone();
                        let take = ParticipantAction::TakeHand(story.actor(*actor).id.clone());
                        prop_assert_eq!(
                            world.act(story, &take),
                            vec![StoryEvent::HandHeld(*actor)],
                            "a paused lead at `{}` whose hand cannot be taken",
                            at(&session)
                        );
                    }
                    remaining
                }
                Phase::Ended => unreachable!("checked above"),
            };
            prop_assert!(
                ahead > 0.0 && ahead <= longest,
                "the next step is {ahead} s ahead at `{}`, {:?} (longest step {longest} s)",
                at(&session),
                d.phase()
            );
            if let Some(r) = d.wait_remaining()
                && d.answering().is_none()
            {
                prop_assert!(r > 0.0 && r <= longest);
            }
        }
        Ok(session)
    }

    fn runner() -> TestRunner {
        let config = Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }

    #[test]
    fn random_participants_and_operators_never_leave_the_story_without_a_way_on() {
        let story = reference();
        let goodbye = story
            .node_id("goodbye")
            .expect("the reference story says goodbye");
        let said_goodbye = std::cell::Cell::new(0);
        let runs = std::cell::Cell::new(0);
        let result = runner().run(&behaviour(&story), |b| {
            let session = play(&story, &b)?;
            runs.set(runs.get() + 1);
            if session.transcript.iter().any(|l| l.node == goodbye) {
                said_goodbye.set(said_goodbye.get() + 1);
            }
            Ok(())
        });
        let (runs, said_goodbye) = (runs.get(), said_goodbye.get());
        if let Err(e) = result {
            panic!("{e}");
        }
        assert_eq!(runs, CASES, "every case ran");
        // Most runs reach the story's own goodbye whatever happened on the way.
        assert!(
            said_goodbye * 2 > runs,
            "only {said_goodbye} of {runs} runs said goodbye"
        );
    }

    #[test]
    fn the_checks_catch_a_director_left_without_a_way_on() {
        // The property is not vacuous: a story whose wait has no timeout, with nobody
        // acting, is caught by the same checks.
        let text = shipped("story.ron").replace(
            "timeout: 20.0,\n            on_timeout: \"calling_again\",",
            "",
        );
        let dir = super::failure_injection::StoryCopy::new("no-timeout");
        std::fs::write(dir.path().join("story.ron"), text).expect("write");
        let loaded = load_dir(dir.path());
        let story = Arc::new(loaded.story.expect("compiles, with a warning"));
        let idle = Behaviour {
            happenings: Vec::new(),
            answers: false,
            lateness: 0.0,
            settle_at: LIMIT_SECONDS * 2.0,
            resume_after: 1.0,
            lang: 0,
        };
        let err = play(&story, &idle).err().expect("caught");
        assert!(
            err.to_string()
                .contains("a wait with no deadline at `wait_noticed`"),
            "{err}"
        );
    }
}

pub mod failure_injection {
    //! Files that are missing, unreadable, empty, huge or not what they should be, and
    //! paths that leave the story folder: each gives a clear message, at
    //! `file:line:col` where there is a place to point at, and never a panic.
    //!
    //! No audio device and no XR runtime are the binary's (tests/cli.rs: `play --xr`
    //! without a runtime exits 3 saying what is missing; audio plays silently with no
    //! device).

    use std::cell::RefCell;
    use std::io;

    use super::*;
    use reunion_story::load::{DirFiles, Files, MemFiles, STORY_FILE, load};

    /// A copy of the reference story in a temporary folder, removed when dropped.
    pub struct StoryCopy(PathBuf);

    impl StoryCopy {
        pub fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("reunion-robust-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("music")).expect("temp dir");
            for entry in std::fs::read_dir(reference_dir()).expect("reference") {
                let path = entry.expect("entry").path();
                if path.is_file() {
                    std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
                }
            }
            std::fs::copy(
                reference_dir().join("music/birthday.ogg"),
                dir.join("music/birthday.ogg"),
            )
            .expect("copy music");
            Self(dir)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }

        fn file(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }

        /// Rewrites story.ron with `from` replaced by `to` (which must be there).
        fn edit_story(&self, from: &str, to: &str) -> String {
            let path = self.file("story.ron");
            let text = std::fs::read_to_string(&path).expect("story");
            assert!(text.contains(from), "`{from}` is not in story.ron");
            let text = text.replacen(from, to, 1);
            std::fs::write(&path, &text).expect("write");
            text
        }

        fn load(&self) -> Loaded {
            load_dir(&self.0)
        }
    }

    impl Drop for StoryCopy {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Asserts `d` is in story.ron at the place entry of `place` (`"park": "..."`).
    fn at_place_entry(d: &Diagnostic, text: &str, place: &str, file: &str) {
        assert!(d.file.ends_with("story.ron"), "{d}");
        assert_eq!(
            (d.line, d.col),
            position_of(text, &format!("\"{place}\":"), &format!("\"{file}\"")),
            "{d}"
        );
    }

    #[test]
    fn a_missing_scene_file_is_an_error_at_its_place_entry() {
        let dir = StoryCopy::new("missing-scene");
        std::fs::remove_file(dir.file("heaven_room.scene.ron")).expect("remove");
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        let d = error_with(
            &loaded,
            "place `heaven_room`: the scene file `heaven_room.scene.ron` does not exist",
        );
        at_place_entry(
            d,
            &shipped("story.ron"),
            "heaven_room",
            "heaven_room.scene.ron",
        );
        // What the scene held is then missing too, and said so.
        assert!(
            loaded
                .diagnostics
                .to_string()
                .contains("no scene has a thing called `letter`"),
            "{}",
            loaded.diagnostics
        );
    }

    #[test]
    fn a_scene_the_asset_loader_could_not_read_is_reported_missing() {
        // The Bevy loader leaves out of its in-memory files what it could not read.
        let mut files = MemFiles::default();
        files
            .files
            .insert(PathBuf::from(STORY_FILE), shipped("story.ron"));
        for scene in ["park.scene.ron", "heaven_room.scene.ron"] {
            files.files.insert(PathBuf::from(scene), shipped(scene));
        }
        let loaded = load(&files, Path::new(STORY_FILE), Path::new("s"));
        let d = error_with(
            &loaded,
            "place `sky`: the scene file `sky.scene.ron` does not exist",
        );
        at_place_entry(d, &shipped("story.ron"), "sky", "sky.scene.ron");
    }

    #[test]
    fn a_missing_story_file_says_it_cannot_be_read() {
        let dir = StoryCopy::new("missing-story");
        std::fs::remove_file(dir.file("story.ron")).expect("remove");
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        let d = error_with(&loaded, "cannot read the story");
        assert_eq!(d.file, dir.file("story.ron"));
        assert!(
            d.headline()
                .contains("story.ron:1:1: error: cannot read the story: ")
        );
    }

    /// Makes `path` unreadable: no permissions; where that does not stop reading (as
    /// root), a symbolic link to itself, which no one can read.
    #[cfg(unix)]
    fn make_unreadable(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(path).is_ok() {
            std::fs::remove_file(path).expect("remove");
            std::os::unix::fs::symlink(path, path).expect("symlink");
        }
        assert!(std::fs::read(path).is_err(), "still readable");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_scene_file_is_an_error_at_its_place_entry() {
        let dir = StoryCopy::new("unreadable-scene");
        make_unreadable(&dir.file("park.scene.ron"));
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        let d = error_with(&loaded, "place `park`: cannot read `park.scene.ron`: ");
        at_place_entry(d, &shipped("story.ron"), "park", "park.scene.ron");
        assert!(!d.message.contains("does not exist"), "{d}");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_story_file_says_it_cannot_be_read() {
        let dir = StoryCopy::new("unreadable-story");
        make_unreadable(&dir.file("story.ron"));
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        error_with(&loaded, "cannot read the story: ");
    }

    #[test]
    fn a_scene_file_that_is_not_text_is_an_error_at_its_place_entry() {
        let dir = StoryCopy::new("binary-scene");
        std::fs::write(
            dir.file("sky.scene.ron"),
            b"(environment: Sky(\xff\xfe\x00))",
        )
        .expect("write");
        let loaded = dir.load();
        let d = error_with(&loaded, "place `sky`: cannot read `sky.scene.ron`: ");
        assert!(d.message.contains("UTF-8"), "{d}");
        at_place_entry(d, &shipped("story.ron"), "sky", "sky.scene.ron");
    }

    #[test]
    fn a_scene_file_that_is_a_folder_is_an_error_at_its_place_entry() {
        let dir = StoryCopy::new("folder-scene");
        std::fs::remove_file(dir.file("park.scene.ron")).expect("remove");
        std::fs::create_dir(dir.file("park.scene.ron")).expect("mkdir");
        let loaded = dir.load();
        let d = error_with(&loaded, "place `park`: ");
        at_place_entry(d, &shipped("story.ron"), "park", "park.scene.ron");
        assert!(
            d.message.contains("cannot read `park.scene.ron`") || d.message.contains("is a folder"),
            "{d}"
        );
    }

    #[test]
    fn a_story_file_that_is_a_folder_says_it_cannot_be_read() {
        let dir = StoryCopy::new("folder-story");
        std::fs::remove_file(dir.file("story.ron")).expect("remove");
        std::fs::create_dir(dir.file("story.ron")).expect("mkdir");
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        error_with(&loaded, "cannot read the story: ");
    }

    #[test]
    fn an_empty_story_file_says_so_at_1_1() {
        let dir = StoryCopy::new("empty-story");
        std::fs::write(dir.file("story.ron"), "\n  \n").expect("write");
        let loaded = dir.load();
        let d = error_with(&loaded, "the file is empty");
        assert_eq!((d.line, d.col), (1, 1), "{d}");
        assert!(d.file.ends_with("story.ron"));
    }

    #[test]
    fn an_empty_scene_file_is_an_error_in_that_file() {
        let dir = StoryCopy::new("empty-scene");
        std::fs::write(dir.file("park.scene.ron"), "").expect("write");
        let loaded = dir.load();
        let d = error_with(&loaded, "the file is empty");
        assert!(d.file.ends_with("park.scene.ron"), "{d}");
        assert_eq!((d.line, d.col), (1, 1), "{d}");
    }

    #[test]
    fn a_huge_story_checks_and_plays_until_its_time_limit() {
        // Some 20,000 nodes (about 2 MB): lines, sets and branches, so the checker's
        // whole-graph passes see long chains of nodes that take no time.
        let mut nodes = String::new();
        for i in 0..5_000 {
            nodes.push_str(&format!(
                "        \"say_{i}\": Say(speaker: \"nayeon\", text: {{ \"ko\": \"{i}\", \"en\": \"{i}\" }}, pause: 0.0),\n        \"set_{i}\": Set(var: \"took_hand\", value: true),\n        \"branch_{i}\": Branch(var: \"took_hand\", equals: false, then: \"end\"),\n        \"cue_{i}\": Cue(world: [LookAt(actor: \"nayeon\", at: \"participant\")]),\n"
            ));
        }
        let dir = StoryCopy::new("huge");
        let text = dir.edit_story(
            "        \"arrive\": Go(place: \"park\", transition: Fade(color: \"#000000\", seconds: 5.0)),\n",
            &format!("        \"arrive\": Go(place: \"park\", transition: Fade(color: \"#000000\", seconds: 5.0)),\n{nodes}"),
        );
        assert!(text.len() > 1_000_000, "{} bytes", text.len());
        let started = std::time::Instant::now();
        let loaded = dir.load();
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let story = Arc::new(loaded.story.expect("compiles"));
        assert_eq!(story.nodes.len(), shipped_node_count() + 20_000);
        let goodbye = story.node_id("goodbye").expect("goodbye");
        let mut session =
            Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
        play_headless(&mut session, 10.0, 7200.0).unwrap_or_else(|s| panic!("{s}"));
        // 5,000 lines take longer than the story's 40 minutes: its time limit ends it
        // gently, with the goodbye.
        assert!(
            session.transcript.len() > 2_000,
            "{} lines",
            session.transcript.len()
        );
        assert!(session.transcript.iter().any(|l| l.node == goodbye));
        // Not a benchmark: a generous bound that a quadratic pass would break.
        assert!(
            started.elapsed().as_secs() < 60,
            "took {:?}",
            started.elapsed()
        );
    }

    fn shipped_node_count() -> usize {
        reference().nodes.len()
    }

    #[test]
    fn a_huge_file_of_one_line_is_a_clear_error() {
        // 4 MB with no line break, and the mistake at its very end.
        let dir = StoryCopy::new("one-line");
        let text = format!(
            "(format: 1, title: \"{}\", nodes: {{ }}, oops)",
            "x".repeat(4 << 20)
        );
        std::fs::write(dir.file("story.ron"), &text).expect("write");
        let loaded = dir.load();
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.line, 1, "{}", d.headline());
        assert!(d.col > 4 << 20, "{}", d.headline());
        let _ = loaded.diagnostics.to_string();
    }

    /// A file source that records every path asked of it.
    struct Recording<F> {
        inner: F,
        asked: RefCell<Vec<PathBuf>>,
    }

    impl<F: Files> Files for Recording<F> {
        fn read(&self, path: &Path) -> io::Result<String> {
            self.asked.borrow_mut().push(path.to_owned());
            self.inner.read(path)
        }
        fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
            self.asked.borrow_mut().push(path.to_owned());
            self.inner.read_bytes(path)
        }
        fn exists(&self, path: &Path) -> Option<io::Result<()>> {
            self.asked.borrow_mut().push(path.to_owned());
            self.inner.exists(path)
        }
    }

    /// Loads the folder, asserting that no path outside it was ever asked for.
    fn load_recorded(dir: &StoryCopy) -> Loaded {
        let files = Recording {
            inner: DirFiles {
                root: dir.path().to_owned(),
            },
            asked: RefCell::new(Vec::new()),
        };
        let loaded = load(&files, Path::new(STORY_FILE), dir.path());
        for path in files.asked.borrow().iter() {
            let text = path.to_string_lossy();
            assert!(
                !path.is_absolute() && !text.contains("..") && !text.contains("passwd"),
                "the checker asked for `{text}`"
            );
        }
        loaded
    }

    #[test]
    fn a_scene_path_out_of_the_folder_is_refused_at_its_entry() {
        for (bad, says) in [
            (
                "../../etc/passwd",
                "`../../etc/passwd` leaves the story folder",
            ),
            ("scenes/../../../etc/passwd", "leaves the story folder"),
            // On Windows a backslash separates folders too.
            (
                r"..\\..\\etc\\passwd",
                r"`..\..\etc\passwd` leaves the story folder",
            ),
            ("/etc/passwd", "`/etc/passwd` is an absolute path"),
        ] {
            let dir = StoryCopy::new("scene-outside");
            let text = dir.edit_story("\"sky\": \"sky.scene.ron\"", &format!("\"sky\": \"{bad}\""));
            let loaded = load_recorded(&dir);
            assert!(loaded.story.is_none());
            let d = error_with(&loaded, says);
            assert!(d.message.contains("paths"), "{d}");
            assert_eq!(
                (d.line, d.col),
                position_of(&text, "\"sky\":", &format!("\"{bad}\"")),
                "{d}"
            );
        }
    }

    #[test]
    fn a_music_clip_out_of_the_folder_is_refused_at_its_clip() {
        for (bad, says) in [
            ("../../etc/passwd", "leaves the story folder"),
            ("/etc/passwd", "is an absolute path"),
        ] {
            let dir = StoryCopy::new("music-outside");
            let text = dir.edit_story("clip: \"music/birthday.ogg\"", &format!("clip: \"{bad}\""));
            let loaded = load_recorded(&dir);
            let d = error_with(&loaded, says);
            assert_eq!(
                (d.line, d.col),
                position_of(&text, "PlayMusic", &format!("\"{bad}\"")),
                "{d}"
            );
        }
    }

    #[test]
    fn a_voice_clip_out_of_the_folder_is_refused_at_its_line() {
        let dir = StoryCopy::new("voice-outside");
        let text = dir.edit_story("voice: \"calling\",", "voice: \"../../../../etc/passwd\",");
        let loaded = load_recorded(&dir);
        // One refusal per language: voice/<lang>/<voice>.ogg.
        for lang in ["ko", "en"] {
            let d = error_with(
                &loaded,
                &format!("`voice/{lang}/../../../../etc/passwd.ogg` leaves the story folder"),
            );
            assert_eq!(
                (d.line, d.col),
                position_of(&text, "voice:", "\"../../../../etc/passwd\""),
                "{d}"
            );
        }
    }

    #[test]
    fn a_missing_voice_clip_is_a_warning_at_its_line_and_the_line_keeps_its_text_timing() {
        // The checker looks for `voice/<lang>/<name>.ogg` in the folder. A clip not
        // recorded yet is no reason to stop a rehearsal: the line is timed by its text.
        let dir = StoryCopy::new("missing-voice");
        let text = dir.edit_story("voice: \"calling\",", "voice: \"not_recorded\",");
        // Recorded in Korean only (the copy holds no other clip).
        std::fs::create_dir_all(dir.file("voice/ko")).expect("mkdir");
        std::fs::copy(
            reference_dir().join("voice/ko/calling.ogg"),
            dir.file("voice/ko/not_recorded.ogg"),
        )
        .expect("copy a clip");
        let loaded = dir.load();
        assert!(loaded.story.is_some(), "{}", loaded.diagnostics);
        let found: Vec<_> = loaded
            .diagnostics
            .0
            .iter()
            .filter(|d| d.message.contains("not_recorded"))
            .collect();
        assert_eq!(found.len(), 1, "{}", loaded.diagnostics);
        let d = found[0];
        assert_eq!(
            d.severity,
            reunion_story::diagnostic::Severity::Warning,
            "{d}"
        );
        assert!(d.message.contains("voice/en/not_recorded.ogg"), "{d}");
        assert!(d.message.contains("does not exist"), "{d}");
        assert_eq!(
            (d.line, d.col),
            position_of(&text, "voice:", "\"not_recorded\""),
            "{d}"
        );
    }

    #[test]
    fn a_missing_music_clip_is_an_error_at_its_clip() {
        let dir = StoryCopy::new("missing-music");
        std::fs::remove_file(dir.file("music/birthday.ogg")).expect("remove");
        let loaded = dir.load();
        let d = error_with(&loaded, "the clip `music/birthday.ogg` does not exist");
        assert_eq!(
            (d.line, d.col),
            position_of(&shipped("story.ron"), "PlayMusic", "\"music/birthday.ogg\""),
            "{d}"
        );
    }
}
