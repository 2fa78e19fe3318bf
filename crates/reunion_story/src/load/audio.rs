//! Sound a story names: each line's voice clip in every language (read for its
//! length, which times the line), the music its cues play and the ambience of each
//! place's surroundings. Every clip is read and verified as Ogg Vorbis
//! ([`crate::ogg`]), so a broken one is an error at the field that names it, not a
//! silence when it is played.

use std::io;

use super::Compiler;
use super::files::{ambience_clip_path, check_relative_path, read_failure};
use super::parse::Source;
use crate::diagnostic::Severity;
use crate::ogg::read_ogg_vorbis;
use crate::spans::{Seg, field};
use crate::story::Environment;

impl Compiler<'_> {
    /// A music clip a cue plays: it must exist and be Ogg Vorbis.
    pub(super) fn music_clip(&mut self, path: &[Seg], clip: &str) {
        let rel = match check_relative_path(clip) {
            Ok(rel) => rel,
            Err(e) => {
                self.error(path, e);
                return;
            }
        };
        match self.files.read_bytes(&self.story_dir.join(&rel)) {
            Ok(bytes) => {
                if let Err(e) = read_ogg_vorbis(&bytes) {
                    self.error(path, format!("the music clip `{clip}` is unusable: {e}"))
                        .hint = Some(format!(
                        "music clips are Ogg Vorbis files, e.g. `oggenc song.wav -o {clip}`"
                    ));
                }
            }
            Err(e) => {
                let msg = read_failure(&e, || {
                    if e.kind() == io::ErrorKind::NotFound {
                        format!("the clip `{clip}` does not exist")
                    } else {
                        format!("the music clip `{clip}` cannot be read: {e}")
                    }
                });
                self.error(path, msg);
            }
        }
    }

    /// The ambience of a place's surroundings (`ambience/<name>.ogg`), checked once
    /// for the first place that plays it, at that scene's `environment`. A missing
    /// one is silence there, and no problem; one that is there must be Ogg Vorbis.
    pub(super) fn ambience_clip(&mut self, environment: &Environment, scene: &Source) {
        let Some(name) = environment.ambience() else {
            return;
        };
        if self.ambience_checked.contains(&name) {
            return;
        }
        self.ambience_checked.push(name);
        let clip = ambience_clip_path(name);
        let hint = format!(
            "ambience clips are Ogg Vorbis files, e.g. `oggenc {name}.wav -o {clip}`; \
             without the file the place is silent"
        );
        let problem = match self.files.read_bytes(&self.story_dir.join(&clip)) {
            Ok(bytes) => read_ogg_vorbis(&bytes).err().map(|e| {
                (
                    format!("the ambience clip `{clip}` is unusable: {e}"),
                    Some(hint),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => Some((
                read_failure(&e, || {
                    format!("the ambience clip `{clip}` cannot be read: {e}")
                }),
                None,
            )),
        };
        if let Some((message, hint)) = problem {
            let d = scene
                .diag(Severity::Error, &[field("environment")], message)
                .with_hint_opt(hint);
            self.diags.push(d);
        }
    }

    /// A line's voice clip in one language: its length, if it exists and is one. A
    /// missing clip is only a warning (the line is timed from its text, and shown as
    /// a subtitle); a file that is there but is no Ogg Vorbis clip is an error.
    pub(super) fn voice_clip(&mut self, path: &[Seg], clip: &str) -> Option<f32> {
        let rel = match check_relative_path(clip) {
            Ok(rel) => rel,
            Err(e) => {
                self.error(path, e);
                return None;
            }
        };
        let bytes = match self.files.read_bytes(&self.story_dir.join(&rel)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.warn(
                    path,
                    format!(
                        "the voice clip `{clip}` does not exist: the line will be timed from its text"
                    ),
                );
                return None;
            }
            Err(e) => {
                let msg = read_failure(&e, || {
                    format!("the voice clip `{clip}` cannot be read: {e}")
                });
                self.error(path, msg);
                return None;
            }
        };
        match read_ogg_vorbis(&bytes) {
            Ok(info) => Some(info.seconds() as f32),
            Err(e) => {
                self.error(path, format!("the voice clip `{clip}` is unusable: {e}"))
                    .hint = Some(format!(
                    "voice clips are Ogg Vorbis files, e.g. `oggenc line.wav -o {clip}`"
                ));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diagnostic::Severity;
    use crate::format::StoryFile;
    use crate::load::test_story::*;
    use crate::load::{STORY_FILE, parse_ron, voice_files};
    use crate::story::NodeId;

    #[test]
    fn a_voice_clip_gives_its_line_its_length() {
        let files = voiced(&[
            ("en", crate::ogg::fake::clip(22_050, 2 * 22_050)),
            ("ko", crate::ogg::fake::clip(16_000, 40_000)),
        ]);
        let loaded = load_mem(&files);
        let all = loaded.diagnostics.to_string();
        assert!(!all.contains("voice clip"), "{all}");
        let story = loaded.story.expect("story");
        let line = story.line(NodeId(1)).expect("a line");
        // Languages in the story's order: en, ko.
        assert_eq!(line.clip_seconds, [Some(2.0), Some(2.5)]);
        let asked: Vec<String> = voice_files(
            &parse_ron::<StoryFile>(Path::new("s"), &files.files[Path::new(STORY_FILE)])
                .expect("parses"),
        )
        .iter()
        .map(|p| p.display().to_string())
        .collect();
        assert_eq!(asked, ["voice/en/calling.ogg", "voice/ko/calling.ogg"]);
    }

    #[test]
    fn a_missing_voice_clip_is_a_warning_at_its_voice_field() {
        let files = voiced(&[("en", crate::ogg::fake::clip(22_050, 22_050))]);
        let loaded = load_mem(&files);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let warnings: Vec<_> = loaded
            .diagnostics
            .0
            .iter()
            .filter(|d| d.severity == Severity::Warning && d.message.contains("voice clip"))
            .collect();
        assert_eq!(warnings.len(), 1, "{}", loaded.diagnostics);
        let w = warnings[0];
        assert_eq!(
            w.message,
            "the voice clip `voice/ko/calling.ogg` does not exist: the line will be timed from its text"
        );
        // `voice: "calling"` is on line 11 of the test story, its value at column 20.
        assert_eq!((w.line, w.col), (11, 20), "{w}");
        let story = loaded.story.expect("a story, warnings and all");
        let line = story.line(NodeId(1)).expect("a line");
        assert_eq!(line.clip_seconds, [Some(1.0), None]);
    }

    #[test]
    fn a_voice_clip_that_is_no_ogg_vorbis_is_an_error_with_its_reason() {
        let good = crate::ogg::fake::clip(22_050, 22_050);
        let files = voiced(&[
            ("en", b"RIFF\0\0\0\0WAVEfmt ".to_vec()),
            ("ko", good[..good.len() - 20].to_vec()),
        ]);
        let loaded = load_mem(&files);
        assert!(loaded.story.is_none());
        let errors: Vec<String> = loaded.diagnostics.errors().map(|d| d.headline()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("`voice/en/calling.ogg` is unusable: not an Ogg file"),
            "{errors:?}"
        );
        assert!(errors[1].contains("`voice/ko/calling.ogg`"), "{errors:?}");
        assert!(errors[1].contains("cut short"), "{errors:?}");
    }

    /// [`with_sound`]'s files in memory, with `clips` (path, bytes) and its scene.
    fn sounding(clips: &[(&str, Vec<u8>)]) -> crate::load::MemFiles {
        let mut files = mem(&with_sound(), &[("park.scene.ron", SCENE)]);
        for (p, bytes) in clips {
            files.bytes.insert(p.into(), bytes.clone());
        }
        files
    }

    #[test]
    fn a_music_clip_that_is_no_ogg_vorbis_is_an_error_at_its_clip() {
        let voices = [
            ("voice/en/calling.ogg", clip()),
            ("voice/ko/calling.ogg", clip()),
        ];
        let good = sounding(&[&voices[..], &[("music/birthday.ogg", clip())]].concat());
        let loaded = load_mem(&good);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);

        let garbage = b"#!/bin/sh\necho this is no song\n".to_vec();
        let files = sounding(&[&voices[..], &[("music/birthday.ogg", garbage)]].concat());
        let loaded = load_mem(&files);
        assert!(loaded.story.is_none());
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(
            d.message,
            "the music clip `music/birthday.ogg` is unusable: not an Ogg file (it does not begin with `OggS`)"
        );
        assert_eq!(
            (d.line, d.col),
            position_of(&with_sound(), "\"music/birthday.ogg\""),
            "{d}"
        );
        assert_eq!(
            loaded.diagnostics.errors().count(),
            1,
            "{}",
            loaded.diagnostics
        );

        let missing = sounding(&voices);
        let loaded = load_mem(&missing);
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.message, "the clip `music/birthday.ogg` does not exist");
    }

    #[test]
    fn a_broken_ambience_is_an_error_at_the_environment_and_a_missing_one_is_silence() {
        let voices = [
            ("voice/en/calling.ogg", clip()),
            ("voice/ko/calling.ogg", clip()),
            ("music/birthday.ogg", clip()),
        ];
        // Missing: the park is silent, and that is allowed.
        let loaded = load_mem(&sounding(&voices));
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let good = sounding(&[&voices[..], &[("ambience/park.ogg", clip())]].concat());
        assert!(!load_mem(&good).diagnostics.has_errors());
        // Cut short: an error in the scene file, at its environment.
        let cut = clip()[..100].to_vec();
        let loaded = load_mem(&sounding(
            &[&voices[..], &[("ambience/park.ogg", cut)]].concat(),
        ));
        assert!(loaded.story.is_none());
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert!(
            d.message
                .starts_with("the ambience clip `ambience/park.ogg` is unusable: "),
            "{d}"
        );
        assert_eq!(d.file, Path::new("s/park.scene.ron"));
        assert_eq!((d.line, d.col), position_of(SCENE, "Park()"), "{d}");
        // The room's loop is not read for a story without a room.
        let room = sounding(&[&voices[..], &[("ambience/room.ogg", b"junk".to_vec())]].concat());
        assert!(!load_mem(&room).diagnostics.has_errors());
    }

    #[test]
    fn an_asset_loader_knows_which_music_and_ambience_files_to_read() {
        let file: StoryFile = parse_ron(Path::new("s"), &with_sound()).expect("parses");
        assert_eq!(
            crate::load::music_files(&file),
            [Path::new("music/birthday.ogg")]
        );
        assert_eq!(
            crate::load::ambience_files(),
            [
                Path::new("ambience/park.ogg"),
                Path::new("ambience/room.ogg")
            ]
        );
    }
}
