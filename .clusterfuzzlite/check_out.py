#!/usr/bin/env python3
"""Checks the $OUT directory .clusterfuzzlite/build.sh fills, as ClusterFuzzLite will use it.

Per fuzz target T (the names `cargo fuzz list` prints):
  - T is an executable ELF built with libFuzzer (LLVMFuzzerTestOneInput), AddressSanitizer
    (__asan_report_*) and coverage instrumentation (__sanitizer_cov_*), and it runs: the binary
    executes its whole unzipped seed corpus once (-runs=0; libFuzzer must find every seed) with
    its .options flags and dictionary, prints INITED, exits 0, and accepts every flag (no
    "unrecognized flag");
  - T.dict exists and libFuzzer loads exactly as many entries as this script parses from it;
  - T.options is INI with a [libfuzzer] section; a `dict` it names exists in $OUT;
  - T_seed_corpus.zip exists when fuzz/seeds/T/ does, is a valid zip and holds exactly those
    files, byte for byte;
  - nothing else is in $OUT but llvm-symbolizer.
--self-test then breaks a copy of $OUT in one way at a time and requires each to be caught.
Exit 0 when everything holds, 1 otherwise (each failure printed with the file it concerns).
"""

import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SANITIZER_SECTIONS = {"libfuzzer", "asan", "msan", "ubsan", "afl", "honggfuzz"}
# A libFuzzer dictionary line: optional name, '=', a double-quoted string with \\, \" and \xAB.
DICT_LINE = re.compile(r'^([A-Za-z0-9_]*=)?"((?:[^"\\]|\\\\|\\"|\\x[0-9A-Fa-f]{2})*)"$')


def dict_entries(path: Path) -> tuple[int, list[str]]:
    """Counts a dictionary's entries and returns its malformed lines."""
    count, bad = 0, []
    for n, raw in enumerate(path.read_bytes().decode("latin-1").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if DICT_LINE.match(line):
            count += 1
        else:
            bad.append(f"line {n}: {raw!r}")
    return count, bad


def check_binary(out: Path, t: str, seeds: Path | None, errors: list[str]) -> None:
    binary = out / t
    if not binary.is_file():
        errors.append(f"{t}: no binary {binary}")
        return
    if not os.access(binary, os.X_OK):
        errors.append(f"{t}: {binary} is not executable")
    data = binary.read_bytes()
    if not data.startswith(b"\x7fELF"):
        errors.append(f"{t}: {binary} is not an ELF executable")
        return
    for marker, what in [
        (b"LLVMFuzzerTestOneInput", "libFuzzer entry point"),
        (b"__asan_report_", "AddressSanitizer instrumentation"),
        (b"__sanitizer_cov_", "coverage instrumentation"),
    ]:
        if marker not in data:
            errors.append(f"{t}: no {what} ({marker.decode()}) in {binary}")
    args = [str(binary), "-runs=0"]
    options = out / f"{t}.options"
    if options.is_file():
        cfg = configparser.ConfigParser()
        try:
            cfg.read(options)
        except configparser.Error:
            pass  # reported by check_options
        if cfg.has_section("libfuzzer"):
            for key, value in cfg.items("libfuzzer"):
                if key == "dict":
                    value = str(out / value)
                args.append(f"-{key}={value}")
    with tempfile.TemporaryDirectory() as corpus:
        zip_path = out / f"{t}_seed_corpus.zip"
        if zip_path.is_file():
            try:
                with zipfile.ZipFile(zip_path) as z:
                    z.extractall(corpus)
            except (zipfile.BadZipFile, OSError):
                pass  # reported by check_seed_zip
        args.append(corpus)
        try:
            run = subprocess.run(args, capture_output=True, timeout=120, cwd=corpus)
        except (OSError, subprocess.TimeoutExpired) as e:
            errors.append(f"{t}: running {binary} failed: {e}")
            return
    log = run.stderr.decode("utf-8", "replace")
    if run.returncode != 0:
        tail = "\n    ".join(log.splitlines()[-8:])
        errors.append(f"{t}: `{' '.join(args[:-1])} <seeds>` exited {run.returncode}:\n    {tail}")
        return
    if "INITED" not in log:
        errors.append(f"{t}: the binary ran but libFuzzer never printed INITED")
    for flag in re.findall(r"unrecognized flag '([^']*)'", log):
        errors.append(f"{t}: libFuzzer does not know the flag {flag} (from {t}.options)")
    dict_file = out / f"{t}.dict"
    if dict_file.is_file():
        loaded = re.search(r"Dictionary: (\d+) entries", log)
        expected, _ = dict_entries(dict_file)
        if loaded is None:
            errors.append(f"{t}: libFuzzer loaded no dictionary (is `dict` in {t}.options?)")
        elif int(loaded.group(1)) != expected:
            errors.append(
                f"{t}: libFuzzer loaded {loaded.group(1)} dictionary entries, {t}.dict has {expected}"
            )
    if seeds is not None and seeds.is_dir():
        n_seeds = sum(1 for p in seeds.iterdir() if p.is_file())
        found = re.search(r"(\d+) files found in", log) or re.search(r"READ units: (\d+)", log)
        if n_seeds and (found is None or int(found.group(1)) != n_seeds):
            got = found.group(1) if found else "none"
            errors.append(f"{t}: libFuzzer found {got} of the {n_seeds} seeds in the corpus zip")


def check_dict(out: Path, t: str, errors: list[str]) -> None:
    path = out / f"{t}.dict"
    if not path.is_file():
        errors.append(f"{t}: no dictionary {path}")
        return
    count, bad = dict_entries(path)
    for b in bad:
        errors.append(f"{t}: {path.name} {b} is not a libFuzzer dictionary entry")
    if count == 0:
        errors.append(f"{t}: {path.name} has no entries")


def check_options(out: Path, t: str, errors: list[str]) -> None:
    path = out / f"{t}.options"
    if not path.is_file():
        errors.append(f"{t}: no options file {path}")
        return
    cfg = configparser.ConfigParser()
    try:
        cfg.read(path)
    except configparser.Error as e:
        errors.append(f"{t}: {path.name} is not INI: {e}")
        return
    if not cfg.has_section("libfuzzer"):
        errors.append(f"{t}: {path.name} has no [libfuzzer] section")
    for section in cfg.sections():
        if section not in SANITIZER_SECTIONS:
            errors.append(f"{t}: {path.name} has an unknown section [{section}]")
    if cfg.has_option("libfuzzer", "dict"):
        named = out / cfg.get("libfuzzer", "dict")
        if not named.is_file():
            errors.append(f"{t}: {path.name} names {named.name}, which is not in $OUT")


def check_seed_zip(out: Path, t: str, seeds: Path, errors: list[str]) -> None:
    if not seeds.is_dir():
        return
    path = out / f"{t}_seed_corpus.zip"
    if not path.is_file():
        errors.append(f"{t}: {seeds} exists but {path.name} does not")
        return
    expected = {p.name: p.read_bytes() for p in seeds.iterdir() if p.is_file()}
    try:
        with zipfile.ZipFile(path) as z:
            broken = z.testzip()
            if broken is not None:
                errors.append(f"{t}: {path.name}: CRC error in {broken}")
                return
            got = {n: z.read(n) for n in z.namelist()}
    except (zipfile.BadZipFile, OSError) as e:
        errors.append(f"{t}: {path.name} is not a valid zip: {e}")
        return
    for name in sorted(expected.keys() - got.keys()):
        errors.append(f"{t}: {path.name} lacks the seed {name}")
    for name in sorted(got.keys() - expected.keys()):
        errors.append(f"{t}: {path.name} holds {name}, which is not in {seeds}")
    for name in sorted(expected.keys() & got.keys()):
        if expected[name] != got[name]:
            errors.append(f"{t}: {path.name}: {name} differs from {seeds / name}")


def check(out: Path, fuzz_dir: Path, targets: list[str]) -> list[str]:
    errors: list[str] = []
    if not out.is_dir():
        return [f"$OUT {out} does not exist"]
    allowed = {"llvm-symbolizer"}
    for t in targets:
        allowed |= {t, f"{t}.dict", f"{t}.options", f"{t}_seed_corpus.zip"}
        seeds = fuzz_dir / "seeds" / t
        check_dict(out, t, errors)
        check_options(out, t, errors)
        check_seed_zip(out, t, seeds, errors)
        check_binary(out, t, seeds, errors)
    for extra in sorted(p.name for p in out.iterdir() if p.name not in allowed):
        errors.append(f"$OUT holds {extra}, which is no fuzz target's file")
    return errors


def self_test(out: Path, fuzz_dir: Path, targets: list[str]) -> int:
    """Breaks a copy of $OUT one way at a time; each must make check() report that breakage."""
    t = targets[0]
    zipped = next((x for x in targets if (out / f"{x}_seed_corpus.zip").is_file()), t)

    def remove(name):
        return lambda d: (d / name).unlink()

    def write(name, text):
        return lambda d: (d / name).write_text(text)

    def drop_one_seed(d):
        src = d / f"{zipped}_seed_corpus.zip"
        with zipfile.ZipFile(src) as z:
            items = [(n, z.read(n)) for n in z.namelist()]
        with zipfile.ZipFile(src, "w") as z:
            for n, b in items[1:]:
                z.writestr(n, b)

    def not_a_fuzzer(d):
        shutil.copy(shutil.which("true") or "/bin/true", d / t)

    def truncate_zip(d):
        p = d / f"{zipped}_seed_corpus.zip"
        p.write_bytes(p.read_bytes()[:40])

    def uninstrumented_copy(d):
        # A binary whose instrumentation markers are gone (as a build without the sanitizer).
        p = d / t
        p.write_bytes(p.read_bytes().replace(b"__asan_report_", b"__nosan_report"))

    mutants = [
        ("a target's binary is missing", remove(t), f"{t}: no binary"),
        ("a target's binary is no libFuzzer binary", not_a_fuzzer, "libFuzzer entry point"),
        ("a binary without ASan instrumentation", uninstrumented_copy, "AddressSanitizer"),
        ("a stray file in $OUT", write("stray_target", "x"), "stray_target"),
        ("a truncated seed zip", truncate_zip, "not a valid zip"),
        ("a seed zip lacking a seed", drop_one_seed, "lacks the seed"),
        ("a malformed dictionary line", write(f"{t}.dict", 'ok="a"\nbroken line\n'), "not a libFuzzer dictionary entry"),
        ("a dictionary missing", remove(f"{t}.dict"), "no dictionary"),
        ("options naming a missing dict", write(f"{t}.options", "[libfuzzer]\ndict = gone.dict\n"), "names gone.dict"),
        ("options with an unknown libFuzzer flag", write(f"{t}.options", f"[libfuzzer]\ndict = {t}.dict\nno_such_flag = 1\n"), "does not know the flag"),
        ("options without [libfuzzer]", write(f"{t}.options", "[asan]\ndetect_leaks = 0\n"), "no [libfuzzer] section"),
        ("options missing", remove(f"{t}.options"), "no options file"),
    ]
    caught = 0
    for what, mutate, expect in mutants:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "out"
            shutil.copytree(out, copy, symlinks=True)
            mutate(copy)
            errors = check(copy, fuzz_dir, [t] if t == zipped else [t, zipped])
        hit = [e for e in errors if expect in e]
        print(f"  {'caught' if hit else 'MISSED'}: {what}" + (f" -> {hit[0].splitlines()[0]}" if hit else ""))
        caught += bool(hit)
    print(f"self-test: {caught}/{len(mutants)} broken $OUT copies caught")
    return 0 if caught == len(mutants) else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--fuzz-dir", type=Path, default=Path("fuzz"))
    ap.add_argument("--targets", nargs="+", required=True)
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    errors = check(a.out, a.fuzz_dir, a.targets)
    for e in errors:
        print(f"FAIL {e}")
    files = sorted(p.name for p in a.out.iterdir()) if a.out.is_dir() else []
    print(f"$OUT {a.out}: {len(a.targets)} targets, {len(files)} files, {len(errors)} problems")
    status = 1 if errors else 0
    if a.self_test and not errors:
        status = self_test(a.out, a.fuzz_dir, a.targets)
    return status


if __name__ == "__main__":
    sys.exit(main())
