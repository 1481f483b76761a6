/* SPDX-License-Identifier: MIT */
/*
 * Unit tests (Check) for pattern.c and glob.c: expected results recorded
 * from dash 0.5.12 (LANG=C), plus run-time comparisons with /bin/dash over
 * random patterns and subjects, and random globs in a fixture tree.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "expand/pattern.h"

/* case SUBJECT in PATTERN) in dash, the pattern unquoted from a variable */
static const struct {
	const char *pat, *s;
	int match;
} matches[] = {
	{"*", "", 1},
	{"*", "abc", 1},
	{"?", "", 0},
	{"?", "a", 1},
	{"??", "\303\251", 1},
	{"a*", "a", 1},
	{"a*", "ba", 0},
	{"*a", "ba", 1},
	{"*a*", "xay", 1},
	{"\\*", "a", 0},
	{"\\*", "*", 1},
	{"\\\\", "\\", 1},
	{"\\", "\\", 1},
	{"a\\", "a\\", 1},
	{"a\\", "a", 0},
	{"*\\", "ab\\", 1},
	{"[a", "[a", 1},
	{"[a", "a", 0},
	{"[]a]", "]", 1},
	{"[]a]", "a", 1},
	{"[!]a]", "b", 1},
	{"[!]a]", "]", 0},
	{"[^a]", "b", 0},
	{"[^a]", "a", 1},
	{"[^a]", "^", 1},
	{"[!a]", "a", 0},
	{"[!a]", "b", 1},
	{"[a-]", "-", 1},
	{"[-a]", "-", 1},
	{"[z-a]", "m", 0},
	{"[a-z]", "m", 1},
	{"[a-z]", "A", 0},
	{"[[:alpha:]]", "x", 1},
	{"[[:alpha:]]", "1", 0},
	{"[[:alnum:]]", "1", 1},
	{"[[:blank:]]", " ", 1},
	{"[[:digit:]]", "5", 1},
	{"[[:graph:]]", "~", 1},
	{"[[:graph:]]", " ", 0},
	{"[[:lower:]]", "a", 1},
	{"[[:lower:]]", "A", 0},
	{"[[:print:]]", " ", 1},
	{"[[:punct:]]", "_", 1},
	{"[[:punct:]]", "a", 0},
	{"[[:space:]]", " ", 1},
	{"[[:upper:]]", "Q", 1},
	{"[[:xdigit:]]", "f", 1},
	{"[[:xdigit:]]", "g", 0},
	{"[![:alpha:]]", "1", 1},
	{"[[:foo:]]", "f", 0},
	{"[[:foo:]]", "f]", 1},
	{"[[:alpha:]", "a", 0},
	{"[[:alpha:]", "[a", 1},
	{"[[:alpha:]", "[:", 1},
	{"[[:alpha:]x", "[ax", 1},
	{"[[:alpha:]x]", "x", 1},
	{"[[:alpha:]x]", "a", 1},
	{"[[:alpha:][:digit:]]", "5", 1},
	{"[a-[:digit:]]", "5", 0},
	{"[[:digit:]-z]", "-", 1},
	{"[[:digit:]-z]", "q", 0},
	{"[[:alpha:]-]", "-", 1},
	{"[[-a]", "_", 1},
	{"[[-a]", "[", 1},
	{"[[.a.]]", "a", 0},
	{"[[=a=]]", "a", 0},
	{"[\\]]", "]", 1},
	{"[\\]", "[]", 1},
	{"[\\]", "\\", 0},
	{"[a\\]b]", "]", 1},
	{"[a\\-z]", "m", 0},
	{"[a\\-z]", "-", 1},
	{"[a-\\z]", "m", 1},
	{"[\\a-z]", "m", 1},
	{"[a-\\]", "[a-]", 1},
	{"[a-\\]]", "b", 0},
	{"[]-a]", "^", 1},
	{"a[", "a[", 1},
	{"[", "[", 1},
	{"[!", "[!", 1},
	{"[!", "!", 0},
	{"[]", "[]", 1},
	{"[!]", "[!]", 1},
	{"[!]", "]", 0},
	{"[]]", "]", 1},
	{"[!]]", "a", 1},
	{"[a-]b]", "ab]", 1},
	{"[a-]b]", "b]", 0},
	{"*[", "x[", 1},
	{"[*", "[x", 1},
	{"?[", "a[", 1},
	{"[[]", "[", 1},
	{"[\\", "[\\", 1},
	{"x*y*z", "xaybz", 1},
	{"x*y*z", "xayb", 0},
	{"*.c", "foo.c", 1},
	{"*.c", "foo.h", 0},
	{"*.c", ".c", 1},
	{"*/*", "a/b", 1},
	{"*", "/", 1},
	{".*", ".x", 1},
	{"?", ".", 1},
	{"[.]*", ".x", 1},
	{"a?c", "a/c", 1},
	{"[/]", "/", 1},
	{"*.[ch]", "x.h", 1},
	{"*.[!ch]", "x.o", 1},
	{"*.[!ch]", "x.c", 0},
	{"lib*.so.*", "libfoo.so.1.2", 1},
	{"*-*-*", "a-b-c", 1},
	{"*-*-*", "a-b", 0},
	{"***a", "a", 1},
	{"a***", "a", 1},
	{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0},
	{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 1},
	{"[[:cntrl:]]", "\001", 1},
	{"[\200-\377]", "\351", 1},
	{"[\001-\377]", "a", 0},
	{"[a-\377]", "\351", 0},
	{"?", "\351", 1},
	{"[[:alpha:]]", "\351", 0},
	{"[\351]", "\351", 1},
	{"*\351*", "a\351b", 1},
};

START_TEST(match_recorded_from_dash)
{
	for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++)
		ck_assert_msg(pattern_match(matches[i].pat, matches[i].s, strlen(matches[i].s)) ==
				      matches[i].match,
			      "case '%s' in %s): dash says %d", matches[i].s, matches[i].pat,
			      matches[i].match);
}
END_TEST

START_TEST(match_counts_bytes_not_nul)
{
	/* s is n bytes, not NUL-terminated (${x%pat} tries prefixes) */
	ck_assert_int_eq(pattern_match("ab", "abc", 2), 1);
	ck_assert_int_eq(pattern_match("a*", "abc", 1), 1);
	ck_assert_int_eq(pattern_match("a?", "abc", 1), 0);
	ck_assert_int_eq(pattern_match("*", "abc", 0), 1);
	ck_assert_int_eq(pattern_match("[ab]", "abc", 1), 1);
	ck_assert_int_eq(pattern_match("", "abc", 0), 1);
	ck_assert_int_eq(pattern_match("", "abc", 1), 0);
}
END_TEST

START_TEST(many_stars_stay_polynomial)
{
	/* a recursive matcher takes ~n^6 steps here; the last-star one ~n*m */
	static char s[20001];
	memset(s, 'a', sizeof s - 1);
	ck_assert_int_eq(pattern_match("*a*a*a*a*a*a*a*a*a*a*b", s, sizeof s - 1), 0);
	s[sizeof s - 2] = 'b';
	ck_assert_int_eq(pattern_match("*a*a*a*a*a*a*a*a*a*a*b", s, sizeof s - 1), 1);
	ck_assert_int_eq(pattern_match("*?*?*?*?*?*?*?*?*c", s, sizeof s - 1), 0);
	ck_assert_int_eq(pattern_match("*[ab]*[!c]*b", s, sizeof s - 1), 1);
}
END_TEST

START_TEST(has_meta)
{
	static const struct {
		const char *pat;
		int meta;
	} t[] = {
		{"abc", 0}, {"a*", 1},    {"?", 1},      {"[ab]", 1},  {"[ab", 0},
		{"[", 0},   {"[]", 0},    {"[]]", 1},    {"[!]", 0},   {"[!]]", 1},
		{"\\*", 0}, {"\\?x", 0},  {"\\[a]", 0},  {"[\\]", 0},  {"[\\]]", 1},
		{"a\\", 0}, {"\\\\*", 1}, {"x/[a]/", 1}, {"[a/b]", 1}, {"[[:alpha:]", 1},
		{"*\\", 1}, {"", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_msg(pattern_has_meta(t[i].pat) == t[i].meta, "%s: %d", t[i].pat,
			      t[i].meta);
}
END_TEST

START_TEST(unquote)
{
	char buf[8];

	ck_assert_int_eq(pattern_unquote("a\\*b", buf, sizeof buf), 3);
	ck_assert_str_eq(buf, "a*b");
	ck_assert_int_eq(pattern_unquote("\\\\\\", buf, sizeof buf), 2);
	ck_assert_str_eq(buf, "\\\\");
	ck_assert_int_eq(pattern_unquote("[*]", buf, sizeof buf), 3);
	ck_assert_str_eq(buf, "[*]");
	ck_assert_int_eq(pattern_unquote("1234567", buf, sizeof buf), 7);
	ck_assert_int_eq(pattern_unquote("12345678", buf, sizeof buf), -1);
	ck_assert_int_eq(pattern_unquote("\\1\\2\\3\\4\\5\\6\\7", buf, sizeof buf), 7);
	ck_assert_int_eq(pattern_unquote("", buf, 0), -1);
}
END_TEST

static unsigned long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33) % n;
}

static void add_piece(char *s, size_t cap, const char *const *set, size_t n)
{
	size_t len = strlen(s);
	snprintf(s + len, cap - len, "%s", set[pick((unsigned)n)]);
}

#define ADD(s, set) add_piece(s, sizeof s, set, sizeof set / sizeof set[0])

/* Reads all of f into a malloc'ed string. */
static char *slurp(FILE *f)
{
	char *all = NULL, buf[4096];
	size_t all_n = 0, n;
	FILE *m = open_memstream(&all, &all_n);

	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(m);
	return all;
}

static void assert_same(const char *ours, const char *theirs, const char *inputs)
{
	size_t i = 0, line = 0;

	if (strcmp(ours, theirs) == 0)
		return;
	while (ours[i] && ours[i] == theirs[i])
		line += ours[i++] == '\n';
	ck_abort_msg("line %zu of %s differs: ours <%.60s> dash <%.60s>", line + 1, inputs,
		     ours + i, theirs + i);
}

START_TEST(match_random_against_dash)
{
	static const char *const pat_pieces[] = {
		"a",         "b",       "z",         "A",  "-",   "!",   "^",
		"]",         "[",       "\\",        "*",  "?",   ":",   "[:alpha:]",
		"[:digit:]", "[:foo:]", "[:space:]", ":]", ".",   "/",   "\351",
		"\377",      "\200",    "1",         "[!", "[a-", "\\]", " ",
	};
	static const char *const subject_pieces[] = {"a", "b", "z",  "A", "-",    "!",    "^",
						     "]", "[", "\\", ":", "\351", "\377", "\200",
						     "1", "_", " ",  "m", "5",    "*",    "?"};
	char dir[] = "/tmp/ush-pattern-XXXXXX", path[64], cmd[256], *ours = NULL, *theirs;
	size_t ours_n = 0;
	FILE *in, *mine, *dash;

	if (access("/bin/dash", X_OK) != 0)
		return;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pairs", dir);
	in = fopen(path, "w");
	ck_assert_ptr_nonnull(in);
	mine = open_memstream(&ours, &ours_n);
	rng = 4242;
	for (int i = 0; i < 6000; i++) {
		char p[128] = "", s[64] = "";
		for (unsigned k = pick(7); k > 0; k--)
			ADD(p, pat_pieces);
		for (unsigned k = pick(5); k > 0; k--)
			ADD(s, subject_pieces);
		fprintf(in, "%s\001%s\n", p, s);
		fprintf(mine, "%c\n", pattern_match(p, s, strlen(s)) ? 'Y' : 'n');
	}
	fclose(in);
	fclose(mine);
	snprintf(cmd, sizeof cmd,
		 "LANG=C /bin/dash -c 'IFS=$(printf \"\\001\"); while read -r p s; do "
		 "case $s in $p) echo Y;; *) echo n;; esac; done' <%s",
		 path);
	dash = popen(cmd, "r");
	ck_assert_ptr_nonnull(dash);
	theirs = slurp(dash);
	ck_assert_int_eq(pclose(dash), 0);
	assert_same(ours, theirs, path);
	unlink(path);
	rmdir(dir);
	free(ours);
	free(theirs);
}
END_TEST

/*
 * Robustness over arbitrary bytes (no crash, no sanitizer report), and the
 * last-star shortcut checked against what * means: "*P" matches s when P
 * matches some suffix of s, "P*" when P matches some prefix.
 */
START_TEST(match_random_properties)
{
	static const char alphabet[] = "ab*?[]!^-\\:.[:alpha:]/\351\377\001";
	char p[24], star_p[26], p_star[26], s[16];

	rng = 99;
	for (int iter = 0; iter < 100000; iter++) {
		size_t np = pick(12), ns = pick(10);
		int any_suffix = 0, any_prefix = 0;
		for (size_t i = 0; i < np; i++)
			p[i] = iter % 3 ? alphabet[pick(sizeof alphabet - 1)]
					: (char)(1 + pick(255));
		p[np] = 0;
		for (size_t i = 0; i < ns; i++)
			s[i] = iter % 5 ? "ab[]\\*:-x\351"[pick(11)] : (char)pick(256);
		s[ns] = 0;
		/* a trailing lone backslash would escape the added "*" */
		if (np && p[np - 1] == '\\')
			continue;
		snprintf(star_p, sizeof star_p, "*%s", p);
		snprintf(p_star, sizeof p_star, "%s*", p);
		for (size_t i = 0; i <= ns; i++) {
			any_suffix |= pattern_match(p, s + i, ns - i);
			any_prefix |= pattern_match(p, s, i);
		}
		ck_assert_msg(pattern_match(star_p, s, ns) == any_suffix, "*%s vs %s", p, s);
		ck_assert_msg(pattern_match(p_star, s, ns) == any_prefix, "%s* vs %s", p, s);
		if (!pattern_has_meta(p)) {
			char u[24];
			int n = pattern_unquote(p, u, sizeof u);
			ck_assert_int_ge(n, 0);
			ck_assert_int_eq(pattern_match(p, s, ns),
					 (size_t)n == ns && memcmp(u, s, ns) == 0);
		}
	}
}
END_TEST

/* ---- pathname expansion ---- */

/* dash's `set -- PATTERN; echo "$*"` in the fixture */
static const struct {
	const char *pat, *out;
} globs[] = {
	{"*", "A B Z~ [x _z a a b a* b broken d e empty la ld q\\w sub-b sub1 zz \351"},
	{".*", ". .. .h1 .hid"},
	{"*/", "d/ e/ empty/ ld/ sub-b/ sub1/"},
	{"*/*", "d/f1 d/sub e/f1 ld/f1 ld/sub sub-b/x sub1/x"},
	{"*/.*", "d/. d/.. d/.f2 e/. e/.. empty/. empty/.. ld/. ld/.. ld/.f2 sub-b/. sub-b/.. "
		 "sub1/. sub1/.."},
	{".h*", ".h1 .hid"},
	{"\\.h*", ".h1 .hid"},
	{".[h]*", ".h1 .hid"},
	{"[.]h*", "[.]h*"},
	{"?h1", "?h1"},
	{"*/f1", "d/f1 e/f1 ld/f1"},
	{"d/*", "d/f1 d/sub"},
	{"l*/*", "ld/f1 ld/sub"},
	{"*/sub/*", "d/sub/g ld/sub/g"},
	{"b*", "b broken"},
	{"br*/x", "br*/x"},
	{"empty/*", "empty/*"},
	{"nomatch*", "nomatch*"},
	{"*b*", "a b b broken sub-b sub1"},
	{"d/../*",
	 "d/../A d/../B d/../Z~ d/../[x d/../_z d/../a d/../a b d/../a* d/../b d/../broken d/../d "
	 "d/../e d/../empty d/../la d/../ld d/../q\\w d/../sub-b d/../sub1 d/../zz d/../\351"},
	{"./*", "./A ./B ./Z~ ./[x ./_z ./a ./a b ./a* ./b ./broken ./d ./e ./empty ./la ./ld "
		"./q\\w ./sub-b ./sub1 ./zz ./\351"},
	{".*/", "../ ./ .hid/"},
	{"d/sub/../f*", "d/sub/../f1"},
	{"*//f1", "d//f1 e//f1 ld//f1"},
	{"d//*", "d//f1 d//sub"},
	{"[a-c]", "a b"},
	{"[!a]", "A B b d e \351"},
	{"[a", "[a"},
	{"*/x/y", "*/x/y"},
	{".hid/*/y", ".hid/x/y"},
	{"*/*/y", "*/*/y"},
	{"[[]", "[[]"},
	{"*[", "*["},
	{"a\\*", "a*"},
	{"a[*]", "a*"},
	{"d\\/*", "d/f1 d/sub"},
	{"\\*/f1", "*/f1"},
	{"[d]/f?", "d/f1"},
	{"*/\\f1", "d/f1 e/f1 ld/f1"},
	{"q\\\\*", "q\\w"},
	{"*\\\\*", "q\\w"},
	{"*/x", "sub-b/x sub1/x"},
	{"sub*/x", "sub-b/x sub1/x"},
	{"[ab]", "a b"},
	{"?", "A B a b d e \351"},
	{"??", "Z~ [x _z a* la ld zz"},
	{"*[/]*", "*[/]*"},
	{"[a/b]*", "[a/b]*"},
	{"*/..", "d/.. e/.. empty/.. ld/.. sub-b/.. sub1/.."},
	{"*/.", "d/. e/. empty/. ld/. sub-b/. sub1/."},
	{"..*", ".."},
	{".??*", ".h1 .hid"},
	{"l?/.*", "ld/. ld/.. ld/.f2"},
	{"broken/*", "broken/*"},
	{"la/*", "la/*"},
};

static char fixture_root[64];

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "create %s", path);
	close(fd);
}

static void make_dir(const char *path)
{
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s", path);
}

/*
 * The tree the recorded globs ran in, as the current directory. It sits
 * two levels below a fresh temporary directory, so that patterns climbing
 * with ".." see only what the test made.
 */
static void enter_fixture(void)
{
	static const char *const dirs[] = {"d",    "d/sub",  "e",    "empty",
					   ".hid", ".hid/x", "sub1", "sub-b"};
	static const char *const files[] = {"A",       "B",    "Z~",       "_z",     "a",
					    "a b",     "b",    "[x",       "a*",     "q\\w",
					    "\351",    "zz",   ".h1",      "d/f1",   "d/.f2",
					    "d/sub/g", "e/f1", ".hid/x/y", "sub1/x", "sub-b/x"};

	snprintf(fixture_root, sizeof fixture_root, "/tmp/ush-glob-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fixture_root));
	ck_assert_int_eq(chdir(fixture_root), 0);
	make_dir("p");
	make_dir("p/q");
	ck_assert_int_eq(chdir("p/q"), 0);
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		make_dir(dirs[i]);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		touch(files[i]);
	ck_assert_int_eq(symlink("d", "ld"), 0);
	ck_assert_int_eq(symlink("nowhere", "broken"), 0);
	ck_assert_int_eq(symlink("a", "la"), 0);
}

static void leave_fixture(void)
{
	char cmd[256];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s; rm -rf %s", fixture_root, fixture_root);
	ck_assert_int_eq(system(cmd), 0);
}

struct joined {
	char text[4096];
	int calls, fail_at;
};

static int join(void *ctx, const char *path)
{
	struct joined *j = ctx;
	size_t len = strlen(j->text);

	if (++j->calls == j->fail_at)
		return -1;
	snprintf(j->text + len, sizeof j->text - len, "%s%s", len ? " " : "", path);
	return 0;
}

/* what `set -- PAT; echo "$*"` prints: the matches, or the word itself */
static const char *glob_line(const char *pat, int *count)
{
	static struct joined j;
	int n;

	memset(&j, 0, sizeof j);
	n = glob_expand(pat, join, &j);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(n, j.calls);
	if (n == 0)
		ck_assert_int_ge(pattern_unquote(pat, j.text, sizeof j.text), 0);
	if (count)
		*count = n;
	return j.text;
}

START_TEST(glob_recorded_from_dash)
{
	enter_fixture();
	for (size_t i = 0; i < sizeof globs / sizeof globs[0]; i++) {
		const char *got = glob_line(globs[i].pat, NULL);
		ck_assert_msg(strcmp(got, globs[i].out) == 0, "%s: got <%s>, dash: <%s>",
			      globs[i].pat, got, globs[i].out);
	}
	leave_fixture();
}
END_TEST

START_TEST(glob_details)
{
	int n;

	enter_fixture();
	/* no meta character: not expanded even though "a" exists */
	ck_assert_str_eq(glob_line("a", &n), "a");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(glob_line("\\*", &n), "*");
	ck_assert_int_eq(n, 0);
	/* an empty directory still has . and .. */
	ck_assert_str_eq(glob_line("empty/*", &n), "empty/*");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(glob_line("empty/.*", &n), "empty/. empty/..");
	ck_assert_int_eq(n, 2);
	/* a dangling symlink matches, but is no directory */
	ck_assert_str_eq(glob_line("bro?en", &n), "broken");
	ck_assert_str_eq(glob_line("bro?en/", &n), "bro?en/");
	ck_assert_str_eq(glob_line("?a/", &n), "?a/");
	ck_assert_str_eq(glob_line("?d/", &n), "ld/");
	/* the tail after a matched directory must exist (lstat) */
	ck_assert_str_eq(glob_line("[d]/nothing", &n), "[d]/nothing");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(glob_line("[.]hid/x", &n), "[.]hid/x");
	ck_assert_str_eq(glob_line(".[h]id/x", &n), ".hid/x");
	leave_fixture();
}
END_TEST

/* glob_line's text, compared without Check (for a child that changed its uid) */
static int expect(const char *pat, const char *want)
{
	struct joined j;

	memset(&j, 0, sizeof j);
	if (glob_expand(pat, join, &j) == 0)
		pattern_unquote(pat, j.text, sizeof j.text);
	if (strcmp(j.text, want) == 0)
		return 0;
	fprintf(stderr, "%s: got <%s>, dash: <%s>\n", pat, j.text, want);
	return 1;
}

/*
 * Without read permission a directory lists nothing, without search
 * permission nothing below it exists: as dash (recorded as uid 65534).
 * Root reads everything, so as root the checks run in a child that
 * becomes nobody.
 */
START_TEST(glob_unreadable_directory)
{
	pid_t pid;
	int st;

	enter_fixture();
	make_dir("locked");
	make_dir("locked/sub");
	touch("locked/f");
	make_dir("searchonly");
	make_dir("searchonly/sub");
	touch("searchonly/f");
	ck_assert_int_eq(chmod("locked", 0), 0);
	ck_assert_int_eq(chmod("searchonly", 0111), 0);
	/* let nobody reach the fixture */
	ck_assert_int_eq(chmod(fixture_root, 0755), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = 0;
		if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534))) {
			fprintf(stderr, "glob_unreadable_directory: cannot drop root, skipped\n");
			_exit(0);
		}
		bad += expect("locked/*", "locked/*");
		bad += expect("lock*/", "locked/");
		bad += expect("lock*/f", "lock*/f");
		bad += expect("searchonly/*", "searchonly/*");
		bad += expect("search*/f", "searchonly/f");
		bad += expect("search*/s*", "search*/s*");
		bad += expect("*/sub/", "d/sub/ ld/sub/ searchonly/sub/");
		bad += expect("*/f", "searchonly/f");
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x (see stderr)", st);
	leave_fixture();
}
END_TEST

START_TEST(glob_add_failure)
{
	struct joined j;

	enter_fixture();
	memset(&j, 0, sizeof j);
	j.fail_at = 3;
	ck_assert_int_eq(glob_expand("*", join, &j), -1);
	ck_assert_int_eq(j.calls, 3);
	ck_assert_str_eq(j.text, "A B");
	leave_fixture();
}
END_TEST

START_TEST(glob_random_against_dash)
{
	static const char *const pieces[] = {
		"a",   "b",   ".",   "*",  "?",  "[ab]", "[!a]", "[.]", "[a-b]", "/",
		"\\a", "\\*", "\\[", "[",  ".*", "[]a]", "]",    "-",   "!",     "d",
		"e",   "sub", "x",   "f1", "*/", "[!.]", "h",    "1",   "\\/",
	};
	char list[128], cmd[320], *ours = NULL, *theirs;
	size_t ours_n = 0;
	FILE *in, *mine, *dash;

	if (access("/bin/dash", X_OK) != 0)
		return;
	enter_fixture();
	snprintf(list, sizeof list, "%s/patterns", fixture_root);
	in = fopen(list, "w");
	ck_assert_ptr_nonnull(in);
	mine = open_memstream(&ours, &ours_n);
	rng = 777;
	for (int i = 0; i < 3000; i++) {
		char p[128] = "";
		int slashes = 0;
		for (unsigned k = 1 + pick(6); k > 0; k--)
			ADD(p, pieces);
		/* stay inside the fixture: no absolute path, at most two levels up */
		for (const char *c = p; *c; c++)
			slashes += *c == '/';
		if (p[0] == '/' || (p[0] == '\\' && p[1] == '/') || slashes > 2)
			continue;
		fprintf(in, "%s\n", p);
		fprintf(mine, "%s\n", glob_line(p, NULL));
	}
	fclose(in);
	fclose(mine);
	snprintf(cmd, sizeof cmd,
		 "LANG=C /bin/dash -c 'while IFS= read -r p; do eval \"set -- $p\"; "
		 "printf \"%%s\\n\" \"$*\"; done' <%s",
		 list);
	dash = popen(cmd, "r");
	ck_assert_ptr_nonnull(dash);
	theirs = slurp(dash);
	ck_assert_int_eq(pclose(dash), 0);
	assert_same(ours, theirs, list);
	free(ours);
	free(theirs);
	leave_fixture();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, match_recorded_from_dash);
	tcase_add_test(tc, match_counts_bytes_not_nul);
	tcase_add_test(tc, many_stars_stay_polynomial);
	tcase_add_test(tc, has_meta);
	tcase_add_test(tc, unquote);
	tcase_add_test(tc, match_random_against_dash);
	tcase_add_test(tc, match_random_properties);
	tcase_add_test(tc, glob_recorded_from_dash);
	tcase_add_test(tc, glob_details);
	tcase_add_test(tc, glob_unreadable_directory);
	tcase_add_test(tc, glob_add_failure);
	tcase_add_test(tc, glob_random_against_dash);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
