/* pal-triggered-values.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pal-helper-error.h"
#include "pal-triggered-values.h"

/* Checks the sizes and every reason index before anything is called. */
static gboolean
check_reply (gsize           n4_bytes,
             gsize           n6_bytes,
             const guint64  *numbers,
             gsize           n_numbers,
             gsize           n_reasons,
             GError        **error)
{
  gsize n = n4_bytes / 4 + n6_bytes / 16;
  gboolean ok = n4_bytes % 4 == 0 && n6_bytes % 16 == 0 && n_numbers == 3 * n;

  for (gsize i = 0; ok && i < n; i++)
    ok = numbers[3 * i + 2] < n_reasons;
  if (!ok)
    g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                         _("The helper sent a list of banned addresses that does not fit together."));
  return ok;
}

gssize
pal_triggered_values_foreach (GVariant                *reply,
                              PalTriggeredValuesFunc   func,
                              gpointer                 user_data,
                              GError                 **error)
{
  g_autoptr(GVariant) v4 = NULL;
  g_autoptr(GVariant) v6 = NULL;
  g_autoptr(GVariant) numbers_variant = NULL;
  g_autofree const char **reasons = NULL;
  const guint8 *keys[2];
  const guint64 *numbers;
  gsize lengths[2], n_numbers, n_reasons, entry = 0;

  g_return_val_if_fail (reply != NULL && g_variant_is_of_type (reply, PAL_TRIGGERED_VALUES_VARIANT_TYPE), -1);
  g_return_val_if_fail (func != NULL, -1);

  g_variant_get (reply, "(@ay@ay@at^a&s)", &v4, &v6, &numbers_variant, &reasons);
  keys[0] = g_variant_get_fixed_array (v4, &lengths[0], 1);
  keys[1] = g_variant_get_fixed_array (v6, &lengths[1], 1);
  numbers = g_variant_get_fixed_array (numbers_variant, &n_numbers, sizeof (guint64));
  n_reasons = g_strv_length ((char **) reasons);
  if (!check_reply (lengths[0], lengths[1], numbers, n_numbers, n_reasons, error))
    return -1;
  for (guint family = 0; family < 2; family++)
    {
      gsize size = family == 0 ? 4 : 16;

      for (gsize offset = 0; offset < lengths[family]; offset += size, entry++)
        {
          char text[INET6_ADDRSTRLEN] = "";
          const guint64 *number = numbers + 3 * entry;

          inet_ntop (family == 0 ? AF_INET : AF_INET6, keys[family] + offset, text, sizeof text);
          func (text, number[0], reasons[number[2]], (gint64) MIN (number[1], (guint64) G_MAXINT64), user_data);
        }
    }
  return entry;
}
