/* SPDX-License-Identifier: MIT */
/*
 * The syntax tree of the whole POSIX shell language as dash 0.5.12 parses
 * it: the contract between the parser (syntax/) and the evaluator
 * (eval/, expand/). All nodes live in one arena for the whole run; nothing
 * in the tree is ever modified after parsing (eval/. parse into new trees).
 *
 * Words keep their structure: a word is a list of parts, each either literal
 * text (quotes and backslashes already removed, with a flag saying whether
 * it was quoted) or an expansion. Whether a part was quoted decides field
 * splitting, pathname expansion and pattern meaning; the evaluator never
 * re-scans text for quotes.
 */
#ifndef USH_AST_H
#define USH_AST_H

#include <stddef.h>

struct node;
struct word;

enum wpart_type {
	WP_LIT,    /* s/n: literal text */
	WP_PARAM,  /* $name, ${name...}: param */
	WP_CMDSUB, /* $(...) or `...`: cmd (NULL: empty, as in $( ) ) */
	WP_ARITH,  /* $((...)): arith, the expression as a word (expanded first) */
	WP_TILDE,  /* ~ or ~user (s/n: the user, n == 0 for $HOME); unquoted only */
};

/* Parameter expansion operators, ${name OP word}; colon is a separate flag. */
enum param_op {
	PE_PLAIN,   /* $x ${x} */
	PE_LENGTH,  /* ${#x} */
	PE_DEFAULT, /* ${x-w} ${x:-w} */
	PE_ASSIGN,  /* ${x=w} ${x:=w} */
	PE_ERROR,   /* ${x?w} ${x:?w} (arg may be NULL: ${x?}) */
	PE_ALT,     /* ${x+w} ${x:+w} */
	PE_TRIM_SS, /* ${x%w}: smallest suffix */
	PE_TRIM_LS, /* ${x%%w}: largest suffix */
	PE_TRIM_SP, /* ${x#w}: smallest prefix */
	PE_TRIM_LP, /* ${x##w}: largest prefix */
	PE_BAD,     /* ${x^} ${ x} ${x:%w} ...: dash accepts the syntax, expanding it fails
			"Bad substitution" (name may be empty; arg is what followed) */
};

struct param {
	const char *name; /* a NAME, digits ("1", "10"), or one of @ * # ? - $ ! 0 */
	size_t n;
	unsigned char op;    /* enum param_op */
	unsigned char colon; /* the ':' form (unset or null) */
	struct word *arg;    /* the word after the operator; NULL when there is none */
};

struct wpart {
	unsigned char type;   /* enum wpart_type */
	unsigned char quoted; /* inside "...": no splitting, no globbing; LIT: also '...' and \x */
	const char *s;        /* LIT: text; TILDE: user name */
	size_t n;
	struct param *param; /* PARAM */
	struct node *cmd;    /* CMDSUB (parsed at parse time, as dash does) */
	struct word *arith;  /* ARITH */
	/*
	 * TILDE after '=' or ':' of an argument that looks like an assignment
	 * (export a=~/x): dash expands it only when the command turns out to be
	 * export, readonly or local; for any other command it is the text
	 * "~" followed by s.
	 */
	unsigned char decl;
	/* the first part inside its "...": an empty "$@" there makes no field */
	unsigned char dqstart;
};

struct word {
	struct wpart *parts;
	unsigned nparts; /* 0 never happens for a word of the source; "" is one quoted LIT */
};

enum redir_op {
	R_IN = 1,  /* <    */
	R_OUT,     /* >    */
	R_CLOBBER, /* >|   */
	R_APPEND,  /* >>   */
	R_RDWR,    /* <>   */
	R_DUPIN,   /* <&   target: a number or "-" after expansion */
	R_DUPOUT,  /* >&   */
	R_HEREDOC  /* << and <<- : body */
};

struct redir {
	unsigned char op;   /* enum redir_op */
	int fd;             /* the fd redirected (default 0 or 1 filled in) */
	struct word target; /* file / fd word; unused for R_HEREDOC */
	/*
	 * R_HEREDOC: the body after <<- tab stripping. Delimiter quoted: one
	 * quoted LIT part (no expansion). Unquoted: parts as inside "..."
	 * ($, `, and \ before $ ` \ newline), all marked quoted.
	 */
	struct word body;
	struct redir *next;
};

enum node_type {
	N_SIMPLE,   /* simple */
	N_PIPE,     /* pipe: cmds[0] | cmds[1] | ... (n >= 2) */
	N_NOT,      /* ! body */
	N_AND,      /* left && right */
	N_OR,       /* left || right */
	N_SEQ,      /* left ; right (also newline) */
	N_BG,       /* body & */
	N_SUBSHELL, /* ( body ) */
	N_GROUP,    /* { body; } */
	N_IF,       /* if cond then body [else other]; elif is an N_IF in other */
	N_WHILE,    /* while cond do body done */
	N_UNTIL,    /* until cond do body done */
	N_FOR,      /* for var [in words] do body done */
	N_CASE,     /* case subject in items esac */
	N_FUNC,     /* name () body (body is a compound command with its redirections) */
};

struct assign {
	const char *name;
	size_t n;
	struct word value; /* tilde after = and after each unquoted : already made WP_TILDE */
};

struct case_item {
	struct word *pats; /* pattern words (quoted parts match literally) */
	unsigned npats;
	struct node *body; /* NULL: empty */
};

struct node {
	unsigned char type;   /* enum node_type */
	unsigned char last;   /* nothing runs after it: exec'd in place (main.c) */
	unsigned lineno;      /* dash's line number of the command (for $LINENO, messages) */
	struct redir *redirs; /* SIMPLE, and the compound commands (SUBSHELL..CASE) */
	union {
		struct {
			struct assign *assigns;
			unsigned nassigns;
			struct word *args; /* args[0] is the command name */
			unsigned nargs;
		} simple;
		struct {
			struct node **cmds;
			unsigned n;
		} pipe;
		struct {
			struct node *left, *right;
		} bin; /* AND OR SEQ */
		struct {
			struct node *body; /* NOT BG SUBSHELL GROUP */
		} sub;
		struct {
			struct node *cond, *body, *other; /* IF (other may be NULL); WHILE UNTIL */
		} ctl;
		struct {
			const char *var;
			size_t n;
			struct word *words; /* NULL with has_in == 0: "$@" */
			unsigned nwords;
			int has_in;
			struct node *body;
		} loop; /* FOR */
		struct {
			struct word subject;
			struct case_item *items;
			unsigned n;
		} cas;
		struct {
			const char *name;
			size_t n;
			struct node *body;
		} func;
	} u;
};

/*
 * parser.c: parse a whole script (a -c string, an eval argument, a file
 * read by `.`). Returns the tree (NULL for an empty script) with
 * *err == NULL, or sets *err:
 *   - SYNTAX_UNSUPPORTED: something dash accepts that the tree cannot say
 *     (*reason says what): the caller delegates the whole text to /bin/sh;
 *   - otherwise dash's exact message for a syntax error, e.g.
 *     "Syntax error: \"fi\" unexpected", with *errline its line number.
 * lineno is the number of the first line (1 for a -c string).
 */
struct ush_arena;
extern const char SYNTAX_UNSUPPORTED[];
struct node *syntax_parse(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
			  const char **err, unsigned *errline, const char **reason);

/*
 * The same, but on a syntax error (not SYNTAX_UNSUPPORTED) it returns the
 * complete top-level commands (lines) before the one in error, NULL if
 * none: dash parses and runs one at a time, so they run before the
 * message (eval 'echo a; echo b@NL@if' prints a and b first).
 */
struct node *syntax_parse_partial(struct ush_arena *a, const char *text, size_t len,
				  unsigned lineno, const char **err, unsigned *errline,
				  const char **reason);

/*
 * syntax_parse_partial, and the top-level lists it parsed with where each
 * ends (offset in text, line): dash parses and runs a list at a time, so a
 * runner that sees an alias defined parses the rest afresh from there.
 */
struct toplist {
	struct node *n;
	size_t end;
	unsigned line;
	int eof; /* it ended at the end of the text, not at a newline */
};
struct toplists {
	struct toplist *v;
	/* cap: room in v, kept here so no local lives across the parser's longjmp */
	unsigned n, cap;
};
struct node *syntax_parse_lists(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
				const char **err, unsigned *errline, const char **reason,
				struct toplists *tl);

/*
 * Aliases, as the parser sees alias.c's table (dash expands them while it
 * parses). find: the alias called name (n bytes) that is not in use, NULL
 * if none, its value in *val and *vn. use: the parser starts (1) or stops
 * (0) reading the alias's text, dash's ALIASINUSE.
 */
struct syn_aliases {
	void *(*find)(const char *name, size_t n, const char **val, size_t *vn);
	void (*use)(void *alias, int on);
};

/*
 * Parsing a list at a time, as dash does where aliases matter: an alias
 * defined by one line applies from the next. syntax_next gives the next
 * top-level list (*tree NULL for an empty line) and 1, 0 at the end, or -1
 * with *err set as syntax_parse sets it. syntax_stream_end releases the
 * aliases still being read. NULL: out of memory.
 */
struct syn_stream;
struct syn_stream *syntax_stream(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
				 const struct syn_aliases *al);
int syntax_next(struct syn_stream *s, struct node **tree, const char **err, unsigned *errline,
		const char **reason);
void syntax_stream_end(struct syn_stream *s);
/*
 * After syntax_next: the bytes of the text left unread (an alias's value
 * is spliced in front of the rest, so the rest is always the text's tail),
 * the line the parser is on, and *cut set when the list (or the error)
 * reached the end of the text without its newline: with more text to come
 * it may read differently (the incremental reader reads more and parses
 * the list again).
 */
size_t syntax_stream_tell(const struct syn_stream *s, unsigned *line, int *cut, int *inalias,
			  const char **rest);
/*
 * *inalias: an alias's text is still being read, so the unread text
 * (*rest, the size returned) is its value's rest and then the text's tail.
 */
/* the last list ended at the end of the text, not at a newline (dash then holds its EOF token back) */
int syntax_stream_eof(const struct syn_stream *s);
/* the line the parser is on after the last list (past its newline) */
unsigned syntax_stream_line(const struct syn_stream *s);
/* the arena the next lists' trees go to (the stream itself stays where it is) */
void syntax_stream_arena(struct syn_stream *s, struct ush_arena *a);

/* syntax/word.c: a NAME of the grammar (variables, assignments, functions) */
int lex_is_name(const char *s, size_t n);

#endif /* USH_AST_H */
