#!/usr/bin/env python3
"""Writes a copy of the reference story broken the way docs/images/story-graph-broken.png
shows (the edits of crates/reunion_story/tests/story_graph.rs's BREAK), for
`reunion graph`:

    python3 tools/broken_reference_story.py /tmp/broken
    reunion graph /tmp/broken --lang en --out docs/images/story-graph-broken.png
"""
import pathlib
import re
import shutil
import sys

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/broken_nayeon")
if out.exists():
    shutil.rmtree(out)
shutil.copytree(root / "assets/stories/nayeon", out)

# The edits, read from the test so the two never differ.
test = (root / "crates/reunion_story/tests/story_graph.rs").read_text()
block = test[test.index("const BREAK"):test.index("];", test.index("const BREAK"))]
pairs = re.findall(r'\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*\)', block)
story = (out / "story.ron").read_text()
for old, new in pairs:
    old = old.encode().decode("unicode_escape")
    new = new.encode().decode("unicode_escape")
    assert old in story, old
    story = story.replace(old, new)
(out / "story.ron").write_text(story)
print(f"{out}: {len(pairs)} edits")
