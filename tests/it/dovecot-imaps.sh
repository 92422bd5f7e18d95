#!/bin/sh
# dovecot-imaps.sh DIR CHAIN KEY -- a real dovecot IMAPS server (implicit
# TLS) on 127.0.0.1, configured as Debian ships it (no DH parameters, TLS
# 1.2 minimum, its default cipher list), with private state in DIR.
# Prints "PORT n" once dovecot listens, then waits for it until stopped.
set -eu
D=$1 CHAIN=$2 KEY=$3
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$D/run" "$D/state"
cat >"$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$CHAIN
ssl_key = <$KEY
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
passdb {
  driver = static
  args = password=unused
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $PORT
    ssl = yes
  }
}
CONF
dovecot -F -c "$D/dovecot.conf" &
pid=$!
# Say the port only once dovecot listens on it (10 s at most).
python3 - "$PORT" <<'PY'
import socket, sys, time
end = time.monotonic() + 10
while time.monotonic() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        break
    except OSError:
        time.sleep(0.1)
PY
echo "PORT $PORT"
wait $pid
