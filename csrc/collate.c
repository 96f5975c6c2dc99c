/*
 * String collation for SORT ... ALPHA, which compares with strcoll in the
 * collation of the environment's locale: Redis calls
 * setlocale(LC_COLLATE, "") at start-up, and so does ferredis.
 */
#include <locale.h>
#include <string.h>

int ferredis_strcoll(const char *a, const char *b) {
    return strcoll(a, b);
}

void ferredis_init_collation(void) {
    setlocale(LC_COLLATE, "");
}
