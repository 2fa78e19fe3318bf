#!/usr/bin/env python3
"""Placeholder voices and ambience for a story, so authors hear the timing before
real voices are recorded.

    python3 tools/make_placeholder_voices.py                  # the reference story
    python3 tools/make_placeholder_voices.py assets/stories/my_story
    python3 tools/make_placeholder_voices.py --only voices    # or: --only ambience
    python3 tools/make_placeholder_voices.py --prune          # also delete clips no line names

Needs espeak-ng, sox and oggenc (Debian: `apt-get install espeak-ng sox
libsox-fmt-all vorbis-tools`) and Python 3.11 with nothing but its standard library.

What it writes, in the story folder:

- `voice/<language>/<voice>.ogg` for every `Say` node that has a `voice: "<voice>"`
  field, in every language of the story, spoken by espeak-ng from the line's text
  (the reference story names each clip after its node: `voice: "calling"`). The
  voices are synthetic and sound it: a high, slowish espeak voice per speaker
  (`SPEAKERS` below), nothing like any real child. A few words espeak would spell out
  are respelled for it (`SPOKEN_AS`); the story's text is never changed.
- `ambience/park.ogg` (soft wind with a few distant chirps) and `ambience/room.ogg`
  (a very soft warm chord), the files reunion_audio plays for the Park and Room
  environments. Both loop without a click: the park's noise is cross-faded into its
  own beginning, and every partial of the room's chord repeats exactly in the loop.

Everything is mono Ogg Vorbis at 22050 Hz (oggenc -q 1 for voices, -q 0 for
ambience), tagged as synthetic in its comments. The output is reproducible: sox runs
with its fixed random seed (-R) and no dither (-D), and each stream's serial number is
derived from its path, so regenerating unchanged text gives the same bytes (with the
same tool versions). Run `reunion check` afterwards: it reads every clip's length,
and each line then lasts as long as its clip. Commit the clips and, for the reference
story, the golden transcripts (`UPDATE_GOLDEN=1 cargo test -p reunion_story`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "assets" / "stories" / "nayeon"

RATE = 22050

# espeak-ng voice per story language.
ESPEAK_LANGUAGES = {"ko": "ko", "en": "en-us"}

# How each cast member's placeholder sounds: an espeak variant, pitch (0-99) and
# speed (words a minute). Child-like: high and a little slow. Anyone else gets DEFAULT.
SPEAKERS = {
    "nayeon": {"variant": "f4", "pitch": 82, "speed": 145},
    "friend": {"variant": "f2", "pitch": 74, "speed": 150},
}
DEFAULT_SPEAKER = {"variant": "f3", "pitch": 70, "speed": 150}

# Words espeak would spell out letter by letter, respelled (in espeak's phoneme
# notation between [[ ]]) for the synthesiser only; subtitles keep the story's text.
SPOKEN_AS = {
    "en": [("Mm-hm", "[[m'mh@m]]")],
    "ko": [],
}
# Characters espeak reads aloud by name ("tilde"); dropped before speaking.
SILENT_CHARACTERS = "~"


@dataclass
class Line:
    node: str
    speaker: str
    voice: str | None
    text: dict[str, str]


# ── Reading story.ron, just enough ────────────────────────────────────────────────

STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(s: str) -> str:
    """RON's string escapes: \\" \\\\ \\n \\t \\u{...}."""

    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e, e)

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|.)", one, s)


def strip_comments(text: str) -> str:
    """Blanks out // and /* */ comments, leaving strings (and line numbers) alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            m = re.compile(STRING).match(text, i)
            if not m:
                raise SystemExit("story.ron: a string is not closed")
            out.append(m.group(0))
            i = m.end()
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def closing(text: str, open_at: int) -> int:
    """The index of the bracket closing the one at `open_at` (strings skipped)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack, i = [], open_at
    while i < len(text):
        c = text[i]
        if c == '"':
            i = re.compile(STRING).match(text, i).end()
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                raise SystemExit(f"story.ron: unbalanced `{c}` at offset {i}")
            if not stack:
                return i
        i += 1
    raise SystemExit("story.ron: a bracket is not closed")


def read_story(path: Path) -> tuple[list[str], list[Line]]:
    text = strip_comments(path.read_text(encoding="utf-8"))
    m = re.search(r"\blanguages\s*:\s*\[([^\]]*)\]", text)
    if not m:
        raise SystemExit(f"{path}: no `languages`")
    languages = [unescape(s) for s in re.findall(STRING, m.group(1))]
    lines = []
    for m in re.finditer(STRING + r"\s*:\s*Say\s*\(", text):
        body = text[m.end() : closing(text, m.end() - 1)]
        speaker = re.search(r"\bspeaker\s*:\s*" + STRING, body)
        voice = re.search(r"\bvoice\s*:\s*(?:Some\s*\(\s*)?" + STRING, body)
        texts = re.search(r"\btext\s*:\s*\{", body)
        if not (speaker and texts):
            raise SystemExit(f"{path}: Say `{m.group(1)}` has no speaker or text")
        pairs = body[texts.end() : closing(body, texts.end() - 1)]
        lines.append(
            Line(
                node=unescape(m.group(1)),
                speaker=unescape(speaker.group(1)),
                voice=unescape(voice.group(1)) if voice else None,
                text={
                    unescape(k): unescape(v)
                    for k, v in re.findall(STRING + r"\s*:\s*" + STRING, pairs)
                },
            )
        )
    return languages, lines


# ── Making sounds ─────────────────────────────────────────────────────────────────


def run(*args: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stderr}")


def serial(relative: str) -> str:
    """A stream serial number from the file's path, so output is reproducible."""
    return str(zlib.crc32(relative.encode()) & 0x7FFFFFFF)


def encode(wav: Path, out: Path, relative: str, quality: int, what: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    run(
        "oggenc", "-Q", "-q", str(quality), "--serial", serial(relative),
        "-c", f"DESCRIPTION={what}",
        "-c", "COMMENT=synthetic placeholder made by tools/make_placeholder_voices.py; not a real person's voice",
        "-o", str(out), str(wav),
    )  # fmt: skip


def spoken(text: str, lang: str) -> str:
    for written, said in SPOKEN_AS.get(lang, []):
        text = text.replace(written, said)
    return "".join(c for c in text if c not in SILENT_CHARACTERS)


def make_voice(line: Line, lang: str, out: Path, relative: str, tmp: Path) -> None:
    s = SPEAKERS.get(line.speaker, DEFAULT_SPEAKER)
    raw, clean = tmp / "raw.wav", tmp / "clean.wav"
    run(
        "espeak-ng", "-v", f"{ESPEAK_LANGUAGES[lang]}+{s['variant']}",
        "-p", str(s["pitch"]), "-s", str(s["speed"]), "-w", str(raw),
        spoken(line.text[lang], lang),
    )  # fmt: skip
    # Mono 22050 Hz; trim espeak's leading and trailing silence, keep a breath of it;
    # take out rumble; peak at -3 dB.
    run(
        "sox", "-R", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean),
        "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
        "highpass", "90", "gain", "-n", "-3", "pad", "0.05", "0.15",
    )  # fmt: skip
    encode(
        clean, out, relative, 1,
        f"placeholder voice of `{line.speaker}`, line `{line.node}` ({lang}), espeak-ng",
    )  # fmt: skip


def make_park(out: Path, relative: str, tmp: Path) -> None:
    """Soft wind (filtered pink noise, slow gusts) with a few distant chirps, 12 s."""
    loop, overlap = 12.0, 2.0
    raw, body, head, wind = (tmp / n for n in ("raw.wav", "body.wav", "head.wav", "wind.wav"))
    run(
        "sox", "-R", "-D", "-r", str(RATE), "-c", "1", "-n", "-b", "16", str(raw),
        "synth", str(loop + overlap), "pinknoise",
        "highpass", "150", "lowpass", "900", "lowpass", "1400",
        "tremolo", "0.11", "45", "gain", "-n", "-22",
    )  # fmt: skip
    # Loop: the last `overlap` seconds fade out over the first ones fading in.
    run(
        "sox", "-D", str(raw), str(body),
        "trim", str(overlap), str(loop), "fade", "q", "0", str(loop), str(overlap),
    )  # fmt: skip
    run(
        "sox", "-D", str(raw), str(head),
        "trim", "0", str(overlap), "fade", "q", str(overlap), "pad", str(loop - overlap),
    )  # fmt: skip
    run("sox", "-D", "-m", "-v", "1", str(body), "-v", "1", str(head), str(wind))
    # Chirps, well inside the loop so none is cut at its seam.
    mix = ["sox", "-D", "-m", "-v", "1", str(wind)]
    for i, (at, low, high) in enumerate(
        [(1.3, 3300, 4200), (1.45, 3400, 4400), (4.8, 2900, 3600), (7.9, 3600, 4500),
         (8.05, 3500, 4600), (8.2, 3700, 4700), (10.4, 3100, 3900)]
    ):  # fmt: skip
        chirp = tmp / f"chirp{i}.wav"
        run(
            "sox", "-R", "-D", "-r", str(RATE), "-c", "1", "-n", "-b", "16", str(chirp),
            "synth", "0.09", "sine", f"{low}-{high}", "fade", "h", "0.02", "0.09", "0.05",
            "gain", "-n", "-30", "pad", str(at), str(loop - at - 0.09),
        )  # fmt: skip
        mix += ["-v", "1", str(chirp)]
    final = tmp / "park.wav"
    run(*mix, str(final), "trim", "0", str(loop))
    encode(final, out, relative, 0, "placeholder ambience: the park (wind, distant birds)")


def make_room(out: Path, relative: str, tmp: Path) -> None:
    """A very soft warm chord, 8 s. Every partial and the swell have a whole number
    of cycles in the loop, so it repeats exactly; the first second is dropped so the
    filter has settled."""
    loop = 8
    raw = tmp / "room.wav"
    # A major, low and open; 220.5 and 330.25 beat slowly against their neighbours.
    tones = ["110", "165", "220", "220.5", "277", "330", "330.25"]
    synth = []
    for f in tones:
        synth += ["sine", f]
    # One channel per partial in, mixed to one channel out.
    run(
        "sox", "-R", "-D", "-r", str(RATE), "-c", str(len(tones)), "-n",
        "-c", "1", "-b", "16", str(raw),
        "synth", str(loop + 1), *synth, "remix", "-",
        "lowpass", "700", "tremolo", "0.25", "25", "gain", "-n", "-26",
        "trim", "1", str(loop),
    )  # fmt: skip
    encode(raw, out, relative, 0, "placeholder ambience: the room (a soft warm chord)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("story", nargs="?", type=Path, default=REFERENCE, help="the story folder")
    parser.add_argument("--only", choices=["voices", "ambience"], help="make only these")
    parser.add_argument("--prune", action="store_true", help="delete voice clips no line names")
    args = parser.parse_args()
    folder: Path = args.story
    if folder.name == "story.ron":
        folder = folder.parent
    for tool in ("espeak-ng", "sox", "oggenc"):
        if not shutil.which(tool):
            raise SystemExit(f"`{tool}` is not installed (see the top of this script)")

    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if args.only in (None, "voices"):
            languages, lines = read_story(folder / "story.ron")
            unknown = [l for l in languages if l not in ESPEAK_LANGUAGES]
            if unknown:
                raise SystemExit(f"no espeak-ng voice set for {unknown}: add it to ESPEAK_LANGUAGES")
            made = set()
            for line in lines:
                if line.voice is None:
                    print(f"skipped `{line.node}`: it has no `voice` field")
                    continue
                for lang in languages:
                    relative = f"voice/{lang}/{line.voice}.ogg"
                    if relative in made:
                        continue
                    if not line.text.get(lang, "").strip():
                        print(f"skipped {relative}: `{line.node}` has no {lang} text")
                        continue
                    make_voice(line, lang, folder / relative, relative, tmp)
                    made.add(relative)
            print(f"{len(made)} voice clips in {folder / 'voice'}")
            stale = [
                p for p in sorted((folder / "voice").glob("*/*.ogg"))
                if p.relative_to(folder).as_posix() not in made
            ]  # fmt: skip
            for p in stale:
                if args.prune:
                    p.unlink()
                    print(f"deleted {p} (no line names it)")
                else:
                    print(f"note: {p} is named by no line (--prune deletes it)")
        if args.only in (None, "ambience"):
            make_park(folder / "ambience" / "park.ogg", "ambience/park.ogg", tmp)
            make_room(folder / "ambience" / "room.ogg", "ambience/room.ogg", tmp)
            print(f"ambience in {folder / 'ambience'}")


if __name__ == "__main__":
    sys.exit(main())
