#!/usr/bin/env python3
"""Generate tests/unit/spc_vectors.h from spc_upstream_vectors.json.

Usage: python3 tests/unit/gen_spc_vectors.py \
           [/work/shared/reference/spc_upstream_vectors.json] \
           > tests/unit/spc_vectors.h

The vectors were taken from the NHSRplotthedots and qicharts2 test suites
and vignettes (see each case's "source").  The output is committed, so the
build never needs Python; rerun this only when the vectors change.
Standard library only.
"""
import json
import sys

DEFAULT = "/work/shared/reference/spc_upstream_vectors.json"
IMP = {"increase": "IMPROVE_INCREASE", "decrease": "IMPROVE_DECREASE",
       "neutral": "IMPROVE_NEUTRAL"}


def cstr(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def num(x):
    if x is None:
        return "NAN"
    return repr(float(x))


class Out:
    def __init__(self):
        self.lines = []
        self.count = 0

    def arr(self, ctype, items, fmt):
        """Emits a static array and returns its name (NULL if empty)."""
        if not items:
            return "NULL"
        self.count += 1
        name = "v%d" % self.count
        body = ", ".join(fmt(x) for x in items)
        self.lines.append("static const %s %s[] = {%s};" % (ctype, name, body))
        return name


def boolint(x):
    return "1" if x else "0"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    o = Out()
    xmr, helpers, assur, anh, lim = [], [], [], [], None
    for c in data["cases"]:
        kind, inp, exp = c["kind"], c["input"], c["expected"]
        if kind == "xmr":
            v = inp["values"]
            sc = exp["special_cause"]
            an = exp["anhoej"]
            fields = [
                cstr(c["name"]), str(len(v)),
                o.arr("double", v, num),
                IMP[inp["improvement"]],
                boolint(inp["target"] is not None), num(inp["target"]),
                o.arr("int64_t", inp["rebase_at"], str),
                str(len(inp["rebase_at"])),
                str(inp["fix_after_n"] or 0),
                boolint(inp["screen_outliers"]),
                o.arr("size_t", exp["group"], str),
                o.arr("double", exp["mean"], num),
                o.arr("double", exp["lpl"], num),
                o.arr("double", exp["upl"], num),
                o.arr("double", exp["nlpl"], num),
                o.arr("double", exp["nupl"], num),
                o.arr("double", exp["amr"], num),
                o.arr("double", exp["moving_range"], num),
                o.arr("int", exp["mr_in_amr"], boolint),
                o.arr("int", exp["relative_to_mean"], str),
                o.arr("int", exp["outside_limits"], boolint),
                o.arr("int", exp["close_to_limits"], boolint),
                o.arr("int", sc["outside_limits"], boolint),
                o.arr("int", sc["run"], boolint),
                o.arr("int", sc["trend"], boolint),
                o.arr("int", sc["two_of_three"], boolint),
                o.arr("char *const", exp["special_cause_type"], cstr),
                o.arr("char *const", exp["point_type"], cstr),
                cstr(exp["variation"]), cstr(exp["variation_icon"]),
                cstr(exp["assurance"]),
                boolint(exp["groups"][-1]["trial_limits"]),
                num(an["centre"]), str(an["n_useful"]),
                str(an["longest_run"]), str(an["longest_run_max"]),
                str(an["n_crossings"]), str(an["n_crossings_min"]),
                boolint(an["runs_signal"]),
            ]
            xmr.append("\t{" + ", ".join(fields) + "}")
        elif kind == "helper" and inp["helper"] == "assurance_type":
            lpl, upl, target, imp = inp["args"]
            assur.append("\t{%s, %s, %s, %s, %s, %s, %s}" % (
                cstr(c["name"]), num(lpl), num(upl),
                boolint(target is not None), num(target), IMP[imp],
                cstr(exp["result"])))
        elif kind == "helper":
            args = inp["args"]
            n = len(args[0])
            a = b = "NULL"
            y = "NULL"
            if inp["helper"] == "seven_point_trend":
                y = o.arr("double", args[0], num)
            else:
                a = o.arr("int", args[0], str)
                if len(args) > 1:
                    b = o.arr("int", args[1], str)
            res = o.arr("int", exp["result"], str)
            helpers.append("\t{%s, %s, %d, %s, %s, %s, %s}" % (
                cstr(c["name"]), cstr(inp["helper"]), n, a, b, y, res))
        elif kind == "anhoej":
            v = inp["values"]
            centre = inp.get("centre")
            anh.append("\t{%s, %d, %s, %s, %s, %s, %s, %s, %s, %s, %s}" % (
                cstr(c["name"]), len(v), o.arr("double", v, num),
                boolint(centre == "mean"), num(exp["centre"]),
                str(exp["n_useful"]), str(exp["longest_run"]),
                str(exp["longest_run_max"]), str(exp["n_crossings"]),
                str(exp["n_crossings_min"]), boolint(exp["runs_signal"])))
        elif kind == "anhoej_limits":
            lim = (o.arr("size_t", inp["n"], str),
                   o.arr("size_t", exp["longest_run_max"], str),
                   o.arr("size_t", exp["n_crossings_min"], str),
                   len(inp["n"]))
        else:
            sys.exit("unknown kind " + kind)

    w = sys.stdout.write
    w("/* Generated by tests/unit/gen_spc_vectors.py from\n"
      " * shared/reference/spc_upstream_vectors.json; do not edit.\n"
      " * Upstream vectors of NHSRplotthedots and qicharts2. */\n"
      "#ifndef SPC_VECTORS_H\n#define SPC_VECTORS_H\n\n"
      "#include <math.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
      "#include <stdint.h>\n\n#include \"model.h\"\n\n")
    w("""struct xmr_vec {
	const char	*name;
	size_t		 n;
	const double	*values;
	enum improvement improvement;
	int		 has_target;
	double		 target;
	const int64_t	*rebase;
	size_t		 nrebase;
	size_t		 fix_after;
	int		 screen;
	const size_t	*group;
	const double	*mean, *lpl, *upl, *nlpl, *nupl, *amr, *mr;
	const int	*mr_in_amr, *rel, *outside, *close;
	const int	*sc_outside, *sc_run, *sc_trend, *sc_two;
	const char *const *sct, *const *pt;
	const char	*variation_type, *variation, *assurance;
	int		 trial_limits;
	double		 centre;
	size_t		 n_useful, longest_run, longest_run_max;
	size_t		 n_crossings, n_crossings_min;
	int		 signal;
};

struct helper_vec {
	const char	*name;
	const char	*helper;
	size_t		 n;
	const int	*a, *b;
	const double	*y;
	const int	*result;
};

struct assurance_vec {
	const char	*name;
	double		 lpl, upl;
	int		 has_target;
	double		 target;
	enum improvement improvement;
	const char	*result;
};

struct anhoej_vec {
	const char	*name;
	size_t		 n;
	const double	*values;
	int		 centre_is_mean;
	double		 centre;
	size_t		 n_useful, longest_run, longest_run_max;
	size_t		 n_crossings, n_crossings_min;
	int		 signal;
};

""")
    for line in o.lines:
        w(line + "\n")
    w("\nstatic const struct xmr_vec xmr_vecs[] = {\n")
    w(",\n".join(xmr) + "\n};\n\n")
    w("static const struct helper_vec helper_vecs[] = {\n")
    w(",\n".join(helpers) + "\n};\n\n")
    w("static const struct assurance_vec assurance_vecs[] = {\n")
    w(",\n".join(assur) + "\n};\n\n")
    w("static const struct anhoej_vec anhoej_vecs[] = {\n")
    w(",\n".join(anh) + "\n};\n\n")
    w("static const size_t *const limits_n = %s;\n" % lim[0])
    w("static const size_t *const limits_longest_run_max = %s;\n" % lim[1])
    w("static const size_t *const limits_n_crossings_min = %s;\n" % lim[2])
    w("#define LIMITS_N %d\n\n#endif /* !SPC_VECTORS_H */\n" % lim[3])


if __name__ == "__main__":
    main()
