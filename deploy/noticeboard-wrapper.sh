#!/bin/sh
# /usr/local/bin/noticeboard: the operator's command, run as the noticeboard user on this
# hall's node (its folder, settings and key file), e.g. `sudo noticeboard status`.
set -eu
NOTICEBOARD_HOME=/var/lib/noticeboard
NOTICEBOARD_CONFIG=/etc/noticeboard/config.toml
export NOTICEBOARD_HOME NOTICEBOARD_CONFIG
# With the key kept only as an encrypted credential, the CLI asks for the passphrase instead.
if [ -e /etc/noticeboard/noticeboard-key ]; then
    NOTICEBOARD_KEY_FILE=/etc/noticeboard/noticeboard-key
    export NOTICEBOARD_KEY_FILE
fi
program=/opt/noticeboard/venv/bin/noticeboard
case "$(id -un)" in
    noticeboard) exec "$program" "$@" ;;
    root) exec runuser -u noticeboard -- "$program" "$@" ;;
    *) echo "Gebruik sudo / use sudo: sudo noticeboard $*" >&2; exit 1 ;;
esac
