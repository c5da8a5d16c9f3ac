/* pal-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-document.h"
#include "pal-enum-types.h"
#include "pal-rule-private.h"

struct _PalDocument
{
  GObject              parent_instance;

  guint                format_version;
  gboolean             enabled;
  PalVerdict           default_verdict;
  gboolean             log_denied;
  GListStore          *rules;
  GPtrArray           *rule_array;   /* the same, borrowed (pal-rule-private.h) */
  GListStore          *interfaces;
  guint64              trigger_duration;
  GStrv                trusted;
  PalAdaptiveSettings *adaptive;

  JsonObject          *extra;
  JsonObject          *triggered_extra;
  JsonObject          *adaptive_extra;
};

G_DEFINE_FINAL_TYPE (PalDocument, pal_document, G_TYPE_OBJECT)

G_DEFINE_QUARK (pal-document-error-quark, pal_document_error)

G_DEFINE_BOXED_TYPE (PalAdaptiveSettings, pal_adaptive_settings,
                     pal_adaptive_settings_copy, pal_adaptive_settings_free)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_DEFAULT_VERDICT,
  PROP_LOG_DENIED,
  PROP_TRIGGER_DURATION,
  PROP_TRUSTED,
  PROP_ADAPTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PalAdaptiveSettings *
pal_adaptive_settings_new (void)
{
  PalAdaptiveSettings *settings = g_new0 (PalAdaptiveSettings, 1);
  const char *services[] = { "sshd", NULL };

  settings->failures = PAL_DEFAULT_ADAPTIVE_FAILURES;
  settings->window = PAL_DEFAULT_ADAPTIVE_WINDOW;
  settings->duration = PAL_DEFAULT_ADAPTIVE_DURATION;
  settings->max_duration = PAL_DEFAULT_ADAPTIVE_MAX;
  settings->services = g_strdupv ((char **) services);
  return settings;
}

PalAdaptiveSettings *
pal_adaptive_settings_copy (const PalAdaptiveSettings *settings)
{
  PalAdaptiveSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = g_memdup2 (settings, sizeof *settings);
  copy->services = g_strdupv (settings->services);
  return copy;
}

/* NULL is the empty list. */
static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  const char * const none[] = { NULL };

  return g_strv_equal (a != NULL ? a : none, b != NULL ? b : none);
}

gboolean
pal_adaptive_settings_equal (const PalAdaptiveSettings *a,
                             const PalAdaptiveSettings *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return !a->enabled == !b->enabled && a->failures == b->failures && a->window == b->window
         && a->duration == b->duration && a->max_duration == b->max_duration
         && strv_equal ((const char * const *) a->services, (const char * const *) b->services);
}

void
pal_adaptive_settings_free (PalAdaptiveSettings *settings)
{
  if (settings == NULL)
    return;
  g_strfreev (settings->services);
  g_free (settings);
}

static void
pal_document_finalize (GObject *object)
{
  PalDocument *self = PAL_DOCUMENT (object);

  g_clear_object (&self->rules);
  g_clear_pointer (&self->rule_array, g_ptr_array_unref);
  g_clear_object (&self->interfaces);
  g_clear_pointer (&self->trusted, g_strfreev);
  g_clear_pointer (&self->adaptive, pal_adaptive_settings_free);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->triggered_extra, json_object_unref);
  g_clear_pointer (&self->adaptive_extra, json_object_unref);

  G_OBJECT_CLASS (pal_document_parent_class)->finalize (object);
}

static void
pal_document_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PalDocument *self = PAL_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_DEFAULT_VERDICT:
      g_value_set_enum (value, self->default_verdict);
      break;
    case PROP_LOG_DENIED:
      g_value_set_boolean (value, self->log_denied);
      break;
    case PROP_TRIGGER_DURATION:
      g_value_set_uint64 (value, self->trigger_duration);
      break;
    case PROP_TRUSTED:
      g_value_set_boxed (value, self->trusted);
      break;
    case PROP_ADAPTIVE:
      g_value_set_boxed (value, self->adaptive);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_document_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PalDocument *self = PAL_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      pal_document_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_DEFAULT_VERDICT:
      pal_document_set_default_verdict (self, g_value_get_enum (value));
      break;
    case PROP_LOG_DENIED:
      pal_document_set_log_denied (self, g_value_get_boolean (value));
      break;
    case PROP_TRIGGER_DURATION:
      pal_document_set_trigger_duration (self, g_value_get_uint64 (value));
      break;
    case PROP_TRUSTED:
      pal_document_set_trusted (self, g_value_get_boxed (value));
      break;
    case PROP_ADAPTIVE:
      if (g_value_get_boxed (value) != NULL)
        pal_document_set_adaptive (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_document_class_init (PalDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pal_document_finalize;
  object_class->get_property = pal_document_get_property;
  object_class->set_property = pal_document_set_property;

  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, rw);
  properties[PROP_DEFAULT_VERDICT] =
    g_param_spec_enum ("default-verdict", NULL, NULL, PAL_TYPE_VERDICT, PAL_VERDICT_PASS, rw);
  properties[PROP_LOG_DENIED] = g_param_spec_boolean ("log-denied", NULL, NULL, FALSE, rw);
  properties[PROP_TRIGGER_DURATION] =
    g_param_spec_uint64 ("trigger-duration", NULL, NULL, 0, G_MAXUINT64,
                         PAL_DEFAULT_TRIGGER_DURATION, rw);
  /* Boxed, so the window's undo stack can set them like any property. */
  properties[PROP_TRUSTED] = g_param_spec_boxed ("trusted", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ADAPTIVE] =
    g_param_spec_boxed ("adaptive", NULL, NULL, PAL_TYPE_ADAPTIVE_SETTINGS, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pal_document_init (PalDocument *self)
{
  self->format_version = PAL_FWDOC_VERSION;
  self->default_verdict = PAL_VERDICT_PASS;
  self->rules = g_list_store_new (PAL_TYPE_RULE);
  self->rule_array = g_ptr_array_new ();
  self->interfaces = g_list_store_new (PAL_TYPE_INTERFACE_CONFIG);
  self->trigger_duration = PAL_DEFAULT_TRIGGER_DURATION;
  self->trusted = g_new0 (char *, 1);
  self->adaptive = pal_adaptive_settings_new ();
}

PalDocument *
pal_document_new (void)
{
  return g_object_new (PAL_TYPE_DOCUMENT, NULL);
}

static JsonObject *
ref_or_null (JsonObject *object)
{
  return object != NULL ? json_object_ref (object) : NULL;
}

PalDocument *
pal_document_copy (PalDocument *self)
{
  PalDocument *copy;
  guint n;

  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);

  copy = pal_document_new ();
  copy->format_version = self->format_version;
  copy->enabled = self->enabled;
  copy->default_verdict = self->default_verdict;
  copy->log_denied = self->log_denied;
  copy->trigger_duration = self->trigger_duration;
  pal_document_set_trusted (copy, (const char * const *) self->trusted);
  pal_document_set_adaptive (copy, self->adaptive);
  copy->extra = ref_or_null (self->extra);
  copy->triggered_extra = ref_or_null (self->triggered_extra);
  copy->adaptive_extra = ref_or_null (self->adaptive_extra);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rules));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (G_LIST_MODEL (self->rules), i);
      g_autoptr(PalRule) rule_copy = pal_rule_copy (rule, TRUE);
      g_list_store_append (copy->rules, rule_copy);
      g_ptr_array_add (copy->rule_array, rule_copy);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->interfaces));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config =
        g_list_model_get_item (G_LIST_MODEL (self->interfaces), i);
      g_autoptr(PalInterfaceConfig) config_copy = pal_interface_config_copy (config);
      g_list_store_append (copy->interfaces, config_copy);
    }
  return copy;
}

guint
pal_document_get_format_version (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), 0);
  return self->format_version;
}

void
pal_document_set_format_version (PalDocument *self,
                                 guint        version)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  self->format_version = version;
}

gboolean
pal_document_get_enabled (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), FALSE);
  return self->enabled;
}

void
pal_document_set_enabled (PalDocument *self,
                          gboolean     enabled)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

PalVerdict
pal_document_get_default_verdict (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), PAL_VERDICT_PASS);
  return self->default_verdict;
}

void
pal_document_set_default_verdict (PalDocument *self,
                                  PalVerdict   verdict)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (verdict <= PAL_VERDICT_REJECT);

  if (self->default_verdict == verdict)
    return;
  self->default_verdict = verdict;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_VERDICT]);
}

gboolean
pal_document_get_log_denied (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), FALSE);
  return self->log_denied;
}

void
pal_document_set_log_denied (PalDocument *self,
                             gboolean     log_denied)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));

  log_denied = !!log_denied;
  if (self->log_denied == log_denied)
    return;
  self->log_denied = log_denied;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_DENIED]);
}

GListModel *
pal_document_get_rules (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return G_LIST_MODEL (self->rules);
}

PalRule **
pal_document_peek_rules (PalDocument *self,
                         guint       *n_rules)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (n_rules != NULL, NULL);

  *n_rules = self->rule_array->len;
  return *n_rules > 0 ? (PalRule **) self->rule_array->pdata : NULL;
}

void
pal_document_insert_rule (PalDocument *self,
                          guint        position,
                          PalRule     *rule)
{
  guint n;

  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (pal_rule_get_parent (rule) == NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rules));
  g_list_store_insert (self->rules, MIN (position, n), rule);
  g_ptr_array_insert (self->rule_array, (gint) MIN (position, n), rule);
}

void
pal_document_append_rule (PalDocument *self,
                          PalRule     *rule)
{
  pal_document_insert_rule (self, G_MAXUINT, rule);
}

void
pal_document_remove_rule (PalDocument *self,
                          guint        position)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->rules)));

  g_ptr_array_remove_index (self->rule_array, position);
  g_list_store_remove (self->rules, position);
}

void
pal_document_set_rules (PalDocument *self,
                        GPtrArray   *rules)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (rules != NULL);

  /* One items-changed, so a view rebuilds once, not once per rule. */
  g_ptr_array_set_size (self->rule_array, 0);
  for (guint i = 0; i < rules->len; i++)
    g_ptr_array_add (self->rule_array, g_ptr_array_index (rules, i));
  g_list_store_splice (self->rules, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->rules)),
                       rules->pdata, rules->len);
}

guint
pal_document_count_rules (PalDocument *self)
{
  guint n, count = 0;

  g_return_val_if_fail (PAL_IS_DOCUMENT (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rules));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (G_LIST_MODEL (self->rules), i);
      count += pal_rule_count (rule);
    }
  return count;
}

static PalRule *
find_in_model (GListModel *model,
               const char *id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (model, i);
      PalRule *found;

      if (g_strcmp0 (pal_rule_get_id (rule), id) == 0)
        return rule;  /* still referenced by its model */
      found = find_in_model (pal_rule_get_children (rule), id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Returns the rule (owned by the document) or NULL. */
PalRule *
pal_document_find_rule (PalDocument *self,
                        const char  *id)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return find_in_model (G_LIST_MODEL (self->rules), id);
}

GListModel *
pal_document_get_interfaces (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return G_LIST_MODEL (self->interfaces);
}

static gboolean
find_interface (PalDocument *self,
                const char  *name,
                guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->interfaces));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config =
        g_list_model_get_item (G_LIST_MODEL (self->interfaces), i);
      int cmp = g_strcmp0 (pal_interface_config_get_name (config), name);

      if (cmp >= 0)
        {
          *position = i;
          return cmp == 0;
        }
    }
  *position = n;
  return FALSE;
}

PalInterfaceConfig *
pal_document_lookup_interface (PalDocument *self,
                               const char  *name)
{
  PalInterfaceConfig *config;
  guint position;

  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!find_interface (self, name, &position))
    return NULL;

  /* Borrowed: the store keeps its reference. */
  config = g_list_model_get_item (G_LIST_MODEL (self->interfaces), position);
  g_object_unref (config);
  return config;
}

void
pal_document_set_interface (PalDocument        *self,
                            PalInterfaceConfig *config)
{
  guint position;

  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (PAL_IS_INTERFACE_CONFIG (config));

  if (find_interface (self, pal_interface_config_get_name (config), &position))
    g_list_store_splice (self->interfaces, position, 1, (gpointer *) &config, 1);
  else
    g_list_store_insert (self->interfaces, position, config);
}

void
pal_document_remove_interface (PalDocument *self,
                               const char  *name)
{
  guint position;

  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (name != NULL);

  if (find_interface (self, name, &position))
    g_list_store_remove (self->interfaces, position);
}

guint64
pal_document_get_trigger_duration (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), 0);
  return self->trigger_duration;
}

void
pal_document_set_trigger_duration (PalDocument *self,
                                   guint64      seconds)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));

  if (self->trigger_duration == seconds)
    return;
  self->trigger_duration = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRIGGER_DURATION]);
}

const char * const *
pal_document_get_trusted (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return (const char * const *) self->trusted;
}

void
pal_document_set_trusted (PalDocument        *self,
                          const char * const *trusted)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));

  if (strv_equal ((const char * const *) self->trusted, trusted))
    return;
  g_strfreev (self->trusted);
  self->trusted = trusted != NULL ? g_strdupv ((char **) trusted) : g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUSTED]);
}

const PalAdaptiveSettings *
pal_document_get_adaptive (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return self->adaptive;
}

void
pal_document_set_adaptive (PalDocument               *self,
                           const PalAdaptiveSettings *settings)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  g_return_if_fail (settings != NULL);

  if (settings == self->adaptive || pal_adaptive_settings_equal (settings, self->adaptive))
    return;
  pal_adaptive_settings_free (self->adaptive);
  self->adaptive = pal_adaptive_settings_copy (settings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADAPTIVE]);
}

static void
replace_object (JsonObject **member,
                JsonObject  *object)
{
  if (object != NULL)
    json_object_ref (object);
  g_clear_pointer (member, json_object_unref);
  *member = object;
}

JsonObject *
pal_document_get_extra (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return self->extra;
}

void
pal_document_set_extra (PalDocument *self,
                        JsonObject  *extra)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  replace_object (&self->extra, extra);
}

JsonObject *
pal_document_get_triggered_extra (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return self->triggered_extra;
}

void
pal_document_set_triggered_extra (PalDocument *self,
                                  JsonObject  *extra)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  replace_object (&self->triggered_extra, extra);
}

JsonObject *
pal_document_get_adaptive_extra (PalDocument *self)
{
  g_return_val_if_fail (PAL_IS_DOCUMENT (self), NULL);
  return self->adaptive_extra;
}

void
pal_document_set_adaptive_extra (PalDocument *self,
                                 JsonObject  *extra)
{
  g_return_if_fail (PAL_IS_DOCUMENT (self));
  replace_object (&self->adaptive_extra, extra);
}
