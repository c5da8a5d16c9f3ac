/* pal-inline-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-inline-entry.h"

struct _PalInlineEntry
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
  GtkText   *text;       /* made on the first edit, shown only while editing */
  char      *value;
  gboolean   editable;
  gboolean   stopping;
};

G_DEFINE_FINAL_TYPE (PalInlineEntry, pal_inline_entry, GTK_TYPE_WIDGET)

enum {
  COMMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
pal_inline_entry_get_text (PalInlineEntry *self)
{
  g_return_val_if_fail (PAL_IS_INLINE_ENTRY (self), NULL);
  return self->value;
}

void
pal_inline_entry_set_text (PalInlineEntry *self,
                           const char     *text)
{
  g_return_if_fail (PAL_IS_INLINE_ENTRY (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->value, text) == 0)
    return;
  g_free (self->value);
  self->value = g_strdup (text);
  gtk_label_set_text (self->label, text);
}

gboolean
pal_inline_entry_get_editable (PalInlineEntry *self)
{
  g_return_val_if_fail (PAL_IS_INLINE_ENTRY (self), FALSE);
  return self->editable;
}

void
pal_inline_entry_set_editable (PalInlineEntry *self,
                               gboolean        editable)
{
  g_return_if_fail (PAL_IS_INLINE_ENTRY (self));

  self->editable = !!editable;
  if (!editable && pal_inline_entry_get_editing (self))
    pal_inline_entry_stop_editing (self, FALSE);
}

gboolean
pal_inline_entry_get_editing (PalInlineEntry *self)
{
  g_return_val_if_fail (PAL_IS_INLINE_ENTRY (self), FALSE);
  return self->text != NULL && gtk_widget_get_visible (GTK_WIDGET (self->text));
}

static void ensure_text (PalInlineEntry *self);

void
pal_inline_entry_start_editing (PalInlineEntry *self)
{
  g_return_if_fail (PAL_IS_INLINE_ENTRY (self));

  if (!self->editable || pal_inline_entry_get_editing (self))
    return;
  ensure_text (self);
  gtk_editable_set_text (GTK_EDITABLE (self->text), self->value);
  gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->text), TRUE);
  /* Cursor at the end, nothing selected: GTK 4.8's cursor blink warns
   * about (and mishandles) a selection made as the text takes focus. */
  gtk_text_grab_focus_without_selecting (self->text);
  gtk_editable_set_position (GTK_EDITABLE (self->text), -1);
  gtk_widget_add_css_class (GTK_WIDGET (self), "editing");
}

void
pal_inline_entry_stop_editing (PalInlineEntry *self,
                               gboolean        commit)
{
  g_autofree char *typed = NULL;
  gboolean had_focus;

  g_return_if_fail (PAL_IS_INLINE_ENTRY (self));

  /* Hiding the text moves the focus, which would stop the edit again. */
  if (!pal_inline_entry_get_editing (self) || self->stopping)
    return;
  self->stopping = TRUE;
  typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text)));
  had_focus = gtk_widget_has_focus (GTK_WIDGET (self->text));
  gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->text), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "editing");
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self));
  self->stopping = FALSE;

  if (commit)
    g_signal_emit (self, signals[COMMIT], 0, typed);
}

static void
text_activate_cb (PalInlineEntry *self)
{
  pal_inline_entry_stop_editing (self, TRUE);
}

static void
text_leave_cb (PalInlineEntry *self)
{
  /* Clicking elsewhere keeps what was typed, as in any list editor. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    pal_inline_entry_stop_editing (self, TRUE);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  pal_inline_entry_stop_editing (PAL_INLINE_ENTRY (user_data), FALSE);
  return TRUE;
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  pal_inline_entry_start_editing (PAL_INLINE_ENTRY (widget));
}

static void
pal_inline_entry_dispose (GObject *object)
{
  PalInlineEntry *self = PAL_INLINE_ENTRY (object);

  g_clear_pointer ((GtkWidget **) &self->label, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->text, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_inline_entry_parent_class)->dispose (object);
}

static void
pal_inline_entry_finalize (GObject *object)
{
  PalInlineEntry *self = PAL_INLINE_ENTRY (object);

  g_free (self->value);

  G_OBJECT_CLASS (pal_inline_entry_parent_class)->finalize (object);
}

static void
pal_inline_entry_class_init (PalInlineEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_inline_entry_dispose;
  object_class->finalize = pal_inline_entry_finalize;

  signals[COMMIT] =
    g_signal_new ("commit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inlineentry");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TEXT_BOX);

  gtk_widget_class_install_action (widget_class, "inline-entry.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "inline-entry.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "inline-entry.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "inline-entry.start", NULL);
}

/* The GtkText exists only once the entry is edited: an outline shows
 * hundreds of these and edits one at a time. */
static void
ensure_text (PalInlineEntry *self)
{
  GtkEventController *focus;
  GtkEventController *keys;

  if (self->text != NULL)
    return;

  self->text = GTK_TEXT (gtk_text_new ());
  g_signal_connect_swapped (self->text, "activate", G_CALLBACK (text_activate_cb), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (text_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text), focus);
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->text), keys);
  gtk_widget_set_visible (GTK_WIDGET (self->text), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->text), GTK_WIDGET (self));
}

static void
pal_inline_entry_init (PalInlineEntry *self)
{
  self->value = g_strdup ("");
  self->editable = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->label, TRUE);
  /* Children of a bin layout: only the visible one (label or text) is
   * measured and drawn. */
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
}

GtkWidget *
pal_inline_entry_new (void)
{
  return g_object_new (PAL_TYPE_INLINE_ENTRY, NULL);
}
