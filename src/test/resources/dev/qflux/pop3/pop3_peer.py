"""Real POP3 peers for qflux's tests: Python's mailbox module writes a Maildir, poplib reads it.

  pop3_peer.py add MAILDIR N          add N messages; prints their Maildir keys as JSON
  pop3_peer.py fetch MODE PORT USER PASSWORD [delete]
                                      MODE is plain, stls or ssl; prints JSON with the UIDL
                                      listing, STAT and every message (and deletes them all)
"""
import email
import json
import mailbox
import poplib
import ssl
import sys


def add(path, n):
    box = mailbox.Maildir(path, create=True)
    keys = []
    for i in range(n):
        msg = email.message.EmailMessage()
        msg["From"] = "sender@example.test"
        msg["To"] = "alice@example.test"
        msg["Subject"] = "message %d" % i
        msg.set_content("Hello %d\n.a line starting with a dot\n..two dots\n.\nend\n" % i)
        keys.append(box.add(msg))
    print(json.dumps(keys))


def fetch(mode, port, user, password, delete):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if mode == "ssl":
        pop = poplib.POP3_SSL("127.0.0.1", port, context=ctx, timeout=30)
    else:
        pop = poplib.POP3("127.0.0.1", port, timeout=30)
        if mode == "stls":
            pop.stls(context=ctx)
    caps = pop.capa()
    pop.user(user)
    pop.pass_(password)
    count, octets = pop.stat()
    uidl = [line.decode().split(" ", 1)[1] for line in pop.uidl()[1]]
    listed = [int(line.split()[1]) for line in pop.list()[1]]
    top = pop.top(1, 0)[1] if count else []
    messages = []
    for i in range(1, count + 1):
        _, lines, size = pop.retr(i)
        messages.append({"text": "\n".join(l.decode() for l in lines), "size": size})
        if delete:
            pop.dele(i)
    pop.quit()
    print(json.dumps({"stat": [count, octets], "uidl": uidl, "list": listed,
                      "messages": messages, "caps": sorted(caps.keys()),
                      "top_lines": len(top)}))


if __name__ == "__main__":
    if sys.argv[1] == "add":
        add(sys.argv[2], int(sys.argv[3]))
    else:
        fetch(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], len(sys.argv) > 6)
