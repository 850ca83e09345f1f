# Shared by the scripts in this folder: where things are, and how to say what went wrong.
# Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
export DEBIAN_FRONTEND=noninteractive

say() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
die() { printf '[%s] error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo without a prompt.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo -n "$@" || die "needs root (sudo -n failed): $*";
  else die "needs root to run: $*"; fi
}
