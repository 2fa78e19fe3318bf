//! Audio: volumes, spatial voice, envelopes, and the story with kira and no sound
//! device (as here): it must never wait for a sound that will not play.

use bevy::prelude::*;
use reunion_audio::{Envelope, Envelopes, ReunionAudioPlugin, Volumes, decibels, spatial};
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;

use crate::reference;

#[test]
fn volumes_become_decibels_and_multiply_with_the_master() {
    assert_eq!(decibels(1.0), 0.0);
    assert_eq!(decibels(0.0), -60.0);
    assert!((decibels(0.5) + 6.02).abs() < 0.01);
    let v = Volumes {
        master: 0.5,
        voice: 0.5,
        ..default()
    };
    assert!((v.voice_gain() - 0.25).abs() < 1e-6);
    assert!((decibels(v.voice_gain()) + 12.04).abs() < 0.01);
}

#[test]
fn her_voice_comes_from_where_she_stands() {
    let head = GlobalTransform::from(Transform::from_xyz(0.0, 1.6, 0.0));
    let (right, _) = spatial(&head, Vec3::new(1.0, 1.0, -1.0));
    let (left, _) = spatial(&head, Vec3::new(-1.0, 1.0, -1.0));
    let (ahead, near) = spatial(&head, Vec3::new(0.0, 1.1, -0.8));
    let (_, far) = spatial(&head, Vec3::new(0.0, 1.1, -4.0));
    assert!(
        right > 0.3 && left < -0.3 && ahead.abs() < 0.05,
        "{right} {left} {ahead}"
    );
    assert_eq!(near, 0.0);
    assert!((far + 12.0).abs() < 0.5, "4 m away: {far} dB");
    // Turning the head turns the sound.
    let turned = GlobalTransform::from(
        Transform::from_xyz(0.0, 1.6, 0.0)
            .with_rotation(Quat::from_rotation_y(std::f32::consts::PI)),
    );
    assert!(spatial(&turned, Vec3::new(1.0, 1.0, -1.0)).0 < -0.3);
}

#[test]
fn the_envelope_of_a_tone_burst_rises_and_falls_with_it() {
    let rate = 22_050;
    let mut samples = vec![0.0f32; rate / 2];
    samples.extend(
        (0..rate).map(|i| 0.5 * (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin()),
    );
    samples.extend(vec![0.0f32; rate / 2]);
    let env = Envelope::from_samples(&samples, rate as u32, 60.0);
    assert!((env.seconds() - 2.0).abs() < 0.05);
    assert!(env.at(0.25) < 0.02, "silence before: {}", env.at(0.25));
    assert!(env.at(1.0) > 0.9, "the tone: {}", env.at(1.0));
    assert!(env.at(1.8) < 0.05, "silence after: {}", env.at(1.8));
    assert_eq!(env.at(5.0), 0.0);
    // The mouth opens within a few frames of the sound, not before it.
    assert!(env.at(0.47) < 0.05 && env.at(0.6) > 0.8);
}

fn audio_app() -> App {
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            folder: Some(reference()),
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((
        reunion_hands::HandsPlugin,
        reunion_avatar::AvatarPlugin,
        ReunionAudioPlugin,
    ));
    app
}

#[test]
fn with_no_sound_device_the_story_plays_on_time_with_subtitles_only() {
    let mut app = audio_app();
    run_headless(&mut app, 90 * 600).expect("the story ends without a sound device");
    let s = app.world().resource::<StorySession>();
    let transcript: Vec<String> = s
        .session
        .transcript
        .iter()
        .map(|l| l.render(s.story(), s.lang))
        .collect();
    let transcript = transcript.join("\n") + "\n";
    assert_eq!(transcript, crate::world_golden("en", &transcript));
}

#[test]
fn the_birthday_song_decodes_and_has_an_envelope() {
    let mut app = audio_app();
    app.finish();
    app.cleanup();
    let clip: Handle<bevy_kira_audio::AudioSource> = app
        .world()
        .resource::<AssetServer>()
        .load("music/birthday.ogg");
    let mut found = None;
    for _ in 0..2_000 {
        app.update();
        if let Some(env) = app.world().resource::<Envelopes>().0.get(&clip.id()) {
            found = Some(env.clone());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let env = found.expect("music/birthday.ogg loads and decodes");
    assert!(env.seconds() > 5.0, "{} s", env.seconds());
    let loud = env.values.iter().filter(|v| **v > 0.3).count();
    assert!(loud > env.values.len() / 3, "a song is mostly sound");
}

/// Every clip a shipped story can play: its lines' voices in every language, its
/// music, and the ambience of each place it visits.
fn clips_of(folder: &std::path::Path) -> Vec<(String, Option<f32>)> {
    use reunion_story::load::{load_dir, voice_clip_path};
    use reunion_story::story::{NodeKind, WorldCue};
    let loaded = load_dir(folder);
    let story = loaded
        .story
        .unwrap_or_else(|| panic!("{} loads: {:?}", folder.display(), loaded.diagnostics));
    let mut clips: Vec<(String, Option<f32>)> = Vec::new();
    for node in &story.nodes {
        match &node.kind {
            NodeKind::Say(line) => {
                if let Some(voice) = &line.voice {
                    for (i, lang) in story.languages.iter().enumerate() {
                        clips.push((voice_clip_path(lang, voice), line.clip_seconds[i]));
                    }
                }
            }
            NodeKind::Cue { world, .. } => {
                for cue in world {
                    if let WorldCue::PlayMusic(clip) = cue {
                        clips.push((clip.clone(), None));
                    }
                }
            }
            _ => {}
        }
    }
    for place in &story.places {
        if let Some(name) = reunion_audio::ambience_of(&place.environment) {
            clips.push((format!("ambience/{name}.ogg"), None));
        }
    }
    clips.sort_by(|a, b| a.0.cmp(&b.0));
    clips.dedup_by(|a, b| a.0 == b.0);
    clips
}

#[test]
fn every_clip_a_shipped_story_plays_decodes_through_kira_at_its_checked_length() {
    use bevy_kira_audio::prelude::StaticSoundData;
    let stories = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/stories");
    let mut decoded = 0;
    let mut timed = 0;
    for dir in std::fs::read_dir(&stories).expect("assets/stories") {
        let folder = dir.expect("a story folder").path();
        if !folder.join("story.ron").exists() {
            continue;
        }
        for (clip, checked) in clips_of(&folder) {
            let path = folder.join(&clip);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: the story plays it, but {e}", path.display()));
            let sound = StaticSoundData::from_cursor(std::io::Cursor::new(bytes))
                .unwrap_or_else(|e| panic!("{}: kira cannot decode it: {e}", path.display()));
            let seconds = sound.duration().as_secs_f32();
            assert!(seconds > 0.3, "{}: only {seconds} s", path.display());
            let peak = sound
                .frames
                .iter()
                .map(|f| f.left.abs().max(f.right.abs()))
                .fold(0.0, f32::max);
            assert!(peak > 0.05, "{}: silent (peak {peak})", path.display());
            if let Some(checked) = checked {
                assert!(
                    (seconds - checked).abs() < 0.02,
                    "{}: kira decodes {seconds} s, the checker timed the line by {checked} s",
                    path.display()
                );
                timed += 1;
            }
            decoded += 1;
        }
    }
    assert!(
        timed >= 72,
        "only {timed} clips had a checked length to compare"
    );
    // The reference story alone has 36 lines in two languages, a song and two
    // ambiences.
    assert!(decoded >= 75, "only {decoded} clips decoded");
}

#[test]
fn her_mouth_shapes_are_laid_on_the_voice_of_her_line_once_it_is_decoded() {
    use reunion_avatar::components::{AvatarAnimator, LineVoice, LipSync};
    let mut app = audio_app();
    app.finish();
    app.cleanup();
    let (mut voiced, mut silent, mut silent_open) = (0u32, 0u32, 0u32);
    for _ in 0..90 * 120 {
        app.update();
        let world = app.world_mut();
        let mut q = world.query::<(&AvatarAnimator, &LineVoice, &LipSync)>();
        for (a, voice, lips) in q.iter(world) {
            if !(a.voiced && a.animator.is_talking()) {
                continue;
            }
            // The line's voice reached her mouth, for the line she says.
            assert_eq!(voice.0.as_ref().map(|(node, _)| Some(*node)), Some(a.line));
            voiced += 1;
            let Some(shapes) = a.pose.and_then(|p| p.face.visemes) else {
                continue;
            };
            // Where the voice is silent, her mouth rests.
            if lips.0.is_some_and(|m| m < 0.02) {
                silent += 1;
                if shapes.openness() > 0.1 {
                    silent_open += 1;
                }
            }
        }
    }
    assert!(voiced > 90, "no line's mouth was timed by its voice");
    assert!(silent > 0, "her lines had no silence");
    assert!(
        silent_open * 20 <= silent,
        "her mouth was open in {silent_open} of {silent} silent frames"
    );
}
