//! `reunion report LOG [--out FILE.html]`: a session on one page, for the facilitator or
//! counsellor who sits with the participant and the family afterwards.
//!
//! It reads the session log's typed records (`reunion_story::log::Record`, the ones
//! `replay` reads) and, where the story's folder named in the log is still there, the
//! story for its names and its consent. The page is HTML with its style and its
//! timeline (SVG) inline: nothing is fetched, any browser shows it (Korean too), and it
//! prints on A4. HTML rather than a PDF: the counsellor can read it on the tablet it was
//! played from, and the browser prints it.
//!
//! What it shows is only what the log holds: the places and the time in each, her lines
//! as they were said, the participant's acts, each wait and whether it was met or ran
//! out, the operator's actions and every safety event; at its top, whose likeness the
//! story recreates and the consent's notes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reunion_story::director::{Cue, Input, OperatorCommand, StoryEvent};
use reunion_story::log::Record;
use reunion_story::story::{Story, ThingId};

/// `reunion report`'s arguments.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The session log (`session.jsonl`, from `play --log`).
    pub log: PathBuf,
    /// Where to write the page (default: beside the log, `report.html`).
    #[arg(long, value_name = "FILE.html")]
    pub out: Option<PathBuf>,
    /// The language of her lines on the page, the facilitator's (default: the
    /// session's); the log keeps every line in every language of the story.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
}

/// One stretch of the session in a place.
#[derive(Debug, Clone, PartialEq)]
pub struct Stay {
    pub place: String,
    pub from: f64,
    pub to: f64,
}

/// A wait, and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub node: String,
    pub from: f64,
    pub to: Option<f64>,
    /// `Some(true)` met, `Some(false)` ran out of time, `None` still waiting at the end.
    pub met: Option<bool>,
}

/// What the log says happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub title: String,
    pub language: String,
    /// The whole session, seconds.
    pub total: f64,
    pub stays: Vec<Stay>,
    /// Her lines: when, who, what (in the session's language).
    pub lines: Vec<(f64, String, String)>,
    pub waits: Vec<Wait>,
    /// The participant's acts: when, what.
    pub acts: Vec<(f64, String)>,
    /// The operator's actions and the safety events: when, what, whether it is a
    /// safety event (an exit, stop now, the calm place).
    pub interventions: Vec<(f64, String, bool)>,
    /// Whether the story reached its end.
    pub ended: bool,
}

/// Reads a log's text into a summary; `story`, when known, names places and people;
/// `lang`: the language to show her lines in, instead of the session's.
pub fn summarize(log: &str, story: Option<&Story>, lang: Option<&str>) -> Result<Summary, String> {
    let mut s = Summary::default();
    let want = lang;
    let mut lang = 0usize;
    let place_name = |i: usize| {
        story
            .and_then(|st| st.places.get(i))
            .map_or_else(|| format!("place {}", i + 1), |p| p.id.clone())
    };
    let thing_name = |t: ThingId| {
        story
            .and_then(|st| {
                st.places
                    .get(t.place.index())?
                    .things
                    .get(usize::from(t.index))
            })
            .map_or_else(|| "a thing".to_string(), |th| th.id.clone())
    };
    let actor_name = |i: usize| {
        story
            .and_then(|st| st.cast.get(i))
            .map_or_else(|| format!("actor {}", i + 1), |a| a.id.clone())
    };
    for (n, line) in log.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(line)
            .map_err(|e| format!("line {} is not a session log record: {e}", n + 1))?;
        match record {
            Record::Session { session, .. } => {
                s.title = session.story;
                let wanted = want.unwrap_or(&session.language).to_string();
                lang = story
                    .and_then(|st| st.languages.iter().position(|l| *l == wanted))
                    .unwrap_or(0);
                s.language = wanted;
            }
            Record::Ticks { t, .. } | Record::Note { t, .. } if t >= 0.0 => {
                s.total = s.total.max(t);
                if let Record::Note { note, .. } = &record {
                    s.interventions.push((t, note.clone(), false));
                }
            }
            Record::Ticks { .. } | Record::Note { .. } => {}
            Record::Input { t, input } => {
                s.total = s.total.max(t);
                if let Some((by, e)) = input.as_event() {
                    if let Some(what) = act(e, &actor_name, &thing_name) {
                        let what = match by {
                            Some(by) => format!("{by}: {what}"),
                            None => what,
                        };
                        let safety = matches!(e, StoryEvent::ParticipantExit);
                        if safety {
                            s.interventions.push((t, what.clone(), true));
                        }
                        s.acts.push((t, what));
                    }
                    continue;
                }
                match input {
                    Input::Event(_) | Input::EventBy { .. } | Input::Tick(_) => {}
                    Input::Operator(op) => {
                        let safety = matches!(op, OperatorCommand::StopNow);
                        s.interventions.push((t, operator(&op), safety));
                    }
                    Input::Resumed => s.interventions.push((
                        t,
                        "resumed after the session stopped without an end".into(),
                        true,
                    )),
                }
            }
            Record::Cue {
                t,
                cue,
                node,
                speaker,
                text,
            } => {
                s.total = s.total.max(t);
                match cue {
                    Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                        let name = place_name(place.index());
                        if let Some(last) = s.stays.last_mut() {
                            last.to = t;
                            if last.place == name {
                                continue;
                            }
                        }
                        s.stays.push(Stay {
                            place: name,
                            from: t,
                            to: t,
                        });
                    }
                    Cue::Say { .. } => {
                        let said = text
                            .as_ref()
                            .and_then(|all| all.get(lang).or(all.first()))
                            .cloned()
                            .unwrap_or_default();
                        let who = speaker
                            .as_deref()
                            .map(|id| {
                                story
                                    .and_then(|st| st.cast.iter().find(|a| a.id == id))
                                    .and_then(|a| a.name.get(lang))
                                    .cloned()
                                    .unwrap_or_else(|| id.to_string())
                            })
                            .unwrap_or_default();
                        s.lines.push((t, who, said));
                    }
                    Cue::Waiting { .. } => s.waits.push(Wait {
                        node: node.unwrap_or_default(),
                        from: t,
                        to: None,
                        met: None,
                    }),
                    Cue::WaitMet { .. } | Cue::WaitTimedOut { .. } => {
                        let met = matches!(cue, Cue::WaitMet { .. });
                        if let Some(w) = s.waits.iter_mut().rev().find(|w| w.met.is_none()) {
                            w.to = Some(t);
                            w.met = Some(met);
                        }
                    }
                    Cue::Held => s.interventions.push((t, "held".into(), false)),
                    Cue::Resumed => s.interventions.push((t, "resumed".into(), false)),
                    Cue::SafeExit => {
                        s.interventions
                            .push((t, "the calm place (safe exit)".into(), true))
                    }
                    Cue::WindDown => {
                        s.interventions
                            .push((t, "time limit near: the ending began".into(), false))
                    }
                    Cue::Ended { .. } => s.ended = true,
                    _ => {}
                }
            }
        }
    }
    if let Some(last) = s.stays.last_mut() {
        last.to = s.total;
    }
    Ok(s)
}

/// A participant's act as a counsellor would say it; `None` for what the world reports
/// continuously (gaze, distance) or for itself (a line or a transition finishing).
fn act(
    e: &StoryEvent,
    actor: &dyn Fn(usize) -> String,
    thing: &dyn Fn(ThingId) -> String,
) -> Option<String> {
    Some(match e {
        StoryEvent::HandHeld(a) => format!("took {}'s hand", actor(a.index())),
        StoryEvent::HandReleased => "let go of her hand".into(),
        StoryEvent::CandlePlaced(n) => format!("placed candle {n}"),
        StoryEvent::AllCandlesPlaced => "all the candles placed".into(),
        StoryEvent::CandlesLit => "the candles lit".into(),
        StoryEvent::CandlesBlownOut => "blew out the candles".into(),
        StoryEvent::ParticipantSpoke => "spoke".into(),
        StoryEvent::Touched(a, zone) => {
            format!("touched {}'s {zone:?}", actor(a.index())).to_lowercase()
        }
        StoryEvent::PickedUp(t) => format!("picked up {}", thing(*t)),
        StoryEvent::PutDown(t) => format!("put down {}", thing(*t)),
        StoryEvent::Placed { thing: t, .. } => format!("placed {}", thing(*t)),
        StoryEvent::TouchedThing(t) => format!("touched {}", thing(*t)),
        StoryEvent::Lit(t) => format!("lit {}", thing(*t)),
        StoryEvent::PutOut(t) => format!("put out {}", thing(*t)),
        StoryEvent::ParticipantExit => "the exit gesture".into(),
        _ => return None,
    })
}

fn operator(op: &OperatorCommand) -> String {
    match op {
        OperatorCommand::Hold => "operator: hold".into(),
        OperatorCommand::Resume => "operator: resume".into(),
        OperatorCommand::RepeatLine => "operator: repeat the line".into(),
        OperatorCommand::SkipLine => "operator: skip the line".into(),
        OperatorCommand::JumpTo(n) => format!("operator: jump to node {}", n.index() + 1),
        OperatorCommand::EndGently => "operator: end gently".into(),
        OperatorCommand::StopNow => "operator: stop now".into(),
        OperatorCommand::SayAnswer(a) => format!("operator: answer {}", a.index() + 1),
        OperatorCommand::DeclareHeard(i) => format!("operator: heard intent {}", i.index() + 1),
        OperatorCommand::ConfirmAnswer => "operator: confirm the answer".into(),
        OperatorCommand::DismissAnswer => "operator: dismiss the answer".into(),
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn clock(t: f64) -> String {
    let t = t.max(0.0);
    format!("{}:{:04.1}", (t / 60.0).floor() as u64, t % 60.0)
}

/// The page.
pub fn html(s: &Summary, story: Option<&Story>) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}: the session</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: "NanumGothic", "Noto Sans CJK KR", sans-serif; color: #2b2226; max-width: 180mm; margin: 0 auto; font-size: 10.5pt; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; }} h2 {{ font-size: 12pt; margin: 6mm 0 2mm; }}
.consent {{ background: #f6eef0; padding: 2mm 3mm; border-radius: 2mm; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; }}
tr:nth-child(even) td {{ background: #faf6f7; }} td.t {{ white-space: nowrap; color: #7a6a70; width: 14mm; }}
.met {{ color: #2f7d4f; }} .out {{ color: #b3541e; font-weight: bold; }} .safety {{ color: #b3261e; font-weight: bold; }}
svg text {{ font-size: 9px; fill: #4a3d42; }}
</style></head><body>
"#,
        lang = esc(&s.language),
        title = esc(&s.title)
    );
    let _ = writeln!(o, "<h1>{}: the session</h1>", esc(&s.title));
    match story.and_then(|st| st.consent.as_ref()) {
        Some(c) => {
            let _ = writeln!(
                o,
                "<p class=\"consent\">This story recreates the likeness of <b>{}</b> (voice: {}), with the consent of {} given on {}.{}</p>",
                esc(&c.likeness_of),
                esc(&c.voice_of),
                esc(&c.consented_by),
                c.consented_on,
                c.notes
                    .as_deref()
                    .map_or(String::new(), |n| format!(" Notes: {}", esc(n)))
            );
        }
        None => {
            let _ = writeln!(
                o,
                "<p class=\"consent\">Whose likeness this story recreates and the consent are not known here (the story's folder is not here, or it records no consent).</p>"
            );
        }
    }
    let met = s.waits.iter().filter(|w| w.met == Some(true)).count();
    let out = s.waits.iter().filter(|w| w.met == Some(false)).count();
    let _ = writeln!(
        o,
        "<p>Language {lang}. The whole session: <b>{total}</b> ({secs:.0} s){ended}. {lines} lines; {waits} waits: {met} met, {out} ran out of time; {acts} acts of the participant; {inter} operator actions and safety events.</p>",
        lang = esc(&s.language),
        total = clock(s.total),
        secs = s.total,
        ended = if s.ended {
            ", to the end of the story"
        } else {
            ", not to the end"
        },
        lines = s.lines.len(),
        waits = s.waits.len(),
        acts = s.acts.len(),
        inter = s.interventions.len(),
    );
    // Time in each place.
    let _ = writeln!(o, "<p>");
    for st in &s.stays {
        let _ = write!(o, "{}: {} &nbsp; ", esc(&st.place), clock(st.to - st.from));
    }
    let _ = writeln!(o, "</p>");
    o.push_str(&timeline(s));
    let _ = writeln!(o, "<h2>Her lines</h2><table>");
    for (t, who, text) in &s.lines {
        let _ = writeln!(
            o,
            "<tr class=\"line\"><td class=\"t\">{}</td><td>{}</td><td>{}</td></tr>",
            clock(*t),
            esc(who),
            esc(text)
        );
    }
    let _ = writeln!(o, "</table><h2>Waits</h2><table>");
    for w in &s.waits {
        let (class, outcome) = match w.met {
            Some(true) => ("met", "met"),
            Some(false) => ("out", "ran out of time"),
            None => ("out", "still waiting when the log ends"),
        };
        let took =
            w.to.map_or(String::new(), |to| format!("{:.1} s", to - w.from));
        let _ = writeln!(
            o,
            "<tr class=\"wait\"><td class=\"t\">{}</td><td>{}</td><td>{took}</td><td class=\"{class}\">{outcome}</td></tr>",
            clock(w.from),
            esc(&w.node)
        );
    }
    let _ = writeln!(o, "</table><h2>What the participant did</h2><table>");
    for (t, what) in &s.acts {
        let _ = writeln!(
            o,
            "<tr class=\"act\"><td class=\"t\">{}</td><td>{}</td></tr>",
            clock(*t),
            esc(what)
        );
    }
    if s.acts.is_empty() {
        let _ = writeln!(o, "<tr><td></td><td>nothing the story heard</td></tr>");
    }
    let _ = writeln!(o, "</table><h2>Operator and safety</h2><table>");
    for (t, what, safety) in &s.interventions {
        let class = if *safety { " class=\"safety\"" } else { "" };
        let _ = writeln!(
            o,
            "<tr class=\"intervention\"><td class=\"t\">{}</td><td{class}>{}</td></tr>",
            clock(*t),
            esc(what)
        );
    }
    if s.interventions.is_empty() {
        let _ = writeln!(o, "<tr><td></td><td>none</td></tr>");
    }
    o.push_str("</table></body></html>\n");
    o
}

/// The session as lanes over time: places, her lines, the participant, waits, the
/// operator and safety.
fn timeline(s: &Summary) -> String {
    let (w, left, lane) = (680.0, 70.0, 22.0);
    let span = s.total.max(1.0);
    let x = |t: f64| left + (t / span) * (w - left - 10.0);
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="the session over time">"#,
        h = lane * 5.0 + 24.0
    );
    for (i, name) in ["places", "her lines", "participant", "waits", "operator"]
        .iter()
        .enumerate()
    {
        let _ = writeln!(
            o,
            r#"<text x="2" y="{}">{name}</text>"#,
            lane * i as f64 + 15.0
        );
    }
    let colours = ["#f3d5c0", "#cfe0f3", "#d8ecd4", "#efe0c4", "#e6d3ea"];
    for (i, st) in s.stays.iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<rect x="{:.1}" y="2" width="{:.1}" height="{}" fill="{}"/><text x="{:.1}" y="15">{}</text>"#,
            x(st.from),
            (x(st.to) - x(st.from)).max(1.0),
            lane - 4.0,
            colours[i % colours.len()],
            x(st.from) + 2.0,
            esc(&st.place)
        );
    }
    for (t, ..) in &s.lines {
        let _ = writeln!(
            o,
            r##"<rect x="{:.1}" y="{}" width="1.5" height="{}" fill="#3c5aa0"/>"##,
            x(*t),
            lane + 2.0,
            lane - 4.0
        );
    }
    for (t, _) in &s.acts {
        let _ = writeln!(
            o,
            r##"<circle cx="{:.1}" cy="{}" r="3" fill="#2f7d4f"/>"##,
            x(*t),
            lane * 2.0 + lane / 2.0
        );
    }
    for wt in &s.waits {
        let end = wt.to.unwrap_or(s.total);
        let fill = if wt.met == Some(true) {
            "#7fbf95"
        } else {
            "#e39a5c"
        };
        let _ = writeln!(
            o,
            r#"<rect x="{:.1}" y="{}" width="{:.1}" height="{}" fill="{fill}"/>"#,
            x(wt.from),
            lane * 3.0 + 2.0,
            (x(end) - x(wt.from)).max(2.0),
            lane - 4.0
        );
    }
    for (t, _, safety) in &s.interventions {
        let fill = if *safety { "#b3261e" } else { "#7d5a8c" };
        let _ = writeln!(
            o,
            r#"<rect x="{:.1}" y="{}" width="3" height="{}" fill="{fill}"/>"#,
            x(*t) - 1.0,
            lane * 4.0 + 2.0,
            lane - 4.0
        );
    }
    for m in 0..=((span / 60.0).floor() as u64) {
        let t = m as f64 * 60.0;
        let _ = writeln!(
            o,
            r#"<text x="{:.1}" y="{}">{m}:00</text>"#,
            x(t),
            lane * 5.0 + 14.0
        );
    }
    o.push_str("</svg>\n");
    o
}

/// `reunion report`.
pub fn run(args: &ReportArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.log) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.log.display());
            return ExitCode::from(1);
        }
    };
    // The story, for names and consent, where its folder still is.
    let folder =
        text.lines()
            .next()
            .and_then(|l| match serde_json::from_str::<Record>(l).ok()? {
                Record::Session { session, .. } => session.folder.map(PathBuf::from),
                _ => None,
            });
    let story = folder
        .as_deref()
        .filter(|f| Path::new(f).is_dir())
        .and_then(|f| reunion_story::load::load_dir(f).story);
    let summary = match summarize(&text, story.as_ref(), args.lang.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}: {e}", args.log.display());
            return ExitCode::from(1);
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.log.with_file_name("report.html"));
    if let Err(e) = std::fs::write(&out, html(&summary, story.as_ref())) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "wrote {}: {} lines, {} waits ({} ran out of time), {:.0} s",
        out.display(),
        summary.lines.len(),
        summary.waits.len(),
        summary
            .waits
            .iter()
            .filter(|w| w.met == Some(false))
            .count(),
        summary.total
    );
    ExitCode::SUCCESS
}
