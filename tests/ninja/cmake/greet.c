#include "gen.h"
const char *greeting(void)
{
	return GREETING;
}
