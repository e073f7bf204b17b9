using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.LocalServices;

namespace Serverless.Pipeline.Tests.Storage;

/// <summary>One Azurite for the storage tests, on free loopback ports, stopped at the end.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public BlobServiceClient Blobs => new(Azurite.ConnectionString);
    public TableServiceClient Tables => new(Azurite.ConnectionString);

    /// <summary>Options with a prefix of its own, so that tests never see each other's tables.</summary>
    public static IOptions<StorageOptions> IsolatedOptions() =>
        Options.Create(new StorageOptions { NamePrefix = "t" + Guid.NewGuid().ToString("N")[..10] });

    public async Task InitializeAsync() => Azurite = await Azurite.StartOnFreePortsAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
