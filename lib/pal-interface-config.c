/* pal-interface-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-interface-config.h"

struct _PalInterfaceConfig
{
  GObject     parent_instance;
  char       *name;
  gboolean    filter;
  gboolean    external;
  gboolean    bridge;
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (PalInterfaceConfig, pal_interface_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FILTER,
  PROP_EXTERNAL,
  PROP_BRIDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pal_interface_config_finalize (GObject *object)
{
  PalInterfaceConfig *self = PAL_INTERFACE_CONFIG (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->extra, json_object_unref);
  G_OBJECT_CLASS (pal_interface_config_parent_class)->finalize (object);
}

static gboolean *
flag_member (PalInterfaceConfig *self,
             guint               prop_id)
{
  switch (prop_id)
    {
    case PROP_FILTER:
      return &self->filter;
    case PROP_EXTERNAL:
      return &self->external;
    case PROP_BRIDGE:
      return &self->bridge;
    default:
      return NULL;
    }
}

static void
set_flag (PalInterfaceConfig *self,
          guint               prop_id,
          gboolean            value)
{
  gboolean *member = flag_member (self, prop_id);

  value = !!value;
  if (*member == value)
    return;
  *member = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
pal_interface_config_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PalInterfaceConfig *self = PAL_INTERFACE_CONFIG (object);

  if (prop_id == PROP_NAME)
    g_value_set_string (value, self->name);
  else if (flag_member (self, prop_id) != NULL)
    g_value_set_boolean (value, *flag_member (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pal_interface_config_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PalInterfaceConfig *self = PAL_INTERFACE_CONFIG (object);

  if (prop_id == PROP_NAME)
    self->name = g_value_dup_string (value);
  else if (flag_member (self, prop_id) != NULL)
    set_flag (self, prop_id, g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pal_interface_config_class_init (PalInterfaceConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pal_interface_config_finalize;
  object_class->get_property = pal_interface_config_get_property;
  object_class->set_property = pal_interface_config_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] = g_param_spec_boolean ("filter", NULL, NULL, TRUE, rw);
  properties[PROP_EXTERNAL] = g_param_spec_boolean ("external", NULL, NULL, FALSE, rw);
  properties[PROP_BRIDGE] = g_param_spec_boolean ("bridge", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pal_interface_config_init (PalInterfaceConfig *self)
{
  self->filter = TRUE;
}

PalInterfaceConfig *
pal_interface_config_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return g_object_new (PAL_TYPE_INTERFACE_CONFIG, "name", name, NULL);
}

PalInterfaceConfig *
pal_interface_config_copy (PalInterfaceConfig *self)
{
  PalInterfaceConfig *copy;

  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), NULL);

  copy = pal_interface_config_new (self->name);
  copy->filter = self->filter;
  copy->external = self->external;
  copy->bridge = self->bridge;
  pal_interface_config_set_extra (copy, self->extra);
  return copy;
}

const char *
pal_interface_config_get_name (PalInterfaceConfig *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), NULL);
  return self->name;
}

gboolean
pal_interface_config_get_filter (PalInterfaceConfig *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), FALSE);
  return self->filter;
}

void
pal_interface_config_set_filter (PalInterfaceConfig *self,
                                 gboolean            filter)
{
  g_return_if_fail (PAL_IS_INTERFACE_CONFIG (self));
  set_flag (self, PROP_FILTER, filter);
}

gboolean
pal_interface_config_get_external (PalInterfaceConfig *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), FALSE);
  return self->external;
}

void
pal_interface_config_set_external (PalInterfaceConfig *self,
                                   gboolean            external)
{
  g_return_if_fail (PAL_IS_INTERFACE_CONFIG (self));
  set_flag (self, PROP_EXTERNAL, external);
}

gboolean
pal_interface_config_get_bridge (PalInterfaceConfig *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), FALSE);
  return self->bridge;
}

void
pal_interface_config_set_bridge (PalInterfaceConfig *self,
                                 gboolean            bridge)
{
  g_return_if_fail (PAL_IS_INTERFACE_CONFIG (self));
  set_flag (self, PROP_BRIDGE, bridge);
}

JsonObject *
pal_interface_config_get_extra (PalInterfaceConfig *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACE_CONFIG (self), NULL);
  return self->extra;
}

void
pal_interface_config_set_extra (PalInterfaceConfig *self,
                                JsonObject         *extra)
{
  g_return_if_fail (PAL_IS_INTERFACE_CONFIG (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
