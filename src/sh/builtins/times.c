/* SPDX-License-Identifier: MIT */
/*
 * dash's times: the shell's user and system time, then its waited-for
 * children's, each as minutes 'm' seconds with six decimals 's'.
 */
#include <stdio.h>
#include <sys/times.h>
#include <unistd.h>
#include "builtins/builtins.h"

/* "MmS.SSSSSSs": the whole minutes, then the rest of the seconds, computed
 * in doubles as dash does */
static int put_time(char *buf, size_t size, clock_t ticks, long clk_tck, char sep)
{
	double secs = (double)ticks / clk_tck;
	int min = (int)(secs / 60);

	secs -= min * 60.0;
	return snprintf(buf, size, "%dm%fs%c", min, secs, sep);
}

int bi_times(struct bi_ctx *c, int argc, char **argv)
{
	struct tms t;
	struct bi_out o;
	long clk_tck = sysconf(_SC_CLK_TCK);
	char buf[160];
	int n = 0;

	(void)argc;
	(void)argv;
	times(&t);
	n += put_time(buf + n, sizeof buf - n, t.tms_utime, clk_tck, ' ');
	n += put_time(buf + n, sizeof buf - n, t.tms_stime, clk_tck, '\n');
	n += put_time(buf + n, sizeof buf - n, t.tms_cutime, clk_tck, ' ');
	n += put_time(buf + n, sizeof buf - n, t.tms_cstime, clk_tck, '\n');
	bi_out_init(&o, 1);
	bi_out_put(&o, buf, (size_t)n);
	return bi_out_end(c, &o, "times", 0);
}
