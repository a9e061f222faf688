"""Reads a bounce with Python's email package and prints what a DSN reader sees, as JSON."""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)

out = {
    "content_type": msg.get_content_type(),
    "report_type": msg.get_param("report-type"),
    "subject": str(msg["subject"]),
    "from": str(msg["from"]),
    "to": str(msg["to"]),
    "auto_submitted": str(msg["auto-submitted"]),
    "defects": [type(d).__name__ for d in msg.defects],
    "parts": [],
}
for part in msg.iter_parts():
    entry = {"content_type": part.get_content_type(),
             "defects": [type(d).__name__ for d in part.defects]}
    if part.get_content_type() == "text/plain":
        entry["text"] = part.get_content()
    elif part.get_content_type() == "message/delivery-status":
        blocks = part.get_payload()
        entry["per_message"] = {k: str(v) for k, v in blocks[0].items()}
        entry["recipients"] = [{k: str(v) for k, v in b.items()} for b in blocks[1:]]
    elif part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0)
        entry["subject"] = str(inner["subject"])
        entry["return_path"] = str(inner["return-path"])
        entry["body"] = inner.get_content()
    elif part.get_content_type() == "text/rfc822-headers":
        headers = email.message_from_string(part.get_content(), policy=email.policy.default)
        entry["subject"] = str(headers["subject"])
    out["parts"].append(entry)

json.dump(out, sys.stdout)
