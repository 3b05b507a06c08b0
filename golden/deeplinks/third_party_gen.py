#!/usr/bin/env python3
"""Generates golden/deeplinks/third-party.json: UPI links as common URL/form-encoding libraries
build them, for the shapes UPI QR/intent libraries emit (P2P without tr, merchant links with
mc/tid/tr/url/mode/purpose/orgid/sign, amounts 100, 10.5, 1.00, names needing escapes).

The expected decoded parameters of each vector are this script's inputs, not our parser's
output. Python's encoders run here; JavaScript's (URLSearchParams, encodeURIComponent) run in
node and Java's URLEncoder in java when they are installed (else the vectors keep their
committed values: rerun where both exist). Go's url.Values.Encode, PHP's http_build_query and
Android's Uri.Builder are re-implemented from their documented character sets below.

Run: python3 golden/deeplinks/third_party_gen.py > golden/deeplinks/third-party.json
Never a build dependency: the JSON is committed data.
"""
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Shapes: (name, params in the order the library is given them). Values are what the caller
# passes in, before encoding.
SHAPES = [
    ("p2p-no-amount", [("pa", "rahul.sharma@okaxis"), ("pn", "Rahul Sharma"), ("cu", "INR")]),
    ("p2p-amount-100", [("pa", "9876543210@ybl"), ("pn", "Priya"), ("am", "100"), ("cu", "INR"),
                        ("tn", "Dinner & drinks")]),
    ("p2p-amount-10.5", [("pa", "friend@paytm"), ("pn", "Amit Kumar"), ("am", "10.5"), ("cu", "INR"),
                         ("tn", "Split 50% + tip")]),
    ("merchant-dynamic", [("pa", "merchant.store@icici"), ("pn", "Kumar & Sons"), ("mc", "5411"),
                          ("tr", "ORD-2024-0001"), ("am", "1.00"), ("cu", "INR"),
                          ("tn", "Order #42 (50% off)")]),
    ("merchant-non-ascii", [("pa", "cafe@okhdfcbank"), ("pn", "Café Noir"), ("mc", "5812"),
                            ("tr", "CN123456"), ("am", "249.00"), ("cu", "INR"), ("tn", "कॉफ़ी")]),
    ("merchant-hindi-name", [("pa", "ramstore@sbi"), ("pn", "राम स्टोर"), ("tr", "RS-77"), ("am", "55"),
                             ("cu", "INR")]),
    ("merchant-tid-url-category", [("pa", "shop@axisbank"), ("pn", "Shop @ Mall"), ("mc", "5999"),
                                   ("tid", "TXN8f3a29c1"), ("tr", "shop_ref.991"), ("am", "1999.99"),
                                   ("cu", "INR"), ("tn", "Invoice 7/2024"),
                                   ("url", "https://shop.example.in/invoice?id=7&src=upi#top"),
                                   ("category", "02")]),
    ("merchant-url-only", [("pa", "biller@hdfcbank"), ("pn", "City Power"), ("tr", "BILL0042"),
                           ("am", "730.50"), ("cu", "INR"), ("url", "https://citypower.example.in/b/0042")]),
    ("merchant-mode-purpose", [("pa", "merchant@yesbank"), ("pn", "Swiggy"), ("mc", "5812"),
                               ("tid", "YJP5566ca9ca6e64e76ba07c2d545f25"), ("tr", "swiggy567172772271"),
                               ("am", "1.00"), ("cu", "INR"), ("tn", "Pay for Intent"), ("mode", "04"),
                               ("purpose", "00")]),
    ("static-qr-orgid-sign", [("pa", "Q123456789@ybl"), ("pn", "PhonePe Merchant"), ("mc", "0000"),
                              ("mode", "02"), ("purpose", "00"), ("orgid", "159761"),
                              ("sign", "MEUCIQDx+7k/4Ab=")]),
    ("small-amount-and-minimum", [("pa", "donate@upi"), ("pn", "Relief Fund"), ("tr", "D-1"),
                                  ("am", "0.01"), ("mam", "0.01"), ("cu", "INR"), ("tn", "~thanks~ *")]),
]

SAFE_PY_PLUS = ""  # urlencode / quote_plus default safe


def py_urlencode(pairs):
    return urllib.parse.urlencode(pairs)


def py_quote(pairs):
    # The common hand-rolled form: f"{k}={quote(v)}" with quote's default safe='/'.
    return "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in pairs)


def py_quote_plus(pairs):
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in pairs)


def escape(value, keep, space):
    """Percent-encodes UTF-8 bytes of value except ASCII alphanumerics and `keep`; a space is
    `space`. Upper-case hex, as every library below writes."""
    out = []
    for b in value.encode("utf-8"):
        c = chr(b)
        if b < 128 and (c.isalnum() or c in keep):
            out.append(c)
        elif c == " " and space is not None:
            out.append(space)
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def go_values_encode(pairs):
    # net/url: Values.Encode sorts by key; QueryEscape keeps A-Za-z0-9 - _ . ~ and writes + for space.
    return "&".join(f"{escape(k, '-_.~', '+')}={escape(v, '-_.~', '+')}" for k, v in sorted(pairs))


def php_http_build_query(pairs):
    # http_build_query with the default PHP_QUERY_RFC1738: urlencode keeps A-Za-z0-9 - _ . and
    # writes + for space (so ~ becomes %7E).
    return "&".join(f"{escape(k, '-_.', '+')}={escape(v, '-_.', '+')}" for k, v in pairs)


def android_uri_builder(pairs):
    # android.net.Uri.Builder.appendQueryParameter -> Uri.encode(s, null): keeps A-Za-z0-9 and
    # _-!.~'()*, a space is %20.
    return "&".join(f"{escape(k, '_-!.~' + chr(39) + '()*', None)}={escape(v, '_-!.~' + chr(39) + '()*', None)}"
                    for k, v in pairs)


def node(kind, pairs):
    script = {
        "urlsearchparams": "process.stdout.write(new URLSearchParams(JSON.parse(require('fs').readFileSync(0,'utf8'))).toString())",
        "encodeuricomponent": "process.stdout.write(JSON.parse(require('fs').readFileSync(0,'utf8')).map(([k,v])=>k+'='+encodeURIComponent(v)).join('&'))",
    }[kind]
    return subprocess.run(["node", "-e", script], input=json.dumps(pairs), capture_output=True, text=True,
                          check=True).stdout


JAVA = """import java.net.URLEncoder; import java.nio.charset.StandardCharsets;
public class Enc { public static void main(String[] a) throws Exception {
 java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
 String l; while ((l = r.readLine()) != null) System.out.println(URLEncoder.encode(l, StandardCharsets.UTF_8)); } }
"""


def java_urlencoder(pairs):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "Enc.java"
        src.write_text(JAVA)
        out = subprocess.run(["java", str(src)], input="\n".join(v for _, v in pairs) + "\n",
                             capture_output=True, text=True, check=True).stdout.splitlines()
    return "&".join(f"{k}={v}" for (k, _), v in zip(pairs, out))


LIBRARIES = [
    ("python urllib.parse.urlencode", py_urlencode),
    ("python urllib.parse.quote", py_quote),
    ("python urllib.parse.quote_plus", py_quote_plus),
    ("js URLSearchParams", lambda p: node("urlsearchparams", p)),
    ("js encodeURIComponent", lambda p: node("encodeuricomponent", p)),
    ("java URLEncoder.encode", java_urlencoder),
    ("go url.Values.Encode", go_values_encode),
    ("php http_build_query", php_http_build_query),
    ("kotlin android.net.Uri.Builder", android_uri_builder),
]

# Links as they appear in the wild, written by hand (QR payloads of apps and gateways, the
# seeds' own samples); "params" is what each link means.
HAND_WRITTEN = [
    {"name": "hand-gpay-business-qr", "library": "hand-written: Google Pay for Business QR shape",
     "uri": "upi://pay?pa=shop.42@okbizaxis&pn=Shop%2042&mc=5411&aid=uGICAgICA&ver=01&mode=01&tr=BCR2DN4T7&cu=INR",
     "params": {"pa": "shop.42@okbizaxis", "pn": "Shop 42", "mc": "5411", "aid": "uGICAgICA", "ver": "01",
                "mode": "01", "tr": "BCR2DN4T7", "cu": "INR"}},
    {"name": "hand-paytm-static-qr", "library": "hand-written: Paytm static QR shape",
     "uri": "upi://pay?pa=paytmqr2810050501011@paytm&pn=Paytm%20Merchant&paytmqr=2810050501011",
     "params": {"pa": "paytmqr2810050501011@paytm", "pn": "Paytm Merchant", "paytmqr": "2810050501011"}},
    {"name": "hand-bharatpe-qr", "library": "hand-written: BharatPe QR shape",
     "uri": "upi://pay?pa=BHARATPE90912345678@yesbankltd&pn=BharatPe%20Merchant&cu=INR&tn=Pay%20To%20BharatPe%20Merchant&tr=BPE123",
     "params": {"pa": "BHARATPE90912345678@yesbankltd", "pn": "BharatPe Merchant", "cu": "INR",
                "tn": "Pay To BharatPe Merchant", "tr": "BPE123"}},
    {"name": "hand-signed-qr-raw-base64", "library": "hand-written: signed static QR (raw base64 sign)",
     "uri": "upi://pay?pa=store@icici&pn=Store&mc=5411&mode=02&orgid=000000&sign=MEQCIB+Zx/9w==",
     "params": {"pa": "store@icici", "pn": "Store", "mc": "5411", "mode": "02", "orgid": "000000",
                "sign": "MEQCIB Zx/9w=="}},
    {"name": "hand-seed-003-v2-one-decimal", "library": "hand-written: seed 003 V2 sample (am=1.0)",
     "uri": "upi://pay?pa=swiggytest@yespay&pn=Swiggy&mc=5812&tid=YJP5566ca9ca6e64e76ba07c2d545f25&tr=swiggy567172772271&am=1.0&cu=INR&tn=Pay%20for%20Intent",
     "params": {"pa": "swiggytest@yespay", "pn": "Swiggy", "mc": "5812", "tid": "YJP5566ca9ca6e64e76ba07c2d545f25",
                "tr": "swiggy567172772271", "am": "1.0", "cu": "INR", "tn": "Pay for Intent"}},
    {"name": "hand-long-note", "library": "hand-written: note over 50 characters",
     "uri": "upi://pay?pa=club@kotak&pn=Club&tr=M-9&am=1200&cu=INR&tn=Annual%20membership%20fee%20for%202025%20including%20locker%20and%20parking",
     "params": {"pa": "club@kotak", "pn": "Club", "tr": "M-9", "am": "1200", "cu": "INR",
                "tn": "Annual membership fee for 2025 including locker and parking"}},
    {"name": "hand-upper-case-scheme", "library": "hand-written: upper-case scheme and host (RFC 3986: case-insensitive)",
     "uri": "UPI://PAY?pa=shop@ybl&pn=Shop&am=10&cu=INR",
     "params": {"pa": "shop@ybl", "pn": "Shop", "am": "10", "cu": "INR"}},
    {"name": "hand-raw-space-defect", "library": "hand-written: string concatenation without encoding",
     "uri": "upi://pay?pa=shop@ybl&pn=My Shop&am=10&cu=INR",
     "params": {"pa": "shop@ybl", "pn": "My Shop", "am": "10", "cu": "INR"},
     "defect": "a raw space: seed 003 V3 says there are no spaces in the URI (spaces are %20)",
     "musts": ["deeplink.syntax.raw-space"]},
    {"name": "hand-usd-defect", "library": "hand-written: foreign currency",
     "uri": "upi://pay?pa=shop@ybl&pn=Shop&am=10&cu=USD",
     "params": {"pa": "shop@ybl", "pn": "Shop", "am": "10", "cu": "USD"},
     "defect": "cu=USD: the only UPI currency is INR (DOMAIN.md)", "musts": ["deeplink.pay.cu.value"]},
]


def main():
    vectors = []
    for shape, pairs in SHAPES:
        for library, encode in LIBRARIES:
            query = encode(pairs)
            slug = library.split()[0] + "-" + library.split()[-1].lower().replace(".", "-")
            vectors.append({
                "name": f"{shape}/{slug}",
                "library": library,
                "uri": "upi://pay?" + query,
                "params": dict(pairs),
            })
    for v in HAND_WRITTEN:
        vectors.append({"musts": [], **v} if "musts" not in v else v)
    for v in vectors:
        v.setdefault("musts", [])
    json.dump(vectors, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
