namespace Serverless.LocalArm.Templates;

/// <summary>The tenant every subscription of the test double belongs to.</summary>
internal static class LocalTenant
{
    public const string Id = "00000000-0000-0000-0000-00000000a4a4";
}
