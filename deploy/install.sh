#!/usr/bin/env bash
# Install the buurthulp noticeboard on Debian or Raspberry Pi OS (bookworm or newer).
#
#   sudo deploy/install.sh [--kiosk | --touch] [--encrypt-key] [--no-venv] [--dry-run] [--destdir DIR]
#
#   --kiosk        also start the kiosk app on the screen (tty1) at boot, in the terminal
#   --touch        also start the kiosk on the screen at boot for a touch screen: the web kiosk on
#                  127.0.0.1:8741 and a locked browser (cage + chromium --kiosk) on tty1
#   --encrypt-key  keep the node's key only as a systemd-creds encrypted credential
#                  (after `noticeboard init`: the node is made with the plain key first)
#   --no-venv      do not create /opt/noticeboard/venv (it exists, or tests)
#   --dry-run      print every step, change nothing
#   --destdir DIR  install into DIR as if it were / (a scratch root); steps that change the
#                  running system (apt, users, ownership, systemctl) are printed, not run
#
# Safe to run again: existing config, key and data are kept; program and units are updated.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(dirname "$here")"
destdir="${DESTDIR:-}"
dry_run=0
kiosk=0
touch=0
encrypt_key=0
make_venv=1

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --kiosk) kiosk=1 ;;
        --touch) touch=1 ;;
        --encrypt-key) encrypt_key=1 ;;
        --no-venv) make_venv=0 ;;
        --dry-run) dry_run=1 ;;
        --destdir) destdir="${2:?--destdir needs a folder}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [ "$kiosk" -eq 1 ] && [ "$touch" -eq 1 ]; then
    echo "--kiosk and --touch both want the screen: choose one." >&2
    exit 2
fi

app=/opt/noticeboard
etc=/etc/noticeboard
state=/var/lib/noticeboard
units=/etc/systemd/system
user=noticeboard
# The locked browser's own user: it shows the page and cannot read the node's data.
screen_user=noticeboard-screen

# Run a step that only touches files under the (scratch) root.
step() {
    echo "+ $*"
    if [ "$dry_run" -eq 0 ]; then "$@"; fi
}

# Run a step that changes the running system: only for a real install.
system_step() {
    echo "+ $*"
    if [ "$dry_run" -eq 0 ] && [ -z "$destdir" ]; then "$@"; fi
}

root() { printf '%s%s' "$destdir" "$1"; }

# The node must exist (made with the plain key) before the key is kept only encrypted.
if [ "$encrypt_key" -eq 1 ] && [ ! -e "$(root "$state/noticeboard.db")" ]; then
    echo "--encrypt-key: first run the install without it, then 'sudo noticeboard init ...', then again with it." >&2
    exit 1
fi

if [ "$dry_run" -eq 0 ] && [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
    echo "Run as root: sudo $0 $*" >&2
    exit 1
fi

python="${PYTHON:-python3}"
# Debian splits venv support (ensurepip) into python3-venv.
if ! "$python" -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    system_step apt-get install -y python3 python3-venv
fi

if ! id -u "$user" >/dev/null 2>&1; then
    system_step useradd --system --user-group --home-dir "$state" --shell /usr/sbin/nologin "$user"
fi
if [ "$touch" -eq 1 ]; then
    # cage: a Wayland compositor for one full-screen program; the emoji font for the tiles' pictograms.
    system_step env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        cage chromium fonts-noto-color-emoji
    if ! id -u "$screen_user" >/dev/null 2>&1; then
        # The screen, the touch screen and the GPU (render exists only where udev made it).
        groups=video,input
        if getent group render >/dev/null 2>&1; then groups="$groups,render"; fi
        system_step useradd --system --user-group --home-dir "/var/lib/$screen_user" --shell /usr/sbin/nologin \
            --groups "$groups" "$screen_user"
    fi
fi

step install -d -m 0755 "$(root "$app")" "$(root /usr/local/bin)" "$(root "$units")"
step install -d -m 0750 "$(root "$etc")"
step install -d -m 0700 "$(root "$state")" "$(root "$state/drop")"
system_step chown root:"$user" "$etc"
system_step chown "$user":"$user" "$state" "$state/drop"

if [ "$make_venv" -eq 1 ]; then
    step "$python" -m venv "$(root "$app/venv")"
    # Within the versions the tests ran with, not whatever is newest today.
    step "$(root "$app/venv")/bin/pip" install --constraint "$here/constraints.txt" --upgrade "$source_dir"
fi
step install -d -m 0755 "$(root "$app/docs")"
step install -m 0644 "$source_dir/docs/operators-guide.md" "$source_dir/docs/bundles.md" "$(root "$app/docs/")"

config="$(root "$etc/config.toml")"
if [ ! -e "$config" ]; then
    step install -m 0640 "$here/config.example.toml" "$config"
    step sed -i "s|^# drop_folder = .*|drop_folder = \"$state/drop\"|" "$config"
    system_step chgrp "$user" "$etc/config.toml"
fi

key="$(root "$etc/noticeboard-key")"
cred="$(root "$etc/noticeboard-key.cred")"
if [ ! -e "$key" ] && [ ! -e "$cred" ]; then
    echo "+ write a new random key file to $key (0600)"
    if [ "$dry_run" -eq 0 ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$key" && echo >> "$key")
    fi
    system_step chown "$user":"$user" "$etc/noticeboard-key"
fi

if [ "$encrypt_key" -eq 1 ] && ! command -v systemd-creds >/dev/null 2>&1; then
    echo "note: systemd-creds is not available (systemd < 250); the key stays a plain file readable by $user only"
fi
for unit in noticeboard noticeboard-kiosk noticeboard-web; do
    step install -m 0644 "$here/systemd/$unit.service" "$(root "$units/$unit.service")"
    step install -d -m 0755 "$(root "$units/$unit.service.d")"
    if [ "$encrypt_key" -eq 1 ] && command -v systemd-creds >/dev/null 2>&1; then
        step install -m 0644 "$here/systemd/key-encrypted.conf" "$(root "$units/$unit.service.d/key.conf")"
    else
        step install -m 0644 "$here/systemd/key-plain.conf" "$(root "$units/$unit.service.d/key.conf")"
    fi
done
if [ "$encrypt_key" -eq 1 ] && [ -e "$key" ] && command -v systemd-creds >/dev/null 2>&1; then
    system_step systemd-creds encrypt --name=noticeboard-key "$etc/noticeboard-key" "$etc/noticeboard-key.cred"
    system_step shred -u "$etc/noticeboard-key"
fi

step install -m 0644 "$here/systemd/noticeboard-screen.service" "$(root "$units/noticeboard-screen.service")"
if [ "$touch" -eq 1 ]; then
    # Chromium's managed policy: only the kiosk's page, no developer tools, no printing, no downloads.
    # It holds for every chromium on this machine (the hall's machine is the kiosk).
    step install -d -m 0755 "$(root /etc/chromium/policies/managed)"
    step install -m 0644 "$here/chromium/noticeboard-kiosk.json" \
        "$(root /etc/chromium/policies/managed/noticeboard-kiosk.json)"
fi

step install -m 0755 "$here/noticeboard-wrapper.sh" "$(root /usr/local/bin/noticeboard)"

system_step systemctl daemon-reload
system_step systemctl enable noticeboard.service
if [ "$kiosk" -eq 1 ]; then
    system_step systemctl disable getty@tty1.service
    system_step systemctl disable noticeboard-web.service noticeboard-screen.service
    system_step systemctl enable noticeboard-kiosk.service
fi
if [ "$touch" -eq 1 ]; then
    system_step systemctl disable getty@tty1.service
    system_step systemctl disable noticeboard-kiosk.service
    system_step systemctl enable noticeboard-web.service noticeboard-screen.service
fi

cat <<DONE

Installed. Next (see $app/docs/operators-guide.md):
  sudo noticeboard init --name "Dorpshuis ..." --village "..." --location 53.32,6.44
  sudo noticeboard passphrase          # a coordinator passphrase, for backups and recovery
  sudo systemctl start noticeboard
  sudo noticeboard doctor
DONE
