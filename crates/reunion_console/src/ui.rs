//! The console window (egui).
//!
//! It reads the session and writes only [`ConsoleAction`] messages (and its own
//! [`ConsoleState`] and the [`Volumes`]): what the buttons mean is decided in
//! [`crate::dispatch`], so the window cannot drive the director in any way the keys
//! cannot.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use reunion_audio::microphone::Listening;
use reunion_audio::understanding::Understanding;
use reunion_stage::session::{StoryProblems, StorySession};
use reunion_story::director::Phase;
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{AnswerId, IntentId, LangId, NodeId, Story};

use crate::conversation::Conversation;
use crate::describe;
use crate::web::snapshot::in_lang;
use crate::{ConsoleAction, ConsoleState, ResumeOffer, Volumes};

const STOP_RED: egui::Color32 = egui::Color32::from_rgb(235, 70, 70);
const PROBLEM_RED: egui::Color32 = egui::Color32::from_rgb(255, 110, 110);
/// The height of the story list.
const LIST_HEIGHT: f32 = 260.0;
const WARNING_YELLOW: egui::Color32 = egui::Color32::from_rgb(230, 200, 90);

/// Draws the operator console and writes what the operator asked for.
pub(crate) fn show_console(
    mut contexts: EguiContexts,
    session: Option<Res<StorySession>>,
    problems: Option<Res<StoryProblems>>,
    mut state: ResMut<ConsoleState>,
    mut volumes: ResMut<Volumes>,
    listening: Option<Res<Listening>>,
    understanding: Option<Res<Understanding>>,
    conversation: Option<Res<Conversation>>,
    offer: Option<Res<ResumeOffer>>,
    mut actions: MessageWriter<ConsoleAction>,
) -> Result {
    if !state.visible {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut asked: Vec<ConsoleAction> = Vec::new();
    let mut console = state.clone();
    let mut levels = *volumes;
    egui::Window::new("Operator console")
        .anchor(egui::Align2::RIGHT_TOP, [-10.0, 10.0])
        .default_width(360.0)
        .resizable(true)
        .collapsible(true)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("console body")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if let Some(o) = offer.as_deref() {
                        show_resume_offer(ui, o, &mut asked);
                    }
                    if let Some(p) = problems.as_deref() {
                        show_problems(ui, p);
                    }
                    match session.as_deref() {
                        None => {
                            ui.label("Waiting for the story to load…");
                        }
                        Some(s) => {
                            show_status(ui, s);
                            ui.separator();
                            show_controls(ui, s, &mut asked);
                            ui.separator();
                            show_story(ui, s, &mut console, &mut asked);
                            if let Some(l) = listening.as_deref() {
                                show_microphone(ui, l, understanding.as_deref());
                            }
                            show_answers(ui, s, conversation.as_deref(), &mut asked);
                            show_participant(ui, s.story(), &mut asked);
                            show_language(ui, s, &mut asked);
                        }
                    }
                    show_volumes(ui, &mut levels);
                });
        });
    for action in asked {
        actions.write(action);
    }
    state.set_if_neq(console);
    volumes.set_if_neq(levels);
    Ok(())
}

/// The last session stopped without an end: resume it, or start anew.
fn show_resume_offer(ui: &mut egui::Ui, offer: &ResumeOffer, asked: &mut Vec<ConsoleAction>) {
    ui.label(
        egui::RichText::new("The last session stopped without an end")
            .strong()
            .color(WARNING_YELLOW),
    );
    ui.label(&offer.summary);
    ui.horizontal(|ui| {
        if ui
            .button(egui::RichText::new("Resume the last session").strong())
            .on_hover_text("Go on where it stopped, behind a fade in; its log goes on")
            .clicked()
        {
            asked.push(ConsoleAction::ResumeLastSession);
        }
        if ui
            .button("Start anew")
            .on_hover_text("Keep this new session and put the offer away")
            .clicked()
        {
            asked.push(ConsoleAction::DismissResumeOffer);
        }
    });
    ui.separator();
}

/// Where the story is.
fn show_status(ui: &mut egui::Ui, s: &StorySession) {
    let director = &s.session.director;
    let story = s.story();
    let node_id = director.node();
    let node = story.node(node_id);
    egui::Grid::new("console status")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label("Node");
            ui.label(egui::RichText::new(format!("{} ({})", node.id, node.kind.name())).strong());
            ui.end_row();
            ui.label("Phase");
            let phase = describe::phase(director);
            if director.is_held() {
                ui.label(egui::RichText::new(phase).color(WARNING_YELLOW));
            } else {
                ui.label(phase);
            }
            ui.end_row();
            if let Some(c) = describe::wait_condition(story, node_id)
                && matches!(director.phase(), Phase::Waiting { .. })
            {
                ui.label("Waits for");
                ui.label(describe::condition(story, c));
                ui.end_row();
            }
            ui.label("Time");
            ui.label(format!(
                "{} (story {})",
                describe::clock(director.session_time()),
                describe::clock(director.story_time())
            ));
            ui.end_row();
            ui.label("Place");
            ui.label(director.place().map_or("—", |p| story.place(p).id.as_str()));
            ui.end_row();
            ui.label("Hand");
            ui.label(director.hand_held_by().map_or("free".to_owned(), |a| {
                format!("held by {}", story.actor(a).id)
            }));
            ui.end_row();
        });
    // Her answer while she answers, else the current node's line.
    let saying = director.line_being_said();
    let Some(line) = story.line(saying.unwrap_or(node_id)) else {
        return;
    };
    let speaking = saying.is_some();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(if speaking { "Saying:" } else { "Said:" });
        let speaker = in_lang(&story.actor(line.speaker).name, s.lang);
        ui.label(egui::RichText::new(speaker).strong());
    });
    let text = egui::RichText::new(in_lang(&line.text, s.lang));
    ui.label(if speaking { text } else { text.weak() });
}

/// Hold / resume, repeat, skip, end gently, stop now.
fn show_controls(ui: &mut egui::Ui, s: &StorySession, asked: &mut Vec<ConsoleAction>) {
    let held = s.session.director.is_held();
    ui.horizontal_wrapped(|ui| {
        let (label, action, hint) = if held {
            (
                "Resume",
                ConsoleAction::Resume,
                "let the story run again (Space)",
            )
        } else {
            (
                "Hold",
                ConsoleAction::Hold,
                "freeze the story clock (Space)",
            )
        };
        if ui.button(label).on_hover_text(hint).clicked() {
            asked.push(action);
        }
        if ui
            .button("Repeat line")
            .on_hover_text("say the last line again (R)")
            .clicked()
        {
            asked.push(ConsoleAction::Repeat);
        }
        if ui
            .button("Skip")
            .on_hover_text("finish what is happening now and go on (N)")
            .clicked()
        {
            asked.push(ConsoleAction::Skip);
        }
        if ui
            .button("End gently")
            .on_hover_text("go to the goodbye and the ending (E)")
            .clicked()
        {
            asked.push(ConsoleAction::EndGently);
        }
        let stop = egui::RichText::new("Stop now").color(STOP_RED).strong();
        if ui
            .button(stop)
            .on_hover_text("fade to the calm place at once and hold (Q)")
            .clicked()
        {
            asked.push(ConsoleAction::StopNow);
        }
    });
}

/// Every node, the current one marked, each with a jump button.
fn show_story(
    ui: &mut egui::Ui,
    s: &StorySession,
    console: &mut ConsoleState,
    asked: &mut Vec<ConsoleAction>,
) {
    let story = s.story();
    let now = s.session.director.node();
    egui::CollapsingHeader::new("Story")
        .default_open(true)
        .show(ui, |ui| {
            if ui
                .checkbox(&mut console.follow_story, "follow the story")
                .changed()
            {
                console.scrolled_to = None;
            }
            let mut area = egui::ScrollArea::vertical()
                .id_salt("console story nodes")
                .max_height(LIST_HEIGHT)
                .auto_shrink([false, true]);
            // Scroll only this list to the current node (`scroll_to_me` would scroll
            // the whole console body too), once each time the node changes.
            if console.follow_story && console.scrolled_to != Some(now) {
                let row = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
                let top = row * now.index() as f32 - (LIST_HEIGHT - row) / 2.0;
                area = area.vertical_scroll_offset(top.max(0.0));
                console.scrolled_to = Some(now);
            }
            area.show(ui, |ui| {
                for (i, node) in story.nodes.iter().enumerate() {
                    let Ok(index) = u32::try_from(i) else { break };
                    let id = NodeId(index);
                    let current = id == now;
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("jump")
                            .on_hover_text(format!("go straight to {}", node.id))
                            .clicked()
                        {
                            asked.push(ConsoleAction::JumpTo(id));
                        }
                        let marker = if current { "▶" } else { "  " };
                        let text = egui::RichText::new(format!(
                            "{marker} {} ({})",
                            node.id,
                            node.kind.name()
                        ));
                        let text = if current { text.strong() } else { text };
                        // Only the jump button moves the story: a stray click on a
                        // row must not.
                        ui.selectable_label(current, text)
                            .on_hover_text("press jump to go here");
                    });
                }
            });
        });
}

/// Whether the participant's microphone is heard, and through what.
fn show_microphone(
    ui: &mut egui::Ui,
    listening: &Listening,
    understanding: Option<&Understanding>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Microphone");
        match listening {
            Listening::Off => ui.label("off (the participant is played for)"),
            Listening::On(device) => ui.label(format!("listening through {device}")),
            Listening::Unavailable(why) => {
                ui.label(egui::RichText::new(format!("none: {why}")).color(WARNING_YELLOW))
            }
        };
    });
    if let Some(line) = understanding.and_then(Understanding::console_line) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Speech");
            ui.label(line);
        });
    }
}

/// What was heard, the answer waiting for confirmation, and a button for each answer
/// and each intent: the facilitator can always choose instead of the matcher.
fn show_answers(
    ui: &mut egui::Ui,
    s: &StorySession,
    conversation: Option<&Conversation>,
    asked: &mut Vec<ConsoleAction>,
) {
    let story = s.story();
    if story.answers.is_empty() && story.intents.is_empty() {
        return;
    }
    egui::CollapsingHeader::new("Heard and answers")
        .default_open(true)
        .show(ui, |ui| {
            if let Some(c) = conversation {
                if c.heard.is_empty() {
                    ui.label(egui::RichText::new("nothing heard yet").weak());
                }
                for said in &c.heard {
                    ui.label(said);
                }
                if let Some(words) = c.pending_words(story, s.lang) {
                    ui.label(
                        egui::RichText::new(format!("Unsure, waiting for you: {words}"))
                            .color(WARNING_YELLOW),
                    );
                    ui.horizontal(|ui| {
                        if ui
                            .button("Say it")
                            .on_hover_text("she says this answer (Y)")
                            .clicked()
                        {
                            asked.push(ConsoleAction::ConfirmAnswer);
                        }
                        if ui
                            .button("Don't")
                            .on_hover_text("she does not say it (U)")
                            .clicked()
                        {
                            asked.push(ConsoleAction::DismissAnswer);
                        }
                    });
                }
            }
            if !story.intents.is_empty() {
                ui.label("The participant said:");
                ui.horizontal_wrapped(|ui| {
                    for (i, intent) in story.intents.iter().enumerate() {
                        let Ok(index) = u16::try_from(i) else { break };
                        if ui
                            .button(&intent.id)
                            .on_hover_text("as if these words were heard, surely")
                            .clicked()
                        {
                            asked.push(ConsoleAction::DeclareHeard(IntentId(index)));
                        }
                    }
                });
            }
            if !story.answers.is_empty() {
                ui.label("She answers:");
                ui.horizontal_wrapped(|ui| {
                    for (i, answer) in story.answers.iter().enumerate() {
                        let Ok(index) = u16::try_from(i) else { break };
                        let said = story
                            .line(answer.line)
                            .map(|l| in_lang(&l.text, s.lang).to_owned())
                            .unwrap_or_default();
                        if ui.button(&answer.id).on_hover_text(said).clicked() {
                            asked.push(ConsoleAction::SayAnswer(AnswerId(index)));
                        }
                    }
                });
            }
        });
}

/// Actions for a participant who cannot do them, and the story's operator cues.
fn show_participant(ui: &mut egui::Ui, story: &Story, asked: &mut Vec<ConsoleAction>) {
    let mut act = |ui: &mut egui::Ui, label: String, action: ParticipantAction| {
        if ui.button(label).clicked() {
            asked.push(ConsoleAction::Act(action));
        }
    };
    egui::CollapsingHeader::new("Act for the participant")
        .default_open(true)
        .show(ui, |ui| {
            for actor in &story.cast {
                let id = &actor.id;
                ui.horizontal_wrapped(|ui| {
                    act(
                        ui,
                        format!("Look at {id}"),
                        ParticipantAction::LookAt(id.clone()),
                    );
                    act(
                        ui,
                        format!("Take {id}'s hand"),
                        ParticipantAction::TakeHand(id.clone()),
                    );
                });
            }
            ui.horizontal_wrapped(|ui| {
                act(ui, "Look away".into(), ParticipantAction::LookAway);
                act(ui, "Let go".into(), ParticipantAction::LetGo);
                act(ui, "Place a candle".into(), ParticipantAction::PlaceCandle);
                act(ui, "Blow out".into(), ParticipantAction::BlowOut);
                act(ui, "Participant spoke".into(), ParticipantAction::Speak);
            });
            let touches = describe::touches(story);
            if !touches.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for (actor, zone) in touches {
                        let id = &story.actor(actor).id;
                        act(
                            ui,
                            format!("Touch {id}'s {}", describe::zone_name(zone)),
                            ParticipantAction::Touch(id.clone(), zone),
                        );
                    }
                });
            }
        });
    let cues = describe::operator_cues(story);
    if !cues.is_empty() {
        egui::CollapsingHeader::new("Operator cues")
            .default_open(true)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for name in cues {
                        if ui
                            .button(&name)
                            .on_hover_text("fire this cue for the wait that expects it")
                            .clicked()
                        {
                            asked.push(ConsoleAction::OperatorCue(name));
                        }
                    }
                });
            });
    }
}

/// The subtitle language.
fn show_language(ui: &mut egui::Ui, s: &StorySession, asked: &mut Vec<ConsoleAction>) {
    let languages = &s.story().languages;
    let current = s.lang;
    ui.horizontal(|ui| {
        ui.label("Subtitles");
        egui::ComboBox::from_id_salt("console subtitle language")
            .selected_text(in_lang(languages, current))
            .show_ui(ui, |ui| {
                for (i, code) in languages.iter().enumerate() {
                    let Ok(index) = u8::try_from(i) else { break };
                    let lang = LangId(index);
                    if ui.selectable_label(lang == current, code).clicked() && lang != current {
                        asked.push(ConsoleAction::Language(lang));
                    }
                }
            });
    });
}

/// Master, voice, music, ambience and effects volumes.
fn show_volumes(ui: &mut egui::Ui, levels: &mut Volumes) {
    egui::CollapsingHeader::new("Volume")
        .default_open(true)
        .show(ui, |ui| {
            ui.add(egui::Slider::new(&mut levels.master, 0.0..=1.0).text("master"));
            ui.add(egui::Slider::new(&mut levels.voice, 0.0..=1.0).text("voice"));
            ui.add(egui::Slider::new(&mut levels.music, 0.0..=1.0).text("music"));
            ui.add(egui::Slider::new(&mut levels.ambience, 0.0..=1.0).text("ambience"));
            ui.add(egui::Slider::new(&mut levels.effects, 0.0..=1.0).text("effects"));
        });
}

/// Errors of a failed load (red, open) and warnings of the running story (closed).
fn show_problems(ui: &mut egui::Ui, problems: &StoryProblems) {
    if let Some(errors) = &problems.errors {
        egui::CollapsingHeader::new(
            egui::RichText::new("Story problems")
                .color(PROBLEM_RED)
                .strong(),
        )
        .id_salt("console story problems")
        .default_open(true)
        .show(ui, |ui| {
            ui.label(if problems.fatal {
                "The story did not load: there is nothing to play."
            } else {
                "The story on disk has errors; the last good version keeps running."
            });
            egui::ScrollArea::both()
                .id_salt("console story errors")
                .max_height(200.0)
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(errors).monospace().color(PROBLEM_RED));
                });
        });
        ui.separator();
    }
    if let Some(warnings) = &problems.warnings {
        egui::CollapsingHeader::new(egui::RichText::new("Story warnings").color(WARNING_YELLOW))
            .id_salt("console story warnings")
            .default_open(false)
            .show(ui, |ui| {
                egui::ScrollArea::both()
                    .id_salt("console story warning text")
                    .max_height(200.0)
                    .show(ui, |ui| {
                        ui.label(egui::RichText::new(warnings).monospace());
                    });
            });
        ui.separator();
    }
}
