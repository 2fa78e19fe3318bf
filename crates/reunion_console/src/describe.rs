//! The story's state in words, for the operator: conditions, phases, clocks, and the
//! lists the console builds its buttons from. Pure functions of the story and the
//! director, so they read the same in the window and in a test.

use reunion_story::director::{Director, Phase};
use reunion_story::format::TouchZone;
use reunion_story::story::{ActorId, Condition, NodeId, NodeKind, Story, ThingSet};

/// A condition as a facilitator would say it: "her hand held (nayeon)", "a look at
/// nayeon for 1.5 s", "the participant to speak". Actors are named by their cast id.
pub fn condition(story: &Story, c: &Condition) -> String {
    let actor = |a: &ActorId| story.actor(*a).id.as_str();
    match c {
        Condition::HandHeld(a) => format!("her hand held ({})", actor(a)),
        Condition::HandReleased => "the hand let go".into(),
        Condition::GazeHeld { on, seconds } => {
            format!("a look at {} for {seconds} s", actor(on))
        }
        Condition::Near { to, within } => {
            format!("the participant within {within} m of {}", actor(to))
        }
        Condition::CandlePlaced => "a candle placed".into(),
        Condition::AllCandlesPlaced => "every candle placed".into(),
        Condition::CandlesLit => "the candles lit".into(),
        Condition::CandlesBlownOut => "the candles blown out".into(),
        Condition::ParticipantSpoke => "the participant to speak".into(),
        Condition::Touched { actor: a, zone } => {
            format!("a touch on {}'s {}", actor(a), zone_name(*zone))
        }
        Condition::OperatorCue(name) => format!("the operator cue \"{name}\""),
        Condition::Heard(i) => format!("the participant to say \"{}\"", story.intent(*i).id),
        Condition::Placed { thing, into } => {
            format!("{} placed in {}", things(story, thing), things(story, into))
        }
        Condition::Holding(set) => format!("{} in the participant's hand", things(story, set)),
        Condition::TouchedThing(set) => format!("a touch on {}", things(story, set)),
        Condition::Lit(set) => format!("{} burning", things(story, set)),
        Condition::Any(cs) => compound(story, cs, " or ", "never (an empty any)"),
        Condition::All(cs) => compound(story, cs, " and ", "nothing (an empty all)"),
        Condition::By {
            participant,
            condition: c,
        } => format!("{}, by {participant}", condition(story, c)),
    }
}

/// Things by their ids, "the rose" or "rose_1/rose_2".
fn things(story: &Story, set: &ThingSet) -> String {
    let mut names: Vec<&str> = set.iter().map(|t| story.thing(t).id.as_str()).collect();
    names.dedup();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => format!("the {one}"),
        _ => names.join("/"),
    }
}

fn compound(story: &Story, cs: &[Condition], joiner: &str, empty: &str) -> String {
    if cs.is_empty() {
        return empty.into();
    }
    cs.iter()
        .map(|c| match c {
            Condition::Any(inner) | Condition::All(inner) if inner.len() > 1 => {
                format!("({})", condition(story, c))
            }
            _ => condition(story, c),
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// A touch zone in words.
pub fn zone_name(zone: TouchZone) -> &'static str {
    match zone {
        TouchZone::Head => "head",
        TouchZone::Cheek => "cheek",
        TouchZone::Shoulder => "shoulder",
        TouchZone::Hand => "hand",
    }
}

/// What the director is doing, in words: "speaking", "pause, 2 s left", "waiting,
/// 12 s left", "moving to park, 3 s left", "ended", "held".
pub fn phase(director: &Director) -> String {
    let story = director.story();
    let now = director.story_time();
    let doing = match director.phase() {
        Phase::Idle => "not started".to_owned(),
        Phase::Speaking { .. } => "speaking".to_owned(),
        Phase::Pausing { until } => format!("pause, {} left", seconds_left(until - now)),
        Phase::Waiting { .. } => match director.wait_remaining() {
            Some(left) => format!("waiting, {} left", seconds_left(left)),
            None => "waiting (no timeout)".to_owned(),
        },
        Phase::Transition { remaining, place } => format!(
            "moving to {}, {} left",
            story.place(*place).id,
            seconds_left(*remaining)
        ),
        Phase::Ended => "ended".to_owned(),
    };
    if director.in_calm_place() {
        format!("held in the calm place ({doing})")
    } else if director.is_held() {
        format!("held ({doing})")
    } else {
        doing
    }
}

/// Seconds still to go, rounded up: "3 s".
pub fn seconds_left(seconds: f64) -> String {
    format!("{:.0} s", seconds.max(0.0).ceil())
}

/// A clock as `mm:ss`.
pub fn clock(seconds: f64) -> String {
    // Whole seconds of a session: far below `u64::MAX`.
    let whole = seconds.max(0.0).floor() as u64;
    format!("{:02}:{:02}", whole / 60, whole % 60)
}

/// The condition the node waits for, if it is a `Wait`.
pub fn wait_condition(story: &Story, node: NodeId) -> Option<&Condition> {
    match &story.node(node).kind {
        NodeKind::Wait { until, .. } => Some(until),
        _ => None,
    }
}

/// Every condition of every `Wait` node, nested ones included, in story order.
fn wait_conditions(story: &Story) -> Vec<&Condition> {
    fn walk<'a>(c: &'a Condition, out: &mut Vec<&'a Condition>) {
        out.push(c);
        match c {
            Condition::Any(cs) | Condition::All(cs) => {
                for inner in cs {
                    walk(inner, out);
                }
            }
            Condition::By { condition, .. } => walk(condition, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for node in &story.nodes {
        if let NodeKind::Wait { until, .. } = &node.kind {
            walk(until, &mut out);
        }
    }
    out
}

/// The names of the operator cues the story waits for (inside `Any` and `All` too),
/// each once, in story order.
pub fn operator_cues(story: &Story) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in wait_conditions(story) {
        if let Condition::OperatorCue(name) = c
            && !names.contains(name)
        {
            names.push(name.clone());
        }
    }
    names
}

/// The touches the story waits for (who, where), each once, in story order.
pub fn touches(story: &Story) -> Vec<(ActorId, TouchZone)> {
    let mut out: Vec<(ActorId, TouchZone)> = Vec::new();
    for c in wait_conditions(story) {
        if let Condition::Touched { actor, zone } = c
            && !out.contains(&(*actor, *zone))
        {
            out.push((*actor, *zone));
        }
    }
    out
}
