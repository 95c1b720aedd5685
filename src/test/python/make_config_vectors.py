#!/usr/bin/python3
"""Write test vectors for org.mandosjava.config from Python's own code.

Every expected value in the output comes from running the real thing:
  - configparser.ConfigParser (strict, BasicInterpolation), reading real files
    the way /usr/sbin/mandos does (ConfigParser.read on a path);
  - codecs.decode(..., "base64"), exactly the call mandos makes for `secret`;
  - os.path.expandvars / os.path.expanduser for `secfile`;
  - str.isspace, for the whitespace that strip()/split() remove;
  - string_to_delta and Client.config_parser of the installed Mandos server
    (/usr/sbin/mandos, loaded as a module; nothing is re-implemented here).

Usage: make_config_vectors.py OUTPUT.json
Exit status 3 when /usr/sbin/mandos cannot be loaded (run it with the
interpreter mandos itself uses, /usr/bin/python3).
"""

import codecs
import configparser
import datetime
import importlib.machinery
import importlib.util
import json
import os
import sys
import tempfile

MANDOS = "/usr/sbin/mandos"


def load_mandos():
    loader = importlib.machinery.SourceFileLoader("mandos_server", MANDOS)
    spec = importlib.util.spec_from_loader("mandos_server", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def write_temp(text):
    fd, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def error_of(e):
    out = {"type": type(e).__name__}
    if isinstance(e, configparser.MissingSectionHeaderError):
        out["lines"] = [e.lineno]
    elif isinstance(e, configparser.ParsingError):
        out["lines"] = [lineno for lineno, _ in e.errors]
    elif getattr(e, "lineno", None) is not None:
        out["lines"] = [e.lineno]
    if isinstance(e, configparser.InterpolationError):
        out["option"] = e.option
        out["section"] = e.section
    if isinstance(e, configparser.DuplicateOptionError):
        out["option"] = e.option
        out["section"] = e.section
    if isinstance(e, configparser.DuplicateSectionError):
        out["section"] = e.section
    return out


def read_config(text, defaults=None):
    path = write_temp(text)
    try:
        cp = configparser.ConfigParser(defaults)
        cp.read(path)
        return cp
    finally:
        os.unlink(path)


# --- INI syntax: raw values ----------------------------------------------

INI_CASES = [
    ("simple", "[DEFAULT]\na = 1\n[s]\nb = 2\n"),
    ("colon delimiter", "[s]\nkey: value\nother : x = y\n"),
    ("first delimiter wins", "[s]\na:b=c\nd=e:f\n"),
    ("keys lower-cased, values kept", "[Sec]\nMixedCase = MixedValue\nUPPER=X\n"),
    ("section names case-sensitive", "[sec]\na=1\n[Sec]\na=2\n[SEC]\na=3\n"),
    ("lower-case default is a section", "[default]\na=1\n[DEFAULT]\nb=2\n"),
    ("whitespace stripped", "[s]\n   key   =    value with  spaces   \n\tk2\t=\tv2\t\n"),
    ("empty value", "[s]\na =\nb=\nc :\n"),
    ("comments", "# top\n; top2\n[s]\n# c1\n  # indented\n\t; tab\na = 1\n;c\n"),
    ("no inline comments", "[s]\na = b # not a comment\nc = d ; nor this\n"),
    ("continuation", "[s]\na = first\n  second\n\tthird\nb = x\n"),
    ("continuation after empty value", "[s]\na =\n  line1\n  line2\n"),
    ("empty lines inside value kept", "[s]\na = 1\n\n  2\n\n\n  3\nb = 4\n"),
    ("trailing empty lines dropped", "[s]\na = 1\n  2\n\n\n"),
    ("whitespace-only lines inside value", "[s]\na = 1\n   \n  2\n"),
    ("comment inside value dropped", "[s]\na = 1\n  # c\n  2\n# d\n  3\n"),
    ("deeper indent relative to key", "[s]\n  a = 1\n  b = 2\n    c\n"),
    ("continuation needs more indent than key", "[s]\n  a = 1\n  2 = x\n"),
    ("indented key after header", "[s]\n    a = 1\n    b = 2\n"),
    ("indented section header is continuation", "[s]\na = 1\n  [t]\nb = 2\n"),
    ("continuation looks like option", "[s]\na = 1\n  b = 2\n"),
    ("crlf line ends", "[s]\r\na = 1\r\n  2\r\nb = 3\r\n"),
    ("cr line ends", "[s]\ra = 1\r  2\rb = 3\r"),
    ("no final newline", "[s]\na = 1"),
    ("header with trailing junk", "[s] junk\na=1\n"),
    ("header with inner bracket", "[a]b]\nx=1\n"),
    ("header with spaces", "[ spaced name ]\nx=1\n"),
    ("header with delimiter", "[a=b]\nx=1\n"),
    ("DEFAULT twice is merged", "[DEFAULT]\na=1\n[s]\nb=2\n[DEFAULT]\nc=3\n"),
    ("DEFAULT override in section", "[DEFAULT]\na=1\n[s]\na=2\n"),
    ("empty file", ""),
    ("only comments", "# nothing\n\n; here\n"),
    ("unicode", "[s\u00e9]\ncl\u00c9 = v\u00e4l\u00fc\u00e9\n"),
    ("unicode whitespace stripped", "[s]\na =\u00a0value\u00a0\n"),
    ("tab indentation counts as one", "[s]\n\ta = 1\n\t b\n"),
    ("value with percent", "[s]\na = 50%\nb = %(x)s\n"),
    ("key with spaces inside", "[s]\nmy key = v\n"),
    ("equals in value", "[s]\na = b = c\n"),
    ("section without options", "[s]\n[t]\na=1\n"),
    # errors
    ("missing section header", "a = 1\n[s]\n"),
    ("missing header after comments", "# c\n\n  a = 1\n"),
    ("bracket line without name", "[]\n"),
    ("duplicate section", "[s]\na=1\n[t]\n[s]\nb=2\n"),
    ("duplicate option", "[s]\na=1\nb=2\nA=3\n"),
    ("duplicate option in DEFAULT", "[DEFAULT]\na=1\n[DEFAULT]\na=2\n"),
    ("same option in two sections ok", "[s]\na=1\n[t]\na=2\n"),
    ("line without delimiter", "[s]\njunk\na = 1\n"),
    ("several bad lines", "[s]\njunk\na = 1\nmore junk\n"),
    ("empty key", "[s]\n= value\n"),
    ("bad line then duplicate", "[s]\njunk\na=1\na=2\n"),
    ("continuation after bad line", "[s]\na=1\njunk\n  more\n"),
    ("cr splits lines", "[s]\na = 1\r2\n"),
    ("form feed and vertical tab are not line ends", "[s]\na = \x0bx\x0c\n\x0cb = 1\x0b2\n"),
    ("unicode line separators are not line ends", "[s]\na = 1\u20282\x1c3\x854\n"),
    ("no-break space indents a continuation", "[s]\na = 1\n\u00a0b\n"),
    ("byte order mark is not whitespace", "\ufeff[DEFAULT]\na = 1\n"),
    ("empty line between header and indented key", "[s]\n\n  a = 1\n  b = 2\n"),
    ("indented key then shallower key", "[s]\n    a = 1\n  b = 2\n     c\n"),
    ("comment between key and continuation", "[s]\na =\n; note\n  v\n"),
    ("empty lines before first value line", "[s]\na =\n\n\n  v\n"),
    ("value of only empty lines", "[s]\na =\n\n\nb = 1\n"),
    ("blank and whitespace-only lines before the next section",
     "[s]\na = 1\n  2\n\n   \n\u00a0\n\n[t]\nb = 3\n  4\u00a0\t\n\n"),
    ("blank continuation lines after an empty first line", "[s]\na =\n\n  \n[t]\n"),
    ("ASCII separators are whitespace", "[s]\na = 1\x1c\n\x1f  b\n\x1dc = 2\x1e\n\x0b\x0c\n"),
    ("colon in section then option", "[s:t]\nhost: example.org:22\n"),
]

# --- BasicInterpolation, as config.items(section) in clients.conf ----------

INTERP_CASES = [
    ("same section", "[s]\nhost = example\nchecker = ping %(host)s\n"),
    ("from DEFAULT", "[DEFAULT]\nhost = h\n[s]\nc = x %(host)s y\n"),
    ("section overrides DEFAULT in reference",
     "[DEFAULT]\nhost = d\nc = %(host)s\n[s]\nhost = s\n"),
    ("double percent", "[s]\na = 100%%\nb = %%(host)s\n"),
    ("reference name lower-cased", "[s]\nhost = h\nc = %(HOST)s %(Host)s\n"),
    ("nested", "[s]\na = 1\nb = %(a)s2\nc = %(b)s3\n"),
    ("nested percent in referenced value", "[s]\na = 5%%\nb = %(a)s\n"),
    ("referenced value without percent kept", "[s]\na = x\nb = [%(a)s]\n"),
    ("multi-line value referenced", "[s]\na = l1\n  l2\nb = <%(a)s>\n"),
    ("unknown reference", "[s]\nc = %(nosuch)s\n"),
    ("lone percent", "[s]\na = 50%\n"),
    ("percent at end", "[s]\na = x%\n"),
    ("percent space", "[s]\na = 5% off\n"),
    ("bad reference no s", "[s]\na = %(x)d\nx = 1\n"),
    ("bad reference unclosed", "[s]\na = %(x\n"),
    ("empty reference", "[s]\na = %()s\n"),
    ("depth 10 ok",
     "[s]\n" + "".join("v%d = %%(v%d)s\n" % (i, i + 1) for i in range(1, 10))
     + "v10 = end\n"),
    ("depth 11 error",
     "[s]\n" + "".join("v%d = %%(v%d)s\n" % (i, i + 1) for i in range(1, 12))
     + "v12 = end\n"),
    ("self reference", "[s]\na = %(a)s\n"),
    ("mutual reference", "[s]\na = %(b)s\nb = %(a)s\n"),
    ("error in unused option", "[s]\nhost = h\nunused = %(zz)s\n"),
    ("error in DEFAULT affects sections", "[DEFAULT]\nbad = %\n[s]\na = 1\n[t]\nb = 2\n"),
    ("DEFAULT only", "[DEFAULT]\na = 1\nb = %(a)s\n"),
    ("reference with spaces", "[s]\nmy key = v\na = %(my key)s\n"),
    ("reference to DEFAULT from DEFAULT value",
     "[DEFAULT]\nd = %(x)s\n[s]\nx = fromsection\n[t]\nx = other\n"),
    ("order defaults first", "[DEFAULT]\nz = 1\n[s]\na = 2\nz = 3\nb = 4\n"),
    ("lone percent after reference", "[s]\na = 1\nb = %(a)s%\n"),
    ("text right after reference", "[s]\na = 1\nb = %(a)ss\n"),
    ("double close paren", "[s]\na = 1\nb = %(a))s\n"),
    ("reference split over lines", "[s]\nb = 1\na = %(b\n  )s\n"),
    ("percent percent paren", "[s]\na = %%(b)s %%%%\n"),
    ("reference to other section only", "[s]\nx = 1\n[t]\ny = %(x)s\n"),
    ("unicode reference name", "[s]\n\u00e9t\u00e9 = summer\na = %(\u00c9T\u00c9)s\n"),
]

# --- booleans (getboolean) --------------------------------------------------

BOOLEAN_INPUTS = ["1", "yes", "true", "on", "0", "no", "false", "off", "YES", "True",
                  "oN", "FALSE", "Off", "", "2", "y", "n", "enabled", "t", "yes please",
                  "\u0131"]

# --- base64 (codecs.decode(value.encode("utf-8"), "base64")) ---------------

BASE64_INPUTS = [
    "", "aGVsbG8=", "aGVsbG8", "aGVsbA==", "aGVsbA=", "aGVsbA", "aGVs", "aGV", "aG", "a",
    "aGVsbG8\n", "aGVs\nbG8=\n", "  aG Vs\tbG8=  ", "aGVs*bG8=", "aGVs\u00e9bG8=",
    "aGVs\u20acbG8=", "\U0001f600aGVsbG8=", "aGVs\u0141bG8=",
    "aGVsbG8=junk", "aGVsbA==aGVs", "aGVsbA=\n=", "aGVsbA= x =", "aGVsbA=a=",
    "=aGVs", "a=GVs", "aG=Vs", "aGV=s", "====", "aGVsbG8==", "aGVsbG8===",
    "QUJD\nREVG\nR0g=", "-_-_", "+/+/", "YQ==YQ==", "YWI=YWI=", "Y", "YW", "YWJ",
    "YWJj\u00ff", "!!!!",
]

# --- durations (the real string_to_delta) --------------------------------

DURATION_INPUTS = [
    "PT5M", "P1DT3M20S", "P1M", "P1Y", "P1W", "PT0S", "", "PT1H30M", "5m", "5m 30s",
    "1d2h", "10", "P1D2W", "PT1.5S", "p1d", "PT5m", "P", "PT",
    "P1MT1H", "P1YT1H", "P1Y1D", "PT1H1S", "P1Y2M3DT4H5M6S", "P1DT1H", "PT1M1S", "P2W",
    "P0D", "P1Y2M", "P1Y2M3D", "P3DT4H", "PT4H5M", "PT6S", "PT4H5M6S", "P1D", "P2M3D",
    "P1W1D", "PT1H1M1S", "P1DT", "P1DT1H1M1S", "P007D", "PT90S", "P1YM",
    "P1Y2M3DT", "PT1HT1M", " PT5M", "PT5M ", "P-1D", "P+1D", "PT5M5M",
    "1s", "1m", "1h", "1d", "1w", "1y", "1M", "1S", "2w 3d 4h 5m 6s", "  5m   30s  ",
    "5m\t30s", "5m\n30s", "-5m", "+5m", "1_0s", "m", "5", "5 m", "5ms", "0s", "007m",
    "5m PT5M", "PT5M 5m", "1.5m", "\u0665m", "P\u0661D", "5m\u00a030s",
    "99999999999999999999d", "P99999999999999999999D", "999999999d", "1000000000d",
]

# --- secfile path expansion -----------------------------------------------

EXPAND_ENV = {"MJ_A": "alpha", "MJ_EMPTY": "", "MJ_DIR": "/srv/x", "MJ_DOLLAR": "$MJ_A"}
EXPAND_HOME = "/home/mj/"
EXPAND_INPUTS = [
    "plain", "/abs/path", "$MJ_A", "${MJ_A}", "$MJ_A/x", "${MJ_A}x", "$MJ_Ax",
    "$MJ_DIR/$MJ_A", "$MJ_EMPTY/z", "$NO_SUCH_MJ/z", "${NO_SUCH_MJ}/z", "$", "$/x", "${}",
    "${MJ_A", "a$MJ_A$MJ_A", "$MJ_DOLLAR", "$$MJ_A", "${MJ A}", "$MJ_A-b", "$\u00e9",
    "~", "~/secret", "~root/x", "~root", "~no_such_user_mj/x", "x/~", "~~", "$MJ_DIR~",
    "~$MJ_A", "${MJ_DIR}/~",
]

# --- whole clients.conf through the real Client.config_parser ------------

KEY_ID = "f33fcbed11ed5e03073f6a55b86ffe92af0e24c045fb6e3b40547b3dc0c030ed"
FPR = "3e393aeaefb84c7e89e2f547b3a107558fca3a27"

CLIENT_CASES = [
    ("keygen style section",
     "[foo]\nkey_id = " + KEY_ID + "\nfingerprint = " + FPR + "\nsecret =\n"
     "        aGVsbG8gd29y\n        bGQ=\nhost = foo.example.org\n"),
    ("all options",
     "[DEFAULT]\ntimeout = 1h\ninterval = PT10M\n"
     "[c1]\nfingerprint = ab cd\nkey_id = ab cd ef\nsecret = c2VjcmV0\n"
     "host = 192.0.2.1\nchecker = ssh %%(host)s -p %(port)s\nport = 22\n"
     "extended_timeout = P1D\napproval_delay = 30s\napproval_duration = PT2S\n"
     "approved_by_default = no\nenabled = off\nssh_fingerprint = x %(host)s\n"
     "[c2]\nfingerprint = 01\nsecret = MTIz\n"),
    ("sections in file order",
     "[zeta]\nfingerprint=1\nsecret=YQ==\n[alpha]\nfingerprint=2\nsecret=Yg==\n"
     "[mid]\nfingerprint=3\nsecret=Yw==\n"),
    ("DEFAULT checker override",
     "[DEFAULT]\nchecker = ping -c1 %%(host)s\n[a]\nfingerprint=1\nsecret=YQ==\n"),
    ("secret in DEFAULT", "[DEFAULT]\nsecret = YQ==\n[a]\nfingerprint=1\n"),
    ("empty secret", "[a]\nfingerprint=1\nsecret =\n"),
    ("no clients", "[DEFAULT]\ntimeout = 1m\n"),
    ("bad duration", "[a]\nfingerprint=1\nsecret=YQ==\ntimeout = 5 minutes\n"),
    ("bad boolean", "[a]\nfingerprint=1\nsecret=YQ==\nenabled = maybe\n"),
    ("bad base64", "[a]\nfingerprint=1\nsecret=YWJjZ\n"),
    ("no secret", "[a]\nfingerprint=1\n"),
    ("interpolation error", "[a]\nfingerprint=1\nsecret=YQ==\nchecker = fping %(hots)s\n"),
    ("runtime expansion must be escaped", "[a]\nfingerprint=1\nsecret=YQ==\n"
     "checker = fping %(host)s\nhost = h1\n"),
    ("link-local host: a lone % in the checker after interpolation",
     "[a]\nfingerprint=1\nsecret=YQ==\nhost = fe80::1%%eth0\nchecker = fping -q -- %(host)s\n"
     "[b]\nfingerprint=2\nsecret=Yg==\n"),
    ("unknown runtime attribute in one client's checker",
     "[a]\nfingerprint=1\nsecret=YQ==\nchecker = fping -q -- %%(hots)s\n"
     "[b]\nfingerprint=2\nsecret=Yg==\n"),
    ("upper-case option names", "[a]\nFingerPrint = aa bb\nSECRET = YQ==\nHost = H\n"),
    ("multi-line checker in DEFAULT", "[DEFAULT]\nchecker = a\n  b %%(host)s\n"
     "[a]\nfingerprint = 1\nsecret = YQ==\n"),
    ("key_id with unicode upper-casing", "[a]\nfingerprint = \u00df x\nkey_id = ab\u00dfcd\nsecret = YQ==\n"),
    ("key expiry options of mandos-java (the original ignores them)",
     "[DEFAULT]\nkey_expiry_warning = 30d\n[a]\nfingerprint=1\nsecret=YQ==\n"
     "key_expires = 2027-06-30T00:00:00Z\n[b]\nfingerprint=2\nsecret=Yg==\nkey_expires = 2027-06-30\n"
     "key_expiry_warning = P1W\n"),
    ("legacy and unicode durations", "[a]\nfingerprint=1\nsecret=YQ==\ntimeout = 1w 2d\n"
     "interval = \u0661\u0662m\napproval_delay = P\u0663D\n"),
]


def ini_vector(name, text):
    try:
        cp = read_config(text)
    except Exception as e:
        return {"name": name, "input": text, "error": error_of(e)}
    return {"name": name, "input": text,
            "defaults": [[k, v] for k, v in cp.defaults().items()],
            "sections": [{"name": s, "options": [[k, v] for k, v in cp._sections[s].items()]}
                         for s in cp.sections()]}


def interp_vector(name, text):
    cp = read_config(text)
    results = []
    for s in [cp.default_section] + cp.sections():
        try:
            results.append({"section": s, "items": [[k, v] for k, v in cp.items(s)]})
        except Exception as e:
            results.append({"section": s, "error": error_of(e)})
    return {"name": name, "input": text, "sections": results}


def boolean_vector(text):
    cp = configparser.ConfigParser()
    cp.read_dict({"s": {"v": text}})
    try:
        return {"input": text, "value": cp.getboolean("s", "v")}
    except ValueError:
        return {"input": text, "error": "ValueError"}


def base64_vector(text):
    try:
        data = codecs.decode(text.encode("utf-8"), "base64")
        return {"input": text, "hex": data.hex()}
    except Exception as e:
        return {"input": text, "error": type(e).__name__}


def micros(delta):
    return delta // datetime.timedelta(microseconds=1)


def duration_vector(mandos, text):
    try:
        return {"input": text, "micros": micros(mandos.string_to_delta(text))}
    except Exception as e:
        return {"input": text, "error": type(e).__name__}


def expand_vectors():
    saved = dict(os.environ)
    try:
        os.environ.update(EXPAND_ENV)
        os.environ["HOME"] = EXPAND_HOME
        return {"env": EXPAND_ENV, "home": EXPAND_HOME,
                "cases": [{"input": p,
                           "expandvars": os.path.expandvars(p),
                           "secfile": os.path.expanduser(os.path.expandvars(p))}
                          for p in EXPAND_INPUTS]}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def client_vector(mandos, name, text):
    try:
        cp = read_config(text, mandos.Client.client_defaults)
        settings = mandos.Client.config_parser(cp)
    except Exception as e:
        return {"name": name, "input": text, "error": error_of(e)}
    clients = []
    for section in cp.sections():
        c = settings[section]
        options = dict(cp.items(section))
        options.pop("secret", None)
        clients.append({
            "name": section,
            "key_id": c["key_id"], "fingerprint": c["fingerprint"],
            "secret_hex": c["secret"].hex(), "host": c["host"],
            "checker": c["checker_command"],
            "timeout": micros(c["timeout"]),
            "extended_timeout": micros(c["extended_timeout"]),
            "interval": micros(c["interval"]),
            "approval_delay": micros(c["approval_delay"]),
            "approval_duration": micros(c["approval_duration"]),
            "approved_by_default": c["approved_by_default"],
            "enabled": c["enabled"],
            "options": sorted([k, v] for k, v in options.items()),
        })
    return {"name": name, "input": text, "clients": clients}


def main(argv):
    if len(argv) != 2:
        print("usage: make_config_vectors.py OUTPUT.json", file=sys.stderr)
        return 2
    try:
        mandos = load_mandos()
    except Exception as e:
        print("cannot load %s: %s: %s" % (MANDOS, type(e).__name__, e), file=sys.stderr)
        return 3
    vectors = {
        "comment": "Generated by src/test/python/make_config_vectors.py; do not edit.",
        "python": "%d.%d" % sys.version_info[:2],
        "python_space": [c for c in range(sys.maxunicode + 1) if chr(c).isspace()],
        "ini": [ini_vector(n, t) for n, t in INI_CASES],
        "interpolation": [interp_vector(n, t) for n, t in INTERP_CASES],
        "booleans": [boolean_vector(t) for t in BOOLEAN_INPUTS],
        "base64": [base64_vector(t) for t in BASE64_INPUTS],
        "durations": [duration_vector(mandos, t) for t in DURATION_INPUTS],
        "expand": expand_vectors(),
        "clients": [client_vector(mandos, n, t) for n, t in CLIENT_CASES],
    }
    with open(argv[1], "w", encoding="ascii") as f:
        json.dump(vectors, f, indent=1, ensure_ascii=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
