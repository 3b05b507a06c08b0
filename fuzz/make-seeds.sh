#!/usr/bin/env bash
# Builds the seed corpora fuzz/seeds/<target>/ and the dictionaries fuzz/dict/<target>.dict from
# golden/ (verbatim and corrected seed samples, vectors, deeplinks, audit captures) and
# schemas/ (field names and enum values of the models). Idempotent: every directory and
# dictionary it owns is rewritten from scratch; deeplink_parse's seeds and dict/deeplink.dict are
# hand-made and left alone.
#
# The message targets pick their model with the first byte, so seeds are prefixed with the model's
# index in `upi_spec::messages::all()`, read from `upi-conformance messages --format json` (set
# UPI_CONFORMANCE to a built binary to skip `cargo run`). Re-run after adding or reordering models.
#
# Needs bash, python3 (standard library only) and cargo. Usage: fuzz/make-seeds.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [[ -n "${UPI_CONFORMANCE:-}" ]]; then
  models="$("$UPI_CONFORMANCE" messages --format json)"
else
  models="$(cargo run -q -p upi-conformance -- messages --format json)"
fi

MODELS="$models" python3 - <<'PY'
import base64, json, os, re, shlex, shutil, urllib.parse
from pathlib import Path

root = Path.cwd()
golden, seeds_out, dict_out = root / "golden", root / "fuzz/seeds", root / "fuzz/dict"
models = json.loads(os.environ["MODELS"])
index = {m["id"]: i for i, m in enumerate(models)}
form_models = [m["id"] for m in models if m["encoding"] != "json"]
form_index = {m: i for i, m in enumerate(form_models)}
manifest = json.loads((golden / "seeds/MANIFEST.json").read_text())

TARGETS = ["message_json", "message_form", "curl_command", "payu_callback",
           "payu_s2s_response", "jws_envelope", "signature_payload", "har_reader"]
out = {t: {} for t in TARGETS}

def add(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    out[target][name] = data

def samples():
    """(name, message, kind, bytes) of every verbatim and corrected sample."""
    for e in manifest:
        yield "v-" + e["file"], e["message"], e["kind"], (golden / "seeds" / e["file"]).read_bytes()
        if e["corrected"]:
            f = golden / "seeds/corrected" / e["corrected"]
            kind = f.suffix.lstrip(".")
            yield "c-" + e["corrected"], e["message"], kind, f.read_bytes()

def curl_form_body(text):
    """The form body a curl line sends (-d, --data-urlencode, --form), or None."""
    try:
        words = shlex.split(text.replace("\\\n", " "))
    except ValueError:
        return None
    pairs, it = [], iter(words)
    for w in it:
        if w in ("-d", "--data", "--data-raw", "--data-urlencode", "-F", "--form"):
            v = next(it, "")
            if w == "--data-urlencode" or w in ("-F", "--form"):
                k, _, val = v.partition("=")
                val = val.strip('"')
                pairs.append(k + "=" + urllib.parse.quote(val, safe=""))
            else:
                pairs.append(v)
    return "&".join(pairs) if pairs else None

for name, message, kind, data in samples():
    if kind == "json" and message in index:
        add("message_json", name, bytes([index[message]]) + data)
    if kind == "curl" and message in index:
        add("curl_command", name, bytes([index[message]]) + data)
        body = curl_form_body(data.decode())
        if body and message in form_index:
            add("message_form", name, bytes([form_index[message]]) + body.encode())
    if kind == "form" and message in form_index:
        add("message_form", name, bytes([form_index[message]]) + data)
    if message in ("payu.callback", "payu.webhook") and kind == "form":
        add("payu_callback", name, data)
    if message == "payu.payment.response" and kind == "json":
        add("payu_s2s_response", name, data)
    if message.startswith("tpap.signature-payload.") and kind == "json":
        add("signature_payload", name, b"\n" + data)
    if message == "merchant.jws-envelope" and kind == "curl":
        m = re.search(r"--data-raw '(.*)'", data.decode(), re.S)
        if m:
            add("jws_envelope", name, m.group(1))

# PayU reverse-hash vectors as callback forms (valid and broken hashes).
for t in json.loads((golden / "vectors/payu_response_hash.json").read_text())["tests"]:
    fields = dict(t["fields"], hash=t.get("hash", ""))
    add("payu_callback", f"vector-{t['tcId']:02}", urllib.parse.urlencode(fields))

# The S2S response with each deeplink query of golden/deeplinks/seeds.txt as intentURIData.
s2s = json.loads((golden / "seeds/corrected/payu.payment.response.s2s.json").read_text())
links = [l for l in (golden / "deeplinks/seeds.txt").read_text().splitlines()
         if l and not l.startswith("#")]
for i, link in enumerate(links):
    query = link.split("?", 1)[1] if "?" in link else link
    s2s["result"]["intentURIData"] = query
    add("payu_s2s_response", f"deeplink-{i:02}", json.dumps(s2s, indent=1))

# JWS vectors that must not verify (valid ones would break the never-verifies oracle; the
# stale or malformed x-timestamp cases carry a good signature).
for t in json.loads((golden / "vectors/jws.json").read_text())["tests"]:
    if t["result"] == "invalid" and "jws" in t and not t.get("xTimestamp"):
        add("jws_envelope", f"vector-{t['tcId']:02}", json.dumps(t["jws"]))

# signaturePayload vectors: "<signature>\n<signaturePayload>", invalid ones whose signature is
# not valid for the test key (an unknown merchantKeyId case carries a good signature).
for t in json.loads((golden / "vectors/signature_payload.json").read_text())["tests"]:
    if t["result"] == "invalid" and "UnknownKeyId" not in t.get("flags", []):
        add("signature_payload", f"vector-{t['tcId']:02}", t["signature"] + "\n" + t["signaturePayload"])

# Audit captures, whole and one TPAP line at a time.
for f in sorted((golden / "audit").iterdir()):
    add("har_reader", f.name, f.read_bytes())
for i, line in enumerate((golden / "audit/tpap.jsonl").read_text().splitlines()):
    add("har_reader", f"tpap-line-{i:02}.jsonl", line)
har = json.loads((golden / "audit/ec-txns.har").read_text())
for i, entry in enumerate(har["log"]["entries"]):
    add("har_reader", f"har-entry-{i:02}.har", json.dumps({"log": dict(har["log"], entries=[entry])}))

for target, files in out.items():
    d = seeds_out / target
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for name, data in sorted(files.items()):
        (d / name).write_bytes(data)

# Dictionaries: every field name and enum value of the models (from the committed JSON Schemas),
# plus the syntax tokens of each target's input.
names, enums = set(), set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            names.add(k)
        for v in node.get("enum", []):
            if isinstance(v, str):
                enums.add(v)
        if isinstance(node.get("const"), str):
            enums.add(node["const"])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
for f in sorted((root / "schemas").glob("*.json")):
    if f.name == "run-report.schema.json":  # the runner's report, not a message
        continue
    walk(json.loads(f.read_text()))
names = {n for n in names if 0 < len(n) <= 64}
enums = {e for e in enums if 0 < len(e) <= 64}

JSON = ['{', '}', '[', ']', ':', ',', '"', '""', 'null', 'true', 'false', '0', '-1', '0.00',
        '1e3', '00.10', '"\\u0000"', '\\"', '\\\\']
FORM = ['&', '=', '%', '%20', '%25', '%00', '%ZZ', '+', '%2B', '%26', '%3D', '%E2%82%B9']
CURL = ['curl ', ' -X POST', ' -H ', ' --header ', ' -d ', ' --data ', ' --data-raw ',
        ' --data-urlencode ', ' -F ', ' --form ', ' --location', ' -L', ' -g', ' --request ',
        "'", '"', '\\\n', ' \\', 'content-type: ', 'application/json',
        'application/x-www-form-urlencoded', 'multipart/form-data', '@', '{{host}}']
PAYU = ['|', '||', 'success', 'failure', 'pending', 'captured', 'additional_charges',
        'api_version', 'hash', 'udf1', 'udf5', 'udf6', 'udf10', 'mihpayid', 'txnid', 'key',
        'status', 'amount', 'productinfo', 'firstname', 'email', 'upiConformanceTestSalt']
DEEPLINK = ['upi://pay?', 'pa', 'pn', 'am', 'tr', 'tid', 'mc', 'cu', 'tn', 'mode', 'INR',
            '@', '&', '=', '%20', '?', '00']
JWS = ['"protected"', '"payload"', '"signature"', '"alg"', '"kid"', '"typ"', '"crit"', '"iat"',
       'RS256', 'PS256', 'HS256', 'none', 'merchant-key-1', 'golden-test-key', 'eyJ', '.', '-',
       '_', '=', '+', '/', 'e30']
SIG = ['\n', 'merchant_id', 'customer_id', 'timestamp', 'amount', 'order_id', 'mandate',
       '+', '/', '=', '==']
HAR = ['"log"', '"entries"', '"request"', '"response"', '"method"', '"url"', '"headers"',
       '"postData"', '"text"', '"mimeType"', '"content"', '"status"', '"name"', '"value"',
       'POST', 'GET', 'https://api.juspay.in/txns', '/_payment', '"payload"', '"action"',
       'upiGetSessionToken', 'onboarding', 'onboardingAndPay', 'upiTxn',
       'shouldCreateMandate', '"event"', 'process_result', '\n']

def quoted(s):
    """A libFuzzer dictionary entry: only \\\\, \\" and \\xAB escapes are understood."""
    out = ""
    for b in s.encode():
        c = chr(b)
        if c in '\\"':
            out += "\\" + c
        elif 0x20 <= b < 0x7F:
            out += c
        else:
            out += f"\\x{b:02X}"
    return '"' + out + '"'

def write_dict(target, comment, tokens):
    lines = [f"# {target}: {comment}", "# Generated by fuzz/make-seeds.sh; do not edit."]
    lines += sorted({quoted(t) for t in tokens if 0 < len(t.encode()) <= 64})
    (dict_out / f"{target}.dict").write_text("\n".join(lines) + "\n")

jnames = ['"' + n + '"' for n in names]
write_dict("message_json", "JSON syntax, field names and enum values of the models",
           JSON + jnames + list(names) + list(enums))
write_dict("message_form", "form syntax, field names and enum values",
           FORM + [n + "=" for n in names] + list(enums))
write_dict("curl_command", "curl syntax, headers, form and JSON tokens",
           CURL + FORM + JSON + [n + "=" for n in names] + jnames)
write_dict("payu_callback", "form syntax, PayU hash fields and statuses",
           FORM + PAYU + [n + "=" for n in names])
write_dict("payu_s2s_response", "JSON syntax, S2S fields, deeplink parameters",
           JSON + jnames + list(enums) + DEEPLINK)
write_dict("jws_envelope", "flattened JWS members, header parameters, algorithms, base64url",
           JWS + JSON)
write_dict("signature_payload", "signature line, signaturePayload fields, base64",
           SIG + JSON + jnames)
write_dict("har_reader", "HAR and TPAP JSON-lines structure", HAR + JSON)

for t in TARGETS:
    print(f"{t:18} {len(out[t]):3} seeds")
PY
