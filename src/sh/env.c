/* SPDX-License-Identifier: MIT */
/* Looking a variable up in an envp array, as dash imports them. */
#include <string.h>
#include "sh.h"

/* dash imports environ in order, so a later duplicate wins. */
const char *env_get(char *const *envp, const char *name, size_t n)
{
	const char *v = NULL;

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			v = *envp + n + 1;
	return v;
}
