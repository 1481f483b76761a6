/* SPDX-License-Identifier: MIT */
/*
 * The evaluator's own pieces (eval/: eval.c, simple.c, cmdsubst.c, child.c,
 * jobs.c, redirect.c, trap.c, func.c) and the builtins: what they share
 * beyond shell.h.
 */
#ifndef USH_EVAL_H
#define USH_EVAL_H

#include <setjmp.h>
#include <signal.h>
#include "shell.h"
#include "builtins/builtins.h"

/* break / continue / return unwinding, as dash's evalskip */
enum { SKIP_NONE, SKIP_BREAK, SKIP_CONT, SKIP_FUNC };

struct evalctl {
	int skip;               /* SKIP_*: unwinding in progress */
	unsigned skipcount;     /* loops still to leave (break/continue n) */
	unsigned loopnest;      /* loops running in the current function */
	unsigned funcnest;      /* function calls (return works inside them) */
	unsigned dotnest;       /* `.` files (return ends them too) */
	const char *cmdname;    /* the builtin running, for its messages */
	int special;            /* it is a special builtin: its errors end the shell */
	int back_status;        /* $? of the last command substitution of a command */
	struct node *exec_node; /* a child's only command: exec it, no fork */
	int out_error;          /* a builtin's write to fd 1 failed */
	void *exit_catch;       /* a jmp_buf: an error leaves to it, not the shell (PS4) */
	/*
	 * dash's parser holds an end-of-file token back (tokpushback) while a
	 * list that ended at the end of its text runs, and after every eval, .
	 * and trap action (their last parse reads the end): the first command
	 * substitution a PS4 expansion parses reads it (simple.c)
	 */
	int eof_held;
	/*
	 * the line dash's parser is on while a list runs: past the list's
	 * newline (a run-time "Syntax error: Bad fd number" gives it)
	 */
	unsigned parse_line;
	/*
	 * dash's EXERROR caught by a builtin `command` ran: an error inside it
	 * (a syntax error, a read-only assignment, a failed special builtin,
	 * an expansion error: shell_fail, shell_exit(2)) ends that builtin
	 * only, with the error's status (`command eval`, `command .`).
	 * error_catch: the innermost such place, a jmp_buf; the places that
	 * saved state on the way put it back as the error passes (EV_UNWIND).
	 * leaving: the shell is exiting for real (exit, set -e, a failed exec),
	 * which nothing catches. caught: the error's status.
	 */
	void *error_catch;
	int leaving, caught;
	/*
	 * dash's savestatus: $? on entering the trap action running (-1: none),
	 * what `exit` and `return` without a number give there; trap_funcnest:
	 * the function calls then (a return in a function the action called is
	 * that function's own). return_arg: the last return had a number.
	 */
	int savestatus;
	unsigned trap_funcnest;
	int return_arg;
};
extern struct evalctl ev;

/*
 * Where state was saved on the way in (redirections, a function's frame,
 * assignments before a command): with an error catch above (error_catch),
 * an error passing through runs cleanup, then goes on to the next catch.
 * up: a void * of the caller's, the catch to restore once done (EV_UNWIND_END).
 */
#define EV_UNWIND(jb, up, cleanup)                                                                 \
	do {                                                                                       \
		if (((up) = ev.error_catch) && setjmp(jb)) {                                       \
			ev.error_catch = (up);                                                     \
			cleanup;                                                                   \
			longjmp(*(jmp_buf *)(up), 1);                                              \
		}                                                                                  \
		if (up)                                                                            \
			ev.error_catch = &(jb);                                                    \
	} while (0)
#define EV_UNWIND_END(up)                                                                          \
	do {                                                                                       \
		if (up)                                                                            \
			ev.error_catch = (up);                                                     \
	} while (0)

/* eval.c */
int eval_node(struct shell *sh, struct node *n);
/* parse and run text (eval, ., trap actions); 2 after a syntax error */
int eval_string(struct shell *sh, const char *text, size_t len, unsigned lineno);
/* the set -e check after a command, a pipeline or a subshell */
void eval_errexit(struct shell *sh, int status);
void eval_oom(struct shell *sh) __attribute__((noreturn));
/* a builtin's output on fd 1: a failure is reported as dash's "I/O error" */
void eval_out(const char *s, size_t n);

/* simple.c */
int eval_simple(struct shell *sh, struct node *n);
/* a pipeline member, forked (pid) or spawned */
struct member {
	pid_t pid;
	int spawned, status;
	int error;  /* spawned: why it could not exec, else 0 */
	char *name; /* spawned: argv[0] for an exec failure message */
};
int simple_spawn(struct shell *sh, struct node *n, int in, int out, struct member *m);
struct member *pipe_start(struct shell *sh, struct node *n, int out, int capture);
int pipe_wait(struct shell *sh, struct node *n, struct member *m);
int simple_job_status(struct shell *sh, struct member *m);
struct builtin;
int builtin_run(struct shell *sh, const struct builtin *b, int special, char **argv);
int eval_command_argv(struct shell *sh, char **argv, const char *pathvar);
/* run argv as a command of the shell (exec builtin: replace the shell) */
void exec_external(struct shell *sh, char **argv, char **envp, const char *pathvar)
	__attribute__((noreturn));
/* the PATH the shell searches */
const char *eval_pathvar(struct shell *sh);
/* main.c: dash's options; the index of the first operand and *mode (SH_MODE_*), or -1 */
int sh_options(int argc, char **argv, unsigned *opts, int *mode);

/* standin.c: the program to exec for path, uring-sh itself for /bin/sh */
void standin_init(char **envp);
const char *standin_path(const char *path, char **argv);

/* xtrace: PS4 then the words */
void eval_xtrace(struct shell *sh, int fd, char **assigns, unsigned nassigns, char **argv);

/* redirect.c: redirections applied to the shell, saved for undoing */
struct redirsave {
	struct {
		int fd, copy; /* copy -1: fd was closed before */
	} * v;
	unsigned n, cap;
};
/* sv NULL: permanent (exec). -1 after dash's message. */
int redirect_apply(struct shell *sh, const struct redir *r, struct redirsave *sv);
void redirect_restore(struct redirsave *sv);
/* fd onto target, saved in sv (fd < 0: nothing to do) */
int redirect_dup(struct redirsave *sv, int fd, int target);
/* keep fds the shell opens itself clear of the 0-9 users can name */
int fd_high(int fd);

/* child.c: subshells, pipelines, background jobs */
/* fork a subshell: 0 in the child (with the state a subshell starts with) */
pid_t fork_sub(struct shell *sh);
/* wait for a forked child; the status as $? (with dash's signal messages) */
int wait_child(struct shell *sh, pid_t pid);
int eval_pipe(struct shell *sh, struct node *n);
int eval_background(struct shell *sh, struct node *n);
int eval_subshell(struct shell *sh, struct node *n);
/* the libuspawn handle every spawn of a foreground job goes through */
struct uspawn *jobs_spawner(struct shell *sh);
/* in a forked child: run the tree and exit */
void eval_in_child(struct shell *sh, struct node *n) __attribute__((noreturn));

/* jobs.c: $? of a wait status (dash names a signal that killed a job) */
int status_of(int ws);

/* trap.c */
extern volatile sig_atomic_t trap_pending;
void trap_run_pending(struct shell *sh);
void trap_child_reset(struct shell *sh); /* in a forked subshell */
int trap_any(struct shell *sh);          /* a trap is set (no exec of the last command) */
int trap_set(int sig);                   /* sig has an action (not default, not ignored) */
void trap_ignore(int sig);               /* SIG_IGN, unless ignored on entry (then it stays so) */
int trap_builtin(struct shell *sh, int argc, char **argv);
int trap_waiting_sig(void); /* a trapped signal that interrupted wait, or 0 */
/* leave the shell (shell_exit through eval_ops): the EXIT trap first */
void eval_exit(struct shell *sh, int status) __attribute__((noreturn));

/* getopts.c */
int b_getopts(struct shell *sh, int argc, char **argv);

/* cmdtable.c: dash's table of commands found on PATH (hash, type) */
int b_hash(struct shell *sh, int argc, char **argv);
/*
 * how to look a command up: CMD_TABLE pathvar is the shell's $PATH (the
 * table applies); CMD_RECORD the shell itself looks it up, as dash's parent
 * before it forks (enter what is found); CMD_DESCRIBE for type and
 * command -v (an entry as it is even after a cd; a slash name must exist)
 */
enum { CMD_TABLE = 1, CMD_RECORD = 2, CMD_DESCRIBE = 4 };
struct lookup;
/* 1 found in the table, 0 found on $PATH, -1 not found (lk->error) */
int cmdtable_lookup(struct shell *sh, const char *name, const char *pathvar, unsigned how,
		    struct lookup *lk);
void cmdtable_clear(void);              /* hash -r, and $PATH assigned or unset */
void cmdtable_cd(void);                 /* a cd: relative $PATH entries now mean other dirs */
void cmdtable_forget(const char *name); /* a function of that name was defined */
/* a pipeline member about to start: dash enters it from the shell itself */
void cmdtable_prehash(struct shell *sh, const struct node *n);

/* func.c */
struct node *func_find(struct shell *sh, const char *name);
void func_define(struct shell *sh, struct node *n);
int func_unset(struct shell *sh, const char *name);
int func_call(struct shell *sh, struct node *body, char **argv);
/* local: save the variable until the function returns */
int func_local(struct shell *sh, const char *name, size_t n);
/* a returning function put `local -`'s options back: 1 once (then dash's optschanged) */
int func_opts_restored(void);

/* builtins/table.c */
typedef int (*builtin_fn)(struct shell *sh, int argc, char **argv);
struct builtin {
	const char *name;
	builtin_fn fn;
	unsigned flags;
};
const struct builtin *builtin_find(const char *name);

/* alias.c: dash's aliases, for the parser (alias_ops) and the builtins */
extern const struct syn_aliases alias_ops;
int alias_any(void);                               /* some alias is defined */
const char *alias_value(const char *name);         /* its value, NULL if none (type) */
int alias_mentioned(const char *text, size_t len); /* names alias or unalias */
int alias_builtin(struct shell *sh, int argc, char **argv);
int unalias_builtin(struct shell *sh, int argc, char **argv);
/* eval.c: the lists of a text parsed at once, the rest afresh once an alias is defined */
enum { LISTS_RAN, LISTS_STREAMED, LISTS_SKIPPED };
int eval_lists(struct shell *sh, const char *text, size_t len, unsigned lineno,
	       const struct toplists *tl, int rest);
/* eval.c: the text a list at a time (aliases apply from the next list) */
int eval_stream(struct shell *sh, struct ush_arena *a, const char *text, size_t len,
		unsigned lineno, int *keep);

/* eval.c: mark the commands after which nothing is left to run (exec'd in place) */
void eval_mark_last(struct node *n);
/* eval.c: whether a tree defines functions (its nodes must live on) */
int eval_defines_function(const struct node *n);
/* input.c: the script on fd, a list at a time, to its end */
void eval_input(struct shell *sh, int fd, int exec_last);

#endif /* USH_EVAL_H */
