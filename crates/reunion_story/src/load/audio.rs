//! Sound a story names: each line's voice clip in every language (read for its
//! length, which times the line) and the music its cues play.

use std::io;

use super::Compiler;
use super::files::check_relative_path;
use crate::ogg::read_ogg_vorbis;
use crate::spans::Seg;

impl Compiler<'_> {
    pub(super) fn clip_ref(&mut self, path: &[Seg], clip: &str) {
        match check_relative_path(clip) {
            Err(e) => {
                self.error(path, e);
            }
            Ok(rel) => {
                if self.files.exists(&self.story_dir.join(&rel)) == Some(false) {
                    self.error(path, format!("the clip `{clip}` does not exist"));
                }
            }
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
                self.error(path, format!("the voice clip `{clip}` cannot be read: {e}"));
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
}
