namespace Thalamus.Cluster;

/// <summary>A cluster configuration breaks a rule; the message names the setting.</summary>
public sealed class ClusterConfigurationException(string message) : Exception(message);
