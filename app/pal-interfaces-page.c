/* pal-interfaces-page.c — the Interfaces tab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pal-dbus-generated.h"
#include "pal-interfaces-page.h"

#define READ_TIMEOUT_MS 10000

static const char * const settings[] = { "filter", "external", "bridge" };

struct _PalInterfacesPage
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkLabel        *note_label;
  GtkListBox      *list;

  PalUndoStack    *undo;
  PalDocument     *document;
  GPtrArray       *watched;        /* PalInterfaceConfig whose notify we follow */
  GVariant        *machine;        /* a(susssas), NULL when unknown */
  GHashTable      *checks;         /* "name\nsetting" → GtkCheckButton (borrowed) */
  guint            rebuild_id;

  PalHelperClient *helper;
  GDBusProxy      *proxy;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (PalInterfacesPage, pal_interfaces_page, GTK_TYPE_BOX)

static void rebuild (PalInterfacesPage *self);

static gboolean
rebuild_cb (gpointer data)
{
  PalInterfacesPage *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Later, not now: a change often comes from a check button's own signal,
 * and its row must not be destroyed under it. */
static void
queue_rebuild (PalInterfacesPage *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_cb, self);
}

static gboolean
setting_value (PalInterfaceConfig *config,
               const char         *setting)
{
  gboolean value;

  /* Unnamed interfaces behave as the defaults: filtered, nothing else. */
  if (config == NULL)
    return g_str_equal (setting, "filter");
  g_object_get (config, setting, &value, NULL);
  return value;
}

static const char *
setting_label (const char *setting)
{
  if (g_str_equal (setting, "filter"))
    return _("Filters");
  if (g_str_equal (setting, "external"))
    return _("External");
  return _("Bridge");
}

static char *
command_label (const char *name,
               const char *setting,
               gboolean    active)
{
  if (g_str_equal (setting, "filter"))
    return g_strdup_printf (active ? _("Filter %s") : _("Stop Filtering %s"), name);
  if (g_str_equal (setting, "external"))
    return g_strdup_printf (active ? _("Mark %s External") : _("Mark %s Internal"), name);
  return g_strdup_printf (active ? _("Bridge %s") : _("Unbridge %s"), name);
}

void
pal_interfaces_page_toggle (PalInterfacesPage *self,
                            const char        *name,
                            const char        *setting,
                            gboolean           active)
{
  PalInterfaceConfig *config;
  g_autofree char *label = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_if_fail (PAL_IS_INTERFACES_PAGE (self));
  g_return_if_fail (name != NULL && setting != NULL);
  g_return_if_fail (self->undo != NULL);

  config = pal_document_lookup_interface (self->document, name);
  if (setting_value (config, setting) == !!active)
    return;
  label = command_label (name, setting, active);
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, active);
  pal_undo_stack_begin (self->undo, label);
  if (config == NULL)
    {
      g_autoptr(PalInterfaceConfig) named = pal_interface_config_new (name);

      g_object_set_property (G_OBJECT (named), setting, &value);
      pal_undo_stack_set_interface (self->undo, name, named);
    }
  else
    pal_undo_stack_set (self->undo, G_OBJECT (config), setting, &value);
  pal_undo_stack_end (self->undo);
  queue_rebuild (self);
}

static void
check_toggled_cb (GtkCheckButton    *check,
                  PalInterfacesPage *self)
{
  pal_interfaces_page_toggle (self, g_object_get_data (G_OBJECT (check), "pal-interface"),
                              g_object_get_data (G_OBJECT (check), "pal-setting"),
                              gtk_check_button_get_active (check));
}

static char *
describe (PalInterfacesPage *self,
          GVariant          *info)
{
  const char *kind, *state, *mac;
  g_autoptr(GVariant) addresses = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree const char **list = NULL;

  if (info == NULL && self->machine == NULL)
    return g_strdup (_("Named by this document"));
  if (info == NULL)
    return g_strdup (_("Not present on this computer; the document keeps its settings"));
  g_variant_get (info, "(&su&s&s&s@as)", NULL, NULL, &kind, &state, &mac, &addresses);
  /* Translators: an interface's kind and operational state, "veth, up" */
  g_string_append_printf (text, _("%s, %s"), kind, state);
  /* Loopback's all-zero address says nothing. */
  if (*mac != '\0' && !g_str_equal (mac, "00:00:00:00:00:00"))
    g_string_append_printf (text, " · %s", mac);
  list = g_variant_get_strv (addresses, NULL);
  if (list[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) list);

      g_string_append_printf (text, " · %s", joined);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_row (PalInterfacesPage  *self,
            const char         *name,
            GVariant           *info,
            PalInterfaceConfig *config)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = describe (self, info);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (info == NULL && self->machine != NULL)
    gtk_widget_add_css_class (row, "dim-label");
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (setting_label (settings[i]));

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), setting_value (config, settings[i]));
      g_object_set_data_full (G_OBJECT (check), "pal-interface", g_strdup (name), g_free);
      g_object_set_data (G_OBJECT (check), "pal-setting", (gpointer) settings[i]);
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      g_hash_table_insert (self->checks, g_strconcat (name, "\n", settings[i], NULL), check);
    }
  return row;
}

static GVariant *
machine_lookup (PalInterfacesPage *self,
                const char        *name)
{
  GVariantIter iter;
  GVariant *info;

  if (self->machine == NULL)
    return NULL;
  g_variant_iter_init (&iter, self->machine);
  while ((info = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *candidate;

      g_variant_get_child (info, 0, "&s", &candidate);
      if (g_str_equal (candidate, name))
        return info;
      g_variant_unref (info);
    }
  return NULL;
}

static void
watch_configs (PalInterfacesPage *self)
{
  GListModel *interfaces = pal_document_get_interfaces (self->document);

  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_ptr_array_set_size (self->watched, 0);
  /* Undo and redo change a config's properties, not the list. */
  for (guint i = 0; i < g_list_model_get_n_items (interfaces); i++)
    {
      PalInterfaceConfig *config = g_list_model_get_item (interfaces, i);

      g_signal_connect_swapped (config, "notify", G_CALLBACK (queue_rebuild), self);
      g_ptr_array_add (self->watched, config);
    }
}

static void
update_note (PalInterfacesPage *self)
{
  g_autofree char *note = NULL;

  if (self->machine != NULL)
    note = NULL;
  else if (self->helper != NULL && pal_helper_client_get_unavailable_reason (self->helper) != NULL)
    note = g_strdup_printf (_("This computer's interfaces cannot be listed (%s). Shown are the interfaces this document names."),
                            pal_helper_client_get_unavailable_reason (self->helper));
  else if (self->helper == NULL || pal_helper_client_get_failed (self->helper))
    note = g_strdup (_("This computer's interfaces cannot be listed without the Palisade helper. Shown are the interfaces this document names."));
  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
}

GStrv
pal_interfaces_page_get_names (PalInterfacesPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *interfaces;

  g_return_val_if_fail (PAL_IS_INTERFACES_PAGE (self), NULL);

  if (self->machine != NULL)
    {
      GVariantIter iter;
      const char *name;

      g_variant_iter_init (&iter, self->machine);
      while (g_variant_iter_next (&iter, "(&susss@as)", &name, NULL, NULL, NULL, NULL, NULL))
        if (g_hash_table_add (seen, (gpointer) name))
          g_strv_builder_add (builder, name);
    }
  if (self->document != NULL)
    {
      interfaces = pal_document_get_interfaces (self->document);
      for (guint i = 0; i < g_list_model_get_n_items (interfaces); i++)
        {
          g_autoptr(PalInterfaceConfig) config = g_list_model_get_item (interfaces, i);

          if (!g_hash_table_contains (seen, pal_interface_config_get_name (config)))
            g_strv_builder_add (builder, pal_interface_config_get_name (config));
        }
    }
  return g_strv_builder_end (builder);
}

static void
rebuild (PalInterfacesPage *self)
{
  g_auto(GStrv) names = NULL;
  GtkWidget *child;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_hash_table_remove_all (self->checks);
  update_note (self);
  if (self->document == NULL)
    return;
  watch_configs (self);
  names = pal_interfaces_page_get_names (self);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) info = machine_lookup (self, names[i]);

      gtk_list_box_append (self->list,
                           create_row (self, names[i], info,
                                       pal_document_lookup_interface (self->document, names[i])));
    }
}

gboolean
pal_interfaces_page_is_missing (PalInterfacesPage *self,
                                const char        *name)
{
  g_autoptr(GVariant) info = NULL;

  g_return_val_if_fail (PAL_IS_INTERFACES_PAGE (self), FALSE);

  info = machine_lookup (self, name);
  return self->machine != NULL && info == NULL && self->document != NULL
         && pal_document_lookup_interface (self->document, name) != NULL;
}

GtkWidget *
pal_interfaces_page_get_check (PalInterfacesPage *self,
                               const char        *name,
                               const char        *setting)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (PAL_IS_INTERFACES_PAGE (self), NULL);

  if (self->rebuild_id != 0)
    rebuild (self);
  key = g_strconcat (name, "\n", setting, NULL);
  return g_hash_table_lookup (self->checks, key);
}

const char *
pal_interfaces_page_get_note (PalInterfacesPage *self)
{
  g_return_val_if_fail (PAL_IS_INTERFACES_PAGE (self), NULL);
  return gtk_label_get_text (self->note_label);
}

void
pal_interfaces_page_set_undo_stack (PalInterfacesPage *self,
                                    PalUndoStack      *undo)
{
  g_return_if_fail (PAL_IS_INTERFACES_PAGE (self));
  g_return_if_fail (PAL_IS_UNDO_STACK (undo));

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (pal_document_get_interfaces (self->document), self);
  g_set_object (&self->undo, undo);
  g_set_object (&self->document, pal_undo_stack_get_document (undo));
  g_signal_connect_swapped (pal_document_get_interfaces (self->document), "items-changed",
                            G_CALLBACK (queue_rebuild), self);
  rebuild (self);
}

void
pal_interfaces_page_set_machine (PalInterfacesPage *self,
                                 GVariant          *interfaces)
{
  g_return_if_fail (PAL_IS_INTERFACES_PAGE (self));
  g_return_if_fail (interfaces == NULL || g_variant_is_of_type (interfaces, G_VARIANT_TYPE ("a(susssas)")));

  g_clear_pointer (&self->machine, g_variant_unref);
  if (interfaces != NULL)
    self->machine = g_variant_ref_sink (interfaces);
  rebuild (self);
}

/* The helper: GetInterfaces when it becomes available, then every
 * InterfacesChanged. */

static void
get_interfaces_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PalInterfacesPage *self = user_data;
  g_autoptr(GVariant) interfaces = NULL;
  g_autoptr(GError) error = NULL;

  if (!pal_dbus_firewall1_call_get_interfaces_finish (PAL_DBUS_FIREWALL1 (source), &interfaces,
                                                      result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("GetInterfaces: %s", error->message);
      return;
    }
  pal_interfaces_page_set_machine (self, interfaces);
}

static void
interfaces_changed_cb (PalInterfacesPage *self,
                       GVariant          *interfaces)
{
  pal_interfaces_page_set_machine (self, interfaces);
}

static void
disconnect_proxy (PalInterfacesPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
}

static void
helper_available_cb (PalInterfacesPage *self)
{
  GDBusProxy *proxy = pal_helper_client_get_proxy (self->helper);

  if (!pal_helper_client_get_available (self->helper) || proxy == NULL)
    {
      disconnect_proxy (self);
      rebuild (self);
      return;
    }
  if (self->proxy == proxy)
    return;
  disconnect_proxy (self);
  self->proxy = g_object_ref (proxy);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (proxy, "interfaces-changed", G_CALLBACK (interfaces_changed_cb),
                           self, G_CONNECT_SWAPPED);
  pal_dbus_firewall1_call_get_interfaces (PAL_DBUS_FIREWALL1 (proxy), G_DBUS_CALL_FLAGS_NONE,
                                          READ_TIMEOUT_MS, self->cancellable, get_interfaces_cb, self);
}

void
pal_interfaces_page_set_helper (PalInterfacesPage *self,
                                PalHelperClient   *helper)
{
  g_return_if_fail (PAL_IS_INTERFACES_PAGE (self));
  g_return_if_fail (helper == NULL || PAL_IS_HELPER_CLIENT (helper));

  disconnect_proxy (self);
  if (self->helper != NULL)
    g_signal_handlers_disconnect_by_data (self->helper, self);
  g_set_object (&self->helper, helper);
  if (helper != NULL)
    {
      g_signal_connect_object (helper, "notify::available", G_CALLBACK (helper_available_cb),
                               self, G_CONNECT_SWAPPED);
      helper_available_cb (self);
    }
  else
    rebuild (self);
}

static void
pal_interfaces_page_dispose (GObject *object)
{
  PalInterfacesPage *self = PAL_INTERFACES_PAGE (object);

  disconnect_proxy (self);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->helper != NULL)
    g_signal_handlers_disconnect_by_data (self->helper, self);
  g_clear_object (&self->helper);
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_ptr_array_set_size (self->watched, 0);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (pal_document_get_interfaces (self->document), self);
  g_clear_object (&self->document);
  g_clear_object (&self->undo);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_INTERFACES_PAGE);
  G_OBJECT_CLASS (pal_interfaces_page_parent_class)->dispose (object);
}

static void
pal_interfaces_page_finalize (GObject *object)
{
  PalInterfacesPage *self = PAL_INTERFACES_PAGE (object);

  g_clear_pointer (&self->machine, g_variant_unref);
  g_hash_table_unref (self->checks);
  g_ptr_array_unref (self->watched);
  G_OBJECT_CLASS (pal_interfaces_page_parent_class)->finalize (object);
}

static void
pal_interfaces_page_class_init (PalInterfacesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_interfaces_page_dispose;
  object_class->finalize = pal_interfaces_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-interfaces-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PalInterfacesPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, PalInterfacesPage, list);
}

static void
pal_interfaces_page_init (PalInterfacesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}
