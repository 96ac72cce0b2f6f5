#!/bin/sh
# boardpack mail (SPEC 6): the .eml of the example pack parses with
# Python's email package, its attachment is byte-identical to the PDF
# that build writes, headers decode (RFC 2047) and cannot be injected;
# then a real SMTP server on loopback (Debian's python3-aiosmtpd, started
# here on a free port, stopped by the trap): a message is delivered
# intact, a refused recipient and a dropped connection give exit 1 and
# nothing reported sent, bad addresses give exit 2 before anything is
# sent.  Every wait is bounded.  Prints PASS/FAIL lines.
# Env: BIN (absolute path of boardpack), VALGRIND (optional prefix).
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
tmp=$(mktemp -d)
srv_pid=
stop_server() {
	if [ -n "$srv_pid" ]; then
		kill "$srv_pid" 2>/dev/null
		i=0
		while kill -0 "$srv_pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$srv_pid" 2>/dev/null
		wait "$srv_pid" 2>/dev/null
		srv_pid=
	fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP

check() {
	if [ "$1" = 0 ]; then
		echo "PASS mail/$2"
	else
		echo "FAIL mail/$2${3:+: $3}"
		[ -s "$tmp/err" ] && sed 's/^/    /' "$tmp/err"
	fi
}

# bp ARGS...: runs boardpack (bounded), stderr to $tmp/err; sets rc.
bp() {
	timeout 600 $VALGRIND "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

if [ ! -x "$PY" ]; then
	echo "FAIL mail: $PY is not installed"
	exit 0
fi

# The PDFs build writes, to compare attachments with.
if ! "$BIN" build content -o "$tmp/site" -q >"$tmp/err" 2>&1; then
	check 1 build "build of content/ failed"
	exit 0
fi

# ---- .eml ----

bp mail content --service idva --to a@example.org --to b@example.net \
    --eml "$tmp/idva.eml"
check "$rc" eml-written "exit $rc"
ls "$tmp" | grep -q '\.tmp\.' && check 1 eml-no-temp-left || check 0 eml-no-temp-left

# Parses, structure, attachment, subject, headers, CRLF and line length.
"$PY" - "$tmp/idva.eml" "$tmp/site/pdf/idva.pdf" \
    "Independent Domestic Violence Advisers: December 2024 briefing" \
    >"$tmp/err" 2>&1 <<'EOF'
import email, email.policy, sys
raw = open(sys.argv[1], 'rb').read()
m = email.message_from_bytes(raw, policy=email.policy.default)
assert not m.defects, m.defects
assert m.get_content_type() == 'multipart/mixed'
parts = m.get_payload()
assert [p.get_content_type() for p in parts] == \
    ['multipart/alternative', 'application/pdf'], parts
alt = [p.get_content_type() for p in parts[0].get_payload()]
assert alt == ['text/plain', 'text/html'], alt
att = parts[1]
assert att.get_content_disposition() == 'attachment'
assert att.get_filename() == 'idva.pdf'
assert att.get_param('name') == 'idva.pdf'
assert att['Content-Transfer-Encoding'] == 'base64'
assert att.get_content() == open(sys.argv[2], 'rb').read(), 'attachment differs'
assert str(m['Subject']) == sys.argv[3], m['Subject']
assert m['Date'] == 'Tue, 31 Dec 2024 09:00:00 +0000', m['Date']
assert m['MIME-Version'] == '1.0'
assert m['From'].addresses[0].addr_spec == 'insight@example.org'
assert [a.addr_spec for a in m['To'].addresses] == ['a@example.org', 'b@example.net']
mid = m['Message-ID']
assert mid.startswith('<boardpack.idva.') and mid.endswith('@example.org>'), mid
assert b'\n' not in raw.replace(b'\r\n', b''), 'bare LF'
assert b'\r' not in raw.replace(b'\r\n', b''), 'bare CR'
long = [l for l in raw.split(b'\r\n') if len(l) > 78]
assert not long, long[:2]
b64 = raw.split(b'Content-Transfer-Encoding: base64\r\n\r\n')[1].split(b'\r\n')
assert all(len(l) == 76 for l in b64[:-3]), 'base64 lines not 76'
text = m.get_body(('plain',)).get_content()
html = m.get_body(('html',)).get_content()
for s in ('Victims contacted within 48 hours', 'Estimated wait', 'Backlog',
          'Load', 'idva.pdf'):
    assert s in text, s
    assert s in html, s
assert '<table' in html and '<th scope="row"' in html
assert 'Special cause of concern (low)' in html
assert 'Hit and miss target subject to random variation' in html
low = html.lower()
assert '<img' not in low and '<link' not in low and '<script' not in low
assert 'http://' not in low and 'https://' not in low
assert '<style' not in low
EOF
check $? eml-parses

bp mail content --service idva --to a@example.org --to b@example.net \
    --eml "$tmp/idva2.eml"
cmp -s "$tmp/idva.eml" "$tmp/idva2.eml"
check $? eml-deterministic

# A KPI-only or other service works too.
bp mail content --service ae-scotland --to a@example.org --eml "$tmp/ae.eml"
if [ "$rc" = 0 ]; then
	"$PY" -c '
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
a = next(m.iter_attachments())
assert a.get_filename() == "ae-scotland.pdf"
assert a.get_content() == open(sys.argv[2], "rb").read()
' "$tmp/ae.eml" "$tmp/site/pdf/ae-scotland.pdf" >"$tmp/err" 2>&1
	rc=$?
fi
check "$rc" eml-second-service

# ---- headers: RFC 2047 round trips and injection ----

# pack TITLE [SUBJECT]: a copy of content/ with idva's title (and the
# mail.subject template) replaced; YAML double-quoted strings.
pack() {
	rm -rf "$tmp/pack"
	cp -R content "$tmp/pack"
	"$PY" - "$tmp/pack" "$1" "${2-}" <<'EOF'
import re, sys
d, title, subject = sys.argv[1], sys.argv[2], sys.argv[3]
p = d + '/services/idva.md'
s = open(p, encoding='utf-8').read()
s = re.sub(r'(?m)^title:.*$', lambda m: 'title: ' + title, s, count=1)
open(p, 'w', encoding='utf-8').write(s)
if subject:
    p = d + '/boardpack.yml'
    s = open(p, encoding='utf-8').read()
    s = re.sub(r'(?m)^  subject:.*$', lambda m: '  subject: ' + subject, s, count=1)
    open(p, 'w', encoding='utf-8').write(s)
EOF
}

# subject_is FILE WANT: the decoded Subject equals WANT; raw header
# lines <= 78; no header but the expected ones.
subject_is() {
	"$PY" - "$1" "$2" >"$tmp/err" 2>&1 <<'EOF'
import email, email.policy, email.header, sys
raw = open(sys.argv[1], 'rb').read()
m = email.message_from_bytes(raw, policy=email.policy.default)
assert not m.defects, m.defects
assert str(m['Subject']) == sys.argv[2], (str(m['Subject']), sys.argv[2])
# Decode the raw header independently of the policy too.
head = raw.split(b'\r\n\r\n')[0].decode('ascii')
names = [l.split(':')[0] for l in head.split('\r\n') if l and l[0] not in ' \t']
assert names == ['Date', 'From', 'To', 'Subject', 'Message-ID',
                 'MIME-Version', 'Content-Type'], names
# RFC 5322 2.2.3: unfolding removes each CRLF before whitespace.
sub = [l for l in head.replace('\r\n ', ' ').split('\r\n') if l.startswith('Subject:')][0]
sub = sub[len('Subject:'):]
sub = sub[1:] if sub.startswith(' ') else sub
dec = str(email.header.make_header(email.header.decode_header(sub)))
assert dec == sys.argv[2], (dec, sys.argv[2])
assert all(len(l) <= 78 for l in head.split('\r\n'))
assert m['Bcc'] is None and m['Cc'] is None
EOF
}

nonascii='Services d’aide aux victimes – café, £ and ≥ 90 % within 48 hours: a long title that needs folding'
pack "\"$nonascii\""
bp mail "$tmp/pack" --service idva --to a@example.org --eml "$tmp/na.eml"
[ "$rc" = 0 ] && subject_is "$tmp/na.eml" "$nonascii: December 2024 briefing"
check $? subject-rfc2047-round-trip
grep -q '^Subject: =?UTF-8?B?' "$tmp/na.eml"
check $? subject-encoded-words

pack '"IDVA\r\nBcc: evil@x"'
bp mail "$tmp/pack" --service idva --to a@example.org --eml "$tmp/inj.eml"
if [ "$rc" = 1 ]; then
	check 0 title-injection "rejected"
else
	[ "$rc" = 0 ] && subject_is "$tmp/inj.eml" \
	    "IDVA Bcc: evil@x: December 2024 briefing"
	check $? title-injection
fi

pack '"IDVA"' '"{{service.title}}\n\nBcc: evil@x"'
bp mail "$tmp/pack" --service idva --to a@example.org --eml "$tmp/inj2.eml"
[ "$rc" = 0 ] && subject_is "$tmp/inj2.eml" "IDVA Bcc: evil@x"
check $? subject-template-injection

pack '"Tom & Jerry <b>"'
bp mail "$tmp/pack" --service idva --to a@example.org --eml "$tmp/amp.eml"
[ "$rc" = 0 ] && subject_is "$tmp/amp.eml" \
    "Tom & Jerry <b>: December 2024 briefing"
check $? subject-not-html-escaped

# ---- usage and content errors ----

# expect NAME STATUS ARGS...
expect() {
	name=$1 want=$2
	shift 2
	bp "$@"
	[ "$rc" = "$want" ]
	check $? "$name" "exit $rc, want $want"
}

cr=$(printf '\r')
nl='
'
expect no-service 2 mail content --to a@example.org --eml "$tmp/x.eml"
expect no-to 2 mail content --service idva --eml "$tmp/x.eml"
expect neither-eml-nor-smtp 2 mail content --service idva --to a@example.org
expect both-eml-and-smtp 2 mail content --service idva --to a@example.org \
    --eml "$tmp/x.eml" --smtp smtp://127.0.0.1:9
expect bad-to 2 mail content --service idva --to 'not an address' \
    --eml "$tmp/x.eml"
expect bad-smtp-scheme 2 mail content --service idva --to a@example.org \
    --smtp http://127.0.0.1:9
expect smtp-url-credentials 2 mail content --service idva \
    --to a@example.org --smtp smtp://user:pw@127.0.0.1:9
grep -q 'pw' "$tmp/err"
[ $? != 0 ]
check $? smtp-url-password-not-echoed
expect unknown-service 2 mail content --service nope --to a@example.org \
    --eml "$tmp/x.eml"
expect unknown-option 2 mail content --service idva --to a@example.org \
    --eml "$tmp/x.eml" --frob
[ ! -e "$tmp/x.eml" ]
check $? usage-errors-write-nothing
expect help 0 mail --help

rm -rf "$tmp/pack"
cp -R content "$tmp/pack"
sed -i '/^  from: /d' "$tmp/pack/boardpack.yml"
expect no-from 2 mail "$tmp/pack" --service idva --to a@example.org \
    --eml "$tmp/x.eml"
expect from-flag 0 mail "$tmp/pack" --service idva --to a@example.org \
    --from sender@example.net --eml "$tmp/x.eml"
grep -q '^From: .*<sender@example.net>' "$tmp/x.eml" &&
    grep -q '^Message-ID: <boardpack\.idva\.[0-9a-f]*@example\.net>' "$tmp/x.eml"
check $? from-flag-used
rm -f "$tmp/x.eml"

# ---- SMTP on loopback ----

mkdir "$tmp/srv"
"$PY" tests/smtp_server.py "$tmp/srv" --refuse bad@example.org \
    --drop drop@example.org >"$tmp/srv.log" 2>&1 &
srv_pid=$!
i=0
while [ ! -s "$tmp/srv/port" ] && [ $i -lt 100 ] && kill -0 "$srv_pid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$tmp/srv/port" ]; then
	sed 's/^/    /' "$tmp/srv.log"
	check 1 smtp-server "the test SMTP server did not start (apt-get install python3-aiosmtpd)"
	exit 0
fi
port=$(cat "$tmp/srv/port")
url=smtp://127.0.0.1:$port
nmsg() { ls "$tmp/srv" | grep -c '^msg-.*\.eml$'; }

bp mail content --service idva --to a@example.org --to b@example.net \
    --smtp "$url"
[ "$rc" = 0 ] && grep -qx 'sent idva.pdf to 2 recipients' "$tmp/err"
check $? smtp-sent "exit $rc"
[ "$(nmsg)" = 1 ]
check $? smtp-received-one
"$PY" - "$tmp/srv/msg-1.eml" "$tmp/site/pdf/idva.pdf" >"$tmp/err" 2>&1 <<'EOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
assert not m.defects, m.defects
a = next(m.iter_attachments())
assert a.get_filename() == 'idva.pdf'
assert a.get_content() == open(sys.argv[2], 'rb').read(), 'attachment differs'
assert str(m['Subject']) == 'Independent Domestic Violence Advisers: December 2024 briefing'
assert m.get_body(('html',)) is not None and m.get_body(('plain',)) is not None
EOF
check $? smtp-attachment-identical
cmp -s "$tmp/srv/msg-1.eml" "$tmp/idva.eml"
check $? smtp-message-equals-eml
printf 'insight@example.org\na@example.org\nb@example.net\n' |
    cmp -s - "$tmp/srv/envelope-1"
check $? smtp-envelope

bp mail content --service idva --to a@example.org --to bad@example.org \
    --smtp "$url"
[ "$rc" = 1 ] && grep -q 'RCPT TO:<bad@example.org>' "$tmp/err" &&
    grep -q '550' "$tmp/err" && grep -q 'was not sent' "$tmp/err" &&
    ! grep -q '^sent ' "$tmp/err" && [ "$(nmsg)" = 1 ]
check $? smtp-refused-recipient "exit $rc"

bp mail content --service idva --to drop@example.org --smtp "$url"
[ "$rc" = 1 ] && ! grep -q '^sent ' "$tmp/err" &&
    grep -q 'may not have been delivered' "$tmp/err" && [ "$(nmsg)" = 1 ]
check $? smtp-dropped-connection "exit $rc"

# Credentials are never sent in clear: without STARTTLS, no send.
(
	export BOARDPACK_SMTP_USER=u BOARDPACK_SMTP_PASSWORD=secret-pw
	bp mail content --service idva --to a@example.org --smtp "$url"
	exit "$rc"
)
rc=$?
[ "$rc" = 1 ] && ! grep -q '^sent ' "$tmp/err" &&
    ! grep -q 'secret-pw' "$tmp/err" && [ "$(nmsg)" = 1 ]
check $? smtp-credentials-need-tls "exit $rc"

# Injection through addresses: exit 2, no connection made.
expect smtp-to-crlf 2 mail content --service idva \
    --to "a@b.c${cr}${nl}Bcc: x@y.z" --smtp "$url"
grep -q 'Bcc' "$tmp/err" && ! grep -q "$cr" "$tmp/err"
check $? smtp-to-crlf-shown-escaped
expect smtp-to-lf 2 mail content --service idva \
    --to "a@b.c${nl}Bcc: x@y.z" --smtp "$url"
expect smtp-to-angle 2 mail content --service idva \
    --to '<a@b.c>' --smtp "$url"
expect smtp-to-comma 2 mail content --service idva \
    --to 'a@b.c,x@y.z' --smtp "$url"
expect smtp-from-newline 2 mail content --service idva --to a@example.org \
    --from "me@example.org${nl}Bcc: x@y.z" --smtp "$url"
[ "$(nmsg)" = 1 ]
check $? smtp-injection-nothing-sent

# Dropped server: nothing listening on the port any more.
stop_server
bp mail content --service idva --to a@example.org --smtp "$url"
[ "$rc" = 1 ] && ! grep -q '^sent ' "$tmp/err" &&
    grep -q 'connect' "$tmp/err"
check $? smtp-no-server "exit $rc"
