/* SPDX-License-Identifier: MIT */
/*
 * The builtins that work on the shell itself (one file per builtin or
 * family: flow.c cd.c vars.c set.c eval.c command.c jobs.c), their entry
 * points for table.c and what they share (shell.c).
 */
#ifndef USH_BUILTINS_SHELL_H
#define USH_BUILTINS_SHELL_H

#include "eval/eval.h"

/* shell.c */
/* a builtin's error: dash leaves the shell after one in a special builtin; 2 */
int bi_fail(struct shell *sh, const char *a, const char *b, const char *c);
int bi_failed(struct shell *sh); /* bi_fail after the message was written */
/* dash's nextopt(): options from letters in allowed into seen, *i the first
 * operand; -1 after the message */
int bi_options(struct shell *sh, char **argv, int *i, const char *allowed, char *seen);
/* dash's number(): strtoimax's syntax (blanks, sign), the whole string, 0..INT_MAX */
int bi_number(const char *s, int *out);
/* s and a newline on fd 1 */
void bi_out_line(const char *s);

/* vars.c: the variables having flags, as set and export -p list them */
int bi_list_vars(struct shell *sh, unsigned flags, const char *prefix);

/* set.c: dash's optschanged(): -m turned on in the shell itself wants a tty */
void opts_changed(struct shell *sh);

/* the builtins, each argv[0] its name; they return $? */
int b_true(struct shell *sh, int argc, char **argv);     /* flow.c (also :) */
int b_false(struct shell *sh, int argc, char **argv);    /* flow.c */
int b_exit(struct shell *sh, int argc, char **argv);     /* flow.c */
int b_return(struct shell *sh, int argc, char **argv);   /* flow.c */
int b_break(struct shell *sh, int argc, char **argv);    /* flow.c */
int b_continue(struct shell *sh, int argc, char **argv); /* flow.c */
int b_cd(struct shell *sh, int argc, char **argv);       /* cd.c (also chdir) */
int b_pwd(struct shell *sh, int argc, char **argv);      /* cd.c */
int b_export(struct shell *sh, int argc, char **argv);   /* vars.c */
int b_readonly(struct shell *sh, int argc, char **argv); /* vars.c */
int b_local(struct shell *sh, int argc, char **argv);    /* vars.c */
int b_unset(struct shell *sh, int argc, char **argv);    /* vars.c */
int b_set(struct shell *sh, int argc, char **argv);      /* set.c */
int b_shift(struct shell *sh, int argc, char **argv);    /* set.c */
int b_eval(struct shell *sh, int argc, char **argv);     /* eval.c */
int b_dot(struct shell *sh, int argc, char **argv);      /* eval.c */
int b_command(struct shell *sh, int argc, char **argv);  /* command.c */
int b_type(struct shell *sh, int argc, char **argv);     /* command.c */
int b_exec(struct shell *sh, int argc, char **argv);     /* command.c */
int b_jobs(struct shell *sh, int argc, char **argv);     /* jobs.c */
int b_fg(struct shell *sh, int argc, char **argv);       /* jobs.c */
int b_bg(struct shell *sh, int argc, char **argv);       /* jobs.c */
int b_wait(struct shell *sh, int argc, char **argv);     /* jobs.c */

#endif
