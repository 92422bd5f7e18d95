/* main.c: placeholder until the CLI lands. */
#include <stdio.h>

int
main(void)
{
	puts("tlsmedic: under construction");
	return 0;
}
