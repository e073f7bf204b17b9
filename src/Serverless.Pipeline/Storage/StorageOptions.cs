using System.ComponentModel.DataAnnotations;

namespace Serverless.Pipeline.Storage;

/// <summary>
/// Where the pipeline keeps artifacts (Blob) and its delivery record (Table).
/// Locally a connection string (Azurite by default); in Azure, service URIs reached with a managed identity.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>A storage connection string; used when no service URIs are given.</summary>
    public string? ConnectionString { get; set; } = DevelopmentStorage;

    /// <summary>The Blob service URI, for managed-identity access in Azure.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The Table service URI, for managed-identity access in Azure.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The Queue service URI; the self-hosted engine keeps its work queues there.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity, when one is used.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>A prefix for every table and container name, so that several deployments can share an account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,11}$")]
    public string NamePrefix { get; set; } = "pipe";

    public bool UsesServiceUris => BlobServiceUri is not null && TableServiceUri is not null;
}
