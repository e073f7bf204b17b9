namespace Serverless.Pipeline.Tests.Triggers;

/// <summary>The sample deliveries under Triggers/Payloads, copied next to the tests.</summary>
internal static class Payloads
{
    public const string Before = "51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d";
    public const string FirstCommit = "2f22765d04931a078909145ca628d2264c852d7d";
    public const string SecondCommit = "6b1f53303a732ccc8c6aae6640399827c15250e3";
    public const string HeadCommit = "a625406f6977d45c1391b078f4d3656e0b75bfcb";
    public const string Repository = "https://github.com/contoso/platform-network";

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Triggers", "Payloads", name));

    public static BinaryData Data(string name) => BinaryData.FromBytes(Read(name));
}
