#!/usr/bin/env python3
"""Generates golden/vectors/*.json with Python's hashlib, hmac and `cryptography`.

Independent of the Rust code on purpose: every hashed string below is written out by hand,
case by case, from DOMAIN.md and the seeds; nothing here chooses a variant. Re-run from the
repository root (`python3 golden/vectors/generate.py`) only when a case is added; RS256 and
hashes are deterministic, the PS256 signatures change on every run (PSS is randomised).
"""
import base64
import hashlib
import hmac
import json
import pathlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

ROOT = pathlib.Path(__file__).resolve().parent.parent
KEYS = ROOT / "keys"
OUT = ROOT / "vectors"

GEN = "golden/vectors/generate.py (Python hashlib / cryptography), independent of the Rust code"


def sha512(s):
    return hashlib.sha512(s.encode()).hexdigest()


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def pipes(*parts):
    return "|".join(parts)


def write(name, doc):
    path = OUT / name
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(path, len(doc["tests"]) + len(doc.get("responseSignatureTests", [])), "cases")


def number(cases):
    for i, case in enumerate(cases, 1):
        case["tcId"] = i
    return [dict(sorted(c.items(), key=lambda kv: kv[0] != "tcId")) for c in cases]


# ---------------------------------------------------------------- PayU request hash
KA_SALT = "3sf0jURk"  # PayU's published example
TEST_SALT = "upiConformanceTestSalt"  # ours, recorded in golden/keys/README.md
KA = {"key": "C0Dr8m", "txnid": "12345", "amount": "10", "productinfo": "Shopping",
      "firstname": "Test", "email": "test@test.com", "udf2": "abc", "udf4": "15"}
KA_STR = "C0Dr8m|12345|10|Shopping|Test|test@test.com||abc||15|||||||" + KA_SALT
assert sha512(KA_STR) == "ffcdbf04fa5beefdcc2dd476c18bc410f02b3968e7f4f54e8f43f1e1a310bb32e3b4dec9305232bb89db5b1d0c009a53bcace6f4bd8ec2f695baf3d43ba730ce"

SEED1 = {"key": "JPM7Fg", "txnid": "payuTestTransaction12345", "amount": "100.00",
         "firstname": "Ashish", "email": "[email protected]", "productinfo": "Product Info",
         "udf1": "AELPR1234E", "udf3": "02-02-1980", "udf4": "XYZ Pvt. Ltd.", "udf5": "INV123456"}
SEED1_HEAD = "JPM7Fg|payuTestTransaction12345|100.00|Product Info|Ashish|[email protected]|AELPR1234E||02-02-1980|XYZ Pvt. Ltd.|INV123456"
SEED1_UDF_PARAMS = '{"udf7":"0100000029","udf8":"99953729071"}'
SEED2 = {"key": "PRiQvJ", "txnid": "my_order_991", "amount": "1", "productinfo": "my_order_991",
         "email": "", "firstname": "", "udf1": "buyer's DOB", "udf2": "", "udf3": "buyer's PAN",
         "udf4": "", "udf5": "invoice number", "udf_params": '{"udf7":"asdf","udf8":"12"}',
         "buyer_type_business": "1"}
SEED2_HEAD = "PRiQvJ|my_order_991|1|my_order_991|||buyer's DOB||buyer's PAN||invoice number"
SI = '{"billingAmount":"100.00","billingCurrency":"INR","billingCycle":"MONTHLY","billingInterval":1,"paymentStartDate":"2026-01-01","paymentEndDate":"2027-01-01"}'


def req(comment, fields, salt, hashed, result="valid", flags=(), hash_value=None):
    case = {"comment": comment, "fields": fields, "salt": salt, "result": result, "flags": list(flags)}
    if hashed is not None:
        case["hashedString"] = hashed
    case["hash"] = hash_value if hash_value is not None else sha512(hashed)
    return case


def with_(base, **extra):
    d = dict(base)
    d.update(extra)
    return d


request_cases = [
    req("PayU's published known answer (DOMAIN.md)", KA, KA_SALT, KA_STR, flags=["PublishedKnownAnswer"]),
    req("seed 004 sample request: udf_params and buyer_type_business after the salt, our test salt",
        with_(SEED1, buyer_type_business="1", udf_params=SEED1_UDF_PARAMS), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", TEST_SALT, SEED1_UDF_PARAMS, "1"), flags=["SeedSample", "AfterSalt"]),
    req("seed 004 sample request without its optional fields: the default sequence",
        SEED1, TEST_SALT, pipes(SEED1_HEAD, "", "", "", "", "", TEST_SALT), flags=["SeedSample"]),
    req("additional_charges is appended after the salt",
        with_(SEED1, additional_charges="10.00"), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", TEST_SALT, "10.00"), flags=["AfterSalt"]),
    req("additional_charges then buyer_type_business after the salt",
        with_(SEED1, additional_charges="10.00", buyer_type_business="1"), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", TEST_SALT, "10.00", "1"), flags=["AfterSalt"]),
    req("api_version 7 hashes udf6..udf10 in place of the reserved slots",
        with_(SEED1, api_version="7", udf7="0100000029", udf8="99953729071"), TEST_SALT,
        pipes(SEED1_HEAD, "", "0100000029", "99953729071", "", "", TEST_SALT), flags=["ApiVersion7"]),
    req("api_version 7 with buyer_type_business and udf_params after the salt",
        with_(SEED1, api_version="7", udf6="x", buyer_type_business="1", udf_params=SEED1_UDF_PARAMS), TEST_SALT,
        pipes(SEED1_HEAD, "x", "", "", "", "", TEST_SALT, SEED1_UDF_PARAMS, "1"), flags=["ApiVersion7", "AfterSalt"]),
    req("api_version 1 given explicitly is the default sequence",
        with_(KA, api_version="1"), KA_SALT, KA_STR, flags=["PublishedKnownAnswer"]),
    req("si_details takes the slot just before the salt",
        with_(SEED1, si_details=SI), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", SI, TEST_SALT), flags=["StandingInstruction"]),
    req("si_details before the salt and additional_charges after it",
        with_(SEED1, si_details=SI, additional_charges="5"), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", SI, TEST_SALT, "5"), flags=["StandingInstruction", "AfterSalt"]),
    req("seed 004 second sample (amount 1, empty firstname and email, udf_params, buyer_type_business)",
        SEED2, TEST_SALT, pipes(SEED2_HEAD, "", "", "", "", "", TEST_SALT, '{"udf7":"asdf","udf8":"12"}', "1"),
        flags=["SeedSample", "AfterSalt"]),
    req("amount 1.00 is hashed as sent, not as 1",
        with_(SEED2, amount="1.00"), TEST_SALT,
        pipes(SEED2_HEAD.replace("|1|", "|1.00|", 1), "", "", "", "", "", TEST_SALT, '{"udf7":"asdf","udf8":"12"}', "1"),
        flags=["AmountAsSent"]),
    req("an optional field posted empty does not select a variant (PayU echoes unused fields as empty)",
        with_(KA, additional_charges="", si_details=""), KA_SALT, KA_STR, result="acceptable", flags=["EmptyOptional"]),
    # negative cases: each flips one thing
    req("tampered amount, known-answer hash", with_(KA, amount="11"), KA_SALT, KA_STR, result="invalid", flags=["TamperedField"]),
    req("wrong salt", KA, "3sf0jURK", KA_STR, result="invalid", flags=["WrongSalt"]),
    req("key and txnid swapped in the hashed string", KA, KA_SALT,
        "12345|C0Dr8m|10|Shopping|Test|test@test.com||abc||15|||||||" + KA_SALT, result="invalid", flags=["WrongFieldOrder"]),
    req("empty udf1 slot dropped from the hashed string (10 pipes)", KA, KA_SALT,
        "C0Dr8m|12345|10|Shopping|Test|test@test.com|abc||15|||||||" + KA_SALT, result="invalid", flags=["MissingEmptySlot"]),
    req("one reserved slot too many (the 12-pipe typo of a PayU page)", KA, KA_SALT,
        "C0Dr8m|12345|10|Shopping|Test|test@test.com||abc||15||||||||" + KA_SALT, result="invalid", flags=["ExtraEmptySlot"]),
    req("hash in upper-case hex", KA, KA_SALT, KA_STR, result="invalid", flags=["UpperCaseHex"], hash_value=sha512(KA_STR).upper()),
    req("hash with a trailing space", KA, KA_SALT, KA_STR, result="invalid", flags=["TrailingWhitespaceInHash"], hash_value=sha512(KA_STR) + " "),
    req("field value with trailing whitespace is hashed as sent", with_(KA, amount="10 "), KA_SALT, KA_STR,
        result="invalid", flags=["TrailingWhitespaceInField"]),
    req("seed 004 Case2 sequence: an empty si_details slot before the salt", with_(SEED1, additional_charges="10.00"), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", "", TEST_SALT, "10.00"), result="invalid", flags=["SeedCaseSequence"]),
    req("additional_charges after buyer_type_business: the documented order is the other one",
        with_(SEED1, additional_charges="10.00", buyer_type_business="1"), TEST_SALT,
        pipes(SEED1_HEAD, "", "", "", "", "", TEST_SALT, "1", "10.00"), result="invalid", flags=["WrongFieldOrder"]),
    req("PayU Node SDK 1.3.1 appends `undefined` when additional_charges is posted",
        with_(KA, additional_charges="5"), KA_SALT, KA_STR + "|undefined", result="invalid", flags=["SdkBug"]),
    req("udf7 posted without api_version 7 would go unhashed", with_(KA, udf7="x"), KA_SALT, None,
        result="invalid", flags=["UdfWithoutApiVersion7"], hash_value=sha512(KA_STR)),
    req("api_version 2 is not modelled", with_(KA, api_version="2"), KA_SALT, None,
        result="invalid", flags=["UnknownApiVersion"], hash_value=sha512(KA_STR)),
    req("key missing", {k: v for k, v in KA.items() if k != "key"}, KA_SALT, None,
        result="invalid", flags=["MissingRequired"], hash_value=sha512(KA_STR)),
    req("seed 004 sample hash placeholder", SEED1, TEST_SALT, None, result="invalid", flags=["Placeholder"], hash_value="YOUR_CALCULATED_HASH"),
    req("seed 004 second sample's hash value, a pipe-joined list of udfs", SEED2, TEST_SALT, None,
        result="invalid", flags=["Placeholder"], hash_value="||||||ABCDE1234F||1990-01-01||INV123456||||||"),
]

REQUEST_NOTES = {
    "PublishedKnownAnswer": {"description": "PayU's own example from its hash generation page (DOMAIN.md)", "rule": None},
    "SeedSample": {"description": "the fields of a seed 004 sample request, with our test salt", "rule": None},
    "AfterSalt": {"description": "optional fields appended after the salt in the documented order", "rule": None},
    "ApiVersion7": {"description": "api_version 7: udf6..udf10 replace the reserved slots", "rule": None},
    "StandingInstruction": {"description": "si_details just before the salt", "rule": None},
    "AmountAsSent": {"description": "values are hashed exactly as sent", "rule": None},
    "EmptyOptional": {"description": "an optional field posted empty is treated as not posted; PayU's own handling is not published (acceptable: we accept)", "rule": None},
    "TamperedField": {"description": "one field differs from the one hashed", "rule": "payu.hash.request.mismatch"},
    "WrongSalt": {"description": "hashed with another salt", "rule": "payu.hash.request.mismatch"},
    "WrongFieldOrder": {"description": "fields hashed in the wrong order", "rule": "payu.hash.request.mismatch"},
    "MissingEmptySlot": {"description": "an absent field's empty slot left out", "rule": "payu.hash.request.mismatch"},
    "ExtraEmptySlot": {"description": "one empty slot too many", "rule": "payu.hash.request.mismatch"},
    "UpperCaseHex": {"description": "the digest in upper-case hex", "rule": "payu.hash.request.hex-format"},
    "TrailingWhitespaceInHash": {"description": "a trailing space after the hex digest", "rule": "payu.hash.request.hex-format"},
    "TrailingWhitespaceInField": {"description": "a field sent with a trailing space is hashed with it", "rule": "payu.hash.request.mismatch"},
    "SeedCaseSequence": {"description": "a sequence of seed 004 Cases 2-4 that contradicts DOMAIN.md (errata)", "rule": "payu.hash.request.mismatch"},
    "SdkBug": {"description": "a known SDK bug", "rule": "payu.hash.request.mismatch"},
    "UdfWithoutApiVersion7": {"description": "udf6..udf10 posted without api_version 7", "rule": "payu.hash.request.udf6-10-need-api-version-7"},
    "UnknownApiVersion": {"description": "an api_version we do not model", "rule": "payu.hash.request.api-version"},
    "MissingRequired": {"description": "a required field absent", "rule": "payu.hash.request.required-field"},
    "Placeholder": {"description": "a seed's placeholder or garbage in place of a hash", "rule": "payu.hash.request.hex-format"},
}

write("payu_request_hash.json", {
    "family": "payu_request_hash",
    "algorithm": "SHA-512, lower-case hex",
    "source": "seed 004 Step 1 Hashing Logic; shared/DOMAIN.md PayU hashing",
    "generatedBy": GEN,
    "notes": REQUEST_NOTES,
    "tests": number(request_cases),
})

# ---------------------------------------------------------------- PayU response (reverse) hash
WEBHOOK = {"status": "success", "key": "rZ1fX4", "txnid": "T2603041446091822117753", "amount": "40.00",
           "productinfo": "Static QR", "firstname": "", "email": "", "udf1": "", "udf2": "", "udf3": "",
           "udf4": "SoftQR", "udf5": "BFL0000006601446", "udf6": "", "udf7": "", "udf8": "", "udf9": "",
           "udf10": "", "mihpayid": "27553369917", "mode": "SBQR", "unmappedstatus": "captured"}


def reverse(salt, f, status=None):
    return pipes(salt, status or f["status"], "", "", "", "", "", f["udf5"], f["udf4"], f["udf3"], f["udf2"], f["udf1"],
                 f["email"], f["firstname"], f["productinfo"], f["amount"], f["txnid"], f["key"])


WEBHOOK_STR = reverse(TEST_SALT, WEBHOOK)
AUTOPAY = with_(WEBHOOK, udf1="AAAPZ1234C||22-08-1972", udf3="INV_121312||SellerName", udf4="", udf5="")
response_cases = [
    req("seed 004 sample webhook fields (URL-decoded), our test salt", WEBHOOK, TEST_SALT, WEBHOOK_STR, flags=["SeedSample"]),
    req("failure status", with_(WEBHOOK, status="failure"), TEST_SALT, reverse(TEST_SALT, WEBHOOK, "failure"), flags=["SeedSample"]),
    req("additional_charges comes first, before the salt", with_(WEBHOOK, additional_charges="2.00"), TEST_SALT,
        "2.00|" + WEBHOOK_STR, flags=["AdditionalCharges"]),
    req("UPI AutoPay udf values containing || are hashed as they are", AUTOPAY, TEST_SALT, reverse(TEST_SALT, AUTOPAY),
        flags=["PipeInValue"]),
    req("additional_charges echoed empty does not select the prefixed variant", with_(WEBHOOK, additional_charges=""), TEST_SALT,
        WEBHOOK_STR, result="acceptable", flags=["EmptyOptional"]),
    req("tampered amount", with_(WEBHOOK, amount="400.00"), TEST_SALT, WEBHOOK_STR, result="invalid", flags=["TamperedField"]),
    req("tampered status: a failure presented as success", WEBHOOK, TEST_SALT, reverse(TEST_SALT, WEBHOOK, "failure"),
        result="invalid", flags=["TamperedField"]),
    req("wrong salt", WEBHOOK, "wrongSalt", WEBHOOK_STR, result="invalid", flags=["WrongSalt"]),
    req("request (forward) order used for the response", WEBHOOK, TEST_SALT,
        "rZ1fX4|T2603041446091822117753|40.00|Static QR|||||||SoftQR|BFL0000006601446|||||||" + TEST_SALT,
        result="invalid", flags=["WrongFieldOrder"]),
    req("additional_charges appended at the end instead of put first", with_(WEBHOOK, additional_charges="2.00"), TEST_SALT,
        WEBHOOK_STR + "|2.00", result="invalid", flags=["WrongFieldOrder"]),
    req("one reserved empty slot missing after status", WEBHOOK, TEST_SALT,
        WEBHOOK_STR.replace("|success||||||", "|success|||||", 1), result="invalid", flags=["MissingEmptySlot"]),
    req("hash in upper-case hex", WEBHOOK, TEST_SALT, WEBHOOK_STR, result="invalid", flags=["UpperCaseHex"],
        hash_value=sha512(WEBHOOK_STR).upper()),
    req("status missing", {k: v for k, v in WEBHOOK.items() if k != "status"}, TEST_SALT, None, result="invalid",
        flags=["MissingRequired"], hash_value=sha512(WEBHOOK_STR)),
]
write("payu_response_hash.json", {
    "family": "payu_response_hash",
    "algorithm": "SHA-512, lower-case hex",
    "source": "derived: PayU reverse hash (shared/DOMAIN.md); fields from seed 004 Step 5 sample webhook",
    "generatedBy": GEN,
    "notes": {
        "SeedSample": {"description": "fields of the seed 004 sample webhook with our test salt", "rule": None},
        "AdditionalCharges": {"description": "additional_charges prefixed before the salt", "rule": None},
        "PipeInValue": {"description": "values containing pipes are hashed verbatim", "rule": None},
        "EmptyOptional": {"description": "an optional field echoed empty is treated as absent (acceptable: we accept)", "rule": None},
        "TamperedField": {"description": "one field differs from the one hashed", "rule": "payu.hash.response.mismatch"},
        "WrongSalt": {"description": "hashed with another salt", "rule": "payu.hash.response.mismatch"},
        "WrongFieldOrder": {"description": "fields hashed in the wrong order", "rule": "payu.hash.response.mismatch"},
        "MissingEmptySlot": {"description": "a reserved empty slot left out", "rule": "payu.hash.response.mismatch"},
        "UpperCaseHex": {"description": "the digest in upper-case hex", "rule": "payu.hash.response.hex-format"},
        "MissingRequired": {"description": "a required field absent", "rule": "payu.hash.response.required-field"},
    },
    "tests": number(response_cases),
})

# ---------------------------------------------------------------- PayU command hash
VERIFY = {"key": "PRiQvJ", "command": "verify_payment", "var1": "my_order_642"}
UDF_UPDATE = {"key": "PRiQvJ", "command": "udf_update", "var1": "my_order_642", "var2": "AAAPZ1234C",
              "var4": "22/08/1972", "var5": "SellerName", "var6": "INV000000005"}
UPLOAD = {"key": "PRiQvJ", "command": "opgsp_upload_invoice_awb", "var1": "403993715525825059",
          "var2": "TestInv0001234568", "var3": "Invoice"}


def cmd(f, salt=TEST_SALT):
    return pipes(f["key"], f["command"], f["var1"], salt)


command_cases = [
    req("verify_payment: var1 is the txnid", VERIFY, TEST_SALT, cmd(VERIFY), flags=["Command"]),
    req("udf_update (seed 004 step 6): only var1 is hashed", UDF_UPDATE, TEST_SALT, cmd(UDF_UPDATE), flags=["Command"]),
    req("opgsp_upload_invoice_awb (seed 004 step 7): var1 is the PayU id", UPLOAD, TEST_SALT, cmd(UPLOAD), flags=["Command"]),
    req("wrong salt", VERIFY, "wrongSalt", cmd(VERIFY), result="invalid", flags=["WrongSalt"]),
    req("tampered var1", with_(VERIFY, var1="my_order_643"), TEST_SALT, cmd(VERIFY), result="invalid", flags=["TamperedField"]),
    req("var2 hashed too", UDF_UPDATE, TEST_SALT, pipes("PRiQvJ", "udf_update", "my_order_642", "AAAPZ1234C", TEST_SALT),
        result="invalid", flags=["ExtraField"]),
    req("salt first", VERIFY, TEST_SALT, pipes(TEST_SALT, "PRiQvJ", "verify_payment", "my_order_642"), result="invalid",
        flags=["WrongFieldOrder"]),
    req("hash in upper-case hex", VERIFY, TEST_SALT, cmd(VERIFY), result="invalid", flags=["UpperCaseHex"],
        hash_value=sha512(cmd(VERIFY)).upper()),
    req("seed 004 placeholder {{hash}}", VERIFY, TEST_SALT, None, result="invalid", flags=["Placeholder"], hash_value="{{hash}}"),
    req("var1 missing", {"key": "PRiQvJ", "command": "verify_payment"}, TEST_SALT, None, result="invalid",
        flags=["MissingRequired"], hash_value=sha512(cmd(VERIFY))),
]
write("payu_command_hash.json", {
    "family": "payu_command_hash",
    "algorithm": "SHA-512, lower-case hex",
    "source": "derived: PayU postservice command hash (shared/DOMAIN.md); commands from seed 004 steps 3, 6, 7",
    "generatedBy": GEN,
    "notes": {
        "Command": {"description": "key|command|var1|salt", "rule": None},
        "WrongSalt": {"description": "hashed with another salt", "rule": "payu.hash.command.mismatch"},
        "TamperedField": {"description": "one field differs from the one hashed", "rule": "payu.hash.command.mismatch"},
        "ExtraField": {"description": "a field that is not hashed was hashed", "rule": "payu.hash.command.mismatch"},
        "WrongFieldOrder": {"description": "fields hashed in the wrong order", "rule": "payu.hash.command.mismatch"},
        "UpperCaseHex": {"description": "the digest in upper-case hex", "rule": "payu.hash.command.hex-format"},
        "Placeholder": {"description": "a seed's placeholder in place of a hash", "rule": "payu.hash.command.hex-format"},
        "MissingRequired": {"description": "a required field absent", "rule": "payu.hash.command.required-field"},
    },
    "tests": number(command_cases),
})

# ---------------------------------------------------------------- TPV payerAccountHash


def tpv(comment, account, ifsc, hashed, result="valid", flags=(), hash_value=None):
    case = {"comment": comment, "accountNumber": account, "ifsc": ifsc, "result": result, "flags": list(flags)}
    if hashed is not None:
        case["hashedInput"] = hashed
    case["hash"] = hash_value if hash_value is not None else sha256(hashed)
    return case


SEED_TPV = sha256("123456789ABCD")
tpv_cases = [
    tpv("seed 003 worked example", "0000123456789", "ABCD0000345", "123456789ABCD", flags=["SeedExample"]),
    tpv("no leading zeros to remove", "123456789", "ABCD0000345", "123456789ABCD", flags=["SeedExample"]),
    tpv("branch code with letters", "50100012345678", "HDFC0CAGSBK", "50100012345678HDFC", flags=["Derived"]),
    tpv("inner zeros are kept", "1000200030", "SBIN0011418", "1000200030SBIN", flags=["Derived"]),
    tpv("leading zeros kept in the hashed input", "0000123456789", "ABCD0000345", "0000123456789ABCD", result="invalid", flags=["LeadingZerosKept"]),
    tpv("the whole IFSC hashed", "0000123456789", "ABCD0000345", "123456789ABCD0000345", result="invalid", flags=["WholeIfsc"]),
    tpv("'first 4 digit' read as the first four digits of the IFSC", "0000123456789", "ABCD0000345", "1234567890000", result="invalid", flags=["IfscDigits"]),
    tpv("IFSC prefix lower-cased before hashing", "0000123456789", "ABCD0000345", "123456789abcd", result="invalid", flags=["TamperedField"]),
    tpv("hash in upper-case hex", "0000123456789", "ABCD0000345", None, result="invalid", flags=["UpperCaseHex"], hash_value=SEED_TPV.upper()),
    tpv("seed 003 sample payerAccountHashes[0]: 58 hex characters", "0000123456789", "ABCD0000345", None, result="invalid",
        flags=["SeedSampleHash"], hash_value="ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674"),
    tpv("seed 003 sample payerAccountHashes[1]: ends in 'ddaka'", "0000123456789", "ABCD0000345", None, result="invalid",
        flags=["SeedSampleHash"], hash_value="ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330ddaka"),
    tpv("account number of zeros only", "0000000000", "ABCD0000345", None, result="invalid", flags=["AllZeroAccount"], hash_value=sha256("ABCD")),
    tpv("empty account number", "", "ABCD0000345", None, result="invalid", flags=["AllZeroAccount"], hash_value=sha256("ABCD")),
    tpv("lower-case IFSC", "0000123456789", "abcd0000345", None, result="invalid", flags=["LowerCaseIfsc"], hash_value=SEED_TPV),
    tpv("trailing space in the account number", "0000123456789 ", "ABCD0000345", None, result="invalid", flags=["Whitespace"], hash_value=SEED_TPV),
    tpv("leading space in the IFSC", "0000123456789", " ABCD0000345", None, result="invalid", flags=["Whitespace"], hash_value=SEED_TPV),
    tpv("IFSC of 10 characters", "0000123456789", "ABCD000034", None, result="invalid", flags=["IfscLength"], hash_value=SEED_TPV),
    tpv("IFSC whose fifth character is not 0", "0000123456789", "ABCD1000345", None, result="invalid", flags=["IfscFormat"], hash_value=SEED_TPV),
    tpv("account number with a hyphen", "0000-123456789", "ABCD0000345", None, result="invalid", flags=["AccountNotDigits"], hash_value=SEED_TPV),
]
write("tpv.json", {
    "family": "tpv_payer_account_hash",
    "algorithm": "SHA-256, lower-case hex",
    "source": "seed 003 API Version: V3 > Body Parameters > TPV Params > payerAccountHashes",
    "generatedBy": GEN,
    "notes": {
        "SeedExample": {"description": "the seed's worked example", "rule": None},
        "Derived": {"description": "another account, same rule", "rule": None},
        "LeadingZerosKept": {"description": "leading zeros not removed", "rule": "tpv.hash.mismatch"},
        "WholeIfsc": {"description": "all 11 IFSC characters hashed", "rule": "tpv.hash.mismatch"},
        "IfscDigits": {"description": "the seed's 'first 4 digit' taken literally", "rule": "tpv.hash.mismatch"},
        "TamperedField": {"description": "a hashed input that differs from the rule's", "rule": "tpv.hash.mismatch"},
        "UpperCaseHex": {"description": "the digest in upper-case hex", "rule": "tpv.hash.hex-format"},
        "SeedSampleHash": {"description": "a seed sample value that is not a SHA-256 hex digest", "rule": "tpv.hash.hex-format"},
        "AllZeroAccount": {"description": "nothing left after removing leading zeros", "rule": "tpv.account.all-zero"},
        "LowerCaseIfsc": {"description": "IFSC not upper case", "rule": "tpv.ifsc.uppercase"},
        "Whitespace": {"description": "whitespace in an input", "rule": "tpv.input.whitespace"},
        "IfscLength": {"description": "IFSC not 11 characters", "rule": "tpv.ifsc.length"},
        "IfscFormat": {"description": "IFSC not 4 letters, 0, 6 letters or digits", "rule": "tpv.ifsc.format"},
        "AccountNotDigits": {"description": "account number with a non-digit", "rule": "tpv.account.digits"},
    },
    "tests": number(tpv_cases),
})

# ---------------------------------------------------------------- Merchant Stack JWS


def load_private(name):
    return serialization.load_pem_private_key((KEYS / f"{name}.pem").read_bytes(), password=None)


MERCHANT = load_private("merchant_signing")
WRONG = load_private("wrong_key")
PSP = load_private("psp_response_signing")
MERCHANT_PUB_PEM = (KEYS / "merchant_signing.pub.pem").read_bytes()
KID = "merchant-key-1"
NOW = 1700158230380  # seed 003 sample x-timestamp


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rs256(key, data):
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def ps256(key, data):
    return key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def request_payload(**changes):
    payload = {"merchantRequestId": "ORDMxNameTransaction170357165578", "amount": "2.00",
               "intentRequestExpiryMinutes": "10", "flow": "TRANSACTION", "remarks": "Payment for order",
               "refUrl": "www.xyz.com", "refCategory": "01", "iat": str(NOW), "udfParameters": "{}",
               "payerAccountHashes": [sha256("123456789ABCD")]}
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


def jws(payload_json, header_json=None, key=MERCHANT, alg=rs256):
    header_json = header_json or compact({"alg": "RS256", "kid": KID})
    protected = b64u(header_json.encode())
    payload = b64u(payload_json.encode())
    signature = b64u(alg(key, f"{protected}.{payload}".encode()))
    return {"protected": protected, "payload": payload, "signature": signature}


def jcase(comment, body, result="valid", flags=(), **extra):
    case = {"comment": comment, "jws": body, "result": result, "flags": list(flags)}
    case.update(extra)
    return case


P = compact(request_payload())
GOOD = jws(P)
flipped = bytearray(base64.urlsafe_b64decode(GOOD["signature"] + "=="))
flipped[100] ^= 0x01
HS_HEADER = compact({"alg": "HS256", "kid": KID})
hs_protected = b64u(HS_HEADER.encode())
hs_payload = b64u(P.encode())
hs_sig = b64u(hmac.new(MERCHANT_PUB_PEM, f"{hs_protected}.{hs_payload}".encode(), hashlib.sha256).digest())
none_header = b64u(compact({"alg": "none", "kid": KID}).encode())

jws_cases = [
    jcase("RS256 known answer over the seed 003 V3 request (subset)", GOOD, flags=["KnownAnswer"],
          knownAnswer={"signingKey": "merchant_signing", "kid": KID, "payloadJson": P}),
    jcase("x-timestamp header equal to iat", GOOD, flags=["KnownAnswer"], xTimestamp=str(NOW)),
    jcase("PS256 where the bank is configured for PS256", jws(P, compact({"alg": "PS256", "kid": KID}), alg=ps256),
          flags=["Ps256"], algorithm="PS256"),
    jcase("iat at the window's oldest edge (5 minutes)", jws(compact(request_payload(iat=str(NOW - 300000)))), flags=["WindowEdge"]),
    jcase("no iat where the API version does not require it (V2, V1)", jws(compact(request_payload(iat=None))),
          flags=["IatOptional"], requireIat=False),
    jcase("signed with another merchant's key", jws(P, key=WRONG), result="invalid", flags=["WrongKey"]),
    jcase("payload tampered after signing (amount 2.00 -> 200.00)",
          dict(GOOD, payload=b64u(compact(request_payload(amount="200.00")).encode())), result="invalid", flags=["TamperedPayload"]),
    jcase("protected header tampered after signing (typ added)",
          dict(GOOD, protected=b64u(compact({"alg": "RS256", "kid": KID, "typ": "JOSE"}).encode())), result="invalid", flags=["TamperedHeader"]),
    jcase("one bit of the signature flipped", dict(GOOD, signature=b64u(bytes(flipped))), result="invalid", flags=["BitFlip"]),
    jcase("signature truncated by one byte", dict(GOOD, signature=b64u(base64.urlsafe_b64decode(GOOD["signature"] + "==")[:-1])),
          result="invalid", flags=["BitFlip"]),
    jcase("alg none with an empty signature", {"protected": none_header, "payload": GOOD["payload"], "signature": ""},
          result="invalid", flags=["AlgNone"]),
    jcase("HS256 keyed with the merchant's public key PEM (algorithm confusion)",
          {"protected": hs_protected, "payload": hs_payload, "signature": hs_sig}, result="invalid", flags=["AlgorithmConfusion"]),
    jcase("PS256 while RS256 is configured", jws(P, compact({"alg": "PS256", "kid": KID}), alg=ps256),
          result="invalid", flags=["AlgNotAllowed"]),
    jcase("no kid in the header", jws(P, compact({"alg": "RS256"})), result="invalid", flags=["MissingKid"]),
    jcase("kid no key is registered for", jws(P, compact({"alg": "RS256", "kid": "merchant-key-2"})), result="invalid", flags=["UnknownKid"]),
    jcase("padding on the signature segment", dict(GOOD, signature=GOOD["signature"] + "=="), result="invalid", flags=["Padding"]),
    jcase("standard-base64 characters in the signature segment",
          dict(GOOD, signature=GOOD["signature"].replace("-", "+").replace("_", "/")
               if ("-" in GOOD["signature"] or "_" in GOOD["signature"]) else "+" + GOOD["signature"][1:]),
          result="invalid", flags=["NonBase64UrlChars"]),
    jcase("iat 10 minutes old", jws(compact(request_payload(iat=str(NOW - 600000)))), result="invalid", flags=["StaleTimestamp"]),
    jcase("iat 1 ms past the window's oldest edge", jws(compact(request_payload(iat=str(NOW - 300001)))), result="invalid", flags=["StaleTimestamp"]),
    jcase("iat 10 minutes in the future", jws(compact(request_payload(iat=str(NOW + 600000)))), result="invalid", flags=["StaleTimestamp"]),
    jcase("x-timestamp 10 minutes old", GOOD, result="invalid", flags=["StaleXTimestamp"], xTimestamp=str(NOW - 600000)),
    jcase("x-timestamp in seconds", GOOD, result="invalid", flags=["MalformedXTimestamp"], xTimestamp=str(NOW // 1000)),
    jcase("iat in seconds, not milliseconds", jws(compact(request_payload(iat=str(NOW // 1000)))), result="invalid", flags=["MalformedIat"]),
    jcase("iat as a JSON number", jws(compact(request_payload(iat=NOW))), result="invalid", flags=["MalformedIat"]),
    jcase("no iat where V3 requires it", jws(compact(request_payload(iat=None))), result="invalid", flags=["MissingIat"]),
    jcase("protected header is not JSON", dict(GOOD, protected=b64u(b"alg=RS256;kid=merchant-key-1")), result="invalid", flags=["HeaderNotJson"]),
    jcase("payload is not JSON", jws("merchantRequestId=ORD1&amount=2.00"), result="invalid", flags=["PayloadNotJson"]),
    jcase("unprotected header member added to the body", dict(GOOD, header={"kid": KID}), result="invalid", flags=["BodyShape"]),
    jcase("signature member missing", {"protected": GOOD["protected"], "payload": GOOD["payload"]}, result="invalid", flags=["BodyShape"]),
    jcase("crit header parameter", jws(P, compact({"alg": "RS256", "kid": KID, "crit": ["exp"], "exp": 1}), ), result="invalid", flags=["Crit"]),
]

RESPONSE_BODY = compact({"status": "SUCCESS", "responseCode": "SUCCESS", "responseMessage": "SUCCESS",
                         "payload": {"merchantId": "TEST", "merchantChannelId": "TESTAPP", "merchantRequestId": "ord50894574",
                                     "gatewayTransactionId": "TXNef1a2908395239df56663244f8c7deaa", "orderId": "ord50894574",
                                     "payeeVpa": "merchant@xyz", "payeeName": "John Doe", "payeeMcc": "1520", "amount": "2.00",
                                     "currency": "INR", "flow": "TRANSACTION"}})
RESP_SIG = b64u(rs256(PSP, RESPONSE_BODY.encode()))
resp_flip = bytearray(base64.urlsafe_b64decode(RESP_SIG + "=="))
resp_flip[0] ^= 0x80


def rcase(comment, body, signature, result="valid", flags=()):
    return {"comment": comment, "body": body, "signature": signature, "result": result, "flags": list(flags)}


response_sig_cases = [
    rcase("RS256 known answer over the raw seed 003 V3 response body", RESPONSE_BODY, RESP_SIG, flags=["KnownAnswer"]),
    rcase("body re-serialised with spaces", RESPONSE_BODY.replace(":", ": ", 1), RESP_SIG, result="invalid", flags=["Whitespace"]),
    rcase("body tampered (amount)", RESPONSE_BODY.replace('"2.00"', '"20.00"'), RESP_SIG, result="invalid", flags=["TamperedBody"]),
    rcase("signed with the merchant's key, not the PSP's", RESPONSE_BODY, b64u(rs256(MERCHANT, RESPONSE_BODY.encode())),
          result="invalid", flags=["ResponseWrongKey"]),
    rcase("one bit flipped", RESPONSE_BODY, b64u(bytes(resp_flip)), result="invalid", flags=["ResponseBitFlip"]),
    rcase("standard padded base64", RESPONSE_BODY, base64.b64encode(base64.urlsafe_b64decode(RESP_SIG + "==")).decode(),
          result="invalid", flags=["Encoding"]),
]

write("jws.json", {
    "family": "juspay_merchant_jws",
    "algorithm": "flattened JSON JWS, RS256 (PS256 configurable); x-response-signature RS256 over the raw body",
    "source": "seed 003 API Version: V3 sample request; shared/DOMAIN.md Juspay UPI Merchant Stack signing",
    "generatedBy": GEN,
    "keys": {KID: "merchant_signing"},
    "responseKey": "psp_response_signing",
    "policy": {"algorithm": "RS256", "maxAgeMillis": 300000, "maxSkewMillis": 60000, "nowMillis": NOW, "requireIat": True},
    "notes": {
        "KnownAnswer": {"description": "deterministic RS256 computed with Python cryptography", "rule": None},
        "Ps256": {"description": "RSASSA-PSS SHA-256, 32-byte salt", "rule": None},
        "WindowEdge": {"description": "a timestamp exactly at the window's edge", "rule": None},
        "IatOptional": {"description": "iat absent where the API version does not have it", "rule": None},
        "WrongKey": {"description": "signed with a key other than the kid's", "rule": "juspay.jws.signature"},
        "TamperedPayload": {"description": "payload changed after signing", "rule": "juspay.jws.signature"},
        "TamperedHeader": {"description": "protected header changed after signing", "rule": "juspay.jws.signature"},
        "BitFlip": {"description": "signature bytes altered", "rule": "juspay.jws.signature"},
        "AlgNone": {"description": "alg none", "rule": "juspay.jws.alg-none"},
        "AlgorithmConfusion": {"description": "HMAC with the public key as secret", "rule": "juspay.jws.alg-hmac"},
        "AlgNotAllowed": {"description": "an algorithm other than the configured one", "rule": "juspay.jws.alg-not-allowed"},
        "MissingKid": {"description": "no kid", "rule": "juspay.jws.kid-missing"},
        "UnknownKid": {"description": "kid without a registered key", "rule": "juspay.jws.kid-unknown"},
        "Padding": {"description": "base64 padding on a segment", "rule": "juspay.jws.base64url"},
        "NonBase64UrlChars": {"description": "characters outside base64url", "rule": "juspay.jws.base64url"},
        "StaleTimestamp": {"description": "iat outside the freshness window", "rule": "juspay.jws.iat.stale"},
        "StaleXTimestamp": {"description": "x-timestamp outside the freshness window", "rule": "juspay.jws.x-timestamp.stale"},
        "MalformedXTimestamp": {"description": "x-timestamp not 13 digits", "rule": "juspay.jws.x-timestamp.format"},
        "MalformedIat": {"description": "iat not a 13-digit string", "rule": "juspay.jws.iat.format"},
        "MissingIat": {"description": "iat absent where required", "rule": "juspay.jws.iat.missing"},
        "HeaderNotJson": {"description": "protected header not a JSON object", "rule": "juspay.jws.header.json"},
        "PayloadNotJson": {"description": "payload not a JSON object", "rule": "juspay.jws.payload.json"},
        "BodyShape": {"description": "body not exactly protected/payload/signature", "rule": "juspay.jws.body.shape"},
        "Crit": {"description": "crit header parameter", "rule": "juspay.jws.header.crit"},
        "Whitespace": {"description": "whitespace changed in the signed bytes", "rule": "juspay.response-signature.signature"},
        "TamperedBody": {"description": "response body changed after signing", "rule": "juspay.response-signature.signature"},
        "Encoding": {"description": "not base64url without padding", "rule": "juspay.response-signature.encoding"},
        "ResponseWrongKey": {"description": "response signed with a key other than the PSP's", "rule": "juspay.response-signature.signature"},
        "ResponseBitFlip": {"description": "response signature bytes altered", "rule": "juspay.response-signature.signature"},
    },
    "tests": number(jws_cases),
    "responseSignatureTests": number(response_sig_cases),
})

# ---------------------------------------------------------------- TPAP signaturePayload
SP = compact({"merchant_id": "stock", "customer_id": "abcde12345", "timestamp": "1668389349848"})
SP_PRETTY = json.dumps({"merchant_id": "stock", "customer_id": "abcde12345", "timestamp": "1668389349848"}, indent=2)
SP_SIG = base64.b64encode(rs256(MERCHANT, SP.encode())).decode()
sp_flip = bytearray(base64.b64decode(SP_SIG))
sp_flip[255] ^= 0x01


def scase(comment, payload, signature, result="valid", flags=(), key_id=KID, known=False):
    case = {"comment": comment, "merchantKeyId": key_id, "signaturePayload": payload, "signature": signature,
            "result": result, "flags": list(flags)}
    if known:
        case["knownAnswer"] = True
    return case


sp_cases = [
    scase("seed 002 upiGetSessionToken signaturePayload, compact", SP, SP_SIG, flags=["KnownAnswer"], known=True),
    scase("the same payload pretty-printed, signed as sent", SP_PRETTY, base64.b64encode(rs256(MERCHANT, SP_PRETTY.encode())).decode(),
          flags=["KnownAnswer"], known=True),
    scase("signature of the compact form over the pretty-printed form", SP_PRETTY, SP_SIG, result="invalid", flags=["Whitespace"]),
    scase("one space added after a colon", SP.replace(":", ": ", 1), SP_SIG, result="invalid", flags=["Whitespace"]),
    scase("trailing newline (echo instead of printf)", SP + "\n", SP_SIG, result="invalid", flags=["Whitespace"]),
    scase("members reordered", compact({"customer_id": "abcde12345", "merchant_id": "stock", "timestamp": "1668389349848"}), SP_SIG,
          result="invalid", flags=["Reordered"]),
    scase("tampered customer_id", SP.replace("abcde12345", "abcde12346"), SP_SIG, result="invalid", flags=["TamperedField"]),
    scase("signed with the wrong key", SP, base64.b64encode(rs256(WRONG, SP.encode())).decode(), result="invalid", flags=["WrongKey"]),
    scase("one bit flipped", SP, base64.b64encode(bytes(sp_flip)).decode(), result="invalid", flags=["BitFlip"]),
    scase("merchantKeyId with no registered key", SP, SP_SIG, result="invalid", flags=["UnknownKeyId"], key_id="merchant-key-9"),
    scase("base64url alphabet instead of standard", SP, base64.urlsafe_b64encode(base64.b64decode(SP_SIG)).decode().rstrip("="),
          result="invalid", flags=["Encoding"]),
    scase("padding stripped", SP, SP_SIG.rstrip("=") if SP_SIG.endswith("=") else SP_SIG + "=", result="invalid", flags=["Encoding"]),
    scase("seed 002 placeholder", SP, "<Generated signature for signature payload>", result="invalid", flags=["Encoding"]),
]
write("signature_payload.json", {
    "family": "tpap_signature_payload",
    "algorithm": "RSASSA-PKCS1-v1_5 SHA-256 over the exact signaturePayload bytes, standard base64",
    "source": "seed 002 IN-APP UPI with UI > 1. Get Session Token > Request Payload; shared/DOMAIN.md TPAP SDK signaturePayload",
    "generatedBy": GEN,
    "keys": {KID: "merchant_signing"},
    "notes": {
        "KnownAnswer": {"description": "deterministic RS256 computed with Python cryptography", "rule": None},
        "Whitespace": {"description": "whitespace changed in the signed bytes", "rule": "tpap.signature.signature"},
        "Reordered": {"description": "JSON members reordered: same object, other bytes", "rule": "tpap.signature.signature"},
        "TamperedField": {"description": "a value changed after signing", "rule": "tpap.signature.signature"},
        "WrongKey": {"description": "signed with another key", "rule": "tpap.signature.signature"},
        "BitFlip": {"description": "signature bytes altered", "rule": "tpap.signature.signature"},
        "UnknownKeyId": {"description": "merchantKeyId without a registered key", "rule": "tpap.signature.merchant-key-id-unknown"},
        "Encoding": {"description": "not padded standard base64", "rule": "tpap.signature.encoding"},
    },
    "tests": number(sp_cases),
})
