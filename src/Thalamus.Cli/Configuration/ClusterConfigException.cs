namespace Thalamus.Cli.Configuration;

/// <summary>
/// A cluster configuration (file or flags) cannot be used. The message is one line that names the
/// file, line and column when the problem is in the file, and the setting; the CLI exits with 2.
/// </summary>
public sealed class ClusterConfigException(string message) : Exception(message);
