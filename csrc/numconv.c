/*
 * Floating point conversions that must match Redis byte for byte.
 *
 * Redis computes INCRBYFLOAT and HINCRBYFLOAT in C `long double` (80-bit on
 * x86_64) and prints results with printf formats; Rust has no `long double`
 * and its float parser accepts a different syntax than strtod/strtold. These
 * few functions keep the arithmetic and the formatting in C so that ferredis
 * gives the same digits as the Redis built for the same platform.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LONG_DOUBLE_CHARS (5 * 1024)

/* Parse like Redis's string2ld: whole string, no leading space, no NaN. */
static int parse_ld(const char *s, size_t len, long double *out) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    char *end;
    long double v;
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    v = strtold(buf, &end);
    /* An embedded NUL ends strtold early: that is not a whole-string parse. */
    if (isspace((unsigned char)buf[0]) || end[0] != '\0' || (size_t)(end - buf) != len ||
        (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO)) ||
        isnan(v))
        return 0;
    *out = v;
    return 1;
}

/* Format like Redis's ld2string(..., LD_STR_HUMAN): %.17Lf without trailing zeros. */
static long format_ld_human(long double v, char *buf, size_t cap) {
    size_t l;
    if (isinf(v)) {
        const char *s = v > 0 ? "inf" : "-inf";
        l = strlen(s);
        if (l + 1 > cap) return 0;
        memcpy(buf, s, l + 1);
        return (long)l;
    }
    l = (size_t)snprintf(buf, cap, "%.17Lf", v);
    if (l + 1 > cap) return 0;
    if (strchr(buf, '.') != NULL) {
        char *p = buf + l - 1;
        while (*p == '0') { p--; l--; }
        if (*p == '.') l--;
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') { buf[0] = '0'; l = 1; }
    return (long)l;
}

/*
 * base + incr in long double, written to out (capacity cap).
 * Returns the length written, -1 if base is not a float, -2 if incr is not,
 * -3 if the result is NaN or infinite.
 */
long ferredis_ld_add(const char *base, size_t base_len, const char *incr, size_t incr_len,
                     char *out, size_t cap) {
    long double a, b;
    if (!parse_ld(base, base_len, &a)) return -1;
    if (!parse_ld(incr, incr_len, &b)) return -2;
    a += b;
    if (isnan(a) || isinf(a)) return -3;
    return format_ld_human(a, out, cap);
}

/* Parse a whole string as strtod does; 1 on success (NaN is accepted here). */
int ferredis_strtod(const char *s, size_t len, double *out) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    char *end;
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    if (isspace((unsigned char)buf[0]) || end[0] != '\0' || (size_t)(end - buf) != len) return 0;
    if (errno == ERANGE && (*out == HUGE_VAL || *out == -HUGE_VAL || fpclassify(*out) == FP_ZERO))
        return 0;
    return 1;
}

/* printf with a double-taking format ("%.17g", "%.17f", ...); returns the length. */
long ferredis_fmt_double(const char *fmt, double v, char *out, size_t cap) {
    int l = snprintf(out, cap, fmt, v);
    if (l < 0 || (size_t)l >= cap) return -1;
    return l;
}

/*
 * A blocking command's timeout in seconds, as Redis's
 * getTimeoutFromObjectOrReply reads it: parsed as a long double, then
 * converted to milliseconds with C's conversion (an infinite or huge
 * value turns into whatever this platform makes of it, as in Redis).
 * Returns 0 and sets *ms, or -1 if the text is not a float.
 */
int ferredis_timeout_ms(const char *s, size_t len, long long *ms) {
    long double v;
    if (!parse_ld(s, len, &v)) return -1;
    *ms = (long long)(v * 1000.0);
    return 0;
}

/*
 * strtod over the C string an argument holds (up to its first NUL): stores
 * the value and whether strtod reported ERANGE, and returns how many bytes
 * it consumed (-1 if no memory), so callers can apply Redis's own rules
 * (string2d for scores, zslParseRange for range bounds).
 */
long ferredis_strtod_prefix(const char *s, size_t len, double *out, int *erange) {
    char small[128];
    char *buf = len < sizeof(small) ? small : malloc(len + 1);
    char *end;
    long consumed;
    if (buf == NULL) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    *erange = errno == ERANGE;
    consumed = (long)(end - buf);
    if (buf != small) free(buf);
    return consumed;
}
