/* pal-other-tables-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-other-table.h"
#include "pal-other-tables-page.h"

struct _PalOtherTablesPage
{
  AdwBin      parent_instance;

  GtkListBox *list;
  GtkLabel   *placeholder;
  GListModel *tables;
};

G_DEFINE_FINAL_TYPE (PalOtherTablesPage, pal_other_tables_page, ADW_TYPE_BIN)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PalOtherTable *table = item;
  g_autofree char *title = pal_other_table_get_title (table);
  g_autofree char *description = pal_other_table_describe (table);
  GtkWidget *row = adw_action_row_new ();

  /* Names come from the kernel, written by any program: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "view-list-symbolic");
  return row;
}

void
pal_other_tables_page_set_tables (PalOtherTablesPage *self,
                                  GListModel         *tables)
{
  g_return_if_fail (PAL_IS_OTHER_TABLES_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (tables));

  g_set_object (&self->tables, tables);
  gtk_label_set_text (self->placeholder, _("None: Palisade's table is the only one"));
  gtk_list_box_bind_model (self->list, tables, create_row, NULL, NULL);
}

void
pal_other_tables_page_set_error (PalOtherTablesPage *self,
                                 const char         *message)
{
  g_autoptr(GListStore) empty = g_list_store_new (PAL_TYPE_OTHER_TABLE);
  g_autofree char *text = NULL;

  g_return_if_fail (PAL_IS_OTHER_TABLES_PAGE (self));

  text = g_strdup_printf (_("Could not read the other tables: %s"), message);
  g_set_object (&self->tables, G_LIST_MODEL (empty));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (empty), create_row, NULL, NULL);
  gtk_label_set_text (self->placeholder, text);
}

GListModel *
pal_other_tables_page_get_tables (PalOtherTablesPage *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLES_PAGE (self), NULL);
  return self->tables;
}

static void
pal_other_tables_page_dispose (GObject *object)
{
  PalOtherTablesPage *self = PAL_OTHER_TABLES_PAGE (object);

  g_clear_object (&self->tables);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_OTHER_TABLES_PAGE);

  G_OBJECT_CLASS (pal_other_tables_page_parent_class)->dispose (object);
}

static void
pal_other_tables_page_class_init (PalOtherTablesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_other_tables_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-other-tables-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PalOtherTablesPage, list);
}

static void
pal_other_tables_page_init (PalOtherTablesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tables = G_LIST_MODEL (g_list_store_new (PAL_TYPE_OTHER_TABLE));
  self->placeholder = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->placeholder, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->placeholder), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->placeholder), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->placeholder), "dim-label");
  gtk_list_box_set_placeholder (self->list, GTK_WIDGET (self->placeholder));
}
