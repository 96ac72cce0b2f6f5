#!/usr/bin/python3
"""A loopback SMTP server for tests/mail.sh (Debian's python3-aiosmtpd).

usage: smtp_server.py DIR [--refuse ADDR]... [--drop ADDR]...

Listens on 127.0.0.1 on a free port, writes the port to DIR/port once it
is listening, and stores every message it accepts as DIR/msg-N.eml (the
DATA as received).  RCPT TO a --refuse address is answered 550; a
message for a --drop address makes the server close the connection
after the data, without a reply.  Runs until killed (SIGTERM).
"""
import asyncio
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, outdir, refuse, drop):
        self.outdir = outdir
        self.refuse = {a.lower() for a in refuse}
        self.drop = {a.lower() for a in drop}
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: recipient refused by the test" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(a.lower() in self.drop for a in envelope.rcpt_tos):
            server.transport.close()
            return "421 closing"
        self.n += 1
        path = os.path.join(self.outdir, "msg-%d.eml" % self.n)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, path)
        with open(os.path.join(self.outdir, "envelope-%d" % self.n),
                  "w") as f:
            f.write(envelope.mail_from + "\n")
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        return "250 Message accepted for delivery"


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    outdir, refuse, drop = args[0], [], []
    i = 1
    while i < len(args):
        if args[i] in ("--refuse", "--drop") and i + 1 < len(args):
            (refuse if args[i] == "--refuse" else drop).append(args[i + 1])
            i += 2
        else:
            sys.exit("smtp_server.py: bad argument %r" % args[i])
    handler = Handler(outdir, refuse, drop)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="boardpack-test"),
        host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(outdir, "port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(outdir, "port.tmp"),
              os.path.join(outdir, "port"))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()


if __name__ == "__main__":
    main()
