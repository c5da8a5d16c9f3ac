/* bench-common.c — see bench-common.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "bench-common.h"

double
bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @times in place. */
double
bench_median (double *times,
              guint   n_times)
{
  qsort (times, n_times, sizeof (double), compare_double);
  return times[n_times / 2];
}

/* @n distinct addresses counting up from @first_octet.0.0.0, as a
 * NULL-terminated array (g_strfreev). */
char **
bench_addresses (guint n,
                 guint first_octet)
{
  char **texts = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    texts[i] = g_strdup_printf ("%u.%u.%u.%u", first_octet + i / 16777216, (i / 65536) % 256, (i / 256) % 256,
                                i % 256);
  return texts;
}
