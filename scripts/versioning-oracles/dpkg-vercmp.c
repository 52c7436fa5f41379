/*
 * Differential-test oracle for the dpkg version scheme: dpkg's own parser and comparator, linked from
 * libdpkg.a (Debian package libdpkg-dev). Built and cached by test/versioning/oracles.ts.
 *
 * Reads records "A\x1fB\n" on stdin and prints "<va> <vb> <cmp>\n" for each: va and vb are 0 when
 * parseversion() accepts the version, 1 when it only warns, 2 when it fails; cmp is the sign of
 * dpkg_version_compare(A, B), or 0 when either side failed.
 */
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>

static int parse(struct dpkg_version *version, const char *text)
{
	struct dpkg_error err = DPKG_ERROR_INIT;
	int kind = 0;

	dpkg_version_blank(version);
	if (parseversion(version, text, &err) < 0) {
		kind = err.type == DPKG_MSG_WARN ? 1 : 2;
		dpkg_error_destroy(&err);
	}
	return kind;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		struct dpkg_version a, b;
		char *sep;
		int va, vb, cmp = 0;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		sep = strchr(line, '\x1f');
		if (sep == NULL) {
			fprintf(stderr, "dpkg-vercmp: record without separator\n");
			return 2;
		}
		*sep = '\0';
		va = parse(&a, line);
		vb = parse(&b, sep + 1);
		if (va < 2 && vb < 2) {
			int r = dpkg_version_compare(&a, &b);
			cmp = r < 0 ? -1 : r > 0 ? 1 : 0;
		}
		printf("%d %d %d\n", va, vb, cmp);
	}
	free(line);
	return 0;
}
