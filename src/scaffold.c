/*
 * scaffold.c: "boardpack new DIR" writes a small, working, commented
 * example pack to start from (SPEC 2, 3): boardpack.yml, index.md, a
 * helpline service with demand, capacity, backlog, a metric, scenarios
 * and a simulation, a KPI-only survey service, and their CSV data.
 * The data are generated here by a fixed formula and a private LCG, so
 * every run writes the same bytes.  Never overwrites: DIR must be
 * absent or empty, and every file is created with O_EXCL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scaffold.h"
#include "util.h"

enum { NEW_OK = 0, NEW_IO = 1, NEW_USAGE = 2 };

static const char new_usage[] =
"usage: boardpack new DIR\n"
"Writes a small working example pack into DIR (which must not exist or\n"
"must be empty), ready for \"boardpack build DIR -o out\".\n";

static const char pack_yml[] =
"# boardpack.yml: the pack configuration (boardpack SPEC 3.1).\n"
"# Written by \"boardpack new\"; edit freely.  Lines starting with # are\n"
"# comments.\n"
"\n"
"title: Helpline and Client Experience Performance Pack\n"
"organisation: Example Advice Service\n"
"# The pack date (ISO 8601) shown on the cover; no clock time is used.\n"
"date: 2024-12-31\n"
"period_label: December 2024\n"
"# nhs | govuk | any folder under themes/ (or: boardpack build --theme)\n"
"theme: nhs\n"
"author: Performance and Insight Team\n"
"contact: insight@example.org\n"
"\n"
"# Optional cover-sheet fields for the PDF pack, from here down.\n"
"meeting: Quality and Performance Committee\n"
"agenda_item: \"5.1\"\n"
"purpose: Assurance   # Assurance | Information | Discussion | Decision\n"
"presenter: Head of Client Services\n"
"recommendation: >-\n"
"  The Committee is asked to note the report and the rising helpline\n"
"  demand, and to seek assurance on the callback backlog in March.\n"
"key_issues:           # at most five bullets on the cover\n"
"  - Helpline calls rose through the autumn while adviser cover stayed flat.\n"
"  - Client satisfaction is above target since the new survey in April.\n"
"previously_considered: Senior Leadership Team, 2024-12-10\n"
"\n"
"# Used by \"boardpack mail\" (SPEC 6).\n"
"mail:\n"
"  from: insight@example.org\n"
"  subject: \"{{service.title}}: {{pack.period_label}} briefing\"\n";

static const char index_md[] =
"# Executive summary\n"
"\n"
"This is the front page of the pack: write the summary the Board reads\n"
"first here, in Markdown.  The table of every measure (the integrated\n"
"performance report) follows it automatically.\n"
"\n"
"> **Example data.** This pack was written by `boardpack new`.  The\n"
"> figures are synthetic and describe no real service.\n"
"\n"
"## Headline messages\n"
"\n"
"1. **Helpline demand is rising.** Calls grew from about 38 to about 48 a\n"
"   day between July and December, while cover stayed at three advisers\n"
"   on most days, so the callback list is growing.\n"
"2. **Client satisfaction is above target** since the new survey started\n"
"   in April 2024.\n"
"\n"
"## How this pack is made\n"
"\n"
"- `boardpack.yml` holds the title, the date and the cover-sheet fields.\n"
"- Each file in `services/` is one page: YAML front matter saying which\n"
"  CSV columns hold demand, capacity and measures, then commentary.\n"
"- `data/` holds the CSV files the services read.\n"
"- Run `boardpack check` to validate, `boardpack build -o out` to write\n"
"  the site, and `boardpack serve` to preview it while you edit.\n";

static const char helpline_md[] =
"---\n"
"# A full service page: demand, capacity and backlog in adviser\n"
"# minutes, a measure with a target, contingency scenarios and a\n"
"# simulation (SPEC 3.2).  The file name (helpline) is the page's id.\n"
"title: Advice Helpline\n"
"owner: Helpline Manager\n"
"domain: Responsive            # optional grouping in the IPR table\n"
"order: 1                      # services are listed by order, then id\n"
"data: ../data/helpline_daily.csv   # relative to this file\n"
"date_column: date\n"
"period: day                   # hour | day | week | month\n"
"demand:\n"
"  column: calls               # cases arriving each day\n"
"  minutes_per_case: 20        # adviser minutes one call needs\n"
"capacity:\n"
"  column: advisers_on_duty    # or a constant: resources: 3\n"
"  minutes_per_resource: 300   # minutes an adviser spends on calls a day\n"
"backlog:\n"
"  column: waiting             # observed callback list (Fridays only)\n"
"  start: 10                   # callbacks waiting before the first day\n"
"target_wait_days: 2           # callbacks within two days\n"
"metrics:\n"
"  - column: answered_20s_pct\n"
"    label: Calls answered within 20 seconds\n"
"    unit: \"%\"\n"
"    improvement: increase     # increase | decrease | neutral\n"
"    target: 80\n"
"scenarios:                    # compared on the same simulated futures\n"
"  - name: One more adviser (bank staff)\n"
"    capacity_add: 1           # advisers added every day\n"
"    cost_per_period: 150      # pounds a day\n"
"  - name: Web chat takes 10% of calls\n"
"    demand_factor: 0.9\n"
"    cost_per_period: 30\n"
"simulation:\n"
"  horizon: 91                 # days ahead\n"
"  paths: 2000                 # more paths: smoother, slower\n"
"  seed: 1                     # same seed, same results\n"
"---\n"
"## Summary\n"
"\n"
"Calls to the helpline rose steadily from July to December.  Three\n"
"advisers can take about 45 calls a day: the service kept up in the\n"
"summer, but by the autumn Mondays and the days with only two advisers\n"
"on duty were adding to the callback list faster than it was cleared.\n"
"\n"
"A fenced block with the info string `chart` places a chart (SPEC 3.4);\n"
"a page without any gets the default layout of every chart.\n"
"\n"
"```chart\n"
"type: dcb\n"
"caption: Demand, capacity and backlog, adviser minutes per day\n"
"```\n"
"\n"
"## Calls answered within 20 seconds\n"
"\n"
"```chart\n"
"type: spc\n"
"metric: answered_20s_pct\n"
"```\n"
"\n"
"## Weekly pattern\n"
"\n"
"```chart\n"
"type: profile\n"
"caption: Calls by day of the week\n"
"```\n"
"\n"
"## Risk of a backlog crisis, and the options\n"
"\n"
"```chart\n"
"type: fan\n"
"```\n"
"\n"
"```chart\n"
"type: scenarios\n"
"```\n"
"\n"
"| Action | Owner | Due |\n"
"|---|---|---|\n"
"| Add a bank adviser on Mondays | Helpline Manager | 31 January 2025 |\n"
"| Pilot web chat | Digital Lead | 31 March 2025 |\n";

static const char survey_md[] =
"---\n"
"# A KPI page: only metrics, no demand or capacity, so it gets SPC\n"
"# charts and profiles but no flow or simulation (SPEC 3.2).\n"
"title: Client Satisfaction Survey\n"
"owner: Quality Lead\n"
"domain: Caring\n"
"order: 2\n"
"data: ../data/survey_monthly.csv\n"
"period: month                 # dates are YYYY-MM\n"
"metrics:\n"
"  - column: satisfied_pct\n"
"    label: Clients satisfied with the service\n"
"    unit: \"%\"\n"
"    improvement: increase\n"
"    target: 85\n"
"    rebase: [2024-04]         # the new survey starts a new SPC phase\n"
"  - column: complaints\n"
"    label: Complaints received\n"
"    improvement: decrease     # no target: no assurance icon\n"
"---\n"
"Satisfaction rose when the new survey started in April 2024 and has\n"
"stayed above the 85% target since.  Complaints were not counted in\n"
"August 2023 (the cell is empty, so that month is a gap in the chart).\n"
"\n"
"This page has no chart blocks, so it gets the default layout.\n";

/* A private 64-bit LCG (Knuth's MMIX constants): fixed seed, same data
 * on every run and machine; rand() is banned (STYLE). */
static double
lcg_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;	/* [0, 1) */
}

/* helpline_daily.csv: July to December 2024, calls rising from about 38 to
 * about 48 a day with a weekly pattern, three advisers (two on about one day in
 * six), the callback list counted on Fridays, and the 20-second answer
 * rate falling as the advisers get busier. */
static void
gen_helpline(struct buf *b)
{
	static const double wk[7] = { 1.25, 1.1, 1.0, 1.0, 0.95, 0.75,
	    0.7 };
	int64_t		 day, first, last;
	uint64_t	 s = 20240701;
	double		 queue = 10, calls, busy, pct, t;
	char		 date[32];
	int		 advisers;

	first = util_days_from_civil(2024, 7, 1);
	last = util_days_from_civil(2024, 12, 31);
	buf_puts(b, "date,calls,advisers_on_duty,waiting,answered_20s_pct\n");
	for (day = first; day <= last; day++) {
		t = (double)(day - first) / (double)(last - first);
		calls = floor((40 + 10 * t) * wk[util_weekday(day)] +
		    (lcg_next(&s) - 0.5) * 10 + 0.5);
		advisers = lcg_next(&s) < 1.0 / 6 ? 2 : 3;
		queue += calls - advisers * 15.0;	/* 300 / 20 */
		if (queue < 0)
			queue = 0;
		busy = calls / (advisers * 15.0);
		pct = 95 - 25 * (busy > 0.7 ? busy - 0.7 : 0) +
		    (lcg_next(&s) - 0.5) * 6;
		util_date_format(date, sizeof(date), PERIOD_DAY, day);
		buf_printf(b, "%s,%.0f,%d,", date, calls, advisers);
		if (util_weekday(day) == 4)
			buf_printf(b, "%.0f", floor(queue * 0.85 + 0.5));
		buf_printf(b, ",%.1f\n", pct > 99.9 ? 99.9 : pct);
	}
}

/* survey_monthly.csv: January 2023 to December 2024, satisfaction about
 * 82% then about 88% from April 2024, and monthly complaints (one month
 * not counted, left empty). */
static void
gen_survey(struct buf *b)
{
	uint64_t	 s = 20230101;
	double		 sat, comp;
	int		 y, m;

	buf_puts(b, "date,satisfied_pct,complaints\n");
	for (y = 2023; y <= 2024; y++) {
		for (m = 1; m <= 12; m++) {
			sat = (y == 2024 && m >= 4 ? 88.0 : 82.0) +
			    (lcg_next(&s) - 0.5) * 4;
			comp = floor(12 + (lcg_next(&s) - 0.5) * 8 + 0.5);
			buf_printf(b, "%04d-%02d,%.1f,", y, m, sat);
			if (!(y == 2023 && m == 8))
				buf_printf(b, "%.0f", comp);
			buf_putc(b, '\n');
		}
	}
}

/* Creates dir/rel with the bytes, never replacing a file; 0 or -1
 * (reported). */
static int
put_file(const char *dir, const char *rel, const char *data, size_t len)
{
	char	*path, *parent;
	ssize_t	 w;
	size_t	 off = 0;
	int	 fd, rc = 0;

	path = util_path_join(dir, rel);
	parent = util_dirname(path);
	if (util_mkdirs(parent) == -1) {
		fprintf(stderr, "boardpack: %s: cannot create: %s\n", parent,
		    strerror(errno));
		free(parent);
		free(path);
		return -1;
	}
	free(parent);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1) {
		fprintf(stderr, "boardpack: %s: cannot create: %s\n", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1)
		rc = -1;
	if (rc == -1)
		fprintf(stderr, "boardpack: %s: cannot write: %s\n", path,
		    strerror(errno));
	free(path);
	return rc;
}

/* 1 if dir exists and is not an empty directory (reported), 0 if it is
 * absent or empty. */
static int
check_target(const char *dir)
{
	struct stat	 st;
	struct dirent	*e;
	DIR		*d;
	int		 rc = 0;

	if (stat(dir, &st) == -1)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "boardpack: %s exists and is not a directory; "
		    "choose a new directory name\n", dir);
		return 1;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "boardpack: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			rc = 1;
	closedir(d);
	if (rc)
		fprintf(stderr, "boardpack: %s exists and is not empty; "
		    "boardpack new never overwrites, choose a new directory\n",
		    dir);
	return rc;
}

/* Writes the example pack into dir; 0 or -1 (reported). */
static int
write_pack(const char *dir)
{
	struct buf	 b;
	int		 rc = 0;

	rc |= put_file(dir, "boardpack.yml", pack_yml, sizeof(pack_yml) - 1);
	rc |= put_file(dir, "index.md", index_md, sizeof(index_md) - 1);
	rc |= put_file(dir, "services/helpline.md", helpline_md,
	    sizeof(helpline_md) - 1);
	rc |= put_file(dir, "services/survey.md", survey_md,
	    sizeof(survey_md) - 1);
	buf_init(&b);
	gen_helpline(&b);
	rc |= put_file(dir, "data/helpline_daily.csv", b.data, b.len);
	buf_clear(&b);
	buf_init(&b);
	gen_survey(&b);
	rc |= put_file(dir, "data/survey_monthly.csv", b.data, b.len);
	buf_clear(&b);
	return rc ? -1 : 0;
}

int
scaffold_main(int argc, char *argv[])
{
	const char	*dir = NULL;
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(new_usage, stdout);
			return NEW_OK;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "boardpack: unknown option \"%s\"\n%s",
			    argv[i], new_usage);
			return NEW_USAGE;
		}
		if (dir != NULL) {
			fprintf(stderr, "boardpack: unexpected argument "
			    "\"%s\"\n%s", argv[i], new_usage);
			return NEW_USAGE;
		}
		dir = argv[i];
	}
	if (dir == NULL || dir[0] == '\0') {
		fprintf(stderr, "boardpack: new needs a directory\n%s",
		    new_usage);
		return NEW_USAGE;
	}
	if (check_target(dir) != 0)
		return NEW_IO;
	if (util_mkdirs(dir) == -1) {
		fprintf(stderr, "boardpack: %s: cannot create: %s\n", dir,
		    strerror(errno));
		return NEW_IO;
	}
	if (write_pack(dir) == -1)
		return NEW_IO;
	fprintf(stderr, "created a new pack in %s\n"
	    "next steps:\n"
	    "  boardpack check %s            validate it\n"
	    "  boardpack build %s -o out     write the site to out/\n"
	    "  boardpack serve %s            preview it while you edit\n",
	    dir, dir, dir, dir);
	return NEW_OK;
}
