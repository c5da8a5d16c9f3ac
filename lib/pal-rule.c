/* pal-rule.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-enum-types.h"
#include "pal-rule.h"
#include "pal-rule-private.h"

struct _PalRule
{
  GObject      parent_instance;

  char        *id;
  char        *name;
  char        *value;
  char        *parameter;
  PalProperty  property;
  PalRelation  relation;
  PalAction    action;
  guint        enabled : 1;
  guint        read_only : 1;

  GListStore  *children;
  GPtrArray   *child_array;   /* the same, borrowed (pal-rule-private.h); NULL: none yet */
  PalRule     *parent;   /* not a reference: the parent's store holds us */
  JsonObject  *extra;
};

G_DEFINE_FINAL_TYPE (PalRule, pal_rule, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ENABLED,
  PROP_NAME,
  PROP_PROPERTY,
  PROP_RELATION,
  PROP_VALUE,
  PROP_ACTION,
  PROP_PARAMETER,
  PROP_READ_ONLY,
  PROP_CHILDREN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pal_rule_dispose (GObject *object)
{
  PalRule *self = PAL_RULE (object);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->children));

  /* Children may outlive us if someone else holds them: no dangling parent. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = g_list_model_get_item (G_LIST_MODEL (self->children), i);
      child->parent = NULL;
    }
  g_list_store_remove_all (self->children);
  g_clear_pointer (&self->child_array, g_ptr_array_unref);

  G_OBJECT_CLASS (pal_rule_parent_class)->dispose (object);
}

static void
pal_rule_finalize (GObject *object)
{
  PalRule *self = PAL_RULE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->parameter, g_free);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (pal_rule_parent_class)->finalize (object);
}

static void
pal_rule_get_gproperty (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PalRule *self = PAL_RULE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROPERTY:
      g_value_set_enum (value, self->property);
      break;
    case PROP_RELATION:
      g_value_set_enum (value, self->relation);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    case PROP_PARAMETER:
      g_value_set_string (value, self->parameter);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_CHILDREN:
      g_value_set_object (value, self->children);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_rule_set_gproperty (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PalRule *self = PAL_RULE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      pal_rule_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_NAME:
      pal_rule_set_name (self, g_value_get_string (value));
      break;
    case PROP_PROPERTY:
      pal_rule_set_property (self, g_value_get_enum (value));
      break;
    case PROP_RELATION:
      pal_rule_set_relation (self, g_value_get_enum (value));
      break;
    case PROP_VALUE:
      pal_rule_set_value (self, g_value_get_string (value));
      break;
    case PROP_ACTION:
      pal_rule_set_action (self, g_value_get_enum (value));
      break;
    case PROP_PARAMETER:
      pal_rule_set_parameter (self, g_value_get_string (value));
      break;
    case PROP_READ_ONLY:
      pal_rule_set_read_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_rule_class_init (PalRuleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pal_rule_dispose;
  object_class->finalize = pal_rule_finalize;
  object_class->get_property = pal_rule_get_gproperty;
  object_class->set_property = pal_rule_set_gproperty;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", rw);
  properties[PROP_PROPERTY] =
    g_param_spec_enum ("property", NULL, NULL, PAL_TYPE_PROPERTY, PAL_PROPERTY_ANY, rw);
  properties[PROP_RELATION] =
    g_param_spec_enum ("relation", NULL, NULL, PAL_TYPE_RELATION, PAL_RELATION_IS, rw);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, "", rw);
  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, PAL_TYPE_ACTION, PAL_ACTION_PASS, rw);
  properties[PROP_PARAMETER] = g_param_spec_string ("parameter", NULL, NULL, "", rw);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, rw);
  properties[PROP_CHILDREN] =
    g_param_spec_object ("children", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pal_rule_init (PalRule *self)
{
  /* The id is the constructors': a random UUID costs more than the rest of
   * a rule, and a file's rules come with theirs. */
  self->name = g_strdup ("");
  self->value = g_strdup ("");
  self->parameter = g_strdup ("");
  self->enabled = TRUE;
  self->children = g_list_store_new (PAL_TYPE_RULE);
}

PalRule *
pal_rule_new (PalProperty property,
              PalAction   action)
{
  PalRule *self = g_object_new (PAL_TYPE_RULE, NULL);

  self->id = g_uuid_string_random ();
  self->property = property;
  self->action = action;
  return self;
}

PalRule *
pal_rule_new_with_id (const char *id)
{
  PalRule *self;

  g_return_val_if_fail (id != NULL && g_uuid_string_is_valid (id), NULL);

  self = g_object_new (PAL_TYPE_RULE, NULL);
  self->id = g_ascii_strdown (id, -1);
  return self;
}

PalRule *
pal_rule_copy (PalRule  *self,
               gboolean  keep_ids)
{
  PalRule *copy;
  guint n;

  g_return_val_if_fail (PAL_IS_RULE (self), NULL);

  copy = keep_ids ? pal_rule_new_with_id (self->id) : pal_rule_new (self->property, self->action);
  copy->property = self->property;
  copy->action = self->action;
  copy->enabled = self->enabled;
  copy->read_only = self->read_only;
  copy->relation = self->relation;
  g_free (copy->name);
  copy->name = g_strdup (self->name);
  g_free (copy->value);
  copy->value = g_strdup (self->value);
  g_free (copy->parameter);
  copy->parameter = g_strdup (self->parameter);
  if (self->extra != NULL)
    copy->extra = json_object_ref (self->extra);

  n = pal_rule_get_n_children (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = pal_rule_get_child (self, i);
      g_autoptr(PalRule) child_copy = pal_rule_copy (child, keep_ids);
      pal_rule_append_child (copy, child_copy);
    }
  return copy;
}

const char *
pal_rule_get_id (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->id;
}

gboolean
pal_rule_set_id (PalRule    *self,
                 const char *id)
{
  g_return_val_if_fail (PAL_IS_RULE (self), FALSE);

  if (id == NULL || !g_uuid_string_is_valid (id))
    return FALSE;
  if (g_strcmp0 (self->id, id) == 0)
    return TRUE;

  g_free (self->id);
  self->id = g_ascii_strdown (id, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  return TRUE;
}

void
pal_rule_renew_ids (PalRule *self)
{
  guint n;

  g_return_if_fail (PAL_IS_RULE (self));

  g_free (self->id);
  self->id = g_uuid_string_random ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);

  n = pal_rule_get_n_children (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = pal_rule_get_child (self, i);
      pal_rule_renew_ids (child);
    }
}

gboolean
pal_rule_get_enabled (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), FALSE);
  return self->enabled;
}

void
pal_rule_set_enabled (PalRule  *self,
                      gboolean  enabled)
{
  g_return_if_fail (PAL_IS_RULE (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
pal_rule_get_effective_enabled (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), FALSE);

  for (PalRule *rule = self; rule != NULL; rule = rule->parent)
    if (!rule->enabled)
      return FALSE;
  return TRUE;
}

/* Setters of the string members share this: notify only on a real change. */
static void
set_string (PalRule     *self,
            char       **member,
            const char  *text,
            guint        prop_id)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (*member, text) == 0)
    return;
  g_free (*member);
  *member = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

const char *
pal_rule_get_name (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->name;
}

void
pal_rule_set_name (PalRule    *self,
                   const char *name)
{
  g_return_if_fail (PAL_IS_RULE (self));
  set_string (self, &self->name, name, PROP_NAME);
}

PalProperty
pal_rule_get_property (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), PAL_PROPERTY_ANY);
  return self->property;
}

void
pal_rule_set_property (PalRule     *self,
                       PalProperty  property)
{
  g_return_if_fail (PAL_IS_RULE (self));
  g_return_if_fail (property < PAL_N_PROPERTIES);

  if (self->property == property)
    return;
  self->property = property;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPERTY]);
}

PalRelation
pal_rule_get_relation (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), PAL_RELATION_IS);
  return self->relation;
}

void
pal_rule_set_relation (PalRule     *self,
                       PalRelation  relation)
{
  g_return_if_fail (PAL_IS_RULE (self));
  g_return_if_fail (relation <= PAL_RELATION_IS_NOT);

  if (self->relation == relation)
    return;
  self->relation = relation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RELATION]);
}

const char *
pal_rule_get_value (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->value;
}

void
pal_rule_set_value (PalRule    *self,
                    const char *value)
{
  g_return_if_fail (PAL_IS_RULE (self));
  set_string (self, &self->value, value, PROP_VALUE);
}

PalAction
pal_rule_get_action (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), PAL_ACTION_PASS);
  return self->action;
}

void
pal_rule_set_action (PalRule   *self,
                     PalAction  action)
{
  g_return_if_fail (PAL_IS_RULE (self));
  g_return_if_fail (action <= PAL_ACTION_COUNT);

  if (self->action == action)
    return;
  self->action = action;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

const char *
pal_rule_get_parameter (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->parameter;
}

void
pal_rule_set_parameter (PalRule    *self,
                        const char *parameter)
{
  g_return_if_fail (PAL_IS_RULE (self));
  set_string (self, &self->parameter, parameter, PROP_PARAMETER);
}

gboolean
pal_rule_get_read_only (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), FALSE);
  return self->read_only;
}

void
pal_rule_set_read_only (PalRule  *self,
                        gboolean  read_only)
{
  g_return_if_fail (PAL_IS_RULE (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

GListModel *
pal_rule_get_children (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return G_LIST_MODEL (self->children);
}

guint
pal_rule_get_n_children (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->children));
}

/* Returns a new reference, or NULL past the end. */
PalRule *
pal_rule_get_child (PalRule *self,
                    guint    position)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return g_list_model_get_item (G_LIST_MODEL (self->children), position);
}

void
pal_rule_insert_child (PalRule *self,
                       guint    position,
                       PalRule *child)
{
  g_return_if_fail (PAL_IS_RULE (self));
  g_return_if_fail (PAL_IS_RULE (child));
  g_return_if_fail (child->parent == NULL);
  g_return_if_fail (child != self);

  position = MIN (position, pal_rule_get_n_children (self));
  child->parent = self;
  g_list_store_insert (self->children, position, child);
  /* Not before: nothing with children has an array it does not need. */
  if (self->child_array == NULL)
    self->child_array = g_ptr_array_new ();
  g_ptr_array_insert (self->child_array, (gint) position, child);
}

void
pal_rule_append_child (PalRule *self,
                       PalRule *child)
{
  pal_rule_insert_child (self, G_MAXUINT, child);
}

void
pal_rule_remove_child (PalRule *self,
                       guint    position)
{
  g_autoptr(PalRule) child = NULL;

  g_return_if_fail (PAL_IS_RULE (self));

  child = pal_rule_get_child (self, position);
  g_return_if_fail (child != NULL);

  child->parent = NULL;
  g_ptr_array_remove_index (self->child_array, position);
  g_list_store_remove (self->children, position);
}

PalRule **
pal_rule_peek_children (PalRule *self,
                        guint   *n_children)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  g_return_val_if_fail (n_children != NULL, NULL);

  *n_children = self->child_array != NULL ? self->child_array->len : 0;
  return *n_children > 0 ? (PalRule **) self->child_array->pdata : NULL;
}

PalRule *
pal_rule_get_parent (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->parent;
}

guint
pal_rule_get_depth (PalRule *self)
{
  guint depth = 0;

  g_return_val_if_fail (PAL_IS_RULE (self), 0);

  for (PalRule *rule = self->parent; rule != NULL; rule = rule->parent)
    depth++;
  return depth;
}

guint
pal_rule_count (PalRule *self)
{
  guint n, count = 1;

  g_return_val_if_fail (PAL_IS_RULE (self), 0);

  n = pal_rule_get_n_children (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = pal_rule_get_child (self, i);
      count += pal_rule_count (child);
    }
  return count;
}

JsonObject *
pal_rule_get_extra (PalRule *self)
{
  g_return_val_if_fail (PAL_IS_RULE (self), NULL);
  return self->extra;
}

void
pal_rule_set_extra (PalRule    *self,
                    JsonObject *extra)
{
  g_return_if_fail (PAL_IS_RULE (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

guint
pal_id_hash (gconstpointer id)
{
  const char *text = id;
  gsize length = strlen (text);
  guint64 hash = 0x9e3779b97f4a7c15ULL ^ length;
  guint64 word;

  for (; length >= 8; text += 8, length -= 8)
    {
      memcpy (&word, text, 8);
      hash = (hash ^ word) * 0xff51afd7ed558ccdULL;
      hash ^= hash >> 29;
    }
  word = 0;
  memcpy (&word, text, length);
  hash = (hash ^ word) * 0xc4ceb9fe1a85ec53ULL;
  return (guint) (hash ^ (hash >> 32));
}
