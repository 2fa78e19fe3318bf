#!/bin/sh
# The full kill-and-resume test (#21, docs/robustness.md): the reference story played
# headless by the autopilot, killed with SIGKILL at KILLS moments spread across it
# (default 50), each resumed with `reunion play --resume` and checked against an
# uninterrupted run. Prints one line a kill and the figures at the end.
#
#   tools/kill-resume.sh [KILLS] [SEED]
set -eu
cd "$(dirname "$0")/.."
REUNION_KILLS="${1:-50}" REUNION_KILL_SEED="${2:-21}" \
    cargo test --test main -- resume::a_session_killed_at_random_moments --nocapture
