namespace Thalamus.Storage;

/// <summary>One step of the schema history: applied in its own transaction together with its row in <c>schema_version</c>.</summary>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
