/* pal-counter-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pal-counter-layout.h"
#include "pal-helper-error.h"

struct _PalCounterLayout
{
  guint64  token;
  GStrv    ids;
  guint    n_ids;
};

PalCounterLayout *
pal_counter_layout_new (void)
{
  return g_new0 (PalCounterLayout, 1);
}

void
pal_counter_layout_free (PalCounterLayout *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->ids);
  g_free (self);
}

guint64
pal_counter_layout_get_token (PalCounterLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->token;
}

void
pal_counter_layout_reset (PalCounterLayout *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->ids, g_strfreev);
  self->n_ids = 0;
  self->token = 0;
}

static gssize
refuse (PalCounterLayout  *self,
        GError           **error,
        const char        *reason)
{
  pal_counter_layout_reset (self);
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED, reason);
  return -1;
}

gssize
pal_counter_layout_update (PalCounterLayout  *self,
                           GVariant          *reply,
                           const guint64    **values,
                           gboolean          *changed,
                           GError           **error)
{
  g_autoptr(GVariant) ids = NULL;
  g_autoptr(GVariant) numbers = NULL;
  guint64 token;
  gsize n_numbers = 0;
  gsize n_ids;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (reply != NULL && g_variant_is_of_type (reply, PAL_COUNTER_VALUES_VARIANT_TYPE), -1);
  g_return_val_if_fail (values != NULL && changed != NULL, -1);

  g_variant_get (reply, "(t@as@at)", &token, &ids, &numbers);
  *values = g_variant_get_fixed_array (numbers, &n_numbers, sizeof (guint64));
  n_ids = g_variant_n_children (ids);
  *changed = n_ids > 0 || token != self->token;
  if (n_ids > 0)
    {
      g_strfreev (self->ids);
      self->ids = g_variant_dup_strv (ids, NULL);
      self->n_ids = n_ids;
    }
  else if (token != self->token && token != 0)
    return refuse (self, error, _("The helper sent counters without the rule ids they belong to."));
  else if (token == 0)
    pal_counter_layout_reset (self);
  self->token = token;
  if (n_numbers != (gsize) self->n_ids * PAL_COUNTER_VALUES_PER_RULE)
    return refuse (self, error, _("The helper sent counters that do not match its rule ids."));
  return self->n_ids;
}

guint
pal_counter_layout_get_size (PalCounterLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_ids;
}

const char *
pal_counter_layout_get_id (PalCounterLayout *self,
                           guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_ids, NULL);
  return self->ids[index];
}
