//! The story as a picture: a DOT graph for Graphviz's `dot` to lay out
//! (`reunion graph`).
//!
//! Each run of nodes that follow one another with no other way in or out is drawn as
//! one box, a row per node, so a story of sixty nodes still reads on a page. A row
//! names the node's kind in its kind's colour, its id, and what it does (the first
//! words of a line, what a wait waits for, where a `Go` goes). Edges carry the ways
//! out of waits (met, or after the timeout, dashed) and branches (yes, no). Each place
//! is a cluster holding the nodes played there; a place no `Go` enters is drawn empty
//! with a dashed red border. What the checker warns about a node ([`findings`]) turns
//! its row red and is written under it.

use std::fmt::Write as _;

use crate::story::*;
use crate::subtitle_fit;

/// The colour of a row's kind cell, by kind.
fn kind_color(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Say(_) => "#dbe9ff",
        NodeKind::Wait { .. } => "#fff0b3",
        NodeKind::Pause { .. } | NodeKind::Set { .. } => "#ececec",
        NodeKind::Branch { .. } => "#e6dcff",
        NodeKind::Go { .. } => "#cdeecb",
        NodeKind::Cue { .. } => "#ffe2c4",
        NodeKind::End { .. } => "#bdbdbd",
    }
}

/// The red of a warning.
const WARN: &str = "#c0392b";
/// The fill of a warned row.
const WARN_FILL: &str = "#fde0dc";

/// What the checker warns about each node, in words for the picture: never reached,
/// a wait with no timeout, no way on to an `End`, a speaker not in the place, a line
/// too long for the subtitle panel.
pub fn findings(story: &Story) -> Vec<Vec<String>> {
    let reachable = story.reachable();
    let trapped = story.trapped();
    let places_ok = story.node_place.len() == story.nodes.len();
    story
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let mut out = Vec::new();
            if story.is_answer_line(NodeId(i as u32)) {
                // An answer's line is said in reply, outside the flow: never reached
                // by it, and it leads nowhere.
                return out;
            }
            if !reachable[i] {
                out.push("never reached".to_owned());
            } else if trapped[i] {
                out.push("in a loop with no way on to an End".to_owned());
            }
            match &node.kind {
                NodeKind::Wait { timeout: None, .. } => {
                    out.push("no timeout: could wait forever".to_owned());
                }
                NodeKind::Say(line) => {
                    let place = if places_ok { story.node_place[i] } else { None };
                    if let Some(p) = place
                        && !story
                            .place(p)
                            .things
                            .iter()
                            .any(|t| t.kind == ThingKind::Actor(line.speaker))
                    {
                        out.push(format!(
                            "{} is not in {}",
                            story.actor(line.speaker).id,
                            story.place(p).id
                        ));
                    }
                    for (l, text) in line.text.iter().enumerate() {
                        if !subtitle_fit::fits(text) {
                            out.push(format!(
                                "too long for the subtitle panel ({})",
                                story.languages.get(l).map_or("?", String::as_str)
                            ));
                        }
                    }
                }
                _ => {}
            }
            out
        })
        .collect()
}

/// Escapes text for a Graphviz HTML label.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The first words of `text`, at most about `max` characters, with `…` if cut.
pub fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let len = out.chars().count() + word.chars().count() + 1;
        if !out.is_empty() && len > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if word.chars().count() > max {
            out.extend(word.chars().take(max));
            out.push('…');
            return out;
        }
        out.push_str(word);
    }
    out
}

fn things_name(story: &Story, set: &ThingSet) -> String {
    set.iter()
        .next()
        .map_or_else(|| "?".to_owned(), |t| story.thing(t).id.clone())
}

/// A condition in a few words.
fn condition(story: &Story, c: &Condition) -> String {
    let actor = |a: &ActorId| story.actor(*a).id.clone();
    match c {
        Condition::HandHeld(a) => format!("{}'s hand held", actor(a)),
        Condition::HandReleased => "hand let go".into(),
        Condition::GazeHeld { on, seconds } => format!("looked at {} {seconds} s", actor(on)),
        Condition::Near { to, within } => format!("within {within} m of {}", actor(to)),
        Condition::CandlePlaced => "a candle placed".into(),
        Condition::AllCandlesPlaced => "all candles placed".into(),
        Condition::CandlesLit => "candles lit".into(),
        Condition::CandlesBlownOut => "candles blown out".into(),
        Condition::ParticipantSpoke => "the participant speaks".into(),
        Condition::Touched { actor: a, zone } => format!("{} touched ({zone:?})", actor(a)),
        Condition::OperatorCue(cue) => format!("operator: {cue}"),
        Condition::Heard(i) => format!("heard \"{}\"", story.intent(*i).id),
        Condition::By {
            participant,
            condition: c,
        } => format!("{} (by {participant})", condition(story, c)),
        Condition::Any(cs) => cs
            .iter()
            .map(|c| condition(story, c))
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::All(cs) => cs
            .iter()
            .map(|c| condition(story, c))
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Placed { thing, into } => format!(
            "{} placed in {}",
            things_name(story, thing),
            things_name(story, into)
        ),
        Condition::Holding(t) => format!("holding {}", things_name(story, t)),
        Condition::TouchedThing(t) => format!("{} touched", things_name(story, t)),
        Condition::Lit(t) => format!("{} lit", things_name(story, t)),
    }
}

fn cue(story: &Story, c: &WorldCue) -> String {
    let actor = |a: &ActorId| story.actor(*a).id.clone();
    match c {
        WorldCue::OfferHand(a) => format!("{} offers a hand", actor(a)),
        WorldCue::LetGo(a) => format!("{} lets go", actor(a)),
        WorldCue::LightCandles => "light candles".into(),
        WorldCue::PlayMusic(m) => format!("music {}", m.rsplit('/').next().unwrap_or(m)),
        WorldCue::StopMusic(_) => "music stops".into(),
        WorldCue::Gesture(a, g) => format!("{} {g:?}", actor(a)),
        WorldCue::Expression(a, e) => format!("{} {e:?}", actor(a)),
        WorldCue::LookAt(a, _) => format!("{} looks", actor(a)),
        WorldCue::Show(t) => format!("show {t}"),
        WorldCue::Hide(t) => format!("hide {t}"),
        WorldCue::Animate { thing, clip } => format!("{} plays {clip}", things_name(story, thing)),
        WorldCue::Light(t) => format!("light {}", things_name(story, t)),
        WorldCue::PutOut(t) => format!("put out {}", things_name(story, t)),
        WorldCue::ReplayWords(i) => format!("the participant's words ({})", story.intent(*i).id),
    }
}

/// What a node does, in a few words (`lang` for lines).
fn summary(story: &Story, node: &Node, lang: LangId) -> String {
    match &node.kind {
        NodeKind::Say(line) => {
            let text = line
                .text
                .get(lang.index())
                .or(line.text.first())
                .map_or("", String::as_str);
            format!("“{}”", first_words(text, 34))
        }
        NodeKind::Wait { until, timeout, .. } => {
            let until = first_words(&condition(story, until), 40);
            match timeout {
                Some(t) => format!("{until}, {t} s"),
                None => until,
            }
        }
        NodeKind::Pause { seconds, .. } => format!("{seconds} s"),
        NodeKind::Branch { var, equals, .. } => {
            format!("{} = {equals}?", story.variables[var.index()].id)
        }
        NodeKind::Set { var, value, .. } => {
            format!("{} := {value}", story.variables[var.index()].id)
        }
        NodeKind::Go {
            place, transition, ..
        } => {
            let how = match transition {
                Transition::Fade { .. } => "fade",
                Transition::Dissolve { .. } => "dissolve",
                Transition::LeadByHand { .. } => "led by the hand",
                Transition::Butterfly { .. } => "a butterfly",
            };
            format!("to {}, {how}", story.place(*place).id)
        }
        NodeKind::Cue { world, .. } => first_words(
            &world
                .iter()
                .map(|c| cue(story, c))
                .collect::<Vec<_>>()
                .join(", "),
            40,
        ),
        NodeKind::End { aftercare } => match aftercare {
            Some(text) => format!(
                "aftercare: “{}”",
                first_words(
                    text.get(lang.index())
                        .or(text.first())
                        .map_or("", String::as_str),
                    24
                )
            ),
            None => String::new(),
        },
    }
}

/// The place each node is drawn in: a `Go` in the place it goes to, others where
/// they are reached; a node never reached (or reached only by the operator) where
/// the nodes that lead to it are.
fn drawn_in(story: &Story) -> Vec<Option<PlaceId>> {
    let mut at: Vec<Option<PlaceId>> = (0..story.nodes.len())
        .map(|i| match &story.nodes[i].kind {
            NodeKind::Go { place, .. } => Some(*place),
            _ => story.node_place.get(i).copied().flatten(),
        })
        .collect();
    // Carry places forward along the edges until nothing changes; what no edge
    // reaches is drawn with the node written before it.
    for by_file_order in [false, true] {
        let mut changed = true;
        while changed {
            changed = false;
            for (i, node) in story.nodes.iter().enumerate() {
                if by_file_order && at[i].is_none() && i > 0 && at[i - 1].is_some() {
                    at[i] = at[i - 1];
                    changed = true;
                }
                let Some(p) = at[i] else { continue };
                for s in node.kind.successors() {
                    if at[s.index()].is_none() {
                        at[s.index()] = Some(p);
                        changed = true;
                    }
                }
            }
        }
    }
    at
}

/// The runs of nodes drawn as one box each, in the story's order.
fn chains(story: &Story, reachable: &[bool], place: &[Option<PlaceId>]) -> Vec<Vec<usize>> {
    let n = story.nodes.len();
    let mut preds = vec![0usize; n];
    let mut pred = vec![usize::MAX; n];
    for (i, node) in story.nodes.iter().enumerate() {
        for s in node.kind.successors() {
            preds[s.index()] += 1;
            pred[s.index()] = i;
        }
    }
    // Does node `v` continue the box of the node before it?
    let continues = |v: usize| {
        let u = pred[v];
        preds[v] == 1
            && v != story.start.index()
            && Some(NodeId(v as u32)) != story.ending
            && !matches!(story.nodes[v].kind, NodeKind::Go { .. })
            && story.nodes[u].kind.successors().len() == 1
            && place[u] == place[v]
            && reachable[u] == reachable[v]
    };
    let mut done = vec![false; n];
    let mut out = Vec::new();
    // Heads first, then whatever is left (a loop where every node continues another).
    let heads: Vec<usize> = (0..n)
        .filter(|&v| !continues(v))
        .chain(0..n)
        .collect::<Vec<_>>();
    for head in heads {
        if done[head] {
            continue;
        }
        let mut chain = vec![head];
        done[head] = true;
        let mut at = head;
        loop {
            let next = story.nodes[at].kind.successors();
            let [next] = next.as_slice() else { break };
            let v = next.index();
            if done[v] || !continues(v) {
                break;
            }
            done[v] = true;
            chain.push(v);
            at = v;
        }
        out.push(chain);
    }
    out.sort_by_key(|c| c[0]);
    out
}

/// The story as a DOT graph, its lines in `lang`.
pub fn to_dot(story: &Story, lang: LangId) -> String {
    let reachable = story.reachable();
    let found = findings(story);
    let place_of = drawn_in(story);
    let chains = chains(story, &reachable, &place_of);
    let mut box_of = vec![0usize; story.nodes.len()];
    for (b, chain) in chains.iter().enumerate() {
        for &i in chain {
            box_of[i] = b;
        }
    }
    let font = "Noto Sans, NanumGothic, sans-serif";
    let mut dot = String::new();
    let w = &mut dot;
    let _ = writeln!(w, "digraph story {{");
    let _ = writeln!(
        w,
        "  graph [rankdir=TB, nodesep=0.2, ranksep=0.3, fontname=\"{font}\", fontsize=13, \
         labelloc=t, label=<<B>{}</B>>, newrank=true];",
        esc(&story.title)
    );
    let _ = writeln!(w, "  node [shape=plain, fontname=\"{font}\", fontsize=10];");
    let _ = writeln!(
        w,
        "  edge [fontname=\"{font}\", fontsize=9, color=\"#555555\", arrowsize=0.6];"
    );
    // The boxes, each in its place's cluster.
    let mut by_place: Vec<Vec<usize>> = vec![Vec::new(); story.places.len() + 1];
    for (b, chain) in chains.iter().enumerate() {
        let slot = place_of[chain[0]].map_or(story.places.len(), PlaceId::index);
        by_place[slot.min(story.places.len())].push(b);
    }
    let entered: Vec<bool> = (0..story.places.len())
        .map(|p| {
            story.nodes.iter().enumerate().any(|(i, n)| {
                reachable[i] && matches!(n.kind, NodeKind::Go { place, .. } if place.index() == p)
            })
        })
        .collect();
    for (p, boxes) in by_place.iter().enumerate() {
        let cluster = p < story.places.len();
        if cluster {
            let place = &story.places[p];
            let (style, color, note) = if entered[p] {
                ("rounded", "#7a9a7a", String::new())
            } else {
                (
                    "rounded,dashed",
                    WARN,
                    format!(" <FONT COLOR=\"{WARN}\">⚠ never entered</FONT>"),
                )
            };
            let _ = writeln!(
                w,
                "  subgraph cluster_{p} {{\n    label=<<B>{}</B> <FONT POINT-SIZE=\"10\">{}</FONT>{note}>; \
                 style=\"{style}\"; color=\"{color}\"; bgcolor=\"#f7fbf5\"; labeljust=l;",
                esc(&place.id),
                esc(&place.file)
            );
            if boxes.is_empty() {
                let _ = writeln!(
                    w,
                    "    empty_{p} [shape=plaintext, label=<<FONT COLOR=\"{WARN}\">no Go leads here</FONT>>];"
                );
            }
        }
        for &b in boxes {
            write_box(w, story, &chains[b], b, lang, &found);
        }
        if cluster {
            let _ = writeln!(w, "  }}");
        }
    }
    // How the story begins, and where the operator's "end gently" goes.
    let _ = writeln!(
        w,
        "  start [shape=circle, style=filled, fillcolor=black, label=\"\", width=0.15];"
    );
    let _ = writeln!(
        w,
        "  start -> b{} [headport=n];",
        box_of[story.start.index()]
    );
    if let Some(e) = story.ending {
        let _ = writeln!(
            w,
            "  operator [shape=note, fontsize=9, label=\"operator:\\nend gently\", color=\"#888888\"];"
        );
        let _ = writeln!(
            w,
            "  operator -> b{} [style=dotted, headport=n];",
            box_of[e.index()]
        );
    }
    // The edges between boxes.
    for chain in &chains {
        let last = *chain.last().expect("a chain has a node");
        let from = box_of[last];
        let edges: Vec<(NodeId, String, &str)> = match &story.nodes[last].kind {
            NodeKind::Wait {
                timeout,
                on_timeout,
                next,
                ..
            } => match timeout {
                Some(t) if on_timeout == next => vec![(*next, format!("met or {t} s"), "solid")],
                Some(t) => vec![
                    (*next, "met".into(), "solid"),
                    (*on_timeout, format!("after {t} s"), "dashed"),
                ],
                None => vec![(*next, "met".into(), "solid")],
            },
            NodeKind::Branch {
                then, otherwise, ..
            } => vec![
                (*then, "yes".into(), "solid"),
                (*otherwise, "no".into(), "dashed"),
            ],
            kind => kind
                .successors()
                .into_iter()
                .map(|s| (s, String::new(), "solid"))
                .collect(),
        };
        for (to, label, style) in edges {
            let to_box = box_of[to.index()];
            let color = if reachable[last] { "#555555" } else { WARN };
            let back = to_box <= from && chains[to_box][0] <= last;
            let _ = writeln!(
                w,
                "  b{from}:s -> b{to_box}:n [label=\"{}\", style={style}, color=\"{color}\"{}];",
                esc(&label),
                if back { ", constraint=false" } else { "" }
            );
        }
    }
    write_legend(w);
    let _ = writeln!(w, "}}");
    dot
}

fn write_box(
    w: &mut String,
    story: &Story,
    chain: &[usize],
    b: usize,
    lang: LangId,
    found: &[Vec<String>],
) {
    let warned = chain.iter().any(|&i| !found[i].is_empty());
    let border = if warned { WARN } else { "#666666" };
    let _ = write!(
        w,
        "    b{b} [label=<<TABLE BORDER=\"1\" COLOR=\"{border}\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\" BGCOLOR=\"white\">"
    );
    let mut before: &[String] = &[];
    for &i in chain {
        let node = &story.nodes[i];
        let notes = &found[i];
        let fill = if notes.is_empty() { "white" } else { WARN_FILL };
        let _ = write!(
            w,
            "<TR><TD BGCOLOR=\"{}\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">{}</FONT></TD>\
             <TD BGCOLOR=\"{fill}\" ALIGN=\"LEFT\"><B>{}</B></TD>\
             <TD BGCOLOR=\"{fill}\" ALIGN=\"LEFT\">{}</TD></TR>",
            kind_color(&node.kind),
            node.kind.name(),
            esc(&node.id),
            esc(&summary(story, node, lang))
        );
        // A note the row above has too is said once, for the run.
        for note in notes.iter().filter(|n| !before.contains(n)) {
            let _ = write!(
                w,
                "<TR><TD></TD><TD COLSPAN=\"2\" BGCOLOR=\"{WARN_FILL}\" ALIGN=\"LEFT\"><FONT COLOR=\"{WARN}\">⚠ {}</FONT></TD></TR>",
                esc(note)
            );
        }
        before = notes;
    }
    let _ = writeln!(w, "</TABLE>>];");
}

fn write_legend(w: &mut String) {
    let kinds = [
        ("Say", "#dbe9ff"),
        ("Wait", "#fff0b3"),
        ("Branch", "#e6dcff"),
        ("Go", "#cdeecb"),
        ("Cue", "#ffe2c4"),
        ("Pause, Set", "#ececec"),
        ("End", "#bdbdbd"),
    ];
    let _ = write!(
        w,
        "  legend [label=<<TABLE BORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\"><TR>"
    );
    for (name, color) in kinds {
        let _ = write!(
            w,
            "<TD BGCOLOR=\"{color}\"><FONT POINT-SIZE=\"8\">{name}</FONT></TD>"
        );
    }
    let _ = writeln!(
        w,
        "<TD BGCOLOR=\"{WARN_FILL}\"><FONT POINT-SIZE=\"8\" COLOR=\"{WARN}\">⚠ the checker warns</FONT></TD>\
         <TD><FONT POINT-SIZE=\"8\">dashed: after a timeout, or no</FONT></TD></TR></TABLE>>];"
    );
    let _ = writeln!(w, "  {{ rank=source; legend; start; }}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_cuts_at_a_word() {
        assert_eq!(
            first_words("Mommy, did you miss me today?", 16),
            "Mommy, did you…"
        );
        assert_eq!(first_words("Mommy!", 16), "Mommy!");
        assert_eq!(first_words("가나다라마바사", 3), "가나다…");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(esc("a <b> & \"c\""), "a &lt;b&gt; &amp; &quot;c&quot;");
    }
}
