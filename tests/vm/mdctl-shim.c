/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /sbin/mdctl in the test VM: execs the real binary (MDCTL_REAL) at once, or the JSON
 * tap script (tests/host/mdctl-json-tap) when --json is among the arguments.  Static,
 * so that a call costs the TCG guest one cheap process start, not a shell's as well:
 * a shell start costs about 0.2 s of guest CPU there, and scenarios call mdctl often.
 * The pid stays the real mdctl's (exec), as scenarios that signal it expect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAP "/usr/lib/mdctl-test/mdctl-json-tap"
#define REAL "/usr/lib/mdctl-test/mdctl"

int main(int argc, char **argv)
{
	const char *real = getenv("MDCTL_REAL");
	char *path;
	int i;

	if (argc < 1)
		return 127;
	if (!real || !*real)
		real = REAL;
	path = (char *)real;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0) {
			path = TAP;
			break;
		}
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "mdctl-shim: cannot run %s\n", path);
	return 127;
}
