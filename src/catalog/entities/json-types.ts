// Shapes of the catalog's jsonb columns.

/** Free-form string metadata of a product or a variant (`metadata`, default `{}`). */
export type CatalogMetadata = Record<string, string>;
