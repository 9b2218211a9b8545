#!/bin/bash
# sshd tier: end to end through Debian's OpenSSH sshd, on 127.0.0.1 only.
#
# Our own sshd (our sshd_config, host key, PID file, all in $T_ROOT) runs
# in a private mount namespace where a stack of our own (account and
# session pam_permit, then the module with conf=$P) is bound over
# /etc/pam.d/sshd, as the login tier does for su and cron.  The service is
# "sshd" on every OpenSSH: up to 9.7 sshd took it from the name it was run
# by (auth-pam.c: SSHD_PAM_SERVICE __progname); since 9.8 each connection
# runs in sshd-session, which opens the PAMServiceName of sshd_config,
# "sshd" by default (servconf.c), whatever the listener is called.  So one
# test serves OpenSSH 9.2 (Debian 12) and 10.0 (Debian 13), and the host's
# /etc/pam.d/sshd is never changed.  Two test users of our own log in with
# ed25519 keys:
#   A  isolated ("private A")
#   B  named by no rule: the host's network
# The oracles are iproute2 inside the session (`ip -j addr`, `ss -ltn`), the
# namespace inodes in /proc, TCP connects to a listener on the host's
# 127.0.0.1, sshd's own log (-e, LogLevel VERBOSE) and the module's syslog
# lines (sshd runs under with_devlog, i.e. in a private mount namespace
# with a /dev of its own: it gets a devpts instance there for its ptys.
# Only private and refused sessions are made here: a shared pin made in
# that mount namespace would not be seen outside it).
#
# Checked: the interactive shell (pty), exec, sftp (sftp-server's namespace
# from outside, and that it is its connection's), -L and -D towards the
# host's 127.0.0.1 (B as the control), -R (listener inside, carried to the
# client; refused by AllowTcpForwarding no), B on the host's network, and
# the refusals (join= a missing namespace, a policy that does not parse):
# no shell, no command, no sftp, no forward, and the logs say why.
#
# sshd loads the module itself: this tier runs in the plain tier only.
. "$(dirname "$0")/lib.sh"

if [ "$NONET_TIER" != plain ]; then
	skip_all "plain tier only: sshd loads the module itself (no valgrind; an ASan module cannot load into sshd)"
fi
for p in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen /usr/bin/sftp \
	/usr/lib/openssh/sftp-server /usr/bin/ss /usr/bin/nsenter /usr/sbin/useradd; do
	if [ ! -x "$p" ]; then
		skip_all_strict "$p is missing (make deps)"
	fi
done
plan 48
PY=$(command -v /usr/bin/python3 || command -v python3)

host_ino=$(host_netns_inode)
tag=nonet-t-$$
A=$tag-a B=$tag-b
SVC=sshd # the PAM service: see above
P=$T_ROOT/policy.conf
BANNER=nonet-banner-$$

# --- helpers ---------------------------------------------------------------
cat >"$T_ROOT/probe.py" <<'EOF'
# probe.py free N | serve PORTFILE BANNER | connect HOST PORT |
#          socks SOCKSPORT HOST PORT
# connect and socks print banner:TEXT (the first line the far end sent),
# closed (EOF before any byte), timeout, or connect-error:REASON.
import os, socket, sys

def recvn(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data

def first_line(s):
    data = b""
    try:
        while not data.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return "error:%s" % e.strerror
    return "banner:" + data.decode(errors="replace").strip() if data else "closed"

def connect(host, port):
    try:
        return socket.create_connection((host, port), timeout=5)
    except OSError as e:
        print("connect-error:%s" % e.strerror)
        sys.exit(0)

cmd = sys.argv[1]
if cmd == "free":
    socks = []
    for _ in range(int(sys.argv[2])):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
elif cmd == "serve":
    portfile, banner = sys.argv[2], sys.argv[3].encode() + b"\n"
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    while True:
        c, _ = s.accept()
        try:
            c.sendall(banner)
        except OSError:
            pass
        c.close()
elif cmd == "connect":
    print(first_line(connect(sys.argv[2], int(sys.argv[3]))))
elif cmd == "socks":
    s = connect("127.0.0.1", int(sys.argv[2]))
    host, port = sys.argv[3], int(sys.argv[4])
    try:
        s.sendall(b"\x05\x01\x00")
        r = recvn(s, 2)
        if r != b"\x05\x00":
            print("closed" if not r else "socks-greeting:%r" % r)
            sys.exit(0)
        s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton(host) + port.to_bytes(2, "big"))
        r = recvn(s, 10)
    except socket.timeout:
        print("timeout")
        sys.exit(0)
    except OSError as e:
        print("error:%s" % e.strerror)
        sys.exit(0)
    if len(r) < 10:
        print("closed")
    elif r[1] != 0:
        print("socks-reply:%d" % r[1])
    else:
        print(first_line(s))
EOF
probe() { "$PY" "$T_ROOT/probe.py" "$@"; }

# Reads "INODE\n`ip -j addr`" and names what the session got (as t-policy).
judge() { "$PY" -I -S "$T_SRC/tests/ip_verdict.py" "$host_ino"; }
PROBE='stat -L -c %i /proc/self/ns/net; ip -j addr show'

# listening PORT: is something on the host listening on TCP PORT?
listening() { [ -n "$(ss -Hltn "( sport = :$1 )")" ]; }
wait_for() { # TRIES CMD...: retries CMD every 0.1 s
	local n=$1 _
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}
sshd_log() { LC_ALL=C tr -c '[:print:]\n' '?' <"$1"; }

read -r PORT PORT2 FPORT DPORT RPORT FPORT2 DPORT2 <<<"$(probe free 7)"

# --- users and keys ----------------------------------------------------------
for u in "$A" "$B"; do
	if getent passwd "$u" >/dev/null; then
		fail "the test users do not exist yet" "user $u exists"
		exit 1
	fi
done
# Removed last: first their processes, then the users with their homes, then
# session records an interrupted run may have left for them.
on_exit "rm -f \$(grep -lx -e 'user $A' -e 'user $B' /run/nonet/sessions/* 2>/dev/null)"
on_exit "userdel -r '$A'; userdel -r '$B'"
on_exit "kill_users"
kill_users() {
	local pids
	pids=$(pgrep -u "$A,$B" 2>/dev/null | tr '\n' ' ')
	[ -n "$pids" ] && kill -KILL $pids
	sleep 0.2
}
if ! out=$(useradd -m -s /bin/bash "$A" 2>&1 && useradd -m -s /bin/bash "$B" 2>&1); then
	fail "create the test users" "$out"
	exit 1
fi
for u in "$A" "$B"; do
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$T_ROOT/$u.key" || exit 1
	home=$(getent passwd "$u" | cut -d: -f6)
	install -d -m 0700 -o "$u" -g "$(id -gn "$u")" "$home/.ssh"
	install -m 0600 -o "$u" -g "$(id -gn "$u")" "$T_ROOT/$u.key.pub" "$home/.ssh/authorized_keys"
done
ssh-keygen -q -t ed25519 -N '' -C "$tag" -f "$T_ROOT/host_ed25519" || exit 1
mkdir -m 1777 "$T_ROOT/w" # where the sessions may write

# --- policy and PAM service --------------------------------------------------
make_policy policy "private $A" >/dev/null
if [ ! -f "/etc/pam.d/$SVC" ]; then
	skip "sshd end to end" "no /etc/pam.d/$SVC to bind our stack over (openssh-server)"
	exit 0
fi
STACK=$T_ROOT/pam.$SVC
# No password or keyboard-interactive authentication is enabled; pam_deny
# in the auth stack makes sure nothing is let in through it anyway.
printf '%s\n' "# written by $T_SRC/tests/t-sshd.sh (pid $$), removed at its exit" \
	"auth requisite pam_deny.so" \
	"account required pam_permit.so" \
	"session required pam_permit.so" \
	"session required $MODULE conf=$P" >"$STACK"

# sshd's privilege separation directory.
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
	on_exit "rmdir /run/sshd"
fi

# --- sshd --------------------------------------------------------------------
write_config() { # FILE PORT PIDFILE [EXTRA-LINE...]
	local file=$1 port=$2 pidfile=$3
	shift 3
	printf '%s\n' "Port $port" "ListenAddress 127.0.0.1" "AddressFamily inet" \
		"HostKey $T_ROOT/host_ed25519" "PidFile $pidfile" "UsePAM yes" \
		"PubkeyAuthentication yes" "PasswordAuthentication no" \
		"KbdInteractiveAuthentication no" "PermitRootLogin no" \
		"AllowUsers $A $B" "AuthorizedKeysFile .ssh/authorized_keys" \
		"AllowTcpForwarding yes" "GatewayPorts no" "X11Forwarding no" \
		"PrintMotd no" "PrintLastLog no" "UseDNS no" \
		"Subsystem sftp /usr/lib/openssh/sftp-server" "LogLevel VERBOSE" \
		"$@" >"$file"
}
# stop_sshd PIDFILE CONFIG WRAPPER-PID: the listener and its per-connection
# processes (the listener does not end them), then the with_devlog wrapper.
stop_sshd() {
	local pid
	pid=$(cat "$1" 2>/dev/null)
	if [ -n "$pid" ] && grep -qaF -- "$2" "/proc/$pid/cmdline" 2>/dev/null; then
		kill $(pgrep -P "$pid") "$pid" 2>/dev/null
	fi
	wait_for 50 eval "! kill -0 $3 2>/dev/null"
	kill "$3" 2>/dev/null
	wait "$3" 2>/dev/null
	rm -f "$1"
}
# start_sshd NAME BINARY CONFIG PORT: runs BINARY -D -e -f CONFIG under
# with_devlog; its stderr is $T_ROOT/NAME.log, syslog $T_ROOT/NAME.syslog.
start_sshd() {
	local name=$1 bin=$2 cfg=$3 port=$4 pid
	local pidfile=$T_ROOT/$name.pid
	out=$("$bin" -t -f "$cfg" 2>&1) || {
		fail "sshd -t accepts the config $name" "$out"
		return 1
	}
	with_devlog "$T_ROOT/$name.syslog" "$T_ROOT/devpts" "$bin" -D -e -f "$cfg" \
		2>"$T_ROOT/$name.log" &
	pid=$!
	SSHD_WRAPPER=$pid
	on_exit "stop_sshd '$pidfile' '$cfg' $pid"
	if ! wait_for 100 listening "$port" || ! wait_for 50 test -s "$pidfile"; then
		fail "sshd $name listens on 127.0.0.1:$port" "$(sshd_log "$T_ROOT/$name.log")"
		return 1
	fi
}

# with_devlog overlays /dev, which hides the devpts mount at /dev/pts: sshd
# gets a devpts instance of its own there (in that mount namespace only),
# and our stack over /etc/pam.d/sshd.
cat >"$T_ROOT/devpts" <<EOF
#!/bin/sh
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=$(getent group tty | cut -d: -f3) \
	devpts /dev/pts || exit 96
mount --bind /dev/pts/ptmx /dev/ptmx || exit 96
mount --bind "$STACK" "/etc/pam.d/$SVC" || exit 96
exec "\$@"
EOF
chmod 0755 "$T_ROOT/devpts"

SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no
	-o "UserKnownHostsFile=$T_ROOT/known_hosts" -o BatchMode=yes
	-o IdentitiesOnly=yes -o ConnectTimeout=10 -o LogLevel=ERROR)
# ssh_argv PORT USER: SSHV=(the command line for ssh as root to
# USER@127.0.0.1:PORT with USER's key).  In the background run "${SSHV[@]}"
# itself, not sshx: so that $! is the process to kill.
ssh_argv() {
	SSHV=(timeout 30 ssh "${SSH_OPTS[@]}" -i "$T_ROOT/$2.key" -p "$1" -l "$2")
}
sshx() { # PORT USER ARGS...
	ssh_argv "$1" "$2"
	shift 2
	"${SSHV[@]}" "$@"
}

write_config "$T_ROOT/sshd_config" "$PORT" "$T_ROOT/sshd.pid"
start_sshd sshd /usr/sbin/sshd "$T_ROOT/sshd_config" "$PORT" || exit 1
SYSLOG=$T_ROOT/sshd.syslog SLOG=$T_ROOT/sshd.log

# The module's syslog lines say "pam_nonet(SERVICE:session)": our stack,
# through the service sshd opens on this OpenSSH.
sshx "$PORT" "$B" 127.0.0.1 true
wait_for 30 grep -q "pam_nonet(" "$SYSLOG"
expect_match "$(ssh -V 2>&1 | cut -d, -f1): a connection opens PAM service $SVC, our stack bound over /etc/pam.d/$SVC" \
	"pam_nonet\($SVC:session\): not isolating the session of $B" \
	"$(sshd_log "$SYSLOG")"
if grep -qF "$MODULE" "/etc/pam.d/$SVC"; then
	fail "the host's /etc/pam.d/$SVC is unchanged" "it names $MODULE"
else
	ok "the host's /etc/pam.d/$SVC is unchanged"
fi

# --- 1. the interactive shell, with a pty ------------------------------------
# The replies are tagged so that they are not confused with the pty's echo
# of the commands ("R1:%s" there, "R1:/dev/pts/N:" here).
cat >"$T_ROOT/tty.in" <<'EOF'
printf 'R1:%s:\n' "$(tty)"
printf 'R2:%s:\n' "$(stat -L -c %i /proc/self/ns/net)"
printf 'R3:%s\n' "$(ip -j addr show)"
exit
EOF
out=$(TERM=dumb sshx "$PORT" "$A" -tt 127.0.0.1 <"$T_ROOT/tty.in" 2>&1 | tr -d '\r')
expect_match "interactive shell: the session has a pty" "R1:/dev/pts/[0-9]+:" "$out"
got=$( (printf '%s\n' "$out" | grep -ao 'R2:[0-9]*:' | head -1 | tr -dc '0-9'
	echo
	printf '%s\n' "$out" | grep -ao 'R3:\[.*\]' | head -1 | sed 's/^R3://') | judge)
expect_eq "interactive shell (ssh -tt): isolated (only lo, 127.0.0.1/8)" isolated "$got"
wait_for 30 grep -q "isolated the session of $A" "$SYSLOG"
expect_match "the module logged the isolation, by rule $P:1" \
	"pam_nonet\($SVC:session\): isolated the session of $A: mode=private rule=$P:1" \
	"$(sshd_log "$SYSLOG")"

# --- 2. exec -----------------------------------------------------------------
out=$(sshx "$PORT" "$A" 127.0.0.1 "$PROBE" 2>&1)
expect_eq "ssh host cmd (exec): isolated (only lo, 127.0.0.1/8)" isolated \
	"$(printf '%s\n' "$out" | judge)"
out=$(sshx "$PORT" "$A" -T 127.0.0.1 <<<"$PROBE" 2>&1)
expect_eq "shell without a pty (commands on stdin): isolated" isolated \
	"$(printf '%s\n' "$out" | judge)"

# --- 6. a user the policy leaves alone -----------------------------------------
out=$(sshx "$PORT" "$B" 127.0.0.1 "$PROBE" 2>&1)
expect_eq "user B (no rule): the host's namespace" host "$(printf '%s\n' "$out" | judge)"
expect_match "the module logged B as not isolated" \
	"pam_nonet\($SVC:session\): not isolating the session of $B: rule=none-matched" \
	"$(sshd_log "$SYSLOG")"

# --- 3. sftp -------------------------------------------------------------------
# One connection (a ControlMaster) carries an sftp session, held open by a
# fifo, and exec sessions: sftp-server, a process of its own, must be in
# the connection's namespace, which is isolated; another connection has
# another namespace.
sftp_tests() {
	local ctl=$T_ROOT/ctl-a master sftp_pid spids spid x y nsx
	[ -z "$(pgrep -u "$A")" ] || wait_for 30 eval "[ -z \"\$(pgrep -u '$A')\" ]"
	ssh_argv "$PORT" "$A"
	"${SSHV[@]}" -M -S "$ctl" -N 127.0.0.1 2>"$T_ROOT/master.err" &
	master=$!
	on_exit "kill $master"
	if ! wait_for 100 test -S "$ctl"; then
		fail "a ControlMaster connection for A" "$(cat "$T_ROOT/master.err")"
		return
	fi
	mkfifo "$T_ROOT/sftp.fifo"
	echo "nonet sftp $$" >"$T_ROOT/sftp.src"
	timeout 30 sftp "${SSH_OPTS[@]}" -o "ControlPath=$ctl" -i "$T_ROOT/$A.key" \
		-P "$PORT" -b - "$A@127.0.0.1" <"$T_ROOT/sftp.fifo" >"$T_ROOT/sftp.out" 2>&1 &
	sftp_pid=$!
	on_exit "kill $sftp_pid"
	exec 7>"$T_ROOT/sftp.fifo"
	# Written from subshells: if sftp is gone, SIGPIPE ends them, not the test.
	(echo pwd >&7)
	wait_for 100 eval "pgrep -u '$A' -x sftp-server >/dev/null"
	spids=$(pgrep -u "$A" -x sftp-server | tr '\n' ' ')
	spid=${spids%% *}
	if [ -z "$spid" ] || [ "$spids" != "$spid " ]; then
		fail "one sftp-server process of A runs" "found: '$spids'" \
			"$(cat "$T_ROOT/sftp.out")" "$(sshd_log "$SLOG" | tail -5)"
		exec 7>&-
		return
	fi
	x=$(timeout 30 ssh "${SSH_OPTS[@]}" -S "$ctl" -l "$A" -p "$PORT" 127.0.0.1 \
		stat -L -c %i /proc/self/ns/net 2>&1)
	nsx=$(stat -L -c %i "/proc/$spid/ns/net" 2>&1)
	if [ "$nsx" != "$host_ino" ]; then
		ok "sftp: sftp-server (pid $spid) is not in the host's namespace"
	else
		fail "sftp: sftp-server is not in the host's namespace" "ns $nsx host $host_ino"
	fi
	expect_eq "sftp: sftp-server is in the namespace of its connection (an exec on the same connection)" \
		"$x" "$nsx"
	out=$( (echo "$nsx"; nsenter -t "$spid" -n ip -j addr show) | judge)
	expect_eq "sftp: sftp-server's namespace is isolated (nsenter -t PID -n ip -j addr)" \
		isolated "$out"
	y=$(sshx "$PORT" "$A" 127.0.0.1 stat -L -c %i /proc/self/ns/net 2>&1)
	if [ -n "$y" ] && [ "$y" != "$x" ] && [ "$y" != "$host_ino" ]; then
		ok "another ssh connection of A has a private namespace of its own"
	else
		fail "another ssh connection of A has a private namespace of its own" \
			"first $x second $y host $host_ino"
	fi
	(printf '%s\n' "put $T_ROOT/sftp.src upload" "ls -l upload" >&7)
	exec 7>&-
	wait "$sftp_pid"
	expect_eq "sftp: the batch (pwd, put, ls) succeeds" 0 "$?"
	home=$(getent passwd "$A" | cut -d: -f6)
	expect_eq "sftp: the uploaded file arrived, written by A" "nonet sftp $$ $A" \
		"$(cat "$home/upload" 2>&1) $(stat -c %U "$home/upload" 2>&1)"
	timeout 10 ssh "${SSH_OPTS[@]}" -S "$ctl" -O exit -p "$PORT" -l "$A" 127.0.0.1 2>/dev/null
	wait "$master"
}
sftp_tests

# --- 4. -L and -D towards a listener on the host's 127.0.0.1 -------------------
"$PY" "$T_ROOT/probe.py" serve "$T_ROOT/lport" "$BANNER" &
on_exit "kill $!"
wait_for 100 test -s "$T_ROOT/lport"
LPORT=$(cat "$T_ROOT/lport")
expect_eq "control: the host's listener on 127.0.0.1:$LPORT answers the host" \
	"banner:$BANNER" "$(probe connect 127.0.0.1 "$LPORT")"

# forwards USER FPORT DPORT: -L FPORT -> 127.0.0.1:LPORT and -D DPORT;
# prints "L-RESULT|D-RESULT" (each as probe.py prints it).
forwards() {
	local who=$1 fport=$2 dport=$3 pid l d
	ssh_argv "$PORT" "$who"
	"${SSHV[@]}" -N -o ExitOnForwardFailure=yes \
		-L "$fport:127.0.0.1:$LPORT" -D "$dport" 127.0.0.1 2>"$T_ROOT/fwd-$who.err" &
	pid=$!
	if wait_for 100 listening "$fport" && wait_for 50 listening "$dport"; then
		l=$(probe connect 127.0.0.1 "$fport")
		d=$(probe socks "$dport" 127.0.0.1 "$LPORT")
	else
		l="no-listener" d="no-listener"
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "$l|$d"
}
IFS='|' read -r l d <<<"$(forwards "$B" "$FPORT2" "$DPORT2")"
expect_eq "control: B (not isolated) reaches the host's listener through -L" "banner:$BANNER" "$l"
expect_eq "control: B (not isolated) reaches the host's listener through -D (SOCKS5)" "banner:$BANNER" "$d"
lines=$(wc -l <"$SLOG")
IFS='|' read -r l d <<<"$(forwards "$A" "$FPORT" "$DPORT")"
expect_eq "-L from A's session to the host's 127.0.0.1:$LPORT gets nothing (closed)" closed "$l"
expect_eq "-D (SOCKS5) from A's session to the host's 127.0.0.1:$LPORT gets nothing (closed)" closed "$d"
expect_eq "... sshd's log: both connects to 127.0.0.1:$LPORT failed (in the namespace)" 2 \
	"$(tail -n +$((lines + 1)) "$SLOG" | grep -c "connect_to 127.0.0.1 port $LPORT: failed")"
expect_eq "control: the host's listener still answers the host" \
	"banner:$BANNER" "$(probe connect 127.0.0.1 "$LPORT")"

# --- 5. -R -----------------------------------------------------------------------
# The remote command reports its namespace and listeners, waits while the
# host looks for RPORT, then connects to its own 127.0.0.1:RPORT: the
# connection is carried back to the client, which connects to the host's
# listener.
cat >"$T_ROOT/remote.sh" <<EOF
printf 'NS:%s\n' "\$(stat -L -c %i /proc/self/ns/net)"
ss -Hltn | sed 's/^/SS:/'
echo READY
sleep 1.5
if exec 3<>/dev/tcp/127.0.0.1/$RPORT; then
	timeout 5 head -n1 <&3 | sed 's/^/GOT:/'
fi
EOF
# rforward PORT USER OUTFILE: runs the -R session, meanwhile prints the
# host's ss line for RPORT.
rforward() {
	local port=$1 who=$2 outfile=$3 pid
	ssh_argv "$port" "$who"
	"${SSHV[@]}" -o ExitOnForwardFailure=yes -R "$RPORT:127.0.0.1:$LPORT" \
		127.0.0.1 "$(cat "$T_ROOT/remote.sh")" >"$outfile" 2>&1 &
	pid=$!
	wait_for 100 grep -qs READY "$outfile"
	ss -Hltn "( sport = :$RPORT )"
	wait "$pid"
	echo "rc=$?"
}
host_ss=$(rforward "$PORT" "$A" "$T_ROOT/r-a.out")
out=$(cat "$T_ROOT/r-a.out")
expect_match "-R: A's ssh ran (exit 0)" "^rc=0$" "$host_ss"
expect_eq "-R: the host does not listen on $RPORT while A's forward is up" "" \
	"$(printf '%s\n' "$host_ss" | grep -v '^rc=')"
ns=$(printf '%s\n' "$out" | sed -n 's/^NS://p')
if [ -n "$ns" ] && [ "$ns" != "$host_ino" ]; then
	ok "-R: A's session is not in the host's namespace"
else
	fail "-R: A's session is not in the host's namespace" "$out"
fi
expect_match "-R: the listener is inside A's session (ss -ltn there shows 127.0.0.1:$RPORT)" \
	"^SS:LISTEN .* 127\.0\.0\.1:$RPORT " "$out"
expect_eq "-R: a connection to it from inside the session reaches the client's side (the way out)" \
	"GOT:$BANNER" "$(printf '%s\n' "$out" | grep '^GOT:')"
host_ss=$(rforward "$PORT" "$B" "$T_ROOT/r-b.out")
expect_match "control: B's -R listener (not isolated) is on the host" \
	"^LISTEN .* 127\.0\.0\.1:$RPORT " "$host_ss"

# AllowTcpForwarding no for A (Match User) in a second sshd.
write_config "$T_ROOT/sshd_config2" "$PORT2" "$T_ROOT/sshd2.pid" \
	"Match User $A" "	AllowTcpForwarding no"
if start_sshd sshd2 /usr/sbin/sshd "$T_ROOT/sshd_config2" "$PORT2"; then
	out=$(sshx "$PORT2" "$A" -o ExitOnForwardFailure=yes -R "$RPORT:127.0.0.1:$LPORT" \
		127.0.0.1 "touch $T_ROOT/w/r-refused" 2>&1)
	rc=$?
	expect_match "AllowTcpForwarding no (Match User A): -R is refused" \
		"remote port forwarding failed for listen port $RPORT" "$out"
	expect_eq "... with ExitOnForwardFailure the command does not run (255, no marker)" \
		"255 no" "$rc $([ -e "$T_ROOT/w/r-refused" ] && echo yes || echo no)"
	out=$(sshx "$PORT2" "$A" -R "$RPORT:127.0.0.1:$LPORT" 127.0.0.1 \
		"$(cat "$T_ROOT/remote.sh")" 2>&1)
	if printf '%s\n' "$out" | grep -q "^SS:.*:$RPORT " ||
		printf '%s\n' "$out" | grep -q "^GOT:"; then
		fail "AllowTcpForwarding no: no listener on $RPORT in the session, nothing carried out" "$out"
	else
		ok "AllowTcpForwarding no: no listener on $RPORT in the session, nothing carried out"
	fi
	expect_eq "AllowTcpForwarding no: A's session is still isolated" isolated \
		"$(sshx "$PORT2" "$A" 127.0.0.1 "$PROBE" 2>&1 | judge)"
fi

# --- the tool's audit, while A is logged in ------------------------------------
ssh_argv "$PORT" "$A"
"${SSHV[@]}" 127.0.0.1 "echo up; sleep 3" >"$T_ROOT/audit.out" 2>&1 &
apid=$!
if wait_for 100 grep -q up "$T_ROOT/audit.out"; then
	out=$("$NONET" check --user "$A" --conf "$P" 2>&1)
	expect_eq "nonet check --user A, during an ssh session: every process where the policy says (exit 0)" \
		0 "$?"
else
	fail "an ssh session of A for the audit" "$(cat "$T_ROOT/audit.out")"
fi
kill "$apid" 2>/dev/null
wait "$apid" 2>/dev/null

# --- 7. the module refuses the session -----------------------------------------
# A third policy: A must join a namespace that is not there.  sshd then
# restricts the connection and refuses every session on it.
missing=/run/netns/nonet-missing-$$
expect_eq "no namespace $missing before the refusal cases" no \
	"$([ -e "$missing" ] && echo yes || echo no)"
# refused DESC USER MARKER SSH-ARGS...: ssh fails, MARKER is not created.
refused() {
	local desc=$1 who=$2 marker=$3 rc
	shift 3
	out=$(sshx "$PORT" "$who" "$@" 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && [ ! -e "$marker" ]; then
		ok "$desc (exit $rc, no marker)"
	else
		fail "$desc" "exit $rc, marker: $(ls "$marker" 2>&1)" "$out"
	fi
}
make_policy policy "join=nonet-missing-$$ $A" >/dev/null
lines=$(wc -l <"$SLOG")
refused "join= a missing namespace: ssh A cmd does not run" "$A" "$T_ROOT/w/m1" \
	127.0.0.1 "touch $T_ROOT/w/m1"
expect_match "... the user is told why (the module's message)" \
	"Network isolation could not be set up for this session" "$out"
printf '%s\n' "touch $T_ROOT/w/m2" exit >"$T_ROOT/tty2.in"
refused "join= a missing namespace: the interactive shell (-tt) does not run" "$A" \
	"$T_ROOT/w/m2" -tt 127.0.0.1 <"$T_ROOT/tty2.in"
home=$(getent passwd "$A" | cut -d: -f6)
printf '%s\n' "put $T_ROOT/sftp.src refused-upload" >"$T_ROOT/sftp-refused.batch"
out=$(timeout 30 sftp "${SSH_OPTS[@]}" -i "$T_ROOT/$A.key" -P "$PORT" \
	-b "$T_ROOT/sftp-refused.batch" "$A@127.0.0.1" 2>&1)
rc=$?
if [ "$rc" != 0 ] && [ ! -e "$home/refused-upload" ]; then
	ok "join= a missing namespace: sftp does not run (exit $rc, nothing uploaded)"
else
	fail "join= a missing namespace: sftp does not run" "exit $rc" "$out"
fi
wait_for 20 eval "tail -n +$((lines + 1)) '$SLOG' | grep -q 'pam_open_session'"
expect_match "sshd's log shows the PAM session failure" \
	"PAM: pam_open_session\(\): " "$(tail -n +$((lines + 1)) "$SLOG" | sshd_log /dev/stdin)"
expect_match "the module's log names the missing namespace" \
	"pam_nonet\($SVC:session\): .*$missing.*$A" "$(sshd_log "$SYSLOG")"
# ssh -N opens no session channel: forwards are what a refused connection
# could still carry.  sshd's restriction refuses them.
lines=$(wc -l <"$SLOG")
ssh_argv "$PORT" "$A"
"${SSHV[@]}" -N -L "$FPORT:127.0.0.1:$LPORT" 127.0.0.1 2>"$T_ROOT/fwd-refused.err" &
pid=$!
if wait_for 100 listening "$FPORT"; then
	expect_eq "refused connection: -L (ssh -N) does not reach the host's listener" closed \
		"$(probe connect 127.0.0.1 "$FPORT")"
else
	fail "refused connection: -L (ssh -N) does not reach the host's listener" \
		"the client's forward did not listen: $(cat "$T_ROOT/fwd-refused.err")"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
wait_for 20 eval "tail -n +$((lines + 1)) '$SLOG' | grep -q 'refused local port forward'"
expect_match "... sshd refused the forward (the connection is restricted)" \
	"refused local port forward: .* target 127\.0\.0\.1 port $LPORT" \
	"$(tail -n +$((lines + 1)) "$SLOG" | sshd_log /dev/stdin)"
out=$(sshx "$PORT" "$A" -N -o ExitOnForwardFailure=yes -R "$RPORT:127.0.0.1:$LPORT" \
	127.0.0.1 2>&1)
expect_match "refused connection: -R (ssh -N) is refused" \
	"remote port forwarding failed for listen port $RPORT" "$out"
expect_eq "the refusals made no namespace $missing" no \
	"$([ -e "$missing" ] && echo yes || echo no)"

# The policy file cannot be parsed: nobody but root (not here) gets in.
make_policy policy "private $A bogus-option" >/dev/null
refused "a policy with a syntax error: ssh A cmd does not run" "$A" "$T_ROOT/w/m4" \
	127.0.0.1 "touch $T_ROOT/w/m4"
refused "a policy with a syntax error: B (named nowhere) is refused too (fail closed)" "$B" \
	"$T_ROOT/w/m5" 127.0.0.1 "touch $T_ROOT/w/m5"
expect_match "the module's log names the bad line" \
	"pam_nonet\($SVC:session\): $P:1: unknown option" "$(sshd_log "$SYSLOG")"

# --- every session was closed ----------------------------------------------------
gone() { ! grep -qlx -e "user $A" -e "user $B" /run/nonet/sessions/* 2>/dev/null; }
wait_for 50 gone
if gone; then
	ok "sshd closed every PAM session: no session record of A or B is left"
else
	fail "sshd closed every PAM session: no session record of A or B is left" \
		"$(grep -lx -e "user $A" -e "user $B" /run/nonet/sessions/*)"
fi
