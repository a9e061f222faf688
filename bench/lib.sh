# bench/lib.sh: what bench/accept and bench/relay share: messages, work dir and clean-up, ports,
# CPU accounting from /proc, private Postfix instances and qflux processes. Sourced, not run.
# The sourcing script sets BENCH_NAME (prefix of its messages) before sourcing, and defines the
# options these functions read (messages, keep, workdir).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR="$ROOT/target/qflux.jar"
readonly BENCH_DIR ROOT JAR
# Generous bounds for a receiver to come up or go down on a busy 2-core machine.
readonly START_TIMEOUT_S=60
readonly STOP_TIMEOUT_S=60

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { echo "$BENCH_NAME: $*" >&2; }

require_smtp_source() {
  SMTP_SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
  [[ -x $SMTP_SOURCE ]] || die "smtp-source not found (Debian package postfix)"
}

require_postfix() {
  command -v postfix >/dev/null || [[ -x /usr/sbin/postfix ]] || die "postfix not found"
  PATH=$PATH:/usr/sbin
  id postfix >/dev/null 2>&1 || die "user postfix missing"
  getent group postdrop >/dev/null || die "group postdrop missing"
  [[ $(id -u) == 0 ]] || die "a private Postfix instance must be started as root"
}

# ---------------------------------------------------------------- work dir, cleanup on exit
# Makes the work dir W under --workdir (or $TMPDIR, /tmp), sets fstype, and installs the EXIT trap:
# every process whose PID file lies in W (load generators, sinks), qflux and Postfix are stopped.
make_workdir() {
  local base=${workdir:-${TMPDIR:-/tmp}}
  mkdir -p "$base"
  W=$(mktemp -d "$base/qflux-$BENCH_NAME.XXXXXX")
  chmod 755 "$W"   # Postfix's daemons run as user postfix and must traverse it
  fstype=$(findmnt -no FSTYPE -T "$W" 2>/dev/null || stat -f -c %T "$W")
  [[ $fstype == tmpfs || $fstype == ramfs ]] &&
    log "WARNING: $W is on $fstype: fsync costs nothing there, the figures mean little (use --workdir)"
  QFLUX_PID= PF_CONF= PF_MASTER=
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

cleanup() {
  local rc=$? f
  trap - EXIT INT TERM
  for f in "$W"/*.pid; do
    [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  [[ -n $QFLUX_PID ]] && stop_qflux || true
  [[ -n $PF_CONF ]] && stop_postfix || true
  if ((keep)); then log "kept $W"; else rm -rf "$W"; fi
  exit "$rc"
}

# ---------------------------------------------------------------- helpers
now() { date +%s.%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# A free loopback port: Postfix and others bind with SO_REUSEPORT, so a second listener on a taken
# port would silently share its connections (testing.md); look before use.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    [[ -z $(ss -Hltn "sport = :$p") ]] && { echo "$p"; return; }
  done
  die "no free port found"
}

# CPU seconds (user+system) of one process and its reaped children, from /proc/PID/stat
# fields 14-17 (utime stime cutime cstime, in clock ticks). Fields are counted after the
# ")" closing the command name, which may itself contain spaces.
proc_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  awk '{ print $12 + $13 + $14 + $15 }' <<<"$stat"
}

# Postfix: the master plus every live child; a child that exited was reaped by the master,
# so its CPU is already in the master's cutime/cstime.
postfix_ticks() {
  local total child
  total=$(proc_ticks "$PF_MASTER")
  for child in $(pgrep -P "$PF_MASTER" || true); do
    total=$((total + $(proc_ticks "$child")))
  done
  echo "$total"
}
qflux_ticks() { proc_ticks "$QFLUX_PID"; }

readonly CLK_TCK=$(getconf CLK_TCK)
ms_per_message() { awk -v t="$1" -v hz="$CLK_TCK" -v m="$messages" 'BEGIN { printf "%.3f", t / hz * 1000 / m }'; }

wait_for_greeting() { # port pid name
  local deadline=$((SECONDS + START_TIMEOUT_S)) line
  while ((SECONDS < deadline)); do
    kill -0 "$2" 2>/dev/null || die "$3 exited before listening"
    if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
      if read -r -t 10 line <&3 && [[ $line == 220* ]]; then
        printf 'QUIT\r\n' >&3
        exec 3<&- 3>&-
        return
      fi
      exec 3<&- 3>&-
    fi
    sleep 0.2
  done
  die "$3 did not greet on port $1 within ${START_TIMEOUT_S}s"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { printf '%s\n' "$@" | median; }

# ---------------------------------------------------------------- Postfix
# The main.cf every private instance starts from (Postfix 3.7 defaults unless said); the caller
# appends what its instance does differently. $1: the instance's dir, $2: mydestination.
postfix_base_main_cf() {
  local d=$1
  cat <<EOF
# Private instance for bench/$BENCH_NAME. Postfix 3.7 defaults unless said.
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $d/maillog
maillog_file_prefixes = $d
myhostname = mx.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
mydestination = $2
# Accept any local part, as qflux does for locals (qmail-smtpd does not check users).
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination
biff = no
append_dot_mydomain = no
EOF
}

# The master.cf services every instance runs: smtpd on $1 and what smtpd and cleanup need.
postfix_base_master_cf() {
  cat <<EOF
127.0.0.1:$1 inet n - n - - smtpd
cleanup   unix n - n - 0 cleanup
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
proxymap  unix - - n - - proxymap
anvil     unix - - n - 1 anvil
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
postlog   unix-dgram n - n - 1 postlogd
EOF
}

# Starts the instance whose main.cf and master.cf are in $PF_CONF (queue and data under
# $W/postfix) and waits for its greeting on $PF_PORT; sets PF_MASTER.
postfix_launch() {
  local d=$W/postfix
  postfix -c "$PF_CONF" start >/dev/null 2>&1 || {
    tail -20 "$d/maillog" >&2 2>/dev/null
    die "postfix -c $PF_CONF start failed"
  }
  PF_MASTER=$(tr -d ' ' <"$d/queue/pid/master.pid")
  wait_for_greeting "$PF_PORT" "$PF_MASTER" postfix
  ss -Hltnp "sport = :$PF_PORT" | grep -q "pid=$PF_MASTER," || die "port $PF_PORT is not Postfix's"
  log "postfix $(postconf -c "$PF_CONF" -h mail_version) master $PF_MASTER on 127.0.0.1:$PF_PORT"
}

postfix_queued() {
  find "$W/postfix/queue/"{incoming,active,deferred,hold,maildrop} -type f | wc -l
}

stop_postfix() {
  local conf=$PF_CONF master=$PF_MASTER
  PF_CONF=
  postfix -c "$conf" stop >/dev/null 2>&1 || true
  [[ -n $master ]] || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$master" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$master" 2>/dev/null; then
    local kids
    kids=$(pgrep -P "$master" || true)
    kill -9 "$master" $kids 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------- qflux
# Writes the conf every qflux run starts from into $W/qflux/conf (QF_CONF) with a listener on a
# free port (QF_PORT); the caller adds its own control files before qflux_launch.
qflux_base_conf() {
  local d=$W/qflux
  [[ -f $JAR ]] || { log "building $JAR"; (cd "$ROOT" && mvn -B -q -DskipTests package); }
  QF_PORT=$(free_port)
  QF_CONF=$d/conf
  mkdir -p "$QF_CONF/control" "$d/queue"
  echo "mx.$DOMAIN" >"$QF_CONF/control/me"
  echo "$DOMAIN" >"$QF_CONF/control/rcpthosts"
  echo "$DOMAIN" >"$QF_CONF/control/locals"
  echo "$d/queue" >"$QF_CONF/control/queuedir"
  echo "127.0.0.1:$QF_PORT smtp" >"$QF_CONF/control/listen"
  # The admin endpoint on a free port too, not the default 2526 another qflux may hold.
  echo "127.0.0.1:$(free_port)" >"$QF_CONF/control/adminlisten"
  # All load comes from 127.0.0.1; keep the connection limits out of the way (Postfix exempts
  # mynetworks from its per-client limits the same way).
  echo 200 >"$QF_CONF/control/concurrencyincoming"
  echo 200 >"$QF_CONF/control/concurrencyperip"
}

# Starts qflux on $QF_CONF in the background (extra JVM options as arguments, after $JAVA_OPTS)
# and waits for its greeting; sets QFLUX_PID.
qflux_launch() {
  local d=$W/qflux
  printf '127.:allow,RELAYCLIENT=""\n:allow\n' >"$QF_CONF/tcp.smtp"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  ${JAVA:-java} ${JAVA_OPTS:-} "$@" -jar "$JAR" start --conf "$QF_CONF" >"$d/stdout" 2>"$d/stderr" &
  QFLUX_PID=$!
  wait_for_greeting "$QF_PORT" "$QFLUX_PID" qflux
  log "qflux pid $QFLUX_PID on 127.0.0.1:$QF_PORT"
}

qflux_queued() {
  ${JAVA:-java} -jar "$JAR" qstat --conf "$QF_CONF" | awk -F': *' '/^messages in queue:/ { print $2 }'
}

stop_qflux() {
  local pid=$QFLUX_PID
  QFLUX_PID=
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && { log "qflux did not stop on SIGTERM, killing"; kill -9 "$pid"; }
  wait "$pid" 2>/dev/null || true
  QF_STATS=$(grep -m1 'stats: accept latency' "$W/qflux/stdout" || true)
}
