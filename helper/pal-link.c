/* pal-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-link.h"

struct _PalLink
{
  GObject  parent_instance;

  guint    index;
  char    *name;
  char    *kind;
  char    *state;
  char    *mac;
  GStrv    addresses;
  guint    flags;
  guint    hardware_type;
  guint    master;
};

G_DEFINE_FINAL_TYPE (PalLink, pal_link, G_TYPE_OBJECT)

static void
pal_link_finalize (GObject *object)
{
  PalLink *self = PAL_LINK (object);

  g_free (self->name);
  g_free (self->kind);
  g_free (self->state);
  g_free (self->mac);
  g_strfreev (self->addresses);

  G_OBJECT_CLASS (pal_link_parent_class)->finalize (object);
}

static void
pal_link_class_init (PalLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_link_finalize;
}

static void
pal_link_init (PalLink *self)
{
}

PalLink *
pal_link_new (guint               index,
              const char         *name,
              const char         *kind,
              const char         *state,
              const char         *mac,
              guint               flags,
              guint               hardware_type,
              guint               master,
              const char * const *addresses)
{
  PalLink *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (state != NULL, NULL);

  self = g_object_new (PAL_TYPE_LINK, NULL);
  self->index = index;
  self->name = g_strdup (name);
  self->kind = g_strdup (kind);
  self->state = g_strdup (state);
  self->mac = g_strdup (mac != NULL ? mac : "");
  self->flags = flags;
  self->hardware_type = hardware_type;
  self->master = master;
  self->addresses = addresses != NULL ? g_strdupv ((char **) addresses) : g_new0 (char *, 1);
  return self;
}

guint
pal_link_get_index (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), 0);
  return self->index;
}

const char *
pal_link_get_name (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), NULL);
  return self->name;
}

const char *
pal_link_get_kind (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), NULL);
  return self->kind;
}

const char *
pal_link_get_state (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), NULL);
  return self->state;
}

const char *
pal_link_get_mac (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), NULL);
  return self->mac;
}

const char * const *
pal_link_get_addresses (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), NULL);
  return (const char * const *) self->addresses;
}

guint
pal_link_get_flags (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), 0);
  return self->flags;
}

guint
pal_link_get_hardware_type (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), 0);
  return self->hardware_type;
}

guint
pal_link_get_master (PalLink *self)
{
  g_return_val_if_fail (PAL_IS_LINK (self), 0);
  return self->master;
}

gboolean
pal_link_equal (PalLink *a,
                PalLink *b)
{
  g_return_val_if_fail (PAL_IS_LINK (a), FALSE);
  g_return_val_if_fail (PAL_IS_LINK (b), FALSE);

  return a->index == b->index
         && a->flags == b->flags
         && a->hardware_type == b->hardware_type
         && a->master == b->master
         && g_str_equal (a->name, b->name)
         && g_str_equal (a->kind, b->kind)
         && g_str_equal (a->state, b->state)
         && g_str_equal (a->mac, b->mac)
         && g_strv_equal ((const char * const *) a->addresses,
                          (const char * const *) b->addresses);
}

GVariant *
pal_link_to_variant (PalLink *self)
{
  /* Linux allows any bytes but '/', ':' and spaces in a name; D-Bus
   * strings must be UTF-8. */
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;

  g_return_val_if_fail (PAL_IS_LINK (self), NULL);

  name = g_utf8_make_valid (self->name, -1);
  kind = g_utf8_make_valid (self->kind, -1);
  return g_variant_new ("(susss^as)", name, self->index, kind,
                        self->state, self->mac, self->addresses);
}
