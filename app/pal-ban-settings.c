/* pal-ban-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-ban-settings.h"
#include "pal-problem.h"
#include "pal-validator.h"
#include "pal-value.h"

typedef enum
{
  FIELD_EXPIRATION,
  FIELD_FAILURES,
  FIELD_WINDOW,
  FIELD_DURATION,
  FIELD_MAX_DURATION,
  FIELD_SERVICES,
  N_FIELDS
} Field;

/* The names the public functions take, in Field order. */
static const char * const field_names[N_FIELDS] = {
  "expiration", "failures", "window", "duration", "max-duration", "services",
};

struct _PalBanSettings
{
  AdwPreferencesGroup parent_instance;

  AdwActionRow   *rows[N_FIELDS];
  GtkEntry       *entries[N_FIELDS];
  AdwExpanderRow *adaptive_row;

  char           *subtitles[N_FIELDS];  /* as the template has them */
  PalUndoStack   *undo;
  PalDocument    *document;
  gboolean        filling;
};

G_DEFINE_FINAL_TYPE (PalBanSettings, pal_ban_settings, ADW_TYPE_PREFERENCES_GROUP)

static void
set_error (PalBanSettings *self,
           Field           field,
           const char     *message)
{
  GtkWidget *row = GTK_WIDGET (self->rows[field]);
  GtkWidget *entry = GTK_WIDGET (self->entries[field]);

  adw_action_row_set_subtitle (self->rows[field], message != NULL ? message : self->subtitles[field]);
  g_object_set_data_full (G_OBJECT (row), "pal-error", g_strdup (message != NULL ? message : ""), g_free);
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_add_css_class (entry, "error");
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_remove_css_class (entry, "error");
    }
}

static char *
format_field (PalBanSettings *self,
              Field           field)
{
  const PalAdaptiveSettings *adaptive = pal_document_get_adaptive (self->document);

  switch (field)
    {
    case FIELD_EXPIRATION:
      return pal_duration_print (pal_document_get_trigger_duration (self->document));
    case FIELD_FAILURES:
      return g_strdup_printf ("%u", adaptive->failures);
    case FIELD_WINDOW:
      return pal_duration_print (adaptive->window);
    case FIELD_DURATION:
      return pal_duration_print (adaptive->duration);
    case FIELD_MAX_DURATION:
      return pal_duration_print (adaptive->max_duration);
    case FIELD_SERVICES:
      return adaptive->services != NULL ? g_strjoinv (", ", adaptive->services) : g_strdup ("");
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* From the document: after opening, undo and redo as after an edit. */
static void
fill (PalBanSettings *self)
{
  self->filling = TRUE;
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autofree char *text = format_field (self, field);

      gtk_editable_set_text (GTK_EDITABLE (self->entries[field]), text);
      set_error (self, field, NULL);
    }
  adw_expander_row_set_enable_expansion (self->adaptive_row, pal_document_get_adaptive (self->document)->enabled);
  self->filling = FALSE;
}

static void
commit_property (PalBanSettings *self,
                 const char     *label,
                 const char     *property,
                 const GValue   *value)
{
  pal_undo_stack_begin (self->undo, label);
  pal_undo_stack_set (self->undo, G_OBJECT (self->document), property, value);
  pal_undo_stack_end (self->undo);
}

static void
commit_adaptive (PalBanSettings            *self,
                 const char                *label,
                 const PalAdaptiveSettings *adaptive)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, PAL_TYPE_ADAPTIVE_SETTINGS);
  g_value_set_boxed (&value, adaptive);
  commit_property (self, label, "adaptive", &value);
}

static gboolean
parse_duration (const char  *text,
                guint64     *seconds,
                GError     **error)
{
  if (!pal_duration_parse (text, seconds, error))
    return FALSE;
  if (*seconds == 0)
    {
      g_set_error_literal (error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_INVALID_VALUE,
                           _("A duration of 0s is not a ban; write at least 1s."));
      return FALSE;
    }
  return TRUE;
}

/* Reads text into the adaptive settings' field. */
static gboolean
parse_adaptive (Field                 field,
                const char           *text,
                PalAdaptiveSettings  *adaptive,
                GError              **error)
{
  guint64 number;

  switch (field)
    {
    case FIELD_FAILURES:
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &number, NULL))
        {
          g_set_error (error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_INVALID_VALUE,
                       _("“%s” is not a number of failed logins; write it like 10."), text);
          return FALSE;
        }
      adaptive->failures = (guint) number;
      return TRUE;
    case FIELD_WINDOW:
      return parse_duration (text, &adaptive->window, error);
    case FIELD_DURATION:
      return parse_duration (text, &adaptive->duration, error);
    case FIELD_MAX_DURATION:
      return parse_duration (text, &adaptive->max_duration, error);
    case FIELD_SERVICES:
      g_strfreev (adaptive->services);
      adaptive->services = g_strsplit_set (text, ", \t", -1);
      /* Empty words from runs of separators. */
      for (guint i = 0, j = 0;; i++)
        {
          if (adaptive->services[i] != NULL && *adaptive->services[i] == '\0')
            {
              g_free (adaptive->services[i]);
              continue;
            }
          adaptive->services[j++] = adaptive->services[i];
          if (adaptive->services[i] == NULL)
            break;
        }
      return TRUE;
    case FIELD_EXPIRATION:
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* The undo label of a change of field. */
static const char *
field_label (Field field)
{
  switch (field)
    {
    case FIELD_EXPIRATION:
      return _("Set Expiration Interval");
    case FIELD_FAILURES:
      return _("Set Failed Logins Before a Ban");
    case FIELD_WINDOW:
      return _("Set Failed Logins Window");
    case FIELD_DURATION:
      return _("Set First Ban");
    case FIELD_MAX_DURATION:
      return _("Set Longest Ban");
    case FIELD_SERVICES:
      return _("Set Watched Services");
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
take_expiration (PalBanSettings  *self,
                 const char      *text,
                 GError         **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  guint64 seconds;

  if (!parse_duration (text, &seconds, error))
    return FALSE;
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, seconds);
  commit_property (self, field_label (FIELD_EXPIRATION), "trigger-duration", &value);
  return TRUE;
}

static gboolean
take_adaptive (PalBanSettings  *self,
               Field            field,
               const char      *text,
               GError         **error)
{
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_copy (pal_document_get_adaptive (self->document));
  g_autoptr(GPtrArray) problems = NULL;

  if (!parse_adaptive (field, text, adaptive, error))
    return FALSE;
  problems = pal_validate_adaptive (adaptive);
  if (problems->len > 0)
    {
      PalProblem *problem = g_ptr_array_index (problems, 0);

      g_set_error_literal (error, PAL_DOCUMENT_ERROR, problem->code, problem->message);
      return FALSE;
    }
  commit_adaptive (self, field_label (field), adaptive);
  return TRUE;
}

/* Takes what the entry of field holds into the document, or says why not. */
static void
take (PalBanSettings *self,
      Field           field)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entries[field]))));
  g_autoptr(GError) error = NULL;
  gboolean taken;

  if (self->undo == NULL || self->filling)
    return;
  if (field == FIELD_EXPIRATION)
    taken = take_expiration (self, text, &error);
  else
    taken = take_adaptive (self, field, text, &error);
  if (!taken)
    {
      set_error (self, field, error->message);
      return;
    }
  /* Unchanged values are not commands: still show them as written. */
  {
    g_autofree char *written = format_field (self, field);

    gtk_editable_set_text (GTK_EDITABLE (self->entries[field]), written);
    set_error (self, field, NULL);
  }
}

static Field
entry_field (PalBanSettings *self,
             GtkWidget      *entry)
{
  for (Field field = 0; field < N_FIELDS; field++)
    if (GTK_WIDGET (self->entries[field]) == entry)
      return field;
  g_assert_not_reached ();
}

static void
entry_activate_cb (GtkEntry       *entry,
                   PalBanSettings *self)
{
  take (self, entry_field (self, GTK_WIDGET (entry)));
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                PalBanSettings          *self)
{
  take (self, entry_field (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller))));
}

static void
enable_expansion_cb (PalBanSettings *self)
{
  g_autoptr(PalAdaptiveSettings) adaptive = NULL;

  if (self->undo == NULL || self->filling)
    return;
  adaptive = pal_adaptive_settings_copy (pal_document_get_adaptive (self->document));
  adaptive->enabled = adw_expander_row_get_enable_expansion (self->adaptive_row);
  commit_adaptive (self, adaptive->enabled ? _("Turn On the Adaptive Firewall") : _("Turn Off the Adaptive Firewall"),
                   adaptive);
}

void
pal_ban_settings_set_undo_stack (PalBanSettings *self,
                                 PalUndoStack   *undo)
{
  g_return_if_fail (PAL_IS_BAN_SETTINGS (self));
  g_return_if_fail (PAL_IS_UNDO_STACK (undo));

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->undo, undo);
  g_set_object (&self->document, pal_undo_stack_get_document (undo));
  g_signal_connect_swapped (self->document, "notify::trigger-duration", G_CALLBACK (fill), self);
  g_signal_connect_swapped (self->document, "notify::adaptive", G_CALLBACK (fill), self);
  fill (self);
}

static gint
lookup_field (const char *setting)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_strcmp0 (field_names[i], setting) == 0)
      return (gint) i;
  return -1;
}

GtkEditable *
pal_ban_settings_get_entry (PalBanSettings *self,
                            const char     *setting)
{
  gint field;

  g_return_val_if_fail (PAL_IS_BAN_SETTINGS (self), NULL);

  field = lookup_field (setting);
  return field >= 0 ? GTK_EDITABLE (self->entries[field]) : NULL;
}

const char *
pal_ban_settings_get_error (PalBanSettings *self,
                            const char     *setting)
{
  gint field;
  const char *error;

  g_return_val_if_fail (PAL_IS_BAN_SETTINGS (self), NULL);

  field = lookup_field (setting);
  g_return_val_if_fail (field >= 0, NULL);
  error = g_object_get_data (G_OBJECT (self->rows[field]), "pal-error");
  return error != NULL ? error : "";
}

AdwExpanderRow *
pal_ban_settings_get_adaptive_row (PalBanSettings *self)
{
  g_return_val_if_fail (PAL_IS_BAN_SETTINGS (self), NULL);
  return self->adaptive_row;
}

static void
pal_ban_settings_dispose (GObject *object)
{
  PalBanSettings *self = PAL_BAN_SETTINGS (object);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_object (&self->undo);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_BAN_SETTINGS);

  G_OBJECT_CLASS (pal_ban_settings_parent_class)->dispose (object);
}

static void
pal_ban_settings_finalize (GObject *object)
{
  PalBanSettings *self = PAL_BAN_SETTINGS (object);

  for (Field field = 0; field < N_FIELDS; field++)
    g_free (self->subtitles[field]);

  G_OBJECT_CLASS (pal_ban_settings_parent_class)->finalize (object);
}

static void
pal_ban_settings_class_init (PalBanSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_ban_settings_dispose;
  object_class->finalize = pal_ban_settings_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/palisade/Palisade/pal-ban-settings.ui");
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autofree char *row = g_strdup_printf ("%s_row", field_names[field]);
      g_autofree char *entry = g_strdup_printf ("%s_entry", field_names[field]);

      g_strdelimit (row, "-", '_');
      g_strdelimit (entry, "-", '_');
      gtk_widget_class_bind_template_child_full (widget_class, row, FALSE,
                                                 G_STRUCT_OFFSET (PalBanSettings, rows) + field * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, entry, FALSE,
                                                 G_STRUCT_OFFSET (PalBanSettings, entries)
                                                 + field * sizeof (gpointer));
    }
  gtk_widget_class_bind_template_child (widget_class, PalBanSettings, adaptive_row);
  gtk_widget_class_bind_template_callback (widget_class, enable_expansion_cb);
}

static void
pal_ban_settings_init (PalBanSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (Field field = 0; field < N_FIELDS; field++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      self->subtitles[field] = g_strdup (adw_action_row_get_subtitle (self->rows[field]));
      g_signal_connect (self->entries[field], "activate", G_CALLBACK (entry_activate_cb), self);
      g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self->entries[field]), focus);
    }
}
