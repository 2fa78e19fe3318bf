//! A thing, or a place's start mark, moved in its scene file: the text rewritten in
//! place.
//!
//! The window's edit mode lets an author drag the bench and turn it; the scene file
//! stays the source of truth, so the move is written back into it. [`move_in_scene`]
//! is that rewrite as a pure function of the text: only the numbers of the thing's
//! `at:` and `facing:` that changed are replaced, each where the span scanner
//! ([`crate::spans`]) found it; every comment, blank line and the author's way of
//! writing numbers stay. A `facing:` the entry leaves out is added next to its `at:`.
//!
//! The result is checked before it is returned: parsed again, it must be the same
//! scene but for that one placement, or the rewrite is refused. A file that does not
//! parse is refused too (its author is in the middle of something).
//!
//! [`save_moves`] writes moves to disk without losing work: it refuses when the file
//! changed since the text the moves were made against, and writes a temporary file
//! beside it that then replaces it ([`write_atomically`]), so a reader (the hot
//! reload) never sees half a file.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use ron::extensions::Extensions;

use crate::format::{SceneFile, Vec3};
use crate::spans::{Seg, SpanTree, field, index, key};

/// What moves: a thing, by its id in the scene, or the participant's start mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark<'a> {
    Thing(&'a str),
    Start,
}

impl fmt::Display for Mark<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mark::Thing(id) => write!(f, "`{id}`"),
            Mark::Start => write!(f, "the start mark"),
        }
    }
}

/// Where something stands: `at` in metres, `facing` in degrees (as the file has them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    pub at: Vec3,
    pub facing: f32,
}

/// Positions are written to the centimetre.
pub const AT_DECIMALS: usize = 2;
/// Facings are written to a tenth of a degree.
pub const FACING_DECIMALS: usize = 1;

/// Why a scene file was not rewritten.
#[derive(Clone, Debug, PartialEq)]
pub enum EditError {
    /// The text does not parse as a scene file (the author is editing it).
    DoesNotParse(String),
    /// No thing of that id in the scene.
    NoSuchThing(String),
    /// The entry has no `at: (x, y, z)` to rewrite.
    NoPosition(String),
    /// A number of the placement is written in a way this rewrite does not read.
    NotANumber { what: String, text: String },
    /// The rewritten text would say more than the new placement (a bug: refused).
    WouldChangeMore(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::DoesNotParse(e) => {
                write!(f, "the scene file does not parse ({e}); fix it first")
            }
            EditError::NoSuchThing(id) => write!(f, "the scene file has no thing `{id}`"),
            EditError::NoPosition(what) => {
                write!(f, "{what} has no `at: (x, y, z)` to rewrite")
            }
            EditError::NotANumber { what, text } => {
                write!(f, "{what}: `{text}` is not a plain number")
            }
            EditError::WouldChangeMore(why) => {
                write!(
                    f,
                    "the rewrite would change more than the placement ({why})"
                )
            }
        }
    }
}

impl std::error::Error for EditError {}

/// `text` (a `*.scene.ron`) with `mark` placed at `pose`: only the numbers that
/// changed are rewritten, each rounded ([`AT_DECIMALS`], [`FACING_DECIMALS`]) and
/// written as the old one was (an integer stays an integer when it can).
pub fn move_in_scene(text: &str, mark: Mark<'_>, pose: Pose) -> Result<String, EditError> {
    let before = parse_scene(text)?;
    let base: Vec<Seg> = match mark {
        Mark::Thing(id) => {
            if !before.things.0.iter().any(|(k, _)| k == id) {
                return Err(EditError::NoSuchThing(id.to_owned()));
            }
            vec![field("things"), key(id)]
        }
        Mark::Start => vec![field("start")],
    };
    let tree = SpanTree::scan(text);
    let what = mark.to_string();
    let at_path = [base.as_slice(), &[field("at")]].concat();
    let at_span = tree
        .find(&at_path)
        .ok_or_else(|| EditError::NoPosition(what.clone()))?;
    if tree.len_at(&at_path) != Some(3) {
        return Err(EditError::NoPosition(what));
    }
    // (start, end, replacement), applied from the end so earlier offsets hold.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let at = [pose.at.0, pose.at.1, pose.at.2];
    for (i, value) in at.into_iter().enumerate() {
        let path = [at_path.as_slice(), &[index(i)]].concat();
        let span = tree
            .find(&path)
            .ok_or_else(|| EditError::NoPosition(what.clone()))?;
        let old = &text[span.start..span.end];
        if let Some(new) = renumber(old, value, AT_DECIMALS, &what)? {
            edits.push((span.start, span.end, new));
        }
    }
    let facing_path = [base.as_slice(), &[field("facing")]].concat();
    match tree.find(&facing_path) {
        Some(span) => {
            let old = &text[span.start..span.end];
            if let Some(new) = renumber(old, pose.facing, FACING_DECIMALS, &what)? {
                edits.push((span.start, span.end, new));
            }
        }
        None => {
            let facing = round(pose.facing, FACING_DECIMALS);
            if facing != 0.0 {
                let number = write_number(facing, FACING_DECIMALS, false);
                edits.push(insert_facing(text, at_span.end, &number));
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    verify(&before, &out, mark, pose)?;
    Ok(out)
}

/// Where a missing `facing:` goes, right after the `at:` value: on a line of its own
/// when `at:` has a line of its own, else inline (`at: (..), facing: 30.0`).
fn insert_facing(text: &str, at_end: usize, number: &str) -> (usize, usize, String) {
    let rest = &text[at_end..];
    let after_comma = rest.strip_prefix(',');
    if let Some(after) = after_comma {
        let line_rest = after.split('\n').next().unwrap_or("");
        let line_start = text[..at_end].rfind('\n').map_or(0, |i| i + 1);
        let own_line = text[line_start..at_end].trim_start().starts_with("at");
        if own_line && line_rest.trim().is_empty() && after.contains('\n') {
            // `at` has its line: `facing` gets the next, indented as `at` is.
            let indent: String = text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let pos = at_end + 1;
            return (pos, pos, format!("\n{indent}facing: {number},"));
        }
    }
    (at_end, at_end, format!(", facing: {number}"))
}

fn parse_scene(text: &str) -> Result<SceneFile, EditError> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options
        .from_str(text)
        .map_err(|e| EditError::DoesNotParse(e.to_string()))
}

/// The new text of one number, or `None` when it keeps its value (and its text).
fn renumber(
    old: &str,
    value: f32,
    decimals: usize,
    what: &str,
) -> Result<Option<String>, EditError> {
    let old_value: f64 =
        old.trim_start_matches('+')
            .parse()
            .map_err(|_| EditError::NotANumber {
                what: what.to_owned(),
                text: old.to_owned(),
            })?;
    let new = round(value, decimals);
    if (round(old_value as f32, decimals) - new).abs() < 1e-9 {
        return Ok(None);
    }
    let integer = !old.contains(['.', 'e', 'E']);
    Ok(Some(write_number(new, decimals, integer)))
}

fn round(value: f32, decimals: usize) -> f64 {
    let k = 10f64.powi(decimals as i32);
    let r = (f64::from(value) * k).round() / k;
    if r == 0.0 { 0.0 } else { r }
}

/// `value` (already rounded) with at most `decimals` decimals and at least one, or as
/// an integer when `integer` and it is whole.
fn write_number(value: f64, decimals: usize, integer: bool) -> String {
    if integer && value.fract() == 0.0 {
        return format!("{}", value as i64);
    }
    let mut s = format!("{value:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') && !s.ends_with(".0") {
            s.pop();
        }
    }
    s
}

/// The rewritten text must parse to the scene it was, but for `mark`'s placement,
/// which must be `pose` (to the rounding).
fn verify(before: &SceneFile, out: &str, mark: Mark<'_>, pose: Pose) -> Result<(), EditError> {
    let mut after = parse_scene(out)
        .map_err(|e| EditError::WouldChangeMore(format!("no longer parses: {e}")))?;
    let (at, facing, old) = match mark {
        Mark::Thing(id) => {
            let Some(thing) = after.things.0.iter_mut().find(|(k, _)| k == id) else {
                return Err(EditError::WouldChangeMore(format!("`{id}` is gone")));
            };
            let old = before
                .things
                .0
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, t)| (t.at, t.facing))
                .unwrap_or_default();
            (&mut thing.1.at, &mut thing.1.facing, old)
        }
        Mark::Start => (
            &mut after.start.at,
            &mut after.start.facing,
            (before.start.at, before.start.facing),
        ),
    };
    let near = |a: f32, b: f32, tol: f32| (a - b).abs() <= tol;
    let at_tol = 0.51 * 10f32.powi(-(AT_DECIMALS as i32)) + 1e-5;
    let facing_tol = 0.51 * 10f32.powi(-(FACING_DECIMALS as i32)) + 1e-4;
    if !(near(at.0, pose.at.0, at_tol)
        && near(at.1, pose.at.1, at_tol)
        && near(at.2, pose.at.2, at_tol)
        && near(*facing, pose.facing, facing_tol))
    {
        return Err(EditError::WouldChangeMore(format!(
            "{mark} reads back at {at:?} facing {facing}, not where it was put"
        )));
    }
    (*at, *facing) = old;
    if after != *before {
        return Err(EditError::WouldChangeMore(
            "something besides the placement differs".into(),
        ));
    }
    Ok(())
}

/// Why moves were not saved.
#[derive(Debug)]
pub enum SaveError {
    /// The file on disk is not the text the moves were made against.
    ChangedOnDisk,
    Read(io::Error),
    Edit(EditError),
    Write(io::Error),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::ChangedOnDisk => write!(
                f,
                "the file changed on disk since it was loaded (another editor?); nothing was written"
            ),
            SaveError::Read(e) => write!(f, "cannot read it: {e}"),
            SaveError::Edit(e) => write!(f, "{e}"),
            SaveError::Write(e) => write!(f, "cannot write it: {e}"),
        }
    }
}

impl std::error::Error for SaveError {}

/// Writes `moves` into the scene file at `path`, whose text was `loaded` when the
/// moves began. Returns the new text (the same text when nothing changed, and then
/// nothing is written).
pub fn save_moves(
    path: &Path,
    loaded: &str,
    moves: &[(Mark<'_>, Pose)],
) -> Result<String, SaveError> {
    let now = std::fs::read_to_string(path).map_err(SaveError::Read)?;
    if now != loaded {
        return Err(SaveError::ChangedOnDisk);
    }
    let mut text = now.clone();
    for (mark, pose) in moves {
        text = move_in_scene(&text, *mark, *pose).map_err(SaveError::Edit)?;
    }
    if text != now {
        write_atomically(path, &text).map_err(SaveError::Write)?;
    }
    Ok(text)
}

/// Replaces the file at `path` with `text` whole: written to a hidden file beside it,
/// flushed, then renamed over it.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let temp = path.with_file_name(format!(".{}.reunion-save", name.to_string_lossy()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(at: Vec3, facing: f32) -> Pose {
        Pose { at, facing }
    }

    /// The lines of `a` and `b` that differ, as (line number, before, after).
    fn changed_lines<'a>(a: &'a str, b: &'a str) -> Vec<(usize, &'a str, &'a str)> {
        assert_eq!(a.lines().count(), b.lines().count(), "line count changed");
        a.lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| (i + 1, x, y))
            .collect()
    }

    const PARK: &str = r##"// The meeting place: a quiet park at dusk.
(
    environment: Park(sky: "#f2b088", trees: 8),
    start: (at: (0.0, 0.0, 0.0), facing: 0.0),
    things: {
        // She stands a little way off.
        "nayeon": (is: Actor("nayeon"), at: (0.5, 0.0, -3.4), facing: 150.0),
        "bench": (is: Bench, at: (-2.3, 0.0, -4.2), facing: 145.0),

        "lamp": (is: Lamp, at: (2.4, 0.0, -5.2)),
        "path_end": (is: Marker, at: (0.0, 0.0, -12.0)),
    },
)
"##;

    #[test]
    fn only_the_numbers_that_changed_are_rewritten() {
        let out =
            move_in_scene(PARK, Mark::Thing("bench"), pose((-1.2, 0.0, -3.5), 160.0)).unwrap();
        assert_eq!(
            changed_lines(PARK, &out),
            vec![(
                8,
                r#"        "bench": (is: Bench, at: (-2.3, 0.0, -4.2), facing: 145.0),"#,
                r#"        "bench": (is: Bench, at: (-1.2, 0.0, -3.5), facing: 160.0),"#
            )]
        );
    }

    #[test]
    fn an_unchanged_placement_leaves_the_text_as_it_was() {
        let out =
            move_in_scene(PARK, Mark::Thing("bench"), pose((-2.3, 0.0, -4.2), 145.0)).unwrap();
        assert_eq!(out, PARK);
        // Closer than the rounding: still the same text.
        let out = move_in_scene(
            PARK,
            Mark::Thing("bench"),
            pose((-2.302, 0.001, -4.199), 145.02),
        )
        .unwrap();
        assert_eq!(out, PARK);
    }

    #[test]
    fn positions_round_to_centimetres_and_never_write_minus_zero() {
        let out = move_in_scene(
            PARK,
            Mark::Thing("bench"),
            pose((-1.23456, -0.001, 2.0), -0.01),
        )
        .unwrap();
        assert!(
            out.contains(r#""bench": (is: Bench, at: (-1.23, 0.0, 2.0), facing: 0.0),"#),
            "{out}"
        );
    }

    #[test]
    fn a_missing_facing_is_added_inline_after_at() {
        let out = move_in_scene(PARK, Mark::Thing("lamp"), pose((2.4, 0.0, -5.2), 30.0)).unwrap();
        assert_eq!(
            changed_lines(PARK, &out),
            vec![(
                10,
                r#"        "lamp": (is: Lamp, at: (2.4, 0.0, -5.2)),"#,
                r#"        "lamp": (is: Lamp, at: (2.4, 0.0, -5.2), facing: 30.0),"#
            )]
        );
        // Facing nothing new: nothing added.
        let out = move_in_scene(PARK, Mark::Thing("lamp"), pose((2.5, 0.0, -5.2), 0.0)).unwrap();
        assert!(
            out.contains(r#""lamp": (is: Lamp, at: (2.5, 0.0, -5.2)),"#),
            "{out}"
        );
    }

    #[test]
    fn a_missing_facing_gets_its_own_line_when_at_has_one() {
        let text = r#"(
    environment: Sky(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "vase": (
            is: Model(file: "models/vase.glb"),
            at: (0.35, 0.74, -1.7), // on the table
            sockets: { "1": (accepts: ["rose"]) },
        ),
        "frame": (
            is: Model(file: "models/photo_frame.glb"),
            at: (-0.25, 0.74, -1.75),
            grab: true,
        ),
    },
)"#;
        let out = move_in_scene(
            text,
            Mark::Thing("frame"),
            pose((-0.25, 0.74, -1.75), -90.0),
        )
        .unwrap();
        assert!(
            out.contains(
                "            at: (-0.25, 0.74, -1.75),\n            facing: -90.0,\n            grab: true,"
            ),
            "{out}"
        );
        // A comment after `at` on its line: inline, the comment kept after it.
        let out = move_in_scene(text, Mark::Thing("vase"), pose((0.35, 0.74, -1.7), 45.0)).unwrap();
        assert!(
            out.contains("            at: (0.35, 0.74, -1.7), facing: 45.0, // on the table\n"),
            "{out}"
        );
    }

    #[test]
    fn comments_inside_the_tuple_and_odd_spacing_stay() {
        let text = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "bench": ( is : Bench ,
            at : ( -2.3 /* x */ , 0.0,
                   // further back
                   -4.2 ) ,
            facing : 145.0 ),
    },
)"#;
        let out =
            move_in_scene(text, Mark::Thing("bench"), pose((-1.0, 0.0, -6.25), 90.0)).unwrap();
        assert_eq!(
            out,
            text.replace("-2.3 /*", "-1.0 /*")
                .replace("-4.2 )", "-6.25 )")
                .replace("145.0 )", "90.0 )")
        );
    }

    #[test]
    fn integers_stay_integers_when_they_can() {
        let text = r#"(
    environment: Park(),
    start: (at: (0, 0, 0), facing: 0),
    things: {
        "bench": (is: Bench, at: (-2, 0, -4), facing: 145),
    },
)"#;
        let out =
            move_in_scene(text, Mark::Thing("bench"), pose((-3.0, 0.0, -4.5), 180.0)).unwrap();
        assert!(
            out.contains(r#""bench": (is: Bench, at: (-3, 0, -4.5), facing: 180),"#),
            "{out}"
        );
    }

    #[test]
    fn the_start_mark_moves_and_keeps_its_posture() {
        let text = r#"(
    environment: Room(),
    // The participant kneels at the low table.
    start: (at: (0.0, 0.0, 0.8), posture: Kneeling),
    things: {
        "start": (is: Marker, at: (9.0, 0.0, 9.0)),
    },
)"#;
        let out = move_in_scene(text, Mark::Start, pose((0.1, 0.0, 1.0), 10.0)).unwrap();
        assert_eq!(
            changed_lines(text, &out),
            vec![(
                4,
                "    start: (at: (0.0, 0.0, 0.8), posture: Kneeling),",
                "    start: (at: (0.1, 0.0, 1.0), facing: 10.0, posture: Kneeling),"
            )]
        );
    }

    #[test]
    fn models_and_actors_move_like_procedural_things() {
        let text = include_str!("../../../assets/stories/farewell/living_room.scene.ron");
        let out = move_in_scene(text, Mark::Thing("rose"), pose((-0.5, 0.74, -1.3), 75.0)).unwrap();
        let changed = changed_lines(text, &out);
        assert_eq!(changed.len(), 1);
        assert!(
            changed[0]
                .2
                .contains(r#"at: (-0.5, 0.74, -1.3), facing: 75.0, grab: true"#),
            "{changed:?}"
        );
        let out =
            move_in_scene(text, Mark::Thing("grandma"), pose((1.0, 0.0, -2.3), 200.0)).unwrap();
        assert_eq!(changed_lines(text, &out).len(), 1);
    }

    #[test]
    fn an_id_that_appears_in_a_comment_or_a_string_is_not_confused() {
        let text = r#"(
    environment: Park(sky: "bench"),
    // "bench": (is: Bench, at: (1.0, 0.0, 1.0)),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "sign": (is: Marker, at: (5.0, 0.0, 5.0), tags: ["bench"]),
        "bench": (is: Bench, at: (-2.3, 0.0, -4.2)),
    },
)"#;
        let out = move_in_scene(text, Mark::Thing("bench"), pose((1.5, 0.0, -4.2), 0.0)).unwrap();
        assert_eq!(
            changed_lines(text, &out),
            vec![(
                7,
                r#"        "bench": (is: Bench, at: (-2.3, 0.0, -4.2)),"#,
                r#"        "bench": (is: Bench, at: (1.5, 0.0, -4.2)),"#
            )]
        );
    }

    #[test]
    fn refuses_what_it_cannot_do_safely() {
        assert_eq!(
            move_in_scene(PARK, Mark::Thing("swing"), pose((0.0, 0.0, 0.0), 0.0)),
            Err(EditError::NoSuchThing("swing".into()))
        );
        let broken = PARK.replace("trees: 8)", "trees: 8");
        assert!(matches!(
            move_in_scene(&broken, Mark::Thing("bench"), pose((0.0, 0.0, 0.0), 0.0)),
            Err(EditError::DoesNotParse(_))
        ));
    }

    #[test]
    fn every_shipped_scene_takes_a_move_of_every_thing() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/stories");
        let mut moved = 0;
        for story in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(story.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if !path.to_string_lossy().ends_with(".scene.ron") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let scene = parse_scene(&text).unwrap();
                for (id, def) in &scene.things.0 {
                    let to = pose(
                        (def.at.0 + 0.25, def.at.1, def.at.2 - 0.5),
                        def.facing + 15.0,
                    );
                    let out = move_in_scene(&text, Mark::Thing(id), to)
                        .unwrap_or_else(|e| panic!("{}: {id}: {e}", path.display()));
                    assert!(
                        changed_lines(&text, &out).len() <= 2,
                        "{}: {id}",
                        path.display()
                    );
                    moved += 1;
                }
                move_in_scene(&text, Mark::Start, pose((0.5, 0.0, 0.5), 90.0))
                    .unwrap_or_else(|e| panic!("{}: start: {e}", path.display()));
            }
        }
        assert!(moved > 40, "only {moved} things moved");
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("reunion-placement-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn saving_writes_the_moves_and_leaves_no_temporary_file() {
        let dir = scratch("save");
        let path = dir.join("park.scene.ron");
        std::fs::write(&path, PARK).unwrap();
        let moves = [
            (Mark::Thing("bench"), pose((-1.0, 0.0, -4.0), 120.0)),
            (Mark::Start, pose((0.0, 0.0, 0.5), 0.0)),
        ];
        let text = save_moves(&path, PARK, &moves).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        assert_eq!(changed_lines(PARK, &text).len(), 2);
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "only the scene file is left");
    }

    #[test]
    fn saving_refuses_a_file_changed_on_disk_and_leaves_it_alone() {
        let dir = scratch("changed");
        let path = dir.join("park.scene.ron");
        let theirs = PARK.replace("trees: 8", "trees: 9");
        std::fs::write(&path, &theirs).unwrap();
        let moves = [(Mark::Thing("bench"), pose((-1.0, 0.0, -4.0), 120.0))];
        assert!(matches!(
            save_moves(&path, PARK, &moves),
            Err(SaveError::ChangedOnDisk)
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
        // A move of a thing that is not there: refused, the file untouched.
        let moves = [(Mark::Thing("swing"), pose((0.0, 0.0, 0.0), 0.0))];
        assert!(matches!(
            save_moves(&path, &theirs, &moves),
            Err(SaveError::Edit(EditError::NoSuchThing(_)))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    }
}
